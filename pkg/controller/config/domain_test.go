package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
)

func TestDomain(t *testing.T) {
	cases := []struct {
		name string
		data map[string]string
		want map[string]DomainConfig
	}{
		{name: "no data: example.com", data: nil,
			want: map[string]DomainConfig{"example.com": {Type: DomainTypeWildcard}}},
		{name: "example key ignored", data: map[string]string{ExampleKey: "bad: yaml: all: day"},
			want: map[string]DomainConfig{"example.com": {Type: DomainTypeWildcard}}},
		{name: "own default replaces example.com", data: map[string]string{"default.com": ""},
			want: map[string]DomainConfig{"default.com": {Type: DomainTypeWildcard}}},
		{name: "empty selector is a default", data: map[string]string{"default.com": "selector: {}\n"},
			want: map[string]DomainConfig{"default.com": {Type: DomainTypeWildcard}}},
		{name: "selectors, type, and example.com as fallback", data: map[string]string{
			"test-domain.foo.com": "selector:\n  app: foo\n",
			"bar.com":             "selector:\n  app: bar\n  version: beta\ntype: wildcard",
		}, want: map[string]DomainConfig{
			"test-domain.foo.com": {Selector: map[string]string{"app": "foo"}},
			"bar.com":             {Selector: map[string]string{"app": "bar", "version": "beta"}, Type: DomainTypeWildcard},
			"example.com":         {Type: DomainTypeWildcard},
		}},
		{name: "unknown fields ignored, as by Knative", data: map[string]string{"a.com": "selector:\n  app: a\nfoo: bar\n", "b.com": ""},
			want: map[string]DomainConfig{"a.com": {Selector: map[string]string{"app": "a"}}, "b.com": {Type: DomainTypeWildcard}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := NewDomainFromConfigMap(&corev1.ConfigMap{Data: c.data})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&Domain{Domains: c.want}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDomainRefused(t *testing.T) {
	for _, c := range []errCase{
		{"bad yaml", map[string]string{"default.com": "bad: yaml: all: day"}, "default.com", "bad: yaml: all: day"},
		{"a scalar", map[string]string{"a.com": "app=foo"}, "a.com", "app=foo"},
		{"selector not a map", map[string]string{"a.com": "selector: [app, foo]"}, "a.com", "selector: [app, foo]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewDomainFromMap(c.data)
			wantKeyError(t, err, c.key, c.value)
		})
	}
}

func TestDomainFor(t *testing.T) {
	d, err := NewDomainFromMap(map[string]string{
		"test-domain.foo.com": "selector:\n  app: foo\n",
		"foo.com":             "selector:\n  app: foo\n  version: prod\n",
		"bar.com":             "selector:\n  app: bar\n",
		"abar.com":            "selector:\n  tier: bar\n",
		"default.com":         "",
		"svc.cluster.local":   "selector:\n  app: secret\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		labels map[string]string
		want   string
	}{
		{map[string]string{"app": "foo"}, "test-domain.foo.com"},
		{map[string]string{"app": "foo", "version": "prod"}, "foo.com"}, // the more specific selector
		{map[string]string{"app": "bar"}, "bar.com"},
		{map[string]string{"app": "bar", "version": "whatever"}, "bar.com"},
		{map[string]string{"app": "bar", "tier": "bar"}, "abar.com"}, // a tie: alphabetically first
		{map[string]string{"app": "whatever"}, "default.com"},
		{map[string]string{}, "default.com"},
		{nil, "default.com"},
		{map[string]string{"app": "secret"}, "svc.cluster.local"},
		{map[string]string{VisibilityLabelKey: VisibilityClusterLocal}, "svc.cluster.local"},
		{map[string]string{VisibilityLabelKey: VisibilityClusterLocal, "app": "foo"}, "svc.cluster.local"},
		{map[string]string{VisibilityLabelKey: "public"}, "default.com"},
	} {
		if got := d.DomainFor(c.labels); got != c.want {
			t.Errorf("DomainFor(%v) = %q, want %q", c.labels, got, c.want)
		}
	}

	// With no entry matching everything, example.com is the fallback.
	d, err = NewDomainFromMap(map[string]string{"foo.com": "selector:\n  app: foo\n"})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.DomainFor(map[string]string{"app": "bar"}); got != DefaultDomain {
		t.Errorf("DomainFor(app=bar) = %q, want %q", got, DefaultDomain)
	}
	if got := d.DomainFor(map[string]string{"app": "foo"}); got != "foo.com" {
		t.Errorf("DomainFor(app=foo) = %q, want foo.com", got)
	}
	if got := DefaultConfig().Domain.DomainFor(nil); got != "example.com" {
		t.Errorf("default DomainFor(nil) = %q, want example.com", got)
	}
}

func TestIsClusterLocal(t *testing.T) {
	for domain, want := range map[string]bool{
		"svc.cluster.local": true, "cluster.local": true, "example.com": false, "cluster.local.example.com": false,
	} {
		if got := IsClusterLocal(domain); got != want {
			t.Errorf("IsClusterLocal(%q) = %v, want %v", domain, got, want)
		}
	}
}
