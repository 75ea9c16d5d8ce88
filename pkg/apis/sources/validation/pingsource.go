package validation

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	// PingSource time zones must resolve the same wherever knap runs,
	// including images without a system zoneinfo database.
	_ "time/tzdata"

	"github.com/robfig/cron/v3"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/sources"
)

// contentTypeJSON is the content type whose data Knative checks is a JSON object.
const contentTypeJSON = "application/json"

func validatePingSourceSpec(s *sources.PingSourceSpec, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	schedulePath := fldPath.Child("schedule")
	if strings.Contains(s.Schedule, "@every") {
		errs = append(errs, field.Invalid(schedulePath, s.Schedule, "unsupported descriptor @every"))
	}
	// As Knative does, the time zone is a CRON_TZ= prefix of the schedule,
	// so a schedule may carry its own prefix when timezone is empty.
	schedule := s.Schedule
	if s.Timezone != "" {
		schedule = "CRON_TZ=" + s.Timezone + " " + schedule
	}
	if err := parseSchedule(schedule); err != nil {
		if s.Timezone != "" && strings.HasPrefix(err.Error(), "provided bad location") {
			errs = append(errs, field.Invalid(fldPath.Child("timezone"), s.Timezone, err.Error()))
		} else {
			errs = append(errs, field.Invalid(schedulePath, s.Schedule, err.Error()))
		}
	}

	// config-ping-defaults' dataMaxSize is -1 as shipped: no size limit.
	dataPath, data64Path := fldPath.Child("data"), fldPath.Child("dataBase64")
	switch {
	case s.Data != "" && s.DataBase64 != "":
		errs = append(errs, field.Forbidden(data64Path, "data and dataBase64 are mutually exclusive; set only one"))
	case s.DataBase64 != "":
		decoded, err := base64.StdEncoding.DecodeString(s.DataBase64)
		if err != nil {
			errs = append(errs, field.Invalid(data64Path, s.DataBase64, err.Error()))
		} else if s.ContentType == contentTypeJSON {
			if err := validateJSONObject(decoded); err != nil {
				errs = append(errs, field.Invalid(data64Path, s.DataBase64, "decodes to no JSON object, as contentType "+contentTypeJSON+" requires: "+err.Error()))
			}
		}
	case s.Data != "":
		if s.ContentType == contentTypeJSON {
			if err := validateJSONObject([]byte(s.Data)); err != nil {
				errs = append(errs, field.Invalid(dataPath, s.Data, "is no JSON object, as contentType "+contentTypeJSON+" requires: "+err.Error()))
			}
		}
	}
	return errs
}

// parseSchedule parses a cron schedule as the PingSource adapter does. The
// parser panics on some malformed time zone prefixes (e.g. "TZ=UTC" with
// nothing after it); those are errors too.
func parseSchedule(schedule string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed schedule (a TZ= or CRON_TZ= prefix must be followed by a space and the five fields)")
		}
	}()
	_, err = cron.ParseStandard(schedule)
	return err
}

// validateJSONObject accepts what Knative does: a JSON object (or null).
func validateJSONObject(data []byte) error {
	var obj map[string]any
	return json.Unmarshal(data, &obj)
}
