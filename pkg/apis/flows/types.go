package flows

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Sequence wires a list of subscribers in series: each step's reply is the
// next step's input, through a Channel and a Subscription per step.
type Sequence struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// Spec defines the desired state of the Sequence.
	// +optional
	Spec SequenceSpec `json:"spec,omitempty"`
	// Status represents the current state of the Sequence. This data may be
	// out of date.
	// +optional
	Status SequenceStatus `json:"status,omitempty"`
}

// SequenceSpec is the desired state of a Sequence.
type SequenceSpec struct {
	// Steps is the list of Destinations (processors / functions) that will be
	// called in the order provided. Each step has its own delivery options.
	// +listType=atomic
	Steps []SequenceStep `json:"steps"`
	// ChannelTemplate specifies which Channel CRD to use. If left unspecified,
	// it is set to the default Channel CRD for the namespace (or cluster, in
	// case there are no defaults for the namespace).
	// +optional
	ChannelTemplate *duckv1.ChannelTemplateSpec `json:"channelTemplate,omitempty"`
	// Reply is a Reference to where the result of the last Subscriber gets
	// sent to.
	// +optional
	Reply *duckv1.Destination `json:"reply,omitempty"`
}

// SequenceStep is one subscriber of a Sequence.
type SequenceStep struct {
	// Subscriber receiving the step event.
	duckv1.Destination `json:",inline"`
	// Delivery is the delivery specification for events to the subscriber.
	// This includes things like retries, DLS, etc.
	// +optional
	Delivery *duckv1.DeliverySpec `json:"delivery,omitempty"`
}

// SequenceChannelStatus is the readiness of one channel of a Sequence.
type SequenceChannelStatus struct {
	// Channel is the reference to the underlying channel.
	// +optional
	Channel corev1.ObjectReference `json:"channel"`
	// ReadyCondition indicates whether the Channel is ready or not.
	// +optional
	ReadyCondition duckv1.Condition `json:"ready"`
}

// SequenceSubscriptionStatus is the readiness of one subscription of a
// Sequence.
type SequenceSubscriptionStatus struct {
	// Subscription is the reference to the underlying Subscription.
	// +optional
	Subscription corev1.ObjectReference `json:"subscription"`
	// ReadyCondition indicates whether the Subscription is ready or not.
	// +optional
	ReadyCondition duckv1.Condition `json:"ready"`
}

// SequenceStatus represents the current state of a Sequence.
type SequenceStatus struct {
	duckv1.Status `json:",inline"`
	// SubscriptionStatuses is an array of corresponding Subscription statuses.
	// Matches the Spec.Steps array in the order.
	// +optional
	// +listType=atomic
	SubscriptionStatuses []SequenceSubscriptionStatus `json:"subscriptionStatuses,omitempty"`
	// ChannelStatuses is an array of corresponding Channel statuses.
	// Matches the Spec.Steps array in the order.
	// +optional
	// +listType=atomic
	ChannelStatuses []SequenceChannelStatus `json:"channelStatuses,omitempty"`
	// Address is the starting point to this Sequence. Sending to this
	// will target the first subscriber.
	// +optional
	Address duckv1.Addressable `json:"address,omitempty"`
	// Auth provides the relevant information for OIDC authentication.
	// +optional
	Auth *duckv1.AuthStatus `json:"auth,omitempty"`
	// Policies is the list of EventPolicies that apply to this Sequence.
	// +optional
	// +listType=atomic
	Policies []duckv1.AppliedEventPolicyRef `json:"policies,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// SequenceList is a list of Sequences.
type SequenceList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Sequence `json:"items"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Parallel fans events out to branches: each branch's filter decides whether
// its subscriber gets the event, through Channels and Subscriptions.
type Parallel struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// Spec defines the desired state of the Parallel.
	// +optional
	Spec ParallelSpec `json:"spec,omitempty"`
	// Status represents the current state of the Parallel. This data may be
	// out of date.
	// +optional
	Status ParallelStatus `json:"status,omitempty"`
}

// ParallelSpec is the desired state of a Parallel.
type ParallelSpec struct {
	// Branches is the list of Filter/Subscribers pairs.
	// +listType=atomic
	Branches []ParallelBranch `json:"branches"`
	// ChannelTemplate specifies which Channel CRD to use. If left unspecified,
	// it is set to the default Channel CRD for the namespace (or cluster, in
	// case there are no defaults for the namespace).
	// +optional
	ChannelTemplate *duckv1.ChannelTemplateSpec `json:"channelTemplate"`
	// Reply is a Reference to where the result of a case Subscriber gets sent
	// to when the case does not have a Reply.
	// +optional
	Reply *duckv1.Destination `json:"reply,omitempty"`
}

// ParallelBranch is one filter and subscriber pair of a Parallel.
type ParallelBranch struct {
	// Filter is the expression guarding the branch.
	// +optional
	Filter *duckv1.Destination `json:"filter,omitempty"`
	// Subscriber receiving the event when the filter passes.
	Subscriber duckv1.Destination `json:"subscriber"`
	// Reply is a Reference to where the result of Subscriber of this case
	// gets sent to. If not specified, sent the result to the Parallel Reply.
	// +optional
	Reply *duckv1.Destination `json:"reply,omitempty"`
	// Delivery is the delivery specification for events to the subscriber.
	// This includes things like retries, DLS, etc.
	// +optional
	Delivery *duckv1.DeliverySpec `json:"delivery,omitempty"`
}

// ParallelStatus represents the current state of a Parallel.
type ParallelStatus struct {
	duckv1.Status `json:",inline"`
	// IngressChannelStatus corresponds to the ingress channel status.
	// +optional
	IngressChannelStatus ParallelChannelStatus `json:"ingressChannelStatus"`
	// BranchStatuses is an array of corresponding to branch statuses.
	// Matches the Spec.Branches array in the order.
	// +optional
	// +listType=atomic
	BranchStatuses []ParallelBranchStatus `json:"branchStatuses"`
	// AddressStatus is the starting point to this Parallel. Sending to this
	// will target the first subscriber.
	duckv1.AddressStatus `json:",inline"`
	// Auth provides the relevant information for OIDC authentication.
	// +optional
	Auth *duckv1.AuthStatus `json:"auth,omitempty"`
	// Policies is the list of EventPolicies that apply to this Parallel.
	// +optional
	// +listType=atomic
	Policies []duckv1.AppliedEventPolicyRef `json:"policies,omitempty"`
}

// ParallelBranchStatus represents the current state of a Parallel branch.
type ParallelBranchStatus struct {
	// FilterSubscriptionStatus corresponds to the filter subscription status.
	// +optional
	FilterSubscriptionStatus ParallelSubscriptionStatus `json:"filterSubscriptionStatus"`
	// FilterChannelStatus corresponds to the filter channel status.
	// +optional
	FilterChannelStatus ParallelChannelStatus `json:"filterChannelStatus"`
	// SubscriptionStatus corresponds to the subscriber subscription status.
	// +optional
	SubscriptionStatus ParallelSubscriptionStatus `json:"subscriberSubscriptionStatus"`
}

// ParallelChannelStatus is the readiness of one channel of a Parallel.
type ParallelChannelStatus struct {
	// Channel is the reference to the underlying channel.
	// +optional
	Channel corev1.ObjectReference `json:"channel"`
	// ReadyCondition indicates whether the Channel is ready or not.
	// +optional
	ReadyCondition duckv1.Condition `json:"ready"`
}

// ParallelSubscriptionStatus is the readiness of one subscription of a
// Parallel.
type ParallelSubscriptionStatus struct {
	// Subscription is the reference to the underlying Subscription.
	// +optional
	Subscription corev1.ObjectReference `json:"subscription"`
	// ReadyCondition indicates whether the Subscription is ready or not.
	// +optional
	ReadyCondition duckv1.Condition `json:"ready"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ParallelList is a list of Parallels.
type ParallelList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Parallel `json:"items"`
}
