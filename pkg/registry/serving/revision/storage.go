// Package revision stores serving.knative.dev Revisions.
package revision

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/apis/serving/defaults"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/apis/serving/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes Revisions to the generic storage.
func Kind() resource.Kind[*serving.Revision] {
	return resource.Kind[*serving.Revision]{
		Resource:       serving.Resource("revisions"),
		Singular:       "revision",
		ShortNames:     []string{"rev"},
		Categories:     []string{"all", "knative", "serving"},
		GroupVersion:   servingv1.SchemeGroupVersion,
		New:            func() *serving.Revision { return &serving.Revision{} },
		NewList:        func() runtime.Object { return &serving.RevisionList{} },
		Spec:           func(r *serving.Revision) any { return &r.Spec },
		Status:         func(r *serving.Revision) *duckv1.Status { return &r.Status.Status },
		CopySpec:       func(dst, src *serving.Revision) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *serving.Revision) { dst.Status = src.Status },
		ClearStatus:    func(r *serving.Revision) { r.Status = serving.RevisionStatus{} },
		Default:        func(r, old *serving.Revision, _ string) { defaults.Revision(r, old) },
		Validate:       validation.ValidateRevision,
		ValidateUpdate: validation.ValidateRevisionUpdate,
		Columns: append(append([]metav1.TableColumnDefinition{
			{Name: "Config Name", Type: "string", Description: "Configuration that created the Revision"},
			{Name: "Generation", Type: "string", Description: "Configuration generation the Revision was created from"},
		}, resource.ReadyColumns()...),
			metav1.TableColumnDefinition{Name: "Actual Replicas", Type: "integer", Description: "Ready pods running the Revision"},
			metav1.TableColumnDefinition{Name: "Desired Replicas", Type: "integer", Description: "Pods the autoscaler wants"},
		),
		Cells: func(r *serving.Revision) []any {
			return append(append([]any{r.Labels[serving.ConfigurationLabel], r.Labels[serving.ConfigurationGenerationLabel]},
				resource.ReadyCells(&r.Status.Status)...),
				replicas(r.Status.ActualReplicas), replicas(r.Status.DesiredReplicas))
		},
	}
}

// replicas renders an unset count as an empty cell, as kubectl does for CRDs.
func replicas(n *int32) any {
	if n == nil {
		return nil
	}
	return int64(*n)
}
