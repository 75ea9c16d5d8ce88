// Package eventing holds the internal (hub) types of eventing.knative.dev:
// Broker and Trigger (served as v1) and EventType (served as v1beta2).
// Storage, defaulting and validation work on these; the versioned packages
// convert to them.
//
// +k8s:deepcopy-gen=package
// +groupName=eventing.knative.dev
package eventing
