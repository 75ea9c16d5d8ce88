package gateway

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"

	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	knapinformers "github.com/knap-dev/knap/pkg/generated/informers/externalversions"
	"github.com/knap-dev/knap/pkg/rawio"
)

// DefaultQueueDepth is how many requests may wait for one revision, as
// Knative's activator allows: enough to ride out a scale from zero under
// load, bounded so that a revision that never comes up cannot take the
// gateway's memory (a waiting request costs a goroutine and its buffers).
const DefaultQueueDepth = 10000

// Config is what New needs.
type Config struct {
	// Kube reads EndpointSlices; Knap reads Ingresses and Revisions.
	Kube kubernetes.Interface
	Knap versioned.Interface
	// Name is the PodName of the gateway's stats.
	Name string
	// AutoscalerURL is the autoscaler's base URL; empty: no reports.
	AutoscalerURL string
	// QueueDepth bounds the requests waiting per revision.
	QueueDepth int
	// MaxTimeout bounds every revision's timeoutSeconds (0: no bound).
	MaxTimeout time.Duration
	// ResyncPeriod of the informers (0: none).
	ResyncPeriod time.Duration
	// Clock is the real one unless a test sets a fake.
	Clock clock.WithTicker
}

// Gateway is knap-gateway: New, Start, then serve Handler and
// AdminHandler (Serve does all of it).
type Gateway struct {
	cfg           Config
	kubeInformers informers.SharedInformerFactory
	knapInformers knapinformers.SharedInformerFactory
	router        *router
	revisions     *revisions
	reporter      *reporter
	metrics       *metrics
	handler       *handler

	synced, draining atomic.Bool
}

// New assembles a gateway and registers its informers; nothing runs
// before Start.
func New(cfg Config) (*Gateway, error) {
	if cfg.Kube == nil || cfg.Knap == nil {
		return nil, errors.New("gateway: Kube and Knap clients are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.RealClock{}
	}
	if cfg.QueueDepth < 0 {
		return nil, fmt.Errorf("gateway: negative queue depth %d", cfg.QueueDepth)
	}
	g := &Gateway{
		cfg:           cfg,
		kubeInformers: informers.NewSharedInformerFactory(cfg.Kube, cfg.ResyncPeriod),
		knapInformers: knapinformers.NewSharedInformerFactory(cfg.Knap, cfg.ResyncPeriod),
	}
	slices := g.kubeInformers.Discovery().V1().EndpointSlices().Informer()
	if err := slices.AddIndexers(cache.Indexers{serviceIndex: indexByService}); err != nil {
		return nil, err
	}
	revisionInformer := g.knapInformers.Serving().V1().Revisions()
	ingressInformer := g.knapInformers.Networking().V1alpha1().Ingresses()

	g.revisions = &revisions{
		clock:      cfg.Clock,
		slices:     slices.GetIndexer(),
		lister:     revisionInformer.Lister(),
		queueDepth: cfg.QueueDepth,
		maxTimeout: cfg.MaxTimeout,
	}
	g.metrics = newMetrics(g.revisions)
	g.reporter = newReporter(cfg.AutoscalerURL, cfg.Name, cfg.Clock, g.revisions)
	g.revisions.activate = g.reporter.activate
	g.revisions.forget = g.metrics.forget
	g.router = newRouter(ingressInformer.Lister(), g.revisions.prune)
	g.handler = &handler{
		clock:     cfg.Clock,
		router:    g.router,
		revisions: g.revisions,
		proxy:     newProxy(),
		metrics:   g.metrics,
		ready:     g.synced.Load,
	}
	for _, reg := range []struct {
		informer cache.SharedIndexInformer
		handler  cache.ResourceEventHandler
	}{
		{slices, g.revisions.endpointSliceHandler()},
		{revisionInformer.Informer(), g.revisions.revisionHandler()},
		{ingressInformer.Informer(), g.router.eventHandler()},
	} {
		if _, err := reg.informer.AddEventHandler(reg.handler); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// Start starts the informers, waits for their caches, loads the routing
// table and starts the background loops; it returns once the gateway
// routes. Everything stops with ctx.
func (g *Gateway) Start(ctx context.Context) error {
	g.kubeInformers.Start(ctx.Done())
	g.knapInformers.Start(ctx.Done())
	for typ, ok := range g.kubeInformers.WaitForCacheSync(ctx.Done()) {
		if !ok {
			return fmt.Errorf("gateway: %v informer did not sync", typ)
		}
	}
	for typ, ok := range g.knapInformers.WaitForCacheSync(ctx.Done()) {
		if !ok {
			return fmt.Errorf("gateway: %v informer did not sync", typ)
		}
	}
	g.router.rebuild()
	go g.router.run(ctx)
	go g.reporter.runActivations(ctx)
	go g.housekeeping(ctx)
	g.synced.Store(true)
	klog.InfoS("knap-gateway routing", "hosts", len(g.router.table().hosts))
	return nil
}

// housekeeping reports to the autoscaler every period and drops the
// revisions no Ingress refers to any more once they are idle.
func (g *Gateway) housekeeping(ctx context.Context) {
	t := g.cfg.Clock.NewTicker(ReportingPeriod)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C():
			g.reporter.tick(ctx, now)
			g.revisions.prune(g.router.table())
		}
	}
}

// Handler is the data plane.
func (g *Gateway) Handler() http.Handler { return g.handler }

// Ready reports whether the gateway routes and is not draining.
func (g *Gateway) Ready() bool { return g.synced.Load() && !g.draining.Load() }

// AdminHandler serves /healthz (alive), /readyz (routing, not draining)
// and /metrics.
func (g *Gateway) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		switch {
		case g.draining.Load():
			http.Error(w, "draining", http.StatusServiceUnavailable)
		case !g.synced.Load():
			http.Error(w, "informer caches not synced yet", http.StatusServiceUnavailable)
		default:
			fmt.Fprintln(w, "ok")
		}
	})
	mux.Handle("/metrics", promhttp.HandlerFor(g.metrics.registry, promhttp.HandlerOpts{}))
	return mux
}

// Revisions lists the revisions the gateway currently balances, for
// tests and debugging.
func (g *Gateway) Revisions() []types.NamespacedName {
	var out []types.NamespacedName
	g.revisions.each(func(r *revision) { out = append(out, r.key) })
	return out
}

// Serve serves the data plane on data and the admin endpoints on admin
// while the gateway starts, until ctx ends; then it drains: /readyz fails,
// no new connection is accepted, and in-flight requests (waiting ones and
// upgraded connections included) get up to grace to finish. It returns nil
// after a drain, or the error that stopped it.
func (g *Gateway) Serve(ctx context.Context, data, admin net.Listener, grace time.Duration) error {
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	errorLog := log.New(klogWriter{}, "", 0)
	dataSrv := &http.Server{Handler: g.Handler(), Protocols: protocols, ReadHeaderTimeout: time.Minute, ErrorLog: errorLog}
	adminSrv := &http.Server{Handler: g.AdminHandler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: errorLog}

	// The informers outlive ctx: requests waiting for a pod during the
	// drain still need to see it appear.
	background, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBackground()
	errs := make(chan error, 3)
	for _, s := range []struct {
		name string
		srv  *http.Server
		l    net.Listener
	}{{"data", dataSrv, rawio.Listener(data)}, {"admin", adminSrv, admin}} {
		klog.InfoS("Listening", "server", s.name, "address", s.l.Addr().String())
		go func() {
			if err := s.srv.Serve(s.l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errs <- fmt.Errorf("%s server: %w", s.name, err)
			}
		}()
	}
	go func() {
		if err := g.Start(background); err != nil && background.Err() == nil {
			errs <- err
		}
	}()

	select {
	case err := <-errs:
		_ = dataSrv.Close()
		_ = adminSrv.Close()
		return err
	case <-ctx.Done():
	}
	g.draining.Store(true)
	klog.InfoS("Draining", "inFlight", g.handler.inFlight.Load(), "gracePeriod", grace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := dataSrv.Shutdown(shutdownCtx); err != nil {
		klog.InfoS("Requests outlived the grace period; closing", "inFlight", g.handler.inFlight.Load())
		_ = dataSrv.Close()
	}
	// Upgraded connections are the server's no more; wait for them here.
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for g.handler.inFlight.Load() > 0 && shutdownCtx.Err() == nil {
		select {
		case <-tick.C:
		case <-shutdownCtx.Done():
		}
	}
	quick, cancelQuick := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancelQuick()
	_ = adminSrv.Shutdown(quick)
	klog.InfoS("Drained", "inFlight", g.handler.inFlight.Load())
	return nil
}
