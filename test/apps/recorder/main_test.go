package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/cloudevents/sdk-go/v2/protocol"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
)

func start(t *testing.T, cfg config) (*httptest.Server, cloudevents.Client) {
	t.Helper()
	srv := httptest.NewServer(newRecorder(cfg).Handler())
	t.Cleanup(srv.Close)
	c, err := cloudevents.NewClientHTTP()
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func newEvent(t *testing.T, id string) event.Event {
	t.Helper()
	e := cloudevents.NewEvent()
	e.SetID(id)
	e.SetSource("/test/recorder")
	e.SetType("dev.knap.test")
	e.SetExtension("knaptest", "x")
	if err := e.SetData(cloudevents.ApplicationJSON, map[string]any{"n": id}); err != nil {
		t.Fatal(err)
	}
	return e
}

func recorded(t *testing.T, url string) ([]event.Event, string) {
	t.Helper()
	resp, err := http.Get(url + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /events: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	var events []event.Event
	if err := json.Unmarshal(b, &events); err != nil {
		t.Fatalf("GET /events is not a JSON array of CloudEvents: %v\n%s", err, b)
	}
	return events, resp.Header.Get("X-Delivery-Attempts")
}

func statusOf(t *testing.T, res protocol.Result) int {
	t.Helper()
	var hr *cehttp.Result
	if !cloudevents.ResultAs(res, &hr) {
		t.Fatalf("result %v carries no HTTP status", res)
	}
	return hr.StatusCode
}

// Binary and structured deliveries from a real client are recorded in
// arrival order, and come back in CloudEvents JSON with data and extensions.
func TestRecordsBinaryAndStructured(t *testing.T) {
	srv, c := start(t, config{})
	ctx := cloudevents.ContextWithTarget(context.Background(), srv.URL)

	if res := c.Send(ctx, newEvent(t, "1")); !cloudevents.IsACK(res) || statusOf(t, res) != http.StatusAccepted {
		t.Fatalf("binary send: %v", res)
	}
	if res := c.Send(binding.WithForceStructured(ctx), newEvent(t, "2")); !cloudevents.IsACK(res) || statusOf(t, res) != http.StatusAccepted {
		t.Fatalf("structured send: %v", res)
	}
	// A path other than / is a sink too (brokers deliver to subscriber URIs).
	if res := c.Send(cloudevents.ContextWithTarget(ctx, srv.URL+"/some/path"), newEvent(t, "3")); !cloudevents.IsACK(res) {
		t.Fatalf("send to a path: %v", res)
	}

	events, attempts := recorded(t, srv.URL)
	if len(events) != 3 || attempts != "3" {
		t.Fatalf("recorded %d events in %s attempts, want 3 and 3: %v", len(events), attempts, events)
	}
	for i, want := range []string{"1", "2", "3"} {
		got, exp := events[i], newEvent(t, want)
		if got.ID() != want || got.Type() != exp.Type() || got.Source() != exp.Source() {
			t.Errorf("event %d: %s", i, got)
		}
		if !bytes.Equal(got.Data(), exp.Data()) || got.Extensions()["knaptest"] != "x" {
			t.Errorf("event %d lost data or extensions: %s", i, got)
		}
	}
}

// A batch (application/cloudevents-batch+json) records each event.
func TestRecordsBatch(t *testing.T) {
	srv, _ := start(t, config{})
	req, err := cehttp.NewHTTPRequestFromEvents(context.Background(), srv.URL, []event.Event{newEvent(t, "a"), newEvent(t, "b")})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("batch: %d", resp.StatusCode)
	}
	if events, _ := recorded(t, srv.URL); len(events) != 2 || events[0].ID() != "a" || events[1].ID() != "b" {
		t.Fatalf("recorded %v", events)
	}
}

func TestClear(t *testing.T) {
	srv, c := start(t, config{})
	ctx := cloudevents.ContextWithTarget(context.Background(), srv.URL)
	if res := c.Send(ctx, newEvent(t, "1")); !cloudevents.IsACK(res) {
		t.Fatal(res)
	}
	req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE /events: %d", resp.StatusCode)
	}
	// Empty is [] (not null), so clients can always range over it.
	resp, err = http.Get(srv.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.TrimSpace(string(b)) != "[]" {
		t.Fatalf("after DELETE: %s", b)
	}
}

// REPLY=true answers with the same event under a new id and a .reply type.
func TestReply(t *testing.T) {
	srv, c := start(t, config{reply: true})
	ctx := cloudevents.ContextWithTarget(context.Background(), srv.URL)
	sent := newEvent(t, "q1")
	reply, res := c.Request(ctx, sent)
	if !cloudevents.IsACK(res) || statusOf(t, res) != http.StatusOK {
		t.Fatalf("request: %v", res)
	}
	if reply == nil {
		t.Fatal("no reply event")
	}
	if reply.ID() == sent.ID() || reply.ID() == "" {
		t.Errorf("reply id %q, want a new one", reply.ID())
	}
	if reply.Type() != "dev.knap.test.reply" || reply.Source() != sent.Source() {
		t.Errorf("reply type/source %q %q", reply.Type(), reply.Source())
	}
	if !bytes.Equal(reply.Data(), sent.Data()) || reply.Extensions()["knaptest"] != "x" {
		t.Errorf("reply lost data or extensions: %s", reply)
	}
	if events, _ := recorded(t, srv.URL); len(events) != 1 || events[0].ID() != "q1" {
		t.Fatalf("recorded %v, want the request only", events)
	}
}

// FAIL_FIRST=2: two 503s (not recorded), then the third delivery lands.
func TestFailFirst(t *testing.T) {
	srv, c := start(t, config{failFirst: 2})
	ctx := cloudevents.ContextWithTarget(context.Background(), srv.URL)
	for i := range 2 {
		res := c.Send(ctx, newEvent(t, "r"))
		if cloudevents.IsACK(res) || statusOf(t, res) != http.StatusServiceUnavailable {
			t.Fatalf("delivery %d: %v, want 503", i+1, res)
		}
	}
	if res := c.Send(ctx, newEvent(t, "r")); !cloudevents.IsACK(res) {
		t.Fatalf("delivery 3: %v", res)
	}
	events, attempts := recorded(t, srv.URL)
	if len(events) != 1 || attempts != "3" {
		t.Fatalf("recorded %d in %s attempts, want 1 in 3", len(events), attempts)
	}
}

// The client's own retries against FAIL_FIRST end in one recorded event.
func TestFailFirstWithClientRetries(t *testing.T) {
	srv, c := start(t, config{failFirst: 2})
	ctx := cloudevents.ContextWithTarget(context.Background(), srv.URL)
	ctx = cloudevents.ContextWithRetriesConstantBackoff(ctx, 10*time.Millisecond, 3)
	if res := c.Send(ctx, newEvent(t, "r")); !cloudevents.IsACK(res) {
		t.Fatalf("send with retries: %v", res)
	}
	if events, attempts := recorded(t, srv.URL); len(events) != 1 || attempts != "3" {
		t.Fatalf("recorded %d in %s attempts, want 1 in 3", len(events), attempts)
	}
}

func TestRejectsNonEvents(t *testing.T) {
	srv, _ := start(t, config{})
	for name, req := range map[string]func() *http.Request{
		"plain body": func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("hi"))
			return r
		},
		"binary without ce-type": func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("{}"))
			r.Header.Set("ce-specversion", "1.0")
			r.Header.Set("ce-id", "1")
			r.Header.Set("ce-source", "/s")
			return r
		},
	} {
		resp, err := http.DefaultClient.Do(req())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, resp.StatusCode)
		}
	}
	if events, _ := recorded(t, srv.URL); len(events) != 0 {
		t.Fatalf("recorded %v", events)
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Setenv("REPLY", "true")
	t.Setenv("FAIL_FIRST", "3")
	cfg, err := configFromEnv()
	if err != nil || cfg != (config{reply: true, failFirst: 3}) {
		t.Fatalf("got %+v %v", cfg, err)
	}
	t.Setenv("FAIL_FIRST", "-1")
	if _, err := configFromEnv(); err == nil {
		t.Error("FAIL_FIRST=-1 accepted")
	}
	t.Setenv("FAIL_FIRST", "")
	t.Setenv("REPLY", "maybe")
	if _, err := configFromEnv(); err == nil {
		t.Error("REPLY=maybe accepted")
	}
}
