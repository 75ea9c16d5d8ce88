package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary run knap-queue's main in a child process.
func TestMain(m *testing.M) {
	if os.Getenv("KNAP_QUEUE_TEST_RUN_MAIN") == "1" {
		os.Args = os.Args[:1]
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestSIGTERM runs the binary in front of a user server, sends it SIGTERM
// during a request and expects: readiness 503 at once, the request
// answered, exit status 0.
func TestSIGTERM(t *testing.T) {
	user := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d, err := time.ParseDuration(r.URL.Query().Get("sleep")); err == nil {
			time.Sleep(d)
		}
		fmt.Fprint(w, "Hello World!")
	}))
	defer user.Close()
	userPort := user.Listener.Addr().(*net.TCPAddr).Port
	servingPort := freePort(t)
	base := "http://127.0.0.1:" + strconv.Itoa(servingPort)

	cmd := exec.Command(os.Args[0])
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.Env = append(os.Environ(),
		"KNAP_QUEUE_TEST_RUN_MAIN=1",
		"QUEUE_SERVING_PORT="+strconv.Itoa(servingPort),
		"QUEUE_METRICS_PORT="+strconv.Itoa(freePort(t)),
		"QUEUE_ADMIN_PORT="+strconv.Itoa(freePort(t)),
		"USER_PORT="+strconv.Itoa(userPort),
		"SERVING_NAMESPACE=ns", "SERVING_REVISION=hello-00001", "SERVING_POD=hello-pod",
		"CONTAINER_CONCURRENCY=0", "REVISION_TIMEOUT_SECONDS=10",
		"SERVING_READINESS_PROBE=",
		"DRAIN_SLEEP=300ms",
	)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if t.Failed() {
			_ = cmd.Process.Kill()
			t.Logf("knap-queue's log:\n%s", logs.String())
		}
	}()

	probe := func() int {
		req, _ := http.NewRequest(http.MethodGet, base+"/", nil)
		req.Header.Set("K-Network-Probe", "queue")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	deadline := time.Now().Add(10 * time.Second)
	for probe() != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("knap-queue did not turn ready")
		}
		time.Sleep(20 * time.Millisecond)
	}

	slow := make(chan string, 1)
	go func() {
		res, err := http.Get(base + "/?sleep=500ms")
		if err != nil {
			slow <- err.Error()
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		slow <- strconv.Itoa(res.StatusCode) + " " + string(b)
	}()
	time.Sleep(100 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if code := probe(); code != http.StatusServiceUnavailable {
		t.Errorf("probe after SIGTERM: %d, want 503", code)
	}
	if got := <-slow; got != "200 Hello World!" {
		t.Errorf("in-flight request across SIGTERM: %q", got)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit: %v, want status 0", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("knap-queue did not exit after SIGTERM")
	}
	if !strings.Contains(logs.String(), "Drained") {
		t.Errorf("no drain in the log:\n%s", logs.String())
	}
}

func TestBadEnvironment(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "KNAP_QUEUE_TEST_RUN_MAIN=1", "CONTAINER_CONCURRENCY=lots")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("started with CONTAINER_CONCURRENCY=lots")
	}
	if !strings.Contains(string(out), "CONTAINER_CONCURRENCY") {
		t.Errorf("the error does not name the variable:\n%s", out)
	}
}
