package resource

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/serving"
)

func TestUnstorableTimes(t *testing.T) {
	minusOneMinute := time.FixedZone("-00:01", -60)
	tooLate := metav1.NewTime(time.Date(9999, 12, 31, 23, 59, 59, 0, minusOneMinute))
	fine := metav1.NewTime(time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC))

	s := &serving.Service{}
	s.ManagedFields = []metav1.ManagedFieldsEntry{{Time: &fine}, {Time: &tooLate}}
	s.Spec.Template.CreationTimestamp = tooLate
	s.Status.Conditions = []duckv1.Condition{{Type: "Ready", LastTransitionTime: fine}, {Type: "X", LastTransitionTime: tooLate}}

	var got []string
	for _, e := range unstorableTimes(s) {
		got = append(got, e.Field)
	}
	want := []string{"metadata.managedFields[1].time", "spec.template.metadata.creationTimestamp", "status.conditions[1].lastTransitionTime"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %v, want %v", got, want)
		}
	}
	if errs := unstorableTimes(&serving.Service{}); len(errs) != 0 {
		t.Errorf("empty object: %v", errs)
	}
}
