// Package networking holds the internal (hub) types of
// networking.internal.knative.dev: Ingress (the routing a gateway programs)
// and ServerlessService (which pods, a revision's or the activator's, back a
// revision's Service). Storage, defaulting and validation work on these;
// the versioned packages convert to them.
//
// +k8s:deepcopy-gen=package
// +groupName=networking.internal.knative.dev
package networking
