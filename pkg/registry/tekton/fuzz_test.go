package tekton_test

// Native fuzz targets for the tekton.dev/v1 write path. The harness and its
// invariants are pkg/registry/resource/fuzzing's; here are the targets,
// their stored objects and seeds: the documents of artifacts/examples/build,
// valid variants, and the refusals of Tekton's webhook that
// test/integration/tekton_test.go checks through the server. Task and
// Pipeline have no status; their strategy, and so the harness, skips it.

import (
	"testing"

	"github.com/knap-dev/knap/pkg/apis/tekton"
	"github.com/knap-dev/knap/pkg/apis/tekton/install"
	tektonv1 "github.com/knap-dev/knap/pkg/apis/tekton/v1"
	"github.com/knap-dev/knap/pkg/registry/resource/fuzzing"
	"github.com/knap-dev/knap/pkg/registry/tekton/pipeline"
	"github.com/knap-dev/knap/pkg/registry/tekton/pipelinerun"
	"github.com/knap-dev/knap/pkg/registry/tekton/task"
	"github.com/knap-dev/knap/pkg/registry/tekton/taskrun"
)

var examples = []string{"../../../artifacts/examples/build/*.yaml"}

var taskTarget = fuzzing.Target[*tekton.Task]{
	Kind:     task.Kind(),
	Install:  install.Install,
	GVK:      tektonv1.SchemeGroupVersion.WithKind("Task"),
	Stored:   storedTask,
	Seeds:    taskSeeds,
	Examples: examples,
}

var taskRunTarget = fuzzing.Target[*tekton.TaskRun]{
	Kind:     taskrun.Kind(),
	Install:  install.Install,
	GVK:      tektonv1.SchemeGroupVersion.WithKind("TaskRun"),
	Stored:   storedTaskRun,
	Seeds:    taskRunSeeds,
	Examples: examples,
}

var pipelineTarget = fuzzing.Target[*tekton.Pipeline]{
	Kind:     pipeline.Kind(),
	Install:  install.Install,
	GVK:      tektonv1.SchemeGroupVersion.WithKind("Pipeline"),
	Stored:   storedPipeline,
	Seeds:    pipelineSeeds,
	Examples: examples,
}

var pipelineRunTarget = fuzzing.Target[*tekton.PipelineRun]{
	Kind:     pipelinerun.Kind(),
	Install:  install.Install,
	GVK:      tektonv1.SchemeGroupVersion.WithKind("PipelineRun"),
	Stored:   storedPipelineRun,
	Seeds:    pipelineRunSeeds,
	Examples: examples,
}

func FuzzTask(f *testing.F)        { fuzzing.Fuzz(f, taskTarget) }
func FuzzTaskRun(f *testing.F)     { fuzzing.Fuzz(f, taskRunTarget) }
func FuzzPipeline(f *testing.F)    { fuzzing.Fuzz(f, pipelineTarget) }
func FuzzPipelineRun(f *testing.F) { fuzzing.Fuzz(f, pipelineRunTarget) }

// TestExamples: every document of artifacts/examples/build is accepted on
// create, one of each kind at least.
func TestExamples(t *testing.T) {
	for _, n := range []int{
		fuzzing.ExamplesAccepted(t, taskTarget),
		fuzzing.ExamplesAccepted(t, taskRunTarget),
		fuzzing.ExamplesAccepted(t, pipelineTarget),
		fuzzing.ExamplesAccepted(t, pipelineRunTarget),
	} {
		if n == 0 {
			t.Error("a tekton.dev kind has no example in artifacts/examples/build")
		}
	}
}

// The stored objects of the update paths: what a user applied, accepted.
const (
	storedTask = `
apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: stored
  namespace: default
spec:
  params:
  - name: message
    default: hello
  results:
  - name: out
  workspaces:
  - name: source
  steps:
  - name: echo
    image: busybox:1.36
    workingDir: $(workspaces.source.path)
    script: echo "$(params.message)" > $(results.out.path)
`
	storedTaskRun = `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: stored
  namespace: default
spec:
  taskRef:
    name: stored
  params:
  - name: message
    value: hi
  timeout: 10m
  workspaces:
  - name: source
    emptyDir: {}
`
	storedPipeline = `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: stored
  namespace: default
spec:
  params:
  - name: message
  workspaces:
  - name: shared
  tasks:
  - name: first
    taskRef:
      name: stored
    params:
    - name: message
      value: $(params.message)
    workspaces:
    - name: source
      workspace: shared
  - name: second
    runAfter: [first]
    taskRef:
      name: stored
    params:
    - name: message
      value: $(tasks.first.results.out)
`
	storedPipelineRun = `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: stored
  namespace: default
spec:
  pipelineRef:
    name: stored
  params:
  - name: message
    value: hi
  timeouts:
    pipeline: 1h
  workspaces:
  - name: shared
    emptyDir: {}
`
)

const (
	taskHead        = "apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\n"
	taskRunHead     = "apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: tr}\n"
	pipelineHead    = "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p}\n"
	pipelineRunHead = "apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: pr}\n"
	step            = "  - {name: s, image: busybox}\n"
)

var taskSeeds = []string{
	// Smallest Task.
	taskHead + "spec:\n  steps:\n" + step,
	// Every kind of param, result and workspace, used where Tekton allows.
	taskHead + `spec:
  displayName: Everything
  params:
  - {name: str, type: string, default: x, enum: [x, z]}
  - {name: arr, type: array, default: [a, b]}
  - name: obj
    type: object
    properties: {url: {type: string}, rev: {type: string}}
    default: {url: 'https://example.com', rev: main}
  results:
  - {name: digest}
  - {name: list, type: array}
  - {name: info, type: object, properties: {a: {type: string}}}
  workspaces:
  - {name: src, mountPath: /src, readOnly: true}
  - {name: cache, optional: true}
  volumes:
  - {name: tmp, emptyDir: {}}
  stepTemplate:
    env: [{name: HOME, value: /tekton/home}]
    computeResources: {requests: {cpu: 100m}}
  sidecars:
  - {name: docker, image: docker:dind, securityContext: {privileged: true}}
  steps:
  - name: build
    image: golang:1.23
    command: [go, build]
    args: ["$(params.arr[*])", "$(params.obj.url)", "$(params.arr[0])"]
    workingDir: $(workspaces.src.path)
    env: [{name: REV, value: $(params.obj.rev)}]
    volumeMounts: [{name: tmp, mountPath: /tmp}]
    timeout: 5m
    onError: continue
    stdoutConfig: {path: $(results.digest.path)}
  - name: report
    image: busybox
    script: |
      #!/bin/sh
      echo $(params.str) > $(results.digest.path)
      test "$(workspaces.cache.bound)" = true
`,
	// A step from a StepAction.
	taskHead + "spec:\n  steps:\n  - name: a\n    ref: {name: git-clone}\n    params: [{name: url, value: x}]\n",
	// Refused: no steps.
	taskHead + "spec: {}\n",
	// Refused: script and command together.
	taskHead + "spec:\n  steps:\n  - {name: s, image: busybox, command: [sh], script: echo}\n",
	// Refused: a mount over /tekton/results.
	taskHead + "spec:\n  steps:\n  - {name: s, image: busybox, volumeMounts: [{name: v, mountPath: /tekton/results}]}\n",
	// Refused: duplicate names of steps, params, results and workspaces.
	taskHead + "spec:\n  steps:\n" + step + step,
	taskHead + "spec:\n  params: [{name: a}, {name: a}]\n  steps:\n" + step,
	taskHead + "spec:\n  results: [{name: r}, {name: r}]\n  steps:\n" + step,
	taskHead + "spec:\n  workspaces: [{name: w}, {name: w}]\n  steps:\n" + step,
	// Refused: an array param with a string default; an object param with
	// no properties; an enum on an array.
	taskHead + "spec:\n  params: [{name: a, type: array, default: x}]\n  steps:\n" + step,
	taskHead + "spec:\n  params: [{name: o, type: object}]\n  steps:\n" + step,
	taskHead + "spec:\n  params: [{name: a, type: array, enum: [x]}, {name: e, enum: [x, x], default: w}]\n  steps:\n" + step,
	// Refused: references to undeclared params, workspaces and results, and
	// whole arrays where only an args item may hold them.
	taskHead + "spec:\n  steps:\n  - {name: s, image: busybox, script: 'echo $(params.missing)'}\n",
	taskHead + "spec:\n  steps:\n  - {name: s, image: busybox, workingDir: $(workspaces.missing.path)}\n",
	taskHead + "spec:\n  steps:\n  - {name: s, image: busybox, args: [$(results.missing.path)]}\n",
	taskHead + "spec:\n  params: [{name: a, type: array}]\n  steps:\n  - {name: s, image: busybox, script: 'echo $(params.a[*])'}\n",
	// Refused: an unknown onError, a negative step timeout.
	taskHead + "spec:\n  steps:\n  - {name: s, image: busybox, onError: ignore, timeout: -1s}\n",
}

var taskRunSeeds = []string{
	// Smallest TaskRuns: by reference and inline.
	taskRunHead + "spec:\n  taskRef: {name: t}\n",
	taskRunHead + "spec:\n  taskSpec:\n    steps:\n    - {name: s, image: busybox}\n",
	// Param values of every type, every workspace source, pod template,
	// step and sidecar overrides, retries, cancellation.
	taskRunHead + `spec:
  taskRef:
    resolver: git
    params:
    - {name: url, value: 'https://example.com/repo.git'}
    - {name: pathInRepo, value: task.yaml}
  params:
  - {name: str, value: x}
  - {name: arr, value: [a, b]}
  - {name: obj, value: {url: 'https://example.com'}}
  serviceAccountName: builder
  retries: 2
  timeout: 1h30m
  status: TaskRunCancelled
  statusMessage: stopped by a user
  workspaces:
  - {name: a, emptyDir: {}}
  - {name: b, persistentVolumeClaim: {claimName: c}, subPath: dir}
  - {name: c, configMap: {name: cm}}
  - {name: d, secret: {secretName: s}}
  - name: e
    volumeClaimTemplate:
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
  podTemplate:
    nodeSelector: {disk: ssd}
    tolerations: [{key: k, operator: Exists}]
    securityContext: {runAsNonRoot: true}
  stepSpecs:
  - {name: build, computeResources: {limits: {memory: 1Gi}}}
  sidecarSpecs:
  - {name: docker, computeResources: {requests: {cpu: 500m}}}
  computeResources: {requests: {cpu: "1"}}
`,
	// Refused: neither ref nor spec; both.
	taskRunHead + "spec: {}\n",
	taskRunHead + "spec:\n  taskRef: {name: t}\n  taskSpec:\n    steps:\n    - {name: s, image: busybox}\n",
	// Refused: an unknown status, duplicate params, a negative timeout and
	// retries, a workspace with two sources.
	taskRunHead + "spec:\n  taskRef: {name: t}\n  status: Paused\n",
	taskRunHead + "spec:\n  taskRef: {name: t}\n  params: [{name: a, value: one}, {name: a, value: two}]\n",
	taskRunHead + "spec:\n  taskRef: {name: t}\n  timeout: -1m\n  retries: -1\n",
	taskRunHead + "spec:\n  taskRef: {name: t}\n  workspaces: [{name: w, emptyDir: {}, secret: {secretName: s}}]\n",
	// Refused: an inline Task that is itself invalid.
	taskRunHead + "spec:\n  taskSpec:\n    steps:\n    - {name: s, image: busybox, script: 'echo $(params.missing)'}\n",
}

var pipelineSeeds = []string{
	// Smallest Pipeline.
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}}\n",
	// Matrix, when expressions, finally, results, timeouts, retries and
	// embedded tasks.
	pipelineHead + `spec:
  params:
  - {name: platforms, type: array, default: [linux, darwin]}
  - {name: mode, default: release}
  - name: repo
    type: object
    properties: {url: {type: string}}
  workspaces:
  - name: src
  - {name: cache, optional: true}
  tasks:
  - name: clone
    taskRef: {resolver: hub, params: [{name: name, value: git-clone}]}
    params: [{name: url, value: $(params.repo.url)}]
    workspaces: [{name: output, workspace: src, subPath: repo}]
    timeout: 10m
    retries: 1
  - name: build
    runAfter: [clone]
    taskRef: {name: build}
    matrix:
      params:
      - {name: platform, value: '$(params.platforms[*])'}
      include:
      - name: arm
        params: [{name: platform, value: linux/arm64}]
    when:
    - {input: $(params.mode), operator: in, values: [release, debug]}
    - {cel: "'$(params.mode)' != 'skip'"}
  - name: digest
    taskSpec:
      metadata: {labels: {app: x}}
      results: [{name: sum}]
      steps:
      - {name: s, image: busybox, script: 'echo -n x > $(results.sum.path)'}
    onError: continue
  results:
  - {name: sum, value: $(tasks.digest.results.sum)}
  finally:
  - name: notify
    taskRef: {name: notify}
    params:
    - {name: status, value: $(tasks.build.status)}
    - {name: all, value: $(tasks.status)}
    - {name: sum, value: $(tasks.digest.results.sum)}
    when:
    - {input: $(tasks.build.status), operator: notin, values: [Succeeded]}
`,
	// A custom task.
	pipelineHead + "spec:\n  tasks:\n  - name: wait\n    taskRef: {apiVersion: example.dev/v1, kind: Wait, name: w}\n    params: [{name: duration, value: 10s}]\n",
	// Refused: no tasks.
	pipelineHead + "spec: {}\n",
	// Refused: cycles through runAfter, and through a result and runAfter.
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, runAfter: [b]}\n  - {name: b, taskRef: {name: t}, runAfter: [a]}\n",
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, runAfter: [b]}\n  - {name: b, taskRef: {name: t}, params: [{name: x, value: $(tasks.a.results.r)}]}\n",
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, runAfter: [c]}\n  - {name: b, taskRef: {name: t}, runAfter: [a]}\n  - {name: c, taskRef: {name: t}, runAfter: [b]}\n",
	// Refused: references to missing tasks, results, params and workspaces.
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, runAfter: [missing]}\n",
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, params: [{name: x, value: $(tasks.missing.results.r)}]}\n",
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, params: [{name: x, value: $(params.missing)}]}\n",
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, workspaces: [{name: w, workspace: missing}]}\n",
	pipelineHead + "spec:\n  results: [{name: r, value: $(tasks.missing.results.r)}]\n  tasks:\n  - {name: a, taskRef: {name: t}}\n",
	// Refused: taskRef and taskSpec, duplicate names, a bad operator.
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, taskSpec: {steps: [{name: s, image: busybox}]}}\n",
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}}\n  - {name: a, taskRef: {name: t}}\n",
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, when: [{input: x, operator: equals, values: [x]}]}\n",
	// Refused: when with cel and input, no values.
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, when: [{cel: 'true', input: x}, {input: z, operator: in}]}\n",
	// Refused: finally with runAfter, a task using a finally task's result.
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}}\n  finally:\n  - {name: f, taskRef: {name: t}, runAfter: [a]}\n",
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, params: [{name: x, value: $(tasks.f.results.r)}]}\n  finally:\n  - {name: f, taskRef: {name: t}}\n",
	// Refused: retries with onError continue, a negative timeout, a matrix
	// over an undeclared param.
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, retries: 2, onError: continue, timeout: -1s}\n",
	pipelineHead + "spec:\n  tasks:\n  - {name: a, taskRef: {name: t}, matrix: {params: [{name: p, value: '$(params.missing[*])'}]}}\n",
}

var pipelineRunSeeds = []string{
	// Smallest PipelineRuns: by reference and inline.
	pipelineRunHead + "spec:\n  pipelineRef: {name: p}\n",
	pipelineRunHead + "spec:\n  pipelineSpec:\n    tasks:\n    - {name: a, taskRef: {name: t}}\n",
	// Every timeout, per-task specs, a task run template, param values of
	// every type, pending.
	pipelineRunHead + `spec:
  pipelineRef:
    resolver: bundles
    params:
    - {name: bundle, value: registry.example.com/p:1}
  params:
  - {name: str, value: x}
  - {name: arr, value: [a, b]}
  - {name: obj, value: {url: 'https://example.com'}}
  status: PipelineRunPending
  timeouts: {pipeline: 2h, tasks: 1h30m, finally: 30m}
  taskRunTemplate:
    serviceAccountName: builder
    podTemplate: {nodeSelector: {pool: build}}
  taskRunSpecs:
  - pipelineTaskName: build
    serviceAccountName: pusher
    stepSpecs: [{name: push, computeResources: {limits: {memory: 2Gi}}}]
    metadata: {labels: {team: a}}
    timeout: 20m
  workspaces:
  - {name: src, subPath: dir, persistentVolumeClaim: {claimName: c}}
`,
	pipelineRunHead + "spec:\n  pipelineRef: {name: p}\n  status: CancelledRunFinally\n",
	pipelineRunHead + "spec:\n  pipelineRef: {name: p}\n  status: StoppedRunFinally\n  timeouts: {pipeline: '0s'}\n",
	// Refused: neither ref nor spec; an unknown status.
	pipelineRunHead + "spec: {}\n",
	pipelineRunHead + "spec:\n  pipelineRef: {name: p}\n  status: Stopped\n",
	// Refused: tasks longer than the pipeline; negative timeouts.
	pipelineRunHead + "spec:\n  pipelineRef: {name: p}\n  timeouts: {pipeline: 10m, tasks: 20m}\n",
	pipelineRunHead + "spec:\n  pipelineRef: {name: p}\n  timeouts: {pipeline: 1h, tasks: 40m, finally: 30m}\n",
	pipelineRunHead + "spec:\n  pipelineRef: {name: p}\n  timeouts: {finally: -1s}\n",
	// Refused: duplicate and unnamed taskRunSpecs.
	pipelineRunHead + "spec:\n  pipelineRef: {name: p}\n  taskRunSpecs: [{pipelineTaskName: a}, {pipelineTaskName: a}, {serviceAccountName: x}]\n",
	// Refused: an inline Pipeline that is itself invalid.
	pipelineRunHead + "spec:\n  pipelineSpec:\n    tasks:\n    - {name: a, taskRef: {name: t}, runAfter: [a]}\n",
	// Refused: duplicate params, a workspace with two sources.
	pipelineRunHead + "spec:\n  pipelineRef: {name: p}\n  params: [{name: a, value: x}, {name: a, value: [b]}]\n  workspaces: [{name: w, emptyDir: {}, configMap: {name: c}}]\n",
}
