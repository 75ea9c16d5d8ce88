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
	"slices"
	"time"

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
	// Clock stamps routingStateModified and times rollouts.
	Clock clock.PassiveClock
	// RolloutDuration is the rollout duration of Routes that set none
	// (config-network); nil is 0, no gradual rollout.
	RolloutDuration func() time.Duration
}

// NewController wires the reconciler: Routes, the Configurations and
// Revisions they send traffic to, the Ingresses they own, and
// config-domain and config-network.
func NewController(store *config.SharedStore) manager.Constructor {
	return func(ctx context.Context, c *manager.Context) (*reconciler.Controller, error) {
		cfg, err := store.Get(ctx, c)
		if err != nil {
			return nil, err
		}
		domain := func(l map[string]string) string { return cfg.Load().Domain.DomainFor(l) }
		inf := c.KnapInformers.Serving().V1()
		r := &Reconciler{
			Client:          c.Knap,
			Routes:          inf.Routes().Lister(),
			Configurations:  inf.Configurations().Lister(),
			Revisions:       inf.Revisions().Lister(),
			Ingresses:       c.KnapInformers.Networking().V1alpha1().Ingresses().Lister(),
			Recorder:        c.Recorder,
			Domain:          domain,
			Clock:           clock.RealClock{},
			RolloutDuration: func() time.Duration { return cfg.Load().Network.RolloutDuration },
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
		cfg.OnChange(reconciler.EnqueueAll(ctrl, r.Routes.List))
		return ctrl, nil
	}
}

// Reconcile implements reconciler.Reconciler. A Route that is gone, or
// being deleted, is released from the Revisions and Configurations that
// list it. While a rollout is in progress, the Route is requeued for its
// next step (reconciler.RequeueAfter).
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
	var nextStep time.Duration
	err = reconciler.ReconcileStatus(ctx, key, reconciler.StatusKind[*servingv1.Route]{
		Get:        func(ns, name string) (*servingv1.Route, error) { return r.Routes.Routes(ns).Get(name) },
		Status:     func(o *servingv1.Route) *duckv1.Status { return &o.Status.Status },
		Conditions: Conditions,
		UpdateStatus: func(ctx context.Context, o *servingv1.Route) error {
			_, err := r.Client.ServingV1().Routes(o.Namespace).UpdateStatus(ctx, o, metav1.UpdateOptions{})
			return err
		},
	}, func(ctx context.Context, route *servingv1.Route) error {
		var err error
		nextStep, err = r.reconcile(ctx, route)
		return err
	})
	if err == nil && nextStep > 0 {
		return reconciler.RequeueAfter{Delay: nextStep}
	}
	return err
}

// reconcile routes traffic, then records the routing state of what the
// Route references, whatever the outcome. It returns when the next step of
// a rollout in progress is due (0: none).
func (r *Reconciler) reconcile(ctx context.Context, route *servingv1.Route) (time.Duration, error) {
	nextStep, err := r.reconcileTraffic(ctx, route)
	if serr := r.syncRoutingState(ctx, route); serr != nil {
		if err != nil {
			// Retried, even when err alone would not be.
			return 0, fmt.Errorf("%w (and: %v)", serr, err)
		}
		return 0, serr
	}
	return nextStep, err
}

func (r *Reconciler) reconcileTraffic(ctx context.Context, route *servingv1.Route) (time.Duration, error) {
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
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	m.MarkTrue(serving.RouteConditionAllTrafficAssigned)

	existing, err := r.Ingresses.Ingresses(route.Namespace).Get(route.Name)
	if apierrors.IsNotFound(err) {
		existing = nil
	} else if err != nil {
		return 0, err
	}
	rollout, nextStep := r.rollout(ctx, route, targets, existing)
	route.Status.Traffic = StatusTraffic(targets, rollout, func(tag string) string { return "http://" + hosts.Primary(tag) })

	ingress, err := r.ingress(ctx, route, existing, MakeIngressWithRollout(route, targets, hosts, rollout))
	if err != nil {
		return 0, err
	}
	switch c := ingress.Status.GetCondition(duckv1.ConditionReady); {
	case !rollout.Done():
		m.MarkUnknown(serving.RouteConditionIngressReady, "RolloutInProgress", "A gradual rollout of the latest revision(s) is in progress.")
	case c != nil && ingress.Status.ObservedGeneration == ingress.Generation:
		m.Propagate(serving.RouteConditionIngressReady, c)
	default:
		m.MarkUnknown(serving.RouteConditionIngressReady, "IngressNotConfigured", "Ingress has not yet been reconciled.")
	}
	return nextStep, nil
}

// ingress creates (existing is nil) or updates the Route's Ingress to
// want: its spec, labels and rollout annotation.
func (r *Reconciler) ingress(ctx context.Context, route *servingv1.Route, existing, want *networkingv1alpha1.Ingress) (*networkingv1alpha1.Ingress, error) {
	if existing == nil {
		created, err := r.Client.NetworkingV1alpha1().Ingresses(route.Namespace).Create(ctx, want, metav1.CreateOptions{})
		if err != nil {
			r.Recorder.Eventf(route, corev1.EventTypeWarning, "CreationFailed", "Failed to create Ingress %q: %v", want.Name, err)
			return nil, fmt.Errorf("creating the Ingress: %w", err)
		}
		r.Recorder.Eventf(route, corev1.EventTypeNormal, "Created", "Created Ingress %q", want.Name)
		return created, nil
	}
	if !metav1.IsControlledBy(existing, route) {
		Conditions.Manage(&route.Status.Status).MarkFalse(serving.RouteConditionIngressReady, "NotOwned",
			"There is an existing Ingress %q that we do not own.", want.Name)
		return nil, reconciler.Permanent(fmt.Errorf("route %q does not own ingress %q", route.Name, want.Name))
	}
	rollout := want.Annotations[RolloutAnnotation]
	if equality.Semantic.DeepEqual(existing.Spec, want.Spec) && equality.Semantic.DeepEqual(existing.Labels, want.Labels) &&
		existing.Annotations[RolloutAnnotation] == rollout {
		return existing, nil
	}
	update := existing.DeepCopy()
	update.Spec, update.Labels = want.Spec, want.Labels
	if update.Annotations == nil {
		update.Annotations = map[string]string{}
	}
	update.Annotations[RolloutAnnotation] = rollout
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

// MakeIngress is the routing table of route with no rollout in flight:
// MakeIngressWithRollout with the rollout targets ask for.
func MakeIngress(route *servingv1.Route, targets []Target, hosts Hosts) *networkingv1alpha1.Ingress {
	return MakeIngressWithRollout(route, targets, hosts, DesiredRollout(targets))
}

// MakeIngressWithRollout is the routing table of route: the Route's hosts
// split across every target by percent (a revision named twice gets the
// sum), and each tag's hosts sending everything to the tag's revision. A
// latest-revision target whose configuration rollout is in progress, under
// tag "" for the Route's hosts or under the target's tag for the tag's
// hosts, is split as rollout says. rollout is recorded in the
// RolloutAnnotation.
func MakeIngressWithRollout(route *servingv1.Route, targets []Target, hosts Hosts, rollout *Rollout) *networkingv1alpha1.Ingress {
	var main splits
	rolledOut := map[string]bool{}
	tags := map[string]*splits{}
	var tagOrder []string
	for _, t := range targets {
		switch c := rollout.InProgress("", t.ConfigurationName); {
		case !isLatest(t) || c == nil:
			main.add(t.ServiceName, ptr.Deref(t.Percent, 0))
		case !rolledOut[t.ConfigurationName]:
			// The rollout carries the share of every latest-revision
			// target of the configuration: add it once.
			rolledOut[t.ConfigurationName] = true
			main.addRollout(c)
		}
		if t.Tag == "" {
			continue
		}
		tag := &splits{}
		if c := rollout.InProgress(t.Tag, t.ConfigurationName); isLatest(t) && c != nil {
			tag.addRollout(c)
		} else {
			tag.add(t.ServiceName, 100)
		}
		if _, seen := tags[t.Tag]; !seen {
			tagOrder = append(tagOrder, t.Tag)
		}
		tags[t.Tag] = tag
	}
	var rules []networkingv1alpha1.IngressRule
	if path := main.path(route.Namespace); len(path.Splits) > 0 {
		rules = hosts.rules("", path)
	}
	slices.Sort(tagOrder)
	for _, tag := range tagOrder {
		rules = append(rules, hosts.rules(tag, tags[tag].path(route.Namespace))...)
	}
	if rollout == nil {
		rollout = &Rollout{}
	}
	return &networkingv1alpha1.Ingress{
		ObjectMeta: metav1.ObjectMeta{
			Name: route.Name, Namespace: route.Namespace,
			Labels:          map[string]string{serving.RouteLabel: route.Name, RouteNamespaceLabel: route.Namespace},
			Annotations:     map[string]string{RolloutAnnotation: rollout.String()},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(route, servingv1.SchemeGroupVersion.WithKind("Route"))},
		},
		Spec: networkingv1alpha1.IngressSpec{Rules: rules, HTTPOption: networkingv1alpha1.HTTPOptionEnabled},
	}
}

// splits sums percents per revision, in the order revisions first appear.
type splits struct {
	order    []string
	percents map[string]int64
}

func (s *splits) add(rev string, percent int64) {
	if s.percents == nil {
		s.percents = map[string]int64{}
	}
	if _, seen := s.percents[rev]; !seen {
		s.order = append(s.order, rev)
	}
	s.percents[rev] += percent
}

func (s *splits) addRollout(c *ConfigurationRollout) {
	for _, r := range c.Revisions {
		s.add(r.RevisionName, int64(r.Percent))
	}
}

// path routes to every revision with a share.
func (s *splits) path(namespace string) networkingv1alpha1.HTTPIngressPath {
	var p networkingv1alpha1.HTTPIngressPath
	for _, rev := range s.order {
		if s.percents[rev] > 0 {
			p.Splits = append(p.Splits, networkingv1alpha1.IngressBackendSplit{
				IngressBackend: networkingv1alpha1.IngressBackend{ServiceNamespace: namespace, ServiceName: rev, ServicePort: intstr.FromInt32(80)},
				Percent:        int32(s.percents[rev]),
				AppendHeaders:  map[string]string{RevisionHeader: rev, RevisionNamespaceHeader: namespace},
			})
		}
	}
	return p
}
