// Package defaults applies Knative Serving's defaults and user annotations to
// the internal serving types.
//
// Knative defaults depend on the request (create or update, the stored object,
// the requesting user), so they cannot be scheme defaulter functions: the
// registry strategies call these from PrepareForCreate and PrepareForUpdate.
// The values are those of Knative Serving v0.51 with the config-defaults and
// config-features ConfigMaps left at their defaults.
package defaults

import (
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/knap-dev/knap/pkg/apis/serving"
)

// Service defaults s; old is nil on create and the stored object on update.
// user is the requesting user's name, "" when unknown.
func Service(s, old *serving.Service, user string) {
	var prev *serving.ConfigurationSpec
	if old != nil {
		prev = &old.Spec.ConfigurationSpec
	}
	configurationSpec(&s.Spec.ConfigurationSpec, prev)
	// A Service routes to its own Configuration, so empty traffic means "all
	// of it to the latest revision".
	routeSpec(&s.Spec.RouteSpec, true)

	if old == nil {
		stampCreate(&s.ObjectMeta, user)
		return
	}
	stampUpdate(&s.ObjectMeta, &old.ObjectMeta, specChanged(old.Spec, s.Spec), user)
}

// Configuration defaults c; old is nil on create and the stored object on update.
func Configuration(c, old *serving.Configuration, user string) {
	var prev *serving.ConfigurationSpec
	if old != nil {
		prev = &old.Spec
	}
	configurationSpec(&c.Spec, prev)

	// A Configuration owned by a Service carries the Service's annotations,
	// which the controller copies; only stand-alone ones are stamped here.
	if len(c.OwnerReferences) > 0 {
		return
	}
	if old == nil {
		stampCreate(&c.ObjectMeta, user)
		return
	}
	stampUpdate(&c.ObjectMeta, &old.ObjectMeta, specChanged(old.Spec, c.Spec), user)
}

// Revision defaults r on create. Revisions are immutable, so an update (old
// != nil) gets no defaults: the stored spec already has them.
func Revision(r, old *serving.Revision) {
	if old != nil {
		return
	}
	revisionSpec(&r.Spec, true)
}

// Route defaults r; old is nil on create and the stored object on update.
func Route(r, old *serving.Route, user string) {
	// A bare Route has no Configuration of its own to send traffic to, so
	// empty traffic stays empty (and validation rejects the 0% sum).
	routeSpec(&r.Spec, false)

	// Routes owned by a Service are stamped by the controller, as for Configurations.
	if len(r.OwnerReferences) > 0 {
		return
	}
	if old == nil {
		stampCreate(&r.ObjectMeta, user)
		return
	}
	stampUpdate(&r.ObjectMeta, &old.ObjectMeta, specChanged(old.Spec, r.Spec), user)
}

// configurationSpec defaults the revision template. prev is the stored spec
// on update, nil on create.
func configurationSpec(cs, prev *serving.ConfigurationSpec) {
	clearSystemMetadata(&cs.Template.ObjectMeta)
	// A template that keeps its explicit name stands for the revision already
	// stamped out under that name, and validation rejects a changed spec under
	// an unchanged name. Knative leaves such a template as sent. knap defaults
	// it only when that reproduces the stored template exactly: re-applying
	// the same manifest (e.g. server-side apply, which replaces the atomic
	// containers list with the undefaulted one) is then a no-op instead of an
	// error, while a real change still reaches validation undefaulted.
	if prev != nil && cs.Template.Name != "" && cs.Template.Name == prev.Template.Name {
		defaulted := cs.Template.Spec.DeepCopy()
		revisionSpec(defaulted, false)
		if equality.Semantic.DeepEqual(*defaulted, prev.Template.Spec) {
			cs.Template.Spec = *defaulted
		}
		return
	}
	revisionSpec(&cs.Template.Spec, prev == nil)
}

// clearSystemMetadata drops from a template the metadata only a server sets
// on a stored object. A template is not stored on its own, so these mean
// nothing there, and a timestamp past year 9999 (valid RFC 3339 in a non-UTC
// offset) would be stored in a form the server cannot read back.
func clearSystemMetadata(m *metav1.ObjectMeta) {
	m.UID = ""
	m.ResourceVersion = ""
	m.Generation = 0
	m.CreationTimestamp = metav1.Time{}
	m.DeletionTimestamp = nil
	m.DeletionGracePeriodSeconds = nil
	m.ManagedFields = nil
	m.SelfLink = ""
}

// specChanged reports whether an update changed the spec, comparing the
// defaulted new spec with the stored one.
func specChanged(oldSpec, newSpec any) bool {
	return !equality.Semantic.DeepEqual(oldSpec, newSpec)
}
