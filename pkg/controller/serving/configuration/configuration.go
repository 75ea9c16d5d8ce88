// Package configuration reconciles Knative Configurations: one immutable
// Revision per template change, named by the template or
// <configuration>-<generation>, and latestCreatedRevisionName /
// latestReadyRevisionName in status. A failing latest revision leaves
// latestReadyRevisionName, and so the traffic, where it was.
package configuration

import (
	"context"
	"crypto/md5"
	"fmt"
	"slices"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/controller/conditions"
	"github.com/knap-dev/knap/pkg/controller/manager"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	servinglisters "github.com/knap-dev/knap/pkg/generated/listers/serving/v1"
)

// Name is the controller's name in --controllers.
const Name = "configuration"

// Conditions of a Configuration: Ready alone.
var Conditions = conditions.NewReady()

// Reconciler reconciles one Configuration.
type Reconciler struct {
	Client         versioned.Interface
	Configurations servinglisters.ConfigurationLister
	Revisions      servinglisters.RevisionLister
	Recorder       record.EventRecorder
	Now            func() time.Time
}

// NewController wires the reconciler to Configurations and the Revisions
// they own.
func NewController(_ context.Context, c *manager.Context) (*reconciler.Controller, error) {
	inf := c.KnapInformers.Serving().V1()
	r := &Reconciler{
		Client:         c.Knap,
		Configurations: inf.Configurations().Lister(),
		Revisions:      inf.Revisions().Lister(),
		Recorder:       c.Recorder,
		Now:            time.Now,
	}
	ctrl := reconciler.New(Name, r, c.Metrics)
	if _, err := inf.Configurations().Informer().AddEventHandler(ctrl.Handler()); err != nil {
		return nil, err
	}
	owner := schema.GroupKind{Group: serving.GroupName, Kind: "Configuration"}
	if _, err := inf.Revisions().Informer().AddEventHandler(ctrl.OwnerHandler(owner)); err != nil {
		return nil, err
	}
	return ctrl, nil
}

// Reconcile implements reconciler.Reconciler.
func (r *Reconciler) Reconcile(ctx context.Context, key string) error {
	return reconciler.ReconcileStatus(ctx, key, reconciler.StatusKind[*servingv1.Configuration]{
		Get: func(ns, name string) (*servingv1.Configuration, error) {
			return r.Configurations.Configurations(ns).Get(name)
		},
		Status:     func(o *servingv1.Configuration) *duckv1.Status { return &o.Status.Status },
		Conditions: Conditions,
		UpdateStatus: func(ctx context.Context, o *servingv1.Configuration) error {
			_, err := r.Client.ServingV1().Configurations(o.Namespace).UpdateStatus(ctx, o, metav1.UpdateOptions{})
			return err
		},
	}, r.reconcile)
}

func (r *Reconciler) reconcile(ctx context.Context, config *servingv1.Configuration) error {
	m := Conditions.Manage(&config.Status.Status)
	latest, err := r.latestCreated(config)
	if apierrors.IsAlreadyExists(err) {
		// The template's revision name belongs to another Configuration,
		// or to another generation with another spec.
		m.MarkFalse(duckv1.ConditionReady, "RevisionFailed", "Revision creation failed with message: %s.", err.Error())
		return nil
	} else if err != nil {
		return err
	}
	if latest == nil {
		latest, err = r.Client.ServingV1().Revisions(config.Namespace).Create(ctx, MakeRevision(config, r.Now()), metav1.CreateOptions{})
		if apierrors.IsAlreadyExists(err) {
			// Created by an earlier reconcile the cache has not seen yet.
			return fmt.Errorf("creating the Revision: %w", err)
		} else if err != nil {
			r.Recorder.Eventf(config, corev1.EventTypeWarning, "CreationFailed", "Failed to create Revision: %v", err)
			m.MarkFalse(duckv1.ConditionReady, "RevisionFailed", "Revision creation failed with message: %s.", err.Error())
			return fmt.Errorf("creating the Revision: %w", err)
		}
		r.Recorder.Eventf(config, corev1.EventTypeNormal, "Created", "Created Revision %q", latest.Name)
	}

	config.Status.LatestCreatedRevisionName = latest.Name
	if config.Status.LatestReadyRevisionName != latest.Name {
		m.MarkUnknown(duckv1.ConditionReady, "", "")
	}
	logger := klog.FromContext(ctx).WithValues("revision", latest.Name)
	if c := latest.Status.GetCondition(duckv1.ConditionReady); c != nil {
		switch c.Status {
		case corev1.ConditionTrue:
			if config.Status.LatestReadyRevisionName == "" {
				r.Recorder.Event(config, corev1.EventTypeNormal, "ConfigurationReady", "Configuration becomes ready")
			}
		case corev1.ConditionFalse:
			logger.Info("Latest created revision failed", "reason", c.Reason, "message", c.Message)
			before := config.Status.GetCondition(duckv1.ConditionReady).DeepCopy()
			m.MarkFalse(duckv1.ConditionReady, "RevisionFailed", "Revision %q failed with message: %s.", latest.Name, c.Message)
			if !equality.Semantic.DeepEqual(before, config.Status.GetCondition(duckv1.ConditionReady)) {
				r.Recorder.Eventf(config, corev1.EventTypeWarning, "LatestCreatedFailed", "Latest created revision %q has failed", latest.Name)
			}
		}
	}
	return r.setLatestReady(config, latest)
}

// latestCreated returns the Revision of the current generation, nil if
// there is none yet, or an AlreadyExists error when the template's name is
// taken by a Revision this Configuration may not use.
func (r *Reconciler) latestCreated(config *servingv1.Configuration) (*servingv1.Revision, error) {
	if config.Spec.Template.Name != "" {
		return NamedRevision(config, r.Revisions)
	}
	list, err := r.Revisions.Revisions(config.Namespace).List(labels.SelectorFromSet(labels.Set{
		serving.ConfigurationLabel:           config.Name,
		serving.ConfigurationGenerationLabel: strconv.FormatInt(config.Generation, 10),
	}))
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// NamedRevision returns the Revision the template names, nil if it does
// not exist yet, or an AlreadyExists error when that name belongs to a
// Revision config may not use: another owner's, or its own of another
// generation with another spec (routing to it could serve someone else's
// code).
func NamedRevision(config *servingv1.Configuration, revisions servinglisters.RevisionLister) (*servingv1.Revision, error) {
	name := config.Spec.Template.Name
	rev, err := revisions.Revisions(config.Namespace).Get(name)
	if apierrors.IsNotFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if metav1.IsControlledBy(rev, config) &&
		(rev.Labels[serving.ConfigurationGenerationLabel] == strconv.FormatInt(config.Generation, 10) ||
			equality.Semantic.DeepEqual(config.Spec.Template.Spec, rev.Spec)) {
		return rev, nil
	}
	return nil, apierrors.NewAlreadyExists(servingv1.Resource("revisions"), name)
}

// setLatestReady sets latestReadyRevisionName to the newest ready Revision
// of this Configuration, and Ready True when that is the latest created.
func (r *Reconciler) setLatestReady(config *servingv1.Configuration, latest *servingv1.Revision) error {
	list, err := r.Revisions.Revisions(config.Namespace).List(labels.SelectorFromSet(labels.Set{serving.ConfigurationLabel: config.Name}))
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(list, func(rev *servingv1.Revision) bool { return rev.Name == latest.Name }) {
		list = append(list, latest) // the one just created, not yet in the cache
	}
	// Newest first: the template's own name, then by generation.
	slices.SortFunc(list, func(a, b *servingv1.Revision) int {
		switch {
		case a.Name == config.Spec.Template.Name:
			return -1
		case b.Name == config.Spec.Template.Name:
			return 1
		}
		ga, _ := strconv.ParseInt(a.Labels[serving.ConfigurationGenerationLabel], 10, 64)
		gb, _ := strconv.ParseInt(b.Labels[serving.ConfigurationGenerationLabel], 10, 64)
		return int(gb - ga)
	})
	for _, rev := range list {
		if c := rev.Status.GetCondition(duckv1.ConditionReady); c == nil || c.Status != corev1.ConditionTrue {
			continue
		}
		if config.Status.LatestReadyRevisionName != rev.Name {
			r.Recorder.Eventf(config, corev1.EventTypeNormal, "LatestReadyUpdate", "LatestReadyRevisionName updated to %q", rev.Name)
		}
		config.Status.LatestReadyRevisionName = rev.Name
		if rev.Name == config.Status.LatestCreatedRevisionName {
			Conditions.Manage(&config.Status.Status).MarkTrue(duckv1.ConditionReady)
		}
		return nil
	}
	return nil
}

// MakeRevision is the Revision of config's current template.
func MakeRevision(config *servingv1.Configuration, now time.Time) *servingv1.Revision {
	tmpl := config.Spec.Template.DeepCopy()
	rev := &servingv1.Revision{ObjectMeta: tmpl.ObjectMeta, Spec: tmpl.Spec}
	rev.Namespace = config.Namespace
	if rev.Name == "" {
		rev.Name = ChildName(config.Name, fmt.Sprintf("-%05d", config.Generation))
	}
	if rev.Labels == nil {
		rev.Labels = map[string]string{}
	}
	rev.Labels[serving.ConfigurationLabel] = config.Name
	rev.Labels[serving.ConfigurationGenerationLabel] = strconv.FormatInt(config.Generation, 10)
	rev.Labels[serving.ConfigurationUIDLabel] = string(config.UID)
	if svc := config.Labels[serving.ServiceLabel]; svc != "" {
		rev.Labels[serving.ServiceLabel] = svc
	}
	if uid := config.Labels[serving.ServiceUIDLabel]; uid != "" {
		rev.Labels[serving.ServiceUIDLabel] = uid
	}
	if rev.Annotations == nil {
		rev.Annotations = map[string]string{}
	}
	// Whoever last changed the Configuration created this Revision.
	if u, ok := config.Annotations[serving.UpdaterAnnotation]; ok {
		rev.Annotations[serving.CreatorAnnotation] = u
	}
	state := serving.RoutingStatePending
	if routes, ok := config.Annotations[serving.RoutesAnnotation]; ok {
		rev.Annotations[serving.RoutesAnnotation] = routes
		state = serving.RoutingStateActive
	}
	rev.Labels[serving.RoutingStateLabel] = state
	rev.Annotations[serving.RoutingStateModifiedAnnotation] = now.UTC().Format(time.RFC3339)
	rev.OwnerReferences = append(rev.OwnerReferences,
		*metav1.NewControllerRef(config, servingv1.SchemeGroupVersion.WithKind("Configuration")))
	return rev
}

// ChildName is parent+suffix, shortened to a valid object name (63
// characters) with a hash of parent when too long, so distinct parents
// keep distinct children.
func ChildName(parent, suffix string) string {
	const longest = 63
	if len(parent)+len(suffix) <= longest {
		return parent + suffix
	}
	sum := fmt.Sprintf("%x", md5.Sum([]byte(parent)))
	keep := max(longest-len(suffix)-len(sum), 0)
	return parent[:keep] + sum + suffix
}
