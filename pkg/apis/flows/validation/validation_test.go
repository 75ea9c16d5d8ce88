package validation

import (
	"sort"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/flows"
)

const ns = "ns"

func ref(name string) *duckv1.KReference {
	return &duckv1.KReference{APIVersion: "serving.knative.dev/v1", Kind: "Service", Name: name, Namespace: ns}
}

func refDest(name string) *duckv1.Destination { return &duckv1.Destination{Ref: ref(name)} }

func uriDest(u string) *duckv1.Destination { return &duckv1.Destination{URI: ptr.To(u)} }

func imc() *duckv1.ChannelTemplateSpec {
	return &duckv1.ChannelTemplateSpec{APIVersion: "messaging.knative.dev/v1", Kind: "InMemoryChannel"}
}

// paths returns the sorted field paths of errs.
func paths(errs field.ErrorList) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Field)
	}
	sort.Strings(out)
	return out
}

func check(t *testing.T, errs field.ErrorList, want []string) {
	t.Helper()
	sort.Strings(want)
	if got := paths(errs); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("error paths = %v, want %v; errors: %v", got, want, errs)
	}
}

func validSequence() *flows.Sequence {
	return &flows.Sequence{
		ObjectMeta: metav1.ObjectMeta{Name: "seq", Namespace: ns, ResourceVersion: "1"},
		Spec: flows.SequenceSpec{
			Steps:           []flows.SequenceStep{{Destination: *refDest("a")}, {Destination: *refDest("b")}},
			ChannelTemplate: imc(),
			Reply:           refDest("r"),
		},
	}
}

func TestValidateSequence(t *testing.T) {
	for name, tc := range map[string]struct {
		mutate func(*flows.Sequence)
		want   []string // field paths of the errors; none means valid
	}{
		"valid": {mutate: func(*flows.Sequence) {}},
		"one uri step no reply": {mutate: func(s *flows.Sequence) {
			s.Spec.Steps = s.Spec.Steps[:1]
			s.Spec.Steps[0].Destination = *uriDest("http://fn.example.com/")
			s.Spec.Reply = nil
		}},
		"ref with relative uri": {mutate: func(s *flows.Sequence) { s.Spec.Steps[0].URI = ptr.To("/path") }},
		"valid delivery": {mutate: func(s *flows.Sequence) {
			s.Spec.Steps[1].Delivery = &duckv1.DeliverySpec{DeadLetterSink: refDest("dls"), Retry: ptr.To[int32](3), Timeout: ptr.To("PT10S"), BackoffPolicy: ptr.To(duckv1.BackoffPolicyLinear), BackoffDelay: ptr.To("PT1S")}
		}},
		"channel template with object spec": {mutate: func(s *flows.Sequence) {
			s.Spec.ChannelTemplate = &duckv1.ChannelTemplateSpec{APIVersion: "messaging.knative.dev/v1alpha1", Kind: "KafkaChannel", Spec: &runtime.RawExtension{Raw: []byte(` {"numPartitions":3}`)}}
		}},

		"invalid name":     {mutate: func(s *flows.Sequence) { s.Name = "Not_A_Name" }, want: []string{"metadata.name"}},
		"no steps":         {mutate: func(s *flows.Sequence) { s.Spec.Steps = nil }, want: []string{"spec.steps"}},
		"empty step":       {mutate: func(s *flows.Sequence) { s.Spec.Steps[1] = flows.SequenceStep{} }, want: []string{"spec.steps[1]"}},
		"step ref no name": {mutate: func(s *flows.Sequence) { s.Spec.Steps[0].Ref.Name = "" }, want: []string{"spec.steps[0].ref.name"}},
		"step ref no kind or apiVersion": {mutate: func(s *flows.Sequence) { s.Spec.Steps[0].Ref.Kind = ""; s.Spec.Steps[0].Ref.APIVersion = "" },
			want: []string{"spec.steps[0].ref.kind", "spec.steps[0].ref.apiVersion"}},
		"step ref in another namespace (Knative allows it)": {mutate: func(s *flows.Sequence) { s.Spec.Steps[0].Ref.Namespace = "other" }},
		"step relative uri without ref":                     {mutate: func(s *flows.Sequence) { s.Spec.Steps[0].Destination = *uriDest("/fn") }, want: []string{"spec.steps[0].uri"}},
		"step absolute uri with ref":                        {mutate: func(s *flows.Sequence) { s.Spec.Steps[0].URI = ptr.To("http://x.example.com/") }, want: []string{"spec.steps[0].uri"}},
		"step bad CA certs":                                 {mutate: func(s *flows.Sequence) { s.Spec.Steps[0].CACerts = ptr.To("not a cert") }, want: []string{"spec.steps[0].CACerts"}},
		"step negative retry": {mutate: func(s *flows.Sequence) { s.Spec.Steps[0].Delivery = &duckv1.DeliverySpec{Retry: ptr.To[int32](-1)} },
			want: []string{"spec.steps[0].delivery.retry"}},
		"step bad timeout and backoff": {mutate: func(s *flows.Sequence) {
			s.Spec.Steps[1].Delivery = &duckv1.DeliverySpec{Timeout: ptr.To("10s"), BackoffPolicy: ptr.To(duckv1.BackoffPolicyType("random")), BackoffDelay: ptr.To("1s")}
		}, want: []string{"spec.steps[1].delivery.timeout", "spec.steps[1].delivery.backoffPolicy", "spec.steps[1].delivery.backoffDelay"}},
		"step invalid dead letter sink": {mutate: func(s *flows.Sequence) {
			s.Spec.Steps[0].Delivery = &duckv1.DeliverySpec{DeadLetterSink: &duckv1.Destination{}}
		},
			want: []string{"spec.steps[0].delivery.deadLetterSink"}},
		"step retryAfterMax (feature off)": {mutate: func(s *flows.Sequence) {
			s.Spec.Steps[0].Delivery = &duckv1.DeliverySpec{RetryAfterMax: ptr.To("PT1S")}
		},
			want: []string{"spec.steps[0].delivery.retryAfterMax"}},
		"no channel template":                                {mutate: func(s *flows.Sequence) { s.Spec.ChannelTemplate = nil }, want: []string{"spec.channelTemplate"}},
		"channel template without kind":                      {mutate: func(s *flows.Sequence) { s.Spec.ChannelTemplate.Kind = "" }, want: []string{"spec.channelTemplate.kind"}},
		"channel template without apiVersion":                {mutate: func(s *flows.Sequence) { s.Spec.ChannelTemplate.APIVersion = "" }, want: []string{"spec.channelTemplate.apiVersion"}},
		"channel template spec not an object":                {mutate: func(s *flows.Sequence) { s.Spec.ChannelTemplate.Spec = &runtime.RawExtension{Raw: []byte(`[1]`)} }, want: []string{"spec.channelTemplate.spec"}},
		"channel template spec a string":                     {mutate: func(s *flows.Sequence) { s.Spec.ChannelTemplate.Spec = &runtime.RawExtension{Raw: []byte(`"x"`)} }, want: []string{"spec.channelTemplate.spec"}},
		"empty reply":                                        {mutate: func(s *flows.Sequence) { s.Spec.Reply = &duckv1.Destination{} }, want: []string{"spec.reply"}},
		"reply ref without name":                             {mutate: func(s *flows.Sequence) { s.Spec.Reply.Ref.Name = "" }, want: []string{"spec.reply.ref.name"}},
		"reply relative uri":                                 {mutate: func(s *flows.Sequence) { s.Spec.Reply = uriDest("reply") }, want: []string{"spec.reply.uri"}},
		"reply ref in another namespace (Knative allows it)": {mutate: func(s *flows.Sequence) { s.Spec.Reply.Ref.Namespace = "other" }},
	} {
		t.Run(name, func(t *testing.T) {
			s := validSequence()
			tc.mutate(s)
			check(t, ValidateSequence(s), tc.want)
			old := validSequence()
			old.Name = s.Name
			check(t, ValidateSequenceUpdate(s, old), tc.want)
		})
	}
}

func TestValidateSequenceUpdate(t *testing.T) {
	old := validSequence()
	s := validSequence()
	// Everything in the spec may change.
	s.Spec.Steps = s.Spec.Steps[:1]
	s.Spec.ChannelTemplate.Kind = "KafkaChannel"
	s.Spec.Reply = nil
	check(t, ValidateSequenceUpdate(s, old), nil)

	// Metadata rules of updates still apply.
	s.Namespace = "moved"
	s.Spec.Steps[0].Ref.Namespace = "moved"
	check(t, ValidateSequenceUpdate(s, old), []string{"metadata.namespace"})
	s = validSequence()
	s.ResourceVersion = ""
	check(t, ValidateSequenceUpdate(s, old), []string{"metadata.resourceVersion"})
}

func validParallel() *flows.Parallel {
	return &flows.Parallel{
		ObjectMeta: metav1.ObjectMeta{Name: "par", Namespace: ns, ResourceVersion: "1"},
		Spec: flows.ParallelSpec{
			Branches: []flows.ParallelBranch{
				{Filter: refDest("f"), Subscriber: *refDest("s"), Reply: refDest("br")},
				{Subscriber: *uriDest("http://s2.example.com/")},
			},
			ChannelTemplate: imc(),
			Reply:           refDest("r"),
		},
	}
}

func TestValidateParallel(t *testing.T) {
	for name, tc := range map[string]struct {
		mutate func(*flows.Parallel)
		want   []string
	}{
		"valid":                     {mutate: func(*flows.Parallel) {}},
		"subscriber only, no reply": {mutate: func(p *flows.Parallel) { p.Spec.Branches = p.Spec.Branches[1:]; p.Spec.Reply = nil }},
		"valid delivery": {mutate: func(p *flows.Parallel) {
			p.Spec.Branches[0].Delivery = &duckv1.DeliverySpec{DeadLetterSink: uriDest("http://dls.example.com/"), Retry: ptr.To[int32](0), BackoffPolicy: ptr.To(duckv1.BackoffPolicyExponential)}
		}},
		"channel template with object spec": {mutate: func(p *flows.Parallel) {
			p.Spec.ChannelTemplate.Spec = &runtime.RawExtension{Raw: []byte(`{"delivery":{"retry":1}}`)}
		}},

		"invalid name":            {mutate: func(p *flows.Parallel) { p.Name = "-par" }, want: []string{"metadata.name"}},
		"no branches":             {mutate: func(p *flows.Parallel) { p.Spec.Branches = []flows.ParallelBranch{} }, want: []string{"spec.branches"}},
		"empty filter":            {mutate: func(p *flows.Parallel) { p.Spec.Branches[0].Filter = &duckv1.Destination{} }, want: []string{"spec.branches[0].filter"}},
		"filter ref without kind": {mutate: func(p *flows.Parallel) { p.Spec.Branches[0].Filter.Ref.Kind = "" }, want: []string{"spec.branches[0].filter.ref.kind"}},
		"empty subscriber":        {mutate: func(p *flows.Parallel) { p.Spec.Branches[1].Subscriber = duckv1.Destination{} }, want: []string{"spec.branches[1].subscriber"}},
		"subscriber relative uri": {mutate: func(p *flows.Parallel) { p.Spec.Branches[1].Subscriber = *uriDest("s2") }, want: []string{"spec.branches[1].subscriber.uri"}},
		"subscriber in another namespace (Knative allows it)": {mutate: func(p *flows.Parallel) { p.Spec.Branches[0].Subscriber.Ref.Namespace = "other" }},
		"branch reply absolute uri with ref": {mutate: func(p *flows.Parallel) { p.Spec.Branches[0].Reply.URI = ptr.To("http://x.example.com") },
			want: []string{"spec.branches[0].reply.uri"}},
		"branch negative retry": {mutate: func(p *flows.Parallel) { p.Spec.Branches[1].Delivery = &duckv1.DeliverySpec{Retry: ptr.To[int32](-2)} },
			want: []string{"spec.branches[1].delivery.retry"}},
		"branch bad format": {mutate: func(p *flows.Parallel) {
			p.Spec.Branches[1].Delivery = &duckv1.DeliverySpec{Format: ptr.To(duckv1.FormatType("xml"))}
		},
			want: []string{"spec.branches[1].delivery.format"}},
		"no channel template":                 {mutate: func(p *flows.Parallel) { p.Spec.ChannelTemplate = nil }, want: []string{"spec.channelTemplate"}},
		"channel template without kind":       {mutate: func(p *flows.Parallel) { p.Spec.ChannelTemplate.Kind = "" }, want: []string{"spec.channelTemplate.kind"}},
		"channel template without apiVersion": {mutate: func(p *flows.Parallel) { p.Spec.ChannelTemplate.APIVersion = "" }, want: []string{"spec.channelTemplate.apiVersion"}},
		"channel template spec not an object": {mutate: func(p *flows.Parallel) { p.Spec.ChannelTemplate.Spec = &runtime.RawExtension{Raw: []byte(`7`)} }, want: []string{"spec.channelTemplate.spec"}},
		"empty reply":                         {mutate: func(p *flows.Parallel) { p.Spec.Reply = &duckv1.Destination{} }, want: []string{"spec.reply"}},
		"reply ref without apiVersion":        {mutate: func(p *flows.Parallel) { p.Spec.Reply.Ref.APIVersion = "" }, want: []string{"spec.reply.ref.apiVersion"}},
	} {
		t.Run(name, func(t *testing.T) {
			p := validParallel()
			tc.mutate(p)
			check(t, ValidateParallel(p), tc.want)
			old := validParallel()
			old.Name = p.Name
			check(t, ValidateParallelUpdate(p, old), tc.want)
		})
	}
}

func TestValidateParallelUpdate(t *testing.T) {
	old := validParallel()
	p := validParallel()
	p.Spec.Branches = append(p.Spec.Branches, flows.ParallelBranch{Subscriber: *refDest("s3")})
	p.Spec.ChannelTemplate.APIVersion = "messaging.knative.dev/v1beta1"
	check(t, ValidateParallelUpdate(p, old), nil)

	p.Name = "renamed"
	check(t, ValidateParallelUpdate(p, old), []string{"metadata.name"})
}
