package autoscaler

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// Pod is a ready pod of a revision, as the scraper needs it.
type Pod struct {
	// IP is the pod's IP; its knap-queue serves metrics on it.
	IP string
	// Started is when the pod started (zero: long ago). Pods younger than
	// the stable window are scraped only when the older ones are too few:
	// their averages are still ramping up.
	Started time.Time
}

// PodLister lists a revision's ready pods.
type PodLister func(ctx context.Context, revision types.NamespacedName) ([]Pod, error)

// Scraper reads the autoscaler's stats from one pod.
type Scraper interface {
	Scrape(ctx context.Context, podIP string) (Stat, error)
}

// ScraperPodName is the PodName of a Stat extrapolated from a sample of a
// revision's pods.
const ScraperPodName = "service-scraper"

// Sampling a large revision: how many pods give the population's mean
// load within a margin of error of 5 at 95% confidence, assuming a
// variance of 100 between pods.
const (
	sampleZSquared           = 1.96 * 1.96
	sampleMarginSquared      = 5.0 * 5.0
	samplePopulationVariance = 100.0
	// unboundedSampleSize is the sample an infinite population needs.
	unboundedSampleSize = sampleZSquared * samplePopulationVariance / sampleMarginSquared
)

// SampleSize is the number of pods to scrape out of a revision's ready
// pods: all of up to 3, then the sample size for the population's mean
// (16 at most, approached as the population grows).
func SampleSize(pods int) int {
	if pods <= 3 {
		return max(pods, 0)
	}
	p := float64(pods)
	// The unbounded sample size, corrected for a finite population.
	return int(math.Ceil(p * unboundedSampleSize / (p + unboundedSampleSize - 1)))
}

// scrapeSample scrapes SampleSize(len(pods)) of pods, preferring pods
// older than oldAge, and extrapolates their sum to all of them. A pod that
// fails is replaced by the next one; the scrape fails when too few
// answer. ok is false when there is no pod to scrape.
func scrapeSample(ctx context.Context, scraper Scraper, pods []Pod, now time.Time, oldAge time.Duration) (stat Stat, ok bool, err error) {
	if len(pods) == 0 {
		return Stat{}, false, nil
	}
	sample := SampleSize(len(pods))
	order := sampleOrder(pods, now, oldAge, sample)

	var (
		next    atomic.Int64
		mu      sync.Mutex
		sum     Stat
		got     int
		lastErr error
		wg      sync.WaitGroup
	)
	for range sample {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(len(order)) {
					return
				}
				s, err := scraper.Scrape(ctx, order[i])
				mu.Lock()
				if err != nil {
					lastErr = fmt.Errorf("scraping pod %s: %w", order[i], err)
					mu.Unlock()
					continue
				}
				sum.AverageConcurrentRequests += s.AverageConcurrentRequests
				sum.AverageProxiedConcurrentRequests += s.AverageProxiedConcurrentRequests
				sum.RequestCount += s.RequestCount
				sum.ProxiedRequestCount += s.ProxiedRequestCount
				got++
				mu.Unlock()
				return
			}
		})
	}
	wg.Wait()
	if got < sample {
		return Stat{}, false, fmt.Errorf("scraped %d of the %d pods sampled out of %d: %w", got, sample, len(pods), lastErr)
	}
	// The sampled pods stand for all of them.
	scale := float64(len(pods)) / float64(sample)
	return Stat{
		PodName:                          ScraperPodName,
		AverageConcurrentRequests:        sum.AverageConcurrentRequests * scale,
		AverageProxiedConcurrentRequests: sum.AverageProxiedConcurrentRequests * scale,
		RequestCount:                     sum.RequestCount * scale,
		ProxiedRequestCount:              sum.ProxiedRequestCount * scale,
	}, true, nil
}

// sampleOrder lists the pod IPs in the order to try them: the old pods
// (shuffled when there are more than the sample needs), then the young
// ones (shuffled when some will be needed) as replacements.
func sampleOrder(pods []Pod, now time.Time, oldAge time.Duration, sample int) []string {
	var old, young []string
	for _, p := range pods {
		if p.Started.IsZero() || now.Sub(p.Started) >= oldAge {
			old = append(old, p.IP)
		} else {
			young = append(young, p.IP)
		}
	}
	shuffle := func(ips []string) { rand.Shuffle(len(ips), func(i, j int) { ips[i], ips[j] = ips[j], ips[i] }) }
	if len(old) < sample {
		shuffle(young)
	} else {
		shuffle(old)
	}
	return append(old, young...)
}
