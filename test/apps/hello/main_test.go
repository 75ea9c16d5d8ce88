package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"testing"
	"time"
)

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", url, err)
	}
	return resp, string(b)
}

func TestHello(t *testing.T) {
	for _, tc := range []struct{ target, want string }{
		{"", "Hello World!\n"},
		{"knap", "Hello knap!\n"},
	} {
		srv := httptest.NewServer(newHandler(tc.target, "pod-a"))
		resp, body := get(t, srv.URL+"/")
		srv.Close()
		if resp.StatusCode != http.StatusOK || body != tc.want {
			t.Errorf("TARGET=%q: got %d %q, want 200 %q", tc.target, resp.StatusCode, body, tc.want)
		}
		if got := resp.Header.Get("X-Pod"); got != "pod-a" {
			t.Errorf("X-Pod = %q, want pod-a", got)
		}
	}
}

func TestHealthzAndNotFound(t *testing.T) {
	srv := httptest.NewServer(newHandler("", "p"))
	defer srv.Close()
	if resp, _ := get(t, srv.URL+"/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %d", resp.StatusCode)
	}
	if resp, _ := get(t, srv.URL+"/nope"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/nope: %d, want 404", resp.StatusCode)
	}
}

func TestSleep(t *testing.T) {
	srv := httptest.NewServer(newHandler("", "p"))
	defer srv.Close()
	start := time.Now()
	resp, body := get(t, srv.URL+"/?sleep=200")
	if resp.StatusCode != http.StatusOK || body != "Hello World!\n" {
		t.Fatalf("got %d %q", resp.StatusCode, body)
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("answered after %v, want at least 200ms", d)
	}
	for _, bad := range []string{"x", "-1"} {
		if resp, _ := get(t, srv.URL+"/?sleep="+bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("sleep=%s: %d, want 400", bad, resp.StatusCode)
		}
	}
}

// A request whose client goes away stops sleeping: the handler returns
// long before the sleep it asked for.
func TestSleepHonoursCancellation(t *testing.T) {
	h := newHandler("", "p")
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodGet, "/?sleep=60000", nil).WithContext(ctx)
	done := make(chan struct{})
	go func() {
		h.ServeHTTP(httptest.NewRecorder(), req)
		close(done)
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("handler still sleeping after its request was cancelled")
	}
}

// SIGTERM (ctx done) lets an in-flight request finish before run returns.
func TestGracefulShutdown(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, "127.0.0.1:0", "", "p", ready) }()
	addr := <-ready

	type result struct {
		code int
		body string
		err  error
	}
	resc := make(chan result, 1)
	wrote := make(chan struct{})
	go func() {
		trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { close(wrote) }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace),
			http.MethodGet, "http://"+addr+"/?sleep=300", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			resc <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		resc <- result{resp.StatusCode, string(b), err}
	}()
	select {
	case <-wrote:
	case r := <-resc:
		t.Fatalf("request failed before it was sent: %v", r.err)
	}
	time.Sleep(50 * time.Millisecond) // the server has it and is sleeping
	stop()
	r := <-resc
	if r.err != nil || r.code != http.StatusOK || r.body != "Hello World!\n" {
		t.Fatalf("in-flight request: %d %q %v, want 200 and the greeting", r.code, r.body, r.err)
	}
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after shutdown")
	}
	if _, err := http.Get("http://" + addr + "/"); err == nil {
		t.Error("server still answers after shutdown")
	}
}
