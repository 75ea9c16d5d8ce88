package e2e

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	apidiscoveryv2 "k8s.io/api/apidiscovery/v2"
	"k8s.io/client-go/kubernetes"

	"github.com/knap-dev/knap/test/e2e/framework"
)

// servingKinds are the kinds of serving.knative.dev/v1 with their plural
// and sorted short names, as Knative's CRDs declare them.
var servingKinds = map[string]struct {
	plural string
	short  []string
}{
	"Service":       {"services", []string{"kservice", "ksvc"}},
	"Configuration": {"configurations", []string{"cfg", "config"}},
	"Revision":      {"revisions", []string{"rev"}},
	"Route":         {"routes", []string{"rt"}},
}

func TestAPIResources(t *testing.T) {
	k := cluster.Kubectl()
	out := k.MustRun(t, "api-resources", "--api-group=serving.knative.dev", "-o", "wide", "--no-headers")
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		// NAME SHORTNAMES APIVERSION NAMESPACED KIND VERBS CATEGORIES
		f := strings.Fields(line)
		if len(f) != 7 {
			t.Fatalf("unexpected api-resources line %q", line)
		}
		want, ok := servingKinds[f[4]]
		if !ok {
			t.Errorf("unexpected kind %s", f[4])
			continue
		}
		seen[f[4]] = true
		short := strings.Split(f[1], ",")
		slices.Sort(short)
		if f[0] != want.plural || !slices.Equal(short, want.short) || f[2] != "serving.knative.dev/v1" || f[3] != "true" {
			t.Errorf("%s: got %q", f[4], line)
		}
		if f[6] != "all,knative,serving" {
			t.Errorf("%s categories: got %s, want all,knative,serving", f[4], f[6])
		}
		for _, verb := range []string{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"} {
			if !strings.Contains(f[5], verb) {
				t.Errorf("%s verbs %s lack %s", f[4], f[5], verb)
			}
		}
	}
	if len(seen) != len(servingKinds) {
		t.Errorf("api-resources listed %v, want all of %v", seen, servingKinds)
	}
}

// TestAggregatedDiscovery asks the kube-apiserver for the aggregated
// discovery document (what kubectl and controllers use since 1.30) and
// expects knap's group in it, with status subresources.
func TestAggregatedDiscovery(t *testing.T) {
	client := kubernetes.NewForConfigOrDie(framework.RESTConfig(t, cluster.AdminKubeconfig()))
	body, err := client.Discovery().RESTClient().Get().AbsPath("/apis").
		SetHeader("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList").
		Do(context.Background()).Raw()
	if err != nil {
		t.Fatal(err)
	}
	var list apidiscoveryv2.APIGroupDiscoveryList
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	if list.Kind != "APIGroupDiscoveryList" {
		t.Fatalf("got kind %q, want APIGroupDiscoveryList", list.Kind)
	}
	for _, g := range list.Items {
		if g.Name != "serving.knative.dev" {
			continue
		}
		if len(g.Versions) != 1 || g.Versions[0].Version != "v1" || g.Versions[0].Freshness == apidiscoveryv2.DiscoveryFreshnessStale {
			t.Fatalf("serving.knative.dev versions: %+v", g.Versions)
		}
		got := map[string]bool{}
		for _, r := range g.Versions[0].Resources {
			got[r.Resource] = true
			if len(r.Subresources) != 1 || r.Subresources[0].Subresource != "status" {
				t.Errorf("%s subresources: %+v, want status", r.Resource, r.Subresources)
			}
			if !slices.Equal(r.Categories, []string{"all", "knative", "serving"}) {
				t.Errorf("%s categories: %v", r.Resource, r.Categories)
			}
		}
		for _, want := range servingKinds {
			if !got[want.plural] {
				t.Errorf("aggregated discovery lacks %s", want.plural)
			}
		}
		return
	}
	t.Fatal("aggregated discovery has no serving.knative.dev group")
}

func TestExplain(t *testing.T) {
	out := cluster.Kubectl().MustRun(t, "explain", "ksvc.spec.traffic")
	for _, want := range []string{"GROUP:      serving.knative.dev", "KIND:       Service", "FIELD: traffic <[]TrafficTarget>", "latestRevision", "percent", "tag"} {
		if !strings.Contains(out, want) {
			t.Errorf("kubectl explain ksvc.spec.traffic lacks %q:\n%s", want, out)
		}
	}
}
