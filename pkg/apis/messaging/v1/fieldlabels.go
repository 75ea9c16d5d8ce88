package v1

import (
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/messaging"
)

// Field selectors each kind accepts, in addition to metadata.name and
// metadata.namespace. The storage computes the same keys.
func fieldLabels() map[string][]string {
	return map[string][]string{
		"Channel":         {duckv1.ReadyFieldSelector},
		"InMemoryChannel": {duckv1.ReadyFieldSelector},
		"Subscription":    {duckv1.ReadyFieldSelector, messaging.FieldChannelName, messaging.FieldChannelKind},
	}
}

func addFieldLabelConversions(scheme *runtime.Scheme) error {
	return duckv1.AddFieldLabelConversions(scheme, SchemeGroupVersion, fieldLabels())
}
