package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Ingress is a collection of rules that allow inbound connections to reach
// the endpoints defined by a backend: Knative's KIngress, which knap-gateway
// programs. It is based on the Kubernetes Ingress, with traffic splits,
// backends in named namespaces and header manipulation.
type Ingress struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired state of the Ingress.
	// +optional
	Spec IngressSpec `json:"spec,omitempty"`
	// Status is the current state of the Ingress.
	// +optional
	Status IngressStatus `json:"status,omitempty"`
}

// IngressSpec describes the Ingress the user wishes to exist.
type IngressSpec struct {
	// TLS configuration. Currently Ingress only supports a single TLS port:
	// 443. If multiple members of this list specify different hosts, they
	// will be multiplexed on the same port according to the hostname
	// specified through the SNI TLS extension, if the ingress controller
	// fulfilling the ingress supports SNI.
	// +optional
	// +listType=atomic
	TLS []IngressTLS `json:"tls,omitempty"`
	// A list of host rules used to configure the Ingress.
	// +optional
	// +listType=atomic
	Rules []IngressRule `json:"rules,omitempty"`
	// HTTPOption is the option of HTTP. It has the following two values:
	// `Enabled`, `Redirected`.
	// +optional
	HTTPOption HTTPOption `json:"httpOption,omitempty"`
}

// HTTPOption says how an Ingress treats plain HTTP requests.
type HTTPOption string

const (
	// HTTPOptionEnabled serves plain HTTP.
	HTTPOptionEnabled HTTPOption = "Enabled"
	// HTTPOptionRedirected redirects plain HTTP requests to HTTPS.
	HTTPOptionRedirected HTTPOption = "Redirected"
)

// IngressVisibility describes whether the Ingress should be exposed to
// public gateways or not.
type IngressVisibility string

const (
	// IngressVisibilityExternalIP exposes the Ingress through an external IP,
	// e.g. a LoadBalancer Service. It is the default.
	IngressVisibilityExternalIP IngressVisibility = "ExternalIP"
	// IngressVisibilityClusterLocal exposes the Ingress only inside the
	// cluster.
	IngressVisibilityClusterLocal IngressVisibility = "ClusterLocal"
)

// IngressTLS describes the transport layer security associated with an
// Ingress.
type IngressTLS struct {
	// Hosts is a list of hosts included in the TLS certificate. The values in
	// this list must match the name/s used in the tlsSecret. Defaults to the
	// wildcard host setting for the loadbalancer controller fulfilling this
	// Ingress, if left unspecified.
	// +optional
	// +listType=atomic
	Hosts []string `json:"hosts,omitempty"`
	// SecretName is the name of the secret used to terminate SSL traffic.
	// +optional
	SecretName string `json:"secretName,omitempty"`
	// SecretNamespace is the namespace of the secret used to terminate SSL
	// traffic. If not set the namespace should be assumed to be the same as
	// the Ingress.
	// +optional
	SecretNamespace string `json:"secretNamespace,omitempty"`
	// Visibility signifies whether the tls hosts should be considered
	// `ClusterLocal`. If it's not specified then it defaults to `ExternalIP`.
	// +optional
	Visibility IngressVisibility `json:"visibility,omitempty"`
}

// IngressRule represents the rules mapping the paths under a specified host
// to the related backend services. Incoming requests are first evaluated for
// a host match, then routed to the backend associated with the matching
// rule.
type IngressRule struct {
	// Hosts are the fully qualified domain names of the rule, as defined by
	// RFC 3986 but without IPs or ports. If the host is unspecified, the
	// Ingress routes all traffic based on the specified rule value. If
	// multiple matching Hosts were provided, the first rule will take
	// precedence.
	// +optional
	// +listType=atomic
	Hosts []string `json:"hosts,omitempty"`
	// Visibility signifies whether this rule should `ClusterLocal`. If it's
	// not specified then it defaults to `ExternalIP`.
	// +optional
	Visibility IngressVisibility `json:"visibility,omitempty"`
	// HTTP represents a rule to apply against incoming requests. If the rule
	// is satisfied, the request is routed to the specified backend.
	// +optional
	HTTP *HTTPIngressRuleValue `json:"http,omitempty"`
}

// HTTPIngressRuleValue is a list of http selectors pointing to backends.
type HTTPIngressRuleValue struct {
	// A collection of paths that map requests to backends. If they are
	// multiple matching paths, the first match takes precedence.
	// +listType=atomic
	Paths []HTTPIngressPath `json:"paths"`
}

// HTTPIngressPath associates a path with a backend. Incoming URLs matching
// the path are forwarded to the backend.
type HTTPIngressPath struct {
	// Path represents a literal prefix to which this rule should apply. Paths
	// must begin with a '/'. If unspecified, the path defaults to a catch all
	// sending traffic to the backend.
	// +optional
	Path string `json:"path,omitempty"`
	// RewriteHost rewrites the incoming request's host header. This field is
	// currently experimental and not supported by all Ingress
	// implementations.
	// +optional
	RewriteHost string `json:"rewriteHost,omitempty"`
	// Headers defines header matching rules which is a map from a header name
	// to HeaderMatch which specify a matching condition. When a request
	// matched with all the header matching rules, the request is routed by
	// the corresponding ingress rule. If it is empty, the headers are not
	// used for matching.
	// +optional
	Headers map[string]HeaderMatch `json:"headers,omitempty"`
	// Splits defines the referenced service endpoints to which the traffic
	// will be forwarded to.
	// +listType=atomic
	Splits []IngressBackendSplit `json:"splits"`
	// AppendHeaders allow specifying additional HTTP headers to add before
	// forwarding a request to the destination service.
	// +optional
	AppendHeaders map[string]string `json:"appendHeaders,omitempty"`
}

// IngressBackendSplit describes all endpoints for a given service and port.
type IngressBackendSplit struct {
	// Specifies the backend receiving the traffic split.
	IngressBackend `json:",inline"`
	// Specifies the split percentage, a number between 0 and 100. If only one
	// split is specified, we default to 100.
	// +optional
	Percent int32 `json:"percent,omitempty"`
	// AppendHeaders allow specifying additional HTTP headers to add before
	// forwarding a request to the destination service.
	// +optional
	AppendHeaders map[string]string `json:"appendHeaders,omitempty"`
}

// IngressBackend describes all endpoints for a given service and port.
type IngressBackend struct {
	// Specifies the namespace of the referenced service.
	ServiceNamespace string `json:"serviceNamespace"`
	// Specifies the name of the referenced service.
	ServiceName string `json:"serviceName"`
	// Specifies the port of the referenced service.
	ServicePort intstr.IntOrString `json:"servicePort"`
}

// HeaderMatch represents a matching value of Headers in HTTPIngressPath.
// Currently, only the exact matching is supported.
type HeaderMatch struct {
	Exact string `json:"exact"`
}

// IngressStatus describe the current state of the Ingress.
type IngressStatus struct {
	duckv1.Status `json:",inline"`
	// PublicLoadBalancer contains the current status of the load-balancer.
	// +optional
	PublicLoadBalancer *LoadBalancerStatus `json:"publicLoadBalancer,omitempty"`
	// PrivateLoadBalancer contains the current status of the load-balancer.
	// +optional
	PrivateLoadBalancer *LoadBalancerStatus `json:"privateLoadBalancer,omitempty"`
}

// LoadBalancerStatus represents the status of a load-balancer.
type LoadBalancerStatus struct {
	// Ingress is a list containing ingress points for the load-balancer.
	// Traffic intended for the service should be sent to these ingress
	// points.
	// +optional
	// +listType=atomic
	Ingress []LoadBalancerIngressStatus `json:"ingress,omitempty"`
}

// LoadBalancerIngressStatus represents the status of a load-balancer ingress
// point: traffic intended for the service should be sent to an ingress
// point.
type LoadBalancerIngressStatus struct {
	// IP is set for load-balancer ingress points that are IP based.
	// +optional
	IP string `json:"ip,omitempty"`
	// Domain is set for load-balancer ingress points that are DNS based.
	// +optional
	Domain string `json:"domain,omitempty"`
	// DomainInternal is set if there is a cluster-local DNS name to access
	// the Ingress.
	// +optional
	DomainInternal string `json:"domainInternal,omitempty"`
	// MeshOnly is set if the Ingress is only load-balanced through a Service
	// mesh.
	// +optional
	MeshOnly bool `json:"meshOnly,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// IngressList is a list of Ingresses.
type IngressList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Ingress `json:"items"`
}

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ServerlessService is a proxy for the K8s service objects containing the
// endpoints for the revision, whether those are endpoints of the activator
// or revision pods.
type ServerlessService struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired state of the ServerlessService.
	// +optional
	Spec ServerlessServiceSpec `json:"spec,omitempty"`
	// Status is the current state of the ServerlessService.
	// +optional
	Status ServerlessServiceStatus `json:"status,omitempty"`
}

// ServerlessServiceOperationMode is the mode of operation of a
// ServerlessService.
type ServerlessServiceOperationMode string

const (
	// SKSOperationModeServe routes traffic to the revision's pods.
	SKSOperationModeServe ServerlessServiceOperationMode = "Serve"
	// SKSOperationModeProxy routes traffic through the activator.
	SKSOperationModeProxy ServerlessServiceOperationMode = "Proxy"
)

// ProtocolType is the application-layer protocol a revision serves.
type ProtocolType string

const (
	// ProtocolHTTP1 is HTTP/1.1.
	ProtocolHTTP1 ProtocolType = "http1"
	// ProtocolH2C is HTTP/2 with prior knowledge (cleartext).
	ProtocolH2C ProtocolType = "h2c"
)

// ObjectReference names the object a ServerlessService makes serverless.
// Knative's type is a core/v1 ObjectReference whose CRD schema keeps only
// these three fields.
//
// +structType=atomic
type ObjectReference struct {
	// API version of the referent.
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// Kind of the referent.
	// +optional
	Kind string `json:"kind,omitempty"`
	// Name of the referent.
	// +optional
	Name string `json:"name,omitempty"`
}

// ServerlessServiceSpec describes the ServerlessService.
type ServerlessServiceSpec struct {
	// Mode describes the mode of operation of the ServerlessService.
	// +optional
	Mode ServerlessServiceOperationMode `json:"mode,omitempty"`
	// ObjectRef defines the resource that this ServerlessService is
	// responsible for making "serverless".
	ObjectRef ObjectReference `json:"objectRef"`
	// The application-layer protocol. Matches `RevisionProtocolType` set on
	// the owning pa/revision. Knative declares this field without a JSON
	// tag, so its wire name is the Go field name.
	ProtocolType ProtocolType `json:"ProtocolType"`
	// NumActivators contains number of Activators that this revision should
	// be assigned. 0 means: assign all.
	// +optional
	NumActivators int32 `json:"numActivators,omitempty"`
}

// ServerlessServiceStatus describes the current state of the
// ServerlessService.
type ServerlessServiceStatus struct {
	duckv1.Status `json:",inline"`
	// ServiceName holds the name of a core K8s Service resource that load
	// balances over the pods backing this Revision (activator or revision).
	// +optional
	ServiceName string `json:"serviceName,omitempty"`
	// PrivateServiceName holds the name of a core K8s Service resource that
	// load balances over the user service pods backing this Revision.
	// +optional
	PrivateServiceName string `json:"privateServiceName,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ServerlessServiceList is a list of ServerlessServices.
type ServerlessServiceList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ServerlessService `json:"items"`
}
