// Package subscription stores messaging.knative.dev Subscriptions.
package subscription

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/messaging"
	"github.com/knap-dev/knap/pkg/apis/messaging/defaults"
	messagingv1 "github.com/knap-dev/knap/pkg/apis/messaging/v1"
	"github.com/knap-dev/knap/pkg/apis/messaging/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes Subscriptions to the generic storage.
func Kind() resource.Kind[*messaging.Subscription] {
	return resource.Kind[*messaging.Subscription]{
		Resource:       messaging.Resource("subscriptions"),
		Singular:       "subscription",
		ShortNames:     []string{"sub"},
		Categories:     []string{"all", "knative", "messaging"},
		GroupVersion:   messagingv1.SchemeGroupVersion,
		New:            func() *messaging.Subscription { return &messaging.Subscription{} },
		NewList:        func() runtime.Object { return &messaging.SubscriptionList{} },
		Spec:           func(s *messaging.Subscription) any { return &s.Spec },
		Status:         func(s *messaging.Subscription) *duckv1.Status { return &s.Status.Status },
		CopySpec:       func(dst, src *messaging.Subscription) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *messaging.Subscription) { dst.Status = src.Status },
		ClearStatus:    func(s *messaging.Subscription) { s.Status = messaging.SubscriptionStatus{} },
		Default:        defaults.Subscription,
		Validate:       validation.ValidateSubscription,
		ValidateUpdate: validation.ValidateSubscriptionUpdate,
		Fields: func(s *messaging.Subscription) fields.Set {
			return fields.Set{
				messaging.FieldChannelName: s.Spec.Channel.Name,
				messaging.FieldChannelKind: s.Spec.Channel.Kind,
			}
		},
		Columns: append([]metav1.TableColumnDefinition{resource.AgeColumn()}, resource.ReadyColumns()...),
		Cells: func(s *messaging.Subscription) []any {
			return append([]any{resource.AgeCell(s.CreationTimestamp)}, resource.ReadyCells(&s.Status.Status)...)
		},
	}
}
