package validation

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/equality"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/apimachinery/pkg/util/sets"
	utilvalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/tekton"
)

var (
	whenOperators        = []string{string(selection.In), string(selection.NotIn)}
	pipelineOnErrorTypes = []string{string(tekton.PipelineTaskContinue), string(tekton.PipelineTaskStopAndFail)}
	resultTypes          = []string{string(tekton.ResultsTypeString), string(tekton.ResultsTypeArray), string(tekton.ResultsTypeObject)}
)

// ValidatePipeline validates a Pipeline on create, and as part of update.
func ValidatePipeline(p *tekton.Pipeline) field.ErrorList {
	errs := validateObjectMeta(&p.ObjectMeta)
	errs = append(errs, validatePipelineSpec(&p.Spec, specPath, false)...)
	return errs
}

// ValidatePipelineUpdate validates an updated Pipeline against its previous
// version. A Pipeline's spec may change freely.
func ValidatePipelineUpdate(p, old *tekton.Pipeline) field.ErrorList {
	errs := ValidatePipeline(p)
	errs = append(errs, apivalidation.ValidateObjectMetaUpdate(&p.ObjectMeta, &old.ObjectMeta, metadataPath)...)
	return errs
}

// pipelineScope is what a Pipeline declares for its tasks to reference.
type pipelineScope struct {
	params     map[string]*tekton.ParamSpec
	workspaces sets.Set[string]
	tasks      sets.Set[string] // names under spec.tasks
	finally    sets.Set[string] // names under spec.finally
	// propagated is set for a PipelineRun's pipelineSpec: params and
	// workspaces may be propagated from the run, so references to
	// undeclared ones are not errors.
	propagated bool
}

// validatePipelineSpec validates a Pipeline spec at path. With propagated
// set (spec.pipelineSpec of a PipelineRun), params and workspaces used by
// tasks need not be declared, as upstream's PipelineSpec.Validate; a
// Pipeline's own spec must declare them (upstream's Pipeline.Validate).
func validatePipelineSpec(ps *tekton.PipelineSpec, path *field.Path, propagated bool) field.ErrorList {
	var errs field.ErrorList
	if equality.Semantic.DeepEqual(ps, &tekton.PipelineSpec{}) {
		errs = append(errs, field.Required(path.Child("tasks"), "expected at least one, got none"))
	}
	if len(ps.Tasks) == 0 && len(ps.Finally) > 0 {
		errs = append(errs, field.Invalid(path.Child("finally"), len(ps.Finally), "spec.tasks is empty but spec.finally has tasks"))
	}
	errs = append(errs, validateParamSpecs(ps.Params, path.Child("params"))...)

	scope := pipelineScope{
		params:     map[string]*tekton.ParamSpec{},
		workspaces: sets.New[string](),
		tasks:      sets.New[string](),
		finally:    sets.New[string](),
		propagated: propagated,
	}
	for i := range ps.Params {
		scope.params[ps.Params[i].Name] = &ps.Params[i]
	}
	for i, w := range ps.Workspaces {
		fp := path.Child("workspaces").Index(i).Child("name")
		switch {
		case w.Name == "":
			errs = append(errs, field.Required(fp, ""))
		case scope.workspaces.Has(w.Name):
			errs = append(errs, field.Duplicate(fp, w.Name))
		}
		scope.workspaces.Insert(w.Name)
	}
	for _, pt := range ps.Tasks {
		scope.tasks.Insert(pt.Name)
	}
	for _, pt := range ps.Finally {
		scope.finally.Insert(pt.Name)
	}

	names := sets.New[string]()
	for i := range ps.Tasks {
		errs = append(errs, scope.validatePipelineTask(&ps.Tasks[i], names, false, path.Child("tasks").Index(i))...)
	}
	for i := range ps.Finally {
		errs = append(errs, scope.validatePipelineTask(&ps.Finally[i], names, true, path.Child("finally").Index(i))...)
	}
	if cycle := findCycle(ps.Tasks, scope.tasks); cycle != nil {
		errs = append(errs, field.Invalid(path.Child("tasks"), strings.Join(cycle, " -> "),
			fmt.Sprintf("cycle detected: %s", strings.Join(cycle, " -> "))))
	}
	errs = append(errs, scope.validatePipelineResults(ps.Results, path.Child("results"))...)
	return errs
}

func (s pipelineScope) validatePipelineTask(pt *tekton.PipelineTask, names sets.Set[string], finally bool, fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range utilvalidation.IsDNS1123Label(pt.Name) {
		errs = append(errs, field.Invalid(fp.Child("name"), pt.Name, "Pipeline Task name must be a valid DNS Label: "+msg))
	}
	if pt.Name != "" && names.Has(pt.Name) {
		errs = append(errs, field.Duplicate(fp.Child("name"), pt.Name))
	}
	names.Insert(pt.Name)

	// Pipelines in Pipelines are an alpha feature, off by default.
	if pt.PipelineRef != nil {
		errs = append(errs, field.Forbidden(fp.Child("pipelineRef"), "pipelines in pipelines require enable-api-fields: alpha"))
	}
	if pt.PipelineSpec != nil {
		errs = append(errs, field.Forbidden(fp.Child("pipelineSpec"), "pipelines in pipelines require enable-api-fields: alpha"))
	}
	switch {
	case pt.TaskRef != nil && pt.TaskSpec != nil:
		errs = append(errs, field.Invalid(fp.Child("taskRef"), "taskRef and taskSpec", "expected exactly one of taskRef or taskSpec, got both"))
	case pt.TaskRef != nil:
		errs = append(errs, validateTaskRef(pt.TaskRef, fp.Child("taskRef"))...)
	case pt.TaskSpec != nil:
		errs = append(errs, validateEmbeddedTask(pt.TaskSpec, s.propagated, fp.Child("taskSpec"))...)
	case pt.PipelineRef == nil && pt.PipelineSpec == nil:
		errs = append(errs, field.Required(fp.Child("taskRef"), "expected exactly one of taskRef or taskSpec, got neither"))
	}

	errs = append(errs, validateParams(pt.Params, fp.Child("params"))...)
	for j := range pt.Params {
		errs = append(errs, s.checkValueRefs(&pt.Params[j].Value, pt.Name, finally, fp.Child("params").Index(j).Child("value"))...)
	}
	if pt.Matrix != nil {
		errs = append(errs, requireValues(pt.Matrix.Params, fp.Child("matrix", "params"))...)
		for j := range pt.Matrix.Params {
			errs = append(errs, s.checkValueRefs(&pt.Matrix.Params[j].Value, pt.Name, finally, fp.Child("matrix", "params").Index(j).Child("value"))...)
		}
		for j := range pt.Matrix.Include {
			errs = append(errs, requireValues(pt.Matrix.Include[j].Params, fp.Child("matrix", "include").Index(j).Child("params"))...)
		}
	}
	for k := range pt.When {
		errs = append(errs, s.validateWhen(&pt.When[k], pt.Name, finally, fp.Child("when").Index(k))...)
	}

	if finally {
		if len(pt.RunAfter) > 0 {
			errs = append(errs, field.Forbidden(fp.Child("runAfter"), "finally tasks cannot use runAfter"))
		}
	} else {
		for k, target := range pt.RunAfter {
			switch {
			case target == pt.Name:
				errs = append(errs, field.Invalid(fp.Child("runAfter").Index(k), target, "a task cannot run after itself"))
			case !s.tasks.Has(target):
				errs = append(errs, field.Invalid(fp.Child("runAfter").Index(k), target, fmt.Sprintf("runAfter names %q, which is not a pipeline task", target)))
			}
		}
	}
	if pt.Retries < 0 {
		errs = append(errs, field.Invalid(fp.Child("retries"), pt.Retries, "must be >= 0"))
	}
	if pt.Timeout != nil && pt.Timeout.Duration < 0 {
		errs = append(errs, field.Invalid(fp.Child("timeout"), pt.Timeout.Duration.String(), "must be >= 0"))
	}
	switch pt.OnError {
	case "", tekton.PipelineTaskStopAndFail:
	case tekton.PipelineTaskContinue:
		if pt.Retries > 0 {
			errs = append(errs, field.Invalid(fp.Child("onError"), pt.OnError, "onError cannot be continue when retries is greater than 0"))
		}
	default:
		errs = append(errs, field.NotSupported(fp.Child("onError"), pt.OnError, pipelineOnErrorTypes))
	}

	bindings := sets.New[string]()
	for k, w := range pt.Workspaces {
		wp := fp.Child("workspaces").Index(k)
		if bindings.Has(w.Name) {
			errs = append(errs, field.Duplicate(wp.Child("name"), w.Name))
		}
		bindings.Insert(w.Name)
		if s.propagated {
			continue
		}
		if w.Workspace == "" {
			if !s.workspaces.Has(w.Name) {
				errs = append(errs, field.Invalid(wp.Child("name"), w.Name,
					fmt.Sprintf("pipeline task %q expects workspace with name %q but none exists in pipeline spec", pt.Name, w.Name)))
			}
		} else if !s.workspaces.Has(w.Workspace) {
			errs = append(errs, field.Invalid(wp.Child("workspace"), w.Workspace,
				fmt.Sprintf("pipeline task %q expects workspace with name %q but none exists in pipeline spec", pt.Name, w.Workspace)))
		}
	}
	return errs
}

// validateEmbeddedTask checks a pipeline task's taskSpec: a custom task spec
// (apiVersion and kind) or a Task spec.
func validateEmbeddedTask(et *tekton.EmbeddedTask, propagated bool, path *field.Path) field.ErrorList {
	custom := et.APIVersion != "" || (et.Kind != "" && et.Kind != string(tekton.NamespacedTaskKind))
	if !custom {
		return validateTaskSpecPropagated(&et.TaskSpec, path, propagated)
	}
	var errs field.ErrorList
	if len(et.Steps) > 0 {
		if et.APIVersion != "" {
			errs = append(errs, field.Invalid(path.Child("apiVersion"), et.APIVersion, "taskSpec.apiVersion cannot be specified when using taskSpec.steps"))
		}
		if et.Kind != "" {
			errs = append(errs, field.Invalid(path.Child("kind"), et.Kind, "taskSpec.kind cannot be specified when using taskSpec.steps"))
		}
		return errs
	}
	if et.APIVersion == "" {
		errs = append(errs, field.Required(path.Child("apiVersion"), "custom task spec must specify apiVersion"))
	}
	if et.Kind == "" {
		errs = append(errs, field.Required(path.Child("kind"), "custom task spec must specify kind"))
	}
	return errs
}

func (s pipelineScope) validateWhen(w *tekton.WhenExpression, task string, finally bool, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if w.CEL != "" {
		if w.Input != "" || w.Operator != "" || len(w.Values) > 0 {
			errs = append(errs, field.Invalid(p.Child("cel"), w.CEL, "cel cannot be combined with input, operator or values"))
		}
		return append(errs, s.checkRefs(w.CEL, task, finally, p.Child("cel"))...)
	}
	if w.Input == "" {
		errs = append(errs, field.Required(p.Child("input"), "a when expression needs an input or cel"))
	}
	if w.Operator != selection.In && w.Operator != selection.NotIn {
		errs = append(errs, field.NotSupported(p.Child("operator"), w.Operator, whenOperators))
	}
	if len(w.Values) == 0 {
		errs = append(errs, field.Required(p.Child("values"), "a when expression needs at least one value"))
	}
	errs = append(errs, s.checkRefs(w.Input, task, finally, p.Child("input"))...)
	for i, v := range w.Values {
		errs = append(errs, s.checkRefs(v, task, finally, p.Child("values").Index(i))...)
	}
	return errs
}

// checkValueRefs checks the references in every string of a param value.
func (s pipelineScope) checkValueRefs(v *tekton.ParamValue, task string, finally bool, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, str := range valueStrings(v) {
		errs = append(errs, s.checkRefs(str, task, finally, p)...)
	}
	return errs
}

func valueStrings(v *tekton.ParamValue) []string {
	out := []string{v.StringVal}
	out = append(out, v.ArrayVal...)
	keys := make([]string, 0, len(v.ObjectVal))
	for k := range v.ObjectVal {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, v.ObjectVal[k])
	}
	return out
}

// checkRefs checks the $(params.x) and $(tasks.T.results.R) references in a
// pipeline task's string: params must be declared by the Pipeline, result
// references must name a task under spec.tasks.
func (s pipelineScope) checkRefs(str, task string, finally bool, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, r := range varRefs(str) {
		switch r.Prefix {
		case "params":
			if _, ok := s.params[r.Name]; ok {
				continue
			}
			if _, dotted := s.params[r.Name+r.Suffix]; (dotted && strings.HasPrefix(r.Suffix, ".")) || s.propagated {
				continue
			}
			errs = append(errs, field.Invalid(p, str, fmt.Sprintf("non-existent variable in %q: pipeline param %q is not declared", r.Expr, r.Name)))
		case "tasks":
			// Execution status: $(tasks.T.status) and $(tasks.status) are
			// for finally tasks only, and T must be a task under spec.tasks.
			if r.Suffix == ".status" || (r.Name == "status" && r.Suffix == "") {
				switch {
				case !finally:
					errs = append(errs, field.Invalid(p, str, fmt.Sprintf("invalid variable %q: pipeline tasks can not refer to execution status of any other pipeline task or aggregate status of tasks", r.Expr)))
				case r.Suffix == ".status" && !s.tasks.Has(r.Name):
					errs = append(errs, field.Invalid(p, str, fmt.Sprintf("invalid variable %q: pipeline task %q is not defined in the pipeline", r.Expr, r.Name)))
				}
				continue
			}
			if !strings.HasPrefix(r.Suffix, ".results.") {
				continue
			}
			switch {
			case s.tasks.Has(r.Name):
			case s.finally.Has(r.Name) && finally:
				errs = append(errs, field.Invalid(p, str, fmt.Sprintf("invalid variable %q: a finally task cannot use the results of finally task %q", r.Expr, r.Name)))
			case s.finally.Has(r.Name):
				errs = append(errs, field.Invalid(p, str, fmt.Sprintf("invalid variable %q: task %q cannot use the results of finally task %q", r.Expr, task, r.Name)))
			default:
				errs = append(errs, field.Invalid(p, str, fmt.Sprintf("non-existent variable in %q: pipeline task %q does not exist", r.Expr, r.Name)))
			}
		}
	}
	return errs
}

// resultRefTasks returns the tasks whose results str references, in order.
func resultRefTasks(str string) []string {
	var out []string
	for _, r := range refsWithPrefix(str, "tasks") {
		if strings.HasPrefix(r.Suffix, ".results.") {
			out = append(out, r.Name)
		}
	}
	return out
}

// taskDeps returns what pt depends on: its runAfter targets, then the
// tasks whose results it uses, each once.
func taskDeps(pt *tekton.PipelineTask) []string {
	var deps []string
	seen := sets.New[string]()
	add := func(names ...string) {
		for _, n := range names {
			if !seen.Has(n) {
				seen.Insert(n)
				deps = append(deps, n)
			}
		}
	}
	add(pt.RunAfter...)
	for i := range pt.Params {
		for _, str := range valueStrings(&pt.Params[i].Value) {
			add(resultRefTasks(str)...)
		}
	}
	if pt.Matrix != nil {
		for i := range pt.Matrix.Params {
			for _, str := range valueStrings(&pt.Matrix.Params[i].Value) {
				add(resultRefTasks(str)...)
			}
		}
	}
	for _, w := range pt.When {
		add(resultRefTasks(w.Input)...)
		add(resultRefTasks(w.CEL)...)
		for _, v := range w.Values {
			add(resultRefTasks(v)...)
		}
	}
	return deps
}

// findCycle returns the names along the first cycle in the task graph,
// the first name repeated at the end, or nil if the graph is acyclic. A
// task running after itself is reported elsewhere and ignored here.
func findCycle(tasks []tekton.PipelineTask, names sets.Set[string]) []string {
	deps := map[string][]string{}
	for i := range tasks {
		pt := &tasks[i]
		for _, d := range taskDeps(pt) {
			if names.Has(d) && !(d == pt.Name && containsString(pt.RunAfter, d)) {
				deps[pt.Name] = append(deps[pt.Name], d)
			}
		}
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(n string) []string
	visit = func(n string) []string {
		state[n] = visiting
		stack = append(stack, n)
		for _, d := range deps[n] {
			switch state[d] {
			case visiting:
				for i, m := range stack {
					if m == d {
						return append(append([]string{}, stack[i:]...), d)
					}
				}
			case unvisited:
				if c := visit(d); c != nil {
					return c
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = done
		return nil
	}
	for _, pt := range tasks {
		if state[pt.Name] == unvisited {
			if c := visit(pt.Name); c != nil {
				return c
			}
		}
	}
	return nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// validatePipelineResults checks result names, types, and that each value
// references results of existing tasks ($(tasks.T.results.R)) or finally
// tasks ($(finally.T.results.R)).
func (s pipelineScope) validatePipelineResults(rs []tekton.PipelineResult, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := sets.New[string]()
	for i := range rs {
		r := &rs[i]
		fp := path.Index(i)
		errs = append(errs, validateResultNameAndType(r.Name, r.Type, seen, fp)...)
		found := false
		for _, str := range valueStrings(&r.Value) {
			for _, ref := range varRefs(str) {
				if (ref.Prefix != "tasks" && ref.Prefix != "finally") || !strings.HasPrefix(ref.Suffix, ".results.") {
					continue
				}
				found = true
				if ref.Prefix == "tasks" && !s.tasks.Has(ref.Name) {
					errs = append(errs, field.Invalid(fp.Child("value"), str, fmt.Sprintf("non-existent variable in %q: pipeline task %q does not exist", ref.Expr, ref.Name)))
				}
				if ref.Prefix == "finally" && !s.finally.Has(ref.Name) {
					errs = append(errs, field.Invalid(fp.Child("value"), str, fmt.Sprintf("non-existent variable in %q: finally task %q does not exist", ref.Expr, ref.Name)))
				}
			}
		}
		if !found {
			errs = append(errs, field.Invalid(fp.Child("value"), r.Value.StringVal, "expected pipeline results to be task result expressions"))
		}
	}
	return errs
}
