package autoscaler

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/knap-dev/knap/pkg/queue"
)

func TestMetricsURL(t *testing.T) {
	for ip, want := range map[string]string{
		"10.1.2.3":    "http://10.1.2.3:9090/metrics",
		"fd00::1:abc": "http://[fd00::1:abc]:9090/metrics",
	} {
		if got := MetricsURL(ip); got != want {
			t.Errorf("MetricsURL(%q) = %q, want %q", ip, got, want)
		}
	}
}

func TestHTTPScraperReadsTheQueueGauges(t *testing.T) {
	pod := newQueuePod(t, "hello-00001-deployment-abc", 5, 2)
	s := NewHTTPScraper(podNetwork(t, map[string]*queuePod{"10.0.0.1": pod}))

	got, err := s.Scrape(context.Background(), "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	want := Stat{
		PodName:                          "hello-00001-deployment-abc",
		AverageConcurrentRequests:        5,
		AverageProxiedConcurrentRequests: 2,
		RequestCount:                     5,
		ProxiedRequestCount:              2,
	}
	if got != want {
		t.Errorf("Scrape = %+v, want %+v", got, want)
	}
	if hosts := pod.scrapedHosts(); len(hosts) != 1 || hosts[0] != "10.0.0.1:9090" {
		t.Errorf("scraped with Host %q, want 10.0.0.1:9090", hosts)
	}
}

// The whole of knap-queue's /metrics, request histograms and all.
func TestHTTPScraperReadsTheQueueServer(t *testing.T) {
	srv, err := queue.NewServer(queue.Config{
		UserPort: 8080, Namespace: "ns", Revision: "hello-00001", Configuration: "hello", Service: "hello",
		Pod: "hello-00001-deployment-xyz", ContainerConcurrency: 10,
	})
	if err != nil {
		t.Fatal(err)
	}
	pod := servePod(t, "hello-00001-deployment-xyz", srv.MetricsHandler())
	s := NewHTTPScraper(podNetwork(t, map[string]*queuePod{"10.0.0.2": pod}))

	got, err := s.Scrape(context.Background(), "10.0.0.2")
	if err != nil {
		t.Fatal(err)
	}
	if want := (Stat{PodName: "hello-00001-deployment-xyz"}); got != want {
		t.Errorf("Scrape = %+v, want %+v", got, want)
	}
}

func TestHTTPScraperErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		wantErr string
	}{{
		name:    "not OK",
		handler: func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "draining", http.StatusServiceUnavailable) },
		wantErr: "503",
	}, {
		name: "a gauge missing",
		handler: func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte("# TYPE queue_requests_per_second gauge\nqueue_requests_per_second 1\n"))
		},
		wantErr: "no metric " + queue.MetricAverageConcurrency,
	}, {
		name: "not a gauge",
		handler: func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte("# TYPE queue_average_concurrent_requests counter\nqueue_average_concurrent_requests 1\n"))
		},
		wantErr: "not a gauge",
	}, {
		name: "two samples",
		handler: func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte("# TYPE queue_average_concurrent_requests gauge\n" +
				"queue_average_concurrent_requests{destination_pod=\"a\"} 1\n" +
				"queue_average_concurrent_requests{destination_pod=\"b\"} 1\n"))
		},
		wantErr: "2 samples",
	}, {
		name:    "not the text format",
		handler: func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("{\"json\": true}\n")) },
		wantErr: "parsing metrics",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pod := servePod(t, "p", tc.handler)
			s := NewHTTPScraper(podNetwork(t, map[string]*queuePod{"10.0.0.3": pod}))
			_, err := s.Scrape(context.Background(), "10.0.0.3")
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Scrape error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}

	t.Run("pod unreachable", func(t *testing.T) {
		pod := servePod(t, "p", http.NotFoundHandler())
		pod.srv.Close()
		s := NewHTTPScraper(podNetwork(t, map[string]*queuePod{"10.0.0.4": pod}))
		if _, err := s.Scrape(context.Background(), "10.0.0.4"); err == nil {
			t.Error("Scrape of a closed server succeeded")
		}
	})
}
