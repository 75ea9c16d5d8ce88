// Package apiserversource stores sources.knative.dev ApiServerSources.
package apiserversource

import (
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/sources"
	"github.com/knap-dev/knap/pkg/apis/sources/defaults"
	sourcesv1 "github.com/knap-dev/knap/pkg/apis/sources/v1"
	"github.com/knap-dev/knap/pkg/apis/sources/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
	"github.com/knap-dev/knap/pkg/registry/sources/internal/columns"
)

// Kind describes ApiServerSources to the generic storage.
func Kind() resource.Kind[*sources.ApiServerSource] {
	return resource.Kind[*sources.ApiServerSource]{
		Resource:       sources.Resource("apiserversources"),
		Singular:       "apiserversource",
		Categories:     []string{"all", "knative", "sources"},
		GroupVersion:   sourcesv1.SchemeGroupVersion,
		New:            func() *sources.ApiServerSource { return &sources.ApiServerSource{} },
		NewList:        func() runtime.Object { return &sources.ApiServerSourceList{} },
		Spec:           func(o *sources.ApiServerSource) any { return &o.Spec },
		Status:         func(o *sources.ApiServerSource) *duckv1.Status { return &o.Status.Status },
		CopySpec:       func(dst, src *sources.ApiServerSource) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *sources.ApiServerSource) { dst.Status = src.Status },
		ClearStatus:    func(o *sources.ApiServerSource) { o.Status = sources.ApiServerSourceStatus{} },
		Default:        defaults.ApiServerSource,
		Validate:       validation.ValidateApiServerSource,
		ValidateUpdate: validation.ValidateApiServerSourceUpdate,
		Columns:        columns.Source(),
		Cells: func(o *sources.ApiServerSource) []any {
			return columns.SourceCells(&o.Status.SourceStatus, o.CreationTimestamp)
		},
	}
}
