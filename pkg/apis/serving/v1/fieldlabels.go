package v1

import (
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/serving"
)

// Field selectors each kind accepts, in addition to metadata.name and
// metadata.namespace. The storage computes the same keys.
func fieldLabels() map[string][]string {
	return map[string][]string{
		"Service":       {duckv1.ReadyFieldSelector, serving.FieldLatestReadyRevisionName, serving.FieldLatestCreatedRevisionName},
		"Configuration": {duckv1.ReadyFieldSelector, serving.FieldLatestReadyRevisionName, serving.FieldLatestCreatedRevisionName},
		"Revision":      {duckv1.ReadyFieldSelector},
		"Route":         {duckv1.ReadyFieldSelector},
	}
}

func addFieldLabelConversions(scheme *runtime.Scheme) error {
	return duckv1.AddFieldLabelConversions(scheme, SchemeGroupVersion, fieldLabels())
}
