package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func step(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestWriteAndCat(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "tekton", "results", "digest")
	if code, _, stderr := step(t, ctx, "write", file, "sha256:abc"); code != 0 {
		t.Fatalf("write: %d %s", code, stderr)
	}
	b, err := os.ReadFile(file)
	if err != nil || string(b) != "sha256:abc" {
		t.Fatalf("file holds %q (%v), want the content without a newline", b, err)
	}
	if code, out, _ := step(t, ctx, "cat", file); code != 0 || out != "sha256:abc" {
		t.Fatalf("cat: %d %q", code, out)
	}
	if code, _, stderr := step(t, ctx, "cat", file+".missing"); code != 1 || !strings.Contains(stderr, "no such file") {
		t.Fatalf("cat of a missing file: %d %q", code, stderr)
	}
	// A directory where the file's parent should be cannot be written.
	if code, _, _ := step(t, ctx, "write", filepath.Join(file, "x"), "y"); code != 1 {
		t.Fatalf("write under a file: %d, want 1", code)
	}
}

func TestExit(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		arg  string
		want int
	}{{"0", 0}, {"3", 3}, {"255", 255}, {"256", 2}, {"x", 2}, {"-1", 2}} {
		if code, _, _ := step(t, ctx, "exit", tc.arg); code != tc.want {
			t.Errorf("exit %s: %d, want %d", tc.arg, code, tc.want)
		}
	}
}

func TestEchoEnvUsage(t *testing.T) {
	ctx := context.Background()
	if code, out, _ := step(t, ctx, "echo", "a", "b c"); code != 0 || out != "a b c\n" {
		t.Errorf("echo: %d %q", code, out)
	}
	if code, out, _ := step(t, ctx, "echo"); code != 0 || out != "\n" {
		t.Errorf("echo without args: %d %q", code, out)
	}
	t.Setenv("STEP_TEST_VAR", "v=1")
	if code, out, _ := step(t, ctx, "env"); code != 0 || !strings.Contains(out, "\nSTEP_TEST_VAR=v=1\n") {
		t.Errorf("env: %d, STEP_TEST_VAR missing from\n%s", code, out)
	}
	for _, args := range [][]string{{}, {"frobnicate"}, {"write", "only-file"}, {"cat"}, {"env", "x"}, {"sleep", "soon"}} {
		if code, _, stderr := step(t, ctx, args...); code != 2 || !strings.Contains(stderr, "usage: step") {
			t.Errorf("%q: %d %q, want 2 and the usage", args, code, stderr)
		}
	}
}

func TestSleep(t *testing.T) {
	start := time.Now()
	if code, _, _ := step(t, context.Background(), "sleep", "50ms"); code != 0 || time.Since(start) < 50*time.Millisecond {
		t.Fatalf("sleep 50ms: %d after %v", code, time.Since(start))
	}
	if code, _, _ := step(t, context.Background(), "sleep", "0.01"); code != 0 {
		t.Fatalf("sleep 0.01: %d", code)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start = time.Now()
	if code, _, _ := step(t, ctx, "sleep", "1h"); code != 143 || time.Since(start) > 10*time.Second {
		t.Fatalf("sleep interrupted: %d after %v, want 143 at once", code, time.Since(start))
	}
}

// The built binary: exit statuses reach the parent and SIGTERM ends a sleep.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "step")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	err := exec.Command(bin, "exit", "7").Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 7 {
		t.Fatalf("step exit 7: %v", err)
	}
	cmd := exec.Command(bin, "sleep", "1h")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // past main's signal.NotifyContext
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 143 {
			t.Fatalf("step sleep after SIGTERM: %v, want exit 143", err)
		}
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("step sleep ignored SIGTERM")
	}
}
