// Package trigger stores eventing.knative.dev Triggers.
package trigger

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/eventing"
	"github.com/knap-dev/knap/pkg/apis/eventing/defaults"
	eventingv1 "github.com/knap-dev/knap/pkg/apis/eventing/v1"
	"github.com/knap-dev/knap/pkg/apis/eventing/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes Triggers to the generic storage.
func Kind() resource.Kind[*eventing.Trigger] {
	return resource.Kind[*eventing.Trigger]{
		Resource:       eventing.Resource("triggers"),
		Singular:       "trigger",
		Categories:     []string{"all", "knative", "eventing"},
		GroupVersion:   eventingv1.SchemeGroupVersion,
		New:            func() *eventing.Trigger { return &eventing.Trigger{} },
		NewList:        func() runtime.Object { return &eventing.TriggerList{} },
		Spec:           func(t *eventing.Trigger) any { return &t.Spec },
		Status:         func(t *eventing.Trigger) *duckv1.Status { return &t.Status.Status },
		CopySpec:       func(dst, src *eventing.Trigger) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *eventing.Trigger) { dst.Status = src.Status },
		ClearStatus:    func(t *eventing.Trigger) { t.Status = eventing.TriggerStatus{} },
		Default:        defaults.Trigger,
		Validate:       validation.ValidateTrigger,
		ValidateUpdate: validation.ValidateTriggerUpdate,
		Fields: func(t *eventing.Trigger) fields.Set {
			return fields.Set{eventing.FieldTriggerBroker: BrokerName(t)}
		},
		// As config/core/resources/trigger.yaml.
		Columns: append([]metav1.TableColumnDefinition{
			{Name: "Broker", Type: "string", Description: "Broker the Trigger reads from"},
			{Name: "Subscriber_URI", Type: "string", Description: "Resolved address of the subscriber"},
			resource.AgeColumn(),
		}, resource.ReadyColumns()...),
		Cells: func(t *eventing.Trigger) []any {
			return append([]any{t.Spec.Broker, resource.StringOrEmpty(t.Status.SubscriberURI), resource.AgeCell(t.CreationTimestamp)},
				resource.ReadyCells(&t.Status.Status)...)
		},
	}
}

// BrokerName is the name of the Broker a Trigger reads from: spec.broker,
// or the name in spec.brokerRef when only that is set. It is the value of
// the spec.broker field selector.
func BrokerName(t *eventing.Trigger) string {
	if t.Spec.Broker == "" && t.Spec.BrokerRef != nil {
		return t.Spec.BrokerRef.Name
	}
	return t.Spec.Broker
}
