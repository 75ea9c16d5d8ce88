package validation_test

import (
	"sort"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// expectPaths fails unless errs name exactly the field paths want (in any
// order); no want means errs must be empty.
func expectPaths(t *testing.T, errs field.ErrorList, want ...string) {
	t.Helper()
	got := make([]string, 0, len(errs))
	for _, e := range errs {
		got = append(got, e.Field)
	}
	sort.Strings(got)
	want = append([]string(nil), want...)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("error paths = %q, want %q; errors: %v", got, want, errs)
	}
}

// expectType fails unless every error in errs has type typ.
func expectType(t *testing.T, errs field.ErrorList, typ field.ErrorType) {
	t.Helper()
	for _, e := range errs {
		if e.Type != typ {
			t.Errorf("error %v has type %q, want %q", e, e.Type, typ)
		}
	}
}
