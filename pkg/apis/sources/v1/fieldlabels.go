package v1

import (
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// fieldLabels: every kind accepts status.ready, which the storage computes,
// besides metadata.name and metadata.namespace.
func fieldLabels() map[string][]string {
	return map[string][]string{
		"PingSource":      {duckv1.ReadyFieldSelector},
		"ApiServerSource": {duckv1.ReadyFieldSelector},
		"SinkBinding":     {duckv1.ReadyFieldSelector},
		"ContainerSource": {duckv1.ReadyFieldSelector},
	}
}

func addFieldLabelConversions(scheme *runtime.Scheme) error {
	return duckv1.AddFieldLabelConversions(scheme, SchemeGroupVersion, fieldLabels())
}
