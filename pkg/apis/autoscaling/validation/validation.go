// Package validation checks autoscaling.internal.knative.dev objects with
// the outcomes of Knative Serving's admission webhook under its default
// configuration (config-autoscaler and config-defaults as shipped), and the
// autoscaling.knative.dev annotations wherever Knative reads them
// (serving.knative.dev Revisions use ValidateAnnotations too). Callers pass
// internal objects that defaulting has already completed.
package validation

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/equality"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	netvalidation "github.com/knap-dev/knap/pkg/apis/networking/validation"
)

// MaxContainerConcurrency is config-defaults' container-concurrency-max-limit
// as shipped; allow-container-concurrency-zero is true, so 0 (unlimited) is
// the minimum.
const MaxContainerConcurrency = 1000

var (
	metadataPath    = field.NewPath("metadata")
	annotationsPath = metadataPath.Child("annotations")
	specPath        = field.NewPath("spec")
)

// ValidatePodAutoscaler validates a PodAutoscaler on create, and as part of
// update.
func ValidatePodAutoscaler(pa *autoscaling.PodAutoscaler) field.ErrorList {
	errs := validateObjectMeta(&pa.ObjectMeta)
	return append(errs, validatePodAutoscalerSpec(&pa.Spec, specPath)...)
}

// ValidatePodAutoscalerUpdate validates an updated PodAutoscaler against its
// previous version. Knative makes no part of the spec immutable.
func ValidatePodAutoscalerUpdate(pa, old *autoscaling.PodAutoscaler) field.ErrorList {
	errs := ValidatePodAutoscaler(pa)
	return append(errs, apivalidation.ValidateObjectMetaUpdate(&pa.ObjectMeta, &old.ObjectMeta, metadataPath)...)
}

func validatePodAutoscalerSpec(s *autoscaling.PodAutoscalerSpec, fldPath *field.Path) field.ErrorList {
	if equality.Semantic.DeepEqual(s, &autoscaling.PodAutoscalerSpec{}) {
		return field.ErrorList{field.Required(fldPath, "a PodAutoscaler needs scaleTargetRef and protocolType")}
	}
	ref := s.ScaleTargetRef
	errs := netvalidation.ValidateObjectReference(ref.APIVersion, ref.Kind, ref.Name, fldPath.Child("scaleTargetRef"))
	if cc := s.ContainerConcurrency; cc < 0 || cc > MaxContainerConcurrency {
		errs = append(errs, field.Invalid(fldPath.Child("containerConcurrency"), cc,
			fmt.Sprintf("must be between 0 and %d", MaxContainerConcurrency)))
	}
	// Knative does not check reachability: any value is accepted.
	return append(errs, netvalidation.ValidateProtocolType(string(s.ProtocolType), fldPath.Child("protocolType"))...)
}

// ValidateMetric validates a Metric on create, and as part of update.
func ValidateMetric(m *autoscaling.Metric) field.ErrorList {
	errs := validateObjectMeta(&m.ObjectMeta)
	// Knative requires a spec but checks none of its values.
	if equality.Semantic.DeepEqual(m.Spec, autoscaling.MetricSpec{}) {
		errs = append(errs, field.Required(specPath, "a Metric needs stableWindow, panicWindow and scrapeTarget"))
	}
	return errs
}

// ValidateMetricUpdate validates an updated Metric against its previous
// version. Knative makes no part of the spec immutable.
func ValidateMetricUpdate(m, old *autoscaling.Metric) field.ErrorList {
	errs := ValidateMetric(m)
	return append(errs, apivalidation.ValidateObjectMetaUpdate(&m.ObjectMeta, &old.ObjectMeta, metadataPath)...)
}

// validateObjectMeta applies Knative Serving's metadata rules: names (and
// generateName prefixes) are DNS-1035 labels, and the autoscaling
// annotations must be valid.
func validateObjectMeta(meta *metav1.ObjectMeta) field.ErrorList {
	errs := apivalidation.ValidateObjectMeta(meta, true, apivalidation.NameIsDNS1035Label, metadataPath)
	return append(errs, ValidateAnnotations(meta.Annotations, annotationsPath)...)
}
