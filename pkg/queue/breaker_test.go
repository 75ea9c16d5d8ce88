package queue

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestBreakerQueueFull(t *testing.T) {
	b := NewBreakerWithQueue(2, 3)
	ctx := context.Background()
	for range 2 {
		if err := b.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Three wait; the sixth is refused at once.
	waiting := make(chan error, 3)
	for range 3 {
		go func() { waiting <- b.Acquire(ctx) }()
	}
	eventually(t, time.Second, "three waiting", func() bool { return b.Waiting() == 3 })
	if err := b.Acquire(ctx); !errors.Is(err, ErrRequestQueueFull) {
		t.Fatalf("sixth: %v, want ErrRequestQueueFull", err)
	}
	for range 3 {
		b.Release()
		if err := <-waiting; err != nil {
			t.Fatal(err)
		}
	}
	if b.Running() != 2 || b.Waiting() != 0 {
		t.Errorf("running %d waiting %d", b.Running(), b.Waiting())
	}
	// A waiter whose context ends leaves the queue.
	ctx2, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := b.Acquire(ctx2); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiter with a deadline: %v", err)
	}
	if b.InFlight() != 2 {
		t.Errorf("in flight %d, want 2", b.InFlight())
	}
	b.Release()
	b.Release()
	if b.InFlight() != 0 {
		t.Errorf("in flight %d after releasing all", b.InFlight())
	}
}

func TestBreakerIsFIFO(t *testing.T) {
	b := NewBreaker(1)
	ctx := context.Background()
	if err := b.Acquire(ctx); err != nil {
		t.Fatal(err)
	}
	var order []int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := b.Acquire(ctx); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			b.Release()
		}()
		// Queue them in order.
		eventually(t, time.Second, "queued", func() bool { return b.Waiting() == i+1 })
	}
	b.Release()
	wg.Wait()
	if fmt.Sprint(order) != "[0 1 2 3 4]" {
		t.Errorf("ran in order %v, want arrival order", order)
	}
}

// TestContainerConcurrency sends many concurrent requests through a queue
// with containerConcurrency 3: the user container never sees more than 3
// at once, and all are served.
func TestContainerConcurrency(t *testing.T) {
	var cur, peak atomic.Int64
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
		cur.Add(-1)
	}))
	cfg := testConfig(port)
	cfg.ContainerConcurrency = 3
	q := startQueue(t, cfg)

	const clients, each = 24, 5 // at most 24 in the queue: 3 running + 21 waiting < 3 + 30
	var wg sync.WaitGroup
	codes := make(chan int, clients*each)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				res, err := q.client.Get(q.url + "/")
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				codes <- res.StatusCode
			}
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusOK {
			t.Errorf("status %d", c)
		}
	}
	if p := peak.Load(); p != 3 {
		t.Errorf("the user container saw up to %d concurrent requests, want 3", p)
	}
}

// TestQueueOverflow fills containerConcurrency 1 and its queue of 10: the
// next request is refused at once with 503, not left hanging.
func TestQueueOverflow(t *testing.T) {
	release := make(chan struct{})
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	cfg := testConfig(port)
	cfg.ContainerConcurrency = 1
	q := startQueue(t, cfg)

	results := make(chan int, 11)
	for range 11 { // 1 running + 10 queued
		go func() {
			res, err := q.client.Get(q.url + "/")
			if err != nil {
				results <- 0
				return
			}
			res.Body.Close()
			results <- res.StatusCode
		}()
	}
	eventually(t, 2*time.Second, "1 running and 10 queued", func() bool { return q.handlerBreaker().InFlight() == 11 })
	start := time.Now()
	code, body := q.get(t, "/", nil)
	if code != http.StatusServiceUnavailable || body != "pending request queue full\n" {
		t.Errorf("overflow: %d %q, want 503 pending request queue full", code, body)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("the refusal took %v", took)
	}
	close(release)
	for range 11 {
		if c := <-results; c != http.StatusOK {
			t.Errorf("queued request: %d", c)
		}
	}
}

func TestContainerConcurrencyOrdering(t *testing.T) {
	// containerConcurrency 1: a slow request blocks a second, which runs
	// after it.
	var mu sync.Mutex
	var events []string
	note := func(s string) { mu.Lock(); events = append(events, s); mu.Unlock() }
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("n")
		note(name + " start")
		if name == "slow" {
			time.Sleep(200 * time.Millisecond)
		}
		note(name + " end")
	}))
	cfg := testConfig(port)
	cfg.ContainerConcurrency = 1
	q := startQueue(t, cfg)
	done := make(chan struct{})
	go func() { q.get(t, "/?n=slow", nil); close(done) }()
	eventually(t, time.Second, "the slow request to start", func() bool { return q.handlerBreaker().Running() == 1 })
	if code, _ := q.get(t, "/?n=fast", nil); code != http.StatusOK {
		t.Errorf("fast: %d", code)
	}
	<-done
	mu.Lock()
	defer mu.Unlock()
	if got := fmt.Sprint(events); got != "[slow start slow end fast start fast end]" {
		t.Errorf("events %s", got)
	}
}
