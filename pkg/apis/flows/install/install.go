// Package install registers flows.knative.dev with a scheme.
package install

import (
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"

	"github.com/knap-dev/knap/pkg/apis/flows"
	flowsv1 "github.com/knap-dev/knap/pkg/apis/flows/v1"
)

// Install adds the internal and v1 types of flows.knative.dev to scheme.
func Install(scheme *runtime.Scheme) {
	utilruntime.Must(flows.AddToScheme(scheme))
	utilruntime.Must(flowsv1.AddToScheme(scheme))
	utilruntime.Must(scheme.SetVersionPriority(flowsv1.SchemeGroupVersion))
}
