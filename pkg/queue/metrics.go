package queue

import (
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The queue's own request metrics, Knative queue-proxy's names
// (knative.dev/docs serving/metrics.md), on the same /metrics. Probes are
// not counted.
const (
	// MetricRequestCount counts requests the queue answered, by code.
	MetricRequestCount = "revision_request_count"
	// MetricRequestLatencies is their latency in milliseconds, arrival to
	// last byte, queueing included.
	MetricRequestLatencies = "revision_request_latencies"
	// MetricAppRequestCount counts requests that reached the user
	// container (not refused by the breaker), by code.
	MetricAppRequestCount = "revision_app_request_count"
	// MetricAppRequestLatencies is their latency in milliseconds from
	// leaving the queue.
	MetricAppRequestLatencies = "revision_app_request_latencies"
	// MetricQueueDepth is the number of requests waiting for the user
	// container (only with containerConcurrency > 0).
	MetricQueueDepth = "revision_queue_depth"
)

// latencyBucketsMs are Knative's latency bounds (5ms to 10s).
var latencyBucketsMs = []float64{5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000}

// requestMetrics records the request metrics; the children for each status
// code are resolved once and cached, so a request costs a few atomic adds.
type requestMetrics struct {
	count, appCount     *prometheus.CounterVec
	latency, appLatency *prometheus.HistogramVec
	byCode              [600]atomic.Pointer[codeMetrics]
}

type codeMetrics struct {
	count, appCount     prometheus.Counter
	latency, appLatency prometheus.Observer
}

func newRequestMetrics(reg prometheus.Registerer, cfg Config, breaker *Breaker) *requestMetrics {
	constLabels := prometheus.Labels{
		"namespace_name":     cfg.Namespace,
		"service_name":       cfg.Service,
		"configuration_name": cfg.Configuration,
		"revision_name":      cfg.Revision,
		"pod_name":           cfg.Pod,
		"container_name":     "queue-proxy",
	}
	labels := []string{"response_code", "response_code_class"}
	m := &requestMetrics{
		count: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: MetricRequestCount, Help: "The number of requests that are routed to queue-proxy", ConstLabels: constLabels,
		}, labels),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: MetricRequestLatencies, Help: "The response time in millisecond", ConstLabels: constLabels, Buckets: latencyBucketsMs,
		}, labels),
		appCount: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: MetricAppRequestCount, Help: "The number of requests that are routed to user-container", ConstLabels: constLabels,
		}, labels),
		appLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: MetricAppRequestLatencies, Help: "The response time in millisecond", ConstLabels: constLabels, Buckets: latencyBucketsMs,
		}, labels),
	}
	reg.MustRegister(m.count, m.latency, m.appCount, m.appLatency)
	if breaker != nil {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: MetricQueueDepth, Help: "The current number of items in the serving and waiting queue", ConstLabels: constLabels,
		}, func() float64 { return float64(breaker.InFlight()) }))
	}
	return m
}

func (m *requestMetrics) forCode(code int) *codeMetrics {
	if code < 100 || code >= len(m.byCode) {
		code = 599 // a code net/http would not send anyway
	}
	if c := m.byCode[code].Load(); c != nil {
		return c
	}
	values := []string{strconv.Itoa(code), strconv.Itoa(code/100) + "xx"}
	c := &codeMetrics{
		count:      m.count.WithLabelValues(values...),
		latency:    m.latency.WithLabelValues(values...),
		appCount:   m.appCount.WithLabelValues(values...),
		appLatency: m.appLatency.WithLabelValues(values...),
	}
	m.byCode[code].Store(c)
	return c
}

// observe records a request answered with code after total; app is the
// time spent past the breaker, or negative when the breaker refused it.
func (m *requestMetrics) observe(code int, total, app time.Duration) {
	c := m.forCode(code)
	c.count.Inc()
	c.latency.Observe(float64(total) / float64(time.Millisecond))
	if app >= 0 {
		c.appCount.Inc()
		c.appLatency.Observe(float64(app) / float64(time.Millisecond))
	}
}
