package revision

import (
	"context"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	kubefake "k8s.io/client-go/kubernetes/fake"
	appslisters "k8s.io/client-go/listers/apps/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/controller/config"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
	autoscalinglisters "github.com/knap-dev/knap/pkg/generated/listers/autoscaling/v1alpha1"
	servinglisters "github.com/knap-dev/knap/pkg/generated/listers/serving/v1"
)

func newRevision() *servingv1.Revision {
	return &servingv1.Revision{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "hello-00001", UID: "rev-uid",
			Labels:      map[string]string{serving.ConfigurationLabel: "hello", serving.ServiceLabel: "hello"},
			Annotations: map[string]string{"autoscaling.knative.dev/min-scale": "1", "other": "x"}},
		Spec: servingv1.RevisionSpec{
			ContainerConcurrency: ptr.To[int64](10), TimeoutSeconds: ptr.To[int64](300),
			PodSpec: corev1.PodSpec{Containers: []corev1.Container{{
				Name: "user-container", Image: "hello",
				ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz"}}},
			}}},
		},
	}
}

func newIndexer() cache.Indexer {
	return cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
}

func run(t *testing.T, rev *servingv1.Revision, kubeObjs ...runtime.Object) (*kubefake.Clientset, *servingv1.RevisionStatus) {
	t.Helper()
	knap := fake.NewSimpleClientset(rev)
	kube := kubefake.NewSimpleClientset(kubeObjs...)
	revs, deps, svcs, pods, pas := newIndexer(), newIndexer(), newIndexer(), newIndexer(), newIndexer()
	_ = revs.Add(rev)
	for _, o := range kubeObjs {
		switch o.(type) {
		case *appsv1.Deployment:
			_ = deps.Add(o)
		case *corev1.Service:
			_ = svcs.Add(o)
		case *corev1.Pod:
			_ = pods.Add(o)
		}
	}
	r := &Reconciler{
		Kube: kube, Client: knap, Recorder: record.NewFakeRecorder(10), Config: config.DefaultConfig,
		Revisions: servinglisters.NewRevisionLister(revs), Deployments: appslisters.NewDeploymentLister(deps),
		Services: corelisters.NewServiceLister(svcs), Pods: corelisters.NewPodLister(pods),
		PodAutoscalers: autoscalinglisters.NewPodAutoscalerLister(pas),
	}
	if err := r.Reconcile(context.Background(), "ns/hello-00001"); err != nil {
		t.Fatal(err)
	}
	for _, a := range knap.Actions() {
		if u, ok := a.(clienttesting.UpdateAction); ok && a.GetSubresource() == "status" {
			return kube, &u.GetObject().(*servingv1.Revision).Status
		}
	}
	return kube, nil
}

func env(c corev1.Container) map[string]string {
	out := map[string]string{}
	for _, e := range c.Env {
		out[e.Name] = e.Value
	}
	return out
}

func TestNewRevisionGetsDeploymentServiceAndPodAutoscaler(t *testing.T) {
	kube, status := run(t, newRevision())
	var d *appsv1.Deployment
	var svc *corev1.Service
	for _, a := range kube.Actions() {
		if c, ok := a.(clienttesting.CreateAction); ok {
			switch o := c.GetObject().(type) {
			case *appsv1.Deployment:
				d = o
			case *corev1.Service:
				svc = o
			}
		}
	}
	if d == nil || svc == nil {
		t.Fatalf("created deployment %v service %v", d, svc)
	}
	if d.Name != "hello-00001-deployment" || *d.Spec.Replicas != 1 || d.Spec.Selector.MatchLabels[serving.RevisionUIDLabel] != "rev-uid" {
		t.Errorf("deployment %+v", d.ObjectMeta)
	}
	containers := d.Spec.Template.Spec.Containers
	if len(containers) != 2 || containers[1].Name != QueueContainerName || containers[1].Image != config.DefaultQueueSidecarImage {
		t.Fatalf("containers %+v", containers)
	}
	user, queue := env(containers[0]), env(containers[1])
	if user["PORT"] != "8080" || user["K_REVISION"] != "hello-00001" || user["K_CONFIGURATION"] != "hello" || user["K_SERVICE"] != "hello" {
		t.Errorf("user env %v", user)
	}
	if containers[0].ReadinessProbe != nil {
		t.Error("the user container kept its readiness probe; the queue probes it")
	}
	if queue["USER_PORT"] != "8080" || queue["CONTAINER_CONCURRENCY"] != "10" || queue["REVISION_TIMEOUT_SECONDS"] != "300" ||
		queue["SERVING_READINESS_PROBE"] == "" {
		t.Errorf("queue env %v", queue)
	}
	if h := containers[1].ReadinessProbe.HTTPGet; h == nil || h.Port.IntValue() != QueuePort || h.HTTPHeaders[0].Name != ProbeHeader {
		t.Errorf("queue readiness %+v", containers[1].ReadinessProbe)
	}
	if svc.Name != "hello-00001" || svc.Spec.Ports[0].Port != 80 || svc.Spec.Ports[0].TargetPort.IntValue() != QueuePort {
		t.Errorf("service %+v", svc.Spec)
	}
	if c := status.GetCondition(duckv1.ConditionReady); c.Status != corev1.ConditionUnknown || c.Reason != "Deploying" {
		t.Errorf("Ready %+v", c)
	}
}

func TestImagePullFailureMakesRevisionFail(t *testing.T) {
	rev := newRevision()
	d := MakeDeployment(rev, config.DefaultConfig(), 1)
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "p", Labels: selector(rev)},
		Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{{Name: "user-container", State: corev1.ContainerState{
			Waiting: &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff", Message: `Back-off pulling image "nope"`},
		}}}},
	}
	_, status := run(t, rev, d, MakeService(rev), pod)
	c := status.GetCondition(duckv1.ConditionReady)
	if c.Status != corev1.ConditionFalse || c.Reason != "ImagePullBackOff" || c.Message != `Back-off pulling image "nope"` {
		t.Errorf("Ready %+v", c)
	}
}

func TestReadyPodsMakeRevisionReady(t *testing.T) {
	rev := newRevision()
	d := MakeDeployment(rev, config.DefaultConfig(), 1)
	d.Status.ReadyReplicas = 1
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "p", Labels: selector(rev)},
		Status:     corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{{Name: "user-container", Ready: true, ImageID: "knap.local/hello@sha256:abc"}}},
	}
	_, status := run(t, rev, d, MakeService(rev), pod)
	if c := status.GetCondition(duckv1.ConditionReady); c.Status != corev1.ConditionTrue {
		t.Errorf("Ready %+v", c)
	}
	if *status.ActualReplicas != 1 || *status.DesiredReplicas != 1 || status.ContainerStatuses[0].ImageDigest != "knap.local/hello@sha256:abc" {
		t.Errorf("status %+v", status)
	}
}

func TestNewRevisionStartsAtItsInitialScale(t *testing.T) {
	for annotation, want := range map[string]int32{"": 1, "3": 3, "0": 1 /* zero not allowed by default */} {
		rev := newRevision()
		if annotation != "" {
			rev.Annotations = map[string]string{"autoscaling.knative.dev/initial-scale": annotation}
		}
		kube, _ := run(t, rev)
		created := false
		for _, a := range kube.Actions() {
			if c, ok := a.(clienttesting.CreateAction); ok {
				if d, ok := c.GetObject().(*appsv1.Deployment); ok {
					created = true
					if *d.Spec.Replicas != want {
						t.Errorf("initial-scale %q: Deployment created with %d replicas, want %d", annotation, *d.Spec.Replicas, want)
					}
				}
			}
		}
		if !created {
			t.Errorf("initial-scale %q: no Deployment created", annotation)
		}
	}
}
