// Package validation checks serving.knative.dev objects with the outcomes of
// Knative Serving's admission webhook under its default configuration
// (config-defaults, config-autoscaler and config-features as shipped).
// Callers pass internal objects that defaulting has already completed.
package validation

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/equality"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	asvalidation "github.com/knap-dev/knap/pkg/apis/autoscaling/validation"
	"github.com/knap-dev/knap/pkg/apis/serving"
)

var (
	metadataPath    = field.NewPath("metadata")
	annotationsPath = metadataPath.Child("annotations")
	labelsPath      = metadataPath.Child("labels")
	specPath        = field.NewPath("spec")
	templatePath    = specPath.Child("template")
)

// ValidateService validates a Service on create, and as part of update.
func ValidateService(s *serving.Service) field.ErrorList {
	errs := validateObjectMeta(&s.ObjectMeta)
	errs = append(errs, validateNoAutoscalingAnnotations(s.Annotations, annotationsPath)...)
	errs = append(errs, validateRolloutDuration(s.Annotations, annotationsPath)...)
	errs = append(errs, validateTemplate(&s.Spec.Template, &s.ObjectMeta, templatePath)...)
	errs = append(errs, validateTraffic(s.Spec.Traffic, serviceTraffic, specPath.Child("traffic"))...)
	return errs
}

// ValidateServiceUpdate validates an updated Service against its previous version.
func ValidateServiceUpdate(s, old *serving.Service) field.ErrorList {
	errs := ValidateService(s)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&s.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	errs = append(errs, validateUserInfoAnnotations(&s.ObjectMeta, &old.ObjectMeta, specChanged(s.Spec, old.Spec))...)
	errs = append(errs, validateTemplateRename(&s.Spec.Template, &old.Spec.Template, templatePath)...)
	return errs
}

// ValidateConfiguration validates a Configuration on create, and as part of update.
func ValidateConfiguration(c *serving.Configuration) field.ErrorList {
	errs := validateObjectMeta(&c.ObjectMeta)
	errs = append(errs, validateNoAutoscalingAnnotations(c.Annotations, annotationsPath)...)
	errs = append(errs, validateOwnerLabel(&c.ObjectMeta, serviceLabel, "Service")...)
	errs = append(errs, validateTemplate(&c.Spec.Template, &c.ObjectMeta, templatePath)...)
	return errs
}

// ValidateConfigurationUpdate validates an updated Configuration against its previous version.
func ValidateConfigurationUpdate(c, old *serving.Configuration) field.ErrorList {
	errs := ValidateConfiguration(c)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&c.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	// A Service's controller writes its Configuration; user info is only
	// tracked on Configurations people create directly.
	if len(c.OwnerReferences) == 0 {
		errs = append(errs, validateUserInfoAnnotations(&c.ObjectMeta, &old.ObjectMeta, specChanged(c.Spec, old.Spec))...)
	}
	errs = append(errs, validateTemplateRename(&c.Spec.Template, &old.Spec.Template, templatePath)...)
	return errs
}

// ValidateRevision validates a Revision on create.
func ValidateRevision(r *serving.Revision) field.ErrorList {
	errs := validateRevisionMeta(&r.ObjectMeta)
	errs = append(errs, validateRevisionSpec(&r.Spec, specPath)...)
	return errs
}

// ValidateRevisionUpdate validates an updated Revision. Its spec is
// immutable, so only the metadata is validated again.
func ValidateRevisionUpdate(r, old *serving.Revision) field.ErrorList {
	errs := validateRevisionMeta(&r.ObjectMeta)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&r.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	if specChanged(r.Spec, old.Spec) {
		errs = append(errs, field.Forbidden(specPath, "a Revision's spec is immutable; change the Configuration or Service template instead"))
	}
	return errs
}

// ValidateRoute validates a Route on create, and as part of update.
func ValidateRoute(r *serving.Route) field.ErrorList {
	errs := validateObjectMeta(&r.ObjectMeta)
	errs = append(errs, validateNoAutoscalingAnnotations(r.Annotations, annotationsPath)...)
	errs = append(errs, validateOwnerLabel(&r.ObjectMeta, serviceLabel, "Service")...)
	errs = append(errs, validateRolloutDuration(r.Annotations, annotationsPath)...)
	errs = append(errs, validateTraffic(r.Spec.Traffic, routeTraffic, specPath.Child("traffic"))...)
	return errs
}

// ValidateRouteUpdate validates an updated Route against its previous version.
func ValidateRouteUpdate(r, old *serving.Route) field.ErrorList {
	errs := ValidateRoute(r)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&r.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	// As for Configurations, user info is tracked only without an owner.
	if len(r.OwnerReferences) == 0 {
		errs = append(errs, validateUserInfoAnnotations(&r.ObjectMeta, &old.ObjectMeta, specChanged(r.Spec, old.Spec))...)
	}
	return errs
}

// validateObjectMeta applies the Kubernetes metadata rules with DNS-1035
// names (at most 63 characters): names become hostnames and DNS labels.
func validateObjectMeta(meta *metav1.ObjectMeta) field.ErrorList {
	return apivalidation.ValidateObjectMeta(meta, true, apivalidation.NameIsDNS1035Label, metadataPath)
}

func validateRevisionMeta(meta *metav1.ObjectMeta) field.ErrorList {
	errs := validateObjectMeta(meta)
	errs = append(errs, asvalidation.ValidateAnnotations(meta.Annotations, annotationsPath)...)
	errs = append(errs, validateOwnerLabel(meta, configurationLabel, "Configuration")...)
	return errs
}

// validateOwnerLabel requires that a label naming a parent object is backed
// by an owner reference to that parent, so the label cannot be forged.
func validateOwnerLabel(meta *metav1.ObjectMeta, label, kind string) field.ErrorList {
	name, ok := meta.Labels[label]
	if !ok {
		return nil
	}
	for _, ref := range meta.OwnerReferences {
		if ref.Kind == kind && ref.Name == name {
			return nil
		}
	}
	return field.ErrorList{field.Invalid(labelsPath.Key(label), name,
		fmt.Sprintf("requires an owner reference to the %s %q in metadata.ownerReferences", kind, name))}
}

// validateUserInfoAnnotations keeps the creator fixed and lets the last
// modifier change only along with the spec, as it records who changed it.
func validateUserInfoAnnotations(meta, old *metav1.ObjectMeta, specChanged bool) field.ErrorList {
	var errs field.ErrorList
	if v := meta.Annotations[creatorAnnotation]; v != old.Annotations[creatorAnnotation] {
		errs = append(errs, field.Invalid(annotationsPath.Key(creatorAnnotation), v, "annotation value is immutable"))
	}
	if v := meta.Annotations[updaterAnnotation]; !specChanged && v != old.Annotations[updaterAnnotation] {
		errs = append(errs, field.Invalid(annotationsPath.Key(updaterAnnotation), v,
			"may only change when the spec changes"))
	}
	return errs
}

func specChanged(spec, old any) bool {
	return !equality.Semantic.DeepEqual(spec, old)
}

// validateTemplate checks a revision template of a Configuration or Service
// (the parent).
func validateTemplate(t *serving.RevisionTemplateSpec, parent *metav1.ObjectMeta, fldPath *field.Path) field.ErrorList {
	metaPath := fldPath.Child("metadata")
	errs := validateTemplateName(&t.ObjectMeta, parent, metaPath)
	// Labels and annotations are copied onto the Revision, so they must be
	// valid Kubernetes metadata.
	errs = append(errs, metav1validation.ValidateLabels(t.Labels, metaPath.Child("labels"))...)
	errs = append(errs, apivalidation.ValidateAnnotations(t.Annotations, metaPath.Child("annotations"))...)
	errs = append(errs, validateTemplateAnnotations(t.Annotations, metaPath.Child("annotations"))...)
	errs = append(errs, validateRevisionSpec(&t.Spec, fldPath.Child("spec"))...)
	return errs
}

// validateTemplateName checks a user-chosen revision name: it must be a
// DNS-1035 label starting with "<parent>-", which a parent created with
// generateName cannot know.
func validateTemplateName(meta, parent *metav1.ObjectMeta, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if gn := meta.GenerateName; gn != "" {
		for _, msg := range apivalidation.NameIsDNS1035Label(gn, true) {
			errs = append(errs, field.Invalid(fldPath.Child("generateName"), gn, msg))
		}
	}
	name := meta.Name
	if name == "" {
		return errs
	}
	namePath := fldPath.Child("name")
	if msgs := apivalidation.NameIsDNS1035Label(name, false); len(msgs) > 0 {
		for _, msg := range msgs {
			errs = append(errs, field.Invalid(namePath, name, msg))
		}
		return errs
	}
	if parent.Name == "" && parent.GenerateName != "" {
		return append(errs, field.Forbidden(namePath,
			"may not be set when the parent's name comes from metadata.generateName"))
	}
	if prefix := parent.Name + "-"; !strings.HasPrefix(name, prefix) {
		msg := fmt.Sprintf("must have prefix %q", prefix)
		if parent.GenerateName != "" {
			msg += " (the parent's generated name): omit it when creating with generateName"
		}
		errs = append(errs, field.Invalid(namePath, name, msg))
	}
	return errs
}

// validateTemplateRename requires a named template to be renamed whenever
// it changes: each name stands for exactly one immutable Revision.
func validateTemplateRename(t, old *serving.RevisionTemplateSpec, fldPath *field.Path) field.ErrorList {
	if t.Name == "" || t.Name != old.Name || equality.Semantic.DeepEqual(t, old) {
		return nil
	}
	return field.ErrorList{field.Invalid(fldPath.Child("metadata", "name"), t.Name,
		fmt.Sprintf("%s changed without a change of its name: a named template stands for "+
			"one immutable Revision, so a changed template needs a new name", fldPath))}
}
