package main

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// tinyBinary builds a small static Go program, once per test binary run.
func tinyBinary(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nfunc main() { println(\"tiny\") }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "tiny")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, src)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// layerFiles reads the single layer of img: header by path, content by path.
func layerFiles(t *testing.T, img v1.Image) (map[string]*tar.Header, map[string][]byte) {
	t.Helper()
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("layers: %d %v, want 1", len(layers), err)
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	hdrs, contents := map[string]*tar.Header{}, map[string][]byte{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		hdrs[h.Name], contents[h.Name] = h, b
	}
	return hdrs, contents
}

func buildCmd(t *testing.T, args ...string) (stdout string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = build(context.Background(), args, &out, &errb)
	if err != nil {
		t.Logf("stderr: %s", errb.String())
	}
	return out.String(), err
}

func TestBuildArchive(t *testing.T) {
	bin := tinyBinary(t)
	extra := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(extra, []byte("root:x:0:0::/:/ko-app/tiny\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "images", "hello.tar")
	stdout, err := buildCmd(t, "--binary", bin, "--name", "knap.local/hello:dev", "--out", out, "--file", "/etc/passwd="+extra, "--registry", "")
	if err != nil {
		t.Fatal(err)
	}
	if stdout != "knap.local/hello:dev\n" {
		t.Errorf("stdout %q", stdout)
	}

	tag, _ := name.NewTag("knap.local/hello:dev")
	img, err := tarball.ImageFromPath(out, &tag)
	if err != nil {
		t.Fatalf("reading the archive back: %v", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cf.OS != "linux" || cf.Architecture != "amd64" {
		t.Errorf("platform %s/%s", cf.OS, cf.Architecture)
	}
	if got := cf.Config.Entrypoint; len(got) != 1 || got[0] != "/ko-app/hello" {
		t.Errorf("entrypoint %q, want [/ko-app/hello]", got)
	}
	if cf.Config.WorkingDir != "/" || len(cf.Config.Cmd) != 0 || cf.Config.User != "" {
		t.Errorf("workdir %q, cmd %q, user %q", cf.Config.WorkingDir, cf.Config.Cmd, cf.Config.User)
	}
	if env := strings.Join(cf.Config.Env, " "); env != "PATH=/ko-app:/usr/local/bin:/usr/bin:/bin" {
		t.Errorf("env %q", env)
	}
	if len(cf.RootFS.DiffIDs) != 1 || len(cf.History) != 1 {
		t.Errorf("rootfs %v, history %v", cf.RootFS.DiffIDs, cf.History)
	}

	hdrs, contents := layerFiles(t, img)
	want, _ := os.ReadFile(bin)
	h := hdrs["ko-app/hello"]
	if h == nil || h.Typeflag != tar.TypeReg || h.Mode != 0o755 || h.Uid != 0 || h.Gid != 0 {
		t.Fatalf("ko-app/hello: %+v, want a regular file, mode 0755, owned by root", h)
	}
	if !bytes.Equal(contents["ko-app/hello"], want) {
		t.Error("ko-app/hello is not the binary")
	}
	if d := hdrs["ko-app/"]; d == nil || d.Typeflag != tar.TypeDir || d.Mode != 0o755 {
		t.Errorf("ko-app/: %+v", d)
	}
	if d := hdrs["tmp/"]; d == nil || d.Mode != 0o1777 {
		t.Errorf("tmp/: %+v", d)
	}
	if p := hdrs["etc/passwd"]; p == nil || p.Mode != 0o600 || !bytes.Equal(contents["etc/passwd"], []byte("root:x:0:0::/:/ko-app/tiny\n")) {
		t.Errorf("etc/passwd: %+v %q", p, contents["etc/passwd"])
	}
	if len(hdrs) != 5 { // etc/ ko-app/ tmp/ ko-app/hello etc/passwd
		t.Errorf("layer holds %d entries, want 5", len(hdrs))
	}

	// The archive is what ctr imports: a docker manifest.json naming the tag.
	m, err := tarball.LoadManifest(func() (io.ReadCloser, error) { return os.Open(out) })
	if err != nil || len(m) != 1 || len(m[0].RepoTags) != 1 || m[0].RepoTags[0] != "knap.local/hello:dev" {
		t.Errorf("manifest.json: %+v %v", m, err)
	}

	// Reproducible: the same inputs give the same digest.
	out2 := filepath.Join(t.TempDir(), "again.tar")
	if _, err := buildCmd(t, "--binary", bin, "--name", "knap.local/hello:dev", "--out", out2, "--file", "/etc/passwd="+extra, "--registry", ""); err != nil {
		t.Fatal(err)
	}
	img2, err := tarball.ImageFromPath(out2, &tag)
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := img.Digest()
	d2, _ := img2.Digest()
	if d1 != d2 {
		t.Errorf("digests differ: %s, %s", d1, d2)
	}
}

func TestBuildPathAndPlatform(t *testing.T) {
	bin := tinyBinary(t)
	s := spec{binary: bin, binaryPath: "/pause", platform: v1.Platform{OS: "linux", Architecture: "amd64"}}
	img, err := pack(s)
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := img.ConfigFile()
	if cf.Config.Entrypoint[0] != "/pause" || cf.Config.Env[0] != "PATH=/:/usr/local/bin:/usr/bin:/bin" {
		t.Errorf("entrypoint %q env %q", cf.Config.Entrypoint, cf.Config.Env)
	}
	hdrs, _ := layerFiles(t, img)
	if h := hdrs["pause"]; h == nil || h.Mode != 0o755 {
		t.Errorf("pause: %+v", h)
	}
	if err := checkStatic(bin, v1.Platform{OS: "linux", Architecture: "arm64"}); err == nil || !strings.Contains(err.Error(), "built for EM_X86_64") {
		t.Errorf("an amd64 binary for arm64: %v", err)
	}
}

func TestRefuses(t *testing.T) {
	bin := tinyBinary(t)
	notELF := filepath.Join(t.TempDir(), "script")
	if err := os.WriteFile(notELF, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "x.tar")
	for name, args := range map[string][]string{
		"no binary":      {"--name", "knap.local/x:dev", "--out", out},
		"no name":        {"--binary", bin, "--out", out},
		"no output":      {"--binary", bin, "--name", "knap.local/x:dev", "--registry", ""},
		"bad name":       {"--binary", bin, "--name", "Knap.local/UPPER:dev", "--out", out},
		"not ELF":        {"--binary", notELF, "--name", "knap.local/x:dev", "--out", out},
		"relative path":  {"--binary", bin, "--name", "knap.local/x:dev", "--out", out, "--path", "x"},
		"bad file flag":  {"--binary", bin, "--name", "knap.local/x:dev", "--out", out, "--file", "/etc/x"},
		"file collision": {"--binary", bin, "--name", "knap.local/x:dev", "--out", out, "--file", "/ko-app/x=" + notELF},
		"file over dir":  {"--binary", bin, "--name", "knap.local/x:dev", "--out", out, "--file", "/ko-app=" + notELF},
		"bad platform":   {"--binary", bin, "--name", "knap.local/x:dev", "--out", out, "--platform", "linux/amd64/v3/x"},
	} {
		if _, err := buildCmd(t, args...); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused build left %s behind", out)
	}
	if dyn, err := exec.LookPath("ls"); err == nil {
		if err := checkStatic(dyn, v1.Platform{OS: "linux", Architecture: "amd64"}); err == nil || !strings.Contains(err.Error(), "CGO_ENABLED=0") {
			t.Errorf("dynamically linked %s: %v", dyn, err)
		}
	}
	if code := run(context.Background(), []string{"frob"}, io.Discard, io.Discard); code != 2 {
		t.Errorf("unknown command: exit %d", code)
	}
}

func TestRebase(t *testing.T) {
	tag, _ := name.NewTag("knap.local/hello:dev")
	for registry, want := range map[string]string{
		"":                       "knap.local/hello:dev",
		"registry.example/knap":  "registry.example/knap/hello:dev",
		"registry.example/knap/": "registry.example/knap/hello:dev",
		"localhost:5000":         "localhost:5000/hello:dev",
	} {
		got, err := rebase(tag, registry)
		if err != nil || got.String() != want {
			t.Errorf("rebase(%q) = %s %v, want %s", registry, got, err, want)
		}
	}
}

// --push with --registry writes to a registry (an in-memory one on
// loopback) and prints name@digest; the pushed image reads back whole.
func TestPush(t *testing.T) {
	bin := tinyBinary(t)
	reg := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer reg.Close()
	host := strings.TrimPrefix(reg.URL, "http://")
	t.Setenv("DOCKER_CONFIG", t.TempDir()) // anonymous: no credentials from the host

	stdout, err := buildCmd(t, "--binary", bin, "--name", "knap.local/hello:dev", "--push", "--registry", host+"/knap", "--insecure")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := name.NewDigest(strings.TrimSpace(stdout), name.Insecure)
	if err != nil {
		t.Fatalf("stdout %q is not name@digest: %v", stdout, err)
	}
	if ref.Context().String() != host+"/knap/hello" {
		t.Errorf("pushed to %s", ref.Context())
	}
	img, err := remote.Image(ref)
	if err != nil {
		t.Fatalf("pulling %s back: %v", ref, err)
	}
	cf, err := img.ConfigFile()
	if err != nil || cf.Config.Entrypoint[0] != "/ko-app/hello" {
		t.Fatalf("pulled config: %+v %v", cf, err)
	}
	tagged, _ := name.NewTag(host+"/knap/hello:dev", name.Insecure)
	desc, err := remote.Head(tagged)
	if err != nil || desc.Digest.String() != ref.DigestStr() {
		t.Fatalf("tag dev points at %v (%v), want %s", desc, err, ref.DigestStr())
	}
}
