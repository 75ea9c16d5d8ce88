package queue

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// slowUser answers after ?sleep, or streams "tick\n" every ?every for
// ?ticks ticks after an optional ?first delay.
func slowUser() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if d, err := time.ParseDuration(q.Get("sleep")); err == nil {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		if q.Get("every") == "" {
			fmt.Fprint(w, "done")
			return
		}
		every, _ := time.ParseDuration(q.Get("every"))
		var ticks int
		fmt.Sscan(q.Get("ticks"), &ticks)
		for range ticks {
			fmt.Fprint(w, "tick\n")
			w.(http.Flusher).Flush()
			select {
			case <-time.After(every):
			case <-r.Context().Done():
				return
			}
		}
	})
}

func TestTimeouts(t *testing.T) {
	_, port := userServer(t, slowUser())
	for _, tc := range []struct {
		name     string
		timeouts Timeouts
		path     string
		wantCode int
		wantBody string
		cut      bool // headers sent, then the response is cut
	}{{
		name:     "within the total timeout",
		timeouts: Timeouts{Total: 2 * time.Second},
		path:     "/?sleep=10ms",
		wantCode: http.StatusOK, wantBody: "done",
	}, {
		name:     "total timeout before the response starts",
		timeouts: Timeouts{Total: 150 * time.Millisecond},
		path:     "/?sleep=3s",
		wantCode: http.StatusGatewayTimeout, wantBody: "request timeout",
	}, {
		name:     "response start timeout",
		timeouts: Timeouts{Total: 5 * time.Second, ResponseStart: 150 * time.Millisecond},
		path:     "/?sleep=3s",
		wantCode: http.StatusGatewayTimeout, wantBody: "request timeout",
	}, {
		name:     "response start timeout does not cut a started response",
		timeouts: Timeouts{Total: 5 * time.Second, ResponseStart: 100 * time.Millisecond},
		path:     "/?every=50ms&ticks=5",
		wantCode: http.StatusOK, wantBody: "tick\ntick\ntick\ntick\ntick\n",
	}, {
		name:     "idle timeout before the response starts",
		timeouts: Timeouts{Total: 5 * time.Second, Idle: 150 * time.Millisecond},
		path:     "/?sleep=3s",
		wantCode: http.StatusGatewayTimeout, wantBody: "request timeout",
	}, {
		name:     "idle timeout lets a steady stream run",
		timeouts: Timeouts{Total: 5 * time.Second, Idle: 200 * time.Millisecond},
		path:     "/?every=50ms&ticks=8",
		wantCode: http.StatusOK, wantBody: "tick\ntick\ntick\ntick\ntick\ntick\ntick\ntick\n",
	}, {
		name:     "idle timeout cuts a stalled stream",
		timeouts: Timeouts{Total: 5 * time.Second, Idle: 150 * time.Millisecond},
		path:     "/?every=3s&ticks=2",
		wantCode: http.StatusOK, wantBody: "tick\n", cut: true,
	}, {
		name:     "total timeout cuts a long stream",
		timeouts: Timeouts{Total: 300 * time.Millisecond},
		path:     "/?every=50ms&ticks=100",
		wantCode: http.StatusOK, cut: true,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(port)
			cfg.RevisionTimeout = tc.timeouts.Total
			cfg.ResponseStartTimeout = tc.timeouts.ResponseStart
			cfg.IdleTimeout = tc.timeouts.Idle
			q := startQueue(t, cfg)
			start := time.Now()
			res, err := q.client.Get(q.url + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(bufio.NewReader(res.Body))
			took := time.Since(start)
			if res.StatusCode != tc.wantCode {
				t.Fatalf("status %d, want %d (body %q)", res.StatusCode, tc.wantCode, body)
			}
			if tc.cut {
				if err == nil {
					t.Fatalf("the response ended cleanly with %q; want it cut", body)
				}
				if tc.wantBody != "" && string(body) != tc.wantBody {
					t.Errorf("body before the cut %q, want %q", body, tc.wantBody)
				}
			} else {
				if err != nil {
					t.Fatalf("reading: %v", err)
				}
				if string(body) != tc.wantBody {
					t.Errorf("body %q, want %q", body, tc.wantBody)
				}
			}
			if took > 2500*time.Millisecond {
				t.Errorf("took %v: the timeout did not fire", took)
			}
			// Timed-out requests are answered, counted and gone.
			eventually(t, 2*time.Second, "the request to leave", func() bool { return q.srv.Drainer().InFlight() == 0 })
		})
	}
}

func TestTimeoutWhileQueued(t *testing.T) {
	_, port := userServer(t, slowUser())
	cfg := testConfig(port)
	cfg.ContainerConcurrency = 1
	cfg.RevisionTimeout = 200 * time.Millisecond
	q := startQueue(t, cfg)
	// Hold the only slot, as a long request would.
	if err := q.handlerBreaker().Acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code, body := q.get(t, "/", nil)
	if code != http.StatusGatewayTimeout || body != "request timeout" {
		t.Errorf("queued past the timeout: %d %q, want 504 (the wait counts toward the timeout)", code, body)
	}
	if took := time.Since(start); took < 200*time.Millisecond || took > 2*time.Second {
		t.Errorf("answered after %v, want about the 200ms timeout", took)
	}
	if n := q.handlerBreaker().InFlight(); n != 1 {
		t.Errorf("breaker in flight after the timed-out request left: %d, want 1 (the held slot)", n)
	}
	q.handlerBreaker().Release()
	if code, body := q.get(t, "/", nil); code != http.StatusOK || body != "done" {
		t.Errorf("after the slot freed: %d %q", code, body)
	}
}

func (q *queueUnderTest) handlerBreaker() *Breaker { return q.srv.handler.breaker }
