package autoscaler

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/klog/v2"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
)

// DeciderSpec is what one revision's Decider works from: its annotations
// combined with config-autoscaler.
type DeciderSpec struct {
	// Metric is autoscaling.Concurrency (the default) or autoscaling.RPS.
	Metric string
	// TargetValue is the load one pod should carry: the target (or
	// containerConcurrency, or the config default) times the utilization.
	TargetValue float64
	// TotalValue is the load one pod can carry at most, before the
	// utilization: what burst capacity is counted in.
	TotalValue float64
	// TargetBurstCapacity is the spare capacity to keep: -1 always
	// insufficient, 0 none needed, else a number of requests.
	TargetBurstCapacity float64
	// PanicThreshold is the ratio of the panic window's desired pods to the
	// ready pods that starts panic mode (2.0 for the 200% default).
	PanicThreshold float64
	// MaxScaleUpRate and MaxScaleDownRate bound one decision to the ready
	// pods times, or divided by, the rate.
	MaxScaleUpRate, MaxScaleDownRate float64
	// StableWindow is how long panic mode lasts after the last panicking
	// decision.
	StableWindow time.Duration
	// ScaleDownDelay is how long a lower recommendation must persist before
	// it is returned.
	ScaleDownDelay time.Duration
	// ActivationScale is the fewest pods a revision with any load gets
	// (0 or 1: no effect).
	ActivationScale int32
	// Reachable is false when no route sends the revision traffic: it may
	// then scale down at once, without rate limit or delay.
	Reachable bool
}

// Decision is one recommendation for a revision.
type Decision struct {
	// DesiredPodCount is the number of pods the revision needs.
	DesiredPodCount int32
	// ExcessBurstCapacity is the spare capacity beyond the target burst
	// capacity; negative when the pods could not take the burst.
	ExcessBurstCapacity int32
	// ScaleValid is false when there was nothing to decide on (no metrics
	// yet); the other fields are then meaningless.
	ScaleValid bool
}

// MetricClient serves a revision's windowed load, as the Collector does.
// ErrNoData means nothing was measured over the stable window.
type MetricClient interface {
	StableAndPanicConcurrency(key types.NamespacedName, now time.Time) (stable, panicValue float64, err error)
	StableAndPanicRPS(key types.NamespacedName, now time.Time) (stable, panicValue float64, err error)
}

// Decider is the Knative Pod Autoscaler's decision for one revision. It
// keeps the panic mode and the scale-down delay between decisions, so a
// revision keeps one Decider for its life. Safe for concurrent use.
type Decider struct {
	key types.NamespacedName

	mu   sync.Mutex
	spec DeciderSpec
	// panicSince is the last decision over the panic threshold; zero when
	// not panicking.
	panicSince time.Time
	// maxPanicPods is the most pods panic mode asked for: it never asks
	// for fewer until it ends.
	maxPanicPods int32
	delay        *maxWindow
}

// NewDecider starts deciding for the revision key with readyPods ready
// now. With more than one pod it starts in panic mode: after a restart the
// averages are empty, and panic mode keeps the current pods until the
// stable window has data again.
func NewDecider(key types.NamespacedName, spec DeciderSpec, readyPods int32, now time.Time) *Decider {
	d := &Decider{key: key}
	d.setSpec(spec)
	if readyPods > 1 {
		d.panicSince = now
		d.maxPanicPods = readyPods
	}
	return d
}

// Update changes the spec; the panic state carries over.
func (d *Decider) Update(spec DeciderSpec) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.setSpec(spec)
}

func (d *Decider) setSpec(spec DeciderSpec) {
	if spec.ScaleDownDelay != d.spec.ScaleDownDelay || d.delay == nil {
		d.delay = nil
		if spec.ScaleDownDelay > 0 {
			d.delay = newMaxWindow(spec.ScaleDownDelay)
		}
	}
	d.spec = spec
}

// Spec is the current spec.
func (d *Decider) Spec() DeciderSpec {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.spec
}

// Decide recommends a pod count from the load metrics report and the
// revision's readyPods.
func (d *Decider) Decide(ctx context.Context, now time.Time, metrics MetricClient, readyPods int32) Decision {
	d.mu.Lock()
	defer d.mu.Unlock()
	logger := klog.FromContext(ctx).WithValues("revision", d.key)
	spec := d.spec

	var stable, panicking float64
	var err error
	if spec.Metric == autoscaling.RPS {
		stable, panicking, err = metrics.StableAndPanicRPS(d.key, now)
	} else {
		stable, panicking, err = metrics.StableAndPanicConcurrency(d.key, now)
	}
	if err != nil {
		if errors.Is(err, ErrNoData) {
			logger.V(4).Info("No metrics to decide on yet")
		} else {
			logger.Error(err, "Reading the revision's metrics")
		}
		return Decision{}
	}

	// With no pod ready, rates apply as if there were one.
	pods := math.Max(1, float64(readyPods))
	// Ceil, so a rate close to 1 still adds a pod.
	maxUp := math.Ceil(spec.MaxScaleUpRate * pods)
	maxDown := 0.0
	if spec.Reachable {
		maxDown = math.Floor(pods / spec.MaxScaleDownRate)
	}
	target := math.Max(spec.TargetValue, autoscaling.TargetMin)
	stablePods := math.Ceil(stable / target)
	panicPods := math.Ceil(panicking / target)
	clamp := func(want float64) int32 { return int32(math.Min(math.Max(want, maxDown), maxUp)) }
	desiredStable, desiredPanic := clamp(stablePods), clamp(panicPods)

	if spec.ActivationScale > 1 {
		if stablePods > 0 && desiredStable < spec.ActivationScale {
			desiredStable = spec.ActivationScale
		}
		if panicPods > 0 && desiredPanic < spec.ActivationScale {
			desiredPanic = spec.ActivationScale
		}
	}

	overThreshold := panicPods/pods >= spec.PanicThreshold
	switch {
	case overThreshold:
		if d.panicSince.IsZero() {
			logger.Info("Entering panic mode", "panicPods", panicPods, "readyPods", readyPods, "panicValue", panicking)
		}
		d.panicSince = now
	case !d.panicSince.IsZero() && now.After(d.panicSince.Add(spec.StableWindow)):
		// The surge has had a whole stable window to reach the stable
		// average.
		logger.Info("Leaving panic mode", "stableValue", stable)
		d.panicSince = time.Time{}
		d.maxPanicPods = 0
	}

	desired := desiredStable
	if !d.panicSince.IsZero() {
		// Provision for whichever window asks more, and never less than
		// panic mode already asked for.
		desired = max(desiredStable, desiredPanic, d.maxPanicPods)
		d.maxPanicPods = desired
	}

	if spec.Reachable && d.delay != nil {
		desired = d.delay.record(now, desired)
	}

	ebc := excessBurstCapacity(spec, readyPods, panicking)
	logger.V(4).Info("Decided", "metric", spec.Metric, "stableValue", stable, "panicValue", panicking,
		"target", spec.TargetValue, "readyPods", readyPods, "desired", desired, "panicking", !d.panicSince.IsZero(),
		"excessBurstCapacity", ebc)
	return Decision{DesiredPodCount: desired, ExcessBurstCapacity: ebc, ScaleValid: true}
}

// excessBurstCapacity is the capacity of the ready pods left once the
// panic window's load and the target burst capacity are served. It is
// measured against the panic window so one quiet second does not flip it.
func excessBurstCapacity(spec DeciderSpec, readyPods int32, panicValue float64) int32 {
	switch {
	case spec.TargetBurstCapacity == 0:
		return 0
	case spec.TargetBurstCapacity < 0:
		return -1
	}
	total := float64(readyPods) * spec.TotalValue
	return int32(math.Floor(total - spec.TargetBurstCapacity - panicValue))
}

// InitialExcessBurstCapacity is the excess burst capacity to assume before
// the first valid decision: what initialScale pods would leave.
func InitialExcessBurstCapacity(spec DeciderSpec, initialScale int32) int32 {
	if spec.TargetBurstCapacity <= 0 {
		return int32(spec.TargetBurstCapacity)
	}
	return int32(float64(initialScale)*spec.TotalValue - spec.TargetBurstCapacity)
}
