package route

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
	networkinglisters "github.com/knap-dev/knap/pkg/generated/listers/networking/v1alpha1"
	servinglisters "github.com/knap-dev/knap/pkg/generated/listers/serving/v1"
)

func readyCondition(s corev1.ConditionStatus) []duckv1.Condition {
	return []duckv1.Condition{{Type: duckv1.ConditionReady, Status: s}}
}

func configuration(lrr string) *servingv1.Configuration {
	c := &servingv1.Configuration{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "hello"}}
	c.Status.LatestReadyRevisionName = lrr
	return c
}

func revision(name string, ready corev1.ConditionStatus) *servingv1.Revision {
	r := &servingv1.Revision{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name}}
	r.Status.Conditions = readyCondition(ready)
	return r
}

func newRoute(traffic ...servingv1.TrafficTarget) *servingv1.Route {
	return &servingv1.Route{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "hello", Generation: 1}, Spec: servingv1.RouteSpec{Traffic: traffic}}
}

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// newReconciler is a Reconciler whose listers hold objs and whose client
// was seeded with them.
func newReconciler(objs ...runtime.Object) (*Reconciler, *fake.Clientset) {
	client := fake.NewSimpleClientset(objs...)
	return reconcilerOn(client, objs...), client
}

// reconcilerOn is a Reconciler writing to client whose listers hold objs.
func reconcilerOn(client *fake.Clientset, objs ...runtime.Object) *Reconciler {
	idx := map[string]cache.Indexer{}
	for _, k := range []string{"routes", "configurations", "revisions", "ingresses"} {
		idx[k] = cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	}
	for _, o := range objs {
		switch o.(type) {
		case *servingv1.Route:
			_ = idx["routes"].Add(o)
		case *servingv1.Configuration:
			_ = idx["configurations"].Add(o)
		case *servingv1.Revision:
			_ = idx["revisions"].Add(o)
		case *networkingv1alpha1.Ingress:
			_ = idx["ingresses"].Add(o)
		}
	}
	return &Reconciler{
		Client: client, Recorder: record.NewFakeRecorder(10),
		Routes:         servinglisters.NewRouteLister(idx["routes"]),
		Configurations: servinglisters.NewConfigurationLister(idx["configurations"]),
		Revisions:      servinglisters.NewRevisionLister(idx["revisions"]),
		Ingresses:      networkinglisters.NewIngressLister(idx["ingresses"]),
		Domain:         func(map[string]string) string { return "example.com" },
		Clock:          clocktesting.NewFakePassiveClock(now),
	}
}

func run(t *testing.T, route *servingv1.Route, objs ...runtime.Object) ([]clienttesting.Action, *servingv1.RouteStatus) {
	t.Helper()
	r, client := newReconciler(append(objs, route)...)
	if err := r.Reconcile(context.Background(), "ns/hello"); err != nil {
		t.Fatal(err)
	}
	var writes []clienttesting.Action
	var status *servingv1.RouteStatus
	for _, a := range client.Actions() {
		if a.GetVerb() == "create" || a.GetVerb() == "update" {
			writes = append(writes, a)
		}
		if u, ok := a.(clienttesting.UpdateAction); ok && a.GetSubresource() == "status" {
			status = &u.GetObject().(*servingv1.Route).Status
		}
	}
	return writes, status
}

func cond(s *servingv1.RouteStatus, t duckv1.ConditionType) duckv1.Condition {
	if c := s.GetCondition(t); c != nil {
		return *c
	}
	return duckv1.Condition{}
}

func TestSplitWithTag(t *testing.T) {
	route := newRoute(
		servingv1.TrafficTarget{ConfigurationName: "hello", LatestRevision: ptr.To(true), Percent: ptr.To[int64](50)},
		servingv1.TrafficTarget{RevisionName: "hello-00001", Tag: "stable", LatestRevision: ptr.To(false), Percent: ptr.To[int64](50)},
	)
	writes, status := run(t, route, configuration("hello-00002"), revision("hello-00001", corev1.ConditionTrue), revision("hello-00002", corev1.ConditionTrue))
	if *status.URL != "http://hello.ns.example.com" || *status.Address.URL != "http://hello.ns.svc.cluster.local" {
		t.Errorf("url %s address %s", *status.URL, *status.Address.URL)
	}
	if len(status.Traffic) != 2 || status.Traffic[0].RevisionName != "hello-00002" || status.Traffic[0].ConfigurationName != "" ||
		status.Traffic[1].Tag != "stable" || *status.Traffic[1].URL != "http://stable-hello.ns.example.com" {
		t.Errorf("traffic %+v", status.Traffic)
	}
	if c := cond(status, serving.RouteConditionAllTrafficAssigned); c.Status != corev1.ConditionTrue {
		t.Errorf("AllTrafficAssigned %+v", c)
	}
	if c := cond(status, serving.RouteConditionIngressReady); c.Status != corev1.ConditionUnknown || c.Reason != "IngressNotConfigured" {
		t.Errorf("IngressReady %+v", c)
	}
	ing := writes[0].(clienttesting.CreateAction).GetObject().(*networkingv1alpha1.Ingress)
	if len(ing.Spec.Rules) != 4 {
		t.Fatalf("rules %+v, want cluster-local and external for the route and for the tag", ing.Spec.Rules)
	}
	main := ing.Spec.Rules[1]
	if main.Hosts[0] != "hello.ns.example.com" || len(main.HTTP.Paths[0].Splits) != 2 || main.HTTP.Paths[0].Splits[0].Percent != 50 {
		t.Errorf("external rule %+v", main)
	}
	tag := ing.Spec.Rules[3]
	if tag.Hosts[0] != "stable-hello.ns.example.com" || tag.HTTP.Paths[0].Splits[0].ServiceName != "hello-00001" || tag.HTTP.Paths[0].Splits[0].Percent != 100 {
		t.Errorf("tag rule %+v", tag)
	}
}

func TestSameRevisionTwiceIsSummed(t *testing.T) {
	route := newRoute(
		servingv1.TrafficTarget{ConfigurationName: "hello", LatestRevision: ptr.To(true), Percent: ptr.To[int64](70)},
		servingv1.TrafficTarget{RevisionName: "hello-00001", LatestRevision: ptr.To(false), Percent: ptr.To[int64](30)},
	)
	writes, _ := run(t, route, configuration("hello-00001"), revision("hello-00001", corev1.ConditionTrue))
	splits := writes[0].(clienttesting.CreateAction).GetObject().(*networkingv1alpha1.Ingress).Spec.Rules[0].HTTP.Paths[0].Splits
	if len(splits) != 1 || splits[0].Percent != 100 {
		t.Errorf("splits %+v, want one of 100%%", splits)
	}
}

func TestTrafficProblems(t *testing.T) {
	latest := servingv1.TrafficTarget{ConfigurationName: "hello", LatestRevision: ptr.To(true), Percent: ptr.To[int64](100)}
	named := servingv1.TrafficTarget{RevisionName: "hello-00009", LatestRevision: ptr.To(false), Percent: ptr.To[int64](100)}
	failed := configuration("")
	failed.Status.Conditions = readyCondition(corev1.ConditionFalse)
	cases := []struct {
		name   string
		target servingv1.TrafficTarget
		objs   []runtime.Object
		status corev1.ConditionStatus
		msg    string
	}{
		{"configuration missing", latest, nil, corev1.ConditionFalse, `Configuration "hello" referenced in traffic not found.`},
		{"waiting for a revision", latest, []runtime.Object{configuration("")}, corev1.ConditionUnknown, `Configuration "hello" is waiting for a Revision to become ready.`},
		{"configuration failed", latest, []runtime.Object{failed}, corev1.ConditionFalse, `Configuration "hello" does not have any ready Revision.`},
		{"revision missing", named, nil, corev1.ConditionFalse, `Revision "hello-00009" referenced in traffic not found.`},
		{"revision failed", named, []runtime.Object{revision("hello-00009", corev1.ConditionFalse)}, corev1.ConditionFalse, `Revision "hello-00009" failed to become ready.`},
		{"revision not ready", named, []runtime.Object{revision("hello-00009", corev1.ConditionUnknown)}, corev1.ConditionUnknown, `Revision "hello-00009" is not yet ready.`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			writes, status := run(t, newRoute(c.target), c.objs...)
			if got := cond(status, serving.RouteConditionAllTrafficAssigned); got.Status != c.status || got.Message != c.msg {
				t.Errorf("AllTrafficAssigned %+v, want %s %q", got, c.status, c.msg)
			}
			if len(writes) != 1 {
				t.Errorf("writes %v, want only the status (no Ingress)", writes)
			}
		})
	}
}

func TestClusterLocal(t *testing.T) {
	route := newRoute(servingv1.TrafficTarget{ConfigurationName: "hello", LatestRevision: ptr.To(true), Percent: ptr.To[int64](100)})
	route.Labels = map[string]string{VisibilityLabel: VisibilityClusterLocal}
	writes, status := run(t, route, configuration("hello-00001"), revision("hello-00001", corev1.ConditionTrue))
	if *status.URL != "http://hello.ns.svc.cluster.local" {
		t.Errorf("url %s", *status.URL)
	}
	if rules := writes[0].(clienttesting.CreateAction).GetObject().(*networkingv1alpha1.Ingress).Spec.Rules; len(rules) != 1 || rules[0].Visibility != networkingv1alpha1.IngressVisibilityClusterLocal {
		t.Errorf("rules %+v", rules)
	}
}
