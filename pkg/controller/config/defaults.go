package config

import (
	"bytes"
	"io"
	"math"
	"strings"
	"text/template"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// DefaultsConfigName is the ConfigMap of the defaults Knative applies to
// Services, Configurations and Revisions (Knative's config-defaults).
const DefaultsConfigName = "config-defaults"

// Knative Serving's defaults for config-defaults.
const (
	DefaultRevisionTimeoutSeconds              = 5 * 60
	DefaultMaxRevisionTimeoutSeconds           = 10 * 60
	DefaultRevisionResponseStartTimeoutSeconds = DefaultRevisionTimeoutSeconds
	DefaultRevisionIdleTimeoutSeconds          = 0
	DefaultUserContainerName                   = "user-container"
	DefaultInitContainerName                   = "init-container"
	DefaultContainerConcurrency                = 0
	DefaultContainerConcurrencyMaxLimit        = 1000
	DefaultAllowContainerConcurrencyZero       = true
)

// Defaults is config-defaults: what a Revision gets when its spec leaves a
// field out, and the bounds its spec must stay in.
type Defaults struct {
	// RevisionTimeoutSeconds is a request's timeout when the revision sets
	// none (timeoutSeconds); it may not exceed MaxRevisionTimeoutSeconds.
	RevisionTimeoutSeconds int64
	// MaxRevisionTimeoutSeconds bounds every revision's timeoutSeconds.
	MaxRevisionTimeoutSeconds int64
	// RevisionResponseStartTimeoutSeconds is how long a request may wait
	// for the first byte of the response; it defaults to
	// RevisionTimeoutSeconds and may not exceed it.
	RevisionResponseStartTimeoutSeconds int64
	// RevisionIdleTimeoutSeconds is how long a request may see no bytes
	// from the application (0: no limit); it may not exceed
	// RevisionTimeoutSeconds.
	RevisionIdleTimeoutSeconds int64

	// UserContainerNameTemplate and InitContainerNameTemplate name
	// containers the user left unnamed; they are executed against the
	// parent Service's or Configuration's ObjectMeta.
	UserContainerNameTemplate *NameTemplate
	InitContainerNameTemplate *NameTemplate

	// ContainerConcurrency is a revision's containerConcurrency when it sets
	// none (0: unbounded); at most ContainerConcurrencyMaxLimit.
	ContainerConcurrency int64
	// ContainerConcurrencyMaxLimit bounds containerConcurrency and
	// autoscaling targets.
	ContainerConcurrencyMaxLimit int64
	// AllowContainerConcurrencyZero lets revisions ask for unbounded
	// concurrency (containerConcurrency: 0).
	AllowContainerConcurrencyZero bool

	// EnableServiceLinks is the pod spec's enableServiceLinks when the
	// revision leaves it out; nil leaves it to Kubernetes.
	EnableServiceLinks *bool

	// Resources of the user container when the revision sets none; nil
	// leaves them to Kubernetes (and LimitRanges).
	RevisionCPURequest              *resource.Quantity
	RevisionCPULimit                *resource.Quantity
	RevisionMemoryRequest           *resource.Quantity
	RevisionMemoryLimit             *resource.Quantity
	RevisionEphemeralStorageRequest *resource.Quantity
	RevisionEphemeralStorageLimit   *resource.Quantity
}

// NameTemplate is a container name template (Go text/template) applied to
// an ObjectMeta. It is safe for concurrent use.
type NameTemplate struct {
	text string
	tmpl *template.Template
}

// parseNameTemplate parses text and checks it applies to an ObjectMeta.
func parseNameTemplate(text string) (*NameTemplate, error) {
	t, err := template.New("container-template").Parse(text)
	if err != nil {
		return nil, err
	}
	if err := t.Execute(io.Discard, metav1.ObjectMeta{}); err != nil {
		return nil, err
	}
	return &NameTemplate{text: text, tmpl: t}, nil
}

func mustNameTemplate(text string) *NameTemplate {
	t, err := parseNameTemplate(text)
	if err != nil {
		panic(err)
	}
	return t
}

// String is the template's source text.
func (t *NameTemplate) String() string { return t.text }

// Execute applies the template to parent's metadata.
func (t *NameTemplate) Execute(parent metav1.ObjectMeta) (string, error) {
	var b bytes.Buffer
	if err := t.tmpl.Execute(&b, parent); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Equal compares source texts (for go-cmp).
func (t *NameTemplate) Equal(o *NameTemplate) bool {
	if t == nil || o == nil {
		return t == o
	}
	return t.text == o.text
}

// UserContainerName is the name an unnamed user container gets in a
// revision of parent (a Service or Configuration); "" if the template
// fails on it, as in Knative.
func (d *Defaults) UserContainerName(parent metav1.ObjectMeta) string {
	s, _ := d.UserContainerNameTemplate.Execute(parent)
	return s
}

// InitContainerName is the name an unnamed init container gets.
func (d *Defaults) InitContainerName(parent metav1.ObjectMeta) string {
	s, _ := d.InitContainerNameTemplate.Execute(parent)
	return s
}

func defaultDefaults() *Defaults {
	f := false
	return &Defaults{
		RevisionTimeoutSeconds:              DefaultRevisionTimeoutSeconds,
		MaxRevisionTimeoutSeconds:           DefaultMaxRevisionTimeoutSeconds,
		RevisionResponseStartTimeoutSeconds: DefaultRevisionResponseStartTimeoutSeconds,
		RevisionIdleTimeoutSeconds:          DefaultRevisionIdleTimeoutSeconds,
		UserContainerNameTemplate:           mustNameTemplate(DefaultUserContainerName),
		InitContainerNameTemplate:           mustNameTemplate(DefaultInitContainerName),
		ContainerConcurrency:                DefaultContainerConcurrency,
		ContainerConcurrencyMaxLimit:        DefaultContainerConcurrencyMaxLimit,
		AllowContainerConcurrencyZero:       DefaultAllowContainerConcurrencyZero,
		EnableServiceLinks:                  &f,
	}
}

func asNameTemplate(key string, target **NameTemplate) parser {
	return func(data map[string]string) error {
		if raw, ok := data[key]; ok {
			t, err := parseNameTemplate(raw)
			if err != nil {
				return &KeyError{Key: key, Value: raw, Reason: err.Error()}
			}
			*target = t
		}
		return nil
	}
}

// asTriState parses true/false (any case) into a pointer; any other value
// (documented: "default") leaves the choice to Kubernetes (nil).
func asTriState(key string, target **bool) parser {
	return func(data map[string]string) error {
		if raw, ok := data[key]; ok {
			switch {
			case strings.EqualFold(raw, "true"):
				t := true
				*target = &t
			case strings.EqualFold(raw, "false"):
				f := false
				*target = &f
			default:
				*target = nil
			}
		}
		return nil
	}
}

// NewDefaultsFromMap parses config-defaults' data, with Knative's rules.
func NewDefaultsFromMap(data map[string]string) (*Defaults, error) {
	d := defaultDefaults()
	if err := parse(data,
		asNameTemplate("init-container-name-template", &d.InitContainerNameTemplate),
		asNameTemplate("container-name-template", &d.UserContainerNameTemplate),
		asBool("allow-container-concurrency-zero", &d.AllowContainerConcurrencyZero),
		asTriState("enable-service-links", &d.EnableServiceLinks),
		asInt64("revision-timeout-seconds", &d.RevisionTimeoutSeconds),
		asInt64("max-revision-timeout-seconds", &d.MaxRevisionTimeoutSeconds),
		asInt64("revision-idle-timeout-seconds", &d.RevisionIdleTimeoutSeconds),
		asInt64("container-concurrency", &d.ContainerConcurrency),
		asInt64("container-concurrency-max-limit", &d.ContainerConcurrencyMaxLimit),
		asQuantity("revision-cpu-request", &d.RevisionCPURequest),
		asQuantity("revision-memory-request", &d.RevisionMemoryRequest),
		asQuantity("revision-ephemeral-storage-request", &d.RevisionEphemeralStorageRequest),
		asQuantity("revision-cpu-limit", &d.RevisionCPULimit),
		asQuantity("revision-memory-limit", &d.RevisionMemoryLimit),
		asQuantity("revision-ephemeral-storage-limit", &d.RevisionEphemeralStorageLimit),
	); err != nil {
		return nil, err
	}
	// The response-start timeout follows the revision timeout unless set.
	d.RevisionResponseStartTimeoutSeconds = d.RevisionTimeoutSeconds
	if err := parse(data,
		asInt64("revision-response-start-timeout-seconds", &d.RevisionResponseStartTimeoutSeconds),
	); err != nil {
		return nil, err
	}

	if d.RevisionTimeoutSeconds > d.MaxRevisionTimeoutSeconds {
		return nil, invalid(data, "revision-timeout-seconds", d.RevisionTimeoutSeconds,
			"cannot be greater than max-revision-timeout-seconds (%d)", d.MaxRevisionTimeoutSeconds)
	}
	if d.RevisionResponseStartTimeoutSeconds > 0 && d.RevisionResponseStartTimeoutSeconds > d.RevisionTimeoutSeconds {
		return nil, invalid(data, "revision-response-start-timeout-seconds", d.RevisionResponseStartTimeoutSeconds,
			"cannot be greater than revision-timeout-seconds (%d)", d.RevisionTimeoutSeconds)
	}
	if d.RevisionIdleTimeoutSeconds > 0 && d.RevisionIdleTimeoutSeconds > d.RevisionTimeoutSeconds {
		return nil, invalid(data, "revision-idle-timeout-seconds", d.RevisionIdleTimeoutSeconds,
			"cannot be greater than revision-timeout-seconds (%d)", d.RevisionTimeoutSeconds)
	}
	if d.ContainerConcurrencyMaxLimit < 1 {
		return nil, invalid(data, "container-concurrency-max-limit", d.ContainerConcurrencyMaxLimit,
			"must be in [1, %d]", math.MaxInt32)
	}
	if d.ContainerConcurrency < 0 || d.ContainerConcurrency > d.ContainerConcurrencyMaxLimit {
		return nil, invalid(data, "container-concurrency", d.ContainerConcurrency,
			"must be in [0, container-concurrency-max-limit (%d)]", d.ContainerConcurrencyMaxLimit)
	}
	return d, nil
}

// NewDefaultsFromConfigMap parses config-defaults.
func NewDefaultsFromConfigMap(cm *corev1.ConfigMap) (*Defaults, error) {
	return NewDefaultsFromMap(cm.Data)
}
