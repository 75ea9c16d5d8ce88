package gateway

import (
	"slices"
	"sync/atomic"
)

// maxCycle bounds a cycle's length. Validation keeps percents summing to
// 100, so real cycles are at most 100 long; weights beyond this (an
// Ingress written around validation) are scaled down.
const maxCycle = 1 << 12

// splitPicker chooses a path's split in proportion to the splits'
// percents with smooth weighted round-robin, precomputed as one cycle
// (80/20 becomes A A B A A) that requests walk with an atomic counter.
//
// Not random on purpose: random picks are exact only on average (over
// 1000 requests an 80/20 split drifts by ±1.3% at one standard deviation,
// and a 1% canary can see nothing for hundreds of requests), while the
// cycle gives every revision its share within each cycle and interleaves
// them rather than sending bursts to one. The counter is all the request
// path touches, so no lock is taken.
type splitPicker struct {
	cycle []int // indices into the path's splits
	next  *atomic.Uint64
}

// newSplitPicker returns a picker over splits weighted by weights. A
// single split gets everything whatever its percent; when every weight is
// zero the splits share equally. A split of weight 0 next to positive
// ones is never picked.
func newSplitPicker(weights []int) splitPicker {
	w := normalizeWeights(weights)
	total := 0
	for _, x := range w {
		total += x
	}
	// Smooth weighted round-robin: each step every split gains its weight,
	// the one with the most credit is picked and pays the total back.
	cycle := make([]int, 0, total)
	credit := make([]int, len(w))
	for range total {
		best := 0
		for i := range w {
			credit[i] += w[i]
			if credit[i] > credit[best] {
				best = i
			}
		}
		credit[best] -= total
		cycle = append(cycle, best)
	}
	return splitPicker{cycle: cycle, next: new(atomic.Uint64)}
}

// normalizeWeights applies the defaults, divides by the weights' greatest
// common divisor (80/20 is a cycle of 5, not 100) and bounds the total.
func normalizeWeights(weights []int) []int {
	w := make([]int, len(weights))
	total := 0
	for i, x := range weights {
		w[i] = max(x, 0)
		total += w[i]
	}
	if total == 0 {
		for i := range w {
			w[i] = 1
		}
		return w
	}
	g := 0
	for _, x := range w {
		g = gcd(g, x)
	}
	total = 0
	for i := range w {
		w[i] /= g
		total += w[i]
	}
	if total > maxCycle {
		for i, x := range w {
			if x > 0 {
				w[i] = max(x*maxCycle/total, 1)
			}
		}
	}
	return w
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// pick returns the index of the next split.
func (p splitPicker) pick() int {
	if len(p.cycle) == 1 {
		return p.cycle[0]
	}
	n := p.next.Add(1) - 1
	return p.cycle[n%uint64(len(p.cycle))]
}

// continues makes p walk on from old's position when both have the same
// cycle, so rebuilding the routing table (any Ingress event) does not
// restart every cycle: restarted often enough, 80/20 would send only to
// the first split.
func (p *splitPicker) continues(old splitPicker) {
	if old.next != nil && slices.Equal(p.cycle, old.cycle) {
		p.next = old.next
	}
}
