package validation

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/serving"
)

// trafficOwner says whose spec a traffic block belongs to: a Service's
// targets implicitly name the Service's own Configuration.
type trafficOwner int

const (
	routeTraffic trafficOwner = iota
	serviceTraffic
)

// validateTraffic checks a spec traffic block: each target, unique tags, and
// percents that add up to exactly 100.
func validateTraffic(traffic []serving.TrafficTarget, owner trafficOwner, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	tags := make(sets.Set[string], len(traffic))
	var sum int64
	for i := range traffic {
		tt := &traffic[i]
		idxPath := fldPath.Index(i)
		errs = append(errs, validateTrafficTarget(tt, owner, idxPath)...)
		if tt.Percent != nil {
			sum += *tt.Percent
		}
		if tt.Tag == "" {
			continue
		}
		for _, msg := range validation.IsDNS1035Label(tt.Tag) {
			errs = append(errs, field.Invalid(idxPath.Child("tag"), tt.Tag, msg))
		}
		if tags.Has(tt.Tag) {
			errs = append(errs, field.Duplicate(idxPath.Child("tag"), tt.Tag))
		}
		tags.Insert(tt.Tag)
	}
	// An empty block sums to 0 and is rejected too: for a Service the
	// defaults fill in 100% to the latest revision, a Route must say.
	if sum != 100 {
		errs = append(errs, field.Invalid(fldPath, sum,
			fmt.Sprintf("traffic targets sum to %d, want 100", sum)))
	}
	return errs
}

func validateTrafficTarget(tt *serving.TrafficTarget, owner trafficOwner, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, validateLatestRevision(tt, fldPath)...)
	errs = append(errs, validateTargetReference(tt, owner, fldPath)...)
	if p := tt.Percent; p != nil && (*p < 0 || *p > 100) {
		errs = append(errs, field.Invalid(fldPath.Child("percent"), *p, "must be between 0 and 100"))
	}
	if tt.URL != nil && *tt.URL != "" {
		errs = append(errs, field.Forbidden(fldPath.Child("url"),
			"is reported in status and may not be set in spec"))
	}
	return errs
}

// validateLatestRevision requires latestRevision to agree with revisionName:
// a target either floats to the latest revision or is pinned to a named one.
func validateLatestRevision(tt *serving.TrafficTarget, fldPath *field.Path) field.ErrorList {
	if tt.LatestRevision == nil {
		return nil
	}
	latest, pinned := *tt.LatestRevision, tt.RevisionName != ""
	if latest != pinned {
		return nil
	}
	msg := fmt.Sprintf("may not be %t when revisionName is %q", latest, tt.RevisionName)
	if !latest {
		msg = "may not be false without a revisionName to pin the traffic to"
	}
	return field.ErrorList{field.Invalid(fldPath.Child("latestRevision"), latest, msg)}
}

// validateTargetReference requires exactly one of revisionName and
// configurationName; in a Service, the configuration is the Service's own.
func validateTargetReference(tt *serving.TrafficTarget, owner trafficOwner, fldPath *field.Path) field.ErrorList {
	switch {
	case owner == serviceTraffic && tt.ConfigurationName != "":
		return field.ErrorList{field.Forbidden(fldPath.Child("configurationName"),
			"may not be set in a Service, whose traffic targets its own configuration")}
	case tt.RevisionName != "" && tt.ConfigurationName != "":
		return field.ErrorList{field.Forbidden(fldPath.Child("configurationName"),
			"may not be set together with revisionName: exactly one of them is required")}
	case tt.RevisionName != "":
		return qualifiedName(tt.RevisionName, fldPath.Child("revisionName"))
	case tt.ConfigurationName != "":
		return qualifiedName(tt.ConfigurationName, fldPath.Child("configurationName"))
	case owner == serviceTraffic:
		return nil
	}
	return field.ErrorList{field.Required(fldPath.Child("revisionName"),
		"exactly one of revisionName or configurationName is required")}
}

func qualifiedName(name string, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validation.IsQualifiedName(name) {
		errs = append(errs, field.Invalid(fldPath, name, msg))
	}
	return errs
}
