package revision

import (
	"encoding/json"
	"maps"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	autoscalingv1alpha1 "github.com/knap-dev/knap/pkg/apis/autoscaling/v1alpha1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/controller/config"
)

// The revision pod's contract with knap-queue (cmd/queue), as Knative's
// with queue-proxy: the revision's Service sends to QueuePort; the queue
// proxies to the user container on its port; kubelet asks the queue
// whether the user container is ready.
const (
	QueueContainerName = "queue-proxy"
	QueuePort          = 8012
	QueueMetricsPort   = 9090
	// QueueAdminPort serves /wait-for-drain, the user container's preStop
	// hook: it returns once the queue has drained.
	QueueAdminPort = 8022
	// DrainSeconds is how long the queue keeps serving after SIGTERM while
	// requests still arrive (its DRAIN_SLEEP quiet period, as Knative's).
	DrainSeconds = 30
	// ProbeHeader marks kubelet's readiness probe of the queue, which
	// answers it itself by probing the user container.
	ProbeHeader = "K-Network-Probe"
	ProbeValue  = "queue"
	// DefaultUserPort is the user container's port when it names none.
	DefaultUserPort = 8080
)

// DeploymentName is the name of a revision's Deployment.
func DeploymentName(rev *servingv1.Revision) string { return rev.Name + "-deployment" }

func ownerRefs(rev *servingv1.Revision) []metav1.OwnerReference {
	return []metav1.OwnerReference{*metav1.NewControllerRef(rev, servingv1.SchemeGroupVersion.WithKind("Revision"))}
}

// revisionLabels are the revision's labels plus the ones naming it, on every
// object made for it (and on its pods).
func revisionLabels(rev *servingv1.Revision) map[string]string {
	l := maps.Clone(rev.Labels)
	if l == nil {
		l = map[string]string{}
	}
	l[serving.RevisionLabel] = rev.Name
	l[serving.RevisionUIDLabel] = string(rev.UID)
	l["app"] = rev.Name
	return l
}

// selector selects the revision's pods.
func selector(rev *servingv1.Revision) map[string]string {
	return map[string]string{serving.RevisionUIDLabel: string(rev.UID)}
}

// userPort is the port the user container listens on.
func userPort(rev *servingv1.Revision) int32 {
	for _, c := range rev.Spec.Containers {
		if len(c.Ports) > 0 && c.Ports[0].ContainerPort != 0 {
			return c.Ports[0].ContainerPort
		}
	}
	return DefaultUserPort
}

// MakeDeployment is the Deployment running rev's pods: the user
// container(s) with Knative's environment and the queue in front.
func MakeDeployment(rev *servingv1.Revision, cfg *config.Config, replicas int32) *appsv1.Deployment {
	spec := rev.Spec.PodSpec.DeepCopy()
	port := userPort(rev)
	var readiness *corev1.Probe
	for i := range spec.Containers {
		c := &spec.Containers[i]
		if i == 0 || len(c.Ports) > 0 {
			// The serving container: the queue probes it in its stead.
			readiness = c.ReadinessProbe
			c.ReadinessProbe = nil
			c.Ports = []corev1.ContainerPort{{Name: "user-port", ContainerPort: port, Protocol: corev1.ProtocolTCP}}
			c.Env = append(c.Env, corev1.EnvVar{Name: "PORT", Value: strconv.Itoa(int(port))})
			if c.Lifecycle == nil {
				c.Lifecycle = &corev1.Lifecycle{}
			}
			if c.Lifecycle.PreStop == nil {
				c.Lifecycle.PreStop = &corev1.LifecycleHandler{HTTPGet: &corev1.HTTPGetAction{
					Path: "/wait-for-drain", Port: intstr.FromInt32(QueueAdminPort),
				}}
			}
		}
		c.Env = append(c.Env,
			corev1.EnvVar{Name: "K_REVISION", Value: rev.Name},
			corev1.EnvVar{Name: "K_CONFIGURATION", Value: rev.Labels[serving.ConfigurationLabel]},
			corev1.EnvVar{Name: "K_SERVICE", Value: rev.Labels[serving.ServiceLabel]},
		)
		if c.TerminationMessagePolicy == "" {
			c.TerminationMessagePolicy = corev1.TerminationMessageFallbackToLogsOnError
		}
	}
	spec.Containers = append(spec.Containers, queueContainer(rev, cfg, port, readiness))
	if spec.EnableServiceLinks == nil {
		spec.EnableServiceLinks = ptr.To(false)
	}
	// The queue drains, then requests in flight may finish before the pod goes.
	spec.TerminationGracePeriodSeconds = ptr.To(DrainSeconds + ptr.Deref(rev.Spec.TimeoutSeconds, 300) + 5)
	l := revisionLabels(rev)
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{
			Name: DeploymentName(rev), Namespace: rev.Namespace, Labels: l,
			Annotations: maps.Clone(rev.Annotations), OwnerReferences: ownerRefs(rev),
		},
		Spec: appsv1.DeploymentSpec{
			Replicas:                ptr.To(replicas),
			Selector:                &metav1.LabelSelector{MatchLabels: selector(rev)},
			ProgressDeadlineSeconds: ptr.To(int32(cfg.Deployment.ProgressDeadline.Seconds())),
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{
				MaxUnavailable: ptr.To(intstr.FromInt32(0)),
			}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: l, Annotations: maps.Clone(rev.Annotations)},
				Spec:       *spec,
			},
		},
	}
}

func queueContainer(rev *servingv1.Revision, cfg *config.Config, userPort int32, readiness *corev1.Probe) corev1.Container {
	probeJSON := ""
	if readiness != nil {
		b, _ := json.Marshal(readiness)
		probeJSON = string(b)
	}
	seconds := func(p *int64) string { return strconv.FormatInt(ptr.Deref(p, 0), 10) }
	c := corev1.Container{
		Name:  QueueContainerName,
		Image: cfg.Deployment.QueueSidecarImage,
		Ports: []corev1.ContainerPort{
			{Name: "queue-port", ContainerPort: QueuePort, Protocol: corev1.ProtocolTCP},
			{Name: "http-autometric", ContainerPort: QueueMetricsPort, Protocol: corev1.ProtocolTCP},
			{Name: "http-queueadm", ContainerPort: QueueAdminPort, Protocol: corev1.ProtocolTCP},
		},
		Env: []corev1.EnvVar{
			{Name: "QUEUE_SERVING_PORT", Value: strconv.Itoa(QueuePort)},
			{Name: "QUEUE_METRICS_PORT", Value: strconv.Itoa(QueueMetricsPort)},
			{Name: "QUEUE_ADMIN_PORT", Value: strconv.Itoa(QueueAdminPort)},
			{Name: "DRAIN_SLEEP", Value: strconv.Itoa(DrainSeconds)},
			{Name: "USER_PORT", Value: strconv.Itoa(int(userPort))},
			{Name: "SERVING_NAMESPACE", Value: rev.Namespace},
			{Name: "SERVING_REVISION", Value: rev.Name},
			{Name: "SERVING_CONFIGURATION", Value: rev.Labels[serving.ConfigurationLabel]},
			{Name: "SERVING_SERVICE", Value: rev.Labels[serving.ServiceLabel]},
			{Name: "CONTAINER_CONCURRENCY", Value: seconds(rev.Spec.ContainerConcurrency)},
			{Name: "REVISION_TIMEOUT_SECONDS", Value: seconds(rev.Spec.TimeoutSeconds)},
			{Name: "REVISION_RESPONSE_START_TIMEOUT_SECONDS", Value: seconds(rev.Spec.ResponseStartTimeoutSeconds)},
			{Name: "REVISION_IDLE_TIMEOUT_SECONDS", Value: seconds(rev.Spec.IdleTimeoutSeconds)},
			{Name: "SERVING_READINESS_PROBE", Value: probeJSON},
			{Name: "SERVING_POD", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}},
			{Name: "SERVING_POD_IP", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "status.podIP"}}},
		},
		ReadinessProbe: &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
				Port:        intstr.FromInt32(QueuePort),
				HTTPHeaders: []corev1.HTTPHeader{{Name: ProbeHeader, Value: ProbeValue}},
			}},
			PeriodSeconds:    1,
			TimeoutSeconds:   1,
			SuccessThreshold: 1,
			FailureThreshold: 3,
		},
		// The image declares no user.
		SecurityContext: &corev1.SecurityContext{
			RunAsNonRoot:             ptr.To(true),
			RunAsUser:                ptr.To[int64](65532),
			AllowPrivilegeEscalation: ptr.To(false),
			ReadOnlyRootFilesystem:   ptr.To(true),
			Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
		},
	}
	if q := cfg.Deployment.QueueSidecarCPURequest; q != nil {
		c.Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: *q}
	}
	return c
}

// MakeService is the revision's Kubernetes Service: port 80 to the queue
// of each of its pods. Ingress splits name it.
func MakeService(rev *servingv1.Revision) *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: rev.Name, Namespace: rev.Namespace, Labels: revisionLabels(rev), OwnerReferences: ownerRefs(rev)},
		Spec: corev1.ServiceSpec{
			Selector: selector(rev),
			Ports: []corev1.ServicePort{{
				Name: "http", Port: 80, TargetPort: intstr.FromInt32(QueuePort), Protocol: corev1.ProtocolTCP,
			}},
		},
	}
}

// MakePodAutoscaler is the PodAutoscaler of rev: the autoscaling
// annotations (the class defaulted from config-autoscaler, which the API
// server does not read), the Deployment as scale target, the concurrency
// limit.
func MakePodAutoscaler(rev *servingv1.Revision, cfg *config.Config) *autoscalingv1alpha1.PodAutoscaler {
	annotations := map[string]string{autoscaling.ClassAnnotationKey: cfg.Autoscaler.PodAutoscalerClass}
	for k, v := range rev.Annotations {
		if strings.HasPrefix(k, autoscaling.AnnotationGroup+"/") {
			annotations[k] = v
		}
	}
	return &autoscalingv1alpha1.PodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Name: rev.Name, Namespace: rev.Namespace, Labels: revisionLabels(rev), Annotations: annotations, OwnerReferences: ownerRefs(rev)},
		Spec: autoscalingv1alpha1.PodAutoscalerSpec{
			ContainerConcurrency: ptr.Deref(rev.Spec.ContainerConcurrency, 0),
			Reachability:         reachability(rev),
			ScaleTargetRef:       autoscalingv1alpha1.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: DeploymentName(rev)},
			ProtocolType:         autoscalingv1alpha1.ProtocolType("http1"),
		},
	}
}

// reachability says whether a Route sends the revision traffic, from the
// routing state the route reconciler records: an unreachable revision
// loses its min-scale and may go to zero.
func reachability(rev *servingv1.Revision) autoscalingv1alpha1.ReachabilityType {
	switch rev.Labels[serving.RoutingStateLabel] {
	case serving.RoutingStateActive:
		return autoscalingv1alpha1.ReachabilityReachable
	case serving.RoutingStateReserve:
		return autoscalingv1alpha1.ReachabilityUnreachable
	}
	return autoscalingv1alpha1.ReachabilityUnknown
}
