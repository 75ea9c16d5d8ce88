// Package sinkbinding stores sources.knative.dev SinkBindings.
package sinkbinding

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

// Kind describes SinkBindings to the generic storage.
func Kind() resource.Kind[*sources.SinkBinding] {
	return resource.Kind[*sources.SinkBinding]{
		Resource:       sources.Resource("sinkbindings"),
		Singular:       "sinkbinding",
		Categories:     []string{"all", "knative", "sources", "bindings"},
		GroupVersion:   sourcesv1.SchemeGroupVersion,
		New:            func() *sources.SinkBinding { return &sources.SinkBinding{} },
		NewList:        func() runtime.Object { return &sources.SinkBindingList{} },
		Spec:           func(o *sources.SinkBinding) any { return &o.Spec },
		Status:         func(o *sources.SinkBinding) *duckv1.Status { return &o.Status.Status },
		CopySpec:       func(dst, src *sources.SinkBinding) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *sources.SinkBinding) { dst.Status = src.Status },
		ClearStatus:    func(o *sources.SinkBinding) { o.Status = sources.SinkBindingStatus{} },
		Default:        defaults.SinkBinding,
		Validate:       validation.ValidateSinkBinding,
		ValidateUpdate: validation.ValidateSinkBindingUpdate,
		Columns:        columns.Source(),
		Cells: func(o *sources.SinkBinding) []any {
			return columns.SourceCells(&o.Status.SourceStatus, o.CreationTimestamp)
		},
	}
}
