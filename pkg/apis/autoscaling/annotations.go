package autoscaling

import "time"

// AnnotationGroup is the prefix of the user-facing autoscaling annotations,
// set on Revisions (through their templates) and copied to PodAutoscalers.
const AnnotationGroup = "autoscaling.knative.dev"

// Autoscaler classes and the metrics they scale on.
const (
	// ClassAnnotationKey names the autoscaler that reconciles a PodAutoscaler.
	ClassAnnotationKey = AnnotationGroup + "/class"
	// KPA is Knative's own request-driven autoscaler.
	KPA = "kpa.autoscaling.knative.dev"
	// HPA is the Kubernetes HorizontalPodAutoscaler.
	HPA = "hpa.autoscaling.knative.dev"
	// DefaultClass is config-autoscaler's pod-autoscaler-class as shipped.
	DefaultClass = KPA

	// MetricAnnotationKey is the metric the autoscaler scales on.
	MetricAnnotationKey = AnnotationGroup + "/metric"
	// Concurrency is the number of requests in flight (KPA).
	Concurrency = "concurrency"
	// RPS is requests per second (KPA).
	RPS = "rps"
	// CPU is the share of requested CPU in use (HPA).
	CPU = "cpu"
	// Memory is the memory in use (HPA).
	Memory = "memory"
)

// The other autoscaling annotation keys, current spelling.
const (
	MinScaleAnnotationKey                 = AnnotationGroup + "/min-scale"
	MaxScaleAnnotationKey                 = AnnotationGroup + "/max-scale"
	InitialScaleAnnotationKey             = AnnotationGroup + "/initial-scale"
	ActivationScaleKey                    = AnnotationGroup + "/activation-scale"
	ScaleDownDelayAnnotationKey           = AnnotationGroup + "/scale-down-delay"
	TargetAnnotationKey                   = AnnotationGroup + "/target"
	TargetUtilizationPercentageKey        = AnnotationGroup + "/target-utilization-percentage"
	TargetBurstCapacityKey                = AnnotationGroup + "/target-burst-capacity"
	WindowAnnotationKey                   = AnnotationGroup + "/window"
	PanicWindowPercentageAnnotationKey    = AnnotationGroup + "/panic-window-percentage"
	PanicThresholdPercentageAnnotationKey = AnnotationGroup + "/panic-threshold-percentage"
	ScaleToZeroPodRetentionPeriodKey      = AnnotationGroup + "/scale-to-zero-pod-retention-period"
	MetricAggregationAlgorithmKey         = AnnotationGroup + "/metric-aggregation-algorithm"
)

// Values of the metric-aggregation-algorithm annotation (KPA only).
const (
	MetricAggregationAlgorithmLinear                 = "linear"
	MetricAggregationAlgorithmWeightedExponential    = "weighted-exponential"
	MetricAggregationAlgorithmWeightedExponentialAlt = "weightedExponential"
)

// Bounds of the autoscaling annotations, from Knative's autoscaling package.
const (
	// TargetMin is the smallest target.
	TargetMin = 0.01
	// WindowMin and WindowMax bound the stable window.
	WindowMin = 6 * time.Second
	WindowMax = time.Hour
	// PanicWindowPercentageMin and ...Max bound the panic window, as a
	// percentage of the stable window.
	PanicWindowPercentageMin = 1.0
	PanicWindowPercentageMax = 100.0
	// PanicThresholdPercentageMin and ...Max bound the panic threshold, as a
	// percentage of the target.
	PanicThresholdPercentageMin = 110.0
	PanicThresholdPercentageMax = 1000.0
)

// KeyPriority lists the spellings of one annotation, the current one first
// and then the legacy ones Knative still honours. The first present wins.
//
// +k8s:deepcopy-gen=false
type KeyPriority []string

// Key is the current spelling.
func (k KeyPriority) Key() string { return k[0] }

// Get returns the first of the keys present in m, with its value; when none
// is present it returns the current spelling and ok false.
func (k KeyPriority) Get(m map[string]string) (key, value string, ok bool) {
	for _, key := range k {
		if v, found := m[key]; found {
			return key, v, true
		}
	}
	return k[0], "", false
}

// The autoscaling annotations with every spelling Knative reads.
var (
	ClassAnnotation                         = KeyPriority{ClassAnnotationKey}
	MetricAnnotation                        = KeyPriority{MetricAnnotationKey}
	MinScaleAnnotation                      = KeyPriority{MinScaleAnnotationKey, AnnotationGroup + "/minScale"}
	MaxScaleAnnotation                      = KeyPriority{MaxScaleAnnotationKey, AnnotationGroup + "/maxScale"}
	InitialScaleAnnotation                  = KeyPriority{InitialScaleAnnotationKey, AnnotationGroup + "/initialScale"}
	ActivationScaleAnnotation               = KeyPriority{ActivationScaleKey}
	ScaleDownDelayAnnotation                = KeyPriority{ScaleDownDelayAnnotationKey, AnnotationGroup + "/scaleDownDelay"}
	TargetAnnotation                        = KeyPriority{TargetAnnotationKey}
	TargetUtilizationPercentageAnnotation   = KeyPriority{TargetUtilizationPercentageKey, AnnotationGroup + "/targetUtilizationPercentage"}
	TargetBurstCapacityAnnotation           = KeyPriority{TargetBurstCapacityKey, AnnotationGroup + "/targetBurstCapacity"}
	WindowAnnotation                        = KeyPriority{WindowAnnotationKey}
	PanicWindowPercentageAnnotation         = KeyPriority{PanicWindowPercentageAnnotationKey, AnnotationGroup + "/panicWindowPercentage"}
	PanicThresholdPercentageAnnotation      = KeyPriority{PanicThresholdPercentageAnnotationKey, AnnotationGroup + "/panicThresholdPercentage"}
	ScaleToZeroPodRetentionPeriodAnnotation = KeyPriority{ScaleToZeroPodRetentionPeriodKey, AnnotationGroup + "/scaleToZeroPodRetentionPeriod"}
	MetricAggregationAlgorithmAnnotation    = KeyPriority{MetricAggregationAlgorithmKey, AnnotationGroup + "/metricAggregationAlgorithm"}
)

// DefaultMetric is the metric a class scales on when the metric annotation
// is absent: concurrency for the KPA, cpu for the HPA, and none ("") for
// other classes, which Knative leaves to their own autoscalers.
func DefaultMetric(class string) string {
	switch class {
	case KPA:
		return Concurrency
	case HPA:
		return CPU
	}
	return ""
}
