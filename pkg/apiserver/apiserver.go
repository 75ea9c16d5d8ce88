// Package apiserver assembles knap-apiserver: the scheme, the API groups and
// their storage on top of k8s.io/apiserver's generic server.
package apiserver

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apiserver/pkg/registry/generic"
	"k8s.io/apiserver/pkg/registry/rest"
	genericapiserver "k8s.io/apiserver/pkg/server"

	"github.com/knap-dev/knap/pkg/apis/serving"
	servinginstall "github.com/knap-dev/knap/pkg/apis/serving/install"
	"github.com/knap-dev/knap/pkg/registry/resource"
	"github.com/knap-dev/knap/pkg/registry/serving/configuration"
	"github.com/knap-dev/knap/pkg/registry/serving/revision"
	"github.com/knap-dev/knap/pkg/registry/serving/route"
	"github.com/knap-dev/knap/pkg/registry/serving/service"
)

// NewScheme returns a scheme with every group knap serves, plus the meta
// types the generic server needs.
func NewScheme() *runtime.Scheme {
	scheme := runtime.NewScheme()
	servinginstall.Install(scheme)
	// The generic server encodes options and status objects in "v1".
	metav1.AddToGroupVersion(scheme, schema.GroupVersion{Version: "v1"})
	scheme.AddUnversionedTypes(schema.GroupVersion{Group: "", Version: "v1"},
		&metav1.Status{}, &metav1.APIVersions{}, &metav1.APIGroupList{}, &metav1.APIGroup{}, &metav1.APIResourceList{},
	)
	return scheme
}

// InstallAPIs installs every API group into server.
func InstallAPIs(server *genericapiserver.GenericAPIServer, scheme *runtime.Scheme, codecs serializer.CodecFactory, optsGetter generic.RESTOptionsGetter) error {
	servingStorage := map[string]rest.Storage{}
	for plural, build := range map[string]func(runtime.ObjectTyper, generic.RESTOptionsGetter) (*resource.REST, *resource.StatusREST, error){
		"services":       service.NewStorage,
		"configurations": configuration.NewStorage,
		"revisions":      revision.NewStorage,
		"routes":         route.NewStorage,
	} {
		main, status, err := build(scheme, optsGetter)
		if err != nil {
			return err
		}
		servingStorage[plural] = main
		servingStorage[plural+"/status"] = status
	}
	group := genericapiserver.NewDefaultAPIGroupInfo(serving.GroupName, scheme, metav1.ParameterCodec, codecs)
	group.VersionedResourcesStorageMap["v1"] = servingStorage
	if err := server.InstallAPIGroup(&group); err != nil {
		return fmt.Errorf("installing %s: %w", serving.GroupName, err)
	}
	return nil
}
