// Package task stores tekton.dev Tasks.
package task

import (
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/knap-dev/knap/pkg/apis/tekton"
	"github.com/knap-dev/knap/pkg/apis/tekton/defaults"
	tektonv1 "github.com/knap-dev/knap/pkg/apis/tekton/v1"
	"github.com/knap-dev/knap/pkg/apis/tekton/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
	"github.com/knap-dev/knap/pkg/registry/tekton/internal/columns"
)

// Kind describes Tasks to the generic storage. A Task has no status.
func Kind() resource.Kind[*tekton.Task] {
	return resource.Kind[*tekton.Task]{
		Resource:       tekton.Resource("tasks"),
		Singular:       "task",
		Categories:     columns.Categories(),
		GroupVersion:   tektonv1.SchemeGroupVersion,
		OtherVersions:  []string{"v1beta1"},
		New:            func() *tekton.Task { return &tekton.Task{} },
		NewList:        func() runtime.Object { return &tekton.TaskList{} },
		Spec:           func(o *tekton.Task) any { return &o.Spec },
		CopySpec:       func(dst, src *tekton.Task) { dst.Spec = src.Spec },
		Default:        defaults.Task,
		Validate:       validation.ValidateTask,
		ValidateUpdate: validation.ValidateTaskUpdate,
		Columns:        columns.Definition(),
		Cells:          func(o *tekton.Task) []any { return []any{resource.AgeCell(o.CreationTimestamp)} },
	}
}
