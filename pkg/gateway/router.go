package gateway

import (
	"context"
	"sync/atomic"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"

	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
	networkinglisters "github.com/knap-dev/knap/pkg/generated/listers/networking/v1alpha1"
)

// router keeps the current routing table: Ingress events mark it stale and
// one goroutine rebuilds it whole from the lister, so a burst of events
// (the initial list, a Route update) costs one rebuild, and requests load
// the table with one atomic read.
type router struct {
	ingresses networkinglisters.IngressLister
	current   atomic.Pointer[table]
	stale     chan struct{}
	// rebuilt is told each new table (the revisions prune theirs).
	rebuilt func(*table)
}

func newRouter(ingresses networkinglisters.IngressLister, rebuilt func(*table)) *router {
	r := &router{ingresses: ingresses, stale: make(chan struct{}, 1), rebuilt: rebuilt}
	r.current.Store(buildTable(nil, nil))
	return r
}

// table is the current routing table.
func (r *router) table() *table { return r.current.Load() }

// markStale asks for a rebuild; it never blocks.
func (r *router) markStale() {
	select {
	case r.stale <- struct{}{}:
	default:
	}
}

// eventHandler marks the table stale on Ingress changes; status-only
// updates (the ingress reconciler's) do not change routing.
func (r *router) eventHandler() cache.ResourceEventHandler {
	return cache.ResourceEventHandlerFuncs{
		AddFunc: func(any) { r.markStale() },
		UpdateFunc: func(oldObj, newObj any) {
			o, ok1 := oldObj.(*networkingv1alpha1.Ingress)
			n, ok2 := newObj.(*networkingv1alpha1.Ingress)
			if ok1 && ok2 && equality.Semantic.DeepEqual(o.Spec, n.Spec) &&
				o.CreationTimestamp.Equal(&n.CreationTimestamp) {
				return
			}
			r.markStale()
		},
		DeleteFunc: func(any) { r.markStale() },
	}
}

// run rebuilds the table now (the informer has synced) and on every
// change until ctx ends.
func (r *router) run(ctx context.Context) {
	r.rebuild()
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.stale:
			r.rebuild()
		}
	}
}

func (r *router) rebuild() {
	ings, err := r.ingresses.List(labels.Everything())
	if err != nil {
		// A lister reads its cache; it does not fail.
		klog.ErrorS(err, "Listing Ingresses")
		return
	}
	t := buildTable(ings, r.table())
	r.current.Store(t)
	klog.V(2).InfoS("Routing table rebuilt", "ingresses", len(ings), "hosts", len(t.hosts), "revisions", len(t.revisions))
	if r.rebuilt != nil {
		r.rebuilt(t)
	}
}
