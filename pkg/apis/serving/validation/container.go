package validation

import (
	"fmt"
	"math"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// containerRole distinguishes the container that serves requests from
// sidecars, which Knative validates with different rules.
type containerRole int

const (
	servingContainer containerRole = iota
	sidecar
)

var (
	reservedContainerNames = sets.New("queue-proxy")
	// The queue-proxy sets these in every container; PORT only in the
	// serving one, so sidecars may use it.
	reservedEnvVars        = sets.New("PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION")
	reservedSidecarEnvVars = sets.New("K_SERVICE", "K_CONFIGURATION", "K_REVISION")
	// Ports the queue-proxy and its metrics/profiling endpoints listen on.
	reservedPorts = sets.New[int32](8012, 8013, 8022, 9090, 9091, 8008)
	// Port names select the protocol the queue-proxy speaks to the container.
	validPortNames = sets.New("", "h2c", "http1")
)

// validateContainer checks one container; its role decides which probes and
// environment variable names it may use.
func validateContainer(c *corev1.Container, role containerRole, volumes map[string]corev1.Volume, port corev1.ContainerPort, fldPath *field.Path) field.ErrorList {
	if equality.Semantic.DeepEqual(*c, corev1.Container{}) {
		return field.ErrorList{field.Required(fldPath, "container must not be empty")}
	}
	errs := forbidUnlisted(c, allowedContainerFields, fldPath)
	if reservedContainerNames.Has(c.Name) {
		errs = append(errs, field.Invalid(fldPath.Child("name"), c.Name, "is a reserved container name"))
	}
	errs = append(errs, validateEnv(c.Env, role, fldPath.Child("env"))...)
	errs = append(errs, validateEnvFrom(c.EnvFrom, fldPath.Child("envFrom"))...)
	errs = append(errs, validateImage(c.Image, fldPath.Child("image"))...)
	if len(c.Ports) > 0 {
		errs = append(errs, validateServingPort(&c.Ports[0], fldPath.Child("ports").Index(0))...)
	}
	errs = append(errs, forbidUnlisted(&c.Resources, allowedResourceFields, fldPath.Child("resources"))...)
	if c.SecurityContext != nil {
		errs = append(errs, validateSecurityContext(c.SecurityContext, fldPath.Child("securityContext"))...)
	}
	switch c.TerminationMessagePolicy {
	case "", corev1.TerminationMessageReadFile, corev1.TerminationMessageFallbackToLogsOnError:
	default:
		errs = append(errs, field.NotSupported(fldPath.Child("terminationMessagePolicy"), c.TerminationMessagePolicy,
			[]corev1.TerminationMessagePolicy{corev1.TerminationMessageReadFile, corev1.TerminationMessageFallbackToLogsOnError}))
	}
	errs = append(errs, validateVolumeMounts(c.VolumeMounts, volumes, fldPath.Child("volumeMounts"))...)
	if role == servingContainer {
		errs = append(errs, validateServingProbes(c, port, fldPath)...)
	} else {
		errs = append(errs, forbidSidecarProbes(c, fldPath)...)
	}
	return errs
}

func validateImage(image string, fldPath *field.Path) field.ErrorList {
	if image == "" {
		return field.ErrorList{field.Required(fldPath, "")}
	}
	if err := validateImageReference(image); err != nil {
		return field.ErrorList{field.Invalid(fldPath, image, "failed to parse image reference: "+err.Error())}
	}
	return nil
}

// validateEnv rejects the variables the queue-proxy sets itself and, by
// default, env values taken from the pod's fields.
func validateEnv(env []corev1.EnvVar, role containerRole, fldPath *field.Path) field.ErrorList {
	reserved := reservedEnvVars
	if role == sidecar {
		reserved = reservedSidecarEnvVars
	}
	var errs field.ErrorList
	for i := range env {
		e := &env[i]
		p := fldPath.Index(i)
		switch {
		case e.Name == "":
			errs = append(errs, field.Required(p.Child("name"), ""))
		case reserved.Has(e.Name):
			errs = append(errs, field.Invalid(p.Child("name"), e.Name, "is a reserved environment variable"))
		}
		if e.ValueFrom != nil {
			// fieldRef and resourceFieldRef need kubernetes.podspec-fieldref.
			errs = append(errs, forbidUnlisted(e.ValueFrom, allowedEnvVarSourceFields, p.Child("valueFrom"))...)
		}
	}
	return errs
}

func validateEnvFrom(envFrom []corev1.EnvFromSource, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range envFrom {
		ef := &envFrom[i]
		switch {
		case ef.ConfigMapRef != nil && ef.SecretRef != nil:
			errs = append(errs, field.Forbidden(fldPath.Index(i).Child("secretRef"),
				"may not be set together with configMapRef: exactly one of them is required"))
		case ef.ConfigMapRef == nil && ef.SecretRef == nil:
			errs = append(errs, field.Required(fldPath.Index(i), "exactly one of configMapRef or secretRef is required"))
		}
	}
	return errs
}

// validateServingPort checks the port requests arrive on.
func validateServingPort(p *corev1.ContainerPort, fldPath *field.Path) field.ErrorList {
	errs := forbidUnlisted(p, allowedContainerPortFields, fldPath)
	if reservedPorts.Has(p.ContainerPort) {
		errs = append(errs, field.Invalid(fldPath.Child("containerPort"), p.ContainerPort,
			"is a reserved port, please use a different value"))
	}
	if p.ContainerPort < 0 || p.ContainerPort > 65535 {
		errs = append(errs, field.Invalid(fldPath.Child("containerPort"), p.ContainerPort, "must be between 0 and 65535"))
	}
	if p.Protocol != "" && p.Protocol != corev1.ProtocolTCP {
		errs = append(errs, field.NotSupported(fldPath.Child("protocol"), p.Protocol, []corev1.Protocol{corev1.ProtocolTCP}))
	}
	if !validPortNames.Has(p.Name) {
		errs = append(errs, field.NotSupported(fldPath.Child("name"), p.Name, []string{"h2c", "http1", ""}))
	}
	return errs
}

func validateSecurityContext(sc *corev1.SecurityContext, fldPath *field.Path) field.ErrorList {
	errs := validateSecurityContextFields(sc, fldPath)
	errs = append(errs, idInRange(sc.RunAsUser, fldPath.Child("runAsUser"))...)
	errs = append(errs, idInRange(sc.RunAsGroup, fldPath.Child("runAsGroup"))...)
	return errs
}

// idInRange checks a user or group id.
func idInRange(id *int64, fldPath *field.Path) field.ErrorList {
	if id != nil && (*id < 0 || *id > math.MaxInt32) {
		return field.ErrorList{field.Invalid(fldPath, *id, fmt.Sprintf("must be between 0 and %d", math.MaxInt32))}
	}
	return nil
}
