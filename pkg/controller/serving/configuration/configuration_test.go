package configuration

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
	servinglisters "github.com/knap-dev/knap/pkg/generated/listers/serving/v1"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func newConfig(generation int64) *servingv1.Configuration {
	return &servingv1.Configuration{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "hello", UID: "cfg-uid", Generation: generation,
			Labels:      map[string]string{serving.ServiceLabel: "hello", serving.ServiceUIDLabel: "svc-uid"},
			Annotations: map[string]string{serving.UpdaterAnnotation: "bob", serving.RoutesAnnotation: "hello"}},
		Spec: servingv1.ConfigurationSpec{Template: servingv1.RevisionTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "hello"}},
			Spec:       servingv1.RevisionSpec{PodSpec: corev1.PodSpec{Containers: []corev1.Container{{Image: "hello"}}}},
		}},
	}
}

// revision is the Revision of config's current generation, with a Ready
// condition of the given status ("" for none).
func revision(config *servingv1.Configuration, ready corev1.ConditionStatus) *servingv1.Revision {
	rev := MakeRevision(config, now)
	if ready != "" {
		rev.Status.Conditions = []duckv1.Condition{{Type: duckv1.ConditionReady, Status: ready, Message: "image pull failed"}}
	}
	return rev
}

func run(t *testing.T, config *servingv1.Configuration, objs ...runtime.Object) ([]clienttesting.Action, *servingv1.ConfigurationStatus, error) {
	t.Helper()
	objs = append(objs, config)
	client := fake.NewSimpleClientset(objs...)
	configs := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	revs := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	for _, o := range objs {
		switch o.(type) {
		case *servingv1.Configuration:
			_ = configs.Add(o)
		case *servingv1.Revision:
			_ = revs.Add(o)
		}
	}
	r := &Reconciler{
		Client:         client,
		Configurations: servinglisters.NewConfigurationLister(configs),
		Revisions:      servinglisters.NewRevisionLister(revs),
		Recorder:       record.NewFakeRecorder(10),
		Now:            func() time.Time { return now },
	}
	err := r.Reconcile(context.Background(), "ns/hello")
	var writes []clienttesting.Action
	var status *servingv1.ConfigurationStatus
	for _, a := range client.Actions() {
		if a.GetVerb() == "create" || a.GetVerb() == "update" || a.GetVerb() == "delete" {
			writes = append(writes, a)
		}
		if u, ok := a.(clienttesting.UpdateAction); ok && a.GetSubresource() == "status" {
			status = &u.GetObject().(*servingv1.Configuration).Status
		}
	}
	return writes, status, err
}

func ready(s *servingv1.ConfigurationStatus) *duckv1.Condition {
	return s.GetCondition(duckv1.ConditionReady)
}

func TestFirstGenerationCreatesRevision(t *testing.T) {
	writes, status, err := run(t, newConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(writes) != 2 || writes[0].GetVerb() != "create" {
		t.Fatalf("writes %v", writes)
	}
	rev := writes[0].(clienttesting.CreateAction).GetObject().(*servingv1.Revision)
	wantLabels := map[string]string{
		"app": "hello", serving.ConfigurationLabel: "hello", serving.ConfigurationGenerationLabel: "1",
		serving.ConfigurationUIDLabel: "cfg-uid", serving.ServiceLabel: "hello", serving.ServiceUIDLabel: "svc-uid",
		serving.RoutingStateLabel: serving.RoutingStateActive,
	}
	for k, v := range wantLabels {
		if rev.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, rev.Labels[k], v)
		}
	}
	if rev.Name != "hello-00001" || rev.Annotations[serving.CreatorAnnotation] != "bob" || rev.Annotations[serving.RoutesAnnotation] != "hello" ||
		rev.Annotations[serving.RoutingStateModifiedAnnotation] != "2026-11-25T12:00:00Z" || !metav1.IsControlledBy(rev, newConfig(1)) {
		t.Errorf("revision meta %+v", rev.ObjectMeta)
	}
	if status.LatestCreatedRevisionName != "hello-00001" || status.LatestReadyRevisionName != "" || ready(status).Status != corev1.ConditionUnknown || status.ObservedGeneration != 1 {
		t.Errorf("status %+v", status)
	}
}

func TestReadyRevisionMakesConfigurationReady(t *testing.T) {
	config := newConfig(1)
	_, status, err := run(t, config, revision(config, corev1.ConditionTrue))
	if err != nil {
		t.Fatal(err)
	}
	if status.LatestReadyRevisionName != "hello-00001" || ready(status).Status != corev1.ConditionTrue {
		t.Errorf("status %+v", status)
	}
}

// A failing new revision leaves latestReadyRevisionName on the last good one.
func TestFailingRevisionKeepsLastReady(t *testing.T) {
	old := revision(newConfig(1), corev1.ConditionTrue)
	config := newConfig(2)
	config.Spec.Template.Spec.Containers[0].Image = "missing"
	config.Status.LatestCreatedRevisionName, config.Status.LatestReadyRevisionName = "hello-00001", "hello-00001"
	writes, status, err := run(t, config, old, revision(config, corev1.ConditionFalse))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range writes {
		if w.GetVerb() == "create" {
			t.Errorf("created %v for a generation that has its revision", w)
		}
	}
	c := ready(status)
	if status.LatestCreatedRevisionName != "hello-00002" || status.LatestReadyRevisionName != "hello-00001" ||
		c.Status != corev1.ConditionFalse || c.Reason != "RevisionFailed" || !strings.Contains(c.Message, "image pull failed") {
		t.Errorf("status %+v", status)
	}
}

func TestTemplateNameTakenByAnotherConfiguration(t *testing.T) {
	config := newConfig(1)
	config.Spec.Template.Name = "hello-v1"
	other := &servingv1.Revision{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "hello-v1"}}
	writes, status, err := run(t, config, other)
	if err != nil {
		t.Fatal(err)
	}
	if len(writes) != 1 {
		t.Errorf("writes %v, want the status only", writes)
	}
	if c := ready(status); c.Status != corev1.ConditionFalse || c.Reason != "RevisionFailed" {
		t.Errorf("Ready %+v", c)
	}
}

func TestChildName(t *testing.T) {
	if got := ChildName("hello", "-00001"); got != "hello-00001" {
		t.Errorf("short: %q", got)
	}
	long := strings.Repeat("a", 60)
	got := ChildName(long, "-00001")
	if len(got) != 63 || !strings.HasSuffix(got, "-00001") || got == ChildName(long+"b", "-00001") {
		t.Errorf("long: %q (%d)", got, len(got))
	}
}
