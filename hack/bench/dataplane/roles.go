package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"

	kubefake "k8s.io/client-go/kubernetes/fake"
	"k8s.io/klog/v2"

	"github.com/knap-dev/knap/pkg/gateway"
	knapfake "github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
	"github.com/knap-dev/knap/pkg/queue"
)

// helloBody is what the hello server answers, as Knative's helloworld-go.
const helloBody = "Hello World!\n"

// stopGrace bounds a component's shutdown: nothing is in flight by then.
const stopGrace = 5 * time.Second

// runRole runs one component until ctx ends or stdin closes (the
// benchmark stopped or died), after announcing its addresses on stdout.
func runRole(ctx context.Context, ro roleOptions, stdin io.Reader, stdout io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		_, _ = io.Copy(io.Discard, stdin)
		cancel()
	}()
	switch ro.role {
	case "hello":
		return runHello(ctx, stdout)
	case "queue":
		if ro.userPort <= 0 {
			return errors.New("-user-port is required")
		}
		return runQueue(ctx, ro.userPort, stdout)
	case "gateway":
		if ro.backend == "" {
			return errors.New("-backend is required")
		}
		return runGateway(ctx, ro.backend, stdout)
	}
	return fmt.Errorf("unknown role %q (want hello, queue or gateway)", ro.role)
}

// announce tells the benchmark where the component listens: one line,
// "listening name=host:port ...".
func announce(w io.Writer, addrs map[string]net.Listener) error {
	names := make([]string, 0, len(addrs))
	for name := range addrs {
		names = append(names, name)
	}
	sort.Strings(names)
	fields := []string{"listening"}
	for _, name := range names {
		fields = append(fields, name+"="+addrs[name].Addr().String())
	}
	_, err := fmt.Fprintln(w, strings.Join(fields, " "))
	return err
}

func loopback() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

// helloHandler is the user container: a fixed small answer.
func helloHandler() http.Handler {
	body := []byte(helloBody)
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(body)
	})
}

func runHello(ctx context.Context, stdout io.Writer) error {
	l, err := loopback()
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: helloHandler(), ReadHeaderTimeout: time.Minute}
	errs := make(chan error, 1)
	go func() { errs <- srv.Serve(l) }()
	if err := announce(stdout, map[string]net.Listener{"data": l}); err != nil {
		_ = srv.Close()
		return err
	}
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), stopGrace)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// runQueue is knap-queue as the Revision reconciler configures it for a
// revision without containerConcurrency or readiness probe, in front of
// the hello server on userPort.
func runQueue(ctx context.Context, userPort int, stdout io.Writer) error {
	srv, err := queue.NewServer(queue.Config{
		UserPort:        userPort,
		Namespace:       benchNamespace,
		Revision:        revisionName,
		Configuration:   serviceName,
		Service:         serviceName,
		Pod:             revisionName + "-deployment-bench",
		PodIP:           "127.0.0.1",
		RevisionTimeout: queue.DefaultRevisionTimeout,
		// Nothing is in flight when the benchmark stops it.
		DrainSleep: 0,
	})
	if err != nil {
		return err
	}
	var ls queue.Listeners
	for _, l := range []*net.Listener{&ls.Main, &ls.Metrics, &ls.Admin} {
		if *l, err = loopback(); err != nil {
			return err
		}
	}
	if err := announce(stdout, map[string]net.Listener{"data": ls.Main, "metrics": ls.Metrics, "admin": ls.Admin}); err != nil {
		return err
	}
	return srv.Serve(ctx, ls)
}

// runGateway is knap-gateway routing benchHost to the queue at backend,
// its Ingress, Revision and EndpointSlice read from fake clientsets.
func runGateway(ctx context.Context, backend string, stdout io.Writer) error {
	objs, err := newRouteObjects(backend)
	if err != nil {
		return err
	}
	g, err := gateway.New(gateway.Config{
		Kube:       kubefake.NewSimpleClientset(objs.slice),
		Knap:       knapfake.NewSimpleClientset(objs.ingress, objs.revision),
		Name:       "knap-bench-dataplane",
		QueueDepth: gateway.DefaultQueueDepth,
		MaxTimeout: 10 * time.Minute,
	})
	if err != nil {
		return err
	}
	data, err := loopback()
	if err != nil {
		return err
	}
	admin, err := loopback()
	if err != nil {
		_ = data.Close()
		return err
	}
	if err := announce(stdout, map[string]net.Listener{"data": data, "admin": admin}); err != nil {
		return err
	}
	klog.InfoS("Routing", "host", benchHost, "revision", benchNamespace+"/"+revisionName, "backend", backend)
	return g.Serve(ctx, data, admin, stopGrace)
}
