package reconciler

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/cache"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/controller/conditions"
)

// Object is a Knative-style object a reconciler writes the status of.
type Object interface {
	metav1.Object
	runtime.Object
}

// StatusKind describes, for ReconcileStatus, how to read one kind from
// its lister and write its status.
type StatusKind[T Object] struct {
	// Get reads the object from the informer's cache.
	Get func(namespace, name string) (T, error)
	// Status is the object's duck status.
	Status     func(T) *duckv1.Status
	Conditions conditions.Set
	// UpdateStatus writes the status subresource.
	UpdateStatus func(context.Context, T) error
}

// ReconcileStatus is the frame of every reconciler that owns an object's
// status: read the object named by key (gone or being deleted: nothing to
// do), initialize its conditions on a copy, let reconcile fill in the
// copy's status, record the observed generation when reconcile succeeded,
// and write the status only if it changed.
func ReconcileStatus[T Object](ctx context.Context, key string, k StatusKind[T], reconcile func(context.Context, T) error) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return Permanent(err)
	}
	original, err := k.Get(ns, name)
	if apierrors.IsNotFound(err) {
		return nil // deleted: the garbage collector removes what it owned
	} else if err != nil {
		return err
	}
	if original.GetDeletionTimestamp() != nil {
		return nil
	}
	obj := original.DeepCopyObject().(T)
	k.Conditions.Manage(k.Status(obj)).Initialize()
	err = reconcile(ctx, obj)
	if err == nil {
		k.Status(obj).ObservedGeneration = obj.GetGeneration()
	}
	if !equality.Semantic.DeepEqual(original, obj) {
		if uerr := k.UpdateStatus(ctx, obj); uerr != nil {
			return fmt.Errorf("updating the status of %s: %w", key, uerr)
		}
	}
	return err
}
