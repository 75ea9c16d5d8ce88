package autoscaler

import (
	"math"
	"time"
)

// Buckets sums the values recorded in each second and averages those
// per-second totals over any window up to its capacity. Within a window,
// a second without a record counts as 0 only between records: the average
// starts at the first record of the current run of data (a gap of a whole
// window or more starts a new run) and ends at the last record, so a young
// or a recently silent revision is not diluted by seconds nobody measured.
//
// Buckets is not safe for concurrent use; the Collector serializes it.
type Buckets struct {
	// slots is a ring indexed by the Unix second modulo its length; a slot
	// belongs to the second in sec only when written is set.
	slots []bucketSlot
	// lastDropped is the latest written second that left the ring, so the
	// start of a run that began before the ring's span is still known.
	lastDropped    int64
	hasLastDropped bool
}

type bucketSlot struct {
	sec     int64
	value   float64
	written bool
}

// averagePrecision is the number of decimals averages keep: float noise
// must not make ceil(average/target) one pod more than it should.
const averagePrecision = 6

// NewBuckets keeps the last capacity (whole seconds, at least one) of
// records.
func NewBuckets(capacity time.Duration) *Buckets {
	return &Buckets{slots: make([]bucketSlot, windowSeconds(capacity))}
}

// windowSeconds is a window's length in whole seconds, at least one.
func windowSeconds(d time.Duration) int64 {
	return max(1, int64(math.Ceil(d.Seconds())))
}

// Capacity is the longest window the buckets can average over.
func (b *Buckets) Capacity() time.Duration {
	return time.Duration(len(b.slots)) * time.Second
}

// Record adds value to the second now falls in. Records older than the
// ring's span are dropped.
func (b *Buckets) Record(now time.Time, value float64) {
	sec := now.Unix()
	s := &b.slots[b.index(sec)]
	switch {
	case s.written && s.sec == sec:
		s.value += value
	case s.written && s.sec > sec:
		// The slot already holds a newer second: this one is too old.
	default:
		if s.written {
			b.dropped(s.sec)
		}
		*s = bucketSlot{sec: sec, value: value, written: true}
	}
}

func (b *Buckets) index(sec int64) int {
	n := int64(len(b.slots))
	return int(((sec % n) + n) % n)
}

func (b *Buckets) dropped(sec int64) {
	if !b.hasLastDropped || sec > b.lastDropped {
		b.lastDropped, b.hasLastDropped = sec, true
	}
}

// WindowAverage is the average per-second total over the window that ends
// with the second now falls in; ok is false when nothing was recorded in
// that window. A window longer than the capacity is cut to it.
func (b *Buckets) WindowAverage(now time.Time, window time.Duration) (avg float64, ok bool) {
	w := min(windowSeconds(window), int64(len(b.slots)))
	end := now.Unix()
	start := end - w + 1

	var (
		sum         float64
		first, last int64
		seen        bool
		// before is the latest record ahead of the window.
		before, hasBefore = b.lastDropped, b.hasLastDropped
	)
	for _, s := range b.slots {
		switch {
		case !s.written || s.sec > end:
			// Empty, or recorded after now: not part of this view.
		case s.sec >= start:
			sum += s.value
			if !seen || s.sec < first {
				first = s.sec
			}
			if !seen || s.sec > last {
				last = s.sec
			}
			seen = true
		case !hasBefore || s.sec > before:
			before, hasBefore = s.sec, true
		}
	}
	if !seen {
		return 0, false
	}
	// The run continues from before the window unless a whole window of
	// silence separates it from the earlier records.
	from := first
	if hasBefore && first-before < w {
		from = start
	}
	return roundTo(sum/float64(last-from+1), averagePrecision), true
}

// Resize changes the capacity, keeping the records the new span covers.
func (b *Buckets) Resize(capacity time.Duration) {
	n := windowSeconds(capacity)
	if n == int64(len(b.slots)) {
		return
	}
	old := b.slots
	latest := int64(math.MinInt64)
	for _, s := range old {
		if s.written && s.sec > latest {
			latest = s.sec
		}
	}
	b.slots = make([]bucketSlot, n)
	for _, s := range old {
		switch {
		case !s.written:
		case s.sec > latest-n:
			b.slots[b.index(s.sec)] = s
		default:
			b.dropped(s.sec)
		}
	}
}

func roundTo(f float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(f*p) / p
}
