package eventing

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Broker collects a pool of events that Triggers deliver to subscribers.
type Broker struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// +optional
	Spec BrokerSpec `json:"spec,omitempty"`
	// +optional
	Status BrokerStatus `json:"status,omitempty"`
}

// BrokerSpec configures a Broker.
type BrokerSpec struct {
	// Config points at the class-specific configuration of the Broker.
	// +optional
	Config *duckv1.KReference `json:"config,omitempty"`
	// Delivery is the delivery spec of the Broker's Triggers unless a
	// Trigger has its own.
	// +optional
	Delivery *duckv1.DeliverySpec `json:"delivery,omitempty"`
}

// BrokerStatus is the observed state of a Broker.
type BrokerStatus struct {
	duckv1.Status         `json:",inline"`
	duckv1.AddressStatus  `json:",inline"`
	duckv1.DeliveryStatus `json:",inline"`
	// Policies are the EventPolicies that apply to the Broker.
	// +optional
	Policies []duckv1.AppliedEventPolicyRef `json:"policies,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// BrokerList is a list of Brokers.
type BrokerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata"`
	Items           []Broker `json:"items"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Trigger asks for the events of a Broker that pass its filters to be
// delivered to a subscriber.
type Trigger struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// +optional
	Spec TriggerSpec `json:"spec,omitempty"`
	// +optional
	Status TriggerStatus `json:"status,omitempty"`
}

// TriggerSpec says which events go where.
type TriggerSpec struct {
	// Broker is the name of the Broker, in the Trigger's namespace.
	// +optional
	Broker string `json:"broker,omitempty"`
	// BrokerRef references the Broker instead of Broker.
	// +optional
	BrokerRef *duckv1.KReference `json:"brokerRef,omitempty"`
	// Filter selects events by exact attribute values.
	// +optional
	Filter *TriggerFilter `json:"filter,omitempty"`
	// Filters are CloudEvents Subscriptions API filter expressions; an event
	// must pass all of them. When set, Filter is ignored.
	// +optional
	Filters []duckv1.SubscriptionsAPIFilter `json:"filters,omitempty"`
	// Subscriber receives the events that pass the filters.
	Subscriber duckv1.Destination `json:"subscriber"`
	// Delivery overrides the Broker's delivery spec for this Trigger.
	// +optional
	Delivery *duckv1.DeliverySpec `json:"delivery,omitempty"`
}

// TriggerFilter selects events by attribute.
type TriggerFilter struct {
	// Attributes map CloudEvents attribute names to the value they must have;
	// "" means any value, as long as the attribute is present.
	// +optional
	Attributes map[string]string `json:"attributes,omitempty"`
}

// TriggerStatus is the observed state of a Trigger.
type TriggerStatus struct {
	duckv1.Status `json:",inline"`
	// SubscriberURI is the resolved address of the subscriber.
	// +optional
	SubscriberURI *string `json:"subscriberUri,omitempty"`
	// SubscriberCACerts are the CA certificates of the subscriber.
	// +optional
	SubscriberCACerts *string `json:"subscriberCACerts,omitempty"`
	// SubscriberAudience is the OIDC audience of the subscriber.
	// +optional
	SubscriberAudience    *string `json:"subscriberAudience,omitempty"`
	duckv1.DeliveryStatus `json:",inline"`
	// Auth is the identity the Trigger delivers events with.
	// +optional
	Auth *duckv1.AuthStatus `json:"auth,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// TriggerList is a list of Triggers.
type TriggerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata"`
	Items           []Trigger `json:"items"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// EventType describes a type of event that can be consumed from a Broker or
// another addressable.
type EventType struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// +optional
	Spec EventTypeSpec `json:"spec,omitempty"`
	// +optional
	Status EventTypeStatus `json:"status,omitempty"`
}

// EventTypeSpec describes the events.
type EventTypeSpec struct {
	// Type is the CloudEvents type.
	Type string `json:"type"`
	// Source is the CloudEvents source, a URI.
	// +optional
	Source *string `json:"source,omitempty"`
	// Schema is the CloudEvents dataschema, a URI.
	// +optional
	Schema *string `json:"schema,omitempty"`
	// SchemaData is the schema itself.
	// +optional
	SchemaData string `json:"schemaData,omitempty"`
	// Broker names the Broker offering the events (deprecated: use Reference).
	// +optional
	Broker string `json:"broker,omitempty"`
	// Reference points at the addressable offering the events.
	// +optional
	Reference *duckv1.KReference `json:"reference,omitempty"`
	// Description says what the events mean.
	// +optional
	Description string `json:"description,omitempty"`
}

// EventTypeStatus is the observed state of an EventType.
type EventTypeStatus struct {
	duckv1.Status `json:",inline"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// EventTypeList is a list of EventTypes.
type EventTypeList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata"`
	Items           []EventType `json:"items"`
}
