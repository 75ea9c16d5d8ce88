// Package podautoscaler stores autoscaling.internal.knative.dev
// PodAutoscalers.
package podautoscaler

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	"github.com/knap-dev/knap/pkg/apis/autoscaling/defaults"
	autoscalingv1alpha1 "github.com/knap-dev/knap/pkg/apis/autoscaling/v1alpha1"
	"github.com/knap-dev/knap/pkg/apis/autoscaling/validation"
	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes PodAutoscalers to the generic storage: names, categories
// and printer columns (DesiredScale, ActualScale, Ready, Reason) of
// Knative's podautoscalers CRD.
func Kind() resource.Kind[*autoscaling.PodAutoscaler] {
	return resource.Kind[*autoscaling.PodAutoscaler]{
		Resource:       autoscaling.Resource("podautoscalers"),
		Singular:       "podautoscaler",
		ShortNames:     []string{"kpa", "pa"},
		Categories:     []string{"knative-internal", "autoscaling"},
		GroupVersion:   autoscalingv1alpha1.SchemeGroupVersion,
		New:            func() *autoscaling.PodAutoscaler { return &autoscaling.PodAutoscaler{} },
		NewList:        func() runtime.Object { return &autoscaling.PodAutoscalerList{} },
		Spec:           func(pa *autoscaling.PodAutoscaler) any { return &pa.Spec },
		Status:         func(pa *autoscaling.PodAutoscaler) *duckv1.Status { return &pa.Status.Status },
		CopySpec:       func(dst, src *autoscaling.PodAutoscaler) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *autoscaling.PodAutoscaler) { dst.Status = src.Status },
		ClearStatus:    func(pa *autoscaling.PodAutoscaler) { pa.Status = autoscaling.PodAutoscalerStatus{} },
		Default:        defaults.PodAutoscaler,
		Validate:       validation.ValidatePodAutoscaler,
		ValidateUpdate: validation.ValidatePodAutoscalerUpdate,
		Columns: append([]metav1.TableColumnDefinition{
			{Name: "DesiredScale", Type: "integer", Description: "Replicas the autoscaler wants"},
			{Name: "ActualScale", Type: "integer", Description: "Replicas running"},
		}, resource.ReadyColumns()...),
		Cells: func(pa *autoscaling.PodAutoscaler) []any {
			return append([]any{scale(pa.Status.DesiredScale), scale(pa.Status.ActualScale)},
				resource.ReadyCells(&pa.Status.Status)...)
		},
	}
}

// scale renders an unset scale as an empty cell, as kubectl does for CRDs.
func scale(n *int32) any {
	if n == nil {
		return nil
	}
	return int64(*n)
}
