//go:build linux

package rawio

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"unsafe"
)

// conn reads and writes a TCP connection's non-blocking socket with raw
// system calls, and waits for readiness through Go's poller as
// net.TCPConn does.
//
// Why: net.TCPConn's Read and Write tell the runtime they enter a system call.
// Loopback writes often last over 20 µs, so the runtime's monitor thread
// hands the goroutine's P to another thread (a futex wake-up) and keeps
// waking every 20 µs to check again; on a busy proxy on two cores that
// was a sixth of knap-queue's CPU. A call on a non-blocking socket returns
// at once, so it needs neither.
type conn struct {
	*net.TCPConn
	rc syscall.RawConn

	// A read and a write may run at once (net/http does both), so each
	// has its own state and lock. The callbacks are made once, so a call
	// allocates nothing.
	rmu, wmu sync.Mutex
	rd, wr   rawCall
	readFn   func(fd uintptr) bool
	writeFn  func(fd uintptr) bool
}

// rawCall is one read or write in progress: its buffer (what is left to
// write), the bytes done and the error.
type rawCall struct {
	p     []byte
	n     int
	errno syscall.Errno
}

// Wrap returns c reading and writing with raw system calls when it is a
// TCP connection; otherwise it returns c.
func Wrap(c net.Conn) net.Conn {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return c
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return c
	}
	r := &conn{TCPConn: tc, rc: rc}
	r.readFn = r.readOnce
	r.writeFn = r.writeOnce
	return r
}

// readOnce reads once; false (wait for the poller) when nothing is there.
func (r *conn) readOnce(fd uintptr) bool {
	c := &r.rd
	for {
		n, _, e := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&c.p[0])), uintptr(len(c.p)))
		switch e {
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false
		}
		c.n, c.errno = int(n), e
		return true
	}
}

// writeOnce writes until all is written (true), the socket is full
// (false: wait for the poller), or an error (true).
func (r *conn) writeOnce(fd uintptr) bool {
	c := &r.wr
	for len(c.p) > 0 {
		n, _, e := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(&c.p[0])), uintptr(len(c.p)))
		switch e {
		case 0:
			c.n += int(n)
			c.p = c.p[n:]
		case syscall.EINTR:
		case syscall.EAGAIN:
			return false
		default:
			c.errno = e
			return true
		}
	}
	return true
}

func (r *conn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.rmu.Lock()
	r.rd = rawCall{p: p}
	err := r.rc.Read(r.readFn)
	n, errno := r.rd.n, r.rd.errno
	r.rd.p = nil
	r.rmu.Unlock()
	switch {
	case err != nil:
		return 0, r.opError("read", err)
	case errno != 0:
		return 0, r.opError("read", os.NewSyscallError("read", errno))
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

func (r *conn) Write(p []byte) (int, error) {
	r.wmu.Lock()
	r.wr = rawCall{p: p}
	err := r.rc.Write(r.writeFn)
	n, errno := r.wr.n, r.wr.errno
	r.wr.p = nil
	r.wmu.Unlock()
	switch {
	case err != nil:
		return n, r.opError("write", err)
	case errno != 0:
		return n, r.opError("write", os.NewSyscallError("write", errno))
	}
	return n, nil
}

// opError is the error net.TCPConn gives: an *net.OpError for op whose
// cause is a closed connection, a deadline or the system call's error.
func (r *conn) opError(op string, err error) error {
	var raw *net.OpError
	if errors.As(err, &raw) {
		err = raw.Err // the poller's error, under a "raw-read" OpError
	}
	return &net.OpError{Op: op, Net: "tcp", Source: r.LocalAddr(), Addr: r.RemoteAddr(), Err: err}
}
