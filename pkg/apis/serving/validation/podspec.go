package validation

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/serving"
)

// Limits from config-defaults' defaults.
const (
	maxRevisionTimeoutSeconds    = 600  // max-revision-timeout-seconds
	maxContainerConcurrency      = 1000 // container-concurrency-max-limit
	defaultUserPortName          = "http"
	defaultUserPort              = 8080
	multiContainerProbingMessage = "probes on a container without a port require the multi-container-probing feature, which is disabled by default"
)

// validateRevisionSpec checks a RevisionSpec, whether it belongs to a
// Revision or to the template of a Configuration or Service.
func validateRevisionSpec(rs *serving.RevisionSpec, fldPath *field.Path) field.ErrorList {
	errs := validatePodSpec(&rs.PodSpec, fldPath)
	// Zero is accepted: defaulting turns it into revision-timeout-seconds.
	if t := rs.TimeoutSeconds; t != nil && (*t < 0 || *t > maxRevisionTimeoutSeconds) {
		errs = append(errs, field.Invalid(fldPath.Child("timeoutSeconds"), *t,
			fmt.Sprintf("must be between 0 and %d", maxRevisionTimeoutSeconds)))
	}
	if cc := rs.ContainerConcurrency; cc != nil && (*cc < 0 || *cc > maxContainerConcurrency) {
		errs = append(errs, field.Invalid(fldPath.Child("containerConcurrency"), *cc,
			fmt.Sprintf("must be between 0 and %d", maxContainerConcurrency)))
	}
	return errs
}

// validatePodSpec checks the pod spec Knative runs: the field mask, volumes,
// the single serving port and every container.
func validatePodSpec(ps *corev1.PodSpec, fldPath *field.Path) field.ErrorList {
	errs := validatePodSpecFields(ps, fldPath)

	volumes, volErrs := validateVolumes(ps.Volumes, mountedVolumes(ps.Containers), fldPath.Child("volumes"))
	errs = append(errs, volErrs...)

	containersPath := fldPath.Child("containers")
	port, portErrs := servingPort(ps.Containers, containersPath)
	errs = append(errs, portErrs...)

	switch len(ps.Containers) {
	case 0:
		errs = append(errs, field.Required(containersPath, "at least one container is required"))
	case 1:
		errs = append(errs, validateContainer(&ps.Containers[0], servingContainer, volumes, port, containersPath.Index(0))...)
	default:
		errs = append(errs, validateContainers(ps.Containers, volumes, port, containersPath)...)
	}

	if sa := ps.ServiceAccountName; sa != "" {
		for _, msg := range validation.IsDNS1123Subdomain(sa) {
			errs = append(errs, field.Invalid(fldPath.Child("serviceAccountName"), sa, msg))
		}
	}
	return errs
}

// validateContainers checks a multi-container pod: unique names, and the
// container with the port serves while the others are sidecars.
func validateContainers(containers []corev1.Container, volumes map[string]corev1.Volume, port corev1.ContainerPort, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	names := make(sets.Set[string], len(containers))
	for i := range containers {
		c := &containers[i]
		if names.Has(c.Name) {
			errs = append(errs, field.Duplicate(fldPath.Index(i).Child("name"), c.Name))
		}
		names.Insert(c.Name)
		role := sidecar
		if len(c.Ports) > 0 {
			role = servingContainer
		}
		errs = append(errs, validateContainer(c, role, volumes, port, fldPath.Index(i))...)
	}
	return errs
}

// servingPort finds the one port that receives requests. Only one container
// may declare a port, with a single entry; with several containers one of
// them must declare it so Knative knows which one serves.
func servingPort(containers []corev1.Container, fldPath *field.Path) (corev1.ContainerPort, field.ErrorList) {
	var errs field.ErrorList
	port := corev1.ContainerPort{Name: defaultUserPortName, ContainerPort: defaultUserPort}
	owner := -1
	for i := range containers {
		ports := containers[i].Ports
		switch {
		case len(ports) == 0:
			continue
		case owner >= 0:
			errs = append(errs, field.Forbidden(fldPath.Index(i).Child("ports"),
				fmt.Sprintf("only one container may declare a port, and %s already does", fldPath.Index(owner))))
			continue
		case len(ports) > 1:
			errs = append(errs, field.TooMany(fldPath.Index(i).Child("ports"), len(ports), 1))
		}
		owner = i
		if ports[0].Name != "" {
			port.Name = ports[0].Name
		}
		if ports[0].ContainerPort != 0 {
			port.ContainerPort = ports[0].ContainerPort
		}
	}
	if owner < 0 && len(containers) > 1 {
		errs = append(errs, field.Required(fldPath,
			"exactly one container must declare a port (the one that serves requests)"))
	}
	return port, errs
}
