package gateway

import (
	"context"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/cache"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/knap-dev/knap/pkg/autoscaler"
	knapfake "github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
	knapinformers "github.com/knap-dev/knap/pkg/generated/informers/externalversions"
)

// testRevisions are revisions over empty listers.
func testRevisions(clk *clocktesting.FakeClock) *revisions {
	f := knapinformers.NewSharedInformerFactory(knapfake.NewSimpleClientset(), 0)
	return &revisions{
		clock:      clk,
		slices:     cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{serviceIndex: indexByService}),
		lister:     f.Serving().V1().Revisions().Lister(),
		queueDepth: 10,
	}
}

func TestReporterCollect(t *testing.T) {
	clk := clocktesting.NewFakeClock(time.Unix(0, 0))
	revs := testRevisions(clk)
	r := newReporter("http://autoscaler", "gw", clk, revs)
	key := types.NamespacedName{Namespace: "ns", Name: "rev"}
	rev := revs.get(key)

	// Half a second of one request, another arriving and leaving at once.
	rev.stats.In(clk.Now(), false)
	clk.Step(500 * time.Millisecond)
	rev.stats.Out(clk.Now(), false)
	rev.stats.In(clk.Now(), false)
	rev.stats.Out(clk.Now(), false)
	clk.Step(500 * time.Millisecond)

	steps := []struct {
		name string
		want []autoscaler.Stat
	}{
		{"the busy period", []autoscaler.Stat{{Revision: key, PodName: "gw", AverageConcurrentRequests: 0.5, RequestCount: 2}}},
		{"the first idle period: one zero", []autoscaler.Stat{{Revision: key, PodName: "gw"}}},
		{"then nothing", nil},
	}
	for i, s := range steps {
		if i > 0 {
			clk.Step(time.Second)
		}
		got := r.collect(clk.Now())
		if len(got) != len(s.want) || len(got) > 0 && got[0] != s.want[0] {
			t.Errorf("%s: collect = %+v, want %+v", s.name, got, s.want)
		}
	}

	// Waiting with no pods: the periodic stat says activate too.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rev.stats.In(clk.Now(), false)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = rev.balancer.acquire(ctx, 0)
	}()
	waitFor(t, "the request to wait", func() bool { return rev.balancer.state().waiting == 1 })
	clk.Step(time.Second)
	got := r.collect(clk.Now())
	if len(got) != 1 || !got[0].Activation || got[0].AverageConcurrentRequests != 1 || got[0].RequestCount != 1 {
		t.Errorf("collect while waiting for a first pod = %+v, want one activation stat of concurrency 1", got)
	}
	cancel()
	<-done
}

func TestReporterActivationsAreCoalescedAndNonBlocking(t *testing.T) {
	clk := clocktesting.NewFakeClock(time.Unix(0, 0))
	revs := testRevisions(clk)
	// Nothing sends the queue (runActivations is not running).
	r := newReporter("http://autoscaler.invalid", "gw", clk, revs)
	rev := revs.get(types.NamespacedName{Namespace: "ns", Name: "rev"})
	// Every activate returns at once, and only the first
	// queues a push.
	for range 3 * activationBacklog {
		r.activate(rev)
	}
	if n := len(r.activations); n != 1 {
		t.Fatalf("queued activations = %d, want 1 for one revision", n)
	}
}

func TestReporterDisabledWithoutURL(t *testing.T) {
	clk := clocktesting.NewFakeClock(time.Unix(0, 0))
	revs := testRevisions(clk)
	r := newReporter("", "gw", clk, revs)
	r.activate(revs.get(types.NamespacedName{Namespace: "ns", Name: "rev"}))
	if n := len(r.activations); n != 0 {
		t.Fatalf("queued activations without an autoscaler = %d, want 0", n)
	}
}

func TestLogLimiter(t *testing.T) {
	l := logLimiter{every: 30 * time.Second}
	t0 := time.Unix(0, 0)
	steps := []struct {
		at             time.Duration
		ok             bool
		suppressedSeen int
	}{
		{0, true, 0},
		{time.Second, false, 0},
		{29 * time.Second, false, 0},
		{30 * time.Second, true, 2},
		{31 * time.Second, false, 0},
	}
	for _, s := range steps {
		ok, suppressed := l.allow(t0.Add(s.at))
		if ok != s.ok || suppressed != s.suppressedSeen {
			t.Errorf("at %s: allow = %v, %d; want %v, %d", s.at, ok, suppressed, s.ok, s.suppressedSeen)
		}
	}
}
