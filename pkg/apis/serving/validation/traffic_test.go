package validation_test

import (
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/apis/serving/validation"
)

func pct(p int64) *int64 { return &p }

func TestRouteTraffic(t *testing.T) {
	cases := []struct {
		name    string
		traffic []serving.TrafficTarget
		want    []string
	}{{
		name:    "configuration target",
		traffic: []serving.TrafficTarget{{ConfigurationName: "hello", LatestRevision: ptr(true), Percent: pct(100)}},
	}, {
		name: "split with tags",
		traffic: []serving.TrafficTarget{
			{Tag: "current", RevisionName: "hello-00001", LatestRevision: ptr(false), Percent: pct(90)},
			{Tag: "candidate", RevisionName: "hello-00002", Percent: pct(10)},
			{Tag: "latest", ConfigurationName: "hello", Percent: pct(0)},
		},
	}, {
		name: "unset percent counts as zero",
		traffic: []serving.TrafficTarget{
			{RevisionName: "hello-00001", Percent: pct(100)},
			{Tag: "preview", ConfigurationName: "hello"},
		},
	}, {
		name:    "empty traffic sums to zero",
		traffic: nil,
		want:    []string{"spec.traffic"},
	}, {
		name: "sum below 100",
		traffic: []serving.TrafficTarget{
			{RevisionName: "hello-00001", Percent: pct(50)},
			{RevisionName: "hello-00002", Percent: pct(40)},
		},
		want: []string{"spec.traffic"},
	}, {
		name: "sum above 100",
		traffic: []serving.TrafficTarget{
			{RevisionName: "hello-00001", Percent: pct(100)},
			{Tag: "b", RevisionName: "hello-00002", Percent: pct(1)},
		},
		want: []string{"spec.traffic"},
	}, {
		name: "percent out of range",
		traffic: []serving.TrafficTarget{
			{RevisionName: "hello-00001", Percent: pct(101)},
			{RevisionName: "hello-00002", Percent: pct(-1)},
		},
		want: []string{"spec.traffic[0].percent", "spec.traffic[1].percent"},
	}, {
		name: "duplicate tag",
		traffic: []serving.TrafficTarget{
			{Tag: "v1", RevisionName: "hello-00001", Percent: pct(50)},
			{Tag: "v1", RevisionName: "hello-00002", Percent: pct(50)},
		},
		want: []string{"spec.traffic[1].tag"},
	}, {
		name:    "tag not dns-1035",
		traffic: []serving.TrafficTarget{{Tag: "1st", RevisionName: "hello-00001", Percent: pct(100)}},
		want:    []string{"spec.traffic[0].tag"},
	}, {
		name:    "tag uppercase",
		traffic: []serving.TrafficTarget{{Tag: "Current", RevisionName: "hello-00001", Percent: pct(100)}},
		want:    []string{"spec.traffic[0].tag"},
	}, {
		name:    "no target",
		traffic: []serving.TrafficTarget{{Percent: pct(100)}},
		want:    []string{"spec.traffic[0].revisionName"},
	}, {
		name:    "both targets",
		traffic: []serving.TrafficTarget{{RevisionName: "hello-00001", ConfigurationName: "hello", Percent: pct(100)}},
		want:    []string{"spec.traffic[0].configurationName"},
	}, {
		name:    "invalid revision name",
		traffic: []serving.TrafficTarget{{RevisionName: "hello 1", Percent: pct(100)}},
		want:    []string{"spec.traffic[0].revisionName"},
	}, {
		name:    "invalid configuration name",
		traffic: []serving.TrafficTarget{{ConfigurationName: "-hello", Percent: pct(100)}},
		want:    []string{"spec.traffic[0].configurationName"},
	}, {
		name:    "latestRevision with revisionName",
		traffic: []serving.TrafficTarget{{RevisionName: "hello-00001", LatestRevision: ptr(true), Percent: pct(100)}},
		want:    []string{"spec.traffic[0].latestRevision"},
	}, {
		name:    "latestRevision false without revisionName",
		traffic: []serving.TrafficTarget{{ConfigurationName: "hello", LatestRevision: ptr(false), Percent: pct(100)}},
		want:    []string{"spec.traffic[0].latestRevision"},
	}, {
		name:    "url in spec",
		traffic: []serving.TrafficTarget{{Tag: "a", RevisionName: "hello-00001", Percent: pct(100), URL: ptr("http://a-hello.default.example.com")}},
		want:    []string{"spec.traffic[0].url"},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRoute()
			r.Spec.Traffic = tc.traffic
			expectPaths(t, validation.ValidateRoute(r), tc.want...)
		})
	}
}

func TestServiceTraffic(t *testing.T) {
	cases := []struct {
		name    string
		traffic []serving.TrafficTarget
		want    []string
	}{{
		name:    "latest of own configuration",
		traffic: []serving.TrafficTarget{{LatestRevision: ptr(true), Percent: pct(100)}},
	}, {
		name:    "latestRevision unset",
		traffic: []serving.TrafficTarget{{Percent: pct(100)}},
	}, {
		name: "pinned and latest",
		traffic: []serving.TrafficTarget{
			{Tag: "stable", RevisionName: "hello-00001", LatestRevision: ptr(false), Percent: pct(80)},
			{Tag: "latest", LatestRevision: ptr(true), Percent: pct(20)},
		},
	}, {
		name:    "configurationName not allowed",
		traffic: []serving.TrafficTarget{{ConfigurationName: "hello", Percent: pct(100)}},
		want:    []string{"spec.traffic[0].configurationName"},
	}, {
		name:    "configurationName with revisionName",
		traffic: []serving.TrafficTarget{{ConfigurationName: "hello", RevisionName: "hello-00001", Percent: pct(100)}},
		want:    []string{"spec.traffic[0].configurationName"},
	}, {
		name:    "latestRevision false without revisionName",
		traffic: []serving.TrafficTarget{{LatestRevision: ptr(false), Percent: pct(100)}},
		want:    []string{"spec.traffic[0].latestRevision"},
	}, {
		name:    "latestRevision true with revisionName",
		traffic: []serving.TrafficTarget{{RevisionName: "hello-00001", LatestRevision: ptr(true), Percent: pct(100)}},
		want:    []string{"spec.traffic[0].latestRevision"},
	}, {
		name: "sum and duplicate tags",
		traffic: []serving.TrafficTarget{
			{Tag: "a", Percent: pct(30)},
			{Tag: "a", RevisionName: "hello-00001", Percent: pct(30)},
		},
		want: []string{"spec.traffic", "spec.traffic[1].tag"},
	}, {
		name:    "url in spec",
		traffic: []serving.TrafficTarget{{Percent: pct(100), URL: ptr("http://hello.default.example.com")}},
		want:    []string{"spec.traffic[0].url"},
	}, {
		// Defaulting fills in 100% to the latest revision; without it the
		// block is incomplete.
		name: "empty",
		want: []string{"spec.traffic"},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newService()
			s.Spec.Traffic = tc.traffic
			expectPaths(t, validation.ValidateService(s), tc.want...)
		})
	}
}

func TestTrafficErrorTypes(t *testing.T) {
	r := newRoute()
	r.Spec.Traffic = []serving.TrafficTarget{
		{Tag: "a", RevisionName: "hello-00001", Percent: pct(50), URL: ptr("http://x")},
		{Tag: "a", RevisionName: "hello-00002", Percent: pct(50)},
	}
	errs := validation.ValidateRoute(r)
	expectPaths(t, errs, "spec.traffic[0].url", "spec.traffic[1].tag")
	for _, e := range errs {
		want := map[string]field.ErrorType{
			"spec.traffic[0].url": field.ErrorTypeForbidden,
			"spec.traffic[1].tag": field.ErrorTypeDuplicate,
		}[e.Field]
		if e.Type != want {
			t.Errorf("%s: type %q, want %q", e.Field, e.Type, want)
		}
	}
}
