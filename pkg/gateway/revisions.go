package gateway

import (
	"sync"
	"sync/atomic"
	"time"

	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"

	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	servinglisters "github.com/knap-dev/knap/pkg/generated/listers/serving/v1"
	"github.com/knap-dev/knap/pkg/queue"
)

// revision is what the gateway keeps for a revision it sends traffic to:
// its balancer, its wait timeout and its stats for the autoscaler.
type revision struct {
	key      types.NamespacedName
	balancer *balancer
	// stats counts requests from arrival (waiting included, as the
	// autoscaler must see demand for a revision at zero) to the end.
	stats *queue.Stats
	// waitTimeout bounds the wait for a pod (a time.Duration).
	waitTimeout atomic.Int64
	// loaded is done once the listers' state is in.
	loaded sync.Once
	// activationPending is set while an activation push is queued.
	activationPending atomic.Bool
	// idleReported: the reporter sent the zero stat after the traffic
	// stopped. Only the reporting loop touches it.
	idleReported bool
}

// revisions are the revisions requests went to, created on the first
// request and dropped once no Ingress refers to them and they are idle.
// The request path reads them from a sync.Map: no shared lock.
type revisions struct {
	clock      clock.WithTicker
	slices     cache.Indexer
	lister     servinglisters.RevisionLister
	queueDepth int
	maxTimeout time.Duration
	// activate asks the autoscaler to scale rev up now; it never blocks.
	activate func(rev *revision)
	// forget is told each dropped revision.
	forget func(types.NamespacedName)

	byKey sync.Map // types.NamespacedName -> *revision
}

// get returns key's revision, creating it on first use.
func (rs *revisions) get(key types.NamespacedName) *revision {
	v, ok := rs.byKey.Load(key)
	if !ok {
		rev := &revision{key: key, stats: queue.NewStats(rs.clock.Now())}
		rev.balancer = newBalancer(rs.clock, rs.queueDepth, func() {
			if rs.activate != nil {
				rs.activate(rev)
			}
		})
		v, _ = rs.byKey.LoadOrStore(key, rev)
	}
	rev := v.(*revision)
	// Whoever created it, nobody uses it before it knows its pods.
	rev.loaded.Do(func() {
		rs.refreshSettings(rev)
		rs.refreshEndpoints(rev)
	})
	return rev
}

// lookup returns key's revision if it exists.
func (rs *revisions) lookup(key types.NamespacedName) *revision {
	if v, ok := rs.byKey.Load(key); ok {
		return v.(*revision)
	}
	return nil
}

// each calls f on every revision.
func (rs *revisions) each(f func(*revision)) {
	rs.byKey.Range(func(_, v any) bool {
		f(v.(*revision))
		return true
	})
}

// prune drops the revisions t does not refer to and that are idle.
func (rs *revisions) prune(t *table) {
	rs.each(func(rev *revision) {
		if t.revisions[rev.key] || rev.stats.Concurrency() > 0 || !rev.balancer.drop() {
			return
		}
		// Only this struct: a request may have made a successor since.
		rs.byKey.CompareAndDelete(rev.key, rev)
		klog.V(2).InfoS("Dropped a revision no Ingress routes to", "revision", rev.key)
		if rs.forget != nil {
			rs.forget(rev.key)
		}
	})
}

// refreshEndpoints loads rev's ready pods from its EndpointSlices.
func (rs *revisions) refreshEndpoints(rev *revision) {
	objs, err := rs.slices.ByIndex(serviceIndex, rev.key.String())
	if err != nil {
		klog.ErrorS(err, "Listing EndpointSlices", "revision", rev.key)
		return
	}
	ss := make([]*discoveryv1.EndpointSlice, 0, len(objs))
	for _, o := range objs {
		if s, ok := o.(*discoveryv1.EndpointSlice); ok {
			ss = append(ss, s)
		}
	}
	eps := readyEndpoints(ss)
	rev.balancer.setEndpoints(eps)
	klog.V(3).InfoS("Revision endpoints", "revision", rev.key, "endpoints", eps)
}

// settings are what the gateway takes from a Revision.
type settings struct {
	concurrency int
	waitTimeout time.Duration
}

// settingsOf reads r (nil when the Revision is not known yet: unlimited,
// default timeout), the timeout bounded by maxTimeout when positive.
func settingsOf(r *servingv1.Revision, maxTimeout time.Duration) settings {
	s := settings{waitTimeout: queue.DefaultRevisionTimeout}
	if r != nil {
		if cc := r.Spec.ContainerConcurrency; cc != nil {
			s.concurrency = int(*cc)
		}
		if t := r.Spec.TimeoutSeconds; t != nil && *t > 0 {
			s.waitTimeout = time.Duration(*t) * time.Second
		}
	}
	if maxTimeout > 0 {
		s.waitTimeout = min(s.waitTimeout, maxTimeout)
	}
	return s
}

// refreshSettings loads rev's containerConcurrency and timeout.
func (rs *revisions) refreshSettings(rev *revision) {
	r, err := rs.lister.Revisions(rev.key.Namespace).Get(rev.key.Name)
	if err != nil {
		if !apierrors.IsNotFound(err) {
			klog.ErrorS(err, "Reading the Revision", "revision", rev.key)
		}
		r = nil
	}
	s := settingsOf(r, rs.maxTimeout)
	rev.waitTimeout.Store(int64(s.waitTimeout))
	rev.balancer.setConcurrency(s.concurrency)
}

// endpointSliceHandler refreshes a revision's pods when its
// EndpointSlices change.
func (rs *revisions) endpointSliceHandler() cache.ResourceEventHandler {
	refresh := func(obj any) {
		if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = t.Obj
		}
		s, ok := obj.(*discoveryv1.EndpointSlice)
		if !ok {
			return
		}
		if key, ok := sliceService(s); ok {
			if rev := rs.lookup(key); rev != nil {
				rs.refreshEndpoints(rev)
			}
		}
	}
	return cache.ResourceEventHandlerFuncs{
		AddFunc:    refresh,
		UpdateFunc: func(_, newObj any) { refresh(newObj) },
		DeleteFunc: refresh,
	}
}

// revisionHandler refreshes a revision's settings when it changes.
func (rs *revisions) revisionHandler() cache.ResourceEventHandler {
	refresh := func(obj any) {
		if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = t.Obj
		}
		r, ok := obj.(*servingv1.Revision)
		if !ok {
			return
		}
		if rev := rs.lookup(types.NamespacedName{Namespace: r.Namespace, Name: r.Name}); rev != nil {
			rs.refreshSettings(rev)
		}
	}
	return cache.ResourceEventHandlerFuncs{
		AddFunc:    refresh,
		UpdateFunc: func(_, newObj any) { refresh(newObj) },
		DeleteFunc: refresh,
	}
}
