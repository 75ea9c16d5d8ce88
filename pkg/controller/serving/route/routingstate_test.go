package route

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
)

const (
	earlier  = "2026-11-20T08:00:00Z"
	nowStamp = "2026-11-25T12:00:00Z"
)

// meta is an object with a routingState label (none when "") and the
// routes annotation (none when "").
func meta(state, routes string) *metav1.ObjectMeta {
	m := &metav1.ObjectMeta{Name: "x", Labels: map[string]string{}, Annotations: map[string]string{}}
	if state != "" {
		m.Labels[serving.RoutingStateLabel] = state
		m.Annotations[serving.RoutingStateModifiedAnnotation] = earlier
	}
	if routes != "" {
		m.Annotations[serving.RoutesAnnotation] = routes
	}
	return m
}

func TestRoutingPatch(t *testing.T) {
	const (
		routesKey   = `"serving.knative.dev/routes"`
		stateKey    = `"serving.knative.dev/routingState"`
		modifiedKey = `"serving.knative.dev/routingStateModified"`
	)
	cases := []struct {
		name   string
		obj    *metav1.ObjectMeta
		routed bool
		state  bool
		want   string // "" for no patch
	}{
		{"pending revision gets routed", meta("pending", ""), true, true,
			`{"metadata":{"annotations":{` + routesKey + `:"hello",` + modifiedKey + `:"` + nowStamp + `"},"labels":{` + stateKey + `:"active"}}}`},
		{"reserve revision routed again", meta("reserve", ""), true, true,
			`{"metadata":{"annotations":{` + routesKey + `:"hello",` + modifiedKey + `:"` + nowStamp + `"},"labels":{` + stateKey + `:"active"}}}`},
		{"revision without a state gets routed", meta("", ""), true, true,
			`{"metadata":{"annotations":{` + routesKey + `:"hello",` + modifiedKey + `:"` + nowStamp + `"},"labels":{` + stateKey + `:"active"}}}`},
		{"second route joins, state unchanged", meta("active", "other"), true, true,
			`{"metadata":{"annotations":{` + routesKey + `:"hello,other"}}}`},
		{"routes kept sorted", meta("active", "zeta,alpha"), true, true,
			`{"metadata":{"annotations":{` + routesKey + `:"alpha,hello,zeta"}}}`},
		{"already listed and active", meta("active", "hello"), true, true, ""},
		{"listed among others in any order", meta("active", "other,hello"), true, true, ""},
		{"listed but labeled reserve by someone", meta("reserve", "hello"), true, true,
			`{"metadata":{"annotations":{` + modifiedKey + `:"` + nowStamp + `"},"labels":{` + stateKey + `:"active"}}}`},
		{"one of two routes leaves", meta("active", "hello,other"), false, true,
			`{"metadata":{"annotations":{` + routesKey + `:"other"}}}`},
		{"last route leaves", meta("active", "hello"), false, true,
			`{"metadata":{"annotations":{` + routesKey + `:null,` + modifiedKey + `:"` + nowStamp + `"},"labels":{` + stateKey + `:"reserve"}}}`},
		{"empty entries ignored", meta("active", "hello,,"), false, true,
			`{"metadata":{"annotations":{` + routesKey + `:null,` + modifiedKey + `:"` + nowStamp + `"},"labels":{` + stateKey + `:"reserve"}}}`},
		{"already reserve and unlisted", meta("reserve", ""), false, true, ""},
		{"configuration gets routed: no state", meta("", ""), true, false,
			`{"metadata":{"annotations":{` + routesKey + `:"hello"}}}`},
		{"configuration already listed", meta("", "hello"), true, false, ""},
		{"configuration released", meta("", "hello"), false, false,
			`{"metadata":{"annotations":{` + routesKey + `:null}}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := string(RoutingPatch(c.obj, "hello", c.routed, c.state, now.In(time.FixedZone("UTC+3", 3*3600))))
			if got != c.want {
				t.Errorf("patch\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

// patches runs one reconcile of key and returns the merge patches, by
// kind/name.
func patches(t *testing.T, key string, objs ...runtime.Object) map[string]string {
	t.Helper()
	r, client := newReconciler(objs...)
	if err := r.Reconcile(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, a := range client.Actions() {
		p, ok := a.(clienttesting.PatchAction)
		if !ok {
			continue
		}
		if p.GetPatchType() != "application/merge-patch+json" {
			t.Errorf("patch type %s", p.GetPatchType())
		}
		out[p.GetResource().Resource+"/"+p.GetName()] = string(p.GetPatch())
	}
	return out
}

func ownedRevision(name, config string, ready corev1.ConditionStatus, state, routes string) *servingv1.Revision {
	rev := revision(name, ready)
	rev.ObjectMeta = *meta(state, routes)
	rev.Name, rev.Namespace = name, "ns"
	rev.Labels[serving.ConfigurationLabel] = config
	rev.OwnerReferences = []metav1.OwnerReference{{APIVersion: "serving.knative.dev/v1", Kind: "Configuration", Name: config, UID: "cfg-uid", Controller: ptr.To(true)}}
	return rev
}

func routedConfiguration(lcr, lrr, routes string) *servingv1.Configuration {
	c := configuration(lrr)
	c.UID = "cfg-uid"
	c.Status.LatestCreatedRevisionName = lcr
	if routes != "" {
		c.Annotations = map[string]string{serving.RoutesAnnotation: routes}
	}
	return c
}

// readyIngress is the Route's own Ingress, reconciled and Ready, so that
// one reconcile makes the Route Ready.
func readyIngress(route *servingv1.Route) *networkingv1alpha1.Ingress {
	ing := &networkingv1alpha1.Ingress{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: route.Name,
		OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(route, servingv1.SchemeGroupVersion.WithKind("Route"))}}}
	ing.Status.Conditions = readyCondition(corev1.ConditionTrue)
	return ing
}

func latestRoute() *servingv1.Route {
	route := newRoute(servingv1.TrafficTarget{ConfigurationName: "hello", LatestRevision: ptr.To(true), Percent: ptr.To[int64](100)})
	route.UID = "route-uid"
	return route
}

func TestRoutingState(t *testing.T) {
	activated := `{"metadata":{"annotations":{"serving.knative.dev/routes":"hello","serving.knative.dev/routingStateModified":"` + nowStamp + `"},"labels":{"serving.knative.dev/routingState":"active"}}}`
	reserved := `{"metadata":{"annotations":{"serving.knative.dev/routes":null,"serving.knative.dev/routingStateModified":"` + nowStamp + `"},"labels":{"serving.knative.dev/routingState":"reserve"}}}`
	listed := `{"metadata":{"annotations":{"serving.knative.dev/routes":"hello"}}}`
	unlisted := `{"metadata":{"annotations":{"serving.knative.dev/routes":null}}}`

	readyRoute := latestRoute()
	// The previous reconcile routed to hello-00001; this one moves to 00002.
	readyRoute.Status.Traffic = []servingv1.TrafficTarget{{RevisionName: "hello-00001", LatestRevision: ptr.To(true), Percent: ptr.To[int64](100)}}

	namedRoute := newRoute(servingv1.TrafficTarget{RevisionName: "hello-00001", LatestRevision: ptr.To(false), Percent: ptr.To[int64](100)})
	namedRoute.UID = "route-uid"

	missingRoute := newRoute(servingv1.TrafficTarget{RevisionName: "hello-00009", LatestRevision: ptr.To(false), Percent: ptr.To[int64](100)})
	missingRoute.Status.Traffic = []servingv1.TrafficTarget{{RevisionName: "hello-00002", LatestRevision: ptr.To(false), Percent: ptr.To[int64](100)}}

	svcRoute := newRoute(servingv1.TrafficTarget{RevisionName: "other-00001", LatestRevision: ptr.To(false), Percent: ptr.To[int64](100)})
	svcRoute.UID = "route-uid"
	svcRoute.OwnerReferences = []metav1.OwnerReference{{APIVersion: "serving.knative.dev/v1", Kind: "Service", Name: "hello", UID: "svc-uid", Controller: ptr.To(true)}}
	svcConfig := routedConfiguration("hello-00001", "hello-00001", "hello")
	svcConfig.OwnerReferences = svcRoute.OwnerReferences

	cases := []struct {
		name string
		key  string
		objs []runtime.Object
		want map[string]string
	}{{
		name: "ready route moves to the new revision: the old one goes to reserve",
		key:  "ns/hello",
		objs: []runtime.Object{readyRoute, readyIngress(readyRoute), routedConfiguration("hello-00002", "hello-00002", "hello"),
			ownedRevision("hello-00001", "hello", corev1.ConditionTrue, "active", "hello"),
			ownedRevision("hello-00002", "hello", corev1.ConditionTrue, "pending", "")},
		want: map[string]string{"revisions/hello-00001": reserved, "revisions/hello-00002": activated},
	}, {
		name: "route not ready yet: the old revision stays active while it may take traffic",
		key:  "ns/hello",
		objs: []runtime.Object{readyRoute, routedConfiguration("hello-00002", "hello-00002", ""),
			ownedRevision("hello-00001", "hello", corev1.ConditionTrue, "active", "hello"),
			ownedRevision("hello-00002", "hello", corev1.ConditionTrue, "pending", "")},
		want: map[string]string{"revisions/hello-00002": activated, "configurations/hello": listed},
	}, {
		name: "latest created but not ready revision is active before it takes traffic",
		key:  "ns/hello",
		objs: []runtime.Object{latestRoute(), routedConfiguration("hello-00002", "hello-00001", "hello"),
			ownedRevision("hello-00001", "hello", corev1.ConditionTrue, "active", "hello"),
			ownedRevision("hello-00002", "hello", corev1.ConditionUnknown, "pending", "")},
		want: map[string]string{"revisions/hello-00002": activated},
	}, {
		name: "nothing changes: no patch",
		key:  "ns/hello",
		objs: []runtime.Object{latestRoute(), readyIngress(latestRoute()), routedConfiguration("hello-00001", "hello-00001", "hello"),
			ownedRevision("hello-00001", "hello", corev1.ConditionTrue, "active", "hello"),
			ownedRevision("hello-00000", "hello", corev1.ConditionTrue, "reserve", ""),
			ownedRevision("other-00001", "other", corev1.ConditionTrue, "active", "other")},
		want: map[string]string{},
	}, {
		name: "named revision: its configuration is listed too, other routes' objects untouched",
		key:  "ns/hello",
		objs: []runtime.Object{namedRoute, readyIngress(namedRoute), routedConfiguration("hello-00002", "hello-00002", "other"),
			ownedRevision("hello-00001", "hello", corev1.ConditionTrue, "reserve", ""),
			ownedRevision("hello-00002", "hello", corev1.ConditionTrue, "active", "other")},
		want: map[string]string{"revisions/hello-00001": activated,
			"configurations/hello": `{"metadata":{"annotations":{"serving.knative.dev/routes":"hello,other"}}}`},
	}, {
		name: "failed route releases what neither its spec nor its flowing traffic names",
		key:  "ns/hello",
		objs: []runtime.Object{missingRoute, routedConfiguration("hello-00002", "hello-00002", "hello"),
			ownedRevision("hello-00001", "hello", corev1.ConditionTrue, "active", "hello,other"),
			ownedRevision("hello-00002", "hello", corev1.ConditionTrue, "active", "hello")},
		want: map[string]string{"revisions/hello-00001": `{"metadata":{"annotations":{"serving.knative.dev/routes":"other"}}}`},
	}, {
		name: "a Service's route keeps the Service's configuration listed, as the Service reconciler does",
		key:  "ns/hello",
		objs: []runtime.Object{svcRoute, readyIngress(svcRoute), svcConfig,
			ownedRevision("hello-00001", "hello", corev1.ConditionTrue, "active", "hello"),
			ownedRevision("other-00001", "other", corev1.ConditionTrue, "reserve", "")},
		want: map[string]string{"revisions/hello-00001": reserved, "revisions/other-00001": activated},
	}, {
		name: "a Service's route without the Service's configuration",
		key:  "ns/hello",
		objs: []runtime.Object{svcRoute, readyIngress(svcRoute), ownedRevision("other-00001", "other", corev1.ConditionTrue, "reserve", "")},
		want: map[string]string{"revisions/other-00001": activated},
	}, {
		name: "deleted route is released everywhere",
		key:  "ns/hello",
		objs: []runtime.Object{routedConfiguration("hello-00002", "hello-00002", "hello"),
			ownedRevision("hello-00001", "hello", corev1.ConditionTrue, "active", "hello"),
			ownedRevision("hello-00002", "hello", corev1.ConditionTrue, "active", "hello,other"),
			ownedRevision("hello-00000", "hello", corev1.ConditionTrue, "reserve", "")},
		want: map[string]string{"revisions/hello-00001": reserved,
			"revisions/hello-00002": `{"metadata":{"annotations":{"serving.knative.dev/routes":"other"}}}`,
			"configurations/hello":  unlisted},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := patches(t, c.key, c.objs...)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("patches (-want +got):\n%s", diff)
			}
		})
	}
}

// A route being deleted releases what it referenced, and writes no status.
func TestRouteBeingDeletedReleases(t *testing.T) {
	route := latestRoute()
	route.DeletionTimestamp = &metav1.Time{Time: now}
	route.Finalizers = []string{"foregroundDeletion"}
	r, client := newReconciler(route, routedConfiguration("hello-00001", "hello-00001", "hello"),
		ownedRevision("hello-00001", "hello", corev1.ConditionTrue, "active", "hello"))
	if err := r.Reconcile(context.Background(), "ns/hello"); err != nil {
		t.Fatal(err)
	}
	var verbs []string
	for _, a := range client.Actions() {
		verbs = append(verbs, a.GetVerb()+" "+a.GetResource().Resource)
	}
	sort.Strings(verbs)
	if got := strings.Join(verbs, ", "); got != "patch configurations, patch revisions" {
		t.Errorf("actions %s", got)
	}
}

// The patched objects read back as the state they record.
func TestRoutingStatePatchApplies(t *testing.T) {
	route := latestRoute()
	route.Status.Traffic = []servingv1.TrafficTarget{{RevisionName: "hello-00001", LatestRevision: ptr.To(true), Percent: ptr.To[int64](100)}}
	r, client := newReconciler(route, readyIngress(route), routedConfiguration("hello-00002", "hello-00002", "hello"),
		ownedRevision("hello-00001", "hello", corev1.ConditionTrue, "active", "hello"),
		ownedRevision("hello-00002", "hello", corev1.ConditionTrue, "pending", ""))
	if err := r.Reconcile(context.Background(), "ns/hello"); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][3]string{
		"hello-00001": {serving.RoutingStateReserve, "", nowStamp},
		"hello-00002": {serving.RoutingStateActive, "hello", nowStamp},
	} {
		rev, err := client.ServingV1().Revisions("ns").Get(context.Background(), name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := [3]string{rev.Labels[serving.RoutingStateLabel], rev.Annotations[serving.RoutesAnnotation], rev.Annotations[serving.RoutingStateModifiedAnnotation]}
		if got != want {
			t.Errorf("%s: state, routes, modified = %q, want %q", name, got, want)
		}
		if _, has := rev.Annotations[serving.RoutesAnnotation]; has != (want[1] != "") {
			t.Errorf("%s: routes annotation present = %v", name, has)
		}
		if rev.Labels[serving.ConfigurationLabel] != "hello" {
			t.Errorf("%s: other labels lost: %v", name, rev.Labels)
		}
	}
	if c := readyConditionOf(t, client); c != corev1.ConditionTrue {
		t.Errorf("route Ready %s, want True (the test relies on it)", c)
	}
}

func readyConditionOf(t *testing.T, client interface {
	Actions() []clienttesting.Action
}) corev1.ConditionStatus {
	t.Helper()
	for _, a := range client.Actions() {
		if u, ok := a.(clienttesting.UpdateAction); ok && a.GetSubresource() == "status" {
			if c := u.GetObject().(*servingv1.Route).Status.GetCondition(duckv1.ConditionReady); c != nil {
				return c.Status
			}
		}
	}
	return ""
}
