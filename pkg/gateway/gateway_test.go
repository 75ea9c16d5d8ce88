package gateway

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	kubefake "k8s.io/client-go/kubernetes/fake"

	"github.com/knap-dev/knap/pkg/autoscaler"
	"github.com/knap-dev/knap/pkg/controller/serving/route"
	knapfake "github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
	"github.com/knap-dev/knap/pkg/queue"
)

func TestRoutesByHost(t *testing.T) {
	one, two, private := newPod(t, "hello-1", nil), newPod(t, "hello-2", nil), newPod(t, "private-1", nil)
	f := newFixture(t, fixtureOptions{},
		routeIngress("hello", nil, target("hello-2", 100, "latest"), target("hello-1", 0, "old")),
		routeIngress("private", map[string]string{route.VisibilityLabel: route.VisibilityClusterLocal}, target("private-1", 100, "")),
		podSlice("hello-1", one.addr()), podSlice("hello-2", two.addr()), podSlice("private-1", private.addr()),
	)
	cases := []struct {
		host       string
		wantStatus int
		wantBody   string
	}{
		{"hello.ns.example.com", 200, "hello-2"},
		{"hello.ns.example.com:8080", 200, "hello-2"},
		{"HELLO.ns.Example.com", 200, "hello-2"},
		{"hello.ns", 200, "hello-2"},
		{"hello.ns.svc", 200, "hello-2"},
		{"hello.ns.svc.cluster.local", 200, "hello-2"},
		{"old-hello.ns.example.com", 200, "hello-1"},
		{"old-hello.ns.svc.cluster.local", 200, "hello-1"},
		{"latest-hello.ns.example.com", 200, "hello-2"},
		{"private.ns.svc.cluster.local", 200, "private-1"},
		{"private.ns", 200, "private-1"},
		{"private.ns.example.com", 404, `no Route serves host "private.ns.example.com"`},
		{"nope.ns.example.com", 404, `no Route serves host "nope.ns.example.com"`},
	}
	for _, c := range cases {
		status, body := f.get(c.host, "/", nil)
		if status != c.wantStatus || !strings.Contains(body, c.wantBody) {
			t.Errorf("GET %s: %d %q, want %d with %q", c.host, status, body, c.wantStatus, c.wantBody)
		}
	}
}

func TestSplitsByPercent(t *testing.T) {
	a, b := newPod(t, "hello-a", nil), newPod(t, "hello-b", nil)
	f := newFixture(t, fixtureOptions{},
		routeIngress("hello", nil, target("hello-a", 80, ""), target("hello-b", 20, "")),
		podSlice("hello-a", a.addr()), podSlice("hello-b", b.addr()),
	)
	counts := map[string]int{}
	for range 1000 {
		status, body := f.get("hello.ns.example.com", "/", nil)
		if status != http.StatusOK {
			t.Fatalf("GET: %d %s", status, body)
		}
		counts[body]++
	}
	// ±2% of 1000; the deterministic split gives exactly 800/200.
	if counts["hello-a"] < 780 || counts["hello-a"] > 820 || counts["hello-a"]+counts["hello-b"] != 1000 {
		t.Errorf("split over 1000 requests = %v, want 800±20 / 200±20", counts)
	}
}

func TestContainerConcurrencyOneSerializes(t *testing.T) {
	gate := make(chan struct{})
	var mu sync.Mutex
	var order []string
	inPod, maxInPod := 0, 0
	p := newPod(t, "hello-1", func(w http.ResponseWriter, r *http.Request) {
		n := r.URL.Query().Get("n")
		mu.Lock()
		order = append(order, n)
		inPod++
		maxInPod = max(maxInPod, inPod)
		mu.Unlock()
		if n == "1" {
			waitGate(t, gate)
		}
		mu.Lock()
		inPod--
		mu.Unlock()
		fmt.Fprint(w, n)
	})
	f := newFixture(t, fixtureOptions{},
		routeIngress("hello", nil, target("hello-1", 100, "")), revisionObj("hello-1", 1, 0), podSlice("hello-1", p.addr()))
	seen := func() []string { mu.Lock(); defer mu.Unlock(); return slices.Clone(order) }

	ctx := t.Context()
	first := f.asyncGet(ctx, "hello.ns.example.com", "/?n=1")
	waitFor(t, "the first request at the pod", func() bool { return len(seen()) == 1 })
	second := f.asyncGet(ctx, "hello.ns.example.com", "/?n=2")
	waitFor(t, "the second request to wait", func() bool { return f.state("hello-1").waiting == 1 })
	if got := seen(); !slices.Equal(got, []string{"1"}) {
		t.Fatalf("the pod saw %v while the first request ran, want only [1]", got)
	}
	close(gate)
	for i, ch := range []<-chan result{first, second} {
		if r := await(t, ch); r.err != nil || r.status != http.StatusOK {
			t.Fatalf("request %d: %d %v", i+1, r.status, r.err)
		}
	}
	if got := seen(); !slices.Equal(got, []string{"1", "2"}) || maxInPod != 1 {
		t.Errorf("pod saw %v with up to %d at once, want [1 2] one at a time", got, maxInPod)
	}
}

func TestQueueOverflowAndClientDisconnect(t *testing.T) {
	f := newFixture(t, fixtureOptions{queueDepth: 1}, routeIngress("hello", nil, target("hello-1", 100, "")))
	ctx, cancel := context.WithCancel(t.Context())
	held := f.asyncGet(ctx, "hello.ns.example.com", "/")
	waitFor(t, "a request waiting for a pod", func() bool { return f.state("hello-1").waiting == 1 })

	status, body := f.get("hello.ns.example.com", "/", nil)
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "ns/hello-1") {
		t.Errorf("GET with a full queue: %d %q, want 503 naming the revision", status, body)
	}
	// The client goes away: its place is freed.
	cancel()
	if r := await(t, held); r.err == nil {
		t.Errorf("the cancelled request got %d", r.status)
	}
	waitFor(t, "the queue to empty", func() bool { return f.state("hello-1").waiting == 0 })
}

func TestWaitTimeout(t *testing.T) {
	cases := []struct {
		name           string
		timeoutSeconds int64
		maxTimeout     time.Duration
		want           time.Duration
	}{
		{"the revision's timeout", 10, 0, 10 * time.Second},
		{"bounded by --max-timeout", 10, 5 * time.Second, 5 * time.Second},
		{"the default", 0, 0, queue.DefaultRevisionTimeout},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, fixtureOptions{maxTimeout: c.maxTimeout},
				routeIngress("hello", nil, target("hello-1", 100, "")), revisionObj("hello-1", 0, c.timeoutSeconds))
			timers := f.clock.Waiters() // the housekeeping ticker
			held := f.asyncGet(t.Context(), "hello.ns.example.com", "/")
			waitFor(t, "the wait's timer", func() bool { return f.clock.Waiters() == timers+1 })
			f.clock.Step(c.want - time.Millisecond)
			if f.clock.Waiters() != timers+1 {
				t.Fatal("the wait expired early")
			}
			f.clock.Step(time.Millisecond)
			r := await(t, held)
			if r.err != nil || r.status != http.StatusGatewayTimeout || !strings.Contains(r.body, "ns/hello-1") {
				t.Errorf("expired wait: %d %q %v, want 504 naming the revision", r.status, r.body, r.err)
			}
		})
	}
}

func TestActivationFromZero(t *testing.T) {
	p := newPod(t, "hello-1", nil)
	f := newFixture(t, fixtureOptions{autoscaler: true},
		routeIngress("hello", nil, target("hello-1", 100, "")), revisionObj("hello-1", 0, 0))
	held := f.asyncGet(t.Context(), "hello.ns.example.com", "/")
	waitFor(t, "an activation at the autoscaler", func() bool {
		for _, s := range f.autoscaler.stats() {
			if s.Activation && s.Revision == revKey("hello-1") && s.PodName == "gateway-test" && s.AverageConcurrentRequests >= 1 {
				return true
			}
		}
		return false
	})
	select {
	case r := <-held:
		t.Fatalf("the request finished with no pod: %d %q", r.status, r.body)
	default:
	}
	f.addSlice(podSlice("hello-1", p.addr()))
	if r := await(t, held); r.err != nil || r.status != http.StatusOK || r.body != "hello-1" {
		t.Fatalf("held request: %d %q %v, want 200 from the new pod", r.status, r.body, r.err)
	}
}

func TestHeadersTowardThePod(t *testing.T) {
	p := newPod(t, "hello-1", nil)
	f := newFixture(t, fixtureOptions{}, routeIngress("hello", nil, target("hello-1", 100, "")), podSlice("hello-1", p.addr()))
	cases := []struct {
		name   string
		header http.Header
		want   map[string]string
	}{
		{"plain", nil, map[string]string{
			"X-Seen-Host":                      "hello.ns.example.com",
			"X-Seen-Knative-Serving-Revision":  "hello-1",
			"X-Seen-Knative-Serving-Namespace": "ns",
			"X-Seen-K-Proxy-Request":           ProxyHeaderValue,
			"X-Seen-X-Forwarded-For":           "127.0.0.1",
			"X-Seen-X-Forwarded-Host":          "hello.ns.example.com",
			"X-Seen-X-Forwarded-Proto":         "http",
		}},
		{"behind a front proxy, spoofing", http.Header{
			"X-Forwarded-For":          {"10.0.0.1"},
			"X-Forwarded-Host":         {"front.example.com"},
			"X-Forwarded-Proto":        {"https"},
			"Knative-Serving-Revision": {"someone-else"},
		}, map[string]string{
			"X-Seen-Knative-Serving-Revision": "hello-1",
			"X-Seen-X-Forwarded-For":          "10.0.0.1, 127.0.0.1",
			"X-Seen-X-Forwarded-Host":         "front.example.com",
			"X-Seen-X-Forwarded-Proto":        "https",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := f.request(t.Context(), "hello.ns.example.com", "/", c.header)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			for k, want := range c.want {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", strings.TrimPrefix(k, "X-Seen-"), got, want)
				}
			}
		})
	}
}

func TestWebSocketUpgrade(t *testing.T) {
	p := newPod(t, "hello-1", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "websocket" {
			http.Error(w, "upgrade expected", http.StatusBadRequest)
			return
		}
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprint(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		_ = rw.Flush()
		for {
			line, err := rw.ReadString('\n')
			if err != nil {
				return
			}
			fmt.Fprint(rw, "echo: "+line)
			_ = rw.Flush()
		}
	})
	f := newFixture(t, fixtureOptions{}, routeIngress("hello", nil, target("hello-1", 100, "")), podSlice("hello-1", p.addr()))

	conn, err := net.Dial("tcp", strings.TrimPrefix(f.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(ceiling))
	fmt.Fprint(conn, "GET /ws HTTP/1.1\r\nHost: hello.ns.example.com\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade answered %s", resp.Status)
	}
	for _, msg := range []string{"ping", "pong"} {
		fmt.Fprint(conn, msg+"\n")
		line, err := br.ReadString('\n')
		if err != nil || line != "echo: "+msg+"\n" {
			t.Fatalf("over the upgraded connection: %q %v, want the echo of %q", line, err, msg)
		}
	}
	if st := f.state("hello-1"); st.inFlight != 1 {
		t.Errorf("in flight during the upgraded connection = %d, want 1", st.inFlight)
	}
	conn.Close()
	waitFor(t, "the upgraded connection to be released", func() bool { return f.state("hello-1").inFlight == 0 })
}

func TestStreamsChunkByChunk(t *testing.T) {
	gate := make(chan struct{})
	p := newPod(t, "hello-1", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "chunk 1\n")
		_ = http.NewResponseController(w).Flush()
		waitGate(t, gate)
		fmt.Fprint(w, "chunk 2\n")
	})
	f := newFixture(t, fixtureOptions{}, routeIngress("hello", nil, target("hello-1", 100, "")), podSlice("hello-1", p.addr()))
	resp, err := f.request(t.Context(), "hello.ns.example.com", "/", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan string)
	go func() {
		br := bufio.NewReader(resp.Body)
		for {
			l, err := br.ReadString('\n')
			if err != nil {
				close(lines)
				return
			}
			lines <- l
		}
	}()
	next := func() string {
		select {
		case l := <-lines:
			return l
		case <-time.After(ceiling):
			t.Fatal("no chunk arrived")
			return ""
		}
	}
	// The second chunk is not written before the first is read.
	if l := next(); l != "chunk 1\n" {
		t.Fatalf("first chunk = %q", l)
	}
	close(gate)
	if l := next(); l != "chunk 2\n" {
		t.Fatalf("second chunk = %q", l)
	}
}

func TestStatsReachTheAutoscaler(t *testing.T) {
	gate := make(chan struct{})
	var arrivals atomic.Int32
	p := newPod(t, "hello-1", func(w http.ResponseWriter, r *http.Request) {
		arrivals.Add(1)
		waitGate(t, gate)
	})
	f := newFixture(t, fixtureOptions{autoscaler: true},
		routeIngress("hello", nil, target("hello-1", 100, "")), podSlice("hello-1", p.addr()))
	held := f.asyncGet(t.Context(), "hello.ns.example.com", "/")
	waitFor(t, "the request at the pod", func() bool { return arrivals.Load() == 1 })

	f.clock.Step(ReportingPeriod)
	want := autoscaler.Stat{Revision: revKey("hello-1"), PodName: "gateway-test", AverageConcurrentRequests: 1, RequestCount: 1}
	waitFor(t, "the report of the busy second", func() bool { return slices.Contains(f.autoscaler.stats(), want) })

	close(gate)
	if r := await(t, held); r.status != http.StatusOK {
		t.Fatalf("request: %d %v", r.status, r.err)
	}
	f.waitIdle("hello-1")
	f.clock.Step(ReportingPeriod)
	idle := autoscaler.Stat{Revision: revKey("hello-1"), PodName: "gateway-test"}
	waitFor(t, "the report of the idle second", func() bool { return slices.Contains(f.autoscaler.stats(), idle) })
}

func TestRetriesARefusedConnection(t *testing.T) {
	live := newPod(t, "live", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "live %s", body)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close() // nothing listens: connections are refused
	f := newFixture(t, fixtureOptions{}, routeIngress("hello", nil, target("hello-1", 100, "")),
		podSlice("hello-1", live.addr()), podSlice("hello-1", dead))
	waitFor(t, "both pods", func() bool {
		f.gw.revisions.get(revKey("hello-1"))
		return f.state("hello-1").endpoints == 2
	})
	// Either pod is picked at random: over 20 requests the dead one is
	// picked about 10 times, and each must go on to the live one.
	for i := range 20 {
		req, _ := http.NewRequest(http.MethodPost, f.url+"/", strings.NewReader(fmt.Sprint("body ", i)))
		req.Host = "hello.ns.example.com"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := fmt.Sprint("live body ", i); resp.StatusCode != http.StatusOK || string(body) != want {
			t.Fatalf("request %d: %d %q, want 200 %q", i, resp.StatusCode, body, want)
		}
	}
	f.waitIdle("hello-1") // every pod handed out was released
}

func TestUnreachablePodIs502(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close()
	f := newFixture(t, fixtureOptions{}, routeIngress("hello", nil, target("hello-1", 100, "")), podSlice("hello-1", dead))
	status, body := f.get("hello.ns.example.com", "/", nil)
	if status != http.StatusBadGateway || !strings.Contains(body, "ns/hello-1") {
		t.Errorf("GET to a dead pod: %d %q, want 502 naming the revision", status, body)
	}
}

func TestRevisionsAreDroppedWithTheirIngress(t *testing.T) {
	p := newPod(t, "hello-1", nil)
	f := newFixture(t, fixtureOptions{}, routeIngress("hello", nil, target("hello-1", 100, "")), podSlice("hello-1", p.addr()))
	if status, _ := f.get("hello.ns.example.com", "/", nil); status != http.StatusOK {
		t.Fatalf("GET: %d", status)
	}
	if got := f.gw.Revisions(); len(got) != 1 {
		t.Fatalf("revisions = %v, want hello-1", got)
	}
	if err := f.knap.NetworkingV1alpha1().Ingresses("ns").Delete(context.Background(), "hello", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	// Dropped on the rebuild, or, if the request's last bookkeeping was
	// still running then, on a housekeeping tick.
	waitFor(t, "the revision to be dropped", func() bool {
		if len(f.gw.Revisions()) == 0 {
			return true
		}
		f.clock.Step(ReportingPeriod)
		return false
	})
	if status, body := f.get("hello.ns.example.com", "/", nil); status != http.StatusNotFound {
		t.Errorf("GET after the Ingress is gone: %d %q, want 404", status, body)
	}
}

func TestAdminEndpoints(t *testing.T) {
	p := newPod(t, "hello-1", nil)
	objs := []runtime.Object{routeIngress("hello", nil, target("hello-1", 100, "")), podSlice("hello-1", p.addr())}

	// Before Start: alive, not ready, and the data plane says so.
	unstarted, err := New(Config{Kube: kubefake.NewSimpleClientset(), Knap: knapfake.NewSimpleClientset(), Name: "gw"})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 503} {
		rec := httptest.NewRecorder()
		unstarted.AdminHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want {
			t.Errorf("before Start, %s = %d, want %d", path, rec.Code, want)
		}
	}
	rec := httptest.NewRecorder()
	unstarted.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("data plane before Start = %d, want 503", rec.Code)
	}

	f := newFixture(t, fixtureOptions{}, objs...)
	f.get("hello.ns.example.com", "/", nil)
	f.get("nope.example.com", "/", nil)
	admin := httptest.NewServer(f.gw.AdminHandler())
	defer admin.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(admin.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, _ := get("/readyz"); status != http.StatusOK {
		t.Errorf("/readyz after Start = %d, want 200", status)
	}
	wants := []string{
		MetricRequests + `{code="200",namespace="ns",revision="hello-1"} 1`,
		MetricRequests + `{code="404",namespace="",revision=""} 1`,
		MetricRequestDuration + `_count{namespace="ns",revision="hello-1"} 1`,
		MetricActivationQueueDepth + `{namespace="ns",revision="hello-1"} 0`,
		MetricEndpoints + `{namespace="ns",revision="hello-1"} 1`,
	}
	// A request is counted after its client has the response: poll.
	var missing []string
	for deadline := time.Now().Add(ceiling); ; time.Sleep(5 * time.Millisecond) {
		_, metrics := get("/metrics")
		missing = slices.DeleteFunc(slices.Clone(wants), func(w string) bool { return strings.Contains(metrics, w) })
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
	}
	for _, m := range missing {
		t.Errorf("/metrics lacks %s", m)
	}
}

func TestServeDrainsOnShutdown(t *testing.T) {
	gate := make(chan struct{})
	arrived := make(chan struct{})
	p := newPod(t, "hello-1", func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		waitGate(t, gate)
		fmt.Fprint(w, "done")
	})
	gw, err := New(Config{
		Kube: kubefake.NewSimpleClientset(podSlice("hello-1", p.addr())),
		Knap: knapfake.NewSimpleClientset(routeIngress("hello", nil, target("hello-1", 100, ""))),
		Name: "gw",
	})
	if err != nil {
		t.Fatal(err)
	}
	listen := func() net.Listener {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	data, admin := listen(), listen()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error, 1)
	go func() { served <- gw.Serve(ctx, data, admin, ceiling) }()
	readyz := func() int {
		resp, err := http.Get("http://" + admin.Addr().String() + "/readyz")
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	waitFor(t, "the gateway to be ready", func() bool { return readyz() == http.StatusOK })

	held := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, "http://"+data.Addr().String()+"/", nil)
		req.Host = "hello.ns.example.com"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			held <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		held <- result{status: resp.StatusCode, body: string(b)}
	}()
	await(t, arrived)
	stop() // SIGTERM
	waitFor(t, "/readyz to fail", func() bool { return readyz() == http.StatusServiceUnavailable })
	select {
	case err := <-served:
		t.Fatalf("Serve returned with a request in flight: %v", err)
	default:
	}
	close(gate)
	if r := await(t, held); r.err != nil || r.status != http.StatusOK || r.body != "done" {
		t.Fatalf("in-flight request across the drain: %d %q %v", r.status, r.body, r.err)
	}
	if err := await(t, served); err != nil {
		t.Fatalf("Serve after the drain: %v", err)
	}
}
