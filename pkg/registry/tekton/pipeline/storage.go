// Package task stores tekton.dev Pipelines.
package pipeline

import (
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/knap-dev/knap/pkg/apis/tekton"
	"github.com/knap-dev/knap/pkg/apis/tekton/defaults"
	tektonv1 "github.com/knap-dev/knap/pkg/apis/tekton/v1"
	"github.com/knap-dev/knap/pkg/apis/tekton/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
	"github.com/knap-dev/knap/pkg/registry/tekton/internal/columns"
)

// Kind describes Pipelines to the generic storage. A Pipeline has no status.
func Kind() resource.Kind[*tekton.Pipeline] {
	return resource.Kind[*tekton.Pipeline]{
		Resource:       tekton.Resource("pipelines"),
		Singular:       "pipeline",
		Categories:     columns.Categories(),
		GroupVersion:   tektonv1.SchemeGroupVersion,
		OtherVersions:  []string{"v1beta1"},
		New:            func() *tekton.Pipeline { return &tekton.Pipeline{} },
		NewList:        func() runtime.Object { return &tekton.PipelineList{} },
		Spec:           func(o *tekton.Pipeline) any { return &o.Spec },
		CopySpec:       func(dst, src *tekton.Pipeline) { dst.Spec = src.Spec },
		Default:        defaults.Pipeline,
		Validate:       validation.ValidatePipeline,
		ValidateUpdate: validation.ValidatePipelineUpdate,
		Columns:        columns.Definition(),
		Cells:          func(o *tekton.Pipeline) []any { return []any{resource.AgeCell(o.CreationTimestamp)} },
	}
}
