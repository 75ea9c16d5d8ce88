// Package resource stores Knative-shaped objects (spec, status with
// conditions, generation) in etcd: the strategies, status subresource,
// server-side table and field selectors every knap kind shares. Each kind
// supplies a Kind value describing what differs.
package resource

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/equality"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/generic"
	genericregistry "k8s.io/apiserver/pkg/registry/generic/registry"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/apiserver/pkg/storage"
	"k8s.io/apiserver/pkg/storage/names"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// Object is an internal API object stored by this package.
type Object interface {
	runtime.Object
	metav1.Object
}

// Kind describes one resource. Functions receive internal objects; old is
// the zero value (nil) on create.
type Kind[T Object] struct {
	// Resource is the plural, e.g. serving.knative.dev "services".
	Resource   schema.GroupResource
	Singular   string
	ShortNames []string
	Categories []string
	// GroupVersion is the preferred version serving the kind.
	GroupVersion schema.GroupVersion
	// OtherVersions serve the same storage through conversion (tekton.dev
	// v1beta1 next to v1).
	OtherVersions []string

	New     func() T
	NewList func() runtime.Object

	// Spec returns what a user changes; a change bumps metadata.generation.
	Spec func(T) any
	// Status returns the duck status; its top-level condition feeds the
	// status.ready (or status.succeeded) field selector. Kinds without a
	// status (Tekton's Task and Pipeline) leave Status, CopyStatus and
	// ClearStatus nil and get no status subresource.
	Status func(T) *duckv1.Status
	// Condition is the top-level condition: Ready when empty, Succeeded for
	// run-to-completion kinds.
	Condition duckv1.ConditionType
	// CopySpec and CopyStatus overwrite one half of dst with src's, so the
	// main resource cannot write status and the status subresource cannot
	// write spec.
	CopySpec   func(dst, src T)
	CopyStatus func(dst, src T)
	// ClearStatus empties the status of a new object.
	ClearStatus func(T)

	// Default applies the kind's defaults; user is the requester's name.
	Default        func(obj, old T, user string)
	Validate       func(obj T) field.ErrorList
	ValidateUpdate func(obj, old T) field.ErrorList

	// Fields adds selectable fields beyond metadata.name/namespace and status.ready.
	Fields func(T) fields.Set
	// Columns are the table columns after Name, and Cells their values.
	Columns []metav1.TableColumnDefinition
	Cells   func(T) []any
}

// REST is the storage of a kind, with short names and categories for discovery.
type REST struct {
	*genericregistry.Store
	shortNames, categories []string
}

var (
	_ rest.ShortNamesProvider = &REST{}
	_ rest.CategoriesProvider = &REST{}
)

func (r *REST) ShortNames() []string { return r.shortNames }
func (r *REST) Categories() []string { return r.categories }

// StatusREST serves the status subresource.
type StatusREST struct {
	store *genericregistry.Store
}

var (
	_ rest.Patcher = &StatusREST{}
	_ rest.Storage = &StatusREST{}
)

func (r *StatusREST) New() runtime.Object { return r.store.New() }
func (r *StatusREST) Destroy()            {}
func (r *StatusREST) Get(ctx context.Context, name string, options *metav1.GetOptions) (runtime.Object, error) {
	return r.store.Get(ctx, name, options)
}
func (r *StatusREST) Update(ctx context.Context, name string, objInfo rest.UpdatedObjectInfo, createValidation rest.ValidateObjectFunc, updateValidation rest.ValidateObjectUpdateFunc, forceAllowCreate bool, options *metav1.UpdateOptions) (runtime.Object, bool, error) {
	// Status writes never create: the object must exist.
	return r.store.Update(ctx, name, objInfo, createValidation, updateValidation, false, options)
}
func (r *StatusREST) GetResetFields() map[fieldpath.APIVersion]*fieldpath.Set {
	return r.store.GetResetFields()
}
func (r *StatusREST) ConvertToTable(ctx context.Context, object runtime.Object, tableOptions runtime.Object) (*metav1.Table, error) {
	return r.store.ConvertToTable(ctx, object, tableOptions)
}

// Versions are every group/version that serves the kind, preferred first.
func (k Kind[T]) Versions() []schema.GroupVersion {
	out := []schema.GroupVersion{k.GroupVersion}
	for _, v := range k.OtherVersions {
		out = append(out, schema.GroupVersion{Group: k.GroupVersion.Group, Version: v})
	}
	return out
}

// resetFields maps every served version to the same reset path.
func (k Kind[T]) resetFields(path string) map[fieldpath.APIVersion]*fieldpath.Set {
	out := map[fieldpath.APIVersion]*fieldpath.Set{}
	for _, gv := range k.Versions() {
		out[fieldpath.APIVersion(gv.String())] = fieldpath.NewSet(fieldpath.MakePathOrDie(path))
	}
	return out
}

// TopCondition is the kind's top-level condition type.
func (k Kind[T]) TopCondition() duckv1.ConditionType {
	if k.Condition == "" {
		return duckv1.ConditionReady
	}
	return k.Condition
}

// NewStorage builds the main and status storage of a kind; status is nil
// for a kind without a status.
func NewStorage[T Object](k Kind[T], typer runtime.ObjectTyper, optsGetter generic.RESTOptionsGetter) (*REST, *StatusREST, error) {
	main := &strategy[T]{ObjectTyper: typer, NameGenerator: names.SimpleNameGenerator, kind: k}
	status := &statusStrategy[T]{strategy: main}
	store := &genericregistry.Store{
		NewFunc:                   func() runtime.Object { return k.New() },
		NewListFunc:               k.NewList,
		PredicateFunc:             main.match,
		DefaultQualifiedResource:  k.Resource,
		SingularQualifiedResource: schema.GroupResource{Group: k.Resource.Group, Resource: k.Singular},
		CreateStrategy:            main,
		UpdateStrategy:            main,
		DeleteStrategy:            main,
		ResetFieldsStrategy:       main,
		TableConvertor:            tableConvertor[T]{kind: k},
	}
	if err := store.CompleteWithOptions(&generic.StoreOptions{RESTOptions: optsGetter, AttrFunc: main.attrs}); err != nil {
		return nil, nil, fmt.Errorf("storage for %s: %w", k.Resource, err)
	}
	if k.Status == nil {
		return &REST{Store: store, shortNames: k.ShortNames, categories: k.Categories}, nil, nil
	}
	statusStore := *store
	statusStore.UpdateStrategy = status
	statusStore.ResetFieldsStrategy = status
	return &REST{Store: store, shortNames: k.ShortNames, categories: k.Categories}, &StatusREST{store: &statusStore}, nil
}

type strategy[T Object] struct {
	runtime.ObjectTyper
	names.NameGenerator
	kind Kind[T]
}

func (s *strategy[T]) NamespaceScoped() bool { return true }

func (s *strategy[T]) GetResetFields() map[fieldpath.APIVersion]*fieldpath.Set {
	return s.kind.resetFields("status")
}

func (s *strategy[T]) PrepareForCreate(ctx context.Context, obj runtime.Object) {
	o := obj.(T)
	if s.kind.ClearStatus != nil {
		s.kind.ClearStatus(o)
	}
	o.SetGeneration(1)
	var none T
	s.kind.Default(o, none, userName(ctx))
}

func (s *strategy[T]) PrepareForUpdate(ctx context.Context, obj, old runtime.Object) {
	o, prev := obj.(T), old.(T)
	if s.kind.CopyStatus != nil {
		s.kind.CopyStatus(o, prev)
	}
	s.kind.Default(o, prev, userName(ctx))
	if !equality.Semantic.DeepEqual(s.kind.Spec(o), s.kind.Spec(prev)) {
		o.SetGeneration(prev.GetGeneration() + 1)
	}
}

func (s *strategy[T]) Validate(ctx context.Context, obj runtime.Object) field.ErrorList {
	return append(s.kind.Validate(obj.(T)), unstorableTimes(obj)...)
}

func (s *strategy[T]) ValidateUpdate(ctx context.Context, obj, old runtime.Object) field.ErrorList {
	return append(s.kind.ValidateUpdate(obj.(T), old.(T)), unstorableTimes(obj)...)
}

func (s *strategy[T]) WarningsOnCreate(context.Context, runtime.Object) []string { return nil }
func (s *strategy[T]) WarningsOnUpdate(context.Context, runtime.Object, runtime.Object) []string {
	return nil
}
func (s *strategy[T]) AllowCreateOnUpdate(context.Context) bool      { return false }
func (s *strategy[T]) AllowUnconditionalUpdate(context.Context) bool { return true }
func (s *strategy[T]) Canonicalize(runtime.Object)                   {}

func (s *strategy[T]) attrs(obj runtime.Object) (labels.Set, fields.Set, error) {
	o, ok := obj.(T)
	if !ok {
		return nil, nil, fmt.Errorf("not a %s: %T", s.kind.Singular, obj)
	}
	set := fields.Set{"metadata.name": o.GetName(), "metadata.namespace": o.GetNamespace()}
	if s.kind.Status != nil {
		c := s.kind.TopCondition()
		set[duckv1.ConditionFieldSelector(c)] = conditionStatus(s.kind.Status(o), c)
	}
	if s.kind.Fields != nil {
		set = generic.MergeFieldsSets(set, s.kind.Fields(o))
	}
	return o.GetLabels(), set, nil
}

func (s *strategy[T]) match(label labels.Selector, field fields.Selector) storage.SelectionPredicate {
	return storage.SelectionPredicate{Label: label, Field: field, GetAttrs: s.attrs}
}

// statusStrategy lets the status subresource write status and nothing of spec.
type statusStrategy[T Object] struct {
	*strategy[T]
}

func (s *statusStrategy[T]) GetResetFields() map[fieldpath.APIVersion]*fieldpath.Set {
	return s.kind.resetFields("spec")
}

func (s *statusStrategy[T]) PrepareForUpdate(ctx context.Context, obj, old runtime.Object) {
	o, prev := obj.(T), old.(T)
	s.kind.CopySpec(o, prev)
	// Status writers must not change what users own in metadata either.
	o.SetGeneration(prev.GetGeneration())
	o.SetLabels(prev.GetLabels())
	o.SetAnnotations(prev.GetAnnotations())
	o.SetOwnerReferences(prev.GetOwnerReferences())
	o.SetFinalizers(prev.GetFinalizers())
}

func (s *statusStrategy[T]) ValidateUpdate(ctx context.Context, obj, old runtime.Object) field.ErrorList {
	o, prev := obj.(T), old.(T)
	return append(apivalidation.ValidateObjectMetaAccessorUpdate(o, prev, field.NewPath("metadata")), unstorableTimes(obj)...)
}

func userName(ctx context.Context) string {
	if u, ok := request.UserFrom(ctx); ok {
		return u.GetName()
	}
	return ""
}

func conditionStatus(s *duckv1.Status, t duckv1.ConditionType) string {
	if c := s.GetCondition(t); c != nil && c.Status != "" {
		return string(c.Status)
	}
	return "Unknown"
}
