// Package configuration stores serving.knative.dev Configurations.
package configuration

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/apis/serving/defaults"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	"github.com/knap-dev/knap/pkg/apis/serving/validation"
	"github.com/knap-dev/knap/pkg/registry/resource"
)

// Kind describes Configurations to the generic storage.
func Kind() resource.Kind[*serving.Configuration] {
	return resource.Kind[*serving.Configuration]{
		Resource:       serving.Resource("configurations"),
		Singular:       "configuration",
		ShortNames:     []string{"config", "cfg"},
		Categories:     []string{"all", "knative", "serving"},
		GroupVersion:   servingv1.SchemeGroupVersion,
		New:            func() *serving.Configuration { return &serving.Configuration{} },
		NewList:        func() runtime.Object { return &serving.ConfigurationList{} },
		Spec:           func(c *serving.Configuration) any { return &c.Spec },
		Status:         func(c *serving.Configuration) *duckv1.Status { return &c.Status.Status },
		CopySpec:       func(dst, src *serving.Configuration) { dst.Spec = src.Spec },
		CopyStatus:     func(dst, src *serving.Configuration) { dst.Status = src.Status },
		ClearStatus:    func(c *serving.Configuration) { c.Status = serving.ConfigurationStatus{} },
		Default:        defaults.Configuration,
		Validate:       validation.ValidateConfiguration,
		ValidateUpdate: validation.ValidateConfigurationUpdate,
		Fields: func(c *serving.Configuration) fields.Set {
			return fields.Set{
				serving.FieldLatestReadyRevisionName:   c.Status.LatestReadyRevisionName,
				serving.FieldLatestCreatedRevisionName: c.Status.LatestCreatedRevisionName,
			}
		},
		Columns: append([]metav1.TableColumnDefinition{
			{Name: "LatestCreated", Type: "string", Description: "Latest Revision created"},
			{Name: "LatestReady", Type: "string", Description: "Latest Revision that became ready"},
		}, resource.ReadyColumns()...),
		Cells: func(c *serving.Configuration) []any {
			return append([]any{c.Status.LatestCreatedRevisionName, c.Status.LatestReadyRevisionName},
				resource.ReadyCells(&c.Status.Status)...)
		},
	}
}
