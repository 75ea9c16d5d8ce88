package autoscaler

import (
	"context"
	"errors"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"
)

// ScrapeInterval is how often the Collector scrapes each revision's pods.
const ScrapeInterval = time.Second

var (
	// ErrNoData means nothing was measured over the stable window: no
	// pod answered a scrape and no gateway reported.
	ErrNoData = errors.New("no data available")
	// ErrNotCollecting means the revision is not being collected for.
	ErrNotCollecting = errors.New("no metrics are being collected for the revision")
)

// Windows are the spans a revision's load is averaged over.
type Windows struct {
	// Stable is the window of stable mode: the revision's window
	// annotation, else config-autoscaler's stable-window.
	Stable time.Duration
	// Panic is Stable times the panic window percentage / 100, rounded to
	// a second, at least one.
	Panic time.Duration
}

// NewWindows are the windows of a stable window and a panic window
// percentage (of it).
func NewWindows(stable time.Duration, panicPercentage float64) Windows {
	p := time.Duration(float64(stable) * panicPercentage / 100).Round(time.Second)
	return Windows{Stable: stable, Panic: max(p, time.Second)}
}

// CollectorOptions are a Collector's dependencies.
type CollectorOptions struct {
	// Pods lists a revision's ready pods to scrape.
	Pods PodLister
	// Scraper reads one pod's stats.
	Scraper Scraper
	// Clock ticks the scrapes and stamps the records; nil is the real one.
	Clock clock.WithTicker
	// OnActivation is called with the revision of every Stat with
	// Activation set: a gateway holds requests for it, decide now. It must
	// not block (a workqueue's Add, say).
	OnActivation func(types.NamespacedName)
}

// Collector keeps, for each revision it collects for, the per-second load
// (concurrency and requests per second) that its pods' scrapes and the
// gateways' reports add up to, and averages it over the revision's windows.
// Safe for concurrent use.
type Collector struct {
	opts CollectorOptions
	// ctx bounds the scrape loops.
	ctx context.Context
	wg  sync.WaitGroup

	mu        sync.RWMutex
	revisions map[types.NamespacedName]*revisionLoad
}

// revisionLoad is one revision's collection.
type revisionLoad struct {
	stop context.CancelFunc
	done chan struct{}

	mu          sync.Mutex
	windows     Windows
	concurrency *Buckets
	rps         *Buckets
	lastErr     error
}

// NewCollector returns a Collector whose scrape loops run until ctx ends.
func NewCollector(ctx context.Context, opts CollectorOptions) *Collector {
	if opts.Clock == nil {
		opts.Clock = clock.RealClock{}
	}
	return &Collector{opts: opts, ctx: ctx, revisions: map[types.NamespacedName]*revisionLoad{}}
}

// Collect starts collecting for the revision key, scraping its pods every
// ScrapeInterval, or updates its windows when it is collected already.
func (c *Collector) Collect(key types.NamespacedName, w Windows) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.revisions[key]; ok {
		r.setWindows(w)
		return
	}
	ctx, cancel := context.WithCancel(c.ctx)
	r := &revisionLoad{
		stop:        cancel,
		done:        make(chan struct{}),
		windows:     w,
		concurrency: NewBuckets(bucketsCapacity(w)),
		rps:         NewBuckets(bucketsCapacity(w)),
	}
	c.revisions[key] = r
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer close(r.done)
		c.scrapeLoop(ctx, key, r)
	}()
}

// bucketsCapacity is the longest window the buckets must cover.
func bucketsCapacity(w Windows) time.Duration { return max(w.Stable, w.Panic) }

func (r *revisionLoad) setWindows(w Windows) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.windows = w
	r.concurrency.Resize(bucketsCapacity(w))
	r.rps.Resize(bucketsCapacity(w))
}

// Stop stops collecting for the revision key and forgets its load.
func (c *Collector) Stop(key types.NamespacedName) {
	c.mu.Lock()
	r, ok := c.revisions[key]
	delete(c.revisions, key)
	c.mu.Unlock()
	if ok {
		r.stop()
		<-r.done
	}
}

// Wait waits for the scrape loops to end, once the Collector's context
// is done.
func (c *Collector) Wait() { c.wg.Wait() }

// Record adds a stat, a gateway's or a scrape's, to its revision's load,
// at now. A stat with Activation set calls OnActivation even when the
// revision is not collected for yet.
func (c *Collector) Record(now time.Time, stat Stat) {
	c.mu.RLock()
	r, ok := c.revisions[stat.Revision]
	c.mu.RUnlock()
	if ok {
		r.record(now, stat)
	}
	// After recording, so the decision it triggers sees the stat.
	if stat.Activation && c.opts.OnActivation != nil {
		c.opts.OnActivation(stat.Revision)
	}
}

func (r *revisionLoad) record(now time.Time, stat Stat) {
	// The gateway already counted what it proxied to the pods.
	concurrency := stat.AverageConcurrentRequests - stat.AverageProxiedConcurrentRequests
	rps := stat.RequestCount - stat.ProxiedRequestCount
	r.mu.Lock()
	defer r.mu.Unlock()
	r.concurrency.Record(now, concurrency)
	r.rps.Record(now, rps)
}

// StableAndPanicConcurrency is the revision's average concurrency over its
// stable and panic windows ending at now.
func (c *Collector) StableAndPanicConcurrency(key types.NamespacedName, now time.Time) (stable, panicValue float64, err error) {
	return c.stableAndPanic(key, now, func(r *revisionLoad) *Buckets { return r.concurrency })
}

// StableAndPanicRPS is the revision's average requests per second over its
// stable and panic windows ending at now.
func (c *Collector) StableAndPanicRPS(key types.NamespacedName, now time.Time) (stable, panicValue float64, err error) {
	return c.stableAndPanic(key, now, func(r *revisionLoad) *Buckets { return r.rps })
}

func (c *Collector) stableAndPanic(key types.NamespacedName, now time.Time, buckets func(*revisionLoad) *Buckets) (stable, panicValue float64, err error) {
	c.mu.RLock()
	r, ok := c.revisions[key]
	c.mu.RUnlock()
	if !ok {
		return 0, 0, ErrNotCollecting
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	b := buckets(r)
	stable, ok = b.WindowAverage(now, r.windows.Stable)
	if !ok {
		return 0, 0, ErrNoData
	}
	// An empty panic window within a non-empty stable one is no load.
	panicValue, _ = b.WindowAverage(now, r.windows.Panic)
	return stable, panicValue, nil
}

// LastScrapeError is the error of the revision's last scrape, nil when it
// succeeded.
func (c *Collector) LastScrapeError(key types.NamespacedName) error {
	c.mu.RLock()
	r, ok := c.revisions[key]
	c.mu.RUnlock()
	if !ok {
		return ErrNotCollecting
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastErr
}

// scrapeLoop scrapes the revision's pods every ScrapeInterval until the
// revision is stopped or the Collector's context ends.
func (c *Collector) scrapeLoop(ctx context.Context, key types.NamespacedName, r *revisionLoad) {
	logger := klog.FromContext(ctx).WithValues("revision", key)
	ctx = klog.NewContext(ctx, logger)

	ticker := c.opts.Clock.NewTicker(ScrapeInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C():
			c.scrapeOnce(ctx, key, r)
		}
	}
}

// scrapeOnce scrapes a sample of the revision's pods and records the
// extrapolated stat; with no ready pod it records nothing.
func (c *Collector) scrapeOnce(ctx context.Context, key types.NamespacedName, r *revisionLoad) {
	r.mu.Lock()
	stableWindow := r.windows.Stable
	r.mu.Unlock()

	pods, err := c.opts.Pods(ctx, key)
	var (
		stat Stat
		ok   bool
	)
	if err == nil {
		stat, ok, err = scrapeSample(ctx, c.opts.Scraper, pods, c.opts.Clock.Now(), stableWindow)
	}
	if ctx.Err() != nil {
		return
	}
	r.setLastError(klog.FromContext(ctx), err)
	if ok {
		stat.Revision = key
		r.record(c.opts.Clock.Now(), stat)
	}
}

// setLastError logs a scrape error when it starts, changes or ends, not
// every second.
func (r *revisionLoad) setLastError(logger klog.Logger, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case err != nil && (r.lastErr == nil || r.lastErr.Error() != err.Error()):
		logger.Error(err, "Scraping the revision's pods")
	case err == nil && r.lastErr != nil:
		logger.Info("Scraping the revision's pods works again")
	}
	r.lastErr = err
}
