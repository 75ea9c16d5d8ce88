package autoscaler

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/knap-dev/knap/pkg/queue"
)

// DefaultScrapeTimeout bounds one pod's scrape: a pod that cannot answer
// in that time is replaced by another in the sample.
const DefaultScrapeTimeout = 3 * time.Second

// maxMetricsBytes bounds what a pod's /metrics may return; knap-queue's is
// a few kilobytes.
const maxMetricsBytes = 1 << 20

// HTTPScraper reads knap-queue's gauges from http://<pod IP>:9090/metrics.
type HTTPScraper struct {
	client *http.Client
}

// NewHTTPScraper scrapes with client; nil is a client with keep-alive
// connections and DefaultScrapeTimeout.
func NewHTTPScraper(client *http.Client) *HTTPScraper {
	if client == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// One idle connection to each of many pods.
		t.MaxIdleConns = 1000
		client = &http.Client{Transport: t, Timeout: DefaultScrapeTimeout}
	}
	return &HTTPScraper{client: client}
}

// MetricsURL is where the autoscaler scrapes a pod.
func MetricsURL(podIP string) string {
	return "http://" + net.JoinHostPort(podIP, strconv.Itoa(queue.DefaultMetricsPort)) + queue.MetricsPath
}

// Scrape implements Scraper.
func (s *HTTPScraper) Scrape(ctx context.Context, podIP string) (Stat, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, MetricsURL(podIP), nil)
	if err != nil {
		return Stat{}, err
	}
	// The text format, whatever else the server could offer.
	req.Header.Set("Accept", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
	resp, err := s.client.Do(req)
	if err != nil {
		return Stat{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxMetricsBytes))
		return Stat{}, fmt.Errorf("GET %s: %s", req.URL, resp.Status)
	}
	return ParseStat(io.LimitReader(resp.Body, maxMetricsBytes))
}

// ParseStat reads the autoscaler's four gauges from knap-queue's metrics
// in the Prometheus text format. The pod's name comes from their
// destination_pod label.
func ParseStat(r io.Reader) (Stat, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(r)
	if err != nil {
		return Stat{}, fmt.Errorf("parsing metrics: %w", err)
	}
	var stat Stat
	for _, g := range []struct {
		name string
		into *float64
	}{
		{queue.MetricAverageConcurrency, &stat.AverageConcurrentRequests},
		{queue.MetricAverageProxiedConcurrency, &stat.AverageProxiedConcurrentRequests},
		{queue.MetricRequestsPerSecond, &stat.RequestCount},
		{queue.MetricProxiedRequestsPerSecond, &stat.ProxiedRequestCount},
	} {
		m, err := gauge(families, g.name)
		if err != nil {
			return Stat{}, err
		}
		*g.into = m.GetGauge().GetValue()
		for _, l := range m.GetLabel() {
			if l.GetName() == queue.LabelPod {
				stat.PodName = l.GetValue()
			}
		}
	}
	return stat, nil
}

// gauge is the one sample of the gauge name.
func gauge(families map[string]*dto.MetricFamily, name string) (*dto.Metric, error) {
	f, ok := families[name]
	switch {
	case !ok:
		return nil, fmt.Errorf("no metric %s", name)
	case f.GetType() != dto.MetricType_GAUGE:
		return nil, fmt.Errorf("metric %s is a %s, not a gauge", name, f.GetType())
	case len(f.GetMetric()) != 1:
		return nil, fmt.Errorf("metric %s has %d samples, want 1", name, len(f.GetMetric()))
	}
	return f.GetMetric()[0], nil
}
