package v1beta1

import (
	"bytes"
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	cbor "k8s.io/apimachinery/pkg/runtime/serializer/cbor/direct"
	"k8s.io/apimachinery/pkg/selection"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// ---------------------------------------------------------------------------
// Task

// +genclient
// +genclient:noStatus
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Task represents a collection of sequential steps that are run as part of a
// Pipeline using a set of inputs and producing a set of outputs. Tasks execute
// when TaskRuns are created that provide the input parameters and resources and
// output resources the Task requires.
type Task struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata"`

	// Spec holds the desired state of the Task from the client
	// +optional
	Spec TaskSpec `json:"spec"`
}

// TaskSpec defines the desired state of Task.
type TaskSpec struct {
	// Resources is the removed PipelineResources declaration of a Task. It is
	// kept so that upstream-shaped objects still decode, and is refused when
	// set: PipelineResources no longer exist in Tekton.
	//
	// Deprecated: Unused, preserved only for backwards compatibility.
	// +optional
	Resources *runtime.RawExtension `json:"resources,omitempty"`

	// Params is a list of input parameters required to run the task. Params
	// must be supplied as inputs in TaskRuns unless they declare a default
	// value.
	// +optional
	// +listType=atomic
	Params ParamSpecs `json:"params,omitempty"`

	// DisplayName is a user-facing name of the task that may be
	// used to populate a UI.
	// +optional
	DisplayName string `json:"displayName,omitempty"`

	// Description is a user-facing description of the task that may be
	// used to populate a UI.
	// +optional
	Description string `json:"description,omitempty"`

	// Steps are the steps of the build; each step is run sequentially with the
	// source mounted into /workspace.
	// +optional
	// +listType=atomic
	Steps []Step `json:"steps,omitempty"`

	// Volumes is a collection of volumes that are available to mount into the
	// steps of the build.
	// +optional
	// +listType=atomic
	Volumes []corev1.Volume `json:"volumes,omitempty"`

	// StepTemplate can be used as the basis for all step containers within the
	// Task, so that the steps inherit settings on the base container.
	// +optional
	StepTemplate *StepTemplate `json:"stepTemplate,omitempty"`

	// Sidecars are run alongside the Task's step containers. They begin before
	// the steps start and end after the steps complete.
	// +optional
	// +listType=atomic
	Sidecars []Sidecar `json:"sidecars,omitempty"`

	// Workspaces are the volumes that this Task requires.
	// +optional
	// +listType=atomic
	Workspaces []WorkspaceDeclaration `json:"workspaces,omitempty"`

	// Results are values that this Task can output
	// +optional
	// +listType=atomic
	Results []TaskResult `json:"results,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// TaskList contains a list of Task
type TaskList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Task `json:"items"`
}

// ---------------------------------------------------------------------------
// Steps and sidecars

// Step runs a subcomponent of a Task
type Step struct {
	// Name of the Step specified as a DNS_LABEL.
	// Each Step in a Task must have a unique name.
	Name string `json:"name"`
	// Docker image name.
	// +optional
	Image string `json:"image,omitempty"`
	// Entrypoint array. Not executed within a shell.
	// The image's ENTRYPOINT is used if this is not provided.
	// +optional
	// +listType=atomic
	Command []string `json:"command,omitempty"`
	// Arguments to the entrypoint.
	// The image's CMD is used if this is not provided.
	// +optional
	// +listType=atomic
	Args []string `json:"args,omitempty"`
	// Step's working directory.
	// +optional
	WorkingDir string `json:"workingDir,omitempty"`
	// List of ports to expose from the Step's container.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	// +listType=map
	// +listMapKey=containerPort
	// +listMapKey=protocol
	Ports []corev1.ContainerPort `json:"ports,omitempty"`
	// List of sources to populate environment variables in the Step.
	// +optional
	// +listType=atomic
	EnvFrom []corev1.EnvFromSource `json:"envFrom,omitempty"`
	// List of environment variables to set in the Step.
	// +optional
	// +listType=atomic
	Env []corev1.EnvVar `json:"env,omitempty"`
	// Compute Resources required by this Step (v1: computeResources).
	// +optional
	Resources corev1.ResourceRequirements `json:"resources,omitempty"`
	// Volumes to mount into the Step's filesystem.
	// +optional
	// +listType=atomic
	VolumeMounts []corev1.VolumeMount `json:"volumeMounts,omitempty"`
	// volumeDevices is the list of block devices to be used by the Step.
	// +optional
	// +listType=atomic
	VolumeDevices []corev1.VolumeDevice `json:"volumeDevices,omitempty"`
	// Periodic probe of container liveness.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	LivenessProbe *corev1.Probe `json:"livenessProbe,omitempty"`
	// Periodic probe of container service readiness.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	ReadinessProbe *corev1.Probe `json:"readinessProbe,omitempty"`
	// StartupProbe indicates that the Pod this Step runs in has successfully initialized.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	StartupProbe *corev1.Probe `json:"startupProbe,omitempty"`
	// Actions that the management system should take in response to container lifecycle events.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	Lifecycle *corev1.Lifecycle `json:"lifecycle,omitempty"`
	// Deprecated: This field will be removed in a future release and can't be meaningfully used.
	// +optional
	TerminationMessagePath string `json:"terminationMessagePath,omitempty"`
	// Deprecated: This field will be removed in a future release and can't be meaningfully used.
	// +optional
	TerminationMessagePolicy corev1.TerminationMessagePolicy `json:"terminationMessagePolicy,omitempty"`
	// Image pull policy.
	// One of Always, Never, IfNotPresent.
	// +optional
	ImagePullPolicy corev1.PullPolicy `json:"imagePullPolicy,omitempty"`
	// SecurityContext defines the security options the Step should be run with.
	// +optional
	SecurityContext *corev1.SecurityContext `json:"securityContext,omitempty"`
	// Whether this container should allocate a buffer for stdin in the container runtime.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	Stdin bool `json:"stdin,omitempty"`
	// Whether the container runtime should close the stdin channel after it has been opened by
	// a single attach.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	StdinOnce bool `json:"stdinOnce,omitempty"`
	// Whether this container should allocate a TTY for itself.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	TTY bool `json:"tty,omitempty"`

	// Script is the contents of an executable file to execute.
	//
	// If Script is not empty, the Step cannot have an Command and the Args will be passed to the Script.
	// +optional
	Script string `json:"script,omitempty"`

	// Timeout is the time after which the step times out. Defaults to never.
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`

	// Workspaces is a list of workspaces from the Task that this Step wants
	// exclusive access to.
	// +optional
	// +listType=atomic
	Workspaces []WorkspaceUsage `json:"workspaces,omitempty"`

	// OnError defines the exiting behavior of a container on error
	// can be set to [ continue | stopAndFail ]
	// +optional
	OnError OnErrorType `json:"onError,omitempty"`
	// Stores configuration for the stdout stream of the step.
	// +optional
	StdoutConfig *StepOutputConfig `json:"stdoutConfig,omitempty"`
	// Stores configuration for the stderr stream of the step.
	// +optional
	StderrConfig *StepOutputConfig `json:"stderrConfig,omitempty"`
	// Contains the reference to an existing StepAction.
	// +optional
	Ref *Ref `json:"ref,omitempty"`
	// Params declares parameters passed to this step action.
	// +optional
	// +listType=atomic
	Params Params `json:"params,omitempty"`
	// Results declares StepResults produced by the Step.
	// +optional
	// +listType=atomic
	Results []StepResult `json:"results,omitempty"`
	// When is a list of when expressions that need to be true for the step to run.
	// +optional
	// +listType=atomic
	When StepWhenExpressions `json:"when,omitempty"`
}

// Ref can be used to refer to a specific instance of a StepAction.
type Ref struct {
	// Name of the referenced step
	// +optional
	Name string `json:"name,omitempty"`
	// ResolverRef allows referencing a StepAction in a remote location
	// like a git repo.
	// +optional
	ResolverRef `json:",inline"`
}

// OnErrorType defines a list of supported exiting behavior of a container on error
type OnErrorType string

const (
	// StopAndFail indicates exit the taskRun if the container exits with non-zero exit code
	StopAndFail OnErrorType = "stopAndFail"
	// Continue indicates continue executing the rest of the steps irrespective of the container exit code
	Continue OnErrorType = "continue"
)

// StepOutputConfig stores configuration for a step output stream.
type StepOutputConfig struct {
	// Path to duplicate stdout stream to on container's local filesystem.
	// +optional
	Path string `json:"path,omitempty"`
}

// StepTemplate is a template for a Step
type StepTemplate struct {
	// Default name for each Step. Upstream writes it even when empty.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	Name string `json:"name"`
	// Image reference name.
	// +optional
	Image string `json:"image,omitempty"`
	// Entrypoint array. Not executed within a shell.
	// +optional
	// +listType=atomic
	Command []string `json:"command,omitempty"`
	// Arguments to the entrypoint.
	// +optional
	// +listType=atomic
	Args []string `json:"args,omitempty"`
	// Step's working directory.
	// +optional
	WorkingDir string `json:"workingDir,omitempty"`
	// List of ports to expose from the Step's container.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	// +listType=map
	// +listMapKey=containerPort
	// +listMapKey=protocol
	Ports []corev1.ContainerPort `json:"ports,omitempty"`
	// List of sources to populate environment variables in the Step.
	// +optional
	// +listType=atomic
	EnvFrom []corev1.EnvFromSource `json:"envFrom,omitempty"`
	// List of environment variables to set in the Step.
	// +optional
	// +listType=atomic
	Env []corev1.EnvVar `json:"env,omitempty"`
	// Compute Resources required by this Step (v1: computeResources).
	// +optional
	Resources corev1.ResourceRequirements `json:"resources,omitempty"`
	// Volumes to mount into the Step's filesystem.
	// +optional
	// +listType=atomic
	VolumeMounts []corev1.VolumeMount `json:"volumeMounts,omitempty"`
	// volumeDevices is the list of block devices to be used by the Step.
	// +optional
	// +listType=atomic
	VolumeDevices []corev1.VolumeDevice `json:"volumeDevices,omitempty"`
	// Periodic probe of container liveness.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	LivenessProbe *corev1.Probe `json:"livenessProbe,omitempty"`
	// Periodic probe of container service readiness.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	ReadinessProbe *corev1.Probe `json:"readinessProbe,omitempty"`
	// StartupProbe indicates that the Pod has successfully initialized.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	StartupProbe *corev1.Probe `json:"startupProbe,omitempty"`
	// Actions that the management system should take in response to container lifecycle events.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	Lifecycle *corev1.Lifecycle `json:"lifecycle,omitempty"`
	// Deprecated: This field will be removed in a future release and cannot be meaningfully used.
	// +optional
	TerminationMessagePath string `json:"terminationMessagePath,omitempty"`
	// Deprecated: This field will be removed in a future release and cannot be meaningfully used.
	// +optional
	TerminationMessagePolicy corev1.TerminationMessagePolicy `json:"terminationMessagePolicy,omitempty"`
	// Image pull policy.
	// +optional
	ImagePullPolicy corev1.PullPolicy `json:"imagePullPolicy,omitempty"`
	// SecurityContext defines the security options the Step should be run with.
	// +optional
	SecurityContext *corev1.SecurityContext `json:"securityContext,omitempty"`
	// Whether this Step should allocate a buffer for stdin in the container runtime.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	Stdin bool `json:"stdin,omitempty"`
	// Whether the container runtime should close the stdin channel after it has been opened by
	// a single attach.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	StdinOnce bool `json:"stdinOnce,omitempty"`
	// Whether this Step should allocate a TTY for itself.
	//
	// Deprecated: This field will be removed in a future release.
	// +optional
	TTY bool `json:"tty,omitempty"`
}

// Sidecar has nearly the same data structure as Step but does not have the ability to timeout.
type Sidecar struct {
	// Name of the Sidecar specified as a DNS_LABEL.
	Name string `json:"name"`
	// Image reference name.
	// +optional
	Image string `json:"image,omitempty"`
	// Entrypoint array. Not executed within a shell.
	// +optional
	// +listType=atomic
	Command []string `json:"command,omitempty"`
	// Arguments to the entrypoint.
	// +optional
	// +listType=atomic
	Args []string `json:"args,omitempty"`
	// Sidecar's working directory.
	// +optional
	WorkingDir string `json:"workingDir,omitempty"`
	// List of ports to expose from the Sidecar.
	// +optional
	// +listType=map
	// +listMapKey=containerPort
	// +listMapKey=protocol
	Ports []corev1.ContainerPort `json:"ports,omitempty"`
	// List of sources to populate environment variables in the Sidecar.
	// +optional
	// +listType=atomic
	EnvFrom []corev1.EnvFromSource `json:"envFrom,omitempty"`
	// List of environment variables to set in the Sidecar.
	// +optional
	// +listType=atomic
	Env []corev1.EnvVar `json:"env,omitempty"`
	// Compute Resources required by this Sidecar (v1: computeResources).
	// +optional
	Resources corev1.ResourceRequirements `json:"resources,omitempty"`
	// Volumes to mount into the Sidecar's filesystem.
	// +optional
	// +listType=atomic
	VolumeMounts []corev1.VolumeMount `json:"volumeMounts,omitempty"`
	// volumeDevices is the list of block devices to be used by the Sidecar.
	// +optional
	// +listType=atomic
	VolumeDevices []corev1.VolumeDevice `json:"volumeDevices,omitempty"`
	// Periodic probe of Sidecar liveness.
	// +optional
	LivenessProbe *corev1.Probe `json:"livenessProbe,omitempty"`
	// Periodic probe of Sidecar service readiness.
	// +optional
	ReadinessProbe *corev1.Probe `json:"readinessProbe,omitempty"`
	// StartupProbe indicates that the Pod the Sidecar is running in has successfully initialized.
	// +optional
	StartupProbe *corev1.Probe `json:"startupProbe,omitempty"`
	// Actions that the management system should take in response to Sidecar lifecycle events.
	// +optional
	Lifecycle *corev1.Lifecycle `json:"lifecycle,omitempty"`
	// Path at which the file to which the Sidecar's termination message
	// will be written is mounted into the Sidecar's filesystem.
	// +optional
	TerminationMessagePath string `json:"terminationMessagePath,omitempty"`
	// Indicate how the termination message should be populated.
	// +optional
	TerminationMessagePolicy corev1.TerminationMessagePolicy `json:"terminationMessagePolicy,omitempty"`
	// Image pull policy.
	// +optional
	ImagePullPolicy corev1.PullPolicy `json:"imagePullPolicy,omitempty"`
	// SecurityContext defines the security options the Sidecar should be run with.
	// +optional
	SecurityContext *corev1.SecurityContext `json:"securityContext,omitempty"`
	// Whether this Sidecar should allocate a buffer for stdin in the container runtime.
	// +optional
	Stdin bool `json:"stdin,omitempty"`
	// Whether the container runtime should close the stdin channel after it has been opened by
	// a single attach.
	// +optional
	StdinOnce bool `json:"stdinOnce,omitempty"`
	// Whether this Sidecar should allocate a TTY for itself, also requires 'stdin' to be true.
	// +optional
	TTY bool `json:"tty,omitempty"`
	// Script is the contents of an executable file to execute.
	// +optional
	Script string `json:"script,omitempty"`
	// Workspaces is a list of workspaces from the Task that this Sidecar wants
	// exclusive access to.
	// +optional
	// +listType=atomic
	Workspaces []WorkspaceUsage `json:"workspaces,omitempty"`
	// RestartPolicy refers to kubernetes RestartPolicy. It can only be set for an
	// initContainer and must have it's policy set to "Always". It is currently
	// left optional to help support Kubernetes versions prior to 1.29 when this feature
	// was introduced.
	// +optional
	RestartPolicy *corev1.ContainerRestartPolicy `json:"restartPolicy,omitempty"`
}

// ---------------------------------------------------------------------------
// Params

// ParamSpec defines arbitrary parameters needed beyond typed inputs (such as
// resources). Parameter values are provided by users as inputs on a TaskRun
// or PipelineRun.
type ParamSpec struct {
	// Name declares the name by which a parameter is referenced.
	Name string `json:"name"`
	// Type is the user-specified type of the parameter. The possible types
	// are currently "string", "array" and "object", and "string" is the default.
	// +optional
	Type ParamType `json:"type,omitempty"`
	// Description is a user-facing description of the parameter that may be
	// used to populate a UI.
	// +optional
	Description string `json:"description,omitempty"`
	// Properties is the JSON Schema properties to support key-value pairs parameter.
	// +optional
	Properties map[string]PropertySpec `json:"properties,omitempty"`
	// Default is the value a parameter takes if no input value is supplied. If
	// default is set, a Task may be executed without a supplied value for the
	// parameter.
	// +optional
	Default *ParamValue `json:"default,omitempty"`
	// Enum declares a set of allowed param input values for tasks/pipelines that can be validated.
	// If Enum is not set, no input validation is performed for the param.
	// +optional
	// +listType=atomic
	Enum []string `json:"enum,omitempty"`
}

// ParamSpecs is a list of ParamSpec
type ParamSpecs []ParamSpec

// PropertySpec defines the struct for object keys
type PropertySpec struct {
	// +optional
	Type ParamType `json:"type,omitempty"`
}

// Param declares an ParamValues to use for the parameter called name.
type Param struct {
	Name  string     `json:"name"`
	Value ParamValue `json:"value"`
}

// Params is a list of Param
type Params []Param

// ParamType indicates the type of an input parameter;
// Used to distinguish between a single string and an array of strings.
type ParamType string

// Valid ParamTypes:
const (
	ParamTypeString ParamType = "string"
	ParamTypeArray  ParamType = "array"
	ParamTypeObject ParamType = "object"
)

// ParamValue is a type that can hold a single string, string array, or string map.
// Used in JSON unmarshalling so that a single JSON field can accept
// either an individual string, an array of strings or an object of strings.
//
// On the wire it is a bare JSON string, array or object; the struct fields
// are never serialized by name.
type ParamValue struct {
	// Type is the stored type of the value.
	Type ParamType `json:"-"`
	// StringVal holds the value when Type is "string".
	StringVal string `json:"-"`
	// ArrayVal holds the value when Type is "array".
	// +listType=atomic
	ArrayVal []string `json:"-"`
	// ObjectVal holds the value when Type is "object".
	ObjectVal map[string]string `json:"-"`
}

// NewStructuredValues creates a string or array ParamValue.
func NewStructuredValues(value string, values ...string) *ParamValue {
	if len(values) > 0 {
		return &ParamValue{Type: ParamTypeArray, ArrayVal: append([]string{value}, values...)}
	}
	return &ParamValue{Type: ParamTypeString, StringVal: value}
}

// NewObject creates an object ParamValue.
func NewObject(pairs map[string]string) *ParamValue {
	return &ParamValue{Type: ParamTypeObject, ObjectVal: pairs}
}

// UnmarshalJSON accepts a JSON string, an array of strings or an object
// whose values are strings. null yields the empty string. Anything else
// (numbers, booleans, nested values) is refused.
func (p *ParamValue) UnmarshalJSON(value []byte) error {
	value = bytes.TrimSpace(value)
	if len(value) == 0 {
		*p = ParamValue{Type: ParamTypeString}
		return nil
	}
	switch value[0] {
	case '[':
		var a []string
		if err := json.Unmarshal(value, &a); err != nil {
			return fmt.Errorf("param value: an array must hold only strings: %w", err)
		}
		if a == nil {
			a = []string{}
		}
		*p = ParamValue{Type: ParamTypeArray, ArrayVal: a}
		return nil
	case '{':
		var m map[string]string
		if err := json.Unmarshal(value, &m); err != nil {
			return fmt.Errorf("param value: an object must map keys to strings: %w", err)
		}
		*p = ParamValue{Type: ParamTypeObject, ObjectVal: m}
		return nil
	case '"':
		var s string
		if err := json.Unmarshal(value, &s); err != nil {
			return fmt.Errorf("param value: %w", err)
		}
		*p = ParamValue{Type: ParamTypeString, StringVal: s}
		return nil
	case 'n':
		if string(value) == "null" {
			*p = ParamValue{Type: ParamTypeString}
			return nil
		}
	}
	return fmt.Errorf("param value: must be a string, an array of strings or an object of strings, got %s", value)
}

// MarshalJSON writes the value as a bare JSON string, array or object. A
// value without Type is written by what it holds.
func (p ParamValue) MarshalJSON() ([]byte, error) {
	switch t := p.effectiveType(); t {
	case ParamTypeString:
		return json.Marshal(p.StringVal)
	case ParamTypeArray:
		if p.ArrayVal == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(p.ArrayVal)
	case ParamTypeObject:
		if p.ObjectVal == nil {
			return []byte("{}"), nil
		}
		return json.Marshal(p.ObjectVal)
	default:
		return nil, fmt.Errorf("param value: impossible type %q", t)
	}
}

// UnmarshalCBOR is UnmarshalJSON for the CBOR wire format: a text string, an
// array of text strings or a map of text strings.
func (p *ParamValue) UnmarshalCBOR(value []byte) error {
	var s string
	if err := cbor.Unmarshal(value, &s); err == nil {
		*p = ParamValue{Type: ParamTypeString, StringVal: s}
		return nil
	}
	var a []string
	if err := cbor.Unmarshal(value, &a); err == nil {
		if a == nil {
			// CBOR null decodes to a nil slice without error.
			*p = ParamValue{Type: ParamTypeString}
			return nil
		}
		*p = ParamValue{Type: ParamTypeArray, ArrayVal: a}
		return nil
	}
	var m map[string]string
	if err := cbor.Unmarshal(value, &m); err == nil && m != nil {
		*p = ParamValue{Type: ParamTypeObject, ObjectVal: m}
		return nil
	}
	return fmt.Errorf("param value: must be a string, an array of strings or an object of strings")
}

// MarshalCBOR is MarshalJSON for the CBOR wire format.
func (p ParamValue) MarshalCBOR() ([]byte, error) {
	switch t := p.effectiveType(); t {
	case ParamTypeString:
		return cbor.Marshal(p.StringVal)
	case ParamTypeArray:
		if p.ArrayVal == nil {
			return cbor.Marshal([]string{})
		}
		return cbor.Marshal(p.ArrayVal)
	case ParamTypeObject:
		if p.ObjectVal == nil {
			return cbor.Marshal(map[string]string{})
		}
		return cbor.Marshal(p.ObjectVal)
	default:
		return nil, fmt.Errorf("param value: impossible type %q", t)
	}
}

// effectiveType is Type, or for a value without Type what it holds.
func (p ParamValue) effectiveType() ParamType {
	if p.Type != "" {
		return p.Type
	}
	switch {
	case p.ArrayVal != nil:
		return ParamTypeArray
	case p.ObjectVal != nil:
		return ParamTypeObject
	default:
		return ParamTypeString
	}
}

// OpenAPISchemaType is used by the kube-openapi generator when constructing
// the OpenAPI spec of this type. No type: the value is a string, an array of
// strings or an object of strings, which OpenAPI v2 cannot express.
func (ParamValue) OpenAPISchemaType() []string { return nil }

// OpenAPISchemaFormat is used by the kube-openapi generator when constructing
// the OpenAPI spec of this type.
func (ParamValue) OpenAPISchemaFormat() string { return "" }

// ---------------------------------------------------------------------------
// Results

// TaskResult used to describe the results of a task
type TaskResult struct {
	// Name the given name
	Name string `json:"name"`
	// Type is the user-specified type of the result.
	// +optional
	Type ResultsType `json:"type,omitempty"`
	// Properties is the JSON Schema properties to support key-value pairs results.
	// +optional
	Properties map[string]PropertySpec `json:"properties,omitempty"`
	// Description is a human-readable description of the result
	// +optional
	Description string `json:"description,omitempty"`
	// Value the expression used to retrieve the value of the result from an underlying Step.
	// +optional
	Value *ResultValue `json:"value,omitempty"`
}

// StepResult used to describe the Results of a Step.
type StepResult struct {
	// Name the given name
	Name string `json:"name"`
	// The possible types are 'string', 'array', and 'object', with 'string' as the default.
	// +optional
	Type ResultsType `json:"type,omitempty"`
	// Properties is the JSON Schema properties to support key-value pairs results.
	// +optional
	Properties map[string]PropertySpec `json:"properties,omitempty"`
	// Description is a human-readable description of the result
	// +optional
	Description string `json:"description,omitempty"`
}

// TaskRunResult used to describe the results of a task
type TaskRunResult struct {
	// Name the given name
	Name string `json:"name"`
	// Type is the user-specified type of the result.
	// +optional
	Type ResultsType `json:"type,omitempty"`
	// Value the given value of the result
	Value ResultValue `json:"value"`
}

// TaskRunStepResult is a type alias of TaskRunResult
type TaskRunStepResult = TaskRunResult

// ResultValue is a type alias of ParamValue
type ResultValue = ParamValue

// ResultsType indicates the type of a result.
type ResultsType string

// Valid ResultsType:
const (
	ResultsTypeString ResultsType = "string"
	ResultsTypeArray  ResultsType = "array"
	ResultsTypeObject ResultsType = "object"
)

// ---------------------------------------------------------------------------
// Workspaces

// WorkspaceDeclaration is a declaration of a volume that a Task requires.
type WorkspaceDeclaration struct {
	// Name is the name by which you can bind the volume at runtime.
	Name string `json:"name"`
	// Description is an optional human readable description of this volume.
	// +optional
	Description string `json:"description,omitempty"`
	// MountPath overrides the directory that the volume will be made available at.
	// +optional
	MountPath string `json:"mountPath,omitempty"`
	// ReadOnly dictates whether a mounted volume is writable. By default this
	// field is false and so mounted volumes are writable.
	// +optional
	ReadOnly bool `json:"readOnly,omitempty"`
	// Optional marks a Workspace as not being required in TaskRuns. By default
	// this field is false and so declared workspaces are required.
	// +optional
	Optional bool `json:"optional,omitempty"`
}

// WorkspaceBinding maps a Task's declared workspace to a Volume.
type WorkspaceBinding struct {
	// Name is the name of the workspace populated by the volume.
	Name string `json:"name"`
	// SubPath is optionally a directory on the volume which should be used
	// for this binding (i.e. the volume will be mounted at this sub directory).
	// +optional
	SubPath string `json:"subPath,omitempty"`
	// VolumeClaimTemplate is a template for a claim that will be created in the same namespace.
	// +optional
	VolumeClaimTemplate *corev1.PersistentVolumeClaim `json:"volumeClaimTemplate,omitempty"`
	// PersistentVolumeClaimVolumeSource represents a reference to a
	// PersistentVolumeClaim in the same namespace.
	// +optional
	PersistentVolumeClaim *corev1.PersistentVolumeClaimVolumeSource `json:"persistentVolumeClaim,omitempty"`
	// EmptyDir represents a temporary directory that shares a Task's lifetime.
	// +optional
	EmptyDir *corev1.EmptyDirVolumeSource `json:"emptyDir,omitempty"`
	// ConfigMap represents a configMap that should populate this workspace.
	// +optional
	ConfigMap *corev1.ConfigMapVolumeSource `json:"configMap,omitempty"`
	// Secret represents a secret that should populate this workspace.
	// +optional
	Secret *corev1.SecretVolumeSource `json:"secret,omitempty"`
	// Projected represents a projected volume that should populate this workspace.
	// +optional
	Projected *corev1.ProjectedVolumeSource `json:"projected,omitempty"`
	// CSI (Container Storage Interface) represents ephemeral storage that is handled by certain external CSI drivers.
	// +optional
	CSI *corev1.CSIVolumeSource `json:"csi,omitempty"`
}

// PipelineWorkspaceDeclaration creates a named slot in a Pipeline that a PipelineRun
// is expected to populate with a workspace binding.
type PipelineWorkspaceDeclaration struct {
	// Name is the name of a workspace to be provided by a PipelineRun.
	Name string `json:"name"`
	// Description is a human readable string describing how the workspace will be
	// used in the Pipeline.
	// +optional
	Description string `json:"description,omitempty"`
	// Optional marks a Workspace as not being required in PipelineRuns. By default
	// this field is false and so declared workspaces are required.
	// +optional
	Optional bool `json:"optional,omitempty"`
}

// WorkspacePipelineTaskBinding describes how a workspace passed into the pipeline should be
// mapped to a task's declared workspace.
type WorkspacePipelineTaskBinding struct {
	// Name is the name of the workspace as declared by the task
	Name string `json:"name"`
	// Workspace is the name of the workspace declared by the pipeline
	// +optional
	Workspace string `json:"workspace,omitempty"`
	// SubPath is optionally a directory on the volume which should be used
	// for this binding (i.e. the volume will be mounted at this sub directory).
	// +optional
	SubPath string `json:"subPath,omitempty"`
}

// WorkspaceUsage is used by a Step or Sidecar to declare that it wants isolated access
// to a Workspace defined in a Task.
type WorkspaceUsage struct {
	// Name is the name of the workspace this Step or Sidecar wants access to.
	Name string `json:"name"`
	// MountPath is the path that the workspace should be mounted to inside the Step or Sidecar,
	// overriding any MountPath specified in the Task's WorkspaceDeclaration.
	MountPath string `json:"mountPath"`
}

// ---------------------------------------------------------------------------
// References

// ResolverName is the name of a resolver from which a resource can be
// requested.
type ResolverName string

// ResolverRef can be used to refer to a Pipeline or Task in a remote
// location like a git repo.
type ResolverRef struct {
	// Resolver is the name of the resolver that should perform
	// resolution of the referenced Tekton resource, such as "git".
	// +optional
	Resolver ResolverName `json:"resolver,omitempty"`
	// Params contains the parameters used to identify the
	// referenced Tekton resource.
	// +optional
	// +listType=atomic
	Params Params `json:"params,omitempty"`
}

// TaskRef can be used to refer to a specific instance of a task.
type TaskRef struct {
	// Name of the referent; More info: http://kubernetes.io/docs/user-guide/identifiers#names
	// +optional
	Name string `json:"name,omitempty"`
	// TaskKind indicates the Kind of the Task:
	// 1. Namespaced Task when Kind is set to "Task". If Kind is "", it defaults to "Task".
	// 2. Custom Task when Kind is non-empty and APIVersion is non-empty
	// +optional
	Kind TaskKind `json:"kind,omitempty"`
	// API version of the referent
	// Note: A Task with non-empty APIVersion and Kind is considered a Custom Task
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// Bundle url reference to a Tekton Bundle.
	//
	// Deprecated: Please use ResolverRef with the bundles resolver instead.
	// The field is staying there for go client backward compatibility, but is
	// not used/allowed anymore.
	// +optional
	Bundle string `json:"bundle,omitempty"`
	// ResolverRef allows referencing a Task in a remote location
	// like a git repo.
	// +optional
	ResolverRef `json:",inline"`
}

// TaskKind defines the type of Task used by the pipeline.
type TaskKind string

const (
	// NamespacedTaskKind indicates that the task type has a namespaced scope.
	NamespacedTaskKind TaskKind = "Task"
	// ClusterTaskRefKind is the task type for a reference to a task with cluster scope.
	ClusterTaskRefKind TaskKind = "ClusterTask"
)

// PipelineRef can be used to refer to a specific instance of a Pipeline.
type PipelineRef struct {
	// Name of the referent; More info: http://kubernetes.io/docs/user-guide/identifiers#names
	// +optional
	Name string `json:"name,omitempty"`
	// API version of the referent
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// Bundle url reference to a Tekton Bundle.
	//
	// Deprecated: Please use ResolverRef with the bundles resolver instead.
	// +optional
	Bundle string `json:"bundle,omitempty"`
	// ResolverRef allows referencing a Pipeline in a remote location
	// like a git repo.
	// +optional
	ResolverRef `json:",inline"`
}

// ---------------------------------------------------------------------------
// When expressions and matrix

// WhenExpression allows a PipelineTask to declare expressions to be evaluated before the Task is run
// to determine whether the Task should be executed or skipped
type WhenExpression struct {
	// Input is the string for guard checking which can be a static input or an output from a parent Task
	// +optional
	Input string `json:"input,omitempty"`
	// Operator that represents an Input's relationship to the values
	// +optional
	Operator selection.Operator `json:"operator,omitempty"`
	// Values is an array of strings, which is compared against the input, for guard checking
	// It must be non-empty
	// +optional
	// +listType=atomic
	Values []string `json:"values,omitempty"`
	// CEL is a string of Common Language Expression, which can be used to conditionally execute
	// the task based on the result of the expression evaluation
	// +optional
	CEL string `json:"cel,omitempty"`
}

// WhenExpressions are used to specify whether a Task should be executed or skipped
// All of them need to evaluate to True for a guarded Task to be executed.
type WhenExpressions []WhenExpression

// StepWhenExpressions guard the execution of a Step.
type StepWhenExpressions = WhenExpressions

// Matrix is used to fan out Tasks in a Pipeline
type Matrix struct {
	// Params is a list of parameters used to fan out the pipelineTask
	// Params takes only `Parameters` of type `"array"`
	// +optional
	// +listType=atomic
	Params Params `json:"params,omitempty"`
	// Include is a list of IncludeParams which allows passing in specific combinations of Parameters into the Matrix.
	// +optional
	// +listType=atomic
	Include IncludeParamsList `json:"include,omitempty"`
}

// IncludeParamsList is a list of IncludeParams which allows passing in specific combinations of Parameters into the Matrix.
type IncludeParamsList []IncludeParams

// IncludeParams allows passing in a specific combinations of Parameters into the Matrix.
type IncludeParams struct {
	// Name the specified combination
	// +optional
	Name string `json:"name,omitempty"`
	// Params takes only `Parameters` of type `"string"`
	// +optional
	// +listType=atomic
	Params Params `json:"params,omitempty"`
}

// ---------------------------------------------------------------------------
// Pod template

// PodTemplate holds pod specific configuration
type PodTemplate struct {
	// NodeSelector is a selector which must be true for the pod to fit on a node.
	// +optional
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`
	// List of environment variables that can be provided to the containers belonging to the pod.
	// +optional
	// +listType=atomic
	Env []corev1.EnvVar `json:"env,omitempty"`
	// If specified, the pod's tolerations.
	// +optional
	// +listType=atomic
	Tolerations []corev1.Toleration `json:"tolerations,omitempty"`
	// If specified, the pod's scheduling constraints.
	// +optional
	Affinity *corev1.Affinity `json:"affinity,omitempty"`
	// SecurityContext holds pod-level security attributes and common container settings.
	// +optional
	SecurityContext *corev1.PodSecurityContext `json:"securityContext,omitempty"`
	// List of volumes that can be mounted by containers belonging to the pod.
	// +optional
	// +listType=atomic
	Volumes []corev1.Volume `json:"volumes,omitempty"`
	// RuntimeClassName refers to a RuntimeClass object in the node.k8s.io
	// group, which should be used to run this pod.
	// +optional
	RuntimeClassName *string `json:"runtimeClassName,omitempty"`
	// AutomountServiceAccountToken indicates whether pods running as this
	// service account should have an API token automatically mounted.
	// +optional
	AutomountServiceAccountToken *bool `json:"automountServiceAccountToken,omitempty"`
	// Set DNS policy for the pod. Defaults to "ClusterFirst".
	// +optional
	DNSPolicy *corev1.DNSPolicy `json:"dnsPolicy,omitempty"`
	// Specifies the DNS parameters of a pod.
	// +optional
	DNSConfig *corev1.PodDNSConfig `json:"dnsConfig,omitempty"`
	// EnableServiceLinks indicates whether information about services should be injected into pod's
	// environment variables, matching the syntax of Docker links.
	// +optional
	EnableServiceLinks *bool `json:"enableServiceLinks,omitempty"`
	// If specified, indicates the pod's priority.
	// +optional
	PriorityClassName *string `json:"priorityClassName,omitempty"`
	// SchedulerName specifies the scheduler to be used to dispatch the Pod
	// +optional
	SchedulerName string `json:"schedulerName,omitempty"`
	// ImagePullSecrets gives the name of the secret used by the pod to pull the image if specified
	// +optional
	// +listType=atomic
	ImagePullSecrets []corev1.LocalObjectReference `json:"imagePullSecrets,omitempty"`
	// HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts
	// file if specified.
	// +optional
	// +listType=atomic
	HostAliases []corev1.HostAlias `json:"hostAliases,omitempty"`
	// HostNetwork specifies whether the pod may use the node network namespace
	// +optional
	HostNetwork bool `json:"hostNetwork,omitempty"`
	// TopologySpreadConstraints controls how Pods are spread across your cluster among
	// failure-domains such as regions, zones, nodes, and other user-defined topology domains.
	// +optional
	// +listType=atomic
	TopologySpreadConstraints []corev1.TopologySpreadConstraint `json:"topologySpreadConstraints,omitempty"`
}

// ---------------------------------------------------------------------------
// TaskRun

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// TaskRun represents a single execution of a Task. TaskRuns are how the steps
// specified in a Task are executed; they specify the parameters and resources
// used to run the steps in a Task.
type TaskRun struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +optional
	Spec TaskRunSpec `json:"spec,omitempty"`
	// +optional
	Status TaskRunStatus `json:"status,omitempty"`
}

// TaskRunSpec defines the desired state of TaskRun
type TaskRunSpec struct {
	// +optional
	Debug *TaskRunDebug `json:"debug,omitempty"`
	// +optional
	// +listType=atomic
	Params Params `json:"params,omitempty"`
	// Resources is the removed PipelineResources binding of a TaskRun; it is
	// refused when set.
	//
	// Deprecated: Unused, preserved only for backwards compatibility.
	// +optional
	Resources *runtime.RawExtension `json:"resources,omitempty"`
	// +optional
	ServiceAccountName string `json:"serviceAccountName"`
	// no more than one of the TaskRef and TaskSpec may be specified.
	// +optional
	TaskRef *TaskRef `json:"taskRef,omitempty"`
	// Specifying TaskSpec can be disabled by setting
	// `disable-inline-spec` feature flag.
	// +optional
	TaskSpec *TaskSpec `json:"taskSpec,omitempty"`
	// Used for cancelling a TaskRun (and maybe more later on)
	// +optional
	Status TaskRunSpecStatus `json:"status,omitempty"`
	// Status message for cancellation.
	// +optional
	StatusMessage TaskRunSpecStatusMessage `json:"statusMessage,omitempty"`
	// Retries represents how many times this TaskRun should be retried in the event of task failure.
	// +optional
	Retries int `json:"retries,omitempty"`
	// Time after which one retry attempt times out. Defaults to 1 hour.
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`
	// PodTemplate holds pod specific configuration
	// +optional
	PodTemplate *PodTemplate `json:"podTemplate,omitempty"`
	// Workspaces is a list of WorkspaceBindings from volumes to workspaces.
	// +optional
	// +listType=atomic
	Workspaces []WorkspaceBinding `json:"workspaces,omitempty"`
	// Overrides to apply to Steps in this TaskRun (v1: stepSpecs).
	// If a field is specified in both a Step and a StepOverride,
	// the value from the StepOverride will be used.
	// +optional
	// +listType=atomic
	StepOverrides []TaskRunStepOverride `json:"stepOverrides,omitempty"`
	// Overrides to apply to Sidecars in this TaskRun (v1: sidecarSpecs).
	// If a field is specified in both a Sidecar and a SidecarOverride,
	// the value from the SidecarOverride will be used.
	// +optional
	// +listType=atomic
	SidecarOverrides []TaskRunSidecarOverride `json:"sidecarOverrides,omitempty"`
	// Compute resources to use for this TaskRun
	// +optional
	ComputeResources *corev1.ResourceRequirements `json:"computeResources,omitempty"`
	// ManagedBy indicates which controller is responsible for reconciling
	// this resource. If unset or set to "tekton.dev/pipeline", the default
	// Tekton controller will manage this resource.
	// This field is immutable.
	// +optional
	ManagedBy *string `json:"managedBy,omitempty"`
}

// TaskRunSpecStatus defines the TaskRun spec status the user can provide
type TaskRunSpecStatus string

const (
	// TaskRunSpecStatusCancelled indicates that the user wants to cancel the task,
	// if not already cancelled or terminated
	TaskRunSpecStatusCancelled = "TaskRunCancelled"
)

// TaskRunSpecStatusMessage defines human readable status messages for the TaskRun.
type TaskRunSpecStatusMessage string

// TaskRunDebug defines the breakpoint config for a particular TaskRun
type TaskRunDebug struct {
	// +optional
	Breakpoints *TaskBreakpoints `json:"breakpoints,omitempty"`
}

// EnabledOnFailureBreakpoint is the value for TaskRunDebug.Breakpoints.OnFailure that means the breakpoint onFailure is enabled
const EnabledOnFailureBreakpoint = "enabled"

// TaskBreakpoints defines the breakpoint config for a particular Task
type TaskBreakpoints struct {
	// if enabled, pause TaskRun on failure of a step
	// failed step will not exit
	// +optional
	OnFailure string `json:"onFailure,omitempty"`
	// +optional
	// +listType=atomic
	BeforeSteps []string `json:"beforeSteps,omitempty"`
}

// TaskRunStepOverride is used to override the values of a Step in the
// corresponding Task (v1: TaskRunStepSpec).
type TaskRunStepOverride struct {
	// The name of the Step to override.
	Name string `json:"name"`
	// The resource requirements to apply to the Step.
	Resources corev1.ResourceRequirements `json:"resources"`
}

// TaskRunSidecarOverride is used to override the values of a Sidecar in the
// corresponding Task (v1: TaskRunSidecarSpec).
type TaskRunSidecarOverride struct {
	// The name of the Sidecar to override.
	Name string `json:"name"`
	// The resource requirements to apply to the Sidecar.
	Resources corev1.ResourceRequirements `json:"resources"`
}

// TaskRunStatus defines the observed state of TaskRun
type TaskRunStatus struct {
	duckv1.Status `json:",inline"`

	// TaskRunStatusFields inlines the status fields.
	TaskRunStatusFields `json:",inline"`
}

// TaskRunStatusFields holds the fields of TaskRun's status.
type TaskRunStatusFields struct {
	// PodName is the name of the pod responsible for executing this task's steps.
	PodName string `json:"podName"`
	// StartTime is the time the build is actually started.
	// +optional
	StartTime *metav1.Time `json:"startTime,omitempty"`
	// CompletionTime is the time the build completed.
	// +optional
	CompletionTime *metav1.Time `json:"completionTime,omitempty"`
	// Steps describes the state of each build step container.
	// +optional
	// +listType=atomic
	Steps []StepState `json:"steps,omitempty"`
	// CloudEvents describe the state of each cloud event requested via a
	// CloudEventResource. Accepted on the wire and dropped on conversion: the
	// storage version has no such field.
	//
	// Deprecated: Removed in v0.44.0.
	// +optional
	// +listType=atomic
	CloudEvents []CloudEventDelivery `json:"cloudEvents,omitempty"`
	// RetriesStatus contains the history of TaskRunStatus in case of a retry in order to keep record of failures.
	// +optional
	// +listType=atomic
	RetriesStatus []TaskRunStatus `json:"retriesStatus,omitempty"`
	// ResourcesResult held results of the removed PipelineResources. Accepted
	// on the wire and dropped on conversion.
	//
	// Deprecated: this field is not populated and is preserved only for backwards compatibility.
	// +optional
	// +listType=atomic
	ResourcesResult []runtime.RawExtension `json:"resourcesResult,omitempty"`
	// TaskResults are the list of results written out by the task's containers
	// (v1: results).
	// +optional
	// +listType=atomic
	TaskResults []TaskRunResult `json:"taskResults,omitempty"`
	// The list has one entry per sidecar in the manifest. Each entry is
	// represents the imageid of the corresponding sidecar.
	// +optional
	// +listType=atomic
	Sidecars []SidecarState `json:"sidecars,omitempty"`
	// TaskSpec contains the Spec from the dereferenced Task definition used to instantiate this TaskRun.
	// +optional
	TaskSpec *TaskSpec `json:"taskSpec,omitempty"`
	// Provenance contains some key authenticated metadata about how a software artifact was built (what sources, what inputs/outputs, etc.).
	// +optional
	Provenance *Provenance `json:"provenance,omitempty"`
	// SpanContext contains tracing span context fields
	// +optional
	SpanContext map[string]string `json:"spanContext,omitempty"`
}

// CloudEventDelivery is the target of a cloud event along with the state of
// delivery.
type CloudEventDelivery struct {
	// Target points to an addressable
	// +optional
	Target string `json:"target,omitempty"`
	// +optional
	Status CloudEventDeliveryState `json:"status,omitempty"`
}

// CloudEventCondition is a string that represents the condition of the event.
type CloudEventCondition string

// CloudEventDeliveryState reports the state of a cloud event to be sent.
type CloudEventDeliveryState struct {
	// Current status
	// +optional
	Condition CloudEventCondition `json:"condition,omitempty"`
	// SentAt is the time at which the last attempt to send the event was made
	// +optional
	SentAt *metav1.Time `json:"sentAt,omitempty"`
	// Message is the text of error (if any)
	Message string `json:"message"`
	// RetryCount is the number of attempts of sending the cloud event
	RetryCount int32 `json:"retryCount"`
}

// StepState reports the results of running a step in a Task. Upstream's
// artifact inputs/outputs are not carried (as in tekton.dev/v1 here);
// terminationReason is a tekton.dev/v1 field kept so that v1 objects survive
// a v1beta1 round trip.
type StepState struct {
	corev1.ContainerState `json:",inline"`
	// +optional
	Name string `json:"name,omitempty"`
	// +optional
	Container string `json:"container,omitempty"`
	// +optional
	ImageID string `json:"imageID,omitempty"`
	// +optional
	// +listType=atomic
	Results []TaskRunStepResult `json:"results,omitempty"`
	// +optional
	Provenance *Provenance `json:"provenance,omitempty"`
	// +optional
	TerminationReason string `json:"terminationReason,omitempty"`
}

// SidecarState reports the results of running a sidecar in a Task.
type SidecarState struct {
	corev1.ContainerState `json:",inline"`
	// +optional
	Name string `json:"name,omitempty"`
	// +optional
	Container string `json:"container,omitempty"`
	// +optional
	ImageID string `json:"imageID,omitempty"`
}

// Provenance contains metadata about resources used in the TaskRun/PipelineRun
// such as the source from where a remote build definition was fetched.
// Upstream's featureFlags snapshot is not carried.
type Provenance struct {
	// ConfigSource identifies the source where a resource came from. It
	// becomes refSource on conversion when refSource is unset.
	//
	// Deprecated: Use RefSource instead
	// +optional
	ConfigSource *RefSource `json:"configSource,omitempty"`
	// RefSource identifies the source where a remote task/pipeline came from.
	// +optional
	RefSource *RefSource `json:"refSource,omitempty"`
}

// RefSource contains the information that can uniquely identify where a remote
// built definition came from i.e. Git repositories, Tekton Bundles in OCI registry
// and hub.
type RefSource struct {
	// URI indicates the identity of the source of the build definition.
	// +optional
	URI string `json:"uri,omitempty"`
	// Digest is a collection of cryptographic digests for the contents of the artifact specified by URI.
	// +optional
	Digest map[string]string `json:"digest,omitempty"`
	// EntryPoint identifies the entry point into the build.
	// +optional
	EntryPoint string `json:"entryPoint,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// TaskRunList contains a list of TaskRun
type TaskRunList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []TaskRun `json:"items"`
}

// ---------------------------------------------------------------------------
// Pipeline

// +genclient
// +genclient:noStatus
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Pipeline describes a list of Tasks to execute. It expresses how outputs
// of tasks feed into inputs of subsequent tasks.
type Pipeline struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec holds the desired state of the Pipeline from the client
	// +optional
	Spec PipelineSpec `json:"spec"`
}

// PipelineSpec defines the desired state of Pipeline.
type PipelineSpec struct {
	// DisplayName is a user-facing name of the pipeline that may be
	// used to populate a UI.
	// +optional
	DisplayName string `json:"displayName,omitempty"`
	// Description is a user-facing description of the pipeline that may be
	// used to populate a UI.
	// +optional
	Description string `json:"description,omitempty"`
	// Resources is the removed PipelineResources declaration of a Pipeline;
	// it is refused when set.
	//
	// Deprecated: Unused, preserved only for backwards compatibility.
	// +optional
	// +listType=atomic
	Resources []runtime.RawExtension `json:"resources,omitempty"`
	// Tasks declares the graph of Tasks that execute when this Pipeline is run.
	// +optional
	// +listType=atomic
	Tasks []PipelineTask `json:"tasks,omitempty"`
	// Params declares a list of input parameters that must be supplied when
	// this Pipeline is run.
	// +optional
	// +listType=atomic
	Params ParamSpecs `json:"params,omitempty"`
	// Workspaces declares a set of named workspaces that are expected to be
	// provided by a PipelineRun.
	// +optional
	// +listType=atomic
	Workspaces []PipelineWorkspaceDeclaration `json:"workspaces,omitempty"`
	// Results are values that this pipeline can output once run
	// +optional
	// +listType=atomic
	Results []PipelineResult `json:"results,omitempty"`
	// Finally declares the list of Tasks that execute just before leaving the Pipeline
	// i.e. either after all Tasks are finished executing successfully
	// or after a failure which would result in ending the Pipeline
	// +optional
	// +listType=atomic
	Finally []PipelineTask `json:"finally,omitempty"`
}

// PipelineResult used to describe the results of a pipeline
type PipelineResult struct {
	// Name the given name
	Name string `json:"name"`
	// Type is the user-specified type of the result.
	// The possible types are 'string', 'array', and 'object', with 'string' as the default.
	// +optional
	Type ResultsType `json:"type,omitempty"`
	// Description is a human-readable description of the result
	// +optional
	Description string `json:"description"`
	// Value the expression used to retrieve the value
	Value ResultValue `json:"value"`
}

// PipelineTaskMetadata contains the labels or annotations for an EmbeddedTask
type PipelineTaskMetadata struct {
	// +optional
	Labels map[string]string `json:"labels,omitempty"`
	// +optional
	Annotations map[string]string `json:"annotations,omitempty"`
}

// EmbeddedTask is used to define a Task inline within a Pipeline's PipelineTasks.
type EmbeddedTask struct {
	// +optional
	// APIVersion of the referenced or embedded object. A plain field, not an
	// embedded runtime.TypeMeta: conversion and apply configurations treat
	// TypeMeta as belonging to top-level objects only.
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// Kind of the referenced or embedded object.
	// +optional
	Kind string `json:"kind,omitempty"`

	// Spec is a specification of a custom task
	// +optional
	Spec runtime.RawExtension `json:"spec,omitempty"`

	// +optional
	Metadata PipelineTaskMetadata `json:"metadata,omitempty"`

	// TaskSpec is a specification of a task
	// +optional
	TaskSpec `json:",inline"`
}

// PipelineTaskOnErrorType defines a list of supported failure handling behaviors of a PipelineTask on error
type PipelineTaskOnErrorType string

const (
	// PipelineTaskStopAndFail indicates to stop and fail the PipelineRun if the PipelineTask fails
	PipelineTaskStopAndFail PipelineTaskOnErrorType = "stopAndFail"
	// PipelineTaskContinue indicates to continue executing the rest of the DAG when the PipelineTask fails
	PipelineTaskContinue PipelineTaskOnErrorType = "continue"
)

// PipelineTask defines a task in a Pipeline, passing inputs from both
// Params and from the output of previous tasks.
type PipelineTask struct {
	// Name is the name of this task within the context of a Pipeline.
	// +optional
	Name string `json:"name,omitempty"`
	// DisplayName is the display name of this task within the context of a Pipeline.
	// +optional
	DisplayName string `json:"displayName,omitempty"`
	// Description is the description of this task within the context of a Pipeline.
	// +optional
	Description string `json:"description,omitempty"`
	// TaskRef is a reference to a task definition.
	// +optional
	TaskRef *TaskRef `json:"taskRef,omitempty"`
	// TaskSpec is a specification of a task
	// +optional
	TaskSpec *EmbeddedTask `json:"taskSpec,omitempty"`
	// When is a list of when expressions that need to be true for the task to run
	// +optional
	// +listType=atomic
	When WhenExpressions `json:"when,omitempty"`
	// Retries represents how many times this task should be retried in case of task failure: ConditionSucceeded set to False
	// +optional
	Retries int `json:"retries,omitempty"`
	// RunAfter is the list of PipelineTask names that should be executed before
	// this Task executes. (Used to force a specific ordering in graph execution.)
	// +optional
	// +listType=atomic
	RunAfter []string `json:"runAfter,omitempty"`
	// Resources is the removed PipelineResources binding of a PipelineTask;
	// it is refused when set.
	//
	// Deprecated: Unused, preserved only for backwards compatibility.
	// +optional
	Resources *runtime.RawExtension `json:"resources,omitempty"`
	// Parameters declares parameters passed to this task.
	// +optional
	// +listType=atomic
	Params Params `json:"params,omitempty"`
	// Matrix declares parameters used to fan out this task.
	// +optional
	Matrix *Matrix `json:"matrix,omitempty"`
	// Workspaces maps workspaces from the pipeline spec to the workspaces
	// declared in the Task.
	// +optional
	// +listType=atomic
	Workspaces []WorkspacePipelineTaskBinding `json:"workspaces,omitempty"`
	// Duration after which the TaskRun times out. Defaults to 1 hour.
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`
	// PipelineRef is a reference to a pipeline definition
	// Note: PipelineRef is in preview mode and not yet supported
	// +optional
	PipelineRef *PipelineRef `json:"pipelineRef,omitempty"`
	// PipelineSpec is a specification of a pipeline
	// Note: PipelineSpec is in preview mode and not yet supported
	// +optional
	PipelineSpec *PipelineSpec `json:"pipelineSpec,omitempty"`
	// OnError defines the exiting behavior of a PipelineRun on error
	// can be set to [ continue | stopAndFail ]
	// +optional
	OnError PipelineTaskOnErrorType `json:"onError,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// PipelineList contains a list of Pipeline
type PipelineList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Pipeline `json:"items"`
}

// ---------------------------------------------------------------------------
// PipelineRun

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// PipelineRun represents a single execution of a Pipeline. PipelineRuns are how
// the graph of Tasks declared in a Pipeline are executed; they specify inputs
// to Pipelines such as parameter values and capture operational aspects of the
// Tasks execution such as service account and tolerations. Creating a
// PipelineRun creates TaskRuns for Tasks in the referenced Pipeline.
type PipelineRun struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +optional
	Spec PipelineRunSpec `json:"spec,omitempty"`
	// +optional
	Status PipelineRunStatus `json:"status,omitempty"`
}

// PipelineRunSpec defines the desired state of PipelineRun
type PipelineRunSpec struct {
	// +optional
	PipelineRef *PipelineRef `json:"pipelineRef,omitempty"`
	// Specifying PipelineSpec can be disabled by setting
	// `disable-inline-spec` feature flag.
	// +optional
	PipelineSpec *PipelineSpec `json:"pipelineSpec,omitempty"`
	// Resources is the removed PipelineResources binding of a PipelineRun; it
	// is refused when set.
	//
	// Deprecated: Unused, preserved only for backwards compatibility.
	// +optional
	// +listType=atomic
	Resources []runtime.RawExtension `json:"resources,omitempty"`
	// Params is a list of parameter names and values.
	// +optional
	// +listType=atomic
	Params Params `json:"params,omitempty"`
	// ServiceAccountName of the TaskRuns (v1: taskRunTemplate.serviceAccountName).
	// +optional
	ServiceAccountName string `json:"serviceAccountName,omitempty"`
	// Used for cancelling a pipelinerun (and maybe more later on)
	// +optional
	Status PipelineRunSpecStatus `json:"status,omitempty"`
	// Time after which the Pipeline times out.
	// Currently three keys are accepted in the map
	// pipeline, tasks and finally
	// with Timeouts.pipeline >= Timeouts.tasks + Timeouts.finally
	// +optional
	Timeouts *TimeoutFields `json:"timeouts,omitempty"`
	// Timeout is the Time after which the Pipeline times out. It becomes
	// timeouts.pipeline on conversion when that is unset.
	//
	// Deprecated: use pipelineRunSpec.Timeouts.Pipeline instead
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`
	// PodTemplate holds pod specific configuration of the TaskRuns
	// (v1: taskRunTemplate.podTemplate).
	// +optional
	PodTemplate *PodTemplate `json:"podTemplate,omitempty"`
	// Workspaces holds a set of workspace bindings that must match names
	// with those declared in the pipeline.
	// +optional
	// +listType=atomic
	Workspaces []WorkspaceBinding `json:"workspaces,omitempty"`
	// TaskRunSpecs holds a set of runtime specs
	// +optional
	// +listType=atomic
	TaskRunSpecs []PipelineTaskRunSpec `json:"taskRunSpecs,omitempty"`
	// ManagedBy indicates which controller is responsible for reconciling
	// this resource. If unset or set to "tekton.dev/pipeline", the default
	// Tekton controller will manage this resource.
	// This field is immutable.
	// +optional
	ManagedBy *string `json:"managedBy,omitempty"`
}

// TimeoutFields allows granular specification of pipeline, task, and finally timeouts
type TimeoutFields struct {
	// Pipeline sets the maximum allowed duration for execution of the entire pipeline. The sum of individual timeouts for tasks and finally must not exceed this value.
	// +optional
	Pipeline *metav1.Duration `json:"pipeline,omitempty"`
	// Tasks sets the maximum allowed duration of this pipeline's tasks
	// +optional
	Tasks *metav1.Duration `json:"tasks,omitempty"`
	// Finally sets the maximum allowed duration of this pipeline's finally
	// +optional
	Finally *metav1.Duration `json:"finally,omitempty"`
}

// PipelineRunSpecStatus defines the pipelinerun spec status the user can provide
type PipelineRunSpecStatus string

const (
	// PipelineRunSpecStatusCancelled indicates that the user wants to cancel the task,
	// if not already cancelled or terminated
	PipelineRunSpecStatusCancelled = "Cancelled"
	// PipelineRunSpecStatusCancelledRunFinally indicates that the user wants to cancel the pipeline run,
	// if not already cancelled or terminated, but ensure finally is run normally
	PipelineRunSpecStatusCancelledRunFinally = "CancelledRunFinally"
	// PipelineRunSpecStatusStoppedRunFinally indicates that the user wants to stop the pipeline run,
	// wait for already running tasks to be completed and run finally
	// if not already cancelled or terminated
	PipelineRunSpecStatusStoppedRunFinally = "StoppedRunFinally"
	// PipelineRunSpecStatusPending indicates that the user wants to postpone starting a PipelineRun
	// until some condition is met
	PipelineRunSpecStatusPending = "PipelineRunPending"
)

// PipelineTaskRunSpec  can be used to configure specific
// specs for a concrete Task
type PipelineTaskRunSpec struct {
	// +optional
	PipelineTaskName string `json:"pipelineTaskName,omitempty"`
	// (v1: serviceAccountName)
	// +optional
	TaskServiceAccountName string `json:"taskServiceAccountName,omitempty"`
	// (v1: podTemplate)
	// +optional
	TaskPodTemplate *PodTemplate `json:"taskPodTemplate,omitempty"`
	// (v1: stepSpecs)
	// +optional
	// +listType=atomic
	StepOverrides []TaskRunStepOverride `json:"stepOverrides,omitempty"`
	// (v1: sidecarSpecs)
	// +optional
	// +listType=atomic
	SidecarOverrides []TaskRunSidecarOverride `json:"sidecarOverrides,omitempty"`
	// +optional
	Metadata *PipelineTaskMetadata `json:"metadata,omitempty"`
	// Compute resources to use for this TaskRun
	// +optional
	ComputeResources *corev1.ResourceRequirements `json:"computeResources,omitempty"`
	// Duration after which the TaskRun times out. Overrides the timeout specified
	// on the Task's spec if specified. Takes lower precedence to PipelineRun's
	// `spec.timeouts.tasks`
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`
}

// PipelineRunStatus defines the observed state of PipelineRun
type PipelineRunStatus struct {
	duckv1.Status `json:",inline"`

	// PipelineRunStatusFields inlines the status fields.
	PipelineRunStatusFields `json:",inline"`
}

// PipelineRunStatusFields holds the fields of PipelineRunStatus' status.
type PipelineRunStatusFields struct {
	// StartTime is the time the PipelineRun is actually started.
	// +optional
	StartTime *metav1.Time `json:"startTime,omitempty"`
	// CompletionTime is the time the PipelineRun completed.
	// +optional
	CompletionTime *metav1.Time `json:"completionTime,omitempty"`
	// TaskRuns is a map of PipelineRunTaskRunStatus with the taskRun name as
	// the key. Upstream stopped populating it in v0.45.0. Accepted on the wire;
	// on conversion it only seeds childReferences when those are empty (as
	// upstream does), the embedded statuses themselves are dropped.
	//
	// Deprecated: use ChildReferences instead.
	// +optional
	TaskRuns map[string]*PipelineRunTaskRunStatus `json:"taskRuns,omitempty"`
	// Runs is a map of PipelineRunRunStatus with the run name as the key.
	// Handled like taskRuns.
	//
	// Deprecated: use ChildReferences instead.
	// +optional
	Runs map[string]*PipelineRunRunStatus `json:"runs,omitempty"`
	// PipelineResults are the list of results written out by the pipeline
	// task's containers (v1: results).
	// +optional
	// +listType=atomic
	PipelineResults []PipelineRunResult `json:"pipelineResults,omitempty"`
	// PipelineSpec contains the exact spec used to instantiate the run.
	// +optional
	PipelineSpec *PipelineSpec `json:"pipelineSpec,omitempty"`
	// list of tasks that were skipped due to when expressions evaluating to false
	// +optional
	// +listType=atomic
	SkippedTasks []SkippedTask `json:"skippedTasks,omitempty"`
	// list of TaskRun and Run names, PipelineTask names, and API versions/kinds for children of this PipelineRun.
	// +optional
	// +listType=atomic
	ChildReferences []ChildStatusReference `json:"childReferences,omitempty"`
	// FinallyStartTime is when all non-finally tasks have been completed and only finally tasks are being executed.
	// +optional
	FinallyStartTime *metav1.Time `json:"finallyStartTime,omitempty"`
	// Provenance contains some key authenticated metadata about how a software artifact was built (what sources, what inputs/outputs, etc.).
	// +optional
	Provenance *Provenance `json:"provenance,omitempty"`
	// SpanContext contains tracing span context fields
	// +optional
	SpanContext map[string]string `json:"spanContext,omitempty"`
}

// ChildStatusReference is used to point to the statuses of individual TaskRuns and Runs within this PipelineRun.
type ChildStatusReference struct {
	// APIVersion of the referenced or embedded object. A plain field, not an
	// embedded runtime.TypeMeta: conversion and apply configurations treat
	// TypeMeta as belonging to top-level objects only.
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// Kind of the referenced or embedded object.
	// +optional
	Kind string `json:"kind,omitempty"`
	// Name is the name of the TaskRun or Run this is referencing.
	// +optional
	Name string `json:"name,omitempty"`
	// DisplayName is a user-facing name of the pipelineTask that may be
	// used to populate a UI.
	// +optional
	DisplayName string `json:"displayName,omitempty"`
	// PipelineTaskName is the name of the PipelineTask this is referencing.
	// +optional
	PipelineTaskName string `json:"pipelineTaskName,omitempty"`
	// WhenExpressions is the list of checks guarding the execution of the PipelineTask
	// +optional
	// +listType=atomic
	WhenExpressions []WhenExpression `json:"whenExpressions,omitempty"`
}

// PipelineRunTaskRunStatus contains the name of the PipelineTask for this
// TaskRun and the TaskRun's Status.
type PipelineRunTaskRunStatus struct {
	// PipelineTaskName is the name of the PipelineTask.
	// +optional
	PipelineTaskName string `json:"pipelineTaskName,omitempty"`
	// Status is the TaskRunStatus for the corresponding TaskRun
	// +optional
	Status *TaskRunStatus `json:"status,omitempty"`
	// WhenExpressions is the list of checks guarding the execution of the PipelineTask
	// +optional
	// +listType=atomic
	WhenExpressions []WhenExpression `json:"whenExpressions,omitempty"`
}

// PipelineRunRunStatus contains the name of the PipelineTask for this
// CustomRun or Run and the CustomRun or Run's Status.
type PipelineRunRunStatus struct {
	// PipelineTaskName is the name of the PipelineTask.
	// +optional
	PipelineTaskName string `json:"pipelineTaskName,omitempty"`
	// Status is the CustomRunStatus for the corresponding CustomRun or Run
	// +optional
	Status *CustomRunStatus `json:"status,omitempty"`
	// WhenExpressions is the list of checks guarding the execution of the PipelineTask
	// +optional
	// +listType=atomic
	WhenExpressions []WhenExpression `json:"whenExpressions,omitempty"`
}

// CustomRunStatus is the status of a CustomRun as embedded in the
// deprecated status.runs map.
type CustomRunStatus struct {
	duckv1.Status `json:",inline"`

	// CustomRunStatusFields inlines the status fields.
	CustomRunStatusFields `json:",inline"`
}

// CustomRunStatusFields holds the fields of a CustomRun's status.
type CustomRunStatusFields struct {
	// StartTime is the time the build is actually started.
	// +optional
	StartTime *metav1.Time `json:"startTime,omitempty"`
	// CompletionTime is the time the build completed.
	// +optional
	CompletionTime *metav1.Time `json:"completionTime,omitempty"`
	// Results reports any output result values to be consumed by later
	// tasks in a pipeline.
	// +optional
	// +listType=atomic
	Results []CustomRunResult `json:"results,omitempty"`
	// RetriesStatus contains the history of CustomRunStatus, in case of a retry.
	// +optional
	// +listType=atomic
	RetriesStatus []CustomRunStatus `json:"retriesStatus,omitempty"`
	// ExtraFields holds arbitrary fields provided by the custom task
	// controller.
	// +optional
	ExtraFields runtime.RawExtension `json:"extraFields,omitempty"`
}

// CustomRunResult used to describe the results of a task
type CustomRunResult struct {
	// Name the given name
	Name string `json:"name"`
	// Value the given value of the result
	Value string `json:"value"`
}

// SkippedTask is used to describe the Tasks that were skipped due to their When Expressions
// evaluating to False.
type SkippedTask struct {
	// Name is the Pipeline Task name
	Name string `json:"name"`
	// Reason is the cause of the PipelineTask being skipped.
	Reason SkippingReason `json:"reason"`
	// WhenExpressions is the list of checks guarding the execution of the PipelineTask
	// +optional
	// +listType=atomic
	WhenExpressions []WhenExpression `json:"whenExpressions,omitempty"`
}

// SkippingReason explains why a PipelineTask was skipped.
type SkippingReason string

// PipelineRunResult used to describe the results of a pipeline
type PipelineRunResult struct {
	// Name is the result's name as declared by the Pipeline
	Name string `json:"name"`
	// Value is the result returned from the execution of this PipelineRun
	Value ResultValue `json:"value"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// PipelineRunList contains a list of PipelineRun
type PipelineRunList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []PipelineRun `json:"items"`
}
