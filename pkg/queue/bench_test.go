package queue

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkProxy measures what knap-queue adds to a request: a hello
// handler on a real loopback server is called directly and through a queue
// in front of it, in the same run (DESIGN.md §5: ratios against a
// reference measured alongside, no wall-clock assertions).
//
//   - c1: one client; each op is one direct and one queued request,
//     alternating, so both see the same machine state. Reports the p50 and
//     p99 of each path in µs and added-p50-µs/req, added-mean-µs/req: the
//     queue's latency overhead (issue 8: ≤ 0.15 ms at p50).
//   - c16: 16 concurrent clients, b.N requests per path; reports each
//     path's requests per second and queue/direct-throughput (issue 8:
//     ≥ 0.6). Client, queue and user server share this process's CPUs, so
//     this is a lower bound on the ratio separate processes reach.
func BenchmarkProxy(b *testing.B) {
	hello := []byte("Hello World!\n")
	user, port := userServer(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(hello)
	}))
	q := startQueue(b, testConfig(port))
	q.waitReady(b)
	paths := []struct{ name, url string }{{"direct", user.URL + "/"}, {"queue", q.url + "/"}}

	newClient := func(conns int) *http.Client {
		return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, DisableCompression: true}}
	}
	do := func(b *testing.B, c *http.Client, url string) {
		res, err := c.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d", url, res.StatusCode)
		}
	}

	b.Run("c1", func(b *testing.B) {
		c := newClient(1)
		defer c.CloseIdleConnections()
		for range 200 { // warm connections, pools and caches
			for _, p := range paths {
				do(b, c, p.url)
			}
		}
		lat := [2][]time.Duration{make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)}
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			for i, p := range paths {
				start := time.Now()
				do(b, c, p.url)
				lat[i] = append(lat[i], time.Since(start))
			}
		}
		b.StopTimer()
		var mean [2]time.Duration
		for i := range paths {
			var sum time.Duration
			for _, d := range lat[i] {
				sum += d
			}
			mean[i] = sum / time.Duration(len(lat[i]))
			slices.Sort(lat[i])
		}
		us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
		pct := func(s []time.Duration, p float64) time.Duration { return s[min(len(s)-1, int(float64(len(s))*p))] }
		for i, p := range paths {
			b.ReportMetric(us(pct(lat[i], 0.50)), p.name+"-p50-µs")
			b.ReportMetric(us(pct(lat[i], 0.99)), p.name+"-p99-µs")
		}
		b.ReportMetric(us(pct(lat[1], 0.50)-pct(lat[0], 0.50)), "added-p50-µs/req")
		b.ReportMetric(us(mean[1]-mean[0]), "added-mean-µs/req")
	})

	b.Run("c16", func(b *testing.B) {
		const workers = 16
		var rps [2]float64
		for i, p := range paths {
			c := newClient(workers)
			for range 4 * workers {
				do(b, c, p.url)
			}
			var next atomic.Int64
			var wg sync.WaitGroup
			if i == 0 {
				b.ResetTimer()
			}
			start := time.Now()
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						do(b, c, p.url)
					}
				}()
			}
			wg.Wait()
			rps[i] = float64(b.N) / time.Since(start).Seconds()
			c.CloseIdleConnections()
		}
		b.StopTimer()
		b.ReportMetric(rps[0], "direct-req/s")
		b.ReportMetric(rps[1], "queue-req/s")
		b.ReportMetric(rps[1]/rps[0], "queue/direct-throughput")
	})
}

// ExampleDecodeProbes shows the probe Knative's reconciler writes into
// SERVING_READINESS_PROBE for a user container without a readiness probe.
func ExampleDecodeProbes() {
	probes, _ := DecodeProbes(`{"tcpSocket":{"port":8080,"host":"127.0.0.1"},"successThreshold":1}`, 8080)
	p := probes[0]
	fmt.Println(p.TCPSocket.Host, p.TCPSocket.Port, p.PeriodSeconds)
	// Output: 127.0.0.1 8080 0
}
