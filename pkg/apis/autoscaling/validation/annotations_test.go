package validation_test

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	"github.com/knap-dev/knap/pkg/apis/autoscaling/validation"
)

const as = "autoscaling.knative.dev/"

var annsPath = field.NewPath("metadata", "annotations")

// annPaths are the field paths of annotation keys under annsPath.
func annPaths(keys ...string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, annsPath.Key(k).String())
	}
	return out
}

func TestValidateAnnotations(t *testing.T) {
	for _, tc := range []struct {
		name string
		anns map[string]string
		want []string // annotation keys with an error
	}{
		{name: "none"},
		{name: "unrelated annotations", anns: map[string]string{"example.com/min-scale": "-1", "autoscaling.example.com/class": "x"}},

		// class
		{name: "class kpa", anns: map[string]string{as + "class": autoscaling.KPA}},
		{name: "class hpa", anns: map[string]string{as + "class": autoscaling.HPA, as + "metric": "cpu"}},
		{name: "third-party class", anns: map[string]string{as + "class": "keda.sh/autoscaler", as + "metric": "anything"}},
		{name: "unknown knative class", anns: map[string]string{as + "class": "foo.autoscaling.knative.dev"}, want: []string{as + "class"}},
		{name: "unknown class in another knative.dev domain", anns: map[string]string{as + "class": "bar.knative.dev"}, want: []string{as + "class"}},

		// min-scale, max-scale
		{name: "min and max", anns: map[string]string{as + "min-scale": "1", as + "max-scale": "10"}},
		{name: "min equals max", anns: map[string]string{as + "min-scale": "4", as + "max-scale": "4"}},
		{name: "legacy spellings", anns: map[string]string{as + "minScale": "2", as + "maxScale": "3"}},
		{name: "current spelling wins over legacy", anns: map[string]string{as + "min-scale": "1", as + "minScale": "bogus"}},
		{name: "max zero is unbounded", anns: map[string]string{as + "min-scale": "5", as + "max-scale": "0"}},
		{name: "min above max", anns: map[string]string{as + "min-scale": "5", as + "max-scale": "2"}, want: []string{as + "max-scale"}},
		{name: "negative min", anns: map[string]string{as + "min-scale": "-1"}, want: []string{as + "min-scale"}},
		{name: "negative max", anns: map[string]string{as + "maxScale": "-3"}, want: []string{as + "maxScale"}},
		{name: "non-integer max", anns: map[string]string{as + "max-scale": "1.5"}, want: []string{as + "max-scale"}},
		{name: "max beyond int32", anns: map[string]string{as + "max-scale": "2147483648"}, want: []string{as + "max-scale"}},
		{name: "legacy key named in error", anns: map[string]string{as + "minScale": "x"}, want: []string{as + "minScale"}},

		// activation-scale
		{name: "activation scale", anns: map[string]string{as + "activation-scale": "2", as + "min-scale": "1", as + "max-scale": "5"}},
		{name: "activation scale unbounded max", anns: map[string]string{as + "activation-scale": "7"}},
		{name: "activation below 2", anns: map[string]string{as + "activation-scale": "1"}, want: []string{as + "activation-scale"}},
		{name: "activation below min", anns: map[string]string{as + "activation-scale": "2", as + "min-scale": "3"}, want: []string{as + "activation-scale"}},
		{name: "activation above max", anns: map[string]string{as + "activation-scale": "6", as + "max-scale": "5"}, want: []string{as + "activation-scale"}},
		{name: "activation not a number", anns: map[string]string{as + "activation-scale": "two"}, want: []string{as + "activation-scale"}},

		// initial-scale
		{name: "initial scale", anns: map[string]string{as + "initial-scale": "3"}},
		{name: "initial scale zero not allowed", anns: map[string]string{as + "initial-scale": "0"}, want: []string{as + "initial-scale"}},
		{name: "initial scale negative", anns: map[string]string{as + "initialScale": "-2"}, want: []string{as + "initialScale"}},
		{name: "initial scale not a number", anns: map[string]string{as + "initial-scale": "many"}, want: []string{as + "initial-scale"}},

		// target, target-utilization-percentage, target-burst-capacity
		{name: "targets", anns: map[string]string{as + "target": "0.01", as + "target-utilization-percentage": "70", as + "target-burst-capacity": "-1"}},
		{name: "target large", anns: map[string]string{as + "target": "100000"}},
		{name: "target below minimum", anns: map[string]string{as + "target": "0.001"}, want: []string{as + "target"}},
		{name: "target not a number", anns: map[string]string{as + "target": "ten"}, want: []string{as + "target"}},
		{name: "target NaN", anns: map[string]string{as + "target": "NaN"}, want: []string{as + "target"}},
		{name: "utilization 1 and 100", anns: map[string]string{as + "target-utilization-percentage": "1", as + "targetUtilizationPercentage": "100"}},
		{name: "utilization 0", anns: map[string]string{as + "target-utilization-percentage": "0"}, want: []string{as + "target-utilization-percentage"}},
		{name: "utilization 101", anns: map[string]string{as + "targetUtilizationPercentage": "101"}, want: []string{as + "targetUtilizationPercentage"}},
		{name: "utilization text", anns: map[string]string{as + "target-utilization-percentage": "most"}, want: []string{as + "target-utilization-percentage"}},
		{name: "burst capacity 0", anns: map[string]string{as + "target-burst-capacity": "0"}},
		{name: "burst capacity 200", anns: map[string]string{as + "target-burst-capacity": "200"}},
		{name: "burst capacity -2", anns: map[string]string{as + "target-burst-capacity": "-2"}, want: []string{as + "target-burst-capacity"}},
		{name: "burst capacity text", anns: map[string]string{as + "targetBurstCapacity": "lots"}, want: []string{as + "targetBurstCapacity"}},
		{name: "burst capacity infinite", anns: map[string]string{as + "target-burst-capacity": "+Inf"}, want: []string{as + "target-burst-capacity"}},

		// panic-window-percentage, panic-threshold-percentage
		{name: "panic settings", anns: map[string]string{as + "panic-window-percentage": "10", as + "panic-threshold-percentage": "200"}},
		{name: "panic bounds", anns: map[string]string{as + "panicWindowPercentage": "1", as + "panicThresholdPercentage": "1000"}},
		{name: "panic window 0.5", anns: map[string]string{as + "panic-window-percentage": "0.5"}, want: []string{as + "panic-window-percentage"}},
		{name: "panic window 101", anns: map[string]string{as + "panicWindowPercentage": "101"}, want: []string{as + "panicWindowPercentage"}},
		{name: "panic window text", anns: map[string]string{as + "panic-window-percentage": "tenth"}, want: []string{as + "panic-window-percentage"}},
		{name: "panic threshold 100", anns: map[string]string{as + "panic-threshold-percentage": "100"}, want: []string{as + "panic-threshold-percentage"}},
		{name: "panic threshold 1001", anns: map[string]string{as + "panicThresholdPercentage": "1001"}, want: []string{as + "panicThresholdPercentage"}},

		// window
		{name: "window lower bound", anns: map[string]string{as + "window": "6s"}},
		{name: "window one hour", anns: map[string]string{as + "window": "1h"}},
		{name: "window too short", anns: map[string]string{as + "window": "5s"}, want: []string{as + "window"}},
		{name: "window too long", anns: map[string]string{as + "window": "61m"}, want: []string{as + "window"}},
		{name: "window sub-second", anns: map[string]string{as + "window": "6500ms"}, want: []string{as + "window"}},
		{name: "window unparsable", anns: map[string]string{as + "window": "60"}, want: []string{as + "window"}},

		// scale-down-delay
		{name: "scale down delay", anns: map[string]string{as + "scale-down-delay": "15m"}},
		{name: "scale down delay zero", anns: map[string]string{as + "scaleDownDelay": "0s"}},
		{name: "scale down delay one hour", anns: map[string]string{as + "scale-down-delay": "1h"}},
		{name: "scale down delay negative", anns: map[string]string{as + "scale-down-delay": "-1s"}, want: []string{as + "scale-down-delay"}},
		{name: "scale down delay over an hour", anns: map[string]string{as + "scale-down-delay": "2h"}, want: []string{as + "scale-down-delay"}},
		{name: "scale down delay sub-second", anns: map[string]string{as + "scale-down-delay": "1.5s"}, want: []string{as + "scale-down-delay"}},
		{name: "scale down delay garbage", anns: map[string]string{as + "scaleDownDelay": "later"}, want: []string{as + "scaleDownDelay"}},

		// scale-to-zero-pod-retention-period
		{name: "pod retention", anns: map[string]string{as + "scale-to-zero-pod-retention-period": "1m30s"}},
		{name: "pod retention sub-second allowed", anns: map[string]string{as + "scale-to-zero-pod-retention-period": "1500ms"}},
		{name: "pod retention negative", anns: map[string]string{as + "scale-to-zero-pod-retention-period": "-1m"}, want: []string{as + "scale-to-zero-pod-retention-period"}},
		{name: "pod retention over an hour", anns: map[string]string{as + "scale-to-zero-pod-retention-period": "61m"}, want: []string{as + "scale-to-zero-pod-retention-period"}},
		{name: "pod retention garbage", anns: map[string]string{as + "scaleToZeroPodRetentionPeriod": "soon"}, want: []string{as + "scaleToZeroPodRetentionPeriod"}},

		// metric, against the class
		{name: "metric rps with default class", anns: map[string]string{as + "metric": "rps"}},
		{name: "metric concurrency with kpa", anns: map[string]string{as + "class": autoscaling.KPA, as + "metric": "concurrency"}},
		{name: "metric cpu needs hpa", anns: map[string]string{as + "metric": "cpu"}, want: []string{as + "metric"}},
		{name: "metric memory with kpa", anns: map[string]string{as + "class": autoscaling.KPA, as + "metric": "memory"}, want: []string{as + "metric"}},
		{name: "metric empty with kpa", anns: map[string]string{as + "class": autoscaling.KPA, as + "metric": ""}, want: []string{as + "metric"}},
		{name: "metric memory with hpa", anns: map[string]string{as + "class": autoscaling.HPA, as + "metric": "memory"}},
		{name: "custom metric with hpa", anns: map[string]string{as + "class": autoscaling.HPA, as + "metric": "queue-depth"}},
		{name: "hpa needs a metric", anns: map[string]string{as + "class": autoscaling.HPA, as + "metric": ""}, want: []string{as + "metric"}},
		{name: "empty metric with third-party class", anns: map[string]string{as + "class": "keda.sh/autoscaler", as + "metric": ""}},

		// metric-aggregation-algorithm, KPA only
		{name: "algorithm with kpa", anns: map[string]string{as + "class": autoscaling.KPA, as + "metric-aggregation-algorithm": "weighted-exponential"}},
		{name: "algorithm alternate casing", anns: map[string]string{as + "class": autoscaling.KPA, as + "metricAggregationAlgorithm": "weightedExponential"}},
		{name: "algorithm linear", anns: map[string]string{as + "class": autoscaling.KPA, as + "metric-aggregation-algorithm": "linear"}},
		{name: "algorithm bogus with kpa", anns: map[string]string{as + "class": autoscaling.KPA, as + "metricAggregationAlgorithm": "median"}, want: []string{as + "metricAggregationAlgorithm"}},
		{name: "algorithm ignored without explicit class", anns: map[string]string{as + "metric-aggregation-algorithm": "median"}},
		{name: "algorithm ignored with hpa", anns: map[string]string{as + "class": autoscaling.HPA, as + "metric": "cpu", as + "metric-aggregation-algorithm": "median"}},

		{name: "several errors", anns: map[string]string{as + "window": "1s", as + "target": "0", as + "initial-scale": "0"}, want: []string{as + "window", as + "target", as + "initial-scale"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectPaths(t, validation.ValidateAnnotations(tc.anns, annsPath), annPaths(tc.want...)...)
		})
	}
}

func TestAnnotationErrorTypes(t *testing.T) {
	// Enumerations report the values they accept; the rest are invalid values.
	expectType(t, validation.ValidateAnnotations(map[string]string{as + "class": "x.knative.dev"}, annsPath), field.ErrorTypeNotSupported)
	expectType(t, validation.ValidateAnnotations(map[string]string{as + "metric": "cpu"}, annsPath), field.ErrorTypeNotSupported)
	expectType(t, validation.ValidateAnnotations(map[string]string{as + "min-scale": "-1", as + "window": "1s"}, annsPath), field.ErrorTypeInvalid)
}

func TestFloatRule(t *testing.T) {
	keys := autoscaling.KeyPriority{"example.com/ratio", "example.com/oldRatio"}
	for _, tc := range []struct {
		name     string
		min, max float64
		anns     map[string]string
		want     []string
	}{
		{name: "absent", min: 1, max: 2},
		{name: "in range", min: 1, max: 2, anns: map[string]string{"example.com/ratio": "1.5"}},
		{name: "below", min: 1, max: 2, anns: map[string]string{"example.com/ratio": "0.5"}, want: []string{"example.com/ratio"}},
		{name: "above", min: 1, max: 2, anns: map[string]string{"example.com/oldRatio": "2.5"}, want: []string{"example.com/oldRatio"}},
		{name: "max 0 is unbounded", min: 1, anns: map[string]string{"example.com/ratio": "1e9"}},
		{name: "unbounded still has a minimum", min: 1, anns: map[string]string{"example.com/ratio": "0"}, want: []string{"example.com/ratio"}},
		{name: "infinity", min: 1, anns: map[string]string{"example.com/ratio": "Inf"}, want: []string{"example.com/ratio"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := validation.FloatRule{Keys: keys, Min: tc.min, Max: tc.max}.Validate(tc.anns, annsPath)
			expectPaths(t, errs, annPaths(tc.want...)...)
		})
	}
}

func TestDurationRule(t *testing.T) {
	keys := autoscaling.KeyPriority{"example.com/delay"}
	for _, tc := range []struct {
		name  string
		rule  validation.DurationRule
		value string
		bad   bool
	}{
		{name: "in range", rule: validation.DurationRule{Min: time.Second, Max: time.Minute}, value: "30s"},
		{name: "below", rule: validation.DurationRule{Min: time.Second, Max: time.Minute}, value: "500ms", bad: true},
		{name: "above", rule: validation.DurationRule{Min: time.Second, Max: time.Minute}, value: "2m", bad: true},
		{name: "max 0 is unbounded", rule: validation.DurationRule{}, value: "1000h"},
		{name: "negative below min 0", rule: validation.DurationRule{}, value: "-1s", bad: true},
		{name: "whole seconds", rule: validation.DurationRule{WholeSeconds: true}, value: "2s"},
		{name: "fraction of a second", rule: validation.DurationRule{WholeSeconds: true}, value: "2.5s", bad: true},
		{name: "not a duration", rule: validation.DurationRule{}, value: "2", bad: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.rule.Keys = keys
			var want []string
			if tc.bad {
				want = annPaths("example.com/delay")
			}
			expectPaths(t, tc.rule.Validate(map[string]string{"example.com/delay": tc.value}, annsPath), want...)
		})
	}
}
