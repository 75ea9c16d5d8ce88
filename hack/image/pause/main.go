// Command pause is the pod sandbox's first process (PID 1 of the pod's PID
// namespace when it is shared): it holds the sandbox's namespaces open,
// sleeps until SIGTERM or SIGINT, and reaps the zombies that orphaned
// processes in the pod leave behind. It does what Kubernetes' pause.c does,
// in Go so it is packed like every other local image.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const version = "knap-pause/1"

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "-v" || os.Args[1] == "--version") {
		fmt.Println(version)
		return
	}
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "pause: warning: not PID 1, so orphans are not reparented here")
	}
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for sig := range sigs {
		if sig == syscall.SIGCHLD {
			reap()
			continue
		}
		fmt.Fprintf(os.Stderr, "pause: shutting down, got signal %s\n", sig)
		os.Exit(0)
	}
}

// reap collects every child that has exited, without blocking; SIGCHLDs
// coalesce, so one signal may stand for many children. It returns how many
// it collected.
func reap() int {
	n := 0
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if pid <= 0 || err != nil {
			return n // 0: children left but none exited; ECHILD: no children
		}
		n++
	}
}
