// Package sequence stores flows.knative.dev Sequences.
package sequence

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

// Kind describes Sequences to the generic storage: names, categories and
// printer columns (URL, Age, Ready, Reason) of Knative's sequences CRD.
func Kind() resource.Kind[*flows.Sequence] {
	return resource.Kind[*flows.Sequence]{
		Resource:       flows.Resource("sequences"),
		Singular:       "sequence",
		Categories:     []string{"all", "knative", "flows"},
		GroupVersion:   flowsv1.SchemeGroupVersion,
		New:            func() *flows.Sequence { return &flows.Sequence{} },
		NewList:        func() runtime.Object { return &flows.SequenceList{} },
		Spec:           func(s *flows.Sequence) any { return &s.Spec },
		Status:         func(s *flows.Sequence) *duckv1.Status { return &s.Status.Status },
		CopySpec:       func(dst, src *flows.Sequence) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *flows.Sequence) { dst.Status = src.Status },
		ClearStatus:    func(s *flows.Sequence) { s.Status = flows.SequenceStatus{} },
		Default:        defaults.Sequence,
		Validate:       validation.ValidateSequence,
		ValidateUpdate: validation.ValidateSequenceUpdate,
		Columns: append([]metav1.TableColumnDefinition{
			{Name: "URL", Type: "string", Description: "Address of the Sequence"},
			resource.AgeColumn(),
		}, resource.ReadyColumns()...),
		Cells: func(s *flows.Sequence) []any {
			return append([]any{
				resource.StringOrEmpty(s.Status.Address.URL),
				resource.AgeCell(s.CreationTimestamp),
			}, resource.ReadyCells(&s.Status.Status)...)
		},
	}
}
