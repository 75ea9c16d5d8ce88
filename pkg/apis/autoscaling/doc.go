// Package autoscaling holds the internal (hub) types of
// autoscaling.internal.knative.dev (PodAutoscaler and Metric) and the
// autoscaling.knative.dev annotations that configure them. Storage,
// defaulting and validation work on these; the versioned packages convert
// to them.
//
// +k8s:deepcopy-gen=package
// +groupName=autoscaling.internal.knative.dev
package autoscaling
