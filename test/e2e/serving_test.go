package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"

	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
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

	// Each Revision has its Deployment, Service and PodAutoscaler.
	kube := kubernetes.NewForConfigOrDie(framework.RESTConfig(t, cluster.AdminKubeconfig()))
	poll("each revision's Deployment, Service and PodAutoscaler", func(ctx context.Context) (bool, error) {
		for _, rev := range []string{"hello-00001", "hello-00002"} {
			_, errD := kube.AppsV1().Deployments(ns).Get(ctx, rev+"-deployment", metav1.GetOptions{})
			_, errS := kube.CoreV1().Services(ns).Get(ctx, rev, metav1.GetOptions{})
			_, errP := knap.AutoscalingV1alpha1().PodAutoscalers(ns).Get(ctx, rev, metav1.GetOptions{})
			if errD != nil || errS != nil || errP != nil {
				return false, nil
			}
		}
		return true, nil
	})

	k.MustRun(t, "-n", ns, "delete", "ksvc", "hello")
	poll("the garbage collector to delete every child", func(ctx context.Context) (bool, error) {
		_, errC := knap.ServingV1().Configurations(ns).Get(ctx, "hello", metav1.GetOptions{})
		_, errR := knap.ServingV1().Routes(ns).Get(ctx, "hello", metav1.GetOptions{})
		revs, errV := knap.ServingV1().Revisions(ns).List(ctx, metav1.ListOptions{})
		pas, errP := knap.AutoscalingV1alpha1().PodAutoscalers(ns).List(ctx, metav1.ListOptions{})
		ings, errI := knap.NetworkingV1alpha1().Ingresses(ns).List(ctx, metav1.ListOptions{})
		deps, errD := kube.AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{})
		svcs, errS := kube.CoreV1().Services(ns).List(ctx, metav1.ListOptions{})
		if err := errors.Join(errV, errP, errI, errD, errS); err != nil {
			return false, err
		}
		return apierrors.IsNotFound(errC) && apierrors.IsNotFound(errR) && len(revs.Items)+len(pas.Items)+len(ings.Items)+len(deps.Items)+len(svcs.Items) == 0, nil
	})
}

// TestServiceBecomesReady: a Service of the local hello image gets ready
// pods (user container behind knap-queue) and the status Knative users
// read; a second revision can share traffic under a tag; a revision whose
// image does not exist fails without taking traffic from the ready one.
func TestServiceBecomesReady(t *testing.T) {
	image := helloImage(t)
	k := cluster.Kubectl()
	ns := cluster.NewNamespace(t, "ready")
	knap := versioned.NewForConfigOrDie(framework.RESTConfig(t, cluster.AdminKubeconfig()))
	c, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	service := func(env string) string { return helloService("hello", image, env) }
	start := time.Now()
	k.MustApply(t, service("v1"), "-n", ns)
	k.MustRun(t, "-n", ns, "wait", "--for=condition=Ready", "ksvc/hello", "--timeout=180s")
	t.Logf("apply to Ready: %s", time.Since(start).Round(time.Millisecond))

	out := k.MustRun(t, "-n", ns, "get", "ksvc", "hello", "--no-headers")
	if !strings.Contains(out, "http://hello."+ns+".example.com") || !strings.Contains(out, "hello-00001") {
		t.Errorf("kubectl get ksvc: %q, want the URL and hello-00001", out)
	}
	// A revision pod answers through its queue sidecar.
	ip := strings.TrimSpace(k.MustRun(t, "-n", ns, "get", "pods", "-l", "serving.knative.dev/revision=hello-00001",
		"-o", "jsonpath={.items[0].status.podIP}"))
	requireHTTP(t, "http://"+ip+":8012/", "Hello v1!")

	// A second revision and a 50/50 split with a tag.
	k.MustApply(t, service("v2")+`  traffic:
  - latestRevision: true
    percent: 50
  - revisionName: hello-00001
    percent: 50
    tag: stable
`, "-n", ns)
	poll := func(what string, done func(*servingv1.Service) bool) {
		t.Helper()
		err := wait.PollUntilContextCancel(c, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
			svc, err := knap.ServingV1().Services(ns).Get(ctx, "hello", metav1.GetOptions{})
			return err == nil && svc.Status.ObservedGeneration == svc.Generation && done(svc), nil
		})
		if err != nil {
			svc, _ := knap.ServingV1().Services(ns).Get(context.Background(), "hello", metav1.GetOptions{})
			t.Fatalf("waiting for %s: %v\n%+v", what, err, svc.Status)
		}
	}
	poll("the 50/50 split", func(svc *servingv1.Service) bool {
		tr := svc.Status.Traffic
		return len(tr) == 2 && tr[0].RevisionName == "hello-00002" && tr[1].Tag == "stable" &&
			tr[1].URL != nil && *tr[1].URL == "http://stable-hello."+ns+".example.com"
	})

	// A revision that cannot pull its image fails; traffic stays.
	k.MustApply(t, strings.Replace(service("v3"), image, "knap.local/does-not-exist:dev", 1), "-n", ns)
	poll("Ready=False naming the image", func(svc *servingv1.Service) bool {
		cond := svc.Status.GetCondition("Ready")
		return cond != nil && cond.Status == corev1.ConditionFalse && strings.Contains(cond.Message, "does-not-exist")
	})
	svc, err := knap.ServingV1().Services(ns).Get(c, "hello", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if svc.Status.LatestReadyRevisionName != "hello-00002" || svc.Status.LatestCreatedRevisionName != "hello-00003" {
		t.Errorf("latest ready %q created %q, want hello-00002 and hello-00003", svc.Status.LatestReadyRevisionName, svc.Status.LatestCreatedRevisionName)
	}
	t.Logf("failed revision: %s", svc.Status.GetCondition("Ready").Message)
}

// helloImage is the hello app's image loaded on the node; a cluster started
// without a node has none, and the test cannot run.
func helloImage(t *testing.T) string {
	t.Helper()
	image := cluster.Env["HELLO_IMAGE"]
	if image == "" {
		t.Fatal("the env file has no HELLO_IMAGE: the cluster has no node (started with --no-node?)")
	}
	return image
}

// helloService is a Service named name running image with TARGET=target.
func helloService(name, image, target string) string {
	return fmt.Sprintf(`apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: %s
spec:
  template:
    spec:
      containers:
      - image: %s
        env: [{name: TARGET, value: %s}]
`, name, image, target)
}

// requireHTTP expects a 200 whose body contains want.
func requireHTTP(t *testing.T, url, want string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
		t.Fatalf("GET %s: %d %q, want 200 with %q", url, resp.StatusCode, body, want)
	}
}
