package service

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
	servinglisters "github.com/knap-dev/knap/pkg/generated/listers/serving/v1"
)

func newService() *servingv1.Service {
	return &servingv1.Service{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "hello", UID: "svc-uid", Generation: 2,
			Labels: map[string]string{"team": "a"}, Annotations: map[string]string{
				serving.CreatorAnnotation: "alice", corev1.LastAppliedConfigAnnotation: "{}", serving.RolloutDurationAnnotation: "60s"}},
		Spec: servingv1.ServiceSpec{
			ConfigurationSpec: servingv1.ConfigurationSpec{Template: servingv1.RevisionTemplateSpec{
				Spec: servingv1.RevisionSpec{PodSpec: corev1.PodSpec{Containers: []corev1.Container{{Image: "hello"}}}},
			}},
			RouteSpec: servingv1.RouteSpec{Traffic: []servingv1.TrafficTarget{{LatestRevision: ptr.To(true), Percent: ptr.To[int64](100)}}},
		},
	}
}

func condition(t duckv1.ConditionType, s corev1.ConditionStatus, reason, msg string) duckv1.Condition {
	return duckv1.Condition{Type: t, Status: s, Reason: reason, Message: msg}
}

// readyConfig and readyRoute are the children as their controllers leave
// them once the first revision is ready.
func readyConfig(svc *servingv1.Service) *servingv1.Configuration {
	c := MakeConfiguration(svc, nil)
	c.Generation, c.Status.ObservedGeneration = 1, 1
	c.Status.LatestCreatedRevisionName, c.Status.LatestReadyRevisionName = "hello-00001", "hello-00001"
	c.Status.Conditions = []duckv1.Condition{condition(duckv1.ConditionReady, corev1.ConditionTrue, "", "")}
	return c
}

func readyRoute(svc *servingv1.Service) *servingv1.Route {
	r := MakeRoute(svc)
	r.Generation, r.Status.ObservedGeneration = 1, 1
	r.Status.URL = ptr.To("http://hello.ns.example.com")
	r.Status.Address = &duckv1.Addressable{URL: ptr.To("http://hello.ns.svc.cluster.local")}
	r.Status.Traffic = []servingv1.TrafficTarget{{RevisionName: "hello-00001", LatestRevision: ptr.To(true), Percent: ptr.To[int64](100)}}
	r.Status.Conditions = []duckv1.Condition{condition(duckv1.ConditionReady, corev1.ConditionTrue, "", "")}
	return r
}

// run reconciles the Service among objs and returns the client's writes
// and the status written last (nil if none).
func run(t *testing.T, objs ...runtime.Object) ([]clienttesting.Action, *servingv1.ServiceStatus, error) {
	t.Helper()
	client := fake.NewSimpleClientset(objs...) // no field management: the generated apply schema is not needed here
	indexers := map[string]cache.Indexer{}
	for _, kind := range []string{"services", "configurations", "routes", "revisions"} {
		indexers[kind] = cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	}
	for _, o := range objs {
		switch o.(type) {
		case *servingv1.Service:
			_ = indexers["services"].Add(o)
		case *servingv1.Configuration:
			_ = indexers["configurations"].Add(o)
		case *servingv1.Route:
			_ = indexers["routes"].Add(o)
		case *servingv1.Revision:
			_ = indexers["revisions"].Add(o)
		}
	}
	r := &Reconciler{
		Client:         client,
		Services:       servinglisters.NewServiceLister(indexers["services"]),
		Configurations: servinglisters.NewConfigurationLister(indexers["configurations"]),
		Routes:         servinglisters.NewRouteLister(indexers["routes"]),
		Revisions:      servinglisters.NewRevisionLister(indexers["revisions"]),
		Recorder:       record.NewFakeRecorder(10),
	}
	err := r.Reconcile(context.Background(), "ns/hello")
	var writes []clienttesting.Action
	var status *servingv1.ServiceStatus
	for _, a := range client.Actions() {
		if a.GetVerb() == "list" || a.GetVerb() == "watch" || a.GetVerb() == "get" {
			continue
		}
		writes = append(writes, a)
		if u, ok := a.(clienttesting.UpdateAction); ok && a.GetSubresource() == "status" {
			status = &u.GetObject().(*servingv1.Service).Status
		}
	}
	return writes, status, err
}

func verbs(actions []clienttesting.Action) []string {
	var out []string
	for _, a := range actions {
		v := a.GetVerb() + " " + a.GetResource().Resource
		if a.GetSubresource() != "" {
			v += "/" + a.GetSubresource()
		}
		out = append(out, v)
	}
	return out
}

func requireCondition(t *testing.T, s *servingv1.ServiceStatus, want duckv1.Condition) {
	t.Helper()
	got := s.GetCondition(want.Type)
	if got == nil || got.Status != want.Status || got.Reason != want.Reason || (want.Message != "" && got.Message != want.Message) {
		t.Errorf("condition %s = %+v, want %s %s %q", want.Type, got, want.Status, want.Reason, want.Message)
	}
}

func TestNewServiceCreatesConfigurationAndRoute(t *testing.T) {
	svc := newService()
	writes, status, err := run(t, svc)
	if err != nil {
		t.Fatal(err)
	}
	if got := verbs(writes); len(got) != 3 || got[0] != "create configurations" || got[1] != "create routes" || got[2] != "update services/status" {
		t.Fatalf("writes %v", got)
	}
	config := writes[0].(clienttesting.CreateAction).GetObject().(*servingv1.Configuration)
	if !metav1.IsControlledBy(config, svc) || config.Labels[serving.ServiceLabel] != "hello" || config.Labels[serving.ServiceUIDLabel] != "svc-uid" || config.Labels["team"] != "a" {
		t.Errorf("configuration meta %+v", config.ObjectMeta)
	}
	if _, ok := config.Annotations[corev1.LastAppliedConfigAnnotation]; ok || config.Annotations[serving.CreatorAnnotation] != "alice" || config.Annotations[serving.RoutesAnnotation] != "hello" {
		t.Errorf("configuration annotations %v", config.Annotations)
	}
	if _, ok := config.Annotations[serving.RolloutDurationAnnotation]; ok {
		t.Error("the rollout duration annotation was copied to the configuration")
	}
	route := writes[1].(clienttesting.CreateAction).GetObject().(*servingv1.Route)
	if !metav1.IsControlledBy(route, svc) || route.Spec.Traffic[0].ConfigurationName != "hello" {
		t.Errorf("route %+v", route)
	}
	if route.Annotations[serving.RolloutDurationAnnotation] != "60s" {
		t.Errorf("route annotations %v, want the rollout duration kept", route.Annotations)
	}
	requireCondition(t, status, condition(serving.ServiceConditionRoutesReady, corev1.ConditionUnknown, "TrafficNotMigrated", ""))
	requireCondition(t, status, condition(duckv1.ConditionReady, corev1.ConditionUnknown, "TrafficNotMigrated", ""))
	if status.ObservedGeneration != 2 {
		t.Errorf("observedGeneration %d, want 2", status.ObservedGeneration)
	}
}

func TestReadyChildrenMakeServiceReady(t *testing.T) {
	svc := newService()
	writes, status, err := run(t, svc, readyConfig(svc), readyRoute(svc))
	if err != nil {
		t.Fatal(err)
	}
	if got := verbs(writes); len(got) != 1 || got[0] != "update services/status" {
		t.Fatalf("writes %v, want only the status", got)
	}
	requireCondition(t, status, condition(duckv1.ConditionReady, corev1.ConditionTrue, "", ""))
	if status.LatestReadyRevisionName != "hello-00001" || *status.URL != "http://hello.ns.example.com" ||
		*status.Address.URL != "http://hello.ns.svc.cluster.local" || status.Traffic[0].RevisionName != "hello-00001" {
		t.Errorf("status fields %+v", status)
	}

	// Reconciling the ready Service again writes nothing.
	ready := svc.DeepCopy()
	ready.Status = *status
	if writes, _, err := run(t, ready, readyConfig(svc), readyRoute(svc)); err != nil || len(writes) != 0 {
		t.Errorf("second reconcile: %v %v", verbs(writes), err)
	}
}

func TestFailingConfigurationFailsService(t *testing.T) {
	svc := newService()
	config := readyConfig(svc)
	config.Status.Conditions = []duckv1.Condition{condition(duckv1.ConditionReady, corev1.ConditionFalse, "RevisionFailed", `Revision "hello-00002" failed: image not found`)}
	_, status, err := run(t, svc, config, readyRoute(svc))
	if err != nil {
		t.Fatal(err)
	}
	requireCondition(t, status, condition(serving.ServiceConditionConfigurationsReady, corev1.ConditionFalse, "RevisionFailed", ""))
	requireCondition(t, status, condition(duckv1.ConditionReady, corev1.ConditionFalse, "RevisionFailed", `Revision "hello-00002" failed: image not found`))
}

func TestOutdatedChildren(t *testing.T) {
	svc := newService()
	config, route := readyConfig(svc), readyRoute(svc)
	config.Generation = 2
	route.Status.Traffic[0].RevisionName = "hello-00000"
	_, status, err := run(t, svc, config, route)
	if err != nil {
		t.Fatal(err)
	}
	requireCondition(t, status, condition(serving.ServiceConditionConfigurationsReady, corev1.ConditionUnknown, "OutOfDate", ""))
	requireCondition(t, status, condition(serving.ServiceConditionRoutesReady, corev1.ConditionUnknown, "TrafficNotMigrated", ""))
}

func TestChildEditedByHandIsPutBack(t *testing.T) {
	svc := newService()
	config, route := readyConfig(svc), readyRoute(svc)
	config.Spec.Template.Spec.Containers[0].Image = "edited"
	route.Spec.Traffic[0].Percent = ptr.To[int64](50)
	writes, _, err := run(t, svc, config, route)
	if err != nil {
		t.Fatal(err)
	}
	got := verbs(writes)
	if len(got) < 2 || got[0] != "update configurations" || got[1] != "update routes" {
		t.Fatalf("writes %v", got)
	}
	if img := writes[0].(clienttesting.UpdateAction).GetObject().(*servingv1.Configuration).Spec.Template.Spec.Containers[0].Image; img != "hello" {
		t.Errorf("configuration image put back as %q", img)
	}
}

func TestChildNotOwned(t *testing.T) {
	svc := newService()
	config := readyConfig(svc)
	config.OwnerReferences = nil
	writes, status, err := run(t, svc, config)
	if !reconciler.IsPermanent(err) {
		t.Fatalf("err %v, want a permanent error", err)
	}
	if got := verbs(writes); len(got) != 1 || got[0] != "update services/status" {
		t.Errorf("writes %v", got)
	}
	requireCondition(t, status, condition(serving.ServiceConditionConfigurationsReady, corev1.ConditionFalse, "NotOwned", `There is an existing Configuration "hello" that we do not own.`))
}

func TestRevisionNameTaken(t *testing.T) {
	svc := newService()
	svc.Spec.Template.Name = "hello-v2"
	config := readyConfig(svc)
	other := &servingv1.Revision{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "hello-v2"}}
	_, status, err := run(t, svc, config, readyRoute(svc), other)
	if err != nil {
		t.Fatal(err)
	}
	requireCondition(t, status, condition(serving.ServiceConditionRoutesReady, corev1.ConditionFalse, "RevisionNameTaken", ""))
}

// TestRolloutDurationGoesToTheRoute: the Service's rollout duration, in
// either spelling, is passed on to its Route and kept off its
// Configuration (and so off its revisions), as Knative does.
func TestRolloutDurationGoesToTheRoute(t *testing.T) {
	svc := newService()
	svc.Annotations[rolloutDurationLegacyAnnotation] = "90s"
	config, route := MakeConfiguration(svc, nil), MakeRoute(svc)
	for _, key := range []string{serving.RolloutDurationAnnotation, rolloutDurationLegacyAnnotation} {
		if v, ok := config.Annotations[key]; ok {
			t.Errorf("the Configuration has %s=%q", key, v)
		}
	}
	if route.Annotations[serving.RolloutDurationAnnotation] != "60s" || route.Annotations[rolloutDurationLegacyAnnotation] != "90s" {
		t.Errorf("route annotations %v, want both spellings", route.Annotations)
	}
}

// TestRouteReportsItsOwnProgress: while its Route rolls a new revision out
// gradually (status.traffic split between the old and the new), the
// Service shows the Route's reason, not TrafficNotMigrated; a failed Route
// shows its failure. A Route that claims to be ready is still checked.
func TestRouteReportsItsOwnProgress(t *testing.T) {
	svc := newService()
	config := readyConfig(svc)
	config.Status.LatestCreatedRevisionName, config.Status.LatestReadyRevisionName = "hello-00002", "hello-00002"
	rolling := readyRoute(svc)
	rolling.Status.Traffic = []servingv1.TrafficTarget{
		{RevisionName: "hello-00001", LatestRevision: ptr.To(true), Percent: ptr.To[int64](70)},
		{RevisionName: "hello-00002", LatestRevision: ptr.To(true), Percent: ptr.To[int64](30)},
	}
	const inProgress = "A gradual rollout of the latest revision(s) is in progress."
	rolling.Status.Conditions = []duckv1.Condition{condition(duckv1.ConditionReady, corev1.ConditionUnknown, "RolloutInProgress", inProgress)}
	failed := readyRoute(svc)
	failed.Status.Conditions = []duckv1.Condition{condition(duckv1.ConditionReady, corev1.ConditionFalse, "RevisionMissing", `Revision "hello-00002" failed to become ready.`)}
	stale := readyRoute(svc) // Ready, still on hello-00001

	for _, c := range []struct {
		name  string
		route *servingv1.Route
		want  duckv1.Condition
	}{
		{"rolling out", rolling, condition(serving.ServiceConditionRoutesReady, corev1.ConditionUnknown, "RolloutInProgress", inProgress)},
		{"failed", failed, condition(serving.ServiceConditionRoutesReady, corev1.ConditionFalse, "RevisionMissing", `Revision "hello-00002" failed to become ready.`)},
		{"ready but stale", stale, condition(serving.ServiceConditionRoutesReady, corev1.ConditionUnknown, "TrafficNotMigrated", "")},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, status, err := run(t, svc, config, c.route)
			if err != nil {
				t.Fatal(err)
			}
			requireCondition(t, status, c.want)
			if got := len(status.Traffic); got != len(c.route.Status.Traffic) {
				t.Errorf("status.traffic %+v, want the Route's", status.Traffic)
			}
		})
	}
}
