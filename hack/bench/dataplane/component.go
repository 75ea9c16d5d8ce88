package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// component is one running hello server, queue or gateway. Closing its
// stdin stops it.
type component struct {
	name  string
	pid   int // 0: in-process
	addrs map[string]string
	// logPath holds its stderr; empty when in-process (stderr is ours).
	logPath string
	stdin   io.Closer
	// kill ends it at once; nil when in-process.
	kill    func()
	done    chan struct{}
	waitErr error

	lines chan string // the first line it prints
}

// roleArgs are the command line of a component process. -role comes
// first: a test binary recognises its children by it.
func roleArgs(ro roleOptions) []string {
	args := []string{"-role=" + ro.role}
	if ro.userPort != 0 {
		args = append(args, "-user-port="+strconv.Itoa(ro.userPort))
	}
	if ro.backend != "" {
		args = append(args, "-backend="+ro.backend)
	}
	return args
}

// startProcess runs exe (this binary) as the component, its stderr and
// whatever it prints after its announcement going to a log file. It dies
// with the benchmark: its stdin closes then.
func startProcess(exe, logDir string, ro roleOptions) (*component, error) {
	logPath := filepath.Join(logDir, ro.role+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, roleArgs(ro)...)
	cmd.Stderr = logFile
	stdin, err := cmd.StdinPipe()
	if err != nil {
		logFile.Close()
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logFile.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting %s: %w", ro.role, err)
	}
	c := &component{
		name: ro.role, pid: cmd.Process.Pid, logPath: logPath, stdin: stdin,
		kill: func() { _ = cmd.Process.Kill() },
		done: make(chan struct{}), lines: make(chan string, 1),
	}
	go func() {
		// The pipe must be read to its end before Wait.
		c.readAnnouncement(stdout, logFile)
		c.waitErr = cmd.Wait()
		logFile.Close()
		close(c.done)
	}()
	return c, nil
}

// startGoroutine runs the component in this process.
func startGoroutine(ro roleOptions) *component {
	stdinR, stdinW := io.Pipe()
	stdoutR, stdoutW := io.Pipe()
	c := &component{name: ro.role, stdin: stdinW, done: make(chan struct{}), lines: make(chan string, 1)}
	errc := make(chan error, 1)
	go func() {
		err := runRole(context.Background(), ro, stdinR, stdoutW)
		_ = stdoutW.Close()
		errc <- err
	}()
	go func() {
		c.readAnnouncement(stdoutR, io.Discard)
		c.waitErr = <-errc
		close(c.done)
	}()
	return c
}

// readAnnouncement passes the first line of stdout on and copies the rest
// to rest, until stdout ends.
func (c *component) readAnnouncement(stdout io.Reader, rest io.Writer) {
	r := bufio.NewReader(stdout)
	if line, err := r.ReadString('\n'); err == nil {
		c.lines <- strings.TrimSuffix(line, "\n")
	}
	close(c.lines)
	_, _ = io.Copy(rest, r)
}

// waitAnnounced waits for the component to say where it listens; it stops
// the component when that fails.
func (c *component) waitAnnounced(ctx context.Context, timeout time.Duration) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var err error
	select {
	case line, ok := <-c.lines:
		if ok {
			c.addrs, err = parseAnnouncement(line)
		} else {
			<-c.done
			err = fmt.Errorf("exited before listening (%v)%s", c.waitErr, c.logTail())
		}
	case <-timer.C:
		err = fmt.Errorf("did not listen within %s%s", timeout, c.logTail())
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		c.stop()
		return fmt.Errorf("%s: %w", c.name, err)
	}
	return nil
}

// parseAnnouncement reads "listening data=127.0.0.1:1234 admin=...".
func parseAnnouncement(line string) (map[string]string, error) {
	fields := strings.Fields(line)
	if len(fields) < 2 || fields[0] != "listening" {
		return nil, fmt.Errorf("unexpected first line %q", line)
	}
	addrs := map[string]string{}
	for _, f := range fields[1:] {
		name, addr, ok := strings.Cut(f, "=")
		if !ok || name == "" || addr == "" {
			return nil, fmt.Errorf("unexpected field %q in %q", f, line)
		}
		addrs[name] = addr
	}
	if addrs["data"] == "" {
		return nil, fmt.Errorf("no data address in %q", line)
	}
	return addrs, nil
}

// waitOK polls url until it answers 200.
func (c *component) waitOK(ctx context.Context, timeout time.Duration, url string, header http.Header) error {
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.Now().Add(timeout)
	for {
		err := getOK(ctx, client, url, header)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %s: %v%s", c.name, timeout, err, c.logTail())
		}
		select {
		case <-c.done:
			return fmt.Errorf("%s exited before it was ready (%v)%s", c.name, c.waitErr, c.logTail())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func getOK(ctx context.Context, client *http.Client, url string, header http.Header) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header = header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

// stop closes the component's stdin, which stops it, and kills a process
// still running a while later.
func (c *component) stop() {
	_ = c.stdin.Close()
	select {
	case <-c.done:
		return
	case <-time.After(2 * stopGrace):
	}
	if c.kill == nil {
		fmt.Fprintf(os.Stderr, "dataplane: %s did not stop within %s; leaving it\n", c.name, 2*stopGrace)
		return
	}
	c.kill()
	<-c.done
}

// where is the component's pid, for the report.
func (c *component) where() string {
	if c.pid == 0 {
		return "in-process"
	}
	return "pid " + strconv.Itoa(c.pid)
}

// logTail is the end of the component's log, to explain a failure; empty
// when in-process (its log is on our stderr).
func (c *component) logTail() string {
	if c.logPath == "" {
		return ""
	}
	const n = 20
	b, err := os.ReadFile(c.logPath)
	if err != nil {
		return "\n" + err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return fmt.Sprintf("\n--- %s (last %d lines):\n%s", c.logPath, n, strings.Join(lines[max(0, len(lines)-n):], "\n"))
}
