// Package kpa reconciles PodAutoscalers of class kpa.autoscaling.knative.dev,
// the Knative Pod Autoscaler: it collects the revision's load (scraped from
// its pods' knap-queue, pushed by the gateways), decides every tick how many
// pods the revision needs (pkg/autoscaler), scales the Deployment, and
// reports desiredScale, actualScale and the Active condition.
package kpa

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	appslisters "k8s.io/client-go/listers/apps/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"
	"k8s.io/utils/ptr"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	autoscalingv1alpha1 "github.com/knap-dev/knap/pkg/apis/autoscaling/v1alpha1"
	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/autoscaler"
	pa "github.com/knap-dev/knap/pkg/controller/autoscaling"
	"github.com/knap-dev/knap/pkg/controller/config"
	"github.com/knap-dev/knap/pkg/controller/manager"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	autoscalinglisters "github.com/knap-dev/knap/pkg/generated/listers/autoscaling/v1alpha1"
)

// Name is the controller's name in --controllers.
const Name = "kpa"

// TickInterval is how often every revision's decision is taken again
// (Knative's autoscaler ticks every 2 s).
const TickInterval = 2 * time.Second

// Reconciler reconciles one PodAutoscaler of the KPA class.
type Reconciler struct {
	Kube           kubernetes.Interface
	Client         versioned.Interface
	PodAutoscalers autoscalinglisters.PodAutoscalerLister
	Deployments    appslisters.DeploymentLister
	Pods           corelisters.PodLister
	Config         func() *config.Config
	Collector      *autoscaler.Collector
	Clock          clock.PassiveClock
	// Requeue asks for the key again after a delay.
	Requeue func(key string, after time.Duration)

	mu       sync.Mutex
	deciders map[types.NamespacedName]*autoscaler.Decider
}

// NewController wires the reconciler to PodAutoscalers, their Deployments
// and pods, the gateways' stats (on the manager's mux, at
// autoscaler.StatsPath) and a tick that re-decides every revision.
func NewController(store *config.SharedStore) manager.Constructor {
	return func(ctx context.Context, c *manager.Context) (*reconciler.Controller, error) {
		cfg, err := store.Get(ctx, c)
		if err != nil {
			return nil, err
		}
		inf := c.KnapInformers.Autoscaling().V1alpha1().PodAutoscalers()
		pods := c.KubeInformers.Core().V1().Pods()
		r := &Reconciler{
			Kube: c.Kube, Client: c.Knap, Config: cfg.Load, Clock: clock.RealClock{},
			PodAutoscalers: inf.Lister(),
			Deployments:    c.KubeInformers.Apps().V1().Deployments().Lister(),
			Pods:           pods.Lister(),
			deciders:       map[types.NamespacedName]*autoscaler.Decider{},
		}
		ctrl := reconciler.New(Name, r, c.Metrics)
		r.Requeue = ctrl.EnqueueKeyAfter
		r.Collector = autoscaler.NewCollector(ctx, autoscaler.CollectorOptions{
			Pods:         r.readyPods,
			Scraper:      autoscaler.NewHTTPScraper(nil),
			OnActivation: func(key types.NamespacedName) { ctrl.EnqueueKey(key.String()) },
		})
		c.Mux.Handle(autoscaler.StatsPath, autoscaler.StatsHandler(r.Collector))
		if c.AdvertiseAddress != "" {
			if err := Advertise(ctx, c.Kube, c.Namespace, c.AdvertiseAddress); err != nil {
				return nil, fmt.Errorf("publishing the autoscaler's address: %w", err)
			}
		}
		if _, err := inf.Informer().AddEventHandler(ctrl.Handler()); err != nil {
			return nil, err
		}
		// The Deployment is the PodAutoscaler's scale target (same
		// owner, the Revision); pods carry the revision's name.
		byRevision := reconciler.ObjectHandler(func(o metav1.Object) {
			if rev := o.GetLabels()[serving.RevisionLabel]; rev != "" {
				ctrl.EnqueueKey(o.GetNamespace() + "/" + rev)
			}
		})
		for _, i := range []cache.SharedIndexInformer{pods.Informer(), c.KubeInformers.Apps().V1().Deployments().Informer()} {
			if _, err := i.AddEventHandler(byRevision); err != nil {
				return nil, err
			}
		}
		go wait.Until(reconciler.EnqueueAll(ctrl, r.PodAutoscalers.List), TickInterval, ctx.Done())
		return ctrl, nil
	}
}

// Reconcile implements reconciler.Reconciler.
func (r *Reconciler) Reconcile(ctx context.Context, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return reconciler.Permanent(err)
	}
	p, err := r.PodAutoscalers.PodAutoscalers(ns).Get(name)
	if apierrors.IsNotFound(err) || (err == nil && (p.DeletionTimestamp != nil || pa.Class(p, r.Config().Autoscaler) != autoscaling.KPA)) {
		r.forget(types.NamespacedName{Namespace: ns, Name: name})
		return nil
	} else if err != nil {
		return err
	}
	return reconciler.ReconcileStatus(ctx, key, pa.StatusKind(r.PodAutoscalers, r.Client), r.reconcile)
}

// forget stops collecting for a revision that is gone or not ours.
func (r *Reconciler) forget(key types.NamespacedName) {
	r.Collector.Stop(key)
	r.mu.Lock()
	delete(r.deciders, key)
	r.mu.Unlock()
}

func (r *Reconciler) reconcile(ctx context.Context, p *autoscalingv1alpha1.PodAutoscaler) error {
	cfg := r.Config()
	key := types.NamespacedName{Namespace: p.Namespace, Name: p.Name}
	now := r.Clock.Now()
	spec := DeciderSpec(p, cfg.Autoscaler)
	panicPercentage := cfg.Autoscaler.PanicWindowPercentage
	if v, ok := pa.Float64(p, autoscaling.PanicWindowPercentageAnnotation); ok {
		panicPercentage = v
	}
	r.Collector.Collect(key, autoscaler.NewWindows(spec.StableWindow, panicPercentage))

	pods, err := r.readyPods(ctx, key)
	if err != nil {
		return err
	}
	ready := int32(len(pods))
	decision := r.decider(key, spec, ready, now).Decide(ctx, now, r.Collector, ready)
	desired := autoscaler.ScaleUnknown
	if decision.ScaleValid {
		desired = decision.DesiredPodCount
	}

	m := pa.Conditions.Manage(&p.Status.Status)
	initialized := pa.IsTrue(&p.Status.Status, autoscaling.PodAutoscalerConditionScaleTargetInitialized)
	activity, since := activityOf(&p.Status.Status, now)
	lo, hi := pa.ScaleBounds(p, cfg.Autoscaler)
	retention := cfg.Autoscaler.ScaleToZeroPodRetentionPeriod
	if v, ok := pa.Duration(p, autoscaling.ScaleToZeroPodRetentionPeriodAnnotation); ok {
		retention = v
	}
	result := autoscaler.Scale(autoscaler.ScaleInput{
		Now: now, Desired: desired, MinScale: lo, MaxScale: hi,
		InitialScale: pa.InitialScale(p, cfg.Autoscaler), Initialized: initialized,
		Reachable: spec.Reachable, Activity: activity, ActivitySince: since,
		EnableScaleToZero: cfg.Autoscaler.EnableScaleToZero, StableWindow: spec.StableWindow,
		ScaleToZeroGracePeriod: cfg.Autoscaler.ScaleToZeroGracePeriod, ScaleToZeroPodRetentionPeriod: retention,
		ActivationTimeout: cfg.Deployment.ProgressDeadline + autoscaler.ActivationTimeoutBuffer,
	})
	if err := r.scale(ctx, p, result); err != nil {
		// A transient failure is retried with the Active condition left
		// as it was (the scale-to-zero timing reads it).
		if reconciler.IsPermanent(err) {
			m.MarkFalse(autoscaling.PodAutoscalerConditionActive, "ScaleFailed", "%v.", err)
		}
		return fmt.Errorf("scaling %s %q: %w", p.Spec.ScaleTargetRef.Kind, p.Spec.ScaleTargetRef.Name, err)
	}

	threshold := pa.ActiveThreshold(p, cfg.Autoscaler, initialized)
	if !initialized && ready >= threshold && ready > 0 {
		m.MarkTrue(autoscaling.PodAutoscalerConditionScaleTargetInitialized)
	}
	next, reason, message := autoscaler.NextActivity(activity, result.Want, ready, threshold)
	switch next {
	case autoscaler.Active:
		m.MarkTrue(autoscaling.PodAutoscalerConditionActive)
	case autoscaler.Inactive:
		m.MarkFalse(autoscaling.PodAutoscalerConditionActive, reason, "%s", message)
	default:
		m.MarkUnknown(autoscaling.PodAutoscalerConditionActive, reason, "%s", message)
	}
	// The revision's Service (of the PodAutoscaler's name) is what the
	// gateway routes to; no ServerlessService stands in between.
	p.Status.ServiceName = p.Name
	p.Status.MetricsServiceName = ""
	m.MarkTrue(autoscaling.PodAutoscalerConditionSKSReady)
	if result.Want >= 0 {
		p.Status.DesiredScale = ptr.To(result.Want)
	}
	p.Status.ActualScale = ptr.To(ready)
	if result.RecheckAfter > 0 {
		r.Requeue(key.String(), result.RecheckAfter)
	}
	return nil
}

// scale sets the Deployment's replicas when the decision says so.
func (r *Reconciler) scale(ctx context.Context, p *autoscalingv1alpha1.PodAutoscaler, result autoscaler.ScaleResult) error {
	if !result.Apply || result.Want < 0 {
		return nil
	}
	ref := p.Spec.ScaleTargetRef
	if ref.Kind != "Deployment" || schema.FromAPIVersionAndKind(ref.APIVersion, ref.Kind).Group != appsv1.GroupName {
		return reconciler.Permanent(fmt.Errorf("scale target %s %q: only apps Deployments are scaled", ref.Kind, ref.Name))
	}
	d, err := r.Deployments.Deployments(p.Namespace).Get(ref.Name)
	if err != nil {
		return err // not there yet: its creation enqueues us
	}
	if ptr.Deref(d.Spec.Replicas, 1) == result.Want {
		return nil
	}
	klog.FromContext(ctx).Info("Scaling", "deployment", klog.KObj(d), "from", ptr.Deref(d.Spec.Replicas, 1), "to", result.Want)
	patch := fmt.Appendf(nil, `{"spec":{"replicas":%d}}`, result.Want)
	_, err = r.Kube.AppsV1().Deployments(p.Namespace).Patch(ctx, d.Name, types.MergePatchType, patch, metav1.PatchOptions{})
	return err
}

// decider is the revision's Decider, kept across reconciles (it holds the
// panic mode and the scale-down delay).
func (r *Reconciler) decider(key types.NamespacedName, spec autoscaler.DeciderSpec, ready int32, now time.Time) *autoscaler.Decider {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.deciders[key]
	if !ok {
		d = autoscaler.NewDecider(key, spec, ready, now)
		r.deciders[key] = d
	} else {
		d.Update(spec)
	}
	return d
}

// readyPods are the revision's pods whose readiness (through knap-queue)
// passes, with their IPs; the autoscaler.PodLister of the collector.
func (r *Reconciler) readyPods(_ context.Context, key types.NamespacedName) ([]autoscaler.Pod, error) {
	pods, err := r.Pods.Pods(key.Namespace).List(labels.SelectorFromSet(labels.Set{serving.RevisionLabel: key.Name}))
	if err != nil {
		return nil, err
	}
	var out []autoscaler.Pod
	for _, p := range pods {
		if p.DeletionTimestamp != nil || p.Status.PodIP == "" || !podReady(p) {
			continue
		}
		pod := autoscaler.Pod{IP: p.Status.PodIP}
		if p.Status.StartTime != nil {
			pod.Started = p.Status.StartTime.Time
		}
		out = append(out, pod)
	}
	return out, nil
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// activityOf reads the Active condition: its status and when it last
// changed (now for a condition not set yet).
func activityOf(status *duckv1.Status, now time.Time) (autoscaler.Activity, time.Time) {
	c := status.GetCondition(autoscaling.PodAutoscalerConditionActive)
	if c == nil {
		return autoscaler.Activating, now
	}
	since := c.LastTransitionTime.Time
	if since.IsZero() {
		since = now
	}
	switch c.Status {
	case corev1.ConditionTrue:
		return autoscaler.Active, since
	case corev1.ConditionFalse:
		return autoscaler.Inactive, since
	}
	return autoscaler.Activating, since
}

// DeciderSpec combines the PodAutoscaler's annotations with
// config-autoscaler, as Knative's KPA does: the target is the annotation,
// else containerConcurrency, else the default, times the utilization.
func DeciderSpec(p *autoscalingv1alpha1.PodAutoscaler, cfg *config.Autoscaler) autoscaler.DeciderSpec {
	metric := pa.Metric(p, autoscaling.KPA)
	var total, utilization float64
	if metric == autoscaling.RPS {
		total, utilization = cfg.RPSTargetDefault, cfg.TargetUtilization
	} else {
		total, utilization = float64(p.Spec.ContainerConcurrency), cfg.ContainerConcurrencyTargetFraction
		if total == 0 {
			total = cfg.ContainerConcurrencyTargetDefault
		}
	}
	if target, ok := pa.Float64(p, autoscaling.TargetAnnotation); ok {
		total = target
		if metric == autoscaling.Concurrency && p.Spec.ContainerConcurrency != 0 {
			total = math.Min(target, float64(p.Spec.ContainerConcurrency))
		}
	}
	if v, ok := pa.Float64(p, autoscaling.TargetUtilizationPercentageAnnotation); ok {
		utilization = v / 100
	}
	spec := autoscaler.DeciderSpec{
		Metric:              metric,
		TargetValue:         math.Max(autoscaling.TargetMin, total*utilization),
		TotalValue:          total,
		TargetBurstCapacity: cfg.TargetBurstCapacity,
		PanicThreshold:      cfg.PanicThresholdPercentage / 100,
		MaxScaleUpRate:      cfg.MaxScaleUpRate,
		MaxScaleDownRate:    cfg.MaxScaleDownRate,
		StableWindow:        cfg.StableWindow,
		ScaleDownDelay:      cfg.ScaleDownDelay,
		ActivationScale:     1,
		Reachable:           p.Spec.Reachability != autoscalingv1alpha1.ReachabilityUnreachable,
	}
	if v, ok := pa.Float64(p, autoscaling.TargetBurstCapacityAnnotation); ok {
		spec.TargetBurstCapacity = v
	}
	if v, ok := pa.Float64(p, autoscaling.PanicThresholdPercentageAnnotation); ok {
		spec.PanicThreshold = v / 100
	}
	if v, ok := pa.Duration(p, autoscaling.WindowAnnotation); ok {
		spec.StableWindow = v
	}
	if v, ok := pa.Duration(p, autoscaling.ScaleDownDelayAnnotation); ok {
		spec.ScaleDownDelay = v
	}
	if v, ok := pa.Int32(p, autoscaling.ActivationScaleAnnotation); ok {
		spec.ActivationScale = v
	}
	return spec
}
