// Package pipelinerun stores tekton.dev PipelineRuns.
package pipelinerun

import (
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/tekton"
	"github.com/knap-dev/knap/pkg/apis/tekton/defaults"
	tektonv1 "github.com/knap-dev/knap/pkg/apis/tekton/v1"
	"github.com/knap-dev/knap/pkg/apis/tekton/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
	"github.com/knap-dev/knap/pkg/registry/tekton/internal/columns"
)

// Kind describes PipelineRuns to the generic storage.
func Kind() resource.Kind[*tekton.PipelineRun] {
	return resource.Kind[*tekton.PipelineRun]{
		Resource:       tekton.Resource("pipelineruns"),
		Singular:       "pipelinerun",
		ShortNames:     []string{"pr", "prs"},
		Categories:     columns.Categories(),
		GroupVersion:   tektonv1.SchemeGroupVersion,
		OtherVersions:  []string{"v1beta1"},
		New:            func() *tekton.PipelineRun { return &tekton.PipelineRun{} },
		NewList:        func() runtime.Object { return &tekton.PipelineRunList{} },
		Spec:           func(o *tekton.PipelineRun) any { return &o.Spec },
		Status:         func(o *tekton.PipelineRun) *duckv1.Status { return &o.Status.Status },
		Condition:      duckv1.ConditionSucceeded,
		CopySpec:       func(dst, src *tekton.PipelineRun) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *tekton.PipelineRun) { dst.Status = src.Status },
		ClearStatus:    func(o *tekton.PipelineRun) { o.Status = tekton.PipelineRunStatus{} },
		Default:        defaults.PipelineRun,
		Validate:       validation.ValidatePipelineRun,
		ValidateUpdate: validation.ValidatePipelineRunUpdate,
		Fields: func(o *tekton.PipelineRun) fields.Set {
			name := ""
			if o.Spec.PipelineRef != nil {
				name = o.Spec.PipelineRef.Name
			}
			return fields.Set{tekton.FieldPipelineRunPipeline: name}
		},
		Columns: columns.Run(),
		Cells: func(o *tekton.PipelineRun) []any {
			return columns.RunCells(&o.Status.Status, o.Status.StartTime, o.Status.CompletionTime)
		},
	}
}
