package validation_test

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/sources"
	"github.com/knap-dev/knap/pkg/apis/sources/validation"
)

func ptr[T any](v T) *T { return &v }

var meta = metav1.ObjectMeta{Name: "src", Namespace: "ns", ResourceVersion: "1"}

// sink is a valid sink: a Knative Service in the source's namespace.
func sink() duckv1.Destination {
	return duckv1.Destination{Ref: &duckv1.KReference{APIVersion: "serving.knative.dev/v1", Kind: "Service", Name: "display"}}
}

// testCase mutates a valid object; want lists the field paths of every
// error expected (none: the object stays valid).
type testCase[T any] struct {
	name   string
	mutate func(*T)
	want   []string
}

func run[T any](t *testing.T, base func() *T, validate func(*T) field.ErrorList, validateUpdate func(obj, old *T) field.ErrorList, tests []testCase[T]) {
	t.Helper()
	if errs := validate(base()); len(errs) != 0 {
		t.Fatalf("base object is invalid: %v", errs)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			obj := base()
			tc.mutate(obj)
			expect(t, "create", validate(obj), tc.want)
			// Every rule holds on update as well, here of an object stored
			// as it is (nothing in a source's spec is immutable).
			old := base()
			tc.mutate(old)
			expect(t, "update", validateUpdate(obj, old), tc.want)
		})
	}
}

func expect(t *testing.T, op string, errs field.ErrorList, want []string) {
	t.Helper()
	var got []string
	for _, e := range errs {
		got = append(got, e.Field)
	}
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: error paths %q, want %q; errors: %v", op, got, want, errs)
	}
}

func newPingSource() *sources.PingSource {
	return &sources.PingSource{ObjectMeta: meta, Spec: sources.PingSourceSpec{
		SourceSpec: duckv1.SourceSpec{Sink: sink()},
		Schedule:   "*/2 * * * *",
	}}
}

func TestPingSource(t *testing.T) {
	run(t, newPingSource, validation.ValidatePingSource, validation.ValidatePingSourceUpdate, []testCase[sources.PingSource]{
		{"every minute", func(p *sources.PingSource) { p.Spec.Schedule = "* * * * *" }, nil},
		{"descriptor other than @every", func(p *sources.PingSource) { p.Spec.Schedule = "@hourly" }, nil},
		{"timezone", func(p *sources.PingSource) { p.Spec.Timezone = "Europe/Paris" }, nil},
		{"timezone UTC", func(p *sources.PingSource) { p.Spec.Timezone = "UTC" }, nil},
		{"CRON_TZ prefix in the schedule", func(p *sources.PingSource) { p.Spec.Schedule = "CRON_TZ=Asia/Tokyo 0 9 * * 1-5" }, nil},
		{"text data", func(p *sources.PingSource) { p.Spec.Data = "hello"; p.Spec.ContentType = "text/plain" }, nil},
		{"JSON data", func(p *sources.PingSource) { p.Spec.Data = `{"a":1}`; p.Spec.ContentType = "application/json" }, nil},
		{"non-JSON data without a JSON content type", func(p *sources.PingSource) { p.Spec.Data = "[1]" }, nil},
		{"base64 data", func(p *sources.PingSource) { p.Spec.DataBase64 = "aGVsbG8=" }, nil},
		{"base64 JSON data", func(p *sources.PingSource) {
			p.Spec.DataBase64 = "eyJhIjoxfQ==" // {"a":1}
			p.Spec.ContentType = "application/json"
		}, nil},
		{"URI sink", func(p *sources.PingSource) { p.Spec.Sink = duckv1.Destination{URI: ptr("http://example.com/events")} }, nil},

		{"@every is rejected", func(p *sources.PingSource) { p.Spec.Schedule = "@every 1m" }, []string{"spec.schedule"}},
		{"six fields", func(p *sources.PingSource) { p.Spec.Schedule = "0 * * * * *" }, []string{"spec.schedule"}},
		{"out of range", func(p *sources.PingSource) { p.Spec.Schedule = "61 * * * *" }, []string{"spec.schedule"}},
		{"empty schedule (not defaulted)", func(p *sources.PingSource) { p.Spec.Schedule = "" }, []string{"spec.schedule"}},
		{"bare TZ prefix", func(p *sources.PingSource) { p.Spec.Schedule = "TZ=UTC" }, []string{"spec.schedule"}},
		{"bad zone in the schedule's own prefix", func(p *sources.PingSource) { p.Spec.Schedule = "CRON_TZ=Mars/Olympus * * * * *" }, []string{"spec.schedule"}},
		{"unknown timezone", func(p *sources.PingSource) { p.Spec.Timezone = "Mars/Olympus" }, []string{"spec.timezone"}},
		{"data and dataBase64", func(p *sources.PingSource) { p.Spec.Data = "a"; p.Spec.DataBase64 = "YQ==" }, []string{"spec.dataBase64"}},
		{"invalid base64", func(p *sources.PingSource) { p.Spec.DataBase64 = "not base64!" }, []string{"spec.dataBase64"}},
		{"data not a JSON object", func(p *sources.PingSource) {
			p.Spec.Data = "[1, 2]"
			p.Spec.ContentType = "application/json"
		}, []string{"spec.data"}},
		{"dataBase64 not a JSON object", func(p *sources.PingSource) {
			p.Spec.DataBase64 = "aGVsbG8=" // hello
			p.Spec.ContentType = "application/json"
		}, []string{"spec.dataBase64"}},
		{"no sink", func(p *sources.PingSource) { p.Spec.Sink = duckv1.Destination{} }, []string{"spec.sink"}},
		{"sink ref in another namespace (Knative allows it)", func(p *sources.PingSource) { p.Spec.Sink.Ref.Namespace = "other" }, nil},
		{"bad CloudEvent extension name", func(p *sources.PingSource) {
			p.Spec.CloudEventOverrides = &duckv1.CloudEventOverrides{Extensions: map[string]string{"Bad-Name": "x"}}
		}, []string{"spec.ceOverrides.extensions[Bad-Name]"}},
		{"invalid name", func(p *sources.PingSource) { p.Name = "Not_A_Name" }, []string{"metadata.name"}},
	})
}

func newApiServerSource() *sources.ApiServerSource {
	return &sources.ApiServerSource{ObjectMeta: meta, Spec: sources.ApiServerSourceSpec{
		SourceSpec:         duckv1.SourceSpec{Sink: sink()},
		Resources:          []sources.APIVersionKindSelector{{APIVersion: "v1", Kind: "Event"}},
		Mode:               sources.ReferenceMode,
		ServiceAccountName: "default",
	}}
}

func TestApiServerSource(t *testing.T) {
	run(t, newApiServerSource, validation.ValidateApiServerSource, validation.ValidateApiServerSourceUpdate, []testCase[sources.ApiServerSource]{
		{"Resource mode", func(a *sources.ApiServerSource) { a.Spec.Mode = sources.ResourceMode }, nil},
		{"several resources with selectors", func(a *sources.ApiServerSource) {
			a.Spec.Resources = append(a.Spec.Resources, sources.APIVersionKindSelector{
				APIVersion: "apps/v1", Kind: "Deployment",
				Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "x"}},
			})
		}, nil},
		{"empty apiVersion parses as the core group", func(a *sources.ApiServerSource) { a.Spec.Resources[0].APIVersion = "" }, nil},
		{"owner", func(a *sources.ApiServerSource) {
			a.Spec.Owner = &sources.APIVersionKind{APIVersion: "apps/v1", Kind: "ReplicaSet"}
		}, nil},
		{"namespace selector", func(a *sources.ApiServerSource) {
			a.Spec.NamespaceSelector = &metav1.LabelSelector{MatchLabels: map[string]string{"env": "test"}}
		}, nil},
		{"empty filters list", func(a *sources.ApiServerSource) { a.Spec.Filters = []duckv1.SubscriptionsAPIFilter{} }, nil},

		{"unknown mode", func(a *sources.ApiServerSource) { a.Spec.Mode = "Ref" }, []string{"spec.mode"}},
		{"empty mode (not defaulted)", func(a *sources.ApiServerSource) { a.Spec.Mode = "" }, []string{"spec.mode"}},
		{"no resources", func(a *sources.ApiServerSource) { a.Spec.Resources = nil }, []string{"spec.resources"}},
		{"resource apiVersion with two slashes", func(a *sources.ApiServerSource) { a.Spec.Resources[0].APIVersion = "a/b/c" }, []string{"spec.resources[0].apiVersion"}},
		{"resource without kind", func(a *sources.ApiServerSource) { a.Spec.Resources[0].Kind = " " }, []string{"spec.resources[0].kind"}},
		{"owner with a bad apiVersion and no kind", func(a *sources.ApiServerSource) {
			a.Spec.Owner = &sources.APIVersionKind{APIVersion: "x/y/z"}
		}, []string{"spec.owner.apiVersion", "spec.owner.kind"}},
		{"filters need a disabled feature", func(a *sources.ApiServerSource) {
			a.Spec.Filters = []duckv1.SubscriptionsAPIFilter{{Exact: map[string]string{"type": "x"}}}
		}, []string{"spec.filters"}},
		{"no sink", func(a *sources.ApiServerSource) { a.Spec.Sink = duckv1.Destination{} }, []string{"spec.sink"}},
		{"sink ref without name", func(a *sources.ApiServerSource) { a.Spec.Sink.Ref.Name = "" }, []string{"spec.sink.ref.name"}},
	})
}

func newSinkBinding() *sources.SinkBinding {
	b := &sources.SinkBinding{ObjectMeta: meta}
	b.Spec.Sink = sink()
	b.Spec.Subject = sources.Reference{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "ns", Name: "app"}
	return b
}

func TestSinkBinding(t *testing.T) {
	selector := &metav1.LabelSelector{MatchLabels: map[string]string{"app": "x"}}
	run(t, newSinkBinding, validation.ValidateSinkBinding, validation.ValidateSinkBindingUpdate, []testCase[sources.SinkBinding]{
		{"selector instead of name", func(b *sources.SinkBinding) { b.Spec.Subject.Name = ""; b.Spec.Subject.Selector = selector }, nil},
		{"core kind", func(b *sources.SinkBinding) { b.Spec.Subject.APIVersion = "v1"; b.Spec.Subject.Kind = "Pod" }, nil},
		{"URI sink", func(b *sources.SinkBinding) { b.Spec.Sink = duckv1.Destination{URI: ptr("https://example.com")} }, nil},

		{"subject in another namespace", func(b *sources.SinkBinding) { b.Spec.Subject.Namespace = "other" }, []string{"spec.subject.namespace"}},
		{"subject without namespace (not defaulted)", func(b *sources.SinkBinding) { b.Spec.Subject.Namespace = "" }, []string{"spec.subject.namespace"}},
		{"subject namespace not a DNS label", func(b *sources.SinkBinding) {
			b.Namespace = "Bad.NS"
			b.Spec.Subject.Namespace = "Bad.NS"
		}, []string{"metadata.namespace", "spec.subject.namespace"}},
		{"subject without apiVersion and kind", func(b *sources.SinkBinding) {
			b.Spec.Subject.APIVersion = ""
			b.Spec.Subject.Kind = ""
		}, []string{"spec.subject.apiVersion", "spec.subject.kind"}},
		{"subject apiVersion not a qualified name", func(b *sources.SinkBinding) { b.Spec.Subject.APIVersion = "a/b/c" }, []string{"spec.subject.apiVersion"}},
		{"subject kind not an identifier", func(b *sources.SinkBinding) { b.Spec.Subject.Kind = "Deploy-ment" }, []string{"spec.subject.kind"}},
		{"subject name not a DNS label", func(b *sources.SinkBinding) { b.Spec.Subject.Name = "app.v1" }, []string{"spec.subject.name"}},
		{"subject with neither name nor selector", func(b *sources.SinkBinding) { b.Spec.Subject.Name = "" }, []string{"spec.subject"}},
		{"subject with both name and selector", func(b *sources.SinkBinding) { b.Spec.Subject.Selector = selector }, []string{"spec.subject.selector"}},
		{"subject with an invalid selector", func(b *sources.SinkBinding) {
			b.Spec.Subject.Name = ""
			b.Spec.Subject.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "a", Operator: "Like"}}}
		}, []string{"spec.subject.selector"}},
		{"no sink", func(b *sources.SinkBinding) { b.Spec.Sink = duckv1.Destination{} }, []string{"spec.sink"}},
		{"relative URI without ref", func(b *sources.SinkBinding) { b.Spec.Sink = duckv1.Destination{URI: ptr("/path")} }, []string{"spec.sink.uri"}},
	})
}

func newContainerSource() *sources.ContainerSource {
	c := &sources.ContainerSource{ObjectMeta: meta}
	c.Spec.Sink = sink()
	c.Spec.Template.Spec.Containers = []corev1.Container{{Name: "src-0", Image: "ghcr.io/knap-dev/heartbeats:v1"}}
	return c
}

func TestContainerSource(t *testing.T) {
	run(t, newContainerSource, validation.ValidateContainerSource, validation.ValidateContainerSourceUpdate, []testCase[sources.ContainerSource]{
		{"two containers", func(c *sources.ContainerSource) {
			c.Spec.Template.Spec.Containers = append(c.Spec.Template.Spec.Containers, corev1.Container{Name: "b", Image: "busybox"})
		}, nil},
		{"template metadata", func(c *sources.ContainerSource) {
			c.Spec.Template.Labels = map[string]string{"app": "heartbeats"}
		}, nil},

		{"no containers", func(c *sources.ContainerSource) { c.Spec.Template.Spec.Containers = nil }, []string{"spec.template.spec.containers"}},
		{"container without image", func(c *sources.ContainerSource) { c.Spec.Template.Spec.Containers[0].Image = "" }, []string{"spec.template.spec.containers[0].image"}},
		{"container without name (not defaulted)", func(c *sources.ContainerSource) { c.Spec.Template.Spec.Containers[0].Name = "" }, []string{"spec.template.spec.containers[0].name"}},
		{"no sink", func(c *sources.ContainerSource) { c.Spec.Sink = duckv1.Destination{} }, []string{"spec.sink"}},
		{"sink with bad CA certs", func(c *sources.ContainerSource) { c.Spec.Sink.CACerts = ptr("nope") }, []string{"spec.sink.CACerts"}},
	})
}

func TestUpdate(t *testing.T) {
	old := newPingSource()
	p := newPingSource()
	p.Name = "renamed"
	errs := validation.ValidatePingSourceUpdate(p, old)
	if len(errs) == 0 || !strings.HasPrefix(errs[0].Field, "metadata.name") {
		t.Errorf("renaming on update: got %v, want an error at metadata.name", errs)
	}

	// Every field of a source's spec may change.
	p = newPingSource()
	p.Spec.Schedule, p.Spec.Timezone, p.Spec.Data = "0 0 * * *", "UTC", "new"
	p.Spec.Sink = duckv1.Destination{URI: ptr("http://example.com")}
	expect(t, "PingSource spec change", validation.ValidatePingSourceUpdate(p, old), nil)
	a, oldA := newApiServerSource(), newApiServerSource()
	a.Spec.Mode, a.Spec.ServiceAccountName = sources.ResourceMode, "other"
	a.Spec.Resources[0].Kind = "Pod"
	expect(t, "ApiServerSource spec change", validation.ValidateApiServerSourceUpdate(a, oldA), nil)
	b, oldB := newSinkBinding(), newSinkBinding()
	b.Spec.Subject.Name = "other"
	expect(t, "SinkBinding spec change", validation.ValidateSinkBindingUpdate(b, oldB), nil)
	c, oldC := newContainerSource(), newContainerSource()
	c.Spec.Template.Spec.Containers[0].Image = "busybox"
	expect(t, "ContainerSource spec change", validation.ValidateContainerSourceUpdate(c, oldC), nil)
}
