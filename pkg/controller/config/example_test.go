package config

import (
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// knownKeys are the keys each ConfigMap understands (config-domain's keys
// are domains). The _example test checks each is documented.
var knownKeys = map[string][]string{
	DefaultsConfigName: {
		"revision-timeout-seconds", "max-revision-timeout-seconds",
		"revision-response-start-timeout-seconds", "revision-idle-timeout-seconds",
		"revision-cpu-request", "revision-memory-request", "revision-ephemeral-storage-request",
		"revision-cpu-limit", "revision-memory-limit", "revision-ephemeral-storage-limit",
		"container-name-template", "init-container-name-template",
		"container-concurrency", "container-concurrency-max-limit", "allow-container-concurrency-zero",
		"enable-service-links",
	},
	DomainConfigName: {},
	AutoscalerConfigName: {
		"container-concurrency-target-percentage", "container-concurrency-target-default",
		"requests-per-second-target-default", "target-burst-capacity", "stable-window",
		"panic-window-percentage", "panic-threshold-percentage", "max-scale-up-rate", "max-scale-down-rate",
		"enable-scale-to-zero", "scale-to-zero-grace-period", "scale-to-zero-pod-retention-period",
		"pod-autoscaler-class", "activator-capacity", "initial-scale", "allow-zero-initial-scale",
		"min-scale", "max-scale", "scale-down-delay", "max-scale-limit",
	},
	GCConfigName: {
		"retain-since-create-time", "retain-since-last-active-time",
		"min-non-active-revisions", "max-non-active-revisions",
	},
	DeploymentConfigName: {
		"queue-sidecar-image", "registries-skipping-tag-resolving", "digest-resolution-timeout",
		"progress-deadline", "queue-sidecar-cpu-request", "queue-sidecar-cpu-limit",
		"queue-sidecar-memory-request", "queue-sidecar-memory-limit",
		"queue-sidecar-ephemeral-storage-request", "queue-sidecar-ephemeral-storage-limit",
		"queue-sidecar-token-audiences", "queue-sidecar-rootca",
		"queue-sidecar-tls-min-version", "queue-sidecar-tls-max-version",
		"queue-sidecar-tls-cipher-suites", "queue-sidecar-tls-curve-preferences",
		"default-affinity-type", "runtime-class-name", "pod-is-always-schedulable",
		// Knative's legacy keys.
		"queueSidecarImage", "progressDeadline", "digestResolutionTimeout", "registriesSkippingTagResolving",
		"queueSidecarCPURequest", "queueSidecarCPULimit", "queueSidecarMemoryRequest",
		"queueSidecarMemoryLimit", "queueSidecarEphemeralStorageRequest", "queueSidecarEphemeralStorageLimit",
	},
	NetworkConfigName: {"rollout-duration", "rolloutDuration"},
}

// parseAny parses cm with the parser of its name.
func parseAny(cm *corev1.ConfigMap) (any, error) {
	switch cm.Name {
	case DefaultsConfigName:
		return NewDefaultsFromConfigMap(cm)
	case DomainConfigName:
		return NewDomainFromConfigMap(cm)
	case AutoscalerConfigName:
		return NewAutoscalerFromConfigMap(cm)
	case GCConfigName:
		return NewGCFromConfigMap(cm)
	case DeploymentConfigName:
		return NewDeploymentFromConfigMap(cm)
	case NetworkConfigName:
		return NewNetworkFromConfigMap(cm)
	}
	return nil, errors.New("unknown ConfigMap " + cm.Name)
}

func defaultsOf(name string) any {
	c := DefaultConfig()
	return map[string]any{
		DefaultsConfigName: c.Defaults, DomainConfigName: c.Domain, AutoscalerConfigName: c.Autoscaler,
		GCConfigName: c.GC, DeploymentConfigName: c.Deployment, NetworkConfigName: c.Network,
	}[name]
}

func readManifest(t *testing.T) []*corev1.ConfigMap {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "artifacts", "deploy", "40-config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []*corev1.ConfigMap
	dec := utilyaml.NewYAMLOrJSONDecoder(f, 4096)
	for {
		cm := &corev1.ConfigMap{}
		if err := dec.Decode(cm); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if cm.APIVersion != "v1" || cm.Kind != "ConfigMap" {
			t.Fatalf("40-config.yaml holds a %s %s; want only ConfigMaps", cm.APIVersion, cm.Kind)
		}
		out = append(out, cm)
	}
	return out
}

// TestShippedConfigMaps: 40-config.yaml holds the six ConfigMaps in
// knap-system with nothing but _example, so applying it changes nothing,
// and each _example, read as data, gives exactly the defaults and mentions
// every key.
func TestShippedConfigMaps(t *testing.T) {
	var names []string
	for _, cm := range readManifest(t) {
		names = append(names, cm.Name)
		t.Run(cm.Name, func(t *testing.T) {
			if cm.Namespace != "knap-system" {
				t.Errorf("namespace %q, want knap-system", cm.Namespace)
			}
			if len(cm.Data) != 1 || cm.Data[ExampleKey] == "" {
				t.Fatalf("data keys %v; want only a non-empty %s", slices.Sorted(maps.Keys(cm.Data)), ExampleKey)
			}
			shipped, err := parseAny(cm)
			if err != nil {
				t.Fatalf("the shipped ConfigMap is refused: %v", err)
			}
			if diff := cmp.Diff(defaultsOf(cm.Name), shipped); diff != "" {
				t.Errorf("the shipped ConfigMap is not the defaults (-want +got):\n%s", diff)
			}

			example := map[string]string{}
			if err := yaml.UnmarshalStrict([]byte(cm.Data[ExampleKey]), &example); err != nil {
				t.Fatalf("_example is not a map of strings: %v", err)
			}
			got, err := parseAny(&corev1.ConfigMap{ObjectMeta: cm.ObjectMeta, Data: example})
			if err != nil {
				t.Fatalf("_example read as data is refused: %v", err)
			}
			if diff := cmp.Diff(defaultsOf(cm.Name), got); diff != "" {
				t.Errorf("_example does not document the defaults (-want +got):\n%s", diff)
			}

			known := knownKeys[cm.Name]
			for k := range example {
				if cm.Name != DomainConfigName && !slices.Contains(known, k) {
					t.Errorf("_example sets %q, which %s does not understand", k, cm.Name)
				}
			}
			for _, k := range known {
				if !strings.Contains(cm.Data[ExampleKey], k) {
					t.Errorf("_example does not document %q", k)
				}
			}
		})
	}
	want := []string{DefaultsConfigName, DomainConfigName, AutoscalerConfigName, GCConfigName, DeploymentConfigName, NetworkConfigName}
	if !slices.Equal(names, want) {
		t.Errorf("40-config.yaml holds %v; want %v", names, want)
	}
}

// TestKnownKeysParsed checks knownKeys against the parsers: a bad value
// of each key (other than free-form strings) is refused naming that key,
// so a key the parser forgot fails here.
func TestKnownKeysParsed(t *testing.T) {
	freeForm := map[string]bool{
		"pod-autoscaler-class": true, "enable-service-links": true, "queue-sidecar-image": true,
		"queueSidecarImage": true, "registries-skipping-tag-resolving": true, "registriesSkippingTagResolving": true,
		"queue-sidecar-token-audiences": true, "queue-sidecar-rootca": true, "queue-sidecar-tls-min-version": true,
		"queue-sidecar-tls-max-version": true, "queue-sidecar-tls-cipher-suites": true,
		"queue-sidecar-tls-curve-preferences": true,
	}
	for name, keys := range knownKeys {
		for _, k := range keys {
			if freeForm[k] {
				continue
			}
			_, err := parseAny(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name}, Data: map[string]string{k: "{{bad value]]"}})
			var ke *KeyError
			if !errors.As(err, &ke) || ke.Key != k {
				t.Errorf("%s: a bad %s gives %v; want an error naming it", name, k, err)
			}
		}
	}
}
