package defaults_test

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/knap-dev/knap/pkg/apis/tekton"
	"github.com/knap-dev/knap/pkg/apis/tekton/defaults"
)

func TestTaskParamTypes(t *testing.T) {
	task := &tekton.Task{Spec: tekton.TaskSpec{
		Params: tekton.ParamSpecs{
			{Name: "plain"},
			{Name: "arr", Default: tekton.NewStructuredValues("a", "b")},
			{Name: "obj", Default: tekton.NewObject(map[string]string{"k": "v"})},
			{Name: "str", Default: tekton.NewStructuredValues("x")},
			{Name: "props", Properties: map[string]tekton.PropertySpec{"k": {}}},
			{Name: "explicit", Type: tekton.ParamTypeArray},
		},
		Results: []tekton.TaskResult{{Name: "r"}},
	}}
	defaults.Task(task, nil, "")
	want := []tekton.ParamType{"string", "array", "object", "string", "object", "array"}
	for i, p := range task.Spec.Params {
		if p.Type != want[i] {
			t.Errorf("param %s: type %q, want %q", p.Name, p.Type, want[i])
		}
	}
	if got := task.Spec.Params[4].Properties["k"].Type; got != tekton.ParamTypeString {
		t.Errorf("property type %q, want string", got)
	}
	if got := task.Spec.Results[0].Type; got != tekton.ResultsTypeString {
		t.Errorf("result type %q, want string", got)
	}
}

func TestTaskRun(t *testing.T) {
	tr := &tekton.TaskRun{Spec: tekton.TaskRunSpec{
		TaskRef: &tekton.TaskRef{Name: "build"},
	}}
	defaults.TaskRun(tr, nil, "alice")
	if tr.Spec.Timeout == nil || tr.Spec.Timeout.Duration != time.Hour {
		t.Errorf("timeout = %v, want 1h", tr.Spec.Timeout)
	}
	if tr.Spec.ServiceAccountName != "default" {
		t.Errorf("serviceAccountName = %q", tr.Spec.ServiceAccountName)
	}
	if tr.Spec.TaskRef.Kind != tekton.NamespacedTaskKind {
		t.Errorf("taskRef.kind = %q", tr.Spec.TaskRef.Kind)
	}
	if tr.Labels[defaults.ManagedByLabelKey] != "tekton-pipelines" {
		t.Errorf("labels = %v", tr.Labels)
	}

	// Explicit values are kept; a resolver ref gets no kind; embedded specs are defaulted.
	tr = &tekton.TaskRun{Spec: tekton.TaskRunSpec{
		ServiceAccountName: "builder",
		Timeout:            &metav1.Duration{Duration: time.Minute},
		TaskRef:            &tekton.TaskRef{ResolverRef: tekton.ResolverRef{Resolver: "git"}},
	}}
	defaults.TaskRun(tr, nil, "")
	if tr.Spec.ServiceAccountName != "builder" || tr.Spec.Timeout.Duration != time.Minute || tr.Spec.TaskRef.Kind != "" {
		t.Errorf("explicit values changed: %+v", tr.Spec)
	}
	tr = &tekton.TaskRun{Spec: tekton.TaskRunSpec{TaskSpec: &tekton.TaskSpec{Params: tekton.ParamSpecs{{Name: "p"}}}}}
	defaults.TaskRun(tr, nil, "")
	if tr.Spec.TaskSpec.Params[0].Type != tekton.ParamTypeString {
		t.Errorf("taskSpec param type = %q", tr.Spec.TaskSpec.Params[0].Type)
	}
}

func TestPipeline(t *testing.T) {
	p := &tekton.Pipeline{Spec: tekton.PipelineSpec{
		Params: tekton.ParamSpecs{{Name: "a", Default: tekton.NewStructuredValues("1", "2")}},
		Tasks: []tekton.PipelineTask{
			{Name: "ref", TaskRef: &tekton.TaskRef{Name: "t"}},
			{Name: "inline", TaskSpec: &tekton.EmbeddedTask{TaskSpec: tekton.TaskSpec{Params: tekton.ParamSpecs{{Name: "x"}}}}},
		},
		Finally: []tekton.PipelineTask{{Name: "fin", TaskRef: &tekton.TaskRef{Name: "t"}}},
	}}
	defaults.Pipeline(p, nil, "")
	if p.Spec.Params[0].Type != tekton.ParamTypeArray {
		t.Errorf("param type %q", p.Spec.Params[0].Type)
	}
	if p.Spec.Tasks[0].TaskRef.Kind != "Task" || p.Spec.Finally[0].TaskRef.Kind != "Task" {
		t.Errorf("taskRef kinds not defaulted")
	}
	if p.Spec.Tasks[1].TaskSpec.Params[0].Type != tekton.ParamTypeString {
		t.Errorf("embedded param type %q", p.Spec.Tasks[1].TaskSpec.Params[0].Type)
	}
}

// A custom task's spec is free-form JSON, kept in canonical form so that the
// object the server validates is the one its JSON encoder stores, and
// re-applying it with other spacing or key order changes nothing (found by
// fuzzing).
func TestPipelineCustomTaskSpecNormalized(t *testing.T) {
	custom := func(raw string) tekton.PipelineTask {
		return tekton.PipelineTask{Name: "c", TaskSpec: &tekton.EmbeddedTask{
			APIVersion: "example.dev/v1", Kind: "Wait",
			Spec: runtime.RawExtension{Raw: []byte(raw)},
		}}
	}
	pr := &tekton.PipelineRun{Spec: tekton.PipelineRunSpec{PipelineSpec: &tekton.PipelineSpec{
		Tasks:   []tekton.PipelineTask{custom(`{ "b" : 1, "a" : [1, 2] }`)},
		Finally: []tekton.PipelineTask{custom("{\n}")},
	}}}
	defaults.PipelineRun(pr, nil, "")
	if got := string(pr.Spec.PipelineSpec.Tasks[0].TaskSpec.Spec.Raw); got != `{"a":[1,2],"b":1}` {
		t.Errorf("task spec = %s", got)
	}
	if got := string(pr.Spec.PipelineSpec.Finally[0].TaskSpec.Spec.Raw); got != `{}` {
		t.Errorf("finally task spec = %s", got)
	}
}

func TestPipelineRun(t *testing.T) {
	pr := &tekton.PipelineRun{Spec: tekton.PipelineRunSpec{
		PipelineSpec: &tekton.PipelineSpec{Params: tekton.ParamSpecs{{Name: "p"}}},
	}}
	defaults.PipelineRun(pr, nil, "")
	if pr.Spec.Timeouts == nil || pr.Spec.Timeouts.Pipeline == nil || pr.Spec.Timeouts.Pipeline.Duration != time.Hour {
		t.Errorf("timeouts = %+v", pr.Spec.Timeouts)
	}
	if pr.Spec.TaskRunTemplate.ServiceAccountName != "default" {
		t.Errorf("serviceAccountName = %q", pr.Spec.TaskRunTemplate.ServiceAccountName)
	}
	if pr.Spec.PipelineSpec.Params[0].Type != tekton.ParamTypeString {
		t.Errorf("pipelineSpec param type = %q", pr.Spec.PipelineSpec.Params[0].Type)
	}
	pr = &tekton.PipelineRun{Spec: tekton.PipelineRunSpec{Timeouts: &tekton.TimeoutFields{Pipeline: &metav1.Duration{}}}}
	defaults.PipelineRun(pr, nil, "")
	if pr.Spec.Timeouts.Pipeline.Duration != 0 {
		t.Errorf("explicit 0 timeout changed to %v", pr.Spec.Timeouts.Pipeline)
	}
}
