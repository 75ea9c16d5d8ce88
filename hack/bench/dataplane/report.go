package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// The targets for knap-queue, against the direct path.
const (
	// At throughputLevel concurrent clients the queue keeps at least
	// minThroughputRatio of direct rps.
	throughputLevel    = 16
	minThroughputRatio = 0.60
	// With latencyLevel client the queue adds at most maxAddedP50 at p50.
	latencyLevel = 1
	maxAddedP50  = 150 * time.Microsecond
)

// The paths, as the table names them.
const (
	directPath  = "direct"
	queuePath   = "queue"
	gatewayPath = "gateway+queue"
)

// printReport prints one row per path and level, with its ratios to the
// direct path of the same level, then the verdict on each target.
func printReport(w io.Writer, o options, setup string, levels [][]*sample) {
	fmt.Fprintln(w, "knap data-plane benchmark: a hello server direct, through knap-queue, and through knap-gateway + knap-queue")
	fmt.Fprintf(w, "%d requests per path per concurrency level in %d interleaved rounds, after %d warm-up requests; loopback, HTTP/1.1 keep-alive\n",
		o.n, o.rounds, o.warmup)
	fmt.Fprintln(w, setup)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "path\tconc\trequests\terrors\trps\tp50-ms\tp99-ms\trps/direct\tadded-p50-ms")
	for _, samples := range levels {
		direct := find(samples, directPath)
		for _, s := range samples {
			ratio, added := "n/a", "n/a"
			if direct != nil && direct.rps() > 0 && len(s.latencies) > 0 && len(direct.latencies) > 0 {
				ratio = fmt.Sprintf("%.2f", s.rps()/direct.rps())
				added = fmt.Sprintf("%+.3f", ms(percentile(s.latencies, 50)-percentile(direct.latencies, 50)))
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.0f\t%.3f\t%.3f\t%s\t%s\n", s.path, s.concurrency, len(s.latencies), s.errors,
				s.rps(), ms(percentile(s.latencies, 50)), ms(percentile(s.latencies, 99)), ratio, added)
		}
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "targets:")
	for _, v := range verdicts(levels) {
		fmt.Fprintln(w, "  "+v)
	}
}

// verdicts judges knap-queue against the targets; a level that
// was not measured is said so.
func verdicts(levels [][]*sample) []string {
	judge := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	var out []string

	what := fmt.Sprintf("knap-queue rps at c=%d >= %.2f x direct:", throughputLevel, minThroughputRatio)
	if q, d := pair(levels, throughputLevel); q == nil || d == nil || d.rps() == 0 {
		out = append(out, fmt.Sprintf("%s not measured (-c has no %d)", what, throughputLevel))
	} else {
		// Three decimals: a ratio just under the target must not read as
		// the target.
		ratio := q.rps() / d.rps()
		out = append(out, fmt.Sprintf("%s %.3f  %s", what, ratio, judge(ratio >= minThroughputRatio)))
	}

	what = fmt.Sprintf("knap-queue added p50 at c=%d <= %.3f ms:", latencyLevel, ms(maxAddedP50))
	if q, d := pair(levels, latencyLevel); q == nil || d == nil || len(q.latencies) == 0 || len(d.latencies) == 0 {
		out = append(out, fmt.Sprintf("%s not measured (-c has no %d)", what, latencyLevel))
	} else {
		added := percentile(q.latencies, 50) - percentile(d.latencies, 50)
		out = append(out, fmt.Sprintf("%s %+.3f ms  %s", what, ms(added), judge(added <= maxAddedP50)))
	}
	return out
}

// pair is the queue's and the direct path's samples at concurrency c.
func pair(levels [][]*sample, c int) (queue, direct *sample) {
	for _, samples := range levels {
		if len(samples) > 0 && samples[0].concurrency == c {
			return find(samples, queuePath), find(samples, directPath)
		}
	}
	return nil, nil
}

func find(samples []*sample, path string) *sample {
	for _, s := range samples {
		if s.path == path {
			return s
		}
	}
	return nil
}

// percentile is the nearest-rank p-th percentile; 0 of nothing.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (p*len(s)+99)/100 - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
