package validation_test

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/tekton"
	"github.com/knap-dev/knap/pkg/apis/tekton/defaults"
	"github.com/knap-dev/knap/pkg/apis/tekton/validation"
)

func newTask() *tekton.Task {
	t := &tekton.Task{
		ObjectMeta: metav1.ObjectMeta{Name: "build", Namespace: "default"},
		Spec: tekton.TaskSpec{
			Params: tekton.ParamSpecs{
				{Name: "msg", Default: tekton.NewStructuredValues("hi")},
				{Name: "flags", Type: tekton.ParamTypeArray},
				{Name: "cfg", Type: tekton.ParamTypeObject, Properties: map[string]tekton.PropertySpec{"url": {}}},
				{Name: "mode", Enum: []string{"fast", "slow"}, Default: tekton.NewStructuredValues("fast")},
			},
			Workspaces: []tekton.WorkspaceDeclaration{{Name: "src"}},
			Results:    []tekton.TaskResult{{Name: "digest"}},
			Steps: []tekton.Step{
				{
					Name:       "compile",
					Image:      "golang:$(params.msg)",
					Command:    []string{"go"},
					Args:       []string{"build", "$(params.flags[*])", "$(params.cfg.url)", "$(params.flags[0])"},
					WorkingDir: "$(workspaces.src.path)",
					Env:        []corev1.EnvVar{{Name: "MODE", Value: "$(params.mode)"}},
				},
				{
					Name:   "report",
					Image:  "alpine",
					Script: "echo $(params.msg) > $(results.digest.path); $(context.task.name); $(steps.compile.exitCode.path)",
				},
			},
		},
	}
	defaults.Task(t, nil, "")
	return t
}

func newTaskRun() *tekton.TaskRun {
	tr := &tekton.TaskRun{
		ObjectMeta: metav1.ObjectMeta{Name: "build-1", Namespace: "default"},
		Spec: tekton.TaskRunSpec{
			TaskRef:    &tekton.TaskRef{Name: "build"},
			Params:     tekton.Params{{Name: "msg", Value: *tekton.NewStructuredValues("x")}},
			Workspaces: []tekton.WorkspaceBinding{{Name: "src", EmptyDir: &corev1.EmptyDirVolumeSource{}}},
		},
	}
	defaults.TaskRun(tr, nil, "")
	return tr
}

// expectPath asserts errs has exactly one error per path in want, and only those.
func expectPaths(t *testing.T, errs field.ErrorList, want ...string) {
	t.Helper()
	got := map[string]bool{}
	for _, e := range errs {
		got[e.Field] = true
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("missing error at %s; got %v", w, errs)
		}
		delete(got, w)
	}
	for f := range got {
		t.Errorf("unexpected error at %s: %v", f, errs)
	}
}

func TestValidateTaskAccepts(t *testing.T) {
	expectPaths(t, validation.ValidateTask(newTask()))
	// A ref step needs no image.
	task := newTask()
	task.Spec.Steps = append(task.Spec.Steps, tekton.Step{Name: "action", Ref: &tekton.Ref{Name: "git-clone"}})
	expectPaths(t, validation.ValidateTask(task))
	// /tekton/home may be mounted.
	task = newTask()
	task.Spec.Steps[0].VolumeMounts = []corev1.VolumeMount{{Name: "home", MountPath: "/tekton/home"}}
	expectPaths(t, validation.ValidateTask(task))
}

func TestValidateTaskRejects(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*tekton.Task)
		path   string
	}{
		{"bad name", func(t *tekton.Task) { t.Name = "Build_1" }, "metadata.name"},
		{"dotted name", func(t *tekton.Task) { t.Name = "a.b" }, "metadata.name"},
		{"no steps", func(t *tekton.Task) { t.Spec.Steps = nil }, "spec.steps"},
		{"no image", func(t *tekton.Task) { t.Spec.Steps[1].Image = "" }, "spec.steps[1].image"},
		{"ref with image", func(t *tekton.Task) { t.Spec.Steps[1].Ref = &tekton.Ref{Name: "x"}; t.Spec.Steps[1].Script = "" }, "spec.steps[1].image"},
		{"script and command", func(t *tekton.Task) { t.Spec.Steps[1].Command = []string{"sh"} }, "spec.steps[1].script"},
		{"duplicate step", func(t *tekton.Task) { t.Spec.Steps[1].Name = "compile" }, "spec.steps[1].name"},
		{"step name not a label", func(t *tekton.Task) { t.Spec.Steps[1].Name = "Report" }, "spec.steps[1].name"},
		{"onError", func(t *tekton.Task) { t.Spec.Steps[0].OnError = "ignore" }, "spec.steps[0].onError"},
		{"step param without value", func(t *tekton.Task) {
			t.Spec.Steps[1] = tekton.Step{Name: "report", Ref: &tekton.Ref{Name: "a"}, Params: tekton.Params{{Name: "p"}}}
		}, "spec.steps[1].params[0].value"},
		{"step ref param without value", func(t *tekton.Task) {
			t.Spec.Steps[1] = tekton.Step{Name: "report", Ref: &tekton.Ref{ResolverRef: tekton.ResolverRef{Resolver: "git", Params: tekton.Params{{Name: "url"}}}}}
		}, "spec.steps[1].ref.params[0].value"},
		{"tekton mount", func(t *tekton.Task) {
			t.Spec.Steps[0].VolumeMounts = []corev1.VolumeMount{{Name: "v", MountPath: "/tekton/results"}}
		}, "spec.steps[0].volumeMounts[0].mountPath"},
		{"duplicate param", func(t *tekton.Task) {
			t.Spec.Params = append(t.Spec.Params, tekton.ParamSpec{Name: "msg", Type: "string"})
		}, "spec.params[4].name"},
		{"bad param name", func(t *tekton.Task) {
			t.Spec.Params = append(t.Spec.Params, tekton.ParamSpec{Name: "1x", Type: "string"})
		}, "spec.params[4].name"},
		{"param type", func(t *tekton.Task) { t.Spec.Params[0].Type = "int" }, "spec.params[0].type"},
		{"default type", func(t *tekton.Task) { t.Spec.Params[1].Default = tekton.NewStructuredValues("x") }, "spec.params[1].default"},
		{"object without properties", func(t *tekton.Task) {
			t.Spec.Params = append(t.Spec.Params, tekton.ParamSpec{Name: "o", Type: "object"})
		}, "spec.params[4].properties"},
		{"enum duplicate", func(t *tekton.Task) { t.Spec.Params[3].Enum = []string{"fast", "fast"} }, "spec.params[3].enum[1]"},
		{"default not in enum", func(t *tekton.Task) { t.Spec.Params[3].Default = tekton.NewStructuredValues("medium") }, "spec.params[3].default"},
		{"duplicate result", func(t *tekton.Task) { t.Spec.Results = append(t.Spec.Results, tekton.TaskResult{Name: "digest"}) }, "spec.results[1].name"},
		{"bad result name", func(t *tekton.Task) { t.Spec.Results[0].Name = "-digest"; t.Spec.Steps[1].Script = "" }, "spec.results[0].name"},
		{"duplicate workspace", func(t *tekton.Task) {
			t.Spec.Workspaces = append(t.Spec.Workspaces, tekton.WorkspaceDeclaration{Name: "src"})
		}, "spec.workspaces[1].name"},
		{"undeclared param in args", func(t *tekton.Task) { t.Spec.Steps[0].Args[1] = "$(params.nope)" }, "spec.steps[0].args[1]"},
		{"undeclared param in image", func(t *tekton.Task) { t.Spec.Steps[0].Image = "$(params.img)" }, "spec.steps[0].image"},
		{"undeclared param in command", func(t *tekton.Task) { t.Spec.Steps[0].Command[0] = "$(params['x'])" }, "spec.steps[0].command[0]"},
		{"undeclared param in env", func(t *tekton.Task) { t.Spec.Steps[0].Env[0].Value = "$(params.x)" }, "spec.steps[0].env[0].value"},
		{"undeclared param in script", func(t *tekton.Task) { t.Spec.Steps[1].Script = "$(params.x)" }, "spec.steps[1].script"},
		{"undeclared workspace", func(t *tekton.Task) { t.Spec.Steps[0].WorkingDir = "$(workspaces.out.path)" }, "spec.steps[0].workingDir"},
		{"bad workspace suffix", func(t *tekton.Task) { t.Spec.Steps[0].WorkingDir = "$(workspaces.src.size)" }, "spec.steps[0].workingDir"},
		{"undeclared result", func(t *tekton.Task) { t.Spec.Steps[1].Script = "echo > $(results.other.path)" }, "spec.steps[1].script"},
		{"array in script", func(t *tekton.Task) { t.Spec.Steps[1].Script = "echo $(params.flags[*])" }, "spec.steps[1].script"},
		{"array embedded in arg", func(t *tekton.Task) { t.Spec.Steps[0].Args[1] = "-x=$(params.flags[*])" }, "spec.steps[0].args[1]"},
		{"unknown object key", func(t *tekton.Task) { t.Spec.Steps[0].Args[2] = "$(params.cfg.port)" }, "spec.steps[0].args[2]"},
		{"undeclared step workspace", func(t *tekton.Task) {
			t.Spec.Steps[0].Workspaces = []tekton.WorkspaceUsage{{Name: "out", MountPath: "/out"}}
		}, "spec.steps[0].workspaces[0].name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			task := newTask()
			c.mutate(task)
			expectPaths(t, validation.ValidateTask(task), c.path)
		})
	}
}

func TestValidateTaskErrorNamesVariable(t *testing.T) {
	task := newTask()
	task.Spec.Steps[0].Args[1] = "$(params.nope)"
	errs := validation.ValidateTask(task)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `"nope"`) {
		t.Errorf("want one error naming the param, got %v", errs)
	}
}

func TestValidateTaskRunAccepts(t *testing.T) {
	expectPaths(t, validation.ValidateTaskRun(newTaskRun()))
	tr := newTaskRun()
	tr.Spec.TaskRef = nil
	tr.Spec.TaskSpec = &newTask().Spec
	expectPaths(t, validation.ValidateTaskRun(tr))
	tr = newTaskRun()
	tr.Spec.TaskRef = &tekton.TaskRef{ResolverRef: tekton.ResolverRef{Resolver: "git", Params: tekton.Params{{Name: "url", Value: *tekton.NewStructuredValues("u")}}}}
	expectPaths(t, validation.ValidateTaskRun(tr))
}

func TestValidateTaskRunRejects(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*tekton.TaskRun)
		path   string
	}{
		{"bad name", func(tr *tekton.TaskRun) { tr.Name = "BAD" }, "metadata.name"},
		{"both", func(tr *tekton.TaskRun) { tr.Spec.TaskSpec = &newTask().Spec }, "spec.taskRef"},
		{"neither", func(tr *tekton.TaskRun) { tr.Spec.TaskRef = nil }, "spec.taskRef"},
		{"ref without name", func(tr *tekton.TaskRun) { tr.Spec.TaskRef.Name = "" }, "spec.taskRef.name"},
		{"ref name and resolver", func(tr *tekton.TaskRun) { tr.Spec.TaskRef.Resolver = "git" }, "spec.taskRef.name"},
		{"invalid taskSpec", func(tr *tekton.TaskRun) {
			tr.Spec.TaskRef = nil
			tr.Spec.TaskSpec = &newTask().Spec
			tr.Spec.TaskSpec.Steps[0].Image = ""
		}, "spec.taskSpec.steps[0].image"},
		{"duplicate param", func(tr *tekton.TaskRun) { tr.Spec.Params = append(tr.Spec.Params, tr.Spec.Params[0]) }, "spec.params[1].name"},
		// A param without a value would be stored as "" and read back as a
		// string: another object than the one validated (found by fuzzing).
		{"param without value", func(tr *tekton.TaskRun) { tr.Spec.Params[0].Value = tekton.ParamValue{} }, "spec.params[0].value"},
		{"negative timeout", func(tr *tekton.TaskRun) { tr.Spec.Timeout = &metav1.Duration{Duration: -time.Second} }, "spec.timeout"},
		{"negative retries", func(tr *tekton.TaskRun) { tr.Spec.Retries = -1 }, "spec.retries"},
		{"no volume source", func(tr *tekton.TaskRun) { tr.Spec.Workspaces[0].EmptyDir = nil }, "spec.workspaces[0]"},
		{"two volume sources", func(tr *tekton.TaskRun) {
			tr.Spec.Workspaces[0].ConfigMap = &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "c"}}
		}, "spec.workspaces[0]"},
		{"duplicate workspace", func(tr *tekton.TaskRun) { tr.Spec.Workspaces = append(tr.Spec.Workspaces, tr.Spec.Workspaces[0]) }, "spec.workspaces[1].name"},
		{"status", func(tr *tekton.TaskRun) { tr.Spec.Status = "Paused" }, "spec.status"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := newTaskRun()
			c.mutate(tr)
			expectPaths(t, validation.ValidateTaskRun(tr), c.path)
		})
	}
}

func TestValidateTaskRunUpdate(t *testing.T) {
	old := newTaskRun()
	old.ResourceVersion = "1"

	// Not started: the spec may change.
	tr := old.DeepCopy()
	tr.Spec.Params[0].Value = *tekton.NewStructuredValues("y")
	expectPaths(t, validation.ValidateTaskRunUpdate(tr, old))

	// Started: only cancellation.
	started := old.DeepCopy()
	started.Status.StartTime = &metav1.Time{Time: time.Now()}
	tr = started.DeepCopy()
	tr.Spec.Status = tekton.TaskRunSpecStatusCancelled
	tr.Spec.StatusMessage = "stop"
	expectPaths(t, validation.ValidateTaskRunUpdate(tr, started))
	tr.Spec.Params[0].Value = *tekton.NewStructuredValues("y")
	expectPaths(t, validation.ValidateTaskRunUpdate(tr, started), "spec")

	// A Succeeded condition also counts as started.
	done := old.DeepCopy()
	done.Status.Conditions = []duckv1.Condition{{Type: duckv1.ConditionSucceeded, Status: corev1.ConditionTrue}}
	tr = done.DeepCopy()
	tr.Spec.Retries = 2
	expectPaths(t, validation.ValidateTaskRunUpdate(tr, done), "spec")
}

func TestValidateTaskUpdate(t *testing.T) {
	old := newTask()
	old.ResourceVersion = "1"
	task := old.DeepCopy()
	task.Spec.Steps[0].Image = "golang:1.25"
	expectPaths(t, validation.ValidateTaskUpdate(task, old))
}
