// Package install registers messaging.knative.dev with a scheme.
package install

import (
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"

	"github.com/knap-dev/knap/pkg/apis/messaging"
	messagingv1 "github.com/knap-dev/knap/pkg/apis/messaging/v1"
)

// Install adds the internal and v1 types of messaging.knative.dev to scheme.
func Install(scheme *runtime.Scheme) {
	utilruntime.Must(messaging.AddToScheme(scheme))
	utilruntime.Must(messagingv1.AddToScheme(scheme))
	utilruntime.Must(scheme.SetVersionPriority(messagingv1.SchemeGroupVersion))
}
