// Command image packs one static binary into a container image without a
// Docker engine or a base image, the way ko does: an empty image, one layer
// holding the binary (and any extra files), the binary as entrypoint.
//
//	go run ./hack/image build --binary _output/images/bin/hello --name knap.local/hello:dev --out _output/images/hello.tar
//	go run ./hack/image build --binary BIN --name knap.local/hello:dev --registry registry.example/knap --push
//
// --out writes a docker-format archive that `ctr -n k8s.io images import`
// and `docker load` accept. --push writes the image to a registry with the
// credentials of the default keychain (~/.docker/config.json); --registry
// (default $REGISTRY) moves the image's repository there first, so
// knap.local/hello:dev becomes registry.example/knap/hello:dev. The image's
// reference (after a push, name@digest) is printed on stdout.
//
// The image is reproducible: the same binary gives the same digest.
package main

import (
	"archive/tar"
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// binDir is where binaries go by default, as in ko's images.
const binDir = "/ko-app"

// epoch is every file's mtime and the image's creation time, so that packing
// the same binary twice gives the same digest.
var epoch = time.Unix(0, 0).UTC()

// file is one regular file of the image's layer.
type file struct {
	path string // absolute path in the image
	src  string // path on the host
	mode int64  // permission bits in the image
}

// spec says what to pack.
type spec struct {
	binary     string // host path of the entrypoint binary
	binaryPath string // its absolute path in the image
	extra      []file // more files in the same layer
	platform   v1.Platform
}

// pack builds the image: one layer with the binary (mode 0755), the extra
// files, their parent directories and /tmp, the binary as entrypoint,
// WorkingDir /, and the binary's directory first on PATH.
func pack(s spec) (v1.Image, error) {
	files := append([]file{{path: s.binaryPath, src: s.binary, mode: 0o755}}, s.extra...)
	layerTar, err := layerTarball(files)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	})
	if err != nil {
		return nil, err
	}
	img, err := mutate.Append(empty.Image, mutate.Addendum{
		Layer:   layer,
		History: v1.History{CreatedBy: "knap hack/image: " + s.binaryPath, Created: v1.Time{Time: epoch}},
	})
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.Architecture = s.platform.Architecture
	cf.OS = s.platform.OS
	cf.Variant = s.platform.Variant
	cf.Created = v1.Time{Time: epoch}
	cf.Config.Entrypoint = []string{s.binaryPath}
	cf.Config.Cmd = nil
	cf.Config.WorkingDir = "/"
	cf.Config.Env = []string{"PATH=" + pathEnv(path.Dir(s.binaryPath))}
	return mutate.ConfigFile(img, cf)
}

// pathEnv puts dir first on the usual PATH.
func pathEnv(dir string) string {
	dirs := []string{dir}
	for _, d := range []string{"/usr/local/bin", "/usr/bin", "/bin"} {
		if d != dir {
			dirs = append(dirs, d)
		}
	}
	return strings.Join(dirs, ":")
}

// layerTarball writes files, sorted, after the directories that hold them.
func layerTarball(files []file) ([]byte, error) {
	dirs := map[string]bool{"tmp": true}
	seen := map[string]bool{}
	for _, f := range files {
		p := strings.TrimPrefix(path.Clean(f.path), "/")
		if !path.IsAbs(f.path) || p == "" || p == "." {
			return nil, fmt.Errorf("path %q in the image: want an absolute path to a file", f.path)
		}
		if seen[p] {
			return nil, fmt.Errorf("path %q in the image given twice", f.path)
		}
		seen[p] = true
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		mode := int64(0o755)
		if d == "tmp" {
			mode = 0o1777
		}
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: mode, ModTime: epoch, Format: tar.FormatPAX}); err != nil {
			return nil, err
		}
	}
	sorted := slices.Clone(files)
	slices.SortFunc(sorted, func(a, b file) int { return strings.Compare(path.Clean(a.path), path.Clean(b.path)) })
	for _, f := range sorted {
		if dirs[strings.TrimPrefix(path.Clean(f.path), "/")] {
			return nil, fmt.Errorf("path %q in the image is also a directory", f.path)
		}
		content, err := os.ReadFile(f.src)
		if err != nil {
			return nil, err
		}
		hdr := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     strings.TrimPrefix(path.Clean(f.path), "/"),
			Mode:     f.mode,
			Size:     int64(len(content)),
			ModTime:  epoch,
			Format:   tar.FormatPAX,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if _, err := tw.Write(content); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// elfMachines maps GOARCH to the ELF machine a binary for it declares.
var elfMachines = map[string]elf.Machine{
	"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "arm": elf.EM_ARM,
	"386": elf.EM_386, "ppc64le": elf.EM_PPC64, "s390x": elf.EM_S390, "riscv64": elf.EM_RISCV,
}

// checkStatic refuses what cannot run in an image without a libc: anything
// but an ELF executable for the platform, or one that needs a dynamic loader.
func checkStatic(binary string, p v1.Platform) error {
	f, err := elf.Open(binary)
	if err != nil {
		return fmt.Errorf("%s: not an ELF executable (%v)", binary, err)
	}
	defer f.Close()
	if want, ok := elfMachines[p.Architecture]; ok && f.Machine != want {
		return fmt.Errorf("%s: built for %s, but the image is %s (GOARCH=%s)", binary, f.Machine, p, p.Architecture)
	}
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			return fmt.Errorf("%s: dynamically linked, but the image has no libc: build it with CGO_ENABLED=0", binary)
		}
	}
	return nil
}

// rebase moves ref's repository under registry, keeping its last path
// element and tag: knap.local/hello:dev under host/knap is host/knap/hello:dev.
func rebase(ref name.Tag, registry string, opts ...name.Option) (name.Tag, error) {
	registry = strings.TrimSuffix(registry, "/")
	if registry == "" {
		return ref, nil
	}
	return name.NewTag(registry+"/"+path.Base(ref.RepositoryStr())+":"+ref.TagStr(), opts...)
}

// writeArchive writes the archive next to out and renames it into place,
// so an interrupted run never leaves a truncated archive to import.
func writeArchive(out string, ref name.Tag, img v1.Image) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tarball.Write(ref, img, tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

// fileFlags collects repeated --file IMAGEPATH=HOSTPATH.
type fileFlags []file

func (f *fileFlags) String() string { return fmt.Sprint(*f) }

func (f *fileFlags) Set(v string) error {
	dst, src, ok := strings.Cut(v, "=")
	if !ok || dst == "" || src == "" {
		return fmt.Errorf("%q: want IMAGEPATH=HOSTPATH", v)
	}
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", src)
	}
	*f = append(*f, file{path: dst, src: src, mode: int64(st.Mode().Perm())})
	return nil
}

func build(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("image build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	binary := fs.String("binary", "", "static binary to pack (required)")
	ref := fs.String("name", "", "image reference with a tag, e.g. knap.local/hello:dev (required)")
	out := fs.String("out", "", "write a docker-format archive (for ctr images import) to this file")
	push := fs.Bool("push", false, "push the image to its registry (credentials from ~/.docker/config.json)")
	registry := fs.String("registry", os.Getenv("REGISTRY"), "move the repository under this registry/prefix (default $REGISTRY)")
	inPath := fs.String("path", "", "the binary's path in the image (default "+binDir+"/<last element of the repository>)")
	platform := fs.String("platform", "linux/amd64", "the image's os/arch[/variant]; must match the binary")
	insecure := fs.Bool("insecure", false, "talk plain HTTP to the registry")
	var extra fileFlags
	fs.Var(&extra, "file", "add a file, IMAGEPATH=HOSTPATH (keeps its permission bits; repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *binary == "" || *ref == "" {
		return errors.New("--binary and --name are required")
	}
	if *out == "" && !*push {
		return errors.New("nothing to do: give --out FILE, --push, or both")
	}
	var nameOpts []name.Option
	if *insecure {
		nameOpts = append(nameOpts, name.Insecure)
	}
	tag, err := name.NewTag(*ref, nameOpts...)
	if err != nil {
		return fmt.Errorf("--name %q: %w", *ref, err)
	}
	if tag, err = rebase(tag, *registry, nameOpts...); err != nil {
		return fmt.Errorf("--registry %q: %w", *registry, err)
	}
	p, err := v1.ParsePlatform(*platform)
	if err != nil {
		return fmt.Errorf("--platform %q: %w", *platform, err)
	}
	if err := checkStatic(*binary, *p); err != nil {
		return err
	}
	s := spec{binary: *binary, binaryPath: *inPath, extra: extra, platform: *p}
	if s.binaryPath == "" {
		s.binaryPath = path.Join(binDir, path.Base(tag.RepositoryStr()))
	}
	img, err := pack(s)
	if err != nil {
		return err
	}
	digest, err := img.Digest()
	if err != nil {
		return err
	}
	if *out != "" {
		if err := writeArchive(*out, tag, img); err != nil {
			return err
		}
		st, err := os.Stat(*out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "image: %s %s -> %s (%.1f MiB)\n", tag, digest, *out, float64(st.Size())/(1<<20))
	}
	if !*push {
		_, err := fmt.Fprintln(stdout, tag.String())
		return err
	}
	if err := remote.Write(tag, img, remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain)); err != nil {
		return fmt.Errorf("pushing %s: %w", tag, err)
	}
	fmt.Fprintf(stderr, "image: pushed %s\n", tag.Digest(digest.String()))
	_, err = fmt.Fprintln(stdout, tag.Digest(digest.String()).String())
	return err
}

const usage = `usage: image build --binary PATH --name REF [--out FILE.tar] [--push] [flags]
run 'image build -h' for the flags
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "build" {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if err := build(ctx, args[1:], stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "image: %v\n", err)
		return 1
	}
	return 0
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
