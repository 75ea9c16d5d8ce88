package queue

import (
	"io"
	"net/http"
	"testing"
	"time"
)

type result struct {
	code int
	body string
	err  error
	at   time.Time
}

func fetch(c *http.Client, url string) <-chan result {
	ch := make(chan result, 1)
	go func() {
		res, err := c.Get(url)
		if err != nil {
			ch <- result{err: err, at: time.Now()}
			return
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		ch <- result{code: res.StatusCode, body: string(b), err: err, at: time.Now()}
	}()
	return ch
}

// TestDrain: on SIGTERM the queue fails probes at once, keeps serving
// in-flight and new requests until none arrived for the drain period, then
// shuts down once the in-flight ones completed, and releases the user
// container's preStop hook last.
func TestDrain(t *testing.T) {
	_, port := userServer(t, slowUser())
	cfg := testConfig(port)
	cfg.DrainSleep = 300 * time.Millisecond
	q := startQueue(t, cfg)
	q.waitReady(t)
	if code := q.probe(t, ""); code != http.StatusOK {
		t.Fatalf("probe before SIGTERM: %d", code)
	}

	slow := fetch(q.client, q.url+"/?sleep=700ms")
	eventually(t, time.Second, "the slow request in flight", func() bool { return q.srv.Drainer().InFlight() == 1 })

	sigterm := time.Now()
	q.stop()
	preStop := fetch(http.DefaultClient, q.adminURL+WaitForDrainPath)
	eventually(t, 100*time.Millisecond, "draining", q.srv.Drainer().Draining)
	if code := q.probe(t, ""); code != http.StatusServiceUnavailable {
		t.Errorf("probe right after SIGTERM: %d, want 503", code)
	}
	if code := q.probe(t, "kube-probe/1.37"); code != http.StatusServiceUnavailable {
		t.Errorf("kubelet probe right after SIGTERM: %d, want 503", code)
	}

	// New requests are still served during the drain period, and push
	// its end out.
	time.Sleep(150 * time.Millisecond)
	lastRequest := time.Now()
	if code, body := q.get(t, "/", nil); code != http.StatusOK || body != "done" {
		t.Errorf("request during the drain: %d %q", code, body)
	}

	r := <-slow
	if r.err != nil || r.code != http.StatusOK || r.body != "done" {
		t.Errorf("in-flight request across SIGTERM: %d %q %v, want 200 done", r.code, r.body, r.err)
	}
	var err error
	select {
	case err = <-q.done:
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the drain")
	}
	stopped := time.Now()
	if err != nil {
		t.Errorf("Serve: %v, want nil after a drain", err)
	}
	if stopped.Before(lastRequest.Add(cfg.DrainSleep)) {
		t.Errorf("stopped %v after the last request, want at least the drain period %v", stopped.Sub(lastRequest), cfg.DrainSleep)
	}
	if stopped.Before(r.at) {
		t.Error("stopped before the in-flight request completed")
	}
	if took := stopped.Sub(sigterm); took > 3*time.Second {
		t.Errorf("drain took %v", took)
	}
	p := <-preStop
	if p.err != nil || p.code != http.StatusOK {
		t.Errorf("/wait-for-drain: %d %v", p.code, p.err)
	}
	if p.at.Before(r.at) {
		t.Error("/wait-for-drain returned before the in-flight request completed")
	}
	q.done <- nil // for the cleanup
	q.client.CloseIdleConnections()
	if _, err := q.client.Get(q.url + "/"); err == nil {
		t.Error("the queue still accepts requests after the drain")
	}
}

// TestWaitForDrainWithoutSIGTERM: a user container restarting on its own
// (liveness) is not held by its preStop hook.
func TestWaitForDrainWithoutSIGTERM(t *testing.T) {
	_, port := userServer(t, slowUser())
	q := startQueue(t, testConfig(port))
	start := time.Now()
	r := <-fetch(http.DefaultClient, q.adminURL+WaitForDrainPath)
	if r.err != nil || r.code != http.StatusOK {
		t.Fatalf("/wait-for-drain: %d %v", r.code, r.err)
	}
	if took := time.Since(start); took < preStopGrace || took > preStopGrace+time.Second {
		t.Errorf("returned after %v, want about %v", took, preStopGrace)
	}
	if q.srv.Drainer().Draining() {
		t.Error("the queue drains without SIGTERM")
	}
}

// TestDrainWaitsForWebSockets: upgraded connections, which
// http.Server.Shutdown ignores, are waited for too (up to the timeout).
func TestDrainWaitsForUpgradedConnections(t *testing.T) {
	_, port := userServer(t, slowUser())
	cfg := testConfig(port)
	cfg.DrainSleep = 50 * time.Millisecond
	cfg.RevisionTimeout = 400 * time.Millisecond
	q := startQueue(t, cfg)
	// Pretend an upgraded connection is open.
	q.srv.Drainer().requestStarted(time.Now())
	start := time.Now()
	q.stop()
	select {
	case err := <-q.done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
		if took := time.Since(start); took < cfg.RevisionTimeout {
			t.Errorf("stopped after %v with a connection open, want to wait up to the revision timeout", took)
		}
		q.done <- nil
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
	}
	q.srv.Drainer().requestDone()
}
