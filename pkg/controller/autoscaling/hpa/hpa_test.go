package hpa

import (
	"context"
	"math"
	"testing"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kubefake "k8s.io/client-go/kubernetes/fake"
	autoscalingv2listers "k8s.io/client-go/listers/autoscaling/v2"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	autoscalingv1alpha1 "github.com/knap-dev/knap/pkg/apis/autoscaling/v1alpha1"
	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/controller/config"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
	autoscalinglisters "github.com/knap-dev/knap/pkg/generated/listers/autoscaling/v1alpha1"
)

func podAutoscaler(annotations map[string]string) *autoscalingv1alpha1.PodAutoscaler {
	return &autoscalingv1alpha1.PodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "hello-00001", UID: "pa-uid", Generation: 1, Annotations: annotations},
		Spec: autoscalingv1alpha1.PodAutoscalerSpec{
			ScaleTargetRef: autoscalingv1alpha1.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "hello-00001-deployment"},
		},
	}
}

func TestMakeHPA(t *testing.T) {
	cfg := config.DefaultConfig().Autoscaler
	for name, tc := range map[string]struct {
		annotations map[string]string
		reach       autoscalingv1alpha1.ReachabilityType
		check       func(*testing.T, *autoscalingv2.HorizontalPodAutoscalerSpec)
	}{
		"no target: the HPA's defaults, unbounded": {
			check: func(t *testing.T, s *autoscalingv2.HorizontalPodAutoscalerSpec) {
				if s.MinReplicas != nil || s.MaxReplicas != math.MaxInt32 || len(s.Metrics) != 0 || s.Behavior != nil {
					t.Errorf("%+v", s)
				}
				if s.ScaleTargetRef.Name != "hello-00001-deployment" || s.ScaleTargetRef.Kind != "Deployment" {
					t.Errorf("target %+v", s.ScaleTargetRef)
				}
			},
		},
		"cpu target, bounds and window": {
			annotations: map[string]string{autoscaling.TargetAnnotationKey: "70.5", autoscaling.MinScaleAnnotationKey: "2",
				autoscaling.MaxScaleAnnotationKey: "5", autoscaling.WindowAnnotationKey: "90s"},
			check: func(t *testing.T, s *autoscalingv2.HorizontalPodAutoscalerSpec) {
				if *s.MinReplicas != 2 || s.MaxReplicas != 5 || s.Metrics[0].Resource.Name != corev1.ResourceCPU ||
					*s.Metrics[0].Resource.Target.AverageUtilization != 71 || *s.Behavior.ScaleDown.StabilizationWindowSeconds != 90 {
					t.Errorf("%+v", s)
				}
			},
		},
		"memory target in MiB": {
			annotations: map[string]string{autoscaling.MetricAnnotationKey: "memory", autoscaling.TargetAnnotationKey: "64"},
			check: func(t *testing.T, s *autoscalingv2.HorizontalPodAutoscalerSpec) {
				if s.Metrics[0].Resource.Name != corev1.ResourceMemory || s.Metrics[0].Resource.Target.AverageValue.Value() != 64<<20 {
					t.Errorf("%+v", s.Metrics)
				}
			},
		},
		"custom metric": {
			annotations: map[string]string{autoscaling.MetricAnnotationKey: "queue_depth", autoscaling.TargetAnnotationKey: "7"},
			check: func(t *testing.T, s *autoscalingv2.HorizontalPodAutoscalerSpec) {
				if s.Metrics[0].Pods.Metric.Name != "queue_depth" || s.Metrics[0].Pods.Target.AverageValue.Value() != 7 {
					t.Errorf("%+v", s.Metrics)
				}
			},
		},
		"unreachable: no lower bound": {
			annotations: map[string]string{autoscaling.MinScaleAnnotationKey: "3"},
			reach:       autoscalingv1alpha1.ReachabilityUnreachable,
			check: func(t *testing.T, s *autoscalingv2.HorizontalPodAutoscalerSpec) {
				if s.MinReplicas != nil {
					t.Errorf("min %v", *s.MinReplicas)
				}
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			p := podAutoscaler(tc.annotations)
			p.Spec.Reachability = tc.reach
			hpa := MakeHPA(p, cfg)
			if !metav1.IsControlledBy(hpa, p) {
				t.Error("not owned by the PodAutoscaler")
			}
			tc.check(t, &hpa.Spec)
		})
	}
}

func reconcile(t *testing.T, p *autoscalingv1alpha1.PodAutoscaler, hpas ...*autoscalingv2.HorizontalPodAutoscaler) (*kubefake.Clientset, *autoscalingv1alpha1.PodAutoscalerStatus, error) {
	t.Helper()
	kube := kubefake.NewSimpleClientset()
	client := fake.NewSimpleClientset(p)
	pas := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	_ = pas.Add(p)
	hpaIndex := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	for _, h := range hpas {
		_ = hpaIndex.Add(h)
		_ = kube.Tracker().Add(h)
	}
	r := &Reconciler{Kube: kube, Client: client, PodAutoscalers: autoscalinglisters.NewPodAutoscalerLister(pas),
		HPAs: autoscalingv2listers.NewHorizontalPodAutoscalerLister(hpaIndex), Config: config.DefaultConfig}
	err := r.Reconcile(context.Background(), "ns/hello-00001")
	for _, a := range client.Actions() {
		if u, ok := a.(clienttesting.UpdateAction); ok && a.GetSubresource() == "status" {
			return kube, &u.GetObject().(*autoscalingv1alpha1.PodAutoscaler).Status, err
		}
	}
	return kube, nil, err
}

func TestReconcileCreatesHPAAndReportsItsScale(t *testing.T) {
	p := podAutoscaler(map[string]string{autoscaling.ClassAnnotationKey: autoscaling.HPA})
	kube, status, err := reconcile(t, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(kube.Actions()) != 1 || kube.Actions()[0].GetVerb() != "create" {
		t.Fatalf("actions %v, want one create", kube.Actions())
	}
	if c := status.GetCondition(duckv1.ConditionReady); c.Status != corev1.ConditionUnknown {
		t.Errorf("before any replica: Ready %+v", c)
	}

	// The HPA reports 1 replica: initialized, ready; edited spec put back.
	hpa := MakeHPA(p, config.DefaultConfig().Autoscaler)
	hpa.Spec.MaxReplicas = 99
	hpa.Status = autoscalingv2.HorizontalPodAutoscalerStatus{CurrentReplicas: 1, DesiredReplicas: 2}
	kube, status, err = reconcile(t, p, hpa)
	if err != nil {
		t.Fatal(err)
	}
	if len(kube.Actions()) != 1 || kube.Actions()[0].GetVerb() != "update" {
		t.Errorf("actions %v, want the edited spec put back", kube.Actions())
	}
	if c := status.GetCondition(duckv1.ConditionReady); c.Status != corev1.ConditionTrue {
		t.Errorf("one replica: Ready %+v", c)
	}
	if *status.ActualScale != 1 || *status.DesiredScale != 2 || status.ServiceName != "hello-00001" {
		t.Errorf("status %+v", status)
	}
}

func TestReconcileRefusesAnHPAItDoesNotOwn(t *testing.T) {
	p := podAutoscaler(map[string]string{autoscaling.ClassAnnotationKey: autoscaling.HPA})
	foreign := MakeHPA(p, config.DefaultConfig().Autoscaler)
	foreign.OwnerReferences = nil
	kube, status, err := reconcile(t, p, foreign)
	if err == nil || len(kube.Actions()) != 0 {
		t.Fatalf("err %v actions %v", err, kube.Actions())
	}
	if c := status.GetCondition(duckv1.ConditionReady); c.Status != corev1.ConditionFalse || c.Reason != "NotOwned" {
		t.Errorf("Ready %+v", c)
	}
}

func TestReconcileLeavesOtherClasses(t *testing.T) {
	kube, _, err := reconcile(t, podAutoscaler(nil))
	if err != nil || len(kube.Actions()) != 0 {
		t.Errorf("KPA-class PodAutoscaler: err %v actions %v", err, kube.Actions())
	}
}
