// Package manager is knap-controller's controller manager: one kubeconfig
// (the kube-apiserver's, which reaches knap's groups through aggregation),
// shared informers, the selected controllers run under leader election on
// a coordination.k8s.io Lease, and /healthz, /readyz and /metrics.
package manager

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/pflag"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	kubescheme "k8s.io/client-go/kubernetes/scheme"
	typedcorev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"

	"github.com/knap-dev/knap/pkg/clients"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	knapscheme "github.com/knap-dev/knap/pkg/generated/clientset/versioned/scheme"
	knapinformers "github.com/knap-dev/knap/pkg/generated/informers/externalversions"
)

// Options configure the manager; AddFlags binds them to flags.
type Options struct {
	Kubeconfig string
	// Controllers selects controllers as kube-controller-manager does: "*"
	// for all, "name" to add one, "-name" to remove one.
	Controllers []string
	Workers     int
	BindAddress string
	// AdvertiseAddress is where other components reach this replica's
	// --bind-address endpoints (host:port); empty on a host.
	AdvertiseAddress string
	LeaderElect      bool
	LeaseName        string
	Namespace        string // of the lease and of knap's ConfigMaps
	ResyncPeriod     time.Duration
	LeaseDuration    time.Duration
	// APIQPS and APIBurst rate-limit the client (client-go's defaults, 5
	// and 10, made 20 Services take a minute to get their revisions).
	APIQPS   float32
	APIBurst int
}

// NewOptions returns the defaults.
func NewOptions() *Options {
	return &Options{
		Controllers:   []string{"*"},
		Workers:       4,
		BindAddress:   "127.0.0.1:9090",
		LeaderElect:   true,
		LeaseName:     "knap-controller",
		Namespace:     "knap-system",
		ResyncPeriod:  10 * time.Hour,
		LeaseDuration: 15 * time.Second,
		APIQPS:        50,
		APIBurst:      100,
	}
}

// AddFlags adds the options' flags to fs.
func (o *Options) AddFlags(fs *pflag.FlagSet, known []string) {
	fs.StringVar(&o.Kubeconfig, "kubeconfig", o.Kubeconfig, "kubeconfig of the kube-apiserver (in-cluster config when empty)")
	fs.StringSliceVar(&o.Controllers, "controllers", o.Controllers, fmt.Sprintf(
		"controllers to run: '*' for all, 'foo' to add foo, '-foo' to remove foo. Known: %s", strings.Join(known, ", ")))
	fs.IntVar(&o.Workers, "workers", o.Workers, "concurrent reconciles per controller")
	fs.StringVar(&o.BindAddress, "bind-address", o.BindAddress, "address of /healthz, /readyz and /metrics")
	fs.StringVar(&o.AdvertiseAddress, "advertise-address", o.AdvertiseAddress,
		"host:port at which the leader's endpoints (the autoscaler's stats intake) are published for the gateways; in a pod $(POD_IP):9090")
	fs.BoolVar(&o.LeaderElect, "leader-elect", o.LeaderElect, "run controllers only while holding the lease (for replicas)")
	fs.StringVar(&o.LeaseName, "leader-elect-lease", o.LeaseName, "name of the coordination.k8s.io Lease")
	fs.StringVar(&o.Namespace, "namespace", o.Namespace, "namespace of the lease and of the config-* ConfigMaps")
	fs.DurationVar(&o.ResyncPeriod, "resync-period", o.ResyncPeriod, "how often every object is reconciled even without changes")
	fs.Float32Var(&o.APIQPS, "kube-api-qps", o.APIQPS, "queries per second to the kube-apiserver")
	fs.IntVar(&o.APIBurst, "kube-api-burst", o.APIBurst, "burst of queries to the kube-apiserver")
}

// Enabled reports whether the selection runs the named controller.
func Enabled(selection []string, name string) bool {
	on := false
	for _, s := range selection {
		switch s {
		case "*":
			on = true
		case name:
			on = true
		case "-" + name:
			return false
		}
	}
	return on
}

// Context is what a controller's constructor gets: clients, informer
// factories (started by the manager), metrics and an event recorder.
type Context struct {
	Kube          kubernetes.Interface
	Knap          versioned.Interface
	KubeInformers informers.SharedInformerFactory
	KnapInformers knapinformers.SharedInformerFactory
	// SystemInformers watch only knap's own namespace (ConfigMaps).
	SystemInformers informers.SharedInformerFactory
	Namespace       string
	Metrics         *reconciler.Metrics
	Recorder        record.EventRecorder
	// Mux serves --bind-address next to /healthz and /metrics; a
	// controller adds its own endpoints there (e.g. the autoscaler's
	// stats intake), which a standby replica does not serve.
	Mux *http.ServeMux
	// AdvertiseAddress is Options.AdvertiseAddress.
	AdvertiseAddress string
}

// Constructor builds a controller and registers its informer handlers.
type Constructor func(ctx context.Context, c *Context) (*reconciler.Controller, error)

// Run runs the selected controllers until ctx is done or the lease is lost.
func Run(ctx context.Context, o *Options, constructors map[string]Constructor) error {
	logger := klog.FromContext(ctx)
	for _, s := range o.Controllers {
		name := strings.TrimPrefix(s, "-")
		if _, ok := constructors[name]; !ok && name != "*" {
			return fmt.Errorf("--controllers: unknown controller %q", name)
		}
	}
	kube, knap, err := clients.New(o.Kubeconfig, "knap-controller", o.APIQPS, o.APIBurst)
	if err != nil {
		return err
	}
	broadcaster := record.NewBroadcaster(record.WithContext(ctx))
	broadcaster.StartRecordingToSink(&typedcorev1.EventSinkImpl{Interface: kube.CoreV1().Events("")})
	defer broadcaster.Shutdown()
	c := &Context{
		Kube:             kube,
		Knap:             knap,
		KubeInformers:    informers.NewSharedInformerFactory(kube, o.ResyncPeriod),
		KnapInformers:    knapinformers.NewSharedInformerFactory(knap, o.ResyncPeriod),
		SystemInformers:  informers.NewSharedInformerFactoryWithOptions(kube, o.ResyncPeriod, informers.WithNamespace(o.Namespace)),
		Namespace:        o.Namespace,
		Metrics:          reconciler.NewMetrics(),
		Recorder:         broadcaster.NewRecorder(EventScheme(), corev1.EventSource{Component: "knap-controller"}),
		Mux:              http.NewServeMux(),
		AdvertiseAddress: o.AdvertiseAddress,
	}

	var st state
	serveErr := make(chan error, 1)
	srv, err := serve(o.BindAddress, c, &st, serveErr)
	if err != nil {
		return err
	}
	defer srv.Close()

	names := slices.Sorted(func(yield func(string) bool) {
		for n := range constructors {
			if Enabled(o.Controllers, n) && !yield(n) {
				return
			}
		}
	})
	run := func(ctx context.Context) {
		st.leading.Store(true)
		var controllers []*reconciler.Controller
		for _, n := range names {
			ctrl, err := constructors[n](ctx, c)
			if err != nil {
				logger.Error(err, "Starting controller failed", "controller", n)
				os.Exit(1)
			}
			controllers = append(controllers, ctrl)
		}
		for _, f := range []interface {
			Start(<-chan struct{})
		}{c.KubeInformers, c.KnapInformers, c.SystemInformers} {
			f.Start(ctx.Done())
		}
		c.KubeInformers.WaitForCacheSync(ctx.Done())
		c.KnapInformers.WaitForCacheSync(ctx.Done())
		c.SystemInformers.WaitForCacheSync(ctx.Done())
		st.synced.Store(true)
		logger.Info("Caches synced; running controllers", "controllers", names)
		for _, ctrl := range controllers {
			go ctrl.Run(ctx, o.Workers)
		}
		<-ctx.Done()
	}

	if !o.LeaderElect {
		go run(ctx)
		select {
		case <-ctx.Done():
			return nil
		case err := <-serveErr:
			return err
		}
	}
	host, _ := os.Hostname()
	lock, err := resourcelock.New(resourcelock.LeasesResourceLock, o.Namespace, o.LeaseName,
		kube.CoreV1(), kube.CoordinationV1(), resourcelock.ResourceLockConfig{Identity: host + "_" + uuid.NewString()})
	if err != nil {
		return err
	}
	lost := make(chan struct{})
	go leaderelection.RunOrDie(ctx, leaderelection.LeaderElectionConfig{
		Lock:            lock,
		LeaseDuration:   o.LeaseDuration,
		RenewDeadline:   o.LeaseDuration * 2 / 3,
		RetryPeriod:     o.LeaseDuration / 7,
		ReleaseOnCancel: true,
		Name:            o.LeaseName,
		Callbacks: leaderelection.LeaderCallbacks{
			OnStartedLeading: run,
			OnStoppedLeading: func() { close(lost) },
		},
	})
	select {
	case <-ctx.Done():
		<-lost // released
		return nil
	case <-lost:
		return errors.New("lost the leader lease")
	case err := <-serveErr:
		return err
	}
}

// state is what /readyz reports on.
type state struct{ leading, synced atomic.Bool }

// serve starts /healthz (the process is alive), /readyz (a standby
// replica, or a leader whose caches have synced) and /metrics.
func serve(addr string, c *Context, st *state, errs chan<- error) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--bind-address: %w", err)
	}
	mux := c.Mux
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		if st.leading.Load() && !st.synced.Load() {
			http.Error(w, "informer caches not synced yet", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("/metrics", promhttp.HandlerFor(c.Metrics.Registry, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs <- err
		}
	}()
	return srv, nil
}

// Known lists the constructors' names, sorted, for help texts.
func Known(constructors map[string]Constructor) []string {
	out := make([]string, 0, len(constructors))
	for n := range constructors {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// EventScheme knows the kinds events are recorded about: Kubernetes' and
// knap's. With Kubernetes' alone the recorder cannot name a Configuration
// or a Revision, and drops their events.
func EventScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	utilruntime.Must(kubescheme.AddToScheme(s))
	utilruntime.Must(knapscheme.AddToScheme(s))
	return s
}
