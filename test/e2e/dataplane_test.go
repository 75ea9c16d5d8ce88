package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"

	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned"
	"github.com/knap-dev/knap/test/e2e/framework"
)

// dataplane is what the data plane tests share: clients, the gateway's
// URL and a namespace.
type dataplane struct {
	t       *testing.T
	ns      string
	k       framework.Kubectl
	kube    kubernetes.Interface
	knap    versioned.Interface
	gateway string
	image   string
	client  *http.Client
}

func newDataplane(t *testing.T, prefix string) *dataplane {
	t.Helper()
	d := &dataplane{
		t: t, k: cluster.Kubectl(), gateway: cluster.Env["GATEWAY_URL"], image: cluster.Env["HELLO_IMAGE"],
		client: &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
	}
	if d.gateway == "" || d.image == "" {
		t.Fatal("the env file has no GATEWAY_URL or HELLO_IMAGE")
	}
	cfg := framework.RESTConfig(t, cluster.AdminKubeconfig())
	d.kube, d.knap = kubernetes.NewForConfigOrDie(cfg), versioned.NewForConfigOrDie(cfg)
	d.ns = cluster.NewNamespace(t, prefix)
	return d
}

// service applies a Service of the hello image; extra is appended to its
// spec.template (annotations or spec fields, indented for that place).
func (d *dataplane) service(name, target, templateMeta, templateSpec, spec string) {
	d.t.Helper()
	d.k.MustApply(d.t, fmt.Sprintf(`apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: %s
spec:
  template:
    metadata:
      annotations: {%s}
    spec:
%s      containers:
      - image: %s
        env: [{name: TARGET, value: %s}]
%s`, name, templateMeta, templateSpec, d.image, target, spec), "-n", d.ns)
}

func (d *dataplane) waitReady(name string) {
	d.t.Helper()
	d.k.MustRun(d.t, "-n", d.ns, "wait", "--for=condition=Ready", "ksvc/"+name, "--timeout=50s")
}

// get sends one request through the gateway with the given Host.
func (d *dataplane) get(host, path string) (int, string, error) {
	req, err := http.NewRequest(http.MethodGet, d.gateway+path, nil)
	if err != nil {
		return 0, "", err
	}
	req.Host = host
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

func (d *dataplane) mustGet(host, path, want string) {
	d.t.Helper()
	code, body, err := d.get(host, path)
	if err != nil || code != http.StatusOK || !strings.Contains(body, want) {
		d.t.Fatalf("GET %s%s through the gateway: %d %q %v, want 200 with %q", host, path, code, body, err, want)
	}
}

// poll waits for done, failing the test with what after timeout.
func (d *dataplane) poll(timeout time.Duration, what string, done func(context.Context) (bool, error)) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := wait.PollUntilContextCancel(ctx, 250*time.Millisecond, true, done); err != nil {
		d.t.Fatalf("waiting %s for %s: %v", timeout, what, err)
	}
}

// pods counts the revision's pods: all not being deleted, and the ready ones.
func (d *dataplane) pods(ctx context.Context, revision string) (all, ready int, err error) {
	pods, err := d.kube.CoreV1().Pods(d.ns).List(ctx, metav1.ListOptions{LabelSelector: serving.RevisionLabel + "=" + revision})
	if err != nil {
		return 0, 0, err
	}
	for i := range pods.Items {
		if pods.Items[i].DeletionTimestamp != nil {
			continue
		}
		all++
		if podReady(&pods.Items[i]) {
			ready++
		}
	}
	return all, ready, nil
}

// setConfig sets keys of one of knap-system's ConfigMaps (config-autoscaler,
// config-gc, ...) for the test and puts the old values back after it.
func setConfig(t *testing.T, name string, data map[string]string) {
	t.Helper()
	k := cluster.Kubectl()
	var old map[string]string
	raw := k.MustRun(t, "-n", "knap-system", "get", "configmap", name, "-o", "jsonpath={.data}")
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &old); err != nil {
			t.Fatalf("reading %s: %v", name, err)
		}
	}
	var set, restore []string
	for key, v := range data {
		set = append(set, fmt.Sprintf("%q:%q", key, v))
		if prev, ok := old[key]; ok {
			restore = append(restore, fmt.Sprintf("%q:%q", key, prev))
		} else {
			restore = append(restore, fmt.Sprintf("%q:null", key))
		}
	}
	k.MustRun(t, "-n", "knap-system", "patch", "configmap", name, "--type=merge",
		"-p", `{"data":{`+strings.Join(set, ",")+`}}`)
	t.Cleanup(func() {
		k.MustRun(t, "-n", "knap-system", "patch", "configmap", name, "--type=merge",
			"-p", `{"data":{`+strings.Join(restore, ",")+`}}`)
	})
}

// TestGatewayRoutesByHostAndPercent: the gateway finds revisions by the
// Route's hosts (external, tag, cluster-local) and splits by percent.
func TestGatewayRoutesByHostAndPercent(t *testing.T) {
	d := newDataplane(t, "routing")
	d.service("hello", "v1", "", "", "")
	d.waitReady("hello")
	host := "hello." + d.ns + ".example.com"
	d.mustGet(host, "/", "Hello v1!")
	d.mustGet("hello."+d.ns+".svc.cluster.local", "/", "Hello v1!")
	if code, body, err := d.get("nobody."+d.ns+".example.com", "/"); err != nil || code != http.StatusNotFound {
		t.Errorf("unknown host: %d %q %v, want 404", code, body, err)
	}

	d.service("hello", "v2", "", "", `  traffic:
  - latestRevision: true
    percent: 80
  - revisionName: hello-00001
    percent: 20
    tag: old
`)
	d.poll(90*time.Second, "the 80/20 split to be Ready", func(ctx context.Context) (bool, error) {
		svc, err := d.knap.ServingV1().Services(d.ns).Get(ctx, "hello", metav1.GetOptions{})
		return err == nil && svc.Generation == svc.Status.ObservedGeneration && len(svc.Status.Traffic) == 2 &&
			svc.Status.Traffic[0].RevisionName == "hello-00002" && svc.Status.GetCondition("Ready") != nil &&
			svc.Status.GetCondition("Ready").Status == corev1.ConditionTrue, nil
	})
	d.mustGet("old-"+host, "/", "Hello v1!")

	const requests = 1000
	counts := map[string]int{}
	for range requests {
		code, body, err := d.get(host, "/")
		if err != nil || code != http.StatusOK {
			t.Fatalf("request through the gateway: %d %q %v", code, body, err)
		}
		counts[strings.TrimSpace(body)]++
	}
	v2 := float64(counts["Hello v2!"]) / requests
	t.Logf("%d requests: %v (v2 %.1f%%)", requests, counts, 100*v2)
	if v2 < 0.75 || v2 > 0.85 || counts["Hello v1!"]+counts["Hello v2!"] != requests {
		t.Errorf("split %v, want 80%% ± 5%% v2 and the rest v1", counts)
	}
}

// TestScaleToZeroAndBack: an idle Service loses its pods, and the next
// request through the gateway brings one back and gets its answer.
func TestScaleToZeroAndBack(t *testing.T) {
	setConfig(t, "config-autoscaler", map[string]string{"stable-window": "6s", "scale-to-zero-grace-period": "6s"})
	d := newDataplane(t, "zero")
	d.service("idle", "idle", "", "", "")
	d.waitReady("idle")
	host := "idle." + d.ns + ".example.com"
	d.mustGet(host, "/", "Hello idle!")

	start := time.Now()
	d.poll(2*time.Minute, "the idle revision to scale to zero", func(ctx context.Context) (bool, error) {
		all, _, err := d.pods(ctx, "idle-00001")
		return err == nil && all == 0, nil
	})
	t.Logf("idle to scaled to zero: %s", time.Since(start).Round(time.Millisecond))
	// Its last pod drains (knap-queue's 30 s drain, as Knative's) before
	// it is gone; only then is the next request a cold start.
	d.poll(2*time.Minute, "the last pod to be gone", func(ctx context.Context) (bool, error) {
		pods, err := d.kube.CoreV1().Pods(d.ns).List(ctx, metav1.ListOptions{LabelSelector: serving.RevisionLabel + "=idle-00001"})
		return err == nil && len(pods.Items) == 0, nil
	})
	t.Logf("idle to no pod at all: %s", time.Since(start).Round(time.Millisecond))
	if svc, err := d.knap.ServingV1().Services(d.ns).Get(context.Background(), "idle", metav1.GetOptions{}); err != nil ||
		svc.Status.GetCondition("Ready").Status != corev1.ConditionTrue {
		t.Errorf("a Service at zero stays Ready: %v %+v", err, svc.Status.Conditions)
	}

	start = time.Now()
	d.mustGet(host, "/", "Hello idle!")
	firstByte := time.Since(start)
	pods, err := d.kube.CoreV1().Pods(d.ns).List(context.Background(), metav1.ListOptions{LabelSelector: serving.RevisionLabel + "=idle-00001"})
	if err != nil || len(pods.Items) == 0 {
		t.Fatalf("no pod after the request from zero: %v", err)
	}
	p := pods.Items[0]
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			t.Logf("scale from zero: request to response %s; the pod alone: created to ready %s (1 s resolution)",
				firstByte.Round(time.Millisecond), c.LastTransitionTime.Sub(p.CreationTimestamp.Time))
		}
	}
}

// load sends requests of sleepMs through the gateway at the given
// concurrency until stop is closed or each worker has sent max.
func (d *dataplane) load(host string, concurrency, max, sleepMs int, stop <-chan struct{}) (ok, failed *atomic.Int64, done *sync.WaitGroup) {
	ok, failed, done = &atomic.Int64{}, &atomic.Int64{}, &sync.WaitGroup{}
	for range concurrency {
		done.Add(1)
		go func() {
			defer done.Done()
			for range max {
				select {
				case <-stop:
					return
				default:
				}
				if code, _, err := d.get(host, fmt.Sprintf("/?sleep=%d", sleepMs)); err == nil && code == http.StatusOK {
					ok.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	return ok, failed, done
}

// TestAutoscaleWithLoad: 30 concurrent requests against a target of 5
// scale a revision out, min-scale holds it after the load, max-scale caps it.
func TestAutoscaleWithLoad(t *testing.T) {
	setConfig(t, "config-autoscaler", map[string]string{"stable-window": "6s", "scale-to-zero-grace-period": "6s"})
	d := newDataplane(t, "load")
	d.service("elastic", "elastic", `autoscaling.knative.dev/target: "5", autoscaling.knative.dev/min-scale: "2"`, "", "")
	d.service("capped", "capped", `autoscaling.knative.dev/target: "5", autoscaling.knative.dev/max-scale: "3"`, "", "")
	d.waitReady("elastic")
	d.waitReady("capped")
	d.poll(time.Minute, "min-scale 2 to give the elastic revision 2 ready pods", func(ctx context.Context) (bool, error) {
		_, ready, err := d.pods(ctx, "elastic-00001")
		return err == nil && ready == 2, nil
	})

	for _, tc := range []struct {
		name       string
		check      func(most int) error
		afterwards int
	}{
		{"elastic", func(most int) error {
			if most <= 3 {
				return fmt.Errorf("at most %d ready pods under load, want more than 3", most)
			}
			return nil
		}, 2},
		{"capped", func(most int) error {
			if most > 3 {
				return fmt.Errorf("%d pods under load, max-scale is 3", most)
			}
			if most < 2 {
				return fmt.Errorf("at most %d pods under load, want it to scale out to its cap", most)
			}
			return nil
		}, 0},
	} {
		revision := tc.name + "-00001"
		stop := make(chan struct{})
		start := time.Now()
		ok, failed, done := d.load(tc.name+"."+d.ns+".example.com", 30, 400, 200, stop)
		most, mostReady := 0, 0
		deadline := time.After(40 * time.Second)
	watch:
		for {
			select {
			case <-deadline:
				break watch
			case <-time.After(500 * time.Millisecond):
			}
			all, ready, err := d.pods(context.Background(), revision)
			if err != nil {
				continue
			}
			most, mostReady = max(most, all), max(mostReady, ready)
			if tc.name == "elastic" && mostReady > 3 && time.Since(start) > 10*time.Second {
				break
			}
		}
		close(stop)
		done.Wait()
		t.Logf("%s: %d requests ok, %d failed; at most %d pods (%d ready) under load, %s",
			tc.name, ok.Load(), failed.Load(), most, mostReady, time.Since(start).Round(time.Second))
		if err := tc.check(most); err != nil {
			t.Error(err)
		}
		if failed.Load() > 0 {
			t.Errorf("%s: %d requests failed under load", tc.name, failed.Load())
		}
		start = time.Now()
		d.poll(3*time.Minute, fmt.Sprintf("%s to scale back to %d pods", tc.name, tc.afterwards), func(ctx context.Context) (bool, error) {
			all, _, err := d.pods(ctx, revision)
			return err == nil && all == tc.afterwards, nil
		})
		t.Logf("%s: back to %d pods %s after the load", tc.name, tc.afterwards, time.Since(start).Round(time.Second))
	}
}

// TestContainerConcurrencyOne: with containerConcurrency 1 a second
// request waits for the first, and the queue's overflow answers 503.
func TestContainerConcurrencyOne(t *testing.T) {
	d := newDataplane(t, "cc")
	d.service("single", "single", `autoscaling.knative.dev/max-scale: "1"`, "      containerConcurrency: 1\n", "")
	d.waitReady("single")
	host := "single." + d.ns + ".example.com"

	// The slow request holds the only slot for 2 s; the instant one sent
	// 0.5 s later can only start when it is done, so it takes over 1 s
	// (a busy machine makes that longer, never shorter).
	slow, fast := make(chan int, 1), make(chan int, 1)
	go func() {
		code, _, _ := d.get(host, "/?sleep=2000")
		slow <- code
	}()
	time.Sleep(500 * time.Millisecond)
	start := time.Now()
	go func() {
		code, _, _ := d.get(host, "/")
		fast <- code
	}()
	s, f := <-slow, <-fast
	waited := time.Since(start)
	if s != http.StatusOK || f != http.StatusOK {
		t.Fatalf("codes %d and %d, want 200s", s, f)
	}
	t.Logf("an instant request behind a 2 s one took %s", waited.Round(time.Millisecond))
	if waited < time.Second {
		t.Errorf("an instant request behind a 2 s one took %s: containerConcurrency 1 did not hold it", waited)
	}

	// Straight to the pod's knap-queue: 1 running + 10 queued, the rest
	// refused at once.
	ip := strings.TrimSpace(d.k.MustRun(t, "-n", d.ns, "get", "pods", "-l", serving.RevisionLabel+"=single-00001",
		"-o", "jsonpath={.items[0].status.podIP}"))
	var wg sync.WaitGroup
	var refused atomic.Int64
	start = time.Now()
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := d.client.Get("http://" + ip + ":8012/?sleep=1000")
			if err != nil {
				t.Errorf("direct request: %v", err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusServiceUnavailable {
				refused.Add(1)
			}
		}()
	}
	wg.Wait()
	t.Logf("20 concurrent requests at a pod with containerConcurrency 1: %d refused with 503, all answered in %s",
		refused.Load(), time.Since(start).Round(time.Millisecond))
	if refused.Load() == 0 {
		t.Error("no 503 from a full queue")
	}
}
