// Package install registers tekton.dev with a scheme.
package install

import (
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"

	"github.com/knap-dev/knap/pkg/apis/tekton"
	tektonv1 "github.com/knap-dev/knap/pkg/apis/tekton/v1"
	tektonv1beta1 "github.com/knap-dev/knap/pkg/apis/tekton/v1beta1"
)

// Install adds the internal, v1 and v1beta1 types of tekton.dev to scheme;
// v1 is preferred, and the version objects are stored in.
func Install(scheme *runtime.Scheme) {
	utilruntime.Must(tekton.AddToScheme(scheme))
	utilruntime.Must(tektonv1.AddToScheme(scheme))
	utilruntime.Must(tektonv1beta1.AddToScheme(scheme))
	utilruntime.Must(scheme.SetVersionPriority(tektonv1.SchemeGroupVersion, tektonv1beta1.SchemeGroupVersion))
}
