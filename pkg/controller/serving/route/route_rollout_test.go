package route

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clienttesting "k8s.io/client-go/testing"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
)

var ingressesResource = networkingv1alpha1.SchemeGroupVersion.WithResource("ingresses")

// rolloutEnv plays a Route's life over a rollout. The fake clientset is the
// API: it keeps what the reconciler writes and, like the API server, bumps
// an Ingress's generation when its spec changes. Every reconcile is a new
// Reconciler whose listers hold what the API holds, as after a controller
// restart: all the rollout's state must live in the objects. The clock is
// fake; the ingress controller's part (serve) is played by the test.
type rolloutEnv struct {
	t      *testing.T
	client *fake.Clientset
	clock  *clocktesting.FakePassiveClock
	// network is config-network's rollout-duration.
	network time.Duration
}

// servedRoute is Route hello sending all its traffic to configuration
// hello, whose latest ready revision was rev, with everything ready.
func servedRoute(rev string, annotations map[string]string) (*servingv1.Route, *networkingv1alpha1.Ingress) {
	route := newRoute(servingv1.TrafficTarget{ConfigurationName: "hello", LatestRevision: ptr.To(true), Percent: ptr.To[int64](100)})
	route.Annotations = annotations
	route.Status.ObservedGeneration = 1
	route.Status.Traffic = []servingv1.TrafficTarget{{RevisionName: rev, LatestRevision: ptr.To(true), Percent: ptr.To[int64](100)}}
	for _, c := range []duckv1.ConditionType{duckv1.ConditionReady, serving.RouteConditionAllTrafficAssigned, serving.RouteConditionIngressReady} {
		route.Status.Conditions = append(route.Status.Conditions, duckv1.Condition{Type: c, Status: corev1.ConditionTrue})
	}
	route.Status.Conditions = append(route.Status.Conditions, duckv1.Condition{Type: RouteConditionCertificateProvisioned, Status: corev1.ConditionTrue,
		Reason: "TLSNotEnabled", Message: "external-domain-tls is not enabled"})
	route.Status.URL = ptr.To("http://hello.ns.example.com")
	route.Status.Address = &duckv1.Addressable{URL: ptr.To("http://hello.ns.svc.cluster.local")}
	tt := *route.Spec.Traffic[0].DeepCopy()
	tt.RevisionName = rev
	ingress := MakeIngress(route, []Target{{TrafficTarget: tt, ServiceName: rev}}, HostsFor(route, "example.com"))
	ingress.Generation = 1
	ingress.Status.ObservedGeneration = 1
	ingress.Status.Conditions = readyCondition(corev1.ConditionTrue)
	return route, ingress
}

// routedRevision is a ready revision Route hello sends traffic to.
func routedRevision(name string) *servingv1.Revision {
	r := revision(name, corev1.ConditionTrue)
	r.Labels = map[string]string{serving.RoutingStateLabel: serving.RoutingStateActive}
	r.Annotations = map[string]string{serving.RoutesAnnotation: "hello"}
	return r
}

func newRolloutEnv(t *testing.T, objs ...runtime.Object) *rolloutEnv {
	client := fake.NewSimpleClientset(objs...)
	client.PrependReactor("update", "ingresses", func(a clienttesting.Action) (bool, runtime.Object, error) {
		ing := a.(clienttesting.UpdateAction).GetObject().(*networkingv1alpha1.Ingress)
		old, err := client.Tracker().Get(ingressesResource, ing.Namespace, ing.Name)
		if err != nil {
			return false, nil, nil
		}
		if prev := old.(*networkingv1alpha1.Ingress); !equality.Semantic.DeepEqual(prev.Spec, ing.Spec) {
			ing.Generation = prev.Generation + 1
		}
		return false, nil, nil // the tracker stores it
	})
	return &rolloutEnv{t: t, client: client, clock: clocktesting.NewFakePassiveClock(t0)}
}

// step is what one reconcile did.
type step struct {
	requeue time.Duration
	// ingressWritten: the Ingress was created or updated.
	ingressWritten bool
	// patched are the routing-state patches by Revision name.
	patched map[string]string
}

func (e *rolloutEnv) reconcile() step {
	e.t.Helper()
	r := reconcilerOn(e.client, e.objects()...)
	r.Clock = e.clock
	r.RolloutDuration = func() time.Duration { return e.network }
	e.client.ClearActions()
	err := r.Reconcile(context.Background(), "ns/hello")
	var s step
	var requeue reconciler.RequeueAfter
	if errors.As(err, &requeue) {
		s.requeue = requeue.Delay
	} else if err != nil {
		e.t.Fatal(err)
	}
	s.patched = map[string]string{}
	for _, a := range e.client.Actions() {
		switch {
		case a.GetResource().Resource == "ingresses" && (a.GetVerb() == "create" || a.GetVerb() == "update"):
			s.ingressWritten = true
		case a.GetResource().Resource == "revisions" && a.GetVerb() == "patch":
			p := a.(clienttesting.PatchAction)
			s.patched[p.GetName()] = string(p.GetPatch())
		}
	}
	return s
}

// objects is what the informers would hold: everything in the API.
func (e *rolloutEnv) objects() []runtime.Object {
	e.t.Helper()
	var out []runtime.Object
	routes, err := e.client.ServingV1().Routes("ns").List(context.Background(), metav1.ListOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	for i := range routes.Items {
		out = append(out, &routes.Items[i])
	}
	configs, err := e.client.ServingV1().Configurations("ns").List(context.Background(), metav1.ListOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	for i := range configs.Items {
		out = append(out, &configs.Items[i])
	}
	revisions, err := e.client.ServingV1().Revisions("ns").List(context.Background(), metav1.ListOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	for i := range revisions.Items {
		out = append(out, &revisions.Items[i])
	}
	ingresses, err := e.client.NetworkingV1alpha1().Ingresses("ns").List(context.Background(), metav1.ListOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	for i := range ingresses.Items {
		out = append(out, &ingresses.Items[i])
	}
	return out
}

// serve is the ingress controller catching up: the Ingress serves its spec.
func (e *rolloutEnv) serve() {
	e.t.Helper()
	ing := e.ingress()
	ing.Status.ObservedGeneration = ing.Generation
	ing.Status.Conditions = readyCondition(corev1.ConditionTrue)
	if err := e.client.Tracker().Update(ingressesResource, ing, ing.Namespace); err != nil {
		e.t.Fatal(err)
	}
}

func (e *rolloutEnv) ingress() *networkingv1alpha1.Ingress {
	e.t.Helper()
	ing, err := e.client.NetworkingV1alpha1().Ingresses("ns").Get(context.Background(), "hello", metav1.GetOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return ing
}

func (e *rolloutEnv) route() *servingv1.Route {
	e.t.Helper()
	r, err := e.client.ServingV1().Routes("ns").Get(context.Background(), "hello", metav1.GetOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *rolloutEnv) rollout() *Rollout {
	e.t.Helper()
	ro, err := ParseRollout(e.ingress().Annotations[RolloutAnnotation])
	if err != nil || ro == nil {
		e.t.Fatalf("the Ingress's rollout state: %v, %v", ro, err)
	}
	return ro
}

// split is "rev=percent ..." of the Ingress's paths: the Route's external
// hosts, then each tag's external hosts, which must equal the cluster-local
// ones.
func (e *rolloutEnv) split() string {
	e.t.Helper()
	var out []string
	rules := e.ingress().Spec.Rules
	for i := 0; i+1 < len(rules); i += 2 {
		local, external := rules[i], rules[i+1]
		if !equality.Semantic.DeepEqual(local.HTTP, external.HTTP) {
			e.t.Fatalf("hosts %v and %v are split differently", local.Hosts, external.Hosts)
		}
		var parts []string
		for _, s := range external.HTTP.Paths[0].Splits {
			parts = append(parts, fmt.Sprintf("%s=%d", s.ServiceName, s.Percent))
		}
		out = append(out, strings.Join(parts, " "))
	}
	return strings.Join(out, " | ")
}

// statusTraffic is "rev=percent[@tag] ..." of the Route's status.traffic.
func statusTraffic(route *servingv1.Route) string {
	var parts []string
	for _, tt := range route.Status.Traffic {
		p := fmt.Sprintf("%s=%d", tt.RevisionName, ptr.Deref(tt.Percent, 0))
		if tt.Tag != "" {
			p += "@" + tt.Tag
		}
		if !ptr.Deref(tt.LatestRevision, false) {
			p += "(pinned)"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

func requireRouteCondition(t *testing.T, route *servingv1.Route, ct duckv1.ConditionType, status corev1.ConditionStatus, reason string) {
	t.Helper()
	if c := cond(&route.Status, ct); c.Status != status || c.Reason != reason {
		t.Errorf("%s = %s %s %q; want %s %s", ct, c.Status, c.Reason, c.Message, status, reason)
	}
}

// TestRolloutReconcile follows a Route through a whole rollout of a new
// revision over 2 minutes: its start, the steps planned once the Ingress
// serves the first 1%, a step in the middle, and the end.
func TestRolloutReconcile(t *testing.T) {
	route, ingress := servedRoute("hello-00001", map[string]string{serving.RolloutDurationAnnotation: "120s"})
	config := configuration("hello-00002")
	config.Status.LatestCreatedRevisionName = "hello-00002"
	e := newRolloutEnv(t, route, ingress, config, routedRevision("hello-00001"), revision("hello-00002", corev1.ConditionTrue))

	// Start: 1% to the new revision, in the Ingress and in the status.
	s := e.reconcile()
	if !s.ingressWritten || s.requeue != 0 {
		t.Fatalf("start: %+v; want the Ingress written, no step planned", s)
	}
	if got := e.split(); got != "hello-00001=99 hello-00002=1" {
		t.Errorf("start: Ingress split %s", got)
	}
	if got := statusTraffic(e.route()); got != "hello-00001=99 hello-00002=1" {
		t.Errorf("start: status.traffic %s", got)
	}
	want := oneConfig(100, RolloutParams{StartTime: at(0)}, revs("hello-00001", 99, "hello-00002", 1))
	if diff := cmp.Diff(want, e.rollout()); diff != "" {
		t.Errorf("start: rollout state (-want +got):\n%s", diff)
	}
	requireRouteCondition(t, e.route(), serving.RouteConditionIngressReady, corev1.ConditionUnknown, "RolloutInProgress")
	requireRouteCondition(t, e.route(), duckv1.ConditionReady, corev1.ConditionUnknown, "RolloutInProgress")
	if _, ok := s.patched["hello-00002"]; !ok || len(s.patched) != 1 {
		t.Errorf("start: routing patches %v; want hello-00002 marked routed only", s.patched)
	}

	// The Ingress has not served the 1% yet: nothing to do.
	e.clock.SetTime(t0.Add(time.Second))
	if s := e.reconcile(); s.ingressWritten || s.requeue != 0 {
		t.Errorf("before the Ingress serves: %+v; want nothing", s)
	}

	// It serves it after 2.4s: 39 steps of 3% every 3s fit in the 117s
	// left. The plan is stored; the split stays.
	e.clock.SetTime(t0.Add(2400 * time.Millisecond))
	e.serve()
	s = e.reconcile()
	if !s.ingressWritten || s.requeue != 3*time.Second {
		t.Fatalf("served: %+v; want the plan written, the next step in 3s", s)
	}
	want.Configurations[0].StepParams = RolloutParams{StartTime: at(0), StepSize: 3, StepDuration: int64(3 * time.Second), NextStepTime: at(5400 * time.Millisecond)}
	if diff := cmp.Diff(want, e.rollout()); diff != "" {
		t.Errorf("served: rollout state (-want +got):\n%s", diff)
	}
	if got := e.split(); got != "hello-00001=99 hello-00002=1" {
		t.Errorf("served: Ingress split %s", got)
	}

	// A reconcile before the step is due (say, after a restart) changes
	// nothing and asks to come back when it is.
	e.clock.SetTime(t0.Add(4 * time.Second))
	if s := e.reconcile(); s.ingressWritten || s.requeue != 1400*time.Millisecond {
		t.Errorf("early: %+v; want nothing written, back in 1.4s", s)
	}

	// The first step.
	e.clock.SetTime(t0.Add(5400 * time.Millisecond))
	s = e.reconcile()
	if !s.ingressWritten || s.requeue != 3*time.Second {
		t.Fatalf("first step: %+v", s)
	}
	if got := e.split(); got != "hello-00001=96 hello-00002=4" {
		t.Errorf("first step: Ingress split %s", got)
	}
	if got := statusTraffic(e.route()); got != "hello-00001=96 hello-00002=4" {
		t.Errorf("first step: status.traffic %s", got)
	}

	// 17 steps of 3%: the middle, the ingress controller keeping up.
	steps := 1
	for ; steps < 17; steps++ {
		e.clock.SetTime(e.clock.Now().Add(s.requeue))
		e.serve()
		s = e.reconcile()
	}
	if got := e.split(); got != "hello-00001=48 hello-00002=52" {
		t.Errorf("middle: Ingress split %s", got)
	}
	if got := statusTraffic(e.route()); got != "hello-00001=48 hello-00002=52" {
		t.Errorf("middle: status.traffic %s", got)
	}
	requireRouteCondition(t, e.route(), duckv1.ConditionReady, corev1.ConditionUnknown, "RolloutInProgress")
	if len(s.patched) != 0 {
		t.Errorf("middle: routing patches %v; the old revision must stay routed", s.patched)
	}

	// To the end: 33 steps in all, 2.4s + 99s after the start.
	for s.requeue > 0 {
		e.clock.SetTime(e.clock.Now().Add(s.requeue))
		e.serve()
		s = e.reconcile()
		steps++
	}
	if end := e.clock.Now().Sub(t0); steps != 33 || end != 2400*time.Millisecond+99*time.Second {
		t.Errorf("%d steps ending at +%v; want 33 at +1m41.4s", steps, end)
	}
	if got := e.split(); got != "hello-00002=100" {
		t.Errorf("end: Ingress split %s", got)
	}
	if got := statusTraffic(e.route()); got != "hello-00002=100" {
		t.Errorf("end: status.traffic %s", got)
	}
	if diff := cmp.Diff(oneConfig(100, RolloutParams{}, revs("hello-00002", 100)), e.rollout()); diff != "" {
		t.Errorf("end: rollout state (-want +got):\n%s", diff)
	}
	// The last split is not served yet: the old revision stays routed.
	requireRouteCondition(t, e.route(), serving.RouteConditionIngressReady, corev1.ConditionUnknown, "IngressNotConfigured")
	if len(s.patched) != 0 {
		t.Errorf("end: routing patches %v before the Ingress serves the end", s.patched)
	}

	// Once it does, the Route is Ready and the old revision released.
	e.serve()
	s = e.reconcile()
	if s.ingressWritten || s.requeue != 0 {
		t.Errorf("after the end: %+v", s)
	}
	requireRouteCondition(t, e.route(), duckv1.ConditionReady, corev1.ConditionTrue, "")
	if p := s.patched["hello-00001"]; !strings.Contains(p, serving.RoutingStateReserve) || len(s.patched) != 1 {
		t.Errorf("after the end: routing patches %v; want hello-00001 released", s.patched)
	}
}

// TestRolloutStateSurvivesRestarts: a Reconciler that finds a rollout in
// the Ingress's annotation continues it: no step before one is due, one
// step when one is, however late.
func TestRolloutStateSurvivesRestarts(t *testing.T) {
	route, ingress := servedRoute("hello-00001", map[string]string{serving.RolloutDurationAnnotation: "300s"})
	route.Status.Traffic = nil // a status not written before the restart
	stored := oneConfig(100, RolloutParams{StartTime: at(-time.Minute), StepSize: 5, StepDuration: int64(10 * time.Second), NextStepTime: at(2 * time.Second)},
		revs("hello-00001", 70, "hello-00002", 30))
	ingress.Annotations[RolloutAnnotation] = stored.String()
	ingress.Spec = MakeIngressWithRollout(route, []Target{latestTarget("hello-00002")}, HostsFor(route, "example.com"), stored).Spec
	route.Status.Conditions = nil
	e := newRolloutEnv(t, route, ingress, configuration("hello-00002"), routedRevision("hello-00001"), routedRevision("hello-00002"))

	s := e.reconcile()
	if s.ingressWritten || s.requeue != 2*time.Second {
		t.Errorf("before the step: %+v; want nothing written, back in 2s", s)
	}
	if got := statusTraffic(e.route()); got != "hello-00001=70 hello-00002=30" {
		t.Errorf("before the step: status.traffic %s", got)
	}

	e.clock.SetTime(t0.Add(time.Hour))
	s = e.reconcile()
	if got := e.split(); got != "hello-00001=65 hello-00002=35" || s.requeue != 10*time.Second {
		t.Errorf("an hour late: split %s, requeue %v; want one step and the next in 10s", got, s.requeue)
	}
}

func latestTarget(rev string) Target {
	return Target{TrafficTarget: servingv1.TrafficTarget{ConfigurationName: "hello", RevisionName: rev, LatestRevision: ptr.To(true), Percent: ptr.To[int64](100)}, ServiceName: rev}
}

// TestRolloutNewRevisionMidRollout: a newer revision takes 1% from the
// split of the moment and starts a new rollout.
func TestRolloutNewRevisionMidRollout(t *testing.T) {
	route, ingress := servedRoute("hello-00001", map[string]string{serving.RolloutDurationAnnotation: "300s"})
	stored := oneConfig(100, RolloutParams{StartTime: at(-time.Minute), StepSize: 5, StepDuration: int64(10 * time.Second), NextStepTime: at(2 * time.Second)},
		revs("hello-00001", 60, "hello-00002", 40))
	ingress.Annotations[RolloutAnnotation] = stored.String()
	e := newRolloutEnv(t, route, ingress, configuration("hello-00003"),
		routedRevision("hello-00001"), routedRevision("hello-00002"), revision("hello-00003", corev1.ConditionTrue))

	s := e.reconcile()
	if s.requeue != 0 {
		t.Errorf("requeue %v; the new rollout plans its steps once the Ingress serves it", s.requeue)
	}
	want := oneConfig(100, RolloutParams{StartTime: at(0)}, revs("hello-00001", 60, "hello-00002", 39, "hello-00003", 1))
	if diff := cmp.Diff(want, e.rollout()); diff != "" {
		t.Errorf("rollout state (-want +got):\n%s", diff)
	}
	if got := e.split(); got != "hello-00001=60 hello-00002=39 hello-00003=1" {
		t.Errorf("Ingress split %s", got)
	}
	if got := statusTraffic(e.route()); got != "hello-00001=60 hello-00002=39 hello-00003=1" {
		t.Errorf("status.traffic %s", got)
	}
	if _, released := s.patched["hello-00002"]; released {
		t.Errorf("routing patches %v: hello-00002 still has traffic", s.patched)
	}
}

// TestWhichRolloutDuration: the Route's annotation (which a Service passes
// on), else config-network; none, or a broken state, moves traffic at once
// as before rollouts existed.
func TestWhichRolloutDuration(t *testing.T) {
	cases := []struct {
		name        string
		annotations map[string]string
		network     time.Duration
		stored      string // the Ingress's rollout annotation; "-": as made
		wantSplit   string
	}{
		{name: "none", stored: "-", wantSplit: "hello-00002=100"},
		{name: "annotation", annotations: map[string]string{serving.RolloutDurationAnnotation: "60s"}, stored: "-", wantSplit: "hello-00001=99 hello-00002=1"},
		{name: "legacy annotation", annotations: map[string]string{RolloutDurationLegacyAnnotation: "60s"}, stored: "-", wantSplit: "hello-00001=99 hello-00002=1"},
		{name: "config-network", network: time.Minute, stored: "-", wantSplit: "hello-00001=99 hello-00002=1"},
		{name: "negative annotation disables", annotations: map[string]string{serving.RolloutDurationAnnotation: "-1s"}, network: time.Minute, stored: "-",
			wantSplit: "hello-00002=100"},
		{name: "corrupt state", network: time.Minute, stored: `{"configurations":[{"configurationName":"hello","percent":100}]}`, wantSplit: "hello-00002=100"},
		// Ingresses written before rollouts existed hold no state.
		{name: "no state", network: time.Minute, stored: "", wantSplit: "hello-00002=100"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			route, ingress := servedRoute("hello-00001", c.annotations)
			if c.stored != "-" {
				ingress.Annotations[RolloutAnnotation] = c.stored
			}
			e := newRolloutEnv(t, route, ingress, configuration("hello-00002"), routedRevision("hello-00001"), revision("hello-00002", corev1.ConditionTrue))
			e.network = c.network
			if s := e.reconcile(); s.requeue != 0 || !s.ingressWritten {
				t.Errorf("%+v", s)
			}
			if got := e.split(); got != c.wantSplit {
				t.Errorf("Ingress split %s, want %s", got, c.wantSplit)
			}
			if got := statusTraffic(e.route()); got != c.wantSplit {
				t.Errorf("status.traffic %s, want %s", got, c.wantSplit)
			}
			// The state is always recorded, so a rollout enabled later has
			// something to start from.
			if got := e.ingress().Annotations[RolloutAnnotation]; !strings.Contains(got, `"revisionName":"hello-00002"`) {
				t.Errorf("rollout state %s", got)
			}
		})
	}
}

// TestRolloutWithTags: the Route's hosts roll the configuration's share of
// them; a tag's hosts roll on their own, and status.traffic shows the
// tag's split under the tag, as Knative does.
func TestRolloutWithTags(t *testing.T) {
	route := newRoute(
		servingv1.TrafficTarget{RevisionName: "hello-00001", Tag: "stable", LatestRevision: ptr.To(false), Percent: ptr.To[int64](50)},
		servingv1.TrafficTarget{ConfigurationName: "hello", Tag: "latest", LatestRevision: ptr.To(true), Percent: ptr.To[int64](50)},
	)
	route.Annotations = map[string]string{serving.RolloutDurationAnnotation: "60s"}
	pinned := Target{TrafficTarget: *route.Spec.Traffic[0].DeepCopy(), ServiceName: "hello-00001"}
	latest := Target{TrafficTarget: *route.Spec.Traffic[1].DeepCopy(), ServiceName: "hello-00001"}
	latest.RevisionName = "hello-00001"
	ingress := MakeIngress(route, []Target{pinned, latest}, HostsFor(route, "example.com"))
	e := newRolloutEnv(t, route, ingress, configuration("hello-00002"), routedRevision("hello-00001"), revision("hello-00002", corev1.ConditionTrue))
	e.network = time.Minute
	e.reconcile()
	// The Route's hosts: the pinned 50% and the rolling 50%; then the tags
	// in order, latest and stable.
	if got, want := e.split(), "hello-00001=99 hello-00002=1 | hello-00001=99 hello-00002=1 | hello-00001=100"; got != want {
		t.Errorf("Ingress split %s, want %s", got, want)
	}
	if got, want := statusTraffic(e.route()), "hello-00001=50@stable(pinned) hello-00001=99@latest hello-00002=1@latest"; got != want {
		t.Errorf("status.traffic %s, want %s", got, want)
	}
	want := &Rollout{Configurations: []*ConfigurationRollout{
		{ConfigurationName: "hello", Percent: 50, Revisions: revs("hello-00001", 49, "hello-00002", 1), StepParams: RolloutParams{StartTime: at(0)}},
		{ConfigurationName: "hello", Tag: "latest", Percent: 100, Revisions: revs("hello-00001", 99, "hello-00002", 1), StepParams: RolloutParams{StartTime: at(0)}},
	}}
	if diff := cmp.Diff(want, e.rollout()); diff != "" {
		t.Errorf("rollout state (-want +got):\n%s", diff)
	}
}

// TestRolloutRevisionsStayRouted: a revision the Ingress still splits
// traffic to keeps the Route in its routing state even where
// status.traffic does not show it (it shows the tag's split, finished
// here, not the Route's own) and the Route has failed, which otherwise
// releases what status and spec do not name.
func TestRolloutRevisionsStayRouted(t *testing.T) {
	route := newRoute(
		servingv1.TrafficTarget{RevisionName: "hello-00000", Tag: "stable", LatestRevision: ptr.To(false), Percent: ptr.To[int64](50)},
		servingv1.TrafficTarget{ConfigurationName: "hello", Tag: "latest", LatestRevision: ptr.To(true), Percent: ptr.To[int64](50)},
	)
	route.Annotations = map[string]string{serving.RolloutDurationAnnotation: "60s"}
	route.Status.Traffic = []servingv1.TrafficTarget{
		{RevisionName: "hello-00000", Tag: "stable", LatestRevision: ptr.To(false), Percent: ptr.To[int64](50)},
		{RevisionName: "hello-00002", Tag: "latest", LatestRevision: ptr.To(true), Percent: ptr.To[int64](100)},
	}
	stored := &Rollout{Configurations: []*ConfigurationRollout{
		{ConfigurationName: "hello", Percent: 50, Revisions: revs("hello-00001", 10, "hello-00002", 40),
			StepParams: RolloutParams{StartTime: at(-time.Minute), StepSize: 2, StepDuration: int64(time.Second), NextStepTime: at(time.Second)}},
		{ConfigurationName: "hello", Tag: "latest", Percent: 100, Revisions: revs("hello-00002", 100)},
	}}
	ingress := MakeIngressWithRollout(route, nil, HostsFor(route, "example.com"), stored)
	// hello-00000 is gone: the Route fails.
	e := newRolloutEnv(t, route, ingress, configuration("hello-00002"), routedRevision("hello-00001"), routedRevision("hello-00002"))
	s := e.reconcile()
	requireRouteCondition(t, e.route(), duckv1.ConditionReady, corev1.ConditionFalse, "RevisionMissing")
	if _, released := s.patched["hello-00001"]; released {
		t.Errorf("routing patches %v: hello-00001 still has 10%% of the traffic", s.patched)
	}
}
