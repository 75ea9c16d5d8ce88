package rawjson

import (
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{ "replicationFactor": 3,  "numPartitions" : 10 }`, `{"numPartitions":10,"replicationFactor":3}`},
		{`{"big":12345678901234567890,"f":1.50}`, `{"big":12345678901234567890,"f":1.50}`},
		{`{"a":{"z":1,"b":[2, 1]}}`, `{"a":{"b":[2,1],"z":1}}`},
		{" [1, \"<&>\"]\n", `[1,"\u003c\u0026\u003e"]`},
		{"", ""},
		// Not JSON, or more than one value: left for validation to reject.
		{`{"a":`, `{"a":`},
		{`{} {}`, `{} {}`},
	} {
		raw := &runtime.RawExtension{Raw: []byte(tc.in)}
		Normalize(raw)
		if got := string(raw.Raw); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
		again := raw.DeepCopy()
		if Normalize(again); string(again.Raw) != string(raw.Raw) {
			t.Errorf("%q: normalizing again gave %s", tc.in, again.Raw)
		}
	}
	Normalize(nil)
}
