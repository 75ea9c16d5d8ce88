package validation

import (
	"path"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Mount points that belong to the container runtime; /dev/log is the
// syslog socket.
var reservedMountPaths = sets.New("/", "/dev", "/dev/log")

// mountedVolumes returns the names of the volumes some container mounts.
func mountedVolumes(containers []corev1.Container) sets.Set[string] {
	names := sets.New[string]()
	for i := range containers {
		for _, vm := range containers[i].VolumeMounts {
			names.Insert(vm.Name)
		}
	}
	return names
}

// validateVolumes checks the pod's volumes and indexes them by name for the
// volume mount checks. Every volume must be mounted: Knative refuses
// volumes nothing uses.
func validateVolumes(volumes []corev1.Volume, mounted sets.Set[string], fldPath *field.Path) (map[string]corev1.Volume, field.ErrorList) {
	byName := make(map[string]corev1.Volume, len(volumes))
	var errs field.ErrorList
	for i := range volumes {
		v := &volumes[i]
		namePath := fldPath.Index(i).Child("name")
		if _, dup := byName[v.Name]; dup {
			errs = append(errs, field.Duplicate(namePath, v.Name))
		}
		if !mounted.Has(v.Name) {
			errs = append(errs, field.Invalid(namePath, v.Name, "volume is not mounted by any container"))
		}
		errs = append(errs, validateVolume(v, fldPath.Index(i))...)
		byName[v.Name] = *v
	}
	return byName, errs
}

func validateVolume(v *corev1.Volume, fldPath *field.Path) field.ErrorList {
	errs := forbidUnlisted(v, allowedVolumeFields, fldPath)
	if v.Name == "" {
		errs = append(errs, field.Required(fldPath.Child("name"), ""))
	} else {
		for _, msg := range validation.IsDNS1123Label(v.Name) {
			errs = append(errs, field.Invalid(fldPath.Child("name"), v.Name, msg))
		}
	}
	errs = append(errs, validateVolumeSourceCount(&v.VolumeSource, fldPath)...)
	vs := &v.VolumeSource
	if vs.Secret != nil {
		errs = append(errs, validateKeyToPaths(vs.Secret.Items, fldPath.Child("secret", "items"))...)
	}
	if vs.ConfigMap != nil {
		errs = append(errs, validateKeyToPaths(vs.ConfigMap.Items, fldPath.Child("configMap", "items"))...)
	}
	if vs.Projected != nil {
		sourcesPath := fldPath.Child("projected", "sources")
		for i := range vs.Projected.Sources {
			errs = append(errs, validateProjection(&vs.Projected.Sources[i], sourcesPath.Index(i))...)
		}
	}
	if vs.EmptyDir != nil {
		errs = append(errs, validateEmptyDir(vs.EmptyDir, fldPath.Child("emptyDir"))...)
	}
	return errs
}

// validateVolumeSourceCount requires exactly one volume source among those
// Knative knows; the field mask has already rejected any that are disabled.
func validateVolumeSourceCount(vs *corev1.VolumeSource, fldPath *field.Path) field.ErrorList {
	var set []string
	for _, s := range []struct {
		name string
		set  bool
	}{
		{"secret", vs.Secret != nil},
		{"configMap", vs.ConfigMap != nil},
		{"projected", vs.Projected != nil},
		{"emptyDir", vs.EmptyDir != nil},
		{"persistentVolumeClaim", vs.PersistentVolumeClaim != nil},
		{"hostPath", vs.HostPath != nil},
		{"csi", vs.CSI != nil},
		{"ephemeral", vs.Ephemeral != nil},
		{"image", vs.Image != nil},
	} {
		if s.set {
			set = append(set, s.name)
		}
	}
	switch len(set) {
	case 0:
		return field.ErrorList{field.Required(fldPath, "exactly one of secret, configMap, projected or emptyDir is required")}
	case 1:
		return nil
	}
	return field.ErrorList{field.Forbidden(fldPath.Child(set[1]),
		"may not be set together with "+set[0]+": a volume has exactly one source")}
}

func validateKeyToPaths(items []corev1.KeyToPath, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range items {
		p := fldPath.Index(i)
		errs = append(errs, forbidUnlisted(&items[i], allowedKeyToPathFields, p)...)
		errs = append(errs, requireString(items[i].Key, p.Child("key"))...)
		errs = append(errs, requireString(items[i].Path, p.Child("path"))...)
	}
	return errs
}

func validateProjection(vp *corev1.VolumeProjection, fldPath *field.Path) field.ErrorList {
	errs := forbidUnlisted(vp, allowedVolumeProjectionFields, fldPath)
	var set []string
	if vp.Secret != nil {
		set = append(set, "secret")
		errs = append(errs, requireString(vp.Secret.Name, fldPath.Child("secret", "name"))...)
		errs = append(errs, validateKeyToPaths(vp.Secret.Items, fldPath.Child("secret", "items"))...)
	}
	if vp.ConfigMap != nil {
		set = append(set, "configMap")
		errs = append(errs, requireString(vp.ConfigMap.Name, fldPath.Child("configMap", "name"))...)
		errs = append(errs, validateKeyToPaths(vp.ConfigMap.Items, fldPath.Child("configMap", "items"))...)
	}
	if vp.ServiceAccountToken != nil {
		set = append(set, "serviceAccountToken")
		p := fldPath.Child("serviceAccountToken")
		errs = append(errs, forbidUnlisted(vp.ServiceAccountToken, allowedTokenProjectionFields, p)...)
		errs = append(errs, requireString(vp.ServiceAccountToken.Path, p.Child("path"))...)
	}
	if vp.DownwardAPI != nil {
		set = append(set, "downwardAPI")
		errs = append(errs, validateDownwardAPIFiles(vp.DownwardAPI.Items, fldPath.Child("downwardAPI", "items"))...)
	}
	switch len(set) {
	case 0:
		errs = append(errs, field.Required(fldPath,
			"exactly one of secret, configMap, serviceAccountToken or downwardAPI is required"))
	case 1:
	default:
		errs = append(errs, field.Forbidden(fldPath.Child(set[1]),
			"may not be set together with "+set[0]+": a projection has exactly one source"))
	}
	return errs
}

func validateDownwardAPIFiles(items []corev1.DownwardAPIVolumeFile, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range items {
		f, p := &items[i], fldPath.Index(i)
		errs = append(errs, forbidUnlisted(f, allowedDownwardAPIFileFields, p)...)
		switch {
		case f.FieldRef == nil && f.ResourceFieldRef == nil:
			errs = append(errs, field.Required(p, "exactly one of fieldRef or resourceFieldRef is required"))
		case f.FieldRef != nil && f.ResourceFieldRef != nil:
			errs = append(errs, field.Forbidden(p.Child("resourceFieldRef"), "may not be set together with fieldRef"))
		}
		errs = append(errs, requireString(f.Path, p.Child("path"))...)
	}
	return errs
}

func validateEmptyDir(ed *corev1.EmptyDirVolumeSource, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	if ed.Medium != corev1.StorageMediumDefault && ed.Medium != corev1.StorageMediumMemory {
		errs = append(errs, field.NotSupported(fldPath.Child("medium"), ed.Medium,
			[]corev1.StorageMedium{corev1.StorageMediumDefault, corev1.StorageMediumMemory}))
	}
	if ed.SizeLimit != nil && ed.SizeLimit.Sign() < 0 {
		errs = append(errs, field.Invalid(fldPath.Child("sizeLimit"), ed.SizeLimit.String(), "must not be negative"))
	}
	return errs
}

// validateVolumeMounts checks a container's mounts against the pod's volumes.
func validateVolumeMounts(mounts []corev1.VolumeMount, volumes map[string]corev1.Volume, fldPath *field.Path) field.ErrorList {
	var errs field.ErrorList
	seenPaths := sets.New[string]()
	for i := range mounts {
		vm, p := &mounts[i], fldPath.Index(i)
		errs = append(errs, forbidUnlisted(vm, allowedVolumeMountFields, p)...)
		v, found := volumes[vm.Name]
		if !found {
			errs = append(errs, field.Invalid(p.Child("name"), vm.Name, "does not match the name of any volume"))
		}
		errs = append(errs, validateMountPath(vm.MountPath, seenPaths, p.Child("mountPath"))...)
		seenPaths.Insert(path.Clean(vm.MountPath))
		// Only scratch space is writable; config and secrets are read-only.
		writable := v.EmptyDir != nil || v.PersistentVolumeClaim != nil || v.Ephemeral != nil
		if found && !writable && !vm.ReadOnly {
			errs = append(errs, field.Invalid(p.Child("readOnly"), vm.ReadOnly,
				"must be true for this type of volume"))
		}
	}
	return errs
}

func validateMountPath(mountPath string, seen sets.Set[string], fldPath *field.Path) field.ErrorList {
	clean := path.Clean(mountPath)
	switch {
	case mountPath == "":
		return field.ErrorList{field.Required(fldPath, "")}
	case reservedMountPaths.Has(clean):
		return field.ErrorList{field.Invalid(fldPath, mountPath, clean+" is a reserved path")}
	case !path.IsAbs(mountPath):
		return field.ErrorList{field.Invalid(fldPath, mountPath, "must be an absolute path")}
	case seen.Has(clean):
		return field.ErrorList{field.Duplicate(fldPath, mountPath)}
	}
	return nil
}

func requireString(s string, fldPath *field.Path) field.ErrorList {
	if s == "" {
		return field.ErrorList{field.Required(fldPath, "")}
	}
	return nil
}
