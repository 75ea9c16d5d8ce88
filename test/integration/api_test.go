package integration

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"

	certutil "k8s.io/client-go/util/cert"

	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned/scheme"
)

// Every kind supports the same verbs and the status subresource.
func TestOtherKinds(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	v1 := server.client.ServingV1()

	cfg, err := v1.Configurations(ns).Create(c, newConfiguration("cfg"), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Spec.Template.Spec.Containers[0].Name != "user-container" || cfg.Annotations["serving.knative.dev/creator"] != "knap-admin" {
		t.Errorf("configuration not defaulted: %+v", cfg)
	}
	cfg.Status.LatestCreatedRevisionName = "cfg-00001"
	if cfg, err = v1.Configurations(ns).UpdateStatus(c, cfg, metav1.UpdateOptions{}); err != nil || cfg.Status.LatestCreatedRevisionName != "cfg-00001" {
		t.Fatalf("configuration status: %v %+v", err, cfg)
	}

	rev, err := v1.Revisions(ns).Create(c, newRevision("cfg-00001"), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ptr.Deref(rev.Spec.TimeoutSeconds, 0) != 300 {
		t.Errorf("revision not defaulted: %+v", rev.Spec)
	}
	rev.Status.ActualReplicas, rev.Status.DesiredReplicas = ptr.To[int32](1), ptr.To[int32](2)
	if rev, err = v1.Revisions(ns).UpdateStatus(c, rev, metav1.UpdateOptions{}); err != nil || *rev.Status.DesiredReplicas != 2 {
		t.Fatalf("revision status: %v %+v", err, rev)
	}
	// Labels may change; the spec may not.
	rev.Labels = map[string]string{"team": "a"}
	if rev, err = v1.Revisions(ns).Update(c, rev, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	rev.Spec.Containers[0].Image = "example.com/other:1"
	_, err = v1.Revisions(ns).Update(c, rev, metav1.UpdateOptions{})
	requireInvalid(t, err, "spec")

	rt, err := v1.Routes(ns).Create(c, newRoute("cfg"), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !ptr.Deref(rt.Spec.Traffic[0].LatestRevision, false) {
		t.Errorf("route traffic not defaulted: %+v", rt.Spec.Traffic)
	}
	rt.Status.URL = ptr.To("http://cfg." + ns + ".example.com")
	if rt, err = v1.Routes(ns).UpdateStatus(c, rt, metav1.UpdateOptions{}); err != nil || rt.Status.URL == nil {
		t.Fatalf("route status: %v %+v", err, rt)
	}

	for _, del := range []func() error{
		func() error { return v1.Configurations(ns).Delete(c, "cfg", metav1.DeleteOptions{}) },
		func() error { return v1.Revisions(ns).Delete(c, "cfg-00001", metav1.DeleteOptions{}) },
		func() error { return v1.Routes(ns).Delete(c, "cfg", metav1.DeleteOptions{}) },
	} {
		if err := del(); err != nil {
			t.Error(err)
		}
	}
}

func TestFieldSelectors(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	services := server.client.ServingV1().Services(ns)
	for _, name := range []string{"ready", "failed", "pending"} {
		if _, err := services.Create(c, newService(name), metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	setReady := func(name string, status corev1.ConditionStatus, latest string) {
		s, err := services.Get(c, name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		s.Status.Status = readyStatus(status, "Testing")
		s.Status.LatestReadyRevisionName = latest
		if _, err := services.UpdateStatus(c, s, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	setReady("ready", corev1.ConditionTrue, "ready-00001")
	setReady("failed", corev1.ConditionFalse, "")

	for selector, want := range map[string][]string{
		"status.ready=True":                                      {"ready"},
		"status.ready=False":                                     {"failed"},
		"status.ready=Unknown":                                   {"pending"},
		"status.ready!=True":                                     {"failed", "pending"},
		"status.latestReadyRevisionName=ready-00001":             {"ready"},
		"status.latestCreatedRevisionName=,metadata.name=failed": {"failed"},
	} {
		list, err := services.List(c, metav1.ListOptions{FieldSelector: selector})
		if err != nil {
			t.Errorf("%s: %v", selector, err)
			continue
		}
		var got []string
		for _, s := range list.Items {
			got = append(got, s.Name)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", selector, got, want)
		}
	}
	_, err := services.List(c, metav1.ListOptions{FieldSelector: "spec.nope=x"})
	if !apierrors.IsBadRequest(err) {
		t.Errorf("unknown field selector: want 400, got %v", err)
	}
	// Watches filter by field too.
	if _, err := server.client.ServingV1().Revisions(ns).List(c, metav1.ListOptions{FieldSelector: "status.ready=True"}); err != nil {
		t.Error(err)
	}
}

func TestTable(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	svc, err := server.client.ServingV1().Services(ns).Create(c, newService("table"), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	svc.Status.Status = readyStatus(corev1.ConditionFalse, "RevisionMissing")
	svc.Status.URL = ptr.To("http://table.example.com")
	svc.Status.LatestCreatedRevisionName = "table-00001"
	if _, err := server.client.ServingV1().Services(ns).UpdateStatus(c, svc, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := server.client.ServingV1().Revisions(ns).Create(c, newRevision("table-00001"), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for resource, want := range map[string]struct {
		columns []string
		cells   []any
	}{
		"services": {
			[]string{"Name", "URL", "LatestCreated", "LatestReady", "Ready", "Reason"},
			[]any{"table", "http://table.example.com", "table-00001", "", "False", "RevisionMissing"},
		},
		"configurations": {[]string{"Name", "LatestCreated", "LatestReady", "Ready", "Reason"}, nil},
		"revisions": {
			[]string{"Name", "Config Name", "Generation", "Ready", "Reason", "Actual Replicas", "Desired Replicas"},
			[]any{"table-00001", "", "", "", "", nil, nil},
		},
		"routes": {[]string{"Name", "URL", "Ready", "Reason"}, nil},
	} {
		table := &metav1.Table{}
		err := restClient(t).Get().AbsPath("/apis/serving.knative.dev/v1/namespaces", ns, resource).
			SetHeader("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").Do(c).Into(table)
		if err != nil {
			t.Fatalf("%s: %v", resource, err)
		}
		var columns []string
		for _, col := range table.ColumnDefinitions {
			columns = append(columns, col.Name)
		}
		if !slices.Equal(columns, want.columns) {
			t.Errorf("%s columns = %v, want %v", resource, columns, want.columns)
		}
		if want.cells != nil {
			if len(table.Rows) != 1 || fmt.Sprint(table.Rows[0].Cells) != fmt.Sprint(want.cells) {
				t.Errorf("%s rows = %+v, want cells %v", resource, table.Rows, want.cells)
			}
		}
	}
}

func TestPagination(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	routes := server.client.ServingV1().Routes(ns)
	for i := range 25 {
		if _, err := routes.Create(c, newRoute(fmt.Sprintf("r%02d", i)), metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	seen, pages, cont := 0, 0, ""
	for {
		list, err := routes.List(c, metav1.ListOptions{Limit: 10, Continue: cont})
		if err != nil {
			t.Fatal(err)
		}
		seen += len(list.Items)
		pages++
		if cont = list.Continue; cont == "" {
			break
		}
	}
	if seen != 25 || pages != 3 {
		t.Errorf("paginated list saw %d items in %d pages, want 25 in 3", seen, pages)
	}
}

func TestDiscoveryAndOpenAPI(t *testing.T) {
	dc := discovery.NewDiscoveryClientForConfigOrDie(server.config)
	resources, err := dc.ServerResourcesForGroupVersion("serving.knative.dev/v1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"services": {"kservice", "ksvc"}, "configurations": {"config", "cfg"}, "revisions": {"rev"}, "routes": {"rt"},
	}
	found := 0
	for _, r := range resources.APIResources {
		if short, ok := want[r.Name]; ok {
			found++
			if !slices.Equal(r.ShortNames, short) || !slices.Equal(r.Categories, []string{"all", "knative", "serving"}) || !r.Namespaced {
				t.Errorf("%s: shortNames=%v categories=%v namespaced=%v", r.Name, r.ShortNames, r.Categories, r.Namespaced)
			}
			if !slices.Contains(r.Verbs, "patch") || !slices.Contains(r.Verbs, "watch") {
				t.Errorf("%s verbs = %v", r.Name, r.Verbs)
			}
		}
		if strings.HasSuffix(r.Name, "/status") && !slices.Contains(r.Verbs, "update") {
			t.Errorf("%s verbs = %v", r.Name, r.Verbs)
		}
	}
	if found != 4 {
		t.Errorf("discovery found %d of 4 kinds: %+v", found, resources.APIResources)
	}

	c := ctx(t)
	for _, path := range []string{"/openapi/v2", "/openapi/v3/apis/serving.knative.dev/v1"} {
		body, err := restClient(t).Get().AbsPath(path).DoRaw(c)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		doc := string(body)
		if !strings.Contains(doc, "dev.knative.serving.v1.Service") || !strings.Contains(doc, `"x-kubernetes-group-version-kind"`) {
			t.Errorf("%s lacks the Service definition", path)
		}
		if strings.Contains(doc, "application/strategic-merge-patch+json") {
			t.Errorf("%s advertises strategic merge patch", path)
		}
		// Knative names unnamed containers; requiring a name would make
		// kubectl's client-side validation refuse ordinary Knative YAML.
		var parsed struct {
			Definitions map[string]struct{ Required []string } `json:"definitions"`
			Components  struct {
				Schemas map[string]struct{ Required []string } `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(body, &parsed); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		container, ok := parsed.Definitions["io.k8s.api.core.v1.Container"]
		if !ok {
			container, ok = parsed.Components.Schemas["io.k8s.api.core.v1.Container"]
		}
		if !ok || slices.Contains(container.Required, "name") {
			t.Errorf("%s: Container schema found=%v required=%v, want no required name", path, ok, container.Required)
		}
	}
}

func TestBadRequests(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	base := "/apis/serving.knative.dev/v1/namespaces/" + ns + "/services"
	for name, tc := range map[string]struct {
		body, contentType, query string
		want                     int
		mention                  string
	}{
		"malformed json":  {`{"apiVersion":`, "application/json", "", http.StatusBadRequest, ""},
		"wrong kind":      {`{"apiVersion":"serving.knative.dev/v1","kind":"Route","metadata":{"name":"x"}}`, "application/json", "", http.StatusBadRequest, ""},
		"unknown field":   {`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"x"},"spec":{"bogus":1}}`, "application/json", "fieldValidation=Strict", http.StatusBadRequest, "bogus"},
		"wrong type":      {`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"x"},"spec":{"template":{"spec":{"timeoutSeconds":"soon"}}}}`, "application/json", "", http.StatusBadRequest, "timeoutSeconds"},
		"invalid content": {`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"x"},"spec":{"template":{"spec":{"containers":[]}}}}`, "application/json", "", http.StatusUnprocessableEntity, "spec.template.spec.containers"},
	} {
		t.Run(name, func(t *testing.T) {
			var status int
			res := restClient(t).Post().AbsPath(base).SetHeader("Content-Type", tc.contentType).Body([]byte(tc.body))
			if tc.query != "" {
				k, v, _ := strings.Cut(tc.query, "=")
				res = res.Param(k, v)
			}
			body, _ := res.Do(c).StatusCode(&status).Raw()
			if status != tc.want || !strings.Contains(string(body), tc.mention) {
				t.Errorf("status %d body %s, want %d mentioning %q", status, body, tc.want, tc.mention)
			}
		})
	}
	if _, err := server.client.ServingV1().Services(ns).Get(c, "x", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("a rejected request stored something: %v", err)
	}

	// Strategic merge patch is refused as for custom resources.
	if _, err := server.client.ServingV1().Services(ns).Create(c, newService("smp"), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := server.client.ServingV1().Services(ns).Patch(c, "smp", types.StrategicMergePatchType, []byte(`{"spec":{}}`), metav1.PatchOptions{})
	if !apierrors.IsUnsupportedMediaType(err) {
		t.Errorf("strategic merge patch: want 415, got %v", err)
	}
}

// Standalone knap serves only its admin. Like Kubernetes, it lets anyone
// read health and version, and authenticated users discovery.
func TestAuthentication(t *testing.T) {
	anonymous := rest.AnonymousClientConfig(server.config)
	client, err := rest.HTTPClientFor(anonymous)
	if err != nil {
		t.Fatal(err)
	}
	get := func(client *http.Client, path string) int {
		t.Helper()
		resp, err := client.Get(server.config.Host + path)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	for path, want := range map[string]int{
		"/readyz":                               http.StatusOK,
		"/version":                              http.StatusOK,
		"/apis/serving.knative.dev/v1/services": http.StatusForbidden,
		"/apis/serving.knative.dev/v1/namespaces/default/routes": http.StatusForbidden,
		"/apis":       http.StatusForbidden,
		"/openapi/v2": http.StatusForbidden,
	} {
		if got := get(client, path); got != want {
			t.Errorf("anonymous GET %s = %d, want %d", path, got, want)
		}
	}
	// Bad credentials are refused outright.
	other := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true, Certificates: []tls.Certificate{selfSignedClientCert(t)}}}}
	// (Go's TLS client withholds a certificate the server's CA list does not
	// name, so the request arrives as anonymous.)
	if got := get(other, "/apis/serving.knative.dev/v1/services"); got != http.StatusUnauthorized && got != http.StatusForbidden {
		t.Errorf("foreign certificate = %d, want 401 or 403", got)
	}
	req, _ := http.NewRequest(http.MethodGet, server.config.Host+"/readyz", nil)
	req.Header.Set("Authorization", "Bearer not-a-knap-token")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("bearer token = %d, want 401", resp.StatusCode)
	}
}

func restClient(t *testing.T) *rest.RESTClient {
	t.Helper()
	cfg := rest.CopyConfig(server.config)
	cfg.GroupVersion = &servingv1.SchemeGroupVersion
	cfg.APIPath = "/apis"
	cfg.NegotiatedSerializer = scheme.Codecs.WithoutConversion()
	client, err := rest.RESTClientFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func selfSignedClientCert(t *testing.T) tls.Certificate {
	t.Helper()
	certPEM, keyPEM, err := certutil.GenerateSelfSignedCertKey("knap-admin", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}
