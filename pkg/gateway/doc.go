// Package gateway is knap-gateway, the HTTP data plane of Serving. It reads
// the Ingresses Routes publish and routes each request by Host (and path
// and headers) to one of the Ingress's splits, chosen by percent; the
// split names a Revision, whose ready pods it learns from the EndpointSlices
// of the Revision's Kubernetes Service. It then does what Knative's
// activator does: while no pod has room (containerConcurrency) or none
// exists (scale from zero) the request waits in the revision's FIFO, the
// autoscaler is told at once, and the request is forwarded when a pod
// appears. Every second it reports the concurrency it proxied to the
// autoscaler.
//
// The pieces, one per file: the routing table (table.go, split.go) rebuilt
// from Ingress events (router.go); the revisions the gateway sends traffic
// to (revisions.go), each with a balancer over its pods (balancer.go,
// endpoints.go); the request handler (handler.go) and reverse proxy
// (proxy.go); stats for the autoscaler (reporter.go); Prometheus metrics
// (metrics.go); and the process around them (gateway.go, options.go).
package gateway
