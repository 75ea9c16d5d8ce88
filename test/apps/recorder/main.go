// Command recorder is the e2e suite's CloudEvents sink. Every event POSTed
// to it (binary, structured or batched mode, on any path) is kept in memory
// in arrival order:
//
//	GET    /events   the recorded events as a JSON array (CloudEvents JSON format)
//	DELETE /events   forget them
//	GET    /healthz  200
//
// It answers 202, or with REPLY=true 200 and the same event as a reply (new
// id, type suffixed ".reply"), so it serves as an echo target too.
// FAIL_FIRST=N answers the first N deliveries 503 without recording them, to
// test retries; GET /events reports all attempts in X-Delivery-Attempts.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"github.com/google/uuid"
)

type config struct {
	reply     bool // answer each event with a copy of it
	failFirst int  // answer the first failFirst deliveries 503
}

type recorder struct {
	cfg config

	mu       sync.Mutex
	events   []event.Event
	attempts int
}

func newRecorder(cfg config) *recorder { return &recorder{cfg: cfg} }

func (rec *recorder) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /events", rec.list)
	mux.HandleFunc("DELETE /events", rec.clear)
	mux.HandleFunc("POST /", rec.receive)
	return mux
}

func (rec *recorder) list(w http.ResponseWriter, _ *http.Request) {
	rec.mu.Lock()
	events := append([]event.Event{}, rec.events...) // never null: [] when empty
	attempts := rec.attempts
	rec.mu.Unlock()
	b, err := json.Marshal(events)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Delivery-Attempts", strconv.Itoa(attempts))
	_, _ = w.Write(append(b, '\n'))
}

func (rec *recorder) clear(w http.ResponseWriter, _ *http.Request) {
	rec.mu.Lock()
	rec.events = nil
	rec.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (rec *recorder) receive(w http.ResponseWriter, r *http.Request) {
	rec.mu.Lock()
	rec.attempts++
	fail := rec.attempts <= rec.cfg.failFirst
	n := rec.attempts
	rec.mu.Unlock()
	if fail {
		log.Printf("recorder: delivery %d refused with 503 (FAIL_FIRST=%d)", n, rec.cfg.failFirst)
		http.Error(w, fmt.Sprintf("delivery %d of the first %d is refused (FAIL_FIRST)", n, rec.cfg.failFirst), http.StatusServiceUnavailable)
		return
	}

	var events []event.Event
	if cehttp.IsHTTPBatch(r.Header) {
		evs, err := cehttp.NewEventsFromHTTPRequest(r)
		if err != nil {
			http.Error(w, "not a CloudEvents batch: "+err.Error(), http.StatusBadRequest)
			return
		}
		events = evs
	} else {
		e, err := cehttp.NewEventFromHTTPRequest(r)
		if err != nil {
			http.Error(w, "not a CloudEvent: "+err.Error(), http.StatusBadRequest)
			return
		}
		events = []event.Event{*e}
	}
	for i := range events {
		if err := events[i].Validate(); err != nil {
			http.Error(w, "invalid CloudEvent: "+err.Error(), http.StatusBadRequest)
			return
		}
	}

	rec.mu.Lock()
	rec.events = append(rec.events, events...)
	rec.mu.Unlock()
	for _, e := range events {
		log.Printf("recorder: recorded id=%s source=%s type=%s", e.ID(), e.Source(), e.Type())
	}

	if !rec.cfg.reply || len(events) != 1 {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	reply := events[0].Clone()
	reply.SetID(uuid.NewString())
	reply.SetType(reply.Type() + ".reply")
	if err := cehttp.WriteResponseWriter(r.Context(), binding.ToMessage(&reply), http.StatusOK, w); err != nil {
		log.Printf("recorder: writing reply to %s: %v", events[0].ID(), err)
	}
}

func configFromEnv() (config, error) {
	var cfg config
	if v := os.Getenv("REPLY"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, fmt.Errorf("REPLY=%q: want true or false", v)
		}
		cfg.reply = b
	}
	if v := os.Getenv("FAIL_FIRST"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return cfg, fmt.Errorf("FAIL_FIRST=%q: want a non-negative integer", v)
		}
		cfg.failFirst = n
	}
	return cfg, nil
}

func main() {
	cfg, err := configFromEnv()
	if err != nil {
		log.Fatalf("recorder: %v", err)
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	ln, err := net.Listen("tcp", net.JoinHostPort("", port))
	if err != nil {
		log.Fatalf("recorder: %v", err)
	}
	log.Printf("recorder: listening on %s (reply=%t, fail first %d)", ln.Addr(), cfg.reply, cfg.failFirst)
	srv := &http.Server{Handler: newRecorder(cfg).Handler(), ReadHeaderTimeout: 10 * time.Second}
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("recorder: shutdown: %v", err)
		}
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("recorder: %v", err)
	}
	<-drained // Serve returns at once on Shutdown; in-flight deliveries finish here
}
