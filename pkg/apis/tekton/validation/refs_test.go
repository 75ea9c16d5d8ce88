package validation

import (
	"slices"
	"testing"
)

func TestRefs(t *testing.T) {
	cases := []struct {
		s, prefix string
		want      []string
	}{
		{"echo $(params.a)", "params", []string{"a"}},
		{"$(params.arr[*])", "params", []string{"arr"}},
		{"$(params.obj.key) $(params.b)", "params", []string{"obj", "b"}},
		{`$(params["a.b"]) $(params['c'])`, "params", []string{"a.b", "c"}},
		{"$(workspaces.src.path) $(workspaces.src.bound)", "workspaces", []string{"src", "src"}},
		{"$(results.out.path)", "results", []string{"out"}},
		{"$(steps.s.results.r) $(context.taskRun.name)", "params", nil},
		{"$(params.a", "params", nil},
		{"no refs", "params", nil},
	}
	for _, c := range cases {
		if got := refs(c.s, c.prefix); !slices.Equal(got, c.want) {
			t.Errorf("refs(%q, %q) = %q, want %q", c.s, c.prefix, got, c.want)
		}
	}
}

func TestVarRefsSuffix(t *testing.T) {
	got := varRefs(`x $(params["a.b"][*]) $(workspaces.w.claim) $(params.arr[1])`)
	want := []varRef{
		{Expr: `$(params["a.b"][*])`, Prefix: "params", Name: "a.b", Suffix: "[*]"},
		{Expr: "$(workspaces.w.claim)", Prefix: "workspaces", Name: "w", Suffix: ".claim"},
		{Expr: "$(params.arr[1])", Prefix: "params", Name: "arr", Suffix: "[1]"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("varRefs = %+v, want %+v", got, want)
	}
}
