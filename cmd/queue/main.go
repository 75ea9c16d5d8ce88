// Command knap-queue is the sidecar in every revision pod: it proxies
// requests to the user container through the containerConcurrency breaker
// with the revision's timeouts, reports request stats to the autoscaler,
// answers the pod's readiness from the user container's readiness probe and
// drains gracefully on SIGTERM. It is configured by the environment Knative's
// queue-proxy reads; see package github.com/knap-dev/knap/pkg/queue.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"k8s.io/klog/v2"

	"github.com/knap-dev/knap/pkg/queue"
)

func main() {
	fs := flag.NewFlagSet("knap-queue", flag.ExitOnError)
	klog.InitFlags(fs)
	drainSleep := fs.Duration("drain-sleep", -1,
		"how long to keep serving after SIGTERM once no request arrived for that long (overrides $"+queue.EnvDrainSleep+"; default "+queue.DefaultDrainSleep.String()+")")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: knap-queue [flags]\n\nConfigured by the environment (see pkg/queue): %s, %s, %s, %s, ...\n\nFlags:\n",
			queue.EnvServingPort, queue.EnvUserPort, queue.EnvContainerConcurrency, queue.EnvReadinessProbe)
		fs.PrintDefaults()
	}
	_ = fs.Parse(os.Args[1:])

	cfg, err := queue.ConfigFromEnv(os.LookupEnv)
	if err != nil {
		klog.ErrorS(err, "Reading the configuration")
		klog.Flush()
		os.Exit(1)
	}
	if *drainSleep >= 0 {
		cfg.DrainSleep = *drainSleep
	}
	srv, err := queue.NewServer(cfg)
	if err != nil {
		klog.ErrorS(err, "Starting")
		klog.Flush()
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		// The first signal drains; a second one stops at once.
		<-ctx.Done()
		stop()
	}()
	start := time.Now()
	err = srv.Run(ctx)
	klog.Flush()
	if err != nil {
		klog.ErrorS(err, "knap-queue failed", "after", time.Since(start).Round(time.Millisecond))
		klog.Flush()
		os.Exit(1)
	}
}
