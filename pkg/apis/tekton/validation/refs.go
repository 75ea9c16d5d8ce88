package validation

import "strings"

// varRef is one $(...) variable reference found in a string, split as
// Tekton's substitution does: $(params.name.key) has Prefix "params", Name
// "name" and Suffix ".key"; $(params["a.b"][*]) has Name "a.b" and Suffix
// "[*]"; $(workspaces.w.path) has Name "w" and Suffix ".path".
type varRef struct {
	// Expr is the whole reference, "$(...)" included.
	Expr string
	// Prefix is the first segment: params, workspaces, results, steps,
	// context, tasks, finally, ...
	Prefix string
	// Name is the second segment, the name of the referenced object; a
	// bracketed, quoted name has its quotes removed.
	Name string
	// Suffix is what follows the name, with its leading "." or "[".
	Suffix string
}

// varRefs returns every $(...) reference in s, in order. A "$(" without a
// closing ")" is not a reference.
func varRefs(s string) []varRef {
	var out []varRef
	for {
		i := strings.Index(s, "$(")
		if i < 0 {
			return out
		}
		s = s[i+2:]
		end := closingParen(s)
		if end < 0 {
			return out
		}
		out = append(out, parseRef(s[:end]))
		s = s[end+1:]
	}
}

// closingParen returns the index of the ")" ending a reference, skipping
// any inside quotes (a bracketed name may contain one).
func closingParen(s string) int {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == ')':
			return i
		}
	}
	return -1
}

func parseRef(inner string) varRef {
	r := varRef{Expr: "$(" + inner + ")"}
	i := strings.IndexAny(inner, ".[")
	if i < 0 {
		r.Prefix = inner
		return r
	}
	r.Prefix, inner = inner[:i], inner[i:]
	if inner[0] == '[' && len(inner) > 2 && (inner[1] == '"' || inner[1] == '\'') {
		// ["name"] or ['name']
		q := inner[1]
		end := strings.IndexByte(inner[2:], q)
		if end >= 0 && len(inner) > end+3 && inner[end+3] == ']' {
			r.Name = inner[2 : end+2]
			r.Suffix = inner[end+4:]
			return r
		}
		r.Suffix = inner
		return r
	}
	if inner[0] == '[' {
		// prefix[0]: no name.
		r.Suffix = inner
		return r
	}
	inner = inner[1:]
	j := strings.IndexAny(inner, ".[")
	if j < 0 {
		r.Name = inner
		return r
	}
	r.Name, r.Suffix = inner[:j], inner[j:]
	return r
}

// refs returns the names referenced under prefix in s, in order, with
// repeats: refs("$(params.a) $(params['b.c'][*])", "params") is [a b.c].
func refs(s, prefix string) []string {
	var names []string
	for _, r := range varRefs(s) {
		if r.Prefix == prefix {
			names = append(names, r.Name)
		}
	}
	return names
}

// refsWithPrefix returns the references under prefix in s.
func refsWithPrefix(s, prefix string) []varRef {
	var out []varRef
	for _, r := range varRefs(s) {
		if r.Prefix == prefix {
			out = append(out, r)
		}
	}
	return out
}
