package e2e

import (
	"fmt"
	"os"
	"testing"
)

// TestRestartKeepsData: a second `make run` on the same directory serves
// what the first one stored, with the same certificates.
func TestRestartKeepsData(t *testing.T) {
	if os.Getenv("KNAP_E2E_ENV") != "" {
		t.Skip("reusing a control plane this run did not start")
	}
	ns := cluster.NewNamespace(t, "restart")
	k := cluster.Kubectl()
	k.MustApply(t, fmt.Sprintf(ksvcManifest, "survivor"), "-n", ns)
	uid := k.MustRun(t, "-n", ns, "get", "ksvc", "survivor", "-o", "jsonpath={.metadata.uid}")
	if err := cluster.Restart(); err != nil {
		t.Fatal(err)
	}
	if got := k.MustRun(t, "-n", ns, "get", "ksvc", "survivor", "-o", "jsonpath={.metadata.uid}"); got != uid {
		t.Errorf("after restart ksvc/survivor has uid %q, want %q", got, uid)
	}
}
