package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	"github.com/knap-dev/knap/test/e2e/framework"
)

// TestServiceOwnsItsChildren: knap-controller turns a Service into a
// Configuration and a Route of its name, and the Configuration into one
// Revision per template change; deleting the Service deletes them all.
func TestServiceOwnsItsChildren(t *testing.T) {
	k := cluster.Kubectl()
	ns := cluster.NewNamespace(t, "serving")
	knap := versioned.NewForConfigOrDie(framework.RESTConfig(t, cluster.AdminKubeconfig()))
	c, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	k.MustApply(t, fmt.Sprintf(ksvcManifest, "hello"), "-n", ns)
	poll := func(what string, done func(context.Context) (bool, error)) {
		t.Helper()
		if err := wait.PollUntilContextCancel(c, 200*time.Millisecond, true, done); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}
	poll("the Configuration, Route and first Revision", func(ctx context.Context) (bool, error) {
		_, errC := knap.ServingV1().Configurations(ns).Get(ctx, "hello", metav1.GetOptions{})
		_, errR := knap.ServingV1().Routes(ns).Get(ctx, "hello", metav1.GetOptions{})
		_, errV := knap.ServingV1().Revisions(ns).Get(ctx, "hello-00001", metav1.GetOptions{})
		return errC == nil && errR == nil && errV == nil, nil
	})
	rev, err := knap.ServingV1().Revisions(ns).Get(c, "hello-00001", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rev.Labels[serving.ServiceLabel] != "hello" || rev.Labels[serving.ConfigurationGenerationLabel] != "1" {
		t.Errorf("revision labels %v", rev.Labels)
	}
	poll("status.latestCreatedRevisionName on the Service", func(ctx context.Context) (bool, error) {
		svc, err := knap.ServingV1().Services(ns).Get(ctx, "hello", metav1.GetOptions{})
		return err == nil && svc.Status.LatestCreatedRevisionName == "hello-00001" && svc.Status.ObservedGeneration == svc.Generation, nil
	})

	// A template change makes a second Revision; the first stays.
	k.MustRun(t, "-n", ns, "patch", "ksvc", "hello", "--type=merge", "-p",
		`{"spec":{"template":{"spec":{"containers":[{"image":"ghcr.io/knative/helloworld-go:latest","env":[{"name":"TARGET","value":"v2"}]}]}}}}`)
	poll("the second Revision", func(ctx context.Context) (bool, error) {
		_, err := knap.ServingV1().Revisions(ns).Get(ctx, "hello-00002", metav1.GetOptions{})
		return err == nil, nil
	})
	revs, err := knap.ServingV1().Revisions(ns).List(c, metav1.ListOptions{})
	if err != nil || len(revs.Items) != 2 {
		t.Fatalf("revisions after one change: %v %d", err, len(revs.Items))
	}

	// A Configuration edited by hand is put back.
	k.MustRun(t, "-n", ns, "patch", "configuration", "hello", "--type=merge", "-p",
		`{"spec":{"template":{"spec":{"containers":[{"image":"edited"}]}}}}`)
	poll("the Configuration put back", func(ctx context.Context) (bool, error) {
		cfg, err := knap.ServingV1().Configurations(ns).Get(ctx, "hello", metav1.GetOptions{})
		return err == nil && strings.Contains(cfg.Spec.Template.Spec.Containers[0].Image, "helloworld-go"), nil
	})

	k.MustRun(t, "-n", ns, "delete", "ksvc", "hello")
	poll("the garbage collector to delete every child", func(ctx context.Context) (bool, error) {
		_, errC := knap.ServingV1().Configurations(ns).Get(ctx, "hello", metav1.GetOptions{})
		_, errR := knap.ServingV1().Routes(ns).Get(ctx, "hello", metav1.GetOptions{})
		list, errV := knap.ServingV1().Revisions(ns).List(ctx, metav1.ListOptions{})
		return apierrors.IsNotFound(errC) && apierrors.IsNotFound(errR) && errV == nil && len(list.Items) == 0, nil
	})
}
