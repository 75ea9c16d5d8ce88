package v1

import (
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/tekton"
)

// FieldLabels are the field selectors each kind accepts, in addition to
// metadata.name and metadata.namespace; v1beta1 accepts the same. The
// storage computes the same keys.
func FieldLabels() map[string][]string {
	return map[string][]string{
		"Task":        nil,
		"Pipeline":    nil,
		"TaskRun":     {duckv1.SucceededFieldSelector, tekton.FieldTaskRunTask},
		"PipelineRun": {duckv1.SucceededFieldSelector, tekton.FieldPipelineRunPipeline},
	}
}

func addFieldLabelConversions(scheme *runtime.Scheme) error {
	return duckv1.AddFieldLabelConversions(scheme, SchemeGroupVersion, FieldLabels())
}
