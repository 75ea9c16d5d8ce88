package manager

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/record"

	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
)

// TestEventsAboutKnapObjects: the manager's recorder names knap's kinds in
// its events; with Kubernetes' scheme alone it dropped them.
func TestEventsAboutKnapObjects(t *testing.T) {
	conf := &servingv1.Configuration{ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: "ns", UID: "u1"}}
	got := make(chan *corev1.Event, 1)
	b := record.NewBroadcaster()
	defer b.Shutdown()
	b.StartEventWatcher(func(e *corev1.Event) { got <- e })
	b.NewRecorder(EventScheme(), corev1.EventSource{Component: "test"}).Eventf(conf, corev1.EventTypeNormal, "RevisionDeleted", "Deleted Revision %q", "hello-00001")
	select {
	case e := <-got:
		ref := e.InvolvedObject
		if ref.Kind != "Configuration" || ref.APIVersion != "serving.knative.dev/v1" || ref.Name != "hello" || ref.Namespace != "ns" || e.Namespace != "ns" {
			t.Errorf("event about %+v in %q", ref, e.Namespace)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event about a Configuration")
	}

	// The old recorder, with Kubernetes' kinds only, records nothing.
	b2 := record.NewBroadcaster()
	defer b2.Shutdown()
	none := make(chan *corev1.Event, 1)
	b2.StartEventWatcher(func(e *corev1.Event) { none <- e })
	b2.NewRecorder(scheme.Scheme, corev1.EventSource{Component: "test"}).Eventf(conf, corev1.EventTypeNormal, "X", "y")
	select {
	case e := <-none:
		t.Errorf("Kubernetes' scheme named a Configuration: %+v", e.InvolvedObject)
	case <-time.After(200 * time.Millisecond):
	}
}
