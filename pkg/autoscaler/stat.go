// Package autoscaler holds the Knative Pod Autoscaler's algorithm: the
// stats pods and gateways report, their windowed averages, and the
// decision of how many pods a revision wants. The reconciler that applies
// decisions lives in pkg/controller/autoscaling.
package autoscaler

import "k8s.io/apimachinery/pkg/types"

// StatsPath is where the autoscaler receives reports (POST, JSON Report).
const StatsPath = "/autoscaler/stats"

// Stat is one reporter's view of one revision over one reporting period
// (a second): a revision pod's knap-queue, scraped, or a knap-gateway,
// pushed. Requests the gateway proxied reach a pod too; the pod reports
// them as proxied so they are not counted twice.
type Stat struct {
	// Revision is the revision's namespace/name.
	Revision types.NamespacedName `json:"revision"`
	// PodName is the reporting pod, or the gateway's name.
	PodName string `json:"podName"`
	// AverageConcurrentRequests is the time-weighted average of requests
	// in flight over the period.
	AverageConcurrentRequests float64 `json:"averageConcurrentRequests"`
	// AverageProxiedConcurrentRequests is the part of it that came through
	// the gateway (0 in a gateway's own report).
	AverageProxiedConcurrentRequests float64 `json:"averageProxiedConcurrentRequests"`
	// RequestCount is the number of requests that arrived in the period.
	RequestCount float64 `json:"requestCount"`
	// ProxiedRequestCount is the part of it that came through the gateway.
	ProxiedRequestCount float64 `json:"proxiedRequestCount"`
	// Activation is set by a gateway holding requests for a revision
	// without ready pods: scale up now, do not wait for the next tick.
	Activation bool `json:"activation,omitempty"`
}

// Report is the body of a POST to StatsPath.
type Report struct {
	Stats []Stat `json:"stats"`
}
