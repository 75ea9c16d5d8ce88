package queue

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The environment knap-queue reads. The names are Knative queue-proxy's, so
// the Revision reconciler fills them the way Knative's does
// (knative.dev/serving pkg/reconciler/revision/resources/queue.go); the
// last two are knap's own.
const (
	EnvServingPort          = "QUEUE_SERVING_PORT"
	EnvUserPort             = "USER_PORT"
	EnvMetricsPort          = "QUEUE_METRICS_PORT"
	EnvNamespace            = "SERVING_NAMESPACE"
	EnvRevision             = "SERVING_REVISION"
	EnvConfiguration        = "SERVING_CONFIGURATION"
	EnvService              = "SERVING_SERVICE"
	EnvPod                  = "SERVING_POD"
	EnvPodIP                = "SERVING_POD_IP"
	EnvContainerConcurrency = "CONTAINER_CONCURRENCY"
	EnvRevisionTimeout      = "REVISION_TIMEOUT_SECONDS"
	EnvResponseStartTimeout = "REVISION_RESPONSE_START_TIMEOUT_SECONDS"
	EnvIdleTimeout          = "REVISION_IDLE_TIMEOUT_SECONDS"
	EnvReadinessProbe       = "SERVING_READINESS_PROBE"
	EnvAdminPort            = "QUEUE_ADMIN_PORT"
	EnvDrainSleep           = "DRAIN_SLEEP"
)

// Defaults, Knative's where Knative has one.
const (
	// DefaultServingPort is the port the revision's Kubernetes Service
	// targets (Knative's networking.BackendHTTPPort).
	DefaultServingPort = 8012
	// DefaultUserPort is the user container's port when the revision names
	// none (Knative's default container port).
	DefaultUserPort = 8080
	// DefaultMetricsPort is where the autoscaler scrapes
	// http://<pod IP>:9090/metrics (Knative's
	// networking.AutoscalingQueueMetricsPort).
	DefaultMetricsPort = 9090
	// DefaultAdminPort serves /wait-for-drain, the user container's preStop
	// hook (Knative's networking.QueueAdminPort).
	DefaultAdminPort = 8022
	// DefaultRevisionTimeout is Knative's revision-timeout-seconds default,
	// used when REVISION_TIMEOUT_SECONDS is unset or 0.
	DefaultRevisionTimeout = 300 * time.Second
	// DefaultDrainSleep is how long the queue keeps serving after SIGTERM
	// once no request arrives (Knative's drainSleepDuration).
	DefaultDrainSleep = 30 * time.Second
)

// Config is knap-queue's configuration, read from the environment by
// ConfigFromEnv.
type Config struct {
	ServingPort int // QUEUE_SERVING_PORT
	UserPort    int // USER_PORT
	MetricsPort int // QUEUE_METRICS_PORT
	AdminPort   int // QUEUE_ADMIN_PORT

	Namespace     string // SERVING_NAMESPACE
	Revision      string // SERVING_REVISION
	Configuration string // SERVING_CONFIGURATION
	Service       string // SERVING_SERVICE
	Pod           string // SERVING_POD
	PodIP         string // SERVING_POD_IP

	// ContainerConcurrency is the most requests the user container gets at
	// once; 0 is unlimited.
	ContainerConcurrency int
	// RevisionTimeout bounds a request from arrival to its last byte.
	RevisionTimeout time.Duration
	// ResponseStartTimeout bounds the wait for the first response byte; 0
	// is none.
	ResponseStartTimeout time.Duration
	// IdleTimeout cuts a response that writes nothing for that long; 0 is
	// none.
	IdleTimeout time.Duration
	// ReadinessProbes are the user container's readiness probes, all of
	// which must pass; never empty.
	ReadinessProbes []*Probe
	// DrainSleep is how long after SIGTERM, once no request arrived for
	// that long, the queue stops accepting requests.
	DrainSleep time.Duration
}

// ConfigFromEnv reads Config from the environment through lookup
// (os.LookupEnv in the binary). Unset variables take their defaults; a
// malformed one is an error naming it.
func ConfigFromEnv(lookup func(string) (string, bool)) (Config, error) {
	e := envReader{lookup: lookup}
	c := Config{
		ServingPort:          e.port(EnvServingPort, DefaultServingPort),
		UserPort:             e.port(EnvUserPort, DefaultUserPort),
		MetricsPort:          e.port(EnvMetricsPort, DefaultMetricsPort),
		AdminPort:            e.port(EnvAdminPort, DefaultAdminPort),
		Namespace:            e.str(EnvNamespace),
		Revision:             e.str(EnvRevision),
		Configuration:        e.str(EnvConfiguration),
		Service:              e.str(EnvService),
		Pod:                  e.str(EnvPod),
		PodIP:                e.str(EnvPodIP),
		ContainerConcurrency: e.nonNegative(EnvContainerConcurrency),
		RevisionTimeout:      e.seconds(EnvRevisionTimeout),
		ResponseStartTimeout: e.seconds(EnvResponseStartTimeout),
		IdleTimeout:          e.seconds(EnvIdleTimeout),
		DrainSleep:           DefaultDrainSleep,
	}
	if c.RevisionTimeout == 0 {
		c.RevisionTimeout = DefaultRevisionTimeout
	}
	if v, ok := lookup(EnvDrainSleep); ok && v != "" {
		d, err := ParseDrainSleep(v)
		if err != nil {
			e.fail(EnvDrainSleep, v, err.Error())
		}
		c.DrainSleep = d
	}
	if e.err != nil {
		return Config{}, e.err
	}
	probe, _ := lookup(EnvReadinessProbe)
	probes, err := DecodeProbes(probe, c.UserPort)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", EnvReadinessProbe, err)
	}
	c.ReadinessProbes = probes
	return c, nil
}

// ParseDrainSleep reads a drain period: a Go duration ("30s", "1m") or a
// whole number of seconds ("30").
func ParseDrainSleep(v string) (time.Duration, error) {
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("must not be negative")
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("want a duration such as 30s or a number of seconds")
	}
	if d < 0 {
		return 0, fmt.Errorf("must not be negative")
	}
	return d, nil
}

// envReader reads typed variables and keeps the first error.
type envReader struct {
	lookup func(string) (string, bool)
	err    error
}

func (e *envReader) fail(name, value, why string) {
	if e.err == nil {
		e.err = fmt.Errorf("%s=%q: %s", name, value, why)
	}
}

func (e *envReader) str(name string) string {
	v, _ := e.lookup(name)
	return v
}

func (e *envReader) int(name string) (int, bool) {
	v, ok := e.lookup(name)
	v = strings.TrimSpace(v)
	if !ok || v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.fail(name, v, "want an integer")
		return 0, false
	}
	return n, true
}

func (e *envReader) port(name string, def int) int {
	n, ok := e.int(name)
	if !ok {
		return def
	}
	if n < 1 || n > 65535 {
		e.fail(name, strconv.Itoa(n), "want a port between 1 and 65535")
		return def
	}
	return n
}

func (e *envReader) nonNegative(name string) int {
	n, _ := e.int(name)
	if n < 0 {
		e.fail(name, strconv.Itoa(n), "must not be negative")
		return 0
	}
	return n
}

func (e *envReader) seconds(name string) time.Duration {
	return time.Duration(e.nonNegative(name)) * time.Second
}
