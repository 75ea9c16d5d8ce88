package eventing

import duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"

// Field selectors the eventing kinds support beyond metadata.name,
// metadata.namespace and status.ready.
const (
	// FieldTriggerBroker selects Triggers by the Broker they read from:
	// spec.broker, or spec.brokerRef.name when only brokerRef is set.
	FieldTriggerBroker = "spec.broker"
	// FieldEventTypeType selects EventTypes by CloudEvents type.
	FieldEventTypeType = "spec.type"
)

// Labels and annotations Knative Eventing puts on its objects.
const (
	// BrokerClassAnnotation names the implementation that runs a Broker.
	BrokerClassAnnotation = GroupName + "/broker.class"
	// MTChannelBasedBrokerClass is the class a Broker gets when none is given
	// (the class in Knative's shipped config-br-defaults).
	MTChannelBasedBrokerClass = "MTChannelBasedBroker"
	// BrokerLabel on a Trigger names the Broker of spec.broker.
	BrokerLabel = GroupName + "/broker"
	// DependencyAnnotation on a Trigger is a JSON object reference to a
	// source the Trigger waits for.
	DependencyAnnotation = "knative.dev/dependency"
	// InjectionAnnotation on a Trigger asks for the "default" Broker to be
	// created ("enabled") or not ("disabled").
	InjectionAnnotation = GroupName + "/injection"
)

// Condition types the controllers report, as Knative's do. Each kind's
// Ready condition is duckv1.ConditionReady.
const (
	BrokerConditionIngress                duckv1.ConditionType = "IngressReady"
	BrokerConditionTriggerChannel         duckv1.ConditionType = "TriggerChannelReady"
	BrokerConditionFilter                 duckv1.ConditionType = "FilterReady"
	BrokerConditionAddressable            duckv1.ConditionType = "Addressable"
	BrokerConditionDeadLetterSinkResolved duckv1.ConditionType = "DeadLetterSinkResolved"
	BrokerConditionEventPoliciesReady     duckv1.ConditionType = "EventPoliciesReady"

	TriggerConditionBroker                 duckv1.ConditionType = "BrokerReady"
	TriggerConditionSubscribed             duckv1.ConditionType = "SubscriptionReady"
	TriggerConditionDependency             duckv1.ConditionType = "DependencyReady"
	TriggerConditionSubscriberResolved     duckv1.ConditionType = "SubscriberResolved"
	TriggerConditionDeadLetterSinkResolved duckv1.ConditionType = "DeadLetterSinkResolved"
	TriggerConditionOIDCIdentityCreated    duckv1.ConditionType = "OIDCIdentityCreated"

	EventTypeConditionReferenceExists duckv1.ConditionType = "ReferenceExists"
)
