// Package reconciler runs level-based reconcilers: informer events become
// namespace/name keys in a rate-limited workqueue, and workers call the
// reconciler for each key until it succeeds. A key is never processed by
// two workers at once.
package reconciler

import (
	"context"
	"errors"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
)

// Reconciler brings the world in line with the object named by key
// (namespace/name). It is called again, with backoff, while it returns an
// error, unless the error is Permanent.
type Reconciler interface {
	Reconcile(ctx context.Context, key string) error
}

// ReconcilerFunc adapts a function to Reconciler.
type ReconcilerFunc func(ctx context.Context, key string) error

func (f ReconcilerFunc) Reconcile(ctx context.Context, key string) error { return f(ctx, key) }

type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent marks an error retrying cannot fix (the object is invalid; a
// later change to it will enqueue it again).
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err, or an error it wraps, is Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// RequeueAfter asks for the key again after d, without counting as a failure.
type RequeueAfter struct{ Delay time.Duration }

func (r RequeueAfter) Error() string { return fmt.Sprintf("requeue after %s", r.Delay) }

// Controller is one reconciler with its workqueue.
type Controller struct {
	Name       string
	reconciler Reconciler
	queue      workqueue.TypedRateLimitingInterface[string]
	metrics    *Metrics
}

// New returns a controller named name (its metrics and logs use it).
func New(name string, r Reconciler, m *Metrics) *Controller {
	return &Controller{
		Name:       name,
		reconciler: r,
		metrics:    m,
		queue: workqueue.NewTypedRateLimitingQueueWithConfig(
			workqueue.DefaultTypedControllerRateLimiter[string](),
			workqueue.TypedRateLimitingQueueConfig[string]{Name: name, MetricsProvider: m},
		),
	}
}

// EnqueueKey adds a namespace/name key.
func (c *Controller) EnqueueKey(key string) { c.queue.Add(key) }

// EnqueueKeyAfter adds a key after a delay.
func (c *Controller) EnqueueKeyAfter(key string, d time.Duration) { c.queue.AddAfter(key, d) }

// Enqueue adds the key of an object (or of a deleted object's tombstone).
func (c *Controller) Enqueue(obj any) {
	key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(obj)
	if err != nil {
		utilruntime.HandleError(fmt.Errorf("%s: cannot enqueue %T: %w", c.Name, obj, err))
		return
	}
	c.queue.Add(key)
}

// Handler enqueues every object an informer adds, updates or deletes.
func (c *Controller) Handler() cache.ResourceEventHandler {
	return cache.ResourceEventHandlerFuncs{
		AddFunc:    c.Enqueue,
		UpdateFunc: func(_, obj any) { c.Enqueue(obj) },
		DeleteFunc: c.Enqueue,
	}
}

// ObjectHandler calls f with every object an informer adds, updates or
// deletes (unwrapping the tombstones of deletes the informer missed).
func ObjectHandler(f func(metav1.Object)) cache.ResourceEventHandler {
	call := func(obj any) {
		if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = t.Obj
		}
		if o, ok := obj.(metav1.Object); ok {
			f(o)
		}
	}
	return cache.ResourceEventHandlerFuncs{
		AddFunc:    call,
		UpdateFunc: func(_, obj any) { call(obj) },
		DeleteFunc: call,
	}
}

// OwnerHandler enqueues the controlling owner, of the given group and
// kind, of every object an informer sees: children wake their parent, so a
// child edited or deleted by hand is put back.
func (c *Controller) OwnerHandler(owner schema.GroupKind) cache.ResourceEventHandler {
	return ObjectHandler(func(o metav1.Object) {
		ref := metav1.GetControllerOf(o)
		if ref == nil {
			return
		}
		gv, err := schema.ParseGroupVersion(ref.APIVersion)
		if err != nil || gv.Group != owner.Group || ref.Kind != owner.Kind {
			return
		}
		c.queue.Add(o.GetNamespace() + "/" + ref.Name)
	})
}

// Len is the number of keys waiting.
func (c *Controller) Len() int { return c.queue.Len() }

// Run processes keys with workers goroutines until ctx is done.
func (c *Controller) Run(ctx context.Context, workers int) {
	defer utilruntime.HandleCrash()
	defer c.queue.ShutDown()
	logger := klog.FromContext(ctx).WithValues("controller", c.Name)
	logger.Info("Starting controller", "workers", workers)
	for range workers {
		go wait.UntilWithContext(ctx, c.work, time.Second)
	}
	<-ctx.Done()
	logger.Info("Stopping controller")
}

func (c *Controller) work(ctx context.Context) {
	for c.processNext(ctx) {
	}
}

// processNext reconciles one key; false when the queue shut down.
func (c *Controller) processNext(ctx context.Context) bool {
	key, quit := c.queue.Get()
	if quit {
		return false
	}
	defer c.queue.Done(key)
	logger := klog.FromContext(ctx).WithValues("controller", c.Name, "key", key)
	start := time.Now()
	err := c.reconciler.Reconcile(klog.NewContext(ctx, logger), key)
	c.metrics.latency.WithLabelValues(c.Name).Observe(time.Since(start).Seconds())

	var requeue RequeueAfter
	var permanent permanentError
	switch {
	case err == nil:
		c.metrics.reconciles.WithLabelValues(c.Name, "success").Inc()
		c.queue.Forget(key)
	case errors.As(err, &requeue):
		c.metrics.reconciles.WithLabelValues(c.Name, "requeue").Inc()
		c.queue.Forget(key)
		c.queue.AddAfter(key, requeue.Delay)
	case errors.As(err, &permanent):
		c.metrics.reconciles.WithLabelValues(c.Name, "error").Inc()
		logger.Error(err, "Reconcile failed; not retrying until the object changes")
		c.queue.Forget(key)
	default:
		c.metrics.reconciles.WithLabelValues(c.Name, "error").Inc()
		logger.Error(err, "Reconcile failed; retrying", "retries", c.queue.NumRequeues(key))
		c.queue.AddRateLimited(key)
	}
	return true
}

// EnqueueAll enqueues every object list returns (a lister's List): what a
// controller does when a setting all its objects depend on changes, or on
// a periodic tick.
func EnqueueAll[T any](c *Controller, list func(labels.Selector) ([]T, error)) func() {
	return func() {
		objs, _ := list(labels.Everything())
		for _, o := range objs {
			c.Enqueue(o)
		}
	}
}
