// Package metric stores autoscaling.internal.knative.dev Metrics.
package metric

import (
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	"github.com/knap-dev/knap/pkg/apis/autoscaling/defaults"
	autoscalingv1alpha1 "github.com/knap-dev/knap/pkg/apis/autoscaling/v1alpha1"
	"github.com/knap-dev/knap/pkg/apis/autoscaling/validation"
	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes Metrics to the generic storage: names, categories and
// printer columns (Ready, Reason) of Knative's metrics CRD.
func Kind() resource.Kind[*autoscaling.Metric] {
	return resource.Kind[*autoscaling.Metric]{
		Resource:       autoscaling.Resource("metrics"),
		Singular:       "metric",
		Categories:     []string{"knative-internal", "autoscaling"},
		GroupVersion:   autoscalingv1alpha1.SchemeGroupVersion,
		New:            func() *autoscaling.Metric { return &autoscaling.Metric{} },
		NewList:        func() runtime.Object { return &autoscaling.MetricList{} },
		Spec:           func(m *autoscaling.Metric) any { return &m.Spec },
		Status:         func(m *autoscaling.Metric) *duckv1.Status { return &m.Status.Status },
		CopySpec:       func(dst, src *autoscaling.Metric) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *autoscaling.Metric) { dst.Status = src.Status },
		ClearStatus:    func(m *autoscaling.Metric) { m.Status = autoscaling.MetricStatus{} },
		Default:        defaults.Metric,
		Validate:       validation.ValidateMetric,
		ValidateUpdate: validation.ValidateMetricUpdate,
		Columns:        resource.ReadyColumns(),
		Cells:          func(m *autoscaling.Metric) []any { return resource.ReadyCells(&m.Status.Status) },
	}
}
