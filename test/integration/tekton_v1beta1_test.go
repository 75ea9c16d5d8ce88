package integration

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	tektonv1 "github.com/knap-dev/knap/pkg/apis/tekton/v1"
	tektonv1beta1 "github.com/knap-dev/knap/pkg/apis/tekton/v1beta1"
)

// tekton.dev/v1beta1 is served from the same storage as v1: objects written
// in one version read back in the other with the renamed fields mapped, and
// etcd holds v1.

func TestV1beta1TaskReadsAsV1(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	task := decode[tektonv1beta1.Task](t, `apiVersion: tekton.dev/v1beta1
kind: Task
metadata: {name: compile}
spec:
  params: [{name: target, default: linux}]
  stepTemplate:
    resources: {requests: {memory: 64Mi}}
  steps:
  - name: compile
    image: golang
    resources: {limits: {cpu: "2"}}
    script: go build -o /out/$(params.target)
  sidecars:
  - {name: cache, image: redis, resources: {limits: {memory: 1Gi}}}
`)
	created, err := server.client.TektonV1beta1().Tasks(ns).Create(c, task, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if created.APIVersion != "" && created.APIVersion != "tekton.dev/v1beta1" {
		t.Errorf("created answered in %s", created.APIVersion)
	}
	if got := created.Spec.Steps[0].Resources.Limits.Cpu(); !got.Equal(resource.MustParse("2")) {
		t.Errorf("v1beta1 steps[0].resources lost: %v", created.Spec.Steps[0].Resources)
	}
	v1, err := server.client.TektonV1().Tasks(ns).Get(c, "compile", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := v1.Spec.Steps[0].ComputeResources.Limits.Cpu(); !got.Equal(resource.MustParse("2")) {
		t.Errorf("v1 steps[0].computeResources = %v", v1.Spec.Steps[0].ComputeResources)
	}
	if got := v1.Spec.StepTemplate.ComputeResources.Requests.Memory(); !got.Equal(resource.MustParse("64Mi")) {
		t.Errorf("v1 stepTemplate.computeResources = %v", v1.Spec.StepTemplate.ComputeResources)
	}
	if got := v1.Spec.Sidecars[0].ComputeResources.Limits.Memory(); !got.Equal(resource.MustParse("1Gi")) {
		t.Errorf("v1 sidecars[0].computeResources = %v", v1.Spec.Sidecars[0].ComputeResources)
	}
	if v1.Spec.Params[0].Type != tektonv1.ParamTypeString {
		t.Errorf("v1beta1 create was not defaulted: %+v", v1.Spec.Params[0])
	}
	requireStoredAs(t, "tasks", ns, "compile", "tekton.dev/v1")
}

func TestV1beta1PipelineRunFields(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	pr := decode[tektonv1beta1.PipelineRun](t, `apiVersion: tekton.dev/v1beta1
kind: PipelineRun
metadata: {name: release}
spec:
  pipelineRef: {bundle: registry.example.com/pipelines:v1, name: release}
  serviceAccountName: releaser
  podTemplate: {nodeSelector: {pool: build}}
  timeout: 2h
  taskRunSpecs:
  - pipelineTaskName: publish
    taskServiceAccountName: publisher
    stepOverrides: [{name: push, resources: {limits: {cpu: "1"}}}]
`)
	if _, err := server.client.TektonV1beta1().PipelineRuns(ns).Create(c, pr, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	v1, err := server.client.TektonV1().PipelineRuns(ns).Get(c, "release", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	spec := v1.Spec
	if spec.TaskRunTemplate.ServiceAccountName != "releaser" || spec.TaskRunTemplate.PodTemplate == nil || spec.TaskRunTemplate.PodTemplate.NodeSelector["pool"] != "build" {
		t.Errorf("v1 taskRunTemplate = %+v", spec.TaskRunTemplate)
	}
	if spec.Timeouts == nil || spec.Timeouts.Pipeline == nil || spec.Timeouts.Pipeline.Duration != 2*time.Hour {
		t.Errorf("v1 timeouts = %+v, want pipeline 2h from the v1beta1 timeout", spec.Timeouts)
	}
	if ref := spec.PipelineRef; ref == nil || ref.Resolver != "bundles" || len(ref.Params) != 3 {
		t.Errorf("v1 pipelineRef = %+v, want the bundles resolver", ref)
	}
	trs := spec.TaskRunSpecs
	if len(trs) != 1 || trs[0].ServiceAccountName != "publisher" || len(trs[0].StepSpecs) != 1 || trs[0].StepSpecs[0].Name != "push" {
		t.Errorf("v1 taskRunSpecs = %+v", trs)
	}

	// Status written in v1 reads as v1beta1, results under their old name.
	now := metav1.NewTime(time.Now().Truncate(time.Second))
	v1.Status.StartTime = &now
	v1.Status.Conditions = []duckv1.Condition{{Type: duckv1.ConditionSucceeded, Status: corev1.ConditionTrue, Reason: "Succeeded", LastTransitionTime: now}}
	v1.Status.Results = []tektonv1.PipelineRunResult{{Name: "digest", Value: tektonv1.ParamValue{Type: tektonv1.ParamTypeString, StringVal: "sha256:abc"}}}
	if _, err := server.client.TektonV1().PipelineRuns(ns).UpdateStatus(c, v1, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	beta, err := server.client.TektonV1beta1().PipelineRuns(ns).Get(c, "release", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(beta.Status.PipelineResults) != 1 || beta.Status.PipelineResults[0].Value.StringVal != "sha256:abc" {
		t.Errorf("v1beta1 status.pipelineResults = %+v", beta.Status.PipelineResults)
	}
	if beta.Spec.ServiceAccountName != "releaser" {
		t.Errorf("v1beta1 spec.serviceAccountName = %q", beta.Spec.ServiceAccountName)
	}
	done, err := server.client.TektonV1beta1().PipelineRuns(ns).List(c, metav1.ListOptions{FieldSelector: "status.succeeded=True"})
	if err != nil || len(done.Items) != 1 {
		t.Errorf("v1beta1 status.succeeded=True: %v", err)
	}
	requireStoredAs(t, "pipelineruns", ns, "release", "tekton.dev/v1")
}

// The Tekton catalog's buildpacks Task, as published (v1beta1).
func TestCatalogBuildpacksTask(t *testing.T) {
	data, err := os.ReadFile("../../pkg/apis/tekton/v1beta1/testdata/buildpacks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, ns := ctx(t), namespace(t)
	task := decode[tektonv1beta1.Task](t, strings.TrimPrefix(string(data), "---\n"))
	if _, err := server.client.TektonV1beta1().Tasks(ns).Create(c, task, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create the catalog's buildpacks Task: %v", err)
	}
	v1, err := server.client.TektonV1().Tasks(ns).Get(c, "buildpacks", metav1.GetOptions{})
	if err != nil || len(v1.Spec.Steps) == 0 || len(v1.Spec.Results) == 0 {
		t.Fatalf("buildpacks as v1: %v %+v", err, v1)
	}
}

// PipelineResources are gone from Tekton: a v1beta1 object that still uses
// them is refused, naming the field.
func TestV1beta1PipelineResourcesRefused(t *testing.T) {
	c, ns := ctx(t), namespace(t)
	task := decode[tektonv1beta1.Task](t, `apiVersion: tekton.dev/v1beta1
kind: Task
metadata: {name: old}
spec:
  resources: {inputs: [{name: source, type: git}]}
  steps: [{name: s, image: busybox}]
`)
	_, err := server.client.TektonV1beta1().Tasks(ns).Create(c, task, metav1.CreateOptions{})
	if err == nil || !(apierrors.IsBadRequest(err) || apierrors.IsInvalid(err)) || !strings.Contains(err.Error(), "resources") {
		t.Fatalf("a Task with PipelineResources: got %v, want a 400/422 naming resources", err)
	}
	if _, err := server.client.TektonV1().Tasks(ns).Get(c, "old", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the refused Task was stored: %v", err)
	}
}

// requireStoredAs reads the object's key straight from knap's etcd and
// checks the version it is stored in.
func requireStoredAs(t *testing.T, resource, ns, name, apiVersion string) {
	t.Helper()
	client, err := clientv3.New(clientv3.Config{
		Endpoints:   []string{"unix://" + filepath.Join(server.dataDir, "etcd", "client.sock")},
		DialTimeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	c, cancel := context.WithTimeout(ctx(t), 10*time.Second)
	defer cancel()
	resp, err := client.Get(c, "/registry/knap/tekton.dev/"+resource+"/"+ns+"/"+name)
	if err != nil || len(resp.Kvs) != 1 {
		t.Fatalf("etcd get %s/%s/%s: %v (%d keys)", resource, ns, name, err, len(resp.Kvs))
	}
	if !strings.Contains(string(resp.Kvs[0].Value), `"apiVersion":"`+apiVersion+`"`) {
		t.Errorf("%s/%s stored as %.120s, want %s", resource, name, resp.Kvs[0].Value, apiVersion)
	}
}
