package v1beta1

import (
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	tektonv1 "github.com/knap-dev/knap/pkg/apis/tekton/v1"
)

// addFieldLabelConversions registers the same field selectors as
// tekton.dev/v1: the selected fields have the same paths in both versions.
func addFieldLabelConversions(scheme *runtime.Scheme) error {
	return duckv1.AddFieldLabelConversions(scheme, SchemeGroupVersion, tektonv1.FieldLabels())
}
