// Package broker stores eventing.knative.dev Brokers.
package broker

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/eventing"
	"github.com/knap-dev/knap/pkg/apis/eventing/defaults"
	eventingv1 "github.com/knap-dev/knap/pkg/apis/eventing/v1"
	"github.com/knap-dev/knap/pkg/apis/eventing/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes Brokers to the generic storage.
func Kind() resource.Kind[*eventing.Broker] {
	return resource.Kind[*eventing.Broker]{
		Resource:       eventing.Resource("brokers"),
		Singular:       "broker",
		Categories:     []string{"all", "knative", "eventing"},
		GroupVersion:   eventingv1.SchemeGroupVersion,
		New:            func() *eventing.Broker { return &eventing.Broker{} },
		NewList:        func() runtime.Object { return &eventing.BrokerList{} },
		Spec:           func(b *eventing.Broker) any { return &b.Spec },
		Status:         func(b *eventing.Broker) *duckv1.Status { return &b.Status.Status },
		CopySpec:       func(dst, src *eventing.Broker) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *eventing.Broker) { dst.Status = src.Status },
		ClearStatus:    func(b *eventing.Broker) { b.Status = eventing.BrokerStatus{} },
		Default:        defaults.Broker,
		Validate:       validation.ValidateBroker,
		ValidateUpdate: validation.ValidateBrokerUpdate,
		// As config/core/resources/broker.yaml: URL, Age, Ready, Reason, and
		// Class with priority 1 (kubectl get -o wide).
		Columns: append(append([]metav1.TableColumnDefinition{
			{Name: "URL", Type: "string", Description: "Address of the Broker"},
			resource.AgeColumn(),
		}, resource.ReadyColumns()...),
			metav1.TableColumnDefinition{Name: "Class", Type: "string", Priority: 1, Description: "Broker class"},
		),
		Cells: func(b *eventing.Broker) []any {
			var url string
			if b.Status.Address != nil {
				url = resource.StringOrEmpty(b.Status.Address.URL)
			}
			cells := append([]any{url, resource.AgeCell(b.CreationTimestamp)}, resource.ReadyCells(&b.Status.Status)...)
			return append(cells, b.Annotations[eventing.BrokerClassAnnotation])
		},
	}
}
