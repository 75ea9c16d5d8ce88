package reconciler

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/tools/cache"
)

// recorder counts calls per key and answers with the scripted errors.
type recorder struct {
	mu     sync.Mutex
	calls  map[string]int
	script map[string][]error
}

func (r *recorder) Reconcile(_ context.Context, key string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.calls[key]
	r.calls[key]++
	if s := r.script[key]; n < len(s) {
		return s[n]
	}
	return nil
}

func (r *recorder) count(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[key]
}

func TestRetriesUntilSuccessButNotPermanentErrors(t *testing.T) {
	rec := &recorder{calls: map[string]int{}, script: map[string][]error{
		"ns/flaky":   {errors.New("conflict"), errors.New("conflict")},
		"ns/invalid": {Permanent(errors.New("bad spec"))},
		"ns/later":   {RequeueAfter{Delay: 50 * time.Millisecond}},
	}}
	m := NewMetrics()
	c := New("test", rec, m)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.Run(ctx, 2)
	for _, k := range []string{"ns/flaky", "ns/invalid", "ns/later", "ns/ok"} {
		c.EnqueueKey(k)
	}
	want := map[string]int{"ns/flaky": 3, "ns/invalid": 1, "ns/later": 2, "ns/ok": 1}
	err := wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
		for k, n := range want {
			if rec.count(k) < n {
				return false, nil
			}
		}
		return true, nil
	})
	if err != nil {
		t.Fatalf("calls %v, want %v", rec.calls, want)
	}
	time.Sleep(100 * time.Millisecond) // a wrong retry would show now
	for k, n := range want {
		if got := rec.count(k); got != n {
			t.Errorf("%s reconciled %d times, want %d", k, got, n)
		}
	}
	if got := testutil.ToFloat64(m.reconciles.WithLabelValues("test", "success")); got != 3 {
		t.Errorf("success count %v, want 3", got)
	}
	if got := testutil.ToFloat64(m.reconciles.WithLabelValues("test", "error")); got != 3 {
		t.Errorf("error count %v, want 3", got)
	}
	out, err := testutil.CollectAndLint(m.Registry)
	if err != nil || len(out) != 0 {
		t.Errorf("metrics lint: %v %v", err, out)
	}
	if n, err := testutil.GatherAndCount(m.Registry, "workqueue_adds_total"); err != nil || n == 0 {
		t.Errorf("workqueue metrics not registered: %v", err)
	}
}

func TestOwnerHandlerEnqueuesControllingOwnerOfKind(t *testing.T) {
	c := New("owner", ReconcilerFunc(func(context.Context, string) error { return nil }), NewMetrics())
	h := c.OwnerHandler(schema.GroupKind{Group: "serving.knative.dev", Kind: "Revision"})
	controller := true
	child := func(apiVersion, kind string, isController bool) *corev1.Service {
		return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "child", OwnerReferences: []metav1.OwnerReference{{
			APIVersion: apiVersion, Kind: kind, Name: "parent", Controller: &isController,
		}}}}
	}
	h.OnAdd(child("serving.knative.dev/v1", "Revision", controller), false)
	h.OnAdd(child("apps/v1", "Deployment", true), false)
	h.OnAdd(child("serving.knative.dev/v1", "Revision", false), false)
	h.OnDelete(cache.DeletedFinalStateUnknown{Key: "ns/child", Obj: child("serving.knative.dev/v1", "Revision", true)})
	var keys []string
	for c.Len() > 0 {
		k, _ := c.queue.Get()
		keys = append(keys, k)
		c.queue.Done(k)
	}
	if strings.Join(keys, ",") != "ns/parent" {
		t.Errorf("enqueued %v, want [ns/parent] once", keys)
	}
}

func TestEnqueueAll(t *testing.T) {
	c := New("all", ReconcilerFunc(func(context.Context, string) error { return nil }), NewMetrics())
	objs := []*metav1.ObjectMeta{{Namespace: "a", Name: "x"}, {Namespace: "b", Name: "y"}, {Namespace: "a", Name: "x"}}
	EnqueueAll(c, func(labels.Selector) ([]*metav1.ObjectMeta, error) { return objs, nil })()
	if c.Len() != 2 {
		t.Errorf("%d keys queued, want 2 (a/x once, b/y)", c.Len())
	}
}
