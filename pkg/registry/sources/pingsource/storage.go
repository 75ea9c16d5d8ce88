// Package pingsource stores sources.knative.dev PingSources.
package pingsource

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/sources"
	"github.com/knap-dev/knap/pkg/apis/sources/defaults"
	sourcesv1 "github.com/knap-dev/knap/pkg/apis/sources/v1"
	"github.com/knap-dev/knap/pkg/apis/sources/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
	"github.com/knap-dev/knap/pkg/registry/sources/internal/columns"
)

// Kind describes PingSources to the generic storage.
func Kind() resource.Kind[*sources.PingSource] {
	return resource.Kind[*sources.PingSource]{
		Resource:       sources.Resource("pingsources"),
		Singular:       "pingsource",
		Categories:     []string{"all", "knative", "sources"},
		GroupVersion:   sourcesv1.SchemeGroupVersion,
		New:            func() *sources.PingSource { return &sources.PingSource{} },
		NewList:        func() runtime.Object { return &sources.PingSourceList{} },
		Spec:           func(o *sources.PingSource) any { return &o.Spec },
		Status:         func(o *sources.PingSource) *duckv1.Status { return &o.Status.Status },
		CopySpec:       func(dst, src *sources.PingSource) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *sources.PingSource) { dst.Status = src.Status },
		ClearStatus:    func(o *sources.PingSource) { o.Status = sources.PingSourceStatus{} },
		Default:        defaults.PingSource,
		Validate:       validation.ValidatePingSource,
		ValidateUpdate: validation.ValidatePingSourceUpdate,
		Columns: columns.Source(metav1.TableColumnDefinition{
			Name: "Schedule", Type: "string", Description: "Cron schedule of the events",
		}),
		Cells: func(o *sources.PingSource) []any {
			return columns.SourceCells(&o.Status.SourceStatus, o.CreationTimestamp, o.Spec.Schedule)
		},
	}
}
