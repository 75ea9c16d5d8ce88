package serving_test

// Native fuzz targets for the serving.knative.dev write path. The harness
// and its invariants are pkg/registry/resource/fuzzing's; what is serving's
// is here: the targets, the stored objects of their update paths and the
// seeds. hack/fuzz.sh runs each target for a bounded time.

import (
	"strings"
	"testing"

	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/apis/serving/install"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/registry/resource/fuzzing"
	"github.com/knap-dev/knap/pkg/registry/serving/configuration"
	"github.com/knap-dev/knap/pkg/registry/serving/revision"
	"github.com/knap-dev/knap/pkg/registry/serving/route"
	"github.com/knap-dev/knap/pkg/registry/serving/service"
)

// examples are the serving manifests users apply, valid and invalid.
var examples = []string{"../../../artifacts/examples/serving/*.yaml"}

func FuzzService(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*serving.Service]{
		Kind:     service.Kind(),
		Install:  install.Install,
		GVK:      servingv1.SchemeGroupVersion.WithKind("Service"),
		Stored:   storedService,
		Seeds:    serviceSeeds,
		Examples: examples,
	})
}

func FuzzConfiguration(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*serving.Configuration]{
		Kind:     configuration.Kind(),
		Install:  install.Install,
		GVK:      servingv1.SchemeGroupVersion.WithKind("Configuration"),
		Stored:   storedConfiguration,
		Seeds:    configurationSeeds,
		Examples: examples,
	})
}

func FuzzRevision(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*serving.Revision]{
		Kind:     revision.Kind(),
		Install:  install.Install,
		GVK:      servingv1.SchemeGroupVersion.WithKind("Revision"),
		Stored:   storedRevision,
		Seeds:    revisionSeeds,
		Examples: examples,
	})
}

func FuzzRoute(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*serving.Route]{
		Kind:     route.Kind(),
		Install:  install.Install,
		GVK:      servingv1.SchemeGroupVersion.WithKind("Route"),
		Stored:   storedRoute,
		Seeds:    routeSeeds,
		Examples: examples,
	})
}

// The stored objects of the update paths. Each is what a user applied and
// passes validation; mustStore fails the target otherwise.
const (
	storedService = `
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: stored
  namespace: default
  labels:
    app: stored
  annotations:
    serving.knative.dev/rollout-duration: 120s
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/min-scale: "1"
        autoscaling.knative.dev/max-scale: "10"
    spec:
      containerConcurrency: 50
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
          env:
            - name: TARGET
              value: stored
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet:
              path: /healthz
  traffic:
    - revisionName: stored-00001
      percent: 90
      tag: previous
    - latestRevision: true
      percent: 10
      tag: latest
`
	storedConfiguration = `
apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: stored
  namespace: default
spec:
  template:
    metadata:
      name: stored-v1
      labels:
        app: stored
    spec:
      timeoutSeconds: 60
      containers:
        - image: ghcr.io/knative/helloworld-go@sha256:4b0e5f6c2a8c1e1c0a1b7a9e3c6d5f4e3b2a1908f7e6d5c4b3a29180f7e6d5c4
          ports:
            - containerPort: 8080
`
	storedRevision = `
apiVersion: serving.knative.dev/v1
kind: Revision
metadata:
  name: stored-00001
  namespace: default
  labels:
    serving.knative.dev/configuration: stored
  annotations:
    autoscaling.knative.dev/target: "20"
  ownerReferences:
    - apiVersion: serving.knative.dev/v1
      kind: Configuration
      name: stored
      uid: 0e5e4b43-7c1b-4d1a-a4a0-5b6c7d8e9f00
      controller: true
      blockOwnerDeletion: true
spec:
  containers:
    - image: ghcr.io/knative/helloworld-go:latest
      ports:
        - containerPort: 8080
`
	storedRoute = `
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: stored
  namespace: default
spec:
  traffic:
    - revisionName: stored-00001
      percent: 50
      tag: blue
    - configurationName: stored
      percent: 50
      tag: green
`
)

var serviceSeeds = []string{
	// Smallest Service.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go
`,
	// Without apiVersion and kind: the request's kind fills them in.
	`{"metadata":{"name":"bare","namespace":"default"},"spec":{"template":{"spec":{"containers":[{"image":"nginx"}]}}}}`,
	// Multi-container: one serving container (the one with a port) and a
	// sidecar, with volumes.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: multi
  namespace: apps
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/knative/helloworld-go:latest
          ports:
            - name: http1
              containerPort: 8080
          volumeMounts:
            - name: config
              mountPath: /etc/app
            - name: scratch
              mountPath: /tmp/scratch
        - name: sidecar
          image: docker.io/library/busybox:1.36
          command: ["sh", "-c", "while true; do sleep 3600; done"]
          volumeMounts:
            - name: scratch
              mountPath: /scratch
      volumes:
        - name: config
          configMap:
            name: app-config
            items:
              - key: app.yaml
                path: app.yaml
        - name: scratch
          emptyDir:
            sizeLimit: 64Mi
`,
	// Probes: HTTP readiness with aggressive probing, TCP liveness, gRPC startup.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: probed
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/example/grpc-server:v1.2.3
          ports:
            - name: h2c
              containerPort: 9000
          readinessProbe:
            httpGet:
              path: /ready
              httpHeaders:
                - name: X-Probe
                  value: knap
            periodSeconds: 0
          livenessProbe:
            tcpSocket: {}
            initialDelaySeconds: 5
            periodSeconds: 10
            failureThreshold: 3
          startupProbe:
            grpc:
              port: 9000
            periodSeconds: 1
            failureThreshold: 30
`,
	// Autoscaling, queue sidecar and networking annotations on the template;
	// rollout duration on the Service.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: tuned
  annotations:
    serving.knative.dev/rollout-duration: 380s
spec:
  template:
    metadata:
      labels:
        tier: backend
      annotations:
        autoscaling.knative.dev/class: kpa.autoscaling.knative.dev
        autoscaling.knative.dev/metric: rps
        autoscaling.knative.dev/target: "150"
        autoscaling.knative.dev/target-utilization-percentage: "70"
        autoscaling.knative.dev/target-burst-capacity: "200"
        autoscaling.knative.dev/min-scale: "0"
        autoscaling.knative.dev/max-scale: "20"
        autoscaling.knative.dev/initial-scale: "2"
        autoscaling.knative.dev/activation-scale: "3"
        autoscaling.knative.dev/window: 40s
        autoscaling.knative.dev/panic-window-percentage: "10.0"
        autoscaling.knative.dev/panic-threshold-percentage: "200.0"
        autoscaling.knative.dev/scale-down-delay: 15m
        autoscaling.knative.dev/scale-to-zero-pod-retention-period: 1m5s
        autoscaling.knative.dev/metric-aggregation-algorithm: weightedExponential
        queue.sidecar.serving.knative.dev/resource-percentage: "20"
        queue.sidecar.serving.knative.dev/cpu-resource-request: 100m
        queue.sidecar.serving.knative.dev/memory-resource-limit: 128Mi
        serving.knative.dev/progress-deadline: 10m
        networking.knative.dev/ingress.class: kourier.ingress.networking.knative.dev
    spec:
      containers:
        - image: ghcr.io/knative/autoscale-go:latest
`,
	// HPA class with a CPU target.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hpa
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/class: hpa.autoscaling.knative.dev
        autoscaling.knative.dev/metric: cpu
        autoscaling.knative.dev/target: "80"
        autoscaling.knative.dev/min-scale: "1"
    spec:
      containers:
        - image: ghcr.io/knative/autoscale-go:latest
          resources:
            requests:
              cpu: 250m
              memory: 128Mi
            limits:
              cpu: "1"
              memory: 256Mi
`,
	// Blue/green with a named template and tags.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: bluegreen
spec:
  template:
    metadata:
      name: bluegreen-green
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
          env:
            - name: TARGET
              value: green
  traffic:
    - revisionName: bluegreen-blue
      percent: 100
      tag: blue
    - latestRevision: true
      percent: 0
      tag: green
    - revisionName: bluegreen-blue
      tag: pinned
`,
	// generateName.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  generateName: gen-
  namespace: default
spec:
  template:
    spec:
      containers:
        - image: nginx:1.27
          ports:
            - containerPort: 80
`,
	// Most of a pod spec Knative allows.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: full
  labels:
    networking.knative.dev/visibility: cluster-local
spec:
  template:
    spec:
      serviceAccountName: runner
      imagePullSecrets:
        - name: registry
      enableServiceLinks: true
      containerConcurrency: 10
      timeoutSeconds: 600
      responseStartTimeoutSeconds: 30
      idleTimeoutSeconds: 120
      containers:
        - image: ghcr.io/example/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          workingDir: /srv
          args: ["--port=$(PORT)"]
          env:
            - name: LOG_LEVEL
              value: debug
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db
                  key: password
          envFrom:
            - configMapRef:
                name: api-env
          ports:
            - name: http1
              containerPort: 8081
              protocol: TCP
          securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
            seccompProfile:
              type: RuntimeDefault
          volumeMounts:
            - name: creds
              mountPath: /var/run/creds
              readOnly: true
            - name: projected
              mountPath: /var/run/projected
      volumes:
        - name: creds
          secret:
            secretName: api-creds
            defaultMode: 0400
        - name: projected
          projected:
            sources:
              - configMap:
                  name: extra
              - secret:
                  name: extra
              - serviceAccountToken:
                  audience: api
                  expirationSeconds: 3600
                  path: token
              - downwardAPI:
                  items:
                    - path: labels
                      fieldRef:
                        fieldPath: metadata.labels
`,
	// JSON with a traffic split.
	`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"json","namespace":"default","labels":{"app":"json"}},` +
		`"spec":{"template":{"spec":{"containers":[{"image":"gcr.io/knative-samples/helloworld-go","ports":[{"containerPort":8080}],` +
		`"env":[{"name":"TARGET","value":"json"}]}]}},"traffic":[{"latestRevision":true,"percent":75},{"revisionName":"json-00001","percent":25,"tag":"old"}]}}`,

	// Invalid under Knative's default feature flags: init containers and
	// the downward API in env.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: gated
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: ghcr.io/example/migrate:v3
          args: ["--up"]
      containers:
        - image: ghcr.io/example/api:v3
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
`,

	// System metadata in the template, which the server does not wipe
	// there: fractional timestamps, managed fields, owner references.
	`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"sysmeta"},"spec":{"template":{"metadata":{` +
		`"creationTimestamp":"2021-01-01T00:00:00.5Z","deletionTimestamp":"2021-01-01T00:00:01Z","uid":"u","resourceVersion":"5",` +
		`"namespace":"other","generation":3,"finalizers":["a/b"],"ownerReferences":[{"apiVersion":"v1","kind":"X","name":"x","uid":"u"}],` +
		`"managedFields":[{"manager":"m","operation":"Update","apiVersion":"v1","time":"2021-01-01T00:00:00.25Z"}]},` +
		`"spec":{"containers":[{"image":"nginx","resources":{"limits":{"cpu":"0.0000000001","memory":"1e18"},"requests":{"cpu":"9223372036854775807k"}}}]}}}}`,
	// Invalid: autoscaling annotation on the Service instead of the template.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: misplaced
  annotations:
    autoscaling.knative.dev/min-scale: "1"
spec:
  template:
    spec:
      containers:
        - image: nginx
`,
	// Invalid traffic: configurationName in a Service, url in spec, bad
	// and duplicate tags, percents out of range, latestRevision false
	// without a revision.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: badtraffic
spec:
  template:
    spec:
      containers:
        - image: nginx
  traffic:
    - configurationName: other
      percent: 101
      tag: Bad_Tag
    - latestRevision: false
      percent: -1
      tag: dup
      url: http://dup-badtraffic.default.example.com
    - revisionName: badtraffic-00001
      latestRevision: true
      tag: dup
`,
	// Invalid pod spec: two serving ports, reserved names and paths,
	// out-of-range timeouts and concurrency, a field Knative forbids.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: badpod
spec:
  template:
    spec:
      containerConcurrency: 5000
      timeoutSeconds: -5
      responseStartTimeoutSeconds: 9999
      nodeName: node-1
      hostNetwork: true
      containers:
        - name: queue-proxy
          image: nginx
          ports:
            - containerPort: 8012
          env:
            - name: PORT
              value: "1"
            - name: K_SERVICE
              value: x
          volumeMounts:
            - name: missing
              mountPath: /dev/log
          securityContext:
            privileged: true
            runAsUser: -1
        - image: nginx
          ports:
            - containerPort: 9090
          readinessProbe:
            exec:
              command: ["true"]
`,
	// Invalid annotations: scale bounds, window, class, metric, durations.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: badscale
  annotations:
    serving.knative.dev/rollout-duration: 1.5s
spec:
  template:
    metadata:
      name: other-prefix
      annotations:
        autoscaling.knative.dev/class: bogus.knative.dev
        autoscaling.knative.dev/min-scale: "5"
        autoscaling.knative.dev/max-scale: "2"
        autoscaling.knative.dev/window: 1s
        autoscaling.knative.dev/metric: memory
        autoscaling.knative.dev/target: "0"
        autoscaling.knative.dev/initial-scale: "0"
        autoscaling.knative.dev/panic-threshold-percentage: NaN
        queue.sidecar.serving.knative.dev/resource-percentage: "101"
        networking.knative.dev/unknown: "true"
    spec:
      containers:
        - image: "UPPER/case:tag"
`,
	// Invalid probes on the serving container and a sidecar.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: badprobes
spec:
  template:
    spec:
      containers:
        - image: nginx
          ports:
            - name: http1
              containerPort: 8080
          readinessProbe:
            httpGet:
              port: 9999
            tcpSocket:
              port: http1
            periodSeconds: 0
            timeoutSeconds: 5
            failureThreshold: 2
        - name: side
          image: busybox
          livenessProbe:
            httpGet:
              port: named
`,
	// Strictly undecodable: an unknown field and a duplicate field (a 400).
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: strict
spec:
  template:
    spec:
      containers:
        - image: nginx
          imagee: typo
`,
	`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"a","name":"b"},"spec":{}}`,
	// Invalid metadata: a name that is no DNS-1035 label, bad labels.
	`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: 1-Not_A_Label
  labels:
    "bad key!": "bad value!"
    serving.knative.dev/creator: x
  annotations:
    serving.knative.dev/creator: mallory
spec:
  template:
    metadata:
      generateName: "Bad_"
      labels:
        "also bad/": x
    spec:
      containers:
        - image: nginx
`,
	// Not a Service: decodes to another kind (a 400 on this endpoint).
	`
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: notaservice
spec:
  traffic:
    - configurationName: x
      percent: 100
`,
	// Empty spec.
	`{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"empty"}}`,
}

var configurationSeeds = []string{
	`
apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: config
  namespace: default
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
          ports:
            - containerPort: 8080
`,
	// Owned by a Service, as the controller writes it.
	`
apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: owned
  namespace: default
  labels:
    serving.knative.dev/service: owned
    serving.knative.dev/serviceUID: 5b1f0a70-3f29-4a53-9a77-3b6a9d2f6e11
  annotations:
    serving.knative.dev/creator: alice@example.com
    serving.knative.dev/lastModifier: alice@example.com
  ownerReferences:
    - apiVersion: serving.knative.dev/v1
      kind: Service
      name: owned
      uid: 5b1f0a70-3f29-4a53-9a77-3b6a9d2f6e11
      controller: true
      blockOwnerDeletion: true
spec:
  template:
    metadata:
      labels:
        serving.knative.dev/service: owned
      annotations:
        autoscaling.knative.dev/max-scale: "3"
    spec:
      containerConcurrency: 1
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
`,
	// A named template and multiple containers.
	`
apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: named
spec:
  template:
    metadata:
      name: named-v7
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
          readinessProbe:
            httpGet:
              path: /
              port: 80
            periodSeconds: 5
        - name: metrics
          image: prom/statsd-exporter:v0.26.0
`,
	`{"apiVersion":"serving.knative.dev/v1","kind":"Configuration","metadata":{"name":"cfg-json"},"spec":{"template":{"metadata":{"annotations":{"autoscaling.knative.dev/window":"2m"}},"spec":{"timeoutSeconds":30,"containers":[{"image":"nginx"}]}}}}`,
	// Invalid: a Service label without an owner reference, autoscaling
	// annotation on the Configuration, a template name without the prefix.
	`
apiVersion: serving.knative.dev/v1
kind: Configuration
metadata:
  name: forged
  labels:
    serving.knative.dev/service: someone-else
  annotations:
    autoscaling.knative.dev/target: "10"
spec:
  template:
    metadata:
      name: unrelated
    spec:
      containers:
        - image: nginx
          ports:
            - containerPort: 0
            - containerPort: 8081
`,
	// Invalid: no containers at all.
	`{"apiVersion":"serving.knative.dev/v1","kind":"Configuration","metadata":{"name":"nocontainers"},"spec":{"template":{"spec":{}}}}`,
}

var revisionSeeds = []string{
	`
apiVersion: serving.knative.dev/v1
kind: Revision
metadata:
  name: hello-00001
  namespace: default
spec:
  containers:
    - image: ghcr.io/knative/helloworld-go:latest
`,
	// As the Configuration controller stamps it out.
	`
apiVersion: serving.knative.dev/v1
kind: Revision
metadata:
  name: hello-00002
  namespace: default
  labels:
    serving.knative.dev/configuration: hello
    serving.knative.dev/configurationGeneration: "2"
    serving.knative.dev/service: hello
    serving.knative.dev/routingState: active
  annotations:
    autoscaling.knative.dev/class: kpa.autoscaling.knative.dev
    autoscaling.knative.dev/min-scale: "1"
    autoscaling.knative.dev/max-scale: "4"
    autoscaling.knative.dev/target: "100"
    autoscaling.knative.dev/metric: concurrency
    serving.knative.dev/creator: alice@example.com
    serving.knative.dev/routes: hello
  ownerReferences:
    - apiVersion: serving.knative.dev/v1
      kind: Configuration
      name: hello
      uid: 9c0b2f5e-0d57-4bb4-9d63-2d7e9d9c1a22
      controller: true
      blockOwnerDeletion: true
spec:
  containerConcurrency: 100
  timeoutSeconds: 300
  enableServiceLinks: false
  containers:
    - name: user-container
      image: ghcr.io/knative/helloworld-go@sha256:4b0e5f6c2a8c1e1c0a1b7a9e3c6d5f4e3b2a1908f7e6d5c4b3a29180f7e6d5c4
      ports:
        - name: http1
          containerPort: 8080
      readinessProbe:
        tcpSocket:
          port: 0
        successThreshold: 1
`,
	// Multi-container with a shared emptyDir.
	`
apiVersion: serving.knative.dev/v1
kind: Revision
metadata:
  name: multi-00001
spec:
  containers:
    - image: nginx
      ports:
        - containerPort: 80
      volumeMounts:
        - name: shared
          mountPath: /usr/share/nginx/html
    - image: ghcr.io/example/content-sync:v1
      volumeMounts:
        - name: shared
          mountPath: /out
  volumes:
    - name: shared
      emptyDir: {}
`,
	// Invalid: forged configuration label, bad autoscaling annotations,
	// invalid spec.
	`
apiVersion: serving.knative.dev/v1
kind: Revision
metadata:
  name: forged-00001
  labels:
    serving.knative.dev/configuration: victim
  annotations:
    autoscaling.knative.dev/min-scale: "-1"
    autoscaling.knative.dev/max-scale: "99999999999"
    autoscaling.knative.dev/scale-down-delay: 2h
    autoscaling.knative.dev/window: 3601s
spec:
  containerConcurrency: -1
  containers: []
`,
	`{"apiVersion":"serving.knative.dev/v1","kind":"Revision","metadata":{"name":"json-00001"},"spec":{"timeoutSeconds":0,"containers":[{"image":"nginx","ports":[{"containerPort":8080,"name":"h2c"}]}]}}`,
}

var routeSeeds = []string{
	`
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: simple
  namespace: default
spec:
  traffic:
    - configurationName: simple
      percent: 100
`,
	// Canary by revision with tags, and a gradual rollout.
	`
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: canary
  annotations:
    serving.knative.dev/rollout-duration: 300s
  labels:
    networking.knative.dev/visibility: cluster-local
spec:
  traffic:
    - revisionName: canary-00001
      percent: 90
      tag: stable
    - revisionName: canary-00002
      percent: 10
      tag: candidate
    - configurationName: canary
      latestRevision: true
      percent: 0
      tag: latest
`,
	// Owned by a Service.
	`
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: owned
  labels:
    serving.knative.dev/service: owned
  ownerReferences:
    - apiVersion: serving.knative.dev/v1
      kind: Service
      name: owned
      uid: 5b1f0a70-3f29-4a53-9a77-3b6a9d2f6e11
      controller: true
spec:
  traffic:
    - configurationName: owned
      latestRevision: true
      percent: 100
`,
	`{"apiVersion":"serving.knative.dev/v1","kind":"Route","metadata":{"name":"json"},"spec":{"traffic":[{"configurationName":"a","percent":33},{"configurationName":"b","percent":33},{"revisionName":"c-00001","percent":34}]}}`,
	// Invalid: empty traffic (a bare Route must say where traffic goes).
	`
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: empty
spec: {}
`,
	// Invalid: both names, neither name, url in spec, latestRevision true
	// with a revision, a sum of 120, an invalid rollout duration.
	`
apiVersion: serving.knative.dev/v1
kind: Route
metadata:
  name: bad
  annotations:
    serving.knative.dev/rolloutDuration: "-5s"
spec:
  traffic:
    - revisionName: bad-00001
      configurationName: bad
      percent: 40
    - percent: 40
      url: http://bad.default.example.com
    - revisionName: bad-00002
      latestRevision: true
      percent: 40
      tag: "-x-"
`,
	// Invalid references: not qualified names.
	`{"apiVersion":"serving.knative.dev/v1","kind":"Route","metadata":{"name":"refs"},"spec":{"traffic":[{"configurationName":"not a name!","percent":50},{"revisionName":"` + strings.Repeat("r", 300) + `","percent":50}]}}`,
}
