package defaults

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/knap-dev/knap/pkg/apis/serving"
)

// stampCreate records user as creator and last modifier, overwriting what
// the client sent so that neither can be forged.
func stampCreate(meta *metav1.ObjectMeta, user string) {
	if user == "" {
		return
	}
	setAnnotation(meta, serving.CreatorAnnotation, user)
	setAnnotation(meta, serving.UpdaterAnnotation, user)
}

// stampUpdate records user as last modifier when the spec changed.
//
// Annotations the client left out are carried over from the stored object,
// so that a whole-object write (kubectl replace, an edited manifest) keeps
// them instead of failing validation, which rejects a changed creator and a
// changed last modifier on an unchanged spec. A value the client did send is
// kept as sent, for validation to judge.
func stampUpdate(meta, old *metav1.ObjectMeta, specChanged bool, user string) {
	carryOver(meta, old, serving.CreatorAnnotation)
	if specChanged && user != "" {
		setAnnotation(meta, serving.UpdaterAnnotation, user)
		return
	}
	if !specChanged {
		carryOver(meta, old, serving.UpdaterAnnotation)
	}
}

// carryOver copies annotation key from old when meta does not have it.
func carryOver(meta, old *metav1.ObjectMeta, key string) {
	if _, ok := meta.Annotations[key]; ok {
		return
	}
	if v, ok := old.Annotations[key]; ok {
		setAnnotation(meta, key, v)
	}
}

func setAnnotation(meta *metav1.ObjectMeta, key, value string) {
	if meta.Annotations == nil {
		meta.Annotations = map[string]string{}
	}
	meta.Annotations[key] = value
}
