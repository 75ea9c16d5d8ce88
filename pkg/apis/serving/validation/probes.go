package validation

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// validateServingProbes checks the probes of the serving container, whose
// probes the queue-proxy runs against the serving port.
func validateServingProbes(c *corev1.Container, port corev1.ContainerPort, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if c.LivenessProbe != nil {
		errs = append(errs, validateProbe(c.LivenessProbe, port, fldPath.Child("livenessProbe"))...)
	}
	if c.ReadinessProbe != nil {
		errs = append(errs, validateReadinessProbe(c.ReadinessProbe, port, fldPath.Child("readinessProbe"))...)
	}
	if c.StartupProbe != nil {
		errs = append(errs, validateProbe(c.StartupProbe, port, fldPath.Child("startupProbe"))...)
	}
	return errs
}

// forbidSidecarProbes rejects probes on sidecars: probing them needs the
// multi-container-probing feature, which is off by default.
func forbidSidecarProbes(c *corev1.Container, fldPath *field.Path) field.ErrorList {
	probes := []struct {
		name  string
		probe *corev1.Probe
	}{
		{"livenessProbe", c.LivenessProbe},
		{"readinessProbe", c.ReadinessProbe},
		{"startupProbe", c.StartupProbe},
	}
	var errs field.ErrorList
	for _, p := range probes {
		if p.probe != nil && *p.probe != (corev1.Probe{}) {
			errs = append(errs, field.Forbidden(fldPath.Child(p.name), multiContainerProbingMessage))
		}
	}
	return errs
}

// validateProbe checks what every probe of the serving container needs:
// exactly one handler, and a port, if named, that is the serving port.
func validateProbe(p *corev1.Probe, port corev1.ContainerPort, fldPath *field.Path) field.ErrorList {
	h := &p.ProbeHandler
	var errs field.ErrorList
	var handlers []string
	if h.HTTPGet != nil {
		handlers = append(handlers, "httpGet")
		errs = append(errs, forbidUnlisted(h.HTTPGet, allowedHTTPGetFields, fldPath.Child("httpGet"))...)
		errs = append(errs, probePort(h.HTTPGet.Port, port, fldPath.Child("httpGet", "port"))...)
	}
	if h.TCPSocket != nil {
		handlers = append(handlers, "tcpSocket")
		errs = append(errs, probePort(h.TCPSocket.Port, port, fldPath.Child("tcpSocket", "port"))...)
	}
	if h.Exec != nil {
		handlers = append(handlers, "exec")
	}
	if h.GRPC != nil {
		handlers = append(handlers, "grpc")
		errs = append(errs, forbidUnlisted(h.GRPC, allowedGRPCFields, fldPath.Child("grpc"))...)
	}
	switch len(handlers) {
	case 0:
		errs = append(errs, field.Required(fldPath, "exactly one of httpGet, tcpSocket, exec or grpc is required"))
	case 1:
	default:
		errs = append(errs, field.Forbidden(fldPath.Child(handlers[1]),
			"may not be set together with "+handlers[0]+": a probe has exactly one handler"))
	}
	return errs
}

// probePort accepts an unset or numeric port (the queue-proxy probes the
// serving port); a named port must be the serving port's name.
func probePort(p intstr.IntOrString, port corev1.ContainerPort, fldPath *field.Path) field.ErrorList {
	if p.Type == intstr.String && p.StrVal != "" && p.StrVal != port.Name {
		return field.ErrorList{field.Invalid(fldPath, p.StrVal, "probe port must match the container port name "+port.Name)}
	}
	return nil
}

// validateReadinessProbe adds the readiness rules: periodSeconds 0 selects
// Knative's aggressive probing, which owns the timeout and failure threshold.
func validateReadinessProbe(p *corev1.Probe, port corev1.ContainerPort, fldPath *field.Path) field.ErrorList {
	errs := validateProbe(p, port, fldPath)
	errs = append(errs, atLeast(p.PeriodSeconds, 0, fldPath.Child("periodSeconds"))...)
	errs = append(errs, atLeast(p.InitialDelaySeconds, 0, fldPath.Child("initialDelaySeconds"))...)
	errs = append(errs, atLeast(p.SuccessThreshold, 1, fldPath.Child("successThreshold"))...)
	if p.PeriodSeconds != 0 {
		errs = append(errs, atLeast(p.TimeoutSeconds, 1, fldPath.Child("timeoutSeconds"))...)
		errs = append(errs, atLeast(p.FailureThreshold, 1, fldPath.Child("failureThreshold"))...)
		return errs
	}
	if p.FailureThreshold != 0 {
		errs = append(errs, field.Forbidden(fldPath.Child("failureThreshold"), "may not be set when periodSeconds is 0"))
	}
	if p.TimeoutSeconds != 0 {
		errs = append(errs, field.Forbidden(fldPath.Child("timeoutSeconds"), "may not be set when periodSeconds is 0"))
	}
	return errs
}

func atLeast(v, minimum int32, fldPath *field.Path) field.ErrorList {
	if v < minimum {
		return field.ErrorList{field.Invalid(fldPath, v, fmt.Sprintf("must be at least %d", minimum))}
	}
	return nil
}
