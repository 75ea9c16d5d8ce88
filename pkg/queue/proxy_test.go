package queue

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestProxyPassesRequestsThrough(t *testing.T) {
	type seen struct {
		host, xff, xfh, proxy, revision, method, body, path string
		proto                                               int
	}
	got := make(chan seen, 1)
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{
			host: r.Host, xff: r.Header.Get("X-Forwarded-For"), xfh: r.Header.Get("X-Forwarded-Host"),
			proxy: r.Header.Get(ProxyHeader), revision: r.Header.Get("Knative-Serving-Revision"),
			method: r.Method, body: string(b), path: r.URL.RequestURI(), proto: r.ProtoMajor,
		}
		w.Header().Set("X-User", "yes")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, "created")
	}))
	q := startQueue(t, testConfig(port))

	req, _ := http.NewRequest(http.MethodPost, q.url+"/things?a=b", strings.NewReader("payload"))
	req.Host = "hello.ns.example.com"
	req.Header.Set("X-Forwarded-For", "203.0.113.7")
	req.Header.Set("X-Forwarded-Host", "hello.example.com")
	req.Header.Set(ProxyHeader, "activator")
	req.Header.Set("Knative-Serving-Revision", "hello-00001")
	res, err := q.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || string(b) != "created" || res.Header.Get("X-User") != "yes" {
		t.Fatalf("got %d %q %v, want the user container's 201 created", res.StatusCode, b, res.Header)
	}
	s := <-got
	want := seen{
		host: "hello.ns.example.com", xff: "203.0.113.7, 127.0.0.1", xfh: "hello.example.com",
		proxy: "activator", method: http.MethodPost, body: "payload", path: "/things?a=b", proto: 1,
	}
	if s != want {
		t.Errorf("the user container saw %+v, want %+v", s, want)
	}

	// K-Original-Host replaces Host.
	req, _ = http.NewRequest(http.MethodGet, q.url+"/", nil)
	req.Header.Set(OriginalHostHeader, "original.example.com")
	res, err = q.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if s := <-got; s.host != "original.example.com" || s.xff != "127.0.0.1" {
		t.Errorf("with K-Original-Host the user container saw Host %q, X-Forwarded-For %q", s.host, s.xff)
	}
}

func TestProxyH2C(t *testing.T) {
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	user := &http.Server{
		Protocols: protocols,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Trailer", "X-Trailer")
			fmt.Fprintf(w, "proto %d", r.ProtoMajor)
			w.Header().Set("X-Trailer", "done")
		}),
	}
	l := listen(t)
	go func() { _ = user.Serve(l) }()
	t.Cleanup(func() { _ = user.Close() })
	q := startQueue(t, testConfig(l.Addr().(*net.TCPAddr).Port))

	for _, tc := range []struct {
		name   string
		client *http.Client
		want   string
	}{{"http1", q.client, "proto 1"}, {"h2c", q.clientH2C, "proto 2"}} {
		res, err := tc.client.Get(q.url + "/")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(b) != tc.want || res.Trailer.Get("X-Trailer") != "done" {
			t.Errorf("%s: got %q trailer %q, want %q with the trailer", tc.name, b, res.Trailer.Get("X-Trailer"), tc.want)
		}
	}
}

func TestProxyStreamsResponses(t *testing.T) {
	release := make(chan struct{})
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: one\n\n")
		w.(http.Flusher).Flush()
		<-release
		fmt.Fprint(w, "data: two\n\n")
	}))
	q := startQueue(t, testConfig(port))
	res, err := q.client.Get(q.url + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	r := bufio.NewReader(res.Body)
	line, err := r.ReadString('\n')
	if err != nil || line != "data: one\n" {
		t.Fatalf("first event: %q %v", line, err)
	}
	// The first event arrived while the user container still holds the
	// response open: it was streamed, not buffered.
	close(release)
	rest, _ := io.ReadAll(r)
	if string(rest) != "\ndata: two\n\n" {
		t.Errorf("rest: %q", rest)
	}
}

func TestProxyWebSocket(t *testing.T) {
	upgrader := websocket.Upgrader{}
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			mt, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			if err := c.WriteMessage(mt, append([]byte("echo "), msg...)); err != nil {
				return
			}
		}
	}))
	q := startQueue(t, testConfig(port))
	c, res, err := websocket.DefaultDialer.Dial("ws://"+q.mainAddr+"/ws", nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	if res.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("status %d", res.StatusCode)
	}
	for i := range 3 {
		msg := fmt.Sprintf("hello %d", i)
		if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		_, got, err := c.ReadMessage()
		if err != nil || string(got) != "echo "+msg {
			t.Fatalf("got %q %v, want %q", got, err, "echo "+msg)
		}
	}
	// The upgraded connection counts as in flight until it closes.
	if n := q.srv.Drainer().InFlight(); n != 1 {
		t.Errorf("in flight with an open WebSocket: %d, want 1", n)
	}
	c.Close()
	eventually(t, 2*time.Second, "the WebSocket to leave", func() bool { return q.srv.Drainer().InFlight() == 0 })
}

func TestProxyUserContainerDown(t *testing.T) {
	l := listen(t)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there
	q := startQueue(t, testConfig(port))
	code, body := q.get(t, "/", nil)
	if code != http.StatusBadGateway || !strings.Contains(body, "error reaching the user container") {
		t.Errorf("got %d %q, want 502", code, body)
	}
}

func TestProbesAreAnsweredByTheQueue(t *testing.T) {
	var hits atomic.Int64
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
	}))
	q := startQueue(t, testConfig(port))
	q.waitReady(t)

	code, body := q.get(t, "/", http.Header{ProbeHeader: {ProbeValue}})
	if code != http.StatusOK || body != ProbeValue {
		t.Errorf("K-Network-Probe: queue answered %d %q, want 200 %q", code, body, ProbeValue)
	}
	// The kubelet's probe (its User-Agent) is the same probe.
	if code := q.probe(t, "kube-probe/1.37"); code != http.StatusOK {
		t.Errorf("kubelet probe: %d", code)
	}
	code, _ = q.get(t, "/", http.Header{ProbeHeader: {"activator"}})
	if code != http.StatusBadRequest {
		t.Errorf("K-Network-Probe: activator answered %d, want 400", code)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the user container saw %d probe requests, want none", n)
	}
	if code, _ := q.get(t, "/", nil); code != http.StatusOK || hits.Load() != 1 {
		t.Errorf("a plain request: %d, user hits %d", code, hits.Load())
	}
	// Probes are not requests: neither the autoscaler nor the metrics see
	// them.
	rep := q.srv.Stats().Report(time.Now())
	if rep.RequestCount != 1 {
		t.Errorf("stats counted %d requests, want 1 (probes excluded)", rep.RequestCount)
	}
}

func TestJoinComma(t *testing.T) {
	if got := joinComma([]string{"a", "b, c", "d"}); got != "a, b, c, d" {
		t.Errorf("got %q", got)
	}
	if !bytes.Equal([]byte(joinComma([]string{"x"})), []byte("x")) {
		t.Error("single value")
	}
}

// TestWebSocketClosedAtRevisionTimeout: as in Knative, timeoutSeconds
// bounds an upgraded connection too.
func TestWebSocketClosedAtRevisionTimeout(t *testing.T) {
	upgrader := websocket.Upgrader{}
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}))
	cfg := testConfig(port)
	cfg.RevisionTimeout = 300 * time.Millisecond
	cfg.IdleTimeout = 100 * time.Millisecond // does not apply once upgraded
	q := startQueue(t, cfg)
	c, _, err := websocket.DefaultDialer.Dial("ws://"+q.mainAddr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err = c.ReadMessage()
	took := time.Since(start)
	if err == nil {
		t.Fatal("read a message")
	}
	if took < 200*time.Millisecond || took > 2*time.Second {
		t.Errorf("closed after %v, want at the 300ms revision timeout (not the 100ms idle timeout)", took)
	}
}
