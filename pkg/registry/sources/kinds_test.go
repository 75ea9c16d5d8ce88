package sources_test

import (
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/knap-dev/knap/pkg/registry/resource"
	"github.com/knap-dev/knap/pkg/registry/sources/apiserversource"
	"github.com/knap-dev/knap/pkg/registry/sources/containersource"
	"github.com/knap-dev/knap/pkg/registry/sources/pingsource"
	"github.com/knap-dev/knap/pkg/registry/sources/sinkbinding"
)

// TestKinds checks what discovery and `kubectl get` show of each kind
// against Knative's CRDs.
func TestKinds(t *testing.T) {
	check(t, pingsource.Kind(), "pingsources", []string{"all", "knative", "sources"},
		[]string{"Sink", "Schedule", "Age", "Ready", "Reason"})
	check(t, apiserversource.Kind(), "apiserversources", []string{"all", "knative", "sources"},
		[]string{"Sink", "Age", "Ready", "Reason"})
	check(t, sinkbinding.Kind(), "sinkbindings", []string{"all", "knative", "sources", "bindings"},
		[]string{"Sink", "Age", "Ready", "Reason"})
	check(t, containersource.Kind(), "containersources", []string{"all", "knative", "sources"},
		[]string{"Sink", "Age", "Ready", "Reason"})
}

func check[T resource.Object](t *testing.T, k resource.Kind[T], plural string, categories, columns []string) {
	t.Helper()
	if k.Resource.Group != "sources.knative.dev" || k.Resource.Resource != plural || len(k.ShortNames) != 0 {
		t.Errorf("%s: resource %v, short names %v", plural, k.Resource, k.ShortNames)
	}
	if !slices.Equal(k.Categories, categories) {
		t.Errorf("%s: categories %v, want %v", plural, k.Categories, categories)
	}
	var names []string
	for _, c := range k.Columns {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, columns) {
		t.Errorf("%s: columns %v, want %v", plural, names, columns)
	}
	obj := k.New()
	obj.SetCreationTimestamp(metav1.Now())
	cells := k.Cells(obj)
	if len(cells) != len(k.Columns) {
		t.Errorf("%s: %d cells for %d columns", plural, len(cells), len(k.Columns))
	}
	if age := cells[len(cells)-3]; age != "0s" {
		t.Errorf("%s: age cell %v, want 0s", plural, age)
	}
}
