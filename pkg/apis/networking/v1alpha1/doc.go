// Package v1alpha1 is the networking.internal.knative.dev/v1alpha1 wire
// format (Ingress, ServerlessService), JSON-compatible with
// knative.dev/networking as Knative Serving v0.51 uses it.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/knap-dev/knap/pkg/apis/networking
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=dev.knative.internal.networking.v1alpha1
// +groupName=networking.internal.knative.dev
package v1alpha1
