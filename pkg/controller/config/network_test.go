package config

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

func TestNetwork(t *testing.T) {
	cases := []struct {
		name string
		data map[string]string
		want time.Duration
	}{
		{name: "no data", want: 0},
		{name: "example and unknown keys ignored", data: map[string]string{ExampleKey: "rollout-duration: x", "ingress-class": "kourier"}, want: 0},
		{name: "seconds", data: map[string]string{"rollout-duration": "211"}, want: 211 * time.Second},
		{name: "zero", data: map[string]string{"rollout-duration": "0"}, want: 0},
		{name: "legacy key", data: map[string]string{"rolloutDuration": "60"}, want: time.Minute},
		{name: "current key wins over the legacy one", data: map[string]string{"rolloutDuration": "60", "rollout-duration": "120"}, want: 2 * time.Minute},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := NewNetworkFromConfigMap(&corev1.ConfigMap{Data: c.data})
			if err != nil {
				t.Fatal(err)
			}
			if got.RolloutDuration != c.want {
				t.Errorf("RolloutDuration = %v, want %v", got.RolloutDuration, c.want)
			}
		})
	}
}

func TestNetworkRefused(t *testing.T) {
	for _, c := range []errCase{
		{"a word", map[string]string{"rollout-duration": "mil novecientos ochenta y dos"}, "rollout-duration", "mil novecientos ochenta y dos"},
		// Knative reads an integer: a Go duration is refused, as there.
		{"a duration", map[string]string{"rollout-duration": "60s"}, "rollout-duration", "60s"},
		{"empty", map[string]string{"rollout-duration": ""}, "rollout-duration", ""},
		{"negative", map[string]string{"rollout-duration": "-444"}, "rollout-duration", "-444"},
		{"fraction", map[string]string{"rollout-duration": "1.5"}, "rollout-duration", "1.5"},
		{"beyond a Duration", map[string]string{"rollout-duration": "9223372037"}, "rollout-duration", "9223372037"},
		{"beyond int64", map[string]string{"rollout-duration": "99999999999999999999"}, "rollout-duration", "99999999999999999999"},
		{"bad legacy key", map[string]string{"rolloutDuration": "soon", "rollout-duration": "10"}, "rolloutDuration", "soon"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewNetworkFromMap(c.data)
			wantKeyError(t, err, c.key, c.value)
		})
	}
}
