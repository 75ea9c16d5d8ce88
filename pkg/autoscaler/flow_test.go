package autoscaler

import (
	"context"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// A revision's life as the reconciler drives the pieces, one decision a
// second: a gateway activates it from zero, one pod serves a request for
// ten seconds, and the revision goes back to zero a stable window after
// the last load plus the grace period.
func TestFromZeroAndBack(t *testing.T) {
	var activations []types.NamespacedName
	c, _ := newTestCollector(t, CollectorOptions{OnActivation: func(k types.NamespacedName) {
		activations = append(activations, k)
	}})
	c.Collect(testRevision, defaultWindows)
	d := NewDecider(testRevision, baseSpec(), 0, at(0))

	activity, since := Inactive, at(-3600)
	var ready int32
	var replicas int32
	events := map[string]float64{}
	mark := func(what string, s float64) {
		if _, ok := events[what]; !ok {
			events[what] = s
		}
	}

	for s := 0; s <= 120; s++ {
		now := at(float64(s))
		switch {
		case s == 0:
			// A request arrives while no pod is ready: the gateway holds it.
			c.Record(now, Stat{Revision: testRevision, PodName: "gateway", AverageConcurrentRequests: 1, Activation: true})
		case replicas > 0 && s >= 2:
			// The pod is ready from second 2 and serves the request until 10.
			ready = 1
			load := 0.0
			if s < 10 {
				load = 1
			}
			c.Record(now, Stat{Revision: testRevision, PodName: ScraperPodName,
				AverageConcurrentRequests: load, AverageProxiedConcurrentRequests: 0})
		default:
			ready = 0
		}

		dec := d.Decide(context.Background(), now, c, ready)
		desired := ScaleUnknown
		if dec.ScaleValid {
			desired = dec.DesiredPodCount
		}
		if desired == 0 {
			mark("desired 0", float64(s))
		}
		res := Scale(ScaleInput{
			Now: now, Desired: desired, InitialScale: 1, Initialized: true, Reachable: true,
			Activity: activity, ActivitySince: since, EnableScaleToZero: true,
			StableWindow: time.Minute, ScaleToZeroGracePeriod: 30 * time.Second,
			ActivationTimeout: 630 * time.Second,
		})
		if res.Apply {
			replicas = res.Want
			if replicas == 0 {
				mark("scaled to 0", float64(s))
			}
		}
		next, _, _ := NextActivity(activity, res.Want, ready, 1)
		if next != activity {
			activity, since = next, now
			mark(next.String(), float64(s))
		}
		if s == 0 && replicas != 1 {
			t.Fatalf("the activation's decision scaled to %d (%+v, %+v), want 1", replicas, dec, res)
		}
	}

	if len(activations) != 1 || activations[0] != testRevision {
		t.Errorf("activations %v, want one of %v", activations, testRevision)
	}
	want := map[string]float64{
		"Unknown": 0, // activating at once
		"True":    2, // the pod is ready
		// The last load is at second 9: the stable window has only zeros
		// from 69, and the revision was active for longer than a window.
		"desired 0": 69,
		"False":     69,
		// The grace period later.
		"scaled to 0": 99,
	}
	for what, second := range want {
		if got, ok := events[what]; !ok || got != second {
			t.Errorf("%s at second %v (seen: %v), want %v", what, got, ok, second)
		}
	}
}
