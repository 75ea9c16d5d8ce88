package config

import (
	"time"

	corev1 "k8s.io/api/core/v1"
)

// AutoscalerConfigName is the ConfigMap of the autoscaler's cluster-wide
// settings (Knative's config-autoscaler).
const AutoscalerConfigName = "config-autoscaler"

// Autoscaling classes and bounds, as Knative Serving defines them.
const (
	// ClassKPA is the Knative Pod Autoscaler, the default class.
	ClassKPA = "kpa.autoscaling.knative.dev"
	// ClassHPA delegates to a Kubernetes HorizontalPodAutoscaler.
	ClassHPA = "hpa.autoscaling.knative.dev"

	// TargetMin is the smallest target (concurrency or requests per second).
	TargetMin = 0.01
	// WindowMin and WindowMax bound the stable window.
	WindowMin = 6 * time.Second
	WindowMax = time.Hour
	// PanicWindowPercentageMin and PanicWindowPercentageMax bound the
	// panic window as a percentage of the stable window.
	PanicWindowPercentageMin = 1.0
	PanicWindowPercentageMax = 100.0
)

// Autoscaler is config-autoscaler.
type Autoscaler struct {
	// EnableScaleToZero lets revisions scale to zero pods.
	EnableScaleToZero bool

	// ContainerConcurrencyTargetFraction is the share of a revision's
	// containerConcurrency the autoscaler aims for, in (0, 1] (the key is
	// a percentage; values in (0, 1] are read as fractions).
	ContainerConcurrencyTargetFraction float64
	// ContainerConcurrencyTargetDefault is the concurrency target of
	// revisions with unbounded containerConcurrency.
	ContainerConcurrencyTargetDefault float64
	// TargetUtilization applies to metrics other than concurrency; it is
	// not configurable (Knative neither), only the revision annotation
	// autoscaling.knative.dev/target-utilization-percentage overrides it.
	TargetUtilization float64
	// RPSTargetDefault is the requests-per-second target.
	RPSTargetDefault float64
	// TargetBurstCapacity is the spare capacity, in concurrent requests,
	// below which the activator stays in the request path (0: only at zero
	// pods; -1: always).
	TargetBurstCapacity float64
	// ActivatorCapacity is the concurrent requests one activator takes.
	ActivatorCapacity float64

	// AllowZeroInitialScale lets InitialScale (and the initial-scale
	// annotation) be 0.
	AllowZeroInitialScale bool
	// InitialScale is a new revision's pod count before any metric.
	InitialScale int32
	// MinScale and MaxScale are the bounds of revisions without min-scale
	// and max-scale annotations (MaxScale 0: unbounded).
	MinScale int32
	MaxScale int32
	// MaxScaleLimit bounds every revision's max scale (0: no bound).
	MaxScaleLimit int32

	// MaxScaleUpRate and MaxScaleDownRate bound one decision's ratio of
	// desired to current pods (up) and current to desired pods (down).
	MaxScaleUpRate   float64
	MaxScaleDownRate float64
	// StableWindow is the window the stable-mode average is taken over.
	StableWindow time.Duration
	// PanicWindowPercentage is the panic window, as a percentage of the
	// stable window.
	PanicWindowPercentage float64
	// PanicThresholdPercentage is the load, as a percentage of the target,
	// over the panic window that enters panic mode.
	PanicThresholdPercentage float64

	// ScaleToZeroGracePeriod is the longest an inactive revision keeps its
	// last pod while the activator is put in the path.
	ScaleToZeroGracePeriod time.Duration
	// ScaleToZeroPodRetentionPeriod is the least time the last pod stays
	// after the decision to scale to zero.
	ScaleToZeroPodRetentionPeriod time.Duration
	// ScaleDownDelay is how long lower load must last before any scale
	// down is applied.
	ScaleDownDelay time.Duration

	// PodAutoscalerClass is the class of revisions that set none.
	PodAutoscalerClass string
}

func defaultAutoscaler() *Autoscaler {
	return &Autoscaler{
		EnableScaleToZero:                  true,
		ContainerConcurrencyTargetFraction: 0.7,
		ContainerConcurrencyTargetDefault:  100,
		TargetUtilization:                  0.7,
		RPSTargetDefault:                   200,
		MaxScaleUpRate:                     1000,
		MaxScaleDownRate:                   2,
		TargetBurstCapacity:                211,
		PanicWindowPercentage:              10,
		ActivatorCapacity:                  100,
		PanicThresholdPercentage:           200,
		StableWindow:                       60 * time.Second,
		ScaleToZeroGracePeriod:             30 * time.Second,
		ScaleToZeroPodRetentionPeriod:      0,
		ScaleDownDelay:                     0,
		PodAutoscalerClass:                 ClassKPA,
		AllowZeroInitialScale:              false,
		InitialScale:                       1,
		MinScale:                           0,
		MaxScale:                           0,
		MaxScaleLimit:                      0,
	}
}

// NewAutoscalerFromMap parses config-autoscaler's data, with Knative's
// rules.
func NewAutoscalerFromMap(data map[string]string) (*Autoscaler, error) {
	a := defaultAutoscaler()
	if err := parse(data,
		asString("pod-autoscaler-class", &a.PodAutoscalerClass),
		asBool("enable-scale-to-zero", &a.EnableScaleToZero),
		asBool("allow-zero-initial-scale", &a.AllowZeroInitialScale),
		asFloat64("max-scale-up-rate", &a.MaxScaleUpRate),
		asFloat64("max-scale-down-rate", &a.MaxScaleDownRate),
		asFloat64("container-concurrency-target-percentage", &a.ContainerConcurrencyTargetFraction),
		asFloat64("container-concurrency-target-default", &a.ContainerConcurrencyTargetDefault),
		asFloat64("requests-per-second-target-default", &a.RPSTargetDefault),
		asFloat64("target-burst-capacity", &a.TargetBurstCapacity),
		asFloat64("panic-window-percentage", &a.PanicWindowPercentage),
		asFloat64("activator-capacity", &a.ActivatorCapacity),
		asFloat64("panic-threshold-percentage", &a.PanicThresholdPercentage),
		asInt32("initial-scale", &a.InitialScale),
		asInt32("min-scale", &a.MinScale),
		asInt32("max-scale", &a.MaxScale),
		asInt32("max-scale-limit", &a.MaxScaleLimit),
		asDuration("stable-window", &a.StableWindow),
		asDuration("scale-down-delay", &a.ScaleDownDelay),
		asDuration("scale-to-zero-grace-period", &a.ScaleToZeroGracePeriod),
		asDuration("scale-to-zero-pod-retention-period", &a.ScaleToZeroPodRetentionPeriod),
	); err != nil {
		return nil, err
	}
	// A percentage; for backward compatibility values in (0, 1] are
	// fractions already.
	if a.ContainerConcurrencyTargetFraction > 1 {
		a.ContainerConcurrencyTargetFraction /= 100
	}
	if err := a.validate(data); err != nil {
		return nil, err
	}
	return a, nil
}

// NewAutoscalerFromConfigMap parses config-autoscaler.
func NewAutoscalerFromConfigMap(cm *corev1.ConfigMap) (*Autoscaler, error) {
	return NewAutoscalerFromMap(cm.Data)
}

func (a *Autoscaler) validate(data map[string]string) error {
	switch {
	case a.ScaleToZeroGracePeriod <= 0:
		return invalid(data, "scale-to-zero-grace-period", a.ScaleToZeroGracePeriod, "must be positive")
	case a.ScaleDownDelay < 0:
		return invalid(data, "scale-down-delay", a.ScaleDownDelay, "cannot be negative")
	case a.ScaleDownDelay.Round(time.Second) != a.ScaleDownDelay:
		return invalid(data, "scale-down-delay", a.ScaleDownDelay, "must be whole seconds")
	case a.ScaleToZeroPodRetentionPeriod < 0:
		return invalid(data, "scale-to-zero-pod-retention-period", a.ScaleToZeroPodRetentionPeriod, "cannot be negative")
	case a.TargetBurstCapacity < 0 && a.TargetBurstCapacity != -1:
		return invalid(data, "target-burst-capacity", a.TargetBurstCapacity, "must be at least 0, or -1 for unlimited")
	case a.ContainerConcurrencyTargetFraction <= 0 || a.ContainerConcurrencyTargetFraction > 1:
		return invalid(data, "container-concurrency-target-percentage", a.ContainerConcurrencyTargetFraction*100,
			"must be in (0, 100]")
	case a.ContainerConcurrencyTargetFraction*a.ContainerConcurrencyTargetDefault < TargetMin:
		return invalid(data, "container-concurrency-target-default", a.ContainerConcurrencyTargetDefault,
			"times container-concurrency-target-percentage gives a target of %v, less than %v",
			a.ContainerConcurrencyTargetFraction*a.ContainerConcurrencyTargetDefault, TargetMin)
	case a.RPSTargetDefault < TargetMin:
		return invalid(data, "requests-per-second-target-default", a.RPSTargetDefault, "must be at least %v", TargetMin)
	case a.ActivatorCapacity < 1:
		return invalid(data, "activator-capacity", a.ActivatorCapacity, "must be at least 1")
	case a.MaxScaleUpRate <= 1:
		return invalid(data, "max-scale-up-rate", a.MaxScaleUpRate, "must be greater than 1")
	case a.MaxScaleDownRate <= 1:
		return invalid(data, "max-scale-down-rate", a.MaxScaleDownRate, "must be greater than 1")
	case a.StableWindow < WindowMin || a.StableWindow > WindowMax:
		return invalid(data, "stable-window", a.StableWindow, "must be in [%v, %v]", WindowMin, WindowMax)
	case a.StableWindow.Round(time.Second) != a.StableWindow:
		return invalid(data, "stable-window", a.StableWindow, "must be whole seconds")
	case a.PanicWindowPercentage < PanicWindowPercentageMin || a.PanicWindowPercentage > PanicWindowPercentageMax:
		return invalid(data, "panic-window-percentage", a.PanicWindowPercentage,
			"must be in [%v, %v]", PanicWindowPercentageMin, PanicWindowPercentageMax)
	case a.InitialScale < 0 || (a.InitialScale == 0 && !a.AllowZeroInitialScale):
		return invalid(data, "initial-scale", a.InitialScale,
			"must be at least 1 (at least 0 when allow-zero-initial-scale is true)")
	case a.MinScale < 0:
		return invalid(data, "min-scale", a.MinScale, "must be at least 0")
	}
	// With a max-scale-limit, every revision needs a bounded max scale, so
	// the default max-scale must be one.
	var minMaxScale int32
	if a.MaxScaleLimit > 0 {
		minMaxScale = 1
	}
	switch {
	case a.MaxScaleLimit <= 0 && a.MaxScale < 0:
		return invalid(data, "max-scale", a.MaxScale, "must be at least 0 (0: unbounded)")
	case a.MaxScaleLimit > 0 && (a.MaxScale < minMaxScale || a.MaxScale > a.MaxScaleLimit):
		return invalid(data, "max-scale", a.MaxScale, "must be in [%d, max-scale-limit (%d)]", minMaxScale, a.MaxScaleLimit)
	case a.MaxScaleLimit < 0:
		return invalid(data, "max-scale-limit", a.MaxScaleLimit, "must be at least 0")
	case a.MinScale > a.MaxScale && a.MaxScale > 0:
		return invalid(data, "min-scale", a.MinScale, "cannot be greater than max-scale (%d)", a.MaxScale)
	}
	return nil
}
