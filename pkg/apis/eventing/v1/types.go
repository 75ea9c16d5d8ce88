package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Broker collects a pool of events that are consumable using Triggers.
// Brokers provide a well-known endpoint for event delivery that senders can
// use with minimal knowledge of the event routing strategy. Subscribers use
// Triggers to request delivery of events from a Broker's pool to a specific
// URL or Addressable endpoint.
type Broker struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// Spec defines the desired state of the Broker.
	// +optional
	Spec BrokerSpec `json:"spec,omitempty"`
	// Status represents the current state of the Broker. This data may be out
	// of date.
	// +optional
	Status BrokerStatus `json:"status,omitempty"`
}

// BrokerSpec defines the desired state of a Broker.
type BrokerSpec struct {
	// Config is a KReference to the configuration that specifies
	// configuration options for this Broker. For example, this could be a
	// pointer to a ConfigMap.
	// +optional
	Config *duckv1.KReference `json:"config,omitempty"`
	// Delivery contains the delivery spec for each trigger to this Broker.
	// Each trigger delivery spec, if any, overrides this global delivery spec.
	// +optional
	Delivery *duckv1.DeliverySpec `json:"delivery,omitempty"`
}

// BrokerStatus represents the current state of a Broker.
type BrokerStatus struct {
	duckv1.Status `json:",inline"`
	// AddressStatus is where the Broker receives events: the endpoint of
	// the Broker mesh.
	duckv1.AddressStatus `json:",inline"`
	// DeliveryStatus contains the resolved dead letter sink of the Broker.
	duckv1.DeliveryStatus `json:",inline"`
	// Policies is the list of EventPolicies that apply to this Broker.
	// +optional
	// +listType=atomic
	Policies []duckv1.AppliedEventPolicyRef `json:"policies,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// BrokerList is a collection of Brokers.
type BrokerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata"`
	Items           []Broker `json:"items"`
}

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Trigger represents a request to have events delivered to a subscriber from
// a Broker's event pool.
type Trigger struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// Spec defines the desired state of the Trigger.
	// +optional
	Spec TriggerSpec `json:"spec,omitempty"`
	// Status represents the current state of the Trigger. This data may be
	// out of date.
	// +optional
	Status TriggerStatus `json:"status,omitempty"`
}

// TriggerSpec defines the desired state of a Trigger.
type TriggerSpec struct {
	// Broker is the broker that this trigger receives events from.
	// +optional
	Broker string `json:"broker,omitempty"`
	// BrokerRef is a reference to the broker this trigger receives events
	// from, used instead of broker. A Broker in another namespace needs the
	// cross-namespace-event-links feature, which is disabled.
	// +optional
	BrokerRef *duckv1.KReference `json:"brokerRef,omitempty"`
	// Filter is the filter to apply against all events from the Broker. Only
	// events that pass this filter will be sent to the Subscriber. If not
	// specified, will default to allowing all events.
	// +optional
	Filter *TriggerFilter `json:"filter,omitempty"`
	// Filters is a list of filter expressions of the CloudEvents
	// Subscriptions API. An event is delivered only when every expression
	// evaluates to true; absence of filters or an empty list passes every
	// event. When set, filter is ignored.
	// +optional
	// +listType=atomic
	Filters []duckv1.SubscriptionsAPIFilter `json:"filters,omitempty"`
	// Subscriber is the addressable that receives events from the Broker that
	// pass the Filter. It is required.
	Subscriber duckv1.Destination `json:"subscriber"`
	// Delivery contains the delivery spec for this specific trigger.
	// +optional
	Delivery *duckv1.DeliverySpec `json:"delivery,omitempty"`
}

// TriggerFilter filters events by exact match on event context attributes.
type TriggerFilter struct {
	// Attributes filters events by exact match on event context attributes.
	// Each key in the map is compared with the equivalent key in the event
	// context. An event passes the filter if all values are equal to the
	// specified values; the value "" matches any value of a present
	// attribute. Nested context attributes are not supported as keys. Only
	// string values are supported.
	// +optional
	Attributes map[string]string `json:"attributes,omitempty"`
}

// TriggerStatus represents the current state of a Trigger.
type TriggerStatus struct {
	duckv1.Status `json:",inline"`
	// SubscriberURI is the resolved URI of the receiver for this Trigger.
	// +optional
	SubscriberURI *string `json:"subscriberUri,omitempty"`
	// SubscriberCACerts are the Certification Authority (CA) certificates in
	// PEM format that the Trigger trusts when sending events to the
	// subscriber.
	// +optional
	SubscriberCACerts *string `json:"subscriberCACerts,omitempty"`
	// SubscriberAudience is the OIDC audience of the subscriber.
	// +optional
	SubscriberAudience *string `json:"subscriberAudience,omitempty"`
	// DeliveryStatus contains the resolved dead letter sink of the Trigger.
	duckv1.DeliveryStatus `json:",inline"`
	// Auth provides the relevant information for OIDC authentication.
	// +optional
	Auth *duckv1.AuthStatus `json:"auth,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// TriggerList is a collection of Triggers.
type TriggerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata"`
	Items           []Trigger `json:"items"`
}
