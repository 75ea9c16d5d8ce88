// Package v1 is the serving.knative.dev/v1 wire format, JSON-compatible with Knative Serving.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/knap-dev/knap/pkg/apis/serving
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=dev.knative.serving.v1
// +groupName=serving.knative.dev
package v1
