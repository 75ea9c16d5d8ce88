package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeployManifests validates artifacts/deploy and the Secret and
// APIServices hack/pki generates for it against the real kube-apiserver
// (server-side dry run: schema, defaulting and admission, nothing stored).
func TestDeployManifests(t *testing.T) {
	k := cluster.Kubectl()
	out := k.MustRun(t, "apply", "--dry-run=server", "-f", filepath.Join(cluster.Root, "artifacts", "deploy"))
	for _, want := range []string{
		"namespace/knap-system", "serviceaccount/knap-apiserver",
		"clusterrole.rbac.authorization.k8s.io/knap-aggregate-to-edit",
		"statefulset.apps/knap-etcd", "deployment.apps/knap-apiserver", "service/knap-apiserver",
		"serviceaccount/knap-controller", "deployment.apps/knap-controller", "service/knap-autoscaler",
		"serviceaccount/knap-gateway", "deployment.apps/knap-gateway", "service/knap-gateway",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %s:\n%s", want, out)
		}
	}

	generated, err := exec.Command(filepath.Join(cluster.Root, "_output", "bin", "knap-pki"), "deploy", "--dir", t.TempDir()).Output()
	if err != nil {
		t.Fatalf("knap-pki deploy: %v", err)
	}
	out = k.MustApply(t, string(generated), "--dry-run=server")
	for _, want := range []string{"secret/knap-apiserver-cert", "apiservice.apiregistration.k8s.io/v1.serving.knative.dev"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run of generated objects lacks %s:\n%s", want, out)
		}
	}
}
