package sources_test

// Native fuzz targets for the sources.knative.dev write path. Each input is
// a request body, decoded strictly (JSON or YAML) as the target's v1 kind and
// converted to internal; inputs the server would answer 400 are skipped.
// Then, as the strategy does, create (status cleared, defaults with no old
// object, Validate) and update over a fixed valid stored object (status
// copied, defaults, ValidateUpdate). Invariants: no panic; defaulting twice
// changes nothing; every error is non-nil and names a field under metadata
// or spec. hack/fuzz.sh runs the targets; failing inputs land in
// testdata/fuzz/<Target>/.

import (
	"os"
	"regexp"
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation/field"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/knap-dev/knap/pkg/apis/sources/install"
	sourcesv1 "github.com/knap-dev/knap/pkg/apis/sources/v1"
	"github.com/knap-dev/knap/pkg/registry/resource"
	"github.com/knap-dev/knap/pkg/registry/sources/apiserversource"
	"github.com/knap-dev/knap/pkg/registry/sources/containersource"
	"github.com/knap-dev/knap/pkg/registry/sources/pingsource"
	"github.com/knap-dev/knap/pkg/registry/sources/sinkbinding"
)

const examplePath = "../../../artifacts/examples/eventing/pingsource.yaml"

const sink = `{"ref":{"apiVersion":"serving.knative.dev/v1","kind":"Service","name":"display"}}`

func FuzzPingSource(f *testing.F) {
	example, err := os.ReadFile(examplePath)
	if err != nil {
		f.Fatal(err)
	}
	fuzzKind(f, pingsource.Kind(), "PingSource",
		`{"metadata":{"name":"stored","namespace":"default"},"spec":{"schedule":"0 * * * *","sink":`+sink+`}}`,
		string(example),
		`{"metadata":{"name":"p"},"spec":{"timezone":"Asia/Tokyo","dataBase64":"eyJhIjoxfQ==","contentType":"application/json","sink":{"uri":"http://example.com"}}}`,
		`{"metadata":{"name":"p"},"spec":{"schedule":"@every 1m","timezone":"Mars/Base","data":"[1]","dataBase64":"!","contentType":"application/json"}}`,
		`{"metadata":{"name":"p"},"spec":{"schedule":"TZ=UTC","sink":{"ref":{"kind":"Service","namespace":"other"}},"ceOverrides":{"extensions":{"Bad":"x"}}}}`,
	)
}

func FuzzApiServerSource(f *testing.F) {
	fuzzKind(f, apiserversource.Kind(), "ApiServerSource",
		`{"metadata":{"name":"stored","namespace":"default"},"spec":{"resources":[{"apiVersion":"v1","kind":"Event"}],"sink":`+sink+`}}`,
		`{"metadata":{"name":"a"},"spec":{"mode":"Resource","serviceAccountName":"watcher","resources":[{"apiVersion":"apps/v1","kind":"Deployment","selector":{"matchLabels":{"app":"x"}}}],"owner":{"apiVersion":"apps/v1","kind":"ReplicaSet"},"namespaceSelector":{"matchLabels":{"env":"dev"}},"sink":`+sink+`}}`,
		`{"metadata":{"name":"a"},"spec":{"mode":"Ref","resources":[{"apiVersion":"a/b/c","kind":" "}],"owner":{"apiVersion":"x/y/z"},"filters":[{"exact":{"type":"t"}}],"sink":{}}}`,
	)
}

func FuzzSinkBinding(f *testing.F) {
	fuzzKind(f, sinkbinding.Kind(), "SinkBinding",
		`{"metadata":{"name":"stored","namespace":"default"},"spec":{"subject":{"apiVersion":"apps/v1","kind":"Deployment","name":"app"},"sink":`+sink+`}}`,
		`{"metadata":{"name":"b"},"spec":{"subject":{"apiVersion":"batch/v1","kind":"Job","selector":{"matchLabels":{"app":"x"}}},"sink":{"uri":"https://example.com"}}}`,
		`{"metadata":{"name":"b"},"spec":{"subject":{"apiVersion":"a/b/c","kind":"Bad-Kind","namespace":"other","name":"x.y","selector":{}},"sink":{"uri":"/rel"}}}`,
		`{"metadata":{"name":"b"},"spec":{"subject":{"selector":{"matchExpressions":[{"key":"a","operator":"Like"}]}}}}`,
	)
}

func FuzzContainerSource(f *testing.F) {
	fuzzKind(f, containersource.Kind(), "ContainerSource",
		`{"metadata":{"name":"stored","namespace":"default"},"spec":{"template":{"spec":{"containers":[{"image":"busybox"}]}},"sink":`+sink+`}}`,
		`{"metadata":{"generateName":"c-"},"spec":{"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"x","image":"nginx","args":["--sink=$(K_SINK)"]},{"image":"busybox"}]}},"sink":`+sink+`}}`,
		`{"metadata":{"name":"c"},"spec":{"template":{"spec":{"containers":[{"name":"x"}]}},"sink":{"CACerts":"nope"}}}`,
		`{"metadata":{"name":"c"},"spec":{"template":{"spec":{}}}}`,
	)
}

// errorRoot is where a validation error may point: the user's input.
var errorRoot = regexp.MustCompile(`^(metadata|spec)([.\[]|$)`)

// codec decodes request bodies as the server does: strictly, the request's
// kind filling in a missing apiVersion or kind, then to internal.
type codec struct {
	scheme  *runtime.Scheme
	decoder runtime.Decoder
}

func newCodec() codec {
	scheme := runtime.NewScheme()
	install.Install(scheme)
	return codec{scheme, serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()}
}

func decode[T resource.Object](c codec, k resource.Kind[T], kindName string, data []byte) (T, bool) {
	var none T
	gvk := sourcesv1.SchemeGroupVersion.WithKind(kindName)
	versioned, err := c.scheme.New(gvk)
	if err != nil {
		panic(err)
	}
	out, got, err := c.decoder.Decode(data, &gvk, versioned)
	if err != nil || got == nil || *got != gvk {
		return none, false
	}
	obj := k.New()
	if err := c.scheme.Convert(out, obj, nil); err != nil {
		panic(err)
	}
	return obj, true
}

// TestExample: the example manifest the smoke test applies is valid.
func TestExample(t *testing.T) {
	data, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	k := pingsource.Kind()
	obj, ok := decode(newCodec(), k, "PingSource", data)
	if !ok {
		t.Fatal("the example does not decode as a PingSource")
	}
	obj.SetNamespace("default")
	k.Default(obj, nil, "alice")
	if errs := k.Validate(obj); len(errs) != 0 {
		t.Fatalf("the example is invalid: %v", errs)
	}
}

// fuzzKind runs one target. Documents are JSON without apiVersion and kind,
// which the request's kind fills in, or full YAML manifests.
func fuzzKind[T resource.Object](f *testing.F, k resource.Kind[T], kindName, stored string, seeds ...string) {
	c := newCodec()
	var none T
	old, ok := decode(c, k, kindName, []byte(stored))
	if !ok {
		f.Fatalf("stored %s does not decode", kindName)
	}
	k.Default(old, none, "alice")
	if errs := k.Validate(old); len(errs) != 0 {
		f.Fatalf("stored %s is invalid: %v", kindName, errs)
	}
	old.SetResourceVersion("42")
	for _, doc := range append([]string{stored}, seeds...) {
		f.Add([]byte(doc))
		if j, err := utilyaml.ToJSON([]byte(doc)); err == nil {
			f.Add(j)
		}
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		obj, ok := decode(c, k, kindName, data)
		if !ok {
			return
		}
		// Create: the namespace comes from the request, a generateName gets
		// a suffix, then the strategy clears status and defaults.
		created := obj.DeepCopyObject().(T)
		if created.GetNamespace() == "" {
			created.SetNamespace("default")
		}
		if created.GetName() == "" && created.GetGenerateName() != "" {
			created.SetName(created.GetGenerateName() + "x7k2p")
		}
		k.ClearStatus(created)
		created.SetGeneration(1)
		k.Default(created, none, "alice")
		checkIdempotent(t, k, created, none, "create")
		checkErrors(t, "create", k.Validate(created))

		// Update of the stored object: the request names it.
		stale := old.DeepCopyObject().(T)
		updated := obj.DeepCopyObject().(T)
		updated.SetName(old.GetName())
		updated.SetNamespace(old.GetNamespace())
		updated.SetResourceVersion(old.GetResourceVersion())
		k.CopyStatus(updated, stale)
		k.Default(updated, stale, "bob")
		checkIdempotent(t, k, updated, stale, "update")
		checkErrors(t, "update", k.ValidateUpdate(updated, stale))
		if !equality.Semantic.DeepEqual(stale, old) {
			t.Fatalf("update: defaulting or validation modified the stored object")
		}
	})
}

func checkIdempotent[T resource.Object](t *testing.T, k resource.Kind[T], obj, old T, op string) {
	again := obj.DeepCopyObject().(T)
	var oldAgain T
	if any(old) != any(oldAgain) {
		oldAgain = old.DeepCopyObject().(T)
	}
	k.Default(again, oldAgain, "alice")
	if !equality.Semantic.DeepEqual(obj, again) {
		t.Fatalf("%s: defaulting the defaulted object again changed it:\n%#v\n%#v", op, obj, again)
	}
}

func checkErrors(t *testing.T, op string, errs field.ErrorList) {
	for _, e := range errs {
		if e == nil || !errorRoot.MatchString(e.Field) {
			t.Fatalf("%s: error %v names no field under metadata or spec", op, e)
		}
	}
}
