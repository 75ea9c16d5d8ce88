package networking

import duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"

// Condition types besides Ready, as Knative's networking reconcilers set them.
const (
	// IngressConditionNetworkConfigured is True when the Ingress's routing
	// is programmed, whether or not its backends are ready.
	IngressConditionNetworkConfigured duckv1.ConditionType = "NetworkConfigured"
	// IngressConditionLoadBalancerReady is True when the Ingress has a ready
	// load balancer.
	IngressConditionLoadBalancerReady duckv1.ConditionType = "LoadBalancerReady"

	// ServerlessServiceConditionEndpointsPopulated is True when the
	// revision's public Service has endpoints.
	ServerlessServiceConditionEndpointsPopulated duckv1.ConditionType = "EndpointsPopulated"
	// ActivatorEndpointsPopulated is an informational condition: True while
	// the revision is backed by activator endpoints.
	ActivatorEndpointsPopulated duckv1.ConditionType = "ActivatorEndpointsPopulated"
)

// AnnotationGroup is the prefix of the user-facing networking annotations.
const AnnotationGroup = "networking.knative.dev"

// The networking.knative.dev annotations Knative accepts on objects it
// validates; any other key under AnnotationGroup is most likely misspelled.
const (
	IngressClassAnnotationKey        = AnnotationGroup + "/ingress.class"
	IngressClassAnnotationAltKey     = AnnotationGroup + "/ingress-class"
	CertificateClassAnnotationKey    = AnnotationGroup + "/certificate.class"
	CertificateClassAnnotationAltKey = AnnotationGroup + "/certificate-class"
	DisableAutoTLSAnnotationKey      = AnnotationGroup + "/disableAutoTLS"
	DisableAutoTLSAnnotationAltKey   = AnnotationGroup + "/disable-auto-tls"
	HTTPOptionAnnotationKey          = AnnotationGroup + "/httpOption"
	HTTPProtocolAnnotationKey        = AnnotationGroup + "/http-protocol"
	DisableExternalDomainTLSKey      = AnnotationGroup + "/disable-external-domain-tls"
)
