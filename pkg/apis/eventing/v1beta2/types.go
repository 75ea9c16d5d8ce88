package v1beta2

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// EventType represents a type of event that can be consumed from a Broker.
type EventType struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// Spec defines the desired state of the EventType.
	// +optional
	Spec EventTypeSpec `json:"spec,omitempty"`
	// Status represents the current state of the EventType. This data may be
	// out of date.
	// +optional
	Status EventTypeStatus `json:"status,omitempty"`
}

// EventTypeSpec defines the desired state of an EventType.
type EventTypeSpec struct {
	// Type represents the CloudEvents type. It is authoritative.
	Type string `json:"type"`
	// Source is a URI, it represents the CloudEvents source.
	// +optional
	Source *string `json:"source,omitempty"`
	// Schema is a URI, it represents the CloudEvents schemaurl extension
	// attribute. It may be a JSON schema, a protobuf schema, etc. It is
	// optional.
	// +optional
	Schema *string `json:"schema,omitempty"`
	// SchemaData allows the CloudEvents schema to be stored directly in the
	// EventType. Content is dependent on the encoding. Optional attribute.
	// The contents are not validated or manipulated by the system.
	// +optional
	SchemaData string `json:"schemaData,omitempty"`
	// Broker refers to the Broker that can provide the EventType.
	// Deprecated: use reference.
	// +optional
	Broker string `json:"broker,omitempty"`
	// Reference is a KReference to the belonging addressable. For example,
	// this could be a pointer to a Broker.
	// +optional
	Reference *duckv1.KReference `json:"reference,omitempty"`
	// Description is an optional field used to describe the EventType, in any
	// meaningful way.
	// +optional
	Description string `json:"description,omitempty"`
}

// EventTypeStatus represents the current state of an EventType.
type EventTypeStatus struct {
	duckv1.Status `json:",inline"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// EventTypeList is a collection of EventTypes.
type EventTypeList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata"`
	Items           []EventType `json:"items"`
}
