package config

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/kubernetes/scheme"
	typedcorev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2/ktesting"

	"github.com/knap-dev/knap/pkg/controller/manager"
)

const ns = "knap-system"

// storeEnv is a Store over a real informer on a fake clientset, with a
// real event broadcaster writing Events to the fake clientset.
type storeEnv struct {
	t       *testing.T
	ctx     context.Context
	kube    *fake.Clientset
	mc      *manager.Context
	store   *Store
	changes atomic.Int64
}

func newStoreEnv(t *testing.T, initial ...*corev1.ConfigMap) *storeEnv {
	t.Helper()
	_, ctx := ktesting.NewTestContext(t)
	ctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)

	var objs []runtime.Object
	for _, cm := range initial {
		objs = append(objs, cm)
	}
	kube := fake.NewClientset(objs...)
	broadcaster := record.NewBroadcaster(record.WithContext(ctx))
	broadcaster.StartRecordingToSink(&typedcorev1.EventSinkImpl{Interface: kube.CoreV1().Events("")})
	t.Cleanup(broadcaster.Shutdown)
	e := &storeEnv{t: t, ctx: ctx, kube: kube, mc: &manager.Context{
		Kube:            kube,
		SystemInformers: informers.NewSharedInformerFactoryWithOptions(kube, 0, informers.WithNamespace(ns)),
		Namespace:       ns,
		Recorder:        broadcaster.NewRecorder(scheme.Scheme, corev1.EventSource{Component: "knap-controller"}),
	}}
	store, err := NewStore(ctx, e.mc)
	if err != nil {
		t.Fatal(err)
	}
	e.store = store
	store.OnChange(func() { e.changes.Add(1) })
	e.mc.SystemInformers.Start(ctx.Done())
	t.Cleanup(func() { cancel(); e.mc.SystemInformers.Shutdown() })
	if !cache.WaitForCacheSync(ctx.Done(), store.HasSynced) {
		t.Fatal("the store never synced")
	}
	return e
}

func configMap(name string, data map[string]string) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Data: data}
}

func (e *storeEnv) create(cm *corev1.ConfigMap) {
	e.t.Helper()
	if _, err := e.kube.CoreV1().ConfigMaps(cm.Namespace).Create(e.ctx, cm, metav1.CreateOptions{}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *storeEnv) update(cm *corev1.ConfigMap) {
	e.t.Helper()
	if _, err := e.kube.CoreV1().ConfigMaps(cm.Namespace).Update(e.ctx, cm, metav1.UpdateOptions{}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *storeEnv) delete(name string) {
	e.t.Helper()
	if err := e.kube.CoreV1().ConfigMaps(ns).Delete(e.ctx, name, metav1.DeleteOptions{}); err != nil {
		e.t.Fatal(err)
	}
}

// eventually waits until cond holds.
func (e *storeEnv) eventually(what string, cond func() bool) {
	e.t.Helper()
	if err := wait.PollUntilContextTimeout(e.ctx, 5*time.Millisecond, 10*time.Second, true,
		func(context.Context) (bool, error) { return cond(), nil }); err != nil {
		e.t.Fatalf("waiting for %s: %v", what, err)
	}
}

// warnings lists the InvalidConfig Warning Events on ConfigMap name.
func (e *storeEnv) warnings(name string) []corev1.Event {
	e.t.Helper()
	list, err := e.kube.CoreV1().Events(ns).List(e.ctx, metav1.ListOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []corev1.Event
	for _, ev := range list.Items {
		o := ev.InvolvedObject
		if o.Kind == "ConfigMap" && o.APIVersion == "v1" && o.Namespace == ns && o.Name == name &&
			ev.Type == corev1.EventTypeWarning && ev.Reason == ReasonInvalidConfig {
			out = append(out, ev)
		}
	}
	return out
}

func TestStore(t *testing.T) {
	// A ConfigMap present before the informer starts is applied by sync.
	e := newStoreEnv(t, configMap(GCConfigName, map[string]string{"min-non-active-revisions": "5"}))
	if got := e.store.Load().GC.MinNonActiveRevisions; got != 5 {
		t.Fatalf("after sync min-non-active-revisions = %d, want 5", got)
	}
	if got := e.store.Load().Domain.DomainFor(nil); got != "example.com" {
		t.Fatalf("without config-domain DomainFor = %q, want example.com", got)
	}

	// Readers load snapshots concurrently with every change below (-race).
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				c := e.store.Load()
				_ = c.Domain.DomainFor(map[string]string{"app": "x"})
				_ = c.Defaults.UserContainerName(metav1.ObjectMeta{Name: "x"})
				_ = c.Deployment.QueueSidecarCPURequest.String()
				if q := c.Defaults.RevisionCPURequest; q != nil {
					_ = q.String()
				}
				_ = c.Autoscaler.StableWindow
			}
		}()
	}
	defer func() { close(stop); readers.Wait() }()

	// A good value is applied and OnChange fires.
	before := e.changes.Load()
	e.create(configMap(DomainConfigName, map[string]string{ExampleKey: "ignored: [", "knap.dev": ""}))
	e.eventually("config-domain applied", func() bool { return e.store.Load().Domain.DomainFor(nil) == "knap.dev" })
	e.eventually("OnChange after config-domain", func() bool { return e.changes.Load() > before })

	defaultsBefore := e.changes.Load()
	e.create(configMap(DefaultsConfigName, map[string]string{"revision-cpu-request": "250m"}))
	e.eventually("config-defaults applied", func() bool {
		q := e.store.Load().Defaults.RevisionCPURequest
		return q != nil && q.String() == "250m" && e.changes.Load() > defaultsBefore
	})

	as := configMap(AutoscalerConfigName, map[string]string{"stable-window": "90s", "max-scale": "10"})
	applied := e.changes.Load()
	e.create(as)
	// OnChange runs after the snapshot is swapped: wait for both.
	e.eventually("config-autoscaler applied", func() bool {
		return e.store.Load().Autoscaler.StableWindow == 90*time.Second && e.changes.Load() > applied
	})
	old := e.store.Load()

	// A bad value: logged, a Warning Event on the ConfigMap, the previous
	// value kept, no OnChange.
	before = e.changes.Load()
	as.Data = map[string]string{"stable-window": "2s", "max-scale": "20"}
	e.update(as)
	e.eventually("a Warning Event on config-autoscaler", func() bool { return len(e.warnings(AutoscalerConfigName)) > 0 })
	ev := e.warnings(AutoscalerConfigName)[0]
	if !strings.Contains(ev.Message, "stable-window") || !strings.Contains(ev.Message, `"2s"`) {
		t.Errorf("Event message %q does not name the key and the value", ev.Message)
	}
	if ev.Source.Component != "knap-controller" {
		t.Errorf("Event source %q", ev.Source.Component)
	}
	if got := e.store.Load().Autoscaler; got.StableWindow != 90*time.Second || got.MaxScale != 10 {
		t.Errorf("after a bad value the autoscaler is %+v; want the previous good one", got)
	}
	if e.store.Load() != old {
		t.Error("a refused ConfigMap replaced the snapshot")
	}
	if n := e.changes.Load(); n != before {
		t.Errorf("OnChange fired %d times for a refused ConfigMap", n-before)
	}

	// Fixing it applies the fix.
	as.Data = map[string]string{"stable-window": "120s"}
	fixed := e.changes.Load()
	e.update(as)
	e.eventually("the fixed config-autoscaler applied", func() bool {
		return e.store.Load().Autoscaler.StableWindow == 2*time.Minute && e.changes.Load() > fixed
	})
	if got := e.store.Load().Autoscaler.MaxScale; got != 0 {
		t.Errorf("max-scale = %d after the key was removed, want the default 0", got)
	}

	// Metadata-only changes, ConfigMaps of other names and in other
	// namespaces change nothing.
	before = e.changes.Load()
	snap := e.store.Load()
	as.Labels = map[string]string{"touched": "yes"}
	e.update(as)
	e.create(configMap("config-features", map[string]string{"x": "y"}))
	e.create(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: DomainConfigName},
		Data: map[string]string{"elsewhere.com": ""}})
	// A marker after them: once it is applied, they have been seen.
	e.create(configMap(DeploymentConfigName, map[string]string{"queue-sidecar-image": "marker/queue:1"}))
	e.eventually("config-deployment applied", func() bool {
		return e.store.Load().Deployment.QueueSidecarImage == "marker/queue:1" && e.changes.Load() > before
	})
	time.Sleep(100 * time.Millisecond) // a wrong extra OnChange would show now
	if n := e.changes.Load() - before; n != 1 {
		t.Errorf("OnChange fired %d times; want once (config-deployment only)", n)
	}
	if got := e.store.Load(); got.Domain != snap.Domain || got.Autoscaler != snap.Autoscaler {
		t.Error("an unrelated ConfigMap changed the snapshot")
	}

	// Delete: the defaults come back, and OnChange fires.
	before = e.changes.Load()
	e.delete(AutoscalerConfigName)
	e.eventually("config-autoscaler defaults", func() bool { return e.store.Load().Autoscaler.StableWindow == time.Minute })
	e.delete(DomainConfigName)
	e.eventually("config-domain defaults", func() bool { return e.store.Load().Domain.DomainFor(nil) == "example.com" })
	e.delete(GCConfigName)
	e.eventually("config-gc defaults", func() bool {
		return e.store.Load().GC.MinNonActiveRevisions == 20 && e.changes.Load()-before >= 3
	})
	time.Sleep(100 * time.Millisecond)
	if n := e.changes.Load() - before; n != 3 {
		t.Errorf("OnChange fired %d times for 3 deletions", n)
	}
	if got := e.store.Load().Defaults.RevisionCPURequest; got == nil || got.String() != "250m" {
		t.Errorf("deleting other ConfigMaps changed config-defaults: %v", got)
	}
}

// TestStoreBadAtStart: a ConfigMap that is bad from the start leaves the
// defaults in place and gets its Event.
func TestStoreBadAtStart(t *testing.T) {
	e := newStoreEnv(t, configMap(DefaultsConfigName, map[string]string{"container-concurrency": "-1"}))
	if got := e.store.Load().Defaults.ContainerConcurrency; got != 0 {
		t.Errorf("container-concurrency = %d, want the default 0", got)
	}
	e.eventually("a Warning Event on config-defaults", func() bool { return len(e.warnings(DefaultsConfigName)) > 0 })
	if msg := e.warnings(DefaultsConfigName)[0].Message; !strings.Contains(msg, "container-concurrency") || !strings.Contains(msg, `"-1"`) {
		t.Errorf("Event message %q does not name the key and the value", msg)
	}
	if n := e.changes.Load(); n != 0 {
		t.Errorf("OnChange fired %d times", n)
	}
}

func TestSharedStore(t *testing.T) {
	e := newStoreEnv(t)
	var shared SharedStore
	a, err := shared.Get(e.ctx, e.mc)
	if err != nil {
		t.Fatal(err)
	}
	b, err := shared.Get(e.ctx, e.mc)
	if err != nil || a != b {
		t.Fatalf("second Get = %p, %v; want the first Store %p", b, err, a)
	}
	if _, err := shared.Get(e.ctx, &manager.Context{}); err == nil {
		t.Error("Get with another manager context succeeded")
	}
	if _, err := NewStore(e.ctx, &manager.Context{}); err == nil {
		t.Error("NewStore without informers succeeded")
	}
}

// TestStoreNetwork: config-network is followed like the others: a good
// value applies, a bad one is reported and leaves the previous good one,
// deleting it restores the default.
func TestStoreNetwork(t *testing.T) {
	e := newStoreEnv(t, configMap(NetworkConfigName, map[string]string{"rollout-duration": "120"}))
	if got := e.store.Load().Network.RolloutDuration; got != 2*time.Minute {
		t.Fatalf("after sync rollout-duration = %v, want 2m", got)
	}

	cm := configMap(NetworkConfigName, map[string]string{"rollout-duration": "2m"})
	e.update(cm)
	e.eventually("a Warning Event on config-network", func() bool { return len(e.warnings(NetworkConfigName)) > 0 })
	if msg := e.warnings(NetworkConfigName)[0].Message; !strings.Contains(msg, "rollout-duration") || !strings.Contains(msg, `"2m"`) {
		t.Errorf("Event message %q does not name the key and the value", msg)
	}
	if got := e.store.Load().Network.RolloutDuration; got != 2*time.Minute {
		t.Errorf("after a bad value rollout-duration = %v, want the previous 2m", got)
	}

	before := e.changes.Load()
	cm.Data = map[string]string{"rollout-duration": "30"}
	e.update(cm)
	e.eventually("the fixed config-network applied", func() bool {
		return e.store.Load().Network.RolloutDuration == 30*time.Second && e.changes.Load() > before
	})

	e.delete(NetworkConfigName)
	e.eventually("config-network defaults", func() bool { return e.store.Load().Network.RolloutDuration == 0 })
}
