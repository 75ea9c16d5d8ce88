package queue

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"k8s.io/klog/v2"
)

// Probe is the part of a corev1.Probe the queue runs, with the same JSON:
// SERVING_READINESS_PROBE holds the user container's readiness probe as
// Knative encodes it (one object, or an array when Knative's multi-container
// probing is on). It is knap's own type so the sidecar does not link
// k8s.io/api.
type Probe struct {
	HTTPGet   *HTTPGetAction   `json:"httpGet,omitempty"`
	TCPSocket *TCPSocketAction `json:"tcpSocket,omitempty"`
	GRPC      *GRPCAction      `json:"grpc,omitempty"`
	// Exec is only noticed: Knative turns an exec readiness probe into a TCP
	// probe of the user port, and so does the queue.
	Exec json.RawMessage `json:"exec,omitempty"`

	InitialDelaySeconds int32 `json:"initialDelaySeconds,omitempty"`
	TimeoutSeconds      int32 `json:"timeoutSeconds,omitempty"`
	PeriodSeconds       int32 `json:"periodSeconds,omitempty"`
	SuccessThreshold    int32 `json:"successThreshold,omitempty"`
	FailureThreshold    int32 `json:"failureThreshold,omitempty"`
}

// HTTPGetAction is corev1.HTTPGetAction.
type HTTPGetAction struct {
	Path        string       `json:"path,omitempty"`
	Port        IntOrString  `json:"port,omitempty"`
	Host        string       `json:"host,omitempty"`
	Scheme      string       `json:"scheme,omitempty"`
	HTTPHeaders []HTTPHeader `json:"httpHeaders,omitempty"`
}

// HTTPHeader is corev1.HTTPHeader.
type HTTPHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// TCPSocketAction is corev1.TCPSocketAction.
type TCPSocketAction struct {
	Port IntOrString `json:"port,omitempty"`
	Host string      `json:"host,omitempty"`
}

// GRPCAction is corev1.GRPCAction.
type GRPCAction struct {
	Port    int32   `json:"port"`
	Service *string `json:"service,omitempty"`
}

// IntOrString is a port as intstr.IntOrString encodes it: a number or a
// string. A string that is not a number (a port name) resolves to 0, which
// DecodeProbes turns into the user port: the user container has one port.
type IntOrString int32

// UnmarshalJSON accepts 8080 and "8080".
func (p *IntOrString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		n, err := strconv.ParseInt(s, 10, 32)
		if err != nil {
			n = 0
		}
		*p = IntOrString(n)
		return nil
	}
	var n int32
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*p = IntOrString(n)
	return nil
}

// defaultProbe is Knative's default readiness probe: a TCP connect to the
// user port, probed aggressively (periodSeconds 0).
func defaultProbe(userPort int) *Probe {
	return &Probe{
		TCPSocket:        &TCPSocketAction{Host: localhost, Port: IntOrString(userPort)},
		SuccessThreshold: 1,
	}
}

const localhost = "127.0.0.1"

// DecodeProbes reads SERVING_READINESS_PROBE: empty means Knative's default
// TCP probe of userPort; otherwise one corev1.Probe object or an array of
// them. Missing hosts become 127.0.0.1, missing or named ports userPort,
// exec probes TCP probes of userPort, as Knative's reconciler and queue do.
func DecodeProbes(encoded string, userPort int) ([]*Probe, error) {
	encoded = strings.TrimSpace(encoded)
	if encoded == "" {
		return []*Probe{defaultProbe(userPort)}, nil
	}
	var probes []*Probe
	if encoded[0] == '[' {
		if err := json.Unmarshal([]byte(encoded), &probes); err != nil {
			return nil, fmt.Errorf("decoding probes: %w", err)
		}
	} else {
		p := &Probe{}
		if err := json.Unmarshal([]byte(encoded), p); err != nil {
			return nil, fmt.Errorf("decoding probe: %w", err)
		}
		probes = []*Probe{p}
	}
	out := probes[:0]
	for _, p := range probes {
		if p == nil {
			continue
		}
		switch {
		case p.HTTPGet != nil:
			if p.HTTPGet.Host == "" {
				p.HTTPGet.Host = localhost
			}
			if p.HTTPGet.Port <= 0 {
				p.HTTPGet.Port = IntOrString(userPort)
			}
			switch strings.ToUpper(p.HTTPGet.Scheme) {
			case "", "HTTP":
				p.HTTPGet.Scheme = "http"
			case "HTTPS":
				p.HTTPGet.Scheme = "https"
			default:
				return nil, fmt.Errorf("httpGet.scheme %q: want HTTP or HTTPS", p.HTTPGet.Scheme)
			}
		case p.TCPSocket != nil:
			if p.TCPSocket.Host == "" {
				p.TCPSocket.Host = localhost
			}
			if p.TCPSocket.Port <= 0 {
				p.TCPSocket.Port = IntOrString(userPort)
			}
		case p.GRPC != nil:
			if p.GRPC.Port <= 0 {
				p.GRPC.Port = int32(userPort)
			}
		default: // exec, or no handler at all
			p.TCPSocket = &TCPSocketAction{Host: localhost, Port: IntOrString(userPort)}
		}
		p.Exec = nil
		if p.SuccessThreshold <= 0 {
			p.SuccessThreshold = 1
		}
		if p.FailureThreshold <= 0 {
			p.FailureThreshold = 3
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return []*Probe{defaultProbe(userPort)}, nil
	}
	return out, nil
}

// Readiness timing. Knative's queue-proxy polls a starting container every
// 50ms ("aggressive probing"); knap-queue does so in the background from
// start, so the kubelet's and the gateway's probes only read the result.
const (
	// AggressiveInterval is the gap between probes while not ready.
	AggressiveInterval = 50 * time.Millisecond
	// DefaultAggressiveWindow is how long after start (or after losing
	// readiness) the queue probes every AggressiveInterval before falling
	// back to the probe's period.
	DefaultAggressiveWindow = 2 * time.Minute
	// defaultPeriod is the period of a probe with periodSeconds 0
	// (Knative's aggressive default) once the container is ready.
	defaultPeriod = time.Second
	// defaultProbeTimeout is a probe attempt's timeout without
	// timeoutSeconds (the kubelet's default).
	defaultProbeTimeout = time.Second
	// kubeletProbeHold is how long a kubelet probe of a not-yet-ready queue
	// waits for readiness before answering 503, so the pod turns Ready as
	// soon as the user container does rather than a probe period later. It
	// stays under the kubelet's minimum probe timeout (1s).
	kubeletProbeHold = 900 * time.Millisecond
)

// Readiness probes the user container in the background and holds whether
// it is ready.
type Readiness struct {
	probes []*Probe
	// AggressiveWindow overrides DefaultAggressiveWindow when set before Run.
	AggressiveWindow time.Duration

	ready atomic.Bool
	mu    sync.Mutex
	// changed is closed and replaced whenever ready flips.
	changed chan struct{}

	httpClient *http.Client
	h2cClient  *http.Client
}

// NewReadiness returns a Readiness running probes (all must pass); it is
// not ready until Run sees them pass.
func NewReadiness(probes []*Probe) *Readiness {
	dialer := &net.Dialer{Timeout: defaultProbeTimeout}
	h1 := &http.Transport{
		DialContext:         dialer.DialContext,
		MaxIdleConnsPerHost: 1,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
		// The kubelet does not verify a probe's certificate either.
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // probes skip verification, like the kubelet's
	}
	h2c := &http.Transport{
		DialContext:         dialer.DialContext,
		MaxIdleConnsPerHost: 1,
		IdleConnTimeout:     30 * time.Second,
		Protocols:           new(http.Protocols),
	}
	h2c.Protocols.SetUnencryptedHTTP2(true)
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Readiness{
		probes:     probes,
		changed:    make(chan struct{}),
		httpClient: &http.Client{Transport: h1, CheckRedirect: noRedirect},
		h2cClient:  &http.Client{Transport: h2c},
	}
}

// Ready reports whether the user container passed its readiness probes.
func (r *Readiness) Ready() bool { return r.ready.Load() }

// WaitReady returns true once ready, or false when ctx ends first.
func (r *Readiness) WaitReady(ctx context.Context) bool {
	for {
		r.mu.Lock()
		ch := r.changed
		r.mu.Unlock()
		if r.ready.Load() {
			return true
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return r.ready.Load()
		}
	}
}

func (r *Readiness) set(ready bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ready.Load() == ready {
		return
	}
	r.ready.Store(ready)
	close(r.changed)
	r.changed = make(chan struct{})
}

// Run probes until ctx ends: after the first probe's initialDelaySeconds,
// every AggressiveInterval while not ready (for AggressiveWindow after start
// or after readiness was lost, then at the probe's period), and at the
// probe's period (1s for periodSeconds 0) while ready. successThreshold
// consecutive passes make it ready, failureThreshold consecutive failures
// not ready.
func (r *Readiness) Run(ctx context.Context) {
	defer r.httpClient.CloseIdleConnections()
	defer r.h2cClient.CloseIdleConnections()
	if len(r.probes) == 0 {
		r.set(true) // nothing to wait for
		<-ctx.Done()
		return
	}
	p := r.probes[0] // the user container's: it sets the rhythm
	period := time.Duration(p.PeriodSeconds) * time.Second
	if period <= 0 {
		period = defaultPeriod
	}
	window := r.AggressiveWindow
	if window <= 0 {
		window = DefaultAggressiveWindow
	}
	if d := time.Duration(p.InitialDelaySeconds) * time.Second; d > 0 {
		if !sleep(ctx, d) {
			return
		}
	}
	start := time.Now()
	notReadySince := start
	var successes, failures int32
	var lastErr error
	for ctx.Err() == nil {
		attempt := time.Now()
		err := r.probeOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			successes++
			failures = 0
			if !r.Ready() && successes >= p.SuccessThreshold {
				r.set(true)
				klog.InfoS("User container is ready", "after", time.Since(notReadySince).Round(time.Millisecond))
			}
		} else {
			failures++
			successes = 0
			lastErr = err
			if r.Ready() && failures >= p.FailureThreshold {
				r.set(false)
				notReadySince = time.Now()
				klog.InfoS("User container is no longer ready", "err", err)
			}
		}
		next := period
		if !r.Ready() {
			if time.Since(notReadySince) < window {
				next = AggressiveInterval
			} else if failures > 0 && failures%20 == 1 {
				klog.InfoS("User container is still not ready", "since", time.Since(notReadySince).Round(time.Second), "err", lastErr)
			}
		}
		if !sleep(ctx, next-time.Since(attempt)) {
			return
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// probeOnce runs every probe once; the first error wins.
func (r *Readiness) probeOnce(ctx context.Context) error {
	if len(r.probes) == 1 {
		return r.probe(ctx, r.probes[0])
	}
	errs := make(chan error, len(r.probes))
	for _, p := range r.probes {
		go func() { errs <- r.probe(ctx, p) }()
	}
	var first error
	for range r.probes {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (r *Readiness) probe(ctx context.Context, p *Probe) error {
	timeout := time.Duration(p.TimeoutSeconds) * time.Second
	if timeout <= 0 {
		timeout = defaultProbeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	switch {
	case p.HTTPGet != nil:
		return r.httpProbe(ctx, p.HTTPGet)
	case p.GRPC != nil:
		return r.grpcProbe(ctx, p.GRPC)
	default:
		return tcpProbe(ctx, p.TCPSocket)
	}
}

func tcpProbe(ctx context.Context, a *TCPSocketAction) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(a.Host, strconv.Itoa(int(a.Port))))
	if err != nil {
		return err
	}
	return conn.Close()
}

// probeUserAgent is what the kubelet would send (kube-probe/<version>).
const probeUserAgent = "kube-probe/knap-queue"

func (r *Readiness) httpProbe(ctx context.Context, a *HTTPGetAction) error {
	url := a.Scheme + "://" + net.JoinHostPort(a.Host, strconv.Itoa(int(a.Port))) + "/" + strings.TrimPrefix(a.Path, "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", probeUserAgent)
	for _, h := range a.HTTPHeaders {
		if strings.EqualFold(h.Name, "Host") {
			req.Host = h.Value
			continue
		}
		req.Header.Add(h.Name, h.Value)
	}
	res, err := r.httpClient.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	_ = res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode >= 400 {
		return fmt.Errorf("HTTP probe of %s answered %d", url, res.StatusCode)
	}
	return nil
}

// grpcProbe calls grpc.health.v1.Health/Check over h2c, written out by hand
// so the sidecar does not link gRPC: one length-prefixed HealthCheckRequest
// {service = 1}, one HealthCheckResponse {status = 1} back, SERVING = 1.
func (r *Readiness) grpcProbe(ctx context.Context, a *GRPCAction) error {
	var msg []byte
	if a.Service != nil && *a.Service != "" {
		msg = binary.AppendUvarint([]byte{0x0a}, uint64(len(*a.Service)))
		msg = append(msg, *a.Service...)
	}
	frame := make([]byte, 5, 5+len(msg))
	binary.BigEndian.PutUint32(frame[1:], uint32(len(msg)))
	frame = append(frame, msg...)
	url := "http://" + net.JoinHostPort(localhost, strconv.Itoa(int(a.Port))) + "/grpc.health.v1.Health/Check"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(frame))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/grpc")
	req.Header.Set("TE", "trailers")
	req.Header.Set("User-Agent", probeUserAgent)
	res, err := r.h2cClient.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	_ = res.Body.Close()
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("gRPC health check on port %d answered HTTP %d", a.Port, res.StatusCode)
	}
	status := res.Trailer.Get("Grpc-Status")
	if status == "" {
		status = res.Header.Get("Grpc-Status") // a trailers-only answer
	}
	if status != "0" {
		message := res.Trailer.Get("Grpc-Message")
		if message == "" {
			message = res.Header.Get("Grpc-Message")
		}
		return fmt.Errorf("gRPC health check on port %d failed: grpc-status %s %s", a.Port, status, message)
	}
	if len(body) < 5 || int(binary.BigEndian.Uint32(body[1:5])) != len(body)-5 || body[0] != 0 {
		return fmt.Errorf("gRPC health check on port %d: malformed answer", a.Port)
	}
	serving, err := healthStatus(body[5:])
	if err != nil {
		return fmt.Errorf("gRPC health check on port %d: %w", a.Port, err)
	}
	if serving != 1 {
		return fmt.Errorf("gRPC health check on port %d: status %d, not SERVING", a.Port, serving)
	}
	return nil
}

// healthStatus reads field 1 (status, a varint) of a HealthCheckResponse.
func healthStatus(b []byte) (uint64, error) {
	var status uint64 // absent means UNKNOWN (0)
	for len(b) > 0 {
		tag, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, errors.New("malformed message")
		}
		b = b[n:]
		switch tag & 7 {
		case 0: // varint
			v, n := binary.Uvarint(b)
			if n <= 0 {
				return 0, errors.New("malformed message")
			}
			if tag>>3 == 1 {
				status = v
			}
			b = b[n:]
		case 1: // 64-bit
			if len(b) < 8 {
				return 0, errors.New("malformed message")
			}
			b = b[8:]
		case 2: // length-delimited
			l, n := binary.Uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return 0, errors.New("malformed message")
			}
			b = b[n+int(l):]
		case 5: // 32-bit
			if len(b) < 4 {
				return 0, errors.New("malformed message")
			}
			b = b[4:]
		default:
			return 0, errors.New("malformed message")
		}
	}
	return status, nil
}
