package autoscaler

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/knap-dev/knap/pkg/queue"
)

// queuePod is a revision pod's knap-queue metrics endpoint on loopback,
// serving the real gauges of a window in which total requests arrived and
// stayed for the whole second, proxied of them through the gateway.
type queuePod struct {
	name string
	srv  *httptest.Server
	mu   sync.Mutex
	// hosts are the Host headers the pod was scraped with.
	hosts []string
}

func newQueuePod(t testing.TB, name string, total, proxied int) *queuePod {
	t.Helper()
	stats := queue.NewStats(t0)
	for i := range total {
		stats.In(t0, i < proxied)
	}
	reporter := queue.NewStatsReporter(stats, queue.Config{
		Namespace: testRevision.Namespace, Revision: testRevision.Name, Configuration: "hello", Pod: name,
	})
	reporter.Report(t0.Add(queue.ReportingPeriod))
	reg := prometheus.NewRegistry()
	reg.MustRegister(reporter)
	return servePod(t, name, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
}

func servePod(t testing.TB, name string, metrics http.Handler) *queuePod {
	t.Helper()
	p := &queuePod{name: name}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.hosts = append(p.hosts, r.Host)
		p.mu.Unlock()
		if r.URL.Path != queue.MetricsPath {
			http.NotFound(w, r)
			return
		}
		metrics.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *queuePod) scrapedHosts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.hosts...)
}

// podNetwork is a client whose connections to <pod IP>:9090 reach the
// loopback server of that pod, so scrapes use the real URLs.
func podNetwork(t testing.TB, pods map[string]*queuePod) *http.Client {
	t.Helper()
	port := strconv.Itoa(queue.DefaultMetricsPort)
	transport := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, p, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			pod, ok := pods[host]
			if !ok || p != port {
				return nil, fmt.Errorf("no route to %s", addr)
			}
			return (&net.Dialer{}).DialContext(ctx, network, pod.srv.Listener.Addr().String())
		},
	}
	t.Cleanup(transport.CloseIdleConnections)
	return &http.Client{Transport: transport, Timeout: 10 * time.Second}
}

// eventually polls cond until it holds; the deadline only stops a hung
// test and asserts nothing about time.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
