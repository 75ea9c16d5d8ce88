package gateway

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"k8s.io/klog/v2"

	"github.com/knap-dev/knap/pkg/queue"
	"github.com/knap-dev/knap/pkg/rawio"
)

// ProxyHeaderValue is the gateway's K-Proxy-Request value: the queue
// counts such requests as proxied, so the autoscaler does not count them
// twice.
const ProxyHeaderValue = "gateway"

// Connection pool of the shared transport, Knative's activator defaults:
// a pod rarely holds more than a hundred requests at once, and keeping
// their connections saves a handshake per request.
const (
	maxIdleConns        = 1000
	maxIdleConnsPerHost = 100
)

// attempt is a request on its way to a pod: which backend, which pod it
// holds, and which it tried. The handler and the transport share it
// through the request's context, on one goroutine.
type attempt struct {
	rev     *revision
	backend *backend
	ep      *endpoint
	tried   []string
}

type attemptKey struct{}

func withAttempt(ctx context.Context, a *attempt) context.Context {
	return context.WithValue(ctx, attemptKey{}, a)
}

func attemptFrom(ctx context.Context) *attempt {
	a, _ := ctx.Value(attemptKey{}).(*attempt)
	return a
}

// newProxy returns the reverse proxy to revision pods: HTTP/1.1 (h2c for
// HTTP/2 requests) over pooled connections, streaming responses (no
// Content-Length, or text/event-stream) flushed as they come, others
// buffered (FlushInterval 0, as Knative's activator: -1 would flush the
// head alone from a timer goroutine, then each write, costing every
// response two or more writes), upgrades (WebSockets) spliced, and a
// refused connection retried on another pod while no body has been read.
func newProxy() *httputil.ReverseProxy {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	newTransport := func() *http.Transport {
		return &http.Transport{
			DialContext:         rawio.DialContext(dialer.DialContext),
			MaxIdleConns:        maxIdleConns,
			MaxIdleConnsPerHost: maxIdleConnsPerHost,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		}
	}
	h2c := newTransport()
	h2c.Protocols = new(http.Protocols)
	h2c.Protocols.SetUnencryptedHTTP2(true)
	return &httputil.ReverseProxy{
		Rewrite:      rewrite,
		Transport:    &retryTransport{h1: newTransport(), h2c: h2c},
		BufferPool:   newBufferPool(),
		ErrorHandler: proxyError,
		ErrorLog:     log.New(klogWriter{}, "", 0),
	}
}

// rewrite points the request at its attempt's pod. Host stays the
// client's (the user container sees the Route's host, as in Knative);
// the X-Forwarded headers a front proxy set pass through, else the
// gateway sets them; this hop joins X-Forwarded-For.
func rewrite(pr *httputil.ProxyRequest) {
	a := attemptFrom(pr.In.Context())
	pr.Out.URL.Scheme = "http"
	pr.Out.URL.Host = a.ep.addr
	h := pr.Out.Header
	// Rewrite proxies get the X-Forwarded headers removed; restore them.
	for _, k := range []string{"X-Forwarded-Host", "X-Forwarded-Proto"} {
		if v, ok := pr.In.Header[k]; ok {
			h[k] = v
		}
	}
	if h.Get("X-Forwarded-Host") == "" {
		h.Set("X-Forwarded-Host", pr.In.Host)
	}
	if h.Get("X-Forwarded-Proto") == "" {
		proto := "http"
		if pr.In.TLS != nil {
			proto = "https"
		}
		h.Set("X-Forwarded-Proto", proto)
	}
	if ip, _, err := net.SplitHostPort(pr.In.RemoteAddr); err == nil {
		if prior := pr.In.Header.Values("X-Forwarded-For"); len(prior) > 0 {
			ip = strings.Join(prior, ", ") + ", " + ip
		}
		h.Set("X-Forwarded-For", ip)
	}
	for _, kv := range a.backend.appendHeaders {
		h.Set(kv[0], kv[1])
	}
	h.Set(queue.ProxyHeader, ProxyHeaderValue)
}

// retryTransport sends a request to its attempt's pod and, when that pod
// refuses the connection (it is going away; its EndpointSlice has not
// caught up), to another pod with room, as long as nothing of the body
// has been read: a request is never sent twice.
type retryTransport struct {
	h1, h2c http.RoundTripper
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt := t.h1
	if req.ProtoMajor == 2 {
		rt = t.h2c
	}
	a := attemptFrom(req.Context())
	if a == nil {
		return rt.RoundTrip(req)
	}
	var body *trackedBody
	if req.Body != nil && req.Body != http.NoBody {
		// Wrapped here, around what the transport reads and closes.
		body = &trackedBody{rc: req.Body}
		r := *req
		r.Body = body
		req = &r
	}
	resp, err := rt.RoundTrip(req)
	for err != nil && errors.Is(err, syscall.ECONNREFUSED) && !body.wasRead() && req.Context().Err() == nil {
		next := a.rev.balancer.switchEndpoint(a.ep, a.tried)
		if next == nil {
			break
		}
		klog.V(2).InfoS("Pod refused the connection; trying another", "revision", a.rev.key, "refused", a.ep.addr, "next", next.addr)
		a.ep = next
		a.tried = append(a.tried, next.addr)
		req = req.Clone(req.Context())
		req.URL.Host = next.addr
		resp, err = rt.RoundTrip(req)
	}
	return resp, err
}

// trackedBody is a request body that remembers whether it was read, and
// stays open until then so a refused attempt can hand it to the next.
type trackedBody struct {
	rc   io.ReadCloser
	read atomic.Bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	b.read.Store(true)
	return b.rc.Read(p)
}

// Close closes the body once it was read; before, the transport closing
// it after a refused connection must not spoil it for the retry (the
// reverse proxy closes it when it is done).
func (b *trackedBody) Close() error {
	if b.read.Load() {
		return b.rc.Close()
	}
	return nil
}

func (b *trackedBody) wasRead() bool { return b != nil && b.read.Load() }

// proxyError answers 502 when the pod cannot be reached (or the upgrade
// fails); a client already gone gets nothing more.
func proxyError(w http.ResponseWriter, r *http.Request, err error) {
	a := attemptFrom(r.Context())
	if r.Context().Err() != nil {
		w.WriteHeader(statusClientClosed)
		return
	}
	klog.V(1).InfoS("Proxying to the revision failed", "revision", a.rev.key, "pod", a.ep.addr, "err", err)
	http.Error(w, "knap-gateway: error reaching revision "+a.rev.key.String(), http.StatusBadGateway)
}

// bufferPool recycles the proxy's 32 KiB copy buffers.
type bufferPool struct{ p sync.Pool }

func newBufferPool() *bufferPool {
	return &bufferPool{p: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}
}

func (b *bufferPool) Get() []byte { return *b.p.Get().(*[]byte) }

func (b *bufferPool) Put(buf []byte) { b.p.Put(&buf) }

// klogWriter sends net/http's log to klog.
type klogWriter struct{}

func (klogWriter) Write(p []byte) (int, error) {
	klog.InfoDepth(1, strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
