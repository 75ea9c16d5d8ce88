package queue

import (
	"bufio"
	"net"
	"sync"
	"time"

	"github.com/knap-dev/knap/pkg/rawio"
)

// upstream is one keep-alive connection from the fast path to the user
// container.
type upstream struct {
	conn net.Conn
	br   *bufio.Reader
	// lastUsed is when it went back to the pool; reused that it had been
	// used before, so a failure may only mean the user container closed
	// it while idle.
	lastUsed time.Time
	reused   bool
}

// upstreamPool keeps the fast path's idle connections to the user
// container, most recently used first.
type upstreamPool struct {
	addr    string
	dialer  net.Dialer
	maxIdle int

	mu   sync.Mutex
	idle []*upstream // the top of the stack is the most recently used
}

// idleConnTimeout closes pooled connections unused for that long, as the
// net/http path's Transport does.
const idleConnTimeout = 90 * time.Second

// recentUse bounds how long a pooled connection may have been idle to
// carry a request that cannot be sent again: one idle for longer may have
// been closed by the user container (Node.js closes idle connections after
// 5 s), and only a request still at hand can be retried on a new one.
const recentUse = time.Second

const upstreamReadBuffer = 16 << 10

func newUpstreamPool(addr string, maxIdle int) *upstreamPool {
	return &upstreamPool{addr: addr, maxIdle: maxIdle, dialer: net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}}
}

// get returns a pooled connection or dials one; with recent, only a
// connection used within recentUse is taken from the pool.
func (p *upstreamPool) get(recent bool) (*upstream, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		u := p.idle[n-1]
		if !recent || time.Since(u.lastUsed) < recentUse {
			p.idle[n-1] = nil
			p.idle = p.idle[:n-1]
			p.mu.Unlock()
			return u, nil
		}
	}
	p.mu.Unlock()
	c, err := p.dialer.Dial("tcp", p.addr)
	if err != nil {
		return nil, err
	}
	c = rawio.Wrap(c)
	return &upstream{conn: c, br: bufio.NewReaderSize(c, upstreamReadBuffer)}, nil
}

// put returns u to the pool, closing it when the pool is full, and closes
// pooled connections idle for longer than idleConnTimeout.
func (p *upstreamPool) put(u *upstream) {
	now := time.Now()
	u.lastUsed, u.reused = now, true
	var stale []*upstream
	p.mu.Lock()
	for len(p.idle) > 0 && now.Sub(p.idle[0].lastUsed) > idleConnTimeout {
		stale = append(stale, p.idle[0])
		p.idle[0] = nil
		p.idle = p.idle[1:]
	}
	full := len(p.idle) >= p.maxIdle
	if !full {
		p.idle = append(p.idle, u)
	}
	p.mu.Unlock()
	if full {
		_ = u.conn.Close()
	}
	for _, s := range stale {
		_ = s.conn.Close()
	}
}

// closeIdle closes every pooled connection.
func (p *upstreamPool) closeIdle() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, u := range idle {
		_ = u.conn.Close()
	}
}
