// Package taskrun stores tekton.dev TaskRuns.
package taskrun

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

// Kind describes TaskRuns to the generic storage.
func Kind() resource.Kind[*tekton.TaskRun] {
	return resource.Kind[*tekton.TaskRun]{
		Resource:       tekton.Resource("taskruns"),
		Singular:       "taskrun",
		ShortNames:     []string{"tr", "trs"},
		Categories:     columns.Categories(),
		GroupVersion:   tektonv1.SchemeGroupVersion,
		OtherVersions:  []string{"v1beta1"},
		New:            func() *tekton.TaskRun { return &tekton.TaskRun{} },
		NewList:        func() runtime.Object { return &tekton.TaskRunList{} },
		Spec:           func(o *tekton.TaskRun) any { return &o.Spec },
		Status:         func(o *tekton.TaskRun) *duckv1.Status { return &o.Status.Status },
		Condition:      duckv1.ConditionSucceeded,
		CopySpec:       func(dst, src *tekton.TaskRun) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *tekton.TaskRun) { dst.Status = src.Status },
		ClearStatus:    func(o *tekton.TaskRun) { o.Status = tekton.TaskRunStatus{} },
		Default:        defaults.TaskRun,
		Validate:       validation.ValidateTaskRun,
		ValidateUpdate: validation.ValidateTaskRunUpdate,
		Fields: func(o *tekton.TaskRun) fields.Set {
			name := ""
			if o.Spec.TaskRef != nil {
				name = o.Spec.TaskRef.Name
			}
			return fields.Set{tekton.FieldTaskRunTask: name}
		},
		Columns: columns.Run(),
		Cells: func(o *tekton.TaskRun) []any {
			return columns.RunCells(&o.Status.Status, o.Status.StartTime, o.Status.CompletionTime)
		},
	}
}
