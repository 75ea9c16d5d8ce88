// Package etcd runs the single-node etcd that knap-apiserver embeds when it
// is not given --etcd-servers, so a knap needs no separate database to start.
package etcd

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/client/pkg/v3/logutil"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/klog/v2"
)

// Config says where the embedded etcd keeps its data.
type Config struct {
	// Dir holds the member's data; reusing it keeps every stored object.
	Dir string
	// UnsafeNoFsync trades durability for speed. Only tests set it.
	UnsafeNoFsync bool
}

// Server is a running embedded etcd.
type Server struct {
	etcd    *embed.Etcd
	closing *atomic.Bool
	// ClientURL is where the API server's storage connects.
	ClientURL string
}

// Start starts etcd and waits until it serves. It listens only on unix
// sockets inside its private data directory: a TCP port would let any local
// process read and write the store behind the API server's back.
func Start(ctx context.Context, c Config) (*Server, error) {
	dir, err := filepath.Abs(c.Dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	clientURL, peerURL := socketURL(dir, "client.sock"), socketURL(dir, "peer.sock")
	// Sockets left behind by a killed process would make the listen fail.
	for _, u := range []*url.URL{clientURL, peerURL} {
		if len(u.Path) > maxSocketPath {
			return nil, fmt.Errorf("etcd socket path %s is longer than %d bytes; use a shorter --data-dir", u.Path, maxSocketPath)
		}
		if err := os.Remove(u.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	cfg := embed.NewConfig()
	cfg.Name = "knap"
	cfg.Dir = filepath.Join(dir, "member-data")
	cfg.ListenClientUrls = []url.URL{*clientURL}
	cfg.AdvertiseClientUrls = []url.URL{*clientURL}
	cfg.ListenPeerUrls = []url.URL{*peerURL}
	cfg.AdvertisePeerUrls = []url.URL{*peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.UnsafeNoFsync = c.UnsafeNoFsync
	cfg.LogLevel = "error"
	closing := &atomic.Bool{}
	lg, err := logutil.CreateDefaultZapLogger(zapcore.ErrorLevel)
	if err != nil {
		return nil, err
	}
	// Close makes etcd report its own closed listeners as errors; only
	// those are dropped, every error while serving is still logged.
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(lg.WithOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core {
		return quietOnClose{Core: c, closing: closing}
	})))

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, fmt.Errorf("starting embedded etcd in %s: %w", c.Dir, err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		return nil, fmt.Errorf("embedded etcd failed: %w", err)
	case <-time.After(time.Minute):
		e.Close()
		return nil, fmt.Errorf("embedded etcd in %s not ready after a minute", c.Dir)
	case <-ctx.Done():
		e.Close()
		return nil, ctx.Err()
	}
	klog.InfoS("Embedded etcd ready", "dir", c.Dir, "clientURL", clientURL.String())
	return &Server{etcd: e, ClientURL: clientURL.String(), closing: closing}, nil
}

// Err reports a fatal error of the running etcd.
func (s *Server) Err() <-chan error { return s.etcd.Err() }

// Close stops etcd; call it after everything that uses it has stopped.
func (s *Server) Close() {
	s.closing.Store(true)
	s.etcd.Close()
}

// quietOnClose drops log entries once the server is closing.
type quietOnClose struct {
	zapcore.Core
	closing *atomic.Bool
}

func (q quietOnClose) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if q.closing.Load() {
		return ce
	}
	return q.Core.Check(e, ce)
}

func (q quietOnClose) With(fields []zapcore.Field) zapcore.Core {
	return quietOnClose{Core: q.Core.With(fields), closing: q.closing}
}

// maxSocketPath is what fits in a unix socket address on Linux.
const maxSocketPath = 107

func socketURL(dir, name string) *url.URL {
	return &url.URL{Scheme: "unix", Path: filepath.Join(dir, name)}
}
