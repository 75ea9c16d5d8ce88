package validation_test

import (
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/messaging"
	"github.com/knap-dev/knap/pkg/apis/messaging/validation"
)

const ns = "default"

func ptr[T any](v T) *T { return &v }

func objectMeta() metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: "events", Namespace: ns, ResourceVersion: "1"}
}

func serviceRef() *duckv1.KReference {
	return &duckv1.KReference{APIVersion: "serving.knative.dev/v1", Kind: "Service", Name: "display", Namespace: ns}
}

// newChannel is a valid Channel, as after defaulting.
func newChannel() *messaging.Channel {
	return &messaging.Channel{ObjectMeta: objectMeta(), Spec: messaging.ChannelSpec{
		ChannelTemplate: &duckv1.ChannelTemplateSpec{
			APIVersion: "messaging.knative.dev/v1", Kind: "InMemoryChannel",
			Spec: &runtime.RawExtension{Raw: []byte(`{"delivery":{"retry":3}}`)},
		},
		ChannelableSpec: duckv1.ChannelableSpec{Delivery: &duckv1.DeliverySpec{
			DeadLetterSink: &duckv1.Destination{Ref: serviceRef()}, Retry: ptr[int32](3),
		}},
	}}
}

func newInMemoryChannel() *messaging.InMemoryChannel {
	return &messaging.InMemoryChannel{ObjectMeta: objectMeta(), Spec: messaging.InMemoryChannelSpec{ChannelableSpec: duckv1.ChannelableSpec{
		SubscribableSpec: duckv1.SubscribableSpec{Subscribers: []duckv1.SubscriberSpec{{
			UID: "8f0c2a2e-4d5b-4c6d-9e1f-2a3b4c5d6e7f", Generation: 1,
			SubscriberURI: ptr("http://display.default.svc.cluster.local"),
			ReplyURI:      ptr("http://reply.default.svc.cluster.local"),
		}}},
		Delivery: &duckv1.DeliverySpec{Retry: ptr[int32](2)},
	}}}
}

func newSubscription() *messaging.Subscription {
	return &messaging.Subscription{ObjectMeta: objectMeta(), Spec: messaging.SubscriptionSpec{
		Channel:    duckv1.KReference{APIVersion: "messaging.knative.dev/v1", Kind: "InMemoryChannel", Name: "events"},
		Subscriber: &duckv1.Destination{Ref: serviceRef()},
		Reply:      &duckv1.Destination{URI: ptr("http://reply.example.com/in")},
		Delivery:   &duckv1.DeliverySpec{Retry: ptr[int32](5), BackoffPolicy: ptr(duckv1.BackoffPolicyExponential), BackoffDelay: ptr("PT0.5S")},
	}}
}

// expectPaths fails unless errs name exactly the fields in want (any order).
func expectPaths(t *testing.T, errs field.ErrorList, want ...string) {
	t.Helper()
	got := make([]string, 0, len(errs))
	for _, e := range errs {
		got = append(got, e.Field)
	}
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		var b strings.Builder
		for _, e := range errs {
			b.WriteString("  " + e.Error() + "\n")
		}
		t.Errorf("error fields = %q, want %q\nerrors:\n%s", got, want, b.String())
	}
}

func TestValidObjects(t *testing.T) {
	expectPaths(t, validation.ValidateChannel(newChannel()))
	expectPaths(t, validation.ValidateInMemoryChannel(newInMemoryChannel()))
	expectPaths(t, validation.ValidateSubscription(newSubscription()))
	expectPaths(t, validation.ValidateChannelUpdate(newChannel(), newChannel()))
	expectPaths(t, validation.ValidateInMemoryChannelUpdate(newInMemoryChannel(), newInMemoryChannel()))
	expectPaths(t, validation.ValidateSubscriptionUpdate(newSubscription(), newSubscription()))
}

// TestMetadata runs the Kubernetes metadata rules, with the names a custom
// resource may have, on every kind.
func TestMetadata(t *testing.T) {
	kinds := map[string]func(metav1.ObjectMeta) field.ErrorList{
		"Channel": func(m metav1.ObjectMeta) field.ErrorList {
			c := newChannel()
			c.ObjectMeta = m
			return validation.ValidateChannel(c)
		},
		"InMemoryChannel": func(m metav1.ObjectMeta) field.ErrorList {
			c := newInMemoryChannel()
			c.ObjectMeta = m
			return validation.ValidateInMemoryChannel(c)
		},
		"Subscription": func(m metav1.ObjectMeta) field.ErrorList {
			s := newSubscription()
			s.ObjectMeta = m
			return validation.ValidateSubscription(s)
		},
	}
	cases := []struct {
		name string
		meta metav1.ObjectMeta
		want []string
	}{
		{name: "dns-1123 subdomain", meta: metav1.ObjectMeta{Name: "my.events-1", Namespace: ns}},
		{name: "253 characters", meta: metav1.ObjectMeta{Name: strings.Repeat("a", 253), Namespace: ns}},
		{name: "254 characters", meta: metav1.ObjectMeta{Name: strings.Repeat("a", 254), Namespace: ns}, want: []string{"metadata.name"}},
		{name: "uppercase", meta: metav1.ObjectMeta{Name: "Events", Namespace: ns}, want: []string{"metadata.name"}},
		{name: "no name", meta: metav1.ObjectMeta{Namespace: ns}, want: []string{"metadata.name"}},
		{name: "no namespace", meta: metav1.ObjectMeta{Name: "events"}, want: []string{"metadata.namespace"}},
		{name: "bad label", meta: metav1.ObjectMeta{Name: "events", Namespace: ns, Labels: map[string]string{"bad key!": "v"}}, want: []string{"metadata.labels"}},
	}
	for kind, validate := range kinds {
		for _, tc := range cases {
			t.Run(kind+"/"+tc.name, func(t *testing.T) {
				expectPaths(t, validate(tc.meta), tc.want...)
			})
		}
	}
}

func TestChannel(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*messaging.Channel)
		want   []string
	}{
		{name: "template without spec", mutate: func(c *messaging.Channel) { c.Spec.ChannelTemplate.Spec = nil }},
		{name: "empty template spec", mutate: func(c *messaging.Channel) { c.Spec.ChannelTemplate.Spec.Raw = []byte(`{}`) }},
		{name: "no delivery", mutate: func(c *messaging.Channel) { c.Spec.Delivery = nil }},
		{name: "no template", mutate: func(c *messaging.Channel) { c.Spec.ChannelTemplate = nil }, want: []string{"spec.channelTemplate"}},
		{name: "template without kind", mutate: func(c *messaging.Channel) { c.Spec.ChannelTemplate.Kind = "" }, want: []string{"spec.channelTemplate.kind"}},
		{name: "template without apiVersion", mutate: func(c *messaging.Channel) { c.Spec.ChannelTemplate.APIVersion = "" }, want: []string{"spec.channelTemplate.apiVersion"}},
		{name: "template spec not an object", mutate: func(c *messaging.Channel) { c.Spec.ChannelTemplate.Spec.Raw = []byte(`[1]`) }, want: []string{"spec.channelTemplate.spec"}},
		{name: "template spec not JSON", mutate: func(c *messaging.Channel) { c.Spec.ChannelTemplate.Spec.Raw = []byte(`{`) }, want: []string{"spec.channelTemplate.spec"}},
		{name: "subscribers", mutate: func(c *messaging.Channel) {
			c.Spec.Subscribers = []duckv1.SubscriberSpec{{SubscriberURI: ptr("http://a.example.com")}}
		}, want: []string{"spec.subscribers"}},
		{name: "negative retry", mutate: func(c *messaging.Channel) { c.Spec.Delivery.Retry = ptr[int32](-1) }, want: []string{"spec.delivery.retry"}},
		{name: "dead letter sink in another namespace", mutate: func(c *messaging.Channel) {
			c.Spec.Delivery.DeadLetterSink.Ref.Namespace = "other"
		}, want: []string{"spec.delivery.deadLetterSink.ref.namespace"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newChannel()
			tc.mutate(c)
			expectPaths(t, validation.ValidateChannel(c), tc.want...)
		})
	}
}

func TestChannelUpdate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*messaging.Channel)
		want   []string
	}{
		{name: "labels", mutate: func(c *messaging.Channel) { c.Labels = map[string]string{"a": "b"} }},
		{name: "template spec respelled", mutate: func(c *messaging.Channel) {
			c.Spec.ChannelTemplate.Spec.Raw = []byte(`{ "delivery" : { "retry": 3 } }`)
		}},
		{name: "template kind", mutate: func(c *messaging.Channel) { c.Spec.ChannelTemplate.Kind = "KafkaChannel" }, want: []string{"spec.channelTemplate"}},
		{name: "template spec", mutate: func(c *messaging.Channel) {
			c.Spec.ChannelTemplate.Spec.Raw = []byte(`{"delivery":{"retry":4}}`)
		}, want: []string{"spec.channelTemplate"}},
		{name: "template spec removed", mutate: func(c *messaging.Channel) { c.Spec.ChannelTemplate.Spec = nil }, want: []string{"spec.channelTemplate"}},
		{name: "delivery", mutate: func(c *messaging.Channel) { c.Spec.Delivery.Retry = ptr[int32](4) }, want: []string{"spec.delivery"}},
		{name: "name", mutate: func(c *messaging.Channel) { c.Name = "other" }, want: []string{"metadata.name"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newChannel()
			tc.mutate(c)
			expectPaths(t, validation.ValidateChannelUpdate(c, newChannel()), tc.want...)
		})
	}
}

func TestInMemoryChannel(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*messaging.InMemoryChannel)
		want   []string
	}{
		{name: "empty spec", mutate: func(c *messaging.InMemoryChannel) { c.Spec = messaging.InMemoryChannelSpec{} }},
		{name: "subscriber URI only", mutate: func(c *messaging.InMemoryChannel) { c.Spec.Subscribers[0].ReplyURI = nil }},
		{name: "reply URI only", mutate: func(c *messaging.InMemoryChannel) { c.Spec.Subscribers[0].SubscriberURI = nil }},
		{name: "cluster scope", mutate: func(c *messaging.InMemoryChannel) {
			c.Annotations = map[string]string{messaging.ScopeAnnotation: messaging.ScopeCluster}
		}},
		{name: "namespace scope", mutate: func(c *messaging.InMemoryChannel) {
			c.Annotations = map[string]string{messaging.ScopeAnnotation: messaging.ScopeNamespace}
		}},
		{name: "subscriber without URIs", mutate: func(c *messaging.InMemoryChannel) {
			c.Spec.Subscribers = append(c.Spec.Subscribers, duckv1.SubscriberSpec{UID: "u"})
		}, want: []string{"spec.subscribers[1]"}},
		{name: "bad subscriber URI", mutate: func(c *messaging.InMemoryChannel) {
			c.Spec.Subscribers[0].SubscriberURI = ptr("http://[::1")
		}, want: []string{"spec.subscribers[0].subscriberUri"}},
		{name: "bad reply URI", mutate: func(c *messaging.InMemoryChannel) {
			c.Spec.Subscribers[0].ReplyURI = ptr("%zz")
		}, want: []string{"spec.subscribers[0].replyUri"}},
		{name: "bad scope", mutate: func(c *messaging.InMemoryChannel) {
			c.Annotations = map[string]string{messaging.ScopeAnnotation: "global"}
		}, want: []string{"metadata.annotations[eventing.knative.dev/scope]"}},
		{name: "bad backoff policy", mutate: func(c *messaging.InMemoryChannel) {
			c.Spec.Delivery.BackoffPolicy = ptr(duckv1.BackoffPolicyType("random"))
		}, want: []string{"spec.delivery.backoffPolicy"}},
		{name: "bad timeout", mutate: func(c *messaging.InMemoryChannel) { c.Spec.Delivery.Timeout = ptr("PT0S") }, want: []string{"spec.delivery.timeout"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newInMemoryChannel()
			tc.mutate(c)
			expectPaths(t, validation.ValidateInMemoryChannel(c), tc.want...)
		})
	}
}

func TestInMemoryChannelUpdate(t *testing.T) {
	// Subscribers and delivery may change; the metadata rules still apply.
	c := newInMemoryChannel()
	c.Spec.Subscribers = append(c.Spec.Subscribers, duckv1.SubscriberSpec{ReplyURI: ptr("http://r.example.com")})
	c.Spec.Delivery.Retry = ptr[int32](9)
	expectPaths(t, validation.ValidateInMemoryChannelUpdate(c, newInMemoryChannel()))

	c = newInMemoryChannel()
	c.Namespace = "other"
	expectPaths(t, validation.ValidateInMemoryChannelUpdate(c, newInMemoryChannel()), "metadata.namespace")
}

func TestSubscription(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*messaging.Subscription)
		want   []string
	}{
		{name: "subscriber only", mutate: func(s *messaging.Subscription) { s.Spec.Reply, s.Spec.Delivery = nil, nil }},
		{name: "empty reply means none", mutate: func(s *messaging.Subscription) { s.Spec.Reply = &duckv1.Destination{} }},
		{name: "subscriber URI", mutate: func(s *messaging.Subscription) {
			s.Spec.Subscriber = &duckv1.Destination{URI: ptr("https://fn.example.com/events")}
		}},
		{name: "subscriber ref with relative URI", mutate: func(s *messaging.Subscription) { s.Spec.Subscriber.URI = ptr("/events") }},
		{name: "empty channel", mutate: func(s *messaging.Subscription) { s.Spec.Channel = duckv1.KReference{} }, want: []string{"spec.channel"}},
		{name: "channel without name", mutate: func(s *messaging.Subscription) { s.Spec.Channel.Name = "" }, want: []string{"spec.channel.name"}},
		{name: "channel without apiVersion", mutate: func(s *messaging.Subscription) { s.Spec.Channel.APIVersion = "" }, want: []string{"spec.channel.apiVersion"}},
		{name: "channel without kind", mutate: func(s *messaging.Subscription) { s.Spec.Channel.Kind = "" }, want: []string{"spec.channel.kind"}},
		{name: "channel namespace, even its own", mutate: func(s *messaging.Subscription) { s.Spec.Channel.Namespace = ns }, want: []string{"spec.channel.namespace"}},
		{name: "no subscriber", mutate: func(s *messaging.Subscription) { s.Spec.Subscriber = nil }, want: []string{"spec.subscriber"}},
		{name: "empty subscriber", mutate: func(s *messaging.Subscription) { s.Spec.Subscriber = &duckv1.Destination{} }, want: []string{"spec.subscriber"}},
		{name: "subscriber ref without name", mutate: func(s *messaging.Subscription) { s.Spec.Subscriber.Ref.Name = "" }, want: []string{"spec.subscriber.ref.name"}},
		{name: "subscriber in another namespace (Knative allows it)", mutate: func(s *messaging.Subscription) { s.Spec.Subscriber.Ref.Namespace = "other" }},
		{name: "subscriber with audience only", mutate: func(s *messaging.Subscription) {
			s.Spec.Subscriber = &duckv1.Destination{Audience: ptr("aud")}
		}, want: []string{"spec.subscriber"}},
		{name: "relative reply URI", mutate: func(s *messaging.Subscription) { s.Spec.Reply.URI = ptr("/in") }, want: []string{"spec.reply.uri"}},
		{name: "bad reply CA certs", mutate: func(s *messaging.Subscription) { s.Spec.Reply.CACerts = ptr("not a cert") }, want: []string{"spec.reply.CACerts"}},
		{name: "bad backoff delay", mutate: func(s *messaging.Subscription) { s.Spec.Delivery.BackoffDelay = ptr("half a second") }, want: []string{"spec.delivery.backoffDelay"}},
		{name: "retryAfterMax (feature off)", mutate: func(s *messaging.Subscription) { s.Spec.Delivery.RetryAfterMax = ptr("PT1S") }, want: []string{"spec.delivery.retryAfterMax"}},
		{name: "dead letter sink without ref or URI", mutate: func(s *messaging.Subscription) {
			s.Spec.Delivery.DeadLetterSink = &duckv1.Destination{}
		}, want: []string{"spec.delivery.deadLetterSink"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSubscription()
			tc.mutate(s)
			expectPaths(t, validation.ValidateSubscription(s), tc.want...)
		})
	}
}

func TestSubscriptionUpdate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*messaging.Subscription)
		want   []string
	}{
		{name: "subscriber", mutate: func(s *messaging.Subscription) { s.Spec.Subscriber.Ref.Name = "other" }},
		{name: "reply removed", mutate: func(s *messaging.Subscription) { s.Spec.Reply = nil }},
		{name: "delivery", mutate: func(s *messaging.Subscription) { s.Spec.Delivery.Retry = ptr[int32](1) }},
		{name: "channel name", mutate: func(s *messaging.Subscription) { s.Spec.Channel.Name = "other" }, want: []string{"spec.channel"}},
		{name: "channel kind", mutate: func(s *messaging.Subscription) { s.Spec.Channel.Kind = "Channel" }, want: []string{"spec.channel"}},
		{name: "uid", mutate: func(s *messaging.Subscription) { s.UID = "changed" }, want: []string{"metadata.uid"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSubscription()
			tc.mutate(s)
			expectPaths(t, validation.ValidateSubscriptionUpdate(s, newSubscription()), tc.want...)
		})
	}
}
