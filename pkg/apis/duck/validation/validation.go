// Package validation checks the duck shapes every knap eventing group shares
// (destinations, references, delivery options), with Knative's outcomes and
// Kubernetes field paths.
package validation

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/url"

	"k8s.io/apimachinery/pkg/util/validation/field"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// ValidateKReference checks a reference held by an object in namespace ns
// (ns "" where Knative allows references into any namespace):
// kind, name and apiVersion are required, group is refused (Knative's
// kreference-group feature is off by default), and a namespace, if given, must be
// the holder's own (Knative's default: cross-namespace references are off).
func ValidateKReference(ref *duckv1.KReference, ns string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if ref == nil {
		return append(errs, field.Required(fldPath, ""))
	}
	if ref.Name == "" {
		errs = append(errs, field.Required(fldPath.Child("name"), ""))
	}
	if ref.APIVersion == "" {
		errs = append(errs, field.Required(fldPath.Child("apiVersion"), ""))
	}
	if ref.Kind == "" {
		errs = append(errs, field.Required(fldPath.Child("kind"), ""))
	}
	if ref.Group != "" {
		errs = append(errs, field.Forbidden(fldPath.Child("group"), "needs the kreference-group feature, which is disabled; use apiVersion"))
	}
	if ref.Namespace != "" && ns != "" && ref.Namespace != ns {
		errs = append(errs, field.Invalid(fldPath.Child("namespace"), ref.Namespace, fmt.Sprintf("mismatched namespaces: must be %q, the namespace of the referring object", ns)))
	}
	return errs
}

// ValidateDestination checks a destination: a ref, an absolute URI, or a ref
// with a URI relative to it; and CA certificates, if given, in PEM.
func ValidateDestination(d *duckv1.Destination, ns string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if d == nil {
		return errs
	}
	switch {
	case d.Ref == nil && d.URI == nil:
		errs = append(errs, field.Required(fldPath, "expected at least one of ref, uri"))
	case d.URI != nil:
		u, err := url.Parse(*d.URI)
		switch {
		case err != nil:
			errs = append(errs, field.Invalid(fldPath.Child("uri"), *d.URI, err.Error()))
		case d.Ref != nil && u.IsAbs():
			errs = append(errs, field.Invalid(fldPath.Child("uri"), *d.URI, "absolute URI is not allowed when ref is set; give a path relative to ref's address"))
		case d.Ref == nil && (!u.IsAbs() || u.Host == ""):
			errs = append(errs, field.Invalid(fldPath.Child("uri"), *d.URI, "relative URI is not allowed without ref; give an absolute URL"))
		}
	}
	if d.Ref != nil {
		errs = append(errs, ValidateKReference(d.Ref, ns, fldPath.Child("ref"))...)
	}
	if d.CACerts != nil {
		errs = append(errs, ValidateCACerts(*d.CACerts, fldPath.Child("CACerts"))...)
	}
	return errs
}

// ValidateCACerts checks that certs holds at least one PEM-encoded X.509
// certificate and nothing else.
func ValidateCACerts(certs string, fldPath *field.Path) field.ErrorList {
	rest := []byte(certs)
	found := false
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return field.ErrorList{field.Invalid(fldPath, "<PEM>", fmt.Sprintf("PEM block of type %q, want CERTIFICATE", block.Type))}
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return field.ErrorList{field.Invalid(fldPath, "<PEM>", "not an X.509 certificate: "+err.Error())}
		}
		found = true
	}
	if !found {
		return field.ErrorList{field.Invalid(fldPath, "<PEM>", "no PEM-encoded CERTIFICATE found")}
	}
	return nil
}

// ValidateDeliverySpec checks delivery options as Knative does with its
// default features (delivery-timeout on, delivery-retryafter off).
func ValidateDeliverySpec(d *duckv1.DeliverySpec, ns string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if d == nil {
		return errs
	}
	if d.DeadLetterSink != nil {
		errs = append(errs, ValidateDestination(d.DeadLetterSink, ns, fldPath.Child("deadLetterSink"))...)
	}
	if d.Retry != nil && *d.Retry < 0 {
		errs = append(errs, field.Invalid(fldPath.Child("retry"), *d.Retry, "must be greater than or equal to 0"))
	}
	if d.Timeout != nil {
		if p, err := ParseISO8601(*d.Timeout); err != nil || p <= 0 {
			errs = append(errs, field.Invalid(fldPath.Child("timeout"), *d.Timeout, "must be an ISO-8601 duration greater than 0, e.g. PT30S"))
		}
	}
	if d.BackoffPolicy != nil {
		switch *d.BackoffPolicy {
		case duckv1.BackoffPolicyLinear, duckv1.BackoffPolicyExponential:
		default:
			errs = append(errs, field.NotSupported(fldPath.Child("backoffPolicy"), *d.BackoffPolicy, []string{string(duckv1.BackoffPolicyLinear), string(duckv1.BackoffPolicyExponential)}))
		}
	}
	if d.BackoffDelay != nil {
		if _, err := ParseISO8601(*d.BackoffDelay); err != nil {
			errs = append(errs, field.Invalid(fldPath.Child("backoffDelay"), *d.BackoffDelay, "must be an ISO-8601 duration, e.g. PT0.2S"))
		}
	}
	if d.Format != nil {
		switch *d.Format {
		case duckv1.DeliveryFormatJSON, duckv1.DeliveryFormatBinary:
		default:
			errs = append(errs, field.NotSupported(fldPath.Child("format"), *d.Format, []string{string(duckv1.DeliveryFormatJSON), string(duckv1.DeliveryFormatBinary)}))
		}
	}
	if d.RetryAfterMax != nil {
		errs = append(errs, field.Forbidden(fldPath.Child("retryAfterMax"), "needs the delivery-retryafter feature, which is disabled"))
	}
	return errs
}

// ValidateSourceSpec checks the sink and CloudEvent overrides of a source.
func ValidateSourceSpec(s *duckv1.SourceSpec, ns string, fldPath *field.Path) field.ErrorList {
	errs := ValidateDestination(&s.Sink, ns, fldPath.Child("sink"))
	if s.CloudEventOverrides != nil {
		for name := range s.CloudEventOverrides.Extensions {
			if !isCloudEventAttributeName(name) {
				errs = append(errs, field.Invalid(fldPath.Child("ceOverrides", "extensions").Key(name), name, "CloudEvents attribute names are lower-case letters and digits only"))
			}
		}
	}
	return errs
}

// isCloudEventAttributeName: CloudEvents 1.0 attribute names use a-z and
// 0-9 only.
func isCloudEventAttributeName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// ValidateChannelTemplate requires a channel template's apiVersion and kind
// (defaulting fills in the whole template only when it is absent) and a
// spec, if given, that is a JSON object, as Knative's CRD schemas demand.
func ValidateChannelTemplate(ct *duckv1.ChannelTemplateSpec, fldPath *field.Path) field.ErrorList {
	if ct == nil {
		return field.ErrorList{field.Required(fldPath, "")}
	}
	var errs field.ErrorList
	if ct.Kind == "" {
		errs = append(errs, field.Required(fldPath.Child("kind"), ""))
	}
	if ct.APIVersion == "" {
		errs = append(errs, field.Required(fldPath.Child("apiVersion"), ""))
	}
	if ct.Spec != nil && ct.Spec.Raw != nil {
		var object map[string]any
		if err := json.Unmarshal(ct.Spec.Raw, &object); err != nil || object == nil {
			errs = append(errs, field.Invalid(fldPath.Child("spec"), string(ct.Spec.Raw), "must be an object"))
		}
	}
	return errs
}
