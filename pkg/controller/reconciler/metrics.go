package reconciler

import (
	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/client-go/util/workqueue"
)

// Metrics are the Prometheus metrics of every controller of a process:
// reconcile counts and latency by controller and result, and the
// workqueue's own metrics by queue name. They live in one registry, passed
// in, rather than in client-go's global provider.
type Metrics struct {
	Registry *prometheus.Registry

	reconciles *prometheus.CounterVec
	latency    *prometheus.HistogramVec

	depth, unfinished, longest *prometheus.GaugeVec
	adds, retries              *prometheus.CounterVec
	queueLatency, workDuration *prometheus.HistogramVec
}

// NewMetrics registers the metrics in a new registry, with the Go and
// process collectors.
func NewMetrics() *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		Registry: r,
		reconciles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "knap_reconcile_total", Help: "Reconciles by controller and result (success, error, requeue).",
		}, []string{"controller", "result"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "knap_reconcile_duration_seconds", Help: "Time one reconcile took.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 15),
		}, []string{"controller"}),
		depth:      gauge("workqueue_depth", "Current depth of the workqueue."),
		unfinished: gauge("workqueue_unfinished_work_seconds", "Seconds of work in progress not yet observed by work_duration."),
		longest:    gauge("workqueue_longest_running_processor_seconds", "Seconds the longest running processor has been running."),
		adds:       counter("workqueue_adds_total", "Adds handled by the workqueue."),
		retries:    counter("workqueue_retries_total", "Retries handled by the workqueue."),
		queueLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "workqueue_queue_duration_seconds", Help: "Seconds an item stays in the workqueue before being requested.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10),
		}, []string{"name"}),
		workDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "workqueue_work_duration_seconds", Help: "Seconds processing an item from the workqueue takes.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10),
		}, []string{"name"}),
	}
	r.MustRegister(prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}),
		m.reconciles, m.latency, m.depth, m.unfinished, m.longest, m.adds, m.retries, m.queueLatency, m.workDuration)
	return m
}

func gauge(name, help string) *prometheus.GaugeVec {
	return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, []string{"name"})
}

func counter(name, help string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, []string{"name"})
}

// The workqueue.MetricsProvider of the queues.
var _ workqueue.MetricsProvider = (*Metrics)(nil)

func (m *Metrics) NewDepthMetric(name string) workqueue.GaugeMetric {
	return m.depth.WithLabelValues(name)
}
func (m *Metrics) NewAddsMetric(name string) workqueue.CounterMetric {
	return m.adds.WithLabelValues(name)
}
func (m *Metrics) NewLatencyMetric(name string) workqueue.HistogramMetric {
	return m.queueLatency.WithLabelValues(name)
}
func (m *Metrics) NewWorkDurationMetric(name string) workqueue.HistogramMetric {
	return m.workDuration.WithLabelValues(name)
}
func (m *Metrics) NewUnfinishedWorkSecondsMetric(name string) workqueue.SettableGaugeMetric {
	return m.unfinished.WithLabelValues(name)
}
func (m *Metrics) NewLongestRunningProcessorSecondsMetric(name string) workqueue.SettableGaugeMetric {
	return m.longest.WithLabelValues(name)
}
func (m *Metrics) NewRetriesMetric(name string) workqueue.CounterMetric {
	return m.retries.WithLabelValues(name)
}
