// Package serverlessservice stores networking.internal.knative.dev
// ServerlessServices.
package serverlessservice

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/networking"
	"github.com/knap-dev/knap/pkg/apis/networking/defaults"
	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
	"github.com/knap-dev/knap/pkg/apis/networking/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes ServerlessServices to the generic storage: names,
// categories and printer columns (Mode, Activators, ServiceName,
// PrivateServiceName, Ready, Reason) of Knative's serverlessservices CRD.
func Kind() resource.Kind[*networking.ServerlessService] {
	return resource.Kind[*networking.ServerlessService]{
		Resource:       networking.Resource("serverlessservices"),
		Singular:       "serverlessservice",
		ShortNames:     []string{"sks"},
		Categories:     []string{"knative-internal", "networking"},
		GroupVersion:   networkingv1alpha1.SchemeGroupVersion,
		New:            func() *networking.ServerlessService { return &networking.ServerlessService{} },
		NewList:        func() runtime.Object { return &networking.ServerlessServiceList{} },
		Spec:           func(s *networking.ServerlessService) any { return &s.Spec },
		Status:         func(s *networking.ServerlessService) *duckv1.Status { return &s.Status.Status },
		CopySpec:       func(dst, src *networking.ServerlessService) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *networking.ServerlessService) { dst.Status = src.Status },
		ClearStatus:    func(s *networking.ServerlessService) { s.Status = networking.ServerlessServiceStatus{} },
		Default:        defaults.ServerlessService,
		Validate:       validation.ValidateServerlessService,
		ValidateUpdate: validation.ValidateServerlessServiceUpdate,
		Columns: append([]metav1.TableColumnDefinition{
			{Name: "Mode", Type: "string", Description: "Whether revision pods (Serve) or the activator (Proxy) receive traffic"},
			{Name: "Activators", Type: "integer", Description: "Activators assigned to the revision; empty means all"},
			{Name: "ServiceName", Type: "string", Description: "Service that receives the revision's traffic"},
			{Name: "PrivateServiceName", Type: "string", Description: "Service over the revision's own pods"},
		}, resource.ReadyColumns()...),
		Cells: func(s *networking.ServerlessService) []any {
			return append([]any{string(s.Spec.Mode), activators(s.Spec.NumActivators), s.Status.ServiceName, s.Status.PrivateServiceName},
				resource.ReadyCells(&s.Status.Status)...)
		},
	}
}

// activators renders numActivators as the CRD column does: the field is
// omitted from JSON when 0, so the cell is empty.
func activators(n int32) any {
	if n == 0 {
		return nil
	}
	return int64(n)
}
