package v1

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// AddFieldLabelConversions lets each kind of gv be selected by
// metadata.name, metadata.namespace and the labels listed for it (keys are
// kind names); any other field selector is refused with a clear error. The
// storage computes the same keys.
func AddFieldLabelConversions(scheme *runtime.Scheme, gv schema.GroupVersion, labels map[string][]string) error {
	for kind, extra := range labels {
		allowed := map[string]bool{"metadata.name": true, "metadata.namespace": true}
		for _, l := range extra {
			allowed[l] = true
		}
		err := scheme.AddFieldLabelConversionFunc(gv.WithKind(kind), func(label, value string) (string, string, error) {
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
