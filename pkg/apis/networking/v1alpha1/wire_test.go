package v1alpha1_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/knap-dev/knap/pkg/apis/networking/install"
	"github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
)

// Objects as Knative Serving's controllers write them (encoding/json of
// knative.dev/networking's types).
const (
	knativeIngress = `{
  "apiVersion": "networking.internal.knative.dev/v1alpha1",
  "kind": "Ingress",
  "metadata": {"name": "hello", "namespace": "default"},
  "spec": {
    "tls": [{"hosts": ["hello.default.example.com"], "secretName": "route-cert", "secretNamespace": "default", "visibility": "ExternalIP"}],
    "rules": [{
      "hosts": ["hello.default.example.com"], "visibility": "ExternalIP",
      "http": {"paths": [{
        "path": "/", "rewriteHost": "hello.internal",
        "headers": {"Knative-Serving-Tag": {"exact": "v1"}},
        "splits": [
          {"serviceNamespace": "default", "serviceName": "hello-00001", "servicePort": 80, "percent": 80, "appendHeaders": {"Knative-Serving-Revision": "hello-00001"}},
          {"serviceNamespace": "default", "serviceName": "hello-00002", "servicePort": "http", "percent": 20}
        ],
        "appendHeaders": {"Knative-Serving-Namespace": "default"}
      }]}
    }],
    "httpOption": "Redirected"
  },
  "status": {
    "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2025-01-02T03:04:05Z"}],
    "publicLoadBalancer": {"ingress": [{"domainInternal": "knap-gateway.knap-system.svc.cluster.local"}]},
    "privateLoadBalancer": {"ingress": [{"ip": "10.0.0.1", "domain": "x.example.com", "meshOnly": true}]}
  }
}`
	// ServerlessServiceSpec.ProtocolType has no JSON tag in Knative.
	knativeServerlessService = `{
  "apiVersion": "networking.internal.knative.dev/v1alpha1",
  "kind": "ServerlessService",
  "metadata": {"name": "hello-00001", "namespace": "default"},
  "spec": {"mode": "Proxy",
    "objectRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "hello-00001-deployment"},
    "ProtocolType": "h2c", "numActivators": 2},
  "status": {"observedGeneration": 3, "serviceName": "hello-00001", "privateServiceName": "hello-00001-private"}
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

func TestIngressWire(t *testing.T) {
	ing := &v1alpha1.Ingress{}
	roundTrip(t, knativeIngress, ing)
	splits := ing.Spec.Rules[0].HTTP.Paths[0].Splits
	if splits[0].ServicePort != intstr.FromInt32(80) || splits[1].ServicePort != intstr.FromString("http") || splits[1].Percent != 20 {
		t.Errorf("decoded splits %+v", splits)
	}
}

func TestServerlessServiceWire(t *testing.T) {
	sks := &v1alpha1.ServerlessService{}
	roundTrip(t, knativeServerlessService, sks)
	if sks.Spec.ProtocolType != v1alpha1.ProtocolH2C || sks.Spec.ObjectRef.Kind != "Deployment" {
		t.Errorf("decoded %+v", sks.Spec)
	}
}

func TestServerlessServiceProtocolTypeSpelling(t *testing.T) {
	// The wire name is Knative's Go field name; a lower-case key is an
	// unknown field, as it would be pruned by Knative's CRD.
	in := strings.Replace(knativeServerlessService, `"ProtocolType"`, `"protocolType"`, 1)
	if _, _, err := codec(t).Decode([]byte(in), nil, &v1alpha1.ServerlessService{}); err == nil || !strings.Contains(err.Error(), "protocolType") {
		t.Errorf("strict decode of spec.protocolType: err = %v, want an unknown field error", err)
	}
}

func TestFieldLabels(t *testing.T) {
	scheme := runtime.NewScheme()
	install.Install(scheme)
	for _, kind := range []string{"Ingress", "ServerlessService"} {
		gvk := v1alpha1.SchemeGroupVersion.WithKind(kind)
		for _, label := range []string{"metadata.name", "metadata.namespace", "status.ready"} {
			if _, _, err := scheme.ConvertFieldLabel(gvk, label, "x"); err != nil {
				t.Errorf("%s: %s refused: %v", kind, label, err)
			}
		}
		if _, _, err := scheme.ConvertFieldLabel(gvk, "spec.mode", "x"); err == nil {
			t.Errorf("%s: spec.mode accepted", kind)
		}
	}
}
