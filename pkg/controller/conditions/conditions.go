// Package conditions manages Knative-style conditions: a top-level "happy"
// condition (Ready or Succeeded) that follows its dependent conditions. All
// dependents True makes it True; a False dependent makes it False with that
// dependent's reason and message; otherwise an Unknown dependent makes it
// Unknown. A condition's lastTransitionTime changes only when its status,
// reason or message does.
package conditions

import (
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// Set is a happy condition and the conditions it depends on.
type Set struct {
	Happy      duckv1.ConditionType
	Dependents []duckv1.ConditionType
}

// NewReady is a Set whose happy condition is Ready.
func NewReady(dependents ...duckv1.ConditionType) Set {
	return Set{Happy: duckv1.ConditionReady, Dependents: dependents}
}

// Manager edits the conditions of one status.
type Manager struct {
	set    Set
	status *duckv1.Status
	now    func() time.Time
}

// Manage returns a manager of status's conditions.
func (s Set) Manage(status *duckv1.Status) *Manager {
	return &Manager{set: s, status: status, now: time.Now}
}

// Initialize sets every condition of the set that is absent to Unknown.
func (m *Manager) Initialize() {
	for _, t := range append([]duckv1.ConditionType{m.set.Happy}, m.set.Dependents...) {
		if m.status.GetCondition(t) == nil {
			m.setCondition(duckv1.Condition{Type: t, Status: corev1.ConditionUnknown})
		}
	}
}

// IsHappy reports whether the happy condition is True.
func (m *Manager) IsHappy() bool {
	c := m.status.GetCondition(m.set.Happy)
	return c != nil && c.Status == corev1.ConditionTrue
}

// MarkTrue sets t True, and the happy condition True once every dependent is.
func (m *Manager) MarkTrue(t duckv1.ConditionType) {
	m.markTrue(duckv1.Condition{Type: t, Status: corev1.ConditionTrue})
}

func (m *Manager) markTrue(c duckv1.Condition) {
	m.setCondition(c)
	for _, d := range m.set.Dependents {
		if c := m.status.GetCondition(d); c == nil || c.Status != corev1.ConditionTrue {
			return
		}
	}
	m.setCondition(duckv1.Condition{Type: m.set.Happy, Status: corev1.ConditionTrue})
}

// MarkTrueWithReason is MarkTrue with a reason and message saying why
// True is the right answer (e.g. TLS not enabled, so nothing to provision).
func (m *Manager) MarkTrueWithReason(t duckv1.ConditionType, reason, format string, args ...any) {
	m.markTrue(duckv1.Condition{Type: t, Status: corev1.ConditionTrue, Reason: reason, Message: fmt.Sprintf(format, args...)})
}

// MarkFalse sets t False; a False dependent makes the happy condition False
// with the same reason and message.
func (m *Manager) MarkFalse(t duckv1.ConditionType, reason, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	m.setCondition(duckv1.Condition{Type: t, Status: corev1.ConditionFalse, Reason: reason, Message: msg})
	if t == m.set.Happy || slices.Contains(m.set.Dependents, t) {
		m.setCondition(duckv1.Condition{Type: m.set.Happy, Status: corev1.ConditionFalse, Reason: reason, Message: msg})
	}
}

// MarkUnknown sets t Unknown; the happy condition becomes Unknown with the
// same reason and message, unless another dependent is False (failures
// trump progress).
func (m *Manager) MarkUnknown(t duckv1.ConditionType, reason, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	m.setCondition(duckv1.Condition{Type: t, Status: corev1.ConditionUnknown, Reason: reason, Message: msg})
	for _, d := range m.set.Dependents {
		if c := m.status.GetCondition(d); c != nil && c.Status == corev1.ConditionFalse {
			if h := m.status.GetCondition(m.set.Happy); h == nil || h.Status != corev1.ConditionFalse {
				m.setCondition(duckv1.Condition{Type: m.set.Happy, Status: corev1.ConditionFalse, Reason: c.Reason, Message: c.Message})
			}
			return
		}
	}
	if t == m.set.Happy || slices.Contains(m.set.Dependents, t) {
		m.setCondition(duckv1.Condition{Type: m.set.Happy, Status: corev1.ConditionUnknown, Reason: reason, Message: msg})
	}
}

// Propagate copies a child's happy condition onto t: True, False or
// Unknown with the child's reason and message. An absent one changes nothing.
func (m *Manager) Propagate(t duckv1.ConditionType, child *duckv1.Condition) {
	if child == nil {
		return
	}
	switch child.Status {
	case corev1.ConditionTrue:
		m.MarkTrue(t)
	case corev1.ConditionFalse:
		m.MarkFalse(t, child.Reason, "%s", child.Message)
	default:
		m.MarkUnknown(t, child.Reason, "%s", child.Message)
	}
}

// setCondition replaces the condition of c's type, keeping its transition
// time when nothing about it changed; conditions stay sorted by type, as
// Knative keeps them.
func (m *Manager) setCondition(c duckv1.Condition) {
	if old := m.status.GetCondition(c.Type); old != nil &&
		old.Status == c.Status && old.Reason == c.Reason && old.Message == c.Message && old.Severity == c.Severity {
		return
	}
	c.LastTransitionTime = metav1.NewTime(m.now().Truncate(time.Second))
	out := []duckv1.Condition{c}
	for _, o := range m.status.Conditions {
		if o.Type != c.Type {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b duckv1.Condition) int { return strings.Compare(string(a.Type), string(b.Type)) })
	m.status.Conditions = out
}
