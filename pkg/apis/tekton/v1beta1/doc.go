// Package v1beta1 is the tekton.dev/v1beta1 wire format, JSON-compatible with
// Tekton Pipelines v1beta1. It is served by conversion to and from the
// internal hub; tekton.dev/v1 stays the storage version.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/knap-dev/knap/pkg/apis/tekton
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=dev.tekton.v1beta1
// +groupName=tekton.dev
package v1beta1
