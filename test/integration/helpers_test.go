package integration

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
)

var namespaceCounter atomic.Int32

// namespace returns a namespace no other test uses. Standalone knap has no
// core API, so namespaces need not exist.
func namespace(t *testing.T) string {
	t.Helper()
	return fmt.Sprintf("it-%d-%s", namespaceCounter.Add(1), strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))[:min(20, len(t.Name()))])
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func helloSpec() servingv1.RevisionSpec {
	return servingv1.RevisionSpec{PodSpec: corev1.PodSpec{Containers: []corev1.Container{{
		Image: "ghcr.io/knative/helloworld-go:latest",
		Ports: []corev1.ContainerPort{{ContainerPort: 8080}},
		Env:   []corev1.EnvVar{{Name: "TARGET", Value: "knap"}},
	}}}}
}

func newService(name string) *servingv1.Service {
	return &servingv1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: servingv1.ServiceSpec{ConfigurationSpec: servingv1.ConfigurationSpec{
			Template: servingv1.RevisionTemplateSpec{Spec: helloSpec()},
		}},
	}
}

func newConfiguration(name string) *servingv1.Configuration {
	return &servingv1.Configuration{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       servingv1.ConfigurationSpec{Template: servingv1.RevisionTemplateSpec{Spec: helloSpec()}},
	}
}

func newRevision(name string) *servingv1.Revision {
	return &servingv1.Revision{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: helloSpec()}
}

func newRoute(name string) *servingv1.Route {
	return &servingv1.Route{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: servingv1.RouteSpec{Traffic: []servingv1.TrafficTarget{{
			ConfigurationName: name, Percent: ptr.To[int64](100),
		}}},
	}
}

func readyStatus(status corev1.ConditionStatus, reason string) duckv1.Status {
	return duckv1.Status{ObservedGeneration: 1, Conditions: []duckv1.Condition{{
		Type: duckv1.ConditionReady, Status: status, Reason: reason,
		LastTransitionTime: metav1.NewTime(time.Now().Truncate(time.Second)),
	}}}
}

// requireInvalid asserts err is a 422 whose causes name every field path.
func requireInvalid(t *testing.T, err error, paths ...string) {
	t.Helper()
	if !apierrors.IsInvalid(err) {
		t.Fatalf("want 422 Invalid naming %v, got %v", paths, err)
	}
	status := err.(apierrors.APIStatus).Status()
	for _, p := range paths {
		found := false
		for _, c := range status.Details.Causes {
			if c.Field == p || strings.HasPrefix(c.Field, p+".") || strings.HasPrefix(c.Field, p+"[") {
				found = true
			}
		}
		if !found {
			t.Errorf("error does not name %s: %v", p, err)
		}
	}
}
