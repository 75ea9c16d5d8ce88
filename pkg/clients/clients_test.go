package clients

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	if _, _, err := New(filepath.Join(t.TempDir(), "missing"), "test", 0, 0); err == nil || !strings.Contains(err.Error(), "loading the kubeconfig") {
		t.Errorf("missing kubeconfig: %v", err)
	}
	path := filepath.Join(t.TempDir(), "kubeconfig")
	kubeconfig := `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`
	if err := os.WriteFile(path, []byte(kubeconfig), 0o600); err != nil {
		t.Fatal(err)
	}
	kube, knap, err := New(path, "test", 50, 100)
	if err != nil || kube == nil || knap == nil {
		t.Fatalf("New: %v %v %v", kube, knap, err)
	}
}
