// Package rawio makes TCP connections read and write with raw system
// calls on their non-blocking sockets, waiting for readiness through Go's
// poller as usual: the data planes' hot paths (knap-queue, knap-gateway)
// then cost the Go scheduler no thread hand-offs (see conn).
package rawio

import (
	"context"
	"net"
)

// Listener wraps the connections l accepts.
func Listener(l net.Listener) net.Listener { return listener{l} }

type listener struct{ net.Listener }

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return Wrap(c), nil
}

// DialContext wraps the connections dial makes; it has the shape of
// net/http.Transport's DialContext.
func DialContext(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return Wrap(c), nil
	}
}
