package validation_test

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/knap-dev/knap/pkg/apis/serving"
)

func emptyDirVolume(name string) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}
}

func secretVolume(name string) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: name}}}
}

func configMapVolume(name string) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
		LocalObjectReference: corev1.LocalObjectReference{Name: name},
	}}}
}

func projectedVolume(name string, sources ...corev1.VolumeProjection) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{Sources: sources}}}
}

// mounted sets the volumes and mounts each read-only at /mnt/<name>.
func mounted(volumes ...corev1.Volume) func(*serving.RevisionSpec) {
	return func(rs *serving.RevisionSpec) {
		rs.Volumes = volumes
		for _, v := range volumes {
			rs.Containers[0].VolumeMounts = append(rs.Containers[0].VolumeMounts,
				corev1.VolumeMount{Name: v.Name, MountPath: "/mnt/" + v.Name, ReadOnly: true})
		}
	}
}

const v0 = "spec.volumes[0]"

func TestVolumes(t *testing.T) {
	runSpecCases(t, []specCase{
		{name: "secret, configMap, projected and emptyDir", mutate: mounted(
			secretVolume("creds"),
			configMapVolume("conf"),
			projectedVolume("all",
				corev1.VolumeProjection{Secret: &corev1.SecretProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "s"}}},
				corev1.VolumeProjection{ConfigMap: &corev1.ConfigMapProjection{
					LocalObjectReference: corev1.LocalObjectReference{Name: "c"},
					Items:                []corev1.KeyToPath{{Key: "k", Path: "p", Mode: ptr[int32](0o444)}},
				}},
				corev1.VolumeProjection{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token", Audience: "a"}},
				corev1.VolumeProjection{DownwardAPI: &corev1.DownwardAPIProjection{Items: []corev1.DownwardAPIVolumeFile{{
					Path: "labels", FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.labels"},
				}}}},
			),
			corev1.Volume{Name: "scratch", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{
				Medium: corev1.StorageMediumMemory, SizeLimit: ptr(resource.MustParse("64Mi")),
			}}},
		)},
		{name: "emptyDir may be writable", mutate: func(rs *serving.RevisionSpec) {
			rs.Volumes = []corev1.Volume{emptyDirVolume("scratch")}
			rs.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "scratch", MountPath: "/tmp"}}
		}},
		{name: "volume mounted by a sidecar", mutate: func(rs *serving.RevisionSpec) {
			sc := sidecar("proxy")
			sc.VolumeMounts = []corev1.VolumeMount{{Name: "conf", MountPath: "/etc/proxy", ReadOnly: true}}
			rs.Containers = []corev1.Container{withPort(rs.Containers[0], 8080), sc}
			rs.Volumes = []corev1.Volume{configMapVolume("conf")}
		}},
		{name: "not mounted", mutate: func(rs *serving.RevisionSpec) {
			rs.Volumes = []corev1.Volume{secretVolume("creds")}
		}, want: []string{v0 + ".name"}},
		{name: "duplicate name", mutate: mounted(secretVolume("creds"), configMapVolume("creds")),
			want: []string{"spec.volumes[1].name", c0 + ".volumeMounts[1].mountPath"}},
		{name: "invalid name", mutate: mounted(secretVolume("Creds")), want: []string{v0 + ".name"}},
		{name: "name required", mutate: mounted(secretVolume("")), want: []string{v0 + ".name"}},
		{name: "no source", mutate: mounted(corev1.Volume{Name: "nothing"}), want: []string{v0}},
		{name: "two sources", mutate: mounted(corev1.Volume{Name: "both", VolumeSource: corev1.VolumeSource{
			Secret:    &corev1.SecretVolumeSource{SecretName: "s"},
			ConfigMap: &corev1.ConfigMapVolumeSource{},
		}}), want: []string{v0 + ".configMap"}},
		{name: "secret items need key and path", mutate: mounted(corev1.Volume{Name: "creds", VolumeSource: corev1.VolumeSource{
			Secret: &corev1.SecretVolumeSource{SecretName: "s", Items: []corev1.KeyToPath{{Key: "a", Path: "a"}, {}}},
		}}), want: []string{v0 + ".secret.items[1].key", v0 + ".secret.items[1].path"}},
		{name: "configMap item user", mutate: mounted(corev1.Volume{Name: "conf", VolumeSource: corev1.VolumeSource{
			ConfigMap: &corev1.ConfigMapVolumeSource{Items: []corev1.KeyToPath{{Key: "a", Path: "a", User: ptr[int64](1)}}},
		}}), want: []string{v0 + ".configMap.items[0].user"}},
		{name: "empty projection", mutate: mounted(projectedVolume("p", corev1.VolumeProjection{})),
			want: []string{v0 + ".projected.sources[0]"}},
		{name: "projection with two sources", mutate: mounted(projectedVolume("p", corev1.VolumeProjection{
			Secret:    &corev1.SecretProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "s"}},
			ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "c"}},
		})), want: []string{v0 + ".projected.sources[0].configMap"}},
		{name: "projection names required", mutate: mounted(projectedVolume("p",
			corev1.VolumeProjection{Secret: &corev1.SecretProjection{}},
			corev1.VolumeProjection{ConfigMap: &corev1.ConfigMapProjection{Items: []corev1.KeyToPath{{Key: "k"}}}},
			corev1.VolumeProjection{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{}},
		)), want: []string{
			v0 + ".projected.sources[0].secret.name",
			v0 + ".projected.sources[1].configMap.name",
			v0 + ".projected.sources[1].configMap.items[0].path",
			v0 + ".projected.sources[2].serviceAccountToken.path",
		}},
		{name: "downwardAPI items", mutate: mounted(projectedVolume("p", corev1.VolumeProjection{
			DownwardAPI: &corev1.DownwardAPIProjection{Items: []corev1.DownwardAPIVolumeFile{
				{Path: "none"},
				{
					Path:             "both",
					FieldRef:         &corev1.ObjectFieldSelector{FieldPath: "metadata.name"},
					ResourceFieldRef: &corev1.ResourceFieldSelector{Resource: "limits.cpu"},
				},
				{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}},
			}},
		})), want: []string{
			v0 + ".projected.sources[0].downwardAPI.items[0]",
			v0 + ".projected.sources[0].downwardAPI.items[1].resourceFieldRef",
			v0 + ".projected.sources[0].downwardAPI.items[2].path",
		}},
		{name: "clusterTrustBundle projection", mutate: mounted(projectedVolume("p", corev1.VolumeProjection{
			ClusterTrustBundle: &corev1.ClusterTrustBundleProjection{Path: "ca.pem"},
		})), want: []string{v0 + ".projected.sources[0].clusterTrustBundle", v0 + ".projected.sources[0]"}},
		{name: "emptyDir medium", mutate: mounted(corev1.Volume{Name: "huge", VolumeSource: corev1.VolumeSource{
			EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumHugePages},
		}}), want: []string{v0 + ".emptyDir.medium"}},
		{name: "emptyDir negative size", mutate: mounted(corev1.Volume{Name: "neg", VolumeSource: corev1.VolumeSource{
			EmptyDir: &corev1.EmptyDirVolumeSource{SizeLimit: ptr(resource.MustParse("-1Mi"))},
		}}), want: []string{v0 + ".emptyDir.sizeLimit"}},
	})
}

func TestDisabledVolumeTypes(t *testing.T) {
	cases := []struct {
		name   string
		source corev1.VolumeSource
		want   []string
	}{
		{name: "hostPath", source: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/var"}}, want: []string{v0 + ".hostPath"}},
		{name: "persistentVolumeClaim", source: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "c", ReadOnly: true}}, want: []string{v0 + ".persistentVolumeClaim"}},
		{name: "csi", source: corev1.VolumeSource{CSI: &corev1.CSIVolumeSource{Driver: "d"}}, want: []string{v0 + ".csi"}},
		{name: "ephemeral", source: corev1.VolumeSource{Ephemeral: &corev1.EphemeralVolumeSource{}}, want: []string{v0 + ".ephemeral"}},
		{name: "image", source: corev1.VolumeSource{Image: &corev1.ImageVolumeSource{Reference: "x"}}, want: []string{v0 + ".image"}},
		// Not a source Knative knows at all, so the volume also has none.
		{name: "nfs", source: corev1.VolumeSource{NFS: &corev1.NFSVolumeSource{Server: "s", Path: "/"}}, want: []string{v0 + ".nfs", v0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := revisionWith(mounted(corev1.Volume{Name: "v", VolumeSource: tc.source}))
			expectPaths(t, errs, tc.want...)
			if errs[0].Type != field.ErrorTypeForbidden {
				t.Errorf("%s: type %q, want Forbidden", errs[0].Field, errs[0].Type)
			}
		})
	}
}

func TestVolumeMounts(t *testing.T) {
	const m0 = c0 + ".volumeMounts[0]"
	mount := func(vm corev1.VolumeMount) func(*serving.RevisionSpec) {
		return func(rs *serving.RevisionSpec) {
			rs.Volumes = []corev1.Volume{secretVolume("creds")}
			if vm.Name == "" {
				vm.Name = "creds"
			}
			rs.Containers[0].VolumeMounts = []corev1.VolumeMount{vm}
		}
	}
	runSpecCases(t, []specCase{
		{name: "subPath", mutate: mount(corev1.VolumeMount{MountPath: "/etc/creds/key", SubPath: "key", ReadOnly: true})},
		{name: "no matching volume", mutate: func(rs *serving.RevisionSpec) {
			rs.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "missing", MountPath: "/m", ReadOnly: true}}
		}, want: []string{m0 + ".name"}},
		{name: "mountPath required", mutate: mount(corev1.VolumeMount{ReadOnly: true}), want: []string{m0 + ".mountPath"}},
		{name: "relative mountPath", mutate: mount(corev1.VolumeMount{MountPath: "etc/creds", ReadOnly: true}), want: []string{m0 + ".mountPath"}},
		{name: "reserved /dev/log", mutate: mount(corev1.VolumeMount{MountPath: "/dev/log", ReadOnly: true}), want: []string{m0 + ".mountPath"}},
		{name: "reserved /dev", mutate: mount(corev1.VolumeMount{MountPath: "/dev/", ReadOnly: true}), want: []string{m0 + ".mountPath"}},
		{name: "reserved root", mutate: mount(corev1.VolumeMount{MountPath: "/", ReadOnly: true}), want: []string{m0 + ".mountPath"}},
		{name: "secret must be read-only", mutate: mount(corev1.VolumeMount{MountPath: "/etc/creds"}), want: []string{m0 + ".readOnly"}},
		{name: "duplicate mountPath", mutate: func(rs *serving.RevisionSpec) {
			rs.Volumes = []corev1.Volume{secretVolume("a"), configMapVolume("b")}
			rs.Containers[0].VolumeMounts = []corev1.VolumeMount{
				{Name: "a", MountPath: "/etc/conf", ReadOnly: true},
				{Name: "b", MountPath: "/etc/conf/", ReadOnly: true},
			}
		}, want: []string{c0 + ".volumeMounts[1].mountPath"}},
		{name: "subPathExpr", mutate: mount(corev1.VolumeMount{MountPath: "/etc/creds", ReadOnly: true, SubPathExpr: "$(POD)"}),
			want: []string{m0 + ".subPathExpr"}},
	})
}
