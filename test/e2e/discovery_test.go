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

// resource is what discovery must say about one of knap's resources, as
// Knative's CRDs declare it.
type resource struct {
	kind       string
	shortNames []string // sorted
	categories []string
}

// knapResources lists every resource knap serves, by group/version and plural.
var knapResources = map[string]map[string]resource{
	"serving.knative.dev/v1": {
		"services":       {"Service", []string{"kservice", "ksvc"}, []string{"all", "knative", "serving"}},
		"configurations": {"Configuration", []string{"cfg", "config"}, []string{"all", "knative", "serving"}},
		"revisions":      {"Revision", []string{"rev"}, []string{"all", "knative", "serving"}},
		"routes":         {"Route", []string{"rt"}, []string{"all", "knative", "serving"}},
	},
	"autoscaling.internal.knative.dev/v1alpha1": {
		"podautoscalers": {"PodAutoscaler", []string{"kpa", "pa"}, []string{"knative-internal", "autoscaling"}},
		"metrics":        {"Metric", nil, []string{"knative-internal", "autoscaling"}},
	},
	"networking.internal.knative.dev/v1alpha1": {
		"ingresses":          {"Ingress", []string{"king", "kingress"}, []string{"knative-internal", "networking"}},
		"serverlessservices": {"ServerlessService", []string{"sks"}, []string{"knative-internal", "networking"}},
	},
	"eventing.knative.dev/v1": {
		"brokers":  {"Broker", nil, []string{"all", "knative", "eventing"}},
		"triggers": {"Trigger", nil, []string{"all", "knative", "eventing"}},
	},
	"eventing.knative.dev/v1beta2": {
		"eventtypes": {"EventType", nil, []string{"all", "knative", "eventing"}},
	},
	"messaging.knative.dev/v1": {
		"channels":         {"Channel", []string{"ch"}, []string{"all", "knative", "messaging", "channel"}},
		"inmemorychannels": {"InMemoryChannel", []string{"imc"}, []string{"all", "knative", "messaging", "channel"}},
		"subscriptions":    {"Subscription", []string{"sub"}, []string{"all", "knative", "messaging"}},
	},
	"flows.knative.dev/v1": {
		"sequences": {"Sequence", nil, []string{"all", "knative", "flows"}},
		"parallels": {"Parallel", nil, []string{"all", "knative", "flows"}},
	},
	"sources.knative.dev/v1": {
		"pingsources":      {"PingSource", nil, []string{"all", "knative", "sources"}},
		"apiserversources": {"ApiServerSource", nil, []string{"all", "knative", "sources"}},
		"sinkbindings":     {"SinkBinding", nil, []string{"all", "knative", "sources", "bindings"}},
		"containersources": {"ContainerSource", nil, []string{"all", "knative", "sources"}},
	},
	"tekton.dev/v1": {
		"tasks":        {"Task", nil, []string{"tekton", "tekton-pipelines"}},
		"taskruns":     {"TaskRun", []string{"tr", "trs"}, []string{"tekton", "tekton-pipelines"}},
		"pipelines":    {"Pipeline", nil, []string{"tekton", "tekton-pipelines"}},
		"pipelineruns": {"PipelineRun", []string{"pr", "prs"}, []string{"tekton", "tekton-pipelines"}},
	},
}

func init() {
	// v1beta1 serves the same resources, converted from v1.
	knapResources["tekton.dev/v1beta1"] = knapResources["tekton.dev/v1"]
}

// withoutStatus are the resources that have no status (Tekton's
// definitions), so no status subresource.
var withoutStatus = map[string]bool{"tasks": true, "pipelines": true}

// TestAPIResources: kubectl lists every knap resource of every group, with
// its short names, and resolves the categories across groups.
func TestAPIResources(t *testing.T) {
	k := cluster.Kubectl()
	groups := map[string][]string{}
	for gv, resources := range knapResources {
		group := strings.Split(gv, "/")[0]
		for plural := range resources {
			if name := plural + "." + group; !slices.Contains(groups[group], name) {
				groups[group] = append(groups[group], name)
			}
		}
	}
	for group, want := range groups {
		got := strings.Fields(k.MustRun(t, "api-resources", "--api-group="+group, "-o", "name"))
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("api-resources --api-group=%s: got %v, want %v", group, got, want)
		}
	}
	out := k.MustRun(t, "api-resources", "--api-group=serving.knative.dev", "--no-headers")
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line) // NAME SHORTNAMES APIVERSION NAMESPACED KIND
		want := knapResources["serving.knative.dev/v1"][f[0]]
		short := strings.Split(f[1], ",")
		slices.Sort(short)
		if len(f) != 5 || !slices.Equal(short, want.shortNames) || f[4] != want.kind || f[3] != "true" {
			t.Errorf("api-resources line %q, want short names %v and kind %s", line, want.shortNames, want.kind)
		}
	}
	for _, short := range []string{"ksvc", "ch", "imc", "sub", "tr", "pr"} {
		k.MustRun(t, "get", short, "-A")
	}
	for _, category := range []string{"knative", "eventing", "messaging", "flows", "sources", "tekton"} {
		k.MustRun(t, "get", category, "-A")
	}
}

// TestAggregatedDiscovery asks the kube-apiserver for the aggregated
// discovery document (what kubectl and controllers use since 1.30) and
// expects every knap group/version in it, fresh, with each resource's
// kind, short names, categories, verbs and status subresource.
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
	seen := map[string]bool{}
	for _, g := range list.Items {
		for _, v := range g.Versions {
			gv := g.Name + "/" + v.Version
			want, ok := knapResources[gv]
			if !ok {
				continue
			}
			seen[gv] = true
			if v.Freshness == apidiscoveryv2.DiscoveryFreshnessStale {
				t.Errorf("%s is stale in aggregated discovery", gv)
			}
			got := map[string]bool{}
			for _, r := range v.Resources {
				got[r.Resource] = true
				w, ok := want[r.Resource]
				if !ok {
					t.Errorf("%s: unexpected resource %s", gv, r.Resource)
					continue
				}
				short := slices.Sorted(slices.Values(r.ShortNames))
				if r.ResponseKind == nil || r.ResponseKind.Kind != w.kind || !slices.Equal(short, w.shortNames) || !slices.Equal(r.Categories, w.categories) {
					t.Errorf("%s %s: kind %v short names %v categories %v; want %s %v %v", gv, r.Resource, r.ResponseKind, r.ShortNames, r.Categories, w.kind, w.shortNames, w.categories)
				}
				if withoutStatus[r.Resource] {
					if len(r.Subresources) != 0 {
						t.Errorf("%s %s subresources: %+v, want none", gv, r.Resource, r.Subresources)
					}
				} else if len(r.Subresources) != 1 || r.Subresources[0].Subresource != "status" {
					t.Errorf("%s %s subresources: %+v, want status", gv, r.Resource, r.Subresources)
				}
				for _, verb := range []string{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"} {
					if !slices.Contains(r.Verbs, verb) {
						t.Errorf("%s %s verbs %v lack %s", gv, r.Resource, r.Verbs, verb)
					}
				}
			}
			for plural := range want {
				if !got[plural] {
					t.Errorf("aggregated discovery of %s lacks %s", gv, plural)
				}
			}
		}
	}
	for gv := range knapResources {
		if !seen[gv] {
			t.Errorf("aggregated discovery has no %s", gv)
		}
	}
}

func TestExplain(t *testing.T) {
	out := cluster.Kubectl().MustRun(t, "explain", "ksvc.spec.traffic")
	for _, want := range []string{"GROUP:      serving.knative.dev", "KIND:       Service", "FIELD: traffic <[]TrafficTarget>", "latestRevision", "percent", "tag"} {
		if !strings.Contains(out, want) {
			t.Errorf("kubectl explain ksvc.spec.traffic lacks %q:\n%s", want, out)
		}
	}
}
