package v1alpha1

import (
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// Field selectors each kind accepts besides metadata.name and
// metadata.namespace; the storage computes the same keys.
func fieldLabels() map[string][]string {
	return map[string][]string{
		"Ingress":           {duckv1.ReadyFieldSelector},
		"ServerlessService": {duckv1.ReadyFieldSelector},
	}
}

func addFieldLabelConversions(scheme *runtime.Scheme) error {
	return duckv1.AddFieldLabelConversions(scheme, SchemeGroupVersion, fieldLabels())
}
