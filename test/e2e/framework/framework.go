// Package framework brings up the local cluster for e2e tests, the way
// `make run` does (hack/local-up.sh: control plane, knap, and a node where
// pods run), and gives tests kubectl, clients and a fresh namespace each,
// whose pods, events and logs are printed when the test fails. Set
// KNAP_E2E_ENV to the env file of a cluster that is already running (e.g.
// _output/local/env) to reuse it instead. Down checks that the node left
// nothing on the host.
package framework

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/knap-dev/knap/pkg/pki"
)

const (
	// upTimeout bounds a start of hack/local-up.sh with the tools already
	// built (make test-e2e builds them first); the first start on a fresh
	// machine also installs the node's Debian packages.
	upTimeout = 8 * time.Minute
	// downTimeout bounds an ordered shutdown.
	downTimeout = 90 * time.Second
	// kubectlTimeout bounds one kubectl invocation.
	kubectlTimeout = 60 * time.Second
)

// Cluster is a running local control plane.
type Cluster struct {
	// Env holds the KEY=value lines of its env file (KUBECONFIG, KUBECTL, ...).
	Env  map[string]string
	Root string
	// Dir is its KNAP_LOCAL_DIR; logs are in Dir/logs.
	Dir string

	cmd     *exec.Cmd // nil when reusing a cluster someone else started
	exited  chan error
	ports   []string // one per portVars entry
	scratch string   // per-run files: user certificates, kubeconfigs
}

// portVars are the ports hack/local-up.sh listens on; each run gets free
// ones, so a `make run` on the default ports does not collide with it.
var portVars = []string{
	"KUBE_PORT", "KNAP_PORT", "KCM_PORT", "CONTROLLER_PORT", "GATEWAY_PORT", "GATEWAY_METRICS_PORT",
	"KUBELET_PORT", "KUBELET_HEALTHZ_PORT", "PROXY_HEALTHZ_PORT", "PROXY_METRICS_PORT", "SCHED_PORT",
}

// Up starts hack/local-up.sh in a fresh directory, or reuses the control
// plane named by KNAP_E2E_ENV, and waits until it is ready.
func Up() (*Cluster, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	scratch, err := os.MkdirTemp("", "knap-e2e-scratch-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Root: root, scratch: scratch}
	if envFile := os.Getenv("KNAP_E2E_ENV"); envFile != "" {
		c.Dir = filepath.Dir(envFile)
		c.Env, err = readEnv(envFile)
		return c, err
	}
	// Short: etcd's unix socket path must fit in 108 bytes.
	c.Dir, err = os.MkdirTemp("", "knap-e2e-")
	if err != nil {
		return nil, err
	}
	for range portVars {
		p, err := freePort()
		if err != nil {
			return nil, err
		}
		c.ports = append(c.ports, p)
	}
	return c, c.start()
}

// start runs hack/local-up.sh and waits for its env file.
func (c *Cluster) start() error {
	c.cmd = exec.Command(filepath.Join(c.Root, "hack", "local-up.sh"))
	c.cmd.Env = append(os.Environ(), "KNAP_LOCAL_DIR="+c.Dir)
	for i, v := range portVars {
		c.cmd.Env = append(c.cmd.Env, v+"="+c.ports[i])
	}
	out, err := os.Create(filepath.Join(c.Dir, "local-up.out"))
	if err != nil {
		return err
	}
	c.cmd.Stdout, c.cmd.Stderr = out, out
	if err := c.cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	c.exited = exited
	go func() { exited <- c.cmd.Wait(); out.Close() }()
	envFile := filepath.Join(c.Dir, "env")
	deadline := time.After(upTimeout)
	for {
		select {
		case err := <-exited:
			c.cmd = nil
			return fmt.Errorf("hack/local-up.sh exited (%v):\n%s", err, c.tail("local-up.out", 30))
		case <-deadline:
			_ = c.Down()
			return fmt.Errorf("control plane not ready after %s:\n%s", upTimeout, c.tail("local-up.out", 30))
		case <-time.After(250 * time.Millisecond):
		}
		if _, err := os.Stat(envFile); err == nil {
			c.Env, err = readEnv(envFile)
			if err != nil {
				return err
			}
			return nil
		}
	}
}

// Down stops a cluster Up started (SIGTERM to local-up.sh, which stops its
// processes in order and cleans up after the node), checks that nothing of
// it is left on the host, and removes its files.
func (c *Cluster) Down() error {
	defer os.RemoveAll(c.scratch)
	if c.cmd == nil {
		return nil
	}
	if err := c.stop(); err != nil {
		return err
	}
	if left, err := c.Leftovers(); err != nil || left != "" {
		return fmt.Errorf("the node left on the host (%v):\n%s", err, left)
	}
	return os.RemoveAll(c.Dir)
}

// Leftovers lists what of the cluster's node is still on the host
// (processes, mounts, the bridge, nftables and iptables state, pod
// cgroups), as hack/lib/node.sh sees it; empty when the host is clean.
func (c *Cluster) Leftovers() (string, error) {
	cmd := exec.Command("bash", "-c", `LOCAL="$1"; source "$2"; node_leftovers; pgrep -af -- "$LOCAL/" || true`,
		"leftovers", c.Dir, filepath.Join(c.Root, "hack", "lib", "node.sh"))
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func (c *Cluster) stop() error {
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
		c.cmd = nil
		return nil
	case <-time.After(downTimeout):
		_ = c.cmd.Process.Kill()
		return fmt.Errorf("hack/local-up.sh did not stop within %s; processes may be left running:\n%s", downTimeout, c.tail("local-up.out", 30))
	}
}

// Restart stops the control plane and starts it again on the same data.
func (c *Cluster) Restart() error {
	if c.cmd == nil {
		return errors.New("cannot restart a control plane this run did not start")
	}
	if err := c.stop(); err != nil {
		return err
	}
	return c.start()
}

// DumpLogs prints the end of every component's log, for a failed run.
func (c *Cluster) DumpLogs() {
	fmt.Fprintf(os.Stderr, "control plane logs in %s:\n", filepath.Join(c.Dir, "logs"))
	names, _ := filepath.Glob(filepath.Join(c.Dir, "logs", "*.log"))
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "==== %s ====\n%s\n", filepath.Base(n), c.tail(filepath.Join("logs", filepath.Base(n)), 40))
	}
}

func (c *Cluster) tail(rel string, n int) string {
	b, _ := os.ReadFile(filepath.Join(c.Dir, rel))
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// AdminKubeconfig is the cluster-admin kubeconfig (group system:masters).
func (c *Cluster) AdminKubeconfig() string { return c.Env["KUBECONFIG"] }

// UserKubeconfig returns a kubeconfig for user in groups, authenticated by a
// client certificate from the cluster CA, as a real cluster's users are.
func (c *Cluster) UserKubeconfig(t testing.TB, user string, groups ...string) string {
	t.Helper()
	dir := c.Env["KNAP_PKI_DIR"]
	ca, err := pki.EnsureCA(filepath.Join(dir, "ca.crt"), filepath.Join(dir, "ca.key"), "")
	if err != nil {
		t.Fatal(err)
	}
	cert, key := filepath.Join(c.scratch, user+".crt"), filepath.Join(c.scratch, user+".key")
	if err := ca.EnsureClient(cert, key, user, groups...); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(c.scratch, user+".kubeconfig")
	if err := pki.WriteKubeconfig(path, c.Env["KUBE_APISERVER_URL"], ca.CertFile, cert, key, "default"); err != nil {
		t.Fatal(err)
	}
	return path
}

// TokenKubeconfig returns a kubeconfig that presents a bearer token, or no
// credentials at all when token is empty (an anonymous client).
func (c *Cluster) TokenKubeconfig(t testing.TB, name, token string) string {
	t.Helper()
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["local"] = &clientcmdapi.Cluster{Server: c.Env["KUBE_APISERVER_URL"], CertificateAuthority: filepath.Join(c.Env["KNAP_PKI_DIR"], "ca.crt")}
	cfg.AuthInfos[name] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts["local"] = &clientcmdapi.Context{Cluster: "local", AuthInfo: name}
	cfg.CurrentContext = "local"
	path := filepath.Join(c.scratch, name+".kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// RESTConfig loads a kubeconfig for client-go.
func RESTConfig(t testing.TB, kubeconfig string) *rest.Config {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Kubectl runs the built kubectl with kubeconfig.
type Kubectl struct {
	Bin, Kubeconfig string
}

// Kubectl returns a kubectl that acts as the cluster admin.
func (c *Cluster) Kubectl() Kubectl {
	return Kubectl{Bin: c.Env["KUBECTL"], Kubeconfig: c.AdminKubeconfig()}
}

// As returns a kubectl using another kubeconfig.
func (k Kubectl) As(kubeconfig string) Kubectl { return Kubectl{Bin: k.Bin, Kubeconfig: kubeconfig} }

// Run runs kubectl with stdin (may be empty) and returns stdout, stderr.
func (k Kubectl) Run(stdin string, args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), kubectlTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, k.Bin, append([]string{"--kubeconfig", k.Kubeconfig}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

// MustRun runs kubectl and fails the test if it fails.
func (k Kubectl) MustRun(t testing.TB, args ...string) string {
	t.Helper()
	out, errOut, err := k.Run("", args...)
	if err != nil {
		t.Fatalf("kubectl %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// MustApply pipes manifest to `kubectl apply -f -` plus args.
func (k Kubectl) MustApply(t testing.TB, manifest string, args ...string) string {
	t.Helper()
	out, errOut, err := k.Run(manifest, append([]string{"apply", "-f", "-"}, args...)...)
	if err != nil {
		t.Fatalf("kubectl apply %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// MustFail runs kubectl, expects it to fail, and returns its stderr.
func (k Kubectl) MustFail(t testing.TB, args ...string) string {
	t.Helper()
	out, errOut, err := k.Run("", args...)
	if err == nil {
		t.Fatalf("kubectl %s succeeded, want an error; output:\n%s", strings.Join(args, " "), out)
	}
	return errOut
}

// NewNamespace creates a namespace for one test and deletes it afterwards.
func (c *Cluster) NewNamespace(t testing.TB, prefix string) string {
	t.Helper()
	ns := prefix + "-" + rand.String(5)
	c.Kubectl().MustRun(t, "create", "namespace", ns)
	t.Cleanup(func() {
		if t.Failed() {
			c.dumpNamespace(t, ns)
		}
		if _, errOut, err := c.Kubectl().Run("", "delete", "namespace", ns, "--wait=false"); err != nil {
			t.Logf("deleting namespace %s: %v: %s", ns, err, errOut)
		}
	})
	return ns
}

// dumpNamespace logs what a failed test left in its namespace: objects,
// events, and the logs of every container.
func (c *Cluster) dumpNamespace(t testing.TB, ns string) {
	k := c.Kubectl()
	for _, args := range [][]string{
		{"get", "all", "-o", "wide"},
		{"get", "events", "--sort-by=.lastTimestamp"},
		{"logs", "--all-containers", "--prefix", "--tail=50", "-l", "!knap.dev/none"},
	} {
		out, errOut, _ := k.Run("", append([]string{"-n", ns}, args...)...)
		t.Logf("kubectl -n %s %s:\n%s%s", ns, strings.Join(args, " "), out, errOut)
	}
}

func readEnv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	env := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		if k, v, ok := strings.Cut(s.Text(), "="); ok {
			env[k] = v
		}
	}
	for _, k := range []string{"KUBECONFIG", "KUBECTL", "KUBE_APISERVER_URL", "KNAP_APISERVER_URL", "KNAP_PKI_DIR"} {
		if env[k] == "" {
			return nil, fmt.Errorf("%s has no %s", path, k)
		}
	}
	return env, s.Err()
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

func repoRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("cannot locate the repository")
	}
	return filepath.Abs(filepath.Join(filepath.Dir(file), "..", "..", ".."))
}
