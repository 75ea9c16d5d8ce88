// Package defaults applies Knative Eventing's defaults to the internal
// flows.knative.dev types.
//
// The registry strategies call these from PrepareForCreate and
// PrepareForUpdate (they need the object's namespace, which scheme defaulter
// functions do not see reliably). The values are those of Knative Eventing
// with its ConfigMaps as shipped: default-ch-webhook's cluster default
// channel is an InMemoryChannel and it has no namespace defaults.
package defaults

import (
	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/flows"
	"github.com/knap-dev/knap/pkg/apis/rawjson"
)

// Sequence defaults s; old is nil on create and the stored object on update
// (the defaults are the same for both). user is unused: flows carry no
// creator annotations.
func Sequence(s, old *flows.Sequence, user string) {
	channelTemplate(&s.Spec.ChannelTemplate)
	for i := range s.Spec.Steps {
		s.Spec.Steps[i].Destination.DefaultNamespace(s.Namespace)
	}
	s.Spec.Reply.DefaultNamespace(s.Namespace)
}

// Parallel defaults p; old is nil on create and the stored object on update.
func Parallel(p, old *flows.Parallel, user string) {
	channelTemplate(&p.Spec.ChannelTemplate)
	for i := range p.Spec.Branches {
		b := &p.Spec.Branches[i]
		b.Filter.DefaultNamespace(p.Namespace)
		b.Subscriber.DefaultNamespace(p.Namespace)
		b.Reply.DefaultNamespace(p.Namespace)
	}
	p.Spec.Reply.DefaultNamespace(p.Namespace)
}

// channelTemplate fills in the cluster's default channel when none is given.
// A template that is given is left alone, even when incomplete (validation
// reports what is missing), but for its spec, which is put in canonical
// JSON as a Channel's is.
func channelTemplate(ct **duckv1.ChannelTemplateSpec) {
	if *ct == nil {
		*ct = &duckv1.ChannelTemplateSpec{
			APIVersion: flows.DefaultChannelAPIVersion,
			Kind:       flows.DefaultChannelKind,
		}
		return
	}
	rawjson.Normalize((*ct).Spec)
}
