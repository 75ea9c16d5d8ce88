// Command step is the build tests' step program: one static binary, no shell
// in its image, so a step's behaviour is spelled out in its arguments.
//
//	step write FILE CONTENT   create FILE's directories and write CONTENT (as is, no newline added)
//	step cat FILE             print FILE
//	step sleep DURATION       sleep (Go duration such as 1.5s, or whole seconds); SIGTERM ends it with 143
//	step exit CODE            exit with CODE (0-255)
//	step env                  print the environment, one KEY=value a line, sorted
//	step echo ARGS...         print ARGS separated by spaces and a newline
//
// Errors go to stderr with exit status 1; a usage error exits 2.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const usage = `usage: step COMMAND [ARGS]
  write FILE CONTENT   create FILE (and its directories) holding CONTENT
  cat FILE             print FILE
  sleep DURATION       sleep, e.g. 500ms, 2s, or 3 (seconds)
  exit CODE            exit with CODE (0-255)
  env                  print the environment
  echo ARGS...         print ARGS
`

// usageError is a wrong command line: exit status 2 and the usage text.
type usageError string

func (e usageError) Error() string { return string(e) }

// exitCode asks run's caller to exit with a status without an error message.
type exitCode int

func (e exitCode) Error() string { return "exit " + strconv.Itoa(int(e)) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the process's exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdout)
	var code exitCode
	var uerr usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &code):
		return int(code)
	case errors.As(err, &uerr):
		fmt.Fprintf(stderr, "step: %v\n%s", err, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "step: %v\n", err)
		return 1
	}
}

func nargs(args []string, n int, form string) error {
	if len(args) != n {
		return usageError(fmt.Sprintf("%s: want %s", args[0], form))
	}
	return nil
}

func dispatch(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError("no command")
	}
	switch args[0] {
	case "write":
		if err := nargs(args, 3, "write FILE CONTENT"); err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(args[1]), 0o755); err != nil {
			return err
		}
		return os.WriteFile(args[1], []byte(args[2]), 0o644)
	case "cat":
		if err := nargs(args, 2, "cat FILE"); err != nil {
			return err
		}
		f, err := os.Open(args[1])
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(stdout, f)
		return err
	case "sleep":
		if err := nargs(args, 2, "sleep DURATION"); err != nil {
			return err
		}
		d, err := parseDuration(args[1])
		if err != nil {
			return usageError(err.Error())
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return exitCode(128 + int(syscall.SIGTERM)) // as a shell reports a TERMed child
		}
	case "exit":
		if err := nargs(args, 2, "exit CODE"); err != nil {
			return err
		}
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 0 || n > 255 {
			return usageError(fmt.Sprintf("exit %q: want a code from 0 to 255", args[1]))
		}
		return exitCode(n)
	case "env":
		if err := nargs(args, 1, "env"); err != nil {
			return err
		}
		env := os.Environ()
		slices.Sort(env)
		for _, kv := range env {
			if _, err := fmt.Fprintln(stdout, kv); err != nil {
				return err
			}
		}
		return nil
	case "echo":
		_, err := fmt.Fprintln(stdout, strings.Join(args[1:], " "))
		return err
	case "help", "-h", "--help":
		_, err := io.WriteString(stdout, usage)
		return err
	default:
		return usageError(fmt.Sprintf("unknown command %q", args[0]))
	}
}

// parseDuration takes a Go duration or a number of seconds, as sleep(1) does.
func parseDuration(s string) (time.Duration, error) {
	if secs, err := strconv.ParseFloat(s, 64); err == nil && secs >= 0 {
		return time.Duration(secs * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("sleep %q: want a duration such as 500ms, 2s or 3", s)
	}
	return d, nil
}
