package ingress

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
	networkinglisters "github.com/knap-dev/knap/pkg/generated/listers/networking/v1alpha1"
)

func ingressTo(backends ...string) *networkingv1alpha1.Ingress {
	var splits []networkingv1alpha1.IngressBackendSplit
	for _, b := range backends {
		splits = append(splits, networkingv1alpha1.IngressBackendSplit{IngressBackend: networkingv1alpha1.IngressBackend{ServiceNamespace: "ns", ServiceName: b}})
	}
	return &networkingv1alpha1.Ingress{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "hello", Generation: 3},
		Spec: networkingv1alpha1.IngressSpec{Rules: []networkingv1alpha1.IngressRule{{
			HTTP: &networkingv1alpha1.HTTPIngressRuleValue{Paths: []networkingv1alpha1.HTTPIngressPath{{Splits: splits}}},
		}}},
	}
}

func reconcile(t *testing.T, ing *networkingv1alpha1.Ingress, services ...string) *networkingv1alpha1.IngressStatus {
	t.Helper()
	client := fake.NewSimpleClientset(ing)
	ingresses := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	_ = ingresses.Add(ing)
	svcs := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	for _, s := range services {
		_ = svcs.Add(&corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: s}})
	}
	r := &Reconciler{Client: client, Ingresses: networkinglisters.NewIngressLister(ingresses), Services: corelisters.NewServiceLister(svcs)}
	if err := r.Reconcile(context.Background(), "ns/hello"); err != nil {
		t.Fatal(err)
	}
	for _, a := range client.Actions() {
		if u, ok := a.(clienttesting.UpdateAction); ok && a.GetSubresource() == "status" {
			return &u.GetObject().(*networkingv1alpha1.Ingress).Status
		}
	}
	t.Fatal("no status update")
	return nil
}

func TestReadyWhenEveryBackendExists(t *testing.T) {
	status := reconcile(t, ingressTo("hello-00001", "hello-00002"), "hello-00001")
	if c := status.GetCondition(duckv1.ConditionReady); c.Status != corev1.ConditionUnknown || c.Reason != "BackendMissing" {
		t.Errorf("one backend missing: Ready %+v", c)
	}
	status = reconcile(t, ingressTo("hello-00001", "hello-00002"), "hello-00001", "hello-00002")
	if c := status.GetCondition(duckv1.ConditionReady); c.Status != corev1.ConditionTrue {
		t.Errorf("all backends: Ready %+v", c)
	}
	if status.ObservedGeneration != 3 || status.PublicLoadBalancer.Ingress[0].DomainInternal != GatewayHost {
		t.Errorf("status %+v", status)
	}
}
