// Package parallel stores flows.knative.dev Parallels.
package parallel

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/flows"
	"github.com/knap-dev/knap/pkg/apis/flows/defaults"
	flowsv1 "github.com/knap-dev/knap/pkg/apis/flows/v1"
	"github.com/knap-dev/knap/pkg/apis/flows/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes Parallels to the generic storage: names, categories and
// printer columns (URL, Age, Ready, Reason) of Knative's parallels CRD.
func Kind() resource.Kind[*flows.Parallel] {
	return resource.Kind[*flows.Parallel]{
		Resource:       flows.Resource("parallels"),
		Singular:       "parallel",
		Categories:     []string{"all", "knative", "flows"},
		GroupVersion:   flowsv1.SchemeGroupVersion,
		New:            func() *flows.Parallel { return &flows.Parallel{} },
		NewList:        func() runtime.Object { return &flows.ParallelList{} },
		Spec:           func(p *flows.Parallel) any { return &p.Spec },
		Status:         func(p *flows.Parallel) *duckv1.Status { return &p.Status.Status },
		CopySpec:       func(dst, src *flows.Parallel) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *flows.Parallel) { dst.Status = src.Status },
		ClearStatus:    func(p *flows.Parallel) { p.Status = flows.ParallelStatus{} },
		Default:        defaults.Parallel,
		Validate:       validation.ValidateParallel,
		ValidateUpdate: validation.ValidateParallelUpdate,
		Columns: append([]metav1.TableColumnDefinition{
			{Name: "URL", Type: "string", Description: "Address of the Parallel"},
			resource.AgeColumn(),
		}, resource.ReadyColumns()...),
		Cells: func(p *flows.Parallel) []any {
			var url *string
			if p.Status.Address != nil {
				url = p.Status.Address.URL
			}
			return append([]any{
				resource.StringOrEmpty(url),
				resource.AgeCell(p.CreationTimestamp),
			}, resource.ReadyCells(&p.Status.Status)...)
		},
	}
}
