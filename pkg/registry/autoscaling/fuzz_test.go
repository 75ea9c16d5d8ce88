package autoscaling_test

// Native fuzz targets for the autoscaling.internal.knative.dev write path.
// The harness and its invariants are pkg/registry/resource/fuzzing's; here
// are the targets, their stored objects and seeds. These kinds have no
// example manifests: users do not apply them, Knative's controllers write
// them.

import (
	"testing"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	"github.com/knap-dev/knap/pkg/apis/autoscaling/install"
	autoscalingv1alpha1 "github.com/knap-dev/knap/pkg/apis/autoscaling/v1alpha1"
	"github.com/knap-dev/knap/pkg/registry/autoscaling/metric"
	"github.com/knap-dev/knap/pkg/registry/autoscaling/podautoscaler"
	"github.com/knap-dev/knap/pkg/registry/resource/fuzzing"
)

func FuzzPodAutoscaler(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*autoscaling.PodAutoscaler]{
		Kind:    podautoscaler.Kind(),
		Install: install.Install,
		GVK:     autoscalingv1alpha1.SchemeGroupVersion.WithKind("PodAutoscaler"),
		Stored:  storedPodAutoscaler,
		Seeds:   podAutoscalerSeeds,
	})
}

func FuzzMetric(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*autoscaling.Metric]{
		Kind:    metric.Kind(),
		Install: install.Install,
		GVK:     autoscalingv1alpha1.SchemeGroupVersion.WithKind("Metric"),
		Stored:  storedMetric,
		Seeds:   metricSeeds,
	})
}

// The stored objects of the update paths, as the Revision controller writes
// them for hello-00001.
const (
	storedPodAutoscaler = `
apiVersion: autoscaling.internal.knative.dev/v1alpha1
kind: PodAutoscaler
metadata:
  name: hello-00001
  namespace: default
  labels:
    serving.knative.dev/configuration: hello
    serving.knative.dev/revision: hello-00001
    serving.knative.dev/service: hello
  annotations:
    autoscaling.knative.dev/class: kpa.autoscaling.knative.dev
    autoscaling.knative.dev/metric: concurrency
    autoscaling.knative.dev/min-scale: "1"
    autoscaling.knative.dev/max-scale: "10"
    autoscaling.knative.dev/target: "50"
  ownerReferences:
    - apiVersion: serving.knative.dev/v1
      kind: Revision
      name: hello-00001
      uid: 3c2e1f0a-6b7d-4c8e-9f10-2a3b4c5d6e7f
      controller: true
      blockOwnerDeletion: true
spec:
  containerConcurrency: 100
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: hello-00001-deployment
  reachability: Reachable
  protocolType: http1
`
	storedMetric = `
apiVersion: autoscaling.internal.knative.dev/v1alpha1
kind: Metric
metadata:
  name: hello-00001
  namespace: default
  labels:
    serving.knative.dev/revision: hello-00001
  annotations:
    autoscaling.knative.dev/class: kpa.autoscaling.knative.dev
    autoscaling.knative.dev/window: 60s
spec:
  stableWindow: 60000000000
  panicWindow: 6000000000
  scrapeTarget: hello-00001-private
`
)

var podAutoscalerSeeds = []string{
	// HPA on cpu, legacy spellings of the scale bounds, an unreachable h2c
	// revision: every annotation in range.
	`
apiVersion: autoscaling.internal.knative.dev/v1alpha1
kind: PodAutoscaler
metadata:
  name: grpc-00003
  annotations:
    autoscaling.knative.dev/class: hpa.autoscaling.knative.dev
    autoscaling.knative.dev/metric: cpu
    autoscaling.knative.dev/target: "80"
    autoscaling.knative.dev/minScale: "2"
    autoscaling.knative.dev/maxScale: "8"
    autoscaling.knative.dev/activation-scale: "3"
    autoscaling.knative.dev/initialScale: "4"
    autoscaling.knative.dev/scaleDownDelay: 30s
    autoscaling.knative.dev/window: 2m
    autoscaling.knative.dev/panic-window-percentage: "10"
    autoscaling.knative.dev/panic-threshold-percentage: "200.5"
    autoscaling.knative.dev/target-utilization-percentage: "70"
    autoscaling.knative.dev/target-burst-capacity: "-1"
    autoscaling.knative.dev/scale-to-zero-pod-retention-period: 1m30.5s
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: grpc-00003-deployment
  reachability: Unreachable
  protocolType: h2c
`,
	// A third-party class without a metric (it defaults to none), both
	// spellings of min-scale (the current one wins), an aggregation
	// algorithm only the KPA would check, a reachability Knative does not
	// check; then a PodAutoscaler without annotations (class and metric
	// defaulted).
	`{"apiVersion":"autoscaling.internal.knative.dev/v1alpha1","kind":"PodAutoscaler","metadata":{"name":"custom","namespace":"apps",` +
		`"annotations":{"autoscaling.knative.dev/class":"custom.example.com/autoscaler","autoscaling.knative.dev/min-scale":"0",` +
		`"autoscaling.knative.dev/minScale":"x","autoscaling.knative.dev/metric-aggregation-algorithm":"nonsense"}},` +
		`"spec":{"containerConcurrency":0,"scaleTargetRef":{"apiVersion":"apps/v1","kind":"StatefulSet","name":"custom"},"reachability":"Sometimes","protocolType":"http1"}}`,
	`{"metadata":{"name":"bare"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"bare"},"protocolType":"h2c"}}`,
	// Invalid annotations: an unknown Knative class, min above max,
	// activation below 2, a fractional window, NaN and out-of-range
	// percentages, a burst capacity below -1, zero initial scale, a metric
	// the KPA does not know, an unknown aggregation algorithm, overflowing
	// and empty values.
	`
apiVersion: autoscaling.internal.knative.dev/v1alpha1
kind: PodAutoscaler
metadata:
  name: badanns
  annotations:
    autoscaling.knative.dev/class: bogus.autoscaling.knative.dev
    autoscaling.knative.dev/metric: memory
    autoscaling.knative.dev/min-scale: "5"
    autoscaling.knative.dev/max-scale: "2"
    autoscaling.knative.dev/activation-scale: "1"
    autoscaling.knative.dev/initial-scale: "0"
    autoscaling.knative.dev/window: 5.5s
    autoscaling.knative.dev/scale-down-delay: 2h
    autoscaling.knative.dev/scale-to-zero-pod-retention-period: "-1s"
    autoscaling.knative.dev/panic-threshold-percentage: NaN
    autoscaling.knative.dev/panic-window-percentage: "+Inf"
    autoscaling.knative.dev/target: "0.001"
    autoscaling.knative.dev/target-utilization-percentage: "101"
    autoscaling.knative.dev/target-burst-capacity: "-2"
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: badanns
  protocolType: http1
`,
	`{"kind":"PodAutoscaler","metadata":{"name":"kpa","annotations":{"autoscaling.knative.dev/class":"kpa.autoscaling.knative.dev",` +
		`"autoscaling.knative.dev/metric":"","autoscaling.knative.dev/metric-aggregation-algorithm":"weightedexponential",` +
		`"autoscaling.knative.dev/max-scale":"2147483648","autoscaling.knative.dev/min-scale":"-1","autoscaling.knative.dev/activation-scale":"9999999999",` +
		`"autoscaling.knative.dev/target":""}},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"kpa"},"protocolType":"http1"}}`,
	// Invalid spec: concurrency out of range, an unknown protocol, a scale
	// target that is no reference; a name that is no DNS-1035 label.
	`
apiVersion: autoscaling.internal.knative.dev/v1alpha1
kind: PodAutoscaler
metadata:
  name: 1-Bad.Name
spec:
  containerConcurrency: 1001
  scaleTargetRef:
    apiVersion: "apps/v1/extra"
    kind: Deploy-ment
    name: Not_A_Label
  protocolType: http2
`,
	`{"kind":"PodAutoscaler","metadata":{"generateName":"gen-"},"spec":{"containerConcurrency":-1}}`,
	// An empty spec.
	`{"kind":"PodAutoscaler","metadata":{"name":"empty"},"spec":{}}`,
}

var metricSeeds = []string{
	// As the KPA writes it for a revision with a 2 minute window and a 10%
	// panic window.
	`
apiVersion: autoscaling.internal.knative.dev/v1alpha1
kind: Metric
metadata:
  name: slow-00002
  annotations:
    autoscaling.knative.dev/window: 2m
    autoscaling.knative.dev/panic-window-percentage: "10"
spec:
  stableWindow: 120000000000
  panicWindow: 12000000000
  scrapeTarget: slow-00002-private
`,
	// Windows Knative does not check (negative, panic above stable), and
	// only a scrape target: both accepted.
	`{"kind":"Metric","metadata":{"name":"odd"},"spec":{"stableWindow":-1,"panicWindow":9223372036854775807,"scrapeTarget":""}}`,
	`{"kind":"Metric","metadata":{"name":"target-only"},"spec":{"scrapeTarget":"svc"}}`,
	// Invalid autoscaling annotations: a window over an hour, an unknown
	// Knative class.
	`{"kind":"Metric","metadata":{"name":"badanns","annotations":{"autoscaling.knative.dev/window":"1h0m1s","autoscaling.knative.dev/class":"x.knative.dev"}},` +
		`"spec":{"stableWindow":3601000000000,"panicWindow":360100000000,"scrapeTarget":"badanns-private"}}`,
	// An empty spec, and windows as strings (the wire form is nanoseconds:
	// refused by the decoder).
	`{"kind":"Metric","metadata":{"name":"empty"},"spec":{"stableWindow":0,"panicWindow":0,"scrapeTarget":""}}`,
	`{"kind":"Metric","metadata":{"name":"strings"},"spec":{"stableWindow":"60s","panicWindow":"6s","scrapeTarget":"s"}}`,
}
