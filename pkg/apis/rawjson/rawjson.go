// Package rawjson keeps the free-form JSON that API objects embed
// (runtime.RawExtension: channel template specs, custom task specs) in one
// canonical form, so that equal values are equal bytes.
package rawjson

import (
	"bytes"
	"encoding/json"

	"k8s.io/apimachinery/pkg/runtime"
)

// Normalize rewrites raw in a canonical JSON form (compact, object keys
// sorted, numbers as written), as a CRD's storage would. Equal values then
// compare equal byte for byte, so re-applying one written with other spacing
// or key order neither changes the generation nor trips an immutability
// check, and the object the server validated is the one it stores (its JSON
// encoder compacts embedded JSON). Anything that is not a single JSON value
// is left for validation.
func Normalize(raw *runtime.RawExtension) {
	if raw == nil || len(raw.Raw) == 0 {
		return
	}
	dec := json.NewDecoder(bytes.NewReader(raw.Raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return
	}
	out, err := json.Marshal(v)
	if err != nil {
		return
	}
	raw.Raw = out
}
