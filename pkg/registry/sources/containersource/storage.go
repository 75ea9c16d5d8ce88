// Package containersource stores sources.knative.dev ContainerSources.
package containersource

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

// Kind describes ContainerSources to the generic storage.
func Kind() resource.Kind[*sources.ContainerSource] {
	return resource.Kind[*sources.ContainerSource]{
		Resource:       sources.Resource("containersources"),
		Singular:       "containersource",
		Categories:     []string{"all", "knative", "sources"},
		GroupVersion:   sourcesv1.SchemeGroupVersion,
		New:            func() *sources.ContainerSource { return &sources.ContainerSource{} },
		NewList:        func() runtime.Object { return &sources.ContainerSourceList{} },
		Spec:           func(o *sources.ContainerSource) any { return &o.Spec },
		Status:         func(o *sources.ContainerSource) *duckv1.Status { return &o.Status.Status },
		CopySpec:       func(dst, src *sources.ContainerSource) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *sources.ContainerSource) { dst.Status = src.Status },
		ClearStatus:    func(o *sources.ContainerSource) { o.Status = sources.ContainerSourceStatus{} },
		Default:        defaults.ContainerSource,
		Validate:       validation.ValidateContainerSource,
		ValidateUpdate: validation.ValidateContainerSourceUpdate,
		Columns:        columns.Source(),
		Cells: func(o *sources.ContainerSource) []any {
			return columns.SourceCells(&o.Status.SourceStatus, o.CreationTimestamp)
		},
	}
}
