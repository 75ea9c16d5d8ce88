package main

import (
	"fmt"
	"net"
	"strconv"

	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
)

// The Knative Service the gateway routes to: hello in namespace bench,
// whose one revision takes all traffic.
const (
	benchNamespace = "bench"
	serviceName    = "hello"
	revisionName   = "hello-00001"
	benchHost      = serviceName + "." + benchNamespace + ".example.com"
)

// routeObjects are what the controllers would have written for the hello
// Service with one pod whose queue listens at the benchmark's address.
type routeObjects struct {
	ingress  *networkingv1alpha1.Ingress
	revision *servingv1.Revision
	slice    *discoveryv1.EndpointSlice
}

// newRouteObjects builds them for the queue at backend (host:port). The
// Ingress is written by hand, as the route reconciler shapes it, so that
// the benchmark depends on the gateway alone.
func newRouteObjects(backend string) (routeObjects, error) {
	host, portStr, err := net.SplitHostPort(backend)
	if err != nil {
		return routeObjects{}, fmt.Errorf("backend %q: %w", backend, err)
	}
	port, err := strconv.ParseInt(portStr, 10, 32)
	if err != nil {
		return routeObjects{}, fmt.Errorf("backend %q: port: %w", backend, err)
	}
	split := networkingv1alpha1.IngressBackendSplit{
		IngressBackend: networkingv1alpha1.IngressBackend{
			ServiceNamespace: benchNamespace,
			ServiceName:      revisionName,
			ServicePort:      intstr.FromInt32(80),
		},
		Percent: 100,
		AppendHeaders: map[string]string{
			"Knative-Serving-Revision":  revisionName,
			"Knative-Serving-Namespace": benchNamespace,
		},
	}
	ingress := &networkingv1alpha1.Ingress{
		ObjectMeta: metav1.ObjectMeta{Name: serviceName, Namespace: benchNamespace},
		Spec: networkingv1alpha1.IngressSpec{
			HTTPOption: networkingv1alpha1.HTTPOptionEnabled,
			Rules: []networkingv1alpha1.IngressRule{{
				Hosts:      []string{benchHost},
				Visibility: networkingv1alpha1.IngressVisibilityExternalIP,
				HTTP: &networkingv1alpha1.HTTPIngressRuleValue{
					Paths: []networkingv1alpha1.HTTPIngressPath{{Splits: []networkingv1alpha1.IngressBackendSplit{split}}},
				},
			}},
		},
	}

	revision := &servingv1.Revision{ObjectMeta: metav1.ObjectMeta{Name: revisionName, Namespace: benchNamespace}}
	// 0: unlimited, Knative's default; the queue has no breaker either.
	revision.Spec.ContainerConcurrency = ptr.To[int64](0)

	slice := &discoveryv1.EndpointSlice{
		ObjectMeta: metav1.ObjectMeta{
			Name:      revisionName + "-bench",
			Namespace: benchNamespace,
			Labels:    map[string]string{discoveryv1.LabelServiceName: revisionName},
		},
		AddressType: discoveryv1.AddressTypeIPv4,
		Ports:       []discoveryv1.EndpointPort{{Name: ptr.To("http"), Port: ptr.To(int32(port))}},
		Endpoints: []discoveryv1.Endpoint{{
			Addresses:  []string{host},
			Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true)},
		}},
	}
	return routeObjects{ingress: ingress, revision: revision, slice: slice}, nil
}
