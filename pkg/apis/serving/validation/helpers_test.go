package validation_test

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/apis/serving/validation"
)

const testImage = "ghcr.io/knap-dev/hello:v1"

func ptr[T any](v T) *T { return &v }

// revisionSpec is a minimal valid spec, shaped as after defaulting.
func revisionSpec() serving.RevisionSpec {
	return serving.RevisionSpec{
		PodSpec: corev1.PodSpec{
			Containers: []corev1.Container{{
				Name:  "user-container",
				Image: testImage,
				ReadinessProbe: &corev1.Probe{
					ProbeHandler:     corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{}},
					SuccessThreshold: 1,
				},
			}},
			EnableServiceLinks: ptr(false),
		},
		TimeoutSeconds:       ptr[int64](300),
		ContainerConcurrency: ptr[int64](0),
	}
}

func newService() *serving.Service {
	s := &serving.Service{ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: "default", ResourceVersion: "1"}}
	s.Spec.Template.Spec = revisionSpec()
	s.Spec.Traffic = []serving.TrafficTarget{{LatestRevision: ptr(true), Percent: ptr[int64](100)}}
	return s
}

func newConfiguration() *serving.Configuration {
	c := &serving.Configuration{ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: "default", ResourceVersion: "1"}}
	c.Spec.Template.Spec = revisionSpec()
	return c
}

func newRevision() *serving.Revision {
	return &serving.Revision{
		ObjectMeta: metav1.ObjectMeta{Name: "hello-00001", Namespace: "default", ResourceVersion: "1"},
		Spec:       revisionSpec(),
	}
}

func newRoute() *serving.Route {
	return &serving.Route{
		ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: "default", ResourceVersion: "1"},
		Spec: serving.RouteSpec{Traffic: []serving.TrafficTarget{{
			ConfigurationName: "hello", LatestRevision: ptr(true), Percent: ptr[int64](100),
		}}},
	}
}

// revisionWith validates a Revision whose spec mutate changed.
func revisionWith(mutate func(*serving.RevisionSpec)) field.ErrorList {
	r := newRevision()
	mutate(&r.Spec)
	return validation.ValidateRevision(r)
}

// expectPaths fails unless errs name exactly the fields in want (any order;
// repeat a path to expect several errors on it).
func expectPaths(t *testing.T, errs field.ErrorList, want ...string) {
	t.Helper()
	got := make([]string, 0, len(errs))
	for _, e := range errs {
		got = append(got, e.Field)
	}
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("error fields = %q, want %q\nerrors:\n%s", got, want, describe(errs))
	}
}

// expectType fails unless every error is of type typ.
func expectType(t *testing.T, errs field.ErrorList, typ field.ErrorType) {
	t.Helper()
	for _, e := range errs {
		if e.Type != typ {
			t.Errorf("%s: type %q, want %q", e.Field, e.Type, typ)
		}
	}
}

func describe(errs field.ErrorList) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("  " + e.Error() + "\n")
	}
	return b.String()
}
