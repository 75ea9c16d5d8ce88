package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// target is one way to the hello server.
type target struct {
	name string
	url  string
	// host is the Host header the gateway routes by; empty: the URL's.
	host string
}

// get sends one request and checks the answer is the hello server's.
// buf is the worker's, reused.
func (t target) get(ctx context.Context, client *http.Client, buf *bytes.Buffer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.url, nil)
	if err != nil {
		return err
	}
	if t.host != "" {
		req.Host = t.host
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", t.name, err)
	}
	buf.Reset()
	_, err = buf.ReadFrom(io.LimitReader(resp.Body, 4<<10))
	// Read to the end, or the connection is not reused.
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("%s: reading the body: %w", t.name, err)
	}
	if resp.StatusCode != http.StatusOK || string(buf.Bytes()) != helloBody {
		return fmt.Errorf("%s: %s: %q", t.name, resp.Status, buf.Bytes()[:min(buf.Len(), 200)])
	}
	return nil
}

// sample is what one path measured at one concurrency level.
type sample struct {
	path        string
	concurrency int
	// latencies are the measured requests' that succeeded.
	latencies []time.Duration
	// elapsed is the wall time of the path's measured batches, summed:
	// the time the path had the machine to itself.
	elapsed time.Duration
	// errors counts failed requests, warm-up included.
	errors   int
	firstErr error
}

// rps is the successful requests per second of the path's own time.
func (s *sample) rps() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(len(s.latencies)) / s.elapsed.Seconds()
}

func (s *sample) addErrors(b batch) {
	s.errors += b.errors
	if s.firstErr == nil {
		s.firstErr = b.firstErr
	}
}

// measureLevel sends o.warmup unrecorded then o.n recorded requests to
// each target with concurrency workers on keep-alive connections. The
// recorded ones go in o.rounds rounds, round r visiting the targets in an
// order rotated by r, so that noise (another process, a frequency change)
// lands on every path alike.
func measureLevel(ctx context.Context, targets []target, concurrency int, o options) []*sample {
	client := &http.Client{
		Timeout: o.requestTimeout,
		Transport: &http.Transport{
			// One idle connection per worker: each request finds one.
			MaxIdleConnsPerHost: concurrency,
			DisableCompression:  true,
		},
	}
	defer client.CloseIdleConnections()
	samples := make([]*sample, len(targets))
	for i, t := range targets {
		samples[i] = &sample{path: t.name, concurrency: concurrency, latencies: make([]time.Duration, 0, o.n)}
		samples[i].addErrors(runBatch(ctx, client, t, o.warmup, concurrency))
	}
	for r := range o.rounds {
		count := roundShare(o.n, o.rounds, r)
		for _, i := range roundOrder(len(targets), r) {
			b := runBatch(ctx, client, targets[i], count, concurrency)
			s := samples[i]
			s.latencies = append(s.latencies, b.latencies...)
			s.elapsed += b.elapsed
			s.addErrors(b)
		}
	}
	return samples
}

// roundShare is round r's part of n requests in rounds rounds: n/rounds,
// the first n%rounds rounds one more.
func roundShare(n, rounds, r int) int {
	share := n / rounds
	if r < n%rounds {
		share++
	}
	return share
}

// roundOrder is the order round r visits n targets: 0..n-1 rotated by r.
func roundOrder(n, r int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = (i + r) % n
	}
	return order
}

// batch is the outcome of count requests to one target.
type batch struct {
	latencies []time.Duration
	elapsed   time.Duration
	errors    int
	firstErr  error
}

// runBatch sends count requests to t with workers concurrent workers,
// each sending its next request when its last one is answered.
func runBatch(ctx context.Context, client *http.Client, t target, count, workers int) batch {
	if count <= 0 {
		return batch{}
	}
	workers = min(workers, count)
	perWorker := make([]batch, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := &perWorker[w]
			res.latencies = make([]time.Duration, 0, count/workers+1)
			var buf bytes.Buffer
			for next.Add(1) <= int64(count) && ctx.Err() == nil {
				begin := time.Now()
				err := t.get(ctx, client, &buf)
				took := time.Since(begin)
				if err != nil {
					res.errors++
					if res.firstErr == nil {
						res.firstErr = err
					}
					continue
				}
				res.latencies = append(res.latencies, took)
			}
		}()
	}
	wg.Wait()
	out := batch{elapsed: time.Since(start)}
	lats := make([][]time.Duration, workers)
	for w, res := range perWorker {
		lats[w] = res.latencies
		out.errors += res.errors
		if out.firstErr == nil {
			out.firstErr = res.firstErr
		}
	}
	out.latencies = slices.Concat(lats...)
	return out
}
