package validation_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/knap-dev/knap/pkg/apis/serving/validation"
)

const as = "autoscaling.knative.dev/"

// autoscalingCases hold annotations and the keys whose errors they cause.
var autoscalingCases = []struct {
	name string
	anns map[string]string
	want []string
}{
	{name: "none"},
	{name: "class kpa", anns: map[string]string{as + "class": "kpa.autoscaling.knative.dev"}},
	{name: "class hpa", anns: map[string]string{as + "class": "hpa.autoscaling.knative.dev", as + "metric": "cpu"}},
	{name: "third-party class", anns: map[string]string{as + "class": "keda.sh/autoscaler", as + "metric": "anything"}},
	{name: "unknown knative class", anns: map[string]string{as + "class": "foo.autoscaling.knative.dev"}, want: []string{as + "class"}},

	{name: "min and max", anns: map[string]string{as + "min-scale": "1", as + "max-scale": "10"}},
	{name: "legacy spellings", anns: map[string]string{as + "minScale": "2", as + "maxScale": "3"}},
	{name: "max zero is unbounded", anns: map[string]string{as + "min-scale": "5", as + "max-scale": "0"}},
	{name: "min above max", anns: map[string]string{as + "min-scale": "5", as + "max-scale": "2"}, want: []string{as + "max-scale"}},
	{name: "negative min", anns: map[string]string{as + "min-scale": "-1"}, want: []string{as + "min-scale"}},
	{name: "non-integer max", anns: map[string]string{as + "max-scale": "1.5"}, want: []string{as + "max-scale"}},
	{name: "max beyond int32", anns: map[string]string{as + "max-scale": "2147483648"}, want: []string{as + "max-scale"}},
	{name: "legacy key named in error", anns: map[string]string{as + "minScale": "x"}, want: []string{as + "minScale"}},

	{name: "activation scale", anns: map[string]string{as + "activation-scale": "2", as + "min-scale": "1", as + "max-scale": "5"}},
	{name: "activation below 2", anns: map[string]string{as + "activation-scale": "1"}, want: []string{as + "activation-scale"}},
	{name: "activation below min", anns: map[string]string{as + "activation-scale": "2", as + "min-scale": "3"}, want: []string{as + "activation-scale"}},
	{name: "activation above max", anns: map[string]string{as + "activation-scale": "6", as + "max-scale": "5"}, want: []string{as + "activation-scale"}},
	{name: "activation not a number", anns: map[string]string{as + "activation-scale": "two"}, want: []string{as + "activation-scale"}},

	{name: "initial scale", anns: map[string]string{as + "initial-scale": "3"}},
	{name: "initial scale zero not allowed", anns: map[string]string{as + "initial-scale": "0"}, want: []string{as + "initial-scale"}},
	{name: "initial scale negative", anns: map[string]string{as + "initialScale": "-2"}, want: []string{as + "initialScale"}},
	{name: "initial scale not a number", anns: map[string]string{as + "initial-scale": "many"}, want: []string{as + "initial-scale"}},

	{name: "targets", anns: map[string]string{as + "target": "0.01", as + "target-utilization-percentage": "70", as + "target-burst-capacity": "-1"}},
	{name: "target below minimum", anns: map[string]string{as + "target": "0.001"}, want: []string{as + "target"}},
	{name: "target not a number", anns: map[string]string{as + "target": "NaN"}, want: []string{as + "target"}},
	{name: "utilization 0", anns: map[string]string{as + "target-utilization-percentage": "0"}, want: []string{as + "target-utilization-percentage"}},
	{name: "utilization 101", anns: map[string]string{as + "targetUtilizationPercentage": "101"}, want: []string{as + "targetUtilizationPercentage"}},
	{name: "burst capacity 0", anns: map[string]string{as + "target-burst-capacity": "0"}},
	{name: "burst capacity -2", anns: map[string]string{as + "target-burst-capacity": "-2"}, want: []string{as + "target-burst-capacity"}},
	{name: "burst capacity text", anns: map[string]string{as + "targetBurstCapacity": "lots"}, want: []string{as + "targetBurstCapacity"}},

	{name: "panic settings", anns: map[string]string{as + "panic-window-percentage": "10", as + "panic-threshold-percentage": "200"}},
	{name: "panic window 0.5", anns: map[string]string{as + "panic-window-percentage": "0.5"}, want: []string{as + "panic-window-percentage"}},
	{name: "panic window 101", anns: map[string]string{as + "panicWindowPercentage": "101"}, want: []string{as + "panicWindowPercentage"}},
	{name: "panic threshold 100", anns: map[string]string{as + "panic-threshold-percentage": "100"}, want: []string{as + "panic-threshold-percentage"}},
	{name: "panic threshold 1001", anns: map[string]string{as + "panic-threshold-percentage": "1001"}, want: []string{as + "panic-threshold-percentage"}},

	{name: "window bounds", anns: map[string]string{as + "window": "6s"}},
	{name: "window one hour", anns: map[string]string{as + "window": "1h"}},
	{name: "window too short", anns: map[string]string{as + "window": "5s"}, want: []string{as + "window"}},
	{name: "window too long", anns: map[string]string{as + "window": "61m"}, want: []string{as + "window"}},
	{name: "window sub-second", anns: map[string]string{as + "window": "6500ms"}, want: []string{as + "window"}},
	{name: "window unparsable", anns: map[string]string{as + "window": "60"}, want: []string{as + "window"}},

	{name: "scale down delay", anns: map[string]string{as + "scale-down-delay": "15m"}},
	{name: "scale down delay zero", anns: map[string]string{as + "scaleDownDelay": "0s"}},
	{name: "scale down delay negative", anns: map[string]string{as + "scale-down-delay": "-1s"}, want: []string{as + "scale-down-delay"}},
	{name: "scale down delay over an hour", anns: map[string]string{as + "scale-down-delay": "2h"}, want: []string{as + "scale-down-delay"}},
	{name: "scale down delay sub-second", anns: map[string]string{as + "scale-down-delay": "1.5s"}, want: []string{as + "scale-down-delay"}},

	{name: "pod retention", anns: map[string]string{as + "scale-to-zero-pod-retention-period": "1m30s"}},
	{name: "pod retention negative", anns: map[string]string{as + "scale-to-zero-pod-retention-period": "-1m"}, want: []string{as + "scale-to-zero-pod-retention-period"}},
	{name: "pod retention garbage", anns: map[string]string{as + "scaleToZeroPodRetentionPeriod": "soon"}, want: []string{as + "scaleToZeroPodRetentionPeriod"}},

	{name: "metric rps with default class", anns: map[string]string{as + "metric": "rps"}},
	{name: "metric concurrency with kpa", anns: map[string]string{as + "class": "kpa.autoscaling.knative.dev", as + "metric": "concurrency"}},
	{name: "metric cpu needs hpa", anns: map[string]string{as + "metric": "cpu"}, want: []string{as + "metric"}},
	{name: "metric memory with kpa", anns: map[string]string{as + "class": "kpa.autoscaling.knative.dev", as + "metric": "memory"}, want: []string{as + "metric"}},
	{name: "hpa needs a metric", anns: map[string]string{as + "class": "hpa.autoscaling.knative.dev", as + "metric": ""}, want: []string{as + "metric"}},

	{name: "algorithm with kpa", anns: map[string]string{as + "class": "kpa.autoscaling.knative.dev", as + "metric-aggregation-algorithm": "weighted-exponential"}},
	{name: "algorithm bogus with kpa", anns: map[string]string{as + "class": "kpa.autoscaling.knative.dev", as + "metricAggregationAlgorithm": "median"}, want: []string{as + "metricAggregationAlgorithm"}},
	{name: "algorithm ignored without explicit class", anns: map[string]string{as + "metric-aggregation-algorithm": "median"}},

	{name: "several errors", anns: map[string]string{as + "window": "1s", as + "target": "0", as + "initial-scale": "0"}, want: []string{as + "window", as + "target", as + "initial-scale"}},
}

func TestRevisionAutoscalingAnnotations(t *testing.T) {
	for _, tc := range autoscalingCases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRevision()
			r.Annotations = tc.anns
			expectPaths(t, validation.ValidateRevision(r), annotationPaths("metadata.annotations", tc.want)...)
		})
	}
}

func TestTemplateAutoscalingAnnotations(t *testing.T) {
	for _, tc := range autoscalingCases {
		t.Run(tc.name, func(t *testing.T) {
			s := newService()
			s.Spec.Template.Annotations = tc.anns
			want := annotationPaths("spec.template.metadata.annotations", tc.want)
			expectPaths(t, validation.ValidateService(s), want...)

			c := newConfiguration()
			c.Spec.Template.Annotations = tc.anns
			expectPaths(t, validation.ValidateConfiguration(c), want...)
		})
	}
}

func annotationPaths(prefix string, keys []string) []string {
	paths := make([]string, 0, len(keys))
	for _, k := range keys {
		paths = append(paths, prefix+"["+k+"]")
	}
	sort.Strings(paths)
	return paths
}

func TestTemplateOnlyAnnotations(t *testing.T) {
	const qs = "queue.sidecar.serving.knative.dev/"
	cases := []struct {
		name string
		anns map[string]string
		want []string
	}{
		{name: "networking annotations", anns: map[string]string{
			"networking.knative.dev/ingress.class":               "kourier.ingress.networking.knative.dev",
			"networking.knative.dev/certificate-class":           "cert-manager.certificate.networking.knative.dev",
			"networking.knative.dev/disable-auto-tls":            "true",
			"networking.knative.dev/http-protocol":               "redirected",
			"networking.knative.dev/disable-external-domain-tls": "true",
		}},
		{name: "unknown networking annotation", anns: map[string]string{"networking.knative.dev/ingress-klass": "x"}, want: []string{"networking.knative.dev/ingress-klass"}},
		{name: "other domains untouched", anns: map[string]string{"example.com/networking.knative.dev": "x"}},

		{name: "queue resources", anns: map[string]string{qs + "cpu-resource-request": "100m", qs + "memory-resource-limit": "128Mi", qs + "resource-percentage": "20"}},
		{name: "queue cpu not a quantity", anns: map[string]string{qs + "cpu-resource-limit": "lots"}, want: []string{qs + "cpu-resource-limit"}},
		{name: "queue ephemeral storage not a quantity", anns: map[string]string{qs + "ephemeral-storage-resource-request": "1 GB"}, want: []string{qs + "ephemeral-storage-resource-request"}},
		{name: "queue percentage too low", anns: map[string]string{qs + "resource-percentage": "0.05"}, want: []string{qs + "resource-percentage"}},
		{name: "queue percentage too high", anns: map[string]string{qs + "resourcePercentage": "101"}, want: []string{qs + "resourcePercentage"}},

		{name: "progress deadline", anns: map[string]string{"serving.knative.dev/progress-deadline": "10m"}},
		{name: "progress deadline empty", anns: map[string]string{"serving.knative.dev/progress-deadline": ""}},
		{name: "progress deadline sub-second", anns: map[string]string{"serving.knative.dev/progress-deadline": "1.5s"}, want: []string{"serving.knative.dev/progress-deadline"}},
		{name: "progress deadline negative", anns: map[string]string{"serving.knative.dev/progress-deadline": "-1m"}, want: []string{"serving.knative.dev/progress-deadline"}},
		{name: "progress deadline garbage", anns: map[string]string{"serving.knative.dev/progress-deadline": "ten"}, want: []string{"serving.knative.dev/progress-deadline"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newService()
			s.Spec.Template.Annotations = tc.anns
			expectPaths(t, validation.ValidateService(s), annotationPaths("spec.template.metadata.annotations", tc.want)...)

			// A Revision's own metadata is only checked for autoscaling.
			r := newRevision()
			r.Annotations = tc.anns
			expectPaths(t, validation.ValidateRevision(r))
		})
	}
}

func TestAutoscalingAnnotationsOnParents(t *testing.T) {
	anns := map[string]string{as + "window": "1s", as + "max-scale": "3"}
	want := []string{"metadata.annotations[" + as + "max-scale]", "metadata.annotations[" + as + "window]"}

	s := newService()
	s.Annotations = anns
	expectPaths(t, validation.ValidateService(s), want...)

	c := newConfiguration()
	c.Annotations = anns
	expectPaths(t, validation.ValidateConfiguration(c), want...)

	r := newRoute()
	r.Annotations = anns
	expectPaths(t, validation.ValidateRoute(r), want...)

	// The same annotations are not autoscaling ones outside that group.
	s.Annotations = map[string]string{"example.com/" + strings.TrimSuffix(as, "/"): "x"}
	expectPaths(t, validation.ValidateService(s))
}
