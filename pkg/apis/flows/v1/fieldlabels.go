package v1

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// Field selectors each kind accepts besides metadata.name and
// metadata.namespace; the storage computes the same keys.
func fieldLabels() map[string][]string {
	return map[string][]string{
		"Sequence": {duckv1.ReadyFieldSelector},
		"Parallel": {duckv1.ReadyFieldSelector},
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
