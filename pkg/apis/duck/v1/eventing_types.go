package v1

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// KReference points at a Kubernetes object by kind, name and (optionally)
// namespace, as Knative's duck.KReference does.
type KReference struct {
	// Kind of the referent.
	Kind string `json:"kind"`
	// Namespace of the referent; defaults to the namespace of the object
	// holding the reference.
	// +optional
	Namespace string `json:"namespace,omitempty"`
	// Name of the referent.
	Name string `json:"name"`
	// APIVersion of the referent.
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// Group of the referent, used instead of APIVersion when the
	// kreference-group feature is on.
	// +optional
	Group string `json:"group,omitempty"`
	// Address points to a specific Address Name.
	// +optional
	Address *string `json:"address,omitempty"`
}

// Destination is where events are sent: an addressable object, a URI, or a
// URI relative to the object's address.
type Destination struct {
	// Ref points to an Addressable.
	// +optional
	Ref *KReference `json:"ref,omitempty"`
	// URI is an absolute URL when Ref is nil, or a path relative to Ref's URL.
	// +optional
	URI *string `json:"uri,omitempty"`
	// CACerts are the Certification Authority (CA) certificates in PEM format
	// that the source trusts when sending events to the sink.
	// +optional
	CACerts *string `json:"CACerts,omitempty"`
	// Audience is the OIDC audience of the destination.
	// +optional
	Audience *string `json:"audience,omitempty"`
}

// AddressStatus is the status of an Addressable: where it receives events.
type AddressStatus struct {
	// Address is a single Addressable address.
	// +optional
	Address *Addressable `json:"address,omitempty"`
	// Addresses is a list of addresses for different protocols (HTTP and
	// HTTPS); the first is the default.
	// +optional
	// +listType=atomic
	Addresses []Addressable `json:"addresses,omitempty"`
}

// CloudEventOverrides defines extension attributes a source adds to every
// event it sends.
type CloudEventOverrides struct {
	// Extensions to add to each event.
	// +optional
	Extensions map[string]string `json:"extensions,omitempty"`
}

// SourceSpec is the part of every source's spec that says where events go.
type SourceSpec struct {
	// Sink is where events are sent.
	Sink Destination `json:"sink,omitempty"`
	// CloudEventOverrides defines overrides to control the output format and
	// modifications of the event sent to the sink.
	// +optional
	CloudEventOverrides *CloudEventOverrides `json:"ceOverrides,omitempty"`
}

// CloudEventAttributes names the type and source of events a source emits.
type CloudEventAttributes struct {
	// Type refers to the CloudEvent type attribute.
	Type string `json:"type,omitempty"`
	// Source is the CloudEvents source attribute.
	Source string `json:"source,omitempty"`
}

// AuthStatus reports the identity an object sends events with.
type AuthStatus struct {
	// ServiceAccountName is the name of the generated service account used
	// for this component's OIDC authentication.
	// +optional
	ServiceAccountName *string `json:"serviceAccountName,omitempty"`
	// ServiceAccountNames is the list of names of the generated service
	// accounts used for this component's OIDC authentication.
	// +optional
	// +listType=atomic
	ServiceAccountNames []string `json:"serviceAccountNames,omitempty"`
}

// SourceStatus is the status every source shares.
type SourceStatus struct {
	Status `json:",inline"`
	// SinkURI is the current active sink URI that has been configured for
	// the source.
	// +optional
	SinkURI *string `json:"sinkUri,omitempty"`
	// CloudEventAttributes are the specific attributes that the source uses
	// as part of its CloudEvents.
	// +optional
	// +listType=atomic
	CloudEventAttributes []CloudEventAttributes `json:"ceAttributes,omitempty"`
	// Auth defines the attributes that provide the generated service account
	// name in the OIDC authentication.
	// +optional
	Auth *AuthStatus `json:"auth,omitempty"`
	// SinkCACerts are the Certification Authority (CA) certificates in PEM
	// format that the source trusts when sending events to the sink.
	// +optional
	SinkCACerts *string `json:"sinkCACerts,omitempty"`
	// SinkAudience is the OIDC audience of the sink.
	// +optional
	SinkAudience *string `json:"sinkAudience,omitempty"`
}

// SubscriptionsAPIFilter is a filter expression of the CloudEvents
// Subscriptions API. It has at most one dialect; an expression with none
// accepts every event.
type SubscriptionsAPIFilter struct {
	// All evaluates to true if all the nested expressions evaluate to true.
	// It must contain at least one filter expression.
	// +optional
	// +listType=atomic
	All []SubscriptionsAPIFilter `json:"all,omitempty"`
	// Any evaluates to true if at least one of the nested expressions
	// evaluates to true. It must contain at least one filter expression.
	// +optional
	// +listType=atomic
	Any []SubscriptionsAPIFilter `json:"any,omitempty"`
	// Not evaluates to true if the nested expression evaluates to false.
	// +optional
	Not *SubscriptionsAPIFilter `json:"not,omitempty"`
	// Exact evaluates to true if the value of the matching CloudEvents
	// attribute matches exactly the String value specified (case
	// sensitive). Exact must contain exactly one property, where the key is
	// the name of the CloudEvents attribute to be matched, and its value is
	// the String value to use in the comparison. The attribute name and value
	// cannot be empty strings.
	// +optional
	Exact map[string]string `json:"exact,omitempty"`
	// Prefix evaluates to true if the value of the matching CloudEvents
	// attribute starts with the String value specified (case sensitive).
	// Prefix must contain exactly one property, where the key is the name of
	// the CloudEvents attribute to be matched, and its value is the String
	// value to use in the comparison. The attribute name and value cannot be
	// empty strings.
	// +optional
	Prefix map[string]string `json:"prefix,omitempty"`
	// Suffix evaluates to true if the value of the matching CloudEvents
	// attribute ends with the String value specified (case sensitive).
	// Suffix must contain exactly one property, where the key is the name of
	// the CloudEvents attribute to be matched, and its value is the String
	// value to use in the comparison. The attribute name and value cannot be
	// empty strings.
	// +optional
	Suffix map[string]string `json:"suffix,omitempty"`
	// CESQL is a CloudEvents SQL expression that will be evaluated to true
	// or false against each CloudEvent.
	// +optional
	CESQL string `json:"cesql,omitempty"`
}

// BackoffPolicyType is how the delay between retries grows.
type BackoffPolicyType string

const (
	BackoffPolicyLinear      BackoffPolicyType = "linear"
	BackoffPolicyExponential BackoffPolicyType = "exponential"
)

// FormatType is the CloudEvents encoding used on delivery.
type FormatType string

const (
	DeliveryFormatJSON   FormatType = "json"
	DeliveryFormatBinary FormatType = "binary"
)

// DeliverySpec contains the delivery options for event senders.
type DeliverySpec struct {
	// DeadLetterSink is the sink receiving events that could not be sent to
	// a destination.
	// +optional
	DeadLetterSink *Destination `json:"deadLetterSink,omitempty"`
	// Retry is the minimum number of retries the sender should attempt when
	// sending an event before moving it to the dead letter sink.
	// +optional
	Retry *int32 `json:"retry,omitempty"`
	// Timeout is the timeout of each single request, an ISO-8601 duration
	// greater than 0.
	// +optional
	Timeout *string `json:"timeout,omitempty"`
	// BackoffPolicy is the retry backoff policy (linear, exponential).
	// +optional
	BackoffPolicy *BackoffPolicyType `json:"backoffPolicy,omitempty"`
	// BackoffDelay is the delay before retrying, an ISO-8601 duration. For
	// linear policy, backoff delay is backoffDelay*<numberOfRetries>; for
	// exponential policy, backoffDelay*2^<numberOfRetries>.
	// +optional
	BackoffDelay *string `json:"backoffDelay,omitempty"`
	// RetryAfterMax is an upper bound on a Retry-After header's duration
	// when retrying 429 and 503 responses (ISO-8601; needs the
	// delivery-retryafter feature).
	// +optional
	RetryAfterMax *string `json:"retryAfterMax,omitempty"`
	// Format is the event format on delivery: json (structured) or binary.
	// +optional
	Format *FormatType `json:"format,omitempty"`
}

// DeliveryStatus reports the resolved dead letter sink.
type DeliveryStatus struct {
	// DeadLetterSinkURI is the resolved URI of the dead letter sink.
	// +optional
	DeadLetterSinkURI *string `json:"deadLetterSinkUri,omitempty"`
	// DeadLetterSinkCACerts are the CA certificates of the dead letter sink.
	// +optional
	DeadLetterSinkCACerts *string `json:"deadLetterSinkCACerts,omitempty"`
	// DeadLetterSinkAudience is the OIDC audience of the dead letter sink.
	// +optional
	DeadLetterSinkAudience *string `json:"deadLetterSinkAudience,omitempty"`
}

// SubscriberSpec is one subscriber of a channel, as the Subscription
// controller writes it.
type SubscriberSpec struct {
	// Name of the subscriber, if any.
	// +optional
	Name *string `json:"name,omitempty"`
	// UID is used to understand the origin of the subscriber.
	// +optional
	UID types.UID `json:"uid,omitempty"`
	// Generation of the origin of the subscriber with uid:UID.
	// +optional
	Generation int64 `json:"generation,omitempty"`
	// SubscriberURI is the endpoint for the subscriber.
	// +optional
	SubscriberURI *string `json:"subscriberUri,omitempty"`
	// SubscriberCACerts are the CA certificates of the subscriber.
	// +optional
	SubscriberCACerts *string `json:"subscriberCACerts,omitempty"`
	// SubscriberAudience is the OIDC audience of the subscriber.
	// +optional
	SubscriberAudience *string `json:"subscriberAudience,omitempty"`
	// ReplyURI is the endpoint for the reply.
	// +optional
	ReplyURI *string `json:"replyUri,omitempty"`
	// ReplyCACerts are the CA certificates of the reply endpoint.
	// +optional
	ReplyCACerts *string `json:"replyCACerts,omitempty"`
	// ReplyAudience is the OIDC audience of the reply endpoint.
	// +optional
	ReplyAudience *string `json:"replyAudience,omitempty"`
	// Delivery contains options controlling the event delivery.
	// +optional
	Delivery *DeliverySpec `json:"delivery,omitempty"`
}

// SubscriberStatus is the readiness of one subscriber.
type SubscriberStatus struct {
	// UID is used to understand the origin of the subscriber.
	// +optional
	UID types.UID `json:"uid,omitempty"`
	// Generation of the origin of the subscriber with uid:UID.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Status of the subscriber.
	Ready corev1.ConditionStatus `json:"ready"`
	// A human readable message indicating details of Ready status.
	// +optional
	Message string `json:"message,omitempty"`
	// Auth provides the relevant information for OIDC authentication.
	// +optional
	Auth *AuthStatus `json:"auth,omitempty"`
}

// SubscribableSpec lists a channel's subscribers.
type SubscribableSpec struct {
	// Subscribers is a list of subscribers to the channel.
	// +optional
	// +listType=atomic
	Subscribers []SubscriberSpec `json:"subscribers,omitempty"`
}

// SubscribableStatus reports each subscriber's readiness.
type SubscribableStatus struct {
	// Subscribers is populated with the statuses of each of the Channelable's
	// subscribers.
	// +optional
	// +listType=atomic
	Subscribers []SubscriberStatus `json:"subscribers,omitempty"`
}

// AppliedEventPolicyRef is an EventPolicy that applies to an object.
type AppliedEventPolicyRef struct {
	// APIVersion of the applied EventPolicy.
	APIVersion string `json:"apiVersion,omitempty"`
	// Name of the applied EventPolicy.
	Name string `json:"name,omitempty"`
}

// ChannelTemplateSpec says which kind of channel backs a Channel, Sequence
// or Parallel, and with which spec.
type ChannelTemplateSpec struct {
	// APIVersion of the channel kind, e.g. messaging.knative.dev/v1. A plain
	// field, not an embedded metav1.TypeMeta: conversion drops TypeMeta,
	// which only describes top-level objects.
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// Kind of the backing channel, e.g. InMemoryChannel.
	// +optional
	Kind string `json:"kind,omitempty"`
	// Spec is passed verbatim as the spec of the backing channel.
	// +optional
	Spec *runtime.RawExtension `json:"spec,omitempty"`
}

// ChannelableSpec is the spec every channel shares.
type ChannelableSpec struct {
	SubscribableSpec `json:",inline"`
	// Delivery options.
	// +optional
	Delivery *DeliverySpec `json:"delivery,omitempty"`
}

// ChannelableStatus is the status every channel shares.
type ChannelableStatus struct {
	Status             `json:",inline"`
	AddressStatus      `json:",inline"`
	SubscribableStatus `json:",inline"`
	DeliveryStatus     `json:",inline"`
	// Policies is the list of EventPolicies that apply to this channel.
	// +optional
	// +listType=atomic
	Policies []AppliedEventPolicyRef `json:"policies,omitempty"`
}

// DefaultNamespace points a reference without a namespace at ns, the
// namespace of the object holding the destination, as Knative's defaulting
// does.
func (d *Destination) DefaultNamespace(ns string) {
	if d != nil {
		d.Ref.DefaultNamespace(ns)
	}
}

// DefaultNamespace gives a reference without a namespace ns.
func (r *KReference) DefaultNamespace(ns string) {
	if r != nil && r.Namespace == "" {
		r.Namespace = ns
	}
}

// DefaultNamespace defaults the dead letter sink's reference namespace.
func (d *DeliverySpec) DefaultNamespace(ns string) {
	if d != nil {
		d.DeadLetterSink.DefaultNamespace(ns)
	}
}
