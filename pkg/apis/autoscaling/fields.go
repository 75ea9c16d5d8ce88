package autoscaling

import duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"

// Condition types of a PodAutoscaler besides Ready, as Knative's autoscaler
// reconcilers set them; Ready is True when all of them are.
const (
	// PodAutoscalerConditionActive is True while the scale target receives
	// traffic, False once it was scaled to zero, Unknown while activating.
	PodAutoscalerConditionActive duckv1.ConditionType = "Active"
	// PodAutoscalerConditionScaleTargetInitialized is True once the scale
	// target was ready to serve traffic.
	PodAutoscalerConditionScaleTargetInitialized duckv1.ConditionType = "ScaleTargetInitialized"
	// PodAutoscalerConditionSKSReady is True when the PodAutoscaler's
	// ServerlessService is ready.
	PodAutoscalerConditionSKSReady duckv1.ConditionType = "SKSReady"
)

// A Metric has only the Ready condition.
