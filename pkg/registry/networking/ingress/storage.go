// Package ingress stores networking.internal.knative.dev Ingresses.
package ingress

import (
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/networking"
	"github.com/knap-dev/knap/pkg/apis/networking/defaults"
	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
	"github.com/knap-dev/knap/pkg/apis/networking/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes Ingresses to the generic storage: names, categories and
// printer columns (Ready, Reason) of Knative's ingresses CRD.
func Kind() resource.Kind[*networking.Ingress] {
	return resource.Kind[*networking.Ingress]{
		Resource:       networking.Resource("ingresses"),
		Singular:       "ingress",
		ShortNames:     []string{"kingress", "king"},
		Categories:     []string{"knative-internal", "networking"},
		GroupVersion:   networkingv1alpha1.SchemeGroupVersion,
		New:            func() *networking.Ingress { return &networking.Ingress{} },
		NewList:        func() runtime.Object { return &networking.IngressList{} },
		Spec:           func(i *networking.Ingress) any { return &i.Spec },
		Status:         func(i *networking.Ingress) *duckv1.Status { return &i.Status.Status },
		CopySpec:       func(dst, src *networking.Ingress) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *networking.Ingress) { dst.Status = src.Status },
		ClearStatus:    func(i *networking.Ingress) { i.Status = networking.IngressStatus{} },
		Default:        defaults.Ingress,
		Validate:       validation.ValidateIngress,
		ValidateUpdate: validation.ValidateIngressUpdate,
		Columns:        resource.ReadyColumns(),
		Cells:          func(i *networking.Ingress) []any { return resource.ReadyCells(&i.Status.Status) },
	}
}
