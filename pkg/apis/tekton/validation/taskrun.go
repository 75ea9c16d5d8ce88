package validation

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/equality"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/sets"
	utilvalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/tekton"
)

// ValidateTaskRun validates a TaskRun on create, and as part of update.
func ValidateTaskRun(tr *tekton.TaskRun) field.ErrorList {
	errs := validateObjectMeta(&tr.ObjectMeta)
	errs = append(errs, validateTaskRunSpec(&tr.Spec, specPath)...)
	return errs
}

// ValidateTaskRunUpdate validates an updated TaskRun against its previous
// version. Once the TaskRun has started its spec is frozen, except for
// spec.status and spec.statusMessage, which cancel it. spec.managedBy never
// changes.
func ValidateTaskRunUpdate(tr, old *tekton.TaskRun) field.ErrorList {
	errs := ValidateTaskRun(tr)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&tr.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	if !equality.Semantic.DeepEqual(tr.Spec.ManagedBy, old.Spec.ManagedBy) {
		errs = append(errs, field.Invalid(specPath.Child("managedBy"), tr.Spec.ManagedBy, "field is immutable"))
	}
	if taskRunStarted(old) {
		a, b := tr.Spec.DeepCopy(), old.Spec.DeepCopy()
		a.Status, a.StatusMessage, b.Status, b.StatusMessage = "", "", "", ""
		if !equality.Semantic.DeepEqual(a, b) {
			errs = append(errs, field.Forbidden(specPath,
				"once the TaskRun has started, only status and statusMessage updates are allowed"))
		}
	}
	return errs
}

func taskRunStarted(tr *tekton.TaskRun) bool {
	if tr.Status.StartTime != nil && !tr.Status.StartTime.IsZero() {
		return true
	}
	return tr.Status.GetCondition(duckv1.ConditionSucceeded) != nil
}

func validateTaskRunSpec(ts *tekton.TaskRunSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch {
	case ts.TaskRef != nil && ts.TaskSpec != nil:
		errs = append(errs, field.Invalid(path.Child("taskRef"), "taskRef and taskSpec", "expected exactly one of taskRef or taskSpec, got both"))
	case ts.TaskRef == nil && ts.TaskSpec == nil:
		errs = append(errs, field.Required(path.Child("taskRef"), "expected exactly one of taskRef or taskSpec, got neither"))
	case ts.TaskRef != nil:
		errs = append(errs, validateTaskRef(ts.TaskRef, path.Child("taskRef"))...)
	default:
		errs = append(errs, validateTaskSpec(ts.TaskSpec, path.Child("taskSpec"))...)
	}
	errs = append(errs, validateParams(ts.Params, path.Child("params"))...)
	if ts.Timeout != nil && ts.Timeout.Duration < 0 {
		errs = append(errs, field.Invalid(path.Child("timeout"), ts.Timeout.Duration.String(), "must be >= 0"))
	}
	if ts.Retries < 0 {
		errs = append(errs, field.Invalid(path.Child("retries"), ts.Retries, "must be >= 0"))
	}
	if ts.Status != "" && ts.Status != tekton.TaskRunSpecStatusCancelled {
		errs = append(errs, field.NotSupported(path.Child("status"), ts.Status, []string{tekton.TaskRunSpecStatusCancelled}))
	}
	errs = append(errs, validateWorkspaceBindings(ts.Workspaces, path.Child("workspaces"))...)
	errs = append(errs, validateOverrideNames(stepSpecNames(ts.StepSpecs), path.Child("stepSpecs"))...)
	errs = append(errs, validateOverrideNames(sidecarSpecNames(ts.SidecarSpecs), path.Child("sidecarSpecs"))...)
	return errs
}

// validateTaskRef checks a reference: a name, or a resolver (with its
// params) and no name.
func validateTaskRef(ref *tekton.TaskRef, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch {
	case ref.Resolver != "":
		if ref.Name != "" {
			errs = append(errs, field.Invalid(path.Child("name"), ref.Name, "name cannot be used with resolver"))
		}
		errs = append(errs, validateParams(ref.Params, path.Child("params"))...)
	case len(ref.Params) > 0:
		errs = append(errs, field.Required(path.Child("resolver"), "params require a resolver"))
	case ref.Name == "":
		errs = append(errs, field.Required(path.Child("name"), "a taskRef needs a name or a resolver"))
	default:
		for _, msg := range utilvalidation.IsQualifiedName(ref.Name) {
			errs = append(errs, field.Invalid(path.Child("name"), ref.Name, msg))
		}
	}
	return errs
}

// validateParams checks that param values have unique names and a value.
func validateParams(ps tekton.Params, path *field.Path) field.ErrorList {
	errs := requireValues(ps, path)
	seen := sets.New[string]()
	for i, p := range ps {
		if p.Name == "" {
			errs = append(errs, field.Required(path.Index(i).Child("name"), ""))
		} else if seen.Has(p.Name) {
			errs = append(errs, field.Duplicate(path.Index(i).Child("name"), p.Name))
		}
		seen.Insert(p.Name)
	}
	return errs
}

// requireValues refuses params written without a value. Tekton cannot
// encode such a param (its webhook fails on it), and knap would store it as
// the empty string: the object read back would not be the one validated,
// and re-applying it would change its spec.
func requireValues(ps tekton.Params, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range ps {
		if ps[i].Value.Type == "" {
			errs = append(errs, field.Required(path.Index(i).Child("value"), "a param needs a string, array or object value"))
		}
	}
	return errs
}

// validateWorkspaceBindings checks that bindings have unique names and
// exactly one volume source each.
func validateWorkspaceBindings(ws []tekton.WorkspaceBinding, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := sets.New[string]()
	for i := range ws {
		w := &ws[i]
		fp := path.Index(i)
		if w.Name == "" {
			errs = append(errs, field.Required(fp.Child("name"), ""))
		} else if seen.Has(w.Name) {
			errs = append(errs, field.Duplicate(fp.Child("name"), w.Name))
		}
		seen.Insert(w.Name)

		var sources []string
		if w.EmptyDir != nil {
			sources = append(sources, "emptyDir")
		}
		if w.PersistentVolumeClaim != nil {
			sources = append(sources, "persistentVolumeClaim")
			if w.PersistentVolumeClaim.ClaimName == "" {
				errs = append(errs, field.Required(fp.Child("persistentVolumeClaim", "claimName"), ""))
			}
		}
		if w.VolumeClaimTemplate != nil {
			sources = append(sources, "volumeClaimTemplate")
		}
		if w.ConfigMap != nil {
			sources = append(sources, "configMap")
			if w.ConfigMap.Name == "" {
				errs = append(errs, field.Required(fp.Child("configMap", "name"), ""))
			}
		}
		if w.Secret != nil {
			sources = append(sources, "secret")
			if w.Secret.SecretName == "" {
				errs = append(errs, field.Required(fp.Child("secret", "secretName"), ""))
			}
		}
		if w.Projected != nil {
			sources = append(sources, "projected")
			if len(w.Projected.Sources) == 0 {
				errs = append(errs, field.Required(fp.Child("projected", "sources"), ""))
			}
		}
		if w.CSI != nil {
			sources = append(sources, "csi")
			if w.CSI.Driver == "" {
				errs = append(errs, field.Required(fp.Child("csi", "driver"), ""))
			}
		}
		switch len(sources) {
		case 0:
			errs = append(errs, field.Required(fp, "expected exactly one volume source (emptyDir, persistentVolumeClaim, volumeClaimTemplate, configMap, secret, projected, csi), got neither"))
		case 1:
		default:
			errs = append(errs, field.Invalid(fp, sources, fmt.Sprintf("expected exactly one volume source, got %d", len(sources))))
		}
	}
	return errs
}

func stepSpecNames(ss []tekton.TaskRunStepSpec) []string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.Name
	}
	return names
}

func sidecarSpecNames(ss []tekton.TaskRunSidecarSpec) []string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.Name
	}
	return names
}

// validateOverrideNames checks stepSpecs / sidecarSpecs name what they
// override, once each.
func validateOverrideNames(names []string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := sets.New[string]()
	for i, n := range names {
		if n == "" {
			errs = append(errs, field.Required(path.Index(i).Child("name"), ""))
		} else if seen.Has(n) {
			errs = append(errs, field.Duplicate(path.Index(i).Child("name"), n))
		}
		seen.Insert(n)
	}
	return errs
}
