// Package route stores serving.knative.dev Routes.
package route

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/apis/serving/defaults"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/apis/serving/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes Routes to the generic storage.
func Kind() resource.Kind[*serving.Route] {
	return resource.Kind[*serving.Route]{
		Resource:       serving.Resource("routes"),
		Singular:       "route",
		ShortNames:     []string{"rt"},
		Categories:     []string{"all", "knative", "serving"},
		GroupVersion:   servingv1.SchemeGroupVersion,
		New:            func() *serving.Route { return &serving.Route{} },
		NewList:        func() runtime.Object { return &serving.RouteList{} },
		Spec:           func(r *serving.Route) any { return &r.Spec },
		Status:         func(r *serving.Route) *duckv1.Status { return &r.Status.Status },
		CopySpec:       func(dst, src *serving.Route) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *serving.Route) { dst.Status = src.Status },
		ClearStatus:    func(r *serving.Route) { r.Status = serving.RouteStatus{} },
		Default:        defaults.Route,
		Validate:       validation.ValidateRoute,
		ValidateUpdate: validation.ValidateRouteUpdate,
		Columns: append([]metav1.TableColumnDefinition{
			{Name: "URL", Type: "string", Description: "URL of the Route"},
		}, resource.ReadyColumns()...),
		Cells: func(r *serving.Route) []any {
			return append([]any{resource.StringOrEmpty(r.Status.URL)}, resource.ReadyCells(&r.Status.Status)...)
		},
	}
}
