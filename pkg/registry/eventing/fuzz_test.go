package eventing_test

// Native fuzz targets for the eventing.knative.dev write path. Each input is
// a request body, decoded strictly (JSON or YAML) as the target's versioned
// kind; what does not decode is a 400 and not interesting. The rest is
// converted to internal and goes through create (namespace from the
// request, defaults with no old object, Validate) and update (replacing a
// fixed stored object: defaults with old = stored, ValidateUpdate).
// Checked: no panic, defaulting is idempotent, defaulting and validation
// leave the stored object alone, and every error names a field under
// metadata or spec.

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/eventing"
	"github.com/knap-dev/knap/pkg/apis/eventing/install"
	eventingv1 "github.com/knap-dev/knap/pkg/apis/eventing/v1"
	eventingv1beta2 "github.com/knap-dev/knap/pkg/apis/eventing/v1beta2"
	"github.com/knap-dev/knap/pkg/registry/eventing/broker"
	"github.com/knap-dev/knap/pkg/registry/eventing/eventtype"
	"github.com/knap-dev/knap/pkg/registry/eventing/trigger"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

var errorRoot = regexp.MustCompile(`^(metadata|spec)([.\[]|$)`)

const brokerDoc = `{"apiVersion":"eventing.knative.dev/v1","kind":"Broker","metadata":{"name":"default","namespace":"default"}}`

func FuzzBroker(f *testing.F) {
	fuzzKind(f, broker.Kind(), eventingv1.SchemeGroupVersion.WithKind("Broker"), brokerDoc,
		`{"kind":"Broker","metadata":{"name":"b","annotations":{"eventing.knative.dev/broker.class":"Kafka"}},"spec":{"config":{"apiVersion":"v1","kind":"ConfigMap","name":"c","namespace":"knative-eventing"},"delivery":{"retry":2,"timeout":"PT1S","deadLetterSink":{"uri":"http://dls.default.svc"}}}}`,
		`{"kind":"Broker","metadata":{"name":"b","annotations":{"eventing.knative.dev/broker.class":""}},"spec":{"config":{"kind":"ConfigMap"},"delivery":{"retry":-1,"backoffPolicy":"random","backoffDelay":"1s","deadLetterSink":{}}}}`)
}

func FuzzTrigger(f *testing.F) {
	fuzzKind(f, trigger.Kind(), eventingv1.SchemeGroupVersion.WithKind("Trigger"),
		`{"kind":"Trigger","metadata":{"name":"t","namespace":"default"},"spec":{"broker":"default","subscriber":{"uri":"http://example.com"}}}`,
		`{"kind":"Trigger","metadata":{"name":"t","annotations":{"knative.dev/dependency":"{\"kind\":\"PingSource\",\"name\":\"p\",\"apiVersion\":\"sources.knative.dev/v1\"}"}},"spec":{"brokerRef":{"apiVersion":"eventing.knative.dev/v1","kind":"Broker","name":"default"},"filters":[{"not":{"cesql":"type = 'a'"}},{"all":[{"exact":{"type":"x"}},{"any":[{"suffix":{"subject":".jpg"}}]}]}],"subscriber":{"ref":{"apiVersion":"v1","kind":"Service","name":"s"}}}}`,
		`{"kind":"Trigger","metadata":{"name":"t","annotations":{"eventing.knative.dev/injection":"wut","knative.dev/dependency":"{}"}},"spec":{"broker":"b","brokerRef":{"kind":"Broker","name":"b","namespace":"other"},"filter":{"attributes":{"Bad":""}},"filters":[{"exact":{"a":"b","c":""},"cesql":"type ="},{"prefix":{"type":""}},{"cesql":"(("}],"subscriber":{"uri":"/rel"},"delivery":{"retryAfterMax":"PT1S"}}}`)
}

func FuzzEventType(f *testing.F) {
	fuzzKind(f, eventtype.Kind(), eventingv1beta2.SchemeGroupVersion.WithKind("EventType"),
		`{"kind":"EventType","metadata":{"name":"e","namespace":"default"},"spec":{"type":"dev.example","source":"https://example.com","reference":{"apiVersion":"eventing.knative.dev/v1","kind":"Broker","name":"default"}}}`,
		"kind: EventType\nmetadata:\n  name: e2\nspec:\n  type: t\n  schema: \"\"\n  schemaData: '{}'\n  broker: default\n  description: d\n",
		`{"kind":"EventType","metadata":{"name":"E"},"spec":{"source":"http://[::1","schema":"%zz"}}`)
}

// fuzzKind runs one target. stored is the valid object updates replace;
// seeds, stored and the kind's documents in the example manifests seed it.
func fuzzKind[T resource.Object](f *testing.F, kind resource.Kind[T], gvk schema.GroupVersionKind, stored string, seeds ...string) {
	scheme := runtime.NewScheme()
	install.Install(scheme)
	decoder := serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()
	decode := func(data []byte) (T, bool) {
		var none T
		out, got, err := decoder.Decode(data, &gvk, nil)
		if err != nil || got == nil || *got != gvk {
			return none, false
		}
		obj := kind.New()
		if err := scheme.Convert(out, obj, nil); err != nil {
			f.Fatalf("converting a decoded %s to internal: %v", gvk.Kind, err)
		}
		return obj, true
	}
	old, ok := decode([]byte(stored))
	if !ok {
		f.Fatalf("stored %s does not decode", gvk.Kind)
	}
	var none T
	kind.Default(old, none, "alice")
	if errs := kind.Validate(old); len(errs) > 0 {
		f.Fatalf("stored %s is invalid: %v", gvk.Kind, errs)
	}
	old.SetResourceVersion("42")
	for _, s := range append(append(seeds, stored), exampleDocs(f, gvk.Kind)...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		obj, ok := decode(data)
		if !ok {
			return
		}
		update := obj.DeepCopyObject().(T)
		if obj.GetNamespace() == "" {
			obj.SetNamespace("default")
		}
		kind.ClearStatus(obj)
		defaultTwice(t, kind, obj, none)
		checkErrors(t, kind.Validate(obj))

		prev := old.DeepCopyObject().(T)
		update.SetName(prev.GetName())
		update.SetNamespace(prev.GetNamespace())
		update.SetResourceVersion(prev.GetResourceVersion())
		kind.CopyStatus(update, prev)
		defaultTwice(t, kind, update, prev)
		checkErrors(t, kind.ValidateUpdate(update, prev))
		if !equality.Semantic.DeepEqual(prev, old) {
			t.Fatalf("defaulting or validating an update changed the stored %s", gvk.Kind)
		}
	})
}

// defaultTwice defaults obj and checks that defaulting again changes nothing.
func defaultTwice[T resource.Object](t *testing.T, kind resource.Kind[T], obj, old T) {
	kind.Default(obj, old, "bob")
	again := obj.DeepCopyObject().(T)
	kind.Default(again, old, "bob")
	if !equality.Semantic.DeepEqual(obj, again) {
		t.Fatalf("defaulting is not idempotent:\nonce:  %#v\ntwice: %#v", obj, again)
	}
}

func checkErrors(t *testing.T, errs field.ErrorList) {
	for _, e := range errs {
		if e == nil || !errorRoot.MatchString(e.Field) {
			t.Fatalf("validation error outside metadata and spec: %v", e)
		}
	}
}

// exampleDocs are the documents of kind in artifacts/examples/eventing.
func exampleDocs(tb testing.TB, kind string) []string {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "artifacts", "examples", "eventing", "*.yaml"))
	var docs []string
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatalf("reading example: %v", err)
		}
		for _, doc := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(data), -1) {
			if regexp.MustCompile(`(?m)^kind:\s*` + kind + `\s*$`).MatchString(doc) {
				docs = append(docs, doc)
			}
		}
	}
	return docs
}

// TestExamples checks that the example manifests are accepted on create.
func TestExamples(t *testing.T) {
	scheme := runtime.NewScheme()
	install.Install(scheme)
	decoder := serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()
	n := 0
	for _, k := range []string{"Broker", "Trigger", "EventType"} {
		for _, doc := range exampleDocs(t, k) {
			out, _, err := decoder.Decode([]byte(doc), nil, nil)
			if err != nil {
				t.Fatalf("example %s does not decode: %v", k, err)
			}
			var errs field.ErrorList
			switch o := out.(type) {
			case *eventingv1.Broker:
				errs = createWith(t, scheme, o, &eventing.Broker{}, broker.Kind())
			case *eventingv1.Trigger:
				errs = createWith(t, scheme, o, &eventing.Trigger{}, trigger.Kind())
			case *eventingv1beta2.EventType:
				errs = createWith(t, scheme, o, &eventing.EventType{}, eventtype.Kind())
			}
			if len(errs) > 0 {
				t.Errorf("example %s is invalid: %v\n%s", k, errs, strings.TrimSpace(doc))
			}
			n++
		}
	}
	if n < 3 {
		t.Errorf("found %d example documents, want a Broker and two Triggers", n)
	}
}

func createWith[T resource.Object](t *testing.T, scheme *runtime.Scheme, in runtime.Object, obj T, kind resource.Kind[T]) field.ErrorList {
	if err := scheme.Convert(in, obj, nil); err != nil {
		t.Fatal(err)
	}
	obj.SetNamespace("default")
	var none T
	kind.Default(obj, none, "alice")
	return kind.Validate(obj)
}
