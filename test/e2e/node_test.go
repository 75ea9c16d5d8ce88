package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/knap-dev/knap/test/e2e/framework"
)

// TestNodeRunsPods: a Deployment of the local hello image becomes Ready on
// the node and answers HTTP on its pod IPs; it scales 0 -> 3 -> 0.
func TestNodeRunsPods(t *testing.T) {
	image := helloImage(t)
	kube := kubernetes.NewForConfigOrDie(framework.RESTConfig(t, cluster.AdminKubeconfig()))
	ns := cluster.NewNamespace(t, "node")
	c, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	labels := map[string]string{"app": "hello"}
	deployments := kube.AppsV1().Deployments(ns)
	_, err := deployments.Create(c, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "hello"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](1),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					TerminationGracePeriodSeconds: ptr.To[int64](5),
					Containers: []corev1.Container{{
						Name:            "hello",
						Image:           image,
						ImagePullPolicy: corev1.PullNever,
						Env:             []corev1.EnvVar{{Name: "TARGET", Value: "e2e"}},
						Ports:           []corev1.ContainerPort{{ContainerPort: 8080}},
						ReadinessProbe: &corev1.Probe{
							ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromInt32(8080)}},
							PeriodSeconds: 1,
						},
					}},
				},
			},
		},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}

	// scaleTo sets the replicas, waits until exactly that many pods exist
	// and are ready, and checks each answers on its pod IP.
	scaleTo := func(replicas int32) time.Duration {
		t.Helper()
		start := time.Now()
		scale := &autoscalingv1.Scale{
			ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: ns},
			Spec:       autoscalingv1.ScaleSpec{Replicas: replicas},
		}
		if _, err := deployments.UpdateScale(c, "hello", scale, metav1.UpdateOptions{}); err != nil {
			t.Fatalf("scale to %d: %v", replicas, err)
		}
		var ips []string
		err := wait.PollUntilContextCancel(c, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
			pods, err := kube.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=hello"})
			if err != nil {
				return false, err
			}
			ips = nil
			for _, p := range pods.Items {
				if p.DeletionTimestamp == nil && podReady(&p) && p.Status.PodIP != "" {
					ips = append(ips, p.Status.PodIP)
				}
			}
			return len(pods.Items) == int(replicas) && len(ips) == int(replicas), nil
		})
		if err != nil {
			t.Fatalf("waiting for %d ready pods (have %v): %v", replicas, ips, err)
		}
		for _, ip := range ips {
			requireHello(t, ip)
		}
		return time.Since(start)
	}

	first := scaleTo(1)
	t.Logf("first pod answered %s after create", first.Round(time.Millisecond))
	scaleTo(0)
	t.Logf("scale 0 -> 1: a pod answered after %s", scaleTo(1).Round(time.Millisecond))
	t.Logf("scale 1 -> 3 in %s", scaleTo(3).Round(time.Millisecond))
	scaleTo(0)
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// requireHello expects the hello app's greeting from ip:8080.
func requireHello(t *testing.T, ip string) {
	t.Helper()
	requireHTTP(t, fmt.Sprintf("http://%s:8080/", ip), "Hello e2e!")
}
