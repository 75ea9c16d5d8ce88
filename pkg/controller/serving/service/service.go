// Package service reconciles Knative Services: each owns a Configuration
// and a Route of its own name, kept equal to what the Service asks for,
// and reports their state in its status (ConfigurationsReady, RoutesReady,
// Ready, url, address, traffic, latest revisions).
package service

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"

	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/controller/conditions"
	"github.com/knap-dev/knap/pkg/controller/manager"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/controller/serving/configuration"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	servinglisters "github.com/knap-dev/knap/pkg/generated/listers/serving/v1"
)

// Name is the controller's name in --controllers.
const Name = "service"

// Conditions of a Service.
var Conditions = conditions.NewReady(serving.ServiceConditionConfigurationsReady, serving.ServiceConditionRoutesReady)

// Reconciler reconciles one Service.
type Reconciler struct {
	Client         versioned.Interface
	Services       servinglisters.ServiceLister
	Configurations servinglisters.ConfigurationLister
	Routes         servinglisters.RouteLister
	Revisions      servinglisters.RevisionLister
	Recorder       record.EventRecorder
}

// NewController wires the reconciler to the informers: Services, and the
// Configurations and Routes they own.
func NewController(_ context.Context, c *manager.Context) (*reconciler.Controller, error) {
	inf := c.KnapInformers.Serving().V1()
	r := &Reconciler{
		Client:         c.Knap,
		Services:       inf.Services().Lister(),
		Configurations: inf.Configurations().Lister(),
		Routes:         inf.Routes().Lister(),
		Revisions:      inf.Revisions().Lister(),
		Recorder:       c.Recorder,
	}
	ctrl := reconciler.New(Name, r, c.Metrics)
	owner := schema.GroupKind{Group: serving.GroupName, Kind: "Service"}
	if _, err := inf.Services().Informer().AddEventHandler(ctrl.Handler()); err != nil {
		return nil, err
	}
	for _, i := range []cache.SharedIndexInformer{inf.Configurations().Informer(), inf.Routes().Informer()} {
		if _, err := i.AddEventHandler(ctrl.OwnerHandler(owner)); err != nil {
			return nil, err
		}
	}
	return ctrl, nil
}

// Reconcile implements reconciler.Reconciler.
func (r *Reconciler) Reconcile(ctx context.Context, key string) error {
	return reconciler.ReconcileStatus(ctx, key, reconciler.StatusKind[*servingv1.Service]{
		Get:        func(ns, name string) (*servingv1.Service, error) { return r.Services.Services(ns).Get(name) },
		Status:     func(o *servingv1.Service) *duckv1.Status { return &o.Status.Status },
		Conditions: Conditions,
		UpdateStatus: func(ctx context.Context, o *servingv1.Service) error {
			_, err := r.Client.ServingV1().Services(o.Namespace).UpdateStatus(ctx, o, metav1.UpdateOptions{})
			return err
		},
	}, r.reconcile)
}

func (r *Reconciler) reconcile(ctx context.Context, svc *servingv1.Service) error {
	m := Conditions.Manage(&svc.Status.Status)
	config, err := r.configuration(ctx, svc)
	if err != nil {
		return err
	}
	if config.Generation != config.Status.ObservedGeneration {
		// The Configuration has not yet seen our latest spec.
		m.MarkUnknown(serving.ServiceConditionConfigurationsReady, "OutOfDate",
			"The Configuration is still working to reflect the latest desired specification.")
		// With a revision name chosen by the user, the Route must not move
		// before the Configuration has created that revision.
		if config.Spec.Template.Name != "" {
			return nil
		}
	} else {
		svc.Status.ConfigurationStatusFields = config.Status.ConfigurationStatusFields
		m.Propagate(serving.ServiceConditionConfigurationsReady, config.Status.GetCondition("Ready"))
	}
	if name := config.Spec.Template.Name; name != "" {
		_, err := configuration.NamedRevision(config, r.Revisions)
		if apierrors.IsAlreadyExists(err) {
			m.MarkFalse(serving.ServiceConditionRoutesReady, "RevisionNameTaken",
				"The revision name %q is taken by a conflicting Revision, so traffic will not be migrated", name)
			return nil
		} else if err != nil {
			return err
		}
	}

	route, err := r.route(ctx, svc)
	if err != nil {
		return err
	}
	if route.Generation != route.Status.ObservedGeneration {
		m.MarkUnknown(serving.ServiceConditionRoutesReady, "OutOfDate",
			"The Route is still working to reflect the latest desired specification.")
		return nil
	}
	svc.Status.RouteStatusFields = route.Status.RouteStatusFields
	rc := route.Status.GetCondition("Ready")
	m.Propagate(serving.ServiceConditionRoutesReady, rc)
	// As in Knative, a Route that reports progress (such as a gradual
	// rollout) or failure says why itself; one that claims to be ready, or
	// says nothing yet, is checked against what the Service asks.
	if (rc == nil || rc.Status == corev1.ConditionTrue) && !trafficMigrated(config, route) {
		m.MarkUnknown(serving.ServiceConditionRoutesReady, "TrafficNotMigrated", "Traffic is not yet migrated to the latest revision.")
	}
	return nil
}

// configuration creates or updates the Service's Configuration.
func (r *Reconciler) configuration(ctx context.Context, svc *servingv1.Service) (*servingv1.Configuration, error) {
	m := Conditions.Manage(&svc.Status.Status)
	existing, err := r.Configurations.Configurations(svc.Namespace).Get(svc.Name)
	if apierrors.IsNotFound(err) {
		created, err := r.Client.ServingV1().Configurations(svc.Namespace).Create(ctx, MakeConfiguration(svc, nil), metav1.CreateOptions{})
		if err != nil {
			r.Recorder.Eventf(svc, corev1.EventTypeWarning, "CreationFailed", "Failed to create Configuration %q: %v", svc.Name, err)
			return nil, fmt.Errorf("creating Configuration: %w", err)
		}
		r.Recorder.Eventf(svc, corev1.EventTypeNormal, "Created", "Created Configuration %q", svc.Name)
		return created, nil
	} else if err != nil {
		return nil, err
	}
	if !metav1.IsControlledBy(existing, svc) {
		m.MarkFalse(serving.ServiceConditionConfigurationsReady, "NotOwned", "There is an existing Configuration %q that we do not own.", svc.Name)
		return nil, reconciler.Permanent(fmt.Errorf("service %q does not own configuration %q", svc.Name, svc.Name))
	}
	desired := MakeConfiguration(svc, existing)
	if equality.Semantic.DeepEqual(desired.Spec, existing.Spec) &&
		equality.Semantic.DeepEqual(desired.Labels, existing.Labels) &&
		equality.Semantic.DeepEqual(desired.Annotations, existing.Annotations) {
		return existing, nil
	}
	update := existing.DeepCopy()
	update.Spec, update.Labels, update.Annotations = desired.Spec, desired.Labels, desired.Annotations
	return r.Client.ServingV1().Configurations(svc.Namespace).Update(ctx, update, metav1.UpdateOptions{})
}

// route creates or updates the Service's Route.
func (r *Reconciler) route(ctx context.Context, svc *servingv1.Service) (*servingv1.Route, error) {
	m := Conditions.Manage(&svc.Status.Status)
	existing, err := r.Routes.Routes(svc.Namespace).Get(svc.Name)
	if apierrors.IsNotFound(err) {
		created, err := r.Client.ServingV1().Routes(svc.Namespace).Create(ctx, MakeRoute(svc), metav1.CreateOptions{})
		if err != nil {
			r.Recorder.Eventf(svc, corev1.EventTypeWarning, "CreationFailed", "Failed to create Route %q: %v", svc.Name, err)
			return nil, fmt.Errorf("creating Route: %w", err)
		}
		r.Recorder.Eventf(svc, corev1.EventTypeNormal, "Created", "Created Route %q", svc.Name)
		return created, nil
	} else if err != nil {
		return nil, err
	}
	if !metav1.IsControlledBy(existing, svc) {
		m.MarkFalse(serving.ServiceConditionRoutesReady, "NotOwned", "There is an existing Route %q that we do not own.", svc.Name)
		return nil, reconciler.Permanent(fmt.Errorf("service %q does not own route %q", svc.Name, svc.Name))
	}
	desired := MakeRoute(svc)
	if equality.Semantic.DeepEqual(desired.Spec, existing.Spec) &&
		equality.Semantic.DeepEqual(desired.Labels, existing.Labels) &&
		equality.Semantic.DeepEqual(desired.Annotations, existing.Annotations) {
		return existing, nil
	}
	update := existing.DeepCopy()
	update.Spec, update.Labels, update.Annotations = desired.Spec, desired.Labels, desired.Annotations
	return r.Client.ServingV1().Routes(svc.Namespace).Update(ctx, update, metav1.UpdateOptions{})
}

// trafficMigrated reports whether the Route's status serves what its spec
// asks, with the Configuration's targets resolved to its latest ready
// revision.
func trafficMigrated(config *servingv1.Configuration, route *servingv1.Route) bool {
	if len(route.Spec.Traffic) != len(route.Status.Traffic) {
		return false
	}
	for i, want := range route.Spec.Traffic {
		got := route.Status.Traffic[i]
		if want.ConfigurationName == config.Name {
			want.RevisionName, want.ConfigurationName = config.Status.LatestReadyRevisionName, ""
		}
		if got.Tag != want.Tag || got.RevisionName != want.RevisionName || got.ConfigurationName != want.ConfigurationName ||
			!equality.Semantic.DeepEqual(got.Percent, want.Percent) {
			return false
		}
	}
	return true
}

// ownerRef makes the Service the controlling owner of what it creates.
func ownerRef(svc *servingv1.Service) []metav1.OwnerReference {
	return []metav1.OwnerReference{*metav1.NewControllerRef(svc, servingv1.SchemeGroupVersion.WithKind("Service"))}
}

// rolloutDurationLegacyAnnotation is Knative's older spelling of
// serving.RolloutDurationAnnotation.
const rolloutDurationLegacyAnnotation = serving.GroupName + "/rolloutDuration"

// MakeConfiguration is the Configuration svc wants. existing, when not
// nil, contributes the Routes already listed in its routes annotation.
func MakeConfiguration(svc *servingv1.Service, existing *servingv1.Configuration) *servingv1.Configuration {
	// The rollout duration, in either spelling, is the Route's business.
	annotations := withoutKeys(svc.Annotations, corev1.LastAppliedConfigAnnotation, serving.RolloutDurationAnnotation, rolloutDurationLegacyAnnotation)
	routes := map[string]bool{svc.Name: true}
	if existing != nil {
		for _, r := range strings.Split(existing.Annotations[serving.RoutesAnnotation], ",") {
			if r != "" {
				routes[r] = true
			}
		}
	}
	annotations[serving.RoutesAnnotation] = strings.Join(slices.Sorted(maps.Keys(routes)), ",")
	labels := maps.Clone(svc.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	labels[serving.ServiceLabel] = svc.Name
	labels[serving.ServiceUIDLabel] = string(svc.UID)
	return &servingv1.Configuration{
		ObjectMeta: metav1.ObjectMeta{
			Name: svc.Name, Namespace: svc.Namespace, OwnerReferences: ownerRef(svc),
			Labels: labels, Annotations: annotations,
		},
		Spec: *svc.Spec.ConfigurationSpec.DeepCopy(),
	}
}

// MakeRoute is the Route svc wants: its traffic, with every target that
// names no revision pointing at the Service's Configuration.
func MakeRoute(svc *servingv1.Service) *servingv1.Route {
	labels := maps.Clone(svc.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	labels[serving.ServiceLabel] = svc.Name
	route := &servingv1.Route{
		ObjectMeta: metav1.ObjectMeta{
			Name: svc.Name, Namespace: svc.Namespace, OwnerReferences: ownerRef(svc),
			Labels: labels, Annotations: withoutKeys(svc.Annotations, corev1.LastAppliedConfigAnnotation),
		},
		Spec: *svc.Spec.RouteSpec.DeepCopy(),
	}
	for i := range route.Spec.Traffic {
		if route.Spec.Traffic[i].RevisionName == "" {
			route.Spec.Traffic[i].ConfigurationName = svc.Name
		}
	}
	return route
}

func withoutKeys(in map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for k, v := range in {
		if !slices.Contains(keys, k) {
			out[k] = v
		}
	}
	return out
}
