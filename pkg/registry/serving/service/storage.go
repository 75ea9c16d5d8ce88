// Package service stores serving.knative.dev Services.
package service

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/apis/serving/defaults"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/apis/serving/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes Services to the generic storage.
func Kind() resource.Kind[*serving.Service] {
	return resource.Kind[*serving.Service]{
		Resource:       serving.Resource("services"),
		Singular:       "service",
		ShortNames:     []string{"kservice", "ksvc"},
		Categories:     []string{"all", "knative", "serving"},
		GroupVersion:   servingv1.SchemeGroupVersion,
		New:            func() *serving.Service { return &serving.Service{} },
		NewList:        func() runtime.Object { return &serving.ServiceList{} },
		Spec:           func(s *serving.Service) any { return &s.Spec },
		Status:         func(s *serving.Service) *duckv1.Status { return &s.Status.Status },
		CopySpec:       func(dst, src *serving.Service) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *serving.Service) { dst.Status = src.Status },
		ClearStatus:    func(s *serving.Service) { s.Status = serving.ServiceStatus{} },
		Default:        defaults.Service,
		Validate:       validation.ValidateService,
		ValidateUpdate: validation.ValidateServiceUpdate,
		Fields: func(s *serving.Service) fields.Set {
			return fields.Set{
				serving.FieldLatestReadyRevisionName:   s.Status.LatestReadyRevisionName,
				serving.FieldLatestCreatedRevisionName: s.Status.LatestCreatedRevisionName,
			}
		},
		Columns: append([]metav1.TableColumnDefinition{
			{Name: "URL", Type: "string", Description: "URL of the Service"},
			{Name: "LatestCreated", Type: "string", Description: "Latest Revision created"},
			{Name: "LatestReady", Type: "string", Description: "Latest Revision that became ready"},
		}, resource.ReadyColumns()...),
		Cells: func(s *serving.Service) []any {
			return append([]any{resource.StringOrEmpty(s.Status.URL), s.Status.LatestCreatedRevisionName, s.Status.LatestReadyRevisionName},
				resource.ReadyCells(&s.Status.Status)...)
		},
	}
}
