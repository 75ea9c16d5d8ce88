package validation_test

import (
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/apis/serving/validation"
)

const c0 = "spec.containers[0]"

type specCase struct {
	name   string
	mutate func(*serving.RevisionSpec)
	want   []string
}

func runSpecCases(t *testing.T, cases []specCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expectPaths(t, revisionWith(tc.mutate), tc.want...)
		})
	}
}

// sidecar returns a container without ports.
func sidecar(name string) corev1.Container {
	return corev1.Container{Name: name, Image: "ghcr.io/knap-dev/sidecar:v1"}
}

func withPort(c corev1.Container, port int32) corev1.Container {
	c.Ports = []corev1.ContainerPort{{ContainerPort: port}}
	return c
}

func TestRevisionSpecFields(t *testing.T) {
	runSpecCases(t, []specCase{
		{name: "timeout at maximum", mutate: func(rs *serving.RevisionSpec) { rs.TimeoutSeconds = ptr[int64](600) }},
		{name: "timeout zero means default", mutate: func(rs *serving.RevisionSpec) { rs.TimeoutSeconds = ptr[int64](0) }},
		{name: "timeout unset", mutate: func(rs *serving.RevisionSpec) { rs.TimeoutSeconds = nil }},
		{name: "timeout above maximum", mutate: func(rs *serving.RevisionSpec) { rs.TimeoutSeconds = ptr[int64](601) }, want: []string{"spec.timeoutSeconds"}},
		{name: "negative timeout", mutate: func(rs *serving.RevisionSpec) { rs.TimeoutSeconds = ptr[int64](-1) }, want: []string{"spec.timeoutSeconds"}},
		{name: "concurrency limit", mutate: func(rs *serving.RevisionSpec) { rs.ContainerConcurrency = ptr[int64](1000) }},
		{name: "concurrency above limit", mutate: func(rs *serving.RevisionSpec) { rs.ContainerConcurrency = ptr[int64](1001) }, want: []string{"spec.containerConcurrency"}},
		{name: "negative concurrency", mutate: func(rs *serving.RevisionSpec) { rs.ContainerConcurrency = ptr[int64](-1) }, want: []string{"spec.containerConcurrency"}},
		{name: "response start and idle timeouts", mutate: func(rs *serving.RevisionSpec) {
			rs.ResponseStartTimeoutSeconds, rs.IdleTimeoutSeconds = ptr[int64](30), ptr[int64](60)
		}},
		{name: "service account", mutate: func(rs *serving.RevisionSpec) { rs.ServiceAccountName = "builder.sa" }},
		{name: "bad service account", mutate: func(rs *serving.RevisionSpec) { rs.ServiceAccountName = "Builder" }, want: []string{"spec.serviceAccountName"}},
	})
}

func TestTemplateSpecPaths(t *testing.T) {
	s := newService()
	s.Spec.Template.Spec.TimeoutSeconds = ptr[int64](601)
	s.Spec.Template.Spec.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 8012}}
	s.Spec.Template.Spec.NodeName = "node-1"
	expectPaths(t, validation.ValidateService(s),
		"spec.template.spec.timeoutSeconds",
		"spec.template.spec.containers[0].ports[0].containerPort",
		"spec.template.spec.nodeName")
}

func TestPodSpecFieldMask(t *testing.T) {
	cases := []specCase{
		{name: "nodeName", mutate: func(rs *serving.RevisionSpec) { rs.NodeName = "n1" }, want: []string{"spec.nodeName"}},
		{name: "hostNetwork", mutate: func(rs *serving.RevisionSpec) { rs.HostNetwork = true }, want: []string{"spec.hostNetwork"}},
		{name: "hostPID", mutate: func(rs *serving.RevisionSpec) { rs.HostPID = true }, want: []string{"spec.hostPID"}},
		{name: "hostIPC", mutate: func(rs *serving.RevisionSpec) { rs.HostIPC = true }, want: []string{"spec.hostIPC"}},
		{name: "nodeSelector", mutate: func(rs *serving.RevisionSpec) { rs.NodeSelector = map[string]string{"disk": "ssd"} }, want: []string{"spec.nodeSelector"}},
		{name: "tolerations", mutate: func(rs *serving.RevisionSpec) { rs.Tolerations = []corev1.Toleration{{Key: "k"}} }, want: []string{"spec.tolerations"}},
		{name: "affinity", mutate: func(rs *serving.RevisionSpec) { rs.Affinity = &corev1.Affinity{} }, want: []string{"spec.affinity"}},
		{name: "topologySpreadConstraints", mutate: func(rs *serving.RevisionSpec) {
			rs.TopologySpreadConstraints = []corev1.TopologySpreadConstraint{{MaxSkew: 1}}
		}, want: []string{"spec.topologySpreadConstraints"}},
		{name: "runtimeClassName", mutate: func(rs *serving.RevisionSpec) { rs.RuntimeClassName = ptr("gvisor") }, want: []string{"spec.runtimeClassName"}},
		{name: "schedulerName", mutate: func(rs *serving.RevisionSpec) { rs.SchedulerName = "custom" }, want: []string{"spec.schedulerName"}},
		{name: "priorityClassName", mutate: func(rs *serving.RevisionSpec) { rs.PriorityClassName = "high" }, want: []string{"spec.priorityClassName"}},
		{name: "priority", mutate: func(rs *serving.RevisionSpec) { rs.Priority = ptr[int32](10) }, want: []string{"spec.priority"}},
		{name: "pod securityContext", mutate: func(rs *serving.RevisionSpec) {
			rs.SecurityContext = &corev1.PodSecurityContext{RunAsNonRoot: ptr(true)}
		}, want: []string{"spec.securityContext"}},
		{name: "initContainers", mutate: func(rs *serving.RevisionSpec) {
			rs.InitContainers = []corev1.Container{sidecar("init")}
		}, want: []string{"spec.initContainers"}},
		{name: "ephemeralContainers", mutate: func(rs *serving.RevisionSpec) {
			rs.EphemeralContainers = []corev1.EphemeralContainer{{}}
		}, want: []string{"spec.ephemeralContainers"}},
		{name: "dnsPolicy", mutate: func(rs *serving.RevisionSpec) { rs.DNSPolicy = corev1.DNSClusterFirst }, want: []string{"spec.dnsPolicy"}},
		{name: "dnsConfig", mutate: func(rs *serving.RevisionSpec) { rs.DNSConfig = &corev1.PodDNSConfig{} }, want: []string{"spec.dnsConfig"}},
		{name: "hostAliases", mutate: func(rs *serving.RevisionSpec) { rs.HostAliases = []corev1.HostAlias{{IP: "1.2.3.4"}} }, want: []string{"spec.hostAliases"}},
		{name: "shareProcessNamespace", mutate: func(rs *serving.RevisionSpec) { rs.ShareProcessNamespace = ptr(true) }, want: []string{"spec.shareProcessNamespace"}},
		{name: "restartPolicy", mutate: func(rs *serving.RevisionSpec) { rs.RestartPolicy = corev1.RestartPolicyAlways }, want: []string{"spec.restartPolicy"}},
		{name: "terminationGracePeriodSeconds", mutate: func(rs *serving.RevisionSpec) { rs.TerminationGracePeriodSeconds = ptr[int64](30) }, want: []string{"spec.terminationGracePeriodSeconds"}},
		{name: "activeDeadlineSeconds", mutate: func(rs *serving.RevisionSpec) { rs.ActiveDeadlineSeconds = ptr[int64](30) }, want: []string{"spec.activeDeadlineSeconds"}},
		{name: "hostname and subdomain", mutate: func(rs *serving.RevisionSpec) { rs.Hostname, rs.Subdomain = "h", "s" }, want: []string{"spec.hostname", "spec.subdomain"}},
		{name: "readinessGates", mutate: func(rs *serving.RevisionSpec) {
			rs.ReadinessGates = []corev1.PodReadinessGate{{ConditionType: "x"}}
		}, want: []string{"spec.readinessGates"}},
		{name: "deprecated serviceAccount", mutate: func(rs *serving.RevisionSpec) { rs.DeprecatedServiceAccount = "sa" }, want: []string{"spec.serviceAccount"}},
		{name: "automountServiceAccountToken true", mutate: func(rs *serving.RevisionSpec) { rs.AutomountServiceAccountToken = ptr(true) }, want: []string{"spec.automountServiceAccountToken"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := revisionWith(tc.mutate)
			expectPaths(t, errs, tc.want...)
			expectType(t, errs, field.ErrorTypeForbidden)
		})
	}
	runSpecCases(t, []specCase{
		{name: "allowed pod fields", mutate: func(rs *serving.RevisionSpec) {
			rs.ServiceAccountName = "sa"
			rs.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "regcred"}}
			rs.EnableServiceLinks = ptr(true)
			rs.AutomountServiceAccountToken = ptr(false)
		}},
	})
}

func TestContainerFieldMask(t *testing.T) {
	cases := []specCase{
		{name: "lifecycle", mutate: func(rs *serving.RevisionSpec) { rs.Containers[0].Lifecycle = &corev1.Lifecycle{} }, want: []string{c0 + ".lifecycle"}},
		{name: "stdin, stdinOnce, tty", mutate: func(rs *serving.RevisionSpec) {
			c := &rs.Containers[0]
			c.Stdin, c.StdinOnce, c.TTY = true, true, true
		}, want: []string{c0 + ".stdin", c0 + ".stdinOnce", c0 + ".tty"}},
		{name: "volumeDevices", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].VolumeDevices = []corev1.VolumeDevice{{Name: "d", DevicePath: "/dev/x"}}
		}, want: []string{c0 + ".volumeDevices"}},
		{name: "restartPolicy", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].RestartPolicy = ptr(corev1.ContainerRestartPolicyAlways)
		}, want: []string{c0 + ".restartPolicy"}},
		{name: "resizePolicy", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].ResizePolicy = []corev1.ContainerResizePolicy{{ResourceName: corev1.ResourceCPU}}
		}, want: []string{c0 + ".resizePolicy"}},
		{name: "hostPort", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 8080, HostPort: 80}}
		}, want: []string{c0 + ".ports[0].hostPort"}},
		{name: "resource claims", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].Resources.Claims = []corev1.ResourceClaim{{Name: "gpu"}}
		}, want: []string{c0 + ".resources.claims"}},
		{name: "env fieldRef", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].Env = []corev1.EnvVar{{Name: "NODE", ValueFrom: &corev1.EnvVarSource{
				FieldRef: &corev1.ObjectFieldSelector{FieldPath: "spec.nodeName"},
			}}}
		}, want: []string{c0 + ".env[0].valueFrom.fieldRef"}},
		{name: "env resourceFieldRef", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].Env = []corev1.EnvVar{{Name: "CPU", ValueFrom: &corev1.EnvVarSource{
				ResourceFieldRef: &corev1.ResourceFieldSelector{Resource: "limits.cpu"},
			}}}
		}, want: []string{c0 + ".env[0].valueFrom.resourceFieldRef"}},
		{name: "mountPropagation", mutate: func(rs *serving.RevisionSpec) {
			rs.Volumes = []corev1.Volume{emptyDirVolume("data")}
			rs.Containers[0].VolumeMounts = []corev1.VolumeMount{{
				Name: "data", MountPath: "/data", MountPropagation: ptr(corev1.MountPropagationNone),
			}}
		}, want: []string{c0 + ".volumeMounts[0].mountPropagation"}},
		{name: "security privileged", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].SecurityContext = &corev1.SecurityContext{Privileged: ptr(true)}
		}, want: []string{c0 + ".securityContext.privileged"}},
		{name: "security seLinuxOptions and procMount", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].SecurityContext = &corev1.SecurityContext{
				SELinuxOptions: &corev1.SELinuxOptions{Level: "s0"},
				ProcMount:      ptr(corev1.UnmaskedProcMount),
			}
		}, want: []string{c0 + ".securityContext.seLinuxOptions", c0 + ".securityContext.procMount"}},
		{name: "add capabilities", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].SecurityContext = &corev1.SecurityContext{Capabilities: &corev1.Capabilities{
				Add: []corev1.Capability{"NET_ADMIN"},
			}}
		}, want: []string{c0 + ".securityContext.capabilities.add"}},
		{name: "httpGet protocol", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{
				HTTPGet: &corev1.HTTPGetAction{Path: "/", Protocol: ptr(corev1.HTTPProtocol("HTTP2"))},
			}}
		}, want: []string{c0 + ".livenessProbe.httpGet.protocol"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := revisionWith(tc.mutate)
			expectPaths(t, errs, tc.want...)
			expectType(t, errs, field.ErrorTypeForbidden)
		})
	}
}

func TestContainers(t *testing.T) {
	runSpecCases(t, []specCase{
		{name: "fully specified container", mutate: func(rs *serving.RevisionSpec) {
			c := &rs.Containers[0]
			c.Command, c.Args, c.WorkingDir = []string{"/hello"}, []string{"-v"}, "/app"
			c.ImagePullPolicy = corev1.PullIfNotPresent
			c.Ports = []corev1.ContainerPort{{Name: "h2c", ContainerPort: 9000, Protocol: corev1.ProtocolTCP}}
			c.Env = []corev1.EnvVar{
				{Name: "TARGET", Value: "world"},
				{Name: "SECRET", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
					LocalObjectReference: corev1.LocalObjectReference{Name: "s"}, Key: "k",
				}}},
			}
			c.EnvFrom = []corev1.EnvFromSource{{Prefix: "CM_", ConfigMapRef: &corev1.ConfigMapEnvSource{
				LocalObjectReference: corev1.LocalObjectReference{Name: "cm"},
			}}}
			c.Resources = corev1.ResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")},
				Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("128Mi")},
			}
			c.SecurityContext = &corev1.SecurityContext{
				RunAsNonRoot:             ptr(true),
				RunAsUser:                ptr[int64](1000),
				RunAsGroup:               ptr[int64](1000),
				AllowPrivilegeEscalation: ptr(false),
				Privileged:               ptr(false),
				ReadOnlyRootFilesystem:   ptr(true),
				SeccompProfile:           &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
				Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
			}
			c.TerminationMessagePath = "/dev/termination-log"
			c.TerminationMessagePolicy = corev1.TerminationMessageFallbackToLogsOnError
			c.LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{
				HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromString("h2c")},
			}}
			c.StartupProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{
				GRPC: &corev1.GRPCAction{Port: 9000, Service: ptr("")},
			}}
		}},
		{name: "unnamed single container", mutate: func(rs *serving.RevisionSpec) { rs.Containers[0].Name = "" }},
		{name: "no containers", mutate: func(rs *serving.RevisionSpec) { rs.Containers = nil }, want: []string{"spec.containers"}},
		{name: "empty container", mutate: func(rs *serving.RevisionSpec) { rs.Containers[0] = corev1.Container{} }, want: []string{c0}},
		{name: "missing image", mutate: func(rs *serving.RevisionSpec) { rs.Containers[0].Image = "" }, want: []string{c0 + ".image"}},
		{name: "reserved name", mutate: func(rs *serving.RevisionSpec) { rs.Containers[0].Name = "queue-proxy" }, want: []string{c0 + ".name"}},
		{name: "termination message policy", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].TerminationMessagePolicy = "Sometimes"
		}, want: []string{c0 + ".terminationMessagePolicy"}},
		{name: "runAsUser negative", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].SecurityContext = &corev1.SecurityContext{RunAsUser: ptr[int64](-1)}
		}, want: []string{c0 + ".securityContext.runAsUser"}},
		{name: "runAsGroup too large", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].SecurityContext = &corev1.SecurityContext{RunAsGroup: ptr[int64](1 << 32)}
		}, want: []string{c0 + ".securityContext.runAsGroup"}},
	})
}

func TestImageReferences(t *testing.T) {
	valid := []string{
		"ubuntu",
		"ubuntu:",
		"library/ubuntu:22.04",
		"ghcr.io/knap-dev/hello:v1",
		"localhost:5000/hello",
		"registry.example.com:5000/team/app:1.0.0",
		"gcr.io/foo/bar@sha256:" + sha,
		"gcr.io/foo/bar:v1@sha256:" + sha,
		"kind.local/hello_world-app",
	}
	invalid := []string{
		"Ubuntu",
		"ghcr.io/Knap/hello",
		"a",
		"hello:bad tag",
		"hello:" + string(make([]byte, 129)),
		"hello@sha256:abc",
		"hello@md5:" + sha,
		"hello@sha256:" + sha + "@sha256:" + sha,
		"bad host:5000/app",
		"hello world",
		"@sha256:" + sha,
	}
	for _, img := range valid {
		t.Run(img, func(t *testing.T) {
			expectPaths(t, revisionWith(func(rs *serving.RevisionSpec) { rs.Containers[0].Image = img }))
		})
	}
	for _, img := range invalid {
		t.Run(img, func(t *testing.T) {
			expectPaths(t, revisionWith(func(rs *serving.RevisionSpec) { rs.Containers[0].Image = img }), c0+".image")
		})
	}
}

const sha = "4c0d9f4a5a3a1b8f1c2e3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b"

func TestEnv(t *testing.T) {
	runSpecCases(t, []specCase{
		{name: "PORT reserved", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].Env = []corev1.EnvVar{{Name: "A", Value: "1"}, {Name: "PORT", Value: "9000"}}
		}, want: []string{c0 + ".env[1].name"}},
		{name: "K_ variables reserved", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].Env = []corev1.EnvVar{{Name: "K_SERVICE"}, {Name: "K_CONFIGURATION"}, {Name: "K_REVISION"}}
		}, want: []string{c0 + ".env[0].name", c0 + ".env[1].name", c0 + ".env[2].name"}},
		{name: "sidecar may set PORT", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers = []corev1.Container{withPort(rs.Containers[0], 8080), sidecar("proxy")}
			rs.Containers[1].Env = []corev1.EnvVar{{Name: "PORT", Value: "9000"}}
		}},
		{name: "sidecar may not set K_REVISION", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers = []corev1.Container{withPort(rs.Containers[0], 8080), sidecar("proxy")}
			rs.Containers[1].Env = []corev1.EnvVar{{Name: "K_REVISION"}}
		}, want: []string{"spec.containers[1].env[0].name"}},
		{name: "env name required", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].Env = []corev1.EnvVar{{Value: "x"}}
		}, want: []string{c0 + ".env[0].name"}},
		{name: "envFrom both", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].EnvFrom = []corev1.EnvFromSource{{
				ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "cm"}},
				SecretRef:    &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "s"}},
			}}
		}, want: []string{c0 + ".envFrom[0].secretRef"}},
		{name: "envFrom neither", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].EnvFrom = []corev1.EnvFromSource{{Prefix: "X_"}}
		}, want: []string{c0 + ".envFrom[0]"}},
	})
}

func TestPorts(t *testing.T) {
	cases := []specCase{
		{name: "port 8080", mutate: func(rs *serving.RevisionSpec) { rs.Containers[0] = withPort(rs.Containers[0], 8080) }},
		{name: "port named http1", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].Ports = []corev1.ContainerPort{{Name: "http1", ContainerPort: 8081}}
		}},
		{name: "port without number", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].Ports = []corev1.ContainerPort{{Name: "h2c"}}
		}},
		{name: "two ports", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 8080}, {ContainerPort: 8081}}
		}, want: []string{c0 + ".ports"}},
		{name: "port name", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].Ports = []corev1.ContainerPort{{Name: "grpc", ContainerPort: 8080}}
		}, want: []string{c0 + ".ports[0].name"}},
		{name: "udp", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 8080, Protocol: corev1.ProtocolUDP}}
		}, want: []string{c0 + ".ports[0].protocol"}},
		{name: "out of range", mutate: func(rs *serving.RevisionSpec) { rs.Containers[0] = withPort(rs.Containers[0], 70000) }, want: []string{c0 + ".ports[0].containerPort"}},
		{name: "negative", mutate: func(rs *serving.RevisionSpec) { rs.Containers[0] = withPort(rs.Containers[0], -1) }, want: []string{c0 + ".ports[0].containerPort"}},
	}
	for _, p := range []int32{8012, 8013, 8022, 9090, 9091, 8008} {
		cases = append(cases, specCase{
			name:   fmt.Sprint("reserved ", p),
			mutate: func(rs *serving.RevisionSpec) { rs.Containers[0] = withPort(rs.Containers[0], p) },
			want:   []string{c0 + ".ports[0].containerPort"},
		})
	}
	runSpecCases(t, cases)
}

func TestMultiContainer(t *testing.T) {
	runSpecCases(t, []specCase{
		{name: "serving container and sidecar", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers = []corev1.Container{sidecar("log-shipper"), withPort(rs.Containers[0], 8080)}
		}},
		{name: "no container declares a port", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers = []corev1.Container{sidecar("app"), sidecar("proxy")}
		}, want: []string{"spec.containers"}},
		{name: "two containers declare ports", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers = []corev1.Container{withPort(rs.Containers[0], 8080), withPort(sidecar("proxy"), 9000)}
		}, want: []string{"spec.containers[1].ports"}},
		{name: "duplicate names", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers = []corev1.Container{withPort(rs.Containers[0], 8080), sidecar("user-container")}
		}, want: []string{"spec.containers[1].name"}},
		{name: "reserved sidecar name", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers = []corev1.Container{withPort(rs.Containers[0], 8080), sidecar("queue-proxy")}
		}, want: []string{"spec.containers[1].name"}},
		{name: "sidecar probes need multi-container-probing", mutate: func(rs *serving.RevisionSpec) {
			sc := sidecar("proxy")
			sc.ReadinessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(9000)}}}
			sc.LivenessProbe = &corev1.Probe{PeriodSeconds: 5}
			rs.Containers = []corev1.Container{withPort(rs.Containers[0], 8080), sc}
		}, want: []string{"spec.containers[1].readinessProbe", "spec.containers[1].livenessProbe"}},
		{name: "empty sidecar probe is ignored", mutate: func(rs *serving.RevisionSpec) {
			sc := sidecar("proxy")
			sc.StartupProbe = &corev1.Probe{}
			rs.Containers = []corev1.Container{withPort(rs.Containers[0], 8080), sc}
		}},
		{name: "sidecar without image", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers = []corev1.Container{withPort(rs.Containers[0], 8080), {Name: "proxy"}}
		}, want: []string{"spec.containers[1].image"}},
	})
}

func probe(h corev1.ProbeHandler) *corev1.Probe {
	return &corev1.Probe{ProbeHandler: h, SuccessThreshold: 1}
}

func TestProbes(t *testing.T) {
	tcp := corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{}}
	runSpecCases(t, []specCase{
		{name: "aggressive readiness probing", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].ReadinessProbe = probe(tcp)
		}},
		{name: "periodic readiness probing", mutate: func(rs *serving.RevisionSpec) {
			p := probe(corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/ready", Port: intstr.FromInt32(8080)}})
			p.PeriodSeconds, p.TimeoutSeconds, p.FailureThreshold, p.InitialDelaySeconds = 10, 1, 3, 5
			rs.Containers[0].ReadinessProbe = p
		}},
		{name: "exec liveness", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"true"}}}}
		}},
		{name: "probe port named like the default port", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{
				TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromString("http")},
			}}
		}},
		{name: "probe port name mismatch", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].Ports = []corev1.ContainerPort{{Name: "h2c", ContainerPort: 8080}}
			rs.Containers[0].ReadinessProbe = probe(corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromString("metrics")}})
		}, want: []string{c0 + ".readinessProbe.httpGet.port"}},
		{name: "no handler", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].LivenessProbe = &corev1.Probe{PeriodSeconds: 3}
		}, want: []string{c0 + ".livenessProbe"}},
		{name: "two handlers", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].StartupProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{
				HTTPGet:   &corev1.HTTPGetAction{Path: "/"},
				TCPSocket: &corev1.TCPSocketAction{},
			}}
		}, want: []string{c0 + ".startupProbe.tcpSocket"}},
		{name: "success threshold zero", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].ReadinessProbe.SuccessThreshold = 0
		}, want: []string{c0 + ".readinessProbe.successThreshold"}},
		{name: "aggressive probing owns timeout and failure threshold", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].ReadinessProbe.TimeoutSeconds = 1
			rs.Containers[0].ReadinessProbe.FailureThreshold = 3
		}, want: []string{c0 + ".readinessProbe.timeoutSeconds", c0 + ".readinessProbe.failureThreshold"}},
		{name: "periodic probing needs timeout and failure threshold", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].ReadinessProbe.PeriodSeconds = 5
		}, want: []string{c0 + ".readinessProbe.timeoutSeconds", c0 + ".readinessProbe.failureThreshold"}},
		{name: "negative period and delay", mutate: func(rs *serving.RevisionSpec) {
			p := rs.Containers[0].ReadinessProbe
			p.PeriodSeconds, p.InitialDelaySeconds, p.TimeoutSeconds, p.FailureThreshold = -1, -1, 1, 1
		}, want: []string{c0 + ".readinessProbe.periodSeconds", c0 + ".readinessProbe.initialDelaySeconds"}},
		{name: "grpc mode", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{
				GRPC: &corev1.GRPCAction{Port: 8080, Mode: ptr(corev1.GRPCProbeMode("x"))},
			}}
		}, want: []string{c0 + ".livenessProbe.grpc.mode"}},
	})
}
