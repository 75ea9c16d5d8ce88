package conditions

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

const (
	a duckv1.ConditionType = "A"
	b duckv1.ConditionType = "B"
)

func status(s *duckv1.Status, t duckv1.ConditionType) (corev1.ConditionStatus, string) {
	c := s.GetCondition(t)
	if c == nil {
		return "", ""
	}
	return c.Status, c.Reason
}

func TestHappyFollowsDependents(t *testing.T) {
	var s duckv1.Status
	m := NewReady(a, b).Manage(&s)
	m.Initialize()
	if got, _ := status(&s, duckv1.ConditionReady); got != corev1.ConditionUnknown || len(s.Conditions) != 3 {
		t.Fatalf("initialized: %+v", s.Conditions)
	}
	m.MarkTrue(a)
	if got, _ := status(&s, duckv1.ConditionReady); got != corev1.ConditionUnknown {
		t.Errorf("one of two dependents true: Ready %s", got)
	}
	m.MarkFalse(b, "Broken", "b is %s", "broken")
	if got, reason := status(&s, duckv1.ConditionReady); got != corev1.ConditionFalse || reason != "Broken" {
		t.Errorf("b false: Ready %s %s", got, reason)
	}
	m.MarkUnknown(a, "Working", "")
	if got, reason := status(&s, duckv1.ConditionReady); got != corev1.ConditionFalse || reason != "Broken" {
		t.Errorf("a unknown while b false: Ready %s %s, want False Broken", got, reason)
	}
	m.MarkTrue(b)
	m.MarkTrue(a)
	if !m.IsHappy() {
		t.Errorf("all dependents true: %+v", s.Conditions)
	}
	for i, want := range []duckv1.ConditionType{a, b, duckv1.ConditionReady} {
		if s.Conditions[i].Type != want {
			t.Errorf("conditions not sorted by type: %+v", s.Conditions)
		}
	}
}

func TestTransitionTimeKeptWithoutChange(t *testing.T) {
	var s duckv1.Status
	m := NewReady(a).Manage(&s)
	m.now = func() time.Time { return time.Unix(1000, 0) }
	m.MarkFalse(a, "R", "m")
	first := s.GetCondition(a).LastTransitionTime
	m.now = func() time.Time { return time.Unix(2000, 0) }
	m.MarkFalse(a, "R", "m")
	if got := s.GetCondition(a).LastTransitionTime; !got.Equal(&first) {
		t.Errorf("same condition again moved lastTransitionTime %v -> %v", first, got)
	}
	m.MarkFalse(a, "R", "other message")
	if got := s.GetCondition(a).LastTransitionTime; got.Equal(&first) {
		t.Error("a new message kept the old lastTransitionTime")
	}
}

func TestPropagate(t *testing.T) {
	var s duckv1.Status
	m := NewReady(a).Manage(&s)
	m.Propagate(a, nil)
	if len(s.Conditions) != 0 {
		t.Errorf("absent child condition changed %+v", s.Conditions)
	}
	m.Propagate(a, &duckv1.Condition{Status: corev1.ConditionFalse, Reason: "RevisionFailed", Message: "boom"})
	if c := s.GetCondition(duckv1.ConditionReady); c.Status != corev1.ConditionFalse || c.Message != "boom" {
		t.Errorf("propagated False: %+v", c)
	}
	m.Propagate(a, &duckv1.Condition{Status: corev1.ConditionTrue})
	if !m.IsHappy() {
		t.Errorf("propagated True: %+v", s.Conditions)
	}
}
