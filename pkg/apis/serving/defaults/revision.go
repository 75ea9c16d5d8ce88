package defaults

import (
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/sets"

	"github.com/knap-dev/knap/pkg/apis/serving"
)

// Values of Knative's config-defaults ConfigMap when left empty.
const (
	// DefaultRevisionTimeoutSeconds is revision-timeout-seconds.
	DefaultRevisionTimeoutSeconds int64 = 300
	// DefaultRevisionResponseStartTimeoutSeconds is
	// revision-response-start-timeout-seconds, which follows
	// revision-timeout-seconds when unset.
	DefaultRevisionResponseStartTimeoutSeconds = DefaultRevisionTimeoutSeconds
	// DefaultRevisionIdleTimeoutSeconds is revision-idle-timeout-seconds; 0
	// means no idle timeout is set on revisions.
	DefaultRevisionIdleTimeoutSeconds int64 = 0
	// DefaultContainerConcurrency is container-concurrency; 0 means unlimited.
	DefaultContainerConcurrency int64 = 0
	// DefaultUserContainerName is container-name-template.
	DefaultUserContainerName = "user-container"
	// DefaultInitContainerName is init-container-name-template.
	DefaultInitContainerName = "init-container"
)

// revisionSpec defaults a revision's spec. create is false when the spec is
// a Configuration's or Service's template being updated.
func revisionSpec(rs *serving.RevisionSpec, create bool) {
	defaultTimeouts(rs)
	if rs.ContainerConcurrency == nil {
		rs.ContainerConcurrency = ptrTo(DefaultContainerConcurrency)
	}
	defaultContainerNames(&rs.PodSpec)
	for i := range rs.Containers {
		defaultContainer(&rs.PodSpec, &rs.Containers[i])
	}
	// Service links flood the environment of every pod with variables for
	// every Service in the namespace. Only new objects are opted out, so an
	// update never changes the environment of an existing workload.
	if create && rs.EnableServiceLinks == nil {
		rs.EnableServiceLinks = ptrTo(false)
	}
	// Left out on purpose, because Knative's defaults turn them off:
	// resource requests and limits (no revision-cpu-request etc. by default)
	// and the secure-pod-defaults security context (the feature is Disabled).
}

func defaultTimeouts(rs *serving.RevisionSpec) {
	if rs.TimeoutSeconds == nil || *rs.TimeoutSeconds == 0 {
		rs.TimeoutSeconds = ptrTo(DefaultRevisionTimeoutSeconds)
	}
	timeout := *rs.TimeoutSeconds
	rs.ResponseStartTimeoutSeconds = innerTimeout(rs.ResponseStartTimeoutSeconds, DefaultRevisionResponseStartTimeoutSeconds, timeout)
	rs.IdleTimeoutSeconds = innerTimeout(rs.IdleTimeoutSeconds, DefaultRevisionIdleTimeoutSeconds, timeout)
}

// innerTimeout defaults a timeout that lives within the request timeout. The
// default is only worth writing down when it is set (non-zero) and shorter
// than the request timeout; otherwise the request timeout already bounds it.
func innerTimeout(cur *int64, def, requestTimeout int64) *int64 {
	if cur != nil || def == 0 || def >= requestTimeout {
		return cur
	}
	return ptrTo(def)
}

// defaultContainerNames names unnamed containers and init containers. Names
// given by the user are reserved first so that generated ones never collide.
func defaultContainerNames(ps *corev1.PodSpec) {
	taken := sets.New[string]()
	for _, c := range ps.Containers {
		taken.Insert(c.Name)
	}
	for _, c := range ps.InitContainers {
		taken.Insert(c.Name)
	}
	nameContainers(ps.Containers, taken, DefaultUserContainerName)
	nameContainers(ps.InitContainers, taken, DefaultInitContainerName)
}

// nameContainers gives each unnamed container base, or base-N when there are
// several containers or base is taken, counting N from 0 and skipping taken
// names.
func nameContainers(cs []corev1.Container, taken sets.Set[string], base string) {
	next := 0
	for i := range cs {
		if cs[i].Name != "" {
			continue
		}
		name := base
		if len(cs) > 1 || taken.Has(name) {
			for {
				name = base + "-" + strconv.Itoa(next)
				next++
				if !taken.Has(name) {
					break
				}
			}
		}
		cs[i].Name = name
	}
}

func defaultContainer(ps *corev1.PodSpec, c *corev1.Container) {
	// The serving container is the only one or the one exposing a port; the
	// queue proxy gates traffic on its readiness, so it always has a probe.
	if len(ps.Containers) == 1 || len(c.Ports) != 0 {
		defaultServingReadinessProbe(c)
	}
	defaultReadinessProbe(c.ReadinessProbe)
	for _, p := range []*corev1.Probe{c.ReadinessProbe, c.LivenessProbe, c.StartupProbe} {
		defaultGRPCService(p)
	}
	defaultVolumeMountsReadOnly(ps.Volumes, c.VolumeMounts)
}

// defaultServingReadinessProbe makes sure the serving container has a probe
// with a handler; a TCP probe of the serving port is the one that works for
// any server.
func defaultServingReadinessProbe(c *corev1.Container) {
	if c.ReadinessProbe == nil {
		c.ReadinessProbe = &corev1.Probe{}
	}
	h := &c.ReadinessProbe.ProbeHandler
	if h.TCPSocket == nil && h.HTTPGet == nil && h.Exec == nil && h.GRPC == nil {
		h.TCPSocket = &corev1.TCPSocketAction{}
	}
}

// defaultReadinessProbe fills the fields Kubernetes would fill, so that the
// stored spec shows what runs. Thresholds and timeouts are only filled for
// periodic probes: periodSeconds 0 asks the queue sidecar for its aggressive
// sub-second probing, where they do not apply.
func defaultReadinessProbe(p *corev1.Probe) {
	if p == nil {
		return
	}
	if p.SuccessThreshold == 0 {
		p.SuccessThreshold = 1
	}
	if p.PeriodSeconds == 0 {
		return
	}
	if p.FailureThreshold == 0 {
		p.FailureThreshold = 3
	}
	if p.TimeoutSeconds == 0 {
		p.TimeoutSeconds = 1
	}
}

// defaultGRPCService spells out the empty service name gRPC health checks
// use when none is given.
func defaultGRPCService(p *corev1.Probe) {
	if p != nil && p.GRPC != nil && p.GRPC.Service == nil {
		p.GRPC.Service = ptrTo("")
	}
}

// defaultVolumeMountsReadOnly makes mounts read-only unless their volume is
// scratch or claimed storage. Those are the only volumes a revision may
// write to, so a spec that leaves readOnly out still passes validation.
func defaultVolumeMountsReadOnly(vols []corev1.Volume, mounts []corev1.VolumeMount) {
	writable := sets.New[string]()
	for _, v := range vols {
		if v.EmptyDir != nil || v.PersistentVolumeClaim != nil || v.Ephemeral != nil {
			writable.Insert(v.Name)
		}
	}
	for i := range mounts {
		if !writable.Has(mounts[i].Name) {
			mounts[i].ReadOnly = true
		}
	}
}

func ptrTo[T any](v T) *T { return &v }
