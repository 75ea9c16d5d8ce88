// Package defaults applies Tekton Pipelines' defaults to the internal
// tekton.dev types.
//
// The values are those of tektoncd/pipeline's v1 SetDefaults methods with the
// config-defaults ConfigMap as shipped: default-timeout-minutes 60,
// default-service-account "default", default-managed-by-label-value
// "tekton-pipelines", no default pod template and no default resolver.
// The registry strategies call these from PrepareForCreate and
// PrepareForUpdate; old is nil on create.
package defaults

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/knap-dev/knap/pkg/apis/rawjson"
	"github.com/knap-dev/knap/pkg/apis/tekton"
)

const (
	// DefaultTimeout is config-defaults' default-timeout-minutes (60).
	DefaultTimeout = 60 * time.Minute
	// DefaultServiceAccount is config-defaults' default-service-account.
	DefaultServiceAccount = "default"
	// ManagedByLabelKey marks which controller manages a run.
	ManagedByLabelKey = "app.kubernetes.io/managed-by"
	// DefaultManagedByLabelValue is config-defaults' default-managed-by-label-value.
	DefaultManagedByLabelValue = "tekton-pipelines"
)

// Task defaults t. user is the requesting user's name, "" when unknown; Tekton
// stamps no user annotations, so it is unused today.
func Task(t, old *tekton.Task, user string) {
	TaskSpec(&t.Spec)
}

// TaskRun defaults tr.
func TaskRun(tr, old *tekton.TaskRun, user string) {
	TaskRunSpec(&tr.Spec)
	if tr.Labels == nil {
		tr.Labels = map[string]string{}
	}
	if _, ok := tr.Labels[ManagedByLabelKey]; !ok {
		tr.Labels[ManagedByLabelKey] = DefaultManagedByLabelValue
	}
}

// Pipeline defaults p.
func Pipeline(p, old *tekton.Pipeline, user string) {
	PipelineSpec(&p.Spec)
}

// PipelineRun defaults pr.
func PipelineRun(pr, old *tekton.PipelineRun, user string) {
	PipelineRunSpec(&pr.Spec)
}

// TaskSpec defaults the params and results of a Task spec.
func TaskSpec(ts *tekton.TaskSpec) {
	ParamSpecs(ts.Params)
	for i := range ts.Results {
		taskResult(&ts.Results[i])
	}
}

// ParamSpecs defaults each param's type: the declared type, else object when
// properties are given, else the type of the default value, else string.
// Property types default to string.
func ParamSpecs(ps tekton.ParamSpecs) {
	for i := range ps {
		paramSpec(&ps[i])
	}
}

func paramSpec(p *tekton.ParamSpec) {
	switch {
	case p.Type != "":
	case p.Properties != nil:
		p.Type = tekton.ParamTypeObject
	case p.Default == nil:
		p.Type = tekton.ParamTypeString
	case p.Default.Type != "":
		p.Type = p.Default.Type
	case p.Default.ArrayVal != nil:
		p.Type = tekton.ParamTypeArray
	case p.Default.ObjectVal != nil:
		p.Type = tekton.ParamTypeObject
	default:
		p.Type = tekton.ParamTypeString
	}
	for k, prop := range p.Properties {
		if prop.Type == "" {
			p.Properties[k] = tekton.PropertySpec{Type: tekton.ParamTypeString}
		}
	}
}

// taskResult defaults a result's type to object when it has properties,
// else string, as upstream's TaskResult.SetDefaults.
func taskResult(r *tekton.TaskResult) {
	if r.Type == "" {
		if r.Properties != nil {
			r.Type = tekton.ResultsTypeObject
		} else {
			r.Type = tekton.ResultsTypeString
		}
	}
	for k, prop := range r.Properties {
		if prop.Type == "" {
			r.Properties[k] = tekton.PropertySpec{Type: tekton.ParamTypeString}
		}
	}
}

// TaskRunSpec defaults a TaskRun spec.
func TaskRunSpec(trs *tekton.TaskRunSpec) {
	if trs.TaskRef != nil && trs.TaskRef.Kind == "" && trs.TaskRef.Resolver == "" {
		trs.TaskRef.Kind = tekton.NamespacedTaskKind
	}
	if trs.Timeout == nil {
		trs.Timeout = &metav1.Duration{Duration: DefaultTimeout}
	}
	if trs.ServiceAccountName == "" {
		trs.ServiceAccountName = DefaultServiceAccount
	}
	if trs.TaskSpec != nil {
		TaskSpec(trs.TaskSpec)
	}
}

// PipelineSpec defaults a Pipeline spec, its tasks and finally tasks.
func PipelineSpec(ps *tekton.PipelineSpec) {
	ParamSpecs(ps.Params)
	for i := range ps.Tasks {
		pipelineTask(&ps.Tasks[i])
	}
	for i := range ps.Finally {
		pipelineTask(&ps.Finally[i])
	}
}

func pipelineTask(pt *tekton.PipelineTask) {
	if pt.TaskRef != nil && pt.TaskRef.Kind == "" {
		pt.TaskRef.Kind = tekton.NamespacedTaskKind
	}
	if pt.TaskSpec != nil {
		TaskSpec(&pt.TaskSpec.TaskSpec)
		// A custom task's spec, free-form JSON, in canonical form.
		rawjson.Normalize(&pt.TaskSpec.Spec)
	}
	if pt.PipelineSpec != nil {
		PipelineSpec(pt.PipelineSpec)
	}
}

// PipelineRunSpec defaults a PipelineRun spec.
func PipelineRunSpec(prs *tekton.PipelineRunSpec) {
	if prs.Timeouts == nil {
		prs.Timeouts = &tekton.TimeoutFields{}
	}
	if prs.Timeouts.Pipeline == nil {
		prs.Timeouts.Pipeline = &metav1.Duration{Duration: DefaultTimeout}
	}
	if prs.TaskRunTemplate.ServiceAccountName == "" {
		prs.TaskRunTemplate.ServiceAccountName = DefaultServiceAccount
	}
	if prs.PipelineSpec != nil {
		PipelineSpec(prs.PipelineSpec)
	}
}
