// Package v1beta2 is the eventing.knative.dev/v1beta2 wire format
// (EventType), JSON-compatible with Knative Eventing.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/knap-dev/knap/pkg/apis/eventing
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=dev.knative.eventing.v1beta2
// +groupName=eventing.knative.dev
package v1beta2
