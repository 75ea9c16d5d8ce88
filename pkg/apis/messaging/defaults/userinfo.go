package defaults

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/knap-dev/knap/pkg/apis/messaging"
)

// stamp records the requesting user in the creator and last-modifier
// annotations. oldMeta is nil on create; changed reports, on update only,
// whether the spec changed.
func stamp(meta, oldMeta *metav1.ObjectMeta, changed func() bool, user string) {
	if oldMeta == nil {
		stampCreate(meta, user)
		return
	}
	stampUpdate(meta, oldMeta, changed(), user)
}

// stampCreate records user as creator and last modifier, overwriting what
// the client sent so that neither can be forged.
func stampCreate(meta *metav1.ObjectMeta, user string) {
	if user == "" {
		return
	}
	setAnnotation(meta, messaging.CreatorAnnotation, user)
	setAnnotation(meta, messaging.UpdaterAnnotation, user)
}

// stampUpdate records user as last modifier when the spec changed.
//
// Annotations the client left out are carried over from the stored object,
// so that a whole-object write (kubectl replace, an edited manifest) keeps
// them. A value the client did send is kept as sent: Knative Eventing does
// not guard these annotations on update.
func stampUpdate(meta, old *metav1.ObjectMeta, specChanged bool, user string) {
	carryOver(meta, old, messaging.CreatorAnnotation)
	if specChanged && user != "" {
		setAnnotation(meta, messaging.UpdaterAnnotation, user)
		return
	}
	carryOver(meta, old, messaging.UpdaterAnnotation)
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
