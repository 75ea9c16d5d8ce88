// Package tekton holds the internal (hub) types of tekton.dev.
// Storage, validation and strategies work on these; versioned packages convert to them.
//
// +k8s:deepcopy-gen=package
// +groupName=tekton.dev
package tekton
