// Command hello is the e2e suite's HTTP test app: it answers
// "Hello <$TARGET or World>!" on $PORT (default 8080), names the pod that
// answered in an X-Pod header, sleeps ?sleep=<ms> first (for autoscaling
// tests) and drains in-flight requests on SIGTERM.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// maxSleep bounds ?sleep= so a typo cannot park a request for hours.
const maxSleep = 10 * time.Minute

// drainTimeout is how long SIGTERM waits for in-flight requests; Kubernetes'
// default termination grace period is 30s.
const drainTimeout = 25 * time.Second

type server struct {
	target   string
	hostname string
}

func newHandler(target, hostname string) http.Handler {
	if target == "" {
		target = "World"
	}
	s := &server{target: target, hostname: hostname}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/", s.hello)
	return mux
}

func (s *server) hello(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	if v := r.URL.Query().Get("sleep"); v != "" {
		ms, err := strconv.Atoi(v)
		if err != nil || ms < 0 {
			http.Error(w, fmt.Sprintf("sleep=%q: want a non-negative number of milliseconds", v), http.StatusBadRequest)
			return
		}
		d := min(time.Duration(ms)*time.Millisecond, maxSleep)
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return // the client went away; nobody reads an answer
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Pod", s.hostname)
	_, _ = fmt.Fprintf(w, "Hello %s!\n", s.target)
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	hostname, _ := os.Hostname()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx, net.JoinHostPort("", port), os.Getenv("TARGET"), hostname, nil); err != nil {
		log.Fatalf("hello: %v", err)
	}
}

// run serves until ctx is done, then drains in-flight requests. ready, when
// not nil, receives the bound address once the listener is up.
func run(ctx context.Context, addr, target, hostname string, ready chan<- string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: newHandler(target, hostname), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("hello: listening on %s (pod %s, target %q)", ln.Addr(), hostname, target)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
