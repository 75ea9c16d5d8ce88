package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	kubefake "k8s.io/client-go/kubernetes/fake"

	"github.com/knap-dev/knap/pkg/gateway"
	knapfake "github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
)

// TestMain lets this test binary stand in for the benchmark's: the
// benchmark re-executes its own binary for each component, with -role
// first.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && strings.HasPrefix(os.Args[1], "-role=") {
		os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// row is one line of the printed table.
type row struct {
	requests, errors int
}

// parseTable reads the table's rows by "path/concurrency".
func parseTable(t *testing.T, out string) map[string]row {
	t.Helper()
	rows := map[string]row{}
	inTable := false
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) > 0 && f[0] == "path":
			inTable = true
		case inTable && len(f) == 0:
			return rows
		case inTable:
			if len(f) != 9 {
				t.Fatalf("table row %q has %d columns, want 9", line, len(f))
			}
			requests, err1 := strconv.Atoi(f[2])
			errors, err2 := strconv.Atoi(f[3])
			if err1 != nil || err2 != nil {
				t.Fatalf("table row %q: requests and errors are not numbers", line)
			}
			rows[f[0]+"/"+f[1]] = row{requests: requests, errors: errors}
		}
	}
	t.Fatalf("no table in the output:\n%s", out)
	return nil
}

// TestBenchmarkSmoke runs the whole benchmark with few requests, the
// components in processes of their own and in-process: every path answers
// at every level. It asserts nothing about timings.
func TestBenchmarkSmoke(t *testing.T) {
	for _, mode := range []struct {
		name  string
		flags []string
	}{
		{name: "processes"},
		{name: "in-process", flags: []string{"-in-process"}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			args := append([]string{"-n=200", "-warmup=20", "-c=1,16", "-start-timeout=1m"}, mode.flags...)
			smoke(t, args)
		})
	}
}

func smoke(t *testing.T, args []string) {
	var out, progress bytes.Buffer
	code := realMain(args, &out, &progress)
	if code != 0 {
		t.Fatalf("exit status %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), progress.String())
	}
	rows := parseTable(t, out.String())
	for _, c := range []string{"1", "16"} {
		for _, path := range []string{directPath, queuePath, gatewayPath} {
			r, ok := rows[path+"/"+c]
			if !ok {
				t.Errorf("no row for %s at concurrency %s:\n%s", path, c, out.String())
				continue
			}
			if r.requests != 200 || r.errors != 0 {
				t.Errorf("%s at concurrency %s: %d requests, %d errors; want 200 and 0", path, c, r.requests, r.errors)
			}
		}
	}
	if len(rows) != 6 {
		t.Errorf("%d table rows, want 6:\n%s", len(rows), out.String())
	}
	for _, want := range []string{"knap-queue rps at c=16", "knap-queue added p50 at c=1"} {
		if !strings.Contains(out.String(), want) || strings.Contains(out.String(), "not measured") {
			t.Errorf("no verdict %q in:\n%s", want, out.String())
		}
	}
}

func TestParseLevels(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []int
		wantErr bool
	}{
		{in: "1,16", want: []int{1, 16}},
		{in: " 4 , 1 ", want: []int{4, 1}},
		{in: "8", want: []int{8}},
		{in: "", wantErr: true},
		{in: "1,,16", wantErr: true},
		{in: "0", wantErr: true},
		{in: "-1", wantErr: true},
		{in: "one", wantErr: true},
		{in: "1,1", wantErr: true},
	} {
		got, err := parseLevels(tc.in)
		if (err != nil) != tc.wantErr || !slices.Equal(got, tc.want) {
			t.Errorf("parseLevels(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestRoundShare(t *testing.T) {
	for _, tc := range []struct {
		n, rounds int
		want      []int
	}{
		{n: 10, rounds: 5, want: []int{2, 2, 2, 2, 2}},
		{n: 11, rounds: 3, want: []int{4, 4, 3}},
		{n: 2, rounds: 5, want: []int{1, 1, 0, 0, 0}},
		{n: 7, rounds: 1, want: []int{7}},
	} {
		var got []int
		for r := range tc.rounds {
			got = append(got, roundShare(tc.n, tc.rounds, r))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("roundShare(%d, %d, ·) = %v, want %v", tc.n, tc.rounds, got, tc.want)
		}
	}
}

func TestRoundOrder(t *testing.T) {
	for _, tc := range []struct {
		n, r int
		want []int
	}{
		{n: 3, r: 0, want: []int{0, 1, 2}},
		{n: 3, r: 1, want: []int{1, 2, 0}},
		{n: 3, r: 2, want: []int{2, 0, 1}},
		{n: 3, r: 3, want: []int{0, 1, 2}},
	} {
		if got := roundOrder(tc.n, tc.r); !slices.Equal(got, tc.want) {
			t.Errorf("roundOrder(%d, %d) = %v, want %v", tc.n, tc.r, got, tc.want)
		}
	}
}

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[len(hundred)-1-i] = time.Duration(i+1) * time.Millisecond // unsorted on purpose
	}
	for _, tc := range []struct {
		name string
		ds   []time.Duration
		p    int
		want time.Duration
	}{
		{name: "empty", p: 50, want: 0},
		{name: "one", ds: []time.Duration{time.Second}, p: 99, want: time.Second},
		{name: "p50 of 1..100", ds: hundred, p: 50, want: 50 * time.Millisecond},
		{name: "p99 of 1..100", ds: hundred, p: 99, want: 99 * time.Millisecond},
		{name: "p100 of 1..100", ds: hundred, p: 100, want: 100 * time.Millisecond},
		{name: "p50 of 3", ds: []time.Duration{3, 1, 2}, p: 50, want: 2},
	} {
		if got := percentile(tc.ds, tc.p); got != tc.want {
			t.Errorf("%s: percentile(p%d) = %v, want %v", tc.name, tc.p, got, tc.want)
		}
	}
}

func TestParseAnnouncement(t *testing.T) {
	for _, tc := range []struct {
		line    string
		want    map[string]string
		wantErr bool
	}{
		{line: "listening data=127.0.0.1:1", want: map[string]string{"data": "127.0.0.1:1"}},
		{line: "listening admin=127.0.0.1:2 data=127.0.0.1:1", want: map[string]string{"data": "127.0.0.1:1", "admin": "127.0.0.1:2"}},
		{line: "listening admin=127.0.0.1:2", wantErr: true},
		{line: "listening data", wantErr: true},
		{line: "panic: boom", wantErr: true},
		{line: "", wantErr: true},
	} {
		got, err := parseAnnouncement(tc.line)
		if (err != nil) != tc.wantErr || len(got) != len(tc.want) {
			t.Errorf("parseAnnouncement(%q) = %v, %v; want %v, error %v", tc.line, got, err, tc.want, tc.wantErr)
			continue
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("parseAnnouncement(%q)[%s] = %q, want %q", tc.line, k, got[k], v)
			}
		}
	}
}

// TestMeasureLevel counts every request of every path, and as errors the
// ones a hello server would not have answered.
func TestMeasureLevel(t *testing.T) {
	serve := func(h http.Handler) string {
		s := httptest.NewServer(h)
		t.Cleanup(s.Close)
		return s.URL + "/"
	}
	hello := serve(helloHandler())
	failing := serve(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "no", http.StatusInternalServerError)
	}))
	wrongBody := serve(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("Hi\n")) }))
	byHost := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != benchHost {
			http.NotFound(w, r)
			return
		}
		helloHandler().ServeHTTP(w, r)
	}))
	targets := []target{
		{name: "hello", url: hello},
		{name: "failing", url: failing},
		{name: "wrong-body", url: wrongBody},
		{name: "by-host", url: byHost, host: benchHost},
		{name: "by-host-without-host", url: byHost},
	}
	o := options{n: 11, rounds: 3, warmup: 2, requestTimeout: 10 * time.Second}
	samples := measureLevel(t.Context(), targets, 4, o)
	want := map[string]struct{ ok, errors int }{
		"hello":                {ok: 11},
		"failing":              {errors: 13},
		"wrong-body":           {errors: 13},
		"by-host":              {ok: 11},
		"by-host-without-host": {errors: 13},
	}
	if len(samples) != len(targets) {
		t.Fatalf("%d samples, want %d", len(samples), len(targets))
	}
	for i, s := range samples {
		w := want[s.path]
		if s.path != targets[i].name || s.concurrency != 4 {
			t.Errorf("sample %d is %s at %d, want %s at 4", i, s.path, s.concurrency, targets[i].name)
		}
		if len(s.latencies) != w.ok || s.errors != w.errors {
			t.Errorf("%s: %d ok, %d errors; want %d and %d", s.path, len(s.latencies), s.errors, w.ok, w.errors)
		}
		if (s.firstErr != nil) != (w.errors > 0) {
			t.Errorf("%s: first error %v with %d errors", s.path, s.firstErr, s.errors)
		}
		if w.ok > 0 && (s.elapsed <= 0 || s.rps() <= 0) {
			t.Errorf("%s: elapsed %v, rps %v; want both positive", s.path, s.elapsed, s.rps())
		}
	}
}

func TestVerdicts(t *testing.T) {
	// level builds direct and queue samples at c: 10 requests each,
	// every one taking the given latency, in the given wall time.
	level := func(c int, directLat, queueLat, directTime, queueTime time.Duration) []*sample {
		mk := func(path string, lat, elapsed time.Duration) *sample {
			s := &sample{path: path, concurrency: c, elapsed: elapsed}
			for range 10 {
				s.latencies = append(s.latencies, lat)
			}
			return s
		}
		return []*sample{mk(directPath, directLat, directTime), mk(queuePath, queueLat, queueTime), mk(gatewayPath, time.Second, time.Minute)}
	}
	const us = time.Microsecond
	for _, tc := range []struct {
		name   string
		levels [][]*sample
		want   []string
	}{{
		name:   "both met",
		levels: [][]*sample{level(1, 100*us, 200*us, time.Second, time.Second), level(16, us, us, time.Second, 1500*time.Millisecond)},
		want: []string{
			"knap-queue rps at c=16 >= 0.60 x direct: 0.667  met",
			"knap-queue added p50 at c=1 <= 0.150 ms: +0.100 ms  met",
		},
	}, {
		name:   "both missed",
		levels: [][]*sample{level(1, 100*us, 300*us, time.Second, time.Second), level(16, us, us, time.Second, 2*time.Second)},
		want: []string{
			"knap-queue rps at c=16 >= 0.60 x direct: 0.500  MISSED",
			"knap-queue added p50 at c=1 <= 0.150 ms: +0.200 ms  MISSED",
		},
	}, {
		name:   "just under the target",
		levels: [][]*sample{level(1, 100*us, 250*us, time.Second, time.Second), level(16, us, us, time.Second, 1672*time.Millisecond)},
		want: []string{
			"knap-queue rps at c=16 >= 0.60 x direct: 0.598  MISSED",
			"knap-queue added p50 at c=1 <= 0.150 ms: +0.150 ms  met",
		},
	}, {
		name:   "levels not measured",
		levels: [][]*sample{level(4, us, us, time.Second, time.Second)},
		want: []string{
			"knap-queue rps at c=16 >= 0.60 x direct: not measured (-c has no 16)",
			"knap-queue added p50 at c=1 <= 0.150 ms: not measured (-c has no 1)",
		},
	}} {
		if got := verdicts(tc.levels); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestRouteObjects checks that the objects the gateway role serves route
// benchHost to the backend, with a real gateway in-process.
func TestRouteObjects(t *testing.T) {
	backend := httptest.NewServer(helloHandler())
	defer backend.Close()
	objs, err := newRouteObjects(strings.TrimPrefix(backend.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	g, err := gateway.New(gateway.Config{
		Kube:       kubefake.NewSimpleClientset(objs.slice),
		Knap:       knapfake.NewSimpleClientset(objs.ingress, objs.revision),
		Name:       "test",
		QueueDepth: gateway.DefaultQueueDepth,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	if err := g.Start(ctx); err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(g.Handler())
	defer front.Close()

	var buf bytes.Buffer
	for _, tc := range []struct {
		host    string
		wantErr bool
	}{{host: benchHost}, {host: "other.bench.example.com", wantErr: true}} {
		err := target{name: tc.host, url: front.URL + "/", host: tc.host}.get(ctx, front.Client(), &buf)
		if (err != nil) != tc.wantErr {
			t.Errorf("GET via the gateway with Host %s: %v, want error %v", tc.host, err, tc.wantErr)
		}
	}

	for _, bad := range []string{"127.0.0.1", "127.0.0.1:port", ""} {
		if _, err := newRouteObjects(bad); err == nil {
			t.Errorf("newRouteObjects(%q) succeeded, want an error", bad)
		}
	}
}
