package autoscaler

import (
	"context"
	"errors"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
)

var testRevision = types.NamespacedName{Namespace: "ns", Name: "hello-00001"}

// fakeMetrics serves fixed averages; concurrency and rps differ so a test
// sees which one the Decider read.
type fakeMetrics struct {
	stable, panic       float64
	rpsStable, rpsPanic float64
	err                 error
}

func (f *fakeMetrics) StableAndPanicConcurrency(key types.NamespacedName, _ time.Time) (float64, float64, error) {
	if key != testRevision {
		return 0, 0, ErrNotCollecting
	}
	return f.stable, f.panic, f.err
}

func (f *fakeMetrics) StableAndPanicRPS(key types.NamespacedName, _ time.Time) (float64, float64, error) {
	if key != testRevision {
		return 0, 0, ErrNotCollecting
	}
	return f.rpsStable, f.rpsPanic, f.err
}

// baseSpec is a concurrency target of 1 with config-autoscaler's other
// defaults.
func baseSpec() DeciderSpec {
	return DeciderSpec{
		Metric:              autoscaling.Concurrency,
		TargetValue:         1,
		TotalValue:          100,
		TargetBurstCapacity: 211,
		PanicThreshold:      2,
		MaxScaleUpRate:      1000,
		MaxScaleDownRate:    2,
		StableWindow:        60 * time.Second,
		Reachable:           true,
	}
}

func TestDecide(t *testing.T) {
	tests := []struct {
		name    string
		spec    func(*DeciderSpec)
		metrics fakeMetrics
		ready   int32
		want    Decision
	}{{
		name:    "desired is the stable load over the target, rounded up",
		spec:    func(s *DeciderSpec) { s.TargetValue = 10 },
		metrics: fakeMetrics{stable: 25, panic: 25},
		ready:   3,
		want:    Decision{DesiredPodCount: 3, ExcessBurstCapacity: 64, ScaleValid: true},
	}, {
		name:    "no data yet: no decision",
		metrics: fakeMetrics{err: ErrNoData},
		ready:   1,
		want:    Decision{},
	}, {
		name:    "a failing metric source: no decision",
		metrics: fakeMetrics{stable: 5, panic: 5, err: errors.New("boom")},
		ready:   1,
		want:    Decision{},
	}, {
		name:    "rps reads requests per second",
		spec:    func(s *DeciderSpec) { s.Metric = autoscaling.RPS; s.TargetValue = 100; s.TotalValue = 200 },
		metrics: fakeMetrics{stable: 1000, panic: 1000, rpsStable: 350, rpsPanic: 350},
		ready:   4,
		want:    Decision{DesiredPodCount: 4, ExcessBurstCapacity: 800 - 211 - 350, ScaleValid: true},
	}, {
		name:    "an empty metric means concurrency",
		spec:    func(s *DeciderSpec) { s.Metric = "" },
		metrics: fakeMetrics{stable: 2, panic: 2, rpsStable: 50, rpsPanic: 50},
		ready:   2,
		want:    Decision{DesiredPodCount: 2, ExcessBurstCapacity: 200 - 211 - 2, ScaleValid: true},
	}, {
		name:    "scale up is limited to the up rate times the ready pods",
		spec:    func(s *DeciderSpec) { s.MaxScaleUpRate = 2 },
		metrics: fakeMetrics{stable: 100, panic: 100},
		ready:   2,
		want:    Decision{DesiredPodCount: 4, ExcessBurstCapacity: 200 - 211 - 100, ScaleValid: true},
	}, {
		name:    "the up rate limit rounds up, so a low rate still adds a pod",
		spec:    func(s *DeciderSpec) { s.MaxScaleUpRate = 1.1 },
		metrics: fakeMetrics{stable: 4, panic: 4},
		ready:   3,
		want:    Decision{DesiredPodCount: 4, ExcessBurstCapacity: 300 - 211 - 4, ScaleValid: true},
	}, {
		name:    "with no pod ready the rates count one",
		metrics: fakeMetrics{stable: 5000, panic: 5000},
		ready:   0,
		want:    Decision{DesiredPodCount: 1000, ExcessBurstCapacity: -211 - 5000, ScaleValid: true},
	}, {
		name:    "scale down is limited to the ready pods over the down rate",
		metrics: fakeMetrics{stable: 1, panic: 1},
		ready:   10,
		want:    Decision{DesiredPodCount: 5, ExcessBurstCapacity: 1000 - 211 - 1, ScaleValid: true},
	}, {
		name:    "the down rate limit rounds down",
		spec:    func(s *DeciderSpec) { s.MaxScaleDownRate = 3 },
		metrics: fakeMetrics{stable: 0, panic: 0},
		ready:   5,
		want:    Decision{DesiredPodCount: 1, ExcessBurstCapacity: 500 - 211, ScaleValid: true},
	}, {
		name:    "an unreachable revision scales down without limit",
		spec:    func(s *DeciderSpec) { s.Reachable = false },
		metrics: fakeMetrics{stable: 0, panic: 0},
		ready:   10,
		want:    Decision{DesiredPodCount: 0, ExcessBurstCapacity: 1000 - 211, ScaleValid: true},
	}, {
		name:    "no load on one pod: zero",
		metrics: fakeMetrics{stable: 0, panic: 0},
		ready:   1,
		want:    Decision{DesiredPodCount: 0, ExcessBurstCapacity: 100 - 211, ScaleValid: true},
	}, {
		name:    "activation scale lifts any load to it",
		spec:    func(s *DeciderSpec) { s.ActivationScale = 3 },
		metrics: fakeMetrics{stable: 0.5, panic: 0.5},
		ready:   0,
		want:    Decision{DesiredPodCount: 3, ExcessBurstCapacity: -212, ScaleValid: true},
	}, {
		name:    "activation scale leaves no load at zero",
		spec:    func(s *DeciderSpec) { s.ActivationScale = 3 },
		metrics: fakeMetrics{stable: 0, panic: 0},
		ready:   1,
		want:    Decision{DesiredPodCount: 0, ExcessBurstCapacity: 100 - 211, ScaleValid: true},
	}, {
		name:    "activation scale does not lower a larger desire",
		spec:    func(s *DeciderSpec) { s.ActivationScale = 2 },
		metrics: fakeMetrics{stable: 5, panic: 5},
		ready:   5,
		want:    Decision{DesiredPodCount: 5, ExcessBurstCapacity: 500 - 211 - 5, ScaleValid: true},
	}, {
		name:    "activation scale 1 changes nothing",
		spec:    func(s *DeciderSpec) { s.ActivationScale = 1; s.TargetValue = 10 },
		metrics: fakeMetrics{stable: 0.5, panic: 0.5},
		ready:   1,
		want:    Decision{DesiredPodCount: 1, ExcessBurstCapacity: -112, ScaleValid: true},
	}, {
		name:    "target burst capacity -1: never enough",
		spec:    func(s *DeciderSpec) { s.TargetBurstCapacity = -1 },
		metrics: fakeMetrics{stable: 1, panic: 1},
		ready:   50,
		want:    Decision{DesiredPodCount: 25, ExcessBurstCapacity: -1, ScaleValid: true},
	}, {
		name:    "target burst capacity 0: always enough",
		spec:    func(s *DeciderSpec) { s.TargetBurstCapacity = 0 },
		metrics: fakeMetrics{stable: 1, panic: 1},
		ready:   0,
		want:    Decision{DesiredPodCount: 1, ExcessBurstCapacity: 0, ScaleValid: true},
	}, {
		name:    "target burst capacity N: the pods' capacity minus N minus the panic load, rounded down",
		spec:    func(s *DeciderSpec) { s.TargetBurstCapacity = 50; s.TotalValue = 10; s.TargetValue = 7 },
		metrics: fakeMetrics{stable: 12.5, panic: 12.5},
		ready:   3,
		want:    Decision{DesiredPodCount: 2, ExcessBurstCapacity: -33, ScaleValid: true},
	}, {
		name:    "excess burst capacity counts the panic window, not the stable one",
		spec:    func(s *DeciderSpec) { s.TargetBurstCapacity = 10; s.TotalValue = 10 },
		metrics: fakeMetrics{stable: 1, panic: 1.5},
		ready:   2,
		want:    Decision{DesiredPodCount: 1, ExcessBurstCapacity: 8, ScaleValid: true},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := baseSpec()
			if tc.spec != nil {
				tc.spec(&spec)
			}
			d := NewDecider(testRevision, spec, 0, at(0))
			if got := d.Decide(context.Background(), at(1), &tc.metrics, tc.ready); got != tc.want {
				t.Errorf("Decide = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// decideStep is one decision of a sequence.
type decideStep struct {
	at            float64
	stable, panic float64
	ready         int32
	want          int32
}

func runSteps(t *testing.T, d *Decider, steps []decideStep) {
	t.Helper()
	for i, s := range steps {
		m := &fakeMetrics{stable: s.stable, panic: s.panic}
		got := d.Decide(context.Background(), at(s.at), m, s.ready)
		if !got.ScaleValid || got.DesiredPodCount != s.want {
			t.Fatalf("step %d at %vs (stable %v, panic %v, %d ready): Decide = %+v, want %d pods",
				i, s.at, s.stable, s.panic, s.ready, got, s.want)
		}
	}
}

func TestDecidePanicMode(t *testing.T) {
	tests := []struct {
		name      string
		startPods int32
		steps     []decideStep
	}{{
		name: "enters at the threshold, never scales down inside, leaves a stable window after the last trigger",
		steps: []decideStep{
			{at: 0, stable: 1, panic: 1, ready: 1, want: 1},
			// 4 pods wanted for 1 ready: 4x the threshold of 2x.
			{at: 1, stable: 1.5, panic: 4, ready: 1, want: 4},
			// Below the threshold, and less wanted: still 4.
			{at: 2, stable: 2, panic: 2, ready: 4, want: 4},
			{at: 30, stable: 1, panic: 1, ready: 4, want: 4},
			// The last trigger was at 1: panic lasts through 61.
			{at: 61, stable: 1, panic: 1, ready: 4, want: 4},
			// Out: the stable decision, limited by the down rate.
			{at: 61.5, stable: 1, panic: 1, ready: 4, want: 2},
		},
	}, {
		name: "exactly the threshold enters",
		steps: []decideStep{
			{at: 0, stable: 1, panic: 2, ready: 1, want: 2},
			{at: 1, stable: 1, panic: 1, ready: 2, want: 2},
		},
	}, {
		name: "just below the threshold does not",
		steps: []decideStep{
			{at: 0, stable: 3, panic: 3, ready: 2, want: 3},
			{at: 1, stable: 1, panic: 1, ready: 3, want: 1},
		},
	}, {
		name: "another trigger extends panic mode",
		steps: []decideStep{
			{at: 0, stable: 1, panic: 4, ready: 1, want: 4},
			{at: 30, stable: 4, panic: 8, ready: 4, want: 8},
			{at: 61, stable: 1, panic: 1, ready: 8, want: 8},
			{at: 90, stable: 1, panic: 1, ready: 8, want: 8},
			{at: 91, stable: 1, panic: 1, ready: 8, want: 4},
		},
	}, {
		name: "panic provisions for the stable window when it wants more",
		steps: []decideStep{
			{at: 0, stable: 1, panic: 10, ready: 1, want: 10},
			{at: 1, stable: 15, panic: 12, ready: 10, want: 15},
		},
	}, {
		name:      "a new decider over several pods starts panicking at their count",
		startPods: 5,
		steps: []decideStep{
			{at: 1, stable: 1, panic: 1, ready: 5, want: 5},
			{at: 60, stable: 1, panic: 1, ready: 5, want: 5},
			{at: 61, stable: 1, panic: 1, ready: 5, want: 2},
		},
	}, {
		name:      "a new decider over one pod does not",
		startPods: 1,
		steps: []decideStep{
			{at: 1, stable: 0, panic: 0, ready: 1, want: 0},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			runSteps(t, NewDecider(testRevision, baseSpec(), tc.startPods, at(0)), tc.steps)
		})
	}
}

func TestDecideScaleDownDelay(t *testing.T) {
	spec := baseSpec()
	spec.ScaleDownDelay = 3 * time.Second
	t.Run("a lower desire waits the delay", func(t *testing.T) {
		runSteps(t, NewDecider(testRevision, spec, 0, at(0)), []decideStep{
			{at: 0, stable: 3, panic: 3, ready: 2, want: 3},
			{at: 1, stable: 1, panic: 1, ready: 3, want: 3},
			{at: 2, stable: 1, panic: 1, ready: 3, want: 3},
			{at: 3, stable: 1, panic: 1, ready: 3, want: 1},
		})
	})
	t.Run("a higher desire is immediate", func(t *testing.T) {
		runSteps(t, NewDecider(testRevision, spec, 0, at(0)), []decideStep{
			{at: 0, stable: 1, panic: 1, ready: 1, want: 1},
			{at: 1, stable: 2, panic: 2, ready: 1, want: 2},
		})
	})
	t.Run("an unreachable revision does not wait", func(t *testing.T) {
		unreachable := spec
		unreachable.Reachable = false
		runSteps(t, NewDecider(testRevision, unreachable, 0, at(0)), []decideStep{
			{at: 0, stable: 3, panic: 3, ready: 2, want: 3},
			{at: 1, stable: 0, panic: 0, ready: 3, want: 0},
		})
	})
	t.Run("no delay: the latest decision", func(t *testing.T) {
		runSteps(t, NewDecider(testRevision, baseSpec(), 0, at(0)), []decideStep{
			{at: 0, stable: 3, panic: 3, ready: 2, want: 3},
			{at: 1, stable: 1, panic: 1, ready: 3, want: 1},
		})
	})
	t.Run("changing the delay starts a new window", func(t *testing.T) {
		d := NewDecider(testRevision, spec, 0, at(0))
		runSteps(t, d, []decideStep{{at: 0, stable: 3, panic: 3, ready: 2, want: 3}})
		longer := spec
		longer.ScaleDownDelay = 10 * time.Second
		d.Update(longer)
		if d.Spec().ScaleDownDelay != 10*time.Second {
			t.Fatalf("Spec().ScaleDownDelay = %v after Update", d.Spec().ScaleDownDelay)
		}
		runSteps(t, d, []decideStep{
			{at: 1, stable: 1, panic: 1, ready: 3, want: 1},
			{at: 2, stable: 2, panic: 2, ready: 3, want: 2},
			{at: 11, stable: 1, panic: 1, ready: 3, want: 2},
			{at: 12, stable: 1, panic: 1, ready: 3, want: 1},
		})
	})
}

func TestInitialExcessBurstCapacity(t *testing.T) {
	tests := []struct {
		tbc, total float64
		initial    int32
		want       int32
	}{
		{tbc: -1, total: 100, initial: 1, want: -1},
		{tbc: 0, total: 100, initial: 1, want: 0},
		{tbc: 211, total: 100, initial: 1, want: -111},
		{tbc: 150, total: 100, initial: 2, want: 50},
	}
	for _, tc := range tests {
		spec := baseSpec()
		spec.TargetBurstCapacity, spec.TotalValue = tc.tbc, tc.total
		if got := InitialExcessBurstCapacity(spec, tc.initial); got != tc.want {
			t.Errorf("InitialExcessBurstCapacity(tbc %v, total %v, initial %d) = %d, want %d",
				tc.tbc, tc.total, tc.initial, got, tc.want)
		}
	}
}
