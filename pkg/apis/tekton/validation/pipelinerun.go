package validation

import (
	"k8s.io/apimachinery/pkg/api/equality"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/tekton"
)

var pipelineRunSpecStatuses = []string{
	tekton.PipelineRunSpecStatusCancelled,
	tekton.PipelineRunSpecStatusCancelledRunFinally,
	tekton.PipelineRunSpecStatusStoppedRunFinally,
	tekton.PipelineRunSpecStatusPending,
}

// ValidatePipelineRun validates a PipelineRun on create, and as part of
// update.
func ValidatePipelineRun(pr *tekton.PipelineRun) field.ErrorList {
	errs := validateObjectMeta(&pr.ObjectMeta)
	errs = append(errs, validatePipelineRunSpec(&pr.Spec, specPath)...)
	return errs
}

// ValidatePipelineRunUpdate validates an updated PipelineRun against its
// previous version. Once the PipelineRun has started its spec is frozen,
// except for spec.status, which cancels or stops it (it can no longer be
// made pending). spec.managedBy never changes.
func ValidatePipelineRunUpdate(pr, old *tekton.PipelineRun) field.ErrorList {
	errs := ValidatePipelineRun(pr)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&pr.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	if !equality.Semantic.DeepEqual(pr.Spec.ManagedBy, old.Spec.ManagedBy) {
		errs = append(errs, field.Invalid(specPath.Child("managedBy"), pr.Spec.ManagedBy, "field is immutable"))
	}
	if pipelineRunStarted(old) {
		if pr.Spec.Status == tekton.PipelineRunSpecStatusPending && old.Spec.Status != tekton.PipelineRunSpecStatusPending {
			errs = append(errs, field.Invalid(specPath.Child("status"), pr.Spec.Status, "a PipelineRun cannot be made pending once it has started"))
		}
		a, b := pr.Spec.DeepCopy(), old.Spec.DeepCopy()
		a.Status, b.Status = "", ""
		if !equality.Semantic.DeepEqual(a, b) {
			errs = append(errs, field.Forbidden(specPath, "once the PipelineRun has started, only status updates are allowed"))
		}
	}
	return errs
}

func pipelineRunStarted(pr *tekton.PipelineRun) bool {
	if pr.Status.StartTime != nil && !pr.Status.StartTime.IsZero() {
		return true
	}
	return pr.Status.GetCondition(duckv1.ConditionSucceeded) != nil
}

func validatePipelineRunSpec(ps *tekton.PipelineRunSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch {
	case ps.PipelineRef != nil && ps.PipelineSpec != nil:
		errs = append(errs, field.Invalid(path.Child("pipelineRef"), "pipelineRef and pipelineSpec", "expected exactly one of pipelineRef or pipelineSpec, got both"))
	case ps.PipelineRef == nil && ps.PipelineSpec == nil:
		errs = append(errs, field.Required(path.Child("pipelineRef"), "expected exactly one of pipelineRef or pipelineSpec, got neither"))
	case ps.PipelineRef != nil:
		// A pipelineRef has a taskRef's shape: a name, or a resolver.
		ref := &tekton.TaskRef{Name: ps.PipelineRef.Name, ResolverRef: ps.PipelineRef.ResolverRef}
		errs = append(errs, validateTaskRef(ref, path.Child("pipelineRef"))...)
	default:
		errs = append(errs, validatePipelineSpec(ps.PipelineSpec, path.Child("pipelineSpec"), true)...)
	}
	errs = append(errs, validateParams(ps.Params, path.Child("params"))...)
	switch ps.Status {
	case "", tekton.PipelineRunSpecStatusCancelled, tekton.PipelineRunSpecStatusCancelledRunFinally,
		tekton.PipelineRunSpecStatusStoppedRunFinally, tekton.PipelineRunSpecStatusPending:
	default:
		errs = append(errs, field.NotSupported(path.Child("status"), ps.Status, pipelineRunSpecStatuses))
	}
	errs = append(errs, validateTimeouts(ps.Timeouts, path.Child("timeouts"))...)
	errs = append(errs, validateWorkspaceBindings(ps.Workspaces, path.Child("workspaces"))...)

	names := sets.New[string]()
	for i := range ps.TaskRunSpecs {
		trs := &ps.TaskRunSpecs[i]
		fp := path.Child("taskRunSpecs").Index(i)
		switch {
		case trs.PipelineTaskName == "":
			errs = append(errs, field.Required(fp.Child("pipelineTaskName"), ""))
		case names.Has(trs.PipelineTaskName):
			errs = append(errs, field.Duplicate(fp.Child("pipelineTaskName"), trs.PipelineTaskName))
		}
		names.Insert(trs.PipelineTaskName)
		errs = append(errs, validateOverrideNames(stepSpecNames(trs.StepSpecs), fp.Child("stepSpecs"))...)
		errs = append(errs, validateOverrideNames(sidecarSpecNames(trs.SidecarSpecs), fp.Child("sidecarSpecs"))...)
		if trs.Timeout != nil && trs.Timeout.Duration < 0 {
			errs = append(errs, field.Invalid(fp.Child("timeout"), trs.Timeout.Duration.String(), "must be >= 0"))
		}
	}
	return errs
}

// validateTimeouts checks each timeout is >= 0 and, when the pipeline has a
// timeout (> 0), that tasks and finally fit inside it.
func validateTimeouts(t *tekton.TimeoutFields, path *field.Path) field.ErrorList {
	if t == nil {
		return nil
	}
	var errs field.ErrorList
	for _, f := range []struct {
		name string
		d    *metav1.Duration
	}{
		{"pipeline", t.Pipeline}, {"tasks", t.Tasks}, {"finally", t.Finally},
	} {
		if f.d != nil && f.d.Duration < 0 {
			errs = append(errs, field.Invalid(path.Child(f.name), f.d.Duration.String(), "must be >= 0"))
		}
	}
	if len(errs) > 0 || t.Pipeline == nil || t.Pipeline.Duration == 0 {
		return errs
	}
	pipeline := t.Pipeline.Duration
	switch {
	case t.Tasks != nil && t.Tasks.Duration > pipeline:
		errs = append(errs, field.Invalid(path.Child("tasks"), t.Tasks.Duration.String(),
			"must be <= the pipeline timeout "+pipeline.String()))
	case t.Finally != nil && t.Finally.Duration > pipeline:
		errs = append(errs, field.Invalid(path.Child("finally"), t.Finally.Duration.String(),
			"must be <= the pipeline timeout "+pipeline.String()))
	case t.Tasks != nil && t.Finally != nil && t.Tasks.Duration+t.Finally.Duration > pipeline:
		errs = append(errs, field.Invalid(path, (t.Tasks.Duration+t.Finally.Duration).String(),
			"tasks + finally must be <= the pipeline timeout "+pipeline.String()))
	}
	return errs
}
