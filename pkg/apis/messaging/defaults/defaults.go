// Package defaults applies Knative Eventing's messaging defaults and user
// annotations to the internal messaging types.
//
// The defaults depend on the request (create or update, the stored object,
// the requesting user), so they are not scheme defaulter functions: the
// registry strategies call these from PrepareForCreate and PrepareForUpdate.
// The values are Knative Eventing's with its ConfigMaps as shipped
// (default-ch-webhook: InMemoryChannel).
package defaults

import (
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/messaging"
	"github.com/knap-dev/knap/pkg/apis/rawjson"
)

// Channel defaults c; old is nil on create and the stored object on update.
// user is the requesting user's name, "" when unknown.
func Channel(c, old *messaging.Channel, user string) {
	setIfAbsent(&c.ObjectMeta, messaging.SubscribableDuckVersionAnnotation, messaging.SubscribableDuckVersion)
	if c.Spec.ChannelTemplate == nil {
		c.Spec.ChannelTemplate = DefaultChannelTemplate()
	} else {
		rawjson.Normalize(c.Spec.ChannelTemplate.Spec)
	}
	c.Spec.Delivery.DefaultNamespace(c.Namespace)
	var oldMeta *metav1.ObjectMeta
	if old != nil {
		oldMeta = &old.ObjectMeta
	}
	stamp(&c.ObjectMeta, oldMeta, func() bool { return specChanged(old.Spec, c.Spec) }, user)
}

// InMemoryChannel defaults imc; old is nil on create and the stored object on update.
func InMemoryChannel(imc, old *messaging.InMemoryChannel, user string) {
	setIfAbsent(&imc.ObjectMeta, messaging.SubscribableDuckVersionAnnotation, messaging.SubscribableDuckVersion)
	imc.Spec.Delivery.DefaultNamespace(imc.Namespace)
	var oldMeta *metav1.ObjectMeta
	if old != nil {
		oldMeta = &old.ObjectMeta
	}
	stamp(&imc.ObjectMeta, oldMeta, func() bool { return specChanged(old.Spec, imc.Spec) }, user)
}

// Subscription defaults s; old is nil on create and the stored object on update.
func Subscription(s, old *messaging.Subscription, user string) {
	s.Spec.Subscriber.DefaultNamespace(s.Namespace)
	s.Spec.Reply.DefaultNamespace(s.Namespace)
	s.Spec.Delivery.DefaultNamespace(s.Namespace)
	var oldMeta *metav1.ObjectMeta
	if old != nil {
		oldMeta = &old.ObjectMeta
	}
	stamp(&s.ObjectMeta, oldMeta, func() bool { return specChanged(old.Spec, s.Spec) }, user)
}

// DefaultChannelTemplate is the template of a Channel that gives none.
func DefaultChannelTemplate() *duckv1.ChannelTemplateSpec {
	return &duckv1.ChannelTemplateSpec{
		APIVersion: messaging.DefaultChannelTemplateAPIVersion,
		Kind:       messaging.DefaultChannelTemplateKind,
	}
}

func setIfAbsent(meta *metav1.ObjectMeta, key, value string) {
	if _, ok := meta.Annotations[key]; ok {
		return
	}
	setAnnotation(meta, key, value)
}

// specChanged reports whether an update changed the spec, comparing the
// defaulted new spec with the stored one.
func specChanged(oldSpec, newSpec any) bool {
	return !equality.Semantic.DeepEqual(oldSpec, newSpec)
}
