package kpa

import (
	"context"
	"testing"

	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kubefake "k8s.io/client-go/kubernetes/fake"
)

func TestAdvertiseReplacesThePreviousLeader(t *testing.T) {
	ctx := context.Background()
	kube := kubefake.NewSimpleClientset()
	for _, tc := range []struct{ address, ip string }{{"10.244.0.7:9090", "10.244.0.7"}, {"[fd00::3]:9090", "fd00::3"}} {
		if err := Advertise(ctx, kube, "knap-system", tc.address); err != nil {
			t.Fatal(err)
		}
		s, err := kube.DiscoveryV1().EndpointSlices("knap-system").Get(ctx, ServiceName, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if s.Labels[discoveryv1.LabelServiceName] != ServiceName || len(s.Endpoints) != 1 || s.Endpoints[0].Addresses[0] != tc.ip || *s.Ports[0].Port != 9090 {
			t.Errorf("%s: slice %+v", tc.address, s)
		}
	}
	for _, bad := range []string{"10.0.0.1", "pod:9090", "10.0.0.1:http"} {
		if err := Advertise(ctx, kube, "knap-system", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
