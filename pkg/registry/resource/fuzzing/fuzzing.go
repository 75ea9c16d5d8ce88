// Package fuzzing is the one harness of knap's native fuzz targets for the
// write path: what a create or update request goes through before it
// reaches etcd. Each API group's pkg/registry/<group>/fuzz_test.go declares
// a Target per kind and calls Fuzz; hack/fuzz.sh runs every target for a
// bounded time.
//
// Each input is the body of a request. It is decoded strictly with the codec
// factory's universal deserializer (JSON and YAML both, unknown and
// duplicate fields refused) as the target's versioned kind, the kind filling
// in a missing apiVersion or kind; an input that does not decode, or decodes
// to another kind or version, is answered 400 by the server and is not
// interesting here. Otherwise it is converted to the internal version and
// sent down two paths, with the steps of k8s.io/apiserver's handlers,
// genericregistry.Store and rest.BeforeCreate/BeforeUpdate in their order.
// The strategy is the kind's own (resource.NewStorage, without storage), and
// validation is the server's whole validation (rest.ValidateCreate and
// rest.ValidateUpdate: the kind's, the strategy's own checks and the common
// metadata checks), so the harness cannot drift from what the server runs:
//
//   - create: system metadata wiped and filled, name generated, namespace
//     from the request when the body names none, then PrepareForCreate
//     (status cleared, generation 1, defaults with old nil, by creator),
//     then validation.
//   - update: the fuzzed object replaces a fixed stored object (Target.Stored,
//     accepted on create; its name, namespace and resourceVersion are copied
//     into the fuzzed one so that update validation gets past the metadata),
//     generation from the stored object, then PrepareForUpdate (status copied
//     from the stored object, defaults with old = stored, by updater,
//     generation bumped on a spec change), system metadata carried over from
//     the stored object, then validation.
//
// Kinds without a status (Tekton's Task and Pipeline: nil Status, CopyStatus
// and ClearStatus) go through the same paths; their strategy skips status.
//
// Invariants (a violation fails the input, and so does a panic):
//
//  1. Defaulting is idempotent: defaulting a deep copy of the prepared
//     object again, with the same old object and user, changes nothing
//     (equality.Semantic.DeepEqual).
//  2. Validation is deterministic: a second run on a copy returns the same
//     errors. They are compared as a multiset, not as a sequence: the
//     Kubernetes metadata checks range over maps, so the order of their
//     errors legitimately varies between calls.
//  3. Every error names a field under metadata or spec (status is never the
//     user's input here) and has a known field.ErrorType; no nil entries.
//  4. Neither preparation nor validation modifies the stored (old) object,
//     and validation does not modify the object it validates.
//  5. An object that passes validation round-trips: internal -> versioned
//     -> JSON -> strict decode -> versioned is semantically equal to the
//     versioned object, and converting that back to internal gives the
//     validated object. Equal here is equality.Semantic with timestamps
//     compared at the precision of their JSON form (metav1.Time: seconds,
//     MicroTime: microseconds): that loss is the Kubernetes wire format's.
//     A timestamp that does not survive at all still fails: an object whose
//     stored JSON does not decode makes GET, LIST and DELETE of the
//     resource fail.
//  6. An object accepted on create can be written back unchanged (GET, then
//     PUT of the same body by another user): the update is accepted and
//     preparing it changes nothing.
//
// What is deliberately normalised, because Kubernetes itself owns it rather
// than knap: metadata.creationTimestamp, uid, deletionTimestamp,
// deletionGracePeriodSeconds and selfLink are wiped and filled by the server
// on create (rest.WipeObjectMetaSystemFields) and carried over from the
// stored object on update (rest.BeforeUpdate), and metadata.managedFields is
// rewritten by the field manager. metav1.Time encodes to JSON with second
// precision, so without this invariant 5 would fail on every fractional
// timestamp a client sends, none of which the server would ever store. The
// server's random parts (uid, creation time, generated name suffix) are
// fixed here, so that every run of an input is the same.
//
// Inputs that fail are written by Go to testdata/fuzz/<Target>/ of the
// group's package and are meant to be committed as regression seeds once the
// bug is fixed; every plain `go test` replays them.
package fuzzing

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
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
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/generic"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/apiserver/pkg/storage"
	"k8s.io/apiserver/pkg/storage/storagebackend"
	"k8s.io/apiserver/pkg/storage/storagebackend/factory"
	"k8s.io/client-go/tools/cache"
	"sigs.k8s.io/yaml"

	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Target describes the fuzz target of one kind.
type Target[T resource.Object] struct {
	// Kind is the kind's registry description (e.g. service.Kind()); the
	// harness builds the kind's strategy from it, as the server does.
	Kind resource.Kind[T]
	// Install adds the API group's internal and versioned types to a scheme
	// (pkg/apis/<group>/install.Install). The group alone: importing the
	// whole server would make every fuzz build instrument etcd too.
	Install func(*runtime.Scheme)
	// GVK is the versioned kind request bodies are decoded as, and the
	// version of the round trip.
	GVK schema.GroupVersionKind
	// Stored is the manifest of the stored object of the update path, as a
	// user would apply it. It must be accepted on create.
	Stored string
	// Seeds are realistic documents of the kind, valid and invalid, in YAML
	// or JSON; each is added as it is and as JSON.
	Seeds []string
	// Examples are file patterns (filepath.Glob, relative to the directory
	// of the test's package, e.g. "../../../artifacts/examples/build/*.yaml")
	// whose documents of GVK are seeds too. A pattern matching no file is an
	// error: the examples moved.
	Examples []string
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

	// errRefused marks a body the server answers 400 before any strategy
	// sees it.
	errRefused = errors.New("refused by the decoder")
)

// strategy is what the server's create and update handlers use of a kind.
type strategy interface {
	rest.RESTCreateStrategy
	rest.RESTUpdateStrategy
}

// harness runs the invariants of one Target.
type harness[T resource.Object] struct {
	tg       Target[T]
	scheme   *runtime.Scheme
	decoder  runtime.Decoder
	encoder  runtime.Encoder
	strategy strategy
	// creator and updater are the request contexts of the two users.
	creator, updater context.Context
	stored           T
	examples         []string
}

// Fuzz runs tg as a native fuzz target: its stored object, seeds and
// examples seed the corpus, and every input must keep the invariants.
func Fuzz[T resource.Object](f *testing.F, tg Target[T]) {
	h, err := newHarness(tg)
	if err != nil {
		f.Fatal(err)
	}
	for _, doc := range h.seeds() {
		f.Add([]byte(doc))
		// The same document as JSON, the form most clients send.
		if j, err := utilyaml.ToJSON([]byte(doc)); err == nil && !bytes.Equal(j, []byte(doc)) {
			f.Add(j)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := h.check(data); err != nil {
			t.Fatal(err)
		}
	})
}

// ExamplesAccepted fails t for each document of tg's examples that the
// server would refuse on create, and returns how many documents there are.
func ExamplesAccepted[T resource.Object](t testing.TB, tg Target[T]) int {
	t.Helper()
	h, err := newHarness(tg)
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range h.examples {
		_, errs, err := h.create([]byte(doc))
		if err == nil && len(errs) != 0 {
			err = errs.ToAggregate()
		}
		if err != nil {
			t.Errorf("an example %s is refused on create: %v\n%s", tg.GVK.Kind, err, bytes.TrimSpace([]byte(doc)))
		}
	}
	return len(h.examples)
}

// newHarness builds the harness of tg: its scheme and codecs, the kind's
// strategy, the stored object and the example documents.
func newHarness[T resource.Object](tg Target[T]) (*harness[T], error) {
	scheme := runtime.NewScheme()
	tg.Install(scheme)
	if !scheme.Recognizes(tg.GVK) {
		return nil, fmt.Errorf("the scheme does not know %v", tg.GVK)
	}
	// Strict: unknown and duplicate fields are decoding errors (a 400).
	codecs := serializer.NewCodecFactory(scheme, serializer.EnableStrict)
	info, ok := runtime.SerializerInfoForMediaType(codecs.SupportedMediaTypes(), runtime.ContentTypeJSON)
	if !ok {
		return nil, errors.New("no JSON serializer in the codec factory")
	}
	s, err := strategyOf(tg.Kind, scheme)
	if err != nil {
		return nil, err
	}
	h := &harness[T]{
		tg:       tg,
		scheme:   scheme,
		decoder:  codecs.UniversalDeserializer(),
		encoder:  info.Serializer,
		strategy: s,
		creator:  request.WithUser(context.Background(), &user.DefaultInfo{Name: creator}),
		updater:  request.WithUser(context.Background(), &user.DefaultInfo{Name: updater}),
	}
	if h.examples, err = exampleDocs(tg.Examples, tg.GVK); err != nil {
		return nil, err
	}
	if h.stored, err = h.store(); err != nil {
		return nil, err
	}
	return h, nil
}

// strategyOf is the strategy the server's storage of kind runs.
func strategyOf[T resource.Object](kind resource.Kind[T], scheme *runtime.Scheme) (strategy, error) {
	st, _, err := resource.NewStorage(kind, scheme, noStorage)
	if err != nil {
		return nil, fmt.Errorf("the strategy of %s: %w", kind.Resource, err)
	}
	s, ok := st.CreateStrategy.(strategy)
	if !ok || any(st.UpdateStrategy) != any(s) {
		return nil, fmt.Errorf("the %s storage has no single create and update strategy", kind.Resource)
	}
	return s, nil
}

// noStorage gives resource.NewStorage what it needs to build a kind's
// strategies, and no storage behind them: the harness never stores.
var noStorage = generic.RESTOptions{
	StorageConfig:  &storagebackend.ConfigForResource{},
	ResourcePrefix: "fuzzing",
	Decorator: func(*storagebackend.ConfigForResource, string, func(runtime.Object) (string, error),
		func() runtime.Object, func() runtime.Object, storage.AttrFunc, storage.IndexerFuncs, *cache.Indexers,
	) (storage.Interface, factory.DestroyFunc, error) {
		return nil, func() {}, nil
	},
}

// seeds are the target's documents: the stored object, the seeds and the
// examples.
func (h *harness[T]) seeds() []string {
	docs := append([]string{h.tg.Stored}, h.tg.Seeds...)
	return append(docs, h.examples...)
}

// check runs the invariants on one request body. It returns nil for a body
// the server refuses before its strategy sees it.
func (h *harness[T]) check(data []byte) error {
	obj, err := h.decode(data)
	if errors.Is(err, errRefused) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := h.checkCreate(obj.DeepCopyObject().(T)); err != nil {
		return fmt.Errorf("create: %w", err)
	}
	if err := h.checkUpdate(obj); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	return nil
}

// create decodes a request body and prepares and validates it as the
// server's create does: the object as it would be stored, and the errors
// that refuse it.
func (h *harness[T]) create(data []byte) (T, field.ErrorList, error) {
	obj, err := h.decode(data)
	if err != nil {
		return obj, nil, err
	}
	h.prepareCreate(obj)
	return obj, rest.ValidateCreate(h.creator, obj, h.strategy), nil
}

// decode decodes a request body as the server does, the target's kind
// filling in a missing apiVersion or kind, and converts it to internal.
func (h *harness[T]) decode(data []byte) (T, error) {
	var none T
	into, err := h.scheme.New(h.tg.GVK)
	if err != nil {
		return none, err
	}
	out, gvk, err := h.decoder.Decode(data, &h.tg.GVK, into)
	if err != nil {
		return none, fmt.Errorf("%w: %v", errRefused, err)
	}
	if gvk == nil || *gvk != h.tg.GVK {
		return none, fmt.Errorf("%w: a %v, not a %v", errRefused, gvk, h.tg.GVK)
	}
	obj := h.tg.Kind.New()
	if err := h.scheme.Convert(out, obj, nil); err != nil {
		return none, fmt.Errorf("converting a decoded %s to internal: %w", h.tg.GVK.Kind, err)
	}
	return obj, nil
}

// store builds the stored object of the update path: Target.Stored created
// by creator, which must be accepted.
func (h *harness[T]) store() (T, error) {
	obj, errs, err := h.create([]byte(h.tg.Stored))
	if err != nil {
		return obj, fmt.Errorf("stored %s: %w", h.tg.GVK.Kind, err)
	}
	if len(errs) != 0 {
		return obj, fmt.Errorf("stored %s is refused on create: %v", h.tg.GVK.Kind, errs)
	}
	obj.SetResourceVersion(storedVersion)
	obj.SetUID(storedUID)
	return obj, nil
}

// prepareCreate does what the create handler, the Store and the strategy do
// before validation.
func (h *harness[T]) prepareCreate(obj T) {
	// The create handler.
	rest.WipeObjectMetaSystemFields(obj)
	obj.SetManagedFields(nil) // the field manager's
	if obj.GetNamespace() == "" {
		obj.SetNamespace(requestNamespace)
	}
	// genericregistry.Store.Create: system fields, then the name.
	obj.SetCreationTimestamp(createdAt)
	obj.SetUID(createUID)
	if gn := obj.GetGenerateName(); gn != "" && obj.GetName() == "" {
		if len(gn) > maxGeneratedNameLength {
			gn = gn[:maxGeneratedNameLength]
		}
		obj.SetName(gn + generatedSuffix)
	}
	// rest.BeforeCreate: status cleared, generation 1, defaults.
	h.strategy.PrepareForCreate(h.creator, obj)
}

// prepareUpdate does what the update handler and rest.BeforeUpdate do
// before validation, the strategy's PrepareForUpdate among them.
func (h *harness[T]) prepareUpdate(obj, old T) {
	obj.SetManagedFields(nil) // the field manager's
	obj.SetGeneration(old.GetGeneration())
	h.strategy.PrepareForUpdate(h.updater, obj, old)
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

func (h *harness[T]) checkCreate(obj T) error {
	var none T
	h.prepareCreate(obj)
	if err := h.checkIdempotent(obj, none, creator); err != nil {
		return err
	}
	errs, err := h.validate(obj, func(o T) field.ErrorList { return rest.ValidateCreate(h.creator, o, h.strategy) })
	if err != nil || len(errs) != 0 {
		return err
	}
	if err := h.checkRoundTrip(obj); err != nil {
		return err
	}

	// Invariant 6: GET, then PUT of the same body, by another user.
	old := obj.DeepCopyObject().(T)
	old.SetResourceVersion(storedVersion)
	again := old.DeepCopyObject().(T)
	h.prepareUpdate(again, old)
	if !equality.Semantic.DeepEqual(again, old) {
		return fmt.Errorf("the %s accepted on create changes when written back unchanged:\n%s",
			h.tg.GVK.Kind, objectDiff(old, again))
	}
	if errs := rest.ValidateUpdate(h.updater, again, old, h.strategy); len(errs) != 0 {
		return fmt.Errorf("the %s accepted on create is refused when written back unchanged: %v", h.tg.GVK.Kind, errs)
	}
	return nil
}

func (h *harness[T]) checkUpdate(obj T) error {
	old := h.stored.DeepCopyObject().(T)
	// The request names the stored object and the version it read.
	obj.SetName(old.GetName())
	obj.SetNamespace(old.GetNamespace())
	obj.SetResourceVersion(old.GetResourceVersion())

	h.prepareUpdate(obj, old)
	if err := h.checkIdempotent(obj, old, updater); err != nil {
		return err
	}
	errs, err := h.validate(obj, func(o T) field.ErrorList { return rest.ValidateUpdate(h.updater, o, old, h.strategy) })
	if err != nil {
		return err
	}
	if !equality.Semantic.DeepEqual(old, h.stored) {
		return fmt.Errorf("preparation or validation modified the stored %s:\n%s", h.tg.GVK.Kind, objectDiff(h.stored, old))
	}
	if len(errs) == 0 {
		return h.checkRoundTrip(obj)
	}
	return nil
}

// checkIdempotent checks invariant 1 on obj, just prepared with old by user.
func (h *harness[T]) checkIdempotent(obj, old T, user string) error {
	again := obj.DeepCopyObject().(T)
	var oldAgain T
	if any(old) != any(oldAgain) { // old is a non-nil pointer
		oldAgain = old.DeepCopyObject().(T)
	}
	h.tg.Kind.Default(again, oldAgain, user)
	if !equality.Semantic.DeepEqual(obj, again) {
		return fmt.Errorf("defaulting the defaulted %s again changed it:\n%s", h.tg.GVK.Kind, objectDiff(obj, again))
	}
	return nil
}

// validate runs validate twice (invariant 2), checks the errors (3) and that
// validation leaves obj alone (4), and returns the errors.
func (h *harness[T]) validate(obj T, validate func(T) field.ErrorList) (field.ErrorList, error) {
	before := obj.DeepCopyObject().(T)
	second := obj.DeepCopyObject().(T)
	errs := validate(obj)
	if !equality.Semantic.DeepEqual(before, obj) {
		return nil, fmt.Errorf("validation modified the %s:\n%s", h.tg.GVK.Kind, objectDiff(before, obj))
	}
	if again := validate(second); !sameErrors(errs, again) {
		return nil, fmt.Errorf("validation of the same %s is not deterministic:\nfirst:  %v\nsecond: %v", h.tg.GVK.Kind, errs, again)
	}
	for i, e := range errs {
		switch {
		case e == nil:
			return nil, fmt.Errorf("validation error %d is nil: %v", i, errs)
		case e.Field == "":
			return nil, fmt.Errorf("validation error without a field path: %q", e.Error())
		case !errorRoot.MatchString(e.Field):
			return nil, fmt.Errorf("validation error outside metadata and spec: %q", e.Error())
		case e.Type == "":
			return nil, fmt.Errorf("validation error without a type: %q", e.Error())
		case !knownErrorTypes.Has(e.Type):
			return nil, fmt.Errorf("validation error of unknown type %q: %q", e.Type, e.Error())
		}
	}
	return errs, nil
}

// checkRoundTrip checks invariant 5 on obj, which passed validation.
func (h *harness[T]) checkRoundTrip(obj T) error {
	gv := h.tg.GVK.GroupVersion()
	versioned, err := h.scheme.New(h.tg.GVK)
	if err != nil {
		return err
	}
	if err := h.scheme.Convert(obj, versioned, nil); err != nil {
		return fmt.Errorf("converting the valid %s to %s: %w", h.tg.GVK.Kind, gv, err)
	}
	versioned.GetObjectKind().SetGroupVersionKind(h.tg.GVK)
	data, err := runtime.Encode(h.encoder, versioned)
	if err != nil {
		return fmt.Errorf("encoding the valid %s: %w", h.tg.GVK.Kind, err)
	}
	into, err := h.scheme.New(h.tg.GVK)
	if err != nil {
		return err
	}
	decoded, gvk, err := h.decoder.Decode(data, nil, into)
	if err != nil {
		return fmt.Errorf("the valid %s does not decode from its own JSON: %w\n%s", h.tg.GVK.Kind, err, data)
	}
	if *gvk != h.tg.GVK {
		return fmt.Errorf("the valid %s decodes as %v", h.tg.GVK.Kind, gvk)
	}
	if !wireEqual.DeepEqual(versioned, decoded) {
		return fmt.Errorf("the valid %s changes through JSON:\n%s", h.tg.GVK.Kind, wireDiff(versioned, decoded))
	}
	back := h.tg.Kind.New()
	if err := h.scheme.Convert(decoded, back, nil); err != nil {
		return fmt.Errorf("converting the decoded %s back to internal: %w", h.tg.GVK.Kind, err)
	}
	if !wireEqual.DeepEqual(obj, back) {
		return fmt.Errorf("the valid %s changes through %s and JSON:\n%s", h.tg.GVK.Kind, gv, wireDiff(obj, back))
	}
	return nil
}

// exampleDocs returns the documents of gvk in the files patterns match.
func exampleDocs(patterns []string, gvk schema.GroupVersionKind) ([]string, error) {
	var docs []string
	for _, pattern := range patterns {
		files, err := filepath.Glob(pattern)
		if err != nil {
			return nil, fmt.Errorf("examples %q: %w", pattern, err)
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("examples %q: no such file", pattern)
		}
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("reading examples: %w", err)
			}
			r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
			for {
				doc, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				var tm metav1.TypeMeta
				if err := yaml.Unmarshal(doc, &tm); err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				if tm.GroupVersionKind() == gvk {
					docs = append(docs, string(doc))
				}
			}
		}
	}
	return docs, nil
}
