package defaults_test

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/diff"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/apis/serving/defaults"
)

func ptr[T any](v T) *T { return &v }

// tcpProbe is the readiness probe the serving container gets by default.
func tcpProbe() *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler:     corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{}},
		SuccessThreshold: 1,
	}
}

// defaulted is what an otherwise empty spec with the given containers looks
// like after create-time defaulting.
func defaulted(containers ...corev1.Container) serving.RevisionSpec {
	return serving.RevisionSpec{
		PodSpec: corev1.PodSpec{
			Containers:         containers,
			EnableServiceLinks: ptr(false),
		},
		TimeoutSeconds:       ptr(int64(300)),
		ContainerConcurrency: ptr(int64(0)),
	}
}

func withSpec(fn func(*serving.RevisionSpec), s serving.RevisionSpec) serving.RevisionSpec {
	fn(&s)
	return s
}

func checkSpec(t *testing.T, got, want any) {
	t.Helper()
	if !equality.Semantic.DeepEqual(got, want) {
		t.Errorf("unexpected result (- want, + got):\n%s", diff.Diff(want, got))
	}
}

func TestRevisionCreate(t *testing.T) {
	tests := []struct {
		name string
		in   serving.RevisionSpec
		want serving.RevisionSpec
	}{{
		name: "empty container",
		in:   serving.RevisionSpec{PodSpec: corev1.PodSpec{Containers: []corev1.Container{{}}}},
		want: defaulted(corev1.Container{Name: "user-container", ReadinessProbe: tcpProbe()}),
	}, {
		name: "zero timeout means the default",
		in: serving.RevisionSpec{
			PodSpec:        corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}},
			TimeoutSeconds: ptr(int64(0)),
		},
		want: defaulted(corev1.Container{Name: "app", ReadinessProbe: tcpProbe()}),
	}, {
		name: "timeout longer than the response start default gets a response start timeout",
		in: serving.RevisionSpec{
			PodSpec:        corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}},
			TimeoutSeconds: ptr(int64(600)),
		},
		want: withSpec(func(s *serving.RevisionSpec) {
			s.TimeoutSeconds = ptr(int64(600))
			s.ResponseStartTimeoutSeconds = ptr(int64(300))
		}, defaulted(corev1.Container{Name: "app", ReadinessProbe: tcpProbe()})),
	}, {
		name: "short timeout leaves the inner timeouts unset",
		in: serving.RevisionSpec{
			PodSpec:        corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}},
			TimeoutSeconds: ptr(int64(100)),
		},
		want: withSpec(func(s *serving.RevisionSpec) {
			s.TimeoutSeconds = ptr(int64(100))
		}, defaulted(corev1.Container{Name: "app", ReadinessProbe: tcpProbe()})),
	}, {
		name: "explicit values are kept",
		in: serving.RevisionSpec{
			PodSpec: corev1.PodSpec{
				Containers:         []corev1.Container{{Name: "app"}},
				EnableServiceLinks: ptr(true),
			},
			TimeoutSeconds:              ptr(int64(600)),
			ResponseStartTimeoutSeconds: ptr(int64(30)),
			IdleTimeoutSeconds:          ptr(int64(60)),
			ContainerConcurrency:        ptr(int64(10)),
		},
		want: serving.RevisionSpec{
			PodSpec: corev1.PodSpec{
				Containers:         []corev1.Container{{Name: "app", ReadinessProbe: tcpProbe()}},
				EnableServiceLinks: ptr(true),
			},
			TimeoutSeconds:              ptr(int64(600)),
			ResponseStartTimeoutSeconds: ptr(int64(30)),
			IdleTimeoutSeconds:          ptr(int64(60)),
			ContainerConcurrency:        ptr(int64(10)),
		},
	}, {
		name: "resources and security context are not defaulted",
		in: serving.RevisionSpec{PodSpec: corev1.PodSpec{Containers: []corev1.Container{{
			Name:  "app",
			Ports: []corev1.ContainerPort{{ContainerPort: 80}},
		}}}},
		want: defaulted(corev1.Container{
			Name:           "app",
			Ports:          []corev1.ContainerPort{{ContainerPort: 80}},
			ReadinessProbe: tcpProbe(),
		}),
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &serving.Revision{Spec: tc.in}
			defaults.Revision(r, nil)
			checkSpec(t, r.Spec, tc.want)
		})
	}
}

func TestRevisionUpdateIsNotDefaulted(t *testing.T) {
	in := serving.RevisionSpec{PodSpec: corev1.PodSpec{Containers: []corev1.Container{{}}}}
	r := &serving.Revision{Spec: *in.DeepCopy()}
	defaults.Revision(r, &serving.Revision{})
	checkSpec(t, r.Spec, in)
}

func names(cs []corev1.Container) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestContainerNames(t *testing.T) {
	tests := []struct {
		name           string
		containers     []string
		initContainers []string
		want, wantInit []string
	}{{
		name:       "single unnamed",
		containers: []string{""},
		want:       []string{"user-container"},
	}, {
		name:       "single named",
		containers: []string{"app"},
		want:       []string{"app"},
	}, {
		name:       "several unnamed are numbered",
		containers: []string{"", "", ""},
		want:       []string{"user-container-0", "user-container-1", "user-container-2"},
	}, {
		name:       "numbering skips taken names and only counts unnamed containers",
		containers: []string{"", "user-container-0", "sidecar", ""},
		want:       []string{"user-container-1", "user-container-0", "sidecar", "user-container-2"},
	}, {
		name:           "single unnamed whose default is taken by an init container",
		containers:     []string{""},
		initContainers: []string{"user-container"},
		want:           []string{"user-container-0"},
		wantInit:       []string{"user-container"},
	}, {
		name:           "single unnamed init container",
		containers:     []string{"app"},
		initContainers: []string{""},
		want:           []string{"app"},
		wantInit:       []string{"init-container"},
	}, {
		name:           "several unnamed init containers avoid container names",
		containers:     []string{"init-container-0"},
		initContainers: []string{"", ""},
		want:           []string{"init-container-0"},
		wantInit:       []string{"init-container-1", "init-container-2"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ps corev1.PodSpec
			for _, n := range tc.containers {
				ps.Containers = append(ps.Containers, corev1.Container{Name: n})
			}
			for _, n := range tc.initContainers {
				ps.InitContainers = append(ps.InitContainers, corev1.Container{Name: n})
			}
			r := &serving.Revision{Spec: serving.RevisionSpec{PodSpec: ps}}
			defaults.Revision(r, nil)
			checkSpec(t, names(r.Spec.Containers), tc.want)
			if len(tc.wantInit) > 0 || len(r.Spec.InitContainers) > 0 {
				checkSpec(t, names(r.Spec.InitContainers), tc.wantInit)
			}
		})
	}
}

func TestProbes(t *testing.T) {
	grpc := func() *corev1.Probe {
		return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 8080}}}
	}
	grpcDefaulted := func(successThreshold int32) *corev1.Probe {
		p := grpc()
		p.GRPC.Service = ptr("")
		p.SuccessThreshold = successThreshold
		return p
	}
	httpGet := &corev1.HTTPGetAction{Path: "/healthz"}
	tests := []struct {
		name string
		in   []corev1.Container
		want []corev1.Container
	}{{
		name: "probe without handler gets a TCP socket",
		in:   []corev1.Container{{Name: "app", ReadinessProbe: &corev1.Probe{InitialDelaySeconds: 2}}},
		want: []corev1.Container{{Name: "app", ReadinessProbe: &corev1.Probe{
			ProbeHandler:        corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{}},
			InitialDelaySeconds: 2,
			SuccessThreshold:    1,
		}}},
	}, {
		name: "probe with a handler keeps it",
		in: []corev1.Container{{Name: "app", ReadinessProbe: &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{HTTPGet: httpGet},
		}}},
		want: []corev1.Container{{Name: "app", ReadinessProbe: &corev1.Probe{
			ProbeHandler:     corev1.ProbeHandler{HTTPGet: httpGet},
			SuccessThreshold: 1,
		}}},
	}, {
		name: "periodic probe gets Kubernetes' thresholds and timeout",
		in: []corev1.Container{{Name: "app", ReadinessProbe: &corev1.Probe{
			ProbeHandler:     corev1.ProbeHandler{HTTPGet: httpGet},
			PeriodSeconds:    5,
			SuccessThreshold: 2,
		}}},
		want: []corev1.Container{{Name: "app", ReadinessProbe: &corev1.Probe{
			ProbeHandler:     corev1.ProbeHandler{HTTPGet: httpGet},
			PeriodSeconds:    5,
			SuccessThreshold: 2,
			FailureThreshold: 3,
			TimeoutSeconds:   1,
		}}},
	}, {
		name: "with several containers only the one with ports gets a default probe",
		in: []corev1.Container{
			{Name: "app", Ports: []corev1.ContainerPort{{ContainerPort: 8080}}},
			{Name: "sidecar"},
			{Name: "probed", ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: httpGet}}},
		},
		want: []corev1.Container{
			{Name: "app", Ports: []corev1.ContainerPort{{ContainerPort: 8080}}, ReadinessProbe: tcpProbe()},
			{Name: "sidecar"},
			{Name: "probed", ReadinessProbe: &corev1.Probe{
				ProbeHandler:     corev1.ProbeHandler{HTTPGet: httpGet},
				SuccessThreshold: 1,
			}},
		},
	}, {
		name: "gRPC probes get the empty service name",
		in: []corev1.Container{{
			Name:           "app",
			ReadinessProbe: grpc(),
			LivenessProbe:  grpc(),
			StartupProbe:   grpc(),
		}},
		want: []corev1.Container{{
			Name:           "app",
			ReadinessProbe: grpcDefaulted(1),
			LivenessProbe:  grpcDefaulted(0),
			StartupProbe:   grpcDefaulted(0),
		}},
	}, {
		name: "gRPC service name is kept",
		in: []corev1.Container{{Name: "app", ReadinessProbe: &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 8080, Service: ptr("svc")}},
		}}},
		want: []corev1.Container{{Name: "app", ReadinessProbe: &corev1.Probe{
			ProbeHandler:     corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 8080, Service: ptr("svc")}},
			SuccessThreshold: 1,
		}}},
	}, {
		name: "TCP probe with a port is kept",
		in: []corev1.Container{{Name: "app", ReadinessProbe: &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(8080)}},
		}}},
		want: []corev1.Container{{Name: "app", ReadinessProbe: &corev1.Probe{
			ProbeHandler:     corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(8080)}},
			SuccessThreshold: 1,
		}}},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &serving.Revision{Spec: serving.RevisionSpec{PodSpec: corev1.PodSpec{Containers: tc.in}}}
			defaults.Revision(r, nil)
			checkSpec(t, r.Spec.Containers, tc.want)
		})
	}
}

func TestVolumeMountsReadOnly(t *testing.T) {
	vols := []corev1.Volume{
		{Name: "secret", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "s"}}},
		{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{}}},
		{Name: "scratch", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
		{Name: "claim", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "c"}}},
		{Name: "eph", VolumeSource: corev1.VolumeSource{Ephemeral: &corev1.EphemeralVolumeSource{}}},
	}
	mounts := func() []corev1.VolumeMount {
		return []corev1.VolumeMount{
			{Name: "secret", MountPath: "/s"},
			{Name: "config", MountPath: "/c"},
			{Name: "scratch", MountPath: "/tmp"},
			{Name: "claim", MountPath: "/data"},
			{Name: "eph", MountPath: "/eph"},
			{Name: "missing", MountPath: "/m"},
		}
	}
	r := &serving.Revision{Spec: serving.RevisionSpec{PodSpec: corev1.PodSpec{
		Volumes:        vols,
		Containers:     []corev1.Container{{Name: "app", VolumeMounts: mounts()}},
		InitContainers: []corev1.Container{{Name: "init", VolumeMounts: mounts()}},
	}}}
	defaults.Revision(r, nil)

	want := map[string]bool{"secret": true, "config": true, "scratch": false, "claim": false, "eph": false, "missing": true}
	for _, m := range r.Spec.Containers[0].VolumeMounts {
		if m.ReadOnly != want[m.Name] {
			t.Errorf("mount %q: readOnly = %v, want %v", m.Name, m.ReadOnly, want[m.Name])
		}
	}
	// Knative only defaults the mounts of serving containers.
	checkSpec(t, r.Spec.InitContainers[0].VolumeMounts, mounts())
}

func TestRevisionMetadataUntouched(t *testing.T) {
	meta := metav1.ObjectMeta{Name: "r", Annotations: map[string]string{"a": "b"}}
	r := &serving.Revision{ObjectMeta: *meta.DeepCopy(), Spec: serving.RevisionSpec{PodSpec: corev1.PodSpec{Containers: []corev1.Container{{}}}}}
	defaults.Revision(r, nil)
	checkSpec(t, r.ObjectMeta, meta)
}
