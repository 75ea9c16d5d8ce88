package v1beta1_test

import (
	"encoding/json"
	"maps"
	"math/rand"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"sigs.k8s.io/randfill"

	"github.com/knap-dev/knap/pkg/apis/tekton"
	"github.com/knap-dev/knap/pkg/apis/tekton/defaults"
	"github.com/knap-dev/knap/pkg/apis/tekton/install"
	tektonv1 "github.com/knap-dev/knap/pkg/apis/tekton/v1"
	"github.com/knap-dev/knap/pkg/apis/tekton/v1beta1"
	"github.com/knap-dev/knap/pkg/apis/tekton/validation"
)

func newScheme(t *testing.T) *runtime.Scheme {
	t.Helper()
	scheme := runtime.NewScheme()
	install.Install(scheme)
	if err := v1beta1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	return scheme
}

// strictDecode decodes data (JSON or YAML) as the scheme's codecs do in the
// API server with strict field validation: an unknown or duplicate field is
// an error.
func strictDecode(t *testing.T, scheme *runtime.Scheme, data []byte) runtime.Object {
	t.Helper()
	codecs := serializer.NewCodecFactory(scheme, serializer.EnableStrict)
	obj, _, err := codecs.UniversalDeserializer().Decode(data, nil, nil)
	if err != nil {
		t.Fatalf("strict decode: %v", err)
	}
	return obj
}

func convert(t *testing.T, scheme *runtime.Scheme, in, out runtime.Object) {
	t.Helper()
	if err := scheme.Convert(in, out, nil); err != nil {
		t.Fatalf("convert %T to %T: %v", in, out, err)
	}
}

// ---------------------------------------------------------------------------
// (a) v1 -> hub -> v1beta1 -> hub -> v1 loses nothing.

func fuzzer(seed int64) *randfill.Filler {
	return randfill.New().NilChance(0.4).NumElements(0, 2).MaxDepth(20).
		RandSource(rand.NewSource(seed)).
		Funcs(
			// Conversion drops TypeMeta; the scheme sets it on encoding.
			func(tm *metav1.TypeMeta, c randfill.Continue) {},
			func(t *metav1.Time, c randfill.Continue) {
				*t = metav1.Unix(c.Int63n(1<<31), 0)
			},
			func(q *resource.Quantity, c randfill.Continue) {
				*q = *resource.NewQuantity(c.Int63n(1000), resource.DecimalSI)
			},
			func(r *runtime.RawExtension, c randfill.Continue) {
				if c.Bool() {
					r.Raw = []byte(`{"k":"` + c.String(5) + `"}`)
				}
			},
			func(p *tektonv1.ParamValue, c randfill.Continue) {
				switch c.Intn(3) {
				case 0:
					*p = tektonv1.ParamValue{Type: tektonv1.ParamTypeString, StringVal: c.String(8)}
				case 1:
					*p = tektonv1.ParamValue{Type: tektonv1.ParamTypeArray, ArrayVal: []string{c.String(4), c.String(4)}}
				default:
					*p = tektonv1.ParamValue{Type: tektonv1.ParamTypeObject, ObjectVal: map[string]string{c.String(3): c.String(3)}}
				}
			},
		)
}

func TestFuzzV1RoundTripThroughV1beta1(t *testing.T) {
	scheme := newScheme(t)
	kinds := []struct {
		name          string
		v1, hub, beta func() runtime.Object
	}{
		{"Task",
			func() runtime.Object { return &tektonv1.Task{} },
			func() runtime.Object { return &tekton.Task{} },
			func() runtime.Object { return &v1beta1.Task{} }},
		{"TaskRun",
			func() runtime.Object { return &tektonv1.TaskRun{} },
			func() runtime.Object { return &tekton.TaskRun{} },
			func() runtime.Object { return &v1beta1.TaskRun{} }},
		{"Pipeline",
			func() runtime.Object { return &tektonv1.Pipeline{} },
			func() runtime.Object { return &tekton.Pipeline{} },
			func() runtime.Object { return &v1beta1.Pipeline{} }},
		{"PipelineRun",
			func() runtime.Object { return &tektonv1.PipelineRun{} },
			func() runtime.Object { return &tekton.PipelineRun{} },
			func() runtime.Object { return &v1beta1.PipelineRun{} }},
	}
	const iterations = 500
	for seed, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			f := fuzzer(int64(seed))
			for i := range iterations {
				in := k.v1()
				f.Fill(in)
				hub, beta, hubBack, out := k.hub(), k.beta(), k.hub(), k.v1()
				convert(t, scheme, in.DeepCopyObject(), hub)
				convert(t, scheme, hub, beta)
				convert(t, scheme, beta, hubBack)
				convert(t, scheme, hubBack, out)
				if !apiequality.Semantic.DeepEqual(in, out) {
					t.Fatalf("iteration %d: v1 -> hub -> v1beta1 -> hub -> v1 changed the object (-in +out):\n%s",
						i, cmp.Diff(in, out))
				}
			}
		})
	}
}

// ---------------------------------------------------------------------------
// (b) Upstream-shaped v1beta1 decodes strictly and converts to the v1 names.

func TestWireV1beta1ToV1(t *testing.T) {
	scheme := newScheme(t)
	cases := []struct {
		name    string
		in      string // v1beta1, as upstream writes it
		hub, v1 runtime.Object
		want    string // the same object as tekton.dev/v1
	}{
		{
			name: "Task: resources on steps, stepTemplate and sidecars",
			in: `{"apiVersion":"tekton.dev/v1beta1","kind":"Task","metadata":{"name":"t","namespace":"ns"},
				"spec":{"params":[{"name":"a","type":"array","default":["x"]},{"name":"o","type":"object","properties":{"k":{"type":"string"}},"default":{"k":"v"}}],
				"steps":[{"name":"build","image":"golang","script":"go build","resources":{"limits":{"cpu":"1"}},
				          "results":[{"name":"r"}],"when":[{"cel":"true"}],"ref":{"name":"sa","resolver":"git","params":[{"name":"url","value":"u"}]}}],
				"stepTemplate":{"env":[{"name":"E","value":"1"}],"resources":{"requests":{"memory":"1Gi"}}},
				"sidecars":[{"name":"db","image":"postgres","resources":{"requests":{"cpu":"100m"}}}],
				"results":[{"name":"digest","type":"string"}]}}`,
			hub: &tekton.Task{}, v1: &tektonv1.Task{},
			want: `{"metadata":{"name":"t","namespace":"ns"},
				"spec":{"params":[{"name":"a","type":"array","default":["x"]},{"name":"o","type":"object","properties":{"k":{"type":"string"}},"default":{"k":"v"}}],
				"steps":[{"name":"build","image":"golang","script":"go build","computeResources":{"limits":{"cpu":"1"}},
				          "results":[{"name":"r"}],"when":[{"cel":"true"}],"ref":{"name":"sa","resolver":"git","params":[{"name":"url","value":"u"}]}}],
				"stepTemplate":{"env":[{"name":"E","value":"1"}],"computeResources":{"requests":{"memory":"1Gi"}}},
				"sidecars":[{"name":"db","image":"postgres","computeResources":{"requests":{"cpu":"100m"}}}],
				"results":[{"name":"digest","type":"string"}]}}`,
		},
		{
			name: "TaskRun: bundle, stepOverrides, sidecarOverrides, taskResults, cloudEvents",
			in: `{"apiVersion":"tekton.dev/v1beta1","kind":"TaskRun","metadata":{"name":"tr","namespace":"ns"},
				"spec":{"serviceAccountName":"sa","taskRef":{"name":"build","bundle":"registry.example/tasks:v1"},
				"stepOverrides":[{"name":"s","resources":{"limits":{"memory":"1Gi"}}}],
				"sidecarOverrides":[{"name":"db","resources":{"requests":{"cpu":"1"}}}],
				"podTemplate":{"nodeSelector":{"n":"1"}},"timeout":"1h0m0s",
				"workspaces":[{"name":"w","emptyDir":{}}],"params":[{"name":"p","value":"v"}]},
				"status":{"podName":"tr-pod","conditions":[{"type":"Succeeded","status":"True","reason":"Succeeded"}],
				"steps":[{"name":"s","container":"step-s","terminated":{"exitCode":0,"reason":"Completed","startedAt":null,"finishedAt":null}}],
				"taskResults":[{"name":"digest","type":"string","value":"sha256:abc"}],
				"cloudEvents":[{"target":"http://sink","status":{"condition":"Sent","message":"","retryCount":1}}],
				"provenance":{"configSource":{"uri":"git+https://x","digest":{"sha1":"abc"},"entryPoint":"task.yaml"}}}}`,
			hub: &tekton.TaskRun{}, v1: &tektonv1.TaskRun{},
			want: `{"metadata":{"name":"tr","namespace":"ns"},
				"spec":{"serviceAccountName":"sa","taskRef":{"resolver":"bundles","params":[
				    {"name":"bundle","value":"registry.example/tasks:v1"},{"name":"name","value":"build"},{"name":"kind","value":"Task"}]},
				"stepSpecs":[{"name":"s","computeResources":{"limits":{"memory":"1Gi"}}}],
				"sidecarSpecs":[{"name":"db","computeResources":{"requests":{"cpu":"1"}}}],
				"podTemplate":{"nodeSelector":{"n":"1"}},"timeout":"1h0m0s",
				"workspaces":[{"name":"w","emptyDir":{}}],"params":[{"name":"p","value":"v"}]},
				"status":{"podName":"tr-pod","conditions":[{"type":"Succeeded","status":"True","reason":"Succeeded"}],
				"steps":[{"name":"s","container":"step-s","terminated":{"exitCode":0,"reason":"Completed","startedAt":null,"finishedAt":null}}],
				"results":[{"name":"digest","type":"string","value":"sha256:abc"}],
				"provenance":{"refSource":{"uri":"git+https://x","digest":{"sha1":"abc"},"entryPoint":"task.yaml"}}}}`,
		},
		{
			name: "Pipeline: bundle in a task, resources in an embedded task, finally",
			in: `{"apiVersion":"tekton.dev/v1beta1","kind":"Pipeline","metadata":{"name":"p","namespace":"ns"},
				"spec":{"params":[{"name":"x","type":"string"}],
				"tasks":[{"name":"a","taskRef":{"name":"t","bundle":"registry.example/b:1"},"params":[{"name":"p","value":["x","y"]}],
				          "when":[{"input":"$(params.x)","operator":"in","values":["y"]}],"retries":1,"timeout":"5m0s","onError":"continue",
				          "matrix":{"params":[{"name":"m","value":["1","2"]}]}},
				         {"name":"b","runAfter":["a"],"taskSpec":{"metadata":{"labels":{"l":"v"}},
				          "steps":[{"name":"s","image":"alpine","resources":{"limits":{"cpu":"2"}}}]}},
				         {"name":"c","taskSpec":{"apiVersion":"example.dev/v1","kind":"Wait","spec":{"duration":"1s"}}}],
				"finally":[{"name":"f","taskRef":{"resolver":"git","params":[{"name":"url","value":"u"}]}}],
				"results":[{"name":"r","value":"$(tasks.a.results.r)"}],"workspaces":[{"name":"w","optional":true}]}}`,
			hub: &tekton.Pipeline{}, v1: &tektonv1.Pipeline{},
			want: `{"metadata":{"name":"p","namespace":"ns"},
				"spec":{"params":[{"name":"x","type":"string"}],
				"tasks":[{"name":"a","taskRef":{"resolver":"bundles","params":[
				            {"name":"bundle","value":"registry.example/b:1"},{"name":"name","value":"t"},{"name":"kind","value":"Task"}]},
				          "params":[{"name":"p","value":["x","y"]}],
				          "when":[{"input":"$(params.x)","operator":"in","values":["y"]}],"retries":1,"timeout":"5m0s","onError":"continue",
				          "matrix":{"params":[{"name":"m","value":["1","2"]}]}},
				         {"name":"b","runAfter":["a"],"taskSpec":{"metadata":{"labels":{"l":"v"}},
				          "steps":[{"name":"s","image":"alpine","computeResources":{"limits":{"cpu":"2"}}}]}},
				         {"name":"c","taskSpec":{"apiVersion":"example.dev/v1","kind":"Wait","spec":{"duration":"1s"}}}],
				"finally":[{"name":"f","taskRef":{"resolver":"git","params":[{"name":"url","value":"u"}]}}],
				"results":[{"name":"r","value":"$(tasks.a.results.r)"}],"workspaces":[{"name":"w","optional":true}]}}`,
		},
		{
			name: "PipelineRun: serviceAccountName, podTemplate, timeout, taskRunSpecs, pipelineResults, taskRuns",
			in: `{"apiVersion":"tekton.dev/v1beta1","kind":"PipelineRun","metadata":{"name":"pr","namespace":"ns"},
				"spec":{"pipelineRef":{"name":"p","bundle":"registry.example/p:1"},
				"serviceAccountName":"sa","podTemplate":{"securityContext":{"runAsNonRoot":true}},"timeout":"2h0m0s",
				"params":[{"name":"o","value":{"k":"v"}}],
				"workspaces":[{"name":"shared","volumeClaimTemplate":{"spec":{"accessModes":["ReadWriteOnce"]}}}],
				"taskRunSpecs":[{"pipelineTaskName":"a","taskServiceAccountName":"sa2","taskPodTemplate":{"nodeSelector":{"n":"2"}},
				                 "stepOverrides":[{"name":"s","resources":{"requests":{"memory":"1Gi"}}}],
				                 "sidecarOverrides":[{"name":"db","resources":{"limits":{"cpu":"1"}}}],
				                 "metadata":{"labels":{"x":"y"}},"computeResources":{"limits":{"cpu":"4"}},"timeout":"10m0s"}]},
				"status":{"conditions":[{"type":"Succeeded","status":"True","reason":"Succeeded"}],"startTime":"2024-01-01T00:00:00Z",
				"pipelineResults":[{"name":"r","value":["a","b"]}],
				"taskRuns":{"pr-b":{"pipelineTaskName":"b","status":{"podName":"pr-b-pod"}},
				            "pr-a":{"pipelineTaskName":"a","whenExpressions":[{"input":"x","operator":"in","values":["x"]}]}},
				"runs":{"pr-c":{"pipelineTaskName":"c","status":{"results":[{"name":"r","value":"v"}]}}},
				"skippedTasks":[{"name":"d","reason":"When Expressions evaluated to false"}]}}`,
			hub: &tekton.PipelineRun{}, v1: &tektonv1.PipelineRun{},
			want: `{"metadata":{"name":"pr","namespace":"ns"},
				"spec":{"pipelineRef":{"resolver":"bundles","params":[
				            {"name":"bundle","value":"registry.example/p:1"},{"name":"name","value":"p"},{"name":"kind","value":"Pipeline"}]},
				"taskRunTemplate":{"serviceAccountName":"sa","podTemplate":{"securityContext":{"runAsNonRoot":true}}},
				"timeouts":{"pipeline":"2h0m0s"},
				"params":[{"name":"o","value":{"k":"v"}}],
				"workspaces":[{"name":"shared","volumeClaimTemplate":{"spec":{"accessModes":["ReadWriteOnce"]},"status":{}}}],
				"taskRunSpecs":[{"pipelineTaskName":"a","serviceAccountName":"sa2","podTemplate":{"nodeSelector":{"n":"2"}},
				                 "stepSpecs":[{"name":"s","computeResources":{"requests":{"memory":"1Gi"}}}],
				                 "sidecarSpecs":[{"name":"db","computeResources":{"limits":{"cpu":"1"}}}],
				                 "metadata":{"labels":{"x":"y"}},"computeResources":{"limits":{"cpu":"4"}},"timeout":"10m0s"}]},
				"status":{"conditions":[{"type":"Succeeded","status":"True","reason":"Succeeded"}],"startTime":"2024-01-01T00:00:00Z",
				"results":[{"name":"r","value":["a","b"]}],
				"childReferences":[
				  {"apiVersion":"tekton.dev/v1beta1","kind":"TaskRun","name":"pr-a","pipelineTaskName":"a","whenExpressions":[{"input":"x","operator":"in","values":["x"]}]},
				  {"apiVersion":"tekton.dev/v1beta1","kind":"TaskRun","name":"pr-b","pipelineTaskName":"b"},
				  {"apiVersion":"tekton.dev/v1alpha1","kind":"Run","name":"pr-c","pipelineTaskName":"c"}],
				"skippedTasks":[{"name":"d","reason":"When Expressions evaluated to false"}]}}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := strictDecode(t, scheme, []byte(tc.in))
			if gv := in.GetObjectKind().GroupVersionKind().GroupVersion(); gv != v1beta1.SchemeGroupVersion {
				t.Fatalf("decoded as %v, want tekton.dev/v1beta1", gv)
			}
			convert(t, scheme, in, tc.hub)
			convert(t, scheme, tc.hub, tc.v1)
			requireSameJSON(t, tc.want, tc.v1)
		})
	}
}

// The deprecated Step and StepTemplate fields survive v1beta1 -> hub ->
// v1beta1 through the stored object's annotation, and a v1 reader sees them
// only there.
func TestDeprecatedStepFieldsRoundTrip(t *testing.T) {
	scheme := newScheme(t)
	for _, tc := range []struct {
		name     string
		in       string
		hub      runtime.Object
		v1beta1  func() runtime.Object
		wantKeys []string
	}{
		{
			name: "Task",
			in: `{"apiVersion":"tekton.dev/v1beta1","kind":"Task","metadata":{"name":"t","annotations":{"a":"b"}},"spec":{
				"stepTemplate":{"name":"tmpl","image":"alpine","tty":true},
				"steps":[{"name":"one","image":"alpine","ports":[{"containerPort":8080,"protocol":"TCP"}],
				          "livenessProbe":{"exec":{"command":["true"]}},"terminationMessagePath":"/tmp/t","stdin":true},
				         {"name":"two","image":"alpine"}]}}`,
			hub: &tekton.Task{}, v1beta1: func() runtime.Object { return &v1beta1.Task{} },
			wantKeys: []string{"t"},
		},
		{
			name: "TaskRun generated name",
			in: `{"apiVersion":"tekton.dev/v1beta1","kind":"TaskRun","metadata":{"generateName":"tr-"},"spec":{
				"taskSpec":{"steps":[{"name":"one","image":"alpine","stdinOnce":true,"lifecycle":{"preStop":{"exec":{"command":["x"]}}}}]}}}`,
			hub: &tekton.TaskRun{}, v1beta1: func() runtime.Object { return &v1beta1.TaskRun{} },
			wantKeys: []string{""},
		},
		{
			name: "PipelineRun",
			in: `{"apiVersion":"tekton.dev/v1beta1","kind":"PipelineRun","metadata":{"name":"pr"},"spec":{"pipelineSpec":{
				"tasks":[{"name":"a","taskSpec":{"steps":[{"name":"s","image":"alpine","readinessProbe":{"tcpSocket":{"port":80}}}]}},
				         {"name":"b","taskSpec":{"steps":[{"name":"s","image":"alpine"}]}}],
				"finally":[{"name":"f","taskSpec":{"stepTemplate":{"terminationMessagePolicy":"FallbackToLogsOnError"},"steps":[{"name":"s","image":"alpine"}]}}]}}}`,
			hub: &tekton.PipelineRun{}, v1beta1: func() runtime.Object { return &v1beta1.PipelineRun{} },
			wantKeys: []string{"a", "f"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := strictDecode(t, scheme, []byte(tc.in))
			want := in.DeepCopyObject()
			convert(t, scheme, in, tc.hub)
			if !apiequality.Semantic.DeepEqual(in, want) {
				t.Fatalf("conversion changed its input:\n%s", cmp.Diff(want, in))
			}
			hubMeta, err := apimeta.Accessor(tc.hub)
			if err != nil {
				t.Fatal(err)
			}
			recorded := map[string]json.RawMessage{}
			if err := json.Unmarshal([]byte(hubMeta.GetAnnotations()[v1beta1.TaskDeprecationsAnnotationKey]), &recorded); err != nil {
				t.Fatalf("annotation %q: %v", v1beta1.TaskDeprecationsAnnotationKey, err)
			}
			if keys := slices.Sorted(maps.Keys(recorded)); !slices.Equal(keys, tc.wantKeys) {
				t.Errorf("annotation records %v, want %v", keys, tc.wantKeys)
			}
			// On create the name is generated after conversion.
			if g := hubMeta.GetGenerateName(); g != "" {
				hubMeta.SetName(g + "abcde")
				wantMeta, _ := apimeta.Accessor(want)
				wantMeta.SetName(g + "abcde")
			}
			back := tc.v1beta1()
			convert(t, scheme, tc.hub, back)
			want.GetObjectKind().SetGroupVersionKind(schema.GroupVersionKind{})
			if !apiequality.Semantic.DeepEqual(want, back) {
				t.Fatalf("v1beta1 -> hub -> v1beta1 changed the object (-want +got):\n%s", cmp.Diff(want, back))
			}
		})
	}
}

// A v1 client can change the steps; a record that no longer matches them is
// dropped instead of being applied to the wrong steps.
func TestDeprecatedStepFieldsStaleRecord(t *testing.T) {
	scheme := newScheme(t)
	hub := &tekton.Task{
		ObjectMeta: metav1.ObjectMeta{Name: "t", Annotations: map[string]string{
			v1beta1.TaskDeprecationsAnnotationKey: `{"t":{"deprecatedSteps":[{"tty":true},{}]}}`,
		}},
		Spec: tekton.TaskSpec{Steps: []tekton.Step{{Name: "only"}}},
	}
	out := &v1beta1.Task{}
	convert(t, scheme, hub, out)
	if out.Spec.Steps[0].TTY || len(out.Annotations) != 0 {
		t.Fatalf("stale record applied or kept: %+v, annotations %v", out.Spec.Steps[0], out.Annotations)
	}
	if hub.Annotations[v1beta1.TaskDeprecationsAnnotationKey] == "" {
		t.Fatal("conversion changed the hub object's annotations")
	}
}

func TestPipelineRunTimeout(t *testing.T) {
	scheme := newScheme(t)
	d := func(s string) *metav1.Duration {
		v, err := time.ParseDuration(s)
		if err != nil {
			t.Fatal(err)
		}
		return &metav1.Duration{Duration: v}
	}
	for _, tc := range []struct {
		name string
		in   v1beta1.PipelineRunSpec
		want *tekton.TimeoutFields
	}{
		{"timeout only", v1beta1.PipelineRunSpec{Timeout: d("1h")}, &tekton.TimeoutFields{Pipeline: d("1h")}},
		{"timeout with tasks", v1beta1.PipelineRunSpec{Timeout: d("1h"), Timeouts: &v1beta1.TimeoutFields{Tasks: d("50m")}},
			&tekton.TimeoutFields{Pipeline: d("1h"), Tasks: d("50m")}},
		{"timeouts.pipeline wins", v1beta1.PipelineRunSpec{Timeout: d("1h"), Timeouts: &v1beta1.TimeoutFields{Pipeline: d("2h")}},
			&tekton.TimeoutFields{Pipeline: d("2h")}},
		{"neither", v1beta1.PipelineRunSpec{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &v1beta1.PipelineRun{Spec: tc.in}
			orig := in.DeepCopy()
			out := &tekton.PipelineRun{}
			convert(t, scheme, in, out)
			if !apiequality.Semantic.DeepEqual(out.Spec.Timeouts, tc.want) {
				t.Fatalf("timeouts = %+v, want %+v", out.Spec.Timeouts, tc.want)
			}
			if !apiequality.Semantic.DeepEqual(in, orig) {
				t.Fatalf("conversion changed its input:\n%s", cmp.Diff(orig, in))
			}
		})
	}
}

// PipelineResources are gone from Tekton: upstream keeps the fields in
// v1beta1 and rejects them in validation; here conversion to the hub does.
func TestPipelineResourcesRefused(t *testing.T) {
	scheme := newScheme(t)
	for _, tc := range []struct {
		name string
		in   string
		hub  runtime.Object
	}{
		{"Task", `{"apiVersion":"tekton.dev/v1beta1","kind":"Task","metadata":{"name":"t"},"spec":{"resources":{"inputs":[{"name":"src","type":"git"}]}}}`, &tekton.Task{}},
		{"TaskRun", `{"apiVersion":"tekton.dev/v1beta1","kind":"TaskRun","metadata":{"name":"tr"},"spec":{"resources":{"inputs":[{"name":"src","resourceRef":{"name":"r"}}]}}}`, &tekton.TaskRun{}},
		{"Pipeline", `{"apiVersion":"tekton.dev/v1beta1","kind":"Pipeline","metadata":{"name":"p"},"spec":{"resources":[{"name":"src","type":"git"}]}}`, &tekton.Pipeline{}},
		{"PipelineTask", `{"apiVersion":"tekton.dev/v1beta1","kind":"Pipeline","metadata":{"name":"p"},"spec":{"tasks":[{"name":"a","taskRef":{"name":"t"},"resources":{"inputs":[{"name":"src","resource":"src"}]}}]}}`, &tekton.Pipeline{}},
		{"PipelineRun", `{"apiVersion":"tekton.dev/v1beta1","kind":"PipelineRun","metadata":{"name":"pr"},"spec":{"resources":[{"name":"src","resourceRef":{"name":"r"}}]}}`, &tekton.PipelineRun{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := strictDecode(t, scheme, []byte(tc.in))
			err := scheme.Convert(in, tc.hub, nil)
			if err == nil || !strings.Contains(err.Error(), "PipelineResources") {
				t.Fatalf("conversion error = %v, want one naming PipelineResources", err)
			}
		})
	}
	// An explicit null is no value.
	in := strictDecode(t, scheme, []byte(`{"apiVersion":"tekton.dev/v1beta1","kind":"Task","metadata":{"name":"t"},"spec":{"resources":null}}`))
	convert(t, scheme, in, &tekton.Task{})
}

// The strict decoder the wire tests rely on does refuse what v1beta1 lacks.
func TestStrictDecodingRefusesUnknownFields(t *testing.T) {
	scheme := newScheme(t)
	codecs := serializer.NewCodecFactory(scheme, serializer.EnableStrict)
	for _, in := range []string{
		// v1 names are not v1beta1 names.
		`{"apiVersion":"tekton.dev/v1beta1","kind":"Task","metadata":{"name":"t"},"spec":{"steps":[{"name":"s","computeResources":{}}]}}`,
		`{"apiVersion":"tekton.dev/v1beta1","kind":"PipelineRun","metadata":{"name":"p"},"spec":{"taskRunTemplate":{"serviceAccountName":"sa"}}}`,
		`{"apiVersion":"tekton.dev/v1beta1","kind":"TaskRun","metadata":{"name":"t"},"spec":{"stepSpecs":[{"name":"s","computeResources":{}}]}}`,
		`{"apiVersion":"tekton.dev/v1beta1","kind":"TaskRun","metadata":{"name":"t"},"status":{"results":[{"name":"r","value":"v"}]}}`,
		`{"apiVersion":"tekton.dev/v1beta1","kind":"PipelineRun","metadata":{"name":"p"},"spec":{"taskRunSpecs":[{"pipelineTaskName":"a","serviceAccountName":"sa"}]}}`,
	} {
		if _, _, err := codecs.UniversalDeserializer().Decode([]byte(in), nil, nil); !runtime.IsStrictDecodingError(err) {
			t.Errorf("Decode(%s) error = %v, want a strict decoding error", in, err)
		}
	}
}

// ---------------------------------------------------------------------------
// (c) The Tekton catalog's buildpacks Task (v1beta1) works unchanged.

func TestCatalogBuildpacksTask(t *testing.T) {
	scheme := newScheme(t)
	data, err := os.ReadFile("testdata/buildpacks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	obj := strictDecode(t, scheme, data)
	task, ok := obj.(*v1beta1.Task)
	if !ok {
		t.Fatalf("decoded %T, want *v1beta1.Task", obj)
	}
	hub := &tekton.Task{}
	convert(t, scheme, task, hub)

	if hub.Name != "buildpacks" || hub.Annotations["tekton.dev/displayName"] != "Buildpacks" {
		t.Errorf("metadata = %+v", hub.ObjectMeta)
	}
	if len(hub.Annotations) != 5 {
		t.Errorf("annotations = %v, want the 5 of the catalog file and nothing added", hub.Annotations)
	}
	if got := len(hub.Spec.Params); got != 11 {
		t.Errorf("%d params, want 11", got)
	}
	for _, p := range hub.Spec.Params {
		if p.Name == "ENV_VARS" {
			if p.Type != tekton.ParamTypeArray || p.Default == nil || p.Default.Type != tekton.ParamTypeArray || len(p.Default.ArrayVal) != 0 {
				t.Errorf("ENV_VARS = %+v, default %+v; want an array defaulting to []", p, p.Default)
			}
		}
	}
	var names []string
	for _, s := range hub.Spec.Steps {
		names = append(names, s.Name)
	}
	if !cmp.Equal(names, []string{"prepare", "create", "results"}) {
		t.Errorf("steps %v", names)
	}
	create := hub.Spec.Steps[1]
	if create.ImagePullPolicy != corev1.PullAlways || create.SecurityContext == nil || *create.SecurityContext.RunAsUser != 1000 ||
		len(create.Args) != 13 || create.Command[0] != "/cnb/lifecycle/creator" {
		t.Errorf("create step = %+v", create)
	}
	if !strings.HasPrefix(hub.Spec.Steps[0].Script, "#!/usr/bin/env bash") {
		t.Errorf("prepare script = %q", hub.Spec.Steps[0].Script)
	}
	if hub.Spec.StepTemplate == nil || len(hub.Spec.StepTemplate.Env) != 1 || hub.Spec.StepTemplate.Env[0].Value != "0.9" {
		t.Errorf("stepTemplate = %+v", hub.Spec.StepTemplate)
	}
	if len(hub.Spec.Workspaces) != 3 || !hub.Spec.Workspaces[1].Optional || len(hub.Spec.Results) != 2 ||
		len(hub.Spec.Volumes) != 2 || hub.Spec.Volumes[0].EmptyDir == nil {
		t.Errorf("workspaces/results/volumes = %+v / %+v / %+v", hub.Spec.Workspaces, hub.Spec.Results, hub.Spec.Volumes)
	}

	// The server accepts it: defaulted and validated as any Task.
	defaulted := hub.DeepCopy()
	defaulted.Namespace = "default" // the request supplies it
	defaults.Task(defaulted, nil, "")
	if errs := validation.ValidateTask(defaulted); len(errs) != 0 {
		t.Errorf("catalog task fails validation: %v", errs.ToAggregate())
	}

	// Read back as v1beta1 it is the catalog file again.
	back := &v1beta1.Task{}
	convert(t, scheme, hub, back)
	want := task.DeepCopy()
	want.TypeMeta = metav1.TypeMeta{}
	if !apiequality.Semantic.DeepEqual(want, back) {
		t.Fatalf("v1beta1 -> hub -> v1beta1 changed the catalog task:\n%s", cmp.Diff(want, back))
	}
	// And it encodes as v1.
	v1 := &tektonv1.Task{}
	convert(t, scheme, hub, v1)
	b, err := json.Marshal(v1)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"resources"`) {
		t.Errorf("v1 encoding has a v1beta1 field name: %s", b)
	}
}

// ---------------------------------------------------------------------------

// requireSameJSON compares got's JSON encoding with want, ignoring the empty
// values Go's encoder writes for non-omitempty fields.
func requireSameJSON(t *testing.T, want string, got runtime.Object) {
	t.Helper()
	out, err := json.Marshal(got)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want: %v", err)
	}
	if err := json.Unmarshal(out, &g); err != nil {
		t.Fatal(err)
	}
	stripEmpty(w)
	stripEmpty(g)
	if !reflect.DeepEqual(w, g) {
		t.Fatalf("v1 encoding differs (-want +got):\n%s", cmp.Diff(w, g))
	}
}

func stripEmpty(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e == nil || e == "" {
				delete(v, k)
				continue
			}
			stripEmpty(e)
			if m, ok := e.(map[string]any); ok && len(m) == 0 && k != "emptyDir" {
				delete(v, k)
			}
		}
	case []any:
		for _, e := range v {
			stripEmpty(e)
		}
	}
}
