// Package sources holds the internal (hub) types of sources.knative.dev:
// PingSource, ApiServerSource, SinkBinding and ContainerSource. Storage,
// defaulting and validation work on these; versioned packages convert to them.
//
// +k8s:deepcopy-gen=package
// +groupName=sources.knative.dev
package sources
