package validation

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

const (
	classKPA = "kpa.autoscaling.knative.dev"
	classHPA = "hpa.autoscaling.knative.dev"
	// defaultClass is config-autoscaler's default pod-autoscaler-class.
	defaultClass = classKPA

	metricConcurrency = "concurrency"
	metricRPS         = "rps"
)

// Autoscaling annotation keys, current spelling first (see lookup).
var (
	classKeys               = []string{autoscalingGroup + "/class"}
	minScaleKeys            = []string{autoscalingGroup + "/min-scale", autoscalingGroup + "/minScale"}
	maxScaleKeys            = []string{autoscalingGroup + "/max-scale", autoscalingGroup + "/maxScale"}
	initialScaleKeys        = []string{autoscalingGroup + "/initial-scale", autoscalingGroup + "/initialScale"}
	activationScaleKeys     = []string{autoscalingGroup + "/activation-scale"}
	metricKeys              = []string{autoscalingGroup + "/metric"}
	algorithmKeys           = []string{autoscalingGroup + "/metric-aggregation-algorithm", autoscalingGroup + "/metricAggregationAlgorithm"}
	targetKeys              = []string{autoscalingGroup + "/target"}
	targetUtilizationKeys   = []string{autoscalingGroup + "/target-utilization-percentage", autoscalingGroup + "/targetUtilizationPercentage"}
	targetBurstCapacityKeys = []string{autoscalingGroup + "/target-burst-capacity", autoscalingGroup + "/targetBurstCapacity"}
	windowKeys              = []string{autoscalingGroup + "/window"}
	panicWindowKeys         = []string{autoscalingGroup + "/panic-window-percentage", autoscalingGroup + "/panicWindowPercentage"}
	panicThresholdKeys      = []string{autoscalingGroup + "/panic-threshold-percentage", autoscalingGroup + "/panicThresholdPercentage"}
	scaleDownDelayKeys      = []string{autoscalingGroup + "/scale-down-delay", autoscalingGroup + "/scaleDownDelay"}
	podRetentionKeys        = []string{autoscalingGroup + "/scale-to-zero-pod-retention-period", autoscalingGroup + "/scaleToZeroPodRetentionPeriod"}
)

// Autoscaler bounds, from Knative's autoscaling package and the defaults of
// config-autoscaler (no max-scale-limit, allow-zero-initial-scale: false).
const (
	windowMin             = 6 * time.Second
	windowMax             = time.Hour
	targetMin             = 0.01
	panicWindowPercentMin = 1.0
	panicWindowPercentMax = 100.0
	panicThresholdMin     = 110.0
	panicThresholdMax     = 1000.0
)

// validateAutoscalingAnnotations checks the autoscaling.knative.dev
// annotations of a Revision or revision template.
func validateAutoscalingAnnotations(anns map[string]string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, validateClass(anns, fldPath)...)
	errs = append(errs, validateScaleBounds(anns, fldPath)...)
	errs = append(errs, validateAutoscalingFloats(anns, fldPath)...)
	errs = append(errs, validateAutoscalingDurations(anns, fldPath)...)
	errs = append(errs, validateMetric(anns, fldPath)...)
	errs = append(errs, validateAlgorithm(anns, fldPath)...)
	errs = append(errs, validateInitialScale(anns, fldPath)...)
	return errs
}

// validateClass rejects unknown Knative classes; classes outside the
// knative.dev domain belong to third-party autoscalers and are accepted.
func validateClass(anns map[string]string, fldPath *field.Path) field.ErrorList {
	k, v, ok := lookup(anns, classKeys)
	if ok && strings.HasSuffix(v, ".knative.dev") && v != classKPA && v != classHPA {
		return field.ErrorList{field.NotSupported(fldPath.Key(k), v, []string{classKPA, classHPA})}
	}
	return nil
}

// validateScaleBounds checks min-scale, max-scale and activation-scale together.
func validateScaleBounds(anns map[string]string, fldPath *field.Path) field.ErrorList {
	minScale, errs := scaleAnnotation(anns, minScaleKeys, fldPath)
	maxScale, maxErrs := scaleAnnotation(anns, maxScaleKeys, fldPath)
	errs = append(errs, maxErrs...)
	// max-scale 0 means unbounded.
	if maxScale != 0 && maxScale < minScale {
		k, v, _ := lookup(anns, maxScaleKeys)
		errs = append(errs, field.Invalid(fldPath.Key(k), v,
			fmt.Sprintf("max-scale=%d is less than min-scale=%d", maxScale, minScale)))
	}
	return append(errs, validateActivationScale(anns, minScale, maxScale, fldPath)...)
}

// scaleAnnotation parses a replica-count annotation: an int32 >= 0.
func scaleAnnotation(anns map[string]string, keys []string, fldPath *field.Path) (int32, field.ErrorList) {
	k, v, ok := lookup(anns, keys)
	if !ok {
		return 0, nil
	}
	i, err := strconv.ParseInt(v, 10, 32)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, field.ErrorList{field.Invalid(fldPath.Key(k), v, "must be an integer")}
	}
	if err != nil || i < 0 {
		return 0, field.ErrorList{field.Invalid(fldPath.Key(k), v, fmt.Sprintf("must be between 0 and %d", math.MaxInt32))}
	}
	return int32(i), nil
}

// validateActivationScale checks that the minimum non-zero scale is above 1
// and fits between min-scale and max-scale.
func validateActivationScale(anns map[string]string, minScale, maxScale int32, fldPath *field.Path) field.ErrorList {
	k, v, ok := lookup(anns, activationScaleKeys)
	if !ok {
		return nil
	}
	p := fldPath.Key(k)
	i, err := strconv.ParseInt(v, 10, 32)
	switch {
	case err != nil:
		return field.ErrorList{field.Invalid(p, v, "must be an integer")}
	case int64(minScale) > i:
		return field.ErrorList{field.Invalid(p, v, fmt.Sprintf("min-scale=%d is greater than activation-scale=%d", minScale, i))}
	case maxScale != 0 && int64(maxScale) < i:
		return field.ErrorList{field.Invalid(p, v, fmt.Sprintf("max-scale=%d is less than activation-scale=%d", maxScale, i))}
	case i < 2:
		return field.ErrorList{field.Invalid(p, v, fmt.Sprintf("activation-scale=%d must be greater than 1", i))}
	}
	return nil
}

// floatRule is the accepted range of a numeric annotation; max 0 means unbounded.
type floatRule struct {
	keys     []string
	min, max float64
}

var autoscalingFloatRules = []floatRule{
	{keys: panicWindowKeys, min: panicWindowPercentMin, max: panicWindowPercentMax},
	{keys: panicThresholdKeys, min: panicThresholdMin, max: panicThresholdMax},
	{keys: targetKeys, min: targetMin},
	{keys: targetUtilizationKeys, min: 1, max: 100},
}

func validateAutoscalingFloats(anns map[string]string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, r := range autoscalingFloatRules {
		errs = append(errs, checkFloat(anns, r, fldPath)...)
	}
	// Target burst capacity is a non-negative number, or -1 for "unlimited".
	if k, v, ok := lookup(anns, targetBurstCapacityKeys); ok {
		if f, err := parseFinite(v); err != nil || (f < 0 && f != -1) {
			errs = append(errs, field.Invalid(fldPath.Key(k), v, "must be a number >= 0, or -1 for unlimited"))
		}
	}
	return errs
}

func checkFloat(anns map[string]string, r floatRule, fldPath *field.Path) field.ErrorList {
	k, v, ok := lookup(anns, r.keys)
	if !ok {
		return nil
	}
	f, err := parseFinite(v)
	switch {
	case err != nil:
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, "must be a number")}
	case r.max == 0 && f < r.min:
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, fmt.Sprintf("must be at least %g", r.min))}
	case r.max != 0 && (f < r.min || f > r.max):
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, fmt.Sprintf("must be between %g and %g", r.min, r.max))}
	}
	return nil
}

// parseFinite parses a float, refusing NaN and infinities.
func parseFinite(v string) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return 0, fmt.Errorf("%q is not a finite number", v)
	}
	return f, err
}

// durationRule is the accepted range of a duration annotation; max 0 means unbounded.
type durationRule struct {
	keys         []string
	min, max     time.Duration
	wholeSeconds bool
}

var autoscalingDurationRules = []durationRule{
	{keys: windowKeys, min: windowMin, max: windowMax, wholeSeconds: true},
	{keys: scaleDownDelayKeys, max: windowMax, wholeSeconds: true},
	{keys: podRetentionKeys, max: windowMax},
}

func validateAutoscalingDurations(anns map[string]string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, r := range autoscalingDurationRules {
		errs = append(errs, checkDuration(anns, r, fldPath)...)
	}
	return errs
}

func checkDuration(anns map[string]string, r durationRule, fldPath *field.Path) field.ErrorList {
	k, v, ok := lookup(anns, r.keys)
	if !ok {
		return nil
	}
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, "must be a duration such as 30s or 2m")}
	case d < r.min || (r.max != 0 && d > r.max):
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, durationRangeMsg(r))}
	case r.wholeSeconds && d.Truncate(time.Second) != d:
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, "must be specified with at most second precision")}
	}
	return nil
}

func durationRangeMsg(r durationRule) string {
	if r.max == 0 {
		return fmt.Sprintf("must be at least %v", r.min)
	}
	return fmt.Sprintf("must be between %v and %v", r.min, r.max)
}

// validateMetric checks the metric against the autoscaler class that will
// read it: KPA knows concurrency and rps; HPA needs some metric; other
// classes are not Knative's to judge.
func validateMetric(anns map[string]string, fldPath *field.Path) field.ErrorList {
	k, metric, ok := lookup(anns, metricKeys)
	if !ok {
		return nil
	}
	class := defaultClass
	if _, c, ok := lookup(anns, classKeys); ok {
		class = c
	}
	switch {
	case class == classKPA && metric != metricConcurrency && metric != metricRPS:
		return field.ErrorList{field.NotSupported(fldPath.Key(k), metric, []string{metricConcurrency, metricRPS})}
	case class == classHPA && metric == "":
		return field.ErrorList{field.Invalid(fldPath.Key(k), metric, "must name a metric when the class is "+classHPA)}
	}
	return nil
}

// validateAlgorithm checks the metric aggregation algorithm, which only the
// KPA reads, and only when the class is set explicitly.
func validateAlgorithm(anns map[string]string, fldPath *field.Path) field.ErrorList {
	if _, class, _ := lookup(anns, classKeys); class != classKPA {
		return nil
	}
	k, v, _ := lookup(anns, algorithmKeys)
	switch v {
	case "", "linear", "weighted-exponential", "weightedExponential":
		return nil
	}
	return field.ErrorList{field.NotSupported(fldPath.Key(k), v, []string{"linear", "weighted-exponential", "weightedExponential"})}
}

// validateInitialScale requires a positive integer: config-autoscaler's
// allow-zero-initial-scale defaults to false.
func validateInitialScale(anns map[string]string, fldPath *field.Path) field.ErrorList {
	k, v, ok := lookup(anns, initialScaleKeys)
	if !ok {
		return nil
	}
	i, err := strconv.Atoi(v)
	switch {
	case err != nil:
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, "must be an integer")}
	case i < 0:
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, "must be greater than 0")}
	case i == 0:
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, "initial-scale=0 is not allowed by the cluster (allow-zero-initial-scale is false)")}
	}
	return nil
}
