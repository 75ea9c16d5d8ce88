package flows

import duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"

// Condition types of Sequence and Parallel besides Ready, as Knative's
// flows reconcilers set them.
const (
	// ConditionChannelsReady is True when every channel the flow created is ready.
	ConditionChannelsReady duckv1.ConditionType = "ChannelsReady"
	// ConditionSubscriptionsReady is True when every subscription the flow
	// created is ready.
	ConditionSubscriptionsReady duckv1.ConditionType = "SubscriptionsReady"
	// ConditionAddressable is True when the flow has an address to send
	// events to.
	ConditionAddressable duckv1.ConditionType = "Addressable"
)

// The channel a flow uses when spec.channelTemplate is not given: Knative's
// default-ch-webhook ConfigMap as shipped (clusterDefault InMemoryChannel,
// no namespace defaults).
const (
	DefaultChannelAPIVersion = "messaging.knative.dev/v1"
	DefaultChannelKind       = "InMemoryChannel"
)
