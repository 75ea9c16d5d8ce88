package autoscaler

import "time"

// ScaleUnknown is the pod count of a revision nothing is known about yet:
// the Decider had no valid decision, or the revision is still activating.
const ScaleUnknown int32 = -1

// ActivationTimeoutBuffer is added to the revision's progress deadline to
// give up on an activation: the revision reconciler reports why the pods
// failed before the autoscaler scales them away.
const ActivationTimeoutBuffer = 30 * time.Second

// Activity is the status of a PodAutoscaler's Active condition.
type Activity int

const (
	// Activating (Active Unknown): a new revision, or one scaling up from
	// zero, whose pods are not ready yet.
	Activating Activity = iota
	// Active (Active True): the revision has its pods and serves.
	Active
	// Inactive (Active False): the revision is idle, at or going to zero.
	Inactive
)

// String is the condition status the Activity stands for.
func (a Activity) String() string {
	switch a {
	case Active:
		return "True"
	case Inactive:
		return "False"
	}
	return "Unknown"
}

// ScaleInput is what the final pod count of a revision depends on.
type ScaleInput struct {
	Now time.Time
	// Desired is the Decider's DesiredPodCount, or ScaleUnknown when it
	// returned no valid decision.
	Desired int32
	// MinScale and MaxScale bound the count (MaxScale 0: no bound);
	// MinScale does not apply to an unreachable revision.
	MinScale, MaxScale int32
	// InitialScale is held until the revision first had that many pods
	// ready (Initialized).
	InitialScale int32
	Initialized  bool
	// Reachable is false when no route sends the revision traffic.
	Reachable bool
	// Activity is the Active condition and ActivitySince its last
	// transition time.
	Activity      Activity
	ActivitySince time.Time

	// EnableScaleToZero, StableWindow, ScaleToZeroGracePeriod and
	// ScaleToZeroPodRetentionPeriod are config-autoscaler's (the retention
	// and the window as the revision's annotations override them).
	EnableScaleToZero             bool
	StableWindow                  time.Duration
	ScaleToZeroGracePeriod        time.Duration
	ScaleToZeroPodRetentionPeriod time.Duration
	// ActivationTimeout is how long a revision may stay Activating before
	// it is scaled to zero: its progress deadline plus
	// ActivationTimeoutBuffer (0: never).
	ActivationTimeout time.Duration
}

// ScaleResult is the final pod count of a revision.
type ScaleResult struct {
	// Want is the count the revision should have (the PodAutoscaler's
	// status.desiredScale), or ScaleUnknown. Want 0 with Apply false means
	// "idle, but not yet": mark the revision Inactive and keep its pods.
	Want int32
	// Apply is whether to set the Deployment's replicas to Want.
	Apply bool
	// RecheckAfter, when positive, is when the answer may change without
	// any new metric: reconcile the revision again then.
	RecheckAfter time.Duration
}

// Scale bounds the Decider's recommendation and decides when an idle
// revision goes to zero: only after it was Active for a stable window (so
// a revision just scaled up is not scaled down at once), then Inactive for
// the longer of the grace period and the pod retention period. The gateway
// is always in the request path, so no other precondition applies.
func Scale(in ScaleInput) ScaleResult {
	if in.Desired < 0 && in.Activity != Activating {
		// No recommendation yet: leave the revision as it is.
		return ScaleResult{Want: in.Desired}
	}

	lo := in.MinScale
	if !in.Reachable {
		lo = 0
	}
	if in.InitialScale > 1 && !in.Initialized && in.Reachable {
		lo = max(lo, in.InitialScale)
	}
	want := max(in.Desired, lo)
	if in.MaxScale > 0 {
		want = min(want, in.MaxScale)
	}
	if want != 0 {
		return ScaleResult{Want: want, Apply: true}
	}

	if !in.EnableScaleToZero {
		return ScaleResult{Want: 1, Apply: true}
	}
	since := in.Now.Sub(in.ActivitySince)
	switch in.Activity {
	case Activating:
		if in.ActivationTimeout <= 0 {
			return ScaleResult{Want: ScaleUnknown}
		}
		if since >= in.ActivationTimeout {
			// The pods never became ready: give up on them.
			return ScaleResult{Want: 0, Apply: true}
		}
		return ScaleResult{Want: ScaleUnknown, RecheckAfter: in.ActivationTimeout - since}
	case Active:
		if since >= in.StableWindow {
			return ScaleResult{Want: 0}
		}
		// Keep one pod for the rest of the stable window.
		return ScaleResult{Want: 1, Apply: true, RecheckAfter: in.StableWindow - since}
	default:
		retention := in.ScaleToZeroPodRetentionPeriod
		if !in.Reachable {
			// Nothing will route to the last pod: no reason to retain it.
			retention = 0
		}
		hold := max(in.ScaleToZeroGracePeriod, retention)
		if since >= hold {
			return ScaleResult{Want: 0, Apply: true}
		}
		return ScaleResult{Want: 0, RecheckAfter: hold - since}
	}
}

// Reasons of the Active condition that NextActivity sets.
const (
	ReasonNoTraffic = "NoTraffic"
	ReasonTimedOut  = "TimedOut"
	ReasonQueued    = "Queued"
)

// NextActivity is the Active condition after a reconcile that wants want
// pods (ScaleResult.Want, possibly ScaleUnknown), of which ready are ready;
// minReady is the count that makes the revision active (the initial scale
// until initialized, else min-scale, at least 1; 0 only for a zero initial
// scale). Reason and message are set for Inactive and Activating.
func NextActivity(current Activity, want, ready, minReady int32) (next Activity, reason, message string) {
	switch {
	case want == 0 || minReady == 0:
		if current == Activating && minReady > 0 {
			return Inactive, ReasonTimedOut, "The target could not be activated."
		}
		return Inactive, ReasonNoTraffic, "The target is not receiving traffic."
	case current == Inactive && want < 0:
		// Still no recommendation for an idle revision: it stays idle.
		return Inactive, ReasonNoTraffic, "The target is not receiving traffic."
	case ready < minReady:
		return Activating, ReasonQueued, "Requests to the target are being buffered as resources are provisioned."
	}
	return Active, "", ""
}
