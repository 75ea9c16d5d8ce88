package kpa

import (
	"context"
	"fmt"
	"net"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"
)

// ServiceName is the Service (without selector, artifacts/deploy) through
// which gateways reach the autoscaler: only the leader collects stats, so
// the leader points the Service's one EndpointSlice at itself.
const ServiceName = "knap-autoscaler"

// Advertise makes ServiceName's EndpointSlice in namespace name address
// (host:port), replacing whatever a previous leader wrote.
func Advertise(ctx context.Context, kube kubernetes.Interface, namespace, address string) error {
	host, portText, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("--advertise-address: %w", err)
	}
	port, err := strconv.ParseInt(portText, 10, 32)
	ip := net.ParseIP(host)
	if err != nil || ip == nil {
		return fmt.Errorf("--advertise-address %q: want an IP and a port", address)
	}
	family := discoveryv1.AddressTypeIPv4
	if ip.To4() == nil {
		family = discoveryv1.AddressTypeIPv6
	}
	want := &discoveryv1.EndpointSlice{
		ObjectMeta: metav1.ObjectMeta{Name: ServiceName, Namespace: namespace, Labels: map[string]string{
			discoveryv1.LabelServiceName: ServiceName,
			discoveryv1.LabelManagedBy:   "knap-controller",
		}},
		AddressType: family,
		Endpoints: []discoveryv1.Endpoint{{
			Addresses:  []string{ip.String()},
			Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true)},
		}},
		Ports: []discoveryv1.EndpointPort{{Name: ptr.To("http"), Port: ptr.To(int32(port)), Protocol: ptr.To(corev1.ProtocolTCP)}},
	}
	slices := kube.DiscoveryV1().EndpointSlices(namespace)
	existing, err := slices.Get(ctx, ServiceName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		_, err = slices.Create(ctx, want, metav1.CreateOptions{})
		return err
	} else if err != nil {
		return err
	}
	existing.Labels, existing.AddressType, existing.Endpoints, existing.Ports = want.Labels, want.AddressType, want.Endpoints, want.Ports
	_, err = slices.Update(ctx, existing, metav1.UpdateOptions{})
	return err
}
