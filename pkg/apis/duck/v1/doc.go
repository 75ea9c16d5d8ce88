// Package v1 holds the Knative duck shapes shared by every knap API group:
// conditions, the status block and addressables. They carry the same JSON as
// knative.dev/pkg/apis/duck/v1 so existing clients read them unchanged.
//
// +k8s:deepcopy-gen=package
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=dev.knap.duck.v1
// +groupName=duck.knative.dev
package v1
