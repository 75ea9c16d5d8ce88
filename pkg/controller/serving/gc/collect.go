package gc

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/controller/config"
)

// Why a Revision is collected.
const (
	// WhyStale: past every enabled retain time.
	WhyStale = "stale"
	// WhyOverMax: the oldest beyond max-non-active-revisions.
	WhyOverMax = "over max-non-active-revisions"
)

// Deletion is one Revision to delete and why.
type Deletion struct {
	Revision *servingv1.Revision
	Why      string
}

// Plan is what garbage collection does for one Configuration now.
type Plan struct {
	// Delete lists the Revisions to delete, least recently active first.
	Delete []Deletion
	// RecheckAfter is how long until a kept Revision becomes collectable
	// by time; 0 when none will without some other change (which enqueues
	// the Configuration anyway).
	RecheckAfter time.Duration
}

// Collect decides, by Knative's rules, which of config's revisions (all
// those labeled with it) to delete at now:
//
//   - Only non-active revisions count: routingState reserve, not the
//     latest created or latest ready, not annotated no-gc. A pending
//     revision, or one with no state, is active.
//   - Nothing is deleted while the Configuration has at most
//     min-non-active-revisions revisions in all, or non-active ones.
//   - A non-active revision is stale once it is at least
//     retain-since-create-time old and was last active (routingStateModified,
//     else its creation) at least retain-since-last-active-time ago; a
//     disabled time is not checked, and with both disabled none is stale.
//     Stale revisions are deleted, least recently active first, until only
//     min-non-active-revisions non-active ones are left.
//   - Of those not stale, the least recently active beyond
//     max-non-active-revisions are deleted whatever their age, unless max
//     is disabled.
//   - With max and both times disabled, nothing is ever deleted.
func Collect(cfg *config.GC, conf *servingv1.Configuration, revisions []*servingv1.Revision, now time.Time) Plan {
	timesOff := cfg.RetainSinceCreateTime == config.Disabled && cfg.RetainSinceLastActiveTime == config.Disabled
	if cfg.MaxNonActiveRevisions == config.Disabled && timesOff {
		return Plan{}
	}
	minKept := int(cfg.MinNonActiveRevisions)
	if len(revisions) <= minKept {
		return Plan{}
	}
	var candidates []*servingv1.Revision
	for _, rev := range revisions {
		if !Active(rev, conf) {
			candidates = append(candidates, rev)
		}
	}
	if len(candidates) <= minKept {
		return Plan{}
	}
	slices.SortStableFunc(candidates, func(a, b *servingv1.Revision) int {
		return cmp.Or(LastActive(a).Compare(LastActive(b)), strings.Compare(a.Name, b.Name))
	})

	var plan Plan
	deletable := len(candidates) - minKept
	var kept []*servingv1.Revision
	for _, rev := range candidates {
		if len(plan.Delete) < deletable && !timesOff && !staleAt(cfg, rev).After(now) {
			plan.Delete = append(plan.Delete, Deletion{Revision: rev, Why: WhyStale})
		} else {
			kept = append(kept, rev)
		}
	}
	if len(plan.Delete) == deletable {
		return plan // only min-non-active-revisions left, however old they get
	}

	if maxKept := int(cfg.MaxNonActiveRevisions); cfg.MaxNonActiveRevisions != config.Disabled && len(kept) > maxKept {
		over := len(kept) - maxKept
		for _, rev := range kept[:over] {
			plan.Delete = append(plan.Delete, Deletion{Revision: rev, Why: WhyOverMax})
		}
		kept = kept[over:]
	}

	// The first kept revision to turn stale is deleted then, if more than
	// the minimum remain.
	if len(kept) > minKept && len(revisions)-len(plan.Delete) > minKept && !timesOff {
		next := staleAt(cfg, kept[0])
		for _, rev := range kept[1:] {
			if t := staleAt(cfg, rev); t.Before(next) {
				next = t
			}
		}
		plan.RecheckAfter = next.Sub(now)
	}
	return plan
}

// Active reports whether garbage collection must leave rev alone: the
// latest created or latest ready Revision of conf, one annotated no-gc,
// or one a Route references (or may soon: anything but reserve).
func Active(rev *servingv1.Revision, conf *servingv1.Configuration) bool {
	return rev.Name == conf.Status.LatestCreatedRevisionName ||
		rev.Name == conf.Status.LatestReadyRevisionName ||
		strings.EqualFold(rev.Annotations[serving.RevisionPreservedAnnotation], "true") ||
		rev.Labels[serving.RoutingStateLabel] != serving.RoutingStateReserve
}

// LastActive is when rev last changed routing state (for a reserve
// revision, when it stopped being routed to), or its creation when that
// is not recorded or unreadable.
func LastActive(rev *servingv1.Revision) time.Time {
	if t, err := time.Parse(time.RFC3339, rev.Annotations[serving.RoutingStateModifiedAnnotation]); err == nil {
		return t
	}
	return rev.CreationTimestamp.Time
}

// staleAt is when a non-active rev becomes stale: when every enabled
// retain time has passed. Call it only with at least one enabled.
func staleAt(cfg *config.GC, rev *servingv1.Revision) time.Time {
	var at time.Time
	if d := cfg.RetainSinceCreateTime; d != config.Disabled {
		at = rev.CreationTimestamp.Add(d)
	}
	if d := cfg.RetainSinceLastActiveTime; d != config.Disabled {
		if t := LastActive(rev).Add(d); t.After(at) {
			at = t
		}
	}
	return at
}
