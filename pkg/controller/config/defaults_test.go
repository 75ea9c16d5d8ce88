package config

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// wantKeyError checks err refuses key's value: a *KeyError naming both.
func wantKeyError(t *testing.T, err error, key, value string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one naming key %q and value %q", key, value)
	}
	var ke *KeyError
	if !errors.As(err, &ke) {
		t.Fatalf("error %q (%T) is not a *KeyError", err, err)
	}
	if ke.Key != key || ke.Value != value {
		t.Errorf("error %q names key %q value %q; want key %q value %q", err, ke.Key, ke.Value, key, value)
	}
	if msg := err.Error(); !strings.Contains(msg, key) || !strings.Contains(msg, strconv.Quote(value)) {
		t.Errorf("error message %q lacks the key %q or the quoted value %q", msg, key, value)
	}
}

// errCase is a ConfigMap a parser must refuse, and the key and value the
// error must name.
type errCase struct {
	name       string
	data       map[string]string
	key, value string
}

func boolPtr(b bool) *bool { return &b }

func TestDefaults(t *testing.T) {
	cases := []struct {
		name string
		data map[string]string
		want func(*Defaults)
	}{
		{name: "no data", data: nil, want: func(*Defaults) {}},
		{name: "example and unknown keys ignored", data: map[string]string{
			ExampleKey: "revision-timeout-seconds: \"oops\"", "no-such-key": "whatever"}, want: func(*Defaults) {}},
		{name: "revision-timeout-seconds", data: map[string]string{"revision-timeout-seconds": "123"},
			want: func(d *Defaults) { d.RevisionTimeoutSeconds, d.RevisionResponseStartTimeoutSeconds = 123, 123 }},
		{name: "max-revision-timeout-seconds", data: map[string]string{"max-revision-timeout-seconds": "900"},
			want: func(d *Defaults) { d.MaxRevisionTimeoutSeconds = 900 }},
		{name: "revision-response-start-timeout-seconds", data: map[string]string{"revision-response-start-timeout-seconds": "60"},
			want: func(d *Defaults) { d.RevisionResponseStartTimeoutSeconds = 60 }},
		{name: "revision-idle-timeout-seconds", data: map[string]string{"revision-idle-timeout-seconds": "30"},
			want: func(d *Defaults) { d.RevisionIdleTimeoutSeconds = 30 }},
		{name: "resources", data: map[string]string{
			"revision-cpu-request": "123m", "revision-memory-request": "100M", "revision-ephemeral-storage-request": "500M",
			"revision-cpu-limit": "1", "revision-memory-limit": "200Mi", "revision-ephemeral-storage-limit": "1Gi"},
			want: func(d *Defaults) {
				d.RevisionCPURequest, d.RevisionMemoryRequest = mustQuantity("123m"), mustQuantity("100M")
				d.RevisionEphemeralStorageRequest, d.RevisionCPULimit = mustQuantity("500M"), mustQuantity("1")
				d.RevisionMemoryLimit, d.RevisionEphemeralStorageLimit = mustQuantity("200Mi"), mustQuantity("1Gi")
			}},
		{name: "templates", data: map[string]string{"container-name-template": "{{.Name}}", "init-container-name-template": "init-{{.Name}}"},
			want: func(d *Defaults) {
				d.UserContainerNameTemplate, d.InitContainerNameTemplate = mustNameTemplate("{{.Name}}"), mustNameTemplate("init-{{.Name}}")
			}},
		{name: "container-concurrency", data: map[string]string{"container-concurrency": "10"},
			want: func(d *Defaults) { d.ContainerConcurrency = 10 }},
		{name: "container-concurrency-max-limit", data: map[string]string{"container-concurrency-max-limit": "1984", "container-concurrency": "1984"},
			want: func(d *Defaults) { d.ContainerConcurrencyMaxLimit, d.ContainerConcurrency = 1984, 1984 }},
		{name: "allow-container-concurrency-zero", data: map[string]string{"allow-container-concurrency-zero": "false"},
			want: func(d *Defaults) { d.AllowContainerConcurrencyZero = false }},
		{name: "enable-service-links true", data: map[string]string{"enable-service-links": "TRUE"},
			want: func(d *Defaults) { d.EnableServiceLinks = boolPtr(true) }},
		{name: "enable-service-links false", data: map[string]string{"enable-service-links": "false"},
			want: func(d *Defaults) { d.EnableServiceLinks = boolPtr(false) }},
		{name: "enable-service-links default", data: map[string]string{"enable-service-links": "default"},
			want: func(d *Defaults) { d.EnableServiceLinks = nil }},
		{name: "response-start 0 is not bounded", data: map[string]string{"revision-timeout-seconds": "10", "revision-response-start-timeout-seconds": "0"},
			want: func(d *Defaults) { d.RevisionTimeoutSeconds, d.RevisionResponseStartTimeoutSeconds = 10, 0 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := defaultDefaults()
			c.want(want)
			got, err := NewDefaultsFromConfigMap(&corev1.ConfigMap{Data: c.data})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDefaultsRefused(t *testing.T) {
	cases := []errCase{
		{"revision-timeout-seconds", map[string]string{"revision-timeout-seconds": "asdf"}, "revision-timeout-seconds", "asdf"},
		{"max-revision-timeout-seconds", map[string]string{"max-revision-timeout-seconds": "1.5"}, "max-revision-timeout-seconds", "1.5"},
		{"revision-response-start-timeout-seconds", map[string]string{"revision-response-start-timeout-seconds": "x"}, "revision-response-start-timeout-seconds", "x"},
		{"revision-idle-timeout-seconds", map[string]string{"revision-idle-timeout-seconds": "asdf"}, "revision-idle-timeout-seconds", "asdf"},
		{"revision-cpu-request", map[string]string{"revision-cpu-request": "bad"}, "revision-cpu-request", "bad"},
		{"revision-memory-request", map[string]string{"revision-memory-request": "1Q"}, "revision-memory-request", "1Q"},
		{"revision-ephemeral-storage-request", map[string]string{"revision-ephemeral-storage-request": "x"}, "revision-ephemeral-storage-request", "x"},
		{"revision-cpu-limit", map[string]string{"revision-cpu-limit": "1.2.3"}, "revision-cpu-limit", "1.2.3"},
		{"revision-memory-limit", map[string]string{"revision-memory-limit": "lots"}, "revision-memory-limit", "lots"},
		{"revision-ephemeral-storage-limit", map[string]string{"revision-ephemeral-storage-limit": "1 Gi"}, "revision-ephemeral-storage-limit", "1 Gi"},
		{"container-name-template syntax", map[string]string{"container-name-template": "{{animals-being-bros]]"}, "container-name-template", "{{animals-being-bros]]"},
		{"container-name-template field", map[string]string{"container-name-template": "{{.NAme}}"}, "container-name-template", "{{.NAme}}"},
		{"init-container-name-template", map[string]string{"init-container-name-template": "{{.Nope}}"}, "init-container-name-template", "{{.Nope}}"},
		{"container-concurrency", map[string]string{"container-concurrency": "many"}, "container-concurrency", "many"},
		{"container-concurrency-max-limit", map[string]string{"container-concurrency-max-limit": "x"}, "container-concurrency-max-limit", "x"},
		{"allow-container-concurrency-zero", map[string]string{"allow-container-concurrency-zero": "invalid"}, "allow-container-concurrency-zero", "invalid"},
		{"timeout above max", map[string]string{"revision-timeout-seconds": "456", "max-revision-timeout-seconds": "123"}, "revision-timeout-seconds", "456"},
		{"default timeout above a lowered max", map[string]string{"max-revision-timeout-seconds": "100"}, "revision-timeout-seconds", "300"},
		{"response start above timeout", map[string]string{"revision-timeout-seconds": "123", "revision-response-start-timeout-seconds": "456"}, "revision-response-start-timeout-seconds", "456"},
		{"idle above timeout", map[string]string{"revision-timeout-seconds": "123", "revision-idle-timeout-seconds": "456"}, "revision-idle-timeout-seconds", "456"},
		{"max limit 0", map[string]string{"container-concurrency-max-limit": "0"}, "container-concurrency-max-limit", "0"},
		{"concurrency above default max", map[string]string{"container-concurrency": "2000"}, "container-concurrency", "2000"},
		{"concurrency above set max", map[string]string{"container-concurrency": "11", "container-concurrency-max-limit": "10"}, "container-concurrency", "11"},
		{"negative concurrency", map[string]string{"container-concurrency": "-1"}, "container-concurrency", "-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := NewDefaultsFromMap(c.data)
			if got != nil {
				t.Errorf("got %+v with the error", got)
			}
			wantKeyError(t, err, c.key, c.value)
		})
	}
}

func TestContainerNames(t *testing.T) {
	d, err := NewDefaultsFromMap(map[string]string{
		"container-name-template":      "{{.Namespace}}-of-the-galaxy",
		"init-container-name-template": "{{.Name}}-init",
	})
	if err != nil {
		t.Fatal(err)
	}
	parent := metav1.ObjectMeta{Name: "i-am-groot", Namespace: "guardians"}
	if got, want := d.UserContainerName(parent), "guardians-of-the-galaxy"; got != want {
		t.Errorf("UserContainerName = %q, want %q", got, want)
	}
	if got, want := d.InitContainerName(parent), "i-am-groot-init"; got != want {
		t.Errorf("InitContainerName = %q, want %q", got, want)
	}
	def := DefaultConfig().Defaults
	if got := def.UserContainerName(parent); got != DefaultUserContainerName {
		t.Errorf("default UserContainerName = %q", got)
	}
	if got := def.InitContainerName(parent); got != DefaultInitContainerName {
		t.Errorf("default InitContainerName = %q", got)
	}
}
