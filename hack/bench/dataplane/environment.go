package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/knap-dev/knap/pkg/queue"
)

// environment is the three components the benchmark measures: each a
// process of its own, or with inProcess goroutines of this one.
type environment struct {
	exe          string
	logDir       string
	inProcess    bool
	startTimeout time.Duration
	progress     io.Writer

	hello, queue, gateway *component
}

// start starts hello, then knap-queue in front of it, then knap-gateway in
// front of the queue; it returns once each is ready, with the three paths
// to measure.
func (e *environment) start(ctx context.Context) ([]target, error) {
	var err error
	if e.hello, err = e.startComponent(ctx, roleOptions{role: "hello"}); err != nil {
		return nil, err
	}
	helloAddr := e.hello.addrs["data"]
	if err := e.hello.waitOK(ctx, e.startTimeout, "http://"+helloAddr+"/", nil); err != nil {
		return nil, err
	}
	_, port, _ := strings.Cut(helloAddr, ":")
	userPort, err := strconv.Atoi(port)
	if err != nil {
		return nil, fmt.Errorf("hello: address %q: %w", helloAddr, err)
	}
	if e.queue, err = e.startComponent(ctx, roleOptions{role: "queue", userPort: userPort}); err != nil {
		return nil, err
	}
	queueAddr := e.queue.addrs["data"]
	// The kubelet's readiness probe of the queue container: 200 once the
	// user container passes its (default TCP) probe.
	probe := http.Header{queue.ProbeHeader: {queue.ProbeValue}}
	if err := e.queue.waitOK(ctx, e.startTimeout, "http://"+queueAddr+"/", probe); err != nil {
		return nil, err
	}
	if e.gateway, err = e.startComponent(ctx, roleOptions{role: "gateway", backend: queueAddr}); err != nil {
		return nil, err
	}
	if err := e.gateway.waitOK(ctx, e.startTimeout, "http://"+e.gateway.addrs["admin"]+"/readyz", nil); err != nil {
		return nil, err
	}
	return []target{
		{name: directPath, url: "http://" + helloAddr + "/"},
		{name: queuePath, url: "http://" + queueAddr + "/"},
		{name: gatewayPath, url: "http://" + e.gateway.addrs["data"] + "/", host: benchHost},
	}, nil
}

// startComponent starts one component, as a process or in-process.
func (e *environment) startComponent(ctx context.Context, ro roleOptions) (*component, error) {
	var c *component
	var err error
	if e.inProcess {
		c = startGoroutine(ro)
	} else if c, err = startProcess(e.exe, e.logDir, ro); err != nil {
		return nil, err
	}
	if err := c.waitAnnounced(ctx, e.startTimeout); err != nil {
		return nil, err
	}
	fmt.Fprintf(e.progress, "dataplane: started %s (%s) at %v\n", c.name, c.where(), c.addrs)
	return c, nil
}

// describe says where each component runs, for the report.
func (e *environment) describe() string {
	where := fmt.Sprintf("processes: hello %s, knap-queue %s, knap-gateway %s (fake clientsets), load generator pid %d",
		e.hello.where(), e.queue.where(), e.gateway.where(), os.Getpid())
	if e.inProcess {
		where = fmt.Sprintf("in-process: hello, knap-queue and knap-gateway (fake clientsets) share the load generator's process (pid %d)", os.Getpid())
	}
	return fmt.Sprintf("%s; %d CPUs, GOMAXPROCS %d", where, runtime.NumCPU(), runtime.GOMAXPROCS(0))
}

// stop stops the started components, front first.
func (e *environment) stop() {
	for _, c := range []*component{e.gateway, e.queue, e.hello} {
		if c != nil {
			c.stop()
		}
	}
}

// exited reports a component that stopped on its own before stop.
func (e *environment) exited() error {
	for _, c := range []*component{e.hello, e.queue, e.gateway} {
		select {
		case <-c.done:
			return fmt.Errorf("%s exited during the benchmark (%v)%s", c.name, c.waitErr, c.logTail())
		default:
		}
	}
	return nil
}

// loadAverage is the machine's 1-minute load average, "n/a" where
// /proc/loadavg is not: other work on the machine skews every path.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "n/a"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "n/a"
}
