package defaults

import (
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/diff"
	"k8s.io/utils/ptr"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
	"github.com/knap-dev/knap/pkg/apis/flows"
)

const ns = "ns"

var (
	meta       = metav1.ObjectMeta{Name: "flow", Namespace: ns}
	imc        = &duckv1.ChannelTemplateSpec{APIVersion: "messaging.knative.dev/v1", Kind: "InMemoryChannel"}
	kafka      = &duckv1.ChannelTemplateSpec{APIVersion: "messaging.knative.dev/v1alpha1", Kind: "KafkaChannel", Spec: &runtime.RawExtension{Raw: []byte(`{"numPartitions":3}`)}}
	incomplete = &duckv1.ChannelTemplateSpec{Kind: "KafkaChannel"}
	// spacedKafka is kafka with its spec written with other spacing.
	spacedKafka = &duckv1.ChannelTemplateSpec{APIVersion: "messaging.knative.dev/v1alpha1", Kind: "KafkaChannel", Spec: &runtime.RawExtension{Raw: []byte(`{ "numPartitions" : 3 }`)}}
)

// ref is a reference to a Service in namespace refNS ("" for none).
func ref(name, refNS string) *duckv1.KReference {
	return &duckv1.KReference{APIVersion: "serving.knative.dev/v1", Kind: "Service", Name: name, Namespace: refNS}
}

func dest(name, refNS string) *duckv1.Destination { return &duckv1.Destination{Ref: ref(name, refNS)} }

func TestSequence(t *testing.T) {
	uri := &duckv1.Destination{URI: ptr.To("http://example.com/")}
	dls := &duckv1.DeliverySpec{DeadLetterSink: dest("dls", ""), Retry: ptr.To[int32](2)}
	for name, tc := range map[string]struct {
		in, want flows.SequenceSpec
	}{
		"channel template defaults to InMemoryChannel": {
			in:   flows.SequenceSpec{Steps: []flows.SequenceStep{{Destination: *uri}}},
			want: flows.SequenceSpec{Steps: []flows.SequenceStep{{Destination: *uri}}, ChannelTemplate: imc},
		},
		"given channel template is kept": {
			in:   flows.SequenceSpec{ChannelTemplate: kafka},
			want: flows.SequenceSpec{ChannelTemplate: kafka},
		},
		// As a CRD's storage would, and as the server's JSON encoder does:
		// found by fuzzing (the stored object differed from the validated).
		"given channel template spec is put in canonical JSON": {
			in:   flows.SequenceSpec{ChannelTemplate: spacedKafka},
			want: flows.SequenceSpec{ChannelTemplate: kafka},
		},
		"incomplete channel template is kept for validation to reject": {
			in:   flows.SequenceSpec{ChannelTemplate: incomplete},
			want: flows.SequenceSpec{ChannelTemplate: incomplete},
		},
		"step and reply refs get the namespace": {
			in: flows.SequenceSpec{
				Steps: []flows.SequenceStep{{Destination: *dest("a", "")}, {Destination: *dest("b", "")}},
				Reply: dest("r", ""),
			},
			want: flows.SequenceSpec{
				Steps:           []flows.SequenceStep{{Destination: *dest("a", ns)}, {Destination: *dest("b", ns)}},
				Reply:           dest("r", ns),
				ChannelTemplate: imc,
			},
		},
		"explicit namespaces are kept": {
			in: flows.SequenceSpec{
				Steps: []flows.SequenceStep{{Destination: *dest("a", "other")}},
				Reply: dest("r", "other"),
			},
			want: flows.SequenceSpec{
				Steps:           []flows.SequenceStep{{Destination: *dest("a", "other")}},
				Reply:           dest("r", "other"),
				ChannelTemplate: imc,
			},
		},
		"delivery is not defaulted": {
			in:   flows.SequenceSpec{Steps: []flows.SequenceStep{{Destination: *uri, Delivery: dls}}},
			want: flows.SequenceSpec{Steps: []flows.SequenceStep{{Destination: *uri, Delivery: dls}}, ChannelTemplate: imc},
		},
	} {
		t.Run(name, func(t *testing.T) {
			for _, old := range []*flows.Sequence{nil, {ObjectMeta: meta}} {
				s := &flows.Sequence{ObjectMeta: meta, Spec: *tc.in.DeepCopy()}
				Sequence(s, old, "alice")
				if !equality.Semantic.DeepEqual(s.Spec, tc.want) {
					t.Fatalf("update=%t: got diff (-want +got):\n%s", old != nil, diff.Diff(tc.want, s.Spec))
				}
				again := s.DeepCopy()
				Sequence(again, old, "alice")
				if !equality.Semantic.DeepEqual(s, again) {
					t.Fatalf("update=%t: defaulting is not idempotent:\n%s", old != nil, diff.Diff(s, again))
				}
			}
		})
	}
}

func TestParallel(t *testing.T) {
	uri := &duckv1.Destination{URI: ptr.To("http://example.com/")}
	dls := &duckv1.DeliverySpec{DeadLetterSink: dest("dls", "")}
	for name, tc := range map[string]struct {
		in, want flows.ParallelSpec
	}{
		"channel template defaults to InMemoryChannel": {
			in:   flows.ParallelSpec{Branches: []flows.ParallelBranch{{Subscriber: *uri}}},
			want: flows.ParallelSpec{Branches: []flows.ParallelBranch{{Subscriber: *uri}}, ChannelTemplate: imc},
		},
		"given channel template is kept": {
			in:   flows.ParallelSpec{ChannelTemplate: kafka},
			want: flows.ParallelSpec{ChannelTemplate: kafka},
		},
		// As a CRD's storage would, and as the server's JSON encoder does:
		// found by fuzzing (the stored object differed from the validated).
		"given channel template spec is put in canonical JSON": {
			in:   flows.ParallelSpec{ChannelTemplate: spacedKafka},
			want: flows.ParallelSpec{ChannelTemplate: kafka},
		},
		"incomplete channel template is kept for validation to reject": {
			in:   flows.ParallelSpec{ChannelTemplate: incomplete},
			want: flows.ParallelSpec{ChannelTemplate: incomplete},
		},
		"filter, subscriber, branch reply and reply refs get the namespace": {
			in: flows.ParallelSpec{
				Branches: []flows.ParallelBranch{
					{Filter: dest("f", ""), Subscriber: *dest("s", ""), Reply: dest("br", "")},
					{Subscriber: *dest("s2", "")},
				},
				Reply: dest("r", ""),
			},
			want: flows.ParallelSpec{
				Branches: []flows.ParallelBranch{
					{Filter: dest("f", ns), Subscriber: *dest("s", ns), Reply: dest("br", ns)},
					{Subscriber: *dest("s2", ns)},
				},
				Reply:           dest("r", ns),
				ChannelTemplate: imc,
			},
		},
		"explicit namespaces are kept": {
			in: flows.ParallelSpec{
				Branches: []flows.ParallelBranch{{Filter: dest("f", "x"), Subscriber: *dest("s", "y"), Reply: dest("br", "z")}},
				Reply:    dest("r", "w"),
			},
			want: flows.ParallelSpec{
				Branches:        []flows.ParallelBranch{{Filter: dest("f", "x"), Subscriber: *dest("s", "y"), Reply: dest("br", "z")}},
				Reply:           dest("r", "w"),
				ChannelTemplate: imc,
			},
		},
		"delivery is not defaulted": {
			in:   flows.ParallelSpec{Branches: []flows.ParallelBranch{{Subscriber: *uri, Delivery: dls}}},
			want: flows.ParallelSpec{Branches: []flows.ParallelBranch{{Subscriber: *uri, Delivery: dls}}, ChannelTemplate: imc},
		},
	} {
		t.Run(name, func(t *testing.T) {
			for _, old := range []*flows.Parallel{nil, {ObjectMeta: meta}} {
				p := &flows.Parallel{ObjectMeta: meta, Spec: *tc.in.DeepCopy()}
				Parallel(p, old, "alice")
				if !equality.Semantic.DeepEqual(p.Spec, tc.want) {
					t.Fatalf("update=%t: got diff:\n%s", old != nil, diff.Diff(tc.want, p.Spec))
				}
				again := p.DeepCopy()
				Parallel(again, old, "alice")
				if !equality.Semantic.DeepEqual(p, again) {
					t.Fatalf("update=%t: defaulting is not idempotent:\n%s", old != nil, diff.Diff(p, again))
				}
			}
		})
	}
}
