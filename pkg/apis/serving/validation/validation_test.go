package validation_test

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/apis/serving/validation"
)

// kinds validates each kind with the given metadata.
var kinds = []struct {
	name     string
	validate func(metav1.ObjectMeta) field.ErrorList
}{
	{"Service", func(m metav1.ObjectMeta) field.ErrorList {
		s := newService()
		s.ObjectMeta = m
		return validation.ValidateService(s)
	}},
	{"Configuration", func(m metav1.ObjectMeta) field.ErrorList {
		c := newConfiguration()
		c.ObjectMeta = m
		return validation.ValidateConfiguration(c)
	}},
	{"Revision", func(m metav1.ObjectMeta) field.ErrorList {
		r := newRevision()
		r.ObjectMeta = m
		return validation.ValidateRevision(r)
	}},
	{"Route", func(m metav1.ObjectMeta) field.ErrorList {
		r := newRoute()
		r.ObjectMeta = m
		return validation.ValidateRoute(r)
	}},
}

func TestValidObjects(t *testing.T) {
	expectPaths(t, validation.ValidateService(newService()))
	expectPaths(t, validation.ValidateConfiguration(newConfiguration()))
	expectPaths(t, validation.ValidateRevision(newRevision()))
	expectPaths(t, validation.ValidateRoute(newRoute()))
}

func TestObjectNames(t *testing.T) {
	cases := []struct {
		name string
		meta metav1.ObjectMeta
		want []string
	}{
		{name: "dns-1035 name", meta: metav1.ObjectMeta{Name: "hello-world"}},
		{name: "63 characters", meta: metav1.ObjectMeta{Name: "a" + strings.Repeat("b", 62)}},
		// The registry generates the name before validation.
		{name: "generateName", meta: metav1.ObjectMeta{GenerateName: "hello-", Name: "hello-x7k2p"}},
		{name: "64 characters", meta: metav1.ObjectMeta{Name: "a" + strings.Repeat("b", 63)}, want: []string{"metadata.name"}},
		{name: "uppercase", meta: metav1.ObjectMeta{Name: "Hello"}, want: []string{"metadata.name"}},
		{name: "leading digit", meta: metav1.ObjectMeta{Name: "1hello"}, want: []string{"metadata.name"}},
		{name: "dots (DNS-1123 subdomain only)", meta: metav1.ObjectMeta{Name: "hello.world"}, want: []string{"metadata.name"}},
		{name: "bad generateName", meta: metav1.ObjectMeta{GenerateName: "Hello-", Name: "Hello-x7k2p"}, want: []string{"metadata.generateName", "metadata.name"}},
		{name: "no name", meta: metav1.ObjectMeta{}, want: []string{"metadata.name"}},
	}
	for _, k := range kinds {
		for _, tc := range cases {
			t.Run(k.name+"/"+tc.name, func(t *testing.T) {
				tc.meta.Namespace = "default"
				expectPaths(t, k.validate(tc.meta), tc.want...)
			})
		}
	}
}

func TestNamespaceRequired(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			expectPaths(t, k.validate(metav1.ObjectMeta{Name: "hello-00001"}), "metadata.namespace")
		})
	}
}

func TestTopLevelAutoscalingAnnotations(t *testing.T) {
	const key = "autoscaling.knative.dev/min-scale"
	anns := map[string]string{key: "1", "example.com/other": "x"}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			errs := k.validate(metav1.ObjectMeta{Name: "hello-00001", Namespace: "default", Annotations: anns})
			if k.name == "Revision" {
				expectPaths(t, errs) // the autoscaler reads a Revision's own annotations
				return
			}
			expectPaths(t, errs, "metadata.annotations["+key+"]")
			expectType(t, errs, field.ErrorTypeInvalid)
		})
	}
}

func TestRolloutDuration(t *testing.T) {
	cases := []struct {
		anns map[string]string
		want string
	}{
		{anns: map[string]string{"serving.knative.dev/rollout-duration": "120s"}},
		{anns: map[string]string{"serving.knative.dev/rollout-duration": "2m"}},
		{anns: map[string]string{"serving.knative.dev/rollout-duration": ""}},
		{anns: map[string]string{"serving.knative.dev/rolloutDuration": "0s"}},
		{anns: map[string]string{"serving.knative.dev/rollout-duration": "1500ms"}, want: "metadata.annotations[serving.knative.dev/rollout-duration]"},
		{anns: map[string]string{"serving.knative.dev/rollout-duration": "-5s"}, want: "metadata.annotations[serving.knative.dev/rollout-duration]"},
		{anns: map[string]string{"serving.knative.dev/rollout-duration": "soon"}, want: "metadata.annotations[serving.knative.dev/rollout-duration]"},
		{anns: map[string]string{"serving.knative.dev/rolloutDuration": "soon"}, want: "metadata.annotations[serving.knative.dev/rolloutDuration]"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(mapPairs(tc.anns), ","), func(t *testing.T) {
			s := newService()
			s.Annotations = tc.anns
			r := newRoute()
			r.Annotations = tc.anns
			c := newConfiguration()
			c.Annotations = tc.anns
			want := []string{}
			if tc.want != "" {
				want = append(want, tc.want)
			}
			expectPaths(t, validation.ValidateService(s), want...)
			expectPaths(t, validation.ValidateRoute(r), want...)
			expectPaths(t, validation.ValidateConfiguration(c)) // not read on Configurations
		})
	}
}

func mapPairs(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

func TestOwnerLabels(t *testing.T) {
	owner := func(kind, name string) []metav1.OwnerReference {
		return []metav1.OwnerReference{{APIVersion: "serving.knative.dev/v1", Kind: kind, Name: name, UID: "u1"}}
	}
	t.Run("Configuration", func(t *testing.T) {
		c := newConfiguration()
		c.Labels = map[string]string{"serving.knative.dev/service": "hello"}
		expectPaths(t, validation.ValidateConfiguration(c), "metadata.labels[serving.knative.dev/service]")
		c.OwnerReferences = owner("Service", "other")
		expectPaths(t, validation.ValidateConfiguration(c), "metadata.labels[serving.knative.dev/service]")
		c.OwnerReferences = owner("Service", "hello")
		expectPaths(t, validation.ValidateConfiguration(c))
	})
	t.Run("Route", func(t *testing.T) {
		r := newRoute()
		r.Labels = map[string]string{"serving.knative.dev/service": "hello"}
		expectPaths(t, validation.ValidateRoute(r), "metadata.labels[serving.knative.dev/service]")
		r.OwnerReferences = owner("Configuration", "hello")
		expectPaths(t, validation.ValidateRoute(r), "metadata.labels[serving.knative.dev/service]")
		r.OwnerReferences = owner("Service", "hello")
		expectPaths(t, validation.ValidateRoute(r))
	})
	t.Run("Revision", func(t *testing.T) {
		r := newRevision()
		r.Labels = map[string]string{"serving.knative.dev/configuration": "hello"}
		expectPaths(t, validation.ValidateRevision(r), "metadata.labels[serving.knative.dev/configuration]")
		r.OwnerReferences = owner("Configuration", "hello")
		expectPaths(t, validation.ValidateRevision(r))
	})
	t.Run("Service ignores it", func(t *testing.T) {
		s := newService()
		s.Labels = map[string]string{"serving.knative.dev/service": "x"}
		expectPaths(t, validation.ValidateService(s))
	})
}

func TestTemplateName(t *testing.T) {
	cases := []struct {
		name         string
		parent       metav1.ObjectMeta
		templateName string
		generateName string
		want         []string
	}{
		{name: "unnamed", parent: metav1.ObjectMeta{Name: "hello"}},
		{name: "prefixed", parent: metav1.ObjectMeta{Name: "hello"}, templateName: "hello-v1"},
		{name: "generateName", parent: metav1.ObjectMeta{Name: "hello"}, generateName: "hello-"},
		{name: "named parent that also has generateName", parent: metav1.ObjectMeta{Name: "hello", GenerateName: "x-"}, templateName: "hello-v1"},
		{name: "wrong prefix", parent: metav1.ObjectMeta{Name: "hello"}, templateName: "world-v1", want: []string{"spec.template.metadata.name"}},
		{name: "parent name without dash", parent: metav1.ObjectMeta{Name: "hello"}, templateName: "hellov1", want: []string{"spec.template.metadata.name"}},
		{name: "not dns-1035", parent: metav1.ObjectMeta{Name: "hello"}, templateName: "hello_v1", want: []string{"spec.template.metadata.name"}},
		{name: "parent name generated", parent: metav1.ObjectMeta{GenerateName: "hello-", Name: "hello-x7k2p"}, templateName: "hello-v1", want: []string{"spec.template.metadata.name"}},
		{name: "parent name generated, template follows it", parent: metav1.ObjectMeta{GenerateName: "hello-", Name: "hello-x7k2p"}, templateName: "hello-x7k2p-v1"},
		{name: "parent name not generated yet", parent: metav1.ObjectMeta{GenerateName: "hello-"}, templateName: "hello-v1", want: []string{"metadata.name", "spec.template.metadata.name"}},
		{name: "bad template generateName", parent: metav1.ObjectMeta{Name: "hello"}, generateName: "Hello-", want: []string{"spec.template.metadata.generateName"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.parent.Namespace = "default"
			s := newService()
			s.ObjectMeta = tc.parent
			s.Spec.Template.Name, s.Spec.Template.GenerateName = tc.templateName, tc.generateName
			expectPaths(t, validation.ValidateService(s), tc.want...)

			c := newConfiguration()
			c.ObjectMeta = tc.parent
			c.Spec.Template.Name, c.Spec.Template.GenerateName = tc.templateName, tc.generateName
			expectPaths(t, validation.ValidateConfiguration(c), tc.want...)
		})
	}
}

func TestTemplateMetadataSyntax(t *testing.T) {
	s := newService()
	s.Spec.Template.Labels = map[string]string{"bad key!": "v", "app": "hello"}
	s.Spec.Template.Annotations = map[string]string{"/bad": "v"}
	expectPaths(t, validation.ValidateService(s), "spec.template.metadata.labels", "spec.template.metadata.annotations")
}

func TestTemplateRename(t *testing.T) {
	named := func(name, image string) serving.RevisionTemplateSpec {
		tmpl := serving.RevisionTemplateSpec{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: revisionSpec()}
		tmpl.Spec.Containers[0].Image = image
		return tmpl
	}
	cases := []struct {
		name     string
		old, new serving.RevisionTemplateSpec
		want     []string
	}{
		{name: "unchanged", old: named("hello-v1", "a/b:1"), new: named("hello-v1", "a/b:1")},
		{name: "renamed with change", old: named("hello-v1", "a/b:1"), new: named("hello-v2", "a/b:2")},
		{name: "unnamed change", old: named("", "a/b:1"), new: named("", "a/b:2")},
		{name: "name dropped", old: named("hello-v1", "a/b:1"), new: named("", "a/b:2")},
		{name: "changed without rename", old: named("hello-v1", "a/b:1"), new: named("hello-v1", "a/b:2"), want: []string{"spec.template.metadata.name"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			oldSvc, newSvc := newService(), newService()
			oldSvc.Spec.Template, newSvc.Spec.Template = tc.old, tc.new
			expectPaths(t, validation.ValidateServiceUpdate(newSvc, oldSvc), tc.want...)

			oldCfg, newCfg := newConfiguration(), newConfiguration()
			oldCfg.Spec.Template, newCfg.Spec.Template = tc.old, tc.new
			expectPaths(t, validation.ValidateConfigurationUpdate(newCfg, oldCfg), tc.want...)
		})
	}
	t.Run("template label change counts as a change", func(t *testing.T) {
		old, s := newService(), newService()
		old.Spec.Template.Name, s.Spec.Template.Name = "hello-v1", "hello-v1"
		s.Spec.Template.Labels = map[string]string{"team": "a"}
		expectPaths(t, validation.ValidateServiceUpdate(s, old), "spec.template.metadata.name")
	})
	t.Run("traffic change is not a template change", func(t *testing.T) {
		old, s := newService(), newService()
		old.Spec.Template.Name, s.Spec.Template.Name = "hello-v1", "hello-v1"
		s.Spec.Traffic = []serving.TrafficTarget{
			{RevisionName: "hello-v1", LatestRevision: ptr(false), Percent: ptr[int64](50)},
			{LatestRevision: ptr(true), Percent: ptr[int64](50)},
		}
		expectPaths(t, validation.ValidateServiceUpdate(s, old))
	})
}

const (
	creator  = "serving.knative.dev/creator"
	modifier = "serving.knative.dev/lastModifier"
)

func TestUserInfoAnnotations(t *testing.T) {
	cases := []struct {
		name        string
		old, new    map[string]string
		specChanged bool
		want        []string
	}{
		{name: "unchanged", old: map[string]string{creator: "ann", modifier: "ann"}, new: map[string]string{creator: "ann", modifier: "ann"}},
		{name: "modifier with spec change", old: map[string]string{creator: "ann", modifier: "ann"}, new: map[string]string{creator: "ann", modifier: "bob"}, specChanged: true},
		{name: "creator changed", old: map[string]string{creator: "ann"}, new: map[string]string{creator: "bob"}, want: []string{"metadata.annotations[" + creator + "]"}},
		{name: "creator added", old: nil, new: map[string]string{creator: "bob"}, specChanged: true, want: []string{"metadata.annotations[" + creator + "]"}},
		{name: "creator removed", old: map[string]string{creator: "ann"}, new: nil, want: []string{"metadata.annotations[" + creator + "]"}},
		{name: "modifier without spec change", old: map[string]string{modifier: "ann"}, new: map[string]string{modifier: "bob"}, want: []string{"metadata.annotations[" + modifier + "]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Run("Service", func(t *testing.T) {
				old, s := newService(), newService()
				old.Annotations, s.Annotations = tc.old, tc.new
				if tc.specChanged {
					s.Spec.Template.Spec.Containers[0].Image = "a/b:2"
				}
				expectPaths(t, validation.ValidateServiceUpdate(s, old), tc.want...)
			})
			t.Run("Configuration", func(t *testing.T) {
				old, c := newConfiguration(), newConfiguration()
				old.Annotations, c.Annotations = tc.old, tc.new
				if tc.specChanged {
					c.Spec.Template.Spec.Containers[0].Image = "a/b:2"
				}
				expectPaths(t, validation.ValidateConfigurationUpdate(c, old), tc.want...)
			})
			t.Run("Route", func(t *testing.T) {
				old, r := newRoute(), newRoute()
				old.Annotations, r.Annotations = tc.old, tc.new
				if tc.specChanged {
					r.Spec.Traffic[0].Tag = "current"
				}
				expectPaths(t, validation.ValidateRouteUpdate(r, old), tc.want...)
			})
		})
	}
}

func TestUserInfoIgnoredWhenOwned(t *testing.T) {
	owners := []metav1.OwnerReference{{APIVersion: "serving.knative.dev/v1", Kind: "Service", Name: "hello", UID: "u1"}}
	old, c := newConfiguration(), newConfiguration()
	old.OwnerReferences, c.OwnerReferences = owners, owners
	old.Annotations = map[string]string{creator: "ann", modifier: "ann"}
	c.Annotations = map[string]string{creator: "controller", modifier: "controller"}
	expectPaths(t, validation.ValidateConfigurationUpdate(c, old))

	oldRoute, r := newRoute(), newRoute()
	oldRoute.OwnerReferences, r.OwnerReferences = owners, owners
	oldRoute.Annotations = map[string]string{creator: "ann"}
	r.Annotations = map[string]string{creator: "controller"}
	expectPaths(t, validation.ValidateRouteUpdate(r, oldRoute))
}

func TestUpdatesRunCreateRules(t *testing.T) {
	s := newService()
	s.Spec.Traffic[0].Percent = ptr[int64](90)
	expectPaths(t, validation.ValidateServiceUpdate(s, newService()), "spec.traffic")

	c := newConfiguration()
	c.Spec.Template.Spec.TimeoutSeconds = ptr[int64](601)
	expectPaths(t, validation.ValidateConfigurationUpdate(c, newConfiguration()), "spec.template.spec.timeoutSeconds")

	r := newRoute()
	r.Spec.Traffic[0].Tag = "Bad"
	expectPaths(t, validation.ValidateRouteUpdate(r, newRoute()), "spec.traffic[0].tag")
}

func TestMetadataImmutable(t *testing.T) {
	old, s := newService(), newService()
	old.UID, s.UID = "u1", "u2"
	expectPaths(t, validation.ValidateServiceUpdate(s, old), "metadata.uid")

	oldRev, r := newRevision(), newRevision()
	r.Name = "hello-00002"
	expectPaths(t, validation.ValidateRevisionUpdate(r, oldRev), "metadata.name")
}

func TestRevisionUpdate(t *testing.T) {
	t.Run("metadata may change", func(t *testing.T) {
		old, r := newRevision(), newRevision()
		r.Labels = map[string]string{"serving.knative.dev/routingState": "active"}
		r.Annotations = map[string]string{"serving.knative.dev/routes": "hello"}
		expectPaths(t, validation.ValidateRevisionUpdate(r, old))
	})
	t.Run("spec is immutable", func(t *testing.T) {
		old, r := newRevision(), newRevision()
		r.Spec.Containers[0].Image = "a/b:2"
		errs := validation.ValidateRevisionUpdate(r, old)
		expectPaths(t, errs, "spec")
		expectType(t, errs, field.ErrorTypeForbidden)
	})
	t.Run("an unchanged spec is not validated again", func(t *testing.T) {
		old, r := newRevision(), newRevision()
		old.Spec.TimeoutSeconds, r.Spec.TimeoutSeconds = ptr[int64](3600), ptr[int64](3600)
		expectPaths(t, validation.ValidateRevisionUpdate(r, old))
	})
	t.Run("metadata rules still apply", func(t *testing.T) {
		old, r := newRevision(), newRevision()
		r.Annotations = map[string]string{"autoscaling.knative.dev/min-scale": "-1"}
		expectPaths(t, validation.ValidateRevisionUpdate(r, old), "metadata.annotations[autoscaling.knative.dev/min-scale]")
	})
}
