// Package v1 is the sources.knative.dev/v1 wire format, JSON-compatible with
// Knative Eventing's sources.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/knap-dev/knap/pkg/apis/sources
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=dev.knative.sources.v1
// +groupName=sources.knative.dev
package v1
