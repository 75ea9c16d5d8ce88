package messaging

import duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"

// Field selectors Subscriptions support beyond metadata.name,
// metadata.namespace and status.ready: the channel they read from.
const (
	FieldChannelName = "spec.channel.name"
	FieldChannelKind = "spec.channel.kind"
)

// Annotations Knative puts on messaging objects.
const (
	// CreatorAnnotation and UpdaterAnnotation record who created an object
	// and who last changed its spec, as Knative's webhook does for every
	// kind with a spec.
	CreatorAnnotation = GroupName + "/creator"
	UpdaterAnnotation = GroupName + "/lastModifier"
	// SubscribableDuckVersionAnnotation names the version of the
	// Subscribable duck shape a channel implements.
	SubscribableDuckVersionAnnotation = GroupName + "/subscribable"
	// SubscribableDuckVersion is the only version knap implements.
	SubscribableDuckVersion = "v1"
	// ScopeAnnotation says whether an InMemoryChannel is served by the
	// cluster-wide dispatcher or a namespaced one.
	ScopeAnnotation = "eventing.knative.dev/scope"
	ScopeCluster    = "cluster"
	ScopeNamespace  = "namespace"
)

// The channel a Channel is backed by when it names none: Knative's
// default-ch-webhook ConfigMap as shipped.
const (
	DefaultChannelTemplateAPIVersion = "messaging.knative.dev/v1"
	DefaultChannelTemplateKind       = "InMemoryChannel"
)

// Condition types the messaging controllers report besides Ready, as
// Knative Eventing's do.
const (
	// Channel.
	ChannelConditionBackingChannelReady    duckv1.ConditionType = "BackingChannelReady"
	ChannelConditionAddressable            duckv1.ConditionType = "Addressable"
	ChannelConditionDeadLetterSinkResolved duckv1.ConditionType = "DeadLetterSinkResolved"
	ChannelConditionEventPoliciesReady     duckv1.ConditionType = "EventPoliciesReady"

	// InMemoryChannel.
	InMemoryChannelConditionDispatcherReady        duckv1.ConditionType = "DispatcherReady"
	InMemoryChannelConditionServiceReady           duckv1.ConditionType = "ServiceReady"
	InMemoryChannelConditionEndpointsReady         duckv1.ConditionType = "EndpointsReady"
	InMemoryChannelConditionAddressable            duckv1.ConditionType = "Addressable"
	InMemoryChannelConditionChannelServiceReady    duckv1.ConditionType = "ChannelServiceReady"
	InMemoryChannelConditionDeadLetterSinkResolved duckv1.ConditionType = "DeadLetterSinkResolved"
	InMemoryChannelConditionEventPoliciesReady     duckv1.ConditionType = "EventPoliciesReady"

	// Subscription.
	SubscriptionConditionReferencesResolved  duckv1.ConditionType = "ReferencesResolved"
	SubscriptionConditionAddedToChannel      duckv1.ConditionType = "AddedToChannel"
	SubscriptionConditionChannelReady        duckv1.ConditionType = "ChannelReady"
	SubscriptionConditionOIDCIdentityCreated duckv1.ConditionType = "OIDCIdentityCreated"
)
