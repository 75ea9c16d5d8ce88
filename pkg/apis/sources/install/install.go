// Package install registers sources.knative.dev with a scheme.
package install

import (
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"

	"github.com/knap-dev/knap/pkg/apis/sources"
	sourcesv1 "github.com/knap-dev/knap/pkg/apis/sources/v1"
)

// Install adds the internal and v1 types of sources.knative.dev to scheme.
func Install(scheme *runtime.Scheme) {
	utilruntime.Must(sources.AddToScheme(scheme))
	utilruntime.Must(sourcesv1.AddToScheme(scheme))
	utilruntime.Must(scheme.SetVersionPriority(sourcesv1.SchemeGroupVersion))
}
