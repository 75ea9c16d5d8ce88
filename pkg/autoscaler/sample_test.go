package autoscaler

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSampleSize(t *testing.T) {
	for pods, want := range map[int]int{-1: 0, 0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 4, 10: 7, 100: 14, 1000: 16, 100000: 16} {
		if got := SampleSize(pods); got != want {
			t.Errorf("SampleSize(%d) = %d, want %d", pods, got, want)
		}
	}
}

// fakeScraper answers from a table and remembers whom it scraped.
type fakeScraper struct {
	mu      sync.Mutex
	stats   map[string]Stat
	failing map[string]bool
	scraped []string
	calls   chan string // when set, receives every scraped IP
}

func (f *fakeScraper) Scrape(_ context.Context, ip string) (Stat, error) {
	f.mu.Lock()
	f.scraped = append(f.scraped, ip)
	s, ok := f.stats[ip]
	failing := f.failing[ip]
	f.mu.Unlock()
	if f.calls != nil {
		f.calls <- ip
	}
	if failing || !ok {
		return Stat{}, fmt.Errorf("pod %s does not answer", ip)
	}
	return s, nil
}

func (f *fakeScraper) scrapedIPs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.scraped...)
}

// podsWithLoad are n pods, 10.0.0.i, whose pod i has concurrency i, i/2 of
// it proxied, and 2i requests, i of them proxied; young of them (the last)
// started less than a stable window ago.
func podsWithLoad(n, young int) ([]Pod, *fakeScraper) {
	f := &fakeScraper{stats: map[string]Stat{}, failing: map[string]bool{}}
	var pods []Pod
	for i := 1; i <= n; i++ {
		ip := fmt.Sprintf("10.0.%d.%d", i/256, i%256)
		started := at(-3600)
		if i > n-young {
			started = at(-5)
		}
		pods = append(pods, Pod{IP: ip, Started: started})
		f.stats[ip] = Stat{
			PodName:                          ip,
			AverageConcurrentRequests:        float64(i),
			AverageProxiedConcurrentRequests: float64(i) / 2,
			RequestCount:                     float64(2 * i),
			ProxiedRequestCount:              float64(i),
		}
	}
	return pods, f
}

// sumOf is the sum of the stats of ips, times scale.
func sumOf(f *fakeScraper, ips []string, scale float64) Stat {
	s := Stat{PodName: ScraperPodName}
	for _, ip := range ips {
		p := f.stats[ip]
		s.AverageConcurrentRequests += p.AverageConcurrentRequests
		s.AverageProxiedConcurrentRequests += p.AverageProxiedConcurrentRequests
		s.RequestCount += p.RequestCount
		s.ProxiedRequestCount += p.ProxiedRequestCount
	}
	s.AverageConcurrentRequests *= scale
	s.AverageProxiedConcurrentRequests *= scale
	s.RequestCount *= scale
	s.ProxiedRequestCount *= scale
	return s
}

func closeStats(a, b Stat) bool {
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9*math.Max(1, math.Abs(y)) }
	return a.PodName == b.PodName && near(a.AverageConcurrentRequests, b.AverageConcurrentRequests) &&
		near(a.AverageProxiedConcurrentRequests, b.AverageProxiedConcurrentRequests) &&
		near(a.RequestCount, b.RequestCount) && near(a.ProxiedRequestCount, b.ProxiedRequestCount)
}

func TestScrapeSample(t *testing.T) {
	const stableWindow = 60 * time.Second
	tests := []struct {
		name        string
		pods, young int
		failing     []int // pod numbers that fail
		wantScraped int   // successful scrapes
		wantErr     string
		// check, when set, judges which pods were scraped successfully.
		check func(t *testing.T, ok []string)
	}{
		{name: "no pod: nothing to scrape", pods: 0},
		{name: "one pod", pods: 1, wantScraped: 1},
		{name: "three pods: all", pods: 3, wantScraped: 3},
		{name: "four pods: all", pods: 4, wantScraped: 4},
		{name: "ten pods: a sample of 7", pods: 10, wantScraped: 7},
		{name: "a hundred pods: 14", pods: 100, wantScraped: 14},
		{name: "a thousand pods: 16", pods: 1000, wantScraped: 16},
		{name: "failing pods are replaced", pods: 10, failing: []int{1, 2, 3}, wantScraped: 7},
		{name: "too many failing pods fail the scrape", pods: 10, failing: []int{1, 2, 3, 4}, wantErr: "scraped 6 of the 7 pods"},
		{name: "all pods failing", pods: 2, failing: []int{1, 2}, wantErr: "scraped 0 of the 2 pods"},
		{name: "old pods first", pods: 10, young: 2, wantScraped: 7, check: func(t *testing.T, ok []string) {
			for _, ip := range ok {
				if ip == "10.0.0.9" || ip == "10.0.0.10" {
					t.Errorf("young pod %s scraped while enough old ones answered", ip)
				}
			}
		}},
		{name: "young pods fill in for too few old ones", pods: 10, young: 5, wantScraped: 7, check: func(t *testing.T, ok []string) {
			oldPods := map[string]bool{"10.0.0.1": true, "10.0.0.2": true, "10.0.0.3": true, "10.0.0.4": true, "10.0.0.5": true}
			old := 0
			for _, ip := range ok {
				if oldPods[ip] {
					old++
				}
			}
			if old != 5 {
				t.Errorf("%d old pods of 5 scraped, want all", old)
			}
		}},
		{name: "young pods replace failing old ones", pods: 10, young: 3, failing: []int{1, 2}, wantScraped: 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pods, f := podsWithLoad(tc.pods, tc.young)
			for _, i := range tc.failing {
				f.failing[pods[i-1].IP] = true
			}
			got, ok, err := scrapeSample(context.Background(), f, pods, at(0), stableWindow)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || ok {
					t.Fatalf("scrapeSample = %v, %v; want an error containing %q", ok, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ok != (tc.pods > 0) {
				t.Fatalf("scrapeSample ok = %v with %d pods", ok, tc.pods)
			}
			var answered []string
			seen := map[string]bool{}
			for _, ip := range f.scrapedIPs() {
				if seen[ip] {
					t.Errorf("pod %s scraped twice", ip)
				}
				seen[ip] = true
				if !f.failing[ip] {
					answered = append(answered, ip)
				}
			}
			if len(answered) != tc.wantScraped {
				t.Fatalf("%d pods answered, want %d", len(answered), tc.wantScraped)
			}
			if tc.pods == 0 {
				return
			}
			// The sample's sum, extrapolated to all pods.
			want := sumOf(f, answered, float64(tc.pods)/float64(tc.wantScraped))
			if !closeStats(got, want) {
				t.Errorf("scrapeSample = %+v, want %+v", got, want)
			}
			if tc.check != nil {
				tc.check(t, answered)
			}
		})
	}
}

// A sample of identical pods extrapolates to exactly their total.
func TestScrapeSampleExtrapolatesToAllPods(t *testing.T) {
	f := &fakeScraper{stats: map[string]Stat{}}
	var pods []Pod
	for i := range 50 {
		ip := fmt.Sprintf("10.1.0.%d", i)
		pods = append(pods, Pod{IP: ip})
		f.stats[ip] = Stat{AverageConcurrentRequests: 3, AverageProxiedConcurrentRequests: 1, RequestCount: 10, ProxiedRequestCount: 4}
	}
	got, ok, err := scrapeSample(context.Background(), f, pods, at(0), time.Minute)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	want := Stat{PodName: ScraperPodName, AverageConcurrentRequests: 150, AverageProxiedConcurrentRequests: 50, RequestCount: 500, ProxiedRequestCount: 200}
	if !closeStats(got, want) {
		t.Errorf("scrapeSample = %+v, want %+v", got, want)
	}
	if n := len(f.scrapedIPs()); n != SampleSize(50) {
		t.Errorf("%d pods scraped, want %d", n, SampleSize(50))
	}
}

func TestScrapeSampleErrorNamesThePod(t *testing.T) {
	pods, f := podsWithLoad(1, 0)
	f.failing[pods[0].IP] = true
	_, _, err := scrapeSample(context.Background(), f, pods, at(0), time.Minute)
	if err == nil || !strings.Contains(err.Error(), pods[0].IP) || errors.Unwrap(err) == nil {
		t.Errorf("error = %v, want one naming %s and wrapping the cause", err, pods[0].IP)
	}
}

// Every pod has its chance: the sample is not always the first pods.
func TestScrapeSampleIsRandom(t *testing.T) {
	pods, f := podsWithLoad(10, 0)
	for range 100 {
		if _, _, err := scrapeSample(context.Background(), f, pods, at(0), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	counts := map[string]int{}
	for _, ip := range f.scrapedIPs() {
		counts[ip]++
	}
	// Each pod is in 7 of 10 samples: missing from all 100 has odds of
	// 0.3^100.
	for _, p := range pods {
		if counts[p.IP] == 0 {
			t.Errorf("pod %s never sampled in 100 scrapes: %v", p.IP, counts)
		}
	}
}
