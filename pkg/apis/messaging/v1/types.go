package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Channel is a channel whose implementation is picked by its template (by
// default an InMemoryChannel): the Channel creates a backing channel of that
// kind and mirrors its address and status.
type Channel struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// Spec defines the desired state of the Channel.
	// +optional
	Spec ChannelSpec `json:"spec,omitempty"`
	// Status represents the current state of the Channel. This data may be
	// out of date.
	// +optional
	Status ChannelStatus `json:"status,omitempty"`
}

// ChannelSpec is the template of the backing channel plus the shape every
// channel shares.
type ChannelSpec struct {
	// ChannelTemplate specifies which channel kind backs this Channel. It is
	// immutable; when left out, the server fills in the default channel.
	// +optional
	ChannelTemplate *duckv1.ChannelTemplateSpec `json:"channelTemplate,omitempty"`

	duckv1.ChannelableSpec `json:",inline"`
}

// ChannelStatus is the status every channel shares plus a reference to the
// backing channel.
type ChannelStatus struct {
	duckv1.ChannelableStatus `json:",inline"`
	// Channel is a reference to the channel backing this Channel.
	// +optional
	Channel *duckv1.KReference `json:"channel,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ChannelList is a list of Channels.
type ChannelList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Channel `json:"items"`
}

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// InMemoryChannel is a best-effort channel that keeps events in memory only.
type InMemoryChannel struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// Spec defines the desired state of the InMemoryChannel.
	// +optional
	Spec InMemoryChannelSpec `json:"spec,omitempty"`
	// Status represents the current state of the InMemoryChannel. This data
	// may be out of date.
	// +optional
	Status InMemoryChannelStatus `json:"status,omitempty"`
}

// InMemoryChannelSpec lists the subscribers of an InMemoryChannel and its
// delivery options.
type InMemoryChannelSpec struct {
	duckv1.ChannelableSpec `json:",inline"`
}

// InMemoryChannelStatus is the status every channel shares.
type InMemoryChannelStatus struct {
	duckv1.ChannelableStatus `json:",inline"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// InMemoryChannelList is a list of InMemoryChannels.
type InMemoryChannelList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []InMemoryChannel `json:"items"`
}

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Subscription routes the events of a channel to a subscriber, and the
// subscriber's replies to a reply destination.
type Subscription struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// Spec defines the desired state of the Subscription.
	// +optional
	Spec SubscriptionSpec `json:"spec,omitempty"`
	// Status represents the current state of the Subscription.
	// +optional
	Status SubscriptionStatus `json:"status,omitempty"`
}

// SubscriptionSpec names the channel events come from, the subscriber that
// processes them, where the subscriber's replies go, and how delivery is
// retried.
type SubscriptionSpec struct {
	// Channel is the channel to subscribe to, by apiVersion, kind and name
	// (in the Subscription's namespace). It is immutable: delete and
	// recreate the Subscription to read from another channel.
	Channel duckv1.KReference `json:"channel"`
	// Subscriber is where the channel's events are delivered.
	// +optional
	Subscriber *duckv1.Destination `json:"subscriber,omitempty"`
	// Reply is where the subscriber's replies are sent.
	// +optional
	Reply *duckv1.Destination `json:"reply,omitempty"`
	// Delivery configures retries and the dead letter sink.
	// +optional
	Delivery *duckv1.DeliverySpec `json:"delivery,omitempty"`
}

// SubscriptionStatusPhysicalSubscription holds the resolved addresses of a
// Subscription's destinations.
type SubscriptionStatusPhysicalSubscription struct {
	// SubscriberURI is the resolved URI of spec.subscriber.
	// +optional
	SubscriberURI *string `json:"subscriberUri,omitempty"`
	// SubscriberCACerts are the CA certificates of spec.subscriber.
	// +optional
	SubscriberCACerts *string `json:"subscriberCACerts,omitempty"`
	// SubscriberAudience is the OIDC audience of spec.subscriber.
	// +optional
	SubscriberAudience *string `json:"subscriberAudience,omitempty"`
	// ReplyURI is the resolved URI of spec.reply.
	// +optional
	ReplyURI *string `json:"replyUri,omitempty"`
	// ReplyCACerts are the CA certificates of spec.reply.
	// +optional
	ReplyCACerts *string `json:"replyCACerts,omitempty"`
	// ReplyAudience is the OIDC audience of spec.reply.
	// +optional
	ReplyAudience *string `json:"replyAudience,omitempty"`

	// DeliveryStatus holds the resolved dead letter sink.
	duckv1.DeliveryStatus `json:",inline"`
}

// SubscriptionStatus is the observed state of a Subscription.
type SubscriptionStatus struct {
	duckv1.Status `json:",inline"`
	// PhysicalSubscription is the fully resolved values that this
	// Subscription represents.
	// +optional
	PhysicalSubscription SubscriptionStatusPhysicalSubscription `json:"physicalSubscription,omitempty"`
	// Auth provides the relevant information for OIDC authentication.
	// +optional
	Auth *duckv1.AuthStatus `json:"auth,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// SubscriptionList is a list of Subscriptions.
type SubscriptionList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata"`
	Items           []Subscription `json:"items"`
}
