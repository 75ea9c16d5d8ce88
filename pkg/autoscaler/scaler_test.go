package autoscaler

import (
	"testing"
	"time"
)

// baseInput is a reachable, initialized revision Active since t0, judged
// at t0+100s, with config-autoscaler's defaults.
func baseInput() ScaleInput {
	return ScaleInput{
		Now:                    at(100),
		InitialScale:           1,
		Initialized:            true,
		Reachable:              true,
		Activity:               Active,
		ActivitySince:          at(0),
		EnableScaleToZero:      true,
		StableWindow:           60 * time.Second,
		ScaleToZeroGracePeriod: 30 * time.Second,
		ActivationTimeout:      600*time.Second + ActivationTimeoutBuffer,
	}
}

func TestScale(t *testing.T) {
	tests := []struct {
		name string
		in   func(*ScaleInput)
		want ScaleResult
	}{{
		name: "no recommendation: leave the revision alone",
		in:   func(in *ScaleInput) { in.Desired = ScaleUnknown },
		want: ScaleResult{Want: ScaleUnknown},
	}, {
		name: "no recommendation for an inactive revision: leave it alone",
		in:   func(in *ScaleInput) { in.Desired = ScaleUnknown; in.Activity = Inactive },
		want: ScaleResult{Want: ScaleUnknown},
	}, {
		name: "the recommendation within bounds",
		in:   func(in *ScaleInput) { in.Desired = 3; in.MinScale = 1; in.MaxScale = 5 },
		want: ScaleResult{Want: 3, Apply: true},
	}, {
		name: "min-scale lifts it",
		in:   func(in *ScaleInput) { in.Desired = 1; in.MinScale = 2 },
		want: ScaleResult{Want: 2, Apply: true},
	}, {
		name: "min-scale keeps an idle revision from zero",
		in:   func(in *ScaleInput) { in.Desired = 0; in.MinScale = 1 },
		want: ScaleResult{Want: 1, Apply: true},
	}, {
		name: "max-scale caps it",
		in:   func(in *ScaleInput) { in.Desired = 8; in.MaxScale = 5 },
		want: ScaleResult{Want: 5, Apply: true},
	}, {
		name: "max-scale 0 is unbounded",
		in:   func(in *ScaleInput) { in.Desired = 800 },
		want: ScaleResult{Want: 800, Apply: true},
	}, {
		name: "an unreachable revision has no lower bound",
		in:   func(in *ScaleInput) { in.Desired = 0; in.MinScale = 2; in.Reachable = false },
		want: ScaleResult{Want: 0},
	}, {
		name: "an unreachable revision keeps its max-scale",
		in:   func(in *ScaleInput) { in.Desired = 9; in.MaxScale = 4; in.Reachable = false },
		want: ScaleResult{Want: 4, Apply: true},
	}, {
		name: "initial scale holds until initialized",
		in:   func(in *ScaleInput) { in.Desired = 1; in.InitialScale = 3; in.Initialized = false },
		want: ScaleResult{Want: 3, Apply: true},
	}, {
		name: "initial scale is over once initialized",
		in:   func(in *ScaleInput) { in.Desired = 1; in.InitialScale = 3 },
		want: ScaleResult{Want: 1, Apply: true},
	}, {
		name: "a higher min-scale wins over initial scale",
		in:   func(in *ScaleInput) { in.Desired = 1; in.InitialScale = 3; in.MinScale = 5; in.Initialized = false },
		want: ScaleResult{Want: 5, Apply: true},
	}, {
		name: "initial scale does not hold an unreachable revision",
		in: func(in *ScaleInput) {
			in.Desired = 1
			in.InitialScale = 3
			in.Initialized = false
			in.Reachable = false
		},
		want: ScaleResult{Want: 1, Apply: true},
	}, {
		name: "initial scale applies to an activating revision without a recommendation",
		in: func(in *ScaleInput) {
			in.Desired = ScaleUnknown
			in.InitialScale = 3
			in.Initialized = false
			in.Activity = Activating
		},
		want: ScaleResult{Want: 3, Apply: true},
	}, {
		name: "min-scale applies to an activating revision without a recommendation",
		in:   func(in *ScaleInput) { in.Desired = ScaleUnknown; in.MinScale = 2; in.Activity = Activating },
		want: ScaleResult{Want: 2, Apply: true},
	}, {
		name: "an activating revision without a recommendation waits for its activation timeout",
		in: func(in *ScaleInput) {
			in.Desired = ScaleUnknown
			in.Activity = Activating
			in.ActivitySince = at(70)
		},
		want: ScaleResult{Want: ScaleUnknown, RecheckAfter: 600*time.Second + ActivationTimeoutBuffer - 30*time.Second},
	}, {
		name: "an activating revision that timed out goes to zero",
		in: func(in *ScaleInput) {
			in.Desired = 0
			in.Activity = Activating
			in.ActivitySince = in.Now.Add(-in.ActivationTimeout)
		},
		want: ScaleResult{Want: 0, Apply: true},
	}, {
		name: "without an activation timeout an activating revision waits",
		in: func(in *ScaleInput) {
			in.Desired = 0
			in.Activity = Activating
			in.ActivationTimeout = 0
		},
		want: ScaleResult{Want: ScaleUnknown},
	}, {
		name: "scale to zero disabled keeps one pod",
		in:   func(in *ScaleInput) { in.Desired = 0; in.EnableScaleToZero = false; in.Activity = Inactive },
		want: ScaleResult{Want: 1, Apply: true},
	}, {
		name: "idle but active for less than a stable window: one pod until then",
		in:   func(in *ScaleInput) { in.Desired = 0; in.ActivitySince = at(70) },
		want: ScaleResult{Want: 1, Apply: true, RecheckAfter: 30 * time.Second},
	}, {
		name: "idle and active for a stable window: mark inactive, keep the pods",
		in:   func(in *ScaleInput) { in.Desired = 0; in.ActivitySince = at(40) },
		want: ScaleResult{Want: 0},
	}, {
		name: "inactive for less than the grace period: not yet",
		in:   func(in *ScaleInput) { in.Desired = 0; in.Activity = Inactive; in.ActivitySince = at(90) },
		want: ScaleResult{Want: 0, RecheckAfter: 20 * time.Second},
	}, {
		name: "inactive for the grace period: zero",
		in:   func(in *ScaleInput) { in.Desired = 0; in.Activity = Inactive; in.ActivitySince = at(70) },
		want: ScaleResult{Want: 0, Apply: true},
	}, {
		name: "a longer pod retention period holds the last pod",
		in: func(in *ScaleInput) {
			in.Desired = 0
			in.Activity = Inactive
			in.ActivitySince = at(60)
			in.ScaleToZeroPodRetentionPeriod = 90 * time.Second
		},
		want: ScaleResult{Want: 0, RecheckAfter: 50 * time.Second},
	}, {
		name: "the pod retention period over: zero",
		in: func(in *ScaleInput) {
			in.Desired = 0
			in.Activity = Inactive
			in.ActivitySince = at(10)
			in.ScaleToZeroPodRetentionPeriod = 90 * time.Second
		},
		want: ScaleResult{Want: 0, Apply: true},
	}, {
		name: "a shorter pod retention period changes nothing",
		in: func(in *ScaleInput) {
			in.Desired = 0
			in.Activity = Inactive
			in.ActivitySince = at(80)
			in.ScaleToZeroPodRetentionPeriod = 10 * time.Second
		},
		want: ScaleResult{Want: 0, RecheckAfter: 10 * time.Second},
	}, {
		name: "an unreachable revision retains no pod",
		in: func(in *ScaleInput) {
			in.Desired = 0
			in.Activity = Inactive
			in.ActivitySince = at(70)
			in.ScaleToZeroPodRetentionPeriod = 90 * time.Second
			in.Reachable = false
		},
		want: ScaleResult{Want: 0, Apply: true},
	}, {
		name: "an inactive revision with load scales up",
		in:   func(in *ScaleInput) { in.Desired = 2; in.Activity = Inactive; in.ActivitySince = at(99) },
		want: ScaleResult{Want: 2, Apply: true},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := baseInput()
			tc.in(&in)
			if got := Scale(in); got != tc.want {
				t.Errorf("Scale = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestNextActivity(t *testing.T) {
	tests := []struct {
		current              Activity
		want, ready, minimum int32
		next                 Activity
		reason               string
	}{
		{current: Active, want: 0, ready: 1, minimum: 1, next: Inactive, reason: ReasonNoTraffic},
		{current: Activating, want: 0, ready: 0, minimum: 1, next: Inactive, reason: ReasonTimedOut},
		{current: Activating, want: ScaleUnknown, ready: 0, minimum: 0, next: Inactive, reason: ReasonNoTraffic},
		{current: Inactive, want: 2, ready: 0, minimum: 1, next: Activating, reason: ReasonQueued},
		{current: Inactive, want: 2, ready: 2, minimum: 1, next: Active},
		{current: Activating, want: 3, ready: 1, minimum: 3, next: Activating, reason: ReasonQueued},
		{current: Activating, want: 3, ready: 3, minimum: 3, next: Active},
		{current: Inactive, want: ScaleUnknown, ready: 0, minimum: 1, next: Inactive, reason: ReasonNoTraffic},
		{current: Inactive, want: ScaleUnknown, ready: 1, minimum: 1, next: Inactive, reason: ReasonNoTraffic},
		{current: Activating, want: ScaleUnknown, ready: 0, minimum: 1, next: Activating, reason: ReasonQueued},
		{current: Active, want: ScaleUnknown, ready: 0, minimum: 1, next: Activating, reason: ReasonQueued},
		{current: Activating, want: ScaleUnknown, ready: 1, minimum: 1, next: Active},
		{current: Active, want: ScaleUnknown, ready: 2, minimum: 1, next: Active},
	}
	for _, tc := range tests {
		next, reason, _ := NextActivity(tc.current, tc.want, tc.ready, tc.minimum)
		if next != tc.next || reason != tc.reason {
			t.Errorf("NextActivity(%v, want %d, ready %d, min %d) = %v %q; want %v %q",
				tc.current, tc.want, tc.ready, tc.minimum, next, reason, tc.next, tc.reason)
		}
	}
}
