// Package channel stores messaging.knative.dev Channels.
package channel

import (
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/messaging"
	"github.com/knap-dev/knap/pkg/apis/messaging/defaults"
	messagingv1 "github.com/knap-dev/knap/pkg/apis/messaging/v1"
	"github.com/knap-dev/knap/pkg/apis/messaging/validation"
	"github.com/knap-dev/knap/pkg/registry/messaging/internal/table"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes Channels to the generic storage.
func Kind() resource.Kind[*messaging.Channel] {
	return resource.Kind[*messaging.Channel]{
		Resource:       messaging.Resource("channels"),
		Singular:       "channel",
		ShortNames:     []string{"ch"},
		Categories:     []string{"all", "knative", "messaging", "channel"},
		GroupVersion:   messagingv1.SchemeGroupVersion,
		New:            func() *messaging.Channel { return &messaging.Channel{} },
		NewList:        func() runtime.Object { return &messaging.ChannelList{} },
		Spec:           func(c *messaging.Channel) any { return &c.Spec },
		Status:         func(c *messaging.Channel) *duckv1.Status { return &c.Status.Status },
		CopySpec:       func(dst, src *messaging.Channel) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *messaging.Channel) { dst.Status = src.Status },
		ClearStatus:    func(c *messaging.Channel) { c.Status = messaging.ChannelStatus{} },
		Default:        defaults.Channel,
		Validate:       validation.ValidateChannel,
		ValidateUpdate: validation.ValidateChannelUpdate,
		Columns:        table.ChannelColumns(),
		Cells: func(c *messaging.Channel) []any {
			return table.ChannelCells(&c.ObjectMeta, &c.Status.ChannelableStatus)
		},
	}
}
