package validation

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
)

// ValidateAnnotations checks the autoscaling.knative.dev annotations of a
// PodAutoscaler, a Metric, or a Revision and its template, as Knative's
// autoscaling.ValidateAnnotations does with config-autoscaler as shipped (no
// max-scale-limit, allow-zero-initial-scale false, KPA as default class).
// fldPath is the annotations map; errors name the offending key.
func ValidateAnnotations(anns map[string]string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, validateClass(anns, fldPath)...)
	errs = append(errs, validateScaleBounds(anns, fldPath)...)
	errs = append(errs, validateFloats(anns, fldPath)...)
	errs = append(errs, validateDurations(anns, fldPath)...)
	errs = append(errs, validateMetric(anns, fldPath)...)
	errs = append(errs, validateAlgorithm(anns, fldPath)...)
	errs = append(errs, validateInitialScale(anns, fldPath)...)
	return errs
}

// validateClass rejects unknown Knative classes; classes outside the
// knative.dev domain belong to third-party autoscalers and are accepted.
func validateClass(anns map[string]string, fldPath *field.Path) field.ErrorList {
	k, v, ok := autoscaling.ClassAnnotation.Get(anns)
	if ok && strings.HasSuffix(v, ".knative.dev") && v != autoscaling.KPA && v != autoscaling.HPA {
		return field.ErrorList{field.NotSupported(fldPath.Key(k), v, []string{autoscaling.KPA, autoscaling.HPA})}
	}
	return nil
}

// validateScaleBounds checks min-scale, max-scale and activation-scale together.
func validateScaleBounds(anns map[string]string, fldPath *field.Path) field.ErrorList {
	minScale, errs := scaleAnnotation(anns, autoscaling.MinScaleAnnotation, fldPath)
	maxScale, maxErrs := scaleAnnotation(anns, autoscaling.MaxScaleAnnotation, fldPath)
	errs = append(errs, maxErrs...)
	// max-scale 0 means unbounded.
	if maxScale != 0 && maxScale < minScale {
		k, v, _ := autoscaling.MaxScaleAnnotation.Get(anns)
		errs = append(errs, field.Invalid(fldPath.Key(k), v,
			fmt.Sprintf("max-scale=%d is less than min-scale=%d", maxScale, minScale)))
	}
	return append(errs, validateActivationScale(anns, minScale, maxScale, fldPath)...)
}

// scaleAnnotation parses a replica-count annotation: an int32 >= 0.
func scaleAnnotation(anns map[string]string, keys autoscaling.KeyPriority, fldPath *field.Path) (int32, field.ErrorList) {
	k, v, ok := keys.Get(anns)
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
	k, v, ok := autoscaling.ActivationScaleAnnotation.Get(anns)
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

// FloatRule is the accepted range of a numeric annotation; Max 0 means
// unbounded. Serving's queue-proxy annotations use it too.
type FloatRule struct {
	Keys     autoscaling.KeyPriority
	Min, Max float64
}

var floatRules = []FloatRule{
	{Keys: autoscaling.PanicWindowPercentageAnnotation, Min: autoscaling.PanicWindowPercentageMin, Max: autoscaling.PanicWindowPercentageMax},
	{Keys: autoscaling.PanicThresholdPercentageAnnotation, Min: autoscaling.PanicThresholdPercentageMin, Max: autoscaling.PanicThresholdPercentageMax},
	{Keys: autoscaling.TargetAnnotation, Min: autoscaling.TargetMin},
	{Keys: autoscaling.TargetUtilizationPercentageAnnotation, Min: 1, Max: 100},
}

func validateFloats(anns map[string]string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, r := range floatRules {
		errs = append(errs, r.Validate(anns, fldPath)...)
	}
	// Target burst capacity is a non-negative number, or -1 for "unlimited".
	if k, v, ok := autoscaling.TargetBurstCapacityAnnotation.Get(anns); ok {
		if f, err := parseFinite(v); err != nil || (f < 0 && f != -1) {
			errs = append(errs, field.Invalid(fldPath.Key(k), v, "must be a number >= 0, or -1 for unlimited"))
		}
	}
	return errs
}

// Validate checks the annotation of r in anns, if present.
func (r FloatRule) Validate(anns map[string]string, fldPath *field.Path) field.ErrorList {
	k, v, ok := r.Keys.Get(anns)
	if !ok {
		return nil
	}
	f, err := parseFinite(v)
	switch {
	case err != nil:
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, "must be a number")}
	case r.Max == 0 && f < r.Min:
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, fmt.Sprintf("must be at least %g", r.Min))}
	case r.Max != 0 && (f < r.Min || f > r.Max):
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, fmt.Sprintf("must be between %g and %g", r.Min, r.Max))}
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

// DurationRule is the accepted range of a duration annotation; Max 0 means
// unbounded. Serving's rollout-duration and progress-deadline use it too.
type DurationRule struct {
	Keys         autoscaling.KeyPriority
	Min, Max     time.Duration
	WholeSeconds bool
}

var durationRules = []DurationRule{
	{Keys: autoscaling.WindowAnnotation, Min: autoscaling.WindowMin, Max: autoscaling.WindowMax, WholeSeconds: true},
	{Keys: autoscaling.ScaleDownDelayAnnotation, Max: autoscaling.WindowMax, WholeSeconds: true},
	{Keys: autoscaling.ScaleToZeroPodRetentionPeriodAnnotation, Max: autoscaling.WindowMax},
}

func validateDurations(anns map[string]string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, r := range durationRules {
		errs = append(errs, r.Validate(anns, fldPath)...)
	}
	return errs
}

// Validate checks the annotation of r in anns, if present.
func (r DurationRule) Validate(anns map[string]string, fldPath *field.Path) field.ErrorList {
	k, v, ok := r.Keys.Get(anns)
	if !ok {
		return nil
	}
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, "must be a duration such as 30s or 2m")}
	case d < r.Min || (r.Max != 0 && d > r.Max):
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, r.rangeMsg())}
	case r.WholeSeconds && d.Truncate(time.Second) != d:
		return field.ErrorList{field.Invalid(fldPath.Key(k), v, "must be specified with at most second precision")}
	}
	return nil
}

func (r DurationRule) rangeMsg() string {
	if r.Max == 0 {
		return fmt.Sprintf("must be at least %v", r.Min)
	}
	return fmt.Sprintf("must be between %v and %v", r.Min, r.Max)
}

// validateMetric checks the metric against the autoscaler class that will
// read it: KPA knows concurrency and rps; HPA needs some metric; other
// classes are not Knative's to judge.
func validateMetric(anns map[string]string, fldPath *field.Path) field.ErrorList {
	k, metric, ok := autoscaling.MetricAnnotation.Get(anns)
	if !ok {
		return nil
	}
	class := autoscaling.DefaultClass
	if _, c, ok := autoscaling.ClassAnnotation.Get(anns); ok {
		class = c
	}
	switch {
	case class == autoscaling.KPA && metric != autoscaling.Concurrency && metric != autoscaling.RPS:
		return field.ErrorList{field.NotSupported(fldPath.Key(k), metric, []string{autoscaling.Concurrency, autoscaling.RPS})}
	case class == autoscaling.HPA && metric == "":
		return field.ErrorList{field.Invalid(fldPath.Key(k), metric, "must name a metric when the class is "+autoscaling.HPA)}
	}
	return nil
}

// validateAlgorithm checks the metric aggregation algorithm, which only the
// KPA reads, and only when the class is set explicitly.
func validateAlgorithm(anns map[string]string, fldPath *field.Path) field.ErrorList {
	if _, class, _ := autoscaling.ClassAnnotation.Get(anns); class != autoscaling.KPA {
		return nil
	}
	k, v, _ := autoscaling.MetricAggregationAlgorithmAnnotation.Get(anns)
	switch v {
	case "", autoscaling.MetricAggregationAlgorithmLinear,
		autoscaling.MetricAggregationAlgorithmWeightedExponential,
		autoscaling.MetricAggregationAlgorithmWeightedExponentialAlt:
		return nil
	}
	return field.ErrorList{field.NotSupported(fldPath.Key(k), v, []string{
		autoscaling.MetricAggregationAlgorithmLinear,
		autoscaling.MetricAggregationAlgorithmWeightedExponential,
		autoscaling.MetricAggregationAlgorithmWeightedExponentialAlt,
	})}
}

// validateInitialScale requires a positive integer: config-autoscaler's
// allow-zero-initial-scale defaults to false.
func validateInitialScale(anns map[string]string, fldPath *field.Path) field.ErrorList {
	k, v, ok := autoscaling.InitialScaleAnnotation.Get(anns)
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
