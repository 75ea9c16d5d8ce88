// Package autoscaling holds what the PodAutoscaler reconcilers of every
// class share: the conditions and how a PodAutoscaler's annotations
// combine with config-autoscaler. The classes are in kpa/ and hpa/.
package autoscaling

import (
	"context"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	autoscalingv1alpha1 "github.com/knap-dev/knap/pkg/apis/autoscaling/v1alpha1"
	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/controller/conditions"
	"github.com/knap-dev/knap/pkg/controller/config"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	autoscalinglisters "github.com/knap-dev/knap/pkg/generated/listers/autoscaling/v1alpha1"
)

// Conditions of a PodAutoscaler, as Knative's.
var Conditions = conditions.NewReady(autoscaling.PodAutoscalerConditionActive,
	autoscaling.PodAutoscalerConditionScaleTargetInitialized, autoscaling.PodAutoscalerConditionSKSReady)

// StatusKind is how every class's reconciler reads a PodAutoscaler and
// writes its status (reconciler.ReconcileStatus).
func StatusKind(l autoscalinglisters.PodAutoscalerLister, c versioned.Interface) reconciler.StatusKind[*autoscalingv1alpha1.PodAutoscaler] {
	return reconciler.StatusKind[*autoscalingv1alpha1.PodAutoscaler]{
		Get: func(ns, name string) (*autoscalingv1alpha1.PodAutoscaler, error) {
			return l.PodAutoscalers(ns).Get(name)
		},
		Status:     func(o *autoscalingv1alpha1.PodAutoscaler) *duckv1.Status { return &o.Status.Status },
		Conditions: Conditions,
		UpdateStatus: func(ctx context.Context, o *autoscalingv1alpha1.PodAutoscaler) error {
			_, err := c.AutoscalingV1alpha1().PodAutoscalers(o.Namespace).UpdateStatus(ctx, o, metav1.UpdateOptions{})
			return err
		},
	}
}

// IsTrue reports whether status has condition t True.
func IsTrue(status *duckv1.Status, t duckv1.ConditionType) bool {
	c := status.GetCondition(t)
	return c != nil && c.Status == corev1.ConditionTrue
}

// Class is the PodAutoscaler's class: its annotation, else the cluster's
// default.
func Class(pa *autoscalingv1alpha1.PodAutoscaler, cfg *config.Autoscaler) string {
	if c, _, ok := autoscaling.ClassAnnotation.Get(pa.Annotations); ok {
		return pa.Annotations[c]
	}
	return cfg.PodAutoscalerClass
}

// Metric is the metric a PodAutoscaler of class scales on.
func Metric(pa *autoscalingv1alpha1.PodAutoscaler, class string) string {
	if _, m, ok := autoscaling.MetricAnnotation.Get(pa.Annotations); ok {
		return m
	}
	return autoscaling.DefaultMetric(class)
}

// Int32 reads an integer annotation; ok is false when it is absent or
// unreadable (the API server validated it, so only absence is expected).
func Int32(pa *autoscalingv1alpha1.PodAutoscaler, k autoscaling.KeyPriority) (int32, bool) {
	if _, s, ok := k.Get(pa.Annotations); ok {
		v, err := strconv.ParseInt(s, 10, 32)
		return int32(v), err == nil
	}
	return 0, false
}

// Float64 reads a number annotation.
func Float64(pa *autoscalingv1alpha1.PodAutoscaler, k autoscaling.KeyPriority) (float64, bool) {
	if _, s, ok := k.Get(pa.Annotations); ok {
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil
	}
	return 0, false
}

// Duration reads a duration annotation.
func Duration(pa *autoscalingv1alpha1.PodAutoscaler, k autoscaling.KeyPriority) (time.Duration, bool) {
	if _, s, ok := k.Get(pa.Annotations); ok {
		v, err := time.ParseDuration(s)
		return v, err == nil
	}
	return 0, false
}

// ScaleBounds are the least and most pods (0: no bound). An unreachable
// revision (no Route sends it traffic) has no lower bound.
func ScaleBounds(pa *autoscalingv1alpha1.PodAutoscaler, cfg *config.Autoscaler) (lo, hi int32) {
	if pa.Spec.Reachability != autoscalingv1alpha1.ReachabilityUnreachable {
		lo = cfg.MinScale
		if v, ok := Int32(pa, autoscaling.MinScaleAnnotation); ok {
			lo = v
		}
	}
	hi = cfg.MaxScale
	if v, ok := Int32(pa, autoscaling.MaxScaleAnnotation); ok {
		hi = v
	}
	return lo, hi
}

// InitialScale is the pod count a new revision starts with.
func InitialScale(pa *autoscalingv1alpha1.PodAutoscaler, cfg *config.Autoscaler) int32 {
	v, ok := Int32(pa, autoscaling.InitialScaleAnnotation)
	if !ok || (v == 0 && !cfg.AllowZeroInitialScale) {
		return cfg.InitialScale
	}
	return v
}

// ActiveThreshold is the pod count at which the scale target counts as
// initialized: the initial scale until then, at least one pod after.
func ActiveThreshold(pa *autoscalingv1alpha1.PodAutoscaler, cfg *config.Autoscaler, initialized bool) int32 {
	lo, _ := ScaleBounds(pa, cfg)
	if !initialized {
		return max(lo, InitialScale(pa, cfg))
	}
	return max(lo, 1)
}
