package resource

import (
	"context"

	"k8s.io/apimachinery/pkg/api/meta"
	metatable "k8s.io/apimachinery/pkg/api/meta/table"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// tableConvertor renders a kind as `kubectl get` shows it: Name, then the
// kind's columns (the printer columns Knative's CRDs declare).
type tableConvertor[T Object] struct {
	kind Kind[T]
}

func (c tableConvertor[T]) ConvertToTable(ctx context.Context, obj runtime.Object, _ runtime.Object) (*metav1.Table, error) {
	table := &metav1.Table{
		ColumnDefinitions: append([]metav1.TableColumnDefinition{{
			Name: "Name", Type: "string", Format: "name", Description: "Name of the resource",
		}}, c.kind.Columns...),
	}
	add := func(o runtime.Object) error {
		item, ok := o.(T)
		if !ok {
			return nil
		}
		table.Rows = append(table.Rows, metav1.TableRow{
			Cells:  append([]any{item.GetName()}, c.kind.Cells(item)...),
			Object: runtime.RawExtension{Object: o},
		})
		return nil
	}
	if meta.IsListType(obj) {
		if err := meta.EachListItem(obj, add); err != nil {
			return nil, err
		}
		if l, err := meta.ListAccessor(obj); err == nil {
			table.ResourceVersion = l.GetResourceVersion()
			table.Continue = l.GetContinue()
			table.RemainingItemCount = l.GetRemainingItemCount()
		}
	} else {
		if err := add(obj); err != nil {
			return nil, err
		}
		if m, err := meta.Accessor(obj); err == nil {
			table.ResourceVersion = m.GetResourceVersion()
		}
	}
	return table, nil
}

// ReadyColumns are the Ready and Reason columns every Knative kind prints.
func ReadyColumns() []metav1.TableColumnDefinition {
	return []metav1.TableColumnDefinition{
		{Name: "Ready", Type: "string", Description: "Status of the Ready condition"},
		{Name: "Reason", Type: "string", Description: "Reason of the Ready condition"},
	}
}

// ReadyCells are the values of ReadyColumns.
func ReadyCells(s *duckv1.Status) []any { return ConditionCells(s, duckv1.ConditionReady) }

// ConditionCells are the status and reason of a condition, empty when absent.
func ConditionCells(s *duckv1.Status, t duckv1.ConditionType) []any {
	c := s.GetCondition(t)
	if c == nil {
		return []any{"", ""}
	}
	return []any{string(c.Status), c.Reason}
}

// StringOrEmpty dereferences an optional string for a table cell.
func StringOrEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// AgeColumn is the Age column Knative Eventing's CRDs declare (a date on
// metadata.creationTimestamp).
func AgeColumn() metav1.TableColumnDefinition {
	return metav1.TableColumnDefinition{Name: "Age", Type: "date", Description: "Time since the object was created"}
}

// AgeCell renders AgeColumn as the CRD table convertor does.
func AgeCell(created metav1.Time) string { return metatable.ConvertToHumanReadableDateType(created) }

// DateCell renders an optional time as a CRD's "date" column does; nil when
// unset, which kubectl prints as <none>.
func DateCell(t *metav1.Time) any {
	if t == nil {
		return nil
	}
	return metatable.ConvertToHumanReadableDateType(*t)
}
