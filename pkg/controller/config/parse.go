package config

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/sets"
)

// ExampleKey is the data key under which every ConfigMap documents its
// keys and defaults (as Knative's do). It is never parsed.
const ExampleKey = "_example"

// KeyError is a ConfigMap value knap refuses: the key, the value as the
// user wrote it (or the effective value, when the key was not set and the
// refusal comes from a rule across keys) and why.
type KeyError struct {
	Key    string
	Value  string
	Reason string
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("%s: invalid value %q: %s", e.Key, e.Value, e.Reason)
}

// invalid builds a KeyError for key; the value is what data holds for it,
// or effective when data does not set it.
func invalid(data map[string]string, key string, effective any, format string, args ...any) error {
	v, ok := data[key]
	if !ok {
		v = fmt.Sprint(effective)
	}
	return &KeyError{Key: key, Value: v, Reason: fmt.Sprintf(format, args...)}
}

// parser reads one key of a ConfigMap's data into a target, if the key is
// there. Absent keys keep the target's value (the default); unknown keys
// and ExampleKey are never looked at, as in Knative.
type parser func(data map[string]string) error

func parse(data map[string]string, parsers ...parser) error {
	for _, p := range parsers {
		if err := p(data); err != nil {
			return err
		}
	}
	return nil
}

func numReason(err error, what string) string {
	if errors.Is(err, strconv.ErrRange) {
		return what + " out of range"
	}
	return "not " + what
}

func asString(key string, target *string) parser {
	return func(data map[string]string) error {
		if raw, ok := data[key]; ok {
			*target = raw
		}
		return nil
	}
}

func asBool(key string, target *bool) parser {
	return func(data map[string]string) error {
		if raw, ok := data[key]; ok {
			v, err := strconv.ParseBool(raw)
			if err != nil {
				return &KeyError{Key: key, Value: raw, Reason: `want "true" or "false"`}
			}
			*target = v
		}
		return nil
	}
}

func asInt64(key string, target *int64) parser {
	return func(data map[string]string) error {
		if raw, ok := data[key]; ok {
			v, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				return &KeyError{Key: key, Value: raw, Reason: numReason(err, "an integer")}
			}
			*target = v
		}
		return nil
	}
}

func asInt32(key string, target *int32) parser {
	return func(data map[string]string) error {
		if raw, ok := data[key]; ok {
			v, err := strconv.ParseInt(raw, 10, 32)
			if err != nil {
				return &KeyError{Key: key, Value: raw, Reason: numReason(err, "a 32-bit integer")}
			}
			*target = int32(v)
		}
		return nil
	}
}

// asFloat64 parses a number. It refuses NaN, which Knative lets through
// and which then passes every range check; infinities are accepted as
// Knative accepts them.
func asFloat64(key string, target *float64) parser {
	return func(data map[string]string) error {
		if raw, ok := data[key]; ok {
			v, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				return &KeyError{Key: key, Value: raw, Reason: numReason(err, "a number")}
			}
			if math.IsNaN(v) {
				return &KeyError{Key: key, Value: raw, Reason: "not a number"}
			}
			*target = v
		}
		return nil
	}
}

func asDuration(key string, target *time.Duration) parser {
	return func(data map[string]string) error {
		if raw, ok := data[key]; ok {
			v, err := time.ParseDuration(raw)
			if err != nil {
				return &KeyError{Key: key, Value: raw, Reason: "not a duration (such as 30s, 1m30s or 48h)"}
			}
			*target = v
		}
		return nil
	}
}

// asQuantity parses a resource quantity. The quantity's cached string
// form is filled in here, so that String() on the shared, read-only
// snapshot never writes (resource.Quantity caches it lazily).
func asQuantity(key string, target **resource.Quantity) parser {
	return func(data map[string]string) error {
		if raw, ok := data[key]; ok {
			v, err := resource.ParseQuantity(raw)
			if err != nil {
				return &KeyError{Key: key, Value: raw, Reason: "not a quantity (such as 100m, 1, 128Mi or 1G)"}
			}
			_ = v.String()
			*target = &v
		}
		return nil
	}
}

// asStringSet parses a comma-separated list; blanks around elements and
// empty elements are dropped (Knative keeps an empty element, which means
// nothing for any of its users).
func asStringSet(key string, target *sets.Set[string]) parser {
	return func(data map[string]string) error {
		if raw, ok := data[key]; ok {
			s := sets.New[string]()
			for _, e := range strings.Split(raw, ",") {
				if e = strings.TrimSpace(e); e != "" {
					s.Insert(e)
				}
			}
			*target = s
		}
		return nil
	}
}

func mustQuantity(s string) *resource.Quantity {
	q := resource.MustParse(s)
	_ = q.String()
	return &q
}
