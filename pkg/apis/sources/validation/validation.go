// Package validation checks sources.knative.dev objects with the outcomes of
// Knative Eventing's admission webhook under its default configuration
// (config-features and config-ping-defaults as shipped). Callers pass
// internal objects that defaulting has already completed.
package validation

import (
	"fmt"
	"strings"

	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	duckvalidation "github.com/knap-dev/knap/pkg/apis/duck/validation"
	"github.com/knap-dev/knap/pkg/apis/sources"
)

var (
	metadataPath = field.NewPath("metadata")
	specPath     = field.NewPath("spec")
)

// ValidatePingSource validates a PingSource on create, and as part of update.

// anyNamespace: Knative checks no parent namespace on a source's sink, so
// a sink in another namespace is accepted.
const anyNamespace = ""

func ValidatePingSource(p *sources.PingSource) field.ErrorList {
	errs := validateObjectMeta(&p.ObjectMeta)
	errs = append(errs, validatePingSourceSpec(&p.Spec, specPath)...)
	return append(errs, duckvalidation.ValidateSourceSpec(&p.Spec.SourceSpec, anyNamespace, specPath)...)
}

// ValidatePingSourceUpdate validates an updated PingSource; every field of
// its spec may change.
func ValidatePingSourceUpdate(p, old *sources.PingSource) field.ErrorList {
	errs := ValidatePingSource(p)
	return append(errs, apivalidation.ValidateObjectMetaUpdate(&p.ObjectMeta, &old.ObjectMeta, metadataPath)...)
}

// ValidateApiServerSource validates an ApiServerSource on create, and as
// part of update.
func ValidateApiServerSource(a *sources.ApiServerSource) field.ErrorList {
	errs := validateObjectMeta(&a.ObjectMeta)
	errs = append(errs, validateApiServerSourceSpec(&a.Spec, specPath)...)
	return append(errs, duckvalidation.ValidateSourceSpec(&a.Spec.SourceSpec, anyNamespace, specPath)...)
}

// ValidateApiServerSourceUpdate validates an updated ApiServerSource; every
// field of its spec may change.
func ValidateApiServerSourceUpdate(a, old *sources.ApiServerSource) field.ErrorList {
	errs := ValidateApiServerSource(a)
	return append(errs, apivalidation.ValidateObjectMetaUpdate(&a.ObjectMeta, &old.ObjectMeta, metadataPath)...)
}

// ValidateSinkBinding validates a SinkBinding on create, and as part of update.
func ValidateSinkBinding(b *sources.SinkBinding) field.ErrorList {
	errs := validateObjectMeta(&b.ObjectMeta)
	subjectPath := specPath.Child("subject")
	errs = append(errs, validateReference(&b.Spec.Subject, subjectPath)...)
	if ns := b.Spec.Subject.Namespace; ns != "" && ns != b.Namespace {
		errs = append(errs, field.Invalid(subjectPath.Child("namespace"), ns,
			fmt.Sprintf("must be the SinkBinding's own namespace, %q", b.Namespace)))
	}
	return append(errs, duckvalidation.ValidateSourceSpec(&b.Spec.SourceSpec, anyNamespace, specPath)...)
}

// ValidateSinkBindingUpdate validates an updated SinkBinding; every field of
// its spec may change.
func ValidateSinkBindingUpdate(b, old *sources.SinkBinding) field.ErrorList {
	errs := ValidateSinkBinding(b)
	return append(errs, apivalidation.ValidateObjectMetaUpdate(&b.ObjectMeta, &old.ObjectMeta, metadataPath)...)
}

// ValidateContainerSource validates a ContainerSource on create, and as part
// of update.
func ValidateContainerSource(c *sources.ContainerSource) field.ErrorList {
	errs := validateObjectMeta(&c.ObjectMeta)
	containersPath := specPath.Child("template", "spec", "containers")
	containers := c.Spec.Template.Spec.Containers
	if len(containers) == 0 {
		errs = append(errs, field.Required(containersPath, "at least one container"))
	}
	for i := range containers {
		// The name is defaulted from the source's; only a source without a
		// name leaves it empty.
		if containers[i].Name == "" {
			errs = append(errs, field.Required(containersPath.Index(i).Child("name"), ""))
		}
		if containers[i].Image == "" {
			errs = append(errs, field.Required(containersPath.Index(i).Child("image"), ""))
		}
	}
	return append(errs, duckvalidation.ValidateSourceSpec(&c.Spec.SourceSpec, anyNamespace, specPath)...)
}

// ValidateContainerSourceUpdate validates an updated ContainerSource; every
// field of its spec may change.
func ValidateContainerSourceUpdate(c, old *sources.ContainerSource) field.ErrorList {
	errs := ValidateContainerSource(c)
	return append(errs, apivalidation.ValidateObjectMetaUpdate(&c.ObjectMeta, &old.ObjectMeta, metadataPath)...)
}

// validateObjectMeta applies the Kubernetes metadata rules. Sources, as
// Knative's CRDs, take any DNS-1123 subdomain as a name.
func validateObjectMeta(meta *metav1.ObjectMeta) field.ErrorList {
	return apivalidation.ValidateObjectMeta(meta, true, apivalidation.NameIsDNSSubdomain, metadataPath)
}

func validateApiServerSourceSpec(s *sources.ApiServerSourceSpec, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch s.Mode {
	case sources.ReferenceMode, sources.ResourceMode:
	default:
		errs = append(errs, field.NotSupported(fldPath.Child("mode"), s.Mode, []string{sources.ReferenceMode, sources.ResourceMode}))
	}
	resourcesPath := fldPath.Child("resources")
	if len(s.Resources) == 0 {
		errs = append(errs, field.Required(resourcesPath, "at least one resource to watch"))
	}
	for i, r := range s.Resources {
		errs = append(errs, validateAPIVersionKind(r.APIVersion, r.Kind, resourcesPath.Index(i))...)
	}
	if o := s.Owner; o != nil {
		errs = append(errs, validateAPIVersionKind(o.APIVersion, o.Kind, fldPath.Child("owner"))...)
	}
	if len(s.Filters) != 0 {
		errs = append(errs, field.Forbidden(fldPath.Child("filters"), "needs the new-apiserver-filters feature, which is disabled"))
	}
	return errs
}

// validateAPIVersionKind checks a kind to watch as Knative does: the API
// version, which may be empty, must parse as group/version, and the kind must
// not be blank.
func validateAPIVersionKind(apiVersion, kind string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if _, err := schema.ParseGroupVersion(apiVersion); err != nil {
		errs = append(errs, field.Invalid(fldPath.Child("apiVersion"), apiVersion, err.Error()))
	}
	if strings.TrimSpace(kind) == "" {
		errs = append(errs, field.Required(fldPath.Child("kind"), ""))
	}
	return errs
}

// validateReference checks a SinkBinding's subject as Knative's tracker
// does: apiVersion, kind and namespace are required, and exactly one of name
// and selector.
func validateReference(r *sources.Reference, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if r.APIVersion == "" {
		errs = append(errs, field.Required(fldPath.Child("apiVersion"), ""))
	} else if msgs := validation.IsQualifiedName(r.APIVersion); len(msgs) != 0 {
		errs = append(errs, field.Invalid(fldPath.Child("apiVersion"), r.APIVersion, strings.Join(msgs, ", ")))
	}
	if r.Kind == "" {
		errs = append(errs, field.Required(fldPath.Child("kind"), ""))
	} else if msgs := validation.IsCIdentifier(r.Kind); len(msgs) != 0 {
		errs = append(errs, field.Invalid(fldPath.Child("kind"), r.Kind, strings.Join(msgs, ", ")))
	}
	if r.Namespace == "" {
		errs = append(errs, field.Required(fldPath.Child("namespace"), ""))
	} else if msgs := validation.IsDNS1123Label(r.Namespace); len(msgs) != 0 {
		errs = append(errs, field.Invalid(fldPath.Child("namespace"), r.Namespace, strings.Join(msgs, ", ")))
	}
	switch {
	case r.Selector != nil && r.Name != "":
		errs = append(errs, field.Forbidden(fldPath.Child("selector"), "may not be set together with name"))
	case r.Selector != nil:
		if _, err := metav1.LabelSelectorAsSelector(r.Selector); err != nil {
			errs = append(errs, field.Invalid(fldPath.Child("selector"), r.Selector.String(), err.Error()))
		}
	case r.Name != "":
		if msgs := validation.IsDNS1123Label(r.Name); len(msgs) != 0 {
			errs = append(errs, field.Invalid(fldPath.Child("name"), r.Name, strings.Join(msgs, ", ")))
		}
	default:
		errs = append(errs, field.Required(fldPath, "expected exactly one of name, selector"))
	}
	return errs
}
