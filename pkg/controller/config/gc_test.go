package config

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
)

func TestGC(t *testing.T) {
	cases := []struct {
		name string
		data map[string]string
		want func(*GC)
	}{
		{name: "no data", want: func(*GC) {}},
		{name: "example and unknown keys ignored", data: map[string]string{ExampleKey: "x", "stale-revision-create-delay": "1h"},
			want: func(*GC) {}},
		{name: "empty values keep the defaults", data: map[string]string{
			"retain-since-create-time": "", "retain-since-last-active-time": "", "max-non-active-revisions": ""},
			want: func(*GC) {}},
		{name: "every key", data: map[string]string{
			"retain-since-create-time":      "1h",
			"retain-since-last-active-time": "30m",
			"min-non-active-revisions":      "2",
			"max-non-active-revisions":      "10",
		}, want: func(c *GC) {
			c.RetainSinceCreateTime, c.RetainSinceLastActiveTime = time.Hour, 30*time.Minute
			c.MinNonActiveRevisions, c.MaxNonActiveRevisions = 2, 10
		}},
		{name: "disabled, any case", data: map[string]string{
			"retain-since-create-time":      "disabled",
			"retain-since-last-active-time": "Disabled",
			"max-non-active-revisions":      "DISABLED",
		}, want: func(c *GC) {
			c.RetainSinceCreateTime, c.RetainSinceLastActiveTime, c.MaxNonActiveRevisions = Disabled, Disabled, Disabled
		}},
		{name: "collect everything at once", data: map[string]string{
			"retain-since-create-time":      "disabled",
			"retain-since-last-active-time": "disabled",
			"min-non-active-revisions":      "0",
			"max-non-active-revisions":      "0",
		}, want: func(c *GC) {
			c.RetainSinceCreateTime, c.RetainSinceLastActiveTime = Disabled, Disabled
			c.MinNonActiveRevisions, c.MaxNonActiveRevisions = 0, 0
		}},
		{name: "min above a disabled max", data: map[string]string{"min-non-active-revisions": "5000", "max-non-active-revisions": "disabled"},
			want: func(c *GC) { c.MinNonActiveRevisions, c.MaxNonActiveRevisions = 5000, Disabled }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := defaultGC()
			c.want(want)
			got, err := NewGCFromConfigMap(&corev1.ConfigMap{Data: c.data})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestGCRefused(t *testing.T) {
	for _, c := range []errCase{
		{"retain-since-create-time", map[string]string{"retain-since-create-time": "2 days"}, "retain-since-create-time", "2 days"},
		{"negative retain-since-create-time", map[string]string{"retain-since-create-time": "-1h"}, "retain-since-create-time", "-1h"},
		{"retain-since-last-active-time", map[string]string{"retain-since-last-active-time": "off"}, "retain-since-last-active-time", "off"},
		{"negative retain-since-last-active-time", map[string]string{"retain-since-last-active-time": "-5m"}, "retain-since-last-active-time", "-5m"},
		{"min-non-active-revisions", map[string]string{"min-non-active-revisions": "disabled"}, "min-non-active-revisions", "disabled"},
		{"negative min", map[string]string{"min-non-active-revisions": "-1"}, "min-non-active-revisions", "-1"},
		{"max-non-active-revisions", map[string]string{"max-non-active-revisions": "many"}, "max-non-active-revisions", "many"},
		{"negative max", map[string]string{"max-non-active-revisions": "-1"}, "max-non-active-revisions", "-1"},
		{"max beyond int64", map[string]string{"max-non-active-revisions": "9223372036854775808"}, "max-non-active-revisions", "9223372036854775808"},
		{"min above max", map[string]string{"min-non-active-revisions": "21", "max-non-active-revisions": "20"}, "min-non-active-revisions", "21"},
		{"default min above a lowered max", map[string]string{"max-non-active-revisions": "5"}, "min-non-active-revisions", "20"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewGCFromMap(c.data)
			wantKeyError(t, err, c.key, c.value)
		})
	}
}
