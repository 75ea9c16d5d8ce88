package v1

import (
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/eventing"
)

// Field selectors each kind accepts, in addition to metadata.name and
// metadata.namespace. The storage computes the same keys.
func fieldLabels() map[string][]string {
	return map[string][]string{
		"Broker":  {duckv1.ReadyFieldSelector},
		"Trigger": {duckv1.ReadyFieldSelector, eventing.FieldTriggerBroker},
	}
}

func addFieldLabelConversions(scheme *runtime.Scheme) error {
	return duckv1.AddFieldLabelConversions(scheme, SchemeGroupVersion, fieldLabels())
}
