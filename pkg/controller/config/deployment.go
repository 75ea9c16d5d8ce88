package config

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/sets"
	"sigs.k8s.io/yaml"
)

// DeploymentConfigName is the ConfigMap of how revisions become
// Deployments (Knative's config-deployment).
const DeploymentConfigName = "config-deployment"

const (
	// DefaultQueueSidecarImage is knap's queue sidecar (Knative has no
	// default: its release pins the image into the ConfigMap).
	DefaultQueueSidecarImage = "knap.local/knap-queue:dev"
	// DefaultProgressDeadline matches Kubernetes' Deployment default.
	DefaultProgressDeadline = 600 * time.Second
	// DefaultDigestResolutionTimeout bounds resolving an image tag.
	DefaultDigestResolutionTimeout = 10 * time.Second
	// DefaultQueueSidecarCPURequest is the sidecar's CPU request.
	DefaultQueueSidecarCPURequest = "25m"
)

// AffinityType selects the pod affinity knap adds to revisions.
type AffinityType string

const (
	// AffinityNone adds none.
	AffinityNone AffinityType = "none"
	// AffinityPreferSpreadRevisionOverNodes prefers spreading a revision's
	// pods over nodes (weight 100, topology kubernetes.io/hostname).
	AffinityPreferSpreadRevisionOverNodes AffinityType = "prefer-spread-revision-over-nodes"
)

// RuntimeClassSelector selects the revisions a runtime class applies to:
// those whose labels hold every key with the same value (empty: all).
type RuntimeClassSelector struct {
	Selector map[string]string `json:"selector,omitempty"`
}

// Deployment is config-deployment.
type Deployment struct {
	// QueueSidecarImage is the image of the sidecar in every revision pod.
	QueueSidecarImage string
	// RegistriesSkippingTagResolving are registries whose image tags are
	// not resolved to digests.
	RegistriesSkippingTagResolving sets.Set[string]
	// DigestResolutionTimeout bounds resolving one image's digest.
	DigestResolutionTimeout time.Duration
	// ProgressDeadline is the Deployments' progressDeadlineSeconds: a
	// revision whose Deployment has not progressed for this long fails.
	ProgressDeadline time.Duration

	// Resources of the queue sidecar; nil leaves one unset.
	QueueSidecarCPURequest              *resource.Quantity
	QueueSidecarCPULimit                *resource.Quantity
	QueueSidecarMemoryRequest           *resource.Quantity
	QueueSidecarMemoryLimit             *resource.Quantity
	QueueSidecarEphemeralStorageRequest *resource.Quantity
	QueueSidecarEphemeralStorageLimit   *resource.Quantity

	// QueueSidecarTokenAudiences: the sidecar gets a service account token
	// for each audience.
	QueueSidecarTokenAudiences sets.Set[string]
	// QueueSidecarRootCA is a PEM CA the sidecar trusts in addition.
	QueueSidecarRootCA string

	// TLS settings of the sidecar's server, passed through as written
	// ("1.2", "1.3"; comma-separated Go names); empty: Go's defaults.
	QueueSidecarTLSMinVersion       string
	QueueSidecarTLSMaxVersion       string
	QueueSidecarTLSCipherSuites     string
	QueueSidecarTLSCurvePreferences string

	// DefaultAffinityType is the affinity added to revision pods.
	DefaultAffinityType AffinityType
	// RuntimeClassNames: runtime class → the revisions it applies to.
	RuntimeClassNames map[string]RuntimeClassSelector
	// PodIsAlwaysSchedulable: an unschedulable pod is transient (a cluster
	// autoscaler adds nodes), so it does not fail the revision.
	PodIsAlwaysSchedulable bool
}

func defaultDeployment() *Deployment {
	return &Deployment{
		QueueSidecarImage:              DefaultQueueSidecarImage,
		RegistriesSkippingTagResolving: sets.New("kind.local", "ko.local", "dev.local"),
		DigestResolutionTimeout:        DefaultDigestResolutionTimeout,
		ProgressDeadline:               DefaultProgressDeadline,
		QueueSidecarCPURequest:         mustQuantity(DefaultQueueSidecarCPURequest),
		QueueSidecarTokenAudiences:     sets.New[string](),
		DefaultAffinityType:            AffinityPreferSpreadRevisionOverNodes,
	}
}

// NewDeploymentFromMap parses config-deployment's data, with Knative's
// rules. Knative's legacy camelCase keys (queueSidecarImage,
// progressDeadline, ...) are read too; the current keys win over them.
func NewDeploymentFromMap(data map[string]string) (*Deployment, error) {
	d := defaultDeployment()
	var runtimeClassNames string
	if err := parse(data,
		// Legacy keys first, so the current ones override them.
		asString("queueSidecarImage", &d.QueueSidecarImage),
		asDuration("progressDeadline", &d.ProgressDeadline),
		asDuration("digestResolutionTimeout", &d.DigestResolutionTimeout),
		asStringSet("registriesSkippingTagResolving", &d.RegistriesSkippingTagResolving),
		asQuantity("queueSidecarCPURequest", &d.QueueSidecarCPURequest),
		asQuantity("queueSidecarMemoryRequest", &d.QueueSidecarMemoryRequest),
		asQuantity("queueSidecarEphemeralStorageRequest", &d.QueueSidecarEphemeralStorageRequest),
		asQuantity("queueSidecarCPULimit", &d.QueueSidecarCPULimit),
		asQuantity("queueSidecarMemoryLimit", &d.QueueSidecarMemoryLimit),
		asQuantity("queueSidecarEphemeralStorageLimit", &d.QueueSidecarEphemeralStorageLimit),

		asString("queue-sidecar-image", &d.QueueSidecarImage),
		asDuration("progress-deadline", &d.ProgressDeadline),
		asDuration("digest-resolution-timeout", &d.DigestResolutionTimeout),
		asStringSet("registries-skipping-tag-resolving", &d.RegistriesSkippingTagResolving),
		asQuantity("queue-sidecar-cpu-request", &d.QueueSidecarCPURequest),
		asQuantity("queue-sidecar-memory-request", &d.QueueSidecarMemoryRequest),
		asQuantity("queue-sidecar-ephemeral-storage-request", &d.QueueSidecarEphemeralStorageRequest),
		asQuantity("queue-sidecar-cpu-limit", &d.QueueSidecarCPULimit),
		asQuantity("queue-sidecar-memory-limit", &d.QueueSidecarMemoryLimit),
		asQuantity("queue-sidecar-ephemeral-storage-limit", &d.QueueSidecarEphemeralStorageLimit),

		asStringSet("queue-sidecar-token-audiences", &d.QueueSidecarTokenAudiences),
		asString("queue-sidecar-rootca", &d.QueueSidecarRootCA),
		asString("queue-sidecar-tls-min-version", &d.QueueSidecarTLSMinVersion),
		asString("queue-sidecar-tls-max-version", &d.QueueSidecarTLSMaxVersion),
		asString("queue-sidecar-tls-cipher-suites", &d.QueueSidecarTLSCipherSuites),
		asString("queue-sidecar-tls-curve-preferences", &d.QueueSidecarTLSCurvePreferences),
		asString("runtime-class-name", &runtimeClassNames),
		asBool("pod-is-always-schedulable", &d.PodIsAlwaysSchedulable),
	); err != nil {
		return nil, err
	}

	// Rules across legacy and current keys name the key the value came from.
	pick := func(current, legacy string) string {
		if _, ok := data[current]; !ok {
			if _, ok := data[legacy]; ok {
				return legacy
			}
		}
		return current
	}
	if d.QueueSidecarImage == "" {
		return nil, invalid(data, pick("queue-sidecar-image", "queueSidecarImage"), "", "cannot be empty")
	}
	if d.ProgressDeadline <= 0 {
		return nil, invalid(data, pick("progress-deadline", "progressDeadline"), d.ProgressDeadline, "must be positive")
	}
	if d.ProgressDeadline.Truncate(time.Second) != d.ProgressDeadline {
		return nil, invalid(data, pick("progress-deadline", "progressDeadline"), d.ProgressDeadline, "must be whole seconds")
	}
	if d.DigestResolutionTimeout <= 0 {
		return nil, invalid(data, pick("digest-resolution-timeout", "digestResolutionTimeout"), d.DigestResolutionTimeout,
			"must be positive")
	}
	if raw, ok := data["default-affinity-type"]; ok {
		switch t := AffinityType(raw); t {
		case AffinityNone, AffinityPreferSpreadRevisionOverNodes:
			d.DefaultAffinityType = t
		default:
			return nil, &KeyError{Key: "default-affinity-type", Value: raw,
				Reason: fmt.Sprintf("want %q or %q", AffinityNone, AffinityPreferSpreadRevisionOverNodes)}
		}
	}
	if err := yaml.Unmarshal([]byte(runtimeClassNames), &d.RuntimeClassNames); err != nil {
		return nil, &KeyError{Key: "runtime-class-name", Value: runtimeClassNames,
			Reason: fmt.Sprintf("want YAML mapping runtime classes to 'selector: {label: value}': %v", err)}
	}
	for class, s := range d.RuntimeClassNames {
		if errs := apimachineryvalidation.NameIsDNSSubdomain(class, false); len(errs) > 0 {
			return nil, &KeyError{Key: "runtime-class-name", Value: runtimeClassNames,
				Reason: fmt.Sprintf("runtime class %q is not a DNS subdomain: %s", class, strings.Join(errs, "; "))}
		}
		if len(s.Selector) > 0 {
			if _, err := labels.ValidatedSelectorFromSet(s.Selector); err != nil {
				return nil, &KeyError{Key: "runtime-class-name", Value: runtimeClassNames,
					Reason: fmt.Sprintf("runtime class %q has an invalid selector: %v", class, err)}
			}
		}
	}
	return d, nil
}

// NewDeploymentFromConfigMap parses config-deployment.
func NewDeploymentFromConfigMap(cm *corev1.ConfigMap) (*Deployment, error) {
	return NewDeploymentFromMap(cm.Data)
}

// PodRuntimeClassName is the runtime class of a revision with these
// labels: that of the matching entry with the most selector labels, the
// alphabetically first on a tie; "" when none matches (no runtimeClassName).
func (d *Deployment) PodRuntimeClassName(lbls map[string]string) string {
	name, specificity := "", -1
	for class, s := range d.RuntimeClassNames {
		matches := true
		for k, want := range s.Selector {
			if got, ok := lbls[k]; !ok || got != want {
				matches = false
				break
			}
		}
		if !matches {
			continue
		}
		if n := len(s.Selector); n > specificity || (n == specificity && class < name) {
			name, specificity = class, n
		}
	}
	return name
}
