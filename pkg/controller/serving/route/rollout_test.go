package route

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
)

// t0 is a rollout's start in these tests.
var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func at(d time.Duration) int64 { return t0.Add(d).UnixNano() }

func revs(namePercent ...any) []RevisionRollout {
	var out []RevisionRollout
	for i := 0; i < len(namePercent); i += 2 {
		out = append(out, RevisionRollout{RevisionName: namePercent[i].(string), Percent: namePercent[i+1].(int)})
	}
	return out
}

func oneConfig(percent int, params RolloutParams, r []RevisionRollout) *Rollout {
	return &Rollout{Configurations: []*ConfigurationRollout{{ConfigurationName: "hello", Percent: percent, Revisions: r, StepParams: params}}}
}

func TestObserveReadyPlansSteps(t *testing.T) {
	cases := []struct {
		name     string
		percent  int
		duration time.Duration
		// firstStep is how long the Ingress took to serve the first 1%.
		firstStep time.Duration
		wantSize  int
		wantStep  time.Duration
	}{
		// 3s (2.4s rounded up) per step: 117s left fit 39 steps of 99/39
		// percent, rounded to 3.
		{"100% over 2m", 100, 2 * time.Minute, 2400 * time.Millisecond, 3, 3 * time.Second},
		// At least a second per step: 119 steps would fit, but there are
		// only 99 percents to move, so 99 steps of 1% over 119s.
		{"fast ingress", 100, 2 * time.Minute, 2 * time.Microsecond, 1, 1202020202 * time.Nanosecond},
		{"75% rounds the step up", 75, 2 * time.Minute, 2400 * time.Millisecond, 2, 3 * time.Second},
		{"50% rounds the step down", 50, 2 * time.Minute, 2400 * time.Millisecond, 1, 3 * time.Second},
		{"49 steps of 1% over 119s", 50, 2 * time.Minute, time.Second, 1, 2428571428 * time.Nanosecond},
		{"100% over 1m", 100, time.Minute, 500 * time.Millisecond, 2, time.Second},
		{"100% over 10m", 100, 10 * time.Minute, time.Second, 1, 6050505050 * time.Nanosecond},
		// The first 1% took longer than the whole duration: the rest moves
		// in one step, a second later.
		{"duration shorter than the first step", 13, 2 * time.Minute, 200 * time.Second, 12, time.Second},
		{"2%: one step of the last percent", 2, 2 * time.Minute, time.Second, 1, 119 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ro := oneConfig(c.percent, RolloutParams{StartTime: at(0)}, revs("hello-00001", c.percent-1, "hello-00002", 1))
			now := t0.Add(c.firstStep)
			ro.ObserveReady(now, c.duration)
			want := RolloutParams{StartTime: at(0), StepSize: c.wantSize, StepDuration: int64(c.wantStep), NextStepTime: now.Add(c.wantStep).UnixNano()}
			if diff := cmp.Diff(want, ro.Configurations[0].StepParams); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	t.Run("planned once", func(t *testing.T) {
		planned := RolloutParams{StartTime: at(0), StepSize: 5, StepDuration: int64(time.Second), NextStepTime: at(3 * time.Second)}
		ro := oneConfig(100, planned, revs("hello-00001", 90, "hello-00002", 10))
		ro.ObserveReady(t0.Add(time.Minute), 2*time.Minute)
		if got := ro.Configurations[0].StepParams; got != planned {
			t.Errorf("replanned to %+v", got)
		}
	})
	t.Run("no rollout started", func(t *testing.T) {
		ro := oneConfig(100, RolloutParams{}, revs("hello-00001", 100))
		ro.ObserveReady(t0, 2*time.Minute)
		if got := ro.Configurations[0].StepParams; got != (RolloutParams{}) {
			t.Errorf("planned %+v", got)
		}
	})
}

func TestStep(t *testing.T) {
	planned := func(size int, next time.Duration) RolloutParams {
		return RolloutParams{StartTime: at(-time.Minute), StepSize: size, StepDuration: int64(3 * time.Second), NextStepTime: at(next)}
	}
	desired := func(rev string, percent int) *Rollout {
		return oneConfig(percent, RolloutParams{}, revs(rev, percent))
	}
	cases := []struct {
		name          string
		desired, prev *Rollout
		want          *Rollout
		wantNext      time.Duration // from t0; 0: none
	}{{
		name: "no previous state", desired: desired("hello-00002", 100),
		want: desired("hello-00002", 100),
	}, {
		name: "same revision", desired: desired("hello-00001", 100), prev: desired("hello-00001", 100),
		want: desired("hello-00001", 100),
	}, {
		name: "a new revision gets 1%", desired: desired("hello-00002", 100), prev: desired("hello-00001", 100),
		want: oneConfig(100, RolloutParams{StartTime: at(0)}, revs("hello-00001", 99, "hello-00002", 1)),
	}, {
		name: "steps not planned yet", desired: desired("hello-00002", 100),
		prev: oneConfig(100, RolloutParams{StartTime: at(-time.Second)}, revs("hello-00001", 99, "hello-00002", 1)),
		want: oneConfig(100, RolloutParams{StartTime: at(-time.Second)}, revs("hello-00001", 99, "hello-00002", 1)),
	}, {
		name: "step not due", desired: desired("hello-00002", 100),
		prev:     oneConfig(100, planned(3, time.Second), revs("hello-00001", 96, "hello-00002", 4)),
		want:     oneConfig(100, planned(3, time.Second), revs("hello-00001", 96, "hello-00002", 4)),
		wantNext: time.Second,
	}, {
		name: "step due", desired: desired("hello-00002", 100),
		prev:     oneConfig(100, planned(3, 0), revs("hello-00001", 96, "hello-00002", 4)),
		want:     oneConfig(100, planned(3, 3*time.Second), revs("hello-00001", 93, "hello-00002", 7)),
		wantNext: 3 * time.Second,
	}, {
		name: "late: still one step", desired: desired("hello-00002", 100),
		prev:     oneConfig(100, planned(3, -time.Hour), revs("hello-00001", 96, "hello-00002", 4)),
		want:     oneConfig(100, planned(3, 3*time.Second), revs("hello-00001", 93, "hello-00002", 7)),
		wantNext: 3 * time.Second,
	}, {
		name: "the last step is capped and ends the rollout", desired: desired("hello-00002", 100),
		prev: oneConfig(100, planned(3, 0), revs("hello-00001", 2, "hello-00002", 98)),
		want: desired("hello-00002", 100),
	}, {
		name: "a newer revision mid-rollout starts over from the current split", desired: desired("hello-00003", 100),
		prev: oneConfig(100, planned(3, 0), revs("hello-00001", 60, "hello-00002", 40)),
		want: oneConfig(100, RolloutParams{StartTime: at(0)}, revs("hello-00001", 60, "hello-00002", 39, "hello-00003", 1)),
	}, {
		name: "stacked: the newer old revision drains first", desired: desired("hello-00003", 100),
		prev:     oneConfig(100, planned(5, 0), revs("hello-00001", 60, "hello-00002", 39, "hello-00003", 1)),
		want:     oneConfig(100, planned(5, 3*time.Second), revs("hello-00001", 60, "hello-00002", 34, "hello-00003", 6)),
		wantNext: 3 * time.Second,
	}, {
		name: "stacked: a drained revision leaves the split", desired: desired("hello-00003", 100),
		prev:     oneConfig(100, planned(5, 0), revs("hello-00001", 60, "hello-00002", 3, "hello-00003", 37)),
		want:     oneConfig(100, planned(5, 3*time.Second), revs("hello-00001", 58, "hello-00003", 42)),
		wantNext: 3 * time.Second,
	}, {
		name: "a new revision while the 1% came from a drained one", desired: desired("hello-00003", 100),
		prev: oneConfig(100, RolloutParams{StartTime: at(-time.Second)}, revs("hello-00001", 99, "hello-00002", 1)),
		want: oneConfig(100, RolloutParams{StartTime: at(0)}, revs("hello-00001", 99, "hello-00003", 1)),
	}, {
		name: "a larger share goes to the newest revision", desired: desired("hello-00002", 70),
		prev:     oneConfig(50, planned(2, time.Second), revs("hello-00001", 40, "hello-00002", 10)),
		want:     oneConfig(70, planned(2, time.Second), revs("hello-00001", 40, "hello-00002", 30)),
		wantNext: time.Second,
	}, {
		name: "a smaller share is taken from the oldest revision", desired: desired("hello-00002", 15),
		prev:     oneConfig(50, planned(2, time.Second), revs("hello-00001", 40, "hello-00002", 10)),
		want:     oneConfig(15, planned(2, time.Second), revs("hello-00001", 5, "hello-00002", 10)),
		wantNext: time.Second,
	}, {
		name: "a share smaller than the new revision's ends the rollout", desired: desired("hello-00002", 8),
		prev: oneConfig(50, planned(2, time.Second), revs("hello-00001", 40, "hello-00002", 10)),
		want: desired("hello-00002", 8),
	}, {
		name: "1% cannot be split", desired: desired("hello-00002", 1),
		prev: desired("hello-00001", 1),
		want: desired("hello-00002", 1),
	}, {
		name: "a configuration gone from the traffic is dropped", desired: &Rollout{},
		prev: oneConfig(100, planned(3, 0), revs("hello-00001", 96, "hello-00002", 4)),
		want: &Rollout{},
	}, {
		name:    "a tag new to the rollout starts at its revision; the Route's hosts roll",
		desired: withTag(desired("hello-00002", 100), "latest", "hello-00002"),
		prev:    desired("hello-00001", 100),
		want: withTag(oneConfig(100, RolloutParams{StartTime: at(0)}, revs("hello-00001", 99, "hello-00002", 1)),
			"latest", "hello-00002"),
	}, {
		name:    "each tag rolls on its own",
		desired: withTag(desired("hello-00002", 50), "latest", "hello-00002"),
		prev:    withTag(desired("hello-00001", 50), "latest", "hello-00001"),
		want: &Rollout{Configurations: []*ConfigurationRollout{
			{ConfigurationName: "hello", Percent: 50, Revisions: revs("hello-00001", 49, "hello-00002", 1), StepParams: RolloutParams{StartTime: at(0)}},
			{ConfigurationName: "hello", Tag: "latest", Percent: 100, Revisions: revs("hello-00001", 99, "hello-00002", 1), StepParams: RolloutParams{StartTime: at(0)}},
		}},
	}, {
		// As Knative: rolling back appends the revision again.
		name: "back to an older revision", desired: desired("hello-00001", 100),
		prev: oneConfig(100, planned(3, time.Second), revs("hello-00001", 90, "hello-00002", 10)),
		want: oneConfig(100, RolloutParams{StartTime: at(0)}, revs("hello-00001", 90, "hello-00002", 9, "hello-00001", 1)),
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var prevBefore string
			if c.prev != nil {
				prevBefore = c.prev.String()
			}
			desiredBefore := c.desired.String()
			got, next := Step(c.desired, c.prev, t0)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("rollout (-want +got):\n%s", diff)
			}
			var wantNext time.Time
			if c.wantNext != 0 {
				wantNext = t0.Add(c.wantNext)
			}
			if !next.Equal(wantNext) {
				t.Errorf("next step %v, want %v", next, wantNext)
			}
			if c.prev != nil && c.prev.String() != prevBefore {
				t.Errorf("Step modified the previous rollout: %s", c.prev)
			}
			if c.desired.String() != desiredBefore {
				t.Errorf("Step modified the desired rollout: %s", c.desired)
			}
			requireConsistent(t, got)
		})
	}
}

func withTag(ro *Rollout, tag, rev string) *Rollout {
	ro.Configurations = append(ro.Configurations, &ConfigurationRollout{ConfigurationName: "hello", Tag: tag, Percent: 100, Revisions: revs(rev, 100)})
	return ro
}

// requireConsistent: every split sums to its share, with no empty entry.
func requireConsistent(t *testing.T, ro *Rollout) {
	t.Helper()
	if err := ro.validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range ro.Configurations {
		for _, r := range c.Revisions {
			if r.Percent <= 0 {
				t.Fatalf("%s has %d%% in %s", r.RevisionName, r.Percent, ro)
			}
		}
	}
}

// TestRolloutToTheEnd runs whole rollouts with the Ingress serving the
// first 1% after firstStep and every step taken when due: the number of
// steps and the end follow from the planned step size and duration, and
// every split in between is consistent and moves forward.
func TestRolloutToTheEnd(t *testing.T) {
	cases := []struct {
		percent   int
		duration  time.Duration
		firstStep time.Duration
		wantSteps int
		wantEnd   time.Duration
	}{
		// 33 steps of 3% every 3s after 2.4s.
		{100, 2 * time.Minute, 2400 * time.Millisecond, 33, 2400*time.Millisecond + 33*3*time.Second},
		// 99 steps of 1% every 119/99 s.
		{100, 2 * time.Minute, 100 * time.Millisecond, 99, 100*time.Millisecond + 99*1202020202*time.Nanosecond},
		// 59 one-second steps of round(99/59) = 2%: done in 50.
		{100, time.Minute, 500 * time.Millisecond, 50, 500*time.Millisecond + 50*time.Second},
		// Knative's rounding: 71 steps would fit, but 99/71 rounds to 1%.
		{100, 72 * time.Second, 500 * time.Millisecond, 99, 500*time.Millisecond + 99*time.Second},
		{100, time.Hour, time.Second, 99, time.Second + 99*36353535353*time.Nanosecond},
		{50, 2 * time.Minute, time.Second, 49, time.Second + 49*2428571428*time.Nanosecond},
		{2, 10 * time.Second, time.Second, 1, time.Second + 9*time.Second},
		// Slower than the duration: everything left moves a second later.
		{100, 5 * time.Second, 10 * time.Second, 1, 11 * time.Second},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d%% over %v, first step %v", c.percent, c.duration, c.firstStep), func(t *testing.T) {
			desired := oneConfig(c.percent, RolloutParams{}, revs("hello-00002", c.percent))
			ro, next := Step(desired, oneConfig(c.percent, RolloutParams{}, revs("hello-00001", c.percent)), t0)
			if !next.IsZero() || ro.Done() {
				t.Fatalf("the start planned a step at %v or is done: %s", next, ro)
			}
			now := t0.Add(c.firstStep)
			ro.ObserveReady(now, c.duration)
			ro, next = Step(desired, ro, now)
			steps, newest := 0, 1
			for !next.IsZero() {
				if !next.After(now) {
					t.Fatalf("next step %v is not after %v", next, now)
				}
				now = next
				ro, next = Step(desired, ro, now)
				steps++
				requireConsistent(t, ro)
				got := ro.Configurations[0].Revisions[len(ro.Configurations[0].Revisions)-1]
				if got.RevisionName != "hello-00002" || got.Percent <= newest {
					t.Fatalf("step %d: %s; want hello-00002 above %d%%", steps, ro, newest)
				}
				newest = got.Percent
				if steps > 200 {
					t.Fatal("no end")
				}
			}
			if !ro.Done() || newest != c.percent {
				t.Errorf("ended as %s", ro)
			}
			if steps != c.wantSteps || !now.Equal(t0.Add(c.wantEnd)) {
				t.Errorf("%d steps ending at +%v; want %d ending at +%v", steps, now.Sub(t0), c.wantSteps, c.wantEnd)
			}
		})
	}
}

func TestParseRollout(t *testing.T) {
	stored := oneConfig(100, RolloutParams{StartTime: at(0), StepSize: 3, StepDuration: int64(3 * time.Second), NextStepTime: at(3 * time.Second)},
		revs("hello-00001", 97, "hello-00002", 3))
	got, err := ParseRollout(stored.String())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stored, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	// Knative's field names, so state written by either is read by both.
	for _, field := range []string{`"configurations":`, `"configurationName":"hello"`, `"percent":100`, `"revisions":`,
		`"revisionName":"hello-00001"`, `"stepParams":`, `"starttime":`, `"nextStepTime":`, `"stepDuration":3000000000`, `"stepSize":3`} {
		if !strings.Contains(stored.String(), field) {
			t.Errorf("%s lacks %s", stored, field)
		}
	}
	if ro, err := ParseRollout(""); ro != nil || err != nil {
		t.Errorf("empty annotation: %v, %v; want nothing", ro, err)
	}
	if got := (&Rollout{}).String(); got != "{}" {
		t.Errorf("an empty rollout is %s", got)
	}
	for name, bad := range map[string]string{
		"not JSON":              `{"configurations": [`,
		"sum below the percent": `{"configurations":[{"configurationName":"hello","percent":100,"revisions":[{"revisionName":"a","percent":98},{"revisionName":"b","percent":1}]}]}`,
		"over 100%":             `{"configurations":[{"configurationName":"hello","percent":101,"revisions":[{"revisionName":"a","percent":101}]}]}`,
		"step over the percent": `{"configurations":[{"configurationName":"hello","percent":10,"revisions":[{"revisionName":"a","percent":10}],"stepParams":{"stepSize":11}}]}`,
		"negative step":         `{"configurations":[{"configurationName":"hello","percent":10,"revisions":[{"revisionName":"a","percent":10}],"stepParams":{"stepSize":-1}}]}`,
		"negative revision":     `{"configurations":[{"configurationName":"hello","percent":10,"revisions":[{"revisionName":"a","percent":11},{"revisionName":"b","percent":-1}]}]}`,
		"null configuration":    `{"configurations":[null]}`,
	} {
		if ro, err := ParseRollout(bad); err == nil {
			t.Errorf("%s: parsed as %s", name, ro)
		}
	}
}

func TestDesiredRollout(t *testing.T) {
	target := func(config, rev, tag string, percent int64) Target {
		tt := servingv1.TrafficTarget{ConfigurationName: config, RevisionName: rev, Tag: tag, Percent: ptr.To(percent), LatestRevision: ptr.To(config != "")}
		return Target{TrafficTarget: tt, ServiceName: rev}
	}
	pinned := target("", "hello-00001", "stable", 40)
	got := DesiredRollout([]Target{
		target("hello", "hello-00003", "", 30),
		pinned,
		target("hello", "hello-00003", "latest", 20),
		target("other", "other-00001", "", 10),
		target("quiet", "quiet-00002", "", 0),
		target("quiet", "quiet-00002", "candidate", 0),
	})
	want := &Rollout{Configurations: []*ConfigurationRollout{
		// The Route's own hosts: each configuration's latest-revision
		// targets together; none for a 0% configuration.
		{ConfigurationName: "hello", Percent: 50, Revisions: revs("hello-00003", 50)},
		{ConfigurationName: "other", Percent: 10, Revisions: revs("other-00001", 10)},
		// A tag's hosts send it everything.
		{ConfigurationName: "quiet", Tag: "candidate", Percent: 100, Revisions: revs("quiet-00002", 100)},
		{ConfigurationName: "hello", Tag: "latest", Percent: 100, Revisions: revs("hello-00003", 100)},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRolloutDuration(t *testing.T) {
	cases := []struct {
		name        string
		annotations map[string]string
		fallback    time.Duration
		want        time.Duration
	}{
		{"none", nil, 0, 0},
		{"config-network", nil, time.Minute, time.Minute},
		{"annotation", map[string]string{serving.RolloutDurationAnnotation: "380s"}, 0, 380 * time.Second},
		{"annotation over config-network", map[string]string{serving.RolloutDurationAnnotation: "2m"}, time.Minute, 2 * time.Minute},
		{"legacy annotation", map[string]string{RolloutDurationLegacyAnnotation: "90s"}, 0, 90 * time.Second},
		{"current spelling first", map[string]string{serving.RolloutDurationAnnotation: "10s", RolloutDurationLegacyAnnotation: "90s"}, 0, 10 * time.Second},
		{"empty annotation", map[string]string{serving.RolloutDurationAnnotation: "", RolloutDurationLegacyAnnotation: "90s"}, time.Minute, time.Minute},
		{"0s falls back, as in Knative", map[string]string{serving.RolloutDurationAnnotation: "0s"}, time.Minute, time.Minute},
		{"unparsable", map[string]string{serving.RolloutDurationAnnotation: "soon"}, time.Minute, time.Minute},
		{"whole seconds", map[string]string{serving.RolloutDurationAnnotation: "1500ms"}, 0, time.Second},
		{"negative disables", map[string]string{serving.RolloutDurationAnnotation: "-5s"}, time.Minute, -5 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			route := &servingv1.Route{ObjectMeta: metav1.ObjectMeta{Annotations: c.annotations}}
			if got := RolloutDuration(route, c.fallback); got != c.want {
				t.Errorf("RolloutDuration = %v, want %v", got, c.want)
			}
		})
	}
}
