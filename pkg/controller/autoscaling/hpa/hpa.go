// Package hpa reconciles PodAutoscalers of class hpa.autoscaling.knative.dev:
// each gets a Kubernetes HorizontalPodAutoscaler (autoscaling/v2) of its
// name that scales the revision's Deployment on CPU, memory or a custom
// per-pod metric, and reports the HPA's replica counts as its scale.
package hpa

import (
	"context"
	"fmt"
	"math"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes"
	autoscalingv2listers "k8s.io/client-go/listers/autoscaling/v2"
	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	autoscalingv1alpha1 "github.com/knap-dev/knap/pkg/apis/autoscaling/v1alpha1"
	pa "github.com/knap-dev/knap/pkg/controller/autoscaling"
	"github.com/knap-dev/knap/pkg/controller/config"
	"github.com/knap-dev/knap/pkg/controller/manager"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	autoscalinglisters "github.com/knap-dev/knap/pkg/generated/listers/autoscaling/v1alpha1"
)

// Name is the controller's name in --controllers.
const Name = "hpa"

// Reconciler reconciles one PodAutoscaler of the HPA class.
type Reconciler struct {
	Kube           kubernetes.Interface
	Client         versioned.Interface
	PodAutoscalers autoscalinglisters.PodAutoscalerLister
	HPAs           autoscalingv2listers.HorizontalPodAutoscalerLister
	Config         func() *config.Config
}

// NewController wires the reconciler to PodAutoscalers and their HPAs.
func NewController(store *config.SharedStore) manager.Constructor {
	return func(ctx context.Context, c *manager.Context) (*reconciler.Controller, error) {
		cfg, err := store.Get(ctx, c)
		if err != nil {
			return nil, err
		}
		inf := c.KnapInformers.Autoscaling().V1alpha1().PodAutoscalers()
		hpas := c.KubeInformers.Autoscaling().V2().HorizontalPodAutoscalers()
		r := &Reconciler{Kube: c.Kube, Client: c.Knap, PodAutoscalers: inf.Lister(), HPAs: hpas.Lister(), Config: cfg.Load}
		ctrl := reconciler.New(Name, r, c.Metrics)
		if _, err := inf.Informer().AddEventHandler(ctrl.Handler()); err != nil {
			return nil, err
		}
		owner := schema.GroupKind{Group: autoscaling.GroupName, Kind: "PodAutoscaler"}
		if _, err := hpas.Informer().AddEventHandler(ctrl.OwnerHandler(owner)); err != nil {
			return nil, err
		}
		cfg.OnChange(reconciler.EnqueueAll(ctrl, r.PodAutoscalers.List))
		return ctrl, nil
	}
}

// Reconcile implements reconciler.Reconciler.
func (r *Reconciler) Reconcile(ctx context.Context, key string) error {
	return reconciler.ReconcileStatus(ctx, key, pa.StatusKind(r.PodAutoscalers, r.Client), r.reconcile)
}

func (r *Reconciler) reconcile(ctx context.Context, p *autoscalingv1alpha1.PodAutoscaler) error {
	cfg := r.Config().Autoscaler
	if pa.Class(p, cfg) != autoscaling.HPA {
		return nil // another class's
	}
	want := MakeHPA(p, cfg)
	m := pa.Conditions.Manage(&p.Status.Status)
	hpa, err := r.HPAs.HorizontalPodAutoscalers(p.Namespace).Get(want.Name)
	switch {
	case apierrors.IsNotFound(err):
		klog.FromContext(ctx).Info("Creating the HorizontalPodAutoscaler", "hpa", klog.KObj(want))
		if hpa, err = r.Kube.AutoscalingV2().HorizontalPodAutoscalers(p.Namespace).Create(ctx, want, metav1.CreateOptions{}); err != nil {
			m.MarkFalse(autoscaling.PodAutoscalerConditionActive, "FailedCreate", "Failed to create HorizontalPodAutoscaler %q: %v.", want.Name, err)
			return err
		}
	case err != nil:
		return err
	case !metav1.IsControlledBy(hpa, p):
		m.MarkFalse(autoscaling.PodAutoscalerConditionActive, "NotOwned", "There is an existing HorizontalPodAutoscaler %q that we do not own.", want.Name)
		return reconciler.Permanent(fmt.Errorf("HorizontalPodAutoscaler %s/%s is not owned by the PodAutoscaler", p.Namespace, want.Name))
	case !equality.Semantic.DeepEqual(want.Spec, hpa.Spec):
		update := hpa.DeepCopy()
		update.Spec = want.Spec
		if hpa, err = r.Kube.AutoscalingV2().HorizontalPodAutoscalers(p.Namespace).Update(ctx, update, metav1.UpdateOptions{}); err != nil {
			return err
		}
	}

	// The revision's Service (of the PodAutoscaler's name) is what the
	// gateway routes to; there is no ServerlessService indirection.
	p.Status.ServiceName = p.Name
	p.Status.MetricsServiceName = ""
	m.MarkTrue(autoscaling.PodAutoscalerConditionSKSReady)
	// An HPA never scales to zero: always active.
	m.MarkTrue(autoscaling.PodAutoscalerConditionActive)
	if !pa.IsTrue(&p.Status.Status, autoscaling.PodAutoscalerConditionScaleTargetInitialized) &&
		hpa.Status.CurrentReplicas >= pa.ActiveThreshold(p, cfg, false) {
		m.MarkTrue(autoscaling.PodAutoscalerConditionScaleTargetInitialized)
	}
	p.Status.DesiredScale = ptr.To(hpa.Status.DesiredReplicas)
	p.Status.ActualScale = ptr.To(hpa.Status.CurrentReplicas)
	return nil
}

// MakeHPA is the HorizontalPodAutoscaler of p: its bounds, and a target
// on its metric when the target annotation is set (as Knative does: without
// one the HPA's own default, 80% CPU, applies).
func MakeHPA(p *autoscalingv1alpha1.PodAutoscaler, cfg *config.Autoscaler) *autoscalingv2.HorizontalPodAutoscaler {
	lo, hi := pa.ScaleBounds(p, cfg)
	if hi == 0 {
		hi = math.MaxInt32
	}
	hpa := &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{
			Name: p.Name, Namespace: p.Namespace, Labels: p.Labels, Annotations: p.Annotations,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(p, autoscalingv1alpha1.SchemeGroupVersion.WithKind("PodAutoscaler"))},
		},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{
				APIVersion: p.Spec.ScaleTargetRef.APIVersion, Kind: p.Spec.ScaleTargetRef.Kind, Name: p.Spec.ScaleTargetRef.Name,
			},
			MaxReplicas: hi,
		},
	}
	if lo > 0 {
		hpa.Spec.MinReplicas = ptr.To(lo)
	}
	if target, ok := pa.Float64(p, autoscaling.TargetAnnotation); ok {
		switch metric := pa.Metric(p, autoscaling.HPA); metric {
		case autoscaling.CPU:
			hpa.Spec.Metrics = []autoscalingv2.MetricSpec{{
				Type: autoscalingv2.ResourceMetricSourceType,
				Resource: &autoscalingv2.ResourceMetricSource{Name: corev1.ResourceCPU, Target: autoscalingv2.MetricTarget{
					Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr.To(int32(math.Ceil(target))),
				}},
			}}
		case autoscaling.Memory: // the target is in MiB per pod
			hpa.Spec.Metrics = []autoscalingv2.MetricSpec{{
				Type: autoscalingv2.ResourceMetricSourceType,
				Resource: &autoscalingv2.ResourceMetricSource{Name: corev1.ResourceMemory, Target: autoscalingv2.MetricTarget{
					Type: autoscalingv2.AverageValueMetricType, AverageValue: resource.NewQuantity(int64(target)*1024*1024, resource.BinarySI),
				}},
			}}
		default: // a custom per-pod metric, served by a metrics adapter
			hpa.Spec.Metrics = []autoscalingv2.MetricSpec{{
				Type: autoscalingv2.PodsMetricSourceType,
				Pods: &autoscalingv2.PodsMetricSource{
					Metric: autoscalingv2.MetricIdentifier{Name: metric},
					Target: autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: resource.NewQuantity(int64(target), resource.DecimalSI)},
				},
			}}
		}
	}
	if window, ok := pa.Duration(p, autoscaling.WindowAnnotation); ok {
		seconds := int32(window.Seconds())
		hpa.Spec.Behavior = &autoscalingv2.HorizontalPodAutoscalerBehavior{
			ScaleUp:   &autoscalingv2.HPAScalingRules{StabilizationWindowSeconds: ptr.To(seconds)},
			ScaleDown: &autoscalingv2.HPAScalingRules{StabilizationWindowSeconds: ptr.To(seconds)},
		}
	}
	return hpa
}
