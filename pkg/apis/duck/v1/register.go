package v1

import "k8s.io/apimachinery/pkg/runtime/schema"

// SchemeGroupVersion names the duck shapes' group. Nothing is served under
// it; generated apply configurations use it to key the shapes by kind.
var SchemeGroupVersion = schema.GroupVersion{Group: "duck.knative.dev", Version: "v1"}
