package route

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/networking"
	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
)

// Gradual rollout (Knative's rollout-duration): when the revision a
// latest-revision target resolves to changes, the new revision first gets
// 1% of that target's traffic. Once the Ingress serves that, the time it
// took is the shortest sensible step, and the rest moves in equal steps
// that fit the rollout duration. A newer revision arriving meanwhile starts
// a new rollout, from the split of the moment.
//
// The state is kept, as JSON in Knative's format, in the RolloutAnnotation
// of the Route's Ingress, next to the split it describes, so a controller
// that restarts or takes over continues the rollout where it stands.

const (
	// RolloutAnnotation on a Route's Ingress holds its Rollout as JSON.
	RolloutAnnotation = networking.GroupName + "/rollout"
	// RolloutDurationLegacyAnnotation is Knative's older spelling of
	// serving.RolloutDurationAnnotation, still honoured.
	RolloutDurationLegacyAnnotation = serving.GroupName + "/rolloutDuration"
)

// Rollout is the split of every latest-revision target's configuration,
// per tag: "" for the Route's own hosts, where a configuration's share is
// that of all its latest-revision targets, and each tag's hosts, where the
// tag's configuration has all the traffic. Sorted by tag, then
// configuration.
type Rollout struct {
	Configurations []*ConfigurationRollout `json:"configurations,omitempty"`
}

// ConfigurationRollout is one configuration's split under one tag.
type ConfigurationRollout struct {
	ConfigurationName string `json:"configurationName"`
	Tag               string `json:"tag,omitempty"`
	// Percent is the configuration's share; the revisions' percents sum
	// to it.
	Percent int `json:"percent"`
	// Revisions, oldest first. The last is the one traffic moves to; with
	// one (or none) there is no rollout.
	Revisions  []RevisionRollout `json:"revisions,omitempty"`
	StepParams RolloutParams     `json:"stepParams"`
}

// RolloutParams time a rollout. Times are Unix nanoseconds, durations
// nanoseconds.
type RolloutParams struct {
	// StartTime is when the newest revision got its first 1%.
	StartTime int64 `json:"starttime,omitempty"`
	// NextStepTime is when the next step is due.
	NextStepTime int64 `json:"nextStepTime,omitempty"`
	// StepDuration is the time between steps; 0 until the Ingress served
	// the first 1% (see ObserveReady).
	StepDuration int64 `json:"stepDuration,omitempty"`
	// StepSize is the percent each step moves.
	StepSize int `json:"stepSize,omitempty"`
}

// RevisionRollout is one revision's percent of the Route's traffic (not of
// the configuration's share).
type RevisionRollout struct {
	RevisionName string `json:"revisionName"`
	Percent      int    `json:"percent"`
}

// isLatest reports whether t follows its configuration's latest ready
// revision: a configuration target, unless it says otherwise (the spec
// names a configuration or a revision, never both).
func isLatest(t Target) bool {
	return t.ConfigurationName != "" && ptr.Deref(t.LatestRevision, true)
}

// DesiredRollout is the split targets ask for, with nothing in flight: each
// latest-revision configuration's whole share on the revision it resolves
// to. Configurations with no share of the Route's own traffic (only a tag)
// are left out of tag "".
func DesiredRollout(targets []Target) *Rollout {
	ro := &Rollout{}
	shares := map[string]*ConfigurationRollout{}
	for _, t := range targets {
		if !isLatest(t) {
			continue
		}
		if p := int(ptr.Deref(t.Percent, 0)); p > 0 {
			c := shares[t.ConfigurationName]
			if c == nil {
				c = &ConfigurationRollout{ConfigurationName: t.ConfigurationName, Revisions: []RevisionRollout{{RevisionName: t.ServiceName}}}
				shares[t.ConfigurationName] = c
				ro.Configurations = append(ro.Configurations, c)
			}
			c.Percent += p
			c.Revisions[0].Percent += p
		}
		if t.Tag != "" {
			ro.Configurations = append(ro.Configurations, &ConfigurationRollout{
				ConfigurationName: t.ConfigurationName, Tag: t.Tag, Percent: 100,
				Revisions: []RevisionRollout{{RevisionName: t.ServiceName, Percent: 100}},
			})
		}
	}
	ro.sort()
	return ro
}

func (ro *Rollout) sort() {
	slices.SortStableFunc(ro.Configurations, func(a, b *ConfigurationRollout) int {
		return cmp.Or(cmp.Compare(a.Tag, b.Tag), cmp.Compare(a.ConfigurationName, b.ConfigurationName))
	})
}

// ParseRollout reads a RolloutAnnotation. An empty one is no Rollout (nil);
// one that is not JSON, or whose percents do not add up, is an error (it
// was edited by hand: the caller starts afresh).
func ParseRollout(s string) (*Rollout, error) {
	if s == "" {
		return nil, nil
	}
	ro := &Rollout{}
	if err := json.Unmarshal([]byte(s), ro); err != nil {
		return nil, fmt.Errorf("parsing the rollout annotation: %w", err)
	}
	if err := ro.validate(); err != nil {
		return nil, fmt.Errorf("invalid rollout annotation: %w", err)
	}
	return ro, nil
}

func (ro *Rollout) validate() error {
	var errs []error
	for _, c := range ro.Configurations {
		if c == nil {
			errs = append(errs, errors.New("an empty configuration"))
			continue
		}
		if c.Percent < 0 || c.Percent > 100 {
			errs = append(errs, fmt.Errorf("%s (tag %q): percent %d is not within 0-100", c.ConfigurationName, c.Tag, c.Percent))
		}
		if c.StepParams.StepSize < 0 || c.StepParams.StepSize > c.Percent {
			errs = append(errs, fmt.Errorf("%s (tag %q): step size %d is not within 0-%d", c.ConfigurationName, c.Tag, c.StepParams.StepSize, c.Percent))
		}
		sum := 0
		for _, r := range c.Revisions {
			if r.Percent < 0 {
				errs = append(errs, fmt.Errorf("%s (tag %q): revision %s has a negative percent", c.ConfigurationName, c.Tag, r.RevisionName))
			}
			sum += r.Percent
		}
		if sum != c.Percent {
			errs = append(errs, fmt.Errorf("%s (tag %q): revisions sum to %d%%, not %d%%", c.ConfigurationName, c.Tag, sum, c.Percent))
		}
	}
	return errors.Join(errs...)
}

// String is the Rollout as a RolloutAnnotation.
func (ro *Rollout) String() string {
	b, err := json.Marshal(ro)
	if err != nil {
		panic(fmt.Sprintf("marshalling a rollout of strings and numbers: %v", err)) // cannot happen
	}
	return string(b)
}

// Done reports whether no configuration is split across revisions.
func (ro *Rollout) Done() bool {
	if ro == nil {
		return true
	}
	for _, c := range ro.Configurations {
		if c.inProgress() {
			return false
		}
	}
	return true
}

func (c *ConfigurationRollout) inProgress() bool { return len(c.Revisions) > 1 }

// find returns the rollout of configuration under tag, or nil.
func (ro *Rollout) find(tag, configuration string) *ConfigurationRollout {
	if ro == nil {
		return nil
	}
	for _, c := range ro.Configurations {
		if c.Tag == tag && c.ConfigurationName == configuration {
			return c
		}
	}
	return nil
}

// InProgress returns the rollout of configuration under tag while it
// splits traffic across revisions, else nil.
func (ro *Rollout) InProgress(tag, configuration string) *ConfigurationRollout {
	if c := ro.find(tag, configuration); c != nil && c.inProgress() {
		return c
	}
	return nil
}

// Revisions are the names of every revision the Rollout sends traffic to.
func (ro *Rollout) Revisions() []string {
	var out []string
	if ro == nil {
		return out
	}
	for _, c := range ro.Configurations {
		for _, r := range c.Revisions {
			if r.Percent > 0 && !slices.Contains(out, r.RevisionName) {
				out = append(out, r.RevisionName)
			}
		}
	}
	return out
}

// ObserveReady is called with the stored Rollout once the Ingress serves
// it: each rollout that started and has no steps planned yet plans them
// now. Serving the first 1% took now-StartTime (at least a second): that is
// the shortest step. The remaining percents move in equal steps, as many
// as fit in what is left of duration (at most one per percent, at least
// one), the step size rounded to the nearest percent.
func (ro *Rollout) ObserveReady(now time.Time, duration time.Duration) {
	for _, c := range ro.Configurations {
		if p := &c.StepParams; p.StartTime > 0 && p.StepDuration == 0 {
			c.planSteps(now.UnixNano(), duration.Seconds())
		}
	}
}

func (c *ConfigurationRollout) planSteps(now int64, durationSecs float64) {
	firstStep := math.Max(1, math.Ceil(time.Duration(now-c.StepParams.StartTime).Seconds()))
	left := math.Max(1, durationSecs-firstStep)
	steps := math.Max(1, left/firstStep)
	// The first 1% has moved already.
	if remaining := float64(c.Percent - 1); remaining < steps {
		steps = math.Max(1, remaining)
	}
	size := math.Max(1, math.Round(float64(c.Percent-1)/steps))
	stepDuration := int64(left / steps * float64(time.Second))
	c.StepParams.StepSize = int(size)
	c.StepParams.StepDuration = stepDuration
	c.StepParams.NextStepTime = now + stepDuration
}

// Step is the Rollout to publish at now, given the one desired (from
// DesiredRollout) and the one published before (nil: none). Without a
// previous Rollout it is desired. Per tag and configuration: a revision
// that is not the newest of the previous split starts a rollout to it; an
// unchanged one continues the previous rollout, one step if a step is due;
// a changed share first grows the newest revision or shrinks the oldest
// ones. next is when the earliest next step is due, zero if none is
// planned. Neither argument is modified.
func Step(desired, prev *Rollout, now time.Time) (out *Rollout, next time.Time) {
	if prev == nil || len(prev.Configurations) == 0 {
		return desired, time.Time{}
	}
	nowNanos := now.UnixNano()
	var nextNanos int64
	out = &Rollout{}
	for _, want := range desired.Configurations {
		was := prev.find(want.Tag, want.ConfigurationName)
		// A configuration new to this tag has nothing to move from, and 1%
		// cannot be split.
		if was == nil || want.Percent <= 1 {
			out.Configurations = append(out.Configurations, want.clone())
			continue
		}
		c := stepConfiguration(want, was, nowNanos)
		out.Configurations = append(out.Configurations, c)
		if t := c.StepParams.NextStepTime; t > 0 && (nextNanos == 0 || t < nextNanos) {
			nextNanos = t
		}
	}
	out.sort()
	if nextNanos > 0 {
		next = time.Unix(0, nextNanos)
	}
	return out, next
}

func (c *ConfigurationRollout) clone() *ConfigurationRollout {
	out := *c
	out.Revisions = slices.Clone(c.Revisions)
	return &out
}

// stepConfiguration merges want (one revision with the whole share) into
// the previous split of the same configuration and tag.
func stepConfiguration(want, was *ConfigurationRollout, now int64) *ConfigurationRollout {
	out := &ConfigurationRollout{ConfigurationName: want.ConfigurationName, Tag: want.Tag, Percent: want.Percent}
	revs := resize(was.Revisions, want.Percent)
	newest := want.Revisions[0].RevisionName
	if len(revs) == 0 || revs[len(revs)-1].RevisionName == newest {
		if len(revs) < 2 {
			out.Revisions = slices.Clone(want.Revisions)
			return out
		}
		out.Revisions, out.StepParams = revs, was.StepParams
		// No step before the steps are planned (ObserveReady).
		if out.StepParams.StepSize > 0 {
			out.advance(now)
		}
		return out
	}
	// A new revision: it takes 1% from the newest revision that has any,
	// and the timing starts over.
	for i := len(revs) - 1; i >= 0; i-- {
		if revs[i].Percent > 0 {
			revs[i].Percent--
			break
		}
	}
	revs = slices.DeleteFunc(revs, func(r RevisionRollout) bool { return r.Percent == 0 })
	out.Revisions = append(revs, RevisionRollout{RevisionName: newest, Percent: 1})
	out.StepParams = RolloutParams{StartTime: now}
	return out
}

// resize returns a copy of revs summing to total: a larger share goes to
// the newest revision, a smaller one is taken from the oldest ones first
// (so traffic does not move twice), dropping those left with nothing.
func resize(revs []RevisionRollout, total int) []RevisionRollout {
	out := slices.Clone(revs)
	if total <= 0 {
		return nil
	}
	sum := 0
	for _, r := range out {
		sum += r.Percent
	}
	switch {
	case len(out) == 0:
	case total > sum:
		out[len(out)-1].Percent += total - sum
	case total < sum:
		cut := sum - total
		for i := range out {
			take := min(cut, out[i].Percent)
			out[i].Percent -= take
			if cut -= take; cut == 0 {
				break
			}
		}
		out = slices.DeleteFunc(out, func(r RevisionRollout) bool { return r.Percent == 0 })
	}
	return out
}

// advance takes one step if one is due: StepSize percent moves to the
// newest revision from the older ones, the most recent of them first, and
// those drained leave the split. The last step ends the rollout and clears
// its timing.
func (c *ConfigurationRollout) advance(now int64) {
	p := &c.StepParams
	if len(c.Revisions) < 2 || now < p.NextStepTime {
		return
	}
	last := len(c.Revisions) - 1
	move := p.StepSize
	for i := last - 1; i >= 0 && move > 0; i-- {
		take := min(move, c.Revisions[i].Percent)
		c.Revisions[i].Percent -= take
		move -= take
	}
	// The step may be larger than what was left.
	c.Revisions[last].Percent = min(c.Revisions[last].Percent+p.StepSize, c.Percent)
	c.Revisions = slices.DeleteFunc(c.Revisions, func(r RevisionRollout) bool { return r.Percent == 0 })
	if len(c.Revisions) > 1 {
		p.NextStepTime = now + p.StepDuration
	} else {
		*p = RolloutParams{}
	}
}

// RolloutDuration is route's rollout duration in whole seconds: its
// annotation (a Go duration such as "380s"; unparsable reads as 0), and
// when that is 0 or absent, fallback (config-network). Not positive: no
// gradual rollout.
func RolloutDuration(route *servingv1.Route, fallback time.Duration) time.Duration {
	var d time.Duration
	for _, key := range []string{serving.RolloutDurationAnnotation, RolloutDurationLegacyAnnotation} {
		if v, ok := route.Annotations[key]; ok {
			// The first spelling present wins, even when empty.
			d, _ = time.ParseDuration(v)
			break
		}
	}
	if d = d.Truncate(time.Second); d == 0 {
		d = fallback.Truncate(time.Second)
	}
	return d
}

// rollout is the Rollout to publish for route's targets now, and how long
// until its next step (0: none planned). Without a rollout duration, or
// without an Ingress of the Route's to hold the previous state, it is the
// desired one.
func (r *Reconciler) rollout(ctx context.Context, route *servingv1.Route, targets []Target, ingress *networkingv1alpha1.Ingress) (*Rollout, time.Duration) {
	desired := DesiredRollout(targets)
	var fallback time.Duration
	if r.RolloutDuration != nil {
		fallback = r.RolloutDuration()
	}
	duration := RolloutDuration(route, fallback)
	if duration <= 0 || ingress == nil || !metav1.IsControlledBy(ingress, route) {
		return desired, 0
	}
	logger := klog.FromContext(ctx).WithValues("route", klog.KObj(route))
	stored := ingress.Annotations[RolloutAnnotation]
	prev, err := ParseRollout(stored)
	if err != nil {
		// Not worth failing the Route for: traffic moves at once instead.
		logger.Error(err, "Ignoring the Ingress's rollout state", "annotation", stored)
		prev = nil
	}
	now := r.Clock.Now()
	// The Ingress serves the stored split and the Route has not seen it
	// ready yet (a rollout keeps IngressReady Unknown): a rollout that just
	// started has its first 1% served, and plans its steps.
	if c := route.Status.GetCondition(serving.RouteConditionIngressReady); prev != nil && ingressReady(ingress) &&
		(c == nil || c.Status != corev1.ConditionTrue) {
		prev.ObserveReady(now, duration)
	}
	out, next := Step(desired, prev, now)
	if s := out.String(); s != stored {
		logger.Info("Rollout state changed", "rollout", s, "duration", duration)
	}
	if next.IsZero() {
		return out, 0
	}
	return out, max(next.Sub(now), time.Nanosecond)
}

// ingressReady reports whether ingress serves its current spec.
func ingressReady(ingress *networkingv1alpha1.Ingress) bool {
	c := ingress.Status.GetCondition(duckv1.ConditionReady)
	return c != nil && c.Status == corev1.ConditionTrue && ingress.Status.ObservedGeneration == ingress.Generation
}
