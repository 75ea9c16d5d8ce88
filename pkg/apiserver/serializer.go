package apiserver

import (
	"k8s.io/apimachinery/pkg/runtime"
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
