package messaging_test

// Native fuzz targets for the messaging.knative.dev write path. The harness
// and its invariants are pkg/registry/resource/fuzzing's; here are the
// targets, their stored objects and seeds. The channels and subscriptions in
// artifacts/examples/eventing seed them too.

import (
	"testing"

	"github.com/knap-dev/knap/pkg/apis/messaging"
	"github.com/knap-dev/knap/pkg/apis/messaging/install"
	messagingv1 "github.com/knap-dev/knap/pkg/apis/messaging/v1"
	"github.com/knap-dev/knap/pkg/registry/messaging/channel"
	"github.com/knap-dev/knap/pkg/registry/messaging/inmemorychannel"
	"github.com/knap-dev/knap/pkg/registry/messaging/subscription"
	"github.com/knap-dev/knap/pkg/registry/resource/fuzzing"
)

var examples = []string{"../../../artifacts/examples/eventing/*.yaml"}

func FuzzChannel(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*messaging.Channel]{
		Kind:     channel.Kind(),
		Install:  install.Install,
		GVK:      messagingv1.SchemeGroupVersion.WithKind("Channel"),
		Stored:   storedChannel,
		Seeds:    channelSeeds,
		Examples: examples,
	})
}

func FuzzInMemoryChannel(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*messaging.InMemoryChannel]{
		Kind:     inmemorychannel.Kind(),
		Install:  install.Install,
		GVK:      messagingv1.SchemeGroupVersion.WithKind("InMemoryChannel"),
		Stored:   storedInMemoryChannel,
		Seeds:    inMemoryChannelSeeds,
		Examples: examples,
	})
}

func FuzzSubscription(f *testing.F) {
	fuzzing.Fuzz(f, fuzzing.Target[*messaging.Subscription]{
		Kind:     subscription.Kind(),
		Install:  install.Install,
		GVK:      messagingv1.SchemeGroupVersion.WithKind("Subscription"),
		Stored:   storedSubscription,
		Seeds:    subscriptionSeeds,
		Examples: examples,
	})
}

// Stored objects of the update path, and seeds: valid and invalid documents.
const (
	storedChannel = `{"apiVersion":"messaging.knative.dev/v1","kind":"Channel","metadata":{"name":"events"},` +
		`"spec":{"delivery":{"retry":3,"deadLetterSink":{"ref":{"apiVersion":"serving.knative.dev/v1","kind":"Service","name":"dlq"}}}}}`
	storedInMemoryChannel = `{"apiVersion":"messaging.knative.dev/v1","kind":"InMemoryChannel","metadata":{"name":"events"},` +
		`"spec":{"subscribers":[{"uid":"u1","generation":1,"subscriberUri":"http://a.default.svc"}]}}`
	storedSubscription = `{"apiVersion":"messaging.knative.dev/v1","kind":"Subscription","metadata":{"name":"sub"},"spec":{` +
		`"channel":{"apiVersion":"messaging.knative.dev/v1","kind":"Channel","name":"events"},` +
		`"subscriber":{"ref":{"apiVersion":"serving.knative.dev/v1","kind":"Service","name":"display"}},"reply":{"uri":"http://r.example.com"}}}`
)

var channelSeeds = []string{
	"apiVersion: messaging.knative.dev/v1\nkind: Channel\nmetadata:\n  name: kafka\nspec:\n  channelTemplate:\n" +
		"    apiVersion: messaging.knative.dev/v1beta1\n    kind: KafkaChannel\n    spec:\n      numPartitions: 3\n      replicationFactor: 1\n",
	`{"apiVersion":"messaging.knative.dev/v1","kind":"Channel","metadata":{"name":"t"},"spec":{"channelTemplate":{"apiVersion":"v","kind":"K","spec":[1]}}}`,
	`{"apiVersion":"messaging.knative.dev/v1","kind":"Channel","metadata":{"name":"s"},"spec":{"subscribers":[{"subscriberUri":"http://x"}],"delivery":{"retry":-1,"timeout":"P0D"}}}`,
}

var inMemoryChannelSeeds = []string{
	"apiVersion: messaging.knative.dev/v1\nkind: InMemoryChannel\nmetadata:\n  name: imc\n  annotations:\n" +
		"    eventing.knative.dev/scope: namespace\nspec:\n  delivery:\n    backoffPolicy: linear\n    backoffDelay: PT1S\n    timeout: PT10S\n",
	`{"apiVersion":"messaging.knative.dev/v1","kind":"InMemoryChannel","metadata":{"name":"b","annotations":{"eventing.knative.dev/scope":"x"}},` +
		`"spec":{"subscribers":[{},{"replyUri":"http://[::1"}],"delivery":{"backoffPolicy":"random","retryAfterMax":"PT1S"}}}`,
}

var subscriptionSeeds = []string{
	"apiVersion: messaging.knative.dev/v1\nkind: Subscription\nmetadata:\n  name: s\nspec:\n  channel:\n    apiVersion: messaging.knative.dev/v1\n" +
		"    kind: InMemoryChannel\n    name: imc\n  subscriber:\n    uri: https://fn.example.com\n  delivery:\n    deadLetterSink:\n      uri: http://dlq.example.com\n",
	`{"apiVersion":"messaging.knative.dev/v1","kind":"Subscription","metadata":{"name":"bad"},"spec":{"channel":{"kind":"Channel","namespace":"other"},` +
		`"subscriber":{},"reply":{"uri":"/rel","ref":{"kind":"Service","name":"x","namespace":"y"}},"delivery":{"backoffDelay":"soon"}}}`,
	`{"apiVersion":"messaging.knative.dev/v1","kind":"Subscription","metadata":{"name":"e"}}`,
}
