// Package gc garbage collects Revisions: for each Configuration, it
// deletes the Revisions no Route references any more (routingState
// reserve, recorded by the route reconciler) as config-gc says (see
// Collect), and looks again when the next one becomes collectable.
package gc

import (
	"context"
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"

	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/controller/config"
	"github.com/knap-dev/knap/pkg/controller/manager"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	servinglisters "github.com/knap-dev/knap/pkg/generated/listers/serving/v1"
)

// Name is the controller's name in --controllers.
const Name = "gc"

// configWait is how soon a Configuration is looked at again while
// config-gc has not been read yet.
const configWait = time.Second

// Reconciler collects the Revisions of one Configuration.
type Reconciler struct {
	Client         versioned.Interface
	Configurations servinglisters.ConfigurationLister
	Revisions      servinglisters.RevisionLister
	Recorder       record.EventRecorder
	Clock          clock.PassiveClock
	// Config is the current config-gc.
	Config func() *config.GC
	// ConfigSynced reports whether config-gc, if it exists, has been
	// read: acting on the defaults before would delete Revisions a
	// cluster that disabled collection keeps.
	ConfigSynced func() bool
}

// NewController wires the reconciler to Configurations, the Revisions
// they own (a Revision going to reserve makes it collectable) and
// config-gc.
func NewController(store *config.SharedStore) manager.Constructor {
	return func(ctx context.Context, c *manager.Context) (*reconciler.Controller, error) {
		cfg, err := store.Get(ctx, c)
		if err != nil {
			return nil, err
		}
		inf := c.KnapInformers.Serving().V1()
		r := &Reconciler{
			Client:         c.Knap,
			Configurations: inf.Configurations().Lister(),
			Revisions:      inf.Revisions().Lister(),
			Recorder:       c.Recorder,
			Clock:          clock.RealClock{},
			Config:         func() *config.GC { return cfg.Load().GC },
			ConfigSynced:   cfg.HasSynced,
		}
		ctrl := reconciler.New(Name, r, c.Metrics)
		if _, err := inf.Configurations().Informer().AddEventHandler(ctrl.Handler()); err != nil {
			return nil, err
		}
		owner := schema.GroupKind{Group: serving.GroupName, Kind: "Configuration"}
		if _, err := inf.Revisions().Informer().AddEventHandler(ctrl.OwnerHandler(owner)); err != nil {
			return nil, err
		}
		cfg.OnChange(reconciler.EnqueueAll(ctrl, r.Configurations.List))
		return ctrl, nil
	}
}

// Reconcile implements reconciler.Reconciler: it deletes what Collect
// says and asks to be called again when the next Revision becomes
// collectable.
func (r *Reconciler) Reconcile(ctx context.Context, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return reconciler.Permanent(err)
	}
	if !r.ConfigSynced() {
		return reconciler.RequeueAfter{Delay: configWait}
	}
	conf, err := r.Configurations.Configurations(ns).Get(name)
	if apierrors.IsNotFound(err) {
		return nil // its Revisions go with it
	} else if err != nil {
		return err
	}
	if conf.DeletionTimestamp != nil {
		return nil
	}
	list, err := r.Revisions.Revisions(ns).List(labels.SelectorFromSet(labels.Set{serving.ConfigurationLabel: name}))
	if err != nil {
		return err
	}
	// The label alone could be left from an earlier Configuration of the
	// same name: collect only this one's.
	var revisions []*servingv1.Revision
	for _, rev := range list {
		if metav1.IsControlledBy(rev, conf) {
			revisions = append(revisions, rev)
		}
	}

	plan := Collect(r.Config(), conf, revisions, r.Clock.Now())
	var errs []error
	for _, d := range plan.Delete {
		errs = append(errs, r.delete(ctx, conf, d))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if plan.RecheckAfter > 0 {
		return reconciler.RequeueAfter{Delay: plan.RecheckAfter}
	}
	return nil
}

// delete deletes one Revision, only the one the decision was about (its
// UID): a Revision recreated under the same name meanwhile is not stale.
func (r *Reconciler) delete(ctx context.Context, conf *servingv1.Configuration, d Deletion) error {
	rev := d.Revision
	err := r.Client.ServingV1().Revisions(rev.Namespace).Delete(ctx, rev.Name, metav1.DeleteOptions{
		Preconditions: &metav1.Preconditions{UID: &rev.UID},
	})
	switch {
	case apierrors.IsNotFound(err):
		return nil
	case apierrors.IsConflict(err):
		return nil // another Revision of that name now; the next reconcile judges it
	case err != nil:
		r.Recorder.Eventf(conf, corev1.EventTypeWarning, "DeletionFailed", "Failed to delete Revision %q (%s): %v", rev.Name, d.Why, err)
		return fmt.Errorf("deleting Revision %s: %w", rev.Name, err)
	}
	klog.FromContext(ctx).Info("Deleted revision", "revision", klog.KObj(rev), "why", d.Why,
		"lastActive", LastActive(rev).UTC().Format(time.RFC3339))
	r.Recorder.Eventf(conf, corev1.EventTypeNormal, "RevisionDeleted", "Deleted Revision %q (%s)", rev.Name, d.Why)
	return nil
}
