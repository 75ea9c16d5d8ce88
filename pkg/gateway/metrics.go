package gateway

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"k8s.io/apimachinery/pkg/types"
)

// The gateway's Prometheus metrics. Requests no Ingress routes carry empty
// namespace and revision labels.
const (
	// MetricRequests counts answered requests by revision and code (499:
	// the client went away first).
	MetricRequests = "knap_gateway_requests_total"
	// MetricRequestDuration is their latency from arrival to the end of
	// the response, waiting included.
	MetricRequestDuration = "knap_gateway_request_duration_seconds"
	// MetricActivationQueueDepth is the number of requests waiting for a
	// pod with room, by revision.
	MetricActivationQueueDepth = "knap_gateway_activation_queue_depth"
	// MetricEndpoints is the number of ready pods the gateway knows, by
	// revision.
	MetricEndpoints = "knap_gateway_revision_endpoints"
)

// statusClientClosed is nginx's code for a request whose client left
// before the answer; no client ever sees it.
const statusClientClosed = 499

// metrics are the gateway's collectors on their own registry.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(revs *revisions) *metrics {
	labels := []string{"namespace", "revision"}
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: MetricRequests, Help: "Requests the gateway answered, by revision and status code.",
		}, append(labels, "code")),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: MetricRequestDuration, Help: "Time from a request's arrival to the end of its response, waiting for a pod included.",
			// 5ms to about 40s.
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 14),
		}, labels),
	}
	gauges := &revisionCollector{
		revs:      revs,
		depth:     prometheus.NewDesc(MetricActivationQueueDepth, "Requests waiting for a pod of the revision with room.", labels, nil),
		endpoints: prometheus.NewDesc(MetricEndpoints, "Ready pods of the revision the gateway balances over.", labels, nil),
	}
	m.registry.MustRegister(m.requests, m.duration, gauges,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe records one answered request.
func (m *metrics) observe(rev types.NamespacedName, code int, took time.Duration) {
	m.requests.WithLabelValues(rev.Namespace, rev.Name, strconv.Itoa(code)).Inc()
	m.duration.WithLabelValues(rev.Namespace, rev.Name).Observe(took.Seconds())
}

// forget deletes a dropped revision's series.
func (m *metrics) forget(rev types.NamespacedName) {
	l := prometheus.Labels{"namespace": rev.Namespace, "revision": rev.Name}
	m.requests.DeletePartialMatch(l)
	m.duration.DeletePartialMatch(l)
}

// revisionCollector reads the balancers' gauges at scrape time, so a
// dropped revision's series go with it.
type revisionCollector struct {
	revs             *revisions
	depth, endpoints *prometheus.Desc
}

func (c *revisionCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.endpoints
}

func (c *revisionCollector) Collect(ch chan<- prometheus.Metric) {
	c.revs.each(func(rev *revision) {
		st := rev.balancer.state()
		ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(st.waiting), rev.key.Namespace, rev.key.Name)
		ch <- prometheus.MustNewConstMetric(c.endpoints, prometheus.GaugeValue, float64(st.endpoints), rev.key.Namespace, rev.key.Name)
	})
}
