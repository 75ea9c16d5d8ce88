package v1alpha1_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"

	"github.com/knap-dev/knap/pkg/apis/autoscaling/install"
	"github.com/knap-dev/knap/pkg/apis/autoscaling/v1alpha1"
)

// Objects as Knative Serving's controllers write them (encoding/json of
// knative.dev/serving's types).
const (
	knativePodAutoscaler = `{
  "apiVersion": "autoscaling.internal.knative.dev/v1alpha1",
  "kind": "PodAutoscaler",
  "metadata": {"name": "hello-00001", "namespace": "default",
    "annotations": {"autoscaling.knative.dev/class": "kpa.autoscaling.knative.dev", "autoscaling.knative.dev/metric": "concurrency"}},
  "spec": {"containerConcurrency": 10,
    "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "hello-00001-deployment"},
    "reachability": "Reachable", "protocolType": "http1"},
  "status": {"observedGeneration": 1,
    "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2025-01-02T03:04:05Z"}],
    "serviceName": "hello-00001", "metricsServiceName": "hello-00001-private",
    "desiredScale": 2, "actualScale": 1}
}`
	knativeMetric = `{
  "apiVersion": "autoscaling.internal.knative.dev/v1alpha1",
  "kind": "Metric",
  "metadata": {"name": "hello-00001", "namespace": "default"},
  "spec": {"stableWindow": 60000000000, "panicWindow": 6000000000, "scrapeTarget": "hello-00001-private"},
  "status": {}
}`
)

func codec(t *testing.T) runtime.Serializer {
	t.Helper()
	scheme := runtime.NewScheme()
	install.Install(scheme)
	return kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme, scheme, kjson.SerializerOptions{Strict: true})
}

// roundTrip decodes in strictly (unknown or misspelled fields fail) into a
// v1alpha1 object and checks that encoding it gives the same JSON back.
func roundTrip(t *testing.T, in string, into runtime.Object) {
	t.Helper()
	s := codec(t)
	if _, _, err := s.Decode([]byte(in), nil, into); err != nil {
		t.Fatalf("decode: %v", err)
	}
	out, err := runtime.Encode(s, into)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	var want, got any
	if err := json.Unmarshal([]byte(in), &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	// Encoding always writes metadata.creationTimestamp (null when unset).
	delete(got.(map[string]any)["metadata"].(map[string]any), "creationTimestamp")
	if !reflect.DeepEqual(want, got) {
		t.Errorf("round trip changed the object:\n in: %s\nout: %s", in, out)
	}
}

func TestPodAutoscalerWire(t *testing.T) {
	pa := &v1alpha1.PodAutoscaler{}
	roundTrip(t, knativePodAutoscaler, pa)
	if pa.Spec.ScaleTargetRef.Name != "hello-00001-deployment" || pa.Spec.ProtocolType != v1alpha1.ProtocolHTTP1 ||
		pa.Status.DesiredScale == nil || *pa.Status.DesiredScale != 2 {
		t.Errorf("decoded %+v", pa)
	}
}

func TestMetricWire(t *testing.T) {
	m := &v1alpha1.Metric{}
	roundTrip(t, knativeMetric, m)
	if m.Spec.StableWindow != time.Minute || m.Spec.PanicWindow != 6*time.Second {
		t.Errorf("windows are nanoseconds on the wire: got %v, %v", m.Spec.StableWindow, m.Spec.PanicWindow)
	}
}

func TestEmptyStatusNames(t *testing.T) {
	// Knative's Go types write the service names without omitempty.
	out, err := json.Marshal(v1alpha1.PodAutoscalerStatus{})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"serviceName":"","metricsServiceName":""}` {
		t.Errorf("empty status = %s", out)
	}
}

func TestFieldLabels(t *testing.T) {
	scheme := runtime.NewScheme()
	install.Install(scheme)
	for _, kind := range []string{"PodAutoscaler", "Metric"} {
		gvk := v1alpha1.SchemeGroupVersion.WithKind(kind)
		for _, label := range []string{"metadata.name", "metadata.namespace", "status.ready"} {
			if _, _, err := scheme.ConvertFieldLabel(gvk, label, "x"); err != nil {
				t.Errorf("%s: %s refused: %v", kind, label, err)
			}
		}
		if _, _, err := scheme.ConvertFieldLabel(gvk, "spec.protocolType", "x"); err == nil {
			t.Errorf("%s: spec.protocolType accepted", kind)
		}
	}
}
