// Package flows holds the internal (hub) types of flows.knative.dev:
// Sequence and Parallel. Storage, defaulting and validation work on these;
// the versioned packages convert to them.
//
// +k8s:deepcopy-gen=package
// +groupName=flows.knative.dev
package flows
