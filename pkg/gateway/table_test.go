package gateway

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
)

func split(ns, rev string, percent int32, headers map[string]string) networkingv1alpha1.IngressBackendSplit {
	return networkingv1alpha1.IngressBackendSplit{
		IngressBackend: networkingv1alpha1.IngressBackend{ServiceNamespace: ns, ServiceName: rev},
		Percent:        percent,
		AppendHeaders:  headers,
	}
}

func ingress(ns, name string, created time.Time, rules ...networkingv1alpha1.IngressRule) *networkingv1alpha1.Ingress {
	return &networkingv1alpha1.Ingress{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, CreationTimestamp: metav1.NewTime(created)},
		Spec:       networkingv1alpha1.IngressSpec{Rules: rules},
	}
}

func rule(hosts []string, paths ...networkingv1alpha1.HTTPIngressPath) networkingv1alpha1.IngressRule {
	return networkingv1alpha1.IngressRule{Hosts: hosts, HTTP: &networkingv1alpha1.HTTPIngressRuleValue{Paths: paths}}
}

func TestNormalizeHost(t *testing.T) {
	cases := map[string]string{
		"hello.ns.example.com":       "hello.ns.example.com",
		"Hello.NS.example.com":       "hello.ns.example.com",
		"hello.ns.example.com:8080":  "hello.ns.example.com",
		"hello.ns.example.com.":      "hello.ns.example.com",
		"hello.ns.example.com.:80":   "hello.ns.example.com",
		"[::1]:8080":                 "::1",
		"hello.ns.svc.cluster.local": "hello.ns.svc.cluster.local",
	}
	for in, want := range cases {
		if got := normalizeHost(in); got != want {
			t.Errorf("normalizeHost(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTableRoute(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ings := []*networkingv1alpha1.Ingress{
		ingress("ns", "hello", t0, rule([]string{"hello.ns.example.com", "Hello.ns.svc"},
			networkingv1alpha1.HTTPIngressPath{
				Path:    "/canary",
				Headers: map[string]networkingv1alpha1.HeaderMatch{"x-canary": {Exact: "yes"}},
				Splits:  []networkingv1alpha1.IngressBackendSplit{split("ns", "canary", 100, nil)},
			},
			networkingv1alpha1.HTTPIngressPath{
				Path:   "/api",
				Splits: []networkingv1alpha1.IngressBackendSplit{split("ns", "api", 0, nil)},
			},
			networkingv1alpha1.HTTPIngressPath{
				Splits: []networkingv1alpha1.IngressBackendSplit{split("", "main", 100, nil)},
			},
		)),
		// Younger, claims hello's host: loses it, keeps its own.
		ingress("other", "thief", t0.Add(time.Hour),
			rule([]string{"hello.ns.example.com", "thief.other.example.com"},
				networkingv1alpha1.HTTPIngressPath{Splits: []networkingv1alpha1.IngressBackendSplit{split("other", "thief", 100, nil)}})),
		// No hosts: ignored.
		ingress("other", "catchall", t0,
			rule(nil, networkingv1alpha1.HTTPIngressPath{Splits: []networkingv1alpha1.IngressBackendSplit{split("other", "all", 100, nil)}})),
	}
	tbl := buildTable(ings, nil)
	cases := []struct {
		host, path string
		header     map[string]string
		want       string // revision namespace/name, "" for no match
		known      bool
	}{
		{"hello.ns.example.com", "/", nil, "ns/main", true},
		{"hello.ns.svc", "/x", nil, "ns/main", true},
		{"hello.ns.example.com", "/api/v1", nil, "ns/api", true},
		{"hello.ns.example.com", "/apix", nil, "ns/api", true}, // a string prefix, as Knative's ingresses match
		{"hello.ns.example.com", "/canary", map[string]string{"X-Canary": "yes"}, "ns/canary", true},
		{"hello.ns.example.com", "/canary", map[string]string{"X-Canary": "no"}, "ns/main", true},
		{"hello.ns.example.com", "/canary", nil, "ns/main", true},
		{"thief.other.example.com", "/", nil, "other/thief", true},
		{"unknown.example.com", "/", nil, "", false},
	}
	for _, c := range cases {
		r := httptest.NewRequest(http.MethodGet, c.path, nil)
		for k, v := range c.header {
			r.Header.Set(k, v)
		}
		p, known := tbl.route(c.host, r)
		got := ""
		if p != nil {
			got = p.pick().revision.String()
		}
		if got != c.want || known != c.known {
			t.Errorf("route(%q, %q, %v) = %q known=%v, want %q known=%v", c.host, c.path, c.header, got, known, c.want, c.known)
		}
	}
	var revs []string
	for r := range tbl.revisions {
		revs = append(revs, r.String())
	}
	slices.Sort(revs)
	if want := []string{"ns/api", "ns/canary", "ns/main", "other/thief"}; !slices.Equal(revs, want) {
		t.Errorf("revisions = %v, want %v", revs, want)
	}
}

func TestTableAppendHeaders(t *testing.T) {
	ing := ingress("ns", "hello", time.Time{}, rule([]string{"h"}, networkingv1alpha1.HTTPIngressPath{
		AppendHeaders: map[string]string{"x-path": "p", "knative-serving-revision": "from-path"},
		Splits: []networkingv1alpha1.IngressBackendSplit{
			split("ns", "rev", 100, map[string]string{"Knative-Serving-Revision": "rev", "Knative-Serving-Namespace": "ns"}),
		},
	}))
	p, _ := buildTable([]*networkingv1alpha1.Ingress{ing}, nil).route("h", httptest.NewRequest(http.MethodGet, "/", nil))
	got := p.pick().appendHeaders
	want := [][2]string{{"Knative-Serving-Namespace", "ns"}, {"Knative-Serving-Revision", "rev"}, {"X-Path", "p"}}
	if !slices.Equal(got, want) {
		t.Errorf("appendHeaders = %v, want %v", got, want)
	}
}

func TestTableRebuildKeepsSplitPositions(t *testing.T) {
	ing := ingress("ns", "hello", time.Time{}, rule([]string{"h"}, networkingv1alpha1.HTTPIngressPath{
		Splits: []networkingv1alpha1.IngressBackendSplit{split("ns", "a", 50, nil), split("ns", "b", 50, nil)},
	}))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	var tbl *table
	var got []types.NamespacedName
	// Rebuilt before every request (as if every request came with an
	// Ingress event): 50/50 must still alternate.
	for range 4 {
		tbl = buildTable([]*networkingv1alpha1.Ingress{ing}, tbl)
		p, _ := tbl.route("h", r)
		got = append(got, p.pick().revision)
	}
	a, b := types.NamespacedName{Namespace: "ns", Name: "a"}, types.NamespacedName{Namespace: "ns", Name: "b"}
	if want := []types.NamespacedName{a, b, a, b}; !slices.Equal(got, want) {
		t.Errorf("picks across rebuilds = %v, want %v", got, want)
	}
}
