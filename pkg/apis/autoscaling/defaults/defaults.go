// Package defaults applies Knative Serving's defaults to the internal
// autoscaling.internal.knative.dev types, with config-autoscaler as shipped
// (pod-autoscaler-class kpa.autoscaling.knative.dev).
//
// The registry strategies call these from PrepareForCreate and
// PrepareForUpdate; old is nil on create and the stored object on update,
// and the defaults are the same for both. user is unused: these kinds carry
// no creator annotations.
package defaults

import "github.com/knap-dev/knap/pkg/apis/autoscaling"

// PodAutoscaler fills in the class and metric annotations when they are
// absent: the class becomes the cluster's default (the KPA), the metric the
// class's default (concurrency for the KPA, cpu for the HPA, "" for any
// other class). Annotations that are present, even empty, are kept for
// validation to judge.
func PodAutoscaler(pa, old *autoscaling.PodAutoscaler, user string) {
	if pa.Annotations == nil {
		pa.Annotations = make(map[string]string, 2)
	}
	class, ok := pa.Annotations[autoscaling.ClassAnnotationKey]
	if !ok {
		class = autoscaling.DefaultClass
		pa.Annotations[autoscaling.ClassAnnotationKey] = class
	}
	if _, ok := pa.Annotations[autoscaling.MetricAnnotationKey]; !ok {
		pa.Annotations[autoscaling.MetricAnnotationKey] = autoscaling.DefaultMetric(class)
	}
}

// Metric defaults nothing: Knative's Metric has no defaults.
func Metric(m, old *autoscaling.Metric, user string) {}
