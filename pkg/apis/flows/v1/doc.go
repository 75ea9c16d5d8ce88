// Package v1 is the flows.knative.dev/v1 wire format (Sequence, Parallel),
// JSON-compatible with Knative Eventing.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/knap-dev/knap/pkg/apis/flows
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=dev.knative.flows.v1
// +groupName=flows.knative.dev
package v1
