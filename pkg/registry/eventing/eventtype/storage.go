// Package eventtype stores eventing.knative.dev EventTypes.
package eventtype

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/eventing"
	"github.com/knap-dev/knap/pkg/apis/eventing/defaults"
	eventingv1beta2 "github.com/knap-dev/knap/pkg/apis/eventing/v1beta2"
	"github.com/knap-dev/knap/pkg/apis/eventing/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes EventTypes to the generic storage. They are served as
// eventing.knative.dev/v1beta2.
func Kind() resource.Kind[*eventing.EventType] {
	return resource.Kind[*eventing.EventType]{
		Resource:       eventing.Resource("eventtypes"),
		Singular:       "eventtype",
		Categories:     []string{"all", "knative", "eventing"},
		GroupVersion:   eventingv1beta2.SchemeGroupVersion,
		New:            func() *eventing.EventType { return &eventing.EventType{} },
		NewList:        func() runtime.Object { return &eventing.EventTypeList{} },
		Spec:           func(e *eventing.EventType) any { return &e.Spec },
		Status:         func(e *eventing.EventType) *duckv1.Status { return &e.Status.Status },
		CopySpec:       func(dst, src *eventing.EventType) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *eventing.EventType) { dst.Status = src.Status },
		ClearStatus:    func(e *eventing.EventType) { e.Status = eventing.EventTypeStatus{} },
		Default:        defaults.EventType,
		Validate:       validation.ValidateEventType,
		ValidateUpdate: validation.ValidateEventTypeUpdate,
		Fields: func(e *eventing.EventType) fields.Set {
			return fields.Set{eventing.FieldEventTypeType: e.Spec.Type}
		},
		// As config/core/resources/eventtype.yaml (no Age column there).
		Columns: append([]metav1.TableColumnDefinition{
			{Name: "Type", Type: "string", Description: "CloudEvents type"},
			{Name: "Source", Type: "string", Description: "CloudEvents source"},
			{Name: "Schema", Type: "string", Description: "CloudEvents dataschema"},
			{Name: "Reference Name", Type: "string", Description: "Name of the addressable offering the events"},
			{Name: "Reference Kind", Type: "string", Description: "Kind of the addressable offering the events"},
			{Name: "Description", Type: "string", Description: "What the events mean"},
		}, resource.ReadyColumns()...),
		Cells: func(e *eventing.EventType) []any {
			var refName, refKind string
			if r := e.Spec.Reference; r != nil {
				refName, refKind = r.Name, r.Kind
			}
			return append([]any{e.Spec.Type, resource.StringOrEmpty(e.Spec.Source), resource.StringOrEmpty(e.Spec.Schema),
				refName, refKind, e.Spec.Description}, resource.ReadyCells(&e.Status.Status)...)
		},
	}
}
