// Package validation checks networking.internal.knative.dev objects with the
// outcomes of Knative's admission webhook (knative.dev/networking's
// Validate methods as Knative Serving v0.51 runs them). Callers pass
// internal objects that defaulting has already completed.
//
// Knative validates no metadata of these kinds beyond what the API server
// checks for any custom resource (names are DNS subdomains), and makes no
// part of their specs immutable.
package validation

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/equality"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/networking"
)

var (
	metadataPath    = field.NewPath("metadata")
	annotationsPath = metadataPath.Child("annotations")
	specPath        = field.NewPath("spec")
)

// ValidateIngress validates an Ingress on create, and as part of update.
func ValidateIngress(ing *networking.Ingress) field.ErrorList {
	errs := validateObjectMeta(&ing.ObjectMeta)
	return append(errs, validateIngressSpec(&ing.Spec, ing.Namespace, specPath)...)
}

// ValidateIngressUpdate validates an updated Ingress against its previous
// version.
func ValidateIngressUpdate(ing, old *networking.Ingress) field.ErrorList {
	errs := ValidateIngress(ing)
	return append(errs, apivalidation.ValidateObjectMetaUpdate(&ing.ObjectMeta, &old.ObjectMeta, metadataPath)...)
}

func validateIngressSpec(s *networking.IngressSpec, ns string, fldPath *field.Path) field.ErrorList {
	if equality.Semantic.DeepEqual(s, &networking.IngressSpec{}) {
		return field.ErrorList{field.Required(fldPath, "an Ingress needs at least one rule")}
	}
	var errs field.ErrorList
	rulesPath := fldPath.Child("rules")
	if len(s.Rules) == 0 {
		errs = append(errs, field.Required(rulesPath, "an Ingress needs at least one rule"))
	}
	for i := range s.Rules {
		errs = append(errs, validateRule(&s.Rules[i], ns, rulesPath.Index(i))...)
	}
	// TLS settings are optional, but those given must be complete.
	for i := range s.TLS {
		errs = append(errs, validateTLS(&s.TLS[i], fldPath.Child("tls").Index(i))...)
	}
	return errs
}

func validateRule(r *networking.IngressRule, ns string, fldPath *field.Path) field.ErrorList {
	if equality.Semantic.DeepEqual(r, &networking.IngressRule{}) {
		return field.ErrorList{field.Required(fldPath, "a rule needs hosts and http paths")}
	}
	if r.HTTP == nil {
		return field.ErrorList{field.Required(fldPath.Child("http"), "a rule needs http paths")}
	}
	pathsPath := fldPath.Child("http", "paths")
	if len(r.HTTP.Paths) == 0 {
		return field.ErrorList{field.Required(pathsPath, "a rule needs at least one path")}
	}
	var errs field.ErrorList
	for i := range r.HTTP.Paths {
		errs = append(errs, validatePath(&r.HTTP.Paths[i], ns, pathsPath.Index(i))...)
	}
	return errs
}

func validatePath(p *networking.HTTPIngressPath, ns string, fldPath *field.Path) field.ErrorList {
	if equality.Semantic.DeepEqual(p, &networking.HTTPIngressPath{}) {
		return field.ErrorList{field.Required(fldPath, "a path needs splits")}
	}
	splitsPath := fldPath.Child("splits")
	if len(p.Splits) == 0 {
		return field.ErrorList{field.Required(splitsPath, "a path needs at least one split")}
	}
	var total int64
	for i := range p.Splits {
		// Knative stops at the first invalid split: the total of a path
		// with one is not meaningful.
		if errs := validateSplit(&p.Splits[i], ns, splitsPath.Index(i)); len(errs) > 0 {
			return errs
		}
		total += int64(p.Splits[i].Percent)
	}
	// A single split may leave its percentage out: it takes all traffic.
	if (len(p.Splits) != 1 || total != 0) && total != 100 {
		return field.ErrorList{field.Invalid(splitsPath, total,
			fmt.Sprintf("traffic split percentages must total 100, but was %d", total))}
	}
	return nil
}

func validateSplit(s *networking.IngressBackendSplit, ns string, fldPath *field.Path) field.ErrorList {
	if equality.Semantic.DeepEqual(s, &networking.IngressBackendSplit{}) {
		return field.ErrorList{field.Required(fldPath, "a split needs a backend")}
	}
	var errs field.ErrorList
	if s.Percent < 0 || s.Percent > 100 {
		errs = append(errs, field.Invalid(fldPath.Child("percent"), s.Percent, "must be between 0 and 100"))
	}
	return append(errs, validateBackend(&s.IngressBackend, ns, fldPath)...)
}

// validateBackend checks the backend inlined in a split; fldPath is the split.
func validateBackend(b *networking.IngressBackend, ns string, fldPath *field.Path) field.ErrorList {
	if equality.Semantic.DeepEqual(b, &networking.IngressBackend{}) {
		return field.ErrorList{field.Required(fldPath, "a split needs serviceNamespace, serviceName and servicePort")}
	}
	var errs field.ErrorList
	switch p := fldPath.Child("serviceNamespace"); {
	case b.ServiceNamespace == "":
		errs = append(errs, field.Required(p, ""))
	case b.ServiceNamespace != ns:
		errs = append(errs, field.Invalid(p, b.ServiceNamespace,
			fmt.Sprintf("service namespace must match the Ingress's namespace %q", ns)))
	}
	if b.ServiceName == "" {
		errs = append(errs, field.Required(fldPath.Child("serviceName"), ""))
	}
	// The zero IntOrString is the integer 0: no port given.
	if b.ServicePort == (intstr.IntOrString{}) {
		errs = append(errs, field.Required(fldPath.Child("servicePort"), ""))
	}
	return errs
}

func validateTLS(t *networking.IngressTLS, fldPath *field.Path) field.ErrorList {
	if equality.Semantic.DeepEqual(t, &networking.IngressTLS{}) {
		return field.ErrorList{field.Required(fldPath, "a TLS setting needs secretName and secretNamespace")}
	}
	var errs field.ErrorList
	if t.SecretName == "" {
		errs = append(errs, field.Required(fldPath.Child("secretName"), ""))
	}
	if t.SecretNamespace == "" {
		errs = append(errs, field.Required(fldPath.Child("secretNamespace"), ""))
	}
	return errs
}

// ValidateServerlessService validates a ServerlessService on create, and as
// part of update.
func ValidateServerlessService(sks *networking.ServerlessService) field.ErrorList {
	errs := validateObjectMeta(&sks.ObjectMeta)
	errs = append(errs, ValidateAnnotations(sks.Annotations, annotationsPath)...)
	return append(errs, validateServerlessServiceSpec(&sks.Spec, specPath)...)
}

// ValidateServerlessServiceUpdate validates an updated ServerlessService
// against its previous version.
func ValidateServerlessServiceUpdate(sks, old *networking.ServerlessService) field.ErrorList {
	errs := ValidateServerlessService(sks)
	return append(errs, apivalidation.ValidateObjectMetaUpdate(&sks.ObjectMeta, &old.ObjectMeta, metadataPath)...)
}

var sksModes = []string{string(networking.SKSOperationModeProxy), string(networking.SKSOperationModeServe)}

func validateServerlessServiceSpec(s *networking.ServerlessServiceSpec, fldPath *field.Path) field.ErrorList {
	if equality.Semantic.DeepEqual(s, &networking.ServerlessServiceSpec{}) {
		return field.ErrorList{field.Required(fldPath, "a ServerlessService needs mode, objectRef and ProtocolType")}
	}
	var errs field.ErrorList
	switch p := fldPath.Child("mode"); s.Mode {
	case networking.SKSOperationModeProxy, networking.SKSOperationModeServe:
	case "":
		errs = append(errs, field.Required(p, "one of "+strings.Join(sksModes, ", ")))
	default:
		errs = append(errs, field.NotSupported(p, s.Mode, sksModes))
	}
	if s.NumActivators < 0 {
		errs = append(errs, field.Invalid(fldPath.Child("numActivators"), s.NumActivators, "must be >= 0 (0 assigns all activators)"))
	}
	ref := s.ObjectRef
	errs = append(errs, ValidateObjectReference(ref.APIVersion, ref.Kind, ref.Name, fldPath.Child("objectRef"))...)
	// Knative's Go field has no JSON tag: its wire name is "ProtocolType".
	return append(errs, ValidateProtocolType(string(s.ProtocolType), fldPath.Child("ProtocolType"))...)
}

var protocolTypes = []string{string(networking.ProtocolHTTP1), string(networking.ProtocolH2C)}

// ValidateProtocolType checks an application-layer protocol: http1 or h2c,
// and required. PodAutoscalers use it too.
func ValidateProtocolType(p string, fldPath *field.Path) field.ErrorList {
	switch p {
	case string(networking.ProtocolHTTP1), string(networking.ProtocolH2C):
		return nil
	case "":
		return field.ErrorList{field.Required(fldPath, "one of "+strings.Join(protocolTypes, ", "))}
	}
	return field.ErrorList{field.NotSupported(fldPath, p, protocolTypes)}
}

// ValidateObjectReference checks a reference to an object in the same
// namespace, as Knative's ValidateNamespacedObjectReference does: apiVersion
// a qualified name, kind a C identifier, name a DNS-1123 label, all
// required. PodAutoscalers use it for their scale target.
func ValidateObjectReference(apiVersion, kind, name string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	check := func(child, value string, rule func(string) []string) {
		p := fldPath.Child(child)
		if value == "" {
			errs = append(errs, field.Required(p, ""))
		} else if msgs := rule(value); len(msgs) > 0 {
			errs = append(errs, field.Invalid(p, value, strings.Join(msgs, ", ")))
		}
	}
	check("apiVersion", apiVersion, validation.IsQualifiedName)
	check("kind", kind, validation.IsCIdentifier)
	check("name", name, validation.IsDNS1123Label)
	return errs
}

// allowedAnnotations are the networking.knative.dev annotations Knative's
// networking.ValidateAnnotations accepts.
var allowedAnnotations = sets.New(
	networking.IngressClassAnnotationKey, networking.IngressClassAnnotationAltKey,
	networking.CertificateClassAnnotationKey, networking.CertificateClassAnnotationAltKey,
	networking.DisableAutoTLSAnnotationKey, networking.DisableAutoTLSAnnotationAltKey,
	networking.HTTPOptionAnnotationKey, networking.HTTPProtocolAnnotationKey,
	networking.DisableExternalDomainTLSKey,
)

// ValidateAnnotations rejects unknown networking.knative.dev annotations,
// which are most likely misspellings; fldPath is the annotations map.
func ValidateAnnotations(anns map[string]string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, k := range sets.List(sets.KeySet(anns)) {
		if strings.HasPrefix(k, networking.AnnotationGroup) && !allowedAnnotations.Has(k) {
			errs = append(errs, field.Invalid(fldPath.Key(k), anns[k], "unknown networking.knative.dev annotation"))
		}
	}
	return errs
}

// validateObjectMeta checks metadata as the API server checks a custom
// resource's: names are DNS subdomains.
func validateObjectMeta(meta *metav1.ObjectMeta) field.ErrorList {
	return apivalidation.ValidateObjectMeta(meta, true, apivalidation.NameIsDNSSubdomain, metadataPath)
}
