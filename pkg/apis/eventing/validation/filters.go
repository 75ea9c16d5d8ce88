package validation

import (
	"errors"
	"regexp"
	"slices"
	"strings"

	cesqlparser "github.com/cloudevents/sdk-go/sql/v2/parser"
	"k8s.io/apimachinery/pkg/util/validation/field"

	duckv1 "github.com/knap-dev/knap/pkg/apis/duck/v1"
)

// attributeName is what Knative accepts as a CloudEvents attribute name in
// a filter: lower-case letters and digits, starting with a letter.
var attributeName = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

const attributeNameMsg = "attribute names must start with a letter and contain only lower-case letters and digits"

// validateAttributeNames checks the keys of filter.attributes; any value,
// "" included (any value of a present attribute), is valid.
func validateAttributeNames(attrs map[string]string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, k := range sortedKeys(attrs) {
		if !attributeName.MatchString(k) {
			errs = append(errs, field.Invalid(fldPath.Key(k), k, attributeNameMsg))
		}
	}
	return errs
}

// validateFilters checks a list of Subscriptions API filter expressions.
func validateFilters(filters []duckv1.SubscriptionsAPIFilter, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range filters {
		errs = append(errs, validateFilter(&filters[i], fldPath.Index(i))...)
	}
	return errs
}

// validateFilter checks one expression and, recursively, those it nests. An
// expression has at most one dialect; one without any passes every event.
func validateFilter(f *duckv1.SubscriptionsAPIFilter, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if d := dialects(f); len(d) > 1 {
		errs = append(errs, field.Invalid(fldPath, strings.Join(d, ", "),
			"only one of exact, prefix, suffix, all, any, not, cesql may be set in one filter expression"))
	}
	errs = append(errs, validateSingleAttribute(f.Exact, fldPath.Child("exact"))...)
	errs = append(errs, validateSingleAttribute(f.Prefix, fldPath.Child("prefix"))...)
	errs = append(errs, validateSingleAttribute(f.Suffix, fldPath.Child("suffix"))...)
	errs = append(errs, validateFilters(f.All, fldPath.Child("all"))...)
	errs = append(errs, validateFilters(f.Any, fldPath.Child("any"))...)
	if f.Not != nil {
		errs = append(errs, validateFilter(f.Not, fldPath.Child("not"))...)
	}
	if f.CESQL != "" {
		if err := parseCESQL(f.CESQL); err != nil {
			errs = append(errs, field.Invalid(fldPath.Child("cesql"), f.CESQL, err.Error()))
		}
	}
	return errs
}

// parseCESQL parses a CloudEvents SQL expression. The parser panics on some
// incomplete expressions (e.g. "type =", where it visits the missing
// operand), so a panic counts as a syntax error too.
func parseCESQL(expr string) (err error) {
	defer func() {
		if recover() != nil {
			err = errors.New("syntax error: incomplete expression")
		}
	}()
	_, err = cesqlparser.Parse(expr)
	return err
}

// dialects lists the dialects set in f.
func dialects(f *duckv1.SubscriptionsAPIFilter) []string {
	var d []string
	for _, c := range []struct {
		name string
		set  bool
	}{
		{"exact", len(f.Exact) > 0},
		{"prefix", len(f.Prefix) > 0},
		{"suffix", len(f.Suffix) > 0},
		{"all", len(f.All) > 0},
		{"any", len(f.Any) > 0},
		{"not", f.Not != nil},
		{"cesql", f.CESQL != ""},
	} {
		if c.set {
			d = append(d, c.name)
		}
	}
	return d
}

// validateSingleAttribute checks exact, prefix and suffix: one attribute
// with a valid name and a value that is not empty.
func validateSingleAttribute(m map[string]string, fldPath *field.Path) field.ErrorList {
	if len(m) == 0 {
		return nil
	}
	if len(m) > 1 {
		return field.ErrorList{field.TooMany(fldPath, len(m), 1)}
	}
	var errs field.ErrorList
	for k, v := range m {
		if !attributeName.MatchString(k) {
			errs = append(errs, field.Invalid(fldPath.Key(k), k, attributeNameMsg))
		}
		if v == "" {
			errs = append(errs, field.Invalid(fldPath.Key(k), v, "must not be empty"))
		}
	}
	return errs
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
