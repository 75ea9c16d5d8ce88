package validation

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// iso8601 matches ISO-8601 durations as Knative accepts them: an optional
// sign, P, then years, months, weeks, days and a time part with hours,
// minutes and seconds; any number may carry a fraction.
var iso8601 = regexp.MustCompile(`^([-+]?)P(?:([0-9.,]+)Y)?(?:([0-9.,]+)M)?(?:([0-9.,]+)W)?(?:([0-9.,]+)D)?(?:T(?:([0-9.,]+)H)?(?:([0-9.,]+)M)?(?:([0-9.,]+)S)?)?$`)

// unit lengths; a year and a month have no fixed length, so they count as
// 365 and 30 days, which is what a retry delay needs.
var units = []time.Duration{365 * 24 * time.Hour, 30 * 24 * time.Hour, 7 * 24 * time.Hour, 24 * time.Hour, time.Hour, time.Minute, time.Second}

// ParseISO8601 parses an ISO-8601 duration such as "PT0.2S" or "P1DT2H".
func ParseISO8601(s string) (time.Duration, error) {
	m := iso8601.FindStringSubmatch(s)
	if m == nil || s == "P" || s == "-P" || s == "+P" || s[len(s)-1] == 'T' {
		return 0, fmt.Errorf("%q is not an ISO-8601 duration", s)
	}
	var total float64
	for i, part := range m[2:] {
		if part == "" {
			continue
		}
		n, err := strconv.ParseFloat(strings.ReplaceAll(part, ",", "."), 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not an ISO-8601 duration: %v", s, err)
		}
		total += n * float64(units[i])
	}
	if total > math.MaxInt64 {
		return 0, fmt.Errorf("%q is too long", s)
	}
	if m[1] == "-" {
		total = -total
	}
	return time.Duration(total), nil
}
