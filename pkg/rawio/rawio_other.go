//go:build !linux

package rawio

import "net"

// Wrap is Linux only (see rawio_linux.go); elsewhere c is used as it is.
func Wrap(c net.Conn) net.Conn { return c }
