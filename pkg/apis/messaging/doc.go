// Package messaging holds the internal (hub) types of messaging.knative.dev:
// Channel, InMemoryChannel and Subscription. Storage, defaulting and
// validation work on these; versioned packages convert to them.
//
// +k8s:deepcopy-gen=package
// +groupName=messaging.knative.dev
package messaging
