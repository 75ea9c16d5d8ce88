// Package inmemorychannel stores messaging.knative.dev InMemoryChannels.
package inmemorychannel

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

// Kind describes InMemoryChannels to the generic storage.
func Kind() resource.Kind[*messaging.InMemoryChannel] {
	return resource.Kind[*messaging.InMemoryChannel]{
		Resource:       messaging.Resource("inmemorychannels"),
		Singular:       "inmemorychannel",
		ShortNames:     []string{"imc"},
		Categories:     []string{"all", "knative", "messaging", "channel"},
		GroupVersion:   messagingv1.SchemeGroupVersion,
		New:            func() *messaging.InMemoryChannel { return &messaging.InMemoryChannel{} },
		NewList:        func() runtime.Object { return &messaging.InMemoryChannelList{} },
		Spec:           func(c *messaging.InMemoryChannel) any { return &c.Spec },
		Status:         func(c *messaging.InMemoryChannel) *duckv1.Status { return &c.Status.Status },
		CopySpec:       func(dst, src *messaging.InMemoryChannel) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *messaging.InMemoryChannel) { dst.Status = src.Status },
		ClearStatus:    func(c *messaging.InMemoryChannel) { c.Status = messaging.InMemoryChannelStatus{} },
		Default:        defaults.InMemoryChannel,
		Validate:       validation.ValidateInMemoryChannel,
		ValidateUpdate: validation.ValidateInMemoryChannelUpdate,
		Columns:        table.ChannelColumns(),
		Cells: func(c *messaging.InMemoryChannel) []any {
			return table.ChannelCells(&c.ObjectMeta, &c.Status.ChannelableStatus)
		},
	}
}
