package v1

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// kinds are the kinds of this version; each accepts the field selectors
// metadata.name, metadata.namespace and status.ready, which the storage
// computes.
var kinds = []string{"PingSource", "ApiServerSource", "SinkBinding", "ContainerSource"}

func addFieldLabelConversions(scheme *runtime.Scheme) error {
	allowed := map[string]bool{"metadata.name": true, "metadata.namespace": true, duckv1.ReadyFieldSelector: true}
	for _, kind := range kinds {
		err := scheme.AddFieldLabelConversionFunc(SchemeGroupVersion.WithKind(kind), func(label, value string) (string, string, error) {
			if !allowed[label] {
				return "", "", fmt.Errorf("field label not supported for %s: %s", kind, label)
			}
			return label, value, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
