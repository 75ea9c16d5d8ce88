// Command dataplane benchmarks knap's HTTP data plane on loopback: a hello
// server called directly, through knap-queue, and through knap-gateway then
// knap-queue. At each concurrency level every path gets the same fixed
// number of requests, interleaved in rounds, and the table gives each
// path's rps, p50 and p99 and its ratios to the direct path measured in
// the same run (DESIGN.md §5), then a verdict on the targets.
//
// Each component runs in a process of its own (this binary re-executed
// with -role), so the hello server, the queue and the gateway are
// scheduled apart as in production; this process is the load generator.
// With -in-process they are goroutines of this process instead, as in
// pkg/queue's BenchmarkProxy.
// The gateway reads its Ingress, Revision and EndpointSlice from fake
// clientsets: no cluster is needed.
//
//	go run ./hack/bench/dataplane -n 20000 -c 1,16
//
// hack/bench/dataplane.sh builds and runs it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the benchmark's flags.
type options struct {
	n              int
	levels         []int
	warmup         int
	rounds         int
	requestTimeout time.Duration
	startTimeout   time.Duration
	inProcess      bool
}

// roleOptions are what one component needs: its role and what it fronts
// (-role, -user-port and -backend of a component process).
type roleOptions struct {
	role     string
	userPort int    // queue: the hello server's port
	backend  string // gateway: the queue's host:port
}

func main() {
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

// realMain runs the benchmark, or one component with -role, and returns
// the exit status.
func realMain(args []string, stdout, stderr io.Writer) int {
	var o options
	var ro roleOptions
	levels := "1,16"
	fs := flag.NewFlagSet("dataplane", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.n, "n", 20000, "requests per path per concurrency level")
	fs.StringVar(&levels, "c", levels, "concurrency levels, comma-separated")
	fs.IntVar(&o.warmup, "warmup", 1000, "requests per path per concurrency level before measuring (not recorded)")
	fs.IntVar(&o.rounds, "rounds", 5, "rounds per concurrency level; each round sends n/rounds per path, rotating the path order")
	fs.DurationVar(&o.requestTimeout, "request-timeout", 10*time.Second, "client timeout of a single request")
	fs.DurationVar(&o.startTimeout, "start-timeout", time.Minute, "how long a component may take to listen and turn ready")
	fs.BoolVar(&o.inProcess, "in-process", false, "run the components as goroutines of this process instead of processes of their own")
	fs.StringVar(&ro.role, "role", "", "internal: run one component (hello, queue or gateway) instead of the benchmark")
	fs.IntVar(&ro.userPort, "user-port", 0, "internal, -role=queue: the hello server's port")
	fs.StringVar(&ro.backend, "backend", "", "internal, -role=gateway: the queue's host:port")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if ro.role != "" {
		if err := runRole(ctx, ro, os.Stdin, stdout); err != nil {
			fmt.Fprintf(stderr, "dataplane -role=%s: %v\n", ro.role, err)
			return 1
		}
		return 0
	}

	var err error
	if o.levels, err = parseLevels(levels); err != nil {
		fmt.Fprintf(stderr, "dataplane: -c: %v\n", err)
		return 2
	}
	if o.n <= 0 || o.rounds <= 0 || o.warmup < 0 {
		fmt.Fprintln(stderr, "dataplane: -n and -rounds must be positive, -warmup not negative")
		return 2
	}
	if err := run(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "dataplane: %v\n", err)
		return 1
	}
	return 0
}

// parseLevels reads "1,16": positive, distinct concurrency levels.
func parseLevels(s string) ([]int, error) {
	var out []int
	seen := map[int]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		c, err := strconv.Atoi(f)
		if err != nil || c <= 0 {
			return nil, fmt.Errorf("%q is not a positive integer", f)
		}
		if seen[c] {
			return nil, fmt.Errorf("level %d given twice", c)
		}
		seen[c] = true
		out = append(out, c)
	}
	return out, nil
}

// run starts the components, measures every path at every level and
// prints the table. Request errors fail it, after the table.
func run(ctx context.Context, o options, stdout, stderr io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	logDir, err := os.MkdirTemp("", "knap-bench-dataplane-")
	if err != nil {
		return err
	}
	env := &environment{exe: exe, logDir: logDir, inProcess: o.inProcess, startTimeout: o.startTimeout, progress: stderr}
	keepLogs := false
	defer func() {
		env.stop()
		if keepLogs && !o.inProcess {
			fmt.Fprintf(stderr, "dataplane: component logs kept in %s\n", logDir)
		} else {
			_ = os.RemoveAll(logDir)
		}
	}()
	targets, err := env.start(ctx)
	if err != nil {
		keepLogs = true
		return err
	}

	loadBefore := loadAverage()
	var levels [][]*sample
	for _, c := range o.levels {
		fmt.Fprintf(stderr, "dataplane: concurrency %d: %d warm-up + %d measured requests per path ...\n", c, o.warmup, o.n)
		samples := measureLevel(ctx, targets, c, o)
		if err := ctx.Err(); err != nil {
			return err
		}
		levels = append(levels, samples)
	}
	setup := env.describe() + fmt.Sprintf("\nload average (1 min): %s before, %s after", loadBefore, loadAverage())
	printReport(stdout, o, setup, levels)

	failed, first := 0, error(nil)
	for _, samples := range levels {
		for _, s := range samples {
			failed += s.errors
			if first == nil {
				first = s.firstErr
			}
		}
	}
	// A component that died explains the failed requests best.
	if err := env.exited(); err != nil {
		keepLogs = true
		return fmt.Errorf("%w (%d requests failed)", err, failed)
	}
	if failed > 0 {
		keepLogs = true
		return fmt.Errorf("%d requests failed; the first: %w", failed, first)
	}
	return nil
}
