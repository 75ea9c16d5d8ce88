package v1

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"
)

// Field selectors each kind accepts, in addition to metadata.name and
// metadata.namespace. The storage computes the same keys.
func fieldLabels() map[string][]string {
	return map[string][]string{
		"Service":       {"status.ready", "status.latestReadyRevisionName", "status.latestCreatedRevisionName"},
		"Configuration": {"status.ready", "status.latestReadyRevisionName", "status.latestCreatedRevisionName"},
		"Revision":      {"status.ready"},
		"Route":         {"status.ready"},
	}
}

func addFieldLabelConversions(scheme *runtime.Scheme) error {
	for kind, labels := range fieldLabels() {
		allowed := map[string]bool{"metadata.name": true, "metadata.namespace": true}
		for _, l := range labels {
			allowed[l] = true
		}
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
