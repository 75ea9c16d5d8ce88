// Package route reconciles Knative Routes: it resolves spec.traffic to
// ready Revisions, reports status.traffic (percents, tags and their URLs),
// status.url and status.address, and publishes the routing table as an
// Ingress (networking.internal.knative.dev) of the Route's name, which the
// gateway serves. It also records on Revisions and Configurations which
// Routes reference them (routingstate.go).
package route

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/utils/clock"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/controller/conditions"
	"github.com/knap-dev/knap/pkg/controller/config"
	"github.com/knap-dev/knap/pkg/controller/manager"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	networkinglisters "github.com/knap-dev/knap/pkg/generated/listers/networking/v1alpha1"
	servinglisters "github.com/knap-dev/knap/pkg/generated/listers/serving/v1"
)

// Name is the controller's name in --controllers.
const Name = "route"

// Conditions of a Route.
var Conditions = conditions.NewReady(serving.RouteConditionAllTrafficAssigned, serving.RouteConditionIngressReady, RouteConditionCertificateProvisioned)

const (
	// RouteConditionCertificateProvisioned is True with reason
	// TLSNotEnabled: knap serves plain HTTP routes.
	RouteConditionCertificateProvisioned duckv1.ConditionType = "CertificateProvisioned"

	// VisibilityLabel "cluster-local" keeps a Route off the external domain.
	VisibilityLabel        = "networking.knative.dev/visibility"
	VisibilityClusterLocal = "cluster-local"
	// Headers the gateway adds so the queue knows where a request went.
	RevisionHeader          = "Knative-Serving-Revision"
	RevisionNamespaceHeader = "Knative-Serving-Namespace"
	// RouteNamespaceLabel is on the Ingress next to serving.knative.dev/route.
	RouteNamespaceLabel = serving.GroupName + "/routeNamespace"
)

// Reconciler reconciles one Route.
type Reconciler struct {
	Client         versioned.Interface
	Routes         servinglisters.RouteLister
	Configurations servinglisters.ConfigurationLister
	Revisions      servinglisters.RevisionLister
	Ingresses      networkinglisters.IngressLister
	Recorder       record.EventRecorder
	// Domain is the domain of a Route with these labels (config-domain).
	Domain func(labels map[string]string) string
	// Clock stamps routingStateModified.
	Clock clock.PassiveClock
}

// NewController wires the reconciler: Routes, the Configurations and
// Revisions they send traffic to, the Ingresses they own, and
// config-domain.
func NewController(store *config.SharedStore) manager.Constructor {
	return func(ctx context.Context, c *manager.Context) (*reconciler.Controller, error) {
		cfg, err := store.Get(ctx, c)
		if err != nil {
			return nil, err
		}
		domain := func(l map[string]string) string { return cfg.Load().Domain.DomainFor(l) }
		inf := c.KnapInformers.Serving().V1()
		r := &Reconciler{
			Client:         c.Knap,
			Routes:         inf.Routes().Lister(),
			Configurations: inf.Configurations().Lister(),
			Revisions:      inf.Revisions().Lister(),
			Ingresses:      c.KnapInformers.Networking().V1alpha1().Ingresses().Lister(),
			Recorder:       c.Recorder,
			Domain:         domain,
			Clock:          clock.RealClock{},
		}
		ctrl := reconciler.New(Name, r, c.Metrics)
		if _, err := inf.Routes().Informer().AddEventHandler(ctrl.Handler()); err != nil {
			return nil, err
		}
		// A Configuration or Revision change may move any Route of its
		// namespace: enqueue them all (Routes per namespace are few). A
		// Route it still lists that no longer exists (deleted while no
		// controller ran) is enqueued too, to be released from it.
		sameNamespace := reconciler.ObjectHandler(func(o metav1.Object) {
			routes, _ := r.Routes.Routes(o.GetNamespace()).List(labels.Everything())
			for _, rt := range routes {
				ctrl.Enqueue(rt)
			}
			for name := range RoutesOf(o) {
				if _, err := r.Routes.Routes(o.GetNamespace()).Get(name); apierrors.IsNotFound(err) {
					ctrl.EnqueueKey(o.GetNamespace() + "/" + name)
				}
			}
		})
		for _, i := range []cache.SharedIndexInformer{inf.Configurations().Informer(), inf.Revisions().Informer()} {
			if _, err := i.AddEventHandler(sameNamespace); err != nil {
				return nil, err
			}
		}
		owner := schema.GroupKind{Group: serving.GroupName, Kind: "Route"}
		if _, err := c.KnapInformers.Networking().V1alpha1().Ingresses().Informer().AddEventHandler(ctrl.OwnerHandler(owner)); err != nil {
			return nil, err
		}
		cfg.OnChange(func() {
			routes, _ := r.Routes.List(labels.Everything())
			for _, rt := range routes {
				ctrl.Enqueue(rt)
			}
		})
		return ctrl, nil
	}
}

// Reconcile implements reconciler.Reconciler. A Route that is gone, or
// being deleted, is released from the Revisions and Configurations that
// list it.
func (r *Reconciler) Reconcile(ctx context.Context, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return reconciler.Permanent(err)
	}
	route, err := r.Routes.Routes(ns).Get(name)
	if apierrors.IsNotFound(err) || (err == nil && route.DeletionTimestamp != nil) {
		return r.releaseRoutingState(ctx, ns, name)
	} else if err != nil {
		return err
	}
	return reconciler.ReconcileStatus(ctx, key, reconciler.StatusKind[*servingv1.Route]{
		Get:        func(ns, name string) (*servingv1.Route, error) { return r.Routes.Routes(ns).Get(name) },
		Status:     func(o *servingv1.Route) *duckv1.Status { return &o.Status.Status },
		Conditions: Conditions,
		UpdateStatus: func(ctx context.Context, o *servingv1.Route) error {
			_, err := r.Client.ServingV1().Routes(o.Namespace).UpdateStatus(ctx, o, metav1.UpdateOptions{})
			return err
		},
	}, r.reconcile)
}

// reconcile routes traffic, then records the routing state of what the
// Route references, whatever the outcome.
func (r *Reconciler) reconcile(ctx context.Context, route *servingv1.Route) error {
	err := r.reconcileTraffic(ctx, route)
	if serr := r.syncRoutingState(ctx, route); serr != nil {
		if err != nil {
			// Retried, even when err alone would not be.
			return fmt.Errorf("%w (and: %v)", serr, err)
		}
		return serr
	}
	return err
}

func (r *Reconciler) reconcileTraffic(ctx context.Context, route *servingv1.Route) error {
	m := Conditions.Manage(&route.Status.Status)
	m.MarkTrueWithReason(RouteConditionCertificateProvisioned, "TLSNotEnabled", "external-domain-tls is not enabled")
	hosts := HostsFor(route, r.Domain(route.Labels))
	route.Status.URL = ptr.To("http://" + hosts.Primary(""))
	route.Status.Address = &duckv1.Addressable{URL: ptr.To("http://" + hosts.ClusterLocal(""))}

	targets, err := Resolve(route, r.Configurations, r.Revisions)
	var trafficErr *TrafficError
	if errors.As(err, &trafficErr) {
		// The traffic that flows stays as it is until the new one can.
		if trafficErr.Status == corev1.ConditionFalse {
			m.MarkFalse(serving.RouteConditionAllTrafficAssigned, trafficErr.Reason, "%s", trafficErr.Message)
		} else {
			m.MarkUnknown(serving.RouteConditionAllTrafficAssigned, trafficErr.Reason, "%s", trafficErr.Message)
		}
		return nil
	} else if err != nil {
		return err
	}
	m.MarkTrue(serving.RouteConditionAllTrafficAssigned)
	route.Status.Traffic = StatusTraffic(targets, func(tag string) string { return "http://" + hosts.Primary(tag) })

	ingress, err := r.ingress(ctx, route, MakeIngress(route, targets, hosts))
	if err != nil {
		return err
	}
	if c := ingress.Status.GetCondition(duckv1.ConditionReady); c != nil && ingress.Status.ObservedGeneration == ingress.Generation {
		m.Propagate(serving.RouteConditionIngressReady, c)
	} else {
		m.MarkUnknown(serving.RouteConditionIngressReady, "IngressNotConfigured", "Ingress has not yet been reconciled.")
	}
	return nil
}

// ingress creates or updates the Route's Ingress to want.
func (r *Reconciler) ingress(ctx context.Context, route *servingv1.Route, want *networkingv1alpha1.Ingress) (*networkingv1alpha1.Ingress, error) {
	existing, err := r.Ingresses.Ingresses(route.Namespace).Get(want.Name)
	if apierrors.IsNotFound(err) {
		created, err := r.Client.NetworkingV1alpha1().Ingresses(route.Namespace).Create(ctx, want, metav1.CreateOptions{})
		if err != nil {
			r.Recorder.Eventf(route, corev1.EventTypeWarning, "CreationFailed", "Failed to create Ingress %q: %v", want.Name, err)
			return nil, fmt.Errorf("creating the Ingress: %w", err)
		}
		r.Recorder.Eventf(route, corev1.EventTypeNormal, "Created", "Created Ingress %q", want.Name)
		return created, nil
	} else if err != nil {
		return nil, err
	}
	if !metav1.IsControlledBy(existing, route) {
		Conditions.Manage(&route.Status.Status).MarkFalse(serving.RouteConditionIngressReady, "NotOwned",
			"There is an existing Ingress %q that we do not own.", want.Name)
		return nil, reconciler.Permanent(fmt.Errorf("route %q does not own ingress %q", route.Name, want.Name))
	}
	if equality.Semantic.DeepEqual(existing.Spec, want.Spec) && equality.Semantic.DeepEqual(existing.Labels, want.Labels) {
		return existing, nil
	}
	update := existing.DeepCopy()
	update.Spec, update.Labels = want.Spec, want.Labels
	return r.Client.NetworkingV1alpha1().Ingresses(route.Namespace).Update(ctx, update, metav1.UpdateOptions{})
}

// Hosts are the host names of a Route and of its tags.
type Hosts struct {
	name, namespace, domain string
	clusterLocalOnly        bool
}

// HostsFor returns the Route's hosts under domain; a cluster-local Route
// (label, or the domain svc.cluster.local) has only cluster-local ones.
func HostsFor(route *servingv1.Route, domain string) Hosts {
	return Hosts{
		name: route.Name, namespace: route.Namespace, domain: domain,
		clusterLocalOnly: route.Labels[VisibilityLabel] == VisibilityClusterLocal || domain == "svc.cluster.local",
	}
}

func (h Hosts) prefix(tag string) string {
	if tag == "" {
		return h.name
	}
	return tag + "-" + h.name
}

// Primary is the host in the Route's URL: external unless cluster-local.
func (h Hosts) Primary(tag string) string {
	if h.clusterLocalOnly {
		return h.ClusterLocal(tag)
	}
	return h.prefix(tag) + "." + h.namespace + "." + h.domain
}

// ClusterLocal is the fully qualified in-cluster host.
func (h Hosts) ClusterLocal(tag string) string {
	return h.prefix(tag) + "." + h.namespace + ".svc.cluster.local"
}

// rules are the Ingress rules of one tag ("" for the Route itself).
func (h Hosts) rules(tag string, path networkingv1alpha1.HTTPIngressPath) []networkingv1alpha1.IngressRule {
	p := h.prefix(tag) + "." + h.namespace
	out := []networkingv1alpha1.IngressRule{{
		Hosts:      []string{p, p + ".svc", p + ".svc.cluster.local"},
		Visibility: networkingv1alpha1.IngressVisibilityClusterLocal,
		HTTP:       &networkingv1alpha1.HTTPIngressRuleValue{Paths: []networkingv1alpha1.HTTPIngressPath{path}},
	}}
	if !h.clusterLocalOnly {
		out = append(out, networkingv1alpha1.IngressRule{
			Hosts:      []string{h.Primary(tag)},
			Visibility: networkingv1alpha1.IngressVisibilityExternalIP,
			HTTP:       &networkingv1alpha1.HTTPIngressRuleValue{Paths: []networkingv1alpha1.HTTPIngressPath{*path.DeepCopy()}},
		})
	}
	return out
}

// MakeIngress is the routing table of route: the Route's hosts split
// across every target by percent (a revision named twice gets the sum),
// and each tag's hosts sending everything to the tag's revision.
func MakeIngress(route *servingv1.Route, targets []Target, hosts Hosts) *networkingv1alpha1.Ingress {
	percents := map[string]int64{}
	var order []string
	tags := map[string]string{}
	for _, t := range targets {
		if _, seen := percents[t.ServiceName]; !seen {
			order = append(order, t.ServiceName)
		}
		percents[t.ServiceName] += ptr.Deref(t.Percent, 0)
		if t.Tag != "" {
			tags[t.Tag] = t.ServiceName
		}
	}
	split := func(rev string, percent int64) networkingv1alpha1.IngressBackendSplit {
		return networkingv1alpha1.IngressBackendSplit{
			IngressBackend: networkingv1alpha1.IngressBackend{ServiceNamespace: route.Namespace, ServiceName: rev, ServicePort: intstr.FromInt32(80)},
			Percent:        int32(percent),
			AppendHeaders:  map[string]string{RevisionHeader: rev, RevisionNamespaceHeader: route.Namespace},
		}
	}
	var main networkingv1alpha1.HTTPIngressPath
	for _, rev := range order {
		if percents[rev] > 0 {
			main.Splits = append(main.Splits, split(rev, percents[rev]))
		}
	}
	var rules []networkingv1alpha1.IngressRule
	if len(main.Splits) > 0 {
		rules = hosts.rules("", main)
	}
	for _, tag := range slices.Sorted(maps.Keys(tags)) {
		rules = append(rules, hosts.rules(tag, networkingv1alpha1.HTTPIngressPath{Splits: []networkingv1alpha1.IngressBackendSplit{split(tags[tag], 100)}})...)
	}
	return &networkingv1alpha1.Ingress{
		ObjectMeta: metav1.ObjectMeta{
			Name: route.Name, Namespace: route.Namespace,
			Labels:          map[string]string{serving.RouteLabel: route.Name, RouteNamespaceLabel: route.Namespace},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(route, servingv1.SchemeGroupVersion.WithKind("Route"))},
		},
		Spec: networkingv1alpha1.IngressSpec{Rules: rules, HTTPOption: networkingv1alpha1.HTTPOptionEnabled},
	}
}
