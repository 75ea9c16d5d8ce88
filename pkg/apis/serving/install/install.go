// Package install registers serving.knative.dev with a scheme.
package install

import (
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"

	"github.com/knap-dev/knap/pkg/apis/serving"
	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
)

// Install adds the internal and v1 types of serving.knative.dev to scheme.
func Install(scheme *runtime.Scheme) {
	utilruntime.Must(serving.AddToScheme(scheme))
	utilruntime.Must(servingv1.AddToScheme(scheme))
	utilruntime.Must(scheme.SetVersionPriority(servingv1.SchemeGroupVersion))
}
