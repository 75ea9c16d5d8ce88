package integration

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// object is a versioned knap object, as the generated clientset handles it.
type object interface {
	runtime.Object
	metav1.Object
}

// kindClient is what every generated typed client offers.
type kindClient[T object, L runtime.Object] interface {
	Create(context.Context, T, metav1.CreateOptions) (T, error)
	Update(context.Context, T, metav1.UpdateOptions) (T, error)
	Get(context.Context, string, metav1.GetOptions) (T, error)
	List(context.Context, metav1.ListOptions) (L, error)
	Watch(context.Context, metav1.ListOptions) (watch.Interface, error)
	Patch(context.Context, string, types.PatchType, []byte, metav1.PatchOptions, ...string) (T, error)
	Delete(context.Context, string, metav1.DeleteOptions) error
}

// statusClient is what the typed client of a kind with a status adds.
type statusClient[T object] interface {
	UpdateStatus(context.Context, T, metav1.UpdateOptions) (T, error)
}

// lifecycle describes one kind for testLifecycle.
type lifecycle[T object, L runtime.Object] struct {
	client func(ns string) kindClient[T, L]
	// manifest is a valid object of the kind, in YAML, without namespace.
	manifest string
	// status returns the object's duck status, to mark it Ready (or
	// Succeeded); nil for a kind without status.
	status func(T) *duckv1.Status
	// condition is the top-level condition; Ready when empty.
	condition duckv1.ConditionType
	// count returns the number of items of a list.
	count func(L) int
	// invalid maps manifests the server must refuse to a field path each
	// refusal must name.
	invalid map[string]string
}

// ptrTo is T = *O for a versioned object type O.
type ptrTo[O any] interface {
	*O
	object
}

// testLifecycle drives a kind through the generated clientset: create,
// get, list, watch, metadata patch, status update and the status.ready (or
// status.succeeded) field selector, server-side apply, delete; then every
// invalid manifest.
func testLifecycle[O any, T ptrTo[O], L runtime.Object](t *testing.T, k lifecycle[T, L]) {
	c, ns := ctx(t), namespace(t)
	client := k.client(ns)
	created, err := client.Create(c, T(decode[O](t, k.manifest)), metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	name := created.GetName()
	if created.GetGeneration() != 1 || created.GetUID() == "" {
		t.Errorf("created: generation %d uid %q", created.GetGeneration(), created.GetUID())
	}
	list, err := client.List(c, metav1.ListOptions{})
	if err != nil || k.count(list) != 1 {
		t.Fatalf("list: %v", err)
	}
	w, err := client.Watch(c, metav1.ListOptions{ResourceVersion: created.GetResourceVersion()})
	if err != nil {
		t.Fatalf("watch: %v", err)
	}
	defer w.Stop()

	patched, err := client.Patch(c, name, types.MergePatchType, []byte(`{"metadata":{"labels":{"touched":"yes"}}}`), metav1.PatchOptions{})
	if err != nil || patched.GetLabels()["touched"] != "yes" || patched.GetGeneration() != 1 {
		t.Fatalf("label patch: %v (generation %d)", err, patched.GetGeneration())
	}
	select {
	case ev := <-w.ResultChan():
		if ev.Type != watch.Modified {
			t.Errorf("watch: got %s, want MODIFIED", ev.Type)
		}
	case <-time.After(10 * time.Second):
		t.Error("watch saw no event for the patch")
	}

	if k.status != nil {
		testStatus(t, c, client, patched, k)
	}

	// Server-side apply of the same manifest by another manager.
	applied, err := json.Marshal(T(decode[O](t, k.manifest)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Patch(c, name, types.ApplyPatchType, applied, metav1.PatchOptions{FieldManager: "lifecycle", Force: ptr.To(true)}); err != nil {
		t.Errorf("server-side apply: %v", err)
	}

	if err := client.Delete(c, name, metav1.DeleteOptions{}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := client.Get(c, name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("get after delete: %v", err)
	}

	for manifest, path := range k.invalid {
		t.Run(path, func(t *testing.T) {
			_, err := client.Create(ctx(t), T(decode[O](t, manifest)), metav1.CreateOptions{})
			requireInvalid(t, err, path)
		})
	}
}

// testStatus: the main resource ignores status; the status subresource sets
// it, and the top-level condition's field selector finds the object.
func testStatus[T object, L runtime.Object](t *testing.T, c context.Context, client kindClient[T, L], obj T, k lifecycle[T, L]) {
	t.Helper()
	statuses, ok := client.(statusClient[T])
	if !ok {
		t.Fatalf("the client of a kind with status has no UpdateStatus")
	}
	condition := k.condition
	if condition == "" {
		condition = duckv1.ConditionReady
	}
	withStatus := obj.DeepCopyObject().(T)
	*k.status(withStatus) = duckv1.Status{ObservedGeneration: 1, Conditions: []duckv1.Condition{{
		Type: condition, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(time.Now().Truncate(time.Second)),
	}}}
	updated, err := client.Update(c, withStatus, metav1.UpdateOptions{})
	if err != nil || len(k.status(updated).Conditions) != 0 {
		t.Fatalf("update through the main resource: %v, status %+v", err, k.status(updated))
	}
	withStatus.SetResourceVersion(updated.GetResourceVersion())
	updated, err = statuses.UpdateStatus(c, withStatus, metav1.UpdateOptions{})
	if err != nil || k.status(updated).GetCondition(condition) == nil {
		t.Fatalf("update status: %v", err)
	}
	selector := duckv1.ConditionFieldSelector(condition) + "=True"
	found, err := client.List(c, metav1.ListOptions{FieldSelector: selector})
	if err != nil || k.count(found) != 1 {
		t.Errorf("%s: %v", selector, err)
	}
}
