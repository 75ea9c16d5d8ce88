package defaults_test

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/apis/serving/defaults"
)

// template is a revision template with one unnamed container.
func template(name string) serving.RevisionTemplateSpec {
	return serving.RevisionTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       serving.RevisionSpec{PodSpec: corev1.PodSpec{Containers: []corev1.Container{{Image: "app"}}}},
	}
}

// defaultedTemplate is template(name) after defaulting; create says whether
// it was defaulted on create.
func defaultedTemplate(name string, create bool) serving.RevisionTemplateSpec {
	t := template(name)
	t.Spec = defaulted(corev1.Container{Name: "user-container", Image: "app", ReadinessProbe: tcpProbe()})
	if !create {
		t.Spec.EnableServiceLinks = nil
	}
	return t
}

func TestConfigurationTemplate(t *testing.T) {
	tests := []struct {
		name string
		in   serving.RevisionTemplateSpec
		old  *serving.Configuration
		want serving.RevisionTemplateSpec
	}{{
		name: "create",
		in:   template(""),
		want: defaultedTemplate("", true),
	}, {
		name: "update leaves service links alone",
		in:   template(""),
		old:  &serving.Configuration{Spec: serving.ConfigurationSpec{Template: defaultedTemplate("", true)}},
		want: defaultedTemplate("", false),
	}, {
		name: "update with a new template name",
		in:   template("c-00002"),
		old:  &serving.Configuration{Spec: serving.ConfigurationSpec{Template: defaultedTemplate("c-00001", true)}},
		want: defaultedTemplate("c-00002", false),
	}, {
		name: "update keeping the template name is not defaulted",
		in:   template("c-00001"),
		old:  &serving.Configuration{Spec: serving.ConfigurationSpec{Template: defaultedTemplate("c-00001", true)}},
		want: template("c-00001"),
	}, {
		// Server-side apply replaces the atomic containers list with the
		// applied, undefaulted one and keeps the rest of the stored spec.
		name: "update keeping the template name is defaulted when that restores the stored template",
		in: func() serving.RevisionTemplateSpec {
			t := defaultedTemplate("c-00001", true)
			t.Spec.Containers = template("c-00001").Spec.Containers
			return t
		}(),
		old:  &serving.Configuration{Spec: serving.ConfigurationSpec{Template: defaultedTemplate("c-00001", true)}},
		want: defaultedTemplate("c-00001", true),
	}, {
		name: "create with a template name",
		in:   template("c-00001"),
		want: defaultedTemplate("c-00001", true),
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &serving.Configuration{Spec: serving.ConfigurationSpec{Template: tc.in}}
			defaults.Configuration(c, tc.old, "")
			checkSpec(t, c.Spec.Template, tc.want)
		})
	}
}

func TestServiceSpec(t *testing.T) {
	latest := serving.TrafficTarget{Percent: ptr(int64(100)), LatestRevision: ptr(true)}
	tests := []struct {
		name string
		in   serving.ServiceSpec
		old  *serving.Service
		want serving.ServiceSpec
	}{{
		name: "create",
		in:   serving.ServiceSpec{ConfigurationSpec: serving.ConfigurationSpec{Template: template("")}},
		want: serving.ServiceSpec{
			ConfigurationSpec: serving.ConfigurationSpec{Template: defaultedTemplate("", true)},
			RouteSpec:         serving.RouteSpec{Traffic: []serving.TrafficTarget{latest}},
		},
	}, {
		name: "empty traffic list",
		in: serving.ServiceSpec{
			ConfigurationSpec: serving.ConfigurationSpec{Template: template("")},
			RouteSpec:         serving.RouteSpec{Traffic: []serving.TrafficTarget{}},
		},
		want: serving.ServiceSpec{
			ConfigurationSpec: serving.ConfigurationSpec{Template: defaultedTemplate("", true)},
			RouteSpec:         serving.RouteSpec{Traffic: []serving.TrafficTarget{latest}},
		},
	}, {
		name: "explicit traffic targets",
		in: serving.ServiceSpec{
			ConfigurationSpec: serving.ConfigurationSpec{Template: template("")},
			RouteSpec: serving.RouteSpec{Traffic: []serving.TrafficTarget{
				{RevisionName: "s-00001", Percent: ptr(int64(100))},
				{Tag: "latest"},
			}},
		},
		want: serving.ServiceSpec{
			ConfigurationSpec: serving.ConfigurationSpec{Template: defaultedTemplate("", true)},
			RouteSpec: serving.RouteSpec{Traffic: []serving.TrafficTarget{
				{RevisionName: "s-00001", Percent: ptr(int64(100)), LatestRevision: ptr(false)},
				{Tag: "latest", Percent: ptr(int64(0)), LatestRevision: ptr(true)},
			}},
		},
	}, {
		name: "update keeping the template name only defaults traffic",
		in:   serving.ServiceSpec{ConfigurationSpec: serving.ConfigurationSpec{Template: template("s-v1")}},
		old: &serving.Service{Spec: serving.ServiceSpec{
			ConfigurationSpec: serving.ConfigurationSpec{Template: defaultedTemplate("s-v1", true)},
		}},
		want: serving.ServiceSpec{
			ConfigurationSpec: serving.ConfigurationSpec{Template: template("s-v1")},
			RouteSpec:         serving.RouteSpec{Traffic: []serving.TrafficTarget{latest}},
		},
	}, {
		name: "update",
		in:   serving.ServiceSpec{ConfigurationSpec: serving.ConfigurationSpec{Template: template("")}},
		old:  &serving.Service{},
		want: serving.ServiceSpec{
			ConfigurationSpec: serving.ConfigurationSpec{Template: defaultedTemplate("", false)},
			RouteSpec:         serving.RouteSpec{Traffic: []serving.TrafficTarget{latest}},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &serving.Service{Spec: tc.in}
			defaults.Service(s, tc.old, "")
			checkSpec(t, s.Spec, tc.want)
		})
	}
}

func TestRouteSpec(t *testing.T) {
	tests := []struct {
		name string
		in   []serving.TrafficTarget
		want []serving.TrafficTarget
	}{{
		name: "no traffic stays empty on a bare route",
	}, {
		name: "targets",
		in: []serving.TrafficTarget{
			{ConfigurationName: "c", Percent: ptr(int64(90))},
			{RevisionName: "c-00001", Percent: ptr(int64(10))},
			{RevisionName: "c-00002", Tag: "next"},
			{RevisionName: "c-00003", LatestRevision: ptr(true), Percent: ptr(int64(0))},
		},
		want: []serving.TrafficTarget{
			{ConfigurationName: "c", Percent: ptr(int64(90)), LatestRevision: ptr(true)},
			{RevisionName: "c-00001", Percent: ptr(int64(10)), LatestRevision: ptr(false)},
			{RevisionName: "c-00002", Tag: "next", Percent: ptr(int64(0)), LatestRevision: ptr(false)},
			{RevisionName: "c-00003", LatestRevision: ptr(true), Percent: ptr(int64(0))},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &serving.Route{Spec: serving.RouteSpec{Traffic: tc.in}}
			defaults.Route(r, nil, "")
			checkSpec(t, r.Spec.Traffic, tc.want)
		})
	}
}

func TestTemplateSystemMetadataIsDropped(t *testing.T) {
	in := template("c-00001")
	future := metav1.NewTime(metav1.Now().AddDate(9000, 0, 0))
	in.ObjectMeta = metav1.ObjectMeta{
		Name: "c-00001", Labels: map[string]string{"app": "a"},
		UID: "u", ResourceVersion: "7", Generation: 3, CreationTimestamp: future, DeletionTimestamp: &future,
		ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "m", Time: &future}},
	}
	c := &serving.Configuration{Spec: serving.ConfigurationSpec{Template: in}}
	defaults.Configuration(c, nil, "")
	want := metav1.ObjectMeta{Name: "c-00001", Labels: map[string]string{"app": "a"}}
	checkSpec(t, c.Spec.Template.ObjectMeta, want)
}
