//go:build !linux

package queue

import "net"

// withRawIO is Linux only (see rawio.go); elsewhere c is used as it is.
func withRawIO(c net.Conn) net.Conn { return c }
