package eventing_test

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/eventing"
	"github.com/knap-dev/knap/pkg/registry/eventing/broker"
	"github.com/knap-dev/knap/pkg/registry/eventing/eventtype"
	"github.com/knap-dev/knap/pkg/registry/eventing/trigger"
)

var ready = duckv1.Status{Conditions: []duckv1.Condition{{Type: duckv1.ConditionReady, Status: "True", Reason: "Ok"}}}

func checkRow(t *testing.T, columns []metav1.TableColumnDefinition, cells []any, want ...any) {
	t.Helper()
	if len(columns) != len(cells) || len(cells) != len(want) {
		t.Fatalf("%d columns, %d cells, want %d", len(columns), len(cells), len(want))
	}
	for i := range want {
		if cells[i] != want[i] {
			t.Errorf("column %s = %v, want %v", columns[i].Name, cells[i], want[i])
		}
	}
}

func TestBrokerTable(t *testing.T) {
	k := broker.Kind()
	b := &eventing.Broker{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{eventing.BrokerClassAnnotation: "MTChannelBasedBroker"}}}
	checkRow(t, k.Columns, k.Cells(b), "", "<unknown>", "", "", "MTChannelBasedBroker")
	b.Status.Status = ready
	b.Status.Address = &duckv1.Addressable{URL: ptr.To("http://broker-ingress/ns/default")}
	checkRow(t, k.Columns, k.Cells(b), "http://broker-ingress/ns/default", "<unknown>", "True", "Ok", "MTChannelBasedBroker")
	if c := k.Columns[4]; c.Name != "Class" || c.Priority != 1 {
		t.Errorf("last column = %+v, want Class at priority 1", c)
	}
}

func TestTriggerTableAndFields(t *testing.T) {
	k := trigger.Kind()
	tr := &eventing.Trigger{Spec: eventing.TriggerSpec{Broker: "default"}}
	tr.Status.Status = ready
	tr.Status.SubscriberURI = ptr.To("http://display.ns.svc")
	checkRow(t, k.Columns, k.Cells(tr), "default", "http://display.ns.svc", "<unknown>", "True", "Ok")
	if got := k.Fields(tr)[eventing.FieldTriggerBroker]; got != "default" {
		t.Errorf("spec.broker field = %q, want default", got)
	}
	tr.Spec = eventing.TriggerSpec{BrokerRef: &duckv1.KReference{Kind: "Broker", Name: "other"}}
	if got := k.Fields(tr)[eventing.FieldTriggerBroker]; got != "other" {
		t.Errorf("spec.broker field with brokerRef = %q, want other", got)
	}
}

func TestEventTypeTableAndFields(t *testing.T) {
	k := eventtype.Kind()
	e := &eventing.EventType{Spec: eventing.EventTypeSpec{Type: "dev.t", Source: ptr.To("/s"), Description: "d",
		Reference: &duckv1.KReference{Kind: "Broker", Name: "default"}}}
	checkRow(t, k.Columns, k.Cells(e), "dev.t", "/s", "", "default", "Broker", "d", "", "")
	if got := k.Fields(e)[eventing.FieldEventTypeType]; got != "dev.t" {
		t.Errorf("spec.type field = %q", got)
	}
}
