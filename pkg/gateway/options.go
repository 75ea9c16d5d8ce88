package gateway

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/spf13/pflag"
	"k8s.io/klog/v2"

	"github.com/knap-dev/knap/pkg/clients"
)

// Options configure knap-gateway; AddFlags binds them to flags.
type Options struct {
	Kubeconfig         string
	BindAddress        string
	MetricsBindAddress string
	AutoscalerURL      string
	Name               string
	QueueDepth         int
	MaxTimeout         time.Duration
	ShutdownGrace      time.Duration
	ResyncPeriod       time.Duration
}

// NewOptions returns the defaults.
func NewOptions() *Options {
	host, _ := os.Hostname()
	return &Options{
		BindAddress:        ":8080",
		MetricsBindAddress: "127.0.0.1:9091",
		Name:               host,
		QueueDepth:         DefaultQueueDepth,
		// Knative's max-revision-timeout-seconds default.
		MaxTimeout:    10 * time.Minute,
		ShutdownGrace: 30 * time.Second,
		ResyncPeriod:  10 * time.Hour,
	}
}

// AddFlags adds the options' flags to fs.
func (o *Options) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Kubeconfig, "kubeconfig", o.Kubeconfig, "kubeconfig of the kube-apiserver (in-cluster config when empty)")
	fs.StringVar(&o.BindAddress, "bind-address", o.BindAddress, "address of the HTTP data plane")
	fs.StringVar(&o.MetricsBindAddress, "metrics-bind-address", o.MetricsBindAddress, "address of /healthz, /readyz and /metrics")
	fs.StringVar(&o.AutoscalerURL, "autoscaler-url", o.AutoscalerURL,
		"base URL of the autoscaler's stats endpoint, e.g. http://127.0.0.1:10271 (empty: no reports, so no scale from zero)")
	fs.StringVar(&o.Name, "name", o.Name, "the gateway's name in its reports to the autoscaler")
	fs.IntVar(&o.QueueDepth, "queue-depth", o.QueueDepth, "requests that may wait per revision for a pod with room; more get 503")
	fs.DurationVar(&o.MaxTimeout, "max-timeout", o.MaxTimeout,
		"longest a request waits for a pod with room, whatever the revision's timeoutSeconds (0: no bound); then 504")
	fs.DurationVar(&o.ShutdownGrace, "shutdown-grace-period", o.ShutdownGrace, "how long in-flight requests may take to finish after SIGTERM")
	fs.DurationVar(&o.ResyncPeriod, "resync-period", o.ResyncPeriod, "informer resync period")
}

// Validate checks the options.
func (o *Options) Validate() error {
	var errs []error
	if o.QueueDepth < 0 {
		errs = append(errs, fmt.Errorf("--queue-depth must not be negative, got %d", o.QueueDepth))
	}
	if o.MaxTimeout < 0 {
		errs = append(errs, fmt.Errorf("--max-timeout must not be negative, got %s", o.MaxTimeout))
	}
	if o.Name == "" {
		errs = append(errs, errors.New("--name is required (the host name is unknown)"))
	}
	return errors.Join(errs...)
}

// Run runs knap-gateway until ctx ends, then drains.
func Run(ctx context.Context, o *Options) error {
	if err := o.Validate(); err != nil {
		return err
	}
	kube, knap, err := clients.New(o.Kubeconfig, "knap-gateway", 0, 0)
	if err != nil {
		return err
	}
	if o.AutoscalerURL == "" {
		klog.Warning("No --autoscaler-url: the autoscaler will not hear of the gateway's requests, so revisions at zero will not scale up on demand")
	}
	g, err := New(Config{
		Kube:          kube,
		Knap:          knap,
		Name:          o.Name,
		AutoscalerURL: o.AutoscalerURL,
		QueueDepth:    o.QueueDepth,
		MaxTimeout:    o.MaxTimeout,
		ResyncPeriod:  o.ResyncPeriod,
	})
	if err != nil {
		return err
	}
	data, err := net.Listen("tcp", o.BindAddress)
	if err != nil {
		return fmt.Errorf("--bind-address: %w", err)
	}
	admin, err := net.Listen("tcp", o.MetricsBindAddress)
	if err != nil {
		_ = data.Close()
		return fmt.Errorf("--metrics-bind-address: %w", err)
	}
	klog.InfoS("knap-gateway starting", "name", o.Name, "address", data.Addr().String(), "metricsAddress", admin.Addr().String(),
		"autoscaler", o.AutoscalerURL, "queueDepth", o.QueueDepth, "maxTimeout", o.MaxTimeout)
	return g.Serve(ctx, data, admin, o.ShutdownGrace)
}
