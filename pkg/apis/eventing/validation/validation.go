// Package validation checks eventing.knative.dev objects with the outcomes of
// Knative Eventing's admission webhook under its default configuration
// (config-features as shipped: new-trigger-filters on, cross-namespace event
// links off). Callers pass internal objects that defaulting has completed.
package validation

import (
	"encoding/json"
	"fmt"
	"net/url"

	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	duckvalidation "github.com/knap-dev/knap/pkg/apis/duck/validation"
	"github.com/knap-dev/knap/pkg/apis/eventing"
)

var (
	metadataPath    = field.NewPath("metadata")
	annotationsPath = metadataPath.Child("annotations")
	specPath        = field.NewPath("spec")
)

// ValidateBroker validates a Broker on create, and as part of update.
func ValidateBroker(b *eventing.Broker) field.ErrorList {
	errs := validateObjectMeta(&b.ObjectMeta)
	if b.Annotations[eventing.BrokerClassAnnotation] == "" {
		errs = append(errs, field.Required(annotationsPath.Key(eventing.BrokerClassAnnotation), "the Broker class"))
	}
	// A Broker's config and dead letter sink may live in another namespace
	// (Knative validates them with different namespaces allowed).
	if b.Spec.Config != nil {
		errs = append(errs, duckvalidation.ValidateKReference(b.Spec.Config, "", specPath.Child("config"))...)
	}
	errs = append(errs, duckvalidation.ValidateDeliverySpec(b.Spec.Delivery, "", specPath.Child("delivery"))...)
	return errs
}

// ValidateBrokerUpdate validates an updated Broker against its previous
// version: only the delivery may change, and the class annotation is fixed.
func ValidateBrokerUpdate(b, old *eventing.Broker) field.ErrorList {
	errs := ValidateBroker(b)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&b.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	errs = append(errs, apivalidation.ValidateImmutableField(b.Spec.Config, old.Spec.Config, specPath.Child("config"))...)
	if v := b.Annotations[eventing.BrokerClassAnnotation]; v != old.Annotations[eventing.BrokerClassAnnotation] {
		errs = append(errs, field.Invalid(annotationsPath.Key(eventing.BrokerClassAnnotation), v, apivalidation.FieldImmutableErrorMsg))
	}
	return errs
}

// ValidateTrigger validates a Trigger on create, and as part of update.
func ValidateTrigger(t *eventing.Trigger) field.ErrorList {
	errs := validateObjectMeta(&t.ObjectMeta)
	errs = append(errs, validateTriggerBroker(&t.Spec, t.Namespace)...)
	if t.Spec.Filter != nil {
		errs = append(errs, validateAttributeNames(t.Spec.Filter.Attributes, specPath.Child("filter", "attributes"))...)
	}
	errs = append(errs, validateFilters(t.Spec.Filters, specPath.Child("filters"))...)
	// Knative validates a Trigger's subscriber and dead letter sink without
	// a parent namespace, so they may be in another namespace.
	errs = append(errs, duckvalidation.ValidateDestination(&t.Spec.Subscriber, "", specPath.Child("subscriber"))...)
	errs = append(errs, duckvalidation.ValidateDeliverySpec(t.Spec.Delivery, "", specPath.Child("delivery"))...)
	if v, ok := t.Annotations[eventing.DependencyAnnotation]; ok {
		errs = append(errs, validateDependency(v, t.Namespace, annotationsPath.Key(eventing.DependencyAnnotation))...)
	}
	if v, ok := t.Annotations[eventing.InjectionAnnotation]; ok {
		errs = append(errs, validateInjection(v, t.Spec.Broker, annotationsPath.Key(eventing.InjectionAnnotation))...)
	}
	return errs
}

// ValidateTriggerUpdate validates an updated Trigger against its previous
// version: the Broker it reads from cannot change.
func ValidateTriggerUpdate(t, old *eventing.Trigger) field.ErrorList {
	errs := ValidateTrigger(t)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&t.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	errs = append(errs, apivalidation.ValidateImmutableField(t.Spec.Broker, old.Spec.Broker, specPath.Child("broker"))...)
	errs = append(errs, apivalidation.ValidateImmutableField(t.Spec.BrokerRef, old.Spec.BrokerRef, specPath.Child("brokerRef"))...)
	return errs
}

// validateTriggerBroker requires exactly one of broker and brokerRef. With
// cross-namespace event links off, brokerRef must name a Broker in the
// Trigger's own namespace.
func validateTriggerBroker(s *eventing.TriggerSpec, ns string) field.ErrorList {
	switch {
	case s.Broker == "" && s.BrokerRef == nil:
		return field.ErrorList{field.Required(specPath.Child("broker"), "one of broker or brokerRef is required")}
	case s.Broker != "" && s.BrokerRef != nil:
		return field.ErrorList{field.Forbidden(specPath.Child("brokerRef"), "may not be set together with spec.broker")}
	case s.BrokerRef != nil:
		return duckvalidation.ValidateKReference(s.BrokerRef, ns, specPath.Child("brokerRef"))
	}
	return nil
}

// validateDependency checks the knative.dev/dependency annotation: a JSON
// object reference to an object in the Trigger's namespace.
func validateDependency(v, ns string, fldPath *field.Path) field.ErrorList {
	var ref corev1.ObjectReference
	if err := json.Unmarshal([]byte(v), &ref); err != nil {
		return field.ErrorList{field.Invalid(fldPath, v, fmt.Sprintf("must be a JSON object reference with kind, name and apiVersion: %v", err))}
	}
	var errs field.ErrorList
	if ref.Namespace != "" && ref.Namespace != ns {
		errs = append(errs, field.Invalid(fldPath.Child("namespace"), ref.Namespace, fmt.Sprintf("must be empty or the Trigger's namespace %q", ns)))
	}
	if ref.Kind == "" {
		errs = append(errs, field.Required(fldPath.Child("kind"), ""))
	}
	if ref.Name == "" {
		errs = append(errs, field.Required(fldPath.Child("name"), ""))
	}
	if ref.APIVersion == "" {
		errs = append(errs, field.Required(fldPath.Child("apiVersion"), ""))
	}
	return errs
}

// validateInjection checks the eventing.knative.dev/injection annotation,
// which only makes sense on a Trigger of the "default" Broker.
func validateInjection(v, broker string, fldPath *field.Path) field.ErrorList {
	if v != "enabled" && v != "disabled" {
		return field.ErrorList{field.NotSupported(fldPath, v, []string{"enabled", "disabled"})}
	}
	if broker != "default" {
		return field.ErrorList{field.Invalid(fldPath, v, fmt.Sprintf("only applies to the Broker named \"default\", not %q", broker))}
	}
	return nil
}

// ValidateEventType validates an EventType on create, and as part of update.
func ValidateEventType(e *eventing.EventType) field.ErrorList {
	errs := validateObjectMeta(&e.ObjectMeta)
	if e.Spec.Type == "" {
		errs = append(errs, field.Required(specPath.Child("type"), "the CloudEvents type"))
	}
	// Knative's URL type refuses what does not parse as a URL when it
	// decodes the object.
	errs = append(errs, validateURL(e.Spec.Source, specPath.Child("source"))...)
	errs = append(errs, validateURL(e.Spec.Schema, specPath.Child("schema"))...)
	return errs
}

// ValidateEventTypeUpdate validates an updated EventType: its spec is
// immutable.
func ValidateEventTypeUpdate(e, old *eventing.EventType) field.ErrorList {
	errs := ValidateEventType(e)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&e.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	errs = append(errs, apivalidation.ValidateImmutableField(e.Spec, old.Spec, specPath)...)
	return errs
}

func validateURL(u *string, fldPath *field.Path) field.ErrorList {
	if u == nil {
		return nil
	}
	if _, err := url.Parse(*u); err != nil {
		return field.ErrorList{field.Invalid(fldPath, *u, err.Error())}
	}
	return nil
}

// validateObjectMeta applies the Kubernetes metadata rules, with names as
// a CustomResourceDefinition's objects have them (DNS subdomains).
func validateObjectMeta(meta *metav1.ObjectMeta) field.ErrorList {
	return apivalidation.ValidateObjectMeta(meta, true, apivalidation.NameIsDNSSubdomain, metadataPath)
}
