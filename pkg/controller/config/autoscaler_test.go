package config

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
)

func TestAutoscaler(t *testing.T) {
	cases := []struct {
		name string
		data map[string]string
		want func(*Autoscaler)
	}{
		{name: "no data", want: func(*Autoscaler) {}},
		{name: "example and unknown keys ignored", data: map[string]string{ExampleKey: "stable-window: nope", "foo": "bar"},
			want: func(*Autoscaler) {}},
		{name: "every key", data: map[string]string{
			"pod-autoscaler-class":                    ClassHPA,
			"enable-scale-to-zero":                    "false",
			"allow-zero-initial-scale":                "true",
			"max-scale-up-rate":                       "1.5",
			"max-scale-down-rate":                     "3",
			"container-concurrency-target-percentage": "50",
			"container-concurrency-target-default":    "10.5",
			"requests-per-second-target-default":      "33",
			"target-burst-capacity":                   "-1",
			"panic-window-percentage":                 "20",
			"activator-capacity":                      "250",
			"panic-threshold-percentage":              "150",
			"initial-scale":                           "0",
			"min-scale":                               "2",
			"max-scale":                               "8",
			"max-scale-limit":                         "10",
			"stable-window":                           "2m",
			"scale-down-delay":                        "15s",
			"scale-to-zero-grace-period":              "45s",
			"scale-to-zero-pod-retention-period":      "1m30s",
		}, want: func(a *Autoscaler) {
			a.PodAutoscalerClass = ClassHPA
			a.EnableScaleToZero, a.AllowZeroInitialScale = false, true
			a.MaxScaleUpRate, a.MaxScaleDownRate = 1.5, 3
			a.ContainerConcurrencyTargetFraction, a.ContainerConcurrencyTargetDefault = 0.5, 10.5
			a.RPSTargetDefault, a.TargetBurstCapacity = 33, -1
			a.PanicWindowPercentage, a.ActivatorCapacity, a.PanicThresholdPercentage = 20, 250, 150
			a.InitialScale, a.MinScale, a.MaxScale, a.MaxScaleLimit = 0, 2, 8, 10
			a.StableWindow, a.ScaleDownDelay = 2*time.Minute, 15*time.Second
			a.ScaleToZeroGracePeriod, a.ScaleToZeroPodRetentionPeriod = 45*time.Second, 90*time.Second
		}},
		{name: "percentage as a fraction", data: map[string]string{"container-concurrency-target-percentage": "0.9"},
			want: func(a *Autoscaler) { a.ContainerConcurrencyTargetFraction = 0.9 }},
		{name: "percentage 100", data: map[string]string{"container-concurrency-target-percentage": "100"},
			want: func(a *Autoscaler) { a.ContainerConcurrencyTargetFraction = 1 }},
		{name: "target burst capacity 0", data: map[string]string{"target-burst-capacity": "0"},
			want: func(a *Autoscaler) { a.TargetBurstCapacity = 0 }},
		{name: "stable window bounds", data: map[string]string{"stable-window": "6s"},
			want: func(a *Autoscaler) { a.StableWindow = 6 * time.Second }},
		{name: "unbounded scale-up rate", data: map[string]string{"max-scale-up-rate": "+Inf"},
			want: func(a *Autoscaler) { a.MaxScaleUpRate = math.Inf(1) }},
		{name: "min above unbounded max", data: map[string]string{"min-scale": "5"},
			want: func(a *Autoscaler) { a.MinScale = 5 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := defaultAutoscaler()
			c.want(want)
			got, err := NewAutoscalerFromConfigMap(&corev1.ConfigMap{Data: c.data})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestAutoscalerRefused(t *testing.T) {
	m := func(kv ...string) map[string]string {
		out := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	for _, c := range []errCase{
		// Values that do not parse.
		{"enable-scale-to-zero", m("enable-scale-to-zero", "yes"), "enable-scale-to-zero", "yes"},
		{"allow-zero-initial-scale", m("allow-zero-initial-scale", "nope"), "allow-zero-initial-scale", "nope"},
		{"max-scale-up-rate", m("max-scale-up-rate", "fast"), "max-scale-up-rate", "fast"},
		{"max-scale-down-rate", m("max-scale-down-rate", "slow"), "max-scale-down-rate", "slow"},
		{"percentage", m("container-concurrency-target-percentage", "70%"), "container-concurrency-target-percentage", "70%"},
		{"target default", m("container-concurrency-target-default", "x"), "container-concurrency-target-default", "x"},
		{"rps default", m("requests-per-second-target-default", "x"), "requests-per-second-target-default", "x"},
		{"target-burst-capacity", m("target-burst-capacity", "lots"), "target-burst-capacity", "lots"},
		{"panic-window-percentage", m("panic-window-percentage", "NaN"), "panic-window-percentage", "NaN"},
		{"activator-capacity", m("activator-capacity", "1e"), "activator-capacity", "1e"},
		{"panic-threshold-percentage", m("panic-threshold-percentage", "two hundred"), "panic-threshold-percentage", "two hundred"},
		{"initial-scale", m("initial-scale", "1.5"), "initial-scale", "1.5"},
		{"min-scale", m("min-scale", "x"), "min-scale", "x"},
		{"max-scale 32 bits", m("max-scale", "3000000000"), "max-scale", "3000000000"},
		{"max-scale-limit", m("max-scale-limit", "x"), "max-scale-limit", "x"},
		{"stable-window", m("stable-window", "60"), "stable-window", "60"},
		{"scale-down-delay", m("scale-down-delay", "soon"), "scale-down-delay", "soon"},
		{"scale-to-zero-grace-period", m("scale-to-zero-grace-period", "x"), "scale-to-zero-grace-period", "x"},
		{"scale-to-zero-pod-retention-period", m("scale-to-zero-pod-retention-period", "x"), "scale-to-zero-pod-retention-period", "x"},
		// Values out of range.
		{"grace period 0", m("scale-to-zero-grace-period", "0s"), "scale-to-zero-grace-period", "0s"},
		{"negative scale-down-delay", m("scale-down-delay", "-1s"), "scale-down-delay", "-1s"},
		{"sub-second scale-down-delay", m("scale-down-delay", "1.5s"), "scale-down-delay", "1.5s"},
		{"negative retention", m("scale-to-zero-pod-retention-period", "-1s"), "scale-to-zero-pod-retention-period", "-1s"},
		{"burst -2", m("target-burst-capacity", "-2"), "target-burst-capacity", "-2"},
		{"percentage 0", m("container-concurrency-target-percentage", "0"), "container-concurrency-target-percentage", "0"},
		{"percentage 101", m("container-concurrency-target-percentage", "101"), "container-concurrency-target-percentage", "101"},
		{"target below min", m("container-concurrency-target-default", "0.01", "container-concurrency-target-percentage", "50"),
			"container-concurrency-target-default", "0.01"},
		{"rps below min", m("requests-per-second-target-default", "0.001"), "requests-per-second-target-default", "0.001"},
		{"activator-capacity 0.5", m("activator-capacity", "0.5"), "activator-capacity", "0.5"},
		{"scale-up rate 1", m("max-scale-up-rate", "1"), "max-scale-up-rate", "1"},
		{"scale-down rate 1", m("max-scale-down-rate", "1.0"), "max-scale-down-rate", "1.0"},
		{"stable window 5s", m("stable-window", "5s"), "stable-window", "5s"},
		{"stable window 2h", m("stable-window", "2h"), "stable-window", "2h"},
		{"sub-second stable window", m("stable-window", "6500ms"), "stable-window", "6500ms"},
		{"panic window 0.5", m("panic-window-percentage", "0.5"), "panic-window-percentage", "0.5"},
		{"panic window 101", m("panic-window-percentage", "101"), "panic-window-percentage", "101"},
		{"initial scale 0 not allowed", m("initial-scale", "0"), "initial-scale", "0"},
		{"initial scale -1", m("initial-scale", "-1", "allow-zero-initial-scale", "true"), "initial-scale", "-1"},
		{"min-scale -1", m("min-scale", "-1"), "min-scale", "-1"},
		{"max-scale -1", m("max-scale", "-1"), "max-scale", "-1"},
		{"max-scale unbounded under a limit", m("max-scale-limit", "10"), "max-scale", "0"},
		{"max-scale above the limit", m("max-scale-limit", "10", "max-scale", "11"), "max-scale", "11"},
		{"max-scale-limit -1", m("max-scale-limit", "-1"), "max-scale-limit", "-1"},
		{"min above max", m("min-scale", "5", "max-scale", "4"), "min-scale", "5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewAutoscalerFromMap(c.data)
			wantKeyError(t, err, c.key, c.value)
		})
	}
}
