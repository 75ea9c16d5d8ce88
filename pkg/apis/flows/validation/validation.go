// Package validation checks flows.knative.dev objects with the outcomes of
// Knative Eventing's admission webhook under its default configuration
// (config-features as shipped: cross-namespace references and
// kreference-group off, delivery-timeout on, delivery-retryafter off).
// Callers pass internal objects that defaulting has already completed.
package validation

import (
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	duckvalidation "github.com/knap-dev/knap/pkg/apis/duck/validation"
	"github.com/knap-dev/knap/pkg/apis/flows"
)

// anyNamespace: Knative checks no parent namespace on flows' destinations,
// so references into other namespaces are accepted.
const anyNamespace = ""

var (
	metadataPath = field.NewPath("metadata")
	specPath     = field.NewPath("spec")
)

// ValidateSequence validates a Sequence on create, and as part of update.
func ValidateSequence(s *flows.Sequence) field.ErrorList {
	errs := validateObjectMeta(&s.ObjectMeta)
	stepsPath := specPath.Child("steps")
	if len(s.Spec.Steps) == 0 {
		errs = append(errs, field.Required(stepsPath, "a Sequence needs at least one step"))
	}
	for i := range s.Spec.Steps {
		step := &s.Spec.Steps[i]
		p := stepsPath.Index(i)
		errs = append(errs, duckvalidation.ValidateDestination(&step.Destination, anyNamespace, p)...)
		errs = append(errs, duckvalidation.ValidateDeliverySpec(step.Delivery, anyNamespace, p.Child("delivery"))...)
	}
	errs = append(errs, duckvalidation.ValidateChannelTemplate(s.Spec.ChannelTemplate, specPath.Child("channelTemplate"))...)
	errs = append(errs, duckvalidation.ValidateDestination(s.Spec.Reply, anyNamespace, specPath.Child("reply"))...)
	return errs
}

// ValidateSequenceUpdate validates an updated Sequence against its previous
// version. Knative makes no part of the spec immutable.
func ValidateSequenceUpdate(s, old *flows.Sequence) field.ErrorList {
	errs := ValidateSequence(s)
	return append(errs, apivalidation.ValidateObjectMetaUpdate(&s.ObjectMeta, &old.ObjectMeta, metadataPath)...)
}

// ValidateParallel validates a Parallel on create, and as part of update.
func ValidateParallel(p *flows.Parallel) field.ErrorList {
	errs := validateObjectMeta(&p.ObjectMeta)
	branchesPath := specPath.Child("branches")
	if len(p.Spec.Branches) == 0 {
		errs = append(errs, field.Required(branchesPath, "a Parallel needs at least one branch"))
	}
	for i := range p.Spec.Branches {
		b := &p.Spec.Branches[i]
		bp := branchesPath.Index(i)
		errs = append(errs, duckvalidation.ValidateDestination(b.Filter, anyNamespace, bp.Child("filter"))...)
		errs = append(errs, duckvalidation.ValidateDestination(&b.Subscriber, anyNamespace, bp.Child("subscriber"))...)
		errs = append(errs, duckvalidation.ValidateDestination(b.Reply, anyNamespace, bp.Child("reply"))...)
		errs = append(errs, duckvalidation.ValidateDeliverySpec(b.Delivery, anyNamespace, bp.Child("delivery"))...)
	}
	errs = append(errs, duckvalidation.ValidateChannelTemplate(p.Spec.ChannelTemplate, specPath.Child("channelTemplate"))...)
	errs = append(errs, duckvalidation.ValidateDestination(p.Spec.Reply, anyNamespace, specPath.Child("reply"))...)
	return errs
}

// ValidateParallelUpdate validates an updated Parallel against its previous
// version. Knative makes no part of the spec immutable.
func ValidateParallelUpdate(p, old *flows.Parallel) field.ErrorList {
	errs := ValidateParallel(p)
	return append(errs, apivalidation.ValidateObjectMetaUpdate(&p.ObjectMeta, &old.ObjectMeta, metadataPath)...)
}

// validateObjectMeta checks metadata as the API server checks a custom
// resource's: names are DNS subdomains.
func validateObjectMeta(meta *metav1.ObjectMeta) field.ErrorList {
	return apivalidation.ValidateObjectMeta(meta, true, apivalidation.NameIsDNSSubdomain, metadataPath)
}
