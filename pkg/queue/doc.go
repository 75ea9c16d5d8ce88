// Package queue is knap-queue (cmd/queue), the sidecar in every revision
// pod, in place of Knative's queue-proxy: a reverse proxy to the user
// container with the containerConcurrency breaker, the revision's timeouts,
// request stats for the autoscaler, readiness from the user container's
// readiness probe, and a graceful drain on SIGTERM.
//
// # Files
//
//	config.go     the environment contract (ConfigFromEnv)
//	fastpath.go   the main port: plain HTTP/1.1 forwarded byte for byte
//	h1.go         the fast path's HTTP/1.1 head parsers
//	upstream.go   the fast path's connections to the user container
//	proxy.go      the reverse proxy for all else (NewProxy, net/http)
//	timeout.go    total / response-start / idle timeouts (504, or a cut)
//	breaker.go    containerConcurrency: CC running, 10 × CC waiting, then 503
//	stats.go      per-second concurrency and request rates for the autoscaler
//	metrics.go    the queue's own Prometheus request metrics
//	readiness.go  probing the user container (TCP, HTTP, gRPC)
//	drain.go      SIGTERM: fail probes, keep serving, then shut down
//	handler.go    the main handler tying them together
//	server.go     the three servers and the shutdown sequence
//
// # Environment
//
// The names are Knative queue-proxy's, so the Revision reconciler sets them
// as Knative's does (knative.dev/serving
// pkg/reconciler/revision/resources/queue.go). All are optional; a malformed
// one stops the queue with an error naming it.
//
//	QUEUE_SERVING_PORT        8012  port the revision's Kubernetes Service targets; HTTP/1.1 and h2c
//	USER_PORT                 8080  the user container's port (on 127.0.0.1)
//	QUEUE_METRICS_PORT        9090  GET /metrics: the autoscaler's stats and the queue's metrics
//	QUEUE_ADMIN_PORT          8022  GET /wait-for-drain: the user container's preStop hook (knap's name; Knative fixes 8022)
//	SERVING_NAMESPACE, SERVING_REVISION, SERVING_CONFIGURATION, SERVING_SERVICE,
//	SERVING_POD, SERVING_POD_IP       identity: metric labels and logs
//	CONTAINER_CONCURRENCY     0     requests the user container gets at once; 0 is unlimited
//	REVISION_TIMEOUT_SECONDS  300   arrival to last byte, queueing included (unset or 0: 300)
//	REVISION_RESPONSE_START_TIMEOUT_SECONDS  0  wait for the first response byte (0: none)
//	REVISION_IDLE_TIMEOUT_SECONDS            0  longest gap between response writes (0: none)
//	SERVING_READINESS_PROBE   ""    the user container's readiness probe as JSON (below)
//	DRAIN_SLEEP               30s   drain period: a Go duration or seconds (knap's; flag -drain-sleep overrides)
//
// QUEUE_SERVING_TLS_PORT, SERVING_LOGGING_*, OBSERVABILITY_CONFIG,
// ENABLE_HTTP2_AUTO_DETECTION and the other variables Knative sets are
// ignored. Logging is klog's (flags -v, ...).
//
// # Readiness probe
//
// SERVING_READINESS_PROBE is a corev1.Probe in JSON, as Knative encodes the
// user container's readiness probe (an array of them with Knative's
// multi-container probing; all must pass). Empty means Knative's default: a
// TCP connect to 127.0.0.1:$USER_PORT, probed aggressively. Missing hosts
// are 127.0.0.1, missing or named ports $USER_PORT, and an exec probe
// becomes a TCP probe of $USER_PORT (the exec probe itself stays on the user
// container, run by the kubelet). httpGet passes for 200-399 (redirects
// not followed, HTTPS not verified, User-Agent kube-probe/knap-queue,
// httpHeaders sent, a Host header sets Host); grpc calls
// grpc.health.v1.Health/Check over h2c and passes on SERVING.
//
// The queue probes in the background from start: after initialDelaySeconds,
// every 50ms while not ready (for 2 minutes after start or after readiness
// was lost, then at the probe's period), and at periodSeconds (1s when 0)
// once ready; successThreshold consecutive passes make it ready,
// failureThreshold (default 3) consecutive failures not ready; each attempt
// times out after timeoutSeconds (1s when 0). The first probe's timing and
// thresholds apply to all.
//
// # Probes of the queue
//
// A request to QUEUE_SERVING_PORT with "K-Network-Probe: queue", or from the
// kubelet (User-Agent kube-probe/..., or a K-Kubelet-Probe header), is
// answered by the queue and never proxied: 200 with body "queue" when the
// user container is ready and the queue is not draining, 503 otherwise; a
// K-Network-Probe naming another component gets 400. A kubelet probe
// arriving before the user container is ready is held up to 0.9s for it,
// so the pod turns Ready as soon as the user container does instead of a
// probe period later. Other probes (the gateway's) are answered at once:
// the gateway may probe pod IPs with "K-Network-Probe: queue" to learn
// readiness before the EndpointSlice says so, as Knative's activator does.
//
// # The revision's pod spec
//
// What the Revision reconciler writes (Knative's layout):
//
//	terminationGracePeriodSeconds: DRAIN_SLEEP + timeoutSeconds + a few (e.g. 30 + 300 + 5)
//	containers:
//	- name: user-container
//	  ports: [{name: user-port, containerPort: $USER_PORT}]
//	  env: PORT=$USER_PORT, K_SERVICE, K_CONFIGURATION, K_REVISION
//	  readinessProbe: none when the user's is httpGet/tcpSocket/grpc (the queue runs it); an exec probe stays
//	  lifecycle: {preStop: {httpGet: {port: 8022, path: /wait-for-drain}}}
//	- name: queue-proxy
//	  image: config-deployment's queue-sidecar-image (knap.local/knap-queue:dev locally)
//	  ports:
//	  - {name: queue-port, containerPort: 8012}
//	  - {name: http-autometric, containerPort: 9090}
//	  - {name: http-queueadm, containerPort: 8022}
//	  env: the variables above; SERVING_POD from fieldRef metadata.name, SERVING_POD_IP from status.podIP
//	  readinessProbe:
//	    httpGet: {port: 8012, httpHeaders: [{name: K-Network-Probe, value: queue}]}
//	    periodSeconds: 1          # cheap: the queue answers from its cached state
//	    timeoutSeconds: 1
//	    successThreshold: 1
//	    failureThreshold: 3       # the queue applies the user's thresholds itself
//	  securityContext: {runAsNonRoot: true, runAsUser: 65532, readOnlyRootFilesystem: true,
//	                    allowPrivilegeEscalation: false, capabilities: {drop: [ALL]},
//	                    seccompProfile: {type: RuntimeDefault}}
//
// The revision's Kubernetes Service targets port 8012 (queue-port). The
// autoscaler scrapes http://<pod IP>:9090/metrics, the URL Knative's
// autoscaler uses (pkg/autoscaler/metrics: AutoscalingQueueMetricsPort,
// "/metrics"). No liveness probe is needed on the queue.
//
// # Proxying
//
// The user container gets the request with its Host kept (K-Original-Host,
// when present, replaces it), X-Forwarded-For extended with the client's
// address, the gateway's X-Forwarded-Host/-Proto kept, Knative's
// Knative-Serving-Revision/-Namespace headers removed. The upstream protocol
// follows the inbound one: HTTP/1.1 in, HTTP/1.1 out; HTTP/2 (h2c) in, h2c
// out, so the gateway must speak h2c to the queue only for revisions whose
// port is h2c (gRPC). Connections to the user container are kept alive (up
// to CC idle, 1000 when unlimited), uncompressed. Responses without a
// Content-Length (chunked, streaming) and text/event-stream are flushed
// chunk by chunk, others buffered as net/http does; WebSocket upgrades are
// spliced. An unreachable user container gives 502.
//
// Plain HTTP/1.1 requests (origin-form target, one Host, at most one
// Content-Length, no upgrade, chunked upload or Expect, not a probe) take a
// fast path: the head is rewritten as above and forwarded byte for byte on
// the client connection's goroutine over a pooled connection, and the
// response passes through as it comes (a chunked body chunk by chunk,
// flushed whenever the user container pauses). A pooled connection the
// user container closed while idle is retried once on a new one. Any
// other request hands its connection over to net/http for good. Both paths
// share the breaker, the timeouts, the stats and the metrics. A user
// answer whose lines end in a bare LF reaches the client with CRLF lines.
// On Linux, sockets are read and written with raw system calls
// (pkg/rawio), which spares the Go scheduler a thread hand-off per write.
//
// With CONTAINER_CONCURRENCY > 0 at most CC requests reach the user
// container at once; up to 10 × CC more wait in arrival order, and beyond
// that the queue answers 503 "pending request queue full" at once.
//
// Timeouts: REVISION_TIMEOUT_SECONDS runs from arrival (queueing included).
// A timeout before the response started answers 504 "request timeout"; after
// it started, the response is cut (the connection is aborted, so the client
// sees a truncated response, not a complete one). The response-start timeout
// no longer applies once the response started, the idle timeout counts from
// the last write (or arrival). An upgraded (WebSocket) connection is closed
// at the total timeout, as in Knative.
//
// # Metrics (GET :9090/metrics, Prometheus text)
//
// For the autoscaler, over the last 1s window, labelled
// destination_namespace, destination_configuration, destination_revision and
// destination_pod (the pod's name), the gauges Knative's queue-proxy served
// in the Prometheus format (and Knative's autoscaler parsed by these names):
//
//	queue_average_concurrent_requests          time-weighted average of requests in the queue (running + waiting)
//	queue_average_proxied_concurrent_requests  the same for requests with a K-Proxy-Request header (the gateway)
//	queue_requests_per_second                  arrivals per second
//	queue_proxied_operations_per_second        arrivals per second with K-Proxy-Request
//	process_uptime                             seconds since the queue started
//
// Proxied requests count in the totals too. Probes are not requests. Parse
// with expfmt.NewTextParser(model.UTF8Validation).
//
// The queue's own metrics (Knative's names; const labels namespace_name,
// service_name, configuration_name, revision_name, pod_name,
// container_name="queue-proxy"; by response_code and response_code_class):
//
//	revision_request_count          counter: requests the queue answered
//	revision_request_latencies      histogram, ms: arrival to last byte
//	revision_app_request_count      counter: requests that reached the user container
//	revision_app_request_latencies  histogram, ms: from leaving the queue
//	revision_queue_depth            gauge: requests running or waiting (CC > 0 only)
//
// # Drain
//
// On SIGTERM (or SIGINT) the queue fails probes at once (503 "shutting
// down") and keeps serving in-flight and new requests until none has
// arrived for DRAIN_SLEEP (Knative's quiet period, 30s): time for the
// EndpointSlice, kube-proxy and the gateway to stop sending here. Then the
// main server shuts down gracefully, waiting up to the revision timeout for
// in-flight requests and upgraded connections; /wait-for-drain, the user
// container's preStop hook, returns after that (or after 1s when the queue
// got no SIGTERM: the user container alone is restarting), so the user
// container is stopped only once it has nothing left to answer. The
// process then exits 0.
package queue
