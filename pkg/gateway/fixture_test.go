package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	kubefake "k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/autoscaler"
	"github.com/knap-dev/knap/pkg/controller/serving/route"
	knapfake "github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
	"github.com/knap-dev/knap/pkg/rawio"
)

// ceiling bounds every wait in these tests: a hung test fails instead of
// running forever. Nothing asserts how long anything takes.
const ceiling = 30 * time.Second

// waitFor polls cond until it holds, failing the test at the ceiling.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(ceiling)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// waitGate blocks a pod's handler until the test opens gate, or ends: a
// failed test must not leave handlers that its servers' Close waits for.
func waitGate(t *testing.T, gate <-chan struct{}) {
	select {
	case <-gate:
	case <-t.Context().Done():
	}
}

// await receives from ch, failing the test at the ceiling.
func await[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(ceiling):
		t.Fatal("timed out waiting for a result")
		var zero T
		return zero
	}
}

// fixture is a gateway on fake clientsets and real informers, served on
// loopback, with a fake clock and, when asked, a fake autoscaler.
type fixture struct {
	t          *testing.T
	kube       *kubefake.Clientset
	knap       *knapfake.Clientset
	clock      *clocktesting.FakeClock
	gw         *Gateway
	url        string
	autoscaler *fakeAutoscaler
}

type fixtureOptions struct {
	queueDepth int
	maxTimeout time.Duration
	autoscaler bool
}

func newFixture(t *testing.T, o fixtureOptions, objs ...runtime.Object) *fixture {
	t.Helper()
	var kubeObjs, knapObjs []runtime.Object
	for _, obj := range objs {
		if _, ok := obj.(*discoveryv1.EndpointSlice); ok {
			kubeObjs = append(kubeObjs, obj)
		} else {
			knapObjs = append(knapObjs, obj)
		}
	}
	f := &fixture{
		t:     t,
		kube:  kubefake.NewSimpleClientset(kubeObjs...),
		knap:  knapfake.NewSimpleClientset(knapObjs...),
		clock: clocktesting.NewFakeClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)),
	}
	// The fake clientsets lose what is created between an informer's list
	// and its watch: wait for the watches before the test writes.
	var mu sync.Mutex
	watching := map[string]bool{}
	record := func(a clienttesting.Action) (bool, watch.Interface, error) {
		mu.Lock()
		watching[a.GetResource().Resource] = true
		mu.Unlock()
		return false, nil, nil
	}
	f.kube.PrependWatchReactor("*", record)
	f.knap.PrependWatchReactor("*", record)

	if o.queueDepth == 0 {
		o.queueDepth = DefaultQueueDepth
	}
	cfg := Config{
		Kube: f.kube, Knap: f.knap, Name: "gateway-test",
		QueueDepth: o.queueDepth, MaxTimeout: o.maxTimeout, Clock: f.clock,
	}
	if o.autoscaler {
		f.autoscaler = newFakeAutoscaler(t)
		cfg.AutoscalerURL = f.autoscaler.srv.URL
	}
	gw, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.gw = gw
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := gw.Start(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the informers' watches", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return watching["endpointslices"] && watching["ingresses"] && watching["revisions"]
	})
	// Tests step the clock from a known set of timers: the housekeeping
	// ticker first.
	waitFor(t, "the housekeeping ticker", f.clock.HasWaiters)
	// Accepted connections are wrapped as Serve wraps them.
	srv := httptest.NewUnstartedServer(gw.Handler())
	srv.Listener = rawio.Listener(srv.Listener)
	srv.Start()
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

// request sends method to path on the gateway with Host host.
func (f *fixture) request(ctx context.Context, host, path string, header http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.url+path, nil)
	if err != nil {
		return nil, err
	}
	req.Host = host
	for k, vs := range header {
		req.Header[k] = vs
	}
	return http.DefaultClient.Do(req)
}

// get sends a GET and returns status and body.
func (f *fixture) get(host, path string, header http.Header) (int, string) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(f.t.Context(), ceiling)
	defer cancel()
	resp, err := f.request(ctx, host, path, header)
	if err != nil {
		f.t.Fatalf("GET %s%s: %v", host, path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// asyncGet sends a GET in the background; the result arrives on the
// channel.
type result struct {
	status int
	body   string
	err    error
}

func (f *fixture) asyncGet(ctx context.Context, host, path string) <-chan result {
	ch := make(chan result, 1)
	go func() {
		resp, err := f.request(ctx, host, path, nil)
		if err != nil {
			ch <- result{err: err}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		ch <- result{status: resp.StatusCode, body: string(body), err: err}
	}()
	return ch
}

func (f *fixture) addSlice(s *discoveryv1.EndpointSlice) {
	f.t.Helper()
	if _, err := f.kube.DiscoveryV1().EndpointSlices(s.Namespace).Create(context.Background(), s, metav1.CreateOptions{}); err != nil {
		f.t.Fatal(err)
	}
}

// state is the balancer state of a revision of namespace "ns", zero
// until the gateway knows the revision.
func (f *fixture) state(rev string) balancerState {
	r := f.gw.revisions.lookup(revKey(rev))
	if r == nil {
		return balancerState{}
	}
	return r.balancer.state()
}

// waitIdle waits until no request of revision rev is in the gateway: a
// client has its response before the handler's last bookkeeping ran.
func (f *fixture) waitIdle(rev string) {
	f.t.Helper()
	waitFor(f.t, rev+" to be idle", func() bool {
		r := f.gw.revisions.lookup(revKey(rev))
		return r == nil || r.stats.Concurrency() == 0 && r.balancer.state().inFlight == 0
	})
}

func revKey(name string) types.NamespacedName {
	return types.NamespacedName{Namespace: "ns", Name: name}
}

// routeIngress is the Ingress the route reconciler publishes for Route
// name in namespace "ns" under example.com.
func routeIngress(name string, labels map[string]string, targets ...route.Target) *networkingv1alpha1.Ingress {
	r := &servingv1.Route{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", Labels: labels, UID: types.UID(name + "-uid")}}
	return route.MakeIngress(r, targets, route.HostsFor(r, "example.com"))
}

func target(rev string, percent int64, tag string) route.Target {
	tt := servingv1.TrafficTarget{RevisionName: rev, Tag: tag}
	if percent > 0 {
		tt.Percent = ptr.To(percent)
	}
	return route.Target{TrafficTarget: tt, ServiceName: rev}
}

func revisionObj(name string, cc, timeoutSeconds int64) *servingv1.Revision {
	r := &servingv1.Revision{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns"}}
	r.Spec.ContainerConcurrency = ptr.To(cc)
	if timeoutSeconds > 0 {
		r.Spec.TimeoutSeconds = ptr.To(timeoutSeconds)
	}
	return r
}

// podSlice is an EndpointSlice of revision rev with one ready pod at
// addr (host:port), named after it so each pod can have its own.
func podSlice(rev, addr string) *discoveryv1.EndpointSlice {
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	return &discoveryv1.EndpointSlice{
		ObjectMeta: metav1.ObjectMeta{
			Name: fmt.Sprintf("%s-%s", rev, port), Namespace: "ns",
			Labels: map[string]string{discoveryv1.LabelServiceName: rev},
		},
		AddressType: discoveryv1.AddressTypeIPv4,
		Ports:       []discoveryv1.EndpointPort{{Name: ptr.To("http"), Port: ptr.To(int32(p))}},
		Endpoints: []discoveryv1.Endpoint{{
			Addresses:  []string{host},
			Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true)},
		}},
	}
}

// pod is an httptest server standing in for a revision pod's queue.
type pod struct {
	name string
	srv  *httptest.Server
}

func (p *pod) addr() string {
	u, _ := url.Parse(p.srv.URL)
	return u.Host
}

// newPod answers with its name and, in headers, what it received; a
// non-nil handler replaces that.
func newPod(t *testing.T, name string, h http.HandlerFunc) *pod {
	t.Helper()
	if h == nil {
		h = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Pod", name)
			w.Header().Set("X-Seen-Host", r.Host)
			for _, k := range []string{"Knative-Serving-Revision", "Knative-Serving-Namespace", "K-Proxy-Request", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto"} {
				w.Header().Set("X-Seen-"+k, r.Header.Get(k))
			}
			fmt.Fprint(w, name)
		}
	}
	p := &pod{name: name, srv: httptest.NewServer(h)}
	t.Cleanup(p.srv.Close)
	return p
}

// fakeAutoscaler records the reports it receives.
type fakeAutoscaler struct {
	srv     *httptest.Server
	mu      sync.Mutex
	reports []autoscaler.Report
}

func newFakeAutoscaler(t *testing.T) *fakeAutoscaler {
	a := &fakeAutoscaler{}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != autoscaler.StatsPath {
			http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusNotFound)
			return
		}
		var rep autoscaler.Report
		if err := json.NewDecoder(r.Body).Decode(&rep); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		a.mu.Lock()
		a.reports = append(a.reports, rep)
		a.mu.Unlock()
	}))
	t.Cleanup(a.srv.Close)
	return a
}

// stats returns every stat received so far.
func (a *fakeAutoscaler) stats() []autoscaler.Stat {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []autoscaler.Stat
	for _, r := range a.reports {
		out = append(out, r.Stats...)
	}
	return out
}
