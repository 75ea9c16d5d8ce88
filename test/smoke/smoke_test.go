// Package smoke builds the real knap-apiserver binary, runs it --standalone
// with its embedded etcd, and drives it with the real kubectl (the one
// hack/kubectl.sh builds), asserting on what a user sees.
package smoke

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	certutil "k8s.io/client-go/util/cert"
	"k8s.io/client-go/util/keyutil"
)

const (
	modulePath = "github.com/knap-dev/knap"
	// readyTimeout bounds how long a start may take before /readyz says ok.
	readyTimeout = 60 * time.Second
	// stopTimeout bounds a SIGTERM shutdown.
	stopTimeout = 30 * time.Second
	// kubectlTimeout bounds a single kubectl invocation.
	kubectlTimeout = 30 * time.Second
	// namespace is where the test puts its objects. Standalone knap has no
	// core API and no namespace lifecycle, so it need not exist.
	namespace = "smoke"
)

func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("smoke test builds and runs knap-apiserver and kubectl; skipped in -short mode")
	}
	root := repoRoot(t)
	kubectlBin := kubectlPath(t, root)
	start := time.Now()
	serverBin := buildServer(t, root)
	t.Logf("built knap-apiserver in %s", time.Since(start).Round(time.Millisecond))

	work := t.TempDir()
	dataDir := filepath.Join(work, "data")
	port := freePort(t)
	srv := startServer(t, serverBin, dataDir, port, filepath.Join(work, "server-1.log"))
	srv.waitReady(t)

	k := &kubectl{bin: kubectlBin, kubeconfig: srv.kubeconfig(), cacheDir: filepath.Join(work, "kubectl-cache")}
	examples := filepath.Join(root, "artifacts", "examples", "serving")

	t.Run("api-resources", func(t *testing.T) {
		out := k.mustRun(t, "api-resources", "--api-group=serving.knative.dev", "--no-headers")
		want := map[string][]string{ // kind -> short names
			"Service":       {"kservice", "ksvc"}, // sorted
			"Configuration": {"cfg", "config"},
			"Revision":      {"rev"},
			"Route":         {"rt"},
		}
		got := map[string][]string{}
		for _, line := range nonEmptyLines(out) {
			f := strings.Fields(line) // NAME SHORTNAMES APIVERSION NAMESPACED KIND
			if len(f) != 5 {
				t.Errorf("unexpected api-resources line %q", line)
				continue
			}
			if f[2] != "serving.knative.dev/v1" || f[3] != "true" {
				t.Errorf("%s: apiVersion %s namespaced %s, want serving.knative.dev/v1 and true", f[4], f[2], f[3])
			}
			short := strings.Split(f[1], ",")
			slices.Sort(short)
			got[f[4]] = short
		}
		for kind, short := range want {
			if !slices.Equal(got[kind], short) {
				t.Errorf("kind %s: short names %v, want %v\n%s", kind, got[kind], short, out)
			}
		}
		if len(got) != len(want) {
			t.Errorf("got kinds %v, want exactly %d\n%s", slices.Sorted(maps.Keys(got)), len(want), out)
		}
	})

	t.Run("apply-examples", func(t *testing.T) {
		for _, f := range []string{"hello-world.yaml", "traffic-split.yaml", "autoscaling.yaml"} {
			out := k.mustRun(t, "apply", "-n", namespace, "-f", filepath.Join(examples, f))
			if !strings.Contains(out, "created") && !strings.Contains(out, "configured") {
				t.Errorf("apply %s: %q", f, out)
			}
		}

		out := k.mustRun(t, "get", "ksvc", "-n", namespace)
		lines := nonEmptyLines(out)
		if len(lines) == 0 {
			t.Fatalf("kubectl get ksvc printed nothing")
		}
		if got, want := strings.Fields(lines[0]), []string{"NAME", "URL", "LATESTCREATED", "LATESTREADY", "READY", "REASON"}; !slices.Equal(got, want) {
			t.Errorf("header %v, want %v", got, want)
		}
		var names []string
		for _, l := range lines[1:] {
			names = append(names, strings.Fields(l)[0])
		}
		slices.Sort(names)
		if want := []string{"autoscale", "canary", "hello"}; !slices.Equal(names, want) {
			t.Errorf("kubectl get ksvc names %v, want %v\n%s", names, want, out)
		}

		got := k.mustRun(t, "get", "ksvc", "hello", "-n", namespace, "-o", "jsonpath="+
			"{.spec.template.spec.containers[0].name}|"+
			"{.spec.template.spec.timeoutSeconds}|"+
			"{.spec.traffic[0].percent}|"+
			`{.metadata.annotations.serving\.knative\.dev/creator}`)
		if want := "user-container|300|100|knap-admin"; got != want {
			t.Errorf("hello defaults (container name|timeoutSeconds|traffic[0].percent|creator) = %q, want %q", got, want)
		}
	})

	t.Run("apply-eventing-examples", func(t *testing.T) {
		out := k.mustRun(t, "apply", "-n", namespace, "-f", filepath.Join(root, "artifacts", "examples", "eventing"))
		for _, want := range []string{
			"broker.eventing.knative.dev/default", "trigger.eventing.knative.dev/orders-created", "trigger.eventing.knative.dev/big-orders",
			"channel.messaging.knative.dev/orders", "inmemorychannel.messaging.knative.dev/order-replies", "subscription.messaging.knative.dev/orders-to-display",
			"pingsource.sources.knative.dev/hello-ping", "sequence.flows.knative.dev/sequence-example",
		} {
			if !strings.Contains(out, want+" created") && !strings.Contains(out, want+" configured") && !strings.Contains(out, want+" unchanged") {
				t.Errorf("apply artifacts/examples/eventing did not create %s:\n%s", want, out)
			}
		}
		// The columns Knative's CRDs print, one table per kind.
		tables := strings.Split(strings.TrimSpace(k.mustRun(t, "get", "brokers,triggers,pingsources", "-n", namespace)), "\n\n")
		want := [][]string{
			{"NAME", "URL", "AGE", "READY", "REASON"},
			{"NAME", "BROKER", "SUBSCRIBER_URI", "AGE", "READY", "REASON"},
			{"NAME", "SINK", "SCHEDULE", "AGE", "READY", "REASON"},
		}
		if len(tables) != len(want) {
			t.Fatalf("kubectl get brokers,triggers,pingsources printed %d tables, want %d:\n%s", len(tables), len(want), strings.Join(tables, "\n\n"))
		}
		for i, table := range tables {
			if got := strings.Fields(nonEmptyLines(table)[0]); !slices.Equal(got, want[i]) {
				t.Errorf("header %v, want %v", got, want[i])
			}
		}
		if got := k.mustRun(t, "get", "trigger", "orders-created", "-n", namespace, "-o", "jsonpath={.spec.broker}|{.metadata.labels.eventing\\.knative\\.dev/broker}"); got != "default|default" {
			t.Errorf("trigger broker|broker label = %q, want default|default", got)
		}
		if got := k.mustRun(t, "get", "broker", "default", "-n", namespace, "-o", "wide", "--no-headers"); !strings.Contains(got, "MTChannelBasedBroker") {
			t.Errorf("get broker -o wide lacks the Class column value MTChannelBasedBroker: %q", got)
		}
	})

	t.Run("apply-build-examples", func(t *testing.T) {
		out := k.mustRun(t, "apply", "-n", namespace, "-f", filepath.Join(root, "artifacts", "examples", "build"))
		for _, want := range []string{
			"task.tekton.dev/build-digest", "taskrun.tekton.dev/build-digest-run",
			"pipeline.tekton.dev/build-and-publish", "pipelinerun.tekton.dev/build-and-publish-run",
		} {
			if !strings.Contains(out, want+" created") && !strings.Contains(out, want+" configured") && !strings.Contains(out, want+" unchanged") {
				t.Errorf("apply artifacts/examples/build did not create %s:\n%s", want, out)
			}
		}
		// The columns Tekton's CRDs print, through the short names.
		tables := strings.Split(strings.TrimSpace(k.mustRun(t, "get", "tr,pr", "-n", namespace)), "\n\n")
		header := []string{"NAME", "SUCCEEDED", "REASON", "STARTTIME", "COMPLETIONTIME"}
		if len(tables) != 2 {
			t.Fatalf("kubectl get tr,pr printed %d tables, want 2:\n%s", len(tables), strings.Join(tables, "\n\n"))
		}
		for _, table := range tables {
			if got := strings.Fields(nonEmptyLines(table)[0]); !slices.Equal(got, header) {
				t.Errorf("header %v, want %v", got, header)
			}
		}
		if got := nonEmptyLines(k.mustRun(t, "get", "tekton", "-n", namespace, "-o", "name")); len(got) != 4 {
			t.Errorf("kubectl get tekton: %v, want the 4 example objects", got)
		}
		got := k.mustRun(t, "get", "tr", "build-digest-run", "-n", namespace, "-o", "jsonpath={.spec.serviceAccountName}|{.spec.timeout}")
		if want := "default|1h0m0s"; got != want {
			t.Errorf("TaskRun defaults (serviceAccountName|timeout) = %q, want %q", got, want)
		}

		cycle := `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: cycle
spec:
  tasks:
  - name: build
    runAfter: [test]
    taskRef: {name: build-digest}
  - name: test
    params:
    - name: digest
      value: $(tasks.build.results.digest)
    taskRef: {name: build-digest}
`
		_, stderr, err := k.runStdin(cycle, "apply", "-n", namespace, "-f", "-")
		if err == nil || !strings.Contains(stderr, "spec.tasks") || !strings.Contains(stderr, "cycle detected") {
			t.Errorf("a Pipeline with a cycle: err %v, stderr %s; want a refusal naming spec.tasks and the cycle", err, stderr)
		}
	})

	t.Run("explain", func(t *testing.T) {
		out := k.mustRun(t, "explain", "ksvc.spec.template.spec.containers")
		if !strings.Contains(out, "image") {
			t.Errorf("kubectl explain ksvc.spec.template.spec.containers does not mention image:\n%s", out)
		}
		out = k.mustRun(t, "explain", "pipelinerun.spec.timeouts")
		for _, want := range []string{"GROUP:      tekton.dev", "pipeline", "finally"} {
			if !strings.Contains(out, want) {
				t.Errorf("kubectl explain pipelinerun.spec.timeouts lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("reject-bad-traffic", func(t *testing.T) {
		_, stderr, err := k.run("apply", "-n", namespace, "-f", filepath.Join(examples, "bad-traffic.yaml"))
		if err == nil {
			t.Fatalf("apply bad-traffic.yaml succeeded, want a rejection")
		}
		if !strings.Contains(stderr, "spec.traffic") {
			t.Errorf("rejection does not name spec.traffic: %s", stderr)
		}
		if _, _, err := k.run("get", "ksvc", "bad-traffic", "-n", namespace); err == nil {
			t.Errorf("rejected Service bad-traffic was stored")
		}
	})

	t.Run("server-side-apply", func(t *testing.T) {
		route := func(config string) string {
			return fmt.Sprintf(`apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: smoke-route
spec:
  traffic:
  - configurationName: %s
    percent: 100
`, config)
		}
		out := k.mustRunStdin(t, route("hello"), "apply", "--server-side", "--field-manager=smoke-a", "-n", namespace, "-f", "-")
		if !strings.Contains(out, "serverside-applied") {
			t.Errorf("server-side apply: %q", out)
		}
		_, stderr, err := k.runStdin(route("other"), "apply", "--server-side", "--field-manager=smoke-b", "-n", namespace, "-f", "-")
		if err == nil {
			t.Fatalf("conflicting server-side apply by another field manager succeeded")
		}
		if !strings.Contains(stderr, "conflict") || !strings.Contains(stderr, "smoke-a") {
			t.Errorf("conflicting apply failed without naming the conflict with smoke-a: %s", stderr)
		}
		if got := k.mustRun(t, "get", "rt", "smoke-route", "-n", namespace, "-o", "jsonpath={.spec.traffic[0].configurationName}"); got != "hello" {
			t.Errorf("after a refused apply, configurationName = %q, want hello", got)
		}
		k.mustRunStdin(t, route("other"), "apply", "--server-side", "--force-conflicts", "--field-manager=smoke-b", "-n", namespace, "-f", "-")
		if got := k.mustRun(t, "get", "rt", "smoke-route", "-n", namespace, "-o", "jsonpath={.spec.traffic[0].configurationName}"); got != "other" {
			t.Errorf("after --force-conflicts, configurationName = %q, want other", got)
		}
	})

	t.Run("field-selectors", func(t *testing.T) {
		// No controller runs here, so no Service has become ready.
		out := k.mustRun(t, "get", "ksvc", "-n", namespace, "--field-selector", "status.ready=Unknown", "-o", "name")
		for _, n := range []string{"hello", "canary", "autoscale"} {
			if !strings.Contains(out, "service.serving.knative.dev/"+n+"\n") {
				t.Errorf("status.ready=Unknown does not list %s:\n%s", n, out)
			}
		}
		if out := k.mustRun(t, "get", "ksvc", "-n", namespace, "--field-selector", "status.ready=True", "-o", "name"); out != "" {
			t.Errorf("status.ready=True lists services no controller made ready:\n%s", out)
		}
		out = k.mustRun(t, "get", "ksvc", "-n", namespace, "--field-selector", "metadata.name=hello,status.latestCreatedRevisionName=", "-o", "name")
		if out != "service.serving.knative.dev/hello\n" {
			t.Errorf("metadata.name=hello,status.latestCreatedRevisionName= lists %q, want only hello", out)
		}
		_, stderr, err := k.run("get", "ksvc", "-n", namespace, "--field-selector", "status.nope=x")
		if err == nil {
			t.Errorf("unsupported field selector status.nope was accepted")
		} else if !strings.Contains(stderr, "status.nope") {
			t.Errorf("unsupported field selector error does not name status.nope: %s", stderr)
		}
	})

	t.Run("refuse-others", func(t *testing.T) {
		caFile := filepath.Join(dataDir, "pki", "ca.crt")
		dir := t.TempDir()
		// Every one of these is refused at kubectl's discovery already
		// (/apis), which is why kubectl get names only the HTTP status
		// (want); a --raw request for the resource gets the server's own
		// message (rawWant).
		type identity struct {
			name, cluster, user, want, rawWant string
		}
		// kubectl prompts for a username when a user has no credentials at
		// all, so the identities without a client certificate carry a bearer
		// token the standalone server does not know: 401.
		cases := []identity{
			{"token-with-ca", "certificate-authority: " + caFile, "token: not-a-knap-token", "You must be logged in to the server", "Unauthorized"},
			{"token-insecure", "insecure-skip-tls-verify: true", "token: not-a-knap-token", "You must be logged in to the server", "Unauthorized"},
		}
		// A certificate from the server's own CA for someone other than the
		// admin authenticates but is not authorized: 403.
		certFile, keyFile := issueClientCert(t, filepath.Join(dataDir, "pki"), dir, "mallory")
		cases = append(cases, identity{
			"other-user-cert", "certificate-authority: " + caFile,
			"client-certificate: " + certFile + "\n    client-key: " + keyFile,
			"Forbidden", `User "mallory" cannot list resource "services"`,
		})
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				path := filepath.Join(dir, c.name+".kubeconfig")
				writeFile(t, path, fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: knap
  cluster:
    server: https://127.0.0.1:%d
    %s
users:
- name: someone
  user:
    %s
contexts:
- name: knap
  context: {cluster: knap, user: someone, namespace: %s}
current-context: knap
`, port, c.cluster, c.user, namespace))
				other := &kubectl{bin: k.bin, kubeconfig: path, cacheDir: filepath.Join(dir, c.name+"-cache")}
				stdout, stderr, err := other.run("get", "ksvc")
				if err == nil {
					t.Fatalf("kubectl get ksvc as %s succeeded:\n%s", c.name, stdout)
				}
				if !strings.Contains(strings.ToLower(stderr), strings.ToLower(c.want)) {
					t.Errorf("kubectl get ksvc as %s (%v): stderr does not say %s:\nstdout:\n%s\nstderr:\n%s", c.name, err, c.want, stdout, stderr)
				}
				if strings.Contains(stdout, "hello") {
					t.Errorf("kubectl get ksvc as %s printed objects:\n%s", c.name, stdout)
				}
				_, stderr, err = other.run("get", "--raw", "/apis/serving.knative.dev/v1/namespaces/"+namespace+"/services")
				if err == nil {
					t.Errorf("kubectl get --raw .../services as %s succeeded", c.name)
				} else if !strings.Contains(strings.ToLower(stderr), strings.ToLower(c.rawWant)) {
					t.Errorf("kubectl get --raw .../services as %s: stderr does not say %s:\n%s", c.name, c.rawWant, stderr)
				}
			})
		}
	})

	t.Run("restart", func(t *testing.T) {
		uid := k.mustRun(t, "get", "ksvc", "hello", "-n", namespace, "-o", "jsonpath={.metadata.uid}")
		pkiBefore := readPKI(t, dataDir)
		if code := srv.stop(t, stopTimeout); code != 0 {
			t.Fatalf("knap-apiserver exited %d after SIGTERM, want 0", code)
		}

		srv = startServer(t, serverBin, dataDir, port, filepath.Join(work, "server-2.log"))
		srv.waitReady(t)
		if !maps.Equal(pkiBefore, readPKI(t, dataDir)) {
			t.Errorf("restart replaced the PKI in %s", filepath.Join(dataDir, "pki"))
		}
		out := k.mustRun(t, "get", "ksvc", "hello", "-n", namespace)
		if !strings.Contains(out, "hello") {
			t.Errorf("kubectl get ksvc hello after restart:\n%s", out)
		}
		if got := k.mustRun(t, "get", "ksvc", "hello", "-n", namespace, "-o", "jsonpath={.metadata.uid}"); got != uid {
			t.Errorf("after restart hello has uid %q, want %q", got, uid)
		}
	})
}

// repoRoot walks up from the working directory to the module's go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.HasPrefix(string(b), "module "+modulePath+"\n") {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod for %s above the working directory", modulePath)
		}
		dir = parent
	}
}

// kubectlPath returns the kubectl hack/kubectl.sh builds. Its failure fails
// the test: CI builds kubectl, so a missing one is a broken setup.
func kubectlPath(t *testing.T, root string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(filepath.Join(root, "hack", "kubectl.sh"))
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("hack/kubectl.sh: %v\n%s", err, stderr.String())
	}
	lines := nonEmptyLines(stdout.String())
	if len(lines) == 0 {
		t.Fatalf("hack/kubectl.sh printed no path\n%s", stderr.String())
	}
	path := lines[len(lines)-1]
	if fi, err := os.Stat(path); err != nil || fi.Mode()&0o111 == 0 {
		t.Fatalf("hack/kubectl.sh printed %q, which is not an executable: %v", path, err)
	}
	return path
}

// buildServer builds knap-apiserver from the working tree into a temp dir.
func buildServer(t *testing.T, root string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "knap-apiserver")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/apiserver")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/apiserver: %v\n%s", err, out)
	}
	return bin
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// server is one knap-apiserver process.
type server struct {
	dataDir string
	logFile string
	cmd     *exec.Cmd
	done    chan struct{} // closed when the process has exited
	waitErr error         // valid once done is closed
}

// startServer starts knap-apiserver --standalone; t.Cleanup kills it if it
// is still running and, when the test failed, prints the tail of its log.
func startServer(t *testing.T, bin, dataDir string, port int, logFile string) *server {
	t.Helper()
	log, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin,
		"--standalone",
		"--data-dir", dataDir,
		"--bind-address", "127.0.0.1",
		"--secure-port", strconv.Itoa(port),
	)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		t.Fatalf("starting knap-apiserver: %v", err)
	}
	s := &server{dataDir: dataDir, logFile: logFile, cmd: cmd, done: make(chan struct{})}
	go func() {
		s.waitErr = cmd.Wait()
		log.Close()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			_ = cmd.Process.Kill()
			<-s.done
		}
		if t.Failed() {
			t.Logf("last lines of %s:\n%s", logFile, tail(logFile, 40))
		}
	})
	return s
}

func (s *server) kubeconfig() string { return filepath.Join(s.dataDir, "kubeconfig") }

// waitReady polls /readyz with the admin credentials until it says ok, the
// process exits, or readyTimeout passes.
func (s *server) waitReady(t *testing.T) {
	t.Helper()
	start := time.Now()
	deadline := start.Add(readyTimeout)
	var last error
	for {
		last = s.readyz()
		if last == nil {
			t.Logf("knap-apiserver ready after %s", time.Since(start).Round(time.Millisecond))
			return
		}
		select {
		case <-s.done:
			t.Fatalf("knap-apiserver exited before it was ready (%v); last probe: %v\n%s", s.waitErr, last, tail(s.logFile, 40))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("knap-apiserver not ready after %s: %v", readyTimeout, last)
		}
	}
}

func (s *server) readyz() error {
	cfg, err := clientcmd.BuildConfigFromFlags("", s.kubeconfig())
	if err != nil {
		return err // not written yet
	}
	client, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return err
	}
	client.Timeout = 5 * time.Second
	resp, err := client.Get(strings.TrimSuffix(cfg.Host, "/") + "/readyz")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "ok" {
		return fmt.Errorf("/readyz: %s: %s", resp.Status, body)
	}
	return nil
}

// stop sends SIGTERM and returns the exit code; it fails the test if the
// process does not exit within timeout.
func (s *server) stop(t *testing.T, timeout time.Duration) int {
	t.Helper()
	start := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-s.done:
		t.Logf("knap-apiserver exited %s after SIGTERM: %v", time.Since(start).Round(time.Millisecond), s.waitErr)
	case <-time.After(timeout):
		t.Fatalf("knap-apiserver still running %s after SIGTERM", timeout)
	}
	var exit *exec.ExitError
	switch {
	case s.waitErr == nil:
		return 0
	case errors.As(s.waitErr, &exit):
		return exit.ExitCode() // -1 when killed by a signal
	default:
		t.Fatalf("waiting for knap-apiserver: %v", s.waitErr)
		return -1
	}
}

// kubectl runs the real kubectl against one kubeconfig, with its own
// discovery cache so no earlier server on the same port leaks into it.
type kubectl struct {
	bin, kubeconfig, cacheDir string
}

func (k *kubectl) run(args ...string) (stdout, stderr string, err error) {
	return k.runStdin("", args...)
}

func (k *kubectl) runStdin(stdin string, args ...string) (stdout, stderr string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), kubectlTimeout)
	defer cancel()
	var o, e bytes.Buffer
	cmd := exec.CommandContext(ctx, k.bin, append([]string{"--kubeconfig", k.kubeconfig, "--cache-dir", k.cacheDir}, args...)...)
	cmd.Env = append(os.Environ(), "KUBECONFIG=", "HOME="+k.cacheDir)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("kubectl %s: timed out after %s", strings.Join(args, " "), kubectlTimeout)
	}
	return o.String(), e.String(), err
}

func (k *kubectl) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	return k.mustRunStdin(t, "", args...)
}

func (k *kubectl) mustRunStdin(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	stdout, stderr, err := k.runStdin(stdin, args...)
	if err != nil {
		t.Fatalf("kubectl %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout, stderr)
	}
	return stdout
}

// issueClientCert signs a client certificate for user with the standalone
// CA in pkiDir and writes it and its key into dir.
func issueClientCert(t *testing.T, pkiDir, dir, user string) (certFile, keyFile string) {
	t.Helper()
	cas, err := certutil.CertsFromFile(filepath.Join(pkiDir, "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	caKey, err := keyutil.PrivateKeyFromFile(filepath.Join(pkiDir, "ca.key"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: user},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, cas[0], key.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	certPEM, err := certutil.EncodeCertificates(&x509.Certificate{Raw: der})
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, err := keyutil.MarshalPrivateKeyToPEM(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, user+".crt"), filepath.Join(dir, user+".key")
	writeFile(t, certFile, string(certPEM))
	writeFile(t, keyFile, string(keyPEM))
	return certFile, keyFile
}

// readPKI returns the standalone PKI's files and the kubeconfig by name.
func readPKI(t *testing.T, dataDir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, name := range []string{"kubeconfig", "pki/ca.crt", "pki/ca.key", "pki/admin.crt", "pki/admin.key", "pki/serving.crt", "pki/serving.key"} {
		b, err := os.ReadFile(filepath.Join(dataDir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	return files
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// tail returns the last n lines of a file, or why it cannot.
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
