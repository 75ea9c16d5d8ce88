// Package v1alpha1 is the autoscaling.internal.knative.dev/v1alpha1 wire
// format (PodAutoscaler, Metric), JSON-compatible with Knative Serving.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/knap-dev/knap/pkg/apis/autoscaling
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=dev.knative.internal.autoscaling.v1alpha1
// +groupName=autoscaling.internal.knative.dev
package v1alpha1
