// Package columns holds the table columns every source prints, as Knative
// Eventing's source CRDs declare them: Sink, the kind's own, Age, Ready,
// Reason.
package columns

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Source returns the columns after Name, with the kind's own after Sink.
func Source(own ...metav1.TableColumnDefinition) []metav1.TableColumnDefinition {
	cols := []metav1.TableColumnDefinition{{Name: "Sink", Type: "string", Description: "URI events are sent to"}}
	cols = append(cols, own...)
	cols = append(cols, resource.AgeColumn())
	return append(cols, resource.ReadyColumns()...)
}

// SourceCells are the values of Source's columns; own are the kind's own.
func SourceCells(status *duckv1.SourceStatus, created metav1.Time, own ...any) []any {
	cells := []any{resource.StringOrEmpty(status.SinkURI)}
	cells = append(cells, own...)
	cells = append(cells, resource.AgeCell(created))
	return append(cells, resource.ReadyCells(&status.Status)...)
}
