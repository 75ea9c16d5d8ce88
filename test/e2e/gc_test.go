package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	"github.com/knap-dev/knap/test/e2e/framework"
)

// TestRevisionGC: with config-gc keeping one non-active revision and no
// retain times, the revisions a Route stopped using are deleted beyond the
// newest one; the routed revision and one annotated no-gc stay.
func TestRevisionGC(t *testing.T) {
	image := helloImage(t)
	setConfig(t, "config-gc", map[string]string{
		"retain-since-create-time":      "disabled",
		"retain-since-last-active-time": "disabled",
		"min-non-active-revisions":      "0",
		"max-non-active-revisions":      "1",
	})
	k := cluster.Kubectl()
	ns := cluster.NewNamespace(t, "gc")
	knap := versioned.NewForConfigOrDie(framework.RESTConfig(t, cluster.AdminKubeconfig()))
	c, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	names := func(ctx context.Context) ([]string, error) {
		revs, err := knap.ServingV1().Revisions(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, err
		}
		var out []string
		for _, r := range revs.Items {
			out = append(out, r.Name)
		}
		slices.Sort(out)
		return out, nil
	}
	for i := 1; i <= 4; i++ {
		k.MustApply(t, helloService("hello", image, fmt.Sprintf("v%d", i)), "-n", ns)
		want := fmt.Sprintf("hello-%05d", i)
		err := wait.PollUntilContextCancel(c, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
			svc, err := knap.ServingV1().Services(ns).Get(ctx, "hello", metav1.GetOptions{})
			return err == nil && svc.Status.ObservedGeneration == svc.Generation && svc.Status.LatestReadyRevisionName == want &&
				len(svc.Status.Traffic) == 1 && svc.Status.Traffic[0].RevisionName == want, nil
		})
		if err != nil {
			t.Fatalf("waiting for %s to take the traffic: %v", want, err)
		}
		if i == 1 {
			k.MustRun(t, "-n", ns, "annotate", "revision", want, serving.RevisionPreservedAnnotation+"=true")
		}
	}

	// hello-00002 and -00003 are in reserve; only the newest of them is
	// kept. hello-00001 is preserved, hello-00004 routed.
	want := []string{"hello-00001", "hello-00003", "hello-00004"}
	var got []string
	err := wait.PollUntilContextCancel(c, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		var err error
		got, err = names(ctx)
		return err == nil && slices.Equal(got, want), nil
	})
	if err != nil {
		t.Fatalf("revisions %v, want %v: %v", got, want, err)
	}
	// Events are sent asynchronously.
	var events string
	err = wait.PollUntilContextCancel(c, 500*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		events = k.MustRun(t, "-n", ns, "get", "events", "--field-selector", "reason=RevisionDeleted", "-o", "jsonpath={.items[*].message}")
		return strings.Contains(events, `Deleted Revision "hello-00002" (over max-non-active-revisions)`), nil
	})
	if err != nil {
		t.Errorf("RevisionDeleted events: %q (%v)", events, err)
	}
	// Nothing more goes: the kept ones stay kept.
	time.Sleep(3 * time.Second)
	if got, err := names(c); err != nil || !slices.Equal(got, want) {
		t.Errorf("later: revisions %v (%v), want %v", got, err, want)
	}
}
