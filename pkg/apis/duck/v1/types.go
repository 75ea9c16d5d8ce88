package v1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ConditionType is the type of a condition, e.g. "Ready" or "Succeeded".
type ConditionType string

// ConditionSeverity says how much a False condition matters; the empty string
// means Error, the only severity that makes the object not ready.
type ConditionSeverity string

const (
	// ConditionReady is the top-level condition of long-running resources.
	ConditionReady ConditionType = "Ready"
	// ConditionSucceeded is the top-level condition of run-to-completion resources.
	ConditionSucceeded ConditionType = "Succeeded"

	ConditionSeverityError   ConditionSeverity = ""
	ConditionSeverityWarning ConditionSeverity = "Warning"
	ConditionSeverityInfo    ConditionSeverity = "Info"
)

// ReadyFieldSelector is the field selector every Knative kind supports on the
// status of its Ready condition: True, False, or Unknown (also when absent).
const ReadyFieldSelector = "status.ready"

// SucceededFieldSelector is ReadyFieldSelector for run-to-completion kinds.
const SucceededFieldSelector = "status.succeeded"

// ConditionFieldSelector is the field selector on a top-level condition.
func ConditionFieldSelector(t ConditionType) string {
	if t == ConditionSucceeded {
		return SucceededFieldSelector
	}
	return ReadyFieldSelector
}

// Condition reports one aspect of an object's observed state.
type Condition struct {
	// Type of condition.
	Type ConditionType `json:"type"`
	// Status of the condition, one of True, False, Unknown.
	Status corev1.ConditionStatus `json:"status"`
	// Severity with which to treat failures of this type of condition.
	// +optional
	Severity ConditionSeverity `json:"severity,omitempty"`
	// LastTransitionTime is the last time the condition transitioned from one status to another.
	// +optional
	LastTransitionTime metav1.Time `json:"lastTransitionTime,omitempty"`
	// Reason is a one-word CamelCase reason for the condition's last transition.
	// +optional
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable explanation of the last transition.
	// +optional
	Message string `json:"message,omitempty"`
}

// Status is the status block every Knative resource shares.
type Status struct {
	// ObservedGeneration is the generation last processed by the controller.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions the latest available observations of a resource's current state.
	// +optional
	// +patchMergeKey=type
	// +patchStrategy=merge
	// +listType=map
	// +listMapKey=type
	Conditions []Condition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
	// Annotations is additional status information set by controllers.
	// +optional
	Annotations map[string]string `json:"annotations,omitempty"`
}

// GetCondition returns the condition of the given type, or nil.
func (s *Status) GetCondition(t ConditionType) *Condition {
	for i := range s.Conditions {
		if s.Conditions[i].Type == t {
			return &s.Conditions[i]
		}
	}
	return nil
}

// Addressable is where an object can be reached.
type Addressable struct {
	// Name is the name of the address.
	// +optional
	Name *string `json:"name,omitempty"`
	// URL is the address, an absolute URL.
	// +optional
	URL *string `json:"url,omitempty"`
	// CACerts is the Certification Authority (CA) certificates in PEM format
	// that the source trusts when sending events to the sink.
	// +optional
	CACerts *string `json:"CACerts,omitempty"`
	// Audience is the OIDC audience for this address.
	// +optional
	Audience *string `json:"audience,omitempty"`
}
