package validation_test

import (
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/eventing"
	"github.com/knap-dev/knap/pkg/apis/eventing/validation"
)

const (
	classKey      = "metadata.annotations[eventing.knative.dev/broker.class]"
	dependencyKey = "metadata.annotations[knative.dev/dependency]"
	injectionKey  = "metadata.annotations[eventing.knative.dev/injection]"
)

// expectPaths fails unless errs name exactly the fields in want (any order;
// repeat a path to expect several errors on it).
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

func ref(kind, name, ns string) *duckv1.KReference {
	return &duckv1.KReference{APIVersion: "v1", Kind: kind, Name: name, Namespace: ns}
}

// newBroker is a Broker as defaulting leaves it.
func newBroker() *eventing.Broker {
	return &eventing.Broker{
		ObjectMeta: metav1.ObjectMeta{Name: "default", Namespace: "ns", ResourceVersion: "1",
			Annotations: map[string]string{eventing.BrokerClassAnnotation: eventing.MTChannelBasedBrokerClass}},
		Spec: eventing.BrokerSpec{Delivery: &duckv1.DeliverySpec{
			Retry: ptr.To[int32](10), BackoffPolicy: ptr.To(duckv1.BackoffPolicyExponential), BackoffDelay: ptr.To("PT0.2S"),
		}},
	}
}

func newTrigger() *eventing.Trigger {
	return &eventing.Trigger{
		ObjectMeta: metav1.ObjectMeta{Name: "t", Namespace: "ns", ResourceVersion: "1",
			Labels: map[string]string{eventing.BrokerLabel: "default"}},
		Spec: eventing.TriggerSpec{
			Broker:     "default",
			Filter:     &eventing.TriggerFilter{},
			Subscriber: duckv1.Destination{Ref: &duckv1.KReference{APIVersion: "serving.knative.dev/v1", Kind: "Service", Name: "display", Namespace: "ns"}},
		},
	}
}

func newEventType() *eventing.EventType {
	return &eventing.EventType{
		ObjectMeta: metav1.ObjectMeta{Name: "et", Namespace: "ns", ResourceVersion: "1"},
		Spec: eventing.EventTypeSpec{
			Type:      "dev.knative.example",
			Source:    ptr.To("https://example.com/source"),
			Reference: &duckv1.KReference{APIVersion: "eventing.knative.dev/v1", Kind: "Broker", Name: "default", Namespace: "ns"},
		},
	}
}

func TestBroker(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*eventing.Broker)
		want   []string
	}{
		{"valid", func(*eventing.Broker) {}, nil},
		{"no spec at all but the class", func(b *eventing.Broker) { b.Spec = eventing.BrokerSpec{} }, nil},
		{"invalid name", func(b *eventing.Broker) { b.Name = "Not_A_Name" }, []string{"metadata.name"}},
		{"class missing", func(b *eventing.Broker) { b.Annotations = nil }, []string{classKey}},
		{"class empty", func(b *eventing.Broker) { b.Annotations[eventing.BrokerClassAnnotation] = "" }, []string{classKey}},
		{"other class", func(b *eventing.Broker) { b.Annotations[eventing.BrokerClassAnnotation] = "Kafka" }, nil},
		{"config", func(b *eventing.Broker) { b.Spec.Config = ref("ConfigMap", "cfg", "ns") }, nil},
		{"config in another namespace", func(b *eventing.Broker) { b.Spec.Config = ref("ConfigMap", "cfg", "knative-eventing") }, nil},
		{"config without name and kind", func(b *eventing.Broker) { b.Spec.Config = &duckv1.KReference{APIVersion: "v1"} },
			[]string{"spec.config.name", "spec.config.kind"}},
		{"config without apiVersion", func(b *eventing.Broker) { b.Spec.Config = ref("ConfigMap", "cfg", "ns"); b.Spec.Config.APIVersion = "" },
			[]string{"spec.config.apiVersion"}},
		{"negative retry", func(b *eventing.Broker) { b.Spec.Delivery.Retry = ptr.To[int32](-1) }, []string{"spec.delivery.retry"}},
		{"bad backoff delay", func(b *eventing.Broker) { b.Spec.Delivery.BackoffDelay = ptr.To("1s") }, []string{"spec.delivery.backoffDelay"}},
		{"dead letter sink in another namespace", func(b *eventing.Broker) {
			b.Spec.Delivery.DeadLetterSink = &duckv1.Destination{Ref: ref("Service", "dls", "other")}
		}, nil},
		{"dead letter sink without ref or uri", func(b *eventing.Broker) { b.Spec.Delivery.DeadLetterSink = &duckv1.Destination{} },
			[]string{"spec.delivery.deadLetterSink"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBroker()
			tc.mutate(b)
			expectPaths(t, validation.ValidateBroker(b), tc.want...)
		})
	}
}

func TestBrokerUpdate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*eventing.Broker)
		want   []string
	}{
		{"unchanged", func(*eventing.Broker) {}, nil},
		{"delivery changes", func(b *eventing.Broker) { b.Spec.Delivery = &duckv1.DeliverySpec{Retry: ptr.To[int32](3)} }, nil},
		{"labels change", func(b *eventing.Broker) { b.Labels = map[string]string{"team": "a"} }, nil},
		{"config added", func(b *eventing.Broker) { b.Spec.Config = ref("ConfigMap", "cfg", "ns") }, []string{"spec.config"}},
		{"class changed", func(b *eventing.Broker) { b.Annotations[eventing.BrokerClassAnnotation] = "Kafka" }, []string{classKey}},
		{"invalid as on create", func(b *eventing.Broker) { b.Spec.Delivery.Retry = ptr.To[int32](-1) }, []string{"spec.delivery.retry"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := newBroker()
			b := newBroker()
			tc.mutate(b)
			expectPaths(t, validation.ValidateBrokerUpdate(b, old), tc.want...)
		})
	}
	t.Run("config changed", func(t *testing.T) {
		old := newBroker()
		old.Spec.Config = ref("ConfigMap", "cfg", "ns")
		b := newBroker()
		b.Spec.Config = ref("ConfigMap", "other", "ns")
		expectPaths(t, validation.ValidateBrokerUpdate(b, old), "spec.config")
	})
}

func TestTrigger(t *testing.T) {
	filters := func(f ...duckv1.SubscriptionsAPIFilter) func(*eventing.Trigger) {
		return func(tr *eventing.Trigger) { tr.Spec.Filters = f }
	}
	tests := []struct {
		name   string
		mutate func(*eventing.Trigger)
		want   []string
	}{
		{"valid", func(*eventing.Trigger) {}, nil},
		{"invalid name", func(tr *eventing.Trigger) { tr.Name = "-t" }, []string{"metadata.name"}},

		// broker / brokerRef
		{"no broker", func(tr *eventing.Trigger) { tr.Spec.Broker = "" }, []string{"spec.broker"}},
		{"brokerRef instead of broker", func(tr *eventing.Trigger) {
			tr.Spec.Broker, tr.Spec.BrokerRef = "", ref("Broker", "default", "ns")
		}, nil},
		{"brokerRef without namespace", func(tr *eventing.Trigger) {
			tr.Spec.Broker, tr.Spec.BrokerRef = "", ref("Broker", "default", "")
		}, nil},
		{"both broker and brokerRef", func(tr *eventing.Trigger) { tr.Spec.BrokerRef = ref("Broker", "default", "ns") },
			[]string{"spec.brokerRef"}},
		{"brokerRef in another namespace", func(tr *eventing.Trigger) {
			tr.Spec.Broker, tr.Spec.BrokerRef = "", ref("Broker", "default", "other")
		}, []string{"spec.brokerRef.namespace"}},
		{"brokerRef without name", func(tr *eventing.Trigger) {
			tr.Spec.Broker, tr.Spec.BrokerRef = "", ref("Broker", "", "ns")
		}, []string{"spec.brokerRef.name"}},

		// filter.attributes
		{"attributes", func(tr *eventing.Trigger) {
			tr.Spec.Filter.Attributes = map[string]string{"type": "dev.knative.foo", "source": "", "myext2": "x"}
		}, nil},
		{"attribute names", func(tr *eventing.Trigger) {
			tr.Spec.Filter.Attributes = map[string]string{"Type": "x", "2nd": "y", "my-ext": "z", "": "e"}
		}, []string{"spec.filter.attributes[Type]", "spec.filter.attributes[2nd]", "spec.filter.attributes[my-ext]", "spec.filter.attributes[]"}},

		// filters
		{"filters of every dialect", filters(
			duckv1.SubscriptionsAPIFilter{Exact: map[string]string{"type": "dev.knative.foo"}},
			duckv1.SubscriptionsAPIFilter{Prefix: map[string]string{"source": "https://"}},
			duckv1.SubscriptionsAPIFilter{Suffix: map[string]string{"subject": ".jpg"}},
			duckv1.SubscriptionsAPIFilter{All: []duckv1.SubscriptionsAPIFilter{{Exact: map[string]string{"a": "b"}}, {CESQL: "c = 'd'"}}},
			duckv1.SubscriptionsAPIFilter{Any: []duckv1.SubscriptionsAPIFilter{{Exact: map[string]string{"a": "b"}}, {Not: &duckv1.SubscriptionsAPIFilter{}}}},
			duckv1.SubscriptionsAPIFilter{Not: &duckv1.SubscriptionsAPIFilter{Prefix: map[string]string{"type": "x."}}},
			duckv1.SubscriptionsAPIFilter{CESQL: "type = 'dev.knative' AND ttl < 3"},
		), nil},
		{"empty filter expression", filters(duckv1.SubscriptionsAPIFilter{}), nil},
		{"two dialects", filters(duckv1.SubscriptionsAPIFilter{
			Exact: map[string]string{"type": "a"}, Suffix: map[string]string{"type": "b"},
		}), []string{"spec.filters[0]"}},
		{"cesql and not", filters(duckv1.SubscriptionsAPIFilter{}, duckv1.SubscriptionsAPIFilter{
			CESQL: "true", Not: &duckv1.SubscriptionsAPIFilter{},
		}), []string{"spec.filters[1]"}},
		{"exact with two attributes", filters(duckv1.SubscriptionsAPIFilter{Exact: map[string]string{"type": "a", "source": "b"}}),
			[]string{"spec.filters[0].exact"}},
		{"prefix with two attributes", filters(duckv1.SubscriptionsAPIFilter{Prefix: map[string]string{"type": "a", "source": "b"}}),
			[]string{"spec.filters[0].prefix"}},
		{"suffix with two attributes", filters(duckv1.SubscriptionsAPIFilter{Suffix: map[string]string{"type": "a", "source": "b"}}),
			[]string{"spec.filters[0].suffix"}},
		{"exact attribute name", filters(duckv1.SubscriptionsAPIFilter{Exact: map[string]string{"Type": "a"}}),
			[]string{"spec.filters[0].exact[Type]"}},
		{"prefix attribute name", filters(duckv1.SubscriptionsAPIFilter{Prefix: map[string]string{"0type": "a"}}),
			[]string{"spec.filters[0].prefix[0type]"}},
		{"suffix attribute name", filters(duckv1.SubscriptionsAPIFilter{Suffix: map[string]string{"my_ext": "a"}}),
			[]string{"spec.filters[0].suffix[my_ext]"}},
		{"exact empty value", filters(duckv1.SubscriptionsAPIFilter{Exact: map[string]string{"type": ""}}),
			[]string{"spec.filters[0].exact[type]"}},
		{"prefix empty value", filters(duckv1.SubscriptionsAPIFilter{Prefix: map[string]string{"type": ""}}),
			[]string{"spec.filters[0].prefix[type]"}},
		{"suffix empty value", filters(duckv1.SubscriptionsAPIFilter{Suffix: map[string]string{"type": ""}}),
			[]string{"spec.filters[0].suffix[type]"}},
		{"nested in all", filters(duckv1.SubscriptionsAPIFilter{All: []duckv1.SubscriptionsAPIFilter{
			{Exact: map[string]string{"type": "a"}}, {Prefix: map[string]string{"Bad": "x"}},
		}}), []string{"spec.filters[0].all[1].prefix[Bad]"}},
		{"nested in any", filters(duckv1.SubscriptionsAPIFilter{Any: []duckv1.SubscriptionsAPIFilter{
			{CESQL: "type ="},
		}}), []string{"spec.filters[0].any[0].cesql"}},
		{"nested in not", filters(duckv1.SubscriptionsAPIFilter{Not: &duckv1.SubscriptionsAPIFilter{
			Not: &duckv1.SubscriptionsAPIFilter{Exact: map[string]string{"a": "b"}, Prefix: map[string]string{"a": "b"}},
		}}), []string{"spec.filters[0].not.not"}},
		{"cesql syntax error", filters(duckv1.SubscriptionsAPIFilter{}, duckv1.SubscriptionsAPIFilter{CESQL: "this is wrong"}),
			[]string{"spec.filters[1].cesql"}},
		{"cesql unbalanced", filters(duckv1.SubscriptionsAPIFilter{CESQL: "(type = 'a'"}), []string{"spec.filters[0].cesql"}},

		// subscriber and delivery
		{"subscriber uri", func(tr *eventing.Trigger) {
			tr.Spec.Subscriber = duckv1.Destination{URI: ptr.To("http://example.com/events")}
		}, nil},
		{"subscriber in another namespace", func(tr *eventing.Trigger) { tr.Spec.Subscriber.Ref.Namespace = "other" }, nil},
		{"subscriber missing", func(tr *eventing.Trigger) { tr.Spec.Subscriber = duckv1.Destination{} }, []string{"spec.subscriber"}},
		{"subscriber ref without name", func(tr *eventing.Trigger) { tr.Spec.Subscriber.Ref.Name = "" }, []string{"spec.subscriber.ref.name"}},
		{"subscriber relative uri", func(tr *eventing.Trigger) { tr.Spec.Subscriber = duckv1.Destination{URI: ptr.To("/events")} },
			[]string{"spec.subscriber.uri"}},
		{"delivery", func(tr *eventing.Trigger) {
			tr.Spec.Delivery = &duckv1.DeliverySpec{Retry: ptr.To[int32](2), Timeout: ptr.To("PT5S"), DeadLetterSink: &duckv1.Destination{URI: ptr.To("http://dls.ns.svc")}}
		}, nil},
		{"delivery backoff delay", func(tr *eventing.Trigger) {
			tr.Spec.Delivery = &duckv1.DeliverySpec{BackoffDelay: ptr.To("invalid time")}
		},
			[]string{"spec.delivery.backoffDelay"}},

		// annotations
		{"dependency", func(tr *eventing.Trigger) {
			tr.Annotations = map[string]string{eventing.DependencyAnnotation: `{"kind":"PingSource","name":"ping","apiVersion":"sources.knative.dev/v1"}`}
		}, nil},
		{"dependency in the Trigger's namespace", func(tr *eventing.Trigger) {
			tr.Annotations = map[string]string{eventing.DependencyAnnotation: `{"kind":"PingSource","namespace":"ns","name":"ping","apiVersion":"sources.knative.dev/v1"}`}
		}, nil},
		{"dependency not JSON", func(tr *eventing.Trigger) {
			tr.Annotations = map[string]string{eventing.DependencyAnnotation: "invalid dependency annotation"}
		}, []string{dependencyKey}},
		{"dependency incomplete", func(tr *eventing.Trigger) {
			tr.Annotations = map[string]string{eventing.DependencyAnnotation: `{}`}
		}, []string{dependencyKey + ".kind", dependencyKey + ".name", dependencyKey + ".apiVersion"}},
		{"dependency in another namespace", func(tr *eventing.Trigger) {
			tr.Annotations = map[string]string{eventing.DependencyAnnotation: `{"kind":"PingSource","namespace":"other","name":"ping","apiVersion":"sources.knative.dev/v1"}`}
		}, []string{dependencyKey + ".namespace"}},
		{"injection", func(tr *eventing.Trigger) {
			tr.Annotations = map[string]string{eventing.InjectionAnnotation: "enabled"}
		}, nil},
		{"injection disabled", func(tr *eventing.Trigger) {
			tr.Annotations = map[string]string{eventing.InjectionAnnotation: "disabled"}
		}, nil},
		{"injection value", func(tr *eventing.Trigger) { tr.Annotations = map[string]string{eventing.InjectionAnnotation: "wut"} },
			[]string{injectionKey}},
		{"injection for another broker", func(tr *eventing.Trigger) {
			tr.Spec.Broker = "other"
			tr.Annotations = map[string]string{eventing.InjectionAnnotation: "enabled"}
		}, []string{injectionKey}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := newTrigger()
			tc.mutate(tr)
			expectPaths(t, validation.ValidateTrigger(tr), tc.want...)
		})
	}
}

func TestTriggerUpdate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*eventing.Trigger)
		want   []string
	}{
		{"unchanged", func(*eventing.Trigger) {}, nil},
		{"filter and subscriber change", func(tr *eventing.Trigger) {
			tr.Spec.Filter.Attributes = map[string]string{"type": "x"}
			tr.Spec.Subscriber.Ref.Name = "other"
		}, nil},
		{"broker changed", func(tr *eventing.Trigger) { tr.Spec.Broker = "other" }, []string{"spec.broker"}},
		{"broker replaced by brokerRef", func(tr *eventing.Trigger) {
			tr.Spec.Broker, tr.Spec.BrokerRef = "", ref("Broker", "default", "ns")
		}, []string{"spec.broker", "spec.brokerRef"}},
		{"invalid as on create", func(tr *eventing.Trigger) { tr.Spec.Subscriber = duckv1.Destination{} }, []string{"spec.subscriber"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := newTrigger()
			tr := newTrigger()
			tc.mutate(tr)
			expectPaths(t, validation.ValidateTriggerUpdate(tr, old), tc.want...)
		})
	}
}

func TestEventType(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*eventing.EventType)
		want   []string
	}{
		{"valid", func(*eventing.EventType) {}, nil},
		{"type only", func(e *eventing.EventType) { e.Spec = eventing.EventTypeSpec{Type: "t"} }, nil},
		{"everything", func(e *eventing.EventType) {
			e.Spec.Schema, e.Spec.SchemaData, e.Spec.Broker, e.Spec.Description = ptr.To("/schemas/a.json"), "{}", "default", "d"
		}, nil},
		{"invalid name", func(e *eventing.EventType) { e.Name = "UPPER" }, []string{"metadata.name"}},
		{"type missing", func(e *eventing.EventType) { e.Spec.Type = "" }, []string{"spec.type"}},
		{"source not a URL", func(e *eventing.EventType) { e.Spec.Source = ptr.To("http://[::1") }, []string{"spec.source"}},
		{"schema not a URL", func(e *eventing.EventType) { e.Spec.Schema = ptr.To("%zz") }, []string{"spec.schema"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEventType()
			tc.mutate(e)
			expectPaths(t, validation.ValidateEventType(e), tc.want...)
		})
	}
}

func TestEventTypeUpdate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*eventing.EventType)
		want   []string
	}{
		{"unchanged", func(*eventing.EventType) {}, nil},
		{"metadata changes", func(e *eventing.EventType) { e.Labels = map[string]string{"a": "b"} }, nil},
		{"description changed", func(e *eventing.EventType) { e.Spec.Description = "new" }, []string{"spec"}},
		{"type changed", func(e *eventing.EventType) { e.Spec.Type = "other" }, []string{"spec"}},
		{"type removed", func(e *eventing.EventType) { e.Spec.Type = "" }, []string{"spec", "spec.type"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := newEventType()
			e := newEventType()
			tc.mutate(e)
			expectPaths(t, validation.ValidateEventTypeUpdate(e, old), tc.want...)
		})
	}
}
