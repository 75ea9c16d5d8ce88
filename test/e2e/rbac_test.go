package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/knap-dev/knap/test/e2e/framework"
)

const ksvcManifest = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: %s
spec:
  template:
    spec:
      containers:
      - image: ghcr.io/knative/helloworld-go:latest
`

// TestRBAC checks that the cluster's RBAC governs knap's resources: tenants
// get access through the standard admin/edit/view roles (which knap's
// aggregated ClusterRoles extend) in their namespace, and nowhere else.
func TestRBAC(t *testing.T) {
	admin := cluster.Kubectl()
	teamA, teamB := cluster.NewNamespace(t, "team-a"), cluster.NewNamespace(t, "team-b")
	admin.MustRun(t, "-n", teamA, "create", "rolebinding", "alice-edit", "--clusterrole=edit", "--user=alice")
	admin.MustRun(t, "-n", teamA, "create", "rolebinding", "bob-view", "--clusterrole=view", "--user=bob")
	admin.MustApply(t, fmt.Sprintf(ksvcManifest, "existing"), "-n", teamA)
	admin.MustApply(t, fmt.Sprintf(ksvcManifest, "existing"), "-n", teamB)

	alice := admin.As(cluster.UserKubeconfig(t, "alice", "tenants"))
	bob := admin.As(cluster.UserKubeconfig(t, "bob", "tenants"))

	t.Run("edit-in-own-namespace", func(t *testing.T) {
		alice.MustApply(t, fmt.Sprintf(ksvcManifest, "alices"), "-n", teamA)
		alice.MustRun(t, "-n", teamA, "get", "ksvc", "alices")
		alice.MustRun(t, "-n", teamA, "get", "ksvc")
		alice.MustRun(t, "-n", teamA, "patch", "ksvc", "alices", "--type=merge", "-p", `{"spec":{"template":{"spec":{"containerConcurrency":5}}}}`)
		// knap-controller writes the status meanwhile: a replace of what was
		// read may meet a newer resourceVersion (409), so read and retry.
		for attempt := 1; ; attempt++ {
			current := alice.MustRun(t, "-n", teamA, "get", "ksvc", "alices", "-o", "yaml")
			out, errOut, err := alice.Run(strings.Replace(current, "containerConcurrency: 5", "containerConcurrency: 6", 1), "replace", "-f", "-")
			if err == nil {
				break
			}
			if !strings.Contains(errOut, "Conflict") || attempt == 5 {
				t.Fatalf("alice replace (update verb): %v\n%s%s", err, out, errOut)
			}
		}
		alice.MustRun(t, "-n", teamA, "delete", "ksvc", "alices")
	})

	forbidden := func(t *testing.T, k framework.Kubectl, user string, args ...string) {
		t.Helper()
		errOut := k.MustFail(t, args...)
		if !strings.Contains(errOut, "Forbidden") || !strings.Contains(errOut, fmt.Sprintf("User %q cannot", user)) {
			t.Errorf("kubectl %s as %s: want Forbidden for %s, got: %s", strings.Join(args, " "), user, user, errOut)
		}
	}
	t.Run("edit-not-in-other-namespace", func(t *testing.T) {
		forbidden(t, alice, "alice", "-n", teamB, "get", "ksvc", "existing")
		forbidden(t, alice, "alice", "-n", teamB, "get", "ksvc")
		forbidden(t, alice, "alice", "-n", teamB, "get", "ksvc", "--watch", "--request-timeout=10s")
		forbidden(t, alice, "alice", "-n", teamB, "create", "-f", filepath.Join(examples(), "hello-world.yaml"))
		forbidden(t, alice, "alice", "get", "ksvc", "--all-namespaces")
	})

	t.Run("view-reads-only", func(t *testing.T) {
		bob.MustRun(t, "-n", teamA, "get", "ksvc", "existing")
		bob.MustRun(t, "-n", teamA, "get", "ksvc")
		forbidden(t, bob, "bob", "-n", teamA, "create", "-f", filepath.Join(examples(), "hello-world.yaml"))
		forbidden(t, bob, "bob", "-n", teamA, "delete", "ksvc", "existing")
		forbidden(t, bob, "bob", "-n", teamB, "get", "ksvc")
	})

	// knap's aggregated roles cover the eventing groups too.
	t.Run("eventing-groups", func(t *testing.T) {
		eventing := filepath.Join(cluster.Root, "artifacts", "examples", "eventing")
		alice.MustRun(t, "-n", teamA, "apply", "-f", eventing)
		for _, resource := range []string{"brokers", "triggers", "eventtypes", "channels", "inmemorychannels", "subscriptions", "sequences", "parallels", "pingsources", "apiserversources", "sinkbindings", "containersources"} {
			bob.MustRun(t, "-n", teamA, "get", resource)
			forbidden(t, alice, "alice", "-n", teamB, "get", resource)
		}
		forbidden(t, alice, "alice", "-n", teamB, "create", "-f", filepath.Join(eventing, "pingsource.yaml"))
		forbidden(t, bob, "bob", "-n", teamA, "delete", "broker", "default")
		alice.MustRun(t, "-n", teamA, "delete", "-f", eventing)
	})

	// ... and tekton.dev: runs' status is for controllers, not editors.
	t.Run("tekton", func(t *testing.T) {
		build := filepath.Join(cluster.Root, "artifacts", "examples", "build")
		alice.MustRun(t, "-n", teamA, "apply", "-f", build)
		for _, resource := range []string{"tasks", "taskruns", "pipelines", "pipelineruns"} {
			bob.MustRun(t, "-n", teamA, "get", resource)
			forbidden(t, alice, "alice", "-n", teamB, "get", resource)
		}
		forbidden(t, alice, "alice", "-n", teamA, "patch", "taskrun", "build-digest-run", "--subresource=status", "--type=merge", "-p", `{"status":{"podName":"x"}}`)
		forbidden(t, bob, "bob", "-n", teamA, "delete", "pipeline", "build-and-publish")
		alice.MustRun(t, "-n", teamA, "delete", "-f", build)
	})

	// Knative's internal objects: tenants read them, only knap writes them.
	t.Run("internal-groups", func(t *testing.T) {
		for _, resource := range []string{"podautoscalers", "metrics.autoscaling.internal.knative.dev", "ingresses.networking.internal.knative.dev", "serverlessservices"} {
			bob.MustRun(t, "-n", teamA, "get", resource)
			alice.MustRun(t, "-n", teamA, "get", resource)
			forbidden(t, bob, "bob", "-n", teamB, "get", resource)
		}
		forbidden(t, alice, "alice", "-n", teamA, "delete", "podautoscalers", "anything")
		forbidden(t, alice, "alice", "-n", teamA, "delete", "ingresses.networking.internal.knative.dev", "anything")
	})

	t.Run("service-account-without-binding", func(t *testing.T) {
		admin.MustRun(t, "-n", teamA, "create", "serviceaccount", "nobody")
		token := strings.TrimSpace(admin.MustRun(t, "-n", teamA, "create", "token", "nobody"))
		sa := admin.As(cluster.TokenKubeconfig(t, "nobody", token))
		user := "system:serviceaccount:" + teamA + ":nobody"
		forbidden(t, sa, user, "-n", teamA, "get", "ksvc")
		forbidden(t, sa, user, "-n", teamA, "create", "-f", filepath.Join(examples(), "hello-world.yaml"))
	})

	// Through the aggregator with no credentials at all (kubectl would
	// prompt for a password, so plain HTTP).
	t.Run("anonymous", func(t *testing.T) {
		client := httpClient(t, filepath.Join(cluster.Env["KNAP_PKI_DIR"], "ca.crt"))
		url := cluster.Env["KUBE_APISERVER_URL"] + "/apis/serving.knative.dev/v1/namespaces/" + teamA + "/services"
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			req, err := http.NewRequest(method, url, strings.NewReader(`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"anon"}}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			status, body := do(t, client, req)
			if status != http.StatusForbidden || !strings.Contains(body, `User \"system:anonymous\" cannot`) {
				t.Errorf("anonymous %s %s: got %d %s, want 403 for system:anonymous", method, url, status, body)
			}
		}
	})

	t.Run("impersonation", func(t *testing.T) {
		admin.MustRun(t, "--as", "alice", "-n", teamA, "get", "ksvc", "existing")
		forbidden(t, admin, "alice", "--as", "alice", "-n", teamB, "get", "ksvc", "existing")
		errOut := alice.MustFail(t, "--as", "bob", "-n", teamA, "get", "ksvc")
		if !strings.Contains(errOut, `User "alice" cannot impersonate`) {
			t.Errorf("alice impersonating bob: %s", errOut)
		}
	})

	// Straight to knap-apiserver's port, bypassing the aggregator: it must
	// check bearer tokens with TokenReview and permissions with
	// SubjectAccessReview itself, and must not trust user headers that do
	// not come with the front proxy's client certificate.
	t.Run("direct-to-knap", func(t *testing.T) {
		admin.MustRun(t, "-n", teamA, "create", "serviceaccount", "deployer")
		admin.MustRun(t, "-n", teamA, "create", "rolebinding", "deployer-edit", "--clusterrole=edit", "--serviceaccount="+teamA+":deployer")
		deployer := strings.TrimSpace(admin.MustRun(t, "-n", teamA, "create", "token", "deployer"))
		admin.MustRun(t, "-n", teamA, "create", "serviceaccount", "idle")
		idle := strings.TrimSpace(admin.MustRun(t, "-n", teamA, "create", "token", "idle"))

		client := httpClient(t, filepath.Join(cluster.Env["KNAP_PKI_DIR"], "knap-ca.crt"))
		services := func(ns string) string {
			return cluster.Env["KNAP_APISERVER_URL"] + "/apis/serving.knative.dev/v1/namespaces/" + ns + "/services"
		}
		for _, tc := range []struct {
			name, url string
			header    map[string]string
			want      int
		}{
			{"bound token, own namespace", services(teamA), map[string]string{"Authorization": "Bearer " + deployer}, http.StatusOK},
			{"bound token, other namespace", services(teamB), map[string]string{"Authorization": "Bearer " + deployer}, http.StatusForbidden},
			{"token without binding", services(teamA), map[string]string{"Authorization": "Bearer " + idle}, http.StatusForbidden},
			{"bogus token", services(teamA), map[string]string{"Authorization": "Bearer not-a-token"}, http.StatusUnauthorized},
			{"no credentials", services(teamA), nil, http.StatusForbidden},
			{"forged front-proxy headers", services(teamA), map[string]string{"X-Remote-User": "knap-admin", "X-Remote-Group": "system:masters"}, http.StatusForbidden},
		} {
			req, err := http.NewRequest(http.MethodGet, tc.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			if status, body := do(t, client, req); status != tc.want {
				t.Errorf("%s: GET %s: got %d, want %d: %s", tc.name, tc.url, status, tc.want, body)
			}
		}
	})
}

// httpClient trusts the CA in caFile and presents no client certificate.
func httpClient(t *testing.T, caFile string) *http.Client {
	t.Helper()
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

func do(t *testing.T, client *http.Client, req *http.Request) (int, string) {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
