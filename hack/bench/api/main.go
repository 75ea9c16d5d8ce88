// Command api benchmarks knap-apiserver's serving.knative.dev/v1 API through
// the generated clientset: it creates N Services with C concurrent workers,
// lists them in full and paginated, and reports throughput, latencies and the
// server's memory.
//
// By default it starts its own knap-apiserver --standalone (embedded etcd, a
// temporary data dir); with -kubeconfig it measures a server already running.
//
//	go run ./hack/bench/api -server-bin _output/bin/knap-apiserver -n 2000 -c 8
//
// hack/bench/api.sh builds both binaries and runs this.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
)

type options struct {
	n, workers        int
	listRuns, pageSz  int
	qps               float64
	burst             int
	kubeconfig        string
	serverBin         string
	dataDir           string
	namespace         string
	serverPID         int
	cleanup           bool
	readyTimeout      time.Duration
	shutdownTimeout   time.Duration
	perRequestTimeout time.Duration
}

func main() {
	var o options
	flag.IntVar(&o.n, "n", 2000, "number of Services to create")
	flag.IntVar(&o.workers, "c", 8, "concurrent create workers")
	flag.IntVar(&o.listRuns, "list-runs", 5, "full (unpaginated) lists to time; the median is reported")
	flag.IntVar(&o.pageSz, "page-size", 500, "limit per page for the paginated list")
	flag.Float64Var(&o.qps, "qps", 5000, "client-side QPS limit (high so the client does not throttle)")
	flag.IntVar(&o.burst, "burst", 5000, "client-side burst limit")
	flag.StringVar(&o.kubeconfig, "kubeconfig", "", "measure the server in this kubeconfig instead of starting one")
	flag.StringVar(&o.serverBin, "server-bin", "_output/bin/knap-apiserver", "knap-apiserver binary to start when -kubeconfig is empty")
	flag.StringVar(&o.dataDir, "data-dir", "", "data dir for the started server (default: a new temporary dir, removed afterwards)")
	flag.StringVar(&o.namespace, "namespace", "", "namespace for the Services (default: bench-<unix time>, so runs never collide)")
	flag.IntVar(&o.serverPID, "server-pid", 0, "with -kubeconfig: PID of the server process, to report its RSS")
	flag.BoolVar(&o.cleanup, "cleanup", true, "with -kubeconfig: delete the created Services afterwards")
	flag.DurationVar(&o.readyTimeout, "ready-timeout", 2*time.Minute, "how long a started server may take to become ready")
	flag.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 30*time.Second, "how long a started server may take to exit after SIGTERM")
	flag.DurationVar(&o.perRequestTimeout, "request-timeout", time.Minute, "client timeout of a single request")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	if o.n <= 0 || o.workers <= 0 || o.listRuns <= 0 || o.pageSz <= 0 {
		return errors.New("-n, -c, -list-runs and -page-size must be positive")
	}
	if o.namespace == "" {
		o.namespace = fmt.Sprintf("bench-%d", time.Now().Unix())
	}

	kubeconfig, pid := o.kubeconfig, o.serverPID
	if kubeconfig == "" {
		srv, err := startServer(ctx, o)
		if err != nil {
			return err
		}
		defer srv.stop(o.shutdownTimeout)
		kubeconfig, pid = srv.kubeconfig(), srv.cmd.Process.Pid
	}

	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return fmt.Errorf("kubeconfig %s: %w", kubeconfig, err)
	}
	cfg.QPS, cfg.Burst = float32(o.qps), o.burst
	cfg.Timeout = o.perRequestTimeout
	cfg.UserAgent = "knap-bench-api"
	client, err := versioned.NewForConfig(cfg)
	if err != nil {
		return err
	}
	services := client.ServingV1().Services(o.namespace)
	if o.kubeconfig != "" && o.cleanup {
		defer func() {
			// Fresh context: clean up even after an interrupt.
			c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if err := services.DeleteCollection(c, metav1.DeleteOptions{}, metav1.ListOptions{}); err != nil {
				fmt.Fprintf(os.Stderr, "bench: deleting the Services in %s: %v\n", o.namespace, err)
			}
		}()
	}

	fmt.Fprintf(os.Stderr, "bench: creating %d Services in namespace %s with %d workers ...\n", o.n, o.namespace, o.workers)
	var res result
	res.createWall, res.createLat, err = createAll(ctx, services, o)
	if err != nil {
		return err
	}

	fmt.Fprintf(os.Stderr, "bench: listing ...\n")
	for i := range o.listRuns {
		start := time.Now()
		list, err := services.List(ctx, metav1.ListOptions{})
		if err != nil {
			return fmt.Errorf("full list %d: %w", i+1, err)
		}
		res.fullLists = append(res.fullLists, time.Since(start))
		if len(list.Items) != o.n {
			return fmt.Errorf("full list %d returned %d Services, want %d", i+1, len(list.Items), o.n)
		}
	}

	start := time.Now()
	pages, items, cont := 0, 0, ""
	for {
		list, err := services.List(ctx, metav1.ListOptions{Limit: int64(o.pageSz), Continue: cont})
		if err != nil {
			return fmt.Errorf("paginated list, page %d: %w", pages+1, err)
		}
		pages++
		items += len(list.Items)
		if cont = list.Continue; cont == "" {
			break
		}
	}
	res.pagedList, res.pages = time.Since(start), pages
	if items != o.n {
		return fmt.Errorf("paginated list returned %d Services, want %d", items, o.n)
	}

	if pid > 0 {
		res.rss, res.peakRSS, err = memory(pid)
		if err != nil {
			fmt.Fprintf(os.Stderr, "bench: reading the server's memory: %v\n", err)
		}
	}

	printTable(os.Stdout, o, res, nil)
	return nil
}

// createAll creates o.n Services with o.workers workers and returns the wall
// time and every request's latency.
func createAll(ctx context.Context, services interface {
	Create(context.Context, *servingv1.Service, metav1.CreateOptions) (*servingv1.Service, error)
}, o options) (time.Duration, []time.Duration, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan int)
	lat := make([][]time.Duration, o.workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range o.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t := time.Now()
				if _, err := services.Create(ctx, helloService(i), metav1.CreateOptions{}); err != nil {
					cancel(fmt.Errorf("creating Service %d: %w", i, err))
					return
				}
				lat[w] = append(lat[w], time.Since(t))
			}
		}()
	}
feed:
	for i := range o.n {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	wall := time.Since(start)
	if err := context.Cause(ctx); err != nil {
		return 0, nil, err
	}
	return wall, slices.Concat(lat...), nil
}

// helloService is artifacts/examples/serving/hello-world.yaml, numbered.
func helloService(i int) *servingv1.Service {
	return &servingv1.Service{
		ObjectMeta: metav1.ObjectMeta{
			Name:   fmt.Sprintf("hello-%05d", i),
			Labels: map[string]string{"app": "hello", "bench": "api"},
		},
		Spec: servingv1.ServiceSpec{ConfigurationSpec: servingv1.ConfigurationSpec{
			Template: servingv1.RevisionTemplateSpec{Spec: servingv1.RevisionSpec{PodSpec: corev1.PodSpec{
				Containers: []corev1.Container{{
					Image: "ghcr.io/knative/helloworld-go:latest",
					Env:   []corev1.EnvVar{{Name: "TARGET", Value: "knap"}},
					Ports: []corev1.ContainerPort{{ContainerPort: 8080}},
				}},
			}}},
		}},
	}
}

// result is one control plane's numbers.
type result struct {
	createWall   time.Duration
	createLat    []time.Duration
	fullLists    []time.Duration
	pagedList    time.Duration
	pages        int
	rss, peakRSS int64 // bytes; 0 when unknown
}

// printTable prints knap's numbers next to a reference control plane's.
// ref is nil until a reference (a CRD-backed kube-apiserver, measured in the
// same run) exists; its column then says so instead of inventing numbers.
func printTable(w io.Writer, o options, knap result, ref *result) {
	fmt.Fprintf(w, "knap-apiserver API benchmark: %d Services, %d workers, client QPS/burst %g/%d\n\n", o.n, o.workers, o.qps, o.burst)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tknap\treference\tknap/reference")
	row := func(name string, f func(result) (string, float64)) {
		k, kv := f(knap)
		r, ratio := "n/a", "n/a"
		if ref != nil {
			var rv float64
			r, rv = f(*ref)
			if kv > 0 && rv > 0 {
				ratio = fmt.Sprintf("%.2fx", kv/rv)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, k, r, ratio)
	}
	row("creates/s", func(r result) (string, float64) {
		v := float64(len(r.createLat)) / r.createWall.Seconds()
		return fmt.Sprintf("%.0f", v), v
	})
	row("create p50", func(r result) (string, float64) { d := percentile(r.createLat, 50); return ms(d), float64(d) })
	row("create p99", func(r result) (string, float64) { d := percentile(r.createLat, 99); return ms(d), float64(d) })
	row(fmt.Sprintf("full list, median of %d", o.listRuns), func(r result) (string, float64) {
		d := percentile(r.fullLists, 50)
		return ms(d), float64(d)
	})
	row(fmt.Sprintf("paginated list (limit %d), total", o.pageSz), func(r result) (string, float64) {
		return fmt.Sprintf("%s / %d pages", ms(r.pagedList), r.pages), float64(r.pagedList)
	})
	row("server RSS after run", func(r result) (string, float64) { return mib(r.rss), float64(r.rss) })
	row("server peak RSS", func(r result) (string, float64) { return mib(r.peakRSS), float64(r.peakRSS) })
	tw.Flush()
	if ref == nil {
		fmt.Fprintln(w, "\nreference: not measured yet (a CRD-backed kube-apiserver in the same run comes with a later issue).")
	}
}

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	// nearest-rank
	i := (p*len(s)+99)/100 - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func mib(b int64) string {
	if b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

// memory reads VmRSS and VmHWM (peak RSS) of pid from /proc.
func memory(pid int) (rss, peak int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		fields := strings.Fields(val) // "123456 kB"
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, 0, fmt.Errorf("unexpected %s line %q", key, sc.Text())
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0, 0, err
		}
		if key == "VmRSS" {
			rss = kb << 10
		} else {
			peak = kb << 10
		}
	}
	if err := sc.Err(); err != nil {
		return 0, 0, err
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return rss, peak, nil
}

// server is a knap-apiserver --standalone this program started.
type server struct {
	cmd       *exec.Cmd
	dataDir   string
	removeDir bool
	logFile   string
	done      chan struct{}
	waitErr   error
	stopOnce  sync.Once
}

func startServer(ctx context.Context, o options) (*server, error) {
	bin, err := filepath.Abs(o.serverBin)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("knap-apiserver binary: %w (build it, or run hack/bench/api.sh)", err)
	}
	dir, remove := o.dataDir, false
	if dir == "" {
		if dir, err = os.MkdirTemp("", "knap-bench-"); err != nil {
			return nil, err
		}
		remove = true
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logFile := filepath.Join(dir, "knap-apiserver.log")
	log, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--standalone", "--data-dir", dir, "--bind-address", "127.0.0.1", "--secure-port", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	s := &server{cmd: cmd, dataDir: dir, removeDir: remove, logFile: logFile, done: make(chan struct{})}
	go func() {
		s.waitErr = cmd.Wait()
		log.Close()
		close(s.done)
	}()
	fmt.Fprintf(os.Stderr, "bench: started knap-apiserver (pid %d) on 127.0.0.1:%d, data dir %s\n", cmd.Process.Pid, port, dir)
	if err := s.waitReady(ctx, o.readyTimeout); err != nil {
		s.stop(o.shutdownTimeout)
		return nil, err
	}
	return s, nil
}

func (s *server) kubeconfig() string { return filepath.Join(s.dataDir, "kubeconfig") }

func (s *server) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := s.readyz()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("knap-apiserver not ready after %s: %v\n%s", timeout, err, tail(s.logFile, 30))
		}
		select {
		case <-s.done:
			return fmt.Errorf("knap-apiserver exited before it was ready (%v)\n%s", s.waitErr, tail(s.logFile, 30))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (s *server) readyz() error {
	cfg, err := clientcmd.BuildConfigFromFlags("", s.kubeconfig())
	if err != nil {
		return err
	}
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return err
	}
	hc.Timeout = 5 * time.Second
	resp, err := hc.Get(strings.TrimSuffix(cfg.Host, "/") + "/readyz")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("/readyz: %s: %s", resp.Status, body)
	}
	return nil
}

// stop sends SIGTERM, kills the server if it outlives timeout, and removes
// a temporary data dir.
func (s *server) stop(timeout time.Duration) {
	s.stopOnce.Do(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
			if s.waitErr != nil {
				fmt.Fprintf(os.Stderr, "bench: knap-apiserver exited with %v\n%s\n", s.waitErr, tail(s.logFile, 30))
			}
		case <-time.After(timeout):
			fmt.Fprintf(os.Stderr, "bench: knap-apiserver still running %s after SIGTERM, killing it\n", timeout)
			_ = s.cmd.Process.Kill()
			<-s.done
		}
		if s.removeDir {
			_ = os.RemoveAll(s.dataDir)
		}
	})
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
