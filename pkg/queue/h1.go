package queue

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"
)

// This file parses HTTP/1.1 message heads for the fast path (fastpath.go).
// The request parser is deliberately narrow: it accepts only plain
// HTTP/1.1 requests it can forward byte for byte, and says "not simple"
// for everything else (other versions, upgrades, chunked or expected
// bodies, odd bytes, duplicated framing headers), which net/http then
// serves and, where the request is bad, refuses.

var (
	errHeadTooLarge = errors.New("message head larger than the buffer")
	errBadResponse  = errors.New("malformed response head from the user container")
)

// peekHead waits until br holds a whole message head (through the blank
// line) and returns it without consuming it; errHeadTooLarge when the head
// does not fit in br's buffer. With c, once part of a head has arrived the
// rest must come within timeout (a read deadline on c, which armed
// reports, for the caller to clear).
func peekHead(br *bufio.Reader, c net.Conn, timeout time.Duration) (head []byte, armed bool, err error) {
	searched := 0
	for {
		buf, _ := br.Peek(br.Buffered())
		if n := headLength(buf, max(searched-2, 0)); n > 0 {
			return buf[:n], armed, nil
		}
		searched = len(buf)
		if len(buf) == br.Size() {
			return nil, armed, errHeadTooLarge
		}
		if c != nil && len(buf) > 0 && !armed {
			_ = c.SetReadDeadline(time.Now().Add(timeout))
			armed = true
		}
		if _, err := br.Peek(len(buf) + 1); err != nil {
			return nil, armed, err
		}
	}
}

// headLength is the length of the head at the start of buf, through the
// blank line that ends it, or 0 while buf holds no blank line at or after
// from. Lines may end in a bare LF, as net/http allows.
func headLength(buf []byte, from int) int {
	for i := from; ; {
		j := bytes.IndexByte(buf[i:], '\n')
		if j < 0 {
			return 0
		}
		i += j + 1
		switch {
		case i < len(buf) && buf[i] == '\n':
			return i + 1
		case i+1 < len(buf) && buf[i] == '\r' && buf[i+1] == '\n':
			return i + 2
		}
	}
}

// simpleRequest is a request head the fast path forwards.
type simpleRequest struct {
	// head is the whole head as the client sent it.
	head []byte
	// requestLine is the first line, CRLF included.
	requestLine []byte
	// lines are the header lines forwarded as they are (CRLF included):
	// all but Host, the hop-by-hop headers, X-Forwarded-For,
	// K-Original-Host and the revision headers, which are rewritten or
	// dropped.
	lines [][]byte
	// host is the Host header line; originalHost, when set, replaces it.
	host, originalHost []byte
	// forwardedFor are the X-Forwarded-For values, in order.
	forwardedFor  [][]byte
	contentLength int64
	isHead        bool // a HEAD request: the response has no body
	proxied       bool // K-Proxy-Request present
	closeAfter    bool // Connection: close
	probe         bool // a probe the queue answers itself (net/http does)
}

// parseSimpleRequest parses head (from peekHead) into r, reusing r's
// slices; it reports false when the request is not one the fast path
// forwards.
func parseSimpleRequest(head []byte, r *simpleRequest) bool {
	*r = simpleRequest{lines: r.lines[:0], forwardedFor: r.forwardedFor[:0], head: head}
	if !bytes.HasSuffix(head, []byte("\r\n\r\n")) {
		return false // a bare LF ends a line: net/http's to read
	}
	eol := bytes.IndexByte(head, '\n')
	line := head[:eol+1]
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return false
	}
	r.requestLine = line
	method, rest, ok := bytes.Cut(line[:len(line)-2], []byte{' '})
	if !ok || len(method) == 0 || !isToken(method) {
		return false
	}
	target, proto, ok := bytes.Cut(rest, []byte{' '})
	// Origin-form targets only; "*", absolute and authority forms go to
	// net/http.
	if !ok || len(target) == 0 || target[0] != '/' || !isVisible(target) || string(proto) != "HTTP/1.1" {
		return false
	}
	r.isHead = string(method) == "HEAD"
	hosts, lengths := 0, 0
	for rest := head[eol+1 : len(head)-2]; len(rest) > 0; {
		eol := bytes.IndexByte(rest, '\n')
		line := rest[:eol+1]
		rest = rest[eol+1:]
		if len(line) < 2 || line[len(line)-2] != '\r' {
			return false
		}
		name, value, ok := bytes.Cut(line[:len(line)-2], []byte{':'})
		if !ok || len(name) == 0 || !isToken(name) {
			return false // also obsolete line folding
		}
		value = bytes.Trim(value, " \t")
		if !isFieldValue(value) {
			return false
		}
		switch {
		case eq(name, "Host"):
			hosts++
			r.host = line
			continue
		case eq(name, "Content-Length"):
			lengths++
			n, err := strconv.ParseInt(string(value), 10, 63)
			if err != nil || n < 0 || value[0] == '+' {
				return false
			}
			r.contentLength = n
		case eq(name, "Connection"):
			switch {
			case eq(value, "close"):
				r.closeAfter = true
			case eq(value, "keep-alive"):
			default:
				return false // connection options net/http knows about
			}
			continue
		case eq(name, "Keep-Alive"):
			continue
		case eq(name, "Transfer-Encoding"), eq(name, "Upgrade"), eq(name, "Expect"), eq(name, "TE"),
			eq(name, "Trailer"), eq(name, "Proxy-Connection"), eq(name, "HTTP2-Settings"):
			return false
		case eq(name, "X-Forwarded-For"):
			r.forwardedFor = append(r.forwardedFor, value)
			continue
		case eq(name, OriginalHostHeader):
			if r.originalHost == nil { // the first counts, as in net/http
				r.originalHost = value
			}
			continue
		case eq(name, "Knative-Serving-Revision"), eq(name, "Knative-Serving-Namespace"):
			continue
		case eq(name, ProxyHeader):
			r.proxied = true
		case eq(name, ProbeHeader), eq(name, KubeletProbeHeader):
			r.probe = true
		case eq(name, "User-Agent"):
			if bytes.HasPrefix(value, []byte("kube-probe/")) {
				r.probe = true
			}
		}
		r.lines = append(r.lines, line)
	}
	return hosts == 1 && lengths <= 1
}

// appendUpstreamHead appends the head sent to the user container: the
// client's, with Host replaced by K-Original-Host when set, hop-by-hop and
// routing headers removed, and this hop joined to X-Forwarded-For.
func (r *simpleRequest) appendUpstreamHead(b []byte, clientIP string) []byte {
	b = append(b, r.requestLine...)
	if len(r.originalHost) > 0 {
		b = append(b, "Host: "...)
		b = append(b, r.originalHost...)
		b = append(b, "\r\n"...)
	} else {
		b = append(b, r.host...)
	}
	for _, l := range r.lines {
		b = append(b, l...)
	}
	b = append(b, "X-Forwarded-For: "...)
	for _, v := range r.forwardedFor {
		b = append(b, v...)
		b = append(b, ", "...)
	}
	b = append(b, clientIP...)
	return append(b, "\r\n\r\n"...)
}

// responseHead is a response head from the user container.
type responseHead struct {
	status int
	// contentLength is -1 when the response has none.
	contentLength int64
	chunked       bool
	// keepAlive: the user container keeps the connection open.
	keepAlive bool
	// rewrite: the head cannot go to the client as it is (hop-by-hop
	// headers, another HTTP version, lines ending in a bare LF).
	rewrite bool
	// statusRest is the status line after the version ("200 OK\r\n"),
	// lines the header lines to forward, each with its line ending.
	statusRest []byte
	lines      [][]byte
}

// parseResponseHead parses a response head (from peekHead) into h,
// reusing h's slices.
func parseResponseHead(head []byte, h *responseHead) error {
	*h = responseHead{lines: h.lines[:0], contentLength: -1}
	eol := bytes.IndexByte(head, '\n')
	line := head[:eol+1]
	proto, rest, ok := bytes.Cut(line, []byte{' '})
	if !ok || len(rest) < 4 {
		return errBadResponse
	}
	switch string(proto) {
	case "HTTP/1.1":
		h.keepAlive = true
	case "HTTP/1.0":
		h.rewrite = true
	default:
		return errBadResponse
	}
	code := 0
	for _, c := range rest[:3] {
		if c < '0' || c > '9' {
			return errBadResponse
		}
		code = 10*code + int(c-'0')
	}
	if code < 100 || (rest[3] != ' ' && rest[3] != '\r' && rest[3] != '\n') {
		return errBadResponse
	}
	h.status, h.statusRest = code, rest
	h.rewrite = bareLF(line)
	lengths := 0
	end := len(head) - 1 // without the blank line
	if head[end-1] == '\r' {
		end--
	}
	for rest := head[eol+1 : end]; len(rest) > 0; {
		eol := bytes.IndexByte(rest, '\n')
		line := rest[:eol+1]
		rest = rest[eol+1:]
		if bareLF(line) {
			h.rewrite = true
		}
		name, value, ok := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte{':'})
		if !ok || len(name) == 0 || !isToken(name) {
			return errBadResponse
		}
		value = bytes.Trim(value, " \t")
		switch {
		case eq(name, "Content-Length"):
			n, err := strconv.ParseInt(string(value), 10, 63)
			if err != nil || n < 0 || (lengths > 0 && n != h.contentLength) {
				return errBadResponse
			}
			lengths++
			h.contentLength = n
		case eq(name, "Transfer-Encoding"):
			if !eq(value, "chunked") || h.chunked {
				return errBadResponse // other codings: not forwarded
			}
			h.chunked = true
		case eq(name, "Connection"):
			h.rewrite = true
			for _, opt := range bytes.Split(value, []byte{','}) {
				switch opt = bytes.TrimSpace(opt); {
				case eq(opt, "close"):
					h.keepAlive = false
				case eq(opt, "keep-alive"):
					h.keepAlive = true
				}
			}
			continue
		case eq(name, "Keep-Alive"), eq(name, "Proxy-Connection"), eq(name, "Upgrade"):
			h.rewrite = true
			continue
		}
		h.lines = append(h.lines, line)
	}
	if h.chunked {
		// A length beside chunked is ignored, as RFC 9112 says.
		h.contentLength = -1
	}
	return nil
}

// bareLF reports whether line ends in a LF without a CR.
func bareLF(line []byte) bool {
	return len(line) < 2 || line[len(line)-2] != '\r'
}

// noBody reports whether the response to a request (head: a HEAD request)
// has no body whatever its headers say.
func (h *responseHead) noBody(head bool) bool {
	return head || h.status < 200 || h.status == 204 || h.status == 304
}

// eq compares an ASCII header name or token case-insensitively.
func eq(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c, d := b[i], s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}

// isToken: RFC 9110 token characters only.
func isToken(b []byte) bool {
	for _, c := range b {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// isVisible: printable ASCII without spaces (a request target).
func isVisible(b []byte) bool {
	for _, c := range b {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// isFieldValue: no control characters but tab.
func isFieldValue(b []byte) bool {
	for _, c := range b {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
