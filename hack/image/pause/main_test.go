package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// state reads a process's state letter (Z for a zombie) from /proc.
func state(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return fields[0]
}

func TestReapCollectsZombies(t *testing.T) {
	var pids []int
	for range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^$") // runs no test, exits at once
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		pids = append(pids, cmd.Process.Pid)
		_ = cmd.Process.Release() // nobody waits: it stays a zombie
	}
	// A Go child's leader shows Z a moment before its other threads are
	// gone and it can be waited for, so collect until all three are in.
	deadline := time.Now().Add(10 * time.Second)
	reaped := 0
	for reaped < len(pids) {
		if time.Now().After(deadline) {
			t.Fatalf("reaped %d children, want %d", reaped, len(pids))
		}
		reaped += reap()
		time.Sleep(10 * time.Millisecond)
	}
	for _, pid := range pids {
		if s := state(pid); s != "" {
			t.Errorf("child %d still there in state %s", pid, s)
		}
	}
	if n := reap(); n != 0 {
		t.Errorf("reap with no children left collected %d", n)
	}
}

func TestBinaryExitsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "pause")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "-v").Output(); err != nil || string(out) != version+"\n" {
		t.Fatalf("pause -v: %q %v", out, err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		var stderr bytes.Buffer
		cmd := exec.Command(bin)
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			t.Fatalf("pause exited by itself: %v", err)
		case <-time.After(300 * time.Millisecond):
		}
		_ = cmd.Process.Signal(sig)
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("pause after %s: %v, want exit 0; stderr:\n%s", sig, err, &stderr)
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("pause ignored %s", sig)
		}
	}
}
