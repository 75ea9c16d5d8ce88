package kpa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	kubefake "k8s.io/client-go/kubernetes/fake"
	appslisters "k8s.io/client-go/listers/apps/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	testingclock "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	autoscalingv1alpha1 "github.com/knap-dev/knap/pkg/apis/autoscaling/v1alpha1"
	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/autoscaler"
	"github.com/knap-dev/knap/pkg/controller/config"
	"github.com/knap-dev/knap/pkg/controller/reconciler"
	"github.com/knap-dev/knap/pkg/generated/clientset/versioned/fake"
	autoscalinglisters "github.com/knap-dev/knap/pkg/generated/listers/autoscaling/v1alpha1"
)

const (
	testRevision   = "hello-00001"
	testDeployment = "hello-00001-deployment"
	// notScaled is the scaledTo of a reconcile that left the Deployment
	// alone.
	notScaled int32 = -1
)

var (
	testKey = types.NamespacedName{Namespace: "ns", Name: testRevision}
	// t0 is the fake clock's start, on a whole second as the buckets count.
	t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
)

func newPodAutoscaler(annotations map[string]string) *autoscalingv1alpha1.PodAutoscaler {
	return &autoscalingv1alpha1.PodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Namespace: testKey.Namespace, Name: testRevision, UID: "pa-uid", Generation: 1, Annotations: annotations},
		Spec: autoscalingv1alpha1.PodAutoscalerSpec{
			ScaleTargetRef: autoscalingv1alpha1.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: testDeployment},
		},
	}
}

// activeCondition is the Active condition a PodAutoscaler has before a
// reconcile.
type activeCondition struct {
	status corev1.ConditionStatus
	reason string
	// age is how long before the reconcile it last changed.
	age time.Duration
}

// withStatus gives p an Active condition that changed at the given time
// and, when initialized, a True ScaleTargetInitialized.
func withStatus(p *autoscalingv1alpha1.PodAutoscaler, active activeCondition, now time.Time, initialized bool) {
	p.Status.Conditions = append(p.Status.Conditions, duckv1.Condition{
		Type: autoscaling.PodAutoscalerConditionActive, Status: active.status, Reason: active.reason,
		LastTransitionTime: metav1.NewTime(now.Add(-active.age)),
	})
	if initialized {
		p.Status.Conditions = append(p.Status.Conditions, duckv1.Condition{
			Type: autoscaling.PodAutoscalerConditionScaleTargetInitialized, Status: corev1.ConditionTrue,
			LastTransitionTime: metav1.NewTime(now.Add(-time.Hour)),
		})
	}
}

func newDeployment(replicas int32) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Namespace: testKey.Namespace, Name: testDeployment},
		Spec:       appsv1.DeploymentSpec{Replicas: ptr.To(replicas)},
	}
}

func revisionPod(name, ip string, ready bool) *corev1.Pod {
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: testKey.Namespace, Name: name, Labels: map[string]string{serving.RevisionLabel: testRevision}},
		Status:     corev1.PodStatus{PodIP: ip, Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: status}}},
	}
}

func readyPods(n int) []*corev1.Pod {
	var out []*corev1.Pod
	for i := range n {
		out = append(out, revisionPod(fmt.Sprintf("ready-%d", i), fmt.Sprintf("10.0.0.%d", i+1), true))
	}
	return out
}

// notReadyPods are pods the revision must not count as ready.
func notReadyPods() []*corev1.Pod {
	starting := revisionPod("starting", "10.0.1.1", false)
	noIP := revisionPod("no-ip", "", true)
	terminating := revisionPod("terminating", "10.0.1.2", true)
	terminating.DeletionTimestamp = ptr.To(metav1.NewTime(t0))
	other := revisionPod("other-revision", "10.0.1.3", true)
	other.Labels[serving.RevisionLabel] = "hello-00002"
	return []*corev1.Pod{starting, noIP, terminating, other}
}

// gatewayStat is a gateway's report of concurrency requests in flight
// over one second.
func gatewayStat(concurrency float64) autoscaler.Stat {
	return autoscaler.Stat{PodName: "gateway-0", AverageConcurrentRequests: concurrency, RequestCount: concurrency}
}

// idleStat is what an idle revision's load adds up to each second: its
// pods' scrapes and the gateway's first quiet period report nothing in
// flight.
func idleStat() autoscaler.Stat { return gatewayStat(0) }

// activationStat is a gateway holding a request for a revision without
// ready pods.
func activationStat() autoscaler.Stat {
	return autoscaler.Stat{PodName: "gateway-0", AverageConcurrentRequests: 1, Activation: true}
}

// failingScraper stands for pods nobody can scrape: the tests' load comes
// from Record only.
type failingScraper struct{}

func (failingScraper) Scrape(context.Context, string) (autoscaler.Stat, error) {
	return autoscaler.Stat{}, errors.New("no pod is scraped in these tests")
}

type requeue struct {
	key   string
	after time.Duration
}

// harness is a Reconciler over fake clientsets, static listers and a
// Collector on a fake clock.
type harness struct {
	t              *testing.T
	cfg            *config.Config
	clock          *testingclock.FakeClock
	collector      *autoscaler.Collector
	kube           *kubefake.Clientset
	client         *fake.Clientset
	podAutoscalers cache.Indexer
	r              *Reconciler
	// requeues are the Requeue calls of the last reconcile.
	requeues []requeue
}

func newIndexer() cache.Indexer {
	return cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
}

func newHarness(t *testing.T, cfg *config.Config, p *autoscalingv1alpha1.PodAutoscaler, d *appsv1.Deployment, pods []*corev1.Pod) *harness {
	t.Helper()
	clk := testingclock.NewFakeClock(t0)
	ctx, cancel := context.WithCancel(context.Background())
	collector := autoscaler.NewCollector(ctx, autoscaler.CollectorOptions{
		Pods:    func(context.Context, types.NamespacedName) ([]autoscaler.Pod, error) { return nil, nil },
		Scraper: failingScraper{},
		Clock:   clk,
	})
	t.Cleanup(func() {
		cancel()
		collector.Wait()
	})

	h := &harness{t: t, cfg: cfg, clock: clk, collector: collector, podAutoscalers: newIndexer(),
		kube: kubefake.NewSimpleClientset(d), client: fake.NewSimpleClientset(p)}
	if err := h.podAutoscalers.Add(p); err != nil {
		t.Fatal(err)
	}
	deployments, podIndex := newIndexer(), newIndexer()
	if err := deployments.Add(d); err != nil {
		t.Fatal(err)
	}
	for _, pod := range pods {
		if err := podIndex.Add(pod); err != nil {
			t.Fatal(err)
		}
	}
	h.r = &Reconciler{
		Kube: h.kube, Client: h.client,
		PodAutoscalers: autoscalinglisters.NewPodAutoscalerLister(h.podAutoscalers),
		Deployments:    appslisters.NewDeploymentLister(deployments),
		Pods:           corelisters.NewPodLister(podIndex),
		Config:         func() *config.Config { return cfg },
		Collector:      collector,
		Clock:          clk,
		Requeue:        func(key string, after time.Duration) { h.requeues = append(h.requeues, requeue{key, after}) },
		deciders:       map[types.NamespacedName]*autoscaler.Decider{},
	}
	return h
}

// stored is the PodAutoscaler as the lister has it.
func (h *harness) stored() *autoscalingv1alpha1.PodAutoscaler {
	h.t.Helper()
	p, err := h.r.PodAutoscalers.PodAutoscalers(testKey.Namespace).Get(testKey.Name)
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

// store replaces the PodAutoscaler the lister has.
func (h *harness) store(p *autoscalingv1alpha1.PodAutoscaler) {
	h.t.Helper()
	if err := h.podAutoscalers.Update(p); err != nil {
		h.t.Fatal(err)
	}
}

// record starts collecting for the revision with the windows its
// reconcile uses, as its first reconcile would, and records stat at the
// clock's now.
func (h *harness) record(stat autoscaler.Stat) {
	spec := DeciderSpec(h.stored(), h.cfg.Autoscaler)
	h.collector.Collect(testKey, autoscaler.NewWindows(spec.StableWindow, h.cfg.Autoscaler.PanicWindowPercentage))
	stat.Revision = testKey
	h.collector.Record(h.clock.Now(), stat)
}

// reconcile reconciles the revision at the clock's now, keeping only that
// reconcile's actions and requeues.
func (h *harness) reconcile() error {
	h.kube.ClearActions()
	h.client.ClearActions()
	h.requeues = nil
	return h.r.Reconcile(context.Background(), testKey.String())
}

func (h *harness) mustReconcile() {
	h.t.Helper()
	if err := h.reconcile(); err != nil {
		h.t.Fatalf("Reconcile: %v", err)
	}
}

// written is the PodAutoscaler whose status the last reconcile wrote, nil
// when it wrote none.
func (h *harness) written() *autoscalingv1alpha1.PodAutoscaler {
	h.t.Helper()
	var out *autoscalingv1alpha1.PodAutoscaler
	for _, a := range h.client.Actions() {
		u, ok := a.(clienttesting.UpdateAction)
		if !ok || a.GetSubresource() != "status" {
			h.t.Fatalf("unexpected action on the PodAutoscaler: %v", a)
		}
		out = u.GetObject().(*autoscalingv1alpha1.PodAutoscaler)
	}
	return out
}

// status is the PodAutoscaler's status after the last reconcile: the one
// it wrote, else the stored one.
func (h *harness) status() *autoscalingv1alpha1.PodAutoscalerStatus {
	h.t.Helper()
	if p := h.written(); p != nil {
		return &p.Status
	}
	return &h.stored().Status
}

// scaledTo is the replicas the last reconcile patched the Deployment to,
// or notScaled.
func (h *harness) scaledTo() int32 {
	h.t.Helper()
	got := notScaled
	for _, a := range h.kube.Actions() {
		p, ok := a.(clienttesting.PatchAction)
		if !ok || p.GetResource().Resource != "deployments" || p.GetName() != testDeployment || got != notScaled {
			h.t.Fatalf("unexpected action %v (patched to %d already)", a, got)
		}
		if p.GetPatchType() != types.MergePatchType {
			h.t.Fatalf("patch type %s", p.GetPatchType())
		}
		var patch struct {
			Spec struct {
				Replicas *int32 `json:"replicas"`
			} `json:"spec"`
		}
		if err := json.Unmarshal(p.GetPatch(), &patch); err != nil || patch.Spec.Replicas == nil {
			h.t.Fatalf("patch %s: %v", p.GetPatch(), err)
		}
		got = *patch.Spec.Replicas
	}
	return got
}

// checkRequeues checks the last reconcile asked for the revision again
// after each of want, in order, and nothing else.
func (h *harness) checkRequeues(want ...time.Duration) {
	h.t.Helper()
	var wantRequeues []requeue
	for _, after := range want {
		wantRequeues = append(wantRequeues, requeue{testKey.String(), after})
	}
	if fmt.Sprint(h.requeues) != fmt.Sprint(wantRequeues) {
		h.t.Errorf("requeues %v, want %v", h.requeues, wantRequeues)
	}
}

// checkActive checks the Active condition after the last reconcile.
func (h *harness) checkActive(status corev1.ConditionStatus, reason string) {
	h.t.Helper()
	c := h.status().GetCondition(autoscaling.PodAutoscalerConditionActive)
	if c == nil || c.Status != status || c.Reason != reason {
		h.t.Errorf("Active %+v, want %s %q", c, status, reason)
	}
}

// checkScales checks status.desiredScale (nil: not set) and actualScale.
func (h *harness) checkScales(desired *int32, actual int32) {
	h.t.Helper()
	s := h.status()
	if (s.DesiredScale == nil) != (desired == nil) || (desired != nil && *s.DesiredScale != *desired) {
		h.t.Errorf("desiredScale %s, want %s", optional(s.DesiredScale), optional(desired))
	}
	if s.ActualScale == nil || *s.ActualScale != actual {
		h.t.Errorf("actualScale %s, want %d", optional(s.ActualScale), actual)
	}
}

func optional(v *int32) string {
	if v == nil {
		return "unset"
	}
	return fmt.Sprint(*v)
}

func TestDeciderSpec(t *testing.T) {
	// What the defaults of config-autoscaler give a revision without
	// annotations.
	defaults := autoscaler.DeciderSpec{
		Metric: autoscaling.Concurrency, TargetValue: 70, TotalValue: 100, TargetBurstCapacity: 211, PanicThreshold: 2,
		MaxScaleUpRate: 1000, MaxScaleDownRate: 2, StableWindow: time.Minute, ActivationScale: 1, Reachable: true,
	}
	for name, tc := range map[string]struct {
		annotations          map[string]string
		containerConcurrency int64
		reach                autoscalingv1alpha1.ReachabilityType
		config               func(*config.Autoscaler)
		// want changes the defaults into the expected spec.
		want func(*autoscaler.DeciderSpec)
	}{
		"defaults: 70% of the default concurrency 100": {},
		"containerConcurrency 10: 70% of it": {
			containerConcurrency: 10,
			want:                 func(s *autoscaler.DeciderSpec) { s.TargetValue, s.TotalValue = 7, 10 },
		},
		"target annotation 5: 3.5": {
			annotations: map[string]string{autoscaling.TargetAnnotationKey: "5"},
			want:        func(s *autoscaler.DeciderSpec) { s.TargetValue, s.TotalValue = 3.5, 5 },
		},
		"target below containerConcurrency is kept": {
			annotations: map[string]string{autoscaling.TargetAnnotationKey: "5"}, containerConcurrency: 10,
			want: func(s *autoscaler.DeciderSpec) { s.TargetValue, s.TotalValue = 3.5, 5 },
		},
		"target above containerConcurrency is capped to it": {
			annotations: map[string]string{autoscaling.TargetAnnotationKey: "50"}, containerConcurrency: 10,
			want: func(s *autoscaler.DeciderSpec) { s.TargetValue, s.TotalValue = 7, 10 },
		},
		"config's container concurrency default and target percentage": {
			config: func(c *config.Autoscaler) {
				c.ContainerConcurrencyTargetDefault, c.ContainerConcurrencyTargetFraction = 10, 0.5
			},
			want: func(s *autoscaler.DeciderSpec) { s.TargetValue, s.TotalValue = 5, 10 },
		},
		"rps: 70% of the default 200": {
			annotations: map[string]string{autoscaling.MetricAnnotationKey: autoscaling.RPS},
			want:        func(s *autoscaler.DeciderSpec) { s.Metric, s.TargetValue, s.TotalValue = autoscaling.RPS, 140, 200 },
		},
		"rps target annotation, not capped by containerConcurrency": {
			annotations:          map[string]string{autoscaling.MetricAnnotationKey: autoscaling.RPS, autoscaling.TargetAnnotationKey: "50"},
			containerConcurrency: 10,
			want:                 func(s *autoscaler.DeciderSpec) { s.Metric, s.TargetValue, s.TotalValue = autoscaling.RPS, 35, 50 },
		},
		"target-utilization-percentage 50": {
			annotations: map[string]string{autoscaling.TargetUtilizationPercentageKey: "50"},
			want:        func(s *autoscaler.DeciderSpec) { s.TargetValue = 50 },
		},
		"target-utilization-percentage of rps": {
			annotations: map[string]string{autoscaling.MetricAnnotationKey: autoscaling.RPS, autoscaling.TargetUtilizationPercentageKey: "80"},
			want:        func(s *autoscaler.DeciderSpec) { s.Metric, s.TargetValue, s.TotalValue = autoscaling.RPS, 160, 200 },
		},
		"target-utilization-percentage in its legacy spelling": {
			annotations: map[string]string{autoscaling.AnnotationGroup + "/targetUtilizationPercentage": "90", autoscaling.TargetAnnotationKey: "10"},
			want:        func(s *autoscaler.DeciderSpec) { s.TargetValue, s.TotalValue = 9, 10 },
		},
		"the target is never below the minimum": {
			annotations: map[string]string{autoscaling.TargetAnnotationKey: "0.01"},
			want:        func(s *autoscaler.DeciderSpec) { s.TargetValue, s.TotalValue = autoscaling.TargetMin, 0.01 },
		},
		"window annotation": {
			annotations: map[string]string{autoscaling.WindowAnnotationKey: "2m"},
			want:        func(s *autoscaler.DeciderSpec) { s.StableWindow = 2 * time.Minute },
		},
		"config's stable window": {
			config: func(c *config.Autoscaler) { c.StableWindow = 30 * time.Second },
			want:   func(s *autoscaler.DeciderSpec) { s.StableWindow = 30 * time.Second },
		},
		"panic-threshold-percentage 150": {
			annotations: map[string]string{autoscaling.PanicThresholdPercentageAnnotationKey: "150"},
			want:        func(s *autoscaler.DeciderSpec) { s.PanicThreshold = 1.5 },
		},
		"target-burst-capacity -1: always insufficient": {
			annotations: map[string]string{autoscaling.TargetBurstCapacityKey: "-1"},
			want:        func(s *autoscaler.DeciderSpec) { s.TargetBurstCapacity = -1 },
		},
		"target-burst-capacity 0": {
			annotations: map[string]string{autoscaling.TargetBurstCapacityKey: "0"},
			want:        func(s *autoscaler.DeciderSpec) { s.TargetBurstCapacity = 0 },
		},
		"scale-down-delay annotation": {
			annotations: map[string]string{autoscaling.ScaleDownDelayAnnotationKey: "5m"},
			want:        func(s *autoscaler.DeciderSpec) { s.ScaleDownDelay = 5 * time.Minute },
		},
		"config's scale-down delay and rates": {
			config: func(c *config.Autoscaler) {
				c.ScaleDownDelay, c.MaxScaleUpRate, c.MaxScaleDownRate = time.Minute, 10, 4
			},
			want: func(s *autoscaler.DeciderSpec) {
				s.ScaleDownDelay, s.MaxScaleUpRate, s.MaxScaleDownRate = time.Minute, 10, 4
			},
		},
		"activation-scale annotation": {
			annotations: map[string]string{autoscaling.ActivationScaleKey: "3"},
			want:        func(s *autoscaler.DeciderSpec) { s.ActivationScale = 3 },
		},
		"reachable": {reach: autoscalingv1alpha1.ReachabilityReachable},
		"unreachable": {
			reach: autoscalingv1alpha1.ReachabilityUnreachable,
			want:  func(s *autoscaler.DeciderSpec) { s.Reachable = false },
		},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := config.DefaultConfig().Autoscaler
			if tc.config != nil {
				tc.config(cfg)
			}
			p := newPodAutoscaler(tc.annotations)
			p.Spec.ContainerConcurrency = tc.containerConcurrency
			p.Spec.Reachability = tc.reach
			want := defaults
			if tc.want != nil {
				tc.want(&want)
			}

			got := DeciderSpec(p, cfg)
			// Targets are products of float percentages.
			if math.Abs(got.TargetValue-want.TargetValue) > 1e-9 {
				t.Errorf("TargetValue %v, want %v", got.TargetValue, want.TargetValue)
			}
			got.TargetValue = want.TargetValue
			if got != want {
				t.Errorf("DeciderSpec\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestReconcile(t *testing.T) {
	for name, tc := range map[string]struct {
		annotations map[string]string
		reach       autoscalingv1alpha1.ReachabilityType
		config      func(*config.Autoscaler)
		// active is the Active condition before the reconcile; nil: a new
		// PodAutoscaler, no conditions yet.
		active      *activeCondition
		initialized bool
		replicas    int32
		pods        []*corev1.Pod
		// load is recorded at the reconcile's now; nil: none.
		load *autoscaler.Stat

		wantScaledTo int32
		wantDesired  *int32
		wantActual   int32
		wantActive   corev1.ConditionStatus
		wantReason   string
		wantRequeue  []time.Duration
		// wantReadyTrue: Ready, ScaleTargetInitialized and SKSReady True.
		wantReadyTrue bool
	}{
		"30 in flight for a target of 5 (3.5 a pod) on one ready pod: 9 pods": {
			annotations: map[string]string{autoscaling.TargetAnnotationKey: "5"},
			replicas:    1, pods: append(readyPods(1), notReadyPods()...), load: ptr.To(gatewayStat(30)),
			wantScaledTo: 9, wantDesired: ptr.To[int32](9), wantActual: 1, wantActive: corev1.ConditionTrue, wantReadyTrue: true,
		},
		"scale-up rate 2: at most twice the ready pods in one step": {
			annotations: map[string]string{autoscaling.TargetAnnotationKey: "5"},
			config:      func(c *config.Autoscaler) { c.MaxScaleUpRate = 2 },
			replicas:    1, pods: readyPods(1), load: ptr.To(gatewayStat(30)),
			wantScaledTo: 2, wantDesired: ptr.To[int32](2), wantActual: 1, wantActive: corev1.ConditionTrue, wantReadyTrue: true,
		},
		"max-scale 3 caps": {
			annotations: map[string]string{autoscaling.TargetAnnotationKey: "5", autoscaling.MaxScaleAnnotationKey: "3"},
			replicas:    1, pods: readyPods(1), load: ptr.To(gatewayStat(30)),
			wantScaledTo: 3, wantDesired: ptr.To[int32](3), wantActual: 1, wantActive: corev1.ConditionTrue, wantReadyTrue: true,
		},
		"min-scale 2 raises a new revision before any metric": {
			annotations:  map[string]string{autoscaling.MinScaleAnnotationKey: "2"},
			replicas:     1,
			wantScaledTo: 2, wantDesired: ptr.To[int32](2), wantActual: 0, wantActive: corev1.ConditionUnknown, wantReason: autoscaler.ReasonQueued,
		},
		"min-scale 2 with one pod ready: raised, activating until two are": {
			annotations: map[string]string{autoscaling.MinScaleAnnotationKey: "2"},
			active:      &activeCondition{status: corev1.ConditionTrue, age: 10 * time.Minute}, initialized: true,
			replicas: 1, pods: readyPods(1), load: ptr.To(idleStat()),
			wantScaledTo: 2, wantDesired: ptr.To[int32](2), wantActual: 1, wantActive: corev1.ConditionUnknown, wantReason: autoscaler.ReasonQueued,
		},
		"unreachable: min-scale does not hold an idle revision": {
			annotations: map[string]string{autoscaling.MinScaleAnnotationKey: "2"}, reach: autoscalingv1alpha1.ReachabilityUnreachable,
			active: &activeCondition{status: corev1.ConditionTrue, age: 10 * time.Minute}, initialized: true,
			replicas: 1, pods: readyPods(1), load: ptr.To(idleStat()),
			wantScaledTo: notScaled, wantDesired: ptr.To[int32](0), wantActual: 1, wantActive: corev1.ConditionFalse, wantReason: autoscaler.ReasonNoTraffic,
		},
		"from zero: a held request activates one pod": {
			active:      &activeCondition{status: corev1.ConditionFalse, reason: autoscaler.ReasonNoTraffic, age: 10 * time.Minute},
			initialized: true, replicas: 0, load: ptr.To(activationStat()),
			wantScaledTo: 1, wantDesired: ptr.To[int32](1), wantActual: 0, wantActive: corev1.ConditionUnknown, wantReason: autoscaler.ReasonQueued,
		},
		"idle but active for less than a stable window: one pod kept, recheck at its end": {
			active:      &activeCondition{status: corev1.ConditionTrue, age: 10 * time.Second},
			initialized: true, replicas: 1, pods: readyPods(1), load: ptr.To(idleStat()),
			wantScaledTo: notScaled, wantDesired: ptr.To[int32](1), wantActual: 1, wantActive: corev1.ConditionTrue,
			wantRequeue: []time.Duration{50 * time.Second}, wantReadyTrue: true,
		},
		"scale to zero disabled: an idle revision keeps one pod": {
			config:      func(c *config.Autoscaler) { c.EnableScaleToZero = false },
			active:      &activeCondition{status: corev1.ConditionTrue, age: 10 * time.Minute},
			initialized: true, replicas: 2, pods: readyPods(1), load: ptr.To(idleStat()),
			wantScaledTo: 1, wantDesired: ptr.To[int32](1), wantActual: 1, wantActive: corev1.ConditionTrue, wantReadyTrue: true,
		},
		"activating without metrics: recheck at the activation timeout": {
			active:   &activeCondition{status: corev1.ConditionUnknown, reason: autoscaler.ReasonQueued, age: 10 * time.Second},
			replicas: 1,
			// Progress deadline 600s + 30s.
			wantScaledTo: notScaled, wantActual: 0, wantActive: corev1.ConditionUnknown, wantReason: autoscaler.ReasonQueued,
			wantRequeue: []time.Duration{620 * time.Second},
		},
		"activation timed out: scaled to zero": {
			active:       &activeCondition{status: corev1.ConditionUnknown, reason: autoscaler.ReasonQueued, age: 631 * time.Second},
			replicas:     1,
			wantScaledTo: 0, wantDesired: ptr.To[int32](0), wantActual: 0, wantActive: corev1.ConditionFalse, wantReason: autoscaler.ReasonTimedOut,
		},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := config.DefaultConfig()
			if tc.config != nil {
				tc.config(cfg.Autoscaler)
			}
			p := newPodAutoscaler(tc.annotations)
			p.Spec.Reachability = tc.reach
			if tc.active != nil {
				withStatus(p, *tc.active, t0, tc.initialized)
			}
			h := newHarness(t, cfg, p, newDeployment(tc.replicas), tc.pods)
			if tc.load != nil {
				h.record(*tc.load)
			}

			h.mustReconcile()
			if got := h.scaledTo(); got != tc.wantScaledTo {
				t.Errorf("scaled to %d, want %d", got, tc.wantScaledTo)
			}
			h.checkScales(tc.wantDesired, tc.wantActual)
			h.checkActive(tc.wantActive, tc.wantReason)
			h.checkRequeues(tc.wantRequeue...)
			status := h.status()
			if status.ServiceName != testRevision || status.ObservedGeneration != 1 {
				t.Errorf("serviceName %q observedGeneration %d", status.ServiceName, status.ObservedGeneration)
			}
			// A revision with its pods is initialized and Ready.
			if tc.wantReadyTrue {
				for _, c := range []duckv1.ConditionType{duckv1.ConditionReady, autoscaling.PodAutoscalerConditionScaleTargetInitialized, autoscaling.PodAutoscalerConditionSKSReady} {
					if got := status.GetCondition(c); got == nil || got.Status != corev1.ConditionTrue {
						t.Errorf("%s %+v, want True", c, got)
					}
				}
			}
		})
	}
}

// A revision of several pods starts in panic mode, which holds its pods
// for a stable window; only then do the rate limit, min-scale and the
// scale-down delay shape the scale-down. The Decider must survive between
// reconciles for the panic mode to end.
func TestReconcileScaleDownAfterStartupPanic(t *testing.T) {
	for name, tc := range map[string]struct {
		annotations map[string]string
		ready       int
		load        float64
		// wantScaledTo is the Deployment's patch after the stable window.
		wantScaledTo int32
	}{
		"load of one pod on four: halved at most":      {ready: 4, load: 50, wantScaledTo: 2},
		"idle on three: rate limited to one, not zero": {ready: 3, load: 0, wantScaledTo: 1},
		"idle on three with min-scale 2: two":          {annotations: map[string]string{autoscaling.MinScaleAnnotationKey: "2"}, ready: 3, load: 0, wantScaledTo: 2},
		"scale-down delay of two minutes: kept":        {annotations: map[string]string{autoscaling.ScaleDownDelayAnnotationKey: "2m"}, ready: 4, load: 50, wantScaledTo: notScaled},
	} {
		t.Run(name, func(t *testing.T) {
			p := newPodAutoscaler(tc.annotations)
			withStatus(p, activeCondition{status: corev1.ConditionTrue, age: time.Hour}, t0, true)
			h := newHarness(t, config.DefaultConfig(), p, newDeployment(int32(tc.ready)), readyPods(tc.ready))
			h.record(gatewayStat(tc.load))
			h.mustReconcile()
			if got := h.scaledTo(); got != notScaled {
				t.Errorf("at start: scaled to %d, want the %d ready pods kept", got, tc.ready)
			}
			h.checkScales(ptr.To(int32(tc.ready)), int32(tc.ready))

			h.clock.Step(time.Minute + time.Second)
			h.record(gatewayStat(tc.load))
			h.mustReconcile()
			if got := h.scaledTo(); got != tc.wantScaledTo {
				t.Errorf("after a stable window: scaled to %d, want %d", got, tc.wantScaledTo)
			}
			h.checkActive(corev1.ConditionTrue, "")
		})
	}
}

// An idle revision is marked Inactive first and keeps its pod for the
// grace period, then goes to zero.
func TestReconcileScalesIdleRevisionToZero(t *testing.T) {
	p := newPodAutoscaler(nil)
	withStatus(p, activeCondition{status: corev1.ConditionTrue, age: 5 * time.Minute}, t0, true)
	h := newHarness(t, config.DefaultConfig(), p, newDeployment(1), readyPods(1))

	h.record(idleStat())
	h.mustReconcile()
	if got := h.scaledTo(); got != notScaled {
		t.Errorf("marked idle: scaled to %d, want the pod kept", got)
	}
	h.checkActive(corev1.ConditionFalse, autoscaler.ReasonNoTraffic)
	h.checkScales(ptr.To[int32](0), 1)
	h.checkRequeues()
	if c := h.status().GetCondition(duckv1.ConditionReady); c == nil || c.Status != corev1.ConditionFalse || c.Reason != autoscaler.ReasonNoTraffic {
		t.Errorf("Ready %+v, want False NoTraffic", c)
	}

	// The informer would bring the written status back; its transition
	// time is the fake clock's.
	idle := h.written()
	if idle == nil {
		t.Fatal("no status written")
	}
	idle = idle.DeepCopy()
	for i := range idle.Status.Conditions {
		if idle.Status.Conditions[i].Type == autoscaling.PodAutoscalerConditionActive {
			idle.Status.Conditions[i].LastTransitionTime = metav1.NewTime(h.clock.Now())
		}
	}
	h.store(idle)

	h.clock.Step(10 * time.Second)
	h.record(idleStat())
	h.mustReconcile()
	if got := h.scaledTo(); got != notScaled {
		t.Errorf("10s into the grace period: scaled to %d, want the pod kept", got)
	}
	h.checkActive(corev1.ConditionFalse, autoscaler.ReasonNoTraffic)
	h.checkRequeues(20 * time.Second)

	h.clock.Step(20 * time.Second)
	h.record(idleStat())
	h.mustReconcile()
	if got := h.scaledTo(); got != 0 {
		t.Errorf("after the grace period: scaled to %d, want 0", got)
	}
	h.checkActive(corev1.ConditionFalse, autoscaler.ReasonNoTraffic)
	h.checkScales(ptr.To[int32](0), 1)
	h.checkRequeues()
}

func TestReconcileIgnoresOtherClasses(t *testing.T) {
	hpa := map[string]string{autoscaling.ClassAnnotationKey: autoscaling.HPA}
	defaultHPA := func(c *config.Autoscaler) { c.PodAutoscalerClass = autoscaling.HPA }
	for name, tc := range map[string]struct {
		annotations map[string]string
		config      func(*config.Autoscaler)
		// ours: the reconciler handles it after all.
		ours bool
	}{
		"class hpa":                      {annotations: hpa},
		"no class, the default is hpa":   {config: defaultHPA},
		"class kpa, the default is hpa":  {annotations: map[string]string{autoscaling.ClassAnnotationKey: autoscaling.KPA}, config: defaultHPA, ours: true},
		"another autoscaler's own class": {annotations: map[string]string{autoscaling.ClassAnnotationKey: "example.com/autoscaler"}},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := config.DefaultConfig()
			if tc.config != nil {
				tc.config(cfg.Autoscaler)
			}
			p := newPodAutoscaler(tc.annotations)
			h := newHarness(t, cfg, p, newDeployment(1), readyPods(1))
			h.mustReconcile()
			if got := len(h.kube.Actions()) + len(h.client.Actions()); (got != 0) != tc.ours {
				t.Errorf("actions %v %v", h.kube.Actions(), h.client.Actions())
			}
			_, _, err := h.collector.StableAndPanicConcurrency(testKey, h.clock.Now())
			if errors.Is(err, autoscaler.ErrNotCollecting) == tc.ours {
				t.Errorf("StableAndPanicConcurrency: %v", err)
			}
		})
	}

	t.Run("kpa turned hpa: collection stops", func(t *testing.T) {
		h := newHarness(t, config.DefaultConfig(), newPodAutoscaler(nil), newDeployment(1), readyPods(1))
		h.mustReconcile()
		if _, _, err := h.collector.StableAndPanicConcurrency(testKey, h.clock.Now()); !errors.Is(err, autoscaler.ErrNoData) {
			t.Fatalf("collecting for a kpa PodAutoscaler: %v, want ErrNoData", err)
		}
		p := h.stored().DeepCopy()
		p.Annotations = hpa
		h.store(p)
		h.mustReconcile()
		if len(h.kube.Actions())+len(h.client.Actions()) != 0 {
			t.Errorf("actions %v %v", h.kube.Actions(), h.client.Actions())
		}
		if _, _, err := h.collector.StableAndPanicConcurrency(testKey, h.clock.Now()); !errors.Is(err, autoscaler.ErrNotCollecting) {
			t.Errorf("after the class changed: %v, want ErrNotCollecting", err)
		}
	})
}

func TestReconcileForgetsDeletedPodAutoscaler(t *testing.T) {
	for name, remove := range map[string]func(*harness){
		"deleted": func(h *harness) {
			if err := h.podAutoscalers.Delete(h.stored()); err != nil {
				h.t.Fatal(err)
			}
		},
		"being deleted": func(h *harness) {
			p := h.stored().DeepCopy()
			p.DeletionTimestamp = ptr.To(metav1.NewTime(h.clock.Now()))
			h.store(p)
		},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, config.DefaultConfig(), newPodAutoscaler(nil), newDeployment(1), readyPods(1))
			h.record(gatewayStat(1))
			h.mustReconcile()
			if _, _, err := h.collector.StableAndPanicConcurrency(testKey, h.clock.Now()); err != nil {
				t.Fatalf("collecting: %v", err)
			}

			remove(h)
			h.mustReconcile()
			if len(h.kube.Actions())+len(h.client.Actions())+len(h.requeues) != 0 {
				t.Errorf("actions %v %v requeues %v", h.kube.Actions(), h.client.Actions(), h.requeues)
			}
			if _, _, err := h.collector.StableAndPanicConcurrency(testKey, h.clock.Now()); !errors.Is(err, autoscaler.ErrNotCollecting) {
				t.Errorf("StableAndPanicConcurrency after %s: %v, want ErrNotCollecting", name, err)
			}
			if len(h.r.deciders) != 0 {
				t.Errorf("deciders kept: %v", h.r.deciders)
			}
		})
	}
}

func TestReconcileRefusesTargetsOtherThanDeployments(t *testing.T) {
	p := newPodAutoscaler(nil)
	p.Spec.ScaleTargetRef.Kind = "StatefulSet"
	h := newHarness(t, config.DefaultConfig(), p, newDeployment(1), readyPods(1))
	h.record(gatewayStat(100))
	err := h.reconcile()
	if !reconciler.IsPermanent(err) {
		t.Fatalf("Reconcile: %v, want a permanent error", err)
	}
	if got := h.scaledTo(); got != notScaled {
		t.Errorf("scaled to %d", got)
	}
	h.checkActive(corev1.ConditionFalse, "ScaleFailed")
}
