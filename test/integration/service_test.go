package integration

import (
	"encoding/json"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	"k8s.io/utils/ptr"

	servingv1ac "github.com/knap-dev/knap/pkg/generated/applyconfiguration/serving/v1"
)

func TestServiceLifecycle(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	services := server.client.ServingV1().Services(ns)

	w, err := services.Watch(c, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	in := newService("hello")
	in.Annotations = map[string]string{"serving.knative.dev/creator": "mallory"}
	in.Status.LatestReadyRevisionName = "forged" // status is not writable on create
	created, err := services.Create(c, in, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}

	// Knative's defaults.
	tmpl := created.Spec.Template.Spec
	if got := tmpl.Containers[0].Name; got != "user-container" {
		t.Errorf("container name = %q, want user-container", got)
	}
	if got := ptr.Deref(tmpl.TimeoutSeconds, -1); got != 300 {
		t.Errorf("timeoutSeconds = %d, want 300", got)
	}
	if got := ptr.Deref(tmpl.ContainerConcurrency, -1); got != 0 {
		t.Errorf("containerConcurrency = %d, want 0", got)
	}
	if p := tmpl.Containers[0].ReadinessProbe; p == nil || p.TCPSocket == nil || p.SuccessThreshold != 1 {
		t.Errorf("readinessProbe = %+v, want tcpSocket with successThreshold 1", p)
	}
	if got := tmpl.EnableServiceLinks; got == nil || *got {
		t.Errorf("enableServiceLinks = %v, want false", got)
	}
	if tr := created.Spec.Traffic; len(tr) != 1 || ptr.Deref(tr[0].Percent, 0) != 100 || !ptr.Deref(tr[0].LatestRevision, false) {
		t.Errorf("traffic = %+v, want [{percent:100 latestRevision:true}]", tr)
	}
	// The requester is stamped; the client's forged creator is not kept.
	if got := created.Annotations["serving.knative.dev/creator"]; got != "knap-admin" {
		t.Errorf("creator = %q, want knap-admin", got)
	}
	if got := created.Annotations["serving.knative.dev/lastModifier"]; got != "knap-admin" {
		t.Errorf("lastModifier = %q, want knap-admin", got)
	}
	if created.Generation != 1 || created.Status.LatestReadyRevisionName != "" {
		t.Errorf("generation=%d status=%+v, want generation 1 and empty status", created.Generation, created.Status)
	}
	expectEvent(t, w, watch.Added, "hello")

	// Get and list.
	got, err := services.Get(c, "hello", metav1.GetOptions{})
	if err != nil || got.UID != created.UID {
		t.Fatalf("get: %v %v", got, err)
	}
	list, err := services.List(c, metav1.ListOptions{})
	if err != nil || len(list.Items) != 1 {
		t.Fatalf("list: %v %v", list, err)
	}

	// A spec update bumps the generation; status in the body is ignored.
	got.Spec.Template.Spec.Containers[0].Env[0].Value = "v2"
	got.Status.LatestCreatedRevisionName = "ignored"
	updated, err := services.Update(c, got, metav1.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if updated.Generation != 2 || updated.Status.LatestCreatedRevisionName != "" {
		t.Errorf("after update generation=%d status=%+v", updated.Generation, updated.Status)
	}
	expectEvent(t, w, watch.Modified, "hello")

	// The status subresource writes status and ignores spec.
	updated.Status.Status = readyStatus(corev1.ConditionTrue, "")
	updated.Status.LatestReadyRevisionName = "hello-00002"
	updated.Status.URL = ptr.To("http://hello." + ns + ".example.com")
	updated.Spec.Template.Spec.Containers[0].Image = "ignored/by-status:1"
	st, err := services.UpdateStatus(c, updated, metav1.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Status.LatestReadyRevisionName != "hello-00002" || st.Spec.Template.Spec.Containers[0].Image == "ignored/by-status:1" || st.Generation != 2 {
		t.Errorf("status update: generation=%d status=%+v image=%s", st.Generation, st.Status, st.Spec.Template.Spec.Containers[0].Image)
	}
	expectEvent(t, w, watch.Modified, "hello")

	// Merge patch and JSON patch.
	merged, err := services.Patch(c, "hello", types.MergePatchType,
		[]byte(`{"spec":{"template":{"spec":{"containerConcurrency":10}}}}`), metav1.PatchOptions{})
	if err != nil || ptr.Deref(merged.Spec.Template.Spec.ContainerConcurrency, 0) != 10 {
		t.Fatalf("merge patch: %v %v", merged, err)
	}
	expectEvent(t, w, watch.Modified, "hello")
	jsonPatched, err := services.Patch(c, "hello", types.JSONPatchType,
		[]byte(`[{"op":"replace","path":"/spec/template/spec/timeoutSeconds","value":120}]`), metav1.PatchOptions{})
	if err != nil || ptr.Deref(jsonPatched.Spec.Template.Spec.TimeoutSeconds, 0) != 120 {
		t.Fatalf("json patch: %v %v", jsonPatched, err)
	}
	expectEvent(t, w, watch.Modified, "hello")
	if jsonPatched.Status.LatestReadyRevisionName != "hello-00002" {
		t.Errorf("patches must keep status, got %+v", jsonPatched.Status)
	}

	// Delete.
	if err := services.Delete(c, "hello", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	expectEvent(t, w, watch.Deleted, "hello")
	if _, err := services.Get(c, "hello", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("get after delete: %v", err)
	}
}

func TestServiceServerSideApply(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	services := server.client.ServingV1().Services(ns)
	apply := func(image string, percent int64) *servingv1ac.ServiceApplyConfiguration {
		return servingv1ac.Service("ssa", ns).WithSpec(servingv1ac.ServiceSpec().
			WithTemplate(servingv1ac.RevisionTemplateSpec().
				WithName("ssa-v1").
				WithSpec(servingv1ac.RevisionSpec().
					WithContainers(corev1ac.Container().WithImage(image)))).
			WithTraffic(
				servingv1ac.TrafficTarget().WithRevisionName("ssa-v1").WithPercent(percent).WithTag("v1"),
				servingv1ac.TrafficTarget().WithLatestRevision(true).WithPercent(100-percent)))
	}
	first, err := services.Apply(c, apply("example.com/app:1", 100), metav1.ApplyOptions{FieldManager: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.ManagedFields) == 0 || first.Spec.Template.Spec.Containers[0].Name != "user-container" {
		t.Fatalf("apply result: managedFields=%v containers=%+v", first.ManagedFields, first.Spec.Template.Spec.Containers)
	}
	// Re-applying the same intent is a no-op.
	again, err := services.Apply(c, apply("example.com/app:1", 100), metav1.ApplyOptions{FieldManager: "alice"})
	if err != nil || again.ResourceVersion != first.ResourceVersion {
		t.Fatalf("idempotent apply changed the object: %v (rv %s -> %s)", err, first.ResourceVersion, again.ResourceVersion)
	}
	// Another manager changing a field alice owns conflicts unless forced.
	_, err = services.Apply(c, apply("example.com/app:1", 50), metav1.ApplyOptions{FieldManager: "bob"})
	if !apierrors.IsConflict(err) {
		t.Fatalf("want conflict, got %v", err)
	}
	forced, err := services.Apply(c, apply("example.com/app:1", 50), metav1.ApplyOptions{FieldManager: "bob", Force: true})
	if err != nil || ptr.Deref(forced.Spec.Traffic[0].Percent, 0) != 50 {
		t.Fatalf("forced apply: %v %+v", err, forced)
	}
	// A bad apply is refused with a field path and leaves the object alone.
	_, err = services.Apply(c, apply("example.com/app:1", 150), metav1.ApplyOptions{FieldManager: "bob", Force: true})
	requireInvalid(t, err, "spec.traffic[0].percent")
	after, _ := services.Get(c, "ssa", metav1.GetOptions{})
	if after.ResourceVersion != forced.ResourceVersion {
		t.Errorf("rejected apply changed the object")
	}

	// Status is applied through the status subresource only.
	statusApply := servingv1ac.Service("ssa", ns).WithStatus(servingv1ac.ServiceStatus().WithLatestReadyRevisionName("ssa-v1"))
	st, err := services.ApplyStatus(c, statusApply, metav1.ApplyOptions{FieldManager: "controller", Force: true})
	if err != nil || st.Status.LatestReadyRevisionName != "ssa-v1" {
		t.Fatalf("apply status: %v %+v", err, st)
	}
}

func TestCreatorAndModifier(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	services := server.client.ServingV1().Services(ns)
	svc, err := services.Create(c, newService("who"), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	forged := svc.DeepCopy()
	forged.Annotations["serving.knative.dev/creator"] = "mallory"
	_, err = services.Update(c, forged, metav1.UpdateOptions{})
	requireInvalid(t, err, "metadata.annotations[serving.knative.dev/creator]")

	forged = svc.DeepCopy()
	forged.Annotations["serving.knative.dev/lastModifier"] = "mallory"
	_, err = services.Update(c, forged, metav1.UpdateOptions{})
	requireInvalid(t, err, "metadata.annotations[serving.knative.dev/lastModifier]")

	// Labels only: lastModifier stays.
	relabel := svc.DeepCopy()
	relabel.Labels = map[string]string{"team": "a"}
	out, err := services.Update(c, relabel, metav1.UpdateOptions{})
	if err != nil || out.Annotations["serving.knative.dev/lastModifier"] != "knap-admin" || out.Generation != 1 {
		t.Fatalf("label update: %v %+v", err, out)
	}
}

func expectEvent(t *testing.T, w watch.Interface, typ watch.EventType, name string) {
	t.Helper()
	select {
	case ev, ok := <-w.ResultChan():
		if !ok {
			t.Fatalf("watch closed, want %s %s", typ, name)
		}
		m, err := json.Marshal(ev.Object)
		if err != nil {
			t.Fatal(err)
		}
		var obj metav1.PartialObjectMetadata
		_ = json.Unmarshal(m, &obj)
		if ev.Type != typ || obj.Name != name {
			t.Fatalf("watch event %s %s, want %s %s", ev.Type, obj.Name, typ, name)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no watch event, want %s %s", typ, name)
	}
}
