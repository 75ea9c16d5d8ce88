package e2e

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func examples() string { return filepath.Join(cluster.Root, "artifacts", "examples", "serving") }

// TestCRUD drives Services through the aggregator with kubectl: apply,
// wide output, watch, server-side apply, delete and wait.
func TestCRUD(t *testing.T) {
	ns := cluster.NewNamespace(t, "crud")
	k := cluster.Kubectl()
	for _, f := range []string{"hello-world.yaml", "traffic-split.yaml", "autoscaling.yaml"} {
		k.MustRun(t, "-n", ns, "apply", "-f", filepath.Join(examples(), f))
	}

	wide := k.MustRun(t, "-n", ns, "get", "ksvc", "-o", "wide")
	for _, want := range []string{"NAME", "URL", "LATESTCREATED", "LATESTREADY", "READY", "REASON", "hello", "canary", "autoscale"} {
		if !strings.Contains(wide, want) {
			t.Errorf("get ksvc -o wide lacks %q:\n%s", want, wide)
		}
	}
	// The "knative" category spans kinds; knap has only Services here
	// until its controller creates Configurations and Routes.
	if out := k.MustRun(t, "-n", ns, "get", "knative", "-o", "name"); !strings.Contains(out, "service.serving.knative.dev/hello") {
		t.Errorf("get knative:\n%s", out)
	}

	t.Run("watch", func(t *testing.T) {
		watch := exec.Command(k.Bin, "--kubeconfig", k.Kubeconfig, "-n", ns, "get", "ksvc", "hello", "-w",
			"-o", `jsonpath={.metadata.generation}{" "}{.spec.template.spec.containers[0].env[0].value}{"\n"}`)
		stdout, err := watch.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := watch.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = watch.Process.Kill(); _ = watch.Wait() }()
		lines := make(chan string)
		go func() {
			s := bufio.NewScanner(stdout)
			for s.Scan() {
				lines <- s.Text()
			}
			close(lines)
		}()
		expect := func(want string) {
			t.Helper()
			deadline := time.After(30 * time.Second)
			for {
				select {
				case line, ok := <-lines:
					if !ok {
						t.Fatalf("watch ended before %q", want)
					}
					if line == want {
						return
					}
				case <-deadline:
					t.Fatalf("watch did not show %q", want)
				}
			}
		}
		expect("1 knap")
		k.MustRun(t, "-n", ns, "patch", "ksvc", "hello", "--type=json",
			"-p", `[{"op":"replace","path":"/spec/template/spec/containers/0/env/0/value","value":"watched"}]`)
		expect("2 watched")
	})

	t.Run("server-side-apply", func(t *testing.T) {
		manifest := `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ssa
spec:
  template:
    spec:
      containers:
      - image: ghcr.io/knative/helloworld-go:latest
        env:
        - {name: TARGET, value: one}
`
		k.MustApply(t, manifest, "-n", ns, "--server-side", "--field-manager=team")
		k.MustApply(t, strings.Replace(manifest, "value: one", "value: two", 1), "-n", ns, "--server-side", "--field-manager=team")
		got := k.MustRun(t, "-n", ns, "get", "ksvc", "ssa", "-o", `jsonpath={.spec.template.spec.containers[0].env[0].value} {.metadata.generation} {.spec.traffic[0].percent}`)
		if got != "two 2 100" {
			t.Errorf("after two server-side applies got %q, want \"two 2 100\" (value, generation, defaulted traffic)", got)
		}
		// Another manager changing the same field conflicts, as with any
		// Kubernetes resource.
		_, errOut, err := k.Run(strings.Replace(manifest, "value: one", "value: three", 1), "apply", "-f", "-", "-n", ns, "--server-side", "--field-manager=other")
		if err == nil || !strings.Contains(errOut, "conflict") {
			t.Errorf("conflicting server-side apply: err=%v stderr=%s", err, errOut)
		}
	})

	t.Run("delete", func(t *testing.T) {
		k.MustRun(t, "-n", ns, "delete", "ksvc", "canary", "--wait=false")
		k.MustRun(t, "-n", ns, "wait", "--for=delete", "ksvc/canary", "--timeout=30s")
		errOut := k.MustFail(t, "-n", ns, "get", "ksvc", "canary")
		if !strings.Contains(errOut, `services.serving.knative.dev "canary" not found`) {
			t.Errorf("get after delete: %s", errOut)
		}
	})

	t.Run("rejected", func(t *testing.T) {
		errOut := k.MustFail(t, "-n", ns, "apply", "-f", filepath.Join(examples(), "bad-traffic.yaml"))
		if !strings.Contains(errOut, "spec.traffic") {
			t.Errorf("bad traffic: error does not name spec.traffic: %s", errOut)
		}
	})
}
