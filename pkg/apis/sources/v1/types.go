package v1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// PingSource sends an event with a fixed payload to its sink on a cron schedule.
type PingSource struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// +optional
	Spec PingSourceSpec `json:"spec,omitempty"`
	// +optional
	Status PingSourceStatus `json:"status,omitempty"`
}

// PingSourceSpec is what a PingSource sends, when, and where.
type PingSourceSpec struct {
	// SourceSpec holds the sink events go to and the CloudEvent overrides.
	duckv1.SourceSpec `json:",inline"`
	// Schedule is a standard five-field cron schedule. Defaults to `* * * * *`.
	// +optional
	Schedule string `json:"schedule,omitempty"`
	// Timezone is the IANA time zone the schedule is read in, e.g.
	// Europe/Paris. Defaults to the system time zone.
	// +optional
	Timezone string `json:"timezone,omitempty"`
	// ContentType is the media type of data or dataBase64. Default is empty.
	// +optional
	ContentType string `json:"contentType,omitempty"`
	// Data is the body of each event, as text. Mutually exclusive with dataBase64.
	// +optional
	Data string `json:"data,omitempty"`
	// DataBase64 is the body of each event, base64-encoded. Mutually
	// exclusive with data.
	// +optional
	DataBase64 string `json:"dataBase64,omitempty"`
}

// PingSourceStatus is the observed state of a PingSource.
type PingSourceStatus struct {
	duckv1.SourceStatus `json:",inline"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// PingSourceList is a list of PingSources.
type PingSourceList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []PingSource `json:"items"`
}

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ApiServerSource sends events for changes of Kubernetes objects it watches.
type ApiServerSource struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// +optional
	Spec ApiServerSourceSpec `json:"spec,omitempty"`
	// +optional
	Status ApiServerSourceStatus `json:"status,omitempty"`
}

// ApiServerSourceSpec says which objects an ApiServerSource watches and
// what it sends.
type ApiServerSourceSpec struct {
	// SourceSpec holds the sink events go to and the CloudEvent overrides.
	duckv1.SourceSpec `json:",inline"`
	// Resources are the kinds of objects to watch, each with an optional
	// label selector. At least one is required.
	// +required
	// +listType=atomic
	Resources []APIVersionKindSelector `json:"resources,omitempty"`
	// Owner restricts events to objects owned by an object of this
	// kind.
	// +optional
	Owner *APIVersionKind `json:"owner,omitempty"`
	// Mode is the format of the events: Reference sends a reference to
	// the object, Resource sends the whole object. Defaults to Reference.
	// +optional
	Mode string `json:"mode,omitempty"`
	// ServiceAccountName is the service account the source watches with.
	// Defaults to default.
	// +optional
	ServiceAccountName string `json:"serviceAccountName,omitempty"`
	// NamespaceSelector selects the namespaces to watch; without it, only
	// the source's own namespace is watched.
	// +optional
	NamespaceSelector *metav1.LabelSelector `json:"namespaceSelector,omitempty"`
	// Filters are CloudEvents Subscriptions API filter expressions an event
	// must all pass to be sent. They need the new-apiserver-filters feature,
	// which is disabled.
	// +optional
	// +listType=atomic
	Filters []duckv1.SubscriptionsAPIFilter `json:"filters,omitempty"`
}

// APIVersionKind names a kind of object.
type APIVersionKind struct {
	// APIVersion of the kind, e.g. apps/v1.
	APIVersion string `json:"apiVersion"`
	// Kind of object, e.g. Deployment.
	Kind string `json:"kind"`
}

// APIVersionKindSelector names a kind of object and selects objects of it
// by label.
type APIVersionKindSelector struct {
	// APIVersion of the kind, e.g. apps/v1.
	APIVersion string `json:"apiVersion"`
	// Kind of object, e.g. Deployment.
	Kind string `json:"kind"`
	// Selector restricts the source to objects with matching labels.
	// +optional
	Selector *metav1.LabelSelector `json:"selector,omitempty"`
}

// ApiServerSourceStatus is the observed state of an ApiServerSource.
type ApiServerSourceStatus struct {
	duckv1.SourceStatus `json:",inline"`
	// Namespaces are the namespaces the source currently watches.
	// +optional
	// +listType=atomic
	Namespaces []string `json:"namespaces"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ApiServerSourceList is a list of ApiServerSources.
type ApiServerSourceList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ApiServerSource `json:"items"`
}

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// SinkBinding is a Source that binds a sink to the pods of other objects: it
// resolves its sink to a URL and injects it, as K_SINK, into the pod
// template of its subject.
type SinkBinding struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// +optional
	Spec SinkBindingSpec `json:"spec,omitempty"`
	// +optional
	Status SinkBindingStatus `json:"status,omitempty"`
}

// SinkBindingSpec is the sink and the objects it is bound to.
type SinkBindingSpec struct {
	// SourceSpec holds the sink events go to and the CloudEvent overrides.
	duckv1.SourceSpec `json:",inline"`
	// Subject is the object, or the objects selected by label, whose pod
	// template gets the sink.
	Subject Reference `json:"subject"`
}

// Reference points at an object by name, or at objects by label selector.
type Reference struct {
	// APIVersion of the referent.
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// Kind of the referent.
	// +optional
	Kind string `json:"kind,omitempty"`
	// Namespace of the referent; defaults to the binding's own.
	// +optional
	Namespace string `json:"namespace,omitempty"`
	// Name of the referent. Mutually exclusive with Selector.
	// +optional
	Name string `json:"name,omitempty"`
	// Selector of the referents. Mutually exclusive with Name.
	// +optional
	Selector *metav1.LabelSelector `json:"selector,omitempty"`
}

// SinkBindingStatus is the observed state of a SinkBinding.
type SinkBindingStatus struct {
	duckv1.SourceStatus `json:",inline"`
	// OIDCTokenSecretName is the name of the secret holding the binding's
	// OIDC token.
	// +optional
	OIDCTokenSecretName *string `json:"oidcTokenSecretName,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// SinkBindingList is a list of SinkBindings.
type SinkBindingList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []SinkBinding `json:"items"`
}

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ContainerSource runs a container image that produces events and sends
// them to the sink it is given in K_SINK.
type ContainerSource struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// +optional
	Spec ContainerSourceSpec `json:"spec,omitempty"`
	// +optional
	Status ContainerSourceStatus `json:"status,omitempty"`
}

// ContainerSourceSpec is the pod to run and the sink it sends to.
type ContainerSourceSpec struct {
	// SourceSpec holds the sink events go to and the CloudEvent overrides.
	duckv1.SourceSpec `json:",inline"`
	// Template describes the pods that will be created.
	Template corev1.PodTemplateSpec `json:"template"`
}

// ContainerSourceStatus is the observed state of a ContainerSource.
type ContainerSourceStatus struct {
	duckv1.SourceStatus `json:",inline"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ContainerSourceList is a list of ContainerSources.
type ContainerSourceList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ContainerSource `json:"items"`
}
