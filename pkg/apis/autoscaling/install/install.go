// Package install registers autoscaling.internal.knative.dev with a scheme.
package install

import (
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"

	"github.com/knap-dev/knap/pkg/apis/autoscaling"
	autoscalingv1alpha1 "github.com/knap-dev/knap/pkg/apis/autoscaling/v1alpha1"
)

// Install adds the internal and v1alpha1 types of
// autoscaling.internal.knative.dev to scheme.
func Install(scheme *runtime.Scheme) {
	utilruntime.Must(autoscaling.AddToScheme(scheme))
	utilruntime.Must(autoscalingv1alpha1.AddToScheme(scheme))
	utilruntime.Must(scheme.SetVersionPriority(autoscalingv1alpha1.SchemeGroupVersion))
}
