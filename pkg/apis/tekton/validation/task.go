// Package validation checks tekton.dev objects with the outcomes of Tekton
// Pipelines' admission webhook under its default configuration
// (config-defaults and feature-flags as shipped). Callers pass internal
// objects that defaulting has already completed.
package validation

import (
	"fmt"
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/sets"
	utilvalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/tekton"
)

var (
	metadataPath = field.NewPath("metadata")
	specPath     = field.NewPath("spec")

	// paramNameRegex is upstream's rule for param names and object keys.
	paramNameRegex = regexp.MustCompile(`^[_a-zA-Z][_a-zA-Z0-9.-]*$`)
	// resultNameRegex is upstream's ResultNameFormat.
	resultNameRegex = regexp.MustCompile(`^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`)

	paramTypes       = []string{string(tekton.ParamTypeString), string(tekton.ParamTypeArray), string(tekton.ParamTypeObject)}
	onErrorTypes     = []string{string(tekton.Continue), string(tekton.StopAndFail)}
	workspaceSuffixs = sets.New(".path", ".bound", ".claim", ".volume")
)

// ValidateTask validates a Task on create, and as part of update.
func ValidateTask(t *tekton.Task) field.ErrorList {
	errs := validateObjectMeta(&t.ObjectMeta)
	errs = append(errs, validateTaskSpec(&t.Spec, specPath)...)
	return errs
}

// ValidateTaskUpdate validates an updated Task against its previous version.
// A Task's spec may change freely.
func ValidateTaskUpdate(t, old *tekton.Task) field.ErrorList {
	errs := ValidateTask(t)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&t.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	return errs
}

// validateObjectMeta checks metadata as Tekton's validate.ObjectMetadata: a
// DNS-1123 subdomain name without dots and at most 63 characters.
func validateObjectMeta(meta *metav1.ObjectMeta) field.ErrorList {
	errs := apivalidation.ValidateObjectMeta(meta, true, apivalidation.NameIsDNSSubdomain, metadataPath)
	if meta.Name != "" {
		if strings.Contains(meta.Name, ".") {
			errs = append(errs, field.Invalid(metadataPath.Child("name"), meta.Name, "special character . must not be present"))
		}
		if len(meta.Name) > 63 {
			errs = append(errs, field.TooLong(metadataPath.Child("name"), meta.Name, 63))
		}
	}
	return errs
}

// validateTaskSpec validates a Task spec at path (spec, spec.taskSpec,
// spec.tasks[i].taskSpec, ...).
func validateTaskSpec(ts *tekton.TaskSpec, path *field.Path) field.ErrorList {
	return validateTaskSpecPropagated(ts, path, false)
}

// validateTaskSpecPropagated validates a Task spec; with propagated set (a
// Task embedded in a PipelineRun's pipelineSpec) its steps may reference
// params and workspaces it does not declare, propagated from the run.
func validateTaskSpecPropagated(ts *tekton.TaskSpec, path *field.Path, propagated bool) field.ErrorList {
	var errs field.ErrorList
	if len(ts.Steps) == 0 {
		errs = append(errs, field.Required(path.Child("steps"), "a Task needs at least one step"))
	}
	errs = append(errs, validateParamSpecs(ts.Params, path.Child("params"))...)
	errs = append(errs, validateTaskResults(ts.Results, path.Child("results"))...)
	errs = append(errs, validateWorkspaceDeclarations(ts.Workspaces, path.Child("workspaces"))...)
	errs = append(errs, validateVolumes(ts.Volumes, path.Child("volumes"))...)

	declared := declaredVars{
		params:     map[string]*tekton.ParamSpec{},
		workspaces: sets.New[string](),
		results:    sets.New[string](),
		propagated: propagated,
	}
	for i := range ts.Params {
		declared.params[ts.Params[i].Name] = &ts.Params[i]
	}
	for _, w := range ts.Workspaces {
		declared.workspaces.Insert(w.Name)
	}
	for _, r := range ts.Results {
		declared.results.Insert(r.Name)
	}

	stepNames := sets.New[string]()
	for i := range ts.Steps {
		s := &ts.Steps[i]
		p := path.Child("steps").Index(i)
		if s.Name != "" {
			if stepNames.Has(s.Name) {
				errs = append(errs, field.Duplicate(p.Child("name"), s.Name))
			}
			stepNames.Insert(s.Name)
		}
		errs = append(errs, validateStep(s, declared, p)...)
	}

	sidecarNames := sets.New[string]()
	for i := range ts.Sidecars {
		sc := &ts.Sidecars[i]
		p := path.Child("sidecars").Index(i)
		if sc.Name != "" {
			for _, msg := range utilvalidation.IsDNS1123Label(sc.Name) {
				errs = append(errs, field.Invalid(p.Child("name"), sc.Name, msg))
			}
			if sidecarNames.Has(sc.Name) {
				errs = append(errs, field.Duplicate(p.Child("name"), sc.Name))
			}
			sidecarNames.Insert(sc.Name)
		}
		if sc.Image == "" {
			errs = append(errs, field.Required(p.Child("image"), "a sidecar needs an image"))
		}
		if sc.Script != "" && len(sc.Command) > 0 {
			errs = append(errs, field.Invalid(p.Child("script"), sc.Script, "script cannot be used with command"))
		}
		errs = append(errs, declared.containerRefs(sc.Image, sc.Command, sc.Args, sc.Script, sc.WorkingDir, sc.Env, p)...)
		errs = append(errs, validateWorkspaceUsages(sc.Workspaces, declared.workspaces, p.Child("workspaces"))...)
	}
	if st := ts.StepTemplate; st != nil {
		errs = append(errs, declared.containerRefs(st.Image, st.Command, st.Args, "", st.WorkingDir, st.Env, path.Child("stepTemplate"))...)
	}
	return errs
}

func validateStep(s *tekton.Step, declared declaredVars, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if s.Name != "" {
		for _, msg := range utilvalidation.IsDNS1123Label(s.Name) {
			errs = append(errs, field.Invalid(p.Child("name"), s.Name, msg))
		}
	}
	if s.Ref != nil {
		// A StepAction supplies the container; the step may not define one.
		for _, f := range []struct {
			name string
			set  bool
		}{
			{"image", s.Image != ""}, {"command", len(s.Command) > 0}, {"args", len(s.Args) > 0},
			{"script", s.Script != ""}, {"env", len(s.Env) > 0}, {"volumeMounts", len(s.VolumeMounts) > 0},
			{"workingDir", s.WorkingDir != ""},
		} {
			if f.set {
				errs = append(errs, field.Forbidden(p.Child(f.name), "cannot be combined with ref"))
			}
		}
		if s.Ref.Name == "" && s.Ref.Resolver == "" {
			errs = append(errs, field.Required(p.Child("ref", "name"), "a step ref needs a name or a resolver"))
		}
		errs = append(errs, requireValues(s.Ref.Params, p.Child("ref", "params"))...)
	} else if s.Image == "" {
		errs = append(errs, field.Required(p.Child("image"), "a step needs an image"))
	}
	errs = append(errs, requireValues(s.Params, p.Child("params"))...)
	if s.Script != "" && len(s.Command) > 0 {
		errs = append(errs, field.Invalid(p.Child("script"), "<script>", "script cannot be used with command"))
	}
	if s.OnError != "" && s.OnError != tekton.Continue && s.OnError != tekton.StopAndFail {
		errs = append(errs, field.NotSupported(p.Child("onError"), s.OnError, onErrorTypes))
	}
	for i, vm := range s.VolumeMounts {
		if strings.HasPrefix(vm.MountPath, "/tekton/") && !strings.HasPrefix(vm.MountPath, "/tekton/home") {
			errs = append(errs, field.Invalid(p.Child("volumeMounts").Index(i).Child("mountPath"), vm.MountPath,
				fmt.Sprintf("volumeMount %q cannot be mounted under /tekton/", vm.Name)))
		}
		if strings.HasPrefix(vm.Name, "tekton-internal-") {
			errs = append(errs, field.Invalid(p.Child("volumeMounts").Index(i).Child("name"), vm.Name,
				"volumeMount name cannot start with tekton-internal-"))
		}
	}
	if s.Timeout != nil && s.Timeout.Duration < 0 {
		errs = append(errs, field.Invalid(p.Child("timeout"), s.Timeout.Duration.String(), "must be >= 0"))
	}
	errs = append(errs, declared.containerRefs(s.Image, s.Command, s.Args, s.Script, s.WorkingDir, s.Env, p)...)
	errs = append(errs, validateWorkspaceUsages(s.Workspaces, declared.workspaces, p.Child("workspaces"))...)
	return errs
}

func validateWorkspaceUsages(ws []tekton.WorkspaceUsage, declared sets.Set[string], p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, w := range ws {
		if !declared.Has(w.Name) {
			errs = append(errs, field.NotFound(p.Index(i).Child("name"), w.Name))
		}
	}
	return errs
}

// validateParamSpecs checks param declarations: names valid and unique,
// types known, defaults of the declared type, enums consistent.
func validateParamSpecs(ps tekton.ParamSpecs, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := sets.New[string]()
	for i := range ps {
		p := &ps[i]
		fp := path.Index(i)
		switch {
		case p.Name == "":
			errs = append(errs, field.Required(fp.Child("name"), ""))
		case !paramNameRegex.MatchString(p.Name):
			errs = append(errs, field.Invalid(fp.Child("name"), p.Name,
				"must consist only of alphanumeric characters, '-', '_' or '.', and begin with a letter or '_'"))
		case seen.Has(p.Name):
			errs = append(errs, field.Duplicate(fp.Child("name"), p.Name))
		}
		seen.Insert(p.Name)

		switch p.Type {
		case tekton.ParamTypeString, tekton.ParamTypeArray, tekton.ParamTypeObject:
		default:
			errs = append(errs, field.NotSupported(fp.Child("type"), p.Type, paramTypes))
			continue
		}
		if p.Default != nil {
			if dt := valueType(p.Default); dt != p.Type {
				errs = append(errs, field.Invalid(fp.Child("default"), dt,
					fmt.Sprintf("%q type does not match default value's type: %q", p.Type, dt)))
			}
		}
		if p.Type == tekton.ParamTypeObject {
			if len(p.Properties) == 0 {
				errs = append(errs, field.Required(fp.Child("properties"), "an object param must declare its properties"))
			}
			for k := range p.Properties {
				if !paramNameRegex.MatchString(k) {
					errs = append(errs, field.Invalid(fp.Child("properties").Key(k), k, "invalid key name"))
				}
			}
			if p.Default != nil && p.Default.Type == tekton.ParamTypeObject {
				for k := range p.Properties {
					if _, ok := p.Default.ObjectVal[k]; !ok {
						errs = append(errs, field.Required(fp.Child("default").Key(k), "the default must provide every declared property"))
					}
				}
			}
		}
		if len(p.Enum) > 0 {
			if p.Type != tekton.ParamTypeString {
				errs = append(errs, field.Invalid(fp.Child("enum"), p.Enum, "enum can only be set with string type param"))
			}
			vals := sets.New[string]()
			for j, v := range p.Enum {
				if vals.Has(v) {
					errs = append(errs, field.Duplicate(fp.Child("enum").Index(j), v))
				}
				vals.Insert(v)
			}
			if p.Default != nil && p.Default.Type == tekton.ParamTypeString && !vals.Has(p.Default.StringVal) {
				errs = append(errs, field.NotSupported(fp.Child("default"), p.Default.StringVal, p.Enum))
			}
		}
	}
	return errs
}

func valueType(v *tekton.ParamValue) tekton.ParamType {
	switch {
	case v.Type != "":
		return v.Type
	case v.ArrayVal != nil:
		return tekton.ParamTypeArray
	case v.ObjectVal != nil:
		return tekton.ParamTypeObject
	default:
		return tekton.ParamTypeString
	}
}

// validateResultNameAndType checks a Task or Pipeline result's name (valid,
// not in seen, which it joins) and type.
func validateResultNameAndType(name string, typ tekton.ResultsType, seen sets.Set[string], fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch {
	case !resultNameRegex.MatchString(name):
		errs = append(errs, field.Invalid(fp.Child("name"), name,
			"must consist of alphanumeric characters, '-', '_' or '.', and start and end with an alphanumeric character"))
	case seen.Has(name):
		errs = append(errs, field.Duplicate(fp.Child("name"), name))
	}
	seen.Insert(name)
	switch typ {
	case "", tekton.ResultsTypeString, tekton.ResultsTypeArray, tekton.ResultsTypeObject:
	default:
		errs = append(errs, field.NotSupported(fp.Child("type"), typ, resultTypes))
	}
	return errs
}

func validateTaskResults(rs []tekton.TaskResult, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := sets.New[string]()
	for i, r := range rs {
		fp := path.Index(i)
		errs = append(errs, validateResultNameAndType(r.Name, r.Type, seen, fp)...)
		if r.Type == tekton.ResultsTypeObject && len(r.Properties) == 0 {
			errs = append(errs, field.Required(fp.Child("properties"), "an object result must declare its properties"))
		}
	}
	return errs
}

func validateWorkspaceDeclarations(ws []tekton.WorkspaceDeclaration, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	names, mounts := sets.New[string](), sets.New[string]()
	for i, w := range ws {
		fp := path.Index(i)
		if w.Name == "" {
			errs = append(errs, field.Required(fp.Child("name"), ""))
		} else if names.Has(w.Name) {
			errs = append(errs, field.Duplicate(fp.Child("name"), w.Name))
		}
		names.Insert(w.Name)
		if w.MountPath != "" {
			if mounts.Has(w.MountPath) {
				errs = append(errs, field.Duplicate(fp.Child("mountPath"), w.MountPath))
			}
			mounts.Insert(w.MountPath)
		}
	}
	return errs
}

func validateVolumes(vs []corev1.Volume, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	names := sets.New[string]()
	for i, v := range vs {
		if names.Has(v.Name) {
			errs = append(errs, field.Duplicate(path.Index(i).Child("name"), v.Name))
		}
		names.Insert(v.Name)
	}
	return errs
}

// declaredVars is what a Task declares for its steps to reference.
type declaredVars struct {
	params     map[string]*tekton.ParamSpec
	workspaces sets.Set[string]
	results    sets.Set[string]
	// propagated allows references to undeclared params and workspaces.
	propagated bool
}

// containerRefs checks the variable references in a step, sidecar or step
// template, each error naming the field it was found in.
func (d declaredVars) containerRefs(image string, command, args []string, script, workingDir string, env []corev1.EnvVar, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, d.check(image, p.Child("image"), false)...)
	for i, c := range command {
		errs = append(errs, d.check(c, p.Child("command").Index(i), true)...)
	}
	for i, a := range args {
		errs = append(errs, d.check(a, p.Child("args").Index(i), true)...)
	}
	errs = append(errs, d.check(script, p.Child("script"), false)...)
	errs = append(errs, d.check(workingDir, p.Child("workingDir"), false)...)
	for i, e := range env {
		errs = append(errs, d.check(e.Value, p.Child("env").Index(i).Child("value"), false)...)
	}
	return errs
}

// check validates the references in s. listItem is true for an item of
// command or args, the only place a whole array or object may be expanded,
// and then only when the reference is the whole item.
func (d declaredVars) check(s string, p *field.Path, listItem bool) field.ErrorList {
	var errs field.ErrorList
	for _, r := range varRefs(s) {
		switch r.Prefix {
		case "params":
			spec, ok := d.params[r.Name]
			if !ok {
				if _, dotted := d.params[r.Name+r.Suffix]; dotted && strings.HasPrefix(r.Suffix, ".") {
					// A string param whose name has dots, referenced with the dot syntax.
					continue
				}
				if d.propagated {
					continue
				}
				errs = append(errs, field.Invalid(p, s, fmt.Sprintf("non-existent variable in %q: param %q is not declared", r.Expr, r.Name)))
				continue
			}
			errs = append(errs, checkParamUse(spec, r, s, p, listItem)...)
		case "workspaces":
			if !d.workspaces.Has(r.Name) {
				if d.propagated {
					continue
				}
				errs = append(errs, field.Invalid(p, s, fmt.Sprintf("non-existent variable in %q: workspace %q is not declared", r.Expr, r.Name)))
			} else if !workspaceSuffixs.Has(r.Suffix) {
				errs = append(errs, field.Invalid(p, s, fmt.Sprintf("invalid variable %q: a workspace has only path, bound, claim and volume", r.Expr)))
			}
		case "results":
			if !d.results.Has(r.Name) {
				errs = append(errs, field.Invalid(p, s, fmt.Sprintf("non-existent variable in %q: result %q is not declared", r.Expr, r.Name)))
			} else if r.Suffix != ".path" {
				errs = append(errs, field.Invalid(p, s, fmt.Sprintf("invalid variable %q: a result has only path", r.Expr)))
			}
		}
	}
	return errs
}

func checkParamUse(spec *tekton.ParamSpec, r varRef, s string, p *field.Path, listItem bool) field.ErrorList {
	whole := listItem && strings.TrimSpace(s) == r.Expr
	switch spec.Type {
	case tekton.ParamTypeString:
		if r.Suffix != "" {
			return field.ErrorList{field.Invalid(p, s, fmt.Sprintf("invalid variable %q: string param %q has no elements or keys", r.Expr, r.Name))}
		}
	case tekton.ParamTypeArray:
		switch {
		case r.Suffix == "[*]":
			if !whole {
				return field.ErrorList{field.Invalid(p, s, fmt.Sprintf("variable type invalid in %q: array param %q can be expanded only as a whole command or args item", r.Expr, r.Name))}
			}
		case isIndex(r.Suffix):
		default:
			return field.ErrorList{field.Invalid(p, s, fmt.Sprintf("variable type invalid in %q: array param %q must be referenced as [*] or by index", r.Expr, r.Name))}
		}
	case tekton.ParamTypeObject:
		switch {
		case r.Suffix == "[*]":
			if !whole {
				return field.ErrorList{field.Invalid(p, s, fmt.Sprintf("variable type invalid in %q: object param %q can be expanded only as a whole command or args item", r.Expr, r.Name))}
			}
		case strings.HasPrefix(r.Suffix, "."):
			if key := r.Suffix[1:]; spec.Properties != nil {
				if _, ok := spec.Properties[key]; !ok {
					return field.ErrorList{field.Invalid(p, s, fmt.Sprintf("non-existent variable in %q: object param %q has no key %q", r.Expr, r.Name, key))}
				}
			}
		default:
			return field.ErrorList{field.Invalid(p, s, fmt.Sprintf("variable type invalid in %q: object param %q must be referenced by key or as [*]", r.Expr, r.Name))}
		}
	}
	return nil
}

// isIndex reports whether suffix is "[N]".
func isIndex(suffix string) bool {
	if len(suffix) < 3 || suffix[0] != '[' || suffix[len(suffix)-1] != ']' {
		return false
	}
	for _, c := range suffix[1 : len(suffix)-1] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
