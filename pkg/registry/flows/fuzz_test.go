package flows_test

// Native fuzz targets for the flows.knative.dev write path. Each input is a
// request body, decoded strictly (JSON or YAML) as flows.knative.dev/v1 and
// converted to internal; bodies that do not decode are a 400 and skipped.
// The object then goes through create (namespace from the request, status
// cleared, generation 1, defaults with old nil, Validate) and update over a
// fixed valid stored object (defaults with old, ValidateUpdate). Checked: no
// panic, defaulting again changes nothing, every error names a field under
// metadata or spec, and the stored object is never modified.

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation/field"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/knap-dev/knap/pkg/apis/flows"
	"github.com/knap-dev/knap/pkg/apis/flows/install"
	flowsv1 "github.com/knap-dev/knap/pkg/apis/flows/v1"
	"github.com/knap-dev/knap/pkg/registry/flows/parallel"
	"github.com/knap-dev/knap/pkg/registry/flows/sequence"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

var errorRoot = regexp.MustCompile(`^(metadata|spec)([.\[]|$)`)

type target[T resource.Object] struct {
	kind   resource.Kind[T]
	gvk    schema.GroupVersionKind
	newV1  func() runtime.Object
	stored string   // valid; the old object of the update path
	seeds  []string // valid and invalid documents
}

func FuzzSequence(f *testing.F) {
	example, err := os.ReadFile(filepath.Join("..", "..", "..", "artifacts", "examples", "eventing", "sequence.yaml"))
	if err != nil {
		f.Fatalf("reading the example: %v", err)
	}
	fuzzKind(f, target[*flows.Sequence]{
		kind: sequence.Kind(), gvk: flowsv1.SchemeGroupVersion.WithKind("Sequence"),
		newV1:  func() runtime.Object { return &flowsv1.Sequence{} },
		stored: "apiVersion: flows.knative.dev/v1\nkind: Sequence\nmetadata: {name: stored, namespace: default}\nspec: {steps: [{uri: 'http://a.example.com'}]}\n",
		seeds: []string{string(example),
			`{"apiVersion":"flows.knative.dev/v1","kind":"Sequence","metadata":{"name":"s"},"spec":{"channelTemplate":{"apiVersion":"messaging.knative.dev/v1alpha1","kind":"KafkaChannel","spec":{"numPartitions":3}},"steps":[{"ref":{"apiVersion":"v1","kind":"Service","name":"a","namespace":"default"},"uri":"/x","delivery":{"retry":2,"timeout":"PT5S","deadLetterSink":{"uri":"http://dls.example.com"}}}],"reply":{"uri":"http://r.example.com"}}}`,
			`{"apiVersion":"flows.knative.dev/v1","kind":"Sequence","metadata":{"name":"Bad_Name"},"spec":{"channelTemplate":{"spec":[1]},"steps":[{},{"uri":"rel"}],"reply":{"ref":{"name":"x","namespace":"other"}}}}`,
			"apiVersion: flows.knative.dev/v1\nkind: Sequence\nmetadata: {name: empty}\nspec: {steps: []}\n",
		},
	})
}

func FuzzParallel(f *testing.F) {
	fuzzKind(f, target[*flows.Parallel]{
		kind: parallel.Kind(), gvk: flowsv1.SchemeGroupVersion.WithKind("Parallel"),
		newV1:  func() runtime.Object { return &flowsv1.Parallel{} },
		stored: "apiVersion: flows.knative.dev/v1\nkind: Parallel\nmetadata: {name: stored, namespace: default}\nspec: {branches: [{subscriber: {uri: 'http://a.example.com'}}]}\n",
		seeds: []string{
			"apiVersion: flows.knative.dev/v1\nkind: Parallel\nmetadata: {name: p}\nspec:\n  branches:\n  - filter: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: even}}\n    subscriber: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: handler}}\n    reply: {uri: 'http://reply.example.com'}\n    delivery: {retry: 1, backoffPolicy: linear, backoffDelay: PT1S}\n  reply: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: display}}\n",
			`{"apiVersion":"flows.knative.dev/v1","kind":"Parallel","metadata":{"name":"p2","namespace":"default"},"spec":{"channelTemplate":{"apiVersion":"messaging.knative.dev/v1","kind":"InMemoryChannel","spec":{}},"branches":[{"subscriber":{"uri":"http://s.example.com"}}]}}`,
			`{"apiVersion":"flows.knative.dev/v1","kind":"Parallel","metadata":{"name":"bad"},"spec":{"channelTemplate":{"kind":"X"},"branches":[{"filter":{},"subscriber":{},"delivery":{"retry":-1,"format":"xml","retryAfterMax":"PT1S"}}],"reply":{"uri":"/r"}}}`,
			`{"apiVersion":"flows.knative.dev/v1","kind":"Parallel","metadata":{"name":"none"},"spec":{}}`,
		},
	})
}

func fuzzKind[T resource.Object](f *testing.F, tg target[T]) {
	scheme := runtime.NewScheme()
	install.Install(scheme)
	decoder := serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()
	decode := func(data []byte) (T, bool) {
		var none T
		out, gvk, err := decoder.Decode(data, &tg.gvk, tg.newV1())
		if err != nil || gvk == nil || *gvk != tg.gvk {
			return none, false
		}
		obj := tg.kind.New()
		if err := scheme.Convert(out, obj, nil); err != nil {
			f.Fatalf("converting a decoded %s to internal: %v", tg.gvk.Kind, err)
		}
		return obj, true
	}

	stored, ok := decode([]byte(tg.stored))
	if !ok {
		f.Fatalf("stored %s does not decode", tg.gvk.Kind)
	}
	var none T
	tg.kind.Default(stored, none, "alice")
	if errs := tg.kind.Validate(stored); len(errs) != 0 {
		f.Fatalf("stored %s is invalid: %v", tg.gvk.Kind, errs)
	}
	stored.SetResourceVersion("1")
	stored.SetGeneration(1)

	for _, doc := range append([]string{tg.stored}, tg.seeds...) {
		f.Add([]byte(doc))
		if j, err := utilyaml.ToJSON([]byte(doc)); err == nil {
			f.Add(j)
		}
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		obj, ok := decode(data)
		if !ok {
			return
		}
		// Create.
		created := obj.DeepCopyObject().(T)
		if created.GetNamespace() == "" {
			created.SetNamespace("default")
		}
		tg.kind.ClearStatus(created)
		created.SetGeneration(1)
		tg.kind.Default(created, none, "alice")
		checkIdempotent(t, tg.kind, created, none)
		checkErrors(t, "create", tg.kind.Validate(created))

		// Update of the stored object.
		old := stored.DeepCopyObject().(T)
		updated := obj.DeepCopyObject().(T)
		updated.SetName(old.GetName())
		updated.SetNamespace(old.GetNamespace())
		updated.SetResourceVersion(old.GetResourceVersion())
		updated.SetGeneration(old.GetGeneration())
		tg.kind.CopyStatus(updated, old)
		tg.kind.Default(updated, old, "bob")
		checkIdempotent(t, tg.kind, updated, old)
		checkErrors(t, "update", tg.kind.ValidateUpdate(updated, old))
		if !equality.Semantic.DeepEqual(old, stored) {
			t.Fatalf("defaulting or validation modified the stored %s", tg.gvk.Kind)
		}
	})
}

// checkIdempotent defaults a copy of the defaulted obj again and requires no change.
func checkIdempotent[T resource.Object](t *testing.T, k resource.Kind[T], obj, old T) {
	again := obj.DeepCopyObject().(T)
	k.Default(again, old, "alice")
	if !equality.Semantic.DeepEqual(obj, again) {
		t.Fatalf("defaulting is not idempotent:\nonce:  %#v\ntwice: %#v", obj, again)
	}
}

// checkErrors requires every error to name a field the user wrote.
func checkErrors(t *testing.T, op string, errs field.ErrorList) {
	for _, e := range errs {
		if e == nil || !errorRoot.MatchString(e.Field) {
			t.Fatalf("%s: error outside metadata and spec: %v", op, e)
		}
	}
}
