//go:build linux

package rawio

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// rawPair is a loopback TCP connection: the wrapped end and the plain
// peer.
func rawPair(t *testing.T) (*conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	peer := <-accepted
	if peer == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { c.Close(); peer.Close() })
	r, ok := Wrap(c).(*conn)
	if !ok {
		t.Fatal("Wrap did not wrap a TCP connection")
	}
	return r, peer
}

func TestConnReadWrite(t *testing.T) {
	r, peer := rawPair(t)
	// More than the socket buffers hold, so the write waits for the
	// poller while the peer reads slowly.
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	got := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(peer, int64(len(big))))
		got <- b
	}()
	n, err := r.Write(big)
	if err != nil || n != len(big) {
		t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(big))
	}
	if b := <-got; !bytes.Equal(b, big) {
		t.Fatalf("peer read %d bytes, not what was written", len(b))
	}

	// A read waits for data, then returns what is there.
	go func() {
		time.Sleep(20 * time.Millisecond)
		_, _ = peer.Write([]byte("hello"))
	}()
	buf := make([]byte, 64)
	n, err = r.Read(buf)
	if err != nil || string(buf[:n]) != "hello" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}

	// The peer closing is io.EOF.
	_ = peer.Close()
	if n, err = r.Read(buf); n != 0 || err != io.EOF {
		t.Fatalf("Read after the peer closed = %d, %v; want 0, EOF", n, err)
	}
}

func TestConnErrors(t *testing.T) {
	r, peer := rawPair(t)
	buf := make([]byte, 64)

	// A read deadline gives a timeout error, as net.TCPConn's does.
	_ = r.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
	_, err := r.Read(buf)
	var ne net.Error
	if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("Read past the deadline = %v; want a timeout", err)
	}
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "read" {
		t.Fatalf("Read past the deadline = %#v; want an OpError for read", err)
	}
	_ = r.SetReadDeadline(time.Time{})

	// Writing to a peer that has gone gives the system call's error.
	_ = peer.(*net.TCPConn).SetLinger(0)
	_ = peer.Close()
	time.Sleep(20 * time.Millisecond)
	var werr error
	for i := 0; i < 10 && werr == nil; i++ {
		_, werr = r.Write([]byte("x"))
	}
	var se *os.SyscallError
	if !errors.As(werr, &se) {
		t.Fatalf("Write to a reset connection = %v; want a system call error", werr)
	}

	// A closed connection gives net.ErrClosed.
	_ = r.Close()
	if _, err := r.Read(buf); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Read after Close = %v; want net.ErrClosed", err)
	}
	if _, err := r.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Write after Close = %v; want net.ErrClosed", err)
	}
}

func TestConnAllocatesNothing(t *testing.T) {
	r, peer := rawPair(t)
	msg := []byte("ping")
	buf := make([]byte, 64)
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := r.Write(msg); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(peer, buf[:len(msg)]); err != nil {
			t.Fatal(err)
		}
		if _, err := peer.Write(msg); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(r, buf[:len(msg)]); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 0 {
		t.Fatalf("a round trip allocates %.1f times; want 0", allocs)
	}
}

func TestWrapLeavesOtherConnsAlone(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	if c := Wrap(a); c != a {
		t.Fatalf("Wrap(net.Pipe) = %T; want the pipe itself", c)
	}
}

func TestListenerAndDialWrap(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := Listener(ln)
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := l.Accept()
		accepted <- c
	}()
	var d net.Dialer
	c, err := DialContext(d.DialContext)(context.Background(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := <-accepted
	if s == nil {
		t.Fatal("accept failed")
	}
	defer s.Close()
	for name, c := range map[string]net.Conn{"dialed": c, "accepted": s} {
		if _, ok := c.(*conn); !ok {
			t.Errorf("%s connection is %T; want *conn", name, c)
		}
	}
	// Half-closing still works (net/http relies on it), as does the
	// round trip.
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	if err := c.(interface{ CloseWrite() error }).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(s)
	if err != nil || string(b) != "ping" {
		t.Fatalf("accepted side read %q, %v; want ping then EOF", b, err)
	}
	if _, err := DialContext(d.DialContext)(context.Background(), "tcp", "127.0.0.1:1"); err == nil {
		t.Fatal("dialing a closed port succeeded")
	}
}
