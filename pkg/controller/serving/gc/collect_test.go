package gc

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/controller/config"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const never = -1 // no routingStateModified annotation

// rev is a Revision of "hello" in routing state (none when ""), created
// createdAgo before now and last active activeAgo before now (never: not
// recorded).
func rev(name, state string, createdAgo, activeAgo time.Duration) *servingv1.Revision {
	r := &servingv1.Revision{ObjectMeta: metav1.ObjectMeta{
		Namespace: "ns", Name: name, UID: types.UID("uid-" + name),
		CreationTimestamp: metav1.NewTime(now.Add(-createdAgo)),
		Labels:            map[string]string{serving.ConfigurationLabel: "hello"},
		Annotations:       map[string]string{},
	}}
	if state != "" {
		r.Labels[serving.RoutingStateLabel] = state
	}
	if activeAgo != never {
		r.Annotations[serving.RoutingStateModifiedAnnotation] = now.Add(-activeAgo).Format(time.RFC3339)
	}
	return r
}

// reserve is a non-active revision.
func reserve(name string, createdAgo, activeAgo time.Duration) *servingv1.Revision {
	return rev(name, serving.RoutingStateReserve, createdAgo, activeAgo)
}

// old is a reserve revision past the default retain times, last active
// hoursAgo (more than 15).
func old(name string, hoursAgo int) *servingv1.Revision {
	return reserve(name, 100*time.Hour, time.Duration(hoursAgo)*time.Hour)
}

// olds are n old revisions named old-00..., the first the least recently
// active.
func olds(n int) []*servingv1.Revision {
	var out []*servingv1.Revision
	for i := range n {
		out = append(out, old(fmt.Sprintf("old-%02d", i), 90-i))
	}
	return out
}

func conf() *servingv1.Configuration {
	c := &servingv1.Configuration{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "hello"}}
	c.Status.LatestCreatedRevisionName = "latest-created"
	c.Status.LatestReadyRevisionName = "latest-ready"
	return c
}

func gcConfig(create, active time.Duration, minKept, maxKept int64) *config.GC {
	return &config.GC{RetainSinceCreateTime: create, RetainSinceLastActiveTime: active, MinNonActiveRevisions: minKept, MaxNonActiveRevisions: maxKept}
}

func TestCollect(t *testing.T) {
	const off = config.Disabled
	h := time.Hour
	defaults := config.DefaultConfig().GC
	stale := func(names ...string) []string {
		for i := range names {
			names[i] += " " + WhyStale
		}
		return names
	}
	overMax := func(names ...string) []string {
		for i := range names {
			names[i] += " " + WhyOverMax
		}
		return names
	}
	cases := []struct {
		name    string
		cfg     *config.GC
		revs    []*servingv1.Revision
		want    []string
		recheck time.Duration
	}{{
		name: "max and both times disabled: nothing, ever",
		cfg:  gcConfig(off, off, 0, off),
		revs: olds(30),
	}, {
		name: "defaults: the stale beyond the 20 newest go, least recently active first",
		cfg:  defaults,
		revs: olds(23),
		want: stale("old-00", "old-01", "old-02"),
	}, {
		name: "defaults, max disabled: stale ones still go",
		cfg:  gcConfig(48*h, 15*h, 20, off),
		revs: olds(21),
		want: stale("old-00"),
	}, {
		name: "no more revisions in all than min: nothing",
		cfg:  gcConfig(0, 0, 3, 10),
		revs: olds(3),
	}, {
		name: "more in all, but no more non-active than min: nothing",
		cfg:  gcConfig(0, 0, 3, 10),
		revs: append(olds(3), rev("a", serving.RoutingStateActive, 100*h, 90*h), rev("b", serving.RoutingStateActive, 100*h, 90*h)),
	}, {
		name:    "younger than retain-since-create-time: kept until then",
		cfg:     gcConfig(48*h, 15*h, 0, 10),
		revs:    []*servingv1.Revision{reserve("young", 24*h, 20*h), old("stale", 20)},
		want:    stale("stale"),
		recheck: 24 * h,
	}, {
		name:    "active within retain-since-last-active-time: kept until then",
		cfg:     gcConfig(48*h, 15*h, 0, 10),
		revs:    []*servingv1.Revision{reserve("recent", 100*h, h)},
		recheck: 14 * h,
	}, {
		name:    "both times must have passed: the later one decides",
		cfg:     gcConfig(48*h, 15*h, 0, 10),
		revs:    []*servingv1.Revision{reserve("both", 40*h, 10*h)},
		recheck: 8 * h,
	}, {
		name: "create time disabled: only last active counts",
		cfg:  gcConfig(off, 15*h, 0, 10),
		revs: []*servingv1.Revision{reserve("new-but-idle", 20*h, 16*h)},
		want: stale("new-but-idle"),
	}, {
		name:    "last-active time disabled: only creation counts",
		cfg:     gcConfig(48*h, off, 0, 10),
		revs:    []*servingv1.Revision{reserve("old-but-recent", 50*h, h), reserve("young", 47*h, 40*h)},
		want:    stale("old-but-recent"),
		recheck: h,
	}, {
		name: "exactly at the retain time: stale",
		cfg:  gcConfig(48*h, 15*h, 0, 10),
		revs: []*servingv1.Revision{reserve("edge", 48*h, 15*h)},
		want: stale("edge"),
	}, {
		name:    "zero retain times: stale at once",
		cfg:     gcConfig(0, 0, 1, 10),
		revs:    []*servingv1.Revision{reserve("a", time.Minute, time.Second), reserve("b", time.Minute, 2*time.Second)},
		want:    stale("b"),
		recheck: 0,
	}, {
		name: "min caps stale deletions: the most recently active stay",
		cfg:  gcConfig(48*h, 15*h, 2, 10),
		revs: olds(5),
		want: stale("old-00", "old-01", "old-02"),
	}, {
		name: "times disabled, max: the least recently active beyond max go whatever their age",
		cfg:  gcConfig(off, off, 0, 2),
		revs: []*servingv1.Revision{reserve("r3", h, 3*time.Minute), reserve("r1", h, time.Minute), reserve("r5", h, 5*time.Minute), reserve("r2", h, 2*time.Minute), reserve("r4", h, 4*time.Minute)},
		want: overMax("r5", "r4", "r3"),
	}, {
		name: "min and max 0, times disabled: every non-active revision goes",
		cfg:  gcConfig(off, off, 0, 0),
		revs: []*servingv1.Revision{reserve("r1", h, h), reserve("r2", time.Second, time.Second), rev("routed", serving.RoutingStateActive, h, h)},
		want: overMax("r1", "r2"),
	}, {
		name: "stale first, then the oldest of the rest beyond max",
		cfg:  gcConfig(48*h, 15*h, 1, 2),
		revs: []*servingv1.Revision{
			old("s1", 30), old("s2", 20),
			reserve("y1", 10*h, 4*h), reserve("y2", 10*h, 3*h), reserve("y3", 10*h, 2*h), reserve("y4", 10*h, h),
		},
		want:    append(stale("s1", "s2"), overMax("y1", "y2")...),
		recheck: 38 * h, // y3 and y4 turn stale at creation + 48h
	}, {
		name: "stale deletions reaching min leave the max rule nothing to do",
		cfg:  gcConfig(48*h, 15*h, 1, 1),
		revs: []*servingv1.Revision{old("s1", 30), old("s2", 20), old("s3", 16)},
		want: stale("s1", "s2"),
	}, {
		name: "never: latest created, latest ready, active, pending, no state, no-gc",
		cfg:  gcConfig(0, 0, 0, 0),
		revs: []*servingv1.Revision{
			old("latest-created", 90), old("latest-ready", 90),
			rev("active", serving.RoutingStateActive, 100*h, 90*h),
			rev("pending", serving.RoutingStatePending, 100*h, 90*h),
			rev("unset", "", 100*h, never),
			func() *servingv1.Revision {
				r := old("preserved", 90)
				r.Annotations[serving.RevisionPreservedAnnotation] = "TRUE"
				return r
			}(),
			func() *servingv1.Revision {
				r := old("not-preserved", 90)
				r.Annotations[serving.RevisionPreservedAnnotation] = "false"
				return r
			}(),
		},
		want: stale("not-preserved"),
	}, {
		name: "last active falls back to creation: missing or unreadable annotation",
		cfg:  gcConfig(off, 15*h, 0, 10),
		revs: []*servingv1.Revision{
			reserve("no-annotation", 16*h, never),
			func() *servingv1.Revision {
				r := reserve("garbage", 2*h, never)
				r.Annotations[serving.RoutingStateModifiedAnnotation] = "yesterday"
				return r
			}(),
		},
		want:    stale("no-annotation"),
		recheck: 13 * h,
	}, {
		name: "ordered by last active, not creation",
		cfg:  gcConfig(0, 0, 1, 10),
		revs: []*servingv1.Revision{reserve("created-first", 10*h, h), reserve("created-last", h, 2*h)},
		want: stale("created-last"),
	}, {
		name:    "recheck at the earliest of the kept",
		cfg:     gcConfig(48*h, 15*h, 0, 10),
		revs:    []*servingv1.Revision{reserve("late", 100*h, 5*h), reserve("soon", 100*h, 14*h), reserve("later", 46*h, 20*h)},
		recheck: h,
	}, {
		name: "no recheck when only min remain",
		cfg:  gcConfig(48*h, 15*h, 2, 10),
		revs: []*servingv1.Revision{reserve("a", h, h), reserve("b", h, h)},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan := Collect(c.cfg, conf(), c.revs, now)
			var got []string
			for _, d := range plan.Delete {
				got = append(got, d.Revision.Name+" "+d.Why)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("deleted (-want +got):\n%s", diff)
			}
			if plan.RecheckAfter != c.recheck {
				t.Errorf("recheck after %s, want %s", plan.RecheckAfter, c.recheck)
			}
		})
	}
}
