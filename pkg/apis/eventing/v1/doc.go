// Package v1 is the eventing.knative.dev/v1 wire format (Broker, Trigger),
// JSON-compatible with Knative Eventing.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/knap-dev/knap/pkg/apis/eventing
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=dev.knative.eventing.v1
// +groupName=eventing.knative.dev
package v1
