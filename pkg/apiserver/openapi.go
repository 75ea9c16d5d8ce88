package apiserver

import (
	"mime"
	"net/http"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apiserver/pkg/endpoints/handlers/responsewriters"
	"k8s.io/kube-openapi/pkg/common"
	"k8s.io/kube-openapi/pkg/spec3"
	"k8s.io/kube-openapi/pkg/validation/spec"

	servingv1 "github.com/knap-dev/knap/pkg/apis/serving/v1"
	knapopenapi "github.com/knap-dev/knap/pkg/generated/openapi"
)

// Knative's CRDs give a revision's pod spec CRD list semantics: lists are
// atomic except the few Knative keys explicitly. Knative defaults container
// names, so keying containers by name (as core/v1 does) would make a second
// server-side apply of unnamed containers add a container instead of
// replacing it. keyedLists are the lists Knative keeps as maps.
func keyedLists() map[string][]string {
	return map[string][]string{
		servingv1.RevisionSpec{}.OpenAPIModelName(): {"volumes", "imagePullSecrets"},
		corev1.Container{}.OpenAPIModelName():       {"env", "volumeMounts"},
	}
}

// openAPIDefinitions are the generated definitions with Knative's list semantics.
func openAPIDefinitions(ref common.ReferenceCallback) map[string]common.OpenAPIDefinition {
	defs := knapopenapi.GetOpenAPIDefinitions(ref)
	for name, keep := range keyedLists() {
		def, ok := defs[name]
		if !ok {
			continue
		}
		for prop, schema := range def.Schema.Properties {
			if schema.Extensions["x-kubernetes-list-type"] != "map" || slices.Contains(keep, prop) {
				continue
			}
			ext := spec.Extensions{}
			for k, v := range schema.Extensions {
				ext[k] = v
			}
			ext["x-kubernetes-list-type"] = "atomic"
			delete(ext, "x-kubernetes-list-map-keys")
			delete(ext, "x-kubernetes-patch-merge-key")
			delete(ext, "x-kubernetes-patch-strategy")
			schema.Extensions = ext
			def.Schema.Properties[prop] = schema
		}
		defs[name] = def
	}
	// Knative names unnamed containers itself ("user-container"), so a
	// schema requiring a name would make client-side validation refuse
	// ordinary Knative YAML.
	container := defs[corev1.Container{}.OpenAPIModelName()]
	container.Schema.Required = slices.DeleteFunc(slices.Clone(container.Schema.Required), func(f string) bool { return f == "name" })
	defs[corev1.Container{}.OpenAPIModelName()] = container
	return defs
}

// Strategic merge patch needs Go struct merge keys, and core/v1 keys
// containers by a name Knative defaults, so a patch of unnamed containers
// cannot apply. Like the CRDs Knative users know, knap accepts JSON patch,
// merge patch and apply patch; kubectl then falls back to merge patches.
const strategicMergePatch = string(types.StrategicMergePatchType)

func withoutStrategicMergePatchV2(s *spec.Swagger) (*spec.Swagger, error) {
	if s.Paths == nil {
		return s, nil
	}
	for path, item := range s.Paths.Paths {
		if item.Patch != nil {
			item.Patch.Consumes = slices.DeleteFunc(item.Patch.Consumes, func(c string) bool { return c == strategicMergePatch })
			s.Paths.Paths[path] = item
		}
	}
	return s, nil
}

func withoutStrategicMergePatchV3(s *spec3.OpenAPI) (*spec3.OpenAPI, error) {
	if s.Paths == nil {
		return s, nil
	}
	for _, item := range s.Paths.Paths {
		if item != nil && item.Patch != nil && item.Patch.RequestBody != nil {
			delete(item.Patch.RequestBody.Content, strategicMergePatch)
		}
	}
	return s, nil
}

// refuseStrategicMergePatch answers strategic merge patches to knap's API
// groups with 415, as the kube-apiserver does for custom resources.
func refuseStrategicMergePatch(next http.Handler, codecs serializer.CodecFactory) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/apis/") {
			if mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mediaType == strategicMergePatch {
				status := &metav1.Status{
					Status: metav1.StatusFailure,
					Code:   http.StatusUnsupportedMediaType,
					Reason: metav1.StatusReasonUnsupportedMediaType,
					Message: "the body of the request was in an unknown format - accepted media types include: " +
						"application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
				}
				responsewriters.ErrorNegotiated(&apierrors.StatusError{ErrStatus: *status}, codecs, metav1.SchemeGroupVersion, w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
