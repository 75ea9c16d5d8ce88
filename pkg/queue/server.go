package queue

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"k8s.io/klog/v2"
)

// MetricsPath is where the autoscaler scrapes, on QUEUE_METRICS_PORT.
const MetricsPath = "/metrics"

// Server is knap-queue: the main server (QUEUE_SERVING_PORT, HTTP/1.1 and
// h2c), the metrics server (QUEUE_METRICS_PORT, /metrics) and the admin
// server (QUEUE_ADMIN_PORT, /wait-for-drain).
type Server struct {
	cfg       Config
	handler   *Handler
	readiness *Readiness
	drainer   *Drainer
	stats     *StatsReporter
	registry  *prometheus.Registry
	maxIdle   int // keep-alive connections to the user container
}

// NewServer assembles knap-queue from cfg.
func NewServer(cfg Config) (*Server, error) {
	if len(cfg.ReadinessProbes) == 0 {
		cfg.ReadinessProbes = []*Probe{defaultProbe(cfg.UserPort)}
	}
	if cfg.RevisionTimeout <= 0 {
		cfg.RevisionTimeout = DefaultRevisionTimeout
	}
	var breaker *Breaker
	maxIdle := 1000
	if cfg.ContainerConcurrency > 0 {
		breaker = NewBreaker(cfg.ContainerConcurrency)
		maxIdle = cfg.ContainerConcurrency
	}
	reg := prometheus.NewRegistry()
	stats := NewStatsReporter(NewStats(time.Now()), cfg)
	if err := reg.Register(stats); err != nil {
		return nil, err
	}
	readiness := NewReadiness(cfg.ReadinessProbes)
	drainer := NewDrainer(cfg.DrainSleep)
	return &Server{
		cfg: cfg,
		handler: &Handler{
			proxy:   NewProxy(cfg.UserPort, maxIdle),
			breaker: breaker,
			timeouts: Timeouts{
				Total:         cfg.RevisionTimeout,
				ResponseStart: cfg.ResponseStartTimeout,
				Idle:          cfg.IdleTimeout,
			},
			stats:     stats.stats,
			metrics:   newRequestMetrics(reg, cfg, breaker),
			readiness: readiness,
			drainer:   drainer,
		},
		readiness: readiness,
		drainer:   drainer,
		stats:     stats,
		registry:  reg,
		maxIdle:   maxIdle,
	}, nil
}

// Handler is the main handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Readiness is the user container's readiness.
func (s *Server) Readiness() *Readiness { return s.readiness }

// Drainer is the graceful-shutdown state.
func (s *Server) Drainer() *Drainer { return s.drainer }

// Stats is the autoscaler's stats reporter.
func (s *Server) Stats() *StatsReporter { return s.stats }

// MetricsHandler serves the autoscaler's gauges and the queue's metrics in
// the Prometheus text format.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{
		// Scraped every second from inside the cluster: not worth gzip.
		DisableCompression: true,
	})
}

// AdminHandler serves /wait-for-drain.
func (s *Server) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(WaitForDrainPath, s.drainer.WaitForDrain)
	return mux
}

// Listeners are the sockets Serve serves on.
type Listeners struct {
	Main, Metrics, Admin net.Listener
}

// Listen opens the configured ports on all addresses.
func (s *Server) Listen() (Listeners, error) {
	var ls Listeners
	var err error
	open := func(port int) net.Listener {
		if err != nil {
			return nil
		}
		var l net.Listener
		l, err = net.Listen("tcp", ":"+strconv.Itoa(port))
		return l
	}
	ls.Main = open(s.cfg.ServingPort)
	ls.Metrics = open(s.cfg.MetricsPort)
	ls.Admin = open(s.cfg.AdminPort)
	if err != nil {
		for _, l := range []net.Listener{ls.Main, ls.Metrics, ls.Admin} {
			if l != nil {
				_ = l.Close()
			}
		}
		return Listeners{}, err
	}
	return ls, nil
}

// Run listens on the configured ports and serves until ctx ends (SIGTERM),
// then drains; see Serve.
func (s *Server) Run(ctx context.Context) error {
	ls, err := s.Listen()
	if err != nil {
		return err
	}
	return s.Serve(ctx, ls)
}

// Serve serves on ls until ctx ends, then drains: probes answer 503 at
// once while requests are still served until none arrived for DrainSleep;
// then the main server shuts down gracefully, waiting up to the revision
// timeout for in-flight requests (upgraded connections included), and the
// metrics and admin servers follow. It returns nil after a drain, or the
// error of a server that failed.
func (s *Server) Serve(ctx context.Context, ls Listeners) error {
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	errorLog := log.New(klogWriter{}, "", 0)
	mainSrv := &http.Server{
		Handler:           s.handler,
		Protocols:         protocols,
		ReadHeaderTimeout: headerReadTimeout,
		ErrorLog:          errorLog,
	}
	metrics := &http.Server{Handler: s.MetricsHandler(), ReadHeaderTimeout: time.Minute, ErrorLog: errorLog}
	admin := &http.Server{Handler: s.AdminHandler(), ReadHeaderTimeout: time.Minute, ErrorLog: errorLog}

	background, stopBackground := context.WithCancel(context.Background())
	defer stopBackground()
	go s.readiness.Run(background)
	go s.stats.Run(background, ReportingPeriod)

	// The main port's front door forwards plain HTTP/1.1 requests itself
	// and hands other connections to mainSrv (fastpath.go).
	door := newFrontDoor(s.handler, ls.Main, net.JoinHostPort(localhost, strconv.Itoa(s.cfg.UserPort)), s.maxIdle)
	errs := make(chan error, 4)
	go func() {
		if err := door.serve(); err != nil {
			errs <- fmt.Errorf("main server: %w", err)
		}
	}()
	for _, sv := range []struct {
		name string
		srv  *http.Server
		l    net.Listener
	}{{"main", mainSrv, door.handoff}, {"metrics", metrics, ls.Metrics}, {"admin", admin, ls.Admin}} {
		klog.InfoS("Serving", "server", sv.name, "address", sv.l.Addr().String())
		go func() {
			if err := sv.srv.Serve(sv.l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errs <- fmt.Errorf("%s server: %w", sv.name, err)
			}
		}()
	}
	klog.InfoS("knap-queue started", "revision", s.cfg.Namespace+"/"+s.cfg.Revision, "pod", s.cfg.Pod,
		"userPort", s.cfg.UserPort, "containerConcurrency", s.cfg.ContainerConcurrency)

	select {
	case err := <-errs:
		klog.ErrorS(err, "A server failed; stopping")
		door.close()
		for _, srv := range []*http.Server{mainSrv, metrics, admin} {
			_ = srv.Close()
		}
		return err
	case <-ctx.Done():
	}

	drainStart := time.Now()
	s.drainer.Start()
	klog.InfoS("Draining: probes now fail; serving until no request arrives for the drain period", "drainPeriod", s.cfg.DrainSleep)
	s.drainer.WaitQuiet(context.Background())

	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.RevisionTimeout)
	defer cancel()
	klog.InfoS("Shutting down; waiting for in-flight requests", "inFlight", s.drainer.InFlight(), "timeout", s.cfg.RevisionTimeout)
	door.shutdown()
	if err := mainSrv.Shutdown(shutdownCtx); err != nil {
		klog.InfoS("In-flight requests outlived the revision timeout; closing", "err", err)
		_ = mainSrv.Close()
	}
	if !s.drainer.WaitIdle(shutdownCtx) {
		klog.InfoS("Upgraded connections outlived the revision timeout", "inFlight", s.drainer.InFlight())
	}
	s.drainer.Finish()
	// The last stats window, then the preStop hooks waiting on
	// /wait-for-drain get their answer before the admin server stops.
	quick, cancelQuick := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancelQuick()
	_ = metrics.Shutdown(quick)
	_ = admin.Shutdown(quick)
	klog.InfoS("Drained", "took", time.Since(drainStart).Round(time.Millisecond))
	return nil
}

// klogWriter sends net/http's server log to klog.
type klogWriter struct{}

func (klogWriter) Write(p []byte) (int, error) {
	klog.InfoDepth(1, string(trimNewline(p)))
	return len(p), nil
}

func trimNewline(p []byte) []byte {
	if n := len(p); n > 0 && p[n-1] == '\n' {
		return p[:n-1]
	}
	return p
}
