package defaults_test

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/knap-dev/knap/pkg/apis/serving"
	"github.com/knap-dev/knap/pkg/apis/serving/defaults"
)

const (
	creator  = serving.CreatorAnnotation
	modifier = serving.UpdaterAnnotation
)

// kind runs one kind's defaulting with the given metadata and an image that
// stands for the spec. On update the new object is what a client that read
// the stored object sends back (kubectl apply, edit, patch): the stored,
// defaulted spec with the image changed.
type kind struct {
	name string
	run  func(meta metav1.ObjectMeta, image string, old *metav1.ObjectMeta, oldImage, user string) map[string]string
}

func ownedByService() []metav1.OwnerReference {
	return []metav1.OwnerReference{{APIVersion: "serving.knative.dev/v1", Kind: "Service", Name: "s", UID: "u"}}
}

func revisionTemplate(image string) serving.RevisionTemplateSpec {
	return serving.RevisionTemplateSpec{Spec: serving.RevisionSpec{PodSpec: corev1.PodSpec{
		Containers: []corev1.Container{{Image: image}},
	}}}
}

func kinds() []kind {
	return []kind{{
		name: "Service",
		run: func(meta metav1.ObjectMeta, image string, oldMeta *metav1.ObjectMeta, oldImage, user string) map[string]string {
			s := &serving.Service{ObjectMeta: meta, Spec: serving.ServiceSpec{
				ConfigurationSpec: serving.ConfigurationSpec{Template: revisionTemplate(image)},
			}}
			var old *serving.Service
			if oldMeta != nil {
				old = &serving.Service{ObjectMeta: *oldMeta, Spec: serving.ServiceSpec{
					ConfigurationSpec: serving.ConfigurationSpec{Template: revisionTemplate(oldImage)},
				}}
				defaults.Service(old, nil, "")
				old.Spec.DeepCopyInto(&s.Spec)
				s.Spec.Template.Spec.Containers[0].Image = image
			}
			defaults.Service(s, old, user)
			return s.Annotations
		},
	}, {
		name: "Configuration",
		run: func(meta metav1.ObjectMeta, image string, oldMeta *metav1.ObjectMeta, oldImage, user string) map[string]string {
			c := &serving.Configuration{ObjectMeta: meta, Spec: serving.ConfigurationSpec{Template: revisionTemplate(image)}}
			var old *serving.Configuration
			if oldMeta != nil {
				old = &serving.Configuration{ObjectMeta: *oldMeta, Spec: serving.ConfigurationSpec{Template: revisionTemplate(oldImage)}}
				defaults.Configuration(old, nil, "")
				old.Spec.DeepCopyInto(&c.Spec)
				c.Spec.Template.Spec.Containers[0].Image = image
			}
			defaults.Configuration(c, old, user)
			return c.Annotations
		},
	}, {
		name: "Route",
		run: func(meta metav1.ObjectMeta, image string, oldMeta *metav1.ObjectMeta, oldImage, user string) map[string]string {
			// The image names the configuration the route sends traffic to.
			traffic := func(img string) serving.RouteSpec {
				return serving.RouteSpec{Traffic: []serving.TrafficTarget{{ConfigurationName: img, Percent: ptr(int64(100))}}}
			}
			r := &serving.Route{ObjectMeta: meta, Spec: traffic(image)}
			var old *serving.Route
			if oldMeta != nil {
				old = &serving.Route{ObjectMeta: *oldMeta, Spec: traffic(oldImage)}
				defaults.Route(old, nil, "")
				old.Spec.DeepCopyInto(&r.Spec)
				r.Spec.Traffic[0].ConfigurationName = image
			}
			defaults.Route(r, old, user)
			return r.Annotations
		},
	}}
}

func annotated(kv ...string) metav1.ObjectMeta {
	m := metav1.ObjectMeta{Name: "x"}
	if len(kv) > 0 {
		m.Annotations = map[string]string{}
	}
	for i := 0; i < len(kv); i += 2 {
		m.Annotations[kv[i]] = kv[i+1]
	}
	return m
}

func TestUserStamping(t *testing.T) {
	stored := annotated(creator, "alice", modifier, "bob", "keep", "me")
	tests := []struct {
		name     string
		meta     metav1.ObjectMeta
		image    string
		old      *metav1.ObjectMeta
		oldImage string
		user     string
		want     map[string]string
	}{{
		name: "create stamps both",
		meta: annotated("keep", "me"),
		user: "carol",
		want: map[string]string{creator: "carol", modifier: "carol", "keep": "me"},
	}, {
		name: "create overwrites forged values",
		meta: annotated(creator, "mallory", modifier, "mallory"),
		user: "carol",
		want: map[string]string{creator: "carol", modifier: "carol"},
	}, {
		name: "create without a user stamps nothing",
		meta: annotated(),
		want: nil,
	}, {
		name:     "update changing the spec stamps the modifier",
		meta:     annotated(creator, "alice", modifier, "bob", "keep", "me"),
		image:    "v2",
		old:      &stored,
		oldImage: "v1",
		user:     "carol",
		want:     map[string]string{creator: "alice", modifier: "carol", "keep": "me"},
	}, {
		name:     "update with an unchanged spec keeps the modifier",
		meta:     annotated(creator, "alice", modifier, "bob", "keep", "me"),
		image:    "v1",
		old:      &stored,
		oldImage: "v1",
		user:     "carol",
		want:     map[string]string{creator: "alice", modifier: "bob", "keep": "me"},
	}, {
		name:     "update omitting the annotations carries them over",
		meta:     annotated(),
		image:    "v1",
		old:      &stored,
		oldImage: "v1",
		user:     "carol",
		want:     map[string]string{creator: "alice", modifier: "bob"},
	}, {
		name:     "update omitting the annotations and changing the spec",
		meta:     annotated(),
		image:    "v2",
		old:      &stored,
		oldImage: "v1",
		user:     "carol",
		want:     map[string]string{creator: "alice", modifier: "carol"},
	}, {
		name:     "update sending another creator leaves it for validation",
		meta:     annotated(creator, "mallory", modifier, "mallory"),
		image:    "v1",
		old:      &stored,
		oldImage: "v1",
		user:     "carol",
		want:     map[string]string{creator: "mallory", modifier: "mallory"},
	}, {
		name:     "update without a user only carries over",
		meta:     annotated(),
		image:    "v2",
		old:      &stored,
		oldImage: "v1",
		want:     map[string]string{creator: "alice"},
	}, {
		name:     "update of an object stored without annotations",
		meta:     annotated(),
		image:    "v1",
		old:      &metav1.ObjectMeta{Name: "x"},
		oldImage: "v1",
		user:     "carol",
		want:     nil,
	}}
	for _, k := range kinds() {
		for _, tc := range tests {
			t.Run(k.name+"/"+tc.name, func(t *testing.T) {
				image := tc.image
				if tc.old == nil {
					image = "v1"
				}
				var old *metav1.ObjectMeta
				if tc.old != nil {
					old = tc.old.DeepCopy()
				}
				got := k.run(*tc.meta.DeepCopy(), image, old, tc.oldImage, tc.user)
				checkSpec(t, got, tc.want)
			})
		}
	}
}

func TestOwnedObjectsAreNotStamped(t *testing.T) {
	stored := annotated(creator, "alice", modifier, "bob")
	stored.OwnerReferences = ownedByService()
	for _, k := range kinds() {
		t.Run(k.name, func(t *testing.T) {
			create := annotated(creator, "s-creator")
			create.OwnerReferences = ownedByService()
			got := k.run(create, "v1", nil, "", "controller")
			update := annotated()
			update.OwnerReferences = ownedByService()
			gotUpdate := k.run(update, "v2", stored.DeepCopy(), "v1", "controller")

			// Only Services, which nothing owns in Knative, are stamped anyway.
			want, wantUpdate := map[string]string{creator: "s-creator"}, map[string]string(nil)
			if k.name == "Service" {
				want = map[string]string{creator: "controller", modifier: "controller"}
				wantUpdate = map[string]string{creator: "alice", modifier: "controller"}
			}
			checkSpec(t, got, want)
			checkSpec(t, gotUpdate, wantUpdate)
		})
	}
}

// A whole-object write of the original manifest drops the create-only
// enableServiceLinks default; like Knative, that counts as a spec change.
func TestReplaceWithOriginalManifestStampsModifier(t *testing.T) {
	manifest := func() *serving.Configuration {
		return &serving.Configuration{ObjectMeta: annotated(), Spec: serving.ConfigurationSpec{Template: revisionTemplate("v1")}}
	}
	old := manifest()
	defaults.Configuration(old, nil, "alice")

	c := manifest()
	defaults.Configuration(c, old, "bob")
	checkSpec(t, c.Annotations, map[string]string{creator: "alice", modifier: "bob"})
}
