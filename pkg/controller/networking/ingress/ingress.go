// Package ingress reconciles the routing tables Routes publish
// (networking.internal.knative.dev Ingresses). knap-gateway serves every
// Ingress straight from the API, so there is no load balancer to program:
// an Ingress is Ready when every backend it splits traffic to exists (the
// revisions' Kubernetes Services), and its load balancer is the gateway's
// Service.
package ingress

import (
	"context"
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"

	"github.com/knap-dev/knap/pkg/apis/networking"
	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
	"github.com/knap-dev/knap/pkg/controller/conditions"
	"github.com/knap-dev/knap/pkg/controller/manager"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	networkinglisters "github.com/knap-dev/knap/pkg/generated/listers/networking/v1alpha1"
)

// Name is the controller's name in --controllers.
const Name = "ingress"

// GatewayHost is the in-cluster name of knap-gateway's Service, the load
// balancer of every Ingress.
const GatewayHost = "knap-gateway.knap-system.svc.cluster.local"

// Conditions of an Ingress, as Knative's.
var Conditions = conditions.NewReady(networking.IngressConditionNetworkConfigured, networking.IngressConditionLoadBalancerReady)

// Reconciler reconciles one Ingress.
type Reconciler struct {
	Client    versioned.Interface
	Ingresses networkinglisters.IngressLister
	Services  corelisters.ServiceLister
}

// NewController wires the reconciler to Ingresses and to Services (a
// backend appearing or going away changes readiness).
func NewController(_ context.Context, c *manager.Context) (*reconciler.Controller, error) {
	inf := c.KnapInformers.Networking().V1alpha1().Ingresses()
	r := &Reconciler{Client: c.Knap, Ingresses: inf.Lister(), Services: c.KubeInformers.Core().V1().Services().Lister()}
	ctrl := reconciler.New(Name, r, c.Metrics)
	if _, err := inf.Informer().AddEventHandler(ctrl.Handler()); err != nil {
		return nil, err
	}
	backendChanged := reconciler.ObjectHandler(func(o metav1.Object) {
		ingresses, _ := r.Ingresses.Ingresses(o.GetNamespace()).List(labels.Everything())
		for _, ing := range ingresses {
			if slices.Contains(backends(ing), o.GetName()) {
				ctrl.Enqueue(ing)
			}
		}
	})
	_, err := c.KubeInformers.Core().V1().Services().Informer().AddEventHandler(backendChanged)
	return ctrl, err
}

// backends are the Service names an Ingress splits traffic to (all in
// its namespace: validation requires it).
func backends(ing *networkingv1alpha1.Ingress) []string {
	var out []string
	for _, rule := range ing.Spec.Rules {
		if rule.HTTP == nil {
			continue
		}
		for _, p := range rule.HTTP.Paths {
			for _, s := range p.Splits {
				if !slices.Contains(out, s.ServiceName) {
					out = append(out, s.ServiceName)
				}
			}
		}
	}
	return out
}

// Reconcile implements reconciler.Reconciler.
func (r *Reconciler) Reconcile(ctx context.Context, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return reconciler.Permanent(err)
	}
	original, err := r.Ingresses.Ingresses(ns).Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	} else if err != nil {
		return err
	}
	ing := original.DeepCopy()
	m := Conditions.Manage(&ing.Status.Status)
	m.Initialize()
	lb := &networkingv1alpha1.LoadBalancerStatus{Ingress: []networkingv1alpha1.LoadBalancerIngressStatus{{DomainInternal: GatewayHost}}}
	ing.Status.PublicLoadBalancer, ing.Status.PrivateLoadBalancer = lb, lb.DeepCopy()
	m.MarkTrue(networking.IngressConditionLoadBalancerReady)

	var missing []string
	for _, svc := range backends(ing) {
		if _, err := r.Services.Services(ns).Get(svc); apierrors.IsNotFound(err) {
			missing = append(missing, svc)
		} else if err != nil {
			return err
		}
	}
	if len(missing) > 0 {
		m.MarkUnknown(networking.IngressConditionNetworkConfigured, "BackendMissing", "Waiting for the Services %v.", missing)
	} else {
		m.MarkTrue(networking.IngressConditionNetworkConfigured)
	}
	ing.Status.ObservedGeneration = ing.Generation
	if equality.Semantic.DeepEqual(original.Status, ing.Status) {
		return nil
	}
	if _, err := r.Client.NetworkingV1alpha1().Ingresses(ns).UpdateStatus(ctx, ing, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("updating the status of Ingress %s: %w", key, err)
	}
	return nil
}
