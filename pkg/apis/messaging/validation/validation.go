// Package validation checks messaging.knative.dev objects with the outcomes
// of Knative Eventing's admission webhook and CRD schemas under the default
// config-features (cross-namespace references off, kreference-group off,
// delivery-timeout on, delivery-retryafter off). Callers pass internal
// objects that defaulting has already completed.
package validation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"

	"k8s.io/apimachinery/pkg/api/equality"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	duckvalidation "github.com/knap-dev/knap/pkg/apis/duck/validation"
	"github.com/knap-dev/knap/pkg/apis/messaging"
)

var (
	metadataPath    = field.NewPath("metadata")
	annotationsPath = metadataPath.Child("annotations")
	specPath        = field.NewPath("spec")
	subscribersPath = specPath.Child("subscribers")
	deliveryPath    = specPath.Child("delivery")
	templatePath    = specPath.Child("channelTemplate")
	channelPath     = specPath.Child("channel")
)

// ValidateChannel validates a Channel on create, and as part of update.

// anyNamespace: Knative checks the parent namespace only on a Channel's
// delivery; InMemoryChannel and Subscription destinations may point into
// other namespaces.
const anyNamespace = ""

func ValidateChannel(c *messaging.Channel) field.ErrorList {
	errs := validateObjectMeta(&c.ObjectMeta)
	errs = append(errs, duckvalidation.ValidateChannelTemplate(c.Spec.ChannelTemplate, templatePath)...)
	// The Subscription controller writes subscribers on the backing channel,
	// never on the Channel itself.
	if len(c.Spec.Subscribers) > 0 {
		errs = append(errs, field.Forbidden(subscribersPath,
			"must not set the field(s): a Channel's subscribers are managed on its backing channel by Subscriptions"))
	}
	errs = append(errs, duckvalidation.ValidateDeliverySpec(c.Spec.Delivery, c.Namespace, deliveryPath)...)
	return errs
}

// ValidateChannelUpdate validates an updated Channel against its previous
// version. Only the subscribers may change in its spec (and Channels forbid
// those), so the template and the delivery options are immutable.
func ValidateChannelUpdate(c, old *messaging.Channel) field.ErrorList {
	errs := ValidateChannel(c)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&c.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	if !sameTemplate(c.Spec.ChannelTemplate, old.Spec.ChannelTemplate) {
		errs = append(errs, immutable(templatePath))
	}
	if !equality.Semantic.DeepEqual(c.Spec.Delivery, old.Spec.Delivery) {
		errs = append(errs, immutable(deliveryPath))
	}
	return errs
}

// ValidateInMemoryChannel validates an InMemoryChannel on create, and as
// part of update.
func ValidateInMemoryChannel(imc *messaging.InMemoryChannel) field.ErrorList {
	errs := validateObjectMeta(&imc.ObjectMeta)
	if scope, ok := imc.Annotations[messaging.ScopeAnnotation]; ok && scope != messaging.ScopeCluster && scope != messaging.ScopeNamespace {
		errs = append(errs, field.NotSupported(annotationsPath.Key(messaging.ScopeAnnotation), scope,
			[]string{messaging.ScopeCluster, messaging.ScopeNamespace}))
	}
	for i, s := range imc.Spec.Subscribers {
		p := subscribersPath.Index(i)
		if s.SubscriberURI == nil && s.ReplyURI == nil {
			errs = append(errs, field.Required(p, "expected at least one of subscriberUri, replyUri, got none"))
		}
		errs = append(errs, validateURL(s.SubscriberURI, p.Child("subscriberUri"))...)
		errs = append(errs, validateURL(s.ReplyURI, p.Child("replyUri"))...)
	}
	errs = append(errs, duckvalidation.ValidateDeliverySpec(imc.Spec.Delivery, anyNamespace, deliveryPath)...)
	return errs
}

// ValidateInMemoryChannelUpdate validates an updated InMemoryChannel against
// its previous version.
func ValidateInMemoryChannelUpdate(imc, old *messaging.InMemoryChannel) field.ErrorList {
	errs := ValidateInMemoryChannel(imc)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&imc.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	return errs
}

// ValidateSubscription validates a Subscription on create, and as part of update.
func ValidateSubscription(s *messaging.Subscription) field.ErrorList {
	errs := validateObjectMeta(&s.ObjectMeta)
	errs = append(errs, validateChannelRef(&s.Spec.Channel)...)
	if isEmptyDestination(s.Spec.Subscriber) {
		errs = append(errs, field.Required(specPath.Child("subscriber"), "the Subscription must reference a subscriber"))
	} else {
		errs = append(errs, duckvalidation.ValidateDestination(s.Spec.Subscriber, anyNamespace, specPath.Child("subscriber"))...)
	}
	// An empty reply means no reply, as Knative treats it.
	if !isEmptyDestination(s.Spec.Reply) {
		errs = append(errs, duckvalidation.ValidateDestination(s.Spec.Reply, anyNamespace, specPath.Child("reply"))...)
	}
	errs = append(errs, duckvalidation.ValidateDeliverySpec(s.Spec.Delivery, anyNamespace, deliveryPath)...)
	return errs
}

// ValidateSubscriptionUpdate validates an updated Subscription against its
// previous version: the channel is immutable; subscriber, reply and delivery
// may change.
func ValidateSubscriptionUpdate(s, old *messaging.Subscription) field.ErrorList {
	errs := ValidateSubscription(s)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&s.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	if !equality.Semantic.DeepEqual(s.Spec.Channel, old.Spec.Channel) {
		errs = append(errs, immutable(channelPath))
	}
	return errs
}

// validateObjectMeta applies the Kubernetes metadata rules with the names a
// custom resource may have (DNS-1123 subdomains), as for Knative's CRDs.
func validateObjectMeta(meta *metav1.ObjectMeta) field.ErrorList {
	return apivalidation.ValidateObjectMeta(meta, true, apivalidation.NameIsDNSSubdomain, metadataPath)
}

// validateChannelRef checks a Subscription's channel: apiVersion, kind and
// name, in the Subscription's own namespace.
func validateChannelRef(ref *duckv1.KReference) field.ErrorList {
	if equality.Semantic.DeepEqual(*ref, duckv1.KReference{}) {
		return field.ErrorList{field.Required(channelPath, "the Subscription must reference a channel")}
	}
	// The namespace is checked here rather than against the Subscription's.
	errs := duckvalidation.ValidateKReference(ref, "", channelPath)
	if ref.Namespace != "" {
		errs = append(errs, field.Forbidden(channelPath.Child("namespace"), "only name, apiVersion and kind are supported fields"))
	}
	return errs
}

// validateURL checks a URL the controller resolved, as Knative's URL type
// does when it is decoded.
func validateURL(u *string, fldPath *field.Path) field.ErrorList {
	if u == nil {
		return nil
	}
	if _, err := url.Parse(*u); err != nil {
		return field.ErrorList{field.Invalid(fldPath, *u, err.Error())}
	}
	return nil
}

func isEmptyDestination(d *duckv1.Destination) bool {
	return d == nil || equality.Semantic.DeepEqual(*d, duckv1.Destination{})
}

// sameTemplate compares channel templates with their specs compared as JSON
// values rather than bytes.
func sameTemplate(a, b *duckv1.ChannelTemplateSpec) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.APIVersion == b.APIVersion && a.Kind == b.Kind && sameJSON(a.Spec, b.Spec)
}

func sameJSON(a, b *runtime.RawExtension) bool {
	ra, rb := rawOf(a), rawOf(b)
	if bytes.Equal(ra, rb) {
		return true
	}
	va, errA := decodeJSON(ra)
	vb, errB := decodeJSON(rb)
	return errA == nil && errB == nil && equality.Semantic.DeepEqual(va, vb)
}

func rawOf(r *runtime.RawExtension) []byte {
	if r == nil {
		return nil
	}
	return r.Raw
}

func decodeJSON(raw []byte) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}

// immutable is the error for a field that may not change on update.
func immutable(fldPath *field.Path) *field.Error {
	return field.Invalid(fldPath, field.OmitValueType{}, "field is immutable")
}
