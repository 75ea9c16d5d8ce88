package queue

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// queueUnderTest is a knap-queue serving on loopback in front of a real
// user server.
type queueUnderTest struct {
	srv                       *Server
	url, metricsURL, adminURL string
	mainAddr                  string
	stop                      context.CancelFunc // SIGTERM
	done                      chan error         // Serve's result
	userPort                  int
	client                    *http.Client
	clientH2C                 *http.Client
}

// userServer starts a real loopback HTTP/1.1 server for h.
func userServer(t testing.TB, h http.Handler) (*httptest.Server, int) {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s, portOf(t, s.URL)
}

func portOf(t testing.TB, rawURL string) int {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	p, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// testConfig is a configuration for a queue in front of userPort.
func testConfig(userPort int) Config {
	return Config{
		UserPort:        userPort,
		Namespace:       "ns",
		Revision:        "hello-00001",
		Configuration:   "hello",
		Service:         "hello",
		Pod:             "hello-00001-deployment-abc",
		RevisionTimeout: 10 * time.Second,
		DrainSleep:      100 * time.Millisecond,
		ReadinessProbes: []*Probe{defaultProbe(userPort)},
	}
}

func listen(t testing.TB) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// startQueue serves cfg on loopback listeners until the test ends.
func startQueue(t testing.TB, cfg Config) *queueUnderTest {
	t.Helper()
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ls := Listeners{Main: listen(t), Metrics: listen(t), Admin: listen(t)}
	ctx, cancel := context.WithCancel(context.Background())
	q := &queueUnderTest{
		srv:        srv,
		mainAddr:   ls.Main.Addr().String(),
		url:        "http://" + ls.Main.Addr().String(),
		metricsURL: "http://" + ls.Metrics.Addr().String() + MetricsPath,
		adminURL:   "http://" + ls.Admin.Addr().String(),
		stop:       cancel,
		done:       make(chan error, 1),
		userPort:   cfg.UserPort,
		client:     &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 100}},
	}
	h2c := &http.Transport{Protocols: new(http.Protocols)}
	h2c.Protocols.SetUnencryptedHTTP2(true)
	q.clientH2C = &http.Client{Transport: h2c}
	go func() { q.done <- srv.Serve(ctx, ls) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-q.done:
		case <-time.After(cfg.RevisionTimeout + cfg.DrainSleep + 5*time.Second):
			t.Errorf("the queue did not stop")
		}
		q.client.CloseIdleConnections()
		h2c.CloseIdleConnections()
	})
	return q
}

// get sends a GET through the queue and returns the status and body.
func (q *queueUnderTest) get(t testing.TB, path string, header http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, q.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := q.client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", path, err)
	}
	return res.StatusCode, string(b)
}

// probe sends the kubelet's readiness probe of the queue container.
func (q *queueUnderTest) probe(t testing.TB, userAgent string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, q.url+"/", nil)
	req.Header.Set(ProbeHeader, ProbeValue)
	if userAgent != "" {
		req.Header.Set("User-Agent", userAgent)
	}
	res, err := q.client.Do(req)
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// waitReady waits for the user container to pass its probes.
func (q *queueUnderTest) waitReady(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if !q.srv.Readiness().WaitReady(ctx) {
		t.Fatal("the queue did not turn ready")
	}
}

// eventually polls cond every 5ms for up to d.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// scrape returns the metrics text.
func (q *queueUnderTest) scrape(t testing.TB) string {
	t.Helper()
	res, err := http.Get(q.metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %d %s", res.StatusCode, b)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("scrape: Content-Type %q, want the Prometheus text format", ct)
	}
	return string(b)
}
