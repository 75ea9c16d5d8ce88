package queue

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"sync"
	"time"

	"k8s.io/klog/v2"
)

// Headers the queue reads or rewrites (Knative's names).
const (
	// ProbeHeader marks a probe the queue answers itself; the value it
	// answers is ProbeValue.
	ProbeHeader = "K-Network-Probe"
	// ProbeValue is the queue's component name, what its probes carry.
	ProbeValue = "queue"
	// ProxyHeader marks a request proxied by the gateway (Knative's
	// activator sends "K-Proxy-Request: activator"); any value counts.
	ProxyHeader = "K-Proxy-Request"
	// OriginalHostHeader, when set, replaces Host toward the user
	// container (Knative's header.OriginalHostKey).
	OriginalHostHeader = "K-Original-Host"
	// KubeletProbeHeader marks a kubelet probe, like a kube-probe/
	// User-Agent.
	KubeletProbeHeader = "K-Kubelet-Probe"
)

// revisionHeaders are the activator's routing headers, pruned before the
// user container as Knative's queue-proxy does.
var revisionHeaders = []string{"Knative-Serving-Revision", "Knative-Serving-Namespace"}

// NewProxy returns the reverse proxy to the user container on
// 127.0.0.1:userPort: HTTP/1.1 for HTTP/1 requests and h2c (prior
// knowledge) for HTTP/2 ones, keep-alive connections in a pool of
// maxIdle, no compression, X-Forwarded-For appended, Host kept. Responses
// without a Content-Length (streaming, chunked) and text/event-stream are
// flushed as each chunk arrives; upgrades (WebSockets) are spliced.
func NewProxy(userPort, maxIdle int) *httputil.ReverseProxy {
	target := net.JoinHostPort(localhost, strconv.Itoa(userPort))
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	newTransport := func() *http.Transport {
		return &http.Transport{
			DialContext:         dialer.DialContext,
			MaxIdleConns:        maxIdle,
			MaxIdleConnsPerHost: maxIdle,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		}
	}
	h1 := newTransport()
	h2c := newTransport()
	h2c.Protocols = new(http.Protocols)
	h2c.Protocols.SetUnencryptedHTTP2(true)
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme = "http"
			pr.Out.URL.Host = target
			// Host stays the client's (pr.Out is a clone of pr.In); the
			// gateway's X-Forwarded-Host/-Proto pass through, and this hop
			// joins X-Forwarded-For.
			h := pr.Out.Header
			for _, k := range []string{"X-Forwarded-Host", "X-Forwarded-Proto"} {
				if v, ok := pr.In.Header[k]; ok {
					h[k] = v
				}
			}
			if ip, _, err := net.SplitHostPort(pr.In.RemoteAddr); err == nil {
				if prior := pr.In.Header.Values("X-Forwarded-For"); len(prior) > 0 {
					ip = joinComma(prior) + ", " + ip
				}
				h.Set("X-Forwarded-For", ip)
			}
			if host := h.Get(OriginalHostHeader); host != "" {
				pr.Out.Host = host
				h.Del(OriginalHostHeader)
			}
			for _, k := range revisionHeaders {
				h.Del(k)
			}
		},
		Transport: roundTripperFunc(func(r *http.Request) (*http.Response, error) {
			if r.ProtoMajor == 2 {
				return h2c.RoundTrip(r)
			}
			return h1.RoundTrip(r)
		}),
		BufferPool:   newBufferPool(),
		ErrorHandler: proxyError,
		ErrorLog:     log.New(klogWriter{}, "", 0),
	}
}

func joinComma(vs []string) string {
	if len(vs) == 1 {
		return vs[0]
	}
	n := 0
	for _, v := range vs {
		n += len(v) + 2
	}
	b := make([]byte, 0, n)
	for i, v := range vs {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, v...)
	}
	return string(b)
}

// proxyError answers 502 when the user container cannot be reached. A
// request whose context ended (client gone, timed out) gets nothing more:
// the timeout handler answers a timeout itself.
func proxyError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		if errors.Is(context.Cause(r.Context()), errTimeout) {
			return
		}
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	klog.V(1).InfoS("Proxying to the user container failed", "method", r.Method, "path", r.URL.Path, "err", err)
	http.Error(w, "error reaching the user container: "+err.Error(), http.StatusBadGateway)
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// bufferPool recycles the proxy's 32 KiB copy buffers.
type bufferPool struct{ p sync.Pool }

func newBufferPool() *bufferPool {
	return &bufferPool{p: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}
}

func (b *bufferPool) Get() []byte { return *b.p.Get().(*[]byte) }

func (b *bufferPool) Put(buf []byte) { b.p.Put(&buf) }
