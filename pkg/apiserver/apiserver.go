// Package apiserver assembles knap-apiserver: the scheme, the API groups and
// their storage on top of k8s.io/apiserver's generic server.
package apiserver

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apiserver/pkg/registry/generic"
	"k8s.io/apiserver/pkg/registry/rest"
	genericapiserver "k8s.io/apiserver/pkg/server"

	autoscalinginstall "github.com/knap-dev/knap/pkg/apis/autoscaling/install"
	eventinginstall "github.com/knap-dev/knap/pkg/apis/eventing/install"
	flowsinstall "github.com/knap-dev/knap/pkg/apis/flows/install"
	messaginginstall "github.com/knap-dev/knap/pkg/apis/messaging/install"
	networkinginstall "github.com/knap-dev/knap/pkg/apis/networking/install"
	servinginstall "github.com/knap-dev/knap/pkg/apis/serving/install"
	sourcesinstall "github.com/knap-dev/knap/pkg/apis/sources/install"
	tektoninstall "github.com/knap-dev/knap/pkg/apis/tekton/install"
	"github.com/knap-dev/knap/pkg/registry/autoscaling/metric"
	"github.com/knap-dev/knap/pkg/registry/autoscaling/podautoscaler"
	"github.com/knap-dev/knap/pkg/registry/eventing/broker"
	"github.com/knap-dev/knap/pkg/registry/eventing/eventtype"
	"github.com/knap-dev/knap/pkg/registry/eventing/trigger"
	"github.com/knap-dev/knap/pkg/registry/flows/parallel"
	"github.com/knap-dev/knap/pkg/registry/flows/sequence"
	"github.com/knap-dev/knap/pkg/registry/messaging/channel"
	"github.com/knap-dev/knap/pkg/registry/messaging/inmemorychannel"
	"github.com/knap-dev/knap/pkg/registry/messaging/subscription"
	"github.com/knap-dev/knap/pkg/registry/networking/ingress"
	"github.com/knap-dev/knap/pkg/registry/networking/serverlessservice"
	"github.com/knap-dev/knap/pkg/registry/resource"
	"github.com/knap-dev/knap/pkg/registry/serving/configuration"
	"github.com/knap-dev/knap/pkg/registry/serving/revision"
	"github.com/knap-dev/knap/pkg/registry/serving/route"
	"github.com/knap-dev/knap/pkg/registry/serving/service"
	"github.com/knap-dev/knap/pkg/registry/sources/apiserversource"
	"github.com/knap-dev/knap/pkg/registry/sources/containersource"
	"github.com/knap-dev/knap/pkg/registry/sources/pingsource"
	"github.com/knap-dev/knap/pkg/registry/sources/sinkbinding"
	"github.com/knap-dev/knap/pkg/registry/tekton/pipeline"
	"github.com/knap-dev/knap/pkg/registry/tekton/pipelinerun"
	"github.com/knap-dev/knap/pkg/registry/tekton/task"
	"github.com/knap-dev/knap/pkg/registry/tekton/taskrun"
)

// NewScheme returns a scheme with every group knap serves, plus the meta
// types the generic server needs.
func NewScheme() *runtime.Scheme {
	scheme := runtime.NewScheme()
	servinginstall.Install(scheme)
	autoscalinginstall.Install(scheme)
	networkinginstall.Install(scheme)
	eventinginstall.Install(scheme)
	messaginginstall.Install(scheme)
	flowsinstall.Install(scheme)
	sourcesinstall.Install(scheme)
	tektoninstall.Install(scheme)
	// The generic server encodes options and status objects in "v1".
	metav1.AddToGroupVersion(scheme, schema.GroupVersion{Version: "v1"})
	scheme.AddUnversionedTypes(schema.GroupVersion{Group: "", Version: "v1"},
		&metav1.Status{}, &metav1.APIVersions{}, &metav1.APIGroupList{}, &metav1.APIGroup{}, &metav1.APIResourceList{},
	)
	return scheme
}

// GroupVersions lists every group/version knap serves, each group's
// preferred version first: one APIService each registers them with a
// kube-apiserver.
func GroupVersions() []schema.GroupVersion {
	var out []schema.GroupVersion
	for _, gv := range NewScheme().PrioritizedVersionsAllGroups() {
		if gv.Group != "" { // the meta types the generic server needs
			out = append(out, gv)
		}
	}
	return out
}

// InstallAPIs installs every API group into server.
func InstallAPIs(server *genericapiserver.GenericAPIServer, scheme *runtime.Scheme, codecs serializer.CodecFactory, optsGetter generic.RESTOptionsGetter) error {
	groups := storageByGroup{}
	if err := errors.Join(
		addKind(groups, service.Kind(), scheme, optsGetter),
		addKind(groups, configuration.Kind(), scheme, optsGetter),
		addKind(groups, revision.Kind(), scheme, optsGetter),
		addKind(groups, route.Kind(), scheme, optsGetter),
		addKind(groups, podautoscaler.Kind(), scheme, optsGetter),
		addKind(groups, metric.Kind(), scheme, optsGetter),
		addKind(groups, ingress.Kind(), scheme, optsGetter),
		addKind(groups, serverlessservice.Kind(), scheme, optsGetter),
		addKind(groups, broker.Kind(), scheme, optsGetter),
		addKind(groups, trigger.Kind(), scheme, optsGetter),
		addKind(groups, eventtype.Kind(), scheme, optsGetter),
		addKind(groups, channel.Kind(), scheme, optsGetter),
		addKind(groups, inmemorychannel.Kind(), scheme, optsGetter),
		addKind(groups, subscription.Kind(), scheme, optsGetter),
		addKind(groups, sequence.Kind(), scheme, optsGetter),
		addKind(groups, parallel.Kind(), scheme, optsGetter),
		addKind(groups, pingsource.Kind(), scheme, optsGetter),
		addKind(groups, apiserversource.Kind(), scheme, optsGetter),
		addKind(groups, sinkbinding.Kind(), scheme, optsGetter),
		addKind(groups, containersource.Kind(), scheme, optsGetter),
		addKind(groups, task.Kind(), scheme, optsGetter),
		addKind(groups, taskrun.Kind(), scheme, optsGetter),
		addKind(groups, pipeline.Kind(), scheme, optsGetter),
		addKind(groups, pipelinerun.Kind(), scheme, optsGetter),
	); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(groups)) {
		group := genericapiserver.NewDefaultAPIGroupInfo(name, scheme, metav1.ParameterCodec, codecs)
		group.NegotiatedSerializer = withoutProtobuf{codecs}
		group.VersionedResourcesStorageMap = groups[name]
		if err := server.InstallAPIGroup(&group); err != nil {
			return fmt.Errorf("installing %s: %w", name, err)
		}
	}
	return nil
}

// storageByGroup maps group -> version -> resource -> storage.
type storageByGroup map[string]map[string]map[string]rest.Storage

// addKind adds a kind's storage and its status subresource under its plural,
// in every group/version that serves it.
func addKind[T resource.Object](groups storageByGroup, k resource.Kind[T], typer runtime.ObjectTyper, optsGetter generic.RESTOptionsGetter) error {
	main, status, err := resource.NewStorage(k, typer, optsGetter)
	if err != nil {
		return err
	}
	for _, gv := range k.Versions() {
		if groups[gv.Group] == nil {
			groups[gv.Group] = map[string]map[string]rest.Storage{}
		}
		if groups[gv.Group][gv.Version] == nil {
			groups[gv.Group][gv.Version] = map[string]rest.Storage{}
		}
		groups[gv.Group][gv.Version][k.Resource.Resource] = main
		if status != nil {
			groups[gv.Group][gv.Version][k.Resource.Resource+"/status"] = status
		}
	}
	return nil
}
