package v1beta1

// Hand-written conversions between tekton.dev/v1beta1 and the internal hub
// (shaped like tekton.dev/v1) for the fields conversion-gen cannot map. They
// follow what Tekton's own v1beta1 <-> v1 conversion does:
//
//   - Step, StepTemplate and Sidecar: resources <-> computeResources.
//   - TaskRef and PipelineRef: a bundle becomes a reference through the
//     "bundles" resolver (params bundle, name, kind); the way back keeps the
//     resolver form, which v1beta1 also accepts.
//   - TaskRun and PipelineTaskRunSpec: stepOverrides/sidecarOverrides <->
//     stepSpecs/sidecarSpecs; taskServiceAccountName/taskPodTemplate <->
//     serviceAccountName/podTemplate.
//   - PipelineRun: top-level serviceAccountName/podTemplate <->
//     taskRunTemplate; the deprecated timeout becomes timeouts.pipeline
//     when that is unset.
//   - Results: status.taskResults and status.pipelineResults <-> results.
//   - The deprecated Step and StepTemplate container fields (ports, probes,
//     lifecycle, terminationMessage*, stdin, stdinOnce, tty, and the
//     stepTemplate name) have no place in the hub; like upstream they are
//     kept in the annotation tekton.dev/v1beta1.task-deprecations of the
//     stored object and put back when it is read as v1beta1.
//   - PipelineResources (resources on TaskSpec, TaskRunSpec, PipelineSpec,
//     PipelineTask, PipelineRunSpec) were removed from Tekton; upstream
//     rejects them in validation, here the conversion to the hub refuses them.
//   - Status fields that only older controllers wrote are accepted and
//     dropped: status.cloudEvents, status.resourcesResult, and the
//     status.taskRuns/status.runs maps of a PipelineRun, which (as upstream)
//     seed status.childReferences when those are empty. Upstream also parks
//     them in annotations to give them back on a v1beta1 read; nothing here
//     writes them, so they are not kept.

import (
	"bytes"
	"encoding/json"
	"maps"
	"sort"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/conversion"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/tekton"
)

// ---------------------------------------------------------------------------
// Top-level objects: carry the deprecated container fields in an annotation.

// TaskDeprecationsAnnotationKey is the annotation that keeps the deprecated
// Step and StepTemplate fields of the Task specs in an object, keyed by Task
// name (a Task or TaskRun: its own name; a Pipeline or PipelineRun: the
// PipelineTask name). It has the same key and shape as upstream's.
const TaskDeprecationsAnnotationKey = "tekton.dev/v1beta1.task-deprecations"

// Convert_v1beta1_Task_To_tekton_Task converts a Task to the hub.
func Convert_v1beta1_Task_To_tekton_Task(in *Task, out *tekton.Task, s conversion.Scope) error {
	if err := autoConvert_v1beta1_Task_To_tekton_Task(in, out, s); err != nil {
		return err
	}
	d := taskDeprecations{}
	d.collect(in.Name, &in.Spec)
	return d.store(&out.ObjectMeta)
}

// Convert_tekton_Task_To_v1beta1_Task converts a Task from the hub.
func Convert_tekton_Task_To_v1beta1_Task(in *tekton.Task, out *Task, s conversion.Scope) error {
	if err := autoConvert_tekton_Task_To_v1beta1_Task(in, out, s); err != nil {
		return err
	}
	restoreDeprecations(&out.ObjectMeta, func(d taskDeprecations) {
		d.restore(&out.Spec, out.Name, "")
	})
	return nil
}

// Convert_v1beta1_TaskRun_To_tekton_TaskRun converts a TaskRun to the hub.
// Deprecated fields of status.taskSpec are not kept: the controller writes
// that copy from the hub, where they do not exist.
func Convert_v1beta1_TaskRun_To_tekton_TaskRun(in *TaskRun, out *tekton.TaskRun, s conversion.Scope) error {
	if err := autoConvert_v1beta1_TaskRun_To_tekton_TaskRun(in, out, s); err != nil {
		return err
	}
	d := taskDeprecations{}
	if in.Spec.TaskSpec != nil {
		d.collect(in.Name, in.Spec.TaskSpec)
	}
	return d.store(&out.ObjectMeta)
}

// Convert_tekton_TaskRun_To_v1beta1_TaskRun converts a TaskRun from the hub.
func Convert_tekton_TaskRun_To_v1beta1_TaskRun(in *tekton.TaskRun, out *TaskRun, s conversion.Scope) error {
	if err := autoConvert_tekton_TaskRun_To_v1beta1_TaskRun(in, out, s); err != nil {
		return err
	}
	restoreDeprecations(&out.ObjectMeta, func(d taskDeprecations) {
		if out.Spec.TaskSpec != nil {
			d.restore(out.Spec.TaskSpec, out.Name, "")
		}
	})
	return nil
}

// Convert_v1beta1_Pipeline_To_tekton_Pipeline converts a Pipeline to the hub.
func Convert_v1beta1_Pipeline_To_tekton_Pipeline(in *Pipeline, out *tekton.Pipeline, s conversion.Scope) error {
	if err := autoConvert_v1beta1_Pipeline_To_tekton_Pipeline(in, out, s); err != nil {
		return err
	}
	d := taskDeprecations{}
	d.collectPipeline(&in.Spec)
	return d.store(&out.ObjectMeta)
}

// Convert_tekton_Pipeline_To_v1beta1_Pipeline converts a Pipeline from the hub.
func Convert_tekton_Pipeline_To_v1beta1_Pipeline(in *tekton.Pipeline, out *Pipeline, s conversion.Scope) error {
	if err := autoConvert_tekton_Pipeline_To_v1beta1_Pipeline(in, out, s); err != nil {
		return err
	}
	restoreDeprecations(&out.ObjectMeta, func(d taskDeprecations) {
		d.restorePipeline(&out.Spec)
	})
	return nil
}

// Convert_v1beta1_PipelineRun_To_tekton_PipelineRun converts a PipelineRun to
// the hub. As for TaskRuns, only spec.pipelineSpec keeps deprecated fields.
func Convert_v1beta1_PipelineRun_To_tekton_PipelineRun(in *PipelineRun, out *tekton.PipelineRun, s conversion.Scope) error {
	if err := autoConvert_v1beta1_PipelineRun_To_tekton_PipelineRun(in, out, s); err != nil {
		return err
	}
	d := taskDeprecations{}
	if in.Spec.PipelineSpec != nil {
		d.collectPipeline(in.Spec.PipelineSpec)
	}
	return d.store(&out.ObjectMeta)
}

// Convert_tekton_PipelineRun_To_v1beta1_PipelineRun converts a PipelineRun
// from the hub.
func Convert_tekton_PipelineRun_To_v1beta1_PipelineRun(in *tekton.PipelineRun, out *PipelineRun, s conversion.Scope) error {
	if err := autoConvert_tekton_PipelineRun_To_v1beta1_PipelineRun(in, out, s); err != nil {
		return err
	}
	restoreDeprecations(&out.ObjectMeta, func(d taskDeprecations) {
		if out.Spec.PipelineSpec != nil {
			d.restorePipeline(out.Spec.PipelineSpec)
		}
	})
	return nil
}

// deprecatedFields are the Step and StepTemplate fields v1beta1 has and the
// hub lacks. JSON names are the v1beta1 ones, so upstream's annotations read
// the same.
//
// +k8s:deepcopy-gen=false
// +k8s:openapi-gen=false
type deprecatedFields struct {
	// Name is the deprecated stepTemplate name; unused for steps.
	Name                     string                          `json:"name,omitempty"`
	Ports                    []corev1.ContainerPort          `json:"ports,omitempty"`
	LivenessProbe            *corev1.Probe                   `json:"livenessProbe,omitempty"`
	ReadinessProbe           *corev1.Probe                   `json:"readinessProbe,omitempty"`
	StartupProbe             *corev1.Probe                   `json:"startupProbe,omitempty"`
	Lifecycle                *corev1.Lifecycle               `json:"lifecycle,omitempty"`
	TerminationMessagePath   string                          `json:"terminationMessagePath,omitempty"`
	TerminationMessagePolicy corev1.TerminationMessagePolicy `json:"terminationMessagePolicy,omitempty"`
	Stdin                    bool                            `json:"stdin,omitempty"`
	StdinOnce                bool                            `json:"stdinOnce,omitempty"`
	TTY                      bool                            `json:"tty,omitempty"`
}

// taskDeprecation is what one Task spec has of deprecated fields: one entry
// per step (in step order) and the step template.
//
// +k8s:deepcopy-gen=false
// +k8s:openapi-gen=false
type taskDeprecation struct {
	Steps        []deprecatedFields `json:"deprecatedSteps,omitempty"`
	StepTemplate *deprecatedFields  `json:"deprecatedStepTemplate,omitempty"`
}

// taskDeprecations is the annotation's value: Task name -> its deprecations.
//
// +k8s:deepcopy-gen=false
// +k8s:openapi-gen=false
type taskDeprecations map[string]taskDeprecation

func stepDeprecations(s *Step) deprecatedFields {
	return deprecatedFields{
		Ports:                    s.Ports,
		LivenessProbe:            s.LivenessProbe,
		ReadinessProbe:           s.ReadinessProbe,
		StartupProbe:             s.StartupProbe,
		Lifecycle:                s.Lifecycle,
		TerminationMessagePath:   s.TerminationMessagePath,
		TerminationMessagePolicy: s.TerminationMessagePolicy,
		Stdin:                    s.Stdin,
		StdinOnce:                s.StdinOnce,
		TTY:                      s.TTY,
	}
}

func templateDeprecations(t *StepTemplate) deprecatedFields {
	return deprecatedFields{
		Name:                     t.Name,
		Ports:                    t.Ports,
		LivenessProbe:            t.LivenessProbe,
		ReadinessProbe:           t.ReadinessProbe,
		StartupProbe:             t.StartupProbe,
		Lifecycle:                t.Lifecycle,
		TerminationMessagePath:   t.TerminationMessagePath,
		TerminationMessagePolicy: t.TerminationMessagePolicy,
		Stdin:                    t.Stdin,
		StdinOnce:                t.StdinOnce,
		TTY:                      t.TTY,
	}
}

func (f *deprecatedFields) isZero() bool {
	return f.Name == "" && len(f.Ports) == 0 && f.LivenessProbe == nil && f.ReadinessProbe == nil &&
		f.StartupProbe == nil && f.Lifecycle == nil && f.TerminationMessagePath == "" &&
		f.TerminationMessagePolicy == "" && !f.Stdin && !f.StdinOnce && !f.TTY
}

// collect records the deprecated fields of spec under name, if it has any.
func (d taskDeprecations) collect(name string, spec *TaskSpec) {
	var td taskDeprecation
	found := false
	for i := range spec.Steps {
		f := stepDeprecations(&spec.Steps[i])
		found = found || !f.isZero()
		td.Steps = append(td.Steps, f)
	}
	if spec.StepTemplate != nil {
		if f := templateDeprecations(spec.StepTemplate); !f.isZero() {
			td.StepTemplate = &f
			found = true
		}
	}
	if found {
		d[name] = td
	}
}

func (d taskDeprecations) collectPipeline(spec *PipelineSpec) {
	for _, tasks := range [][]PipelineTask{spec.Tasks, spec.Finally} {
		for i := range tasks {
			if tasks[i].TaskSpec != nil {
				d.collect(tasks[i].Name, &tasks[i].TaskSpec.TaskSpec)
			}
		}
	}
}

// store merges d into the annotation of meta (a converted object's metadata,
// whose annotation map may still be shared with the source object).
func (d taskDeprecations) store(meta *metav1.ObjectMeta) error {
	if len(d) == 0 {
		return nil
	}
	all := taskDeprecations{}
	if v, ok := meta.Annotations[TaskDeprecationsAnnotationKey]; ok {
		// An unreadable value is replaced rather than refused.
		_ = json.Unmarshal([]byte(v), &all)
	}
	maps.Copy(all, d)
	b, err := json.Marshal(all)
	if err != nil {
		return err
	}
	meta.Annotations = maps.Clone(meta.Annotations)
	if meta.Annotations == nil {
		meta.Annotations = map[string]string{}
	}
	meta.Annotations[TaskDeprecationsAnnotationKey] = string(b)
	return nil
}

// restoreDeprecations reads the annotation of meta, lets apply put the
// recorded fields back, and drops the entries apply used (the annotation
// when none is left). An unreadable annotation is left alone.
func restoreDeprecations(meta *metav1.ObjectMeta, apply func(taskDeprecations)) {
	v, ok := meta.Annotations[TaskDeprecationsAnnotationKey]
	if !ok {
		return
	}
	d := taskDeprecations{}
	if err := json.Unmarshal([]byte(v), &d); err != nil {
		return
	}
	apply(d)
	meta.Annotations = maps.Clone(meta.Annotations)
	if len(d) == 0 {
		delete(meta.Annotations, TaskDeprecationsAnnotationKey)
		if len(meta.Annotations) == 0 {
			meta.Annotations = nil
		}
		return
	}
	if b, err := json.Marshal(d); err == nil {
		meta.Annotations[TaskDeprecationsAnnotationKey] = string(b)
	}
}

// restore puts back the deprecations recorded under the first of names that
// has an entry, and removes that entry. A Task created with generateName was
// recorded under "" (its name was not known yet). Steps are matched by
// position, so a record whose step count no longer matches (the steps were
// changed through tekton.dev/v1) is dropped.
func (d taskDeprecations) restore(spec *TaskSpec, names ...string) {
	for _, name := range names {
		td, ok := d[name]
		if !ok {
			continue
		}
		delete(d, name)
		if len(td.Steps) != 0 && len(td.Steps) != len(spec.Steps) {
			return
		}
		for i, f := range td.Steps {
			s := &spec.Steps[i]
			s.Ports, s.LivenessProbe, s.ReadinessProbe, s.StartupProbe = f.Ports, f.LivenessProbe, f.ReadinessProbe, f.StartupProbe
			s.Lifecycle, s.TerminationMessagePath, s.TerminationMessagePolicy = f.Lifecycle, f.TerminationMessagePath, f.TerminationMessagePolicy
			s.Stdin, s.StdinOnce, s.TTY = f.Stdin, f.StdinOnce, f.TTY
		}
		if f := td.StepTemplate; f != nil {
			if spec.StepTemplate == nil {
				spec.StepTemplate = &StepTemplate{}
			}
			t := spec.StepTemplate
			t.Name = f.Name
			t.Ports, t.LivenessProbe, t.ReadinessProbe, t.StartupProbe = f.Ports, f.LivenessProbe, f.ReadinessProbe, f.StartupProbe
			t.Lifecycle, t.TerminationMessagePath, t.TerminationMessagePolicy = f.Lifecycle, f.TerminationMessagePath, f.TerminationMessagePolicy
			t.Stdin, t.StdinOnce, t.TTY = f.Stdin, f.StdinOnce, f.TTY
		}
		return
	}
}

func (d taskDeprecations) restorePipeline(spec *PipelineSpec) {
	for _, tasks := range [][]PipelineTask{spec.Tasks, spec.Finally} {
		for i := range tasks {
			if tasks[i].TaskSpec != nil {
				d.restore(&tasks[i].TaskSpec.TaskSpec, tasks[i].Name)
			}
		}
	}
}

// ---------------------------------------------------------------------------
// PipelineResources

// refuseResources reports PipelineResources, which no longer exist.
func refuseResources(set bool) error {
	if !set {
		return nil
	}
	return field.Forbidden(field.NewPath("resources"),
		"PipelineResources were removed from Tekton; tekton.dev/v1beta1 keeps the field only so that old objects decode")
}

// rawSet reports whether a RawExtension holds a value other than null.
func rawSet(r *runtime.RawExtension) bool {
	if r == nil {
		return false
	}
	raw := bytes.TrimSpace(r.Raw)
	return r.Object != nil || (len(raw) != 0 && !bytes.Equal(raw, []byte("null")))
}

// Convert_v1beta1_TaskSpec_To_tekton_TaskSpec refuses PipelineResources.
func Convert_v1beta1_TaskSpec_To_tekton_TaskSpec(in *TaskSpec, out *tekton.TaskSpec, s conversion.Scope) error {
	if err := refuseResources(rawSet(in.Resources)); err != nil {
		return err
	}
	return autoConvert_v1beta1_TaskSpec_To_tekton_TaskSpec(in, out, s)
}

// Convert_v1beta1_PipelineSpec_To_tekton_PipelineSpec refuses PipelineResources.
func Convert_v1beta1_PipelineSpec_To_tekton_PipelineSpec(in *PipelineSpec, out *tekton.PipelineSpec, s conversion.Scope) error {
	if err := refuseResources(len(in.Resources) != 0); err != nil {
		return err
	}
	return autoConvert_v1beta1_PipelineSpec_To_tekton_PipelineSpec(in, out, s)
}

// Convert_v1beta1_PipelineTask_To_tekton_PipelineTask refuses PipelineResources.
func Convert_v1beta1_PipelineTask_To_tekton_PipelineTask(in *PipelineTask, out *tekton.PipelineTask, s conversion.Scope) error {
	if err := refuseResources(rawSet(in.Resources)); err != nil {
		return err
	}
	return autoConvert_v1beta1_PipelineTask_To_tekton_PipelineTask(in, out, s)
}

// ---------------------------------------------------------------------------
// Steps, step templates and sidecars: resources <-> computeResources. The
// deprecated fields travel in the object's annotation (see above).

// Convert_v1beta1_Step_To_tekton_Step converts a Step to the hub.
func Convert_v1beta1_Step_To_tekton_Step(in *Step, out *tekton.Step, s conversion.Scope) error {
	if err := autoConvert_v1beta1_Step_To_tekton_Step(in, out, s); err != nil {
		return err
	}
	out.ComputeResources = in.Resources
	return nil
}

// Convert_tekton_Step_To_v1beta1_Step converts a Step from the hub.
func Convert_tekton_Step_To_v1beta1_Step(in *tekton.Step, out *Step, s conversion.Scope) error {
	if err := autoConvert_tekton_Step_To_v1beta1_Step(in, out, s); err != nil {
		return err
	}
	out.Resources = in.ComputeResources
	return nil
}

// Convert_v1beta1_StepTemplate_To_tekton_StepTemplate converts a StepTemplate to the hub.
func Convert_v1beta1_StepTemplate_To_tekton_StepTemplate(in *StepTemplate, out *tekton.StepTemplate, s conversion.Scope) error {
	if err := autoConvert_v1beta1_StepTemplate_To_tekton_StepTemplate(in, out, s); err != nil {
		return err
	}
	out.ComputeResources = in.Resources
	return nil
}

// Convert_tekton_StepTemplate_To_v1beta1_StepTemplate converts a StepTemplate from the hub.
func Convert_tekton_StepTemplate_To_v1beta1_StepTemplate(in *tekton.StepTemplate, out *StepTemplate, s conversion.Scope) error {
	if err := autoConvert_tekton_StepTemplate_To_v1beta1_StepTemplate(in, out, s); err != nil {
		return err
	}
	out.Resources = in.ComputeResources
	return nil
}

// Convert_v1beta1_Sidecar_To_tekton_Sidecar converts a Sidecar to the hub.
func Convert_v1beta1_Sidecar_To_tekton_Sidecar(in *Sidecar, out *tekton.Sidecar, s conversion.Scope) error {
	if err := autoConvert_v1beta1_Sidecar_To_tekton_Sidecar(in, out, s); err != nil {
		return err
	}
	out.ComputeResources = in.Resources
	return nil
}

// Convert_tekton_Sidecar_To_v1beta1_Sidecar converts a Sidecar from the hub.
func Convert_tekton_Sidecar_To_v1beta1_Sidecar(in *tekton.Sidecar, out *Sidecar, s conversion.Scope) error {
	if err := autoConvert_tekton_Sidecar_To_v1beta1_Sidecar(in, out, s); err != nil {
		return err
	}
	out.Resources = in.ComputeResources
	return nil
}

// ---------------------------------------------------------------------------
// References: bundle -> bundles resolver.

// BundlesResolver is the resolver a v1beta1 bundle reference converts to.
const BundlesResolver = "bundles"

func bundleResolverRef(bundle, name, kind string) tekton.ResolverRef {
	param := func(n, v string) tekton.Param {
		return tekton.Param{Name: n, Value: tekton.ParamValue{Type: tekton.ParamTypeString, StringVal: v}}
	}
	return tekton.ResolverRef{
		Resolver: BundlesResolver,
		Params:   tekton.Params{param("bundle", bundle), param("name", name), param("kind", kind)},
	}
}

// Convert_v1beta1_TaskRef_To_tekton_TaskRef turns a bundle reference into a
// bundles-resolver reference, as upstream does.
func Convert_v1beta1_TaskRef_To_tekton_TaskRef(in *TaskRef, out *tekton.TaskRef, s conversion.Scope) error {
	if err := autoConvert_v1beta1_TaskRef_To_tekton_TaskRef(in, out, s); err != nil {
		return err
	}
	if in.Bundle != "" {
		out.Name = ""
		out.ResolverRef = bundleResolverRef(in.Bundle, in.Name, "Task")
	}
	return nil
}

// Convert_v1beta1_PipelineRef_To_tekton_PipelineRef turns a bundle reference
// into a bundles-resolver reference, as upstream does.
func Convert_v1beta1_PipelineRef_To_tekton_PipelineRef(in *PipelineRef, out *tekton.PipelineRef, s conversion.Scope) error {
	if err := autoConvert_v1beta1_PipelineRef_To_tekton_PipelineRef(in, out, s); err != nil {
		return err
	}
	if in.Bundle != "" {
		out.Name = ""
		out.ResolverRef = bundleResolverRef(in.Bundle, in.Name, "Pipeline")
	}
	return nil
}

// Convert_v1beta1_Provenance_To_tekton_Provenance carries the deprecated
// configSource over as refSource when refSource is unset.
func Convert_v1beta1_Provenance_To_tekton_Provenance(in *Provenance, out *tekton.Provenance, s conversion.Scope) error {
	if err := autoConvert_v1beta1_Provenance_To_tekton_Provenance(in, out, s); err != nil {
		return err
	}
	if out.RefSource == nil && in.ConfigSource != nil {
		out.RefSource = new(tekton.RefSource)
		return Convert_v1beta1_RefSource_To_tekton_RefSource(in.ConfigSource, out.RefSource, s)
	}
	return nil
}

// ---------------------------------------------------------------------------
// TaskRuns

// convertSlice converts each element with convert; nil stays nil.
func convertSlice[I, O any](in []I, convert func(*I, *O, conversion.Scope) error, s conversion.Scope) ([]O, error) {
	if in == nil {
		return nil, nil
	}
	out := make([]O, len(in))
	for i := range in {
		if err := convert(&in[i], &out[i], s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func stepOverrideToSpec(in *TaskRunStepOverride, out *tekton.TaskRunStepSpec, _ conversion.Scope) error {
	out.Name, out.ComputeResources = in.Name, in.Resources
	return nil
}

func stepSpecToOverride(in *tekton.TaskRunStepSpec, out *TaskRunStepOverride, _ conversion.Scope) error {
	out.Name, out.Resources = in.Name, in.ComputeResources
	return nil
}

func sidecarOverrideToSpec(in *TaskRunSidecarOverride, out *tekton.TaskRunSidecarSpec, _ conversion.Scope) error {
	out.Name, out.ComputeResources = in.Name, in.Resources
	return nil
}

func sidecarSpecToOverride(in *tekton.TaskRunSidecarSpec, out *TaskRunSidecarOverride, _ conversion.Scope) error {
	out.Name, out.Resources = in.Name, in.ComputeResources
	return nil
}

// Convert_v1beta1_TaskRunSpec_To_tekton_TaskRunSpec maps overrides to specs
// and refuses PipelineResources.
func Convert_v1beta1_TaskRunSpec_To_tekton_TaskRunSpec(in *TaskRunSpec, out *tekton.TaskRunSpec, s conversion.Scope) error {
	if err := refuseResources(rawSet(in.Resources)); err != nil {
		return err
	}
	if err := autoConvert_v1beta1_TaskRunSpec_To_tekton_TaskRunSpec(in, out, s); err != nil {
		return err
	}
	var err error
	if out.StepSpecs, err = convertSlice(in.StepOverrides, stepOverrideToSpec, s); err != nil {
		return err
	}
	out.SidecarSpecs, err = convertSlice(in.SidecarOverrides, sidecarOverrideToSpec, s)
	return err
}

// Convert_tekton_TaskRunSpec_To_v1beta1_TaskRunSpec maps specs to overrides.
func Convert_tekton_TaskRunSpec_To_v1beta1_TaskRunSpec(in *tekton.TaskRunSpec, out *TaskRunSpec, s conversion.Scope) error {
	if err := autoConvert_tekton_TaskRunSpec_To_v1beta1_TaskRunSpec(in, out, s); err != nil {
		return err
	}
	var err error
	if out.StepOverrides, err = convertSlice(in.StepSpecs, stepSpecToOverride, s); err != nil {
		return err
	}
	out.SidecarOverrides, err = convertSlice(in.SidecarSpecs, sidecarSpecToOverride, s)
	return err
}

// Convert_v1beta1_TaskRunStatusFields_To_tekton_TaskRunStatusFields maps
// taskResults to results and drops cloudEvents and resourcesResult, which
// the hub does not have.
func Convert_v1beta1_TaskRunStatusFields_To_tekton_TaskRunStatusFields(in *TaskRunStatusFields, out *tekton.TaskRunStatusFields, s conversion.Scope) error {
	if err := autoConvert_v1beta1_TaskRunStatusFields_To_tekton_TaskRunStatusFields(in, out, s); err != nil {
		return err
	}
	var err error
	out.Results, err = convertSlice(in.TaskResults, Convert_v1beta1_TaskRunResult_To_tekton_TaskRunResult, s)
	return err
}

// Convert_tekton_TaskRunStatusFields_To_v1beta1_TaskRunStatusFields maps
// results to taskResults.
func Convert_tekton_TaskRunStatusFields_To_v1beta1_TaskRunStatusFields(in *tekton.TaskRunStatusFields, out *TaskRunStatusFields, s conversion.Scope) error {
	if err := autoConvert_tekton_TaskRunStatusFields_To_v1beta1_TaskRunStatusFields(in, out, s); err != nil {
		return err
	}
	var err error
	out.TaskResults, err = convertSlice(in.Results, Convert_tekton_TaskRunResult_To_v1beta1_TaskRunResult, s)
	return err
}

// ---------------------------------------------------------------------------
// PipelineRuns

func podTemplateToHub(in *PodTemplate, s conversion.Scope) (*tekton.PodTemplate, error) {
	if in == nil {
		return nil, nil
	}
	out := new(tekton.PodTemplate)
	return out, Convert_v1beta1_PodTemplate_To_tekton_PodTemplate(in, out, s)
}

func podTemplateFromHub(in *tekton.PodTemplate, s conversion.Scope) (*PodTemplate, error) {
	if in == nil {
		return nil, nil
	}
	out := new(PodTemplate)
	return out, Convert_tekton_PodTemplate_To_v1beta1_PodTemplate(in, out, s)
}

// Convert_v1beta1_PipelineRunSpec_To_tekton_PipelineRunSpec moves
// serviceAccountName and podTemplate into taskRunTemplate, turns the
// deprecated timeout into timeouts.pipeline when that is unset (an explicit
// timeouts.pipeline wins; upstream refuses both together), and refuses
// PipelineResources.
func Convert_v1beta1_PipelineRunSpec_To_tekton_PipelineRunSpec(in *PipelineRunSpec, out *tekton.PipelineRunSpec, s conversion.Scope) error {
	if err := refuseResources(len(in.Resources) != 0); err != nil {
		return err
	}
	if err := autoConvert_v1beta1_PipelineRunSpec_To_tekton_PipelineRunSpec(in, out, s); err != nil {
		return err
	}
	out.TaskRunTemplate.ServiceAccountName = in.ServiceAccountName
	var err error
	if out.TaskRunTemplate.PodTemplate, err = podTemplateToHub(in.PodTemplate, s); err != nil {
		return err
	}
	if in.Timeout != nil && (out.Timeouts == nil || out.Timeouts.Pipeline == nil) {
		// out.Timeouts may share memory with in.Timeouts: copy, never write through.
		t := tekton.TimeoutFields{}
		if out.Timeouts != nil {
			t = *out.Timeouts
		}
		t.Pipeline = in.Timeout
		out.Timeouts = &t
	}
	return nil
}

// Convert_tekton_PipelineRunSpec_To_v1beta1_PipelineRunSpec moves
// taskRunTemplate to the top-level fields; timeouts stay timeouts.
func Convert_tekton_PipelineRunSpec_To_v1beta1_PipelineRunSpec(in *tekton.PipelineRunSpec, out *PipelineRunSpec, s conversion.Scope) error {
	if err := autoConvert_tekton_PipelineRunSpec_To_v1beta1_PipelineRunSpec(in, out, s); err != nil {
		return err
	}
	out.ServiceAccountName = in.TaskRunTemplate.ServiceAccountName
	var err error
	out.PodTemplate, err = podTemplateFromHub(in.TaskRunTemplate.PodTemplate, s)
	return err
}

// Convert_v1beta1_PipelineTaskRunSpec_To_tekton_PipelineTaskRunSpec renames
// the task* fields and overrides.
func Convert_v1beta1_PipelineTaskRunSpec_To_tekton_PipelineTaskRunSpec(in *PipelineTaskRunSpec, out *tekton.PipelineTaskRunSpec, s conversion.Scope) error {
	if err := autoConvert_v1beta1_PipelineTaskRunSpec_To_tekton_PipelineTaskRunSpec(in, out, s); err != nil {
		return err
	}
	out.ServiceAccountName = in.TaskServiceAccountName
	var err error
	if out.PodTemplate, err = podTemplateToHub(in.TaskPodTemplate, s); err != nil {
		return err
	}
	if out.StepSpecs, err = convertSlice(in.StepOverrides, stepOverrideToSpec, s); err != nil {
		return err
	}
	out.SidecarSpecs, err = convertSlice(in.SidecarOverrides, sidecarOverrideToSpec, s)
	return err
}

// Convert_tekton_PipelineTaskRunSpec_To_v1beta1_PipelineTaskRunSpec renames
// back.
func Convert_tekton_PipelineTaskRunSpec_To_v1beta1_PipelineTaskRunSpec(in *tekton.PipelineTaskRunSpec, out *PipelineTaskRunSpec, s conversion.Scope) error {
	if err := autoConvert_tekton_PipelineTaskRunSpec_To_v1beta1_PipelineTaskRunSpec(in, out, s); err != nil {
		return err
	}
	out.TaskServiceAccountName = in.ServiceAccountName
	var err error
	if out.TaskPodTemplate, err = podTemplateFromHub(in.PodTemplate, s); err != nil {
		return err
	}
	if out.StepOverrides, err = convertSlice(in.StepSpecs, stepSpecToOverride, s); err != nil {
		return err
	}
	out.SidecarOverrides, err = convertSlice(in.SidecarSpecs, sidecarSpecToOverride, s)
	return err
}

// Convert_v1beta1_PipelineRunStatusFields_To_tekton_PipelineRunStatusFields
// maps pipelineResults to results. The deprecated taskRuns/runs maps are
// dropped; when childReferences is empty they seed it, as upstream does
// (sorted by name here, so the result does not depend on map order).
func Convert_v1beta1_PipelineRunStatusFields_To_tekton_PipelineRunStatusFields(in *PipelineRunStatusFields, out *tekton.PipelineRunStatusFields, s conversion.Scope) error {
	if err := autoConvert_v1beta1_PipelineRunStatusFields_To_tekton_PipelineRunStatusFields(in, out, s); err != nil {
		return err
	}
	var err error
	if out.Results, err = convertSlice(in.PipelineResults, Convert_v1beta1_PipelineRunResult_To_tekton_PipelineRunResult, s); err != nil {
		return err
	}
	if len(out.ChildReferences) != 0 {
		return nil
	}
	child := func(apiVersion, kind, name, pipelineTask string, when []WhenExpression) error {
		ref := tekton.ChildStatusReference{APIVersion: apiVersion, Kind: kind, Name: name, PipelineTaskName: pipelineTask}
		var err error
		if ref.WhenExpressions, err = convertSlice(when, Convert_v1beta1_WhenExpression_To_tekton_WhenExpression, s); err != nil {
			return err
		}
		out.ChildReferences = append(out.ChildReferences, ref)
		return nil
	}
	for _, name := range sortedKeys(in.TaskRuns) {
		if st := in.TaskRuns[name]; st != nil {
			if err := child(SchemeGroupVersion.String(), "TaskRun", name, st.PipelineTaskName, st.WhenExpressions); err != nil {
				return err
			}
		}
	}
	for _, name := range sortedKeys(in.Runs) {
		if st := in.Runs[name]; st != nil {
			if err := child("tekton.dev/v1alpha1", "Run", name, st.PipelineTaskName, st.WhenExpressions); err != nil {
				return err
			}
		}
	}
	return nil
}

// Convert_tekton_PipelineRunStatusFields_To_v1beta1_PipelineRunStatusFields
// maps results to pipelineResults.
func Convert_tekton_PipelineRunStatusFields_To_v1beta1_PipelineRunStatusFields(in *tekton.PipelineRunStatusFields, out *PipelineRunStatusFields, s conversion.Scope) error {
	if err := autoConvert_tekton_PipelineRunStatusFields_To_v1beta1_PipelineRunStatusFields(in, out, s); err != nil {
		return err
	}
	var err error
	out.PipelineResults, err = convertSlice(in.Results, Convert_tekton_PipelineRunResult_To_v1beta1_PipelineRunResult, s)
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
