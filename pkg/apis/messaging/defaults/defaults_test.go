package defaults_test

import (
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/messaging"
	"github.com/knap-dev/knap/pkg/apis/messaging/defaults"
)

const (
	ns       = "ns"
	creator  = messaging.CreatorAnnotation
	modifier = messaging.UpdaterAnnotation
	duckVer  = messaging.SubscribableDuckVersionAnnotation
)

func ptr[T any](v T) *T { return &v }

func meta(kv ...string) metav1.ObjectMeta {
	m := metav1.ObjectMeta{Name: "x", Namespace: ns}
	if len(kv) > 0 {
		m.Annotations = map[string]string{}
	}
	for i := 0; i < len(kv); i += 2 {
		m.Annotations[kv[i]] = kv[i+1]
	}
	return m
}

func ref(namespace string) *duckv1.KReference {
	return &duckv1.KReference{APIVersion: "serving.knative.dev/v1", Kind: "Service", Name: "svc", Namespace: namespace}
}

func TestChannelTemplate(t *testing.T) {
	c := &messaging.Channel{ObjectMeta: meta()}
	defaults.Channel(c, nil, "")
	want := &duckv1.ChannelTemplateSpec{APIVersion: "messaging.knative.dev/v1", Kind: "InMemoryChannel"}
	if !equality.Semantic.DeepEqual(c.Spec.ChannelTemplate, want) {
		t.Errorf("template = %+v, want %+v", c.Spec.ChannelTemplate, want)
	}

	given := &duckv1.ChannelTemplateSpec{APIVersion: "messaging.knative.dev/v1beta1", Kind: "KafkaChannel"}
	c = &messaging.Channel{ObjectMeta: meta(), Spec: messaging.ChannelSpec{ChannelTemplate: given.DeepCopy()}}
	defaults.Channel(c, nil, "")
	if !equality.Semantic.DeepEqual(c.Spec.ChannelTemplate, given) {
		t.Errorf("a given template changed: %+v", c.Spec.ChannelTemplate)
	}
}

func TestChannelTemplateSpecNormalized(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{ "replicationFactor": 3,  "numPartitions" : 10 }`, `{"numPartitions":10,"replicationFactor":3}`},
		{`{"big":12345678901234567890,"f":1.50}`, `{"big":12345678901234567890,"f":1.50}`},
		{`{"a":{"z":1,"b":[2, 1]}}`, `{"a":{"b":[2,1],"z":1}}`},
		// Not JSON, or more than one value: left for validation to reject.
		{`{"a":`, `{"a":`},
		{`{} {}`, `{} {}`},
	} {
		c := &messaging.Channel{ObjectMeta: meta(), Spec: messaging.ChannelSpec{ChannelTemplate: &duckv1.ChannelTemplateSpec{
			APIVersion: "messaging.knative.dev/v1", Kind: "InMemoryChannel",
			Spec: &runtime.RawExtension{Raw: []byte(tc.in)},
		}}}
		defaults.Channel(c, nil, "")
		if got := string(c.Spec.ChannelTemplate.Spec.Raw); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestSubscribableAnnotation(t *testing.T) {
	for _, tc := range []struct {
		name string
		meta metav1.ObjectMeta
		want string
	}{
		{"added", meta(), "v1"},
		{"kept", meta(duckVer, "v1beta1"), "v1beta1"},
	} {
		c := &messaging.Channel{ObjectMeta: *tc.meta.DeepCopy()}
		defaults.Channel(c, nil, "")
		imc := &messaging.InMemoryChannel{ObjectMeta: *tc.meta.DeepCopy()}
		defaults.InMemoryChannel(imc, nil, "")
		if c.Annotations[duckVer] != tc.want || imc.Annotations[duckVer] != tc.want {
			t.Errorf("%s: Channel %q, InMemoryChannel %q, want %q", tc.name, c.Annotations[duckVer], imc.Annotations[duckVer], tc.want)
		}
	}
	s := &messaging.Subscription{ObjectMeta: meta()}
	defaults.Subscription(s, nil, "")
	if _, ok := s.Annotations[duckVer]; ok {
		t.Error("Subscription got the subscribable annotation")
	}
}

func TestReferenceNamespaces(t *testing.T) {
	delivery := func(namespace string) *duckv1.DeliverySpec {
		return &duckv1.DeliverySpec{DeadLetterSink: &duckv1.Destination{Ref: ref(namespace)}}
	}
	c := &messaging.Channel{ObjectMeta: meta()}
	c.Spec.Delivery = delivery("")
	defaults.Channel(c, nil, "")
	imc := &messaging.InMemoryChannel{ObjectMeta: meta()}
	imc.Spec.Delivery = delivery("")
	defaults.InMemoryChannel(imc, nil, "")
	s := &messaging.Subscription{ObjectMeta: meta(), Spec: messaging.SubscriptionSpec{
		Channel:    duckv1.KReference{APIVersion: "messaging.knative.dev/v1", Kind: "Channel", Name: "ch"},
		Subscriber: &duckv1.Destination{Ref: ref("")},
		Reply:      &duckv1.Destination{Ref: ref("")},
		Delivery:   delivery(""),
	}}
	defaults.Subscription(s, nil, "")
	for what, got := range map[string]string{
		"Channel dead letter sink":         c.Spec.Delivery.DeadLetterSink.Ref.Namespace,
		"InMemoryChannel dead letter sink": imc.Spec.Delivery.DeadLetterSink.Ref.Namespace,
		"Subscription subscriber":          s.Spec.Subscriber.Ref.Namespace,
		"Subscription reply":               s.Spec.Reply.Ref.Namespace,
		"Subscription dead letter sink":    s.Spec.Delivery.DeadLetterSink.Ref.Namespace,
	} {
		if got != ns {
			t.Errorf("%s: namespace %q, want %q", what, got, ns)
		}
	}
	if s.Spec.Channel.Namespace != "" {
		t.Errorf("channel namespace defaulted to %q; Knative leaves it empty", s.Spec.Channel.Namespace)
	}

	// A namespace already given is kept (validation judges it); URIs alone
	// get nothing.
	s = &messaging.Subscription{ObjectMeta: meta(), Spec: messaging.SubscriptionSpec{
		Subscriber: &duckv1.Destination{Ref: ref("other")},
		Reply:      &duckv1.Destination{URI: ptr("http://reply.example.com")},
		Delivery:   &duckv1.DeliverySpec{Retry: ptr[int32](3)},
	}}
	want := s.Spec.DeepCopy()
	defaults.Subscription(s, nil, "")
	if !equality.Semantic.DeepEqual(&s.Spec, want) {
		t.Errorf("spec changed: %+v", s.Spec)
	}
}

// kind runs one kind's defaulting with the given metadata; spec stands for
// the spec (a different value is a spec change).
type kind struct {
	name string
	run  func(m metav1.ObjectMeta, spec string, old *metav1.ObjectMeta, oldSpec, user string) map[string]string
}

func kinds() []kind {
	return []kind{{
		name: "Channel",
		run: func(m metav1.ObjectMeta, spec string, oldMeta *metav1.ObjectMeta, oldSpec, user string) map[string]string {
			mk := func(m metav1.ObjectMeta, s string) *messaging.Channel {
				return &messaging.Channel{ObjectMeta: m, Spec: messaging.ChannelSpec{ChannelableSpec: duckv1.ChannelableSpec{
					Delivery: &duckv1.DeliverySpec{BackoffDelay: ptr(s)}}}}
			}
			var old *messaging.Channel
			if oldMeta != nil {
				old = mk(*oldMeta, oldSpec)
				defaults.Channel(old, nil, "")
			}
			c := mk(m, spec)
			defaults.Channel(c, old, user)
			delete(c.Annotations, duckVer)
			return c.Annotations
		},
	}, {
		name: "InMemoryChannel",
		run: func(m metav1.ObjectMeta, spec string, oldMeta *metav1.ObjectMeta, oldSpec, user string) map[string]string {
			mk := func(m metav1.ObjectMeta, s string) *messaging.InMemoryChannel {
				return &messaging.InMemoryChannel{ObjectMeta: m, Spec: messaging.InMemoryChannelSpec{ChannelableSpec: duckv1.ChannelableSpec{
					SubscribableSpec: duckv1.SubscribableSpec{Subscribers: []duckv1.SubscriberSpec{{SubscriberURI: ptr(s)}}}}}}
			}
			var old *messaging.InMemoryChannel
			if oldMeta != nil {
				old = mk(*oldMeta, oldSpec)
				defaults.InMemoryChannel(old, nil, "")
			}
			c := mk(m, spec)
			defaults.InMemoryChannel(c, old, user)
			delete(c.Annotations, duckVer)
			return c.Annotations
		},
	}, {
		name: "Subscription",
		run: func(m metav1.ObjectMeta, spec string, oldMeta *metav1.ObjectMeta, oldSpec, user string) map[string]string {
			mk := func(m metav1.ObjectMeta, s string) *messaging.Subscription {
				return &messaging.Subscription{ObjectMeta: m, Spec: messaging.SubscriptionSpec{Subscriber: &duckv1.Destination{URI: ptr(s)}}}
			}
			var old *messaging.Subscription
			if oldMeta != nil {
				old = mk(*oldMeta, oldSpec)
				defaults.Subscription(old, nil, "")
			}
			s := mk(m, spec)
			defaults.Subscription(s, old, user)
			return s.Annotations
		},
	}}
}

func TestUserStamping(t *testing.T) {
	stored := meta(creator, "alice", modifier, "bob", "keep", "me")
	tests := []struct {
		name          string
		meta          metav1.ObjectMeta
		spec, oldSpec string
		old           *metav1.ObjectMeta
		user          string
		want          map[string]string
	}{{
		name: "create stamps both",
		meta: meta("keep", "me"), user: "carol",
		want: map[string]string{creator: "carol", modifier: "carol", "keep": "me"},
	}, {
		name: "create overwrites forged values",
		meta: meta(creator, "mallory", modifier, "mallory"), user: "carol",
		want: map[string]string{creator: "carol", modifier: "carol"},
	}, {
		name: "create without a user stamps nothing",
		meta: meta(),
		want: map[string]string{},
	}, {
		name: "update changing the spec stamps the modifier",
		meta: meta(creator, "alice", modifier, "bob"), spec: "b", old: &stored, oldSpec: "a", user: "carol",
		want: map[string]string{creator: "alice", modifier: "carol"},
	}, {
		name: "update with an unchanged spec keeps the modifier",
		meta: meta(creator, "alice", modifier, "bob"), spec: "a", old: &stored, oldSpec: "a", user: "carol",
		want: map[string]string{creator: "alice", modifier: "bob"},
	}, {
		name: "update omitting the annotations carries them over",
		meta: meta(), spec: "a", old: &stored, oldSpec: "a", user: "carol",
		want: map[string]string{creator: "alice", modifier: "bob"},
	}, {
		name: "update omitting the annotations and changing the spec",
		meta: meta(), spec: "b", old: &stored, oldSpec: "a", user: "carol",
		want: map[string]string{creator: "alice", modifier: "carol"},
	}, {
		name: "update sending other values keeps them, as Knative does",
		meta: meta(creator, "mallory", modifier, "mallory"), spec: "a", old: &stored, oldSpec: "a", user: "carol",
		want: map[string]string{creator: "mallory", modifier: "mallory"},
	}, {
		name: "update without a user only carries over",
		meta: meta(), spec: "b", old: &stored, oldSpec: "a",
		want: map[string]string{creator: "alice", modifier: "bob"},
	}}
	for _, k := range kinds() {
		for _, tc := range tests {
			t.Run(k.name+"/"+tc.name, func(t *testing.T) {
				spec := tc.spec
				if spec == "" {
					spec = "a"
				}
				var old *metav1.ObjectMeta
				if tc.old != nil {
					old = tc.old.DeepCopy()
				}
				got := k.run(*tc.meta.DeepCopy(), spec, old, tc.oldSpec, tc.user)
				if got == nil {
					got = map[string]string{}
				}
				if !equality.Semantic.DeepEqual(got, tc.want) {
					t.Errorf("annotations = %v, want %v", got, tc.want)
				}
			})
		}
	}
}

func TestIdempotent(t *testing.T) {
	c := &messaging.Channel{ObjectMeta: meta(), Spec: messaging.ChannelSpec{ChannelTemplate: &duckv1.ChannelTemplateSpec{
		APIVersion: "messaging.knative.dev/v1", Kind: "InMemoryChannel",
		Spec: &runtime.RawExtension{Raw: []byte(`{"b": 1, "a": "<&>"}`)},
	}}}
	defaults.Channel(c, nil, "u")
	again := c.DeepCopy()
	defaults.Channel(again, nil, "u")
	if !equality.Semantic.DeepEqual(c, again) {
		t.Errorf("second defaulting changed the Channel:\n%+v\n%+v", c, again)
	}
}
