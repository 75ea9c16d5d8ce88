package v1beta1_test

import (
	"encoding/json"
	"reflect"
	"testing"

	tektonv1 "github.com/knap-dev/knap/pkg/apis/tekton/v1"
	"github.com/knap-dev/knap/pkg/apis/tekton/v1beta1"
)

// v1beta1's ParamValue is a copy of v1's (conversion-gen needs the type in
// this package); it must read and write JSON and CBOR exactly like v1's,
// whose own tests pin the behaviour.
func TestParamValueBehavesLikeV1(t *testing.T) {
	for _, in := range []string{
		`"hello"`, `""`, `null`, `["a","b"]`, `[]`, `{"k":"v","x":"y"}`, `{}`,
		`1`, `true`, `[1]`, `{"k":1}`, `[["a"]]`,
	} {
		var b v1beta1.ParamValue
		var v tektonv1.ParamValue
		errB, errV := json.Unmarshal([]byte(in), &b), json.Unmarshal([]byte(in), &v)
		if (errB == nil) != (errV == nil) {
			t.Errorf("Unmarshal(%s): v1beta1 error %v, v1 error %v", in, errB, errV)
			continue
		}
		if errB != nil {
			continue
		}
		if string(b.Type) != string(v.Type) || b.StringVal != v.StringVal ||
			!reflect.DeepEqual(b.ArrayVal, v.ArrayVal) || !reflect.DeepEqual(b.ObjectVal, v.ObjectVal) {
			t.Errorf("Unmarshal(%s): v1beta1 %#v, v1 %#v", in, b, v)
		}
		outB, errB := json.Marshal(b)
		outV, errV := json.Marshal(v)
		if errB != nil || errV != nil || string(outB) != string(outV) {
			t.Errorf("Marshal(%s): v1beta1 %s (%v), v1 %s (%v)", in, outB, errB, outV, errV)
		}
		cborB, errB := b.MarshalCBOR()
		cborV, errV := v.MarshalCBOR()
		if errB != nil || errV != nil || string(cborB) != string(cborV) {
			t.Errorf("MarshalCBOR(%s): v1beta1 %x (%v), v1 %x (%v)", in, cborB, errB, cborV, errV)
		}
		var back v1beta1.ParamValue
		if err := back.UnmarshalCBOR(cborB); err != nil || !reflect.DeepEqual(back, b) {
			t.Errorf("CBOR round trip of %s = %#v (%v), want %#v", in, back, err, b)
		}
	}
}

// A Param's value keeps its JSON shape inside a v1beta1 object.
func TestParamValueInV1beta1Param(t *testing.T) {
	in := `{"name":"p","value":{"k":"v"}}`
	var p v1beta1.Param
	if err := json.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	if p.Value.Type != v1beta1.ParamTypeObject {
		t.Fatalf("got %#v", p)
	}
	out, err := json.Marshal(p)
	if err != nil || string(out) != in {
		t.Fatalf("Marshal = %s (%v), want %s", out, err, in)
	}
}
