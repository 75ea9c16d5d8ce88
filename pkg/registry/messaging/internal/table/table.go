// Package table holds the printer columns the messaging kinds share.
package table

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// ChannelColumns are the columns of Channel and InMemoryChannel: URL, Age,
// Ready, Reason.
func ChannelColumns() []metav1.TableColumnDefinition {
	return append([]metav1.TableColumnDefinition{
		{Name: "URL", Type: "string", Description: "Address the channel receives events on"},
		resource.AgeColumn(),
	}, resource.ReadyColumns()...)
}

// ChannelCells are the values of ChannelColumns.
func ChannelCells(meta *metav1.ObjectMeta, s *duckv1.ChannelableStatus) []any {
	url := ""
	if s.Address != nil {
		url = resource.StringOrEmpty(s.Address.URL)
	}
	return append([]any{url, resource.AgeCell(meta.CreationTimestamp)}, resource.ReadyCells(&s.Status)...)
}
