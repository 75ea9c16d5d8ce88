package integration

import (
	"os"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	tektonv1 "github.com/knap-dev/knap/pkg/apis/tekton/v1"
)

// The tekton.dev kinds through the real server: a lifecycle per kind
// (starting from artifacts/examples/build), the refusals Tekton's webhook
// makes, defaults, the frozen spec of a started run and field selectors.

// exampleDoc returns the document of kind in an artifacts/examples/build file.
func exampleDoc(t *testing.T, file, kind string) string {
	t.Helper()
	data, err := os.ReadFile("../../artifacts/examples/build/" + file)
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range strings.Split(string(data), "\n---\n") {
		var meta metav1.TypeMeta
		if err := yaml.Unmarshal([]byte(doc), &meta); err == nil && meta.Kind == kind {
			return doc
		}
	}
	t.Fatalf("%s has no %s", file, kind)
	return ""
}

const (
	taskHead     = "apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\n"
	pipelineHead = "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p}\n"
	step         = "  - {name: s, image: busybox}\n"
	// nestedStep is step under taskSpec.
	nestedStep = "    - {name: s, image: busybox}\n"
)

func TestTaskLifecycle(t *testing.T) {
	invalid := refusals{}.
		add(taskHead+"spec: {}\n", "spec.steps").
		add(taskHead+"spec:\n  steps:\n  - {name: s, image: busybox, command: [sh], script: echo}\n", "spec.steps[0].script").
		add(taskHead+"spec:\n  steps:\n  - {name: s, image: busybox, volumeMounts: [{name: v, mountPath: /tekton/results}]}\n", "spec.steps[0].volumeMounts[0].mountPath").
		add(taskHead+"spec:\n  steps:\n"+step+step, "spec.steps[1].name").
		add(taskHead+"spec:\n  params: [{name: a}, {name: a}]\n  steps:\n"+step, "spec.params[1].name").
		add(taskHead+"spec:\n  results: [{name: r}, {name: r}]\n  steps:\n"+step, "spec.results[1].name").
		add(taskHead+"spec:\n  workspaces: [{name: w}, {name: w}]\n  steps:\n"+step, "spec.workspaces[1].name").
		add(taskHead+"spec:\n  params: [{name: a, type: array, default: x}]\n  steps:\n"+step, "spec.params[0].default").
		add(taskHead+"spec:\n  steps:\n  - {name: s, image: busybox, script: 'echo $(params.missing)'}\n", "spec.steps[0].script").
		add(taskHead+"spec:\n  steps:\n  - {name: s, image: busybox, workingDir: $(workspaces.missing.path)}\n", "spec.steps[0].workingDir").
		add(taskHead+"spec:\n  steps:\n  - {name: s, image: busybox, args: [$(results.missing.path)]}\n", "spec.steps[0].args[0]").
		add(taskHead+"spec:\n  steps:\n  - {name: s, image: busybox, onError: ignore}\n", "spec.steps[0].onError")
	testLifecycle[tektonv1.Task](t, lifecycle[*tektonv1.Task, *tektonv1.TaskList]{
		client: func(ns string) kindClient[*tektonv1.Task, *tektonv1.TaskList] {
			return server.client.TektonV1().Tasks(ns)
		},
		manifest: exampleDoc(t, "task.yaml", "Task"),
		count:    func(l *tektonv1.TaskList) int { return len(l.Items) },
		invalid:  invalid,
	})
}

func TestTaskRunLifecycle(t *testing.T) {
	const head = "apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: tr}\n"
	invalid := refusals{}.
		add(head+"spec: {}\n", "spec.taskRef").
		add(head+"spec:\n  taskRef: {name: t}\n  taskSpec:\n    steps:\n"+nestedStep, "spec.taskRef").
		add(head+"spec:\n  taskRef: {name: t}\n  status: Paused\n", "spec.status").
		add(head+"spec:\n  taskRef: {name: t}\n  params: [{name: a, value: one}, {name: a, value: two}]\n", "spec.params[1].name").
		add(head+"spec:\n  taskRef: {name: t}\n  timeout: -1m\n", "spec.timeout").
		add(head+"spec:\n  taskRef: {name: t}\n  workspaces: [{name: w, emptyDir: {}, secret: {secretName: s}}]\n", "spec.workspaces[0]")
	testLifecycle[tektonv1.TaskRun](t, lifecycle[*tektonv1.TaskRun, *tektonv1.TaskRunList]{
		client: func(ns string) kindClient[*tektonv1.TaskRun, *tektonv1.TaskRunList] {
			return server.client.TektonV1().TaskRuns(ns)
		},
		manifest:  exampleDoc(t, "task.yaml", "TaskRun"),
		status:    func(o *tektonv1.TaskRun) *duckv1.Status { return &o.Status.Status },
		condition: duckv1.ConditionSucceeded,
		count:     func(l *tektonv1.TaskRunList) int { return len(l.Items) },
		invalid:   invalid,
	})
}

func TestPipelineLifecycle(t *testing.T) {
	const task = "  - name: %s\n    taskRef: {name: t}\n"
	invalid := refusals{}.
		add(pipelineHead+"spec: {}\n", "spec.tasks").
		// a -> b -> a through runAfter.
		add(pipelineHead+"spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, runAfter: [b]}\n  - {name: b, taskRef: {name: t}, runAfter: [a]}\n", "spec.tasks").
		// a -> b through a result, b -> a through runAfter.
		add(pipelineHead+"spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, runAfter: [b]}\n  - {name: b, taskRef: {name: t}, params: [{name: x, value: $(tasks.a.results.r)}]}\n", "spec.tasks").
		add(pipelineHead+"spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, runAfter: [missing]}\n", "spec.tasks[0].runAfter[0]").
		add(pipelineHead+"spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, params: [{name: x, value: $(tasks.missing.results.r)}]}\n", "spec.tasks[0].params[0].value").
		add(pipelineHead+"spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, params: [{name: x, value: $(params.missing)}]}\n", "spec.tasks[0].params[0].value").
		add(pipelineHead+"spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, taskSpec: {steps: [{name: s, image: busybox}]}}\n", "spec.tasks[0].taskRef").
		add(pipelineHead+"spec:\n  tasks:\n  - {name: a, taskRef: {name: t}}\n  - {name: a, taskRef: {name: t}}\n", "spec.tasks[1].name").
		add(pipelineHead+"spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, when: [{input: x, operator: equals, values: [x]}]}\n", "spec.tasks[0].when[0].operator").
		add(pipelineHead+"spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, workspaces: [{name: w, workspace: missing}]}\n", "spec.tasks[0].workspaces[0].workspace").
		add(pipelineHead+"spec:\n  tasks:\n  - {name: a, taskRef: {name: t}}\n  finally:\n  - {name: f, taskRef: {name: t}, runAfter: [a]}\n", "spec.finally[0].runAfter")
	testLifecycle[tektonv1.Pipeline](t, lifecycle[*tektonv1.Pipeline, *tektonv1.PipelineList]{
		client: func(ns string) kindClient[*tektonv1.Pipeline, *tektonv1.PipelineList] {
			return server.client.TektonV1().Pipelines(ns)
		},
		manifest: exampleDoc(t, "pipeline.yaml", "Pipeline"),
		count:    func(l *tektonv1.PipelineList) int { return len(l.Items) },
		invalid:  invalid,
	})
}

func TestPipelineRunLifecycle(t *testing.T) {
	const head = "apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: pr}\n"
	invalid := refusals{}.
		add(head+"spec: {}\n", "spec.pipelineRef").
		add(head+"spec:\n  pipelineRef: {name: p}\n  status: Stopped\n", "spec.status").
		add(head+"spec:\n  pipelineRef: {name: p}\n  timeouts: {pipeline: 10m, tasks: 20m}\n", "spec.timeouts.tasks").
		add(head+"spec:\n  pipelineRef: {name: p}\n  taskRunSpecs: [{pipelineTaskName: a}, {pipelineTaskName: a}]\n", "spec.taskRunSpecs[1].pipelineTaskName").
		add(head+"spec:\n  pipelineSpec:\n    tasks:\n    - {name: a, taskRef: {name: t}, runAfter: [a]}\n", "spec.pipelineSpec.tasks[0].runAfter[0]")
	testLifecycle[tektonv1.PipelineRun](t, lifecycle[*tektonv1.PipelineRun, *tektonv1.PipelineRunList]{
		client: func(ns string) kindClient[*tektonv1.PipelineRun, *tektonv1.PipelineRunList] {
			return server.client.TektonV1().PipelineRuns(ns)
		},
		manifest:  exampleDoc(t, "pipeline.yaml", "PipelineRun"),
		status:    func(o *tektonv1.PipelineRun) *duckv1.Status { return &o.Status.Status },
		condition: duckv1.ConditionSucceeded,
		count:     func(l *tektonv1.PipelineRunList) int { return len(l.Items) },
		invalid:   invalid,
	})
}

// A cycle is refused with a message that shows it.
func TestPipelineCycleMessage(t *testing.T) {
	p := decode[tektonv1.Pipeline](t, pipelineHead+"spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, runAfter: [c]}\n  - {name: b, taskRef: {name: t}, runAfter: [a]}\n  - {name: c, taskRef: {name: t}, runAfter: [b]}\n")
	_, err := server.client.TektonV1().Pipelines(namespace(t)).Create(ctx(t), p, metav1.CreateOptions{})
	requireInvalid(t, err, "spec.tasks")
	if !strings.Contains(err.Error(), "cycle detected: ") {
		t.Errorf("error does not show the cycle: %v", err)
	}
}

// Tekton's defaults: param type string, TaskRun timeout 60m and service
// account "default", PipelineRun timeouts.pipeline 60m.
func TestTektonDefaults(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	task, err := server.client.TektonV1().Tasks(ns).Create(c, decode[tektonv1.Task](t, taskHead+"spec:\n  params: [{name: a}]\n  steps:\n"+step), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := task.Spec.Params[0].Type; got != tektonv1.ParamTypeString {
		t.Errorf("param type: got %q, want string", got)
	}
	tr, err := server.client.TektonV1().TaskRuns(ns).Create(c, decode[tektonv1.TaskRun](t, "apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: tr}\nspec:\n  taskRef: {name: t}\n"), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Spec.Timeout == nil || tr.Spec.Timeout.Duration != time.Hour || tr.Spec.ServiceAccountName != "default" {
		t.Errorf("TaskRun defaults: timeout %v serviceAccountName %q", tr.Spec.Timeout, tr.Spec.ServiceAccountName)
	}
	pr, err := server.client.TektonV1().PipelineRuns(ns).Create(c, decode[tektonv1.PipelineRun](t, "apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: pr}\nspec:\n  pipelineRef: {name: p}\n"), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Spec.Timeouts == nil || pr.Spec.Timeouts.Pipeline == nil || pr.Spec.Timeouts.Pipeline.Duration != time.Hour {
		t.Errorf("PipelineRun timeouts: %+v", pr.Spec.Timeouts)
	}
}

// Once a run has started, its spec is frozen except for cancellation.
func TestStartedRunSpecIsFrozen(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	runs := server.client.TektonV1().TaskRuns(ns)
	tr, err := runs.Create(c, decode[tektonv1.TaskRun](t, exampleDoc(t, "task.yaml", "TaskRun")), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Before it starts, the spec may change.
	tr.Spec.Params[0].Value = tektonv1.ParamValue{Type: tektonv1.ParamTypeString, StringVal: "other"}
	if tr, err = runs.Update(c, tr, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("update before start: %v", err)
	}
	now := metav1.NewTime(time.Now().Truncate(time.Second))
	tr.Status.StartTime = &now
	tr.Status.Conditions = []duckv1.Condition{{Type: duckv1.ConditionSucceeded, Status: corev1.ConditionUnknown, Reason: "Running", LastTransitionTime: now}}
	if tr, err = runs.UpdateStatus(c, tr, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("start: %v", err)
	}
	changed := tr.DeepCopy()
	changed.Spec.Params[0].Value.StringVal = "late"
	requireImmutable(t, runs, changed, "spec")

	tr.Spec.Status = tektonv1.TaskRunSpecStatusCancelled
	tr.Spec.StatusMessage = "stopped by the test"
	if _, err := runs.Update(c, tr, metav1.UpdateOptions{}); err != nil {
		t.Errorf("cancel a started TaskRun: %v", err)
	}

	prs := server.client.TektonV1().PipelineRuns(ns)
	pr, err := prs.Create(c, decode[tektonv1.PipelineRun](t, exampleDoc(t, "pipeline.yaml", "PipelineRun")), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pr.Status.StartTime = &now
	if pr, err = prs.UpdateStatus(c, pr, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("start: %v", err)
	}
	changedPR := pr.DeepCopy()
	changedPR.Spec.Params[0].Value.StringVal = "late"
	requireImmutable(t, prs, changedPR, "spec")
	pr.Spec.Status = tektonv1.PipelineRunSpecStatusCancelled
	if _, err := prs.Update(c, pr, metav1.UpdateOptions{}); err != nil {
		t.Errorf("cancel a started PipelineRun: %v", err)
	}
}

// Runs are selectable by the definition they run.
func TestRunFieldSelectors(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	runs := server.client.TektonV1().TaskRuns(ns)
	for _, doc := range []string{
		"apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: a}\nspec:\n  taskRef: {name: build}\n",
		"apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: b}\nspec:\n  taskRef: {name: test}\n",
		"apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: c}\nspec:\n  taskSpec:\n    steps:\n" + nestedStep,
	} {
		if _, err := runs.Create(c, decode[tektonv1.TaskRun](t, doc), metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	list, err := runs.List(c, metav1.ListOptions{FieldSelector: "spec.taskRef.name=build"})
	if err != nil || len(list.Items) != 1 || list.Items[0].Name != "a" {
		t.Errorf("spec.taskRef.name=build: %v %v", err, list)
	}
	list, err = runs.List(c, metav1.ListOptions{FieldSelector: "status.succeeded=Unknown"})
	if err != nil || len(list.Items) != 3 {
		t.Errorf("status.succeeded=Unknown: %v %v", err, list)
	}
	if _, err := runs.List(c, metav1.ListOptions{FieldSelector: "spec.serviceAccountName=default"}); err == nil {
		t.Error("an unsupported field selector was accepted")
	}
	prs, err := server.client.TektonV1().PipelineRuns(ns).List(c, metav1.ListOptions{FieldSelector: "spec.pipelineRef.name=x"})
	if err != nil || len(prs.Items) != 0 {
		t.Errorf("spec.pipelineRef.name=x: %v", err)
	}
}
