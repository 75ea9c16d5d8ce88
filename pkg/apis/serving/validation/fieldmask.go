package validation

import (
	"reflect"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Knative Serving accepts only a subset of the Kubernetes pod spec; which
// fields it accepts depends on the config-features flags. knap implements the
// outcome of the default flags: every field outside these allowlists is
// rejected. Allowlists (rather than denylists) keep fields added by newer
// Kubernetes versions rejected, as Knative's masks do.
var (
	allowedPodSpecFields = sets.New(
		"serviceAccountName", "containers", "volumes", "imagePullSecrets",
		"enableServiceLinks", "automountServiceAccountToken",
	)
	allowedContainerFields = sets.New(
		"name", "args", "command", "env", "workingDir", "envFrom", "image",
		"imagePullPolicy", "livenessProbe", "ports", "readinessProbe",
		"resources", "securityContext", "startupProbe",
		"terminationMessagePath", "terminationMessagePolicy", "volumeMounts",
	)
	allowedContainerPortFields    = sets.New("containerPort", "name", "protocol")
	allowedVolumeMountFields      = sets.New("name", "readOnly", "mountPath", "subPath")
	allowedEnvVarSourceFields     = sets.New("configMapKeyRef", "secretKeyRef")
	allowedResourceFields         = sets.New("limits", "requests")
	allowedCapabilitiesFields     = sets.New("drop")
	allowedKeyToPathFields        = sets.New("key", "path", "mode")
	allowedDownwardAPIFileFields  = sets.New("path", "fieldRef", "resourceFieldRef", "mode")
	allowedTokenProjectionFields  = sets.New("audience", "expirationSeconds", "path")
	allowedHTTPGetFields          = sets.New("path", "port", "host", "scheme", "httpHeaders")
	allowedGRPCFields             = sets.New("port", "service")
	allowedVolumeProjectionFields = sets.New("secret", "configMap", "serviceAccountToken", "downwardAPI")
	allowedSecurityContextFields  = sets.New(
		"capabilities", "readOnlyRootFilesystem", "runAsUser", "runAsGroup",
		"runAsNonRoot", "allowPrivilegeEscalation", "seccompProfile", "privileged",
	)
	// Volume fields include the inlined VolumeSource: emptyDir is on by
	// default; persistentVolumeClaim, hostPath, csi, ephemeral and image
	// volumes are behind flags that default to Disabled.
	allowedVolumeFields = sets.New("name", "secret", "configMap", "projected", "emptyDir")
)

const disallowedFieldMsg = "must not set the field(s): not supported by Knative Serving with its default feature flags"

// forbidUnlisted reports a Forbidden error for every field of the struct obj
// (a struct or a pointer to one) that is set but not named in allowed.
// Inlined structs are flattened, as they are on the wire.
func forbidUnlisted(obj any, allowed sets.Set[string], fldPath *field.Path) field.ErrorList {
	v := reflect.Indirect(reflect.ValueOf(obj))
	if !v.IsValid() {
		return nil
	}
	var errs field.ErrorList
	for i := 0; i < v.NumField(); i++ {
		sf := v.Type().Field(i)
		if !sf.IsExported() {
			continue
		}
		name, inline := jsonName(sf)
		fv := v.Field(i)
		switch {
		case inline:
			errs = append(errs, forbidUnlisted(fv.Interface(), allowed, fldPath)...)
		case !fv.IsZero() && !allowed.Has(name):
			errs = append(errs, field.Forbidden(fldPath.Child(name), disallowedFieldMsg))
		}
	}
	return errs
}

// jsonName returns the wire name of a struct field and whether it is inlined.
func jsonName(sf reflect.StructField) (string, bool) {
	name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
	if sf.Anonymous && (name == "" || strings.Contains(opts, "inline")) {
		return "", true
	}
	if name == "" || name == "-" {
		return sf.Name, false
	}
	return name, false
}

// validatePodSpecFields applies the pod-level field mask.
func validatePodSpecFields(ps *corev1.PodSpec, fldPath *field.Path) field.ErrorList {
	errs := forbidUnlisted(ps, allowedPodSpecFields, fldPath)
	// Opting out of the token mount is fine; opting in explicitly is not.
	if t := ps.AutomountServiceAccountToken; t != nil && *t {
		errs = append(errs, field.Forbidden(fldPath.Child("automountServiceAccountToken"),
			"may only be set to false"))
	}
	return errs
}

// validateSecurityContextFields applies the container securityContext mask.
func validateSecurityContextFields(sc *corev1.SecurityContext, fldPath *field.Path) field.ErrorList {
	errs := forbidUnlisted(sc, allowedSecurityContextFields, fldPath)
	if sc.Privileged != nil && *sc.Privileged {
		errs = append(errs, field.Forbidden(fldPath.Child("privileged"), "may only be set to false"))
	}
	if sc.Capabilities != nil {
		errs = append(errs, forbidUnlisted(sc.Capabilities, allowedCapabilitiesFields, fldPath.Child("capabilities"))...)
	}
	return errs
}
