package v1

import (
	"encoding/json"
	"reflect"
	"testing"

	cbor "k8s.io/apimachinery/pkg/runtime/serializer/cbor/direct"
)

func TestParamValueRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want ParamValue
	}{
		{"string", `"hello"`, ParamValue{Type: ParamTypeString, StringVal: "hello"}},
		{"empty string", `""`, ParamValue{Type: ParamTypeString}},
		{"array", `["a","b"]`, ParamValue{Type: ParamTypeArray, ArrayVal: []string{"a", "b"}}},
		{"empty array", `[]`, ParamValue{Type: ParamTypeArray, ArrayVal: []string{}}},
		{"object", `{"k":"v","x":"y"}`, ParamValue{Type: ParamTypeObject, ObjectVal: map[string]string{"k": "v", "x": "y"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got ParamValue
			if err := json.Unmarshal([]byte(tc.in), &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", tc.in, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Unmarshal(%s) = %#v, want %#v", tc.in, got, tc.want)
			}
			out, err := json.Marshal(got)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if string(out) != tc.in {
				t.Fatalf("Marshal = %s, want %s", out, tc.in)
			}
		})
	}
}

func TestParamValueInParam(t *testing.T) {
	in := `{"name":"p","value":["a"]}`
	var p Param
	if err := json.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	if p.Value.Type != ParamTypeArray || !reflect.DeepEqual(p.Value.ArrayVal, []string{"a"}) {
		t.Fatalf("got %#v", p)
	}
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Fatalf("Marshal = %s, want %s", out, in)
	}
}

func TestParamValueRefusesOtherJSON(t *testing.T) {
	for _, in := range []string{`1`, `-2.5`, `true`, `[1,2]`, `{"k":1}`, `[["a"]]`} {
		var got ParamValue
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("Unmarshal(%s) = %#v, want an error", in, got)
		}
		var p Param
		if err := json.Unmarshal([]byte(`{"name":"p","value":`+in+`}`), &p); err == nil {
			t.Errorf("Unmarshal of a Param with value %s succeeded, want an error", in)
		}
	}
}

func TestParamValueMarshalWithoutType(t *testing.T) {
	for _, tc := range []struct {
		in   ParamValue
		want string
	}{
		{ParamValue{}, `""`},
		{ParamValue{StringVal: "s"}, `"s"`},
		{ParamValue{ArrayVal: []string{"a"}}, `["a"]`},
		{ParamValue{ObjectVal: map[string]string{"k": "v"}}, `{"k":"v"}`},
	} {
		out, err := json.Marshal(tc.in)
		if err != nil {
			t.Fatalf("Marshal(%#v): %v", tc.in, err)
		}
		if string(out) != tc.want {
			t.Errorf("Marshal(%#v) = %s, want %s", tc.in, out, tc.want)
		}
	}
}

func TestParamValueCBORRoundTrip(t *testing.T) {
	for _, in := range []ParamValue{
		{Type: ParamTypeString, StringVal: "s"},
		{Type: ParamTypeArray, ArrayVal: []string{"a", "b"}},
		{Type: ParamTypeObject, ObjectVal: map[string]string{"k": "v"}},
	} {
		b, err := in.MarshalCBOR()
		if err != nil {
			t.Fatalf("MarshalCBOR(%#v): %v", in, err)
		}
		var got ParamValue
		if err := got.UnmarshalCBOR(b); err != nil {
			t.Fatalf("UnmarshalCBOR(%#v): %v", in, err)
		}
		if !reflect.DeepEqual(got, in) {
			t.Fatalf("CBOR round trip = %#v, want %#v", got, in)
		}
	}
	for _, bad := range []any{1, true, []int{1}, map[string]int{"k": 1}} {
		b, err := cbor.Marshal(bad)
		if err != nil {
			t.Fatal(err)
		}
		var got ParamValue
		if err := got.UnmarshalCBOR(b); err == nil {
			t.Errorf("UnmarshalCBOR(%v) = %#v, want an error", bad, got)
		}
	}
}
