package podautoscaler

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

func TestCells(t *testing.T) {
	k := Kind()
	names := []string{}
	for _, c := range k.Columns {
		names = append(names, c.Name)
	}
	if want := []string{"DesiredScale", "ActualScale", "Ready", "Reason"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("columns = %v, want %v", names, want)
	}

	if got, want := k.Cells(&autoscaling.PodAutoscaler{}), []any{nil, nil, "", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("cells of a new PodAutoscaler = %#v, want %#v", got, want)
	}
	pa := &autoscaling.PodAutoscaler{Status: autoscaling.PodAutoscalerStatus{
		Status:       duckv1.Status{Conditions: []duckv1.Condition{{Type: duckv1.ConditionReady, Status: corev1.ConditionFalse, Reason: "NoTraffic"}}},
		DesiredScale: ptr.To[int32](0),
		ActualScale:  ptr.To[int32](3),
	}}
	if got, want := k.Cells(pa), []any{int64(0), int64(3), "False", "NoTraffic"}; !reflect.DeepEqual(got, want) {
		t.Errorf("cells = %#v, want %#v", got, want)
	}
}
