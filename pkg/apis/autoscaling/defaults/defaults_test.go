package defaults

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/diff"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
)

const (
	classKey  = autoscaling.ClassAnnotationKey
	metricKey = autoscaling.MetricAnnotationKey
)

func TestPodAutoscaler(t *testing.T) {
	for name, tc := range map[string]struct {
		in, want map[string]string
	}{
		"no annotations: KPA on concurrency": {
			in:   nil,
			want: map[string]string{classKey: autoscaling.KPA, metricKey: autoscaling.Concurrency},
		},
		"other annotations are kept": {
			in:   map[string]string{autoscaling.MinScaleAnnotationKey: "1"},
			want: map[string]string{autoscaling.MinScaleAnnotationKey: "1", classKey: autoscaling.KPA, metricKey: autoscaling.Concurrency},
		},
		"KPA class: concurrency": {
			in:   map[string]string{classKey: autoscaling.KPA},
			want: map[string]string{classKey: autoscaling.KPA, metricKey: autoscaling.Concurrency},
		},
		"HPA class: cpu": {
			in:   map[string]string{classKey: autoscaling.HPA},
			want: map[string]string{classKey: autoscaling.HPA, metricKey: autoscaling.CPU},
		},
		"third-party class: empty metric": {
			in:   map[string]string{classKey: "keda.sh/autoscaler"},
			want: map[string]string{classKey: "keda.sh/autoscaler", metricKey: ""},
		},
		"explicit metric is kept": {
			in:   map[string]string{metricKey: autoscaling.RPS},
			want: map[string]string{classKey: autoscaling.KPA, metricKey: autoscaling.RPS},
		},
		"explicit metric is kept even when wrong for the class": {
			in:   map[string]string{classKey: autoscaling.HPA, metricKey: autoscaling.Concurrency},
			want: map[string]string{classKey: autoscaling.HPA, metricKey: autoscaling.Concurrency},
		},
		"empty class is kept and has no default metric": {
			in:   map[string]string{classKey: ""},
			want: map[string]string{classKey: "", metricKey: ""},
		},
		"empty metric is kept": {
			in:   map[string]string{classKey: autoscaling.HPA, metricKey: ""},
			want: map[string]string{classKey: autoscaling.HPA, metricKey: ""},
		},
	} {
		t.Run(name, func(t *testing.T) {
			spec := autoscaling.PodAutoscalerSpec{
				ScaleTargetRef: autoscaling.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "d"},
				ProtocolType:   autoscaling.ProtocolHTTP1,
			}
			pa := &autoscaling.PodAutoscaler{ObjectMeta: metav1.ObjectMeta{Name: "pa", Annotations: tc.in}, Spec: spec}
			for _, old := range []*autoscaling.PodAutoscaler{nil, pa.DeepCopy()} {
				got := pa.DeepCopy()
				PodAutoscaler(got, old, "someone")
				if !equality.Semantic.DeepEqual(got.Annotations, tc.want) {
					t.Errorf("old=%v: annotations = %v, want %v", old != nil, got.Annotations, tc.want)
				}
				if !equality.Semantic.DeepEqual(got.Spec, spec) {
					t.Errorf("old=%v: spec changed: %s", old != nil, diff.Diff(spec, got.Spec))
				}
			}
		})
	}
}

func TestPodAutoscalerIdempotent(t *testing.T) {
	pa := &autoscaling.PodAutoscaler{}
	PodAutoscaler(pa, nil, "")
	once := pa.DeepCopy()
	PodAutoscaler(pa, once, "")
	if !equality.Semantic.DeepEqual(pa, once) {
		t.Errorf("second defaulting changed the object: %s", diff.Diff(once, pa))
	}
}

func TestMetric(t *testing.T) {
	for name, in := range map[string]*autoscaling.Metric{
		"empty": {},
		"full": {
			ObjectMeta: metav1.ObjectMeta{Name: "m", Annotations: map[string]string{autoscaling.WindowAnnotationKey: "30s"}},
			Spec:       autoscaling.MetricSpec{StableWindow: time.Minute, PanicWindow: 6 * time.Second, ScrapeTarget: "svc"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			got := in.DeepCopy()
			Metric(got, nil, "someone")
			if !equality.Semantic.DeepEqual(got, in) {
				t.Errorf("Metric has no defaults, but defaulting changed it: %s", diff.Diff(in, got))
			}
		})
	}
}
