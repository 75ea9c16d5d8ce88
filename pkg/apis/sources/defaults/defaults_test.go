package defaults_test

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/sources"
	"github.com/knap-dev/knap/pkg/apis/sources/defaults"
)

var meta = metav1.ObjectMeta{Name: "src", Namespace: "ns"}

// check runs def on create and on update (old = the created object), and
// again on the result, which must not change (idempotence).
func check[T any](t *testing.T, in, want *T, copyOf func(*T) *T, def func(obj, old *T, user string)) {
	t.Helper()
	got := copyOf(in)
	def(got, nil, "alice")
	if !equality.Semantic.DeepEqual(got, want) {
		t.Errorf("create: got %+v, want %+v", got, want)
	}
	again := copyOf(got)
	def(again, got, "bob")
	if !equality.Semantic.DeepEqual(again, want) {
		t.Errorf("defaulting again on update: got %+v, want %+v", again, want)
	}
	upd := copyOf(in)
	def(upd, want, "bob")
	if !equality.Semantic.DeepEqual(upd, want) {
		t.Errorf("update: got %+v, want %+v", upd, want)
	}
}

func TestPingSource(t *testing.T) {
	tests := []struct {
		name     string
		in, want string
	}{
		{"empty schedule fires every minute", "", "* * * * *"},
		{"given schedule is kept", "0 */2 * * *", "0 */2 * * *"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &sources.PingSource{ObjectMeta: meta, Spec: sources.PingSourceSpec{Schedule: tc.in, Data: "x"}}
			want := &sources.PingSource{ObjectMeta: meta, Spec: sources.PingSourceSpec{Schedule: tc.want, Data: "x"}}
			check(t, in, want, (*sources.PingSource).DeepCopy, defaults.PingSource)
		})
	}
}

func TestApiServerSource(t *testing.T) {
	tests := []struct {
		name                 string
		mode, sa             string
		wantMode, wantSAName string
	}{
		{"mode Reference and the default service account", "", "", "Reference", "default"},
		{"given mode and service account are kept", "Resource", "watcher", "Resource", "watcher"},
		{"an invalid mode is kept for validation", "Bogus", "", "Bogus", "default"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &sources.ApiServerSource{ObjectMeta: meta, Spec: sources.ApiServerSourceSpec{Mode: tc.mode, ServiceAccountName: tc.sa}}
			want := &sources.ApiServerSource{ObjectMeta: meta, Spec: sources.ApiServerSourceSpec{Mode: tc.wantMode, ServiceAccountName: tc.wantSAName}}
			check(t, in, want, (*sources.ApiServerSource).DeepCopy, defaults.ApiServerSource)
		})
	}
}

func TestSinkBinding(t *testing.T) {
	uri := "http://example.com"
	ref := func(ns string) *duckv1.KReference {
		return &duckv1.KReference{APIVersion: "v1", Kind: "Service", Name: "sink", Namespace: ns}
	}
	tests := []struct {
		name          string
		subjectNS     string
		sink          duckv1.Destination
		wantSubjectNS string
		wantSink      duckv1.Destination
	}{
		{"subject and sink ref in the binding's namespace", "", duckv1.Destination{Ref: ref("")}, "ns", duckv1.Destination{Ref: ref("ns")}},
		{"given namespaces are kept", "other", duckv1.Destination{Ref: ref("else")}, "other", duckv1.Destination{Ref: ref("else")}},
		{"a URI sink gets no ref", "", duckv1.Destination{URI: &uri}, "ns", duckv1.Destination{URI: &uri}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &sources.SinkBinding{ObjectMeta: meta}
			in.Spec.Subject = sources.Reference{APIVersion: "apps/v1", Kind: "Deployment", Name: "app", Namespace: tc.subjectNS}
			in.Spec.Sink = tc.sink
			want := in.DeepCopy()
			want.Spec.Subject.Namespace = tc.wantSubjectNS
			want.Spec.Sink = tc.wantSink
			check(t, in, want, (*sources.SinkBinding).DeepCopy, defaults.SinkBinding)
		})
	}
}

func TestContainerSource(t *testing.T) {
	in := &sources.ContainerSource{ObjectMeta: meta}
	in.Spec.Template.Spec.Containers = []corev1.Container{{Image: "a"}, {Name: "named", Image: "b"}, {Image: "c"}}
	want := in.DeepCopy()
	want.Spec.Template.Spec.Containers[0].Name = "src-0"
	want.Spec.Template.Spec.Containers[2].Name = "src-2"
	check(t, in, want, (*sources.ContainerSource).DeepCopy, defaults.ContainerSource)

	t.Run("no containers stay none", func(t *testing.T) {
		empty := &sources.ContainerSource{ObjectMeta: meta}
		check(t, empty, empty.DeepCopy(), (*sources.ContainerSource).DeepCopy, defaults.ContainerSource)
	})
}
