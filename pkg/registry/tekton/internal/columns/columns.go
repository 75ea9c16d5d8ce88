// Package columns holds what the four tekton.dev kinds share in discovery
// and tables, as Tekton Pipelines' CRDs declare it.
package columns

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Categories of every tekton.dev kind (`kubectl get tekton`).
func Categories() []string { return []string{"tekton", "tekton-pipelines"} }

// Definition columns: Task and Pipeline declare no printer columns, so a
// table shows Name and Age, as for any CRD without them.
func Definition() []metav1.TableColumnDefinition {
	return []metav1.TableColumnDefinition{resource.AgeColumn()}
}

// Run columns: TaskRun and PipelineRun print Succeeded, Reason, StartTime
// and CompletionTime.
func Run() []metav1.TableColumnDefinition {
	return []metav1.TableColumnDefinition{
		{Name: "Succeeded", Type: "string", Description: "Status of the Succeeded condition"},
		{Name: "Reason", Type: "string", Description: "Reason of the Succeeded condition"},
		{Name: "StartTime", Type: "date", Description: "When the run started"},
		{Name: "CompletionTime", Type: "date", Description: "When the run completed"},
	}
}

// RunCells are the values of Run's columns.
func RunCells(s *duckv1.Status, start, completion *metav1.Time) []any {
	return append(resource.ConditionCells(s, duckv1.ConditionSucceeded), resource.DateCell(start), resource.DateCell(completion))
}
