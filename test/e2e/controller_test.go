package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	"github.com/knap-dev/knap/test/e2e/framework"
)

// TestControllerSurvivesKill9: knap-controller killed with SIGKILL while
// it reconciles 20 Services comes back (restarted as the kubelet would,
// then waiting out its dead predecessor's lease) and finishes the work:
// every Service Ready, exactly one Revision per template generation.
func TestControllerSurvivesKill9(t *testing.T) {
	image := helloImage(t)
	const services = 20
	k := cluster.Kubectl()
	ns := cluster.NewNamespace(t, "kill")
	knap := versioned.NewForConfigOrDie(framework.RESTConfig(t, cluster.AdminKubeconfig()))
	c, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()

	var manifest strings.Builder
	for i := 1; i <= services; i++ {
		fmt.Fprintf(&manifest, `---
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: s%02d
spec:
  template:
    spec:
      containers:
      - image: %s
        env: [{name: TARGET, value: s%02d}]
`, i, image, i)
	}
	// Matches the controller process, not its supervisor (a bash whose
	// command line merely contains the same words).
	pattern := "^" + filepath.Join(cluster.Root, "_output", "bin", "knap-controller") + " --kubeconfig " + cluster.Env["KNAP_PKI_DIR"] + "/"
	pid := func() string {
		out, _ := exec.Command("pgrep", "-f", pattern).Output()
		return strings.TrimSpace(string(out))
	}
	before := pid()
	if before == "" || strings.Contains(before, "\n") {
		t.Fatalf("want one knap-controller process matching %q, found %q", pattern, before)
	}

	start := time.Now()
	k.MustApply(t, manifest.String(), "-n", ns)
	// Kill it in the middle: some Revisions exist, not all.
	err := wait.PollUntilContextCancel(c, 50*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		revs, err := knap.ServingV1().Revisions(ns).List(ctx, metav1.ListOptions{})
		return err == nil && len(revs.Items) >= 3, nil
	})
	if err != nil {
		t.Fatalf("waiting for the first revisions: %v", err)
	}
	revs, _ := knap.ServingV1().Revisions(ns).List(c, metav1.ListOptions{})
	if out, err := exec.Command("kill", "-KILL", before).CombinedOutput(); err != nil {
		t.Fatalf("kill -9 %s: %v %s", before, err, out)
	}
	t.Logf("killed knap-controller (pid %s) %s after apply, with %d of %d revisions created",
		before, time.Since(start).Round(time.Millisecond), len(revs.Items), services)

	notReady := func(ctx context.Context) ([]string, error) {
		svcs, err := knap.ServingV1().Services(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, err
		}
		var out []string
		for _, s := range svcs.Items {
			if c := s.Status.GetCondition("Ready"); c == nil || c.Status != "True" || s.Status.ObservedGeneration != s.Generation {
				out = append(out, s.Name)
			}
		}
		return out, nil
	}
	err = wait.PollUntilContextCancel(c, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		left, err := notReady(ctx)
		return err == nil && len(left) == 0, nil
	})
	if err != nil {
		left, _ := notReady(context.Background())
		t.Fatalf("Services not Ready %s after apply: %v", time.Since(start).Round(time.Second), left)
	}
	t.Logf("apply to all %d Services Ready, through the kill: %s", services, time.Since(start).Round(time.Millisecond))
	if after := pid(); after == "" || after == before {
		t.Errorf("knap-controller pid %q after the kill, want a new process", after)
	}

	revs, err = knap.ServingV1().Revisions(ns).List(c, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	perConfig := map[string][]string{}
	for _, r := range revs.Items {
		perConfig[r.Labels[serving.ConfigurationLabel]] = append(perConfig[r.Labels[serving.ConfigurationLabel]], r.Name)
	}
	for i := 1; i <= services; i++ {
		name := fmt.Sprintf("s%02d", i)
		if got := perConfig[name]; len(got) != 1 || got[0] != name+"-00001" {
			t.Errorf("Service %s has revisions %v, want exactly [%s-00001]", name, got, name)
		}
	}
	if len(revs.Items) != services {
		t.Errorf("%d revisions for %d Services of one generation each", len(revs.Items), services)
	}
}
