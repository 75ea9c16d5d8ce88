package validation_test

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/selection"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/tekton"
	"github.com/knap-dev/knap/pkg/apis/tekton/defaults"
	"github.com/knap-dev/knap/pkg/apis/tekton/validation"
)

func sv(s string) tekton.ParamValue { return *tekton.NewStructuredValues(s) }

func newPipeline() *tekton.Pipeline {
	p := &tekton.Pipeline{
		ObjectMeta: metav1.ObjectMeta{Name: "ci", Namespace: "default"},
		Spec: tekton.PipelineSpec{
			Params:     tekton.ParamSpecs{{Name: "repo"}, {Name: "flags", Type: tekton.ParamTypeArray}},
			Workspaces: []tekton.PipelineWorkspaceDeclaration{{Name: "shared"}},
			Tasks: []tekton.PipelineTask{
				{
					Name:       "fetch",
					TaskRef:    &tekton.TaskRef{Name: "git-clone"},
					Params:     tekton.Params{{Name: "url", Value: sv("$(params.repo)")}},
					Workspaces: []tekton.WorkspacePipelineTaskBinding{{Name: "output", Workspace: "shared"}},
				},
				{
					Name:     "build",
					TaskSpec: &tekton.EmbeddedTask{TaskSpec: newTask().Spec},
					RunAfter: []string{"fetch"},
					Params: tekton.Params{
						{Name: "msg", Value: sv("$(tasks.fetch.results.commit)")},
						{Name: "flags", Value: *tekton.NewStructuredValues("$(params.flags[*])", "-v")},
					},
					When:       tekton.WhenExpressions{{Input: "$(params.repo)", Operator: selection.NotIn, Values: []string{""}}},
					Workspaces: []tekton.WorkspacePipelineTaskBinding{{Name: "src", Workspace: "shared"}},
					Retries:    2,
					Timeout:    &metav1.Duration{Duration: time.Minute},
				},
				{Name: "test", TaskRef: &tekton.TaskRef{ResolverRef: tekton.ResolverRef{Resolver: "git"}}, RunAfter: []string{"build"}},
			},
			Finally: []tekton.PipelineTask{
				{
					Name:    "notify",
					TaskRef: &tekton.TaskRef{Name: "notify"},
					Params:  tekton.Params{{Name: "sha", Value: sv("$(tasks.fetch.results.commit) $(tasks.build.status)")}},
					OnError: tekton.PipelineTaskContinue,
				},
			},
			Results: []tekton.PipelineResult{{Name: "commit", Value: sv("$(tasks.fetch.results.commit)")}},
		},
	}
	defaults.Pipeline(p, nil, "")
	return p
}

func TestValidatePipelineAccepts(t *testing.T) {
	expectPaths(t, validation.ValidatePipeline(newPipeline()))
	// Tasks may be empty when the spec declares something else.
	p := newPipeline()
	p.Spec.Tasks, p.Spec.Finally, p.Spec.Results = nil, nil, nil
	expectPaths(t, validation.ValidatePipeline(p))
	// A binding without workspace names a pipeline workspace by its own name.
	p = newPipeline()
	p.Spec.Tasks[0].Workspaces[0] = tekton.WorkspacePipelineTaskBinding{Name: "shared"}
	expectPaths(t, validation.ValidatePipeline(p))
	// A cel when expression.
	p = newPipeline()
	p.Spec.Tasks[1].When = tekton.WhenExpressions{{CEL: "'$(params.repo)' != ''"}}
	expectPaths(t, validation.ValidatePipeline(p))
	// A diamond is not a cycle.
	p = newPipeline()
	p.Spec.Tasks[2].RunAfter = []string{"build", "fetch"}
	expectPaths(t, validation.ValidatePipeline(p))
	// Finally tasks may read execution status.
	p = newPipeline()
	p.Spec.Finally[0].When = tekton.WhenExpressions{{Input: "$(tasks.status)", Operator: selection.In, Values: []string{"Failed"}}}
	expectPaths(t, validation.ValidatePipeline(p))
	// A result from a finally task.
	p = newPipeline()
	p.Spec.Results[0].Value = sv("$(finally.notify.results.x)")
	expectPaths(t, validation.ValidatePipeline(p))
	// Update.
	old := newPipeline()
	old.ResourceVersion = "1"
	p = old.DeepCopy()
	p.Spec.Tasks[0].Retries = 3
	expectPaths(t, validation.ValidatePipelineUpdate(p, old))
}

func TestValidatePipelineRejects(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*tekton.Pipeline)
		path   string
	}{
		{"bad name", func(p *tekton.Pipeline) { p.Name = "CI" }, "metadata.name"},
		{"empty spec", func(p *tekton.Pipeline) { p.Spec = tekton.PipelineSpec{} }, "spec.tasks"},
		{"finally without tasks", func(p *tekton.Pipeline) { p.Spec.Tasks, p.Spec.Results, p.Spec.Finally[0].Params = nil, nil, nil }, "spec.finally"},
		{"task name not a label", func(p *tekton.Pipeline) { p.Spec.Tasks[2].Name = "Test_1" }, "spec.tasks[2].name"},
		{"duplicate task name", func(p *tekton.Pipeline) { p.Spec.Tasks[2].Name = "fetch"; p.Spec.Tasks[2].RunAfter = nil }, "spec.tasks[2].name"},
		{"finally duplicates task", func(p *tekton.Pipeline) { p.Spec.Finally[0].Name = "test" }, "spec.finally[0].name"},
		{"ref and spec", func(p *tekton.Pipeline) { p.Spec.Tasks[1].TaskRef = &tekton.TaskRef{Name: "x"} }, "spec.tasks[1].taskRef"},
		{"neither ref nor spec", func(p *tekton.Pipeline) { p.Spec.Tasks[0].TaskRef = nil }, "spec.tasks[0].taskRef"},
		{"ref without name", func(p *tekton.Pipeline) { p.Spec.Tasks[0].TaskRef.Name = "" }, "spec.tasks[0].taskRef.name"},
		{"invalid taskSpec", func(p *tekton.Pipeline) { p.Spec.Tasks[1].TaskSpec.Steps[0].Image = "" }, "spec.tasks[1].taskSpec.steps[0].image"},
		{"pipeline in pipeline", func(p *tekton.Pipeline) { p.Spec.Tasks[0].PipelineRef = &tekton.PipelineRef{Name: "x"} }, "spec.tasks[0].pipelineRef"},
		{"duplicate pipeline param", func(p *tekton.Pipeline) {
			p.Spec.Params = append(p.Spec.Params, tekton.ParamSpec{Name: "repo", Type: "string"})
		}, "spec.params[2].name"},
		{"bad pipeline param type", func(p *tekton.Pipeline) { p.Spec.Params[0].Type = "int" }, "spec.params[0].type"},
		{"duplicate task param", func(p *tekton.Pipeline) {
			p.Spec.Tasks[0].Params = append(p.Spec.Tasks[0].Params, p.Spec.Tasks[0].Params[0])
		}, "spec.tasks[0].params[1].name"},
		{"task param without value", func(p *tekton.Pipeline) { p.Spec.Tasks[0].Params[0].Value = tekton.ParamValue{} }, "spec.tasks[0].params[0].value"},
		{"matrix param without value", func(p *tekton.Pipeline) {
			p.Spec.Tasks[0].Matrix = &tekton.Matrix{Params: tekton.Params{{Name: "os"}}}
		}, "spec.tasks[0].matrix.params[0].value"},
		{"matrix include param without value", func(p *tekton.Pipeline) {
			p.Spec.Tasks[0].Matrix = &tekton.Matrix{Include: tekton.IncludeParamsList{{Name: "arm", Params: tekton.Params{{Name: "os"}}}}}
		}, "spec.tasks[0].matrix.include[0].params[0].value"},
		{"undeclared param", func(p *tekton.Pipeline) { p.Spec.Tasks[0].Params[0].Value = sv("$(params.url)") }, "spec.tasks[0].params[0].value"},
		{"undeclared param in array", func(p *tekton.Pipeline) {
			p.Spec.Tasks[1].Params[1].Value = *tekton.NewStructuredValues("$(params.nope[*])")
		}, "spec.tasks[1].params[1].value"},
		{"undeclared param in finally", func(p *tekton.Pipeline) { p.Spec.Finally[0].Params[0].Value = sv("$(params.x)") }, "spec.finally[0].params[0].value"},
		{"undeclared param in when", func(p *tekton.Pipeline) { p.Spec.Tasks[1].When[0].Input = "$(params.x)" }, "spec.tasks[1].when[0].input"},
		{"result of missing task", func(p *tekton.Pipeline) {
			p.Spec.Tasks[1].Params[0].Value = sv("$(tasks.nope.results.commit)")
		}, "spec.tasks[1].params[0].value"},
		{"task uses finally result", func(p *tekton.Pipeline) {
			p.Spec.Tasks[1].Params[0].Value = sv("$(tasks.notify.results.x)")
		}, "spec.tasks[1].params[0].value"},
		{"finally uses finally result", func(p *tekton.Pipeline) {
			p.Spec.Finally = append(p.Spec.Finally, tekton.PipelineTask{Name: "last", TaskRef: &tekton.TaskRef{Name: "x"},
				Params: tekton.Params{{Name: "a", Value: sv("$(tasks.notify.results.x)")}}})
		}, "spec.finally[1].params[0].value"},
		{"result ref in when values", func(p *tekton.Pipeline) {
			p.Spec.Tasks[1].When[0].Values = []string{"$(tasks.nope.results.r)"}
		}, "spec.tasks[1].when[0].values[0]"},
		{"runAfter missing", func(p *tekton.Pipeline) { p.Spec.Tasks[2].RunAfter = []string{"nope"} }, "spec.tasks[2].runAfter[0]"},
		{"runAfter finally", func(p *tekton.Pipeline) { p.Spec.Tasks[2].RunAfter = []string{"notify"} }, "spec.tasks[2].runAfter[0]"},
		{"runAfter self", func(p *tekton.Pipeline) { p.Spec.Tasks[2].RunAfter = []string{"test"} }, "spec.tasks[2].runAfter[0]"},
		{"runAfter cycle", func(p *tekton.Pipeline) { p.Spec.Tasks[0].RunAfter = []string{"test"} }, "spec.tasks"},
		{"result cycle", func(p *tekton.Pipeline) {
			p.Spec.Tasks[0].Params[0].Value = sv("$(tasks.build.results.digest)")
		}, "spec.tasks"},
		{"self result", func(p *tekton.Pipeline) {
			p.Spec.Tasks[2].Params = tekton.Params{{Name: "a", Value: sv("$(tasks.test.results.r)")}}
		}, "spec.tasks"},
		{"when operator", func(p *tekton.Pipeline) { p.Spec.Tasks[1].When[0].Operator = selection.Equals }, "spec.tasks[1].when[0].operator"},
		{"when values empty", func(p *tekton.Pipeline) { p.Spec.Tasks[1].When[0].Values = nil }, "spec.tasks[1].when[0].values"},
		{"when input empty", func(p *tekton.Pipeline) { p.Spec.Tasks[1].When[0].Input = "" }, "spec.tasks[1].when[0].input"},
		{"cel with input", func(p *tekton.Pipeline) { p.Spec.Tasks[1].When[0].CEL = "true" }, "spec.tasks[1].when[0].cel"},
		{"duplicate pipeline workspace", func(p *tekton.Pipeline) {
			p.Spec.Workspaces = append(p.Spec.Workspaces, tekton.PipelineWorkspaceDeclaration{Name: "shared"})
		}, "spec.workspaces[1].name"},
		{"empty pipeline workspace", func(p *tekton.Pipeline) {
			p.Spec.Workspaces = append(p.Spec.Workspaces, tekton.PipelineWorkspaceDeclaration{})
		}, "spec.workspaces[1].name"},
		{"undeclared workspace", func(p *tekton.Pipeline) { p.Spec.Tasks[0].Workspaces[0].Workspace = "other" }, "spec.tasks[0].workspaces[0].workspace"},
		{"undeclared workspace by name", func(p *tekton.Pipeline) {
			p.Spec.Tasks[0].Workspaces[0] = tekton.WorkspacePipelineTaskBinding{Name: "output"}
		}, "spec.tasks[0].workspaces[0].name"},
		{"duplicate binding", func(p *tekton.Pipeline) {
			p.Spec.Tasks[0].Workspaces = append(p.Spec.Tasks[0].Workspaces, p.Spec.Tasks[0].Workspaces[0])
		}, "spec.tasks[0].workspaces[1].name"},
		{"duplicate result", func(p *tekton.Pipeline) { p.Spec.Results = append(p.Spec.Results, p.Spec.Results[0]) }, "spec.results[1].name"},
		{"bad result name", func(p *tekton.Pipeline) { p.Spec.Results[0].Name = "-x" }, "spec.results[0].name"},
		{"bad result type", func(p *tekton.Pipeline) { p.Spec.Results[0].Type = "int" }, "spec.results[0].type"},
		{"result of missing task", func(p *tekton.Pipeline) { p.Spec.Results[0].Value = sv("$(tasks.nope.results.r)") }, "spec.results[0].value"},
		{"result of missing finally", func(p *tekton.Pipeline) { p.Spec.Results[0].Value = sv("$(finally.nope.results.r)") }, "spec.results[0].value"},
		{"result without reference", func(p *tekton.Pipeline) { p.Spec.Results[0].Value = sv("constant") }, "spec.results[0].value"},
		{"execution status in tasks", func(p *tekton.Pipeline) {
			p.Spec.Tasks[1].Params[0].Value = sv("$(tasks.fetch.status)")
		}, "spec.tasks[1].params[0].value"},
		{"aggregate status in tasks", func(p *tekton.Pipeline) { p.Spec.Tasks[1].When[0].Input = "$(tasks.status)" }, "spec.tasks[1].when[0].input"},
		{"status of missing task", func(p *tekton.Pipeline) { p.Spec.Finally[0].Params[0].Value = sv("$(tasks.nope.status)") }, "spec.finally[0].params[0].value"},
		{"undeclared param in embedded step", func(p *tekton.Pipeline) {
			p.Spec.Tasks[1].TaskSpec.Steps[1].Script = "echo $(params.repo)"
		}, "spec.tasks[1].taskSpec.steps[1].script"},
		{"finally runAfter", func(p *tekton.Pipeline) { p.Spec.Finally[0].RunAfter = []string{"fetch"} }, "spec.finally[0].runAfter"},
		{"negative retries", func(p *tekton.Pipeline) { p.Spec.Tasks[0].Retries = -1 }, "spec.tasks[0].retries"},
		{"negative timeout", func(p *tekton.Pipeline) { p.Spec.Tasks[0].Timeout = &metav1.Duration{Duration: -time.Second} }, "spec.tasks[0].timeout"},
		{"onError", func(p *tekton.Pipeline) { p.Spec.Tasks[0].OnError = "ignore" }, "spec.tasks[0].onError"},
		{"onError continue with retries", func(p *tekton.Pipeline) { p.Spec.Tasks[1].OnError = tekton.PipelineTaskContinue }, "spec.tasks[1].onError"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newPipeline()
			c.mutate(p)
			expectPaths(t, validation.ValidatePipeline(p), c.path)
		})
	}
}

func TestValidatePipelineCycleNamesTasks(t *testing.T) {
	p := newPipeline()
	p.Spec.Tasks[0].RunAfter = []string{"test"}
	errs := validation.ValidatePipeline(p)
	if len(errs) != 1 {
		t.Fatalf("want one error, got %v", errs)
	}
	for _, n := range []string{"fetch", "build", "test"} {
		if !strings.Contains(errs[0].Error(), n) {
			t.Errorf("cycle error %q does not name %q", errs[0].Error(), n)
		}
	}
}

func newPipelineRun() *tekton.PipelineRun {
	pr := &tekton.PipelineRun{
		ObjectMeta: metav1.ObjectMeta{Name: "ci-1", Namespace: "default"},
		Spec: tekton.PipelineRunSpec{
			PipelineRef:  &tekton.PipelineRef{Name: "ci"},
			Params:       tekton.Params{{Name: "repo", Value: sv("https://x")}},
			Workspaces:   []tekton.WorkspaceBinding{{Name: "shared", EmptyDir: &corev1.EmptyDirVolumeSource{}}},
			Timeouts:     &tekton.TimeoutFields{Pipeline: &metav1.Duration{Duration: time.Hour}, Tasks: &metav1.Duration{Duration: 40 * time.Minute}, Finally: &metav1.Duration{Duration: 20 * time.Minute}},
			TaskRunSpecs: []tekton.PipelineTaskRunSpec{{PipelineTaskName: "build"}},
		},
	}
	defaults.PipelineRun(pr, nil, "")
	return pr
}

func TestValidatePipelineRunAccepts(t *testing.T) {
	expectPaths(t, validation.ValidatePipelineRun(newPipelineRun()))
	pr := newPipelineRun()
	pr.Spec.PipelineRef = nil
	pr.Spec.PipelineSpec = &newPipeline().Spec
	expectPaths(t, validation.ValidatePipelineRun(pr))
	// An embedded pipelineSpec may use params and workspaces propagated from
	// the run, which a Pipeline must declare.
	pr = newPipelineRun()
	pr.Spec.PipelineRef = nil
	pr.Spec.PipelineSpec = &newPipeline().Spec
	pr.Spec.PipelineSpec.Params, pr.Spec.PipelineSpec.Workspaces = nil, nil
	pr.Spec.PipelineSpec.Tasks[1].TaskSpec.Steps[1].Script = "echo $(params.repo) > $(workspaces.shared.path)/x"
	expectPaths(t, validation.ValidatePipelineRun(pr))
	p := &tekton.Pipeline{ObjectMeta: metav1.ObjectMeta{Name: "ci", Namespace: "default"}, Spec: *pr.Spec.PipelineSpec}
	expectPaths(t, validation.ValidatePipeline(p),
		"spec.tasks[0].params[0].value", "spec.tasks[0].workspaces[0].workspace", "spec.tasks[1].params[1].value",
		"spec.tasks[1].when[0].input", "spec.tasks[1].workspaces[0].workspace", "spec.tasks[1].taskSpec.steps[1].script")
	// No pipeline timeout: tasks and finally are unbounded.
	pr = newPipelineRun()
	pr.Spec.Timeouts.Pipeline.Duration = 0
	pr.Spec.Timeouts.Tasks.Duration = 5 * time.Hour
	expectPaths(t, validation.ValidatePipelineRun(pr))
	for _, s := range []tekton.PipelineRunSpecStatus{tekton.PipelineRunSpecStatusCancelled, tekton.PipelineRunSpecStatusCancelledRunFinally,
		tekton.PipelineRunSpecStatusStoppedRunFinally, tekton.PipelineRunSpecStatusPending} {
		pr = newPipelineRun()
		pr.Spec.Status = s
		expectPaths(t, validation.ValidatePipelineRun(pr))
	}
}

func TestValidatePipelineRunRejects(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*tekton.PipelineRun)
		path   string
	}{
		{"bad name", func(pr *tekton.PipelineRun) { pr.Name = "CI" }, "metadata.name"},
		{"both", func(pr *tekton.PipelineRun) { pr.Spec.PipelineSpec = &newPipeline().Spec }, "spec.pipelineRef"},
		{"neither", func(pr *tekton.PipelineRun) { pr.Spec.PipelineRef = nil }, "spec.pipelineRef"},
		{"ref without name", func(pr *tekton.PipelineRun) { pr.Spec.PipelineRef.Name = "" }, "spec.pipelineRef.name"},
		{"invalid pipelineSpec", func(pr *tekton.PipelineRun) {
			pr.Spec.PipelineRef = nil
			pr.Spec.PipelineSpec = &newPipeline().Spec
			pr.Spec.PipelineSpec.Tasks[2].RunAfter = []string{"nope"}
		}, "spec.pipelineSpec.tasks[2].runAfter[0]"},
		{"duplicate param", func(pr *tekton.PipelineRun) { pr.Spec.Params = append(pr.Spec.Params, pr.Spec.Params[0]) }, "spec.params[1].name"},
		{"status", func(pr *tekton.PipelineRun) { pr.Spec.Status = "Paused" }, "spec.status"},
		{"negative pipeline timeout", func(pr *tekton.PipelineRun) { pr.Spec.Timeouts.Pipeline.Duration = -time.Second }, "spec.timeouts.pipeline"},
		{"negative tasks timeout", func(pr *tekton.PipelineRun) { pr.Spec.Timeouts.Tasks.Duration = -time.Second }, "spec.timeouts.tasks"},
		{"negative finally timeout", func(pr *tekton.PipelineRun) { pr.Spec.Timeouts.Finally.Duration = -time.Second }, "spec.timeouts.finally"},
		{"tasks over pipeline", func(pr *tekton.PipelineRun) { pr.Spec.Timeouts.Tasks.Duration = 2 * time.Hour }, "spec.timeouts.tasks"},
		{"finally over pipeline", func(pr *tekton.PipelineRun) { pr.Spec.Timeouts.Finally.Duration = 2 * time.Hour }, "spec.timeouts.finally"},
		{"sum over pipeline", func(pr *tekton.PipelineRun) { pr.Spec.Timeouts.Tasks.Duration = 50 * time.Minute }, "spec.timeouts"},
		{"no volume source", func(pr *tekton.PipelineRun) { pr.Spec.Workspaces[0].EmptyDir = nil }, "spec.workspaces[0]"},
		{"duplicate workspace", func(pr *tekton.PipelineRun) { pr.Spec.Workspaces = append(pr.Spec.Workspaces, pr.Spec.Workspaces[0]) }, "spec.workspaces[1].name"},
		{"empty taskRunSpec name", func(pr *tekton.PipelineRun) { pr.Spec.TaskRunSpecs[0].PipelineTaskName = "" }, "spec.taskRunSpecs[0].pipelineTaskName"},
		{"duplicate taskRunSpec", func(pr *tekton.PipelineRun) {
			pr.Spec.TaskRunSpecs = append(pr.Spec.TaskRunSpecs, pr.Spec.TaskRunSpecs[0])
		}, "spec.taskRunSpecs[1].pipelineTaskName"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pr := newPipelineRun()
			c.mutate(pr)
			expectPaths(t, validation.ValidatePipelineRun(pr), c.path)
		})
	}
}

func TestValidatePipelineRunUpdate(t *testing.T) {
	old := newPipelineRun()
	old.ResourceVersion = "1"
	old.Spec.Status = tekton.PipelineRunSpecStatusPending

	// Not started: the spec may change, and pending may be lifted.
	pr := old.DeepCopy()
	pr.Spec.Status = ""
	pr.Spec.Params[0].Value = sv("y")
	expectPaths(t, validation.ValidatePipelineRunUpdate(pr, old))

	// Started: only cancellation.
	started := old.DeepCopy()
	started.Spec.Status = ""
	started.Status.StartTime = &metav1.Time{Time: time.Now()}
	for _, s := range []tekton.PipelineRunSpecStatus{tekton.PipelineRunSpecStatusCancelled, tekton.PipelineRunSpecStatusCancelledRunFinally, tekton.PipelineRunSpecStatusStoppedRunFinally} {
		pr = started.DeepCopy()
		pr.Spec.Status = s
		expectPaths(t, validation.ValidatePipelineRunUpdate(pr, started))
	}
	pr = started.DeepCopy()
	pr.Spec.Status = tekton.PipelineRunSpecStatusPending
	expectPaths(t, validation.ValidatePipelineRunUpdate(pr, started), "spec.status")
	pr = started.DeepCopy()
	pr.Spec.Params[0].Value = sv("y")
	expectPaths(t, validation.ValidatePipelineRunUpdate(pr, started), "spec")

	// A Succeeded condition also counts as started.
	done := started.DeepCopy()
	done.Status.StartTime = nil
	done.Status.Conditions = []duckv1.Condition{{Type: duckv1.ConditionSucceeded, Status: corev1.ConditionTrue}}
	pr = done.DeepCopy()
	pr.Spec.Timeouts.Pipeline.Duration = 2 * time.Hour
	expectPaths(t, validation.ValidatePipelineRunUpdate(pr, done), "spec")

	// managedBy never changes.
	pr = old.DeepCopy()
	m := "other"
	pr.Spec.ManagedBy = &m
	expectPaths(t, validation.ValidatePipelineRunUpdate(pr, old), "spec.managedBy")
}
