package queue

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// rawClient is one client connection to the queue, written and read by
// hand, so tests control exactly what is on the wire.
type rawClient struct {
	t    *testing.T
	conn net.Conn
	br   *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *rawClient {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	return &rawClient{t: t, conn: c, br: bufio.NewReader(c)}
}

func (c *rawClient) send(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, s); err != nil {
		c.t.Fatal(err)
	}
}

// response reads one response to a request with method.
func (c *rawClient) response(method string) (*http.Response, string) {
	c.t.Helper()
	res, err := http.ReadResponse(c.br, &http.Request{Method: method})
	if err != nil {
		c.t.Fatalf("reading a response: %v", err)
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("reading the body: %v", err)
	}
	return res, string(b)
}

// closed reports whether the queue closed the connection.
func (c *rawClient) closed() bool {
	_ = c.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, err := c.br.ReadByte()
	return err == io.EOF
}

func TestParseSimpleRequest(t *testing.T) {
	for _, tc := range []struct {
		name, head string
		simple     bool
	}{
		{"plain GET", "GET /a?b=c HTTP/1.1\r\nHost: h\r\nUser-Agent: x\r\n\r\n", true},
		{"POST with a length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n", true},
		{"keep-alive and close", "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", true},
		{"HTTP/1.0", "GET / HTTP/1.0\r\nHost: h\r\n\r\n", false},
		{"h2c preface", "PRI * HTTP/2.0\r\n\r\n", false},
		{"no Host", "GET / HTTP/1.1\r\nX: y\r\n\r\n", false},
		{"two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", false},
		{"absolute form", "GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n", false},
		{"chunked upload", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", false},
		{"two lengths", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", false},
		{"signed length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\n", false},
		{"upgrade", "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", false},
		{"expect", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\n", false},
		{"header without colon", "GET / HTTP/1.1\r\nHost: h\r\nBad Header\r\n\r\n", false},
		{"space in a name", "GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n", false},
		{"folded line", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", false},
		{"control byte", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01b\r\n\r\n", false},
		{"bare LF", "GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n", false},
		{"space in the target", "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r simpleRequest
			if got := parseSimpleRequest([]byte(tc.head), &r); got != tc.simple {
				t.Errorf("simple = %v, want %v", got, tc.simple)
			}
		})
	}

	var r simpleRequest
	head := "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 1.2.3.4\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\n" +
		"K-Original-Host: o.example.com\r\nKnative-Serving-Revision: r\r\nK-Proxy-Request: activator\r\nX-A: b\r\n\r\n"
	if !parseSimpleRequest([]byte(head), &r) || !r.proxied || r.probe || r.closeAfter {
		t.Fatalf("parsed %+v", r)
	}
	want := "GET / HTTP/1.1\r\nHost: o.example.com\r\nK-Proxy-Request: activator\r\nX-A: b\r\nX-Forwarded-For: 1.2.3.4, 10.0.0.9\r\n\r\n"
	if got := string(r.appendUpstreamHead(nil, "10.0.0.9")); got != want {
		t.Errorf("upstream head:\n%q\nwant\n%q", got, want)
	}
	for _, probe := range []string{"K-Network-Probe: queue", "User-Agent: kube-probe/1.37", "K-Kubelet-Probe: x"} {
		if !parseSimpleRequest([]byte("GET / HTTP/1.1\r\nHost: h\r\n"+probe+"\r\n\r\n"), &r) || !r.probe {
			t.Errorf("%s: not a probe", probe)
		}
	}
}

func TestParseResponseHead(t *testing.T) {
	var h responseHead
	for _, bad := range []string{
		"HTTP/2 200 OK\r\n\r\n",
		"HTTP/1.1 2000 OK\r\n\r\n",
		"HTTP/1.1 abc\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
		"HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
	} {
		if err := parseResponseHead([]byte(bad), &h); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
	for head, rewrite := range map[string]bool{
		"HTTP/1.1 204\r\n\r\n":                     false,
		"HTTP/1.1 204\n\n":                         true,
		"HTTP/1.1 200 OK\r\nX: y\n\r\n":            true,
		"HTTP/1.1 200 OK\nContent-Length: 0\r\n\n": true,
	} {
		if err := parseResponseHead([]byte(head), &h); err != nil || h.rewrite != rewrite || h.status/100 != 2 {
			t.Errorf("%q: %+v %v; want rewrite %v", head, h, err, rewrite)
		}
	}
	if err := parseResponseHead([]byte("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n"), &h); err != nil || h.contentLength != 3 || !h.keepAlive || h.rewrite {
		t.Errorf("repeated equal length: %+v %v", h, err)
	}
	if err := parseResponseHead([]byte("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nX: y\r\n\r\n"), &h); err != nil ||
		!h.keepAlive || !h.rewrite || h.contentLength != -1 || len(h.lines) != 1 {
		t.Errorf("HTTP/1.0 keep-alive: %+v %v", h, err)
	}
	if err := parseResponseHead([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\nConnection: close\r\n\r\n"), &h); err != nil ||
		!h.chunked || h.contentLength != -1 || h.keepAlive {
		t.Errorf("chunked with a length, close: %+v %v", h, err)
	}
}

func TestHeadLength(t *testing.T) {
	for buf, want := range map[string]int{
		"":                                      0,
		"GET / HTTP/1.1\r\nHost: h\r\n":         0,
		"GET / HTTP/1.1\r\nHost: h\r\n\r":       0,
		"GET / HTTP/1.1\r\nHost: h\r\n\r\nbody": 27,
		"GET / HTTP/1.1\nHost: h\n\nbody":       24,
		"GET / HTTP/1.1\r\nHost: h\n\r\n":       26,
		"\n\n":                                  2,
	} {
		if got := headLength([]byte(buf), 0); got != want {
			t.Errorf("headLength(%q) = %d; want %d", buf, got, want)
		}
	}
	// Resuming where an earlier search stopped finds a blank line split
	// across reads.
	buf := []byte("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
	for searched := 0; searched < len(buf); searched++ {
		if got := headLength(buf, max(searched-2, 0)); got != len(buf) {
			t.Errorf("after searching %d bytes: %d; want %d", searched, got, len(buf))
		}
	}
}

func TestChunkSize(t *testing.T) {
	for line, want := range map[string]int64{"0\r\n": 0, "1a\r\n": 26, "FF;name=v\r\n": 255, "10 \r\n": 16} {
		if n, ok := chunkSize([]byte(line)); !ok || n != want {
			t.Errorf("%q: %d %v, want %d", line, n, ok, want)
		}
	}
	for _, line := range []string{"\r\n", "x\r\n", "-1\r\n", "1234567890abcdef0\r\n"} {
		if _, ok := chunkSize([]byte(line)); ok {
			t.Errorf("%q: accepted", line)
		}
	}
}

// TestFastPathOnTheWire drives the fast path with hand-written requests
// against a real user server.
func TestFastPathOnTheWire(t *testing.T) {
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/chunked":
			fmt.Fprint(w, "one")
			w.(http.Flusher).Flush()
			fmt.Fprint(w, "two")
		case "/early-hints":
			w.Header().Set("Link", "</style.css>; rel=preload")
			w.WriteHeader(http.StatusEarlyHints)
			fmt.Fprint(w, "hinted")
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("X-Proto", r.Proto)
			fmt.Fprintf(w, "%s %s len=%d te=%v", r.Method, r.URL.Path, len(b), r.TransferEncoding)
		}
	}))
	q := startQueue(t, testConfig(port))

	t.Run("pipelined requests answer in order", func(t *testing.T) {
		c := dialRaw(t, q.mainAddr)
		c.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyzHEAD /c HTTP/1.1\r\nHost: h\r\n\r\n")
		for _, want := range []string{"GET /a len=0 te=[]", "POST /b len=3 te=[]"} {
			if res, body := c.response("GET"); res.StatusCode != 200 || body != want {
				t.Errorf("got %d %q, want %q", res.StatusCode, body, want)
			}
		}
		// HEAD: a length, no body, and the connection still works.
		if res, body := c.response("HEAD"); res.StatusCode != 200 || body != "" || res.ContentLength != int64(len("HEAD /c len=0 te=[]")) {
			t.Errorf("HEAD: %d %q length %d", res.StatusCode, body, res.ContentLength)
		}
		c.send("GET /empty HTTP/1.1\r\nHost: h\r\n\r\nGET /after HTTP/1.1\r\nHost: h\r\n\r\n")
		if res, body := c.response("GET"); res.StatusCode != http.StatusNoContent || body != "" {
			t.Errorf("204: %d %q", res.StatusCode, body)
		}
		if _, body := c.response("GET"); body != "GET /after len=0 te=[]" {
			t.Errorf("after a 204: %q", body)
		}
	})

	t.Run("a body larger than the buffer streams", func(t *testing.T) {
		c := dialRaw(t, q.mainAddr)
		n := 3*clientReadBuffer + 17
		c.send("PUT /big HTTP/1.1\r\nHost: h\r\nContent-Length: " + strconv.Itoa(n) + "\r\n\r\n" + strings.Repeat("x", n))
		if _, body := c.response("PUT"); body != fmt.Sprintf("PUT /big len=%d te=[]", n) {
			t.Errorf("got %q", body)
		}
		c.send("GET /next HTTP/1.1\r\nHost: h\r\n\r\n")
		if _, body := c.response("GET"); body != "GET /next len=0 te=[]" {
			t.Errorf("next: %q", body)
		}
	})

	t.Run("chunked responses pass through", func(t *testing.T) {
		c := dialRaw(t, q.mainAddr)
		c.send("GET /chunked HTTP/1.1\r\nHost: h\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n")
		res, body := c.response("GET")
		if body != "onetwo" || len(res.TransferEncoding) != 1 || res.TransferEncoding[0] != "chunked" {
			t.Errorf("got %q %v", body, res.TransferEncoding)
		}
		if _, body := c.response("GET"); body != "GET /x len=0 te=[]" {
			t.Errorf("after chunks: %q", body)
		}
	})

	t.Run("early hints come first", func(t *testing.T) {
		c := dialRaw(t, q.mainAddr)
		c.send("GET /early-hints HTTP/1.1\r\nHost: h\r\n\r\n")
		line, _ := c.br.ReadString('\n')
		if line != "HTTP/1.1 103 Early Hints\r\n" {
			t.Fatalf("first line %q", line)
		}
		for line != "\r\n" {
			line, _ = c.br.ReadString('\n')
		}
		if res, body := c.response("GET"); res.StatusCode != 200 || body != "hinted" {
			t.Errorf("got %d %q", res.StatusCode, body)
		}
	})

	t.Run("Connection: close closes after the answer", func(t *testing.T) {
		c := dialRaw(t, q.mainAddr)
		c.send("GET /bye HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
		if res, _ := c.response("GET"); !res.Close {
			t.Errorf("no Connection: close in %v", res.Header)
		}
		if !c.closed() {
			t.Error("the connection stayed open")
		}
	})

	t.Run("other requests go to net/http on the same connection", func(t *testing.T) {
		c := dialRaw(t, q.mainAddr)
		c.send("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
		if _, body := c.response("POST"); body != "POST /up len=3 te=[chunked]" {
			t.Errorf("chunked upload: %q", body)
		}
		c.send("GET /then HTTP/1.1\r\nHost: h\r\n\r\n")
		if _, body := c.response("GET"); body != "GET /then len=0 te=[]" {
			t.Errorf("then: %q", body)
		}
		c.send("GET / HTTP/1.1\r\nHost: h\r\nBad Header\r\n\r\n")
		if res, _ := c.response("GET"); res.StatusCode != http.StatusBadRequest {
			t.Errorf("malformed header: %d, want 400", res.StatusCode)
		}
	})

	t.Run("HTTP/1.0", func(t *testing.T) {
		c := dialRaw(t, q.mainAddr)
		c.send("GET /old HTTP/1.0\r\n\r\n")
		if res, body := c.response("GET"); res.StatusCode != 200 || body != "GET /old len=0 te=[]" {
			t.Errorf("got %d %q", res.StatusCode, body)
		}
	})

	// The books close just after the last byte is sent.
	eventually(t, 2*time.Second, "no request in flight after all answers", func() bool { return q.srv.Drainer().InFlight() == 0 })
}

// rawUser is a user container written by hand: each connection answers
// one request with reply and then, if closeAfter, closes without saying
// so, like a server whose keep-alive timeout passed.
func rawUser(t *testing.T, reply string, closeAfter bool) (port int, accepted func() int) {
	t.Helper()
	l := listen(t)
	t.Cleanup(func() { l.Close() })
	count := make(chan int, 1)
	count <- 0
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			count <- <-count + 1
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					if _, err := http.ReadRequest(br); err != nil {
						return
					}
					if _, err := io.WriteString(c, reply); err != nil || closeAfter {
						return
					}
				}
			}()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port, func() int { n := <-count; count <- n; return n }
}

func TestFastPathRetriesAConnectionTheUserClosed(t *testing.T) {
	port, accepted := rawUser(t, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true)
	cfg := testConfig(port)
	q := startQueue(t, cfg)
	c := dialRaw(t, q.mainAddr)
	for i := range 3 {
		c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
		if res, body := c.response("GET"); res.StatusCode != 200 || body != "ok" {
			t.Fatalf("request %d: %d %q", i, res.StatusCode, body)
		}
		time.Sleep(20 * time.Millisecond) // the close reaches the queue
	}
	if n := accepted(); n < 3 {
		t.Errorf("the user container accepted %d connections for 3 requests it closed after", n)
	}
}

func TestFastPathResponsesWithoutLength(t *testing.T) {
	// An HTTP/1.0-style answer ends when the user container closes: the
	// client gets it whole and a closed connection.
	port, _ := rawUser(t, "HTTP/1.0 200 OK\r\nKeep-Alive: timeout=5\r\nX-User: yes\r\n\r\nall of it", true)
	cfg := testConfig(port)
	q := startQueue(t, cfg)
	c := dialRaw(t, q.mainAddr)
	c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
	res, body := c.response("GET")
	if res.StatusCode != 200 || body != "all of it" || !res.Close || res.Header.Get("X-User") != "yes" || res.Header.Get("Keep-Alive") != "" {
		t.Errorf("got %d %q close=%v %v", res.StatusCode, body, res.Close, res.Header)
	}
	if res.ProtoMinor != 1 {
		t.Errorf("proto %s, want HTTP/1.1 from the queue", res.Proto)
	}
}

func TestFastPathMalformedResponse(t *testing.T) {
	port, _ := rawUser(t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", false)
	cfg := testConfig(port)
	q := startQueue(t, cfg)
	c := dialRaw(t, q.mainAddr)
	c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
	if res, body := c.response("GET"); res.StatusCode != http.StatusBadGateway || !strings.Contains(body, "malformed response head") {
		t.Errorf("got %d %q, want 502", res.StatusCode, body)
	}
}

func TestFastPathClientLeaving(t *testing.T) {
	cancelled := make(chan struct{})
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/hang" {
			return
		}
		<-r.Context().Done()
		close(cancelled)
	}))
	q := startQueue(t, testConfig(port))
	q.waitReady(t)
	c := dialRaw(t, q.mainAddr)
	c.send("GET /hang HTTP/1.1\r\nHost: h\r\n\r\n")
	eventually(t, 2*time.Second, "the request in flight", func() bool { return q.srv.Drainer().InFlight() == 1 })
	time.Sleep(2 * watchClientAfter)
	c.conn.Close()
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the user container's request was not cancelled when the client left")
	}
	eventually(t, 2*time.Second, "the request to leave", func() bool { return q.srv.Drainer().InFlight() == 0 })
}

func TestFastPathFailureWithAStreamedBody(t *testing.T) {
	l := listen(t)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there
	q := startQueue(t, testConfig(port))
	c := dialRaw(t, q.mainAddr)
	// The 502 comes before the body is read: the connection must close,
	// or the body would be read as the next request.
	n := 2 * clientReadBuffer
	c.send("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: " + strconv.Itoa(n) + "\r\n\r\n")
	if res, _ := c.response("PUT"); res.StatusCode != http.StatusBadGateway || !res.Close {
		t.Errorf("got %d close=%v, want 502 and Connection: close", res.StatusCode, res.Close)
	}
	// A small body is read whole first: the connection stays.
	c = dialRaw(t, q.mainAddr)
	c.send("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi")
	if res, _ := c.response("PUT"); res.StatusCode != http.StatusBadGateway || res.Close {
		t.Errorf("got %d close=%v, want 502 on a kept connection", res.StatusCode, res.Close)
	}
}

func TestFastPathSlowHead(t *testing.T) {
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	srv, err := NewServer(testConfig(port))
	if err != nil {
		t.Fatal(err)
	}
	l := listen(t)
	door := newFrontDoor(srv.handler, l, net.JoinHostPort(localhost, strconv.Itoa(port)), 10)
	door.headerTimeout = 200 * time.Millisecond
	go func() { _ = door.serve() }()
	t.Cleanup(door.close)

	// A head that stops half-way is cut after the timeout.
	c := dialRaw(t, l.Addr().String())
	c.send("GET / HTTP/1.1\r\nHo")
	start := time.Now()
	if !c.closed() {
		t.Fatal("a half head kept the connection open")
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("closed after %v, want about the 200ms header timeout", d)
	}

	// An idle keep-alive connection is not cut, and a head arriving in
	// pieces within the timeout is served.
	c = dialRaw(t, l.Addr().String())
	c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
	if _, body := c.response("GET"); body != "ok" {
		t.Fatalf("got %q", body)
	}
	time.Sleep(400 * time.Millisecond)
	c.send("GET / HTTP/1.1\r\n")
	time.Sleep(50 * time.Millisecond)
	c.send("Host: h\r\n\r\n")
	if _, body := c.response("GET"); body != "ok" {
		t.Fatalf("after an idle spell: %q", body)
	}
}

func TestFastPathClientLeavingWhileQueued(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int64
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hold" {
			hits.Add(1)
			<-release
		}
	}))
	cfg := testConfig(port)
	cfg.ContainerConcurrency = 1
	q := startQueue(t, cfg)
	q.waitReady(t)
	defer close(release)

	holder := dialRaw(t, q.mainAddr)
	holder.send("GET /hold HTTP/1.1\r\nHost: h\r\n\r\n")
	eventually(t, 2*time.Second, "the first request to hold the slot", func() bool { return hits.Load() == 1 })
	queued := dialRaw(t, q.mainAddr)
	queued.send("GET /hold HTTP/1.1\r\nHost: h\r\n\r\n")
	b := q.handlerBreaker()
	eventually(t, 2*time.Second, "the second request to queue", func() bool { return b.Waiting() == 1 })
	queued.conn.Close()
	eventually(t, 5*time.Second, "the queued request to leave", func() bool { return b.Waiting() == 0 && q.srv.Drainer().InFlight() == 1 })
	if n := hits.Load(); n != 1 {
		t.Errorf("the user container got %d requests, want only the first", n)
	}
}

func TestFastPathBareLineFeeds(t *testing.T) {
	// Lines ending in a bare LF are tolerated, as net/http tolerates
	// them: a request is handed to net/http, an answer is passed on with
	// CRLF lines.
	port, _ := rawUser(t, "HTTP/1.1 103 Early Hints\nLink: </a>\n\nHTTP/1.1 200 OK\nContent-Length: 2\nX-User: yes\n\nok", false)
	cfg := testConfig(port)
	q := startQueue(t, cfg)
	for _, req := range []string{
		"GET / HTTP/1.1\nHost: h\n\n",
		"GET / HTTP/1.1\r\nHost: h\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
	} {
		c := dialRaw(t, q.mainAddr)
		c.send(req)
		res, body := c.response("GET")
		for res.StatusCode < 200 {
			res, body = c.response("GET")
		}
		if res.StatusCode != 200 || body != "ok" || res.Header.Get("X-User") != "yes" {
			t.Errorf("%q: got %d %q %v", req, res.StatusCode, body, res.Header)
		}
	}
	// What the client gets on the fast path has CRLF lines only.
	c := dialRaw(t, q.mainAddr)
	c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
	var got []byte
	for !bytes.HasSuffix(got, []byte("\r\n\r\nok")) {
		b, err := c.br.ReadByte()
		if err != nil {
			t.Fatalf("reading the response: %v after %q", err, got)
		}
		got = append(got, b)
	}
	if !bytes.HasPrefix(got, []byte("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\n")) ||
		bytes.Count(got, []byte("\n")) != bytes.Count(got, []byte("\r\n")) {
		t.Errorf("the client got %q; want CRLF lines only", got)
	}
}
