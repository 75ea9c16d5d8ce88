package defaults_test

import (
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/diff"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/eventing"
	"github.com/knap-dev/knap/pkg/apis/eventing/defaults"
)

func meta() metav1.ObjectMeta { return metav1.ObjectMeta{Name: "x", Namespace: "ns"} }

func classed(class string) metav1.ObjectMeta {
	m := meta()
	m.Annotations = map[string]string{eventing.BrokerClassAnnotation: class}
	return m
}

func check(t *testing.T, got, want any) {
	t.Helper()
	if !equality.Semantic.DeepEqual(got, want) {
		t.Errorf("defaulted object differs (-want +got):\n%s", diff.Diff(want, got))
	}
}

func TestBroker(t *testing.T) {
	shipped := defaults.BrokerDelivery()
	tests := []struct {
		name string
		in   eventing.Broker
		want eventing.Broker
	}{{
		name: "empty broker gets the class and the shipped delivery",
		in:   eventing.Broker{ObjectMeta: meta()},
		want: eventing.Broker{ObjectMeta: classed("MTChannelBasedBroker"), Spec: eventing.BrokerSpec{Delivery: shipped}},
	}, {
		name: "class kept",
		in:   eventing.Broker{ObjectMeta: classed("Kafka")},
		want: eventing.Broker{ObjectMeta: classed("Kafka"), Spec: eventing.BrokerSpec{Delivery: shipped}},
	}, {
		name: "empty class left for validation",
		in:   eventing.Broker{ObjectMeta: classed("")},
		want: eventing.Broker{ObjectMeta: classed(""), Spec: eventing.BrokerSpec{Delivery: shipped}},
	}, {
		name: "other annotations kept",
		in: eventing.Broker{ObjectMeta: metav1.ObjectMeta{Name: "x", Namespace: "ns",
			Annotations: map[string]string{"a": "b"}}},
		want: eventing.Broker{ObjectMeta: metav1.ObjectMeta{Name: "x", Namespace: "ns",
			Annotations: map[string]string{"a": "b", eventing.BrokerClassAnnotation: "MTChannelBasedBroker"}},
			Spec: eventing.BrokerSpec{Delivery: shipped}},
	}, {
		name: "a partial delivery is not merged with the default",
		in:   eventing.Broker{ObjectMeta: classed("C"), Spec: eventing.BrokerSpec{Delivery: &duckv1.DeliverySpec{Retry: ptr.To[int32](3)}}},
		want: eventing.Broker{ObjectMeta: classed("C"), Spec: eventing.BrokerSpec{Delivery: &duckv1.DeliverySpec{Retry: ptr.To[int32](3)}}},
	}, {
		name: "config and dead letter sink get the Broker's namespace",
		in: eventing.Broker{ObjectMeta: classed("C"), Spec: eventing.BrokerSpec{
			Config:   &duckv1.KReference{APIVersion: "v1", Kind: "ConfigMap", Name: "cfg"},
			Delivery: &duckv1.DeliverySpec{DeadLetterSink: &duckv1.Destination{Ref: &duckv1.KReference{Kind: "Service", Name: "dls"}}},
		}},
		want: eventing.Broker{ObjectMeta: classed("C"), Spec: eventing.BrokerSpec{
			Config:   &duckv1.KReference{APIVersion: "v1", Kind: "ConfigMap", Name: "cfg", Namespace: "ns"},
			Delivery: &duckv1.DeliverySpec{DeadLetterSink: &duckv1.Destination{Ref: &duckv1.KReference{Kind: "Service", Name: "dls", Namespace: "ns"}}},
		}},
	}, {
		name: "namespaces given are kept",
		in: eventing.Broker{ObjectMeta: classed("C"), Spec: eventing.BrokerSpec{
			Config:   &duckv1.KReference{Kind: "ConfigMap", Name: "cfg", Namespace: "knative-eventing"},
			Delivery: &duckv1.DeliverySpec{DeadLetterSink: &duckv1.Destination{URI: ptr.To("http://dls")}},
		}},
		want: eventing.Broker{ObjectMeta: classed("C"), Spec: eventing.BrokerSpec{
			Config:   &duckv1.KReference{Kind: "ConfigMap", Name: "cfg", Namespace: "knative-eventing"},
			Delivery: &duckv1.DeliverySpec{DeadLetterSink: &duckv1.Destination{URI: ptr.To("http://dls")}},
		}},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, old := range []*eventing.Broker{nil, {ObjectMeta: classed("Old")}} {
				b := tc.in.DeepCopy()
				defaults.Broker(b, old, "alice")
				check(t, b, &tc.want)
				defaults.Broker(b, old, "alice")
				check(t, b, &tc.want)
			}
		})
	}
	t.Run("shipped delivery", func(t *testing.T) {
		check(t, shipped, &duckv1.DeliverySpec{
			Retry: ptr.To[int32](10), BackoffPolicy: ptr.To(duckv1.BackoffPolicyExponential), BackoffDelay: ptr.To("PT0.2S"),
		})
	})
}

func TestTrigger(t *testing.T) {
	svc := func(ns string) duckv1.Destination {
		return duckv1.Destination{Ref: &duckv1.KReference{APIVersion: "serving.knative.dev/v1", Kind: "Service", Name: "s", Namespace: ns}}
	}
	labelled := func(broker string) metav1.ObjectMeta {
		m := meta()
		m.Labels = map[string]string{eventing.BrokerLabel: broker}
		return m
	}
	tests := []struct {
		name string
		in   eventing.Trigger
		want eventing.Trigger
	}{{
		name: "filter, label and subscriber namespace",
		in:   eventing.Trigger{ObjectMeta: meta(), Spec: eventing.TriggerSpec{Broker: "default", Subscriber: svc("")}},
		want: eventing.Trigger{ObjectMeta: labelled("default"), Spec: eventing.TriggerSpec{
			Broker: "default", Filter: &eventing.TriggerFilter{}, Subscriber: svc("ns")}},
	}, {
		name: "filter and subscriber namespace kept",
		in: eventing.Trigger{ObjectMeta: meta(), Spec: eventing.TriggerSpec{Broker: "b",
			Filter: &eventing.TriggerFilter{Attributes: map[string]string{"type": "x"}}, Subscriber: svc("other")}},
		want: eventing.Trigger{ObjectMeta: labelled("b"), Spec: eventing.TriggerSpec{Broker: "b",
			Filter: &eventing.TriggerFilter{Attributes: map[string]string{"type": "x"}}, Subscriber: svc("other")}},
	}, {
		name: "label overwritten with spec.broker, other labels kept",
		in: eventing.Trigger{ObjectMeta: metav1.ObjectMeta{Name: "x", Namespace: "ns",
			Labels: map[string]string{eventing.BrokerLabel: "forged", "app": "a"}},
			Spec: eventing.TriggerSpec{Broker: "b", Subscriber: svc("ns")}},
		want: eventing.Trigger{ObjectMeta: metav1.ObjectMeta{Name: "x", Namespace: "ns",
			Labels: map[string]string{eventing.BrokerLabel: "b", "app": "a"}},
			Spec: eventing.TriggerSpec{Broker: "b", Filter: &eventing.TriggerFilter{}, Subscriber: svc("ns")}},
	}, {
		name: "no label without spec.broker",
		in: eventing.Trigger{ObjectMeta: meta(), Spec: eventing.TriggerSpec{
			BrokerRef: &duckv1.KReference{Kind: "Broker", Name: "b"}, Subscriber: duckv1.Destination{URI: ptr.To("http://x")}}},
		want: eventing.Trigger{ObjectMeta: meta(), Spec: eventing.TriggerSpec{
			BrokerRef: &duckv1.KReference{Kind: "Broker", Name: "b"}, Filter: &eventing.TriggerFilter{},
			Subscriber: duckv1.Destination{URI: ptr.To("http://x")}}},
	}, {
		name: "dead letter sink namespace",
		in: eventing.Trigger{ObjectMeta: meta(), Spec: eventing.TriggerSpec{Broker: "b", Subscriber: svc("ns"),
			Delivery: &duckv1.DeliverySpec{DeadLetterSink: &duckv1.Destination{Ref: &duckv1.KReference{Kind: "Service", Name: "d"}}}}},
		want: eventing.Trigger{ObjectMeta: labelled("b"), Spec: eventing.TriggerSpec{Broker: "b", Filter: &eventing.TriggerFilter{}, Subscriber: svc("ns"),
			Delivery: &duckv1.DeliverySpec{DeadLetterSink: &duckv1.Destination{Ref: &duckv1.KReference{Kind: "Service", Name: "d", Namespace: "ns"}}}}},
	}, {
		name: "no delivery default for a Trigger",
		in:   eventing.Trigger{ObjectMeta: meta(), Spec: eventing.TriggerSpec{Broker: "b", Filter: &eventing.TriggerFilter{}, Subscriber: svc("ns")}},
		want: eventing.Trigger{ObjectMeta: labelled("b"), Spec: eventing.TriggerSpec{Broker: "b", Filter: &eventing.TriggerFilter{}, Subscriber: svc("ns")}},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, old := range []*eventing.Trigger{nil, {ObjectMeta: labelled("old")}} {
				tr := tc.in.DeepCopy()
				defaults.Trigger(tr, old, "")
				check(t, tr, &tc.want)
				defaults.Trigger(tr, old, "")
				check(t, tr, &tc.want)
			}
		})
	}
}

func TestEventType(t *testing.T) {
	tests := []struct {
		name string
		in   eventing.EventTypeSpec
		want eventing.EventTypeSpec
	}{{
		name: "reference namespace",
		in:   eventing.EventTypeSpec{Type: "t", Reference: &duckv1.KReference{Kind: "Broker", Name: "b"}},
		want: eventing.EventTypeSpec{Type: "t", Reference: &duckv1.KReference{Kind: "Broker", Name: "b", Namespace: "ns"}},
	}, {
		name: "reference namespace kept",
		in:   eventing.EventTypeSpec{Type: "t", Reference: &duckv1.KReference{Kind: "Broker", Name: "b", Namespace: "o"}},
		want: eventing.EventTypeSpec{Type: "t", Reference: &duckv1.KReference{Kind: "Broker", Name: "b", Namespace: "o"}},
	}, {
		name: "empty URLs are no URLs",
		in:   eventing.EventTypeSpec{Type: "t", Source: ptr.To(""), Schema: ptr.To("")},
		want: eventing.EventTypeSpec{Type: "t"},
	}, {
		name: "URLs kept",
		in:   eventing.EventTypeSpec{Type: "t", Source: ptr.To("/s"), Schema: ptr.To("https://x/s.json")},
		want: eventing.EventTypeSpec{Type: "t", Source: ptr.To("/s"), Schema: ptr.To("https://x/s.json")},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := &eventing.EventType{ObjectMeta: meta(), Spec: tc.in}
			defaults.EventType(e, nil, "")
			check(t, e.Spec, tc.want)
			defaults.EventType(e, nil, "")
			check(t, e.Spec, tc.want)
		})
	}
}
