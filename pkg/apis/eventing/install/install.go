// Package install registers eventing.knative.dev with a scheme.
package install

import (
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"

	"github.com/knap-dev/knap/pkg/apis/eventing"
	eventingv1 "github.com/knap-dev/knap/pkg/apis/eventing/v1"
	eventingv1beta2 "github.com/knap-dev/knap/pkg/apis/eventing/v1beta2"
)

// Install adds the internal, v1 (Broker, Trigger) and v1beta2 (EventType)
// types of eventing.knative.dev to scheme, v1 preferred.
func Install(scheme *runtime.Scheme) {
	utilruntime.Must(eventing.AddToScheme(scheme))
	utilruntime.Must(eventingv1.AddToScheme(scheme))
	utilruntime.Must(eventingv1beta2.AddToScheme(scheme))
	utilruntime.Must(scheme.SetVersionPriority(eventingv1.SchemeGroupVersion, eventingv1beta2.SchemeGroupVersion))
}
