package queue

import (
	"bufio"
	"bytes"
	"net/http"
	"testing"
)

// FuzzParseSimpleRequest checks the fast path never takes a request head
// net/http would read differently: whatever parseSimpleRequest accepts,
// http.ReadRequest accepts too, with the same method, target, Host and
// body length, and the head sent to the user container reads the same.
func FuzzParseSimpleRequest(f *testing.F) {
	for _, seed := range []string{
		"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST /a?b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\nK-Original-Host: o\r\nConnection: close\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
		"GET / HTTP/1.1x\nHost: h\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n := headLength(data, 0)
		if n == 0 {
			return
		}
		head := data[:n]
		var r simpleRequest
		if !parseSimpleRequest(head, &r) {
			return
		}
		got, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(head)))
		if err != nil {
			t.Fatalf("the fast path takes %q, net/http refuses it: %v", head, err)
		}
		method, target, _ := bytes.Cut(r.requestLine, []byte{' '})
		target, _, _ = bytes.Cut(target, []byte{' '})
		if got.Method != string(method) || got.RequestURI != string(target) || got.ContentLength != r.contentLength ||
			got.TransferEncoding != nil || got.ProtoMinor != 1 || got.Close != r.closeAfter {
			t.Fatalf("%q: net/http reads %s %s length %d TE %v close %v; the fast path %q length %d close %v",
				head, got.Method, got.RequestURI, got.ContentLength, got.TransferEncoding, got.Close, r.requestLine, r.contentLength, r.closeAfter)
		}
		up, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(r.appendUpstreamHead(nil, "10.0.0.1"))))
		if err != nil {
			t.Fatalf("the head for the user container does not parse: %v", err)
		}
		wantHost := got.Host
		if v := got.Header.Get(OriginalHostHeader); v != "" {
			wantHost = v
		}
		if up.Method != got.Method || up.RequestURI != got.RequestURI || up.Host != wantHost || up.ContentLength != got.ContentLength {
			t.Fatalf("%q: the user container would read %s %s Host %q length %d", head, up.Method, up.RequestURI, up.Host, up.ContentLength)
		}
	})
}
