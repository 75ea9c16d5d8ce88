// Package defaults applies Knative Eventing's defaults to the internal
// eventing types.
//
// Defaults depend on the object's namespace and, for updates, are applied
// by the registry strategies from PrepareForCreate and PrepareForUpdate
// rather than as scheme defaulter functions. Values are those of Knative
// Eventing with its shipped config-br-defaults and config-features.
package defaults

import (
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/eventing"
)

// BrokerDelivery is the delivery a Broker gets when it has none: the
// clusterDefault of Knative's shipped config-br-defaults.
func BrokerDelivery() *duckv1.DeliverySpec {
	return &duckv1.DeliverySpec{
		Retry:         ptr.To[int32](10),
		BackoffPolicy: ptr.To(duckv1.BackoffPolicyExponential),
		BackoffDelay:  ptr.To("PT0.2S"),
	}
}

// Broker defaults b; old is nil on create and the stored object on update.
// Eventing stamps no user information, so the user is unused.
func Broker(b, _ *eventing.Broker, _ string) {
	// Only a missing annotation is defaulted: an empty class is left for
	// validation to refuse, as Knative does.
	if _, ok := b.Annotations[eventing.BrokerClassAnnotation]; !ok {
		if b.Annotations == nil {
			b.Annotations = map[string]string{}
		}
		b.Annotations[eventing.BrokerClassAnnotation] = eventing.MTChannelBasedBrokerClass
	}
	// A delivery given in part is kept as given, not merged with the default.
	if b.Spec.Delivery == nil {
		b.Spec.Delivery = BrokerDelivery()
	}
	b.Spec.Config.DefaultNamespace(b.Namespace)
	b.Spec.Delivery.DefaultNamespace(b.Namespace)
}

// Trigger defaults t; old is nil on create and the stored object on update.
func Trigger(t, _ *eventing.Trigger, _ string) {
	// No filter means every event: make that explicit.
	if t.Spec.Filter == nil {
		t.Spec.Filter = &eventing.TriggerFilter{}
	}
	t.Spec.Subscriber.DefaultNamespace(t.Namespace)
	t.Spec.Delivery.DefaultNamespace(t.Namespace)
	// The label lets the Broker's dispatcher list its Triggers.
	if t.Spec.Broker != "" {
		if t.Labels == nil {
			t.Labels = map[string]string{}
		}
		t.Labels[eventing.BrokerLabel] = t.Spec.Broker
	}
}

// EventType defaults e; old is nil on create and the stored object on update.
func EventType(e, _ *eventing.EventType, _ string) {
	e.Spec.Reference.DefaultNamespace(e.Namespace)
	// Knative's URL type decodes "" as no URL at all.
	if e.Spec.Source != nil && *e.Spec.Source == "" {
		e.Spec.Source = nil
	}
	if e.Spec.Schema != nil && *e.Spec.Schema == "" {
		e.Spec.Schema = nil
	}
}
