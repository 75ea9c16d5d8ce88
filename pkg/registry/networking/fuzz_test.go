package networking_test

// Native fuzz targets for the networking.internal.knative.dev write path.
// The harness and its invariants are pkg/registry/resource/fuzzing's; here
// are the targets, their stored objects and seeds. These kinds have no
// example manifests: users do not apply them, Knative's controllers write
// them.

import (
	"testing"

	"github.com/knap-dev/knap/pkg/apis/networking"
	"github.com/knap-dev/knap/pkg/apis/networking/install"
	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
	"github.com/knap-dev/knap/pkg/registry/networking/ingress"
	"github.com/knap-dev/knap/pkg/registry/networking/serverlessservice"
	"github.com/knap-dev/knap/pkg/registry/resource/fuzzing"
)

func FuzzIngress(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*networking.Ingress]{
		Kind:    ingress.Kind(),
		Install: install.Install,
		GVK:     networkingv1alpha1.SchemeGroupVersion.WithKind("Ingress"),
		Stored:  storedIngress,
		Seeds:   ingressSeeds,
	})
}

func FuzzServerlessService(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*networking.ServerlessService]{
		Kind:    serverlessservice.Kind(),
		Install: install.Install,
		GVK:     networkingv1alpha1.SchemeGroupVersion.WithKind("ServerlessService"),
		Stored:  storedServerlessService,
		Seeds:   serverlessServiceSeeds,
	})
}

// The stored objects of the update paths, as the Route and PodAutoscaler
// controllers write them for Service hello.
const (
	storedIngress = `
apiVersion: networking.internal.knative.dev/v1alpha1
kind: Ingress
metadata:
  name: hello
  namespace: default
  labels:
    serving.knative.dev/route: hello
    serving.knative.dev/routeNamespace: default
    serving.knative.dev/service: hello
  annotations:
    networking.knative.dev/ingress.class: knap.ingress.networking.knative.dev
    serving.knative.dev/creator: alice@example.com
  ownerReferences:
    - apiVersion: serving.knative.dev/v1
      kind: Route
      name: hello
      uid: 1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9
      controller: true
      blockOwnerDeletion: true
spec:
  httpOption: Enabled
  rules:
    - hosts:
        - hello.default
        - hello.default.svc
        - hello.default.svc.cluster.local
      visibility: ClusterLocal
      http:
        paths:
          - splits:
              - serviceNamespace: default
                serviceName: hello-00001
                servicePort: 80
                percent: 90
                appendHeaders:
                  Knative-Serving-Revision: hello-00001
                  Knative-Serving-Namespace: default
              - serviceNamespace: default
                serviceName: hello-00002
                servicePort: 80
                percent: 10
                appendHeaders:
                  Knative-Serving-Revision: hello-00002
                  Knative-Serving-Namespace: default
    - hosts:
        - hello.default.example.com
      visibility: ExternalIP
      http:
        paths:
          - splits:
              - serviceNamespace: default
                serviceName: hello-00001
                servicePort: 80
                percent: 90
              - serviceNamespace: default
                serviceName: hello-00002
                servicePort: 80
                percent: 10
`
	storedServerlessService = `
apiVersion: networking.internal.knative.dev/v1alpha1
kind: ServerlessService
metadata:
  name: hello-00001
  namespace: default
  labels:
    serving.knative.dev/revision: hello-00001
  ownerReferences:
    - apiVersion: autoscaling.internal.knative.dev/v1alpha1
      kind: PodAutoscaler
      name: hello-00001
      uid: 6e5d4c3b-2a19-4807-96a5-b4c3d2e1f0a9
      controller: true
      blockOwnerDeletion: true
spec:
  mode: Serve
  objectRef:
    apiVersion: apps/v1
    kind: Deployment
    name: hello-00001-deployment
  ProtocolType: http1
  numActivators: 3
`
)

var ingressSeeds = []string{
	// Tag routing: a header-matched path before the default one, a single
	// split without a percentage (it gets 100), a named port, a host
	// rewrite, TLS with redirection, a rule without hosts.
	`
apiVersion: networking.internal.knative.dev/v1alpha1
kind: Ingress
metadata:
  name: tagged
  namespace: default
  annotations:
    networking.knative.dev/ingress-class: knap.ingress.networking.knative.dev
    networking.knative.dev/http-protocol: redirected
spec:
  httpOption: Redirected
  tls:
    - hosts: [tagged.default.example.com, candidate-tagged.default.example.com]
      secretName: route-tagged
      secretNamespace: knative-serving
  rules:
    - hosts: [candidate-tagged.default.example.com]
      http:
        paths:
          - path: /api
            rewriteHost: tagged-00002.default.svc.cluster.local
            headers:
              Knative-Serving-Tag:
                exact: candidate
            appendHeaders:
              Knative-Serving-Tag: candidate
            splits:
              - serviceNamespace: default
                serviceName: tagged-00002
                servicePort: http
    - http:
        paths:
          - splits:
              - serviceNamespace: default
                serviceName: tagged-00001
                servicePort: 8080
                percent: 0
              - serviceNamespace: default
                serviceName: tagged-00002
                servicePort: 8080
                percent: 100
`,
	`{"kind":"Ingress","metadata":{"name":"json"},"spec":{"rules":[{"hosts":["json.default.svc.cluster.local"],"visibility":"ClusterLocal",` +
		`"http":{"paths":[{"splits":[{"serviceNamespace":"default","serviceName":"a","servicePort":"","percent":33},` +
		`{"serviceNamespace":"default","serviceName":"b","servicePort":-1,"percent":67,"appendHeaders":{"":""}}]}]}}],` +
		`"tls":[{"secretName":"s","secretNamespace":"n","visibility":"Nowhere"}]}}`,
	// Invalid: percentages out of range and not totalling 100, a backend in
	// another namespace, no port, an empty split, a rule without http, a
	// path without splits, incomplete TLS, an unknown HTTP option.
	`
apiVersion: networking.internal.knative.dev/v1alpha1
kind: Ingress
metadata:
  name: bad
  namespace: default
spec:
  httpOption: Sometimes
  tls:
    - hosts: [bad.example.com]
    - {}
  rules:
    - hosts: [bad.example.com]
      visibility: Everywhere
      http:
        paths:
          - splits:
              - serviceNamespace: other
                serviceName: bad-00001
                servicePort: 0
                percent: 120
              - serviceNamespace: default
                serviceName: bad-00002
                servicePort: 80
                percent: -20
          - splits:
              - serviceNamespace: default
                serviceName: bad-00003
                servicePort: 80
                percent: 60
              - serviceNamespace: default
                serviceName: bad-00004
                servicePort: 80
                percent: 60
          - path: /empty
            splits: []
          - splits:
              - {}
    - hosts: [nohttp.example.com]
    - http: {}
    - {}
`,
	// Invalid: no rules at all, and an empty spec.
	`{"kind":"Ingress","metadata":{"name":"norules"},"spec":{"httpOption":"Enabled"}}`,
	`{"kind":"Ingress","metadata":{"name":"Not.A_Subdomain"},"spec":{}}`,
}

var serverlessServiceSeeds = []string{
	// Proxy mode, as the PodAutoscaler controller writes it for a revision
	// at zero, with all activators.
	`
apiVersion: networking.internal.knative.dev/v1alpha1
kind: ServerlessService
metadata:
  name: grpc-00003
  namespace: apps
  annotations:
    networking.knative.dev/ingress.class: knap.ingress.networking.knative.dev
    networking.knative.dev/disable-auto-tls: "true"
spec:
  mode: Proxy
  objectRef:
    apiVersion: apps/v1
    kind: Deployment
    name: grpc-00003-deployment
  ProtocolType: h2c
`,
	`{"kind":"ServerlessService","metadata":{"name":"a.b.c","annotations":{"autoscaling.knative.dev/class":"anything"}},` +
		`"spec":{"mode":"Serve","objectRef":{"apiVersion":"serving.knative.dev/v1","kind":"Revision","name":"a"},"ProtocolType":"http1","numActivators":2147483647}}`,
	// Invalid: an unknown mode and protocol, negative activators, a scale
	// target that is no reference, a misspelt networking annotation.
	`
apiVersion: networking.internal.knative.dev/v1alpha1
kind: ServerlessService
metadata:
  name: bad
  annotations:
    networking.knative.dev/ingressClass: typo
spec:
  mode: Shadow
  objectRef:
    apiVersion: "/v1"
    kind: "Deploy ment"
    name: bad.name
  ProtocolType: http2
  numActivators: -1
`,
	`{"kind":"ServerlessService","metadata":{"name":"nomode"},"spec":{"objectRef":{},"ProtocolType":""}}`,
	`{"kind":"ServerlessService","metadata":{"name":"empty"},"spec":{}}`,
	// Knative's lower-case spelling is not the wire name (ProtocolType):
	// refused by the strict decoder.
	`{"kind":"ServerlessService","metadata":{"name":"lower"},"spec":{"mode":"Serve","objectRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"d"},"protocolType":"http1"}}`,
}
