package validation_test

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	"github.com/knap-dev/knap/pkg/apis/autoscaling/validation"
)

const ns = "ns"

// validPodAutoscaler is a PodAutoscaler as Knative's revision reconciler
// creates it, after defaulting.
func validPodAutoscaler() *autoscaling.PodAutoscaler {
	return &autoscaling.PodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Name: "hello-00001", Namespace: ns, ResourceVersion: "1", Annotations: map[string]string{
			autoscaling.ClassAnnotationKey:  autoscaling.KPA,
			autoscaling.MetricAnnotationKey: autoscaling.Concurrency,
		}},
		Spec: autoscaling.PodAutoscalerSpec{
			ScaleTargetRef: autoscaling.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "hello-00001-deployment"},
			ProtocolType:   autoscaling.ProtocolHTTP1,
		},
	}
}

func TestValidatePodAutoscaler(t *testing.T) {
	for name, tc := range map[string]struct {
		mutate func(*autoscaling.PodAutoscaler)
		want   []string // field paths of the errors; none means valid
	}{
		"valid":                               {mutate: func(*autoscaling.PodAutoscaler) {}},
		"h2c":                                 {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ProtocolType = autoscaling.ProtocolH2C }},
		"reachable":                           {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.Reachability = autoscaling.ReachabilityReachable }},
		"unreachable":                         {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.Reachability = autoscaling.ReachabilityUnreachable }},
		"reachability is not judged":          {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.Reachability = "Sometimes" }},
		"container concurrency 0 (unlimited)": {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ContainerConcurrency = 0 }},
		"container concurrency 1000":          {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ContainerConcurrency = 1000 }},
		// The registry generates the name before validation runs.
		"generated name": {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Name, pa.GenerateName = "hello-x7k2p", "hello-" }},
		"hpa with cpu": {mutate: func(pa *autoscaling.PodAutoscaler) {
			pa.Annotations = map[string]string{autoscaling.ClassAnnotationKey: autoscaling.HPA, autoscaling.MetricAnnotationKey: autoscaling.CPU}
		}},

		"name not a DNS-1035 label":      {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Name = "1hello" }, want: []string{"metadata.name"}},
		"name with a dot":                {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Name = "hello.world" }, want: []string{"metadata.name"}},
		"bad generateName":               {mutate: func(pa *autoscaling.PodAutoscaler) { pa.GenerateName = "Hello-" }, want: []string{"metadata.generateName"}},
		"no name":                        {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Name = "" }, want: []string{"metadata.name"}},
		"no namespace":                   {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Namespace = "" }, want: []string{"metadata.namespace"}},
		"invalid autoscaling annotation": {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Annotations[autoscaling.MinScaleAnnotationKey] = "-1" }, want: []string{"metadata.annotations[autoscaling.knative.dev/min-scale]"}},
		"metric not for the class":       {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Annotations[autoscaling.MetricAnnotationKey] = autoscaling.CPU }, want: []string{"metadata.annotations[autoscaling.knative.dev/metric]"}},

		"empty spec": {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec = autoscaling.PodAutoscalerSpec{} }, want: []string{"spec"}},
		"no scale target": {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ScaleTargetRef = autoscaling.ObjectReference{} }, want: []string{
			"spec.scaleTargetRef.apiVersion", "spec.scaleTargetRef.kind", "spec.scaleTargetRef.name",
		}},
		"scale target without apiVersion": {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ScaleTargetRef.APIVersion = "" }, want: []string{"spec.scaleTargetRef.apiVersion"}},
		"scale target bad apiVersion":     {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ScaleTargetRef.APIVersion = "apps//v1" }, want: []string{"spec.scaleTargetRef.apiVersion"}},
		"scale target without kind":       {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ScaleTargetRef.Kind = "" }, want: []string{"spec.scaleTargetRef.kind"}},
		"scale target bad kind":           {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ScaleTargetRef.Kind = "Deploy-ment" }, want: []string{"spec.scaleTargetRef.kind"}},
		"scale target without name":       {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ScaleTargetRef.Name = "" }, want: []string{"spec.scaleTargetRef.name"}},
		"scale target bad name":           {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ScaleTargetRef.Name = "Hello" }, want: []string{"spec.scaleTargetRef.name"}},
		"container concurrency -1":        {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ContainerConcurrency = -1 }, want: []string{"spec.containerConcurrency"}},
		"container concurrency 1001":      {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ContainerConcurrency = 1001 }, want: []string{"spec.containerConcurrency"}},
		"no protocol":                     {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ProtocolType = "" }, want: []string{"spec.protocolType"}},
		"unknown protocol":                {mutate: func(pa *autoscaling.PodAutoscaler) { pa.Spec.ProtocolType = "http2" }, want: []string{"spec.protocolType"}},
		"only a protocol": {mutate: func(pa *autoscaling.PodAutoscaler) {
			pa.Spec = autoscaling.PodAutoscalerSpec{ProtocolType: autoscaling.ProtocolHTTP1}
		}, want: []string{"spec.scaleTargetRef.apiVersion", "spec.scaleTargetRef.kind", "spec.scaleTargetRef.name"}},
	} {
		t.Run(name, func(t *testing.T) {
			pa := validPodAutoscaler()
			tc.mutate(pa)
			expectPaths(t, validation.ValidatePodAutoscaler(pa), tc.want...)
		})
	}
}

func TestValidatePodAutoscalerUpdate(t *testing.T) {
	old := validPodAutoscaler()

	// Every part of the spec may change; the create rules still apply.
	pa := validPodAutoscaler()
	pa.Spec.Reachability = autoscaling.ReachabilityUnreachable
	pa.Spec.ContainerConcurrency = 10
	pa.Spec.ScaleTargetRef.Name = "other"
	expectPaths(t, validation.ValidatePodAutoscalerUpdate(pa, old))

	pa = validPodAutoscaler()
	pa.Spec.ProtocolType = "spdy"
	expectPaths(t, validation.ValidatePodAutoscalerUpdate(pa, old), "spec.protocolType")

	// Metadata follows the Kubernetes update rules.
	pa = validPodAutoscaler()
	pa.Name = "renamed"
	expectPaths(t, validation.ValidatePodAutoscalerUpdate(pa, old), "metadata.name")
}

func validMetric() *autoscaling.Metric {
	return &autoscaling.Metric{
		ObjectMeta: metav1.ObjectMeta{Name: "hello-00001", Namespace: ns, ResourceVersion: "1"},
		Spec: autoscaling.MetricSpec{
			StableWindow: time.Minute,
			PanicWindow:  6 * time.Second,
			ScrapeTarget: "hello-00001-private",
		},
	}
}

func TestValidateMetric(t *testing.T) {
	for name, tc := range map[string]struct {
		mutate func(*autoscaling.Metric)
		want   []string
	}{
		"valid":                      {mutate: func(*autoscaling.Metric) {}},
		"only a scrape target":       {mutate: func(m *autoscaling.Metric) { m.Spec = autoscaling.MetricSpec{ScrapeTarget: "svc"} }},
		"windows are not judged":     {mutate: func(m *autoscaling.Metric) { m.Spec.StableWindow, m.Spec.PanicWindow = -time.Second, time.Hour }},
		"valid autoscaling settings": {mutate: func(m *autoscaling.Metric) { m.Annotations = map[string]string{autoscaling.WindowAnnotationKey: "30s"} }},

		"empty spec":        {mutate: func(m *autoscaling.Metric) { m.Spec = autoscaling.MetricSpec{} }, want: []string{"spec"}},
		"name not DNS-1035": {mutate: func(m *autoscaling.Metric) { m.Name = "hello_world" }, want: []string{"metadata.name"}},
		"bad generateName":  {mutate: func(m *autoscaling.Metric) { m.GenerateName = "-x" }, want: []string{"metadata.generateName"}},
		"invalid window annotation": {mutate: func(m *autoscaling.Metric) {
			m.Annotations = map[string]string{autoscaling.WindowAnnotationKey: "2h"}
		}, want: []string{"metadata.annotations[autoscaling.knative.dev/window]"}},
	} {
		t.Run(name, func(t *testing.T) {
			m := validMetric()
			tc.mutate(m)
			expectPaths(t, validation.ValidateMetric(m), tc.want...)
		})
	}
}

func TestValidateMetricUpdate(t *testing.T) {
	old := validMetric()
	m := validMetric()
	m.Spec.StableWindow = 2 * time.Minute
	expectPaths(t, validation.ValidateMetricUpdate(m, old))

	m = validMetric()
	m.Spec = autoscaling.MetricSpec{}
	expectPaths(t, validation.ValidateMetricUpdate(m, old), "spec")

	m = validMetric()
	m.Namespace = "other"
	expectPaths(t, validation.ValidateMetricUpdate(m, old), "metadata.namespace")
}
