package fuzzing

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/conversion"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// sameErrors compares two error lists as multisets.
func sameErrors(a, b field.ErrorList) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
	for _, ea := range a {
		found := false
		for j, eb := range b {
			if !used[j] && sameError(ea, eb) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func sameError(a, b *field.Error) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Type != b.Type || a.Field != b.Field || a.Detail != b.Detail || a.Origin != b.Origin {
		return false
	}
	// DeepEqual compares pointers by what they point to; %#v covers NaN.
	return equality.Semantic.DeepEqual(a.BadValue, b.BadValue) ||
		fmt.Sprintf("%#v", a.BadValue) == fmt.Sprintf("%#v", b.BadValue)
}

// objectDiff lists where a and b differ under equality.Semantic, and
// wireDiff under wireEqual, as Go field paths.
func objectDiff(a, b any) string { return fieldDiff(equality.Semantic, a, b) }
func wireDiff(a, b any) string   { return fieldDiff(wireEqual, a, b) }

func fieldDiff(eq conversion.Equalities, a, b any) string {
	var out []string
	walkDiff(eq, "", reflect.ValueOf(a), reflect.ValueOf(b), &out)
	if len(out) == 0 {
		return "(no difference found field by field)"
	}
	const maxLines = 20
	if len(out) > maxLines {
		out = append(out[:maxLines], fmt.Sprintf("... and %d more", len(out)-maxLines))
	}
	return "  " + strings.Join(out, "\n  ")
}

// walkDiff descends into a and b, of the same type, down to the smallest
// values that differ.
func walkDiff(eq conversion.Equalities, path string, a, b reflect.Value, out *[]string) {
	if eq.DeepEqual(a.Interface(), b.Interface()) {
		return
	}
	leaf := func() {
		*out = append(*out, fmt.Sprintf("%s: %s -> %s", path, show(a), show(b)))
	}
	if _, custom := eq.Equalities[a.Type()]; custom {
		leaf()
		return
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() || a.Elem().Type() != b.Elem().Type() {
			leaf()
			return
		}
		walkDiff(eq, path, a.Elem(), b.Elem(), out)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if f := a.Type().Field(i); f.IsExported() {
				walkDiff(eq, path+"."+f.Name, a.Field(i), b.Field(i), out)
			}
		}
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			leaf()
			return
		}
		for i := 0; i < a.Len(); i++ {
			walkDiff(eq, fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i), out)
		}
	case reflect.Map:
		keys := map[string]reflect.Value{}
		for _, k := range append(a.MapKeys(), b.MapKeys()...) {
			keys[fmt.Sprint(k.Interface())] = k
		}
		names := sets.List(sets.KeySet(keys))
		for _, name := range names {
			k := keys[name]
			va, vb := a.MapIndex(k), b.MapIndex(k)
			p := fmt.Sprintf("%s[%q]", path, name)
			switch {
			case !va.IsValid():
				*out = append(*out, fmt.Sprintf("%s: (absent) -> %s", p, show(vb)))
			case !vb.IsValid():
				*out = append(*out, fmt.Sprintf("%s: %s -> (absent)", p, show(va)))
			default:
				walkDiff(eq, p, va, vb, out)
			}
		}
	default:
		leaf()
	}
}

func show(v reflect.Value) string {
	switch {
	case !v.IsValid():
		return "(absent)"
	case (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface || v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.IsNil():
		return "nil"
	case v.Kind() == reflect.Pointer:
		return "&" + show(v.Elem())
	}
	s := fmt.Sprintf("%#v", v.Interface())
	if t, ok := v.Interface().(metav1.Time); ok {
		s = t.UTC().Format(time.RFC3339Nano)
	}
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
