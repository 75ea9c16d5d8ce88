// Package install registers networking.internal.knative.dev with a scheme.
package install

import (
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"

	"github.com/knap-dev/knap/pkg/apis/networking"
	networkingv1alpha1 "github.com/knap-dev/knap/pkg/apis/networking/v1alpha1"
)

// Install adds the internal and v1alpha1 types of
// networking.internal.knative.dev to scheme.
func Install(scheme *runtime.Scheme) {
	utilruntime.Must(networking.AddToScheme(scheme))
	utilruntime.Must(networkingv1alpha1.AddToScheme(scheme))
	utilruntime.Must(scheme.SetVersionPriority(networkingv1alpha1.SchemeGroupVersion))
}
