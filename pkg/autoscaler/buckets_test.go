package autoscaler

import (
	"testing"
	"time"
)

// t0 is a whole second; tests record at t0 plus whole or part seconds.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func at(seconds float64) time.Time {
	return t0.Add(time.Duration(seconds * float64(time.Second)))
}

type record struct {
	at    float64
	value float64
}

// ones records 1 at each of the seconds.
func ones(secs ...float64) []record {
	var rs []record
	for _, s := range secs {
		rs = append(rs, record{s, 1})
	}
	return rs
}

func TestBucketsWindowAverage(t *testing.T) {
	tests := []struct {
		name     string
		capacity time.Duration // 60s when 0
		records  []record
		now      float64
		window   time.Duration
		want     float64
		wantOK   bool
	}{
		{name: "nothing recorded", now: 10, window: 60 * time.Second},
		{name: "one record", records: []record{{0, 4}}, now: 0, window: 6 * time.Second, want: 4, wantOK: true},
		{name: "reporters in one second add up", records: []record{{0.1, 1}, {0.5, 2}, {0.99, 3}},
			now: 0.2, window: 6 * time.Second, want: 6, wantOK: true},
		{name: "a young run averages over its own seconds, not the window",
			records: []record{{0, 1}, {1, 2}, {2, 3}}, now: 2, window: 60 * time.Second, want: 2, wantOK: true},
		{name: "seconds after the last record do not count",
			records: []record{{0, 3}, {1, 3}, {2, 3}}, now: 10, window: 60 * time.Second, want: 3, wantOK: true},
		{name: "a gap between records counts as zero",
			records: []record{{0, 4}, {3, 4}}, now: 3, window: 60 * time.Second, want: 2, wantOK: true},
		{name: "a gap just short of the window is zeros",
			records: []record{{0, 6}, {5, 6}}, now: 5, window: 6 * time.Second, want: 2, wantOK: true},
		{name: "a gap of a whole window starts a new run",
			records: []record{{0, 10}, {6, 2}}, now: 6, window: 6 * time.Second, want: 2, wantOK: true},
		{name: "the same gap within a longer window is zeros",
			records: []record{{0, 10}, {6, 2}}, now: 6, window: 60 * time.Second, want: 1.714286, wantOK: true},
		{name: "last record one window ago: no data",
			records: []record{{0, 1}}, now: 6, window: 6 * time.Second},
		{name: "last record just inside the window",
			records: []record{{0, 5}}, now: 5.9, window: 6 * time.Second, want: 5, wantOK: true},
		{name: "the window slides over a long run",
			records: []record{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}, {7, 7}, {8, 8}, {9, 9}},
			now:     9, window: 6 * time.Second, want: 6.5, wantOK: true},
		{name: "a run that began before the window fills it from its start",
			records: ones(0, 1, 2, 3, 6, 7, 8, 9), now: 9, window: 6 * time.Second, want: 0.666667, wantOK: true},
		{name: "a run that began in the window, long after an older one",
			records: ones(0, 8, 9), now: 9, window: 6 * time.Second, want: 1, wantOK: true},
		{name: "the record before the window left the ring",
			capacity: 6 * time.Second, records: ones(3, 7, 9), now: 10, window: 6 * time.Second, want: 0.4, wantOK: true},
		{name: "records older than the ring are dropped",
			capacity: 10 * time.Second,
			records:  append(append([]record{{0, 100}}, ones(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)...), record{5, 100}),
			now:      20, window: 10 * time.Second, want: 1, wantOK: true},
		{name: "a window beyond the capacity is cut to it",
			capacity: 6 * time.Second, records: []record{{0, 60}, {1, 6}, {2, 6}, {3, 6}, {4, 6}, {5, 6}, {6, 6}, {7, 6}},
			now: 7, window: 60 * time.Second, want: 6, wantOK: true},
		{name: "a record after now is not seen", records: []record{{5, 1}}, now: 3, window: 6 * time.Second},
		{name: "zeros are data", records: []record{{0, 0}, {1, 0}}, now: 1, window: 6 * time.Second, want: 0, wantOK: true},
		{name: "averages are rounded to 6 decimals", records: []record{{0, 1}, {2, 0}}, now: 2,
			window: 6 * time.Second, want: 0.333333, wantOK: true},
		{name: "negative values (more proxied than seen) add up too", records: []record{{0, 2}, {0, -1}},
			now: 0, window: 6 * time.Second, want: 1, wantOK: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			capacity := tc.capacity
			if capacity == 0 {
				capacity = 60 * time.Second
			}
			b := NewBuckets(capacity)
			for _, r := range tc.records {
				b.Record(at(r.at), r.value)
			}
			got, ok := b.WindowAverage(at(tc.now), tc.window)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("WindowAverage(%vs, %v) = %v, %v; want %v, %v", tc.now, tc.window, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestBucketsResize(t *testing.T) {
	b := NewBuckets(60 * time.Second)
	for s := range 60 {
		b.Record(at(float64(s)), float64(s))
	}
	b.Resize(10 * time.Second)
	if got := b.Capacity(); got != 10*time.Second {
		t.Fatalf("Capacity() = %v, want 10s", got)
	}
	// 50..59 remain; the run still began before them.
	if got, ok := b.WindowAverage(at(59), 60*time.Second); got != 54.5 || !ok {
		t.Errorf("after shrinking: WindowAverage = %v, %v; want 54.5, true", got, ok)
	}
	b.Resize(30 * time.Second)
	b.Record(at(60), 60)
	// 50..60 are known, 31..49 were lost: the run is taken to have begun
	// before them, so they count as zeros.
	want := roundTo(float64(50+51+52+53+54+55+56+57+58+59+60)/30, averagePrecision)
	if got, ok := b.WindowAverage(at(60), 30*time.Second); got != want || !ok {
		t.Errorf("after growing: WindowAverage = %v, %v; want %v, true", got, ok, want)
	}
}

func TestMaxWindow(t *testing.T) {
	type step struct {
		at    float64
		value int32
		want  int32
	}
	tests := []struct {
		name  string
		delay time.Duration
		steps []step
	}{{
		name:  "a drop waits the whole delay",
		delay: 3 * time.Second,
		steps: []step{{0, 5, 5}, {1, 2, 5}, {2, 2, 5}, {3, 2, 2}, {4, 1, 2}, {5, 1, 2}, {6, 1, 1}},
	}, {
		name:  "a rise is immediate",
		delay: 10 * time.Second,
		steps: []step{{0, 1, 1}, {1, 4, 4}, {2, 9, 9}},
	}, {
		name:  "within a second the largest wins",
		delay: 2 * time.Second,
		steps: []step{{0.1, 7, 7}, {0.9, 3, 7}, {1, 3, 7}, {2, 3, 3}},
	}, {
		name:  "a second larger value restarts the delay",
		delay: 3 * time.Second,
		steps: []step{{0, 5, 5}, {1, 1, 5}, {2, 5, 5}, {3, 1, 5}, {4, 1, 5}, {5, 1, 1}},
	}, {
		name:  "silence longer than the delay forgets",
		delay: 5 * time.Second,
		steps: []step{{0, 8, 8}, {100, 2, 2}},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newMaxWindow(tc.delay)
			for _, s := range tc.steps {
				if got := m.record(at(s.at), s.value); got != s.want {
					t.Fatalf("record(%vs, %d) = %d, want %d", s.at, s.value, got, s.want)
				}
			}
		})
	}
}
