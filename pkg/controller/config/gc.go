package config

import (
	"math"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// GCConfigName is the ConfigMap of revision garbage collection (Knative's
// config-gc).
const GCConfigName = "config-gc"

// Disabled is the value of a GC setting set to "disabled": a duration of
// -1ns or a count of -1.
const Disabled = -1

// disabledValue turns a GC limit off.
const disabledValue = "disabled"

// GC is config-gc. A revision no Route references is kept while it is
// younger than RetainSinceCreateTime, was routed to within
// RetainSinceLastActiveTime, or is among the MinNonActiveRevisions newest;
// never more than MaxNonActiveRevisions of them are kept.
type GC struct {
	// RetainSinceCreateTime; Disabled turns it off.
	RetainSinceCreateTime time.Duration
	// RetainSinceLastActiveTime; Disabled turns it off.
	RetainSinceLastActiveTime time.Duration
	// MinNonActiveRevisions is at least 0.
	MinNonActiveRevisions int64
	// MaxNonActiveRevisions; Disabled means no maximum.
	MaxNonActiveRevisions int64
}

func defaultGC() *GC {
	return &GC{
		RetainSinceCreateTime:     48 * time.Hour,
		RetainSinceLastActiveTime: 15 * time.Hour,
		MinNonActiveRevisions:     20,
		MaxNonActiveRevisions:     1000,
	}
}

// asDisabledOrDuration parses a non-negative duration or "disabled" (any
// case); an empty value keeps the default.
func asDisabledOrDuration(key string, target *time.Duration) parser {
	return func(data map[string]string) error {
		switch raw := data[key]; {
		case raw == "":
		case strings.EqualFold(raw, disabledValue):
			*target = Disabled
		default:
			v, err := time.ParseDuration(raw)
			if err != nil {
				return &KeyError{Key: key, Value: raw, Reason: `not a duration (such as 48h) or "disabled"`}
			}
			if v < 0 {
				return &KeyError{Key: key, Value: raw, Reason: "must be non-negative"}
			}
			*target = v
		}
		return nil
	}
}

// asDisabledOrCount parses a non-negative integer or "disabled" (any
// case); an empty value keeps the default.
func asDisabledOrCount(key string, target *int64) parser {
	return func(data map[string]string) error {
		switch raw := data[key]; {
		case raw == "":
		case strings.EqualFold(raw, disabledValue):
			*target = Disabled
		default:
			v, err := strconv.ParseUint(raw, 10, 64)
			if err != nil || v > math.MaxInt64 {
				return &KeyError{Key: key, Value: raw, Reason: `not a non-negative integer or "disabled"`}
			}
			*target = int64(v)
		}
		return nil
	}
}

// NewGCFromMap parses config-gc's data, with Knative's rules.
func NewGCFromMap(data map[string]string) (*GC, error) {
	c := defaultGC()
	if err := parse(data,
		asDisabledOrDuration("retain-since-create-time", &c.RetainSinceCreateTime),
		asDisabledOrDuration("retain-since-last-active-time", &c.RetainSinceLastActiveTime),
		asInt64("min-non-active-revisions", &c.MinNonActiveRevisions),
		asDisabledOrCount("max-non-active-revisions", &c.MaxNonActiveRevisions),
	); err != nil {
		return nil, err
	}
	if c.MinNonActiveRevisions < 0 {
		return nil, invalid(data, "min-non-active-revisions", c.MinNonActiveRevisions, "must be non-negative")
	}
	if c.MaxNonActiveRevisions >= 0 && c.MinNonActiveRevisions > c.MaxNonActiveRevisions {
		return nil, invalid(data, "min-non-active-revisions", c.MinNonActiveRevisions,
			"cannot be greater than max-non-active-revisions (%d)", c.MaxNonActiveRevisions)
	}
	return c, nil
}

// NewGCFromConfigMap parses config-gc.
func NewGCFromConfigMap(cm *corev1.ConfigMap) (*GC, error) {
	return NewGCFromMap(cm.Data)
}
