// Package serving holds the internal (hub) types of serving.knative.dev.
// Storage, validation and strategies work on these; versioned packages convert to them.
//
// +k8s:deepcopy-gen=package
// +groupName=serving.knative.dev
package serving
