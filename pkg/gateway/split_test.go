package gateway

import (
	"slices"
	"testing"
)

func TestSplitPickerShares(t *testing.T) {
	cases := []struct {
		name     string
		weights  []int
		requests int
		want     []int
	}{
		{"single split gets all", []int{100}, 10, []int{10}},
		{"single split of 0 gets all", []int{0}, 10, []int{10}},
		{"80/20", []int{80, 20}, 1000, []int{800, 200}},
		{"50/50", []int{50, 50}, 10, []int{5, 5}},
		{"1/99", []int{1, 99}, 100, []int{1, 99}},
		{"0/100 never picks the first", []int{0, 100}, 50, []int{0, 50}},
		{"all zero share equally", []int{0, 0, 0}, 30, []int{10, 10, 10}},
		{"33/33/34", []int{33, 33, 34}, 100, []int{33, 33, 34}},
		{"negative counts as zero", []int{-5, 10}, 10, []int{0, 10}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newSplitPicker(c.weights)
			got := make([]int, len(c.weights))
			for range c.requests {
				got[p.pick()]++
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("counts = %v, want %v", got, c.want)
			}
		})
	}
}

func TestSplitPickerInterleaves(t *testing.T) {
	cases := []struct {
		weights []int
		// maxRun is the longest run of one split allowed.
		maxRun int
	}{
		{[]int{80, 20}, 4},
		{[]int{50, 50}, 1},
		{[]int{90, 10}, 9},
		{[]int{34, 33, 33}, 2}, // the extra 1% meets itself across cycles
	}
	for _, c := range cases {
		p := newSplitPicker(c.weights)
		run, last := 0, -1
		for range 1000 {
			i := p.pick()
			if i == last {
				run++
			} else {
				run, last = 1, i
			}
			if run > c.maxRun {
				t.Errorf("%v: split %d picked %d times in a row, want at most %d", c.weights, i, run, c.maxRun)
				break
			}
		}
	}
}

func TestSplitPickerCycleIsReduced(t *testing.T) {
	cases := []struct {
		weights []int
		want    int
	}{
		{[]int{80, 20}, 5},
		{[]int{50, 50}, 2},
		{[]int{33, 67}, 100},
		{[]int{100}, 1},
		{[]int{1 << 20, 1 << 19, 1}, maxCycle},
	}
	for _, c := range cases {
		if got := len(newSplitPicker(c.weights).cycle); got > c.want || (c.want <= 100 && got != c.want) {
			t.Errorf("%v: cycle of %d, want %d", c.weights, got, c.want)
		}
	}
}

func TestSplitPickerContinues(t *testing.T) {
	old := newSplitPicker([]int{80, 20})
	for range 3 {
		old.pick()
	}
	same := newSplitPicker([]int{80, 20})
	same.continues(old)
	if same.next != old.next {
		t.Error("a picker with the same cycle does not continue the old position")
	}
	other := newSplitPicker([]int{50, 50})
	other.continues(old)
	if other.next == old.next {
		t.Error("a picker with another cycle continues the old position")
	}
}
