package autoscaler

import "time"

// maxWindow is the largest value recorded over the last few seconds: the
// scale-down delay holds the highest recommendation of its window, so a
// lower one takes effect only once it has lasted the whole delay.
type maxWindow struct {
	seconds int64
	// entries is a deque with strictly decreasing values, oldest first: a
	// value that a later, larger one outlasts can never be the maximum.
	entries []maxEntry
}

type maxEntry struct {
	sec   int64
	value int32
}

func newMaxWindow(d time.Duration) *maxWindow {
	return &maxWindow{seconds: windowSeconds(d)}
}

// record adds value at now and returns the maximum over the window ending
// at now.
func (m *maxWindow) record(now time.Time, value int32) int32 {
	sec := now.Unix()
	for n := len(m.entries); n > 0 && m.entries[n-1].value <= value; n-- {
		m.entries = m.entries[:n-1]
	}
	// A larger value from the same second outlives this one anyway.
	if n := len(m.entries); n == 0 || m.entries[n-1].sec != sec {
		m.entries = append(m.entries, maxEntry{sec: sec, value: value})
	}
	for sec-m.entries[0].sec >= m.seconds {
		m.entries = m.entries[1:]
	}
	return m.entries[0].value
}
