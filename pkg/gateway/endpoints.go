package gateway

import (
	"fmt"
	"net"
	"slices"
	"strconv"

	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/knap-dev/knap/pkg/queue"
)

// servicePortName is the name of the revision Service's one port (80 ->
// the queue's 8012), which its EndpointSlices carry.
const servicePortName = "http"

// serviceIndex indexes EndpointSlices by the namespace/name of their
// Service, which for a revision is the revision's.
const serviceIndex = "knap-gateway/service"

// sliceService is the revision an EndpointSlice belongs to, if any.
func sliceService(s *discoveryv1.EndpointSlice) (types.NamespacedName, bool) {
	name := s.Labels[discoveryv1.LabelServiceName]
	return types.NamespacedName{Namespace: s.Namespace, Name: name}, name != ""
}

// indexByService is the informer indexer of serviceIndex.
func indexByService(obj any) ([]string, error) {
	s, ok := obj.(*discoveryv1.EndpointSlice)
	if !ok {
		return nil, fmt.Errorf("not an EndpointSlice: %T", obj)
	}
	if key, ok := sliceService(s); ok {
		return []string{key.String()}, nil
	}
	return nil, nil
}

// readyEndpoints are the host:port addresses of the ready endpoints in
// slices, at each slice's serving port, sorted and without duplicates (an
// endpoint may show in two slices while the controller moves it).
func readyEndpoints(endpointSlices []*discoveryv1.EndpointSlice) []string {
	var out []string
	for _, s := range endpointSlices {
		port, ok := servingPort(s.Ports)
		if !ok {
			continue
		}
		p := strconv.Itoa(int(port))
		for _, e := range s.Endpoints {
			// Ready unset means ready (the API's rule); a terminating pod
			// is not ready.
			if e.Conditions.Ready != nil && !*e.Conditions.Ready || len(e.Addresses) == 0 {
				continue
			}
			// A pod's addresses are interchangeable; the first will do.
			out = append(out, net.JoinHostPort(e.Addresses[0], p))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// servingPort is the slice's port toward the queue: the one numbered
// queue.DefaultServingPort, else the one named like the Service's port,
// else the only one.
func servingPort(ports []discoveryv1.EndpointPort) (int32, bool) {
	var named, only *int32
	for _, p := range ports {
		if p.Port == nil {
			continue
		}
		if *p.Port == queue.DefaultServingPort {
			return *p.Port, true
		}
		if p.Name != nil && *p.Name == servicePortName {
			named = p.Port
		}
		only = p.Port
	}
	switch {
	case named != nil:
		return *named, true
	case len(ports) == 1 && only != nil:
		return *only, true
	}
	return 0, false
}
