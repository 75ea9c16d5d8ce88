// Package revision reconciles Knative Revisions: each gets a Deployment
// (the user container behind knap-queue), a Kubernetes Service the
// routing table points at, and a PodAutoscaler carrying its autoscaling
// annotations. Status says whether its pods run and are healthy:
// ResourcesAvailable, ContainerHealthy, Ready, actual and desired
// replicas, and each container's image digest; image pull failures, crash
// loops and an expired progress deadline make it Ready=False with the
// pod's reason and message.
package revision

import (
	"context"
	"fmt"
	"strings"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes"
	appslisters "k8s.io/client-go/listers/apps/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/utils/ptr"

	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	pa "github.com/knap-dev/knap/pkg/controller/autoscaling"
	"github.com/knap-dev/knap/pkg/controller/conditions"
	"github.com/knap-dev/knap/pkg/controller/config"
	"github.com/knap-dev/knap/pkg/controller/manager"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	autoscalinglisters "github.com/knap-dev/knap/pkg/generated/listers/autoscaling/v1alpha1"
	servinglisters "github.com/knap-dev/knap/pkg/generated/listers/serving/v1"
)

// Name is the controller's name in --controllers.
const Name = "revision"

// Conditions of a Revision.
var Conditions = conditions.NewReady(serving.RevisionConditionResourcesAvailable, serving.RevisionConditionContainerHealthy)

// Reconciler reconciles one Revision.
type Reconciler struct {
	Kube           kubernetes.Interface
	Client         versioned.Interface
	Revisions      servinglisters.RevisionLister
	Deployments    appslisters.DeploymentLister
	Services       corelisters.ServiceLister
	Pods           corelisters.PodLister
	PodAutoscalers autoscalinglisters.PodAutoscalerLister
	Recorder       record.EventRecorder
	Config         func() *config.Config
}

// NewController wires the reconciler to Revisions and what they own, and
// to their pods (whose states make the status).
func NewController(store *config.SharedStore) manager.Constructor {
	return func(ctx context.Context, c *manager.Context) (*reconciler.Controller, error) {
		cfg, err := store.Get(ctx, c)
		if err != nil {
			return nil, err
		}
		inf := c.KnapInformers.Serving().V1().Revisions()
		kube := c.KubeInformers
		r := &Reconciler{
			Kube: c.Kube, Client: c.Knap, Recorder: c.Recorder, Config: cfg.Load,
			Revisions:      inf.Lister(),
			Deployments:    kube.Apps().V1().Deployments().Lister(),
			Services:       kube.Core().V1().Services().Lister(),
			Pods:           kube.Core().V1().Pods().Lister(),
			PodAutoscalers: c.KnapInformers.Autoscaling().V1alpha1().PodAutoscalers().Lister(),
		}
		ctrl := reconciler.New(Name, r, c.Metrics)
		if _, err := inf.Informer().AddEventHandler(ctrl.Handler()); err != nil {
			return nil, err
		}
		owner := schema.GroupKind{Group: serving.GroupName, Kind: "Revision"}
		for _, i := range []cache.SharedIndexInformer{
			kube.Apps().V1().Deployments().Informer(), kube.Core().V1().Services().Informer(),
			c.KnapInformers.Autoscaling().V1alpha1().PodAutoscalers().Informer(),
		} {
			if _, err := i.AddEventHandler(ctrl.OwnerHandler(owner)); err != nil {
				return nil, err
			}
		}
		// Pods carry the revision's name in a label, not an owner reference.
		byLabel := reconciler.ObjectHandler(func(o metav1.Object) {
			if rev := o.GetLabels()[serving.RevisionLabel]; rev != "" {
				ctrl.EnqueueKey(o.GetNamespace() + "/" + rev)
			}
		})
		if _, err := kube.Core().V1().Pods().Informer().AddEventHandler(byLabel); err != nil {
			return nil, err
		}
		cfg.OnChange(reconciler.EnqueueAll(ctrl, r.Revisions.List))
		return ctrl, nil
	}
}

// Reconcile implements reconciler.Reconciler.
func (r *Reconciler) Reconcile(ctx context.Context, key string) error {
	return reconciler.ReconcileStatus(ctx, key, reconciler.StatusKind[*servingv1.Revision]{
		Get:        func(ns, name string) (*servingv1.Revision, error) { return r.Revisions.Revisions(ns).Get(name) },
		Status:     func(o *servingv1.Revision) *duckv1.Status { return &o.Status.Status },
		Conditions: Conditions,
		UpdateStatus: func(ctx context.Context, o *servingv1.Revision) error {
			_, err := r.Client.ServingV1().Revisions(o.Namespace).UpdateStatus(ctx, o, metav1.UpdateOptions{})
			return err
		},
	}, r.reconcile)
}

func (r *Reconciler) reconcile(ctx context.Context, rev *servingv1.Revision) error {
	cfg := r.Config()
	deployment, err := r.deployment(ctx, rev, cfg)
	if err != nil {
		return err
	}
	if err := r.service(ctx, rev); err != nil {
		return err
	}
	if err := r.podAutoscaler(ctx, rev, cfg); err != nil {
		return err
	}
	r.status(rev, deployment)
	return nil
}

// deployment creates the Deployment, or puts back what someone changed,
// keeping its replicas: the autoscaler owns those.
func (r *Reconciler) deployment(ctx context.Context, rev *servingv1.Revision, cfg *config.Config) (*appsv1.Deployment, error) {
	existing, err := r.Deployments.Deployments(rev.Namespace).Get(DeploymentName(rev))
	if apierrors.IsNotFound(err) {
		// Born at the initial scale the autoscaler will hold it at (the
		// revision's initial-scale annotation, else config-autoscaler's).
		want := MakeDeployment(rev, cfg, pa.InitialScale(MakePodAutoscaler(rev, cfg), cfg.Autoscaler))
		created, err := r.Kube.AppsV1().Deployments(rev.Namespace).Create(ctx, want, metav1.CreateOptions{})
		if err != nil {
			r.Recorder.Eventf(rev, corev1.EventTypeWarning, "CreationFailed", "Failed to create Deployment %q: %v", want.Name, err)
			return nil, fmt.Errorf("creating the Deployment: %w", err)
		}
		r.Recorder.Eventf(rev, corev1.EventTypeNormal, "Created", "Created Deployment %q", created.Name)
		return created, nil
	} else if err != nil {
		return nil, err
	}
	if !metav1.IsControlledBy(existing, rev) {
		Conditions.Manage(&rev.Status.Status).MarkFalse(serving.RevisionConditionResourcesAvailable, "NotOwned",
			"There is an existing Deployment %q that we do not own.", existing.Name)
		return nil, reconciler.Permanent(fmt.Errorf("revision %q does not own deployment %q", rev.Name, existing.Name))
	}
	want := MakeDeployment(rev, cfg, ptr.Deref(existing.Spec.Replicas, 1))
	if equality.Semantic.DeepDerivative(want.Spec, existing.Spec) && equality.Semantic.DeepDerivative(want.Labels, existing.Labels) {
		return existing, nil
	}
	update := existing.DeepCopy()
	update.Spec, update.Labels = want.Spec, want.Labels
	return r.Kube.AppsV1().Deployments(rev.Namespace).Update(ctx, update, metav1.UpdateOptions{})
}

func (r *Reconciler) service(ctx context.Context, rev *servingv1.Revision) error {
	want := MakeService(rev)
	existing, err := r.Services.Services(rev.Namespace).Get(want.Name)
	if apierrors.IsNotFound(err) {
		_, err = r.Kube.CoreV1().Services(rev.Namespace).Create(ctx, want, metav1.CreateOptions{})
		return err
	} else if err != nil {
		return err
	}
	if !metav1.IsControlledBy(existing, rev) {
		Conditions.Manage(&rev.Status.Status).MarkFalse(serving.RevisionConditionResourcesAvailable, "NotOwned",
			"There is an existing Service %q that we do not own.", existing.Name)
		return reconciler.Permanent(fmt.Errorf("revision %q does not own service %q", rev.Name, existing.Name))
	}
	if equality.Semantic.DeepDerivative(want.Spec, existing.Spec) && equality.Semantic.DeepDerivative(want.Labels, existing.Labels) {
		return nil
	}
	update := existing.DeepCopy()
	update.Spec.Selector, update.Spec.Ports, update.Labels = want.Spec.Selector, want.Spec.Ports, want.Labels
	_, err = r.Kube.CoreV1().Services(rev.Namespace).Update(ctx, update, metav1.UpdateOptions{})
	return err
}

func (r *Reconciler) podAutoscaler(ctx context.Context, rev *servingv1.Revision, cfg *config.Config) error {
	want := MakePodAutoscaler(rev, cfg)
	existing, err := r.PodAutoscalers.PodAutoscalers(rev.Namespace).Get(want.Name)
	if apierrors.IsNotFound(err) {
		_, err = r.Client.AutoscalingV1alpha1().PodAutoscalers(rev.Namespace).Create(ctx, want, metav1.CreateOptions{})
		return err
	} else if err != nil {
		return err
	}
	if !metav1.IsControlledBy(existing, rev) {
		return reconciler.Permanent(fmt.Errorf("revision %q does not own podautoscaler %q", rev.Name, existing.Name))
	}
	if equality.Semantic.DeepDerivative(want.Spec, existing.Spec) && equality.Semantic.DeepDerivative(want.Annotations, existing.Annotations) {
		return nil
	}
	update := existing.DeepCopy()
	update.Spec, update.Annotations = want.Spec, want.Annotations
	_, err = r.Client.AutoscalingV1alpha1().PodAutoscalers(rev.Namespace).Update(ctx, update, metav1.UpdateOptions{})
	return err
}

// status derives the Revision's conditions from its Deployment and pods.
func (r *Reconciler) status(rev *servingv1.Revision, d *appsv1.Deployment) {
	m := Conditions.Manage(&rev.Status.Status)
	rev.Status.DesiredReplicas = d.Spec.Replicas
	rev.Status.ActualReplicas = ptr.To(d.Status.ReadyReplicas)

	pods, _ := r.Pods.Pods(rev.Namespace).List(labels.SelectorFromSet(selector(rev)))
	// Problems a pod shows are the most precise reasons a user can act on.
	for _, p := range pods {
		for _, cs := range p.Status.ContainerStatuses {
			if w := cs.State.Waiting; w != nil {
				switch w.Reason {
				case "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError":
					m.MarkFalse(serving.RevisionConditionResourcesAvailable, w.Reason, "%s", w.Message)
					m.MarkFalse(serving.RevisionConditionContainerHealthy, w.Reason, "%s", w.Message)
					return
				}
			}
			if t := cs.LastTerminationState.Terminated; t != nil && cs.RestartCount > 0 && !cs.Ready {
				m.MarkFalse(serving.RevisionConditionContainerHealthy, fmt.Sprintf("ExitCode%d", t.ExitCode),
					"Container failed with: %s", strings.TrimSpace(t.Message))
				return
			}
		}
		if p.Status.Phase == corev1.PodPending {
			for _, c := range p.Status.Conditions {
				if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason == corev1.PodReasonUnschedulable {
					m.MarkFalse(serving.RevisionConditionResourcesAvailable, c.Reason, "%s", c.Message)
					return
				}
			}
		}
	}
	for _, c := range d.Status.Conditions {
		if c.Type == appsv1.DeploymentProgressing && c.Status == corev1.ConditionFalse && c.Reason == "ProgressDeadlineExceeded" {
			m.MarkFalse(serving.RevisionConditionResourcesAvailable, "ProgressDeadlineExceeded",
				"Initial scale was never achieved: the Deployment did not progress within %ds.", ptr.Deref(d.Spec.ProgressDeadlineSeconds, 0))
			return
		}
	}
	rev.Status.ContainerStatuses = containerStatuses(rev, pods)
	if d.Status.ReadyReplicas > 0 {
		m.MarkTrue(serving.RevisionConditionResourcesAvailable)
		m.MarkTrue(serving.RevisionConditionContainerHealthy)
		return
	}
	if ptr.Deref(d.Spec.Replicas, 0) == 0 && m.IsHappy() {
		return // scaled to zero after being ready: still ready to serve
	}
	m.MarkUnknown(serving.RevisionConditionResourcesAvailable, "Deploying", "")
	m.MarkUnknown(serving.RevisionConditionContainerHealthy, "Deploying", "")
}

// containerStatuses are the user containers' image digests, from a
// running pod.
func containerStatuses(rev *servingv1.Revision, pods []*corev1.Pod) []servingv1.ContainerStatus {
	for _, p := range pods {
		var out []servingv1.ContainerStatus
		for _, c := range rev.Spec.Containers {
			for _, cs := range p.Status.ContainerStatuses {
				if cs.Name == c.Name && cs.ImageID != "" {
					out = append(out, servingv1.ContainerStatus{Name: c.Name, ImageDigest: cs.ImageID})
				}
			}
		}
		if len(out) == len(rev.Spec.Containers) {
			return out
		}
	}
	return rev.Status.ContainerStatuses
}
