package route

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	servinglisters "github.com/knap-dev/knap/pkg/generated/listers/serving/v1"
)

// Target is one spec.traffic entry resolved to the Revision that serves it.
type Target struct {
	servingv1.TrafficTarget
	// ServiceName is the Kubernetes Service of the Revision, where the
	// gateway sends the target's share.
	ServiceName string
}

// TrafficError says why traffic cannot be assigned, as the
// AllTrafficAssigned condition reports it: False when the user must act
// (a missing or failed target), Unknown while a target is getting ready.
type TrafficError struct {
	Status  corev1.ConditionStatus
	Reason  string
	Message string
}

func (e *TrafficError) Error() string { return e.Message }

// Resolve resolves every target of the Route's spec, in order:
// configuration targets to the Configuration's latest ready Revision,
// revision targets to that Revision, which must be ready. The first
// problem found is returned as a *TrafficError (the others are the same
// kind of wait or mistake); any other error is a lister failure.
func Resolve(route *servingv1.Route, configs servinglisters.ConfigurationLister, revisions servinglisters.RevisionLister) ([]Target, error) {
	var out []Target
	var firstProblem *TrafficError
	problem := func(status corev1.ConditionStatus, reason, format string, args ...any) {
		if firstProblem == nil || (firstProblem.Status == corev1.ConditionUnknown && status == corev1.ConditionFalse) {
			firstProblem = &TrafficError{Status: status, Reason: reason, Message: fmt.Sprintf(format, args...)}
		}
	}
	for _, tt := range route.Spec.Traffic {
		name := tt.RevisionName
		if name == "" && tt.ConfigurationName != "" {
			config, err := configs.Configurations(route.Namespace).Get(tt.ConfigurationName)
			if apierrors.IsNotFound(err) {
				problem(corev1.ConditionFalse, "ConfigurationMissing", "Configuration %q referenced in traffic not found.", tt.ConfigurationName)
				continue
			} else if err != nil {
				return nil, err
			}
			if config.Status.LatestReadyRevisionName == "" {
				if c := config.Status.GetCondition(duckv1.ConditionReady); c != nil && c.Status == corev1.ConditionFalse {
					problem(corev1.ConditionFalse, "RevisionMissing", "Configuration %q does not have any ready Revision.", config.Name)
				} else {
					problem(corev1.ConditionUnknown, "RevisionMissing", "Configuration %q is waiting for a Revision to become ready.", config.Name)
				}
				continue
			}
			name = config.Status.LatestReadyRevisionName
		}
		rev, err := revisions.Revisions(route.Namespace).Get(name)
		if apierrors.IsNotFound(err) {
			problem(corev1.ConditionFalse, "RevisionMissing", "Revision %q referenced in traffic not found.", name)
			continue
		} else if err != nil {
			return nil, err
		}
		switch c := rev.Status.GetCondition(duckv1.ConditionReady); {
		case c != nil && c.Status == corev1.ConditionTrue:
		case c != nil && c.Status == corev1.ConditionFalse:
			problem(corev1.ConditionFalse, "RevisionMissing", "Revision %q failed to become ready.", name)
			continue
		default:
			problem(corev1.ConditionUnknown, "RevisionMissing", "Revision %q is not yet ready.", name)
			continue
		}
		resolved := *tt.DeepCopy()
		resolved.RevisionName = name
		out = append(out, Target{TrafficTarget: resolved, ServiceName: name})
	}
	if firstProblem != nil {
		return nil, firstProblem
	}
	return out, nil
}

// StatusTraffic is status.traffic: each resolved target with its revision,
// percent, tag and, for a tag, the tag's URL; configuration names are not
// shown, as in Knative. While a latest-revision target's configuration is
// being rolled out under the target's tag (rollout may be nil), the target
// shows as one entry per revision of that split, as Knative shows it:
// under its tag, the tag's own split, whose percents are of the tag's
// traffic. Targets of the same configuration and tag show once.
func StatusTraffic(targets []Target, rollout *Rollout, tagURL func(tag string) string) []servingv1.TrafficTarget {
	out := make([]servingv1.TrafficTarget, 0, len(targets))
	type key struct{ tag, configuration string }
	shown := map[key]bool{}
	for _, t := range targets {
		tt := *t.TrafficTarget.DeepCopy()
		tt.ConfigurationName = ""
		if tt.Tag != "" {
			u := tagURL(tt.Tag)
			tt.URL = &u
		}
		c := rollout.InProgress(t.Tag, t.ConfigurationName)
		if !isLatest(t) || c == nil {
			out = append(out, tt)
			continue
		}
		if k := (key{t.Tag, t.ConfigurationName}); !shown[k] {
			shown[k] = true
			for _, r := range c.Revisions {
				split := *tt.DeepCopy()
				split.RevisionName, split.Percent = r.RevisionName, ptr.To(int64(r.Percent))
				out = append(out, split)
			}
		}
	}
	return out
}
