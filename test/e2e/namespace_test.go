package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/rand"
)

// TestNamespaceLifecycle: knap follows the kube-apiserver's namespaces. No
// creates in a namespace that does not exist or is terminating, and a
// deleted namespace's knap objects are deleted with it (by the
// kube-controller-manager's namespace controller, through the aggregator).
func TestNamespaceLifecycle(t *testing.T) {
	k := cluster.Kubectl()

	t.Run("missing-namespace", func(t *testing.T) {
		ns := "missing-" + rand.String(5)
		_, errOut, err := k.Run(fmt.Sprintf(ksvcManifest, "orphan"), "-n", ns, "apply", "-f", "-")
		if err == nil || !strings.Contains(errOut, fmt.Sprintf(`namespaces "%s" not found`, ns)) {
			t.Errorf("create in a missing namespace: err=%v stderr=%s", err, errOut)
		}
	})

	t.Run("terminating-namespace", func(t *testing.T) {
		ns := "doomed-" + rand.String(5)
		k.MustRun(t, "create", "namespace", ns)
		// The namespace controller deletes a namespace's pods first and
		// waits for them, requeueing the namespace after the pods'
		// termination grace period: for a revision pod that is the drain
		// (30 s) plus timeoutSeconds plus 5 s. With the default 300 s
		// timeout that is over 5 minutes whenever the pod outlives the
		// first check (a busy kubelet); a 1 s timeout keeps it at 36 s.
		k.MustApply(t, `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: doomed
spec:
  template:
    spec:
      timeoutSeconds: 1
      containers:
      - image: ghcr.io/knative/helloworld-go:latest
`, "-n", ns)
		// A finalizer on a ConfigMap holds the namespace in Terminating
		// after its other content is gone.
		k.MustApply(t, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hold\n  finalizers: [e2e.knap.dev/hold]\n", "-n", ns)
		k.MustRun(t, "delete", "namespace", ns, "--wait=false")
		defer k.Run("", "-n", ns, "patch", "configmap", "hold", "--type=merge", "-p", `{"metadata":{"finalizers":null}}`)

		eventually(t, 3*time.Minute, "the namespace controller deletes ksvc/doomed", func() bool {
			out, _, err := k.Run("", "-n", ns, "get", "ksvc", "-o", "name")
			return err == nil && strings.TrimSpace(out) == ""
		})
		_, errOut, err := k.Run(fmt.Sprintf(ksvcManifest, "late"), "-n", ns, "apply", "-f", "-")
		if err == nil || !strings.Contains(errOut, "because it is being terminated") {
			t.Errorf("create in a terminating namespace: err=%v stderr=%s", err, errOut)
		}

		k.MustRun(t, "-n", ns, "patch", "configmap", "hold", "--type=merge", "-p", `{"metadata":{"finalizers":null}}`)
		k.MustRun(t, "wait", "--for=delete", "namespace/"+ns, "--timeout=60s")
		if out := k.MustRun(t, "-n", ns, "get", "ksvc", "-o", "name"); strings.TrimSpace(out) != "" {
			t.Errorf("ksvc left behind in deleted namespace %s: %s", ns, out)
		}
	})
}

func eventually(t *testing.T, timeout time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting until %s", timeout, what)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
