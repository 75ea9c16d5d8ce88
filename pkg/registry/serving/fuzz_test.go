package serving_test

// Native fuzz targets for the serving.knative.dev write path: what a create
// or update request goes through before it reaches etcd.
//
// Each input is the body of a request. It is decoded strictly with the codec
// factory's universal deserializer (JSON and YAML both) into
// serving.knative.dev/v1; an input that does not decode, or decodes to
// another kind, is answered 400 by the server and is not interesting here.
// Otherwise it is converted to the internal version and sent down two paths,
// with the steps of k8s.io/apiserver's handlers, genericregistry.Store and
// knap's strategy (pkg/registry/resource) in their order:
//
//   - create: system metadata wiped and filled, name generated, namespace
//     from the request, status cleared, generation 1, defaults (old nil),
//     Validate.
//   - update: the fuzzed object replaces a fixed stored object (defaulted
//     and valid; its name, namespace and resourceVersion are copied into
//     the fuzzed one so that update validation gets past the metadata), with
//     status copied from the stored object, defaults (old = stored),
//     ValidateUpdate.
//
// Invariants (t.Fatalf on violation; a panic fails the input too):
//
//  1. Defaulting is idempotent: defaulting a deep copy of the defaulted
//     object again, with the same old object, changes nothing
//     (equality.Semantic.DeepEqual).
//  2. Validation is deterministic: a second run on a copy returns the same
//     errors. They are compared as a multiset, not as a sequence: the
//     Kubernetes metadata checks knap calls (metav1validation.ValidateLabels,
//     apivalidation.ValidateAnnotations) range over maps, so the order of
//     their errors legitimately varies between calls.
//  3. Every error names a field under metadata or spec (status is never the
//     user's input here) and has a known field.ErrorType; no nil entries.
//  4. Neither defaulting nor validation modifies the stored (old) object,
//     and validation does not modify the object it validates.
//  5. An object that passes validation round-trips: internal -> v1 -> JSON
//     -> strict decode -> v1 is semantically equal to the v1 object, and
//     converting that back to internal gives the validated object. Equal
//     here is equality.Semantic with timestamps compared at the precision
//     of their JSON form (metav1.Time: seconds, MicroTime: microseconds):
//     that loss is the Kubernetes wire format's, and the timestamps a user
//     can still send after the normalisation below (those in
//     spec.template.metadata) mean nothing to knap. A timestamp that does
//     not survive at all still fails: an object whose stored JSON does not
//     decode makes GET, LIST and DELETE of the resource fail.
//  6. An object accepted on create can be written back unchanged (GET, then
//     PUT of the same body by another user): the update is accepted and
//     defaulting changes nothing.
//
// What is deliberately normalised, because Kubernetes itself owns it rather
// than knap: metadata.creationTimestamp, uid, deletionTimestamp,
// deletionGracePeriodSeconds and selfLink are wiped and filled by the server
// on create (rest.WipeObjectMetaSystemFields) and carried over from the
// stored object on update (rest.BeforeUpdate), and metadata.managedFields is
// rewritten by the field manager. metav1.Time encodes to JSON with second
// precision, so without this invariant 5 would fail on every fractional
// timestamp a client sends, none of which the server would ever store.
//
// hack/fuzz.sh runs each target for a bounded time. Inputs that fail are
// written by Go to testdata/fuzz/<Target>/ and are meant to be committed as
// regression seeds once the bug is fixed.

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/conversion"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/apiserver/pkg/registry/rest"

	"github.com/knap-dev/knap/pkg/apis/serving"
	servinginstall "github.com/knap-dev/knap/pkg/apis/serving/install"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/registry/resource"
	"github.com/knap-dev/knap/pkg/registry/serving/configuration"
	"github.com/knap-dev/knap/pkg/registry/serving/revision"
	"github.com/knap-dev/knap/pkg/registry/serving/route"
	"github.com/knap-dev/knap/pkg/registry/serving/service"
)

func FuzzService(f *testing.F) {
	fuzzKind(f, target[*serving.Service]{
		gvk:          servingv1.SchemeGroupVersion.WithKind("Service"),
		kind:         service.Kind(),
		newVersioned: func() runtime.Object { return &servingv1.Service{} },
		stored:       storedService,
		seeds:        serviceSeeds,
	})
}

func FuzzConfiguration(f *testing.F) {
	fuzzKind(f, target[*serving.Configuration]{
		gvk:          servingv1.SchemeGroupVersion.WithKind("Configuration"),
		kind:         configuration.Kind(),
		newVersioned: func() runtime.Object { return &servingv1.Configuration{} },
		stored:       storedConfiguration,
		seeds:        configurationSeeds,
	})
}

func FuzzRevision(f *testing.F) {
	fuzzKind(f, target[*serving.Revision]{
		gvk:          servingv1.SchemeGroupVersion.WithKind("Revision"),
		kind:         revision.Kind(),
		newVersioned: func() runtime.Object { return &servingv1.Revision{} },
		stored:       storedRevision,
		seeds:        revisionSeeds,
	})
}

func FuzzRoute(f *testing.F) {
	fuzzKind(f, target[*serving.Route]{
		gvk:          servingv1.SchemeGroupVersion.WithKind("Route"),
		kind:         route.Kind(),
		newVersioned: func() runtime.Object { return &servingv1.Route{} },
		stored:       storedRoute,
		seeds:        routeSeeds,
	})
}

// Request context the harness stands in for.
const (
	requestNamespace = "default"
	creator          = "alice@example.com"
	updater          = "bob@example.com"
	storedVersion    = "42"
	// generatedSuffix stands for the 5 random characters
	// names.SimpleNameGenerator appends; fixed, so runs are reproducible.
	generatedSuffix = "x7k2p"
	// maxGeneratedNameLength is names.SimpleNameGenerator's: 63 - 5.
	maxGeneratedNameLength = 58
)

var (
	createdAt = metav1.NewTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	createUID = types.UID("2f2b6c7e-8a41-4c55-9d0e-6f1f0f6b9a01")
	storedUID = types.UID("7d1c7a52-3b9e-4f7d-8f64-1a2b3c4d5e6f")

	// errorRoot is where a validation error may point: the user's input.
	errorRoot = regexp.MustCompile(`^(metadata|spec)([.\[]|$)`)

	// wireEqual is equality.Semantic with timestamps compared at the
	// precision of their JSON encoding (invariant 5).
	wireEqual = func() conversion.Equalities {
		eq := equality.Semantic.Copy()
		if err := eq.AddFuncs(
			func(a, b metav1.Time) bool { return a.Truncate(time.Second).Equal(b.Truncate(time.Second)) },
			func(a, b metav1.MicroTime) bool {
				return a.Truncate(time.Microsecond).Equal(b.Truncate(time.Microsecond))
			},
		); err != nil {
			panic(err)
		}
		return eq
	}()

	knownErrorTypes = sets.New(
		field.ErrorTypeNotFound, field.ErrorTypeRequired, field.ErrorTypeDuplicate,
		field.ErrorTypeInvalid, field.ErrorTypeNotSupported, field.ErrorTypeForbidden,
		field.ErrorTypeTooLong, field.ErrorTypeTooMany, field.ErrorTypeTooFew,
		field.ErrorTypeInternal, field.ErrorTypeTypeInvalid, field.ErrorTypeTooShort,
	)
)

// target describes one kind: its wire version and the Kind the registry
// builds its strategy from (so the harness runs the same default and
// validation functions as the server).
type target[T resource.Object] struct {
	gvk          schema.GroupVersionKind
	kind         resource.Kind[T]
	newVersioned func() runtime.Object
	// stored is the stored object of the update path, as a user would apply it.
	stored string
	// seeds are realistic documents of the kind, valid and invalid, in YAML.
	seeds []string
}

// codecs holds the scheme and the serializers of the server.
type codecs struct {
	scheme  *runtime.Scheme
	decoder runtime.Decoder
	encoder runtime.Encoder
}

func newCodecs(tb testing.TB) codecs {
	// The serving group alone: importing the whole server would make every
	// fuzz build instrument etcd too.
	scheme := runtime.NewScheme()
	servinginstall.Install(scheme)
	// Strict: unknown and duplicate fields are decoding errors (a 400).
	factory := serializer.NewCodecFactory(scheme, serializer.EnableStrict)
	info, ok := runtime.SerializerInfoForMediaType(factory.SupportedMediaTypes(), runtime.ContentTypeJSON)
	if !ok {
		tb.Fatalf("no JSON serializer in the codec factory")
	}
	return codecs{scheme: scheme, decoder: factory.UniversalDeserializer(), encoder: info.Serializer}
}

func fuzzKind[T resource.Object](f *testing.F, tg target[T]) {
	c := newCodecs(f)
	docs := append([]string{tg.stored}, tg.seeds...)
	docs = append(docs, exampleDocs(f, tg.gvk.Kind)...)
	for _, doc := range docs {
		f.Add([]byte(doc))
		// The same document as JSON, the form most clients send.
		if j, err := utilyaml.ToJSON([]byte(doc)); err == nil {
			f.Add(j)
		}
	}
	stored := tg.mustStore(f, c)
	f.Fuzz(func(t *testing.T, data []byte) {
		obj, ok := tg.decode(t, c, data)
		if !ok {
			return
		}
		tg.checkCreate(t, c, obj.DeepCopyObject().(T))
		tg.checkUpdate(t, c, obj, stored)
	})
}

// decode decodes a request body as the server does, the request's kind
// filling in a missing apiVersion or kind, and converts it to internal.
func (tg target[T]) decode(t *testing.T, c codecs, data []byte) (T, bool) {
	var none T
	out, gvk, err := c.decoder.Decode(data, &tg.gvk, tg.newVersioned())
	if err != nil || gvk == nil || *gvk != tg.gvk {
		// Not decodable, not strict, or another kind or version: a 400.
		return none, false
	}
	obj := tg.kind.New()
	if err := c.scheme.Convert(out, obj, nil); err != nil {
		t.Fatalf("converting a decoded %s to internal failed: %v", tg.gvk.Kind, err)
	}
	return obj, true
}

// prepareCreate does what the create handler, the Store and the strategy do
// before validation.
func (tg target[T]) prepareCreate(obj T) {
	// The create handler.
	rest.WipeObjectMetaSystemFields(obj)
	obj.SetManagedFields(nil) // the field manager's
	if obj.GetNamespace() == "" {
		obj.SetNamespace(requestNamespace)
	}
	// genericregistry.Store.create: system fields, then the name.
	obj.SetCreationTimestamp(createdAt)
	obj.SetUID(createUID)
	if gn := obj.GetGenerateName(); gn != "" && obj.GetName() == "" {
		if len(gn) > maxGeneratedNameLength {
			gn = gn[:maxGeneratedNameLength]
		}
		obj.SetName(gn + generatedSuffix)
	}
	// The strategy's PrepareForCreate, but for the defaults.
	tg.kind.ClearStatus(obj)
	obj.SetGeneration(1)
}

// prepareUpdate does what the update handler, rest.BeforeUpdate and the
// strategy do before validation, but for the defaults (which run between
// the copy of status and the generation bump).
func (tg target[T]) prepareUpdate(obj, old T) {
	obj.SetManagedFields(nil)
	obj.SetGeneration(old.GetGeneration())
	tg.kind.CopyStatus(obj, old)
}

func (tg target[T]) finishUpdate(obj, old T) {
	if !equality.Semantic.DeepEqual(tg.kind.Spec(obj), tg.kind.Spec(old)) {
		obj.SetGeneration(old.GetGeneration() + 1)
	}
	if obj.GetUID() == "" {
		obj.SetUID(old.GetUID())
	}
	if ts := old.GetCreationTimestamp(); !ts.IsZero() {
		obj.SetCreationTimestamp(ts)
	}
	if ts := old.GetDeletionTimestamp(); !ts.IsZero() {
		obj.SetDeletionTimestamp(ts)
	}
	if g := old.GetDeletionGracePeriodSeconds(); g != nil && obj.GetDeletionGracePeriodSeconds() == nil {
		obj.SetDeletionGracePeriodSeconds(g)
	}
}

// mustStore builds the stored object of the update path: tg.stored created
// by creator, which must pass validation.
func (tg target[T]) mustStore(tb testing.TB, c codecs) T {
	var none T
	out, gvk, err := c.decoder.Decode([]byte(tg.stored), &tg.gvk, tg.newVersioned())
	if err != nil || *gvk != tg.gvk {
		tb.Fatalf("stored %s: decoding: %v (%v)", tg.gvk.Kind, err, gvk)
	}
	obj := tg.kind.New()
	if err := c.scheme.Convert(out, obj, nil); err != nil {
		tb.Fatalf("stored %s: converting: %v", tg.gvk.Kind, err)
	}
	tg.prepareCreate(obj)
	tg.kind.Default(obj, none, creator)
	if errs := tg.kind.Validate(obj); len(errs) != 0 {
		tb.Fatalf("stored %s does not pass validation: %v", tg.gvk.Kind, errs)
	}
	obj.SetResourceVersion(storedVersion)
	obj.SetUID(storedUID)
	return obj
}

func (tg target[T]) checkCreate(t *testing.T, c codecs, obj T) {
	var none T
	tg.prepareCreate(obj)
	tg.kind.Default(obj, none, creator)
	tg.checkIdempotent(t, "create", obj, none, creator)

	errs := tg.validate(t, "create", obj, func(o T) field.ErrorList { return tg.kind.Validate(o) })
	if len(errs) != 0 {
		return
	}
	tg.checkRoundTrip(t, c, "create", obj)

	// Invariant 6: GET, then PUT of the same body, by another user.
	old := obj.DeepCopyObject().(T)
	old.SetResourceVersion(storedVersion)
	again := old.DeepCopyObject().(T)
	tg.prepareUpdate(again, old)
	tg.kind.Default(again, old, updater)
	tg.finishUpdate(again, old)
	if !equality.Semantic.DeepEqual(again, old) {
		t.Fatalf("%s accepted on create changes when written back unchanged (update defaults):\n%s",
			tg.gvk.Kind, objectDiff(old, again))
	}
	if errs := tg.kind.ValidateUpdate(again, old); len(errs) != 0 {
		t.Fatalf("%s accepted on create is rejected when written back unchanged: %v", tg.gvk.Kind, errs)
	}
}

func (tg target[T]) checkUpdate(t *testing.T, c codecs, obj, stored T) {
	old := stored.DeepCopyObject().(T)
	// The request names the stored object and the version it read.
	obj.SetName(old.GetName())
	obj.SetNamespace(old.GetNamespace())
	obj.SetResourceVersion(old.GetResourceVersion())

	tg.prepareUpdate(obj, old)
	tg.kind.Default(obj, old, updater)
	tg.checkIdempotent(t, "update", obj, old, updater)
	tg.finishUpdate(obj, old)

	errs := tg.validate(t, "update", obj, func(o T) field.ErrorList { return tg.kind.ValidateUpdate(o, old) })
	if !equality.Semantic.DeepEqual(old, stored) {
		t.Fatalf("update: defaulting or validation modified the stored %s:\n%s", tg.gvk.Kind, objectDiff(stored, old))
	}
	if len(errs) == 0 {
		tg.checkRoundTrip(t, c, "update", obj)
	}
}

// checkIdempotent checks invariant 1 on obj, just defaulted with old and user.
func (tg target[T]) checkIdempotent(t *testing.T, op string, obj, old T, user string) {
	again := obj.DeepCopyObject().(T)
	var oldAgain T
	if any(old) != any(oldAgain) { // old is a non-nil pointer
		oldAgain = old.DeepCopyObject().(T)
	}
	tg.kind.Default(again, oldAgain, user)
	if !equality.Semantic.DeepEqual(obj, again) {
		t.Fatalf("%s: defaulting the defaulted %s again changed it:\n%s", op, tg.gvk.Kind, objectDiff(obj, again))
	}
}

// validate runs validate twice (invariant 2), checks the errors (3) and that
// validation leaves obj alone (4), and returns the errors.
func (tg target[T]) validate(t *testing.T, op string, obj T, validate func(T) field.ErrorList) field.ErrorList {
	before := obj.DeepCopyObject().(T)
	second := obj.DeepCopyObject().(T)
	errs := validate(obj)
	if !equality.Semantic.DeepEqual(before, obj) {
		t.Fatalf("%s: validation modified the %s:\n%s", op, tg.gvk.Kind, objectDiff(before, obj))
	}
	if again := validate(second); !sameErrors(errs, again) {
		t.Fatalf("%s: validation of the same %s is not deterministic:\nfirst:  %v\nsecond: %v", op, tg.gvk.Kind, errs, again)
	}
	for i, e := range errs {
		switch {
		case e == nil:
			t.Fatalf("%s: validation error %d is nil: %v", op, i, errs)
		case e.Field == "":
			t.Fatalf("%s: validation error without a field path: %q", op, e.Error())
		case !errorRoot.MatchString(e.Field):
			t.Fatalf("%s: validation error outside metadata and spec: %q", op, e.Error())
		case e.Type == "":
			t.Fatalf("%s: validation error without a type: %q", op, e.Error())
		case !knownErrorTypes.Has(e.Type):
			t.Fatalf("%s: validation error of unknown type %q: %q", op, e.Type, e.Error())
		}
	}
	return errs
}

// checkRoundTrip checks invariant 5 on obj, which passed validation.
func (tg target[T]) checkRoundTrip(t *testing.T, c codecs, op string, obj T) {
	versioned := tg.newVersioned()
	if err := c.scheme.Convert(obj, versioned, nil); err != nil {
		t.Fatalf("%s: converting the valid %s to %s: %v", op, tg.gvk.Kind, tg.gvk.GroupVersion(), err)
	}
	versioned.GetObjectKind().SetGroupVersionKind(tg.gvk)
	data, err := runtime.Encode(c.encoder, versioned)
	if err != nil {
		t.Fatalf("%s: encoding the valid %s: %v", op, tg.gvk.Kind, err)
	}
	decoded, gvk, err := c.decoder.Decode(data, nil, tg.newVersioned())
	if err != nil {
		t.Fatalf("%s: the valid %s does not decode from its own JSON: %v\n%s", op, tg.gvk.Kind, err, data)
	}
	if *gvk != tg.gvk {
		t.Fatalf("%s: the valid %s decodes as %v", op, tg.gvk.Kind, gvk)
	}
	if !wireEqual.DeepEqual(versioned, decoded) {
		t.Fatalf("%s: the valid %s changes through JSON:\n%s", op, tg.gvk.Kind, wireDiff(versioned, decoded))
	}
	back := tg.kind.New()
	if err := c.scheme.Convert(decoded, back, nil); err != nil {
		t.Fatalf("%s: converting the decoded %s back to internal: %v", op, tg.gvk.Kind, err)
	}
	if !wireEqual.DeepEqual(obj, back) {
		t.Fatalf("%s: the valid %s changes through %s and JSON:\n%s", op, tg.gvk.Kind, tg.gvk.GroupVersion(), wireDiff(obj, back))
	}
}

// sameErrors compares two error lists as multisets.
func sameErrors(a, b field.ErrorList) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
	for _, ea := range a {
		found := false
		for j, eb := range b {
			if !used[j] && sameError(ea, eb) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func sameError(a, b *field.Error) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Type != b.Type || a.Field != b.Field || a.Detail != b.Detail || a.Origin != b.Origin {
		return false
	}
	// DeepEqual compares pointers by what they point to; %#v covers NaN.
	return equality.Semantic.DeepEqual(a.BadValue, b.BadValue) ||
		fmt.Sprintf("%#v", a.BadValue) == fmt.Sprintf("%#v", b.BadValue)
}

// objectDiff lists where a and b differ under equality.Semantic, and
// wireDiff under wireEqual, as Go field paths.
func objectDiff(a, b any) string { return fieldDiff(equality.Semantic, a, b) }
func wireDiff(a, b any) string   { return fieldDiff(wireEqual, a, b) }

func fieldDiff(eq conversion.Equalities, a, b any) string {
	var out []string
	walkDiff(eq, "", reflect.ValueOf(a), reflect.ValueOf(b), &out)
	if len(out) == 0 {
		return "(no difference found field by field)"
	}
	const maxLines = 20
	if len(out) > maxLines {
		out = append(out[:maxLines], fmt.Sprintf("... and %d more", len(out)-maxLines))
	}
	return "  " + strings.Join(out, "\n  ")
}

// walkDiff descends into a and b, of the same type, down to the smallest
// values that differ.
func walkDiff(eq conversion.Equalities, path string, a, b reflect.Value, out *[]string) {
	if eq.DeepEqual(a.Interface(), b.Interface()) {
		return
	}
	leaf := func() {
		*out = append(*out, fmt.Sprintf("%s: %s -> %s", path, show(a), show(b)))
	}
	if _, custom := eq.Equalities[a.Type()]; custom {
		leaf()
		return
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() || a.Elem().Type() != b.Elem().Type() {
			leaf()
			return
		}
		walkDiff(eq, path, a.Elem(), b.Elem(), out)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if f := a.Type().Field(i); f.IsExported() {
				walkDiff(eq, path+"."+f.Name, a.Field(i), b.Field(i), out)
			}
		}
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			leaf()
			return
		}
		for i := 0; i < a.Len(); i++ {
			walkDiff(eq, fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i), out)
		}
	case reflect.Map:
		keys := map[string]reflect.Value{}
		for _, k := range append(a.MapKeys(), b.MapKeys()...) {
			keys[fmt.Sprint(k.Interface())] = k
		}
		names := sets.List(sets.KeySet(keys))
		for _, name := range names {
			k := keys[name]
			va, vb := a.MapIndex(k), b.MapIndex(k)
			p := fmt.Sprintf("%s[%q]", path, name)
			switch {
			case !va.IsValid():
				*out = append(*out, fmt.Sprintf("%s: (absent) -> %s", p, show(vb)))
			case !vb.IsValid():
				*out = append(*out, fmt.Sprintf("%s: %s -> (absent)", p, show(va)))
			default:
				walkDiff(eq, p, va, vb, out)
			}
		}
	default:
		leaf()
	}
}

func show(v reflect.Value) string {
	switch {
	case !v.IsValid():
		return "(absent)"
	case (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface || v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.IsNil():
		return "nil"
	case v.Kind() == reflect.Pointer:
		return "&" + show(v.Elem())
	}
	s := fmt.Sprintf("%#v", v.Interface())
	if t, ok := v.Interface().(metav1.Time); ok {
		s = t.UTC().Format(time.RFC3339Nano)
	}
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// exampleDocs returns the documents of kind in artifacts/examples/serving,
// when the examples are there.
func exampleDocs(tb testing.TB, kind string) []string {
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "artifacts", "examples", "serving", "*.yaml"))
	if err != nil {
		tb.Fatalf("listing examples: %v", err)
	}
	kindRE := regexp.MustCompile(`(?m)^kind:\s*` + regexp.QuoteMeta(kind) + `\s*$`)
	var docs []string
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatalf("reading example: %v", err)
		}
		for _, doc := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(data), -1) {
			if kindRE.MatchString(doc) {
				docs = append(docs, doc)
			}
		}
	}
	sort.Strings(docs)
	return docs
}

// The stored objects of the update paths. Each is what a user applied and
// passes validation; mustStore fails the target otherwise.
const (
	storedService = `
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: stored
  namespace: default
  labels:
    app: stored
  annotations:
    serving.knative.dev/rollout-duration: 120s
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/min-scale: "1"
        autoscaling.knative.dev/max-scale: "10"
    spec:
      containerConcurrency: 50
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
          env:
            - name: TARGET
              value: stored
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet:
              path: /healthz
  traffic:
    - revisionName: stored-00001
      percent: 90
      tag: previous
    - latestRevision: true
      percent: 10
      tag: latest
`
	storedConfiguration = `
apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: stored
  namespace: default
spec:
  template:
    metadata:
      name: stored-v1
      labels:
        app: stored
    spec:
      timeoutSeconds: 60
      containers:
        - image: ghcr.io/knative/helloworld-go@sha256:4b0e5f6c2a8c1e1c0a1b7a9e3c6d5f4e3b2a1908f7e6d5c4b3a29180f7e6d5c4
          ports:
            - containerPort: 8080
`
	storedRevision = `
apiVersion: serving.knative.dev/v1
kind: Revision
metadata:
  name: stored-00001
  namespace: default
  labels:
    serving.knative.dev/configuration: stored
  annotations:
    autoscaling.knative.dev/target: "20"
  ownerReferences:
    - apiVersion: serving.knative.dev/v1
      kind: Configuration
      name: stored
      uid: 0e5e4b43-7c1b-4d1a-a4a0-5b6c7d8e9f00
      controller: true
      blockOwnerDeletion: true
spec:
  containers:
    - image: ghcr.io/knative/helloworld-go:latest
      ports:
        - containerPort: 8080
`
	storedRoute = `
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: stored
  namespace: default
spec:
  traffic:
    - revisionName: stored-00001
      percent: 50
      tag: blue
    - configurationName: stored
      percent: 50
      tag: green
`
)

var serviceSeeds = []string{
	// Smallest Service.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go
`,
	// Without apiVersion and kind: the request's kind fills them in.
	`{"metadata":{"name":"bare","namespace":"default"},"spec":{"template":{"spec":{"containers":[{"image":"nginx"}]}}}}`,
	// Multi-container: one serving container (the one with a port) and a
	// sidecar, with volumes.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: multi
  namespace: apps
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/knative/helloworld-go:latest
          ports:
            - name: http1
              containerPort: 8080
          volumeMounts:
            - name: config
              mountPath: /etc/app
            - name: scratch
              mountPath: /tmp/scratch
        - name: sidecar
          image: docker.io/library/busybox:1.36
          command: ["sh", "-c", "while true; do sleep 3600; done"]
          volumeMounts:
            - name: scratch
              mountPath: /scratch
      volumes:
        - name: config
          configMap:
            name: app-config
            items:
              - key: app.yaml
                path: app.yaml
        - name: scratch
          emptyDir:
            sizeLimit: 64Mi
`,
	// Probes: HTTP readiness with aggressive probing, TCP liveness, gRPC startup.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: probed
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/example/grpc-server:v1.2.3
          ports:
            - name: h2c
              containerPort: 9000
          readinessProbe:
            httpGet:
              path: /ready
              httpHeaders:
                - name: X-Probe
                  value: knap
            periodSeconds: 0
          livenessProbe:
            tcpSocket: {}
            initialDelaySeconds: 5
            periodSeconds: 10
            failureThreshold: 3
          startupProbe:
            grpc:
              port: 9000
            periodSeconds: 1
            failureThreshold: 30
`,
	// Autoscaling, queue sidecar and networking annotations on the template;
	// rollout duration on the Service.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: tuned
  annotations:
    serving.knative.dev/rollout-duration: 380s
spec:
  template:
    metadata:
      labels:
        tier: backend
      annotations:
        autoscaling.knative.dev/class: kpa.autoscaling.knative.dev
        autoscaling.knative.dev/metric: rps
        autoscaling.knative.dev/target: "150"
        autoscaling.knative.dev/target-utilization-percentage: "70"
        autoscaling.knative.dev/target-burst-capacity: "200"
        autoscaling.knative.dev/min-scale: "0"
        autoscaling.knative.dev/max-scale: "20"
        autoscaling.knative.dev/initial-scale: "2"
        autoscaling.knative.dev/activation-scale: "3"
        autoscaling.knative.dev/window: 40s
        autoscaling.knative.dev/panic-window-percentage: "10.0"
        autoscaling.knative.dev/panic-threshold-percentage: "200.0"
        autoscaling.knative.dev/scale-down-delay: 15m
        autoscaling.knative.dev/scale-to-zero-pod-retention-period: 1m5s
        autoscaling.knative.dev/metric-aggregation-algorithm: weightedExponential
        queue.sidecar.serving.knative.dev/resource-percentage: "20"
        queue.sidecar.serving.knative.dev/cpu-resource-request: 100m
        queue.sidecar.serving.knative.dev/memory-resource-limit: 128Mi
        serving.knative.dev/progress-deadline: 10m
        networking.knative.dev/ingress.class: kourier.ingress.networking.knative.dev
    spec:
      containers:
        - image: ghcr.io/knative/autoscale-go:latest
`,
	// HPA class with a CPU target.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hpa
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/class: hpa.autoscaling.knative.dev
        autoscaling.knative.dev/metric: cpu
        autoscaling.knative.dev/target: "80"
        autoscaling.knative.dev/min-scale: "1"
    spec:
      containers:
        - image: ghcr.io/knative/autoscale-go:latest
          resources:
            requests:
              cpu: 250m
              memory: 128Mi
            limits:
              cpu: "1"
              memory: 256Mi
`,
	// Blue/green with a named template and tags.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: bluegreen
spec:
  template:
    metadata:
      name: bluegreen-green
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
          env:
            - name: TARGET
              value: green
  traffic:
    - revisionName: bluegreen-blue
      percent: 100
      tag: blue
    - latestRevision: true
      percent: 0
      tag: green
    - revisionName: bluegreen-blue
      tag: pinned
`,
	// generateName.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  generateName: gen-
  namespace: default
spec:
  template:
    spec:
      containers:
        - image: nginx:1.27
          ports:
            - containerPort: 80
`,
	// Most of a pod spec Knative allows.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: full
  labels:
    networking.knative.dev/visibility: cluster-local
spec:
  template:
    spec:
      serviceAccountName: runner
      imagePullSecrets:
        - name: registry
      enableServiceLinks: true
      containerConcurrency: 10
      timeoutSeconds: 600
      responseStartTimeoutSeconds: 30
      idleTimeoutSeconds: 120
      containers:
        - image: ghcr.io/example/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          workingDir: /srv
          args: ["--port=$(PORT)"]
          env:
            - name: LOG_LEVEL
              value: debug
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db
                  key: password
          envFrom:
            - configMapRef:
                name: api-env
          ports:
            - name: http1
              containerPort: 8081
              protocol: TCP
          securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
            seccompProfile:
              type: RuntimeDefault
          volumeMounts:
            - name: creds
              mountPath: /var/run/creds
              readOnly: true
            - name: projected
              mountPath: /var/run/projected
      volumes:
        - name: creds
          secret:
            secretName: api-creds
            defaultMode: 0400
        - name: projected
          projected:
            sources:
              - configMap:
                  name: extra
              - secret:
                  name: extra
              - serviceAccountToken:
                  audience: api
                  expirationSeconds: 3600
                  path: token
              - downwardAPI:
                  items:
                    - path: labels
                      fieldRef:
                        fieldPath: metadata.labels
`,
	// JSON with a traffic split.
	`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"json","namespace":"default","labels":{"app":"json"}},` +
		`"spec":{"template":{"spec":{"containers":[{"image":"gcr.io/knative-samples/helloworld-go","ports":[{"containerPort":8080}],` +
		`"env":[{"name":"TARGET","value":"json"}]}]}},"traffic":[{"latestRevision":true,"percent":75},{"revisionName":"json-00001","percent":25,"tag":"old"}]}}`,

	// Invalid under Knative's default feature flags: init containers and
	// the downward API in env.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: gated
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: ghcr.io/example/migrate:v3
          args: ["--up"]
      containers:
        - image: ghcr.io/example/api:v3
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
`,

	// System metadata in the template, which the server does not wipe
	// there: fractional timestamps, managed fields, owner references.
	`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"sysmeta"},"spec":{"template":{"metadata":{` +
		`"creationTimestamp":"2021-01-01T00:00:00.5Z","deletionTimestamp":"2021-01-01T00:00:01Z","uid":"u","resourceVersion":"5",` +
		`"namespace":"other","generation":3,"finalizers":["a/b"],"ownerReferences":[{"apiVersion":"v1","kind":"X","name":"x","uid":"u"}],` +
		`"managedFields":[{"manager":"m","operation":"Update","apiVersion":"v1","time":"2021-01-01T00:00:00.25Z"}]},` +
		`"spec":{"containers":[{"image":"nginx","resources":{"limits":{"cpu":"0.0000000001","memory":"1e18"},"requests":{"cpu":"9223372036854775807k"}}}]}}}}`,
	// Invalid: autoscaling annotation on the Service instead of the template.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: misplaced
  annotations:
    autoscaling.knative.dev/min-scale: "1"
spec:
  template:
    spec:
      containers:
        - image: nginx
`,
	// Invalid traffic: configurationName in a Service, url in spec, bad
	// and duplicate tags, percents out of range, latestRevision false
	// without a revision.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: badtraffic
spec:
  template:
    spec:
      containers:
        - image: nginx
  traffic:
    - configurationName: other
      percent: 101
      tag: Bad_Tag
    - latestRevision: false
      percent: -1
      tag: dup
      url: http://dup-badtraffic.default.example.com
    - revisionName: badtraffic-00001
      latestRevision: true
      tag: dup
`,
	// Invalid pod spec: two serving ports, reserved names and paths,
	// out-of-range timeouts and concurrency, a field Knative forbids.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: badpod
spec:
  template:
    spec:
      containerConcurrency: 5000
      timeoutSeconds: -5
      responseStartTimeoutSeconds: 9999
      nodeName: node-1
      hostNetwork: true
      containers:
        - name: queue-proxy
          image: nginx
          ports:
            - containerPort: 8012
          env:
            - name: PORT
              value: "1"
            - name: K_SERVICE
              value: x
          volumeMounts:
            - name: missing
              mountPath: /dev/log
          securityContext:
            privileged: true
            runAsUser: -1
        - image: nginx
          ports:
            - containerPort: 9090
          readinessProbe:
            exec:
              command: ["true"]
`,
	// Invalid annotations: scale bounds, window, class, metric, durations.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: badscale
  annotations:
    serving.knative.dev/rollout-duration: 1.5s
spec:
  template:
    metadata:
      name: other-prefix
      annotations:
        autoscaling.knative.dev/class: bogus.knative.dev
        autoscaling.knative.dev/min-scale: "5"
        autoscaling.knative.dev/max-scale: "2"
        autoscaling.knative.dev/window: 1s
        autoscaling.knative.dev/metric: memory
        autoscaling.knative.dev/target: "0"
        autoscaling.knative.dev/initial-scale: "0"
        autoscaling.knative.dev/panic-threshold-percentage: NaN
        queue.sidecar.serving.knative.dev/resource-percentage: "101"
        networking.knative.dev/unknown: "true"
    spec:
      containers:
        - image: "UPPER/case:tag"
`,
	// Invalid probes on the serving container and a sidecar.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: badprobes
spec:
  template:
    spec:
      containers:
        - image: nginx
          ports:
            - name: http1
              containerPort: 8080
          readinessProbe:
            httpGet:
              port: 9999
            tcpSocket:
              port: http1
            periodSeconds: 0
            timeoutSeconds: 5
            failureThreshold: 2
        - name: side
          image: busybox
          livenessProbe:
            httpGet:
              port: named
`,
	// Strictly undecodable: an unknown field and a duplicate field (a 400).
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: strict
spec:
  template:
    spec:
      containers:
        - image: nginx
          imagee: typo
`,
	`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"a","name":"b"},"spec":{}}`,
	// Invalid metadata: a name that is no DNS-1035 label, bad labels.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: 1-Not_A_Label
  labels:
    "bad key!": "bad value!"
    serving.knative.dev/creator: x
  annotations:
    serving.knative.dev/creator: mallory
spec:
  template:
    metadata:
      generateName: "Bad_"
      labels:
        "also bad/": x
    spec:
      containers:
        - image: nginx
`,
	// Not a Service: decodes to another kind (a 400 on this endpoint).
	`
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: notaservice
spec:
  traffic:
    - configurationName: x
      percent: 100
`,
	// Empty spec.
	`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"empty"}}`,
}

var configurationSeeds = []string{
	`
apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: config
  namespace: default
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
          ports:
            - containerPort: 8080
`,
	// Owned by a Service, as the controller writes it.
	`
apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: owned
  namespace: default
  labels:
    serving.knative.dev/service: owned
    serving.knative.dev/serviceUID: 5b1f0a70-3f29-4a53-9a77-3b6a9d2f6e11
  annotations:
    serving.knative.dev/creator: alice@example.com
    serving.knative.dev/lastModifier: alice@example.com
  ownerReferences:
    - apiVersion: serving.knative.dev/v1
      kind: Service
      name: owned
      uid: 5b1f0a70-3f29-4a53-9a77-3b6a9d2f6e11
      controller: true
      blockOwnerDeletion: true
spec:
  template:
    metadata:
      labels:
        serving.knative.dev/service: owned
      annotations:
        autoscaling.knative.dev/max-scale: "3"
    spec:
      containerConcurrency: 1
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
`,
	// A named template and multiple containers.
	`
apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: named
spec:
  template:
    metadata:
      name: named-v7
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
          readinessProbe:
            httpGet:
              path: /
              port: 80
            periodSeconds: 5
        - name: metrics
          image: prom/statsd-exporter:v0.26.0
`,
	`{"apiVersion":"serving.knative.dev/v1","kind":"Configuration","metadata":{"name":"cfg-json"},"spec":{"template":{"metadata":{"annotations":{"autoscaling.knative.dev/window":"2m"}},"spec":{"timeoutSeconds":30,"containers":[{"image":"nginx"}]}}}}`,
	// Invalid: a Service label without an owner reference, autoscaling
	// annotation on the Configuration, a template name without the prefix.
	`
apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: forged
  labels:
    serving.knative.dev/service: someone-else
  annotations:
    autoscaling.knative.dev/target: "10"
spec:
  template:
    metadata:
      name: unrelated
    spec:
      containers:
        - image: nginx
          ports:
            - containerPort: 0
            - containerPort: 8081
`,
	// Invalid: no containers at all.
	`{"apiVersion":"serving.knative.dev/v1","kind":"Configuration","metadata":{"name":"nocontainers"},"spec":{"template":{"spec":{}}}}`,
}

var revisionSeeds = []string{
	`
apiVersion: serving.knative.dev/v1
kind: Revision
metadata:
  name: hello-00001
  namespace: default
spec:
  containers:
    - image: ghcr.io/knative/helloworld-go:latest
`,
	// As the Configuration controller stamps it out.
	`
apiVersion: serving.knative.dev/v1
kind: Revision
metadata:
  name: hello-00002
  namespace: default
  labels:
    serving.knative.dev/configuration: hello
    serving.knative.dev/configurationGeneration: "2"
    serving.knative.dev/service: hello
    serving.knative.dev/routingState: active
  annotations:
    autoscaling.knative.dev/class: kpa.autoscaling.knative.dev
    autoscaling.knative.dev/min-scale: "1"
    autoscaling.knative.dev/max-scale: "4"
    autoscaling.knative.dev/target: "100"
    autoscaling.knative.dev/metric: concurrency
    serving.knative.dev/creator: alice@example.com
    serving.knative.dev/routes: hello
  ownerReferences:
    - apiVersion: serving.knative.dev/v1
      kind: Configuration
      name: hello
      uid: 9c0b2f5e-0d57-4bb4-9d63-2d7e9d9c1a22
      controller: true
      blockOwnerDeletion: true
spec:
  containerConcurrency: 100
  timeoutSeconds: 300
  enableServiceLinks: false
  containers:
    - name: user-container
      image: ghcr.io/knative/helloworld-go@sha256:4b0e5f6c2a8c1e1c0a1b7a9e3c6d5f4e3b2a1908f7e6d5c4b3a29180f7e6d5c4
      ports:
        - name: http1
          containerPort: 8080
      readinessProbe:
        tcpSocket:
          port: 0
        successThreshold: 1
`,
	// Multi-container with a shared emptyDir.
	`
apiVersion: serving.knative.dev/v1
kind: Revision
metadata:
  name: multi-00001
spec:
  containers:
    - image: nginx
      ports:
        - containerPort: 80
      volumeMounts:
        - name: shared
          mountPath: /usr/share/nginx/html
    - image: ghcr.io/example/content-sync:v1
      volumeMounts:
        - name: shared
          mountPath: /out
  volumes:
    - name: shared
      emptyDir: {}
`,
	// Invalid: forged configuration label, bad autoscaling annotations,
	// invalid spec.
	`
apiVersion: serving.knative.dev/v1
kind: Revision
metadata:
  name: forged-00001
  labels:
    serving.knative.dev/configuration: victim
  annotations:
    autoscaling.knative.dev/min-scale: "-1"
    autoscaling.knative.dev/max-scale: "99999999999"
    autoscaling.knative.dev/scale-down-delay: 2h
    autoscaling.knative.dev/window: 3601s
spec:
  containerConcurrency: -1
  containers: []
`,
	`{"apiVersion":"serving.knative.dev/v1","kind":"Revision","metadata":{"name":"json-00001"},"spec":{"timeoutSeconds":0,"containers":[{"image":"nginx","ports":[{"containerPort":8080,"name":"h2c"}]}]}}`,
}

var routeSeeds = []string{
	`
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: simple
  namespace: default
spec:
  traffic:
    - configurationName: simple
      percent: 100
`,
	// Canary by revision with tags, and a gradual rollout.
	`
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: canary
  annotations:
    serving.knative.dev/rollout-duration: 300s
  labels:
    networking.knative.dev/visibility: cluster-local
spec:
  traffic:
    - revisionName: canary-00001
      percent: 90
      tag: stable
    - revisionName: canary-00002
      percent: 10
      tag: candidate
    - configurationName: canary
      latestRevision: true
      percent: 0
      tag: latest
`,
	// Owned by a Service.
	`
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: owned
  labels:
    serving.knative.dev/service: owned
  ownerReferences:
    - apiVersion: serving.knative.dev/v1
      kind: Service
      name: owned
      uid: 5b1f0a70-3f29-4a53-9a77-3b6a9d2f6e11
      controller: true
spec:
  traffic:
    - configurationName: owned
      latestRevision: true
      percent: 100
`,
	`{"apiVersion":"serving.knative.dev/v1","kind":"Route","metadata":{"name":"json"},"spec":{"traffic":[{"configurationName":"a","percent":33},{"configurationName":"b","percent":33},{"revisionName":"c-00001","percent":34}]}}`,
	// Invalid: empty traffic (a bare Route must say where traffic goes).
	`
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: empty
spec: {}
`,
	// Invalid: both names, neither name, url in spec, latestRevision true
	// with a revision, a sum of 120, an invalid rollout duration.
	`
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: bad
  annotations:
    serving.knative.dev/rolloutDuration: "-5s"
spec:
  traffic:
    - revisionName: bad-00001
      configurationName: bad
      percent: 40
    - percent: 40
      url: http://bad.default.example.com
    - revisionName: bad-00002
      latestRevision: true
      percent: 40
      tag: "-x-"
`,
	// Invalid references: not qualified names.
	`{"apiVersion":"serving.knative.dev/v1","kind":"Route","metadata":{"name":"refs"},"spec":{"traffic":[{"configurationName":"not a name!","percent":50},{"revisionName":"` + strings.Repeat("r", 300) + `","percent":50}]}}`,
}
