package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// TestDecodeProbes decodes what Knative's reconciler encodes: a
// corev1.Probe marshalled to JSON.
func TestDecodeProbes(t *testing.T) {
	encode := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, tc := range []struct {
		name, encoded string
		want          []*Probe
	}{{
		name: "empty: Knative's aggressive TCP probe of the user port",
		want: []*Probe{{TCPSocket: &TCPSocketAction{Host: "127.0.0.1", Port: 8080}, SuccessThreshold: 1}},
	}, {
		name: "Knative's default readiness probe",
		encoded: encode(&corev1.Probe{
			ProbeHandler:     corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Host: "127.0.0.1", Port: intstr.FromInt32(8080)}},
			SuccessThreshold: 1,
		}),
		want: []*Probe{{TCPSocket: &TCPSocketAction{Host: "127.0.0.1", Port: 8080}, SuccessThreshold: 1, FailureThreshold: 3}},
	}, {
		name: "httpGet with a period",
		encoded: encode(&corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
				Path: "/healthz", Port: intstr.FromString("9000"), Scheme: corev1.URISchemeHTTP,
				HTTPHeaders: []corev1.HTTPHeader{{Name: "X-Check", Value: "1"}},
			}},
			InitialDelaySeconds: 2, TimeoutSeconds: 3, PeriodSeconds: 5, SuccessThreshold: 2, FailureThreshold: 4,
		}),
		want: []*Probe{{
			HTTPGet: &HTTPGetAction{Path: "/healthz", Port: 9000, Host: "127.0.0.1", Scheme: "http",
				HTTPHeaders: []HTTPHeader{{Name: "X-Check", Value: "1"}}},
			InitialDelaySeconds: 2, TimeoutSeconds: 3, PeriodSeconds: 5, SuccessThreshold: 2, FailureThreshold: 4,
		}},
	}, {
		name:    "grpc without a port, named httpGet port",
		encoded: `[{"grpc":{"service":"svc"}},{"httpGet":{"port":"http","scheme":"HTTPS"}}]`,
		want: []*Probe{
			{GRPC: &GRPCAction{Port: 8080, Service: ptr.To("svc")}, SuccessThreshold: 1, FailureThreshold: 3},
			{HTTPGet: &HTTPGetAction{Port: 8080, Host: "127.0.0.1", Scheme: "https"}, SuccessThreshold: 1, FailureThreshold: 3},
		},
	}, {
		name: "exec becomes TCP",
		encoded: encode(&corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"true"}}}, PeriodSeconds: 1,
		}),
		want: []*Probe{{TCPSocket: &TCPSocketAction{Host: "127.0.0.1", Port: 8080}, PeriodSeconds: 1, SuccessThreshold: 1, FailureThreshold: 3}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeProbes(tc.encoded, 8080)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := encode(got), encode(tc.want); g != w {
				t.Errorf("got  %s\nwant %s", g, w)
			}
		})
	}
	if _, err := DecodeProbes(`{"httpGet":`, 8080); err == nil {
		t.Error("malformed JSON decoded")
	}
	if _, err := DecodeProbes(`{"httpGet":{"scheme":"FTP"}}`, 8080); err == nil {
		t.Error("scheme FTP accepted")
	}
}

// freePort returns a loopback port nothing listens on.
func freePort(t testing.TB) int {
	l := listen(t)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// startUserLater serves h on port after d.
func startUserLater(t testing.TB, port int, d time.Duration, h http.Handler) {
	srv := &http.Server{Handler: h}
	t.Cleanup(func() { _ = srv.Close() })
	time.AfterFunc(d, func() {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Errorf("listening late: %v", err)
			return
		}
		go func() { _ = srv.Serve(l) }()
	})
}

// TestReadinessUserStartsLate: the queue is not ready while the user
// container does not listen, and turns ready within the aggressive probing
// interval once it does.
func TestReadinessUserStartsLate(t *testing.T) {
	port := freePort(t)
	q := startQueue(t, testConfig(port))
	// A gateway probe is answered at once.
	start := time.Now()
	if code := q.probe(t, ""); code != http.StatusServiceUnavailable {
		t.Fatalf("probe before the user container listens: %d, want 503", code)
	}
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("a not-ready probe took %v", took)
	}
	time.Sleep(200 * time.Millisecond)
	if code := q.probe(t, ""); code != http.StatusServiceUnavailable {
		t.Fatalf("probe: %d, want 503", code)
	}

	listening := time.Now()
	startUserLater(t, port, 0, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	q.waitReady(t)
	if lag := time.Since(listening); lag > 500*time.Millisecond {
		t.Errorf("turned ready %v after the user container listened, want within ~%v", lag, AggressiveInterval)
	}
	if code := q.probe(t, ""); code != http.StatusOK {
		t.Errorf("probe once ready: %d", code)
	}
}

// TestKubeletProbeWaitsForReadiness: the kubelet's probe of a starting
// queue is held until the user container turns ready (up to 0.9s), so the
// pod turns Ready without waiting a probe period.
func TestKubeletProbeWaitsForReadiness(t *testing.T) {
	port := freePort(t)
	q := startQueue(t, testConfig(port))
	startUserLater(t, port, 300*time.Millisecond, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	start := time.Now()
	code := q.probe(t, "kube-probe/1.37")
	took := time.Since(start)
	if code != http.StatusOK {
		t.Fatalf("kubelet probe: %d after %v, want 200 once the user container listens", code, took)
	}
	if took < 250*time.Millisecond || took > kubeletProbeHold {
		t.Errorf("answered after %v, want soon after the user container listened (300ms)", took)
	}
	// Without a user container the kubelet gets 503 after the hold.
	q2 := startQueue(t, testConfig(freePort(t)))
	start = time.Now()
	if code := q2.probe(t, "kube-probe/1.37"); code != http.StatusServiceUnavailable {
		t.Errorf("kubelet probe without a user container: %d", code)
	}
	if took := time.Since(start); took < kubeletProbeHold-50*time.Millisecond || took > 2*time.Second {
		t.Errorf("held for %v, want about %v", took, kubeletProbeHold)
	}
}

func TestHTTPReadinessProbe(t *testing.T) {
	var healthy atomic.Bool
	var sawHeader atomic.Bool
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("X-Check") == "1" && r.Host == "probe.example" {
			sawHeader.Store(true)
		}
		if !healthy.Load() {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	probes, err := DecodeProbes(fmt.Sprintf(
		`{"httpGet":{"path":"healthz","port":%d,"httpHeaders":[{"name":"X-Check","value":"1"},{"name":"Host","value":"probe.example"}]},"periodSeconds":1,"failureThreshold":1}`, port), port)
	if err != nil {
		t.Fatal(err)
	}
	r := NewReadiness(probes)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.Run(ctx)

	time.Sleep(150 * time.Millisecond)
	if r.Ready() {
		t.Fatal("ready while /healthz answers 503")
	}
	healthy.Store(true)
	eventually(t, time.Second, "ready after /healthz answers 200", r.Ready)
	if !sawHeader.Load() {
		t.Error("the probe's headers (X-Check, Host) did not reach the user container")
	}
	healthy.Store(false)
	// periodSeconds 1, failureThreshold 1: not ready within about a period.
	eventually(t, 3*time.Second, "not ready after /healthz fails", func() bool { return !r.Ready() })
	healthy.Store(true)
	// Not ready again: probed aggressively.
	start := time.Now()
	eventually(t, time.Second, "ready again", r.Ready)
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("recovery took %v, want the aggressive interval", took)
	}
}

func TestGRPCReadinessProbe(t *testing.T) {
	l := listen(t)
	port := l.Addr().(*net.TCPAddr).Port
	gs := grpc.NewServer()
	hs := health.NewServer()
	healthpb.RegisterHealthServer(gs, hs)
	hs.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	hs.SetServingStatus("svc", healthpb.HealthCheckResponse_SERVING)
	go func() { _ = gs.Serve(l) }()
	t.Cleanup(gs.Stop)

	r := NewReadiness(nil)
	ctx := context.Background()
	check := func(service *string) error {
		return r.probe(ctx, &Probe{GRPC: &GRPCAction{Port: int32(port), Service: service}})
	}
	if err := check(ptr.To("svc")); err != nil {
		t.Errorf("SERVING service: %v", err)
	}
	if err := check(nil); err == nil {
		t.Error("NOT_SERVING service passed")
	}
	if err := check(ptr.To("unknown")); err == nil {
		t.Error("unknown service passed")
	}
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	if err := check(ptr.To("")); err != nil {
		t.Errorf("overall SERVING: %v", err)
	}
	// A server that does not speak gRPC fails.
	_, httpPort := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	if err := r.probe(ctx, &Probe{GRPC: &GRPCAction{Port: int32(httpPort)}}); err == nil {
		t.Error("an HTTP/1 server passed the gRPC probe")
	}
}

func TestReadinessThresholds(t *testing.T) {
	var up atomic.Bool
	up.Store(true)
	_, port := userServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !up.Load() {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	probes, _ := DecodeProbes(fmt.Sprintf(`{"httpGet":{"port":%d},"successThreshold":3}`, port), port)
	r := NewReadiness(probes)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	go r.Run(ctx)
	eventually(t, 2*time.Second, "ready", r.Ready)
	// Three consecutive passes 50ms apart.
	if took := time.Since(start); took < 2*AggressiveInterval {
		t.Errorf("ready after %v: successThreshold 3 not honoured", took)
	}
}
