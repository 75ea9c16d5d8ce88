package queue

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func lookupFrom(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

func TestConfigFromEnvDefaults(t *testing.T) {
	c, err := ConfigFromEnv(lookupFrom(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.ServingPort != 8012 || c.UserPort != 8080 || c.MetricsPort != 9090 || c.AdminPort != 8022 ||
		c.ContainerConcurrency != 0 || c.RevisionTimeout != 300*time.Second || c.ResponseStartTimeout != 0 ||
		c.IdleTimeout != 0 || c.DrainSleep != 30*time.Second {
		t.Errorf("defaults: %+v", c)
	}
	if len(c.ReadinessProbes) != 1 || c.ReadinessProbes[0].TCPSocket == nil || c.ReadinessProbes[0].TCPSocket.Port != 8080 {
		t.Errorf("default probe: %+v", c.ReadinessProbes)
	}
}

// TestConfigFromEnvKnative reads the environment Knative's reconciler
// writes for a revision.
func TestConfigFromEnvKnative(t *testing.T) {
	c, err := ConfigFromEnv(lookupFrom(map[string]string{
		"SERVING_NAMESPACE":                       "default",
		"SERVING_SERVICE":                         "hello",
		"SERVING_CONFIGURATION":                   "hello",
		"SERVING_REVISION":                        "hello-00001",
		"QUEUE_SERVING_PORT":                      "8012",
		"QUEUE_SERVING_TLS_PORT":                  "8112",
		"CONTAINER_CONCURRENCY":                   "10",
		"REVISION_TIMEOUT_SECONDS":                "600",
		"REVISION_RESPONSE_START_TIMEOUT_SECONDS": "0",
		"REVISION_IDLE_TIMEOUT_SECONDS":           "30",
		"SERVING_POD":                             "hello-00001-deployment-7d9c-x2",
		"SERVING_POD_IP":                          "10.0.0.7",
		"USER_PORT":                               "9000",
		"SERVING_READINESS_PROBE":                 `{"tcpSocket":{"port":9000,"host":"127.0.0.1"},"successThreshold":1}`,
		"ENABLE_HTTP2_AUTO_DETECTION":             "false",
		"DRAIN_SLEEP":                             "5",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		ServingPort: 8012, UserPort: 9000, MetricsPort: 9090, AdminPort: 8022,
		Namespace: "default", Revision: "hello-00001", Configuration: "hello", Service: "hello",
		Pod: "hello-00001-deployment-7d9c-x2", PodIP: "10.0.0.7",
		ContainerConcurrency: 10, RevisionTimeout: 600 * time.Second, IdleTimeout: 30 * time.Second,
		DrainSleep: 5 * time.Second,
	}
	probes := c.ReadinessProbes
	c.ReadinessProbes = nil
	if fmt.Sprintf("%+v", c) != fmt.Sprintf("%+v", want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
	if len(probes) != 1 || probes[0].TCPSocket.Port != 9000 {
		t.Errorf("probes %+v", probes)
	}
}

func TestConfigFromEnvErrors(t *testing.T) {
	for env, want := range map[string]string{
		"CONTAINER_CONCURRENCY=lots": `CONTAINER_CONCURRENCY="lots": want an integer`,
		"CONTAINER_CONCURRENCY=-1":   `CONTAINER_CONCURRENCY="-1": must not be negative`,
		"USER_PORT=70000":            `USER_PORT="70000": want a port between 1 and 65535`,
		"REVISION_TIMEOUT_SECONDS=x": `REVISION_TIMEOUT_SECONDS="x": want an integer`,
		"DRAIN_SLEEP=soon":           `DRAIN_SLEEP="soon"`,
		"SERVING_READINESS_PROBE={":  `SERVING_READINESS_PROBE: decoding probe`,
	} {
		k, v, _ := strings.Cut(env, "=")
		_, err := ConfigFromEnv(lookupFrom(map[string]string{k: v}))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to say %q", env, err, want)
		}
	}
}

func TestParseDrainSleep(t *testing.T) {
	for in, want := range map[string]time.Duration{"30": 30 * time.Second, "1m": time.Minute, "250ms": 250 * time.Millisecond, "0": 0} {
		if got, err := ParseDrainSleep(in); err != nil || got != want {
			t.Errorf("%q: %v %v, want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"-1", "-1s", "x"} {
		if _, err := ParseDrainSleep(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}
