package gc

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/controller/config"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
	servinglisters "github.com/knap-dev/knap/pkg/generated/listers/serving/v1"
)

// owned makes revs controlled by the Configuration of conf().
func owned(revs ...*servingv1.Revision) []*servingv1.Revision {
	for _, r := range revs {
		r.OwnerReferences = []metav1.OwnerReference{{APIVersion: "serving.knative.dev/v1", Kind: "Configuration", Name: "hello", UID: "cfg-uid", Controller: ptr.To(true)}}
	}
	return revs
}

func ownedConf() *servingv1.Configuration {
	c := conf()
	c.UID = "cfg-uid"
	return c
}

type setup struct {
	cfg       *config.GC
	notSynced bool
	// inClient are the objects the API server has; the listers have
	// inCache, plus inClient when nil.
	inClient []runtime.Object
	inCache  []runtime.Object
	reactor  clienttesting.ReactionFunc
}

type result struct {
	err     error
	actions []clienttesting.Action
	events  []string
}

func (s setup) run(t *testing.T) result {
	t.Helper()
	client := fake.NewSimpleClientset(s.inClient...)
	if s.reactor != nil {
		client.PrependReactor("delete", "revisions", s.reactor)
	}
	cached := s.inCache
	if cached == nil {
		cached = s.inClient
	}
	configs := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	revs := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	for _, o := range cached {
		switch o.(type) {
		case *servingv1.Configuration:
			_ = configs.Add(o)
		case *servingv1.Revision:
			_ = revs.Add(o)
		}
	}
	recorder := record.NewFakeRecorder(20)
	cfg := s.cfg
	if cfg == nil {
		cfg = gcConfig(48*time.Hour, 15*time.Hour, 0, 10)
	}
	r := &Reconciler{
		Client:         client,
		Configurations: servinglisters.NewConfigurationLister(configs),
		Revisions:      servinglisters.NewRevisionLister(revs),
		Recorder:       recorder,
		Clock:          clocktesting.NewFakePassiveClock(now),
		Config:         func() *config.GC { return cfg },
		ConfigSynced:   func() bool { return !s.notSynced },
	}
	err := r.Reconcile(context.Background(), "ns/hello")
	close(recorder.Events)
	var events []string
	for e := range recorder.Events {
		events = append(events, e)
	}
	return result{err: err, actions: client.Actions(), events: events}
}

func objects(c *servingv1.Configuration, revs []*servingv1.Revision) []runtime.Object {
	out := []runtime.Object{c}
	for _, r := range revs {
		out = append(out, r)
	}
	return out
}

// deletes are the names deleted, each checked to carry the Revision's UID
// as a precondition.
func deletes(t *testing.T, actions []clienttesting.Action) []string {
	t.Helper()
	var out []string
	for _, a := range actions {
		if a.GetVerb() != "delete" {
			if a.GetVerb() != "list" && a.GetVerb() != "watch" && a.GetVerb() != "get" {
				t.Errorf("unexpected write %s %s", a.GetVerb(), a.GetResource().Resource)
			}
			continue
		}
		d := a.(clienttesting.DeleteActionImpl)
		if d.GetResource().Resource != "revisions" {
			t.Errorf("deleted a %s", d.GetResource().Resource)
		}
		if p := d.DeleteOptions.Preconditions; p == nil || p.UID == nil || string(*p.UID) != "uid-"+d.Name {
			t.Errorf("delete of %s has preconditions %+v, want its UID", d.Name, p)
		}
		out = append(out, d.Name)
	}
	return out
}

func TestReconcileDeletesWithEvents(t *testing.T) {
	h := time.Hour
	revs := owned(old("stale-1", 30), old("stale-2", 20), reserve("young", 10*h, 5*h),
		rev("routed", "active", 100*h, 90*h), old("latest-ready", 90))
	// Labeled with the Configuration, owned by an earlier one of its name.
	foreign := old("foreign", 90)
	foreign.OwnerReferences = []metav1.OwnerReference{{Kind: "Configuration", Name: "hello", UID: "old-uid", Controller: ptr.To(true)}}
	res := setup{inClient: append(objects(ownedConf(), revs), foreign)}.run(t)

	var requeue reconciler.RequeueAfter
	if !errors.As(res.err, &requeue) || requeue.Delay != 38*h {
		t.Errorf("err %v, want a requeue after 38h (young turns 48h old)", res.err)
	}
	if diff := cmp.Diff([]string{"stale-1", "stale-2"}, deletes(t, res.actions)); diff != "" {
		t.Errorf("deleted (-want +got):\n%s", diff)
	}
	want := []string{`Normal RevisionDeleted Deleted Revision "stale-1" (stale)`, `Normal RevisionDeleted Deleted Revision "stale-2" (stale)`}
	if diff := cmp.Diff(want, res.events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestReconcile(t *testing.T) {
	h := time.Hour
	twoStale := owned(old("stale-1", 30), old("stale-2", 20))
	cases := []struct {
		name    string
		setup   setup
		deleted []string
		err     func(error) bool
		events  int
	}{{
		name:  "config-gc not read yet: wait, delete nothing",
		setup: setup{notSynced: true, inClient: objects(ownedConf(), twoStale)},
		err: func(err error) bool {
			var r reconciler.RequeueAfter
			return errors.As(err, &r) && r.Delay == configWait
		},
	}, {
		name:  "configuration gone: nothing",
		setup: setup{inClient: objects(ownedConf(), twoStale)[1:]},
	}, {
		name: "configuration being deleted: nothing",
		setup: setup{inClient: objects(func() *servingv1.Configuration {
			c := ownedConf()
			c.DeletionTimestamp = &metav1.Time{Time: now}
			c.Finalizers = []string{"foregroundDeletion"}
			return c
		}(), twoStale)},
	}, {
		name:  "collection disabled",
		setup: setup{cfg: gcConfig(config.Disabled, config.Disabled, 0, config.Disabled), inClient: objects(ownedConf(), twoStale)},
	}, {
		name: "already gone from the API server: success",
		setup: setup{
			inClient: objects(ownedConf(), twoStale[1:]),
			inCache:  objects(ownedConf(), twoStale),
		},
		deleted: []string{"stale-1", "stale-2"},
		events:  1,
	}, {
		name: "another revision of the name meanwhile (UID precondition fails): left alone",
		setup: setup{
			inClient: objects(ownedConf(), twoStale),
			reactor: func(a clienttesting.Action) (bool, runtime.Object, error) {
				if a.(clienttesting.DeleteAction).GetName() == "stale-1" {
					return true, nil, apierrors.NewConflict(servingv1.Resource("revisions"), "stale-1", errors.New("precondition failed: UID"))
				}
				return false, nil, nil
			},
		},
		deleted: []string{"stale-1", "stale-2"},
		events:  1,
	}, {
		name: "deletion fails: the others are still tried, and it is retried",
		setup: setup{
			inClient: objects(ownedConf(), twoStale),
			reactor: func(a clienttesting.Action) (bool, runtime.Object, error) {
				if a.(clienttesting.DeleteAction).GetName() == "stale-1" {
					return true, nil, apierrors.NewServiceUnavailable("etcd is away")
				}
				return false, nil, nil
			},
		},
		deleted: []string{"stale-1", "stale-2"},
		err: func(err error) bool {
			var r reconciler.RequeueAfter
			return err != nil && strings.Contains(err.Error(), "stale-1") && !errors.As(err, &r) && !reconciler.IsPermanent(err)
		},
		events: 2,
	}, {
		name:    "nothing collectable yet: requeued for when it is",
		setup:   setup{inClient: objects(ownedConf(), owned(reserve("recent", 100*h, h)))},
		deleted: nil,
		err: func(err error) bool {
			var r reconciler.RequeueAfter
			return errors.As(err, &r) && r.Delay == 14*h
		},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := c.setup.run(t)
			if c.err == nil && res.err != nil || c.err != nil && !c.err(res.err) {
				t.Errorf("err %v", res.err)
			}
			if diff := cmp.Diff(c.deleted, deletes(t, res.actions)); diff != "" {
				t.Errorf("deleted (-want +got):\n%s", diff)
			}
			if len(res.events) != c.events {
				t.Errorf("events %q, want %d", res.events, c.events)
			}
			if c.events > 0 && c.setup.reactor != nil && !slices.ContainsFunc(res.events, func(e string) bool { return strings.Contains(e, "stale-2") }) {
				t.Errorf("events %q lack the deletion of stale-2", res.events)
			}
		})
	}
}
