package autoscaler

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
	testingclock "k8s.io/utils/clock/testing"
)

var defaultWindows = Windows{Stable: 60 * time.Second, Panic: 6 * time.Second}

// noPods is a PodLister for revisions whose load only gateways report.
func noPods(context.Context, types.NamespacedName) ([]Pod, error) { return nil, nil }

// newTestCollector collects with a fake clock at t0 until the test ends.
func newTestCollector(t *testing.T, opts CollectorOptions) (*Collector, *testingclock.FakeClock) {
	t.Helper()
	clk := testingclock.NewFakeClock(t0)
	opts.Clock = clk
	if opts.Pods == nil {
		opts.Pods = noPods
	}
	if opts.Scraper == nil {
		opts.Scraper = &fakeScraper{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := NewCollector(ctx, opts)
	t.Cleanup(func() {
		cancel()
		c.Wait()
	})
	return c, clk
}

type loads struct{ stableC, panicC, stableRPS, panicRPS float64 }

func readLoads(t *testing.T, c *Collector, now time.Time) loads {
	t.Helper()
	var l loads
	var err error
	if l.stableC, l.panicC, err = c.StableAndPanicConcurrency(testRevision, now); err != nil {
		t.Fatalf("StableAndPanicConcurrency: %v", err)
	}
	if l.stableRPS, l.panicRPS, err = c.StableAndPanicRPS(testRevision, now); err != nil {
		t.Fatalf("StableAndPanicRPS: %v", err)
	}
	return l
}

func TestNewWindows(t *testing.T) {
	tests := []struct {
		stable     time.Duration
		percentage float64
		want       Windows
	}{
		{60 * time.Second, 10, Windows{60 * time.Second, 6 * time.Second}},
		{60 * time.Second, 100, Windows{60 * time.Second, 60 * time.Second}},
		{7 * time.Second, 10, Windows{7 * time.Second, time.Second}},
		{6 * time.Second, 1, Windows{6 * time.Second, time.Second}},
		{25 * time.Second, 10, Windows{25 * time.Second, 3 * time.Second}},
		{time.Hour, 1, Windows{time.Hour, 36 * time.Second}},
	}
	for _, tc := range tests {
		if got := NewWindows(tc.stable, tc.percentage); got != tc.want {
			t.Errorf("NewWindows(%v, %v) = %+v, want %+v", tc.stable, tc.percentage, got, tc.want)
		}
	}
}

func TestCollectorRecord(t *testing.T) {
	tests := []struct {
		name  string
		stats []struct {
			at   float64
			stat Stat
		}
		now  float64
		want loads
	}{{
		name: "a pod's proxied requests are subtracted: the gateway counts them",
		stats: []struct {
			at   float64
			stat Stat
		}{{0, Stat{AverageConcurrentRequests: 5, AverageProxiedConcurrentRequests: 2, RequestCount: 10, ProxiedRequestCount: 4}}},
		want: loads{stableC: 3, panicC: 3, stableRPS: 6, panicRPS: 6},
	}, {
		name: "a gateway's and the pods' stats of one second add up",
		stats: []struct {
			at   float64
			stat Stat
		}{
			{0.2, Stat{PodName: "gateway-a", AverageConcurrentRequests: 2, RequestCount: 4}},
			{0.5, Stat{PodName: "gateway-b", AverageConcurrentRequests: 1, RequestCount: 1}},
			{0.7, Stat{PodName: ScraperPodName, AverageConcurrentRequests: 5, AverageProxiedConcurrentRequests: 3, RequestCount: 9, ProxiedRequestCount: 5}},
		},
		want: loads{stableC: 5, panicC: 5, stableRPS: 9, panicRPS: 9},
	}, {
		name: "the panic window forgets sooner",
		stats: []struct {
			at   float64
			stat Stat
		}{
			{0, Stat{AverageConcurrentRequests: 12, RequestCount: 12}},
			{9, Stat{AverageConcurrentRequests: 0, RequestCount: 0}},
			{10, Stat{AverageConcurrentRequests: 2, RequestCount: 4}},
		},
		now:  10,
		want: loads{stableC: 14.0 / 11, panicC: 1, stableRPS: 16.0 / 11, panicRPS: 2},
	}, {
		name: "an empty panic window in a stable one is no load",
		stats: []struct {
			at   float64
			stat Stat
		}{{0, Stat{AverageConcurrentRequests: 3, RequestCount: 3}}},
		now:  30,
		want: loads{stableC: 3, panicC: 0, stableRPS: 3, panicRPS: 0},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newTestCollector(t, CollectorOptions{})
			c.Collect(testRevision, defaultWindows)
			for _, s := range tc.stats {
				s.stat.Revision = testRevision
				c.Record(at(s.at), s.stat)
			}
			got := readLoads(t, c, at(tc.now))
			round := func(f float64) float64 { return roundTo(f, averagePrecision) }
			want := loads{round(tc.want.stableC), round(tc.want.panicC), round(tc.want.stableRPS), round(tc.want.panicRPS)}
			if got != want {
				t.Errorf("loads = %+v, want %+v", got, want)
			}
		})
	}
}

func TestCollectorErrors(t *testing.T) {
	c, _ := newTestCollector(t, CollectorOptions{})
	other := types.NamespacedName{Namespace: "ns", Name: "other"}

	if _, _, err := c.StableAndPanicConcurrency(testRevision, at(0)); !errors.Is(err, ErrNotCollecting) {
		t.Errorf("before Collect: err = %v, want ErrNotCollecting", err)
	}
	// Stats of revisions not collected for are dropped.
	c.Record(at(0), Stat{Revision: testRevision, AverageConcurrentRequests: 1})
	c.Collect(testRevision, defaultWindows)
	if _, _, err := c.StableAndPanicRPS(testRevision, at(0)); !errors.Is(err, ErrNoData) {
		t.Errorf("nothing recorded: err = %v, want ErrNoData", err)
	}
	c.Record(at(1), Stat{Revision: other, AverageConcurrentRequests: 1})
	if _, _, err := c.StableAndPanicConcurrency(testRevision, at(1)); !errors.Is(err, ErrNoData) {
		t.Errorf("another revision's stat: err = %v, want ErrNoData", err)
	}
	c.Record(at(2), Stat{Revision: testRevision, AverageConcurrentRequests: 1})
	if _, _, err := c.StableAndPanicConcurrency(testRevision, at(61)); err != nil {
		t.Errorf("a record 59s ago: err = %v", err)
	}
	if _, _, err := c.StableAndPanicConcurrency(testRevision, at(62)); !errors.Is(err, ErrNoData) {
		t.Errorf("a record a stable window ago: err = %v, want ErrNoData", err)
	}
	c.Stop(testRevision)
	if _, _, err := c.StableAndPanicConcurrency(testRevision, at(2)); !errors.Is(err, ErrNotCollecting) {
		t.Errorf("after Stop: err = %v, want ErrNotCollecting", err)
	}
	c.Stop(testRevision) // twice is fine
}

func TestCollectorUpdatesWindows(t *testing.T) {
	c, _ := newTestCollector(t, CollectorOptions{})
	c.Collect(testRevision, defaultWindows)
	for s := range 20 {
		c.Record(at(float64(s)), Stat{Revision: testRevision, AverageConcurrentRequests: float64(s)})
	}
	c.Collect(testRevision, Windows{Stable: 10 * time.Second, Panic: 2 * time.Second})
	got := readLoads(t, c, at(19))
	if got.stableC != 14.5 || got.panicC != 18.5 {
		t.Errorf("with 10s and 2s windows: stable %v, panic %v; want 14.5, 18.5", got.stableC, got.panicC)
	}

	// Back to a minute: 10..29 are known, the seconds before them count as
	// zeros of the same run.
	c.Collect(testRevision, defaultWindows)
	for s := 20; s < 30; s++ {
		c.Record(at(float64(s)), Stat{Revision: testRevision, AverageConcurrentRequests: float64(s)})
	}
	got = readLoads(t, c, at(29))
	// (10+...+29)/60 = 390/60.
	if got.stableC != 6.5 || got.panicC != 26.5 {
		t.Errorf("with 60s and 6s windows again: stable %v, panic %v; want 6.5, 26.5", got.stableC, got.panicC)
	}
}

func TestCollectorActivation(t *testing.T) {
	var (
		mu        sync.Mutex
		activated []types.NamespacedName
		seen      []float64
		c         *Collector
	)
	c, _ = newTestCollector(t, CollectorOptions{OnActivation: func(key types.NamespacedName) {
		mu.Lock()
		defer mu.Unlock()
		activated = append(activated, key)
		// The decision this triggers sees the stat that triggered it.
		if stable, _, err := c.StableAndPanicConcurrency(key, at(0)); err == nil {
			seen = append(seen, stable)
		}
	}})
	other := types.NamespacedName{Namespace: "ns", Name: "not-collected"}
	c.Collect(testRevision, defaultWindows)

	c.Record(at(0), Stat{Revision: testRevision, AverageConcurrentRequests: 1})
	c.Record(at(0), Stat{Revision: testRevision, AverageConcurrentRequests: 2, Activation: true})
	c.Record(at(0), Stat{Revision: other, AverageConcurrentRequests: 1, Activation: true})

	mu.Lock()
	defer mu.Unlock()
	if len(activated) != 2 || activated[0] != testRevision || activated[1] != other {
		t.Errorf("activated %v, want [%v %v]", activated, testRevision, other)
	}
	if len(seen) != 1 || seen[0] != 3 {
		t.Errorf("the activation's decision saw %v, want [3]", seen)
	}
}

func TestCollectorScrapesEverySecond(t *testing.T) {
	pods := map[string]*queuePod{
		"10.0.0.1": newQueuePod(t, "pod-1", 4, 1),
		"10.0.0.2": newQueuePod(t, "pod-2", 2, 2),
	}
	var listed sync.WaitGroup
	listed.Add(1)
	var once sync.Once
	lister := func(_ context.Context, key types.NamespacedName) ([]Pod, error) {
		if key != testRevision {
			return nil, errors.New("wrong revision")
		}
		once.Do(listed.Done)
		return []Pod{{IP: "10.0.0.1"}, {IP: "10.0.0.2"}}, nil
	}
	c, clk := newTestCollector(t, CollectorOptions{Pods: lister, Scraper: NewHTTPScraper(podNetwork(t, pods))})
	c.Collect(testRevision, defaultWindows)

	eventually(t, "the scrape loop's ticker", clk.HasWaiters)
	if _, _, err := c.StableAndPanicConcurrency(testRevision, clk.Now()); !errors.Is(err, ErrNoData) {
		t.Fatalf("before the first tick: err = %v, want ErrNoData", err)
	}
	clk.Step(ScrapeInterval)
	listed.Wait()
	eventually(t, "the first scrape's record", func() bool {
		_, _, err := c.StableAndPanicConcurrency(testRevision, clk.Now())
		return err == nil
	})
	// (4-1) + (2-2) requests in flight and per second, not proxied.
	if got := readLoads(t, c, clk.Now()); got != (loads{3, 3, 3, 3}) {
		t.Errorf("after one scrape: %+v, want all 3", got)
	}
	if err := c.LastScrapeError(testRevision); err != nil {
		t.Errorf("LastScrapeError = %v", err)
	}
	for ip, p := range pods {
		if h := p.scrapedHosts(); len(h) != 1 {
			t.Errorf("pod %s scraped %d times, want once", ip, len(h))
		}
	}

	// A second tick: both pods once more.
	clk.Step(ScrapeInterval)
	eventually(t, "the second scrape", func() bool {
		return len(pods["10.0.0.1"].scrapedHosts()) == 2 && len(pods["10.0.0.2"].scrapedHosts()) == 2
	})

	c.Stop(testRevision)
	clk.Step(ScrapeInterval)
	for ip, p := range pods {
		if h := p.scrapedHosts(); len(h) != 2 {
			t.Errorf("pod %s scraped %d times after Stop, want 2", ip, len(h))
		}
	}
}

func TestCollectorScrapeFailures(t *testing.T) {
	tests := []struct {
		name    string
		lister  PodLister
		scraper *fakeScraper
		wantErr bool
	}{{
		name:    "the pod lister fails",
		lister:  func(context.Context, types.NamespacedName) ([]Pod, error) { return nil, errors.New("no informer") },
		scraper: &fakeScraper{},
		wantErr: true,
	}, {
		name:    "the only pod does not answer",
		lister:  func(context.Context, types.NamespacedName) ([]Pod, error) { return []Pod{{IP: "10.0.0.1"}}, nil },
		scraper: &fakeScraper{failing: map[string]bool{"10.0.0.1": true}},
		wantErr: true,
	}, {
		name:    "no pod ready: no scrape, no error",
		lister:  noPods,
		scraper: &fakeScraper{},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ticks := make(chan struct{}, 16)
			lister := func(ctx context.Context, key types.NamespacedName) ([]Pod, error) {
				defer func() { ticks <- struct{}{} }()
				return tc.lister(ctx, key)
			}
			c, clk := newTestCollector(t, CollectorOptions{Pods: lister, Scraper: tc.scraper})
			c.Collect(testRevision, defaultWindows)
			// The loop is sequential: once the second tick lists pods,
			// the first tick's scrape is over.
			for range 2 {
				eventually(t, "the scrape loop's ticker", clk.HasWaiters)
				clk.Step(ScrapeInterval)
				<-ticks
			}
			if err := c.LastScrapeError(testRevision); (err != nil) != tc.wantErr {
				t.Errorf("LastScrapeError = %v, want an error: %v", err, tc.wantErr)
			}
			if _, _, err := c.StableAndPanicConcurrency(testRevision, clk.Now()); !errors.Is(err, ErrNoData) {
				t.Errorf("after scrapes that recorded nothing: err = %v, want ErrNoData", err)
			}
		})
	}
}

func TestCollectorWaitsForItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := NewCollector(ctx, CollectorOptions{Pods: noPods, Scraper: &fakeScraper{}, Clock: testingclock.NewFakeClock(t0)})
	c.Collect(testRevision, defaultWindows)
	c.Collect(types.NamespacedName{Namespace: "ns", Name: "two"}, defaultWindows)
	cancel()
	c.Wait()
}
