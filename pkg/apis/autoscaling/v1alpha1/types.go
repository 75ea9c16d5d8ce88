package v1alpha1

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// PodAutoscaler scales one workload (a Revision's Deployment): the class
// annotation picks the autoscaler, the other autoscaling.knative.dev
// annotations configure it.
type PodAutoscaler struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// Spec holds the desired state of the PodAutoscaler (from the client).
	// +optional
	Spec PodAutoscalerSpec `json:"spec,omitempty"`
	// Status communicates the observed state of the PodAutoscaler (from the
	// controller).
	// +optional
	Status PodAutoscalerStatus `json:"status,omitempty"`
}

// ReachabilityType says whether the scale target has a route to it.
type ReachabilityType string

const (
	// ReachabilityUnknown means the reachability of the scale target is not
	// known, e.g. during activation.
	ReachabilityUnknown ReachabilityType = ""
	// ReachabilityReachable means the scale target has an active route.
	ReachabilityReachable ReachabilityType = "Reachable"
	// ReachabilityUnreachable means the scale target has no active route.
	ReachabilityUnreachable ReachabilityType = "Unreachable"
)

// ProtocolType is the application-layer protocol a revision serves.
type ProtocolType string

const (
	// ProtocolHTTP1 is HTTP/1.1.
	ProtocolHTTP1 ProtocolType = "http1"
	// ProtocolH2C is HTTP/2 with prior knowledge (cleartext).
	ProtocolH2C ProtocolType = "h2c"
)

// ObjectReference names the object a PodAutoscaler scales. Knative's type is
// a core/v1 ObjectReference whose CRD schema keeps only these three fields.
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

// PodAutoscalerSpec holds the desired state of the PodAutoscaler.
type PodAutoscalerSpec struct {
	// ContainerConcurrency specifies the maximum allowed in-flight
	// (concurrent) requests per container of the Revision. Defaults to `0`
	// which means unlimited concurrency.
	// +optional
	ContainerConcurrency int64 `json:"containerConcurrency,omitempty"`
	// ScaleTargetRef defines the /scale-able resource that this PodAutoscaler
	// is responsible for quickly right-sizing.
	ScaleTargetRef ObjectReference `json:"scaleTargetRef"`
	// Reachability specifies whether or not the `ScaleTargetRef` can be
	// reached (ie. has a route). Defaults to `ReachabilityUnknown`.
	// +optional
	Reachability ReachabilityType `json:"reachability,omitempty"`
	// The application-layer protocol. Matches `ProtocolType` inferred from
	// the revision spec.
	ProtocolType ProtocolType `json:"protocolType"`
}

// PodAutoscalerStatus communicates the observed state of the PodAutoscaler.
type PodAutoscalerStatus struct {
	duckv1.Status `json:",inline"`
	// ServiceName is the K8s Service name that serves the revision, scaled by
	// this PA. The service is created and owned by the ServerlessService
	// object owned by this PA.
	ServiceName string `json:"serviceName"`
	// MetricsServiceName is the K8s Service name that provides revision
	// metrics. The service is managed by the PA object.
	MetricsServiceName string `json:"metricsServiceName"`
	// DesiredScale shows the current desired number of replicas for the
	// revision.
	// +optional
	DesiredScale *int32 `json:"desiredScale,omitempty"`
	// ActualScale shows the actual number of replicas for the revision.
	// +optional
	ActualScale *int32 `json:"actualScale,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// PodAutoscalerList is a list of PodAutoscalers.
type PodAutoscalerList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []PodAutoscaler `json:"items"`
}

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Metric configures the metric collector for one scrape target: the
// windows over which it averages what it scrapes.
type Metric struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	// Spec holds the desired state of the Metric (from the client).
	// +optional
	Spec MetricSpec `json:"spec,omitempty"`
	// Status communicates the observed state of the Metric (from the
	// controller).
	// +optional
	Status MetricStatus `json:"status,omitempty"`
}

// MetricSpec contains all values a metric collector needs to operate. The
// windows are Go durations on the wire: integer nanoseconds.
type MetricSpec struct {
	// StableWindow is the aggregation window for metrics in a stable state.
	StableWindow time.Duration `json:"stableWindow"`
	// PanicWindow is the aggregation window for metrics where quick reactions
	// are needed.
	PanicWindow time.Duration `json:"panicWindow"`
	// ScrapeTarget is the K8s service that publishes the metric endpoint.
	ScrapeTarget string `json:"scrapeTarget"`
}

// MetricStatus reflects the status of metric collection for this specific
// entity.
type MetricStatus struct {
	duckv1.Status `json:",inline"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// MetricList is a list of Metrics.
type MetricList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Metric `json:"items"`
}
