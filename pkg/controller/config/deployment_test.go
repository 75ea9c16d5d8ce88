package config

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/sets"
)

func TestDeployment(t *testing.T) {
	cases := []struct {
		name string
		data map[string]string
		want func(*Deployment)
	}{
		{name: "no data", want: func(*Deployment) {}},
		{name: "example and unknown keys ignored", data: map[string]string{ExampleKey: "progress-deadline: never", "concurrency-state-endpoint": "x"},
			want: func(*Deployment) {}},
		{name: "every key", data: map[string]string{
			"queue-sidecar-image":                     "registry.example/queue:v1",
			"progress-deadline":                       "120s",
			"digest-resolution-timeout":               "20s",
			"registries-skipping-tag-resolving":       "knap.local, ko.local,,",
			"queue-sidecar-cpu-request":               "50m",
			"queue-sidecar-cpu-limit":                 "1",
			"queue-sidecar-memory-request":            "64Mi",
			"queue-sidecar-memory-limit":              "128Mi",
			"queue-sidecar-ephemeral-storage-request": "512Mi",
			"queue-sidecar-ephemeral-storage-limit":   "1Gi",
			"queue-sidecar-token-audiences":           "service-x,service-y",
			"queue-sidecar-rootca":                    "-----BEGIN CERTIFICATE-----",
			"queue-sidecar-tls-min-version":           "1.2",
			"queue-sidecar-tls-max-version":           "1.3",
			"queue-sidecar-tls-cipher-suites":         "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
			"queue-sidecar-tls-curve-preferences":     "X25519,CurveP256",
			"default-affinity-type":                   "none",
			"runtime-class-name":                      "kata: {}\ngvisor:\n  selector:\n    sandbox: \"true\"\n",
			"pod-is-always-schedulable":               "true",
		}, want: func(d *Deployment) {
			d.QueueSidecarImage = "registry.example/queue:v1"
			d.ProgressDeadline, d.DigestResolutionTimeout = 120*time.Second, 20*time.Second
			d.RegistriesSkippingTagResolving = sets.New("knap.local", "ko.local")
			d.QueueSidecarCPURequest, d.QueueSidecarCPULimit = mustQuantity("50m"), mustQuantity("1")
			d.QueueSidecarMemoryRequest, d.QueueSidecarMemoryLimit = mustQuantity("64Mi"), mustQuantity("128Mi")
			d.QueueSidecarEphemeralStorageRequest, d.QueueSidecarEphemeralStorageLimit = mustQuantity("512Mi"), mustQuantity("1Gi")
			d.QueueSidecarTokenAudiences = sets.New("service-x", "service-y")
			d.QueueSidecarRootCA = "-----BEGIN CERTIFICATE-----"
			d.QueueSidecarTLSMinVersion, d.QueueSidecarTLSMaxVersion = "1.2", "1.3"
			d.QueueSidecarTLSCipherSuites = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
			d.QueueSidecarTLSCurvePreferences = "X25519,CurveP256"
			d.DefaultAffinityType = AffinityNone
			d.RuntimeClassNames = map[string]RuntimeClassSelector{
				"kata": {}, "gvisor": {Selector: map[string]string{"sandbox": "true"}}}
			d.PodIsAlwaysSchedulable = true
		}},
		{name: "legacy keys", data: map[string]string{
			"queueSidecarImage":                   "legacy/queue:v0",
			"progressDeadline":                    "60s",
			"digestResolutionTimeout":             "5s",
			"registriesSkippingTagResolving":      "old.local",
			"queueSidecarCPURequest":              "10m",
			"queueSidecarCPULimit":                "100m",
			"queueSidecarMemoryRequest":           "10Mi",
			"queueSidecarMemoryLimit":             "20Mi",
			"queueSidecarEphemeralStorageRequest": "1Mi",
			"queueSidecarEphemeralStorageLimit":   "2Mi",
		}, want: func(d *Deployment) {
			d.QueueSidecarImage = "legacy/queue:v0"
			d.ProgressDeadline, d.DigestResolutionTimeout = time.Minute, 5*time.Second
			d.RegistriesSkippingTagResolving = sets.New("old.local")
			d.QueueSidecarCPURequest, d.QueueSidecarCPULimit = mustQuantity("10m"), mustQuantity("100m")
			d.QueueSidecarMemoryRequest, d.QueueSidecarMemoryLimit = mustQuantity("10Mi"), mustQuantity("20Mi")
			d.QueueSidecarEphemeralStorageRequest, d.QueueSidecarEphemeralStorageLimit = mustQuantity("1Mi"), mustQuantity("2Mi")
		}},
		{name: "current keys win over legacy ones", data: map[string]string{
			"queueSidecarImage": "legacy/queue:v0", "queue-sidecar-image": "new/queue:v1",
			"progressDeadline": "60s", "progress-deadline": "90s"},
			want: func(d *Deployment) { d.QueueSidecarImage, d.ProgressDeadline = "new/queue:v1", 90*time.Second }},
		{name: "empty audiences and registries", data: map[string]string{"queue-sidecar-token-audiences": "", "registries-skipping-tag-resolving": ""},
			want: func(d *Deployment) { d.RegistriesSkippingTagResolving = sets.New[string]() }},
		{name: "affinity default spelled out", data: map[string]string{"default-affinity-type": "prefer-spread-revision-over-nodes"},
			want: func(*Deployment) {}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := defaultDeployment()
			c.want(want)
			got, err := NewDeploymentFromConfigMap(&corev1.ConfigMap{Data: c.data})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeploymentRefused(t *testing.T) {
	for _, c := range []errCase{
		{"empty image", map[string]string{"queue-sidecar-image": ""}, "queue-sidecar-image", ""},
		{"empty legacy image", map[string]string{"queueSidecarImage": ""}, "queueSidecarImage", ""},
		{"progress-deadline", map[string]string{"progress-deadline": "10 minutes"}, "progress-deadline", "10 minutes"},
		{"progress-deadline 0", map[string]string{"progress-deadline": "0s"}, "progress-deadline", "0s"},
		{"negative progress-deadline", map[string]string{"progress-deadline": "-1s"}, "progress-deadline", "-1s"},
		{"sub-second progress-deadline", map[string]string{"progress-deadline": "1500ms"}, "progress-deadline", "1500ms"},
		{"legacy progressDeadline", map[string]string{"progressDeadline": "0s"}, "progressDeadline", "0s"},
		{"digest-resolution-timeout", map[string]string{"digest-resolution-timeout": "x"}, "digest-resolution-timeout", "x"},
		{"digest-resolution-timeout 0", map[string]string{"digest-resolution-timeout": "0s"}, "digest-resolution-timeout", "0s"},
		{"queue-sidecar-cpu-request", map[string]string{"queue-sidecar-cpu-request": "x"}, "queue-sidecar-cpu-request", "x"},
		{"queue-sidecar-cpu-limit", map[string]string{"queue-sidecar-cpu-limit": "x"}, "queue-sidecar-cpu-limit", "x"},
		{"queue-sidecar-memory-request", map[string]string{"queue-sidecar-memory-request": "x"}, "queue-sidecar-memory-request", "x"},
		{"queue-sidecar-memory-limit", map[string]string{"queue-sidecar-memory-limit": "x"}, "queue-sidecar-memory-limit", "x"},
		{"queue-sidecar-ephemeral-storage-request", map[string]string{"queue-sidecar-ephemeral-storage-request": "x"}, "queue-sidecar-ephemeral-storage-request", "x"},
		{"queue-sidecar-ephemeral-storage-limit", map[string]string{"queue-sidecar-ephemeral-storage-limit": "x"}, "queue-sidecar-ephemeral-storage-limit", "x"},
		{"legacy quantity", map[string]string{"queueSidecarMemoryLimit": "x"}, "queueSidecarMemoryLimit", "x"},
		{"legacy duration", map[string]string{"digestResolutionTimeout": "x"}, "digestResolutionTimeout", "x"},
		{"default-affinity-type", map[string]string{"default-affinity-type": "spread"}, "default-affinity-type", "spread"},
		{"pod-is-always-schedulable", map[string]string{"pod-is-always-schedulable": "sure"}, "pod-is-always-schedulable", "sure"},
		{"runtime-class-name yaml", map[string]string{"runtime-class-name": "kata"}, "runtime-class-name", "kata"},
		{"runtime-class-name class", map[string]string{"runtime-class-name": "Not_A_Name: {}"}, "runtime-class-name", "Not_A_Name: {}"},
		{"runtime-class-name selector", map[string]string{"runtime-class-name": "kata:\n  selector:\n    \"bad key!\": x\n"},
			"runtime-class-name", "kata:\n  selector:\n    \"bad key!\": x\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewDeploymentFromMap(c.data)
			wantKeyError(t, err, c.key, c.value)
		})
	}
}

func TestPodRuntimeClassName(t *testing.T) {
	d, err := NewDeploymentFromMap(map[string]string{"runtime-class-name": `
gvisor:
  selector:
    sandbox: "true"
kata:
  selector:
    sandbox: "true"
    vm: "true"
runc: {}
`})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		labels map[string]string
		want   string
	}{
		{nil, "runc"},
		{map[string]string{"sandbox": "true"}, "gvisor"},
		{map[string]string{"sandbox": "true", "vm": "true"}, "kata"},
		{map[string]string{"vm": "true"}, "runc"},
	} {
		if got := d.PodRuntimeClassName(c.labels); got != c.want {
			t.Errorf("PodRuntimeClassName(%v) = %q, want %q", c.labels, got, c.want)
		}
	}
	if got := DefaultConfig().Deployment.PodRuntimeClassName(map[string]string{"a": "b"}); got != "" {
		t.Errorf("default PodRuntimeClassName = %q, want none", got)
	}
}
