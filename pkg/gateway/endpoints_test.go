package gateway

import (
	"slices"
	"testing"

	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/utils/ptr"
)

func TestReadyEndpoints(t *testing.T) {
	ep := func(addr string, ready *bool) discoveryv1.Endpoint {
		return discoveryv1.Endpoint{Addresses: []string{addr}, Conditions: discoveryv1.EndpointConditions{Ready: ready}}
	}
	port := func(name string, p int32) discoveryv1.EndpointPort {
		return discoveryv1.EndpointPort{Name: ptr.To(name), Port: ptr.To(p)}
	}
	slice := func(ports []discoveryv1.EndpointPort, eps ...discoveryv1.Endpoint) *discoveryv1.EndpointSlice {
		return &discoveryv1.EndpointSlice{Ports: ports, Endpoints: eps}
	}
	cases := []struct {
		name   string
		slices []*discoveryv1.EndpointSlice
		want   []string
	}{
		{"none", nil, nil},
		{"ready, unset and not ready",
			[]*discoveryv1.EndpointSlice{slice([]discoveryv1.EndpointPort{port("http", 8012)},
				ep("10.0.0.1", ptr.To(true)), ep("10.0.0.2", nil), ep("10.0.0.3", ptr.To(false)))},
			[]string{"10.0.0.1:8012", "10.0.0.2:8012"}},
		{"several slices, one pod in two",
			[]*discoveryv1.EndpointSlice{
				slice([]discoveryv1.EndpointPort{port("http", 8012)}, ep("10.0.0.2", nil), ep("10.0.0.1", nil)),
				slice([]discoveryv1.EndpointPort{port("http", 8012)}, ep("10.0.0.1", nil), ep("10.0.0.3", nil)),
			},
			[]string{"10.0.0.1:8012", "10.0.0.2:8012", "10.0.0.3:8012"}},
		{"a port per slice",
			[]*discoveryv1.EndpointSlice{
				slice([]discoveryv1.EndpointPort{port("http", 40001)}, ep("127.0.0.1", nil)),
				slice([]discoveryv1.EndpointPort{port("http", 40002)}, ep("127.0.0.1", nil)),
			},
			[]string{"127.0.0.1:40001", "127.0.0.1:40002"}},
		{"the queue's port among others",
			[]*discoveryv1.EndpointSlice{slice([]discoveryv1.EndpointPort{port("metrics", 9090), port("h2", 8012)}, ep("10.0.0.1", nil))},
			[]string{"10.0.0.1:8012"}},
		{"the http port among others",
			[]*discoveryv1.EndpointSlice{slice([]discoveryv1.EndpointPort{port("metrics", 9090), port("http", 8013)}, ep("10.0.0.1", nil))},
			[]string{"10.0.0.1:8013"}},
		{"an unnamed only port",
			[]*discoveryv1.EndpointSlice{slice([]discoveryv1.EndpointPort{{Port: ptr.To(int32(8080))}}, ep("10.0.0.1", nil))},
			[]string{"10.0.0.1:8080"}},
		{"no port to choose",
			[]*discoveryv1.EndpointSlice{slice([]discoveryv1.EndpointPort{port("a", 1), port("b", 2)}, ep("10.0.0.1", nil))},
			nil},
		{"IPv6",
			[]*discoveryv1.EndpointSlice{slice([]discoveryv1.EndpointPort{port("http", 8012)}, ep("fd00::1", nil))},
			[]string{"[fd00::1]:8012"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := readyEndpoints(c.slices); !slices.Equal(got, c.want) {
				t.Errorf("readyEndpoints = %v, want %v", got, c.want)
			}
		})
	}
}
