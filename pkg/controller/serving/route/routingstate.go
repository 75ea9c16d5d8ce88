package route

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/klog/v2"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
)

// Routing state: every Revision and Configuration a Route references lists
// the Route in its routes annotation, and a Revision's routingState label
// says whether any Route lists it (active) or none does any more
// (reserve), with the time that last changed. Revision garbage collection
// keys on these. Each Route adds and removes only its own name, with merge
// patches of those keys, so it never overwrites what another Route or
// controller writes; a race between two Routes is repaired by the next
// reconcile, which the patched object's event triggers.

// RoutesOf is the set of Route names in an object's routes annotation.
func RoutesOf(o metav1.Object) sets.Set[string] {
	out := sets.New[string]()
	for _, r := range strings.Split(o.GetAnnotations()[serving.RoutesAnnotation], ",") {
		if r = strings.TrimSpace(r); r != "" {
			out.Insert(r)
		}
	}
	return out
}

// RoutingPatch is the JSON merge patch that records whether route sends
// traffic to the object o: route added to or removed from its routes
// annotation (removed with the annotation when it was the last one) and,
// with state (Revisions), the routingState label set from whether any
// Route remains, with routingStateModified stamped at now when the label
// changes. It is nil when o already says so.
func RoutingPatch(o metav1.Object, route string, routed, state bool, now time.Time) []byte {
	annotations := map[string]any{}
	routes := RoutesOf(o)
	if routes.Has(route) != routed {
		if routed {
			routes.Insert(route)
		} else {
			routes.Delete(route)
		}
		if routes.Len() == 0 {
			annotations[serving.RoutesAnnotation] = nil
		} else {
			annotations[serving.RoutesAnnotation] = strings.Join(sets.List(routes), ",")
		}
	}
	meta := map[string]any{}
	if state {
		want := serving.RoutingStateReserve
		if routes.Len() > 0 {
			want = serving.RoutingStateActive
		}
		if o.GetLabels()[serving.RoutingStateLabel] != want {
			meta["labels"] = map[string]any{serving.RoutingStateLabel: want}
			annotations[serving.RoutingStateModifiedAnnotation] = now.UTC().Format(time.RFC3339)
		}
	}
	if len(annotations) > 0 {
		meta["annotations"] = annotations
	}
	if len(meta) == 0 {
		return nil
	}
	patch, err := json.Marshal(map[string]any{"metadata": meta})
	if err != nil {
		panic(fmt.Sprintf("marshalling a merge patch of strings: %v", err)) // cannot happen
	}
	return patch
}

// routingTargets are the names of what a Route references.
type routingTargets struct {
	revisions, configurations sets.Set[string]
}

// referenced lists what route sends traffic to, in spec and in status
// (the traffic that flows until the new one is ready): Revisions named,
// their Configurations, Configurations named, for a latest-revision
// target, the Configuration's latest created Revision, so that it is
// active before it takes traffic, and every Revision the rollout state on
// the Route's Ingress still gives traffic (status.traffic shows a tag's
// rollout, not the Route's own). Objects not in the cache are left out:
// their creation enqueues the Route again. A Configuration its Route's
// Service also controls counts as referenced, as the Service reconciler
// lists that Route on it in any case.
func (r *Reconciler) referenced(route *servingv1.Route) (routingTargets, error) {
	t := routingTargets{revisions: sets.New[string](), configurations: sets.New[string]()}
	for _, tt := range slices.Concat(route.Status.Traffic, route.Spec.Traffic) {
		configName := tt.ConfigurationName
		if tt.RevisionName != "" {
			rev, err := r.Revisions.Revisions(route.Namespace).Get(tt.RevisionName)
			if apierrors.IsNotFound(err) {
				continue
			} else if err != nil {
				return t, err
			}
			t.revisions.Insert(rev.Name)
			if owner := metav1.GetControllerOf(rev); owner != nil && owner.Kind == "Configuration" {
				configName = owner.Name
			}
		}
		if configName == "" {
			continue
		}
		config, err := r.Configurations.Configurations(route.Namespace).Get(configName)
		if apierrors.IsNotFound(err) {
			continue
		} else if err != nil {
			return t, err
		}
		t.configurations.Insert(config.Name)
		if latest := config.Status.LatestCreatedRevisionName; latest != "" && tt.LatestRevision != nil && *tt.LatestRevision {
			if _, err := r.Revisions.Revisions(route.Namespace).Get(latest); err == nil {
				t.revisions.Insert(latest)
			} else if !apierrors.IsNotFound(err) {
				return t, err
			}
		}
	}
	rolledOut, err := r.rolloutRevisions(route)
	if err != nil {
		return t, err
	}
	for _, name := range rolledOut {
		if _, err := r.Revisions.Revisions(route.Namespace).Get(name); err == nil {
			t.revisions.Insert(name)
		} else if !apierrors.IsNotFound(err) {
			return t, err
		}
	}
	if owner := metav1.GetControllerOf(route); owner != nil && owner.Kind == "Service" {
		config, err := r.Configurations.Configurations(route.Namespace).Get(owner.Name)
		switch {
		case apierrors.IsNotFound(err):
		case err != nil:
			return t, err
		case metav1.GetControllerOf(config) != nil && metav1.GetControllerOf(config).UID == owner.UID:
			t.configurations.Insert(config.Name)
		}
	}
	return t, nil
}

// rolloutRevisions are the Revisions the rollout state on route's Ingress
// sends traffic to; none without an Ingress of the Route's or a readable
// state.
func (r *Reconciler) rolloutRevisions(route *servingv1.Route) ([]string, error) {
	ingress, err := r.Ingresses.Ingresses(route.Namespace).Get(route.Name)
	if apierrors.IsNotFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if !metav1.IsControlledBy(ingress, route) {
		return nil, nil
	}
	rollout, err := ParseRollout(ingress.Annotations[RolloutAnnotation])
	if err != nil {
		return nil, nil // the route reconciler logs it
	}
	return rollout.Revisions(), nil
}

// syncRoutingState records on Revisions and Configurations what route
// references. What it no longer references is released only once the
// Route is Ready or has failed: until then the gateway may still send the
// old revisions traffic, and they must not go to reserve.
func (r *Reconciler) syncRoutingState(ctx context.Context, route *servingv1.Route) error {
	targets, err := r.referenced(route)
	if err != nil {
		return err
	}
	c := route.Status.GetCondition(duckv1.ConditionReady)
	release := c != nil && (c.Status == corev1.ConditionTrue || c.Status == corev1.ConditionFalse)
	return r.markRoutes(ctx, route.Namespace, route.Name, targets, release)
}

// releaseRoutingState removes a Route that is gone, or going, from
// everything that lists it.
func (r *Reconciler) releaseRoutingState(ctx context.Context, namespace, route string) error {
	none := routingTargets{revisions: sets.New[string](), configurations: sets.New[string]()}
	return r.markRoutes(ctx, namespace, route, none, true)
}

// markRoutes patches the Revisions and Configurations of namespace so that
// those in targets list route and, when release, the others do not.
func (r *Reconciler) markRoutes(ctx context.Context, namespace, route string, targets routingTargets, release bool) error {
	revs, err := r.Revisions.Revisions(namespace).List(labels.Everything())
	if err != nil {
		return err
	}
	configs, err := r.Configurations.Configurations(namespace).List(labels.Everything())
	if err != nil {
		return err
	}
	now := r.Clock.Now()
	var errs []error
	for _, rev := range revs {
		patch := routingPatchFor(rev, route, targets.revisions, release, true, now)
		errs = append(errs, r.patch(ctx, "Revision", rev, patch, func(ctx context.Context, p []byte) error {
			_, err := r.Client.ServingV1().Revisions(namespace).Patch(ctx, rev.Name, types.MergePatchType, p, metav1.PatchOptions{})
			return err
		}))
	}
	for _, config := range configs {
		patch := routingPatchFor(config, route, targets.configurations, release, false, now)
		errs = append(errs, r.patch(ctx, "Configuration", config, patch, func(ctx context.Context, p []byte) error {
			_, err := r.Client.ServingV1().Configurations(namespace).Patch(ctx, config.Name, types.MergePatchType, p, metav1.PatchOptions{})
			return err
		}))
	}
	return errors.Join(errs...)
}

// routingPatchFor is o's patch: route added when o is a target, removed
// when it is not and release allows, nothing for objects that neither are
// nor list route.
func routingPatchFor(o metav1.Object, route string, targets sets.Set[string], release, state bool, now time.Time) []byte {
	switch {
	case targets.Has(o.GetName()):
		return RoutingPatch(o, route, true, state, now)
	case release && RoutesOf(o).Has(route):
		return RoutingPatch(o, route, false, state, now)
	}
	return nil
}

// patch applies a non-nil patch to o; an object deleted meanwhile needs
// none.
func (r *Reconciler) patch(ctx context.Context, kind string, o metav1.Object, patch []byte, apply func(context.Context, []byte) error) error {
	if patch == nil {
		return nil
	}
	err := apply(ctx, patch)
	if apierrors.IsNotFound(err) {
		return nil
	} else if err != nil {
		return fmt.Errorf("recording routing state on %s %s: %w", kind, klog.KObj(o), err)
	}
	klog.FromContext(ctx).Info("Recorded routing state", "kind", kind, "object", klog.KObj(o), "patch", string(patch))
	return nil
}
