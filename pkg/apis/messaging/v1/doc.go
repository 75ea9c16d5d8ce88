// Package v1 is the messaging.knative.dev/v1 wire format, JSON-compatible
// with Knative Eventing's Channel, InMemoryChannel and Subscription.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/knap-dev/knap/pkg/apis/messaging
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=dev.knative.messaging.v1
// +groupName=messaging.knative.dev
package v1
