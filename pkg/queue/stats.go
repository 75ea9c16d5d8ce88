package queue

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// ReportingPeriod is how often the queue closes a stats window (Knative's
// queue-proxy reports every second).
const ReportingPeriod = time.Second

// Stats tracks, for the autoscaler, the time-weighted average number of
// requests in the queue (running in the user container or waiting for it)
// and the number of arrivals, in total and for requests proxied by the
// gateway (those with a K-Proxy-Request header), over windows closed by
// Report. Proxied requests count in the totals too.
type Stats struct {
	mu sync.Mutex
	// The state: not reset by Report.
	concurrency, proxiedConcurrency int64
	lastChange                      time.Time
	// The current window: reset by Report.
	windowStart                    time.Time
	concurrencyNanos, proxiedNanos int64 // ∫ concurrency dt
	requests, proxiedRequests      int64
}

// StatReport is one closed window.
type StatReport struct {
	// Window is the window's length.
	Window time.Duration
	// AverageConcurrency and AverageProxiedConcurrency are time-weighted
	// averages over the window.
	AverageConcurrency, AverageProxiedConcurrency float64
	// RequestCount and ProxiedRequestCount are arrivals in the window.
	RequestCount, ProxiedRequestCount int64
	// RequestsPerSecond and ProxiedRequestsPerSecond are the counts over
	// the window's length.
	RequestsPerSecond, ProxiedRequestsPerSecond float64
}

// NewStats returns Stats whose first window starts at now.
func NewStats(now time.Time) *Stats {
	return &Stats{lastChange: now, windowStart: now}
}

// advance adds the concurrency since the last change to the window.
func (s *Stats) advance(now time.Time) {
	if d := now.Sub(s.lastChange); d > 0 {
		s.concurrencyNanos += s.concurrency * int64(d)
		s.proxiedNanos += s.proxiedConcurrency * int64(d)
		s.lastChange = now
	}
}

// In records a request arriving at now.
func (s *Stats) In(now time.Time, proxied bool) {
	s.mu.Lock()
	s.advance(now)
	s.concurrency++
	s.requests++
	if proxied {
		s.proxiedConcurrency++
		s.proxiedRequests++
	}
	s.mu.Unlock()
}

// Out records a request In recorded leaving at now.
func (s *Stats) Out(now time.Time, proxied bool) {
	s.mu.Lock()
	s.advance(now)
	s.concurrency--
	if proxied {
		s.proxiedConcurrency--
	}
	s.mu.Unlock()
}

// Concurrency is the number of requests in the queue now.
func (s *Stats) Concurrency() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.concurrency
}

// Report closes the window at now and starts the next one.
func (s *Stats) Report(now time.Time) StatReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance(now)
	r := StatReport{
		Window:              now.Sub(s.windowStart),
		RequestCount:        s.requests,
		ProxiedRequestCount: s.proxiedRequests,
	}
	if r.Window > 0 {
		secs := r.Window.Seconds()
		r.AverageConcurrency = float64(s.concurrencyNanos) / float64(r.Window)
		r.AverageProxiedConcurrency = float64(s.proxiedNanos) / float64(r.Window)
		r.RequestsPerSecond = float64(s.requests) / secs
		r.ProxiedRequestsPerSecond = float64(s.proxiedRequests) / secs
	}
	s.windowStart = now
	s.concurrencyNanos, s.proxiedNanos = 0, 0
	s.requests, s.proxiedRequests = 0, 0
	return r
}

// The autoscaler's metrics: the Prometheus text Knative's queue-proxy
// served at :9090/metrics and Knative's autoscaler parsed before it moved
// to protobuf (knative.dev/serving pkg/autoscaler/metrics, extractData):
// four gauges over the last closed window, each labelled with the pod it
// describes.
const (
	// MetricRequestsPerSecond is arrivals per second.
	MetricRequestsPerSecond = "queue_requests_per_second"
	// MetricProxiedRequestsPerSecond is arrivals per second of requests
	// proxied by the gateway (K-Proxy-Request).
	MetricProxiedRequestsPerSecond = "queue_proxied_operations_per_second"
	// MetricAverageConcurrency is the time-weighted average number of
	// requests in the queue (running or waiting for a slot).
	MetricAverageConcurrency = "queue_average_concurrent_requests"
	// MetricAverageProxiedConcurrency is that average for proxied requests.
	MetricAverageProxiedConcurrency = "queue_average_proxied_concurrent_requests"
	// MetricProcessUptime is seconds since the queue started.
	MetricProcessUptime = "process_uptime"
)

// The labels on the autoscaler's metrics; the pod's name is in
// destination_pod.
const (
	LabelNamespace     = "destination_namespace"
	LabelConfiguration = "destination_configuration"
	LabelRevision      = "destination_revision"
	LabelPod           = "destination_pod"
)

// StatsReporter closes a Stats window every ReportingPeriod and exposes
// the last one as the autoscaler's Prometheus gauges.
type StatsReporter struct {
	stats   *Stats
	started time.Time
	last    atomic.Pointer[StatReport]

	labels []string
	rps, proxiedRPS, concurrency, proxiedConcurrency,
	uptime *prometheus.Desc
}

// NewStatsReporter reports stats for the pod cfg describes.
func NewStatsReporter(stats *Stats, cfg Config) *StatsReporter {
	names := []string{LabelNamespace, LabelConfiguration, LabelRevision, LabelPod}
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, names, nil)
	}
	r := &StatsReporter{
		stats:              stats,
		started:            time.Now(),
		labels:             []string{cfg.Namespace, cfg.Configuration, cfg.Revision, cfg.Pod},
		rps:                desc(MetricRequestsPerSecond, "Number of requests per second"),
		proxiedRPS:         desc(MetricProxiedRequestsPerSecond, "Number of proxied requests per second"),
		concurrency:        desc(MetricAverageConcurrency, "Number of requests currently being handled by this pod"),
		proxiedConcurrency: desc(MetricAverageProxiedConcurrency, "Number of proxied requests currently being handled by this pod"),
		uptime:             desc(MetricProcessUptime, "The number of seconds that the process has been up"),
	}
	r.last.Store(&StatReport{})
	return r
}

// Run closes a window every period until ctx ends.
func (r *StatsReporter) Run(ctx context.Context, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			r.Report(now)
		}
	}
}

// Report closes the window at now and publishes it.
func (r *StatsReporter) Report(now time.Time) StatReport {
	rep := r.stats.Report(now)
	r.last.Store(&rep)
	return rep
}

// Last is the last published window.
func (r *StatsReporter) Last() StatReport { return *r.last.Load() }

// Describe implements prometheus.Collector.
func (r *StatsReporter) Describe(ch chan<- *prometheus.Desc) {
	ch <- r.rps
	ch <- r.proxiedRPS
	ch <- r.concurrency
	ch <- r.proxiedConcurrency
	ch <- r.uptime
}

// Collect implements prometheus.Collector.
func (r *StatsReporter) Collect(ch chan<- prometheus.Metric) {
	rep := r.last.Load()
	gauge := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, r.labels...)
	}
	gauge(r.rps, rep.RequestsPerSecond)
	gauge(r.proxiedRPS, rep.ProxiedRequestsPerSecond)
	gauge(r.concurrency, rep.AverageConcurrency)
	gauge(r.proxiedConcurrency, rep.AverageProxiedConcurrency)
	gauge(r.uptime, time.Since(r.started).Seconds())
}
