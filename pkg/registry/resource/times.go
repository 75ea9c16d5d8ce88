package resource

import (
	"reflect"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

var timeType = reflect.TypeOf(metav1.Time{})

// unstorableTimes finds timestamps outside years 0000-9999 in UTC. RFC 3339
// lets a client write one (9999-12-31T23:59:59-00:01), the encoder stores it,
// and the decoder then refuses it: the object, and every list containing it,
// would become unreadable. Client-written timestamps live in managed fields,
// templates and status conditions, so every write is checked.
func unstorableTimes(obj any) field.ErrorList {
	var errs field.ErrorList
	walkTimes(reflect.ValueOf(obj), nil, func(path *field.Path, t metav1.Time) {
		if y := t.UTC().Year(); y < 0 || y > 9999 {
			errs = append(errs, field.Invalid(path, t.UTC().String(), "must be between years 0000 and 9999 in UTC"))
		}
	})
	return errs
}

func walkTimes(v reflect.Value, path *field.Path, visit func(*field.Path, metav1.Time)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkTimes(v.Elem(), path, visit)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			visit(path, v.Interface().(metav1.Time))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			child := path
			switch {
			case name == "-":
				continue
			case name != "":
				child = childPath(path, name)
			case !f.Anonymous:
				child = childPath(path, f.Name)
			}
			walkTimes(v.Field(i), child, visit)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkTimes(v.Index(i), path.Index(i), visit)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			walkTimes(iter.Value(), path.Key(iter.Key().String()), visit)
		}
	}
}

func childPath(path *field.Path, name string) *field.Path {
	if path == nil {
		return field.NewPath(name)
	}
	return path.Child(name)
}
