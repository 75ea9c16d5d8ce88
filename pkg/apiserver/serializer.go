package apiserver

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
)

// withoutProtobuf serves every media type of the codec factory except
// protobuf. knap's types have no protobuf encoding (like CRDs), and
// advertising it makes clients that prefer protobuf, such as
// kube-controller-manager's namespace controller, fail on every list
// instead of falling back to JSON.
type withoutProtobuf struct{ serializer.CodecFactory }

func (w withoutProtobuf) SupportedMediaTypes() []runtime.SerializerInfo {
	var out []runtime.SerializerInfo
	for _, info := range w.CodecFactory.SupportedMediaTypes() {
		if info.MediaType != runtime.ContentTypeProtobuf {
			out = append(out, info)
		}
	}
	return out
}

// storageCodec encodes every object in the preferred version of its group
// that has its kind (eventing.knative.dev stores Brokers as v1 and
// EventTypes as v1beta2), and decodes stored objects to internal ones.
func storageCodec(scheme *runtime.Scheme, codecs serializer.CodecFactory) runtime.Codec {
	info, _ := runtime.SerializerInfoForMediaType(codecs.SupportedMediaTypes(), runtime.ContentTypeJSON)
	return codecs.CodecForVersions(info.Serializer, codecs.UniversalDeserializer(), storageVersioner{scheme}, runtime.InternalGroupVersioner)
}

type storageVersioner struct{ scheme *runtime.Scheme }

func (v storageVersioner) KindForGroupVersionKinds(kinds []schema.GroupVersionKind) (schema.GroupVersionKind, bool) {
	for _, k := range kinds {
		for _, gv := range v.scheme.PrioritizedVersionsForGroup(k.Group) {
			if v.scheme.Recognizes(gv.WithKind(k.Kind)) {
				return gv.WithKind(k.Kind), true
			}
		}
	}
	return schema.GroupVersionKind{}, false
}

func (storageVersioner) Identifier() string { return "knap-storage-versions" }
