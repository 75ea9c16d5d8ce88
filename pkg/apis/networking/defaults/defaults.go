// Package defaults applies Knative's defaults (knative.dev/networking's
// SetDefaults) to the internal networking.internal.knative.dev types.
//
// The registry strategies call these from PrepareForCreate and
// PrepareForUpdate; old is nil on create and the stored object on update,
// and the defaults are the same for both. user is unused: these kinds carry
// no creator annotations.
package defaults

import "github.com/knap-dev/knap/pkg/apis/networking"

// Ingress defaults each rule's visibility to ExternalIP, the percentage of
// a path's only split to 100, and the HTTP option to Enabled.
func Ingress(ing, old *networking.Ingress, user string) {
	s := &ing.Spec
	for i := range s.Rules {
		r := &s.Rules[i]
		if r.Visibility == "" {
			r.Visibility = networking.IngressVisibilityExternalIP
		}
		if r.HTTP == nil {
			continue
		}
		for j := range r.HTTP.Paths {
			p := &r.HTTP.Paths[j]
			// A path with a single split sends it all traffic.
			if len(p.Splits) == 1 && p.Splits[0].Percent == 0 {
				p.Splits[0].Percent = 100
			}
		}
	}
	if s.HTTPOption == "" {
		s.HTTPOption = networking.HTTPOptionEnabled
	}
}

// ServerlessService defaults nothing: Knative's ServerlessService has no
// defaults.
func ServerlessService(sks, old *networking.ServerlessService, user string) {}
