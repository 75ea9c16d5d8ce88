// Package v1 is the tekton.dev/v1 wire format, JSON-compatible with Tekton Pipelines v1.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/knap-dev/knap/pkg/apis/tekton
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=dev.tekton.v1
// +groupName=tekton.dev
package v1
