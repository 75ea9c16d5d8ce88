package queue

import (
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestStatsAverages(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	s := NewStats(t0)
	// Window 1 (0-1000ms): a direct request 0-500, a proxied one 250-1000
	// and a direct one from 750 that stays past the window.
	s.In(at(0), false)
	s.In(at(250), true)
	s.Out(at(500), false)
	s.In(at(750), false)
	s.Out(at(1000), true)
	r := s.Report(at(1000))
	// ∫ concurrency: 0.5 + 0.75 + 0.25 = 1.5 request-seconds over 1s.
	want := StatReport{
		Window: time.Second, AverageConcurrency: 1.5, AverageProxiedConcurrency: 0.75,
		RequestCount: 3, ProxiedRequestCount: 1, RequestsPerSecond: 3, ProxiedRequestsPerSecond: 1,
	}
	if r.Window != want.Window || !near(r.AverageConcurrency, want.AverageConcurrency) ||
		!near(r.AverageProxiedConcurrency, want.AverageProxiedConcurrency) || r.RequestCount != want.RequestCount ||
		r.ProxiedRequestCount != want.ProxiedRequestCount || !near(r.RequestsPerSecond, want.RequestsPerSecond) ||
		!near(r.ProxiedRequestsPerSecond, want.ProxiedRequestsPerSecond) {
		t.Errorf("window 1: %+v, want %+v", r, want)
	}
	// Window 2 (1000-3000ms): the request from window 1 stays until 2000;
	// nothing arrives.
	s.Out(at(2000), false)
	r = s.Report(at(3000))
	if r.Window != 2*time.Second || !near(r.AverageConcurrency, 0.5) || r.RequestCount != 0 || r.RequestsPerSecond != 0 {
		t.Errorf("window 2: %+v, want concurrency 0.5 over 2s and no arrivals", r)
	}
	// Window 3: idle.
	r = s.Report(at(4000))
	if r.AverageConcurrency != 0 || r.RequestCount != 0 {
		t.Errorf("window 3: %+v", r)
	}
	if s.Concurrency() != 0 {
		t.Errorf("concurrency %d", s.Concurrency())
	}
}

// TestStatsThroughTheQueue holds a known number of direct and proxied
// requests in the queue and checks what the autoscaler scrapes.
func TestStatsThroughTheQueue(t *testing.T) {
	release := make(chan struct{})
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	q := startQueue(t, testConfig(port))
	q.waitReady(t)
	q.srv.Stats().Report(time.Now()) // start a clean window

	var wg sync.WaitGroup
	send := func(proxied bool) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := http.Header{}
			if proxied {
				h.Set(ProxyHeader, "activator")
			}
			q.get(t, "/", h)
		}()
	}
	for range 3 {
		send(false)
	}
	for range 2 {
		send(true)
	}
	eventually(t, 2*time.Second, "5 requests in the queue", func() bool { return q.srv.handler.stats.Concurrency() == 5 })
	// The window the 5 arrived in.
	arrivals := q.srv.Stats().Report(time.Now())
	if arrivals.RequestCount != 5 || arrivals.ProxiedRequestCount != 2 {
		t.Errorf("counts %d/%d, want 5 requests, 2 proxied", arrivals.RequestCount, arrivals.ProxiedRequestCount)
	}
	if want := 5 / arrivals.Window.Seconds(); !near(arrivals.RequestsPerSecond, want) {
		t.Errorf("requests per second %v, want %v", arrivals.RequestsPerSecond, want)
	}
	// A window with all 5 held throughout: averages of exactly 5 and 2.
	time.Sleep(100 * time.Millisecond)
	rep := q.srv.Stats().Report(time.Now())
	close(release)
	wg.Wait()
	if !near(rep.AverageConcurrency, 5) || !near(rep.AverageProxiedConcurrency, 2) || rep.RequestCount != 0 {
		t.Errorf("held window: %+v, want average concurrency 5, proxied 2, no arrivals", rep)
	}

	// What the autoscaler reads: the last window as gauges labelled with
	// the pod.
	families := parseMetrics(t, q.scrape(t))
	wantGauges := map[string]float64{
		MetricAverageConcurrency:        rep.AverageConcurrency,
		MetricAverageProxiedConcurrency: rep.AverageProxiedConcurrency,
		MetricRequestsPerSecond:         rep.RequestsPerSecond,
		MetricProxiedRequestsPerSecond:  rep.ProxiedRequestsPerSecond,
	}
	for name, want := range wantGauges {
		m := onlyMetric(t, families, name)
		if got := m.GetGauge().GetValue(); !near(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels[LabelPod] != "hello-00001-deployment-abc" || labels[LabelNamespace] != "ns" ||
			labels[LabelRevision] != "hello-00001" || labels[LabelConfiguration] != "hello" {
			t.Errorf("%s labels %v", name, labels)
		}
	}
	if up := onlyMetric(t, families, MetricProcessUptime).GetGauge().GetValue(); up <= 0 {
		t.Errorf("uptime %v", up)
	}
}

func TestRequestMetrics(t *testing.T) {
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
		}
	}))
	cfg := testConfig(port)
	cfg.ContainerConcurrency = 2
	q := startQueue(t, cfg)
	q.waitReady(t)
	for _, p := range []string{"/", "/", "/missing"} {
		q.get(t, p, nil)
	}
	q.probe(t, "") // not counted
	families := parseMetrics(t, q.scrape(t))
	counts := map[string]float64{}
	for _, m := range families[MetricRequestCount].GetMetric() {
		var code string
		for _, l := range m.GetLabel() {
			if l.GetName() == "response_code" {
				code = l.GetValue()
			}
		}
		counts[code] = m.GetCounter().GetValue()
	}
	if counts["200"] != 2 || counts["404"] != 1 || len(counts) != 2 {
		t.Errorf("%s by code: %v, want 200:2 404:1", MetricRequestCount, counts)
	}
	for _, name := range []string{MetricRequestLatencies, MetricAppRequestLatencies} {
		var n uint64
		for _, m := range families[name].GetMetric() {
			n += m.GetHistogram().GetSampleCount()
		}
		if n != 3 {
			t.Errorf("%s counted %d samples, want 3", name, n)
		}
	}
	if m := onlyMetric(t, families, MetricQueueDepth); m.GetGauge().GetValue() != 0 {
		t.Errorf("queue depth %v", m.GetGauge().GetValue())
	}
}

func parseMetrics(t testing.TB, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parsing the metrics: %v\n%s", err, text)
	}
	return families
}

func onlyMetric(t testing.TB, families map[string]*dto.MetricFamily, name string) *dto.Metric {
	t.Helper()
	f := families[name]
	if f == nil || len(f.GetMetric()) != 1 {
		t.Fatalf("want one %s, got %v", name, f)
	}
	return f.GetMetric()[0]
}
