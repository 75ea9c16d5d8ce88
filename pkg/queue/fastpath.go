package queue

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"k8s.io/klog/v2"

	"github.com/knap-dev/knap/pkg/rawio"
)

// The fast path. Most requests a revision sees are plain HTTP/1.1 with a
// known length, and net/http's server plus httputil.ReverseProxy cost
// several goroutine hand-offs, a background read and a dozen allocations
// for each. The front door reads each request head itself: a plain request
// (see parseSimpleRequest) is forwarded byte for byte over a pooled
// connection on the connection's own goroutine, four system calls in all;
// anything else (HTTP/2, upgrades, chunked uploads, probes, malformed
// requests) hands the connection over to the net/http server, with what
// was read so far, for good. Both paths count, limit and time requests the
// same way (Handler.begin/end, the breaker, Timeouts).

// watchClientAfter is how long the fast path waits for the user
// container's answer before it also watches the client, so that a client
// that leaves cancels the request (net/http watches at once, which costs
// every request a background read).
const watchClientAfter = 50 * time.Millisecond

const clientReadBuffer = 8 << 10

// headerReadTimeout is how long a request head may take to arrive once its
// first bytes have, as the net/http path's ReadHeaderTimeout.
const headerReadTimeout = time.Minute

// errorWriteTimeout bounds writing an error answer.
const errorWriteTimeout = 5 * time.Second

// frontDoor serves the main port.
type frontDoor struct {
	h       *Handler
	l       net.Listener
	pool    *upstreamPool
	handoff *handoffListener
	// headerTimeout bounds a request head's arrival once it started.
	headerTimeout time.Duration

	closing atomic.Bool
	mu      sync.Mutex
	conns   map[*fastConn]struct{}
}

func newFrontDoor(h *Handler, l net.Listener, userAddr string, maxIdle int) *frontDoor {
	return &frontDoor{
		h:       h,
		l:       l,
		pool:    newUpstreamPool(userAddr, maxIdle),
		handoff: newHandoffListener(l.Addr()),
		conns:   map[*fastConn]struct{}{},

		headerTimeout: headerReadTimeout,
	}
}

// serve accepts connections until the listener is closed.
func (d *frontDoor) serve() error {
	var backoff time.Duration
	for {
		c, err := d.l.Accept()
		if err != nil {
			if d.closing.Load() || errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) || isTemporary(err) {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				klog.InfoS("Accept failed; retrying", "err", err, "in", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		go d.serveConn(c)
	}
}

func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// shutdown stops accepting, closes idle connections and has busy ones
// close after their current response.
func (d *frontDoor) shutdown() {
	d.closing.Store(true)
	_ = d.l.Close()
	d.mu.Lock()
	for fc := range d.conns {
		if fc.idle.Load() {
			_ = fc.conn.Close()
		}
	}
	d.mu.Unlock()
	d.pool.closeIdle()
}

// close closes every connection at once.
func (d *frontDoor) close() {
	d.closing.Store(true)
	_ = d.l.Close()
	d.mu.Lock()
	for fc := range d.conns {
		_ = fc.conn.Close()
	}
	d.mu.Unlock()
	d.pool.closeIdle()
}

// fastConn is a client connection on the fast path.
type fastConn struct {
	conn     net.Conn
	br       *bufio.Reader
	clientIP string
	idle     atomic.Bool // waiting for a request head
	req      simpleRequest
	resp     responseHead
}

func (d *frontDoor) serveConn(c net.Conn) {
	c = rawio.Wrap(c)
	fc := &fastConn{conn: c, br: bufio.NewReaderSize(c, clientReadBuffer)}
	if ip, _, err := net.SplitHostPort(c.RemoteAddr().String()); err == nil {
		fc.clientIP = ip
	}
	d.mu.Lock()
	d.conns[fc] = struct{}{}
	d.mu.Unlock()
	handedOff := false
	defer func() {
		d.mu.Lock()
		delete(d.conns, fc)
		d.mu.Unlock()
		if !handedOff {
			_ = c.Close()
		}
	}()
	for {
		// Idle first, then the check: shutdown sets closing first, then
		// closes idle connections, so one of the two sees the other.
		fc.idle.Store(true)
		if d.closing.Load() {
			return
		}
		head, armed, err := peekHead(fc.br, c, d.headerTimeout)
		fc.idle.Store(false)
		if armed && err == nil {
			_ = c.SetReadDeadline(time.Time{})
		}
		if err != nil && !errors.Is(err, errHeadTooLarge) {
			return // the client closed or sent half a head
		}
		if err != nil || !parseSimpleRequest(head, &fc.req) || fc.req.probe {
			handedOff = true
			d.handoff.give(&bufferedConn{Conn: c, r: fc.br})
			return
		}
		if !d.forward(fc) || d.closing.Load() {
			return
		}
	}
}

// exchange is one request's trip to the user container and back.
type exchange struct {
	d  *frontDoor
	fc *fastConn
	u  *upstream
	cw *bufio.Writer
	// total and headDeadline are the request's deadlines (zero: none).
	total, headDeadline time.Time
	idle                time.Duration
	// Deadlines cost a timer update each, so the body's are only set
	// once a read or write may block: readArmed when the user
	// container's body read deadline is set, writeArmed when the
	// client's write deadline is (and must be cleared after).
	readArmed, writeArmed bool
}

var (
	scratchPool = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}
	writerPool  = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 8<<10) }}
)

// forward serves the request fc.req, whose head is at the start of fc.br;
// it reports whether the client connection can carry another request.
func (d *frontDoor) forward(fc *fastConn) bool {
	h, req := d.h, &fc.req
	start := h.begin(req.proxied)
	status, app := 0, time.Duration(-1)
	defer func() { h.end(start, req.proxied, status, app) }()

	x := &exchange{d: d, fc: fc, idle: h.timeouts.Idle}
	if h.timeouts.Total > 0 {
		x.total = start.Add(h.timeouts.Total)
	}
	x.headDeadline = x.total
	if h.timeouts.ResponseStart > 0 {
		x.headDeadline = earliest(x.headDeadline, start.Add(h.timeouts.ResponseStart))
	}
	if x.idle > 0 {
		// Waiting for the head is idle time too.
		x.headDeadline = earliest(x.headDeadline, start.Add(x.idle))
	}
	x.cw = writerPool.Get().(*bufio.Writer)
	x.cw.Reset(fc.conn)
	defer func() {
		x.cw.Reset(nil)
		writerPool.Put(x.cw)
		if x.writeArmed {
			_ = fc.conn.SetWriteDeadline(time.Time{})
		}
	}()

	// The head for the user container, built before the head's bytes in
	// fc.br can move; a body that fits in the buffer joins it, so the
	// request can be sent again on a new connection.
	scratch := scratchPool.Get().(*[]byte)
	defer scratchPool.Put(scratch)
	out := req.appendUpstreamHead((*scratch)[:0], fc.clientIP)
	headLen, bodyLeft := len(req.head), req.contentLength
	replayable := int64(headLen)+bodyLeft <= int64(fc.br.Size())
	if replayable {
		all, err := fc.br.Peek(headLen + int(bodyLeft))
		if err != nil {
			return false // the client left mid-body
		}
		out = append(out, all[headLen:]...)
		_, _ = fc.br.Discard(len(all))
		bodyLeft = 0
	} else {
		_, _ = fc.br.Discard(headLen)
	}
	*scratch = out

	if b := h.breaker; b != nil {
		acquired, err := b.tryAcquire()
		if err != nil {
			status = http.StatusServiceUnavailable
			return x.writeError(status, err.Error()+"\n", replayable)
		}
		if !acquired {
			if err := x.waitForSlot(b); errors.Is(err, errClientLeft) {
				return false
			} else if err != nil {
				status = http.StatusGatewayTimeout
				return x.writeError(status, timeoutBody, replayable)
			}
		}
		defer b.Release()
	}

	appStart := time.Now()
	defer func() { app = time.Since(appStart) }()
	var keep bool
	status, keep = x.roundTrip(out, bodyLeft, replayable)
	return keep
}

// waitForSlot waits in the breaker's queue until the head deadline,
// watching the client meanwhile: nil once it holds a slot, errClientLeft
// when the client left, the context's deadline error when it passed.
func (x *exchange) waitForSlot(b *Breaker) error {
	ctx, cancel := context.Background(), context.CancelFunc(func() {})
	if !x.headDeadline.IsZero() {
		ctx, cancel = context.WithDeadline(ctx, x.headDeadline)
	}
	ctx, cancelLeft := context.WithCancel(ctx)
	defer cancel()
	w := x.fc.watch(cancelLeft)
	err := b.wait(ctx)
	cancelLeft()
	if w.stop() {
		if err == nil {
			b.Release()
		}
		return errClientLeft
	}
	return err
}

// roundTrip sends the request and forwards the answer; it returns the
// status the client got (0: none) and whether the client connection can
// be kept.
func (x *exchange) roundTrip(out []byte, bodyLeft int64, replayable bool) (int, bool) {
	var head []byte
	var left bool
	for attempt := 0; ; attempt++ {
		u, err := x.d.pool.get(!replayable)
		if err != nil {
			return http.StatusBadGateway, x.writeError(http.StatusBadGateway, "error reaching the user container: "+err.Error()+"\n", replayable)
		}
		x.u = u
		watchAt := earliest(x.headDeadline, time.Now().Add(watchClientAfter))
		if replayable {
			// One write of at most the client buffer's size, which the
			// socket takes at once: the read's deadline covers it.
			_ = u.conn.SetDeadline(watchAt)
		} else {
			_ = u.conn.SetWriteDeadline(x.headDeadline)
			_ = u.conn.SetReadDeadline(watchAt)
		}
		_, err = u.conn.Write(out)
		if err == nil && bodyLeft > 0 {
			_, err = io.CopyN(u.conn, x.fc.br, bodyLeft)
		}
		if err == nil {
			head, left, err = x.readHead(watchAt)
		}
		if err == nil {
			break
		}
		_ = u.conn.Close()
		if left {
			return 0, false
		}
		if u.reused && replayable && attempt == 0 && u.br.Buffered() == 0 && !isTimeout(err) {
			// The user container closed the idle connection: once more on
			// a new one.
			continue
		}
		status, body := http.StatusBadGateway, "error reaching the user container: "+err.Error()+"\n"
		if isTimeout(err) {
			status, body = http.StatusGatewayTimeout, timeoutBody
		} else {
			klog.V(1).InfoS("Proxying to the user container failed", "err", err)
		}
		// A body sent as it came may be partly unread: then the client
		// connection cannot carry another request.
		return status, x.writeError(status, body, replayable)
	}
	return x.forwardResponse(head)
}

// readHead reads the user container's response head, forwarding
// informational (1xx) heads to the client; when the read deadline,
// deadline, passes before the head deadline it starts watching the client.
// left reports that the client went away meanwhile.
func (x *exchange) readHead(deadline time.Time) (head []byte, left bool, err error) {
	u := x.u
	var w *clientWatch
	defer func() {
		if w != nil && w.stop() {
			left = true
			err = errClientLeft
		}
	}()
	for {
		head, _, err = peekHead(u.br, nil, 0)
		if err != nil {
			if isTimeout(err) && w == nil && !deadline.Equal(x.headDeadline) {
				w = x.fc.watch(func() { _ = u.conn.SetReadDeadline(time.Now()) })
				deadline = x.headDeadline
				_ = u.conn.SetReadDeadline(deadline)
				continue
			}
			if errors.Is(err, errHeadTooLarge) {
				err = errBadResponse
			}
			return nil, false, err
		}
		if err := parseResponseHead(head, &x.fc.resp); err != nil {
			return nil, false, err
		}
		if s := x.fc.resp.status; s >= 200 {
			return head, false, nil
		} else if s == http.StatusSwitchingProtocols {
			return nil, false, errBadResponse // no upgrade was asked for
		}
		// 100 Continue, 103 Early Hints: passed on, then the real head.
		if x.fc.resp.rewrite {
			writeHead(x.cw, &x.fc.resp, false)
		} else if _, err := x.cw.Write(head); err != nil {
			return nil, false, err
		}
		if err := x.cw.Flush(); err != nil {
			return nil, false, err
		}
		_, _ = u.br.Discard(len(head))
	}
}

var errClientLeft = errors.New("the client went away")

// writeHead writes resp's head as HTTP/1.1 with CRLF lines, without the
// hop-by-hop headers, and with Connection: close when closing.
func writeHead(w *bufio.Writer, resp *responseHead, closing bool) {
	_, _ = w.WriteString("HTTP/1.1 ")
	writeLine(w, resp.statusRest)
	for _, l := range resp.lines {
		writeLine(w, l)
	}
	if closing {
		_, _ = w.WriteString("Connection: close\r\n")
	}
	_, _ = w.WriteString("\r\n")
}

// writeLine writes a head line with a CRLF ending, whichever it had.
func writeLine(w *bufio.Writer, line []byte) {
	_, _ = w.Write(bytes.TrimRight(line, "\r\n"))
	_, _ = w.WriteString("\r\n")
}

// forwardResponse sends the response whose head the user container sent
// to the client; it returns the status and whether the client connection
// can be kept.
func (x *exchange) forwardResponse(head []byte) (int, bool) {
	fc, u, resp := x.fc, x.u, &x.fc.resp
	noBody := resp.noBody(fc.req.isHead)
	untilClose := !noBody && !resp.chunked && resp.contentLength < 0
	keep := !untilClose && !fc.req.closeAfter && !x.d.closing.Load()
	if !resp.rewrite && keep {
		_, _ = x.cw.Write(head)
	} else {
		writeHead(x.cw, resp, !keep)
	}
	_, _ = u.br.Discard(len(head))

	var err error
	switch {
	case noBody:
	case resp.chunked:
		err = x.copyChunked()
	case resp.contentLength >= 0:
		err = x.copyN(resp.contentLength)
	default:
		err = x.copyUntilEOF()
	}
	if err == nil {
		err = x.cw.Flush()
	}
	if err != nil || untilClose || !resp.keepAlive {
		_ = u.conn.Close()
		if err != nil {
			klog.V(1).InfoS("Response cut", "status", resp.status, "err", err)
			return resp.status, false
		}
	} else {
		x.d.pool.put(u)
	}
	return resp.status, keep
}

// fill makes sure u.br holds unread bytes; before a read that would block
// it flushes what the client has not got yet (streaming) and arms the idle
// timeout.
func (x *exchange) fill() error {
	if x.u.br.Buffered() > 0 {
		return nil
	}
	return x.fillMore(0)
}

// fillMore reads more than the n bytes u.br holds.
func (x *exchange) fillMore(n int) error {
	if err := x.cw.Flush(); err != nil {
		return err
	}
	switch {
	case x.idle > 0:
		_ = x.u.conn.SetReadDeadline(earliest(x.total, time.Now().Add(x.idle)))
	case !x.readArmed:
		_ = x.u.conn.SetReadDeadline(x.total)
		x.readArmed = true
	}
	if !x.writeArmed && !x.total.IsZero() {
		// More is coming: the client must take it by the deadline.
		_ = x.fc.conn.SetWriteDeadline(x.total)
		x.writeArmed = true
	}
	_, err := x.u.br.Peek(n + 1)
	return err
}

func (x *exchange) copyN(n int64) error {
	for n > 0 {
		if err := x.fill(); err != nil {
			if errors.Is(err, io.EOF) {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		b, _ := x.u.br.Peek(int(min(int64(x.u.br.Buffered()), n)))
		if _, err := x.cw.Write(b); err != nil {
			return err
		}
		_, _ = x.u.br.Discard(len(b))
		n -= int64(len(b))
	}
	return nil
}

func (x *exchange) copyUntilEOF() error {
	for {
		if err := x.fill(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		b, _ := x.u.br.Peek(x.u.br.Buffered())
		if _, err := x.cw.Write(b); err != nil {
			return err
		}
		_, _ = x.u.br.Discard(len(b))
	}
}

// copyChunked passes a chunked body through as it is, chunk by chunk,
// through the last chunk and the trailer section.
func (x *exchange) copyChunked() error {
	for {
		line, err := x.copyLine()
		if err != nil {
			return err
		}
		size, ok := chunkSize(line)
		if !ok {
			return errBadResponse
		}
		if size == 0 {
			for {
				line, err := x.copyLine()
				if err != nil {
					return err
				}
				if len(line) <= 2 {
					return nil
				}
			}
		}
		if err := x.copyN(size + 2); err != nil { // the data and its CRLF
			return err
		}
	}
}

// copyLine passes one line on and returns it (valid until the next read).
func (x *exchange) copyLine() ([]byte, error) {
	for {
		buf, _ := x.u.br.Peek(x.u.br.Buffered())
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			line := buf[:i+1]
			if _, err := x.cw.Write(line); err != nil {
				return nil, err
			}
			_, _ = x.u.br.Discard(len(line))
			return line, nil
		}
		if len(buf) == x.u.br.Size() {
			return nil, errBadResponse
		}
		if err := x.fillMore(len(buf)); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
}

// chunkSize parses a chunk-size line ("1a;ext=v\r\n").
func chunkSize(line []byte) (int64, bool) {
	line = bytes.TrimRight(line, "\r\n")
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimRight(line, " \t")
	if len(line) == 0 || len(line) > 15 {
		return 0, false
	}
	n, err := strconv.ParseInt(string(line), 16, 64)
	return n, err == nil && n >= 0
}

// writeError answers status with a plain-text body, as http.Error does,
// and closes the connection after it unless keepable; it reports whether
// the connection can be kept.
func (x *exchange) writeError(status int, body string, keepable bool) bool {
	keep := keepable && !x.fc.req.closeAfter && !x.d.closing.Load()
	_ = x.fc.conn.SetWriteDeadline(time.Now().Add(errorWriteTimeout))
	x.writeArmed = true
	w := x.cw
	w.WriteString("HTTP/1.1 ")
	w.WriteString(strconv.Itoa(status))
	w.WriteString(" ")
	w.WriteString(http.StatusText(status))
	w.WriteString("\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nDate: ")
	w.WriteString(time.Now().UTC().Format(http.TimeFormat))
	w.WriteString("\r\nContent-Length: ")
	w.WriteString(strconv.Itoa(len(body)))
	if !keep {
		w.WriteString("\r\nConnection: close")
	}
	w.WriteString("\r\n\r\n")
	if !x.fc.req.isHead {
		w.WriteString(body)
	}
	return w.Flush() == nil && keep
}

// clientWatch notices a client closing its connection while its request
// waits: a read on the connection that fails for another reason than
// stop's deadline.
type clientWatch struct {
	fc   *fastConn
	done chan struct{}
	left atomic.Bool
}

// watch starts watching fc's client; onLeft runs if it leaves.
func (fc *fastConn) watch(onLeft func()) *clientWatch {
	w := &clientWatch{fc: fc, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		// A byte read (a pipelined request) stays in the buffer.
		if _, err := fc.br.Peek(1); err != nil && !isTimeout(err) {
			w.left.Store(true)
			onLeft()
		}
	}()
	return w
}

// stop ends the watch; it reports whether the client left.
func (w *clientWatch) stop() bool {
	_ = w.fc.conn.SetReadDeadline(time.Unix(1, 0))
	<-w.done
	_ = w.fc.conn.SetReadDeadline(time.Time{})
	return w.left.Load()
}

func isTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// earliest is the earlier of two deadlines, zero meaning none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// handoffListener gives the net/http server the connections the fast path
// hands over.
type handoffListener struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newHandoffListener(addr net.Addr) *handoffListener {
	return &handoffListener{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

// give hands c over, or closes it once the listener is closed.
func (l *handoffListener) give(c net.Conn) {
	select {
	case l.conns <- c:
	case <-l.done:
		_ = c.Close()
	}
}

func (l *handoffListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *handoffListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *handoffListener) Addr() net.Addr { return l.addr }

// bufferedConn is a connection whose first bytes were already read into r.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// CloseWrite lets net/http half-close the connection as it does a TCP one.
func (c *bufferedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
