package manager

import "testing"

func TestEnabled(t *testing.T) {
	cases := []struct {
		selection []string
		name      string
		want      bool
	}{
		{[]string{"*"}, "service", true},
		{[]string{"*", "-service"}, "service", false},
		{[]string{"-service", "*"}, "service", false},
		{[]string{"route"}, "service", false},
		{[]string{"route", "service"}, "service", true},
		{nil, "service", false},
	}
	for _, c := range cases {
		if got := Enabled(c.selection, c.name); got != c.want {
			t.Errorf("Enabled(%v, %q) = %v, want %v", c.selection, c.name, got, c.want)
		}
	}
}
