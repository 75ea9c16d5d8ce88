package validation

import (
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	asvalidation "github.com/knap-dev/knap/pkg/apis/autoscaling/validation"
	"github.com/knap-dev/knap/pkg/apis/serving"
)

const (
	servingGroup    = serving.GroupName
	networkingGroup = "networking.knative.dev"

	creatorAnnotation  = serving.CreatorAnnotation
	updaterAnnotation  = serving.UpdaterAnnotation
	serviceLabel       = serving.ServiceLabel
	configurationLabel = serving.ConfigurationLabel
)

// Annotation keys: the current spelling first, then legacy spellings Knative
// still honours. The first key present in a map wins.
var (
	rolloutDurationKeys      = autoscaling.KeyPriority{servingGroup + "/rollout-duration", servingGroup + "/rolloutDuration"}
	progressDeadlineKeys     = autoscaling.KeyPriority{servingGroup + "/progress-deadline"}
	queueResourcePercentKeys = autoscaling.KeyPriority{"queue.sidecar." + servingGroup + "/resource-percentage", "queue.sidecar." + servingGroup + "/resourcePercentage"}

	queueResourceKeys = []string{
		"queue.sidecar." + servingGroup + "/cpu-resource-request",
		"queue.sidecar." + servingGroup + "/cpu-resource-limit",
		"queue.sidecar." + servingGroup + "/memory-resource-request",
		"queue.sidecar." + servingGroup + "/memory-resource-limit",
		"queue.sidecar." + servingGroup + "/ephemeral-storage-resource-request",
		"queue.sidecar." + servingGroup + "/ephemeral-storage-resource-limit",
	}

	// The networking.knative.dev annotations a revision template may carry.
	allowedNetworkingAnnotations = sets.New(
		networkingGroup+"/ingress.class", networkingGroup+"/ingress-class",
		networkingGroup+"/certificate.class", networkingGroup+"/certificate-class",
		networkingGroup+"/disableAutoTLS", networkingGroup+"/disable-auto-tls",
		networkingGroup+"/httpOption", networkingGroup+"/http-protocol",
		networkingGroup+"/disable-external-domain-tls",
	)
)

// The queue-proxy's share of the pod's resources, in percent.
const (
	queueResourcePercentMin = 0.1
	queueResourcePercentMax = 100.0
)

// sortedKeys makes map iteration, and so error order, deterministic.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// validateNoAutoscalingAnnotations rejects autoscaling annotations where the
// autoscaler never reads them (Service, Configuration and Route metadata).
func validateNoAutoscalingAnnotations(anns map[string]string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, k := range sortedKeys(anns) {
		if strings.HasPrefix(k, autoscaling.AnnotationGroup) {
			errs = append(errs, field.Invalid(fldPath.Key(k), anns[k],
				`autoscaling annotations must be put under "spec.template.metadata.annotations" to work`))
		}
	}
	return errs
}

// validateRolloutDuration checks the gradual rollout duration of a Service
// or Route; an empty value means no gradual rollout.
func validateRolloutDuration(anns map[string]string, fldPath *field.Path) field.ErrorList {
	return checkNonEmptyDuration(anns, rolloutDurationKeys, fldPath)
}

// checkNonEmptyDuration checks a non-negative, whole-second duration whose
// empty value means "unset".
func checkNonEmptyDuration(anns map[string]string, keys autoscaling.KeyPriority, fldPath *field.Path) field.ErrorList {
	if _, v, _ := keys.Get(anns); v == "" {
		return nil
	}
	return asvalidation.DurationRule{Keys: keys, WholeSeconds: true}.Validate(anns, fldPath)
}

// validateTemplateAnnotations checks the annotations of a revision template
// beyond autoscaling: networking, queue-proxy resources and progress deadline.
func validateTemplateAnnotations(anns map[string]string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, asvalidation.ValidateAnnotations(anns, fldPath)...)
	errs = append(errs, validateNetworkingAnnotations(anns, fldPath)...)
	errs = append(errs, validateQueueSidecarAnnotations(anns, fldPath)...)
	errs = append(errs, checkNonEmptyDuration(anns, progressDeadlineKeys, fldPath)...)
	return errs
}

// validateNetworkingAnnotations rejects unknown networking.knative.dev
// annotations, which are most likely misspellings.
func validateNetworkingAnnotations(anns map[string]string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, k := range sortedKeys(anns) {
		if strings.HasPrefix(k, networkingGroup) && !allowedNetworkingAnnotations.Has(k) {
			errs = append(errs, field.Invalid(fldPath.Key(k), anns[k], "unknown networking.knative.dev annotation"))
		}
	}
	return errs
}

// validateQueueSidecarAnnotations checks the queue-proxy resource overrides.
func validateQueueSidecarAnnotations(anns map[string]string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, asvalidation.FloatRule{
		Keys: queueResourcePercentKeys, Min: queueResourcePercentMin, Max: queueResourcePercentMax,
	}.Validate(anns, fldPath)...)
	for _, k := range queueResourceKeys {
		if v, ok := anns[k]; ok {
			if _, err := resource.ParseQuantity(v); err != nil {
				errs = append(errs, field.Invalid(fldPath.Key(k), v, "must be a resource quantity such as 100m or 64Mi"))
			}
		}
	}
	return errs
}
