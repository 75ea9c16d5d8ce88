// Package config is knap-controller's configuration: the ConfigMaps Knative
// Serving users know (config-defaults, config-domain, config-autoscaler,
// config-gc, config-deployment, config-network), in knap's namespace, with
// Knative's keys, defaults and validation, watched live by a Store.
package config

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"

	"github.com/knap-dev/knap/pkg/controller/manager"
)

// Config is one snapshot of the six configurations. It is shared between
// goroutines: read it, never modify it.
type Config struct {
	Defaults   *Defaults
	Domain     *Domain
	Autoscaler *Autoscaler
	GC         *GC
	Deployment *Deployment
	Network    *Network
}

// DefaultConfig is the configuration with no ConfigMap present.
func DefaultConfig() *Config {
	return &Config{
		Defaults:   must(NewDefaultsFromMap(nil)),
		Domain:     must(NewDomainFromMap(nil)),
		Autoscaler: must(NewAutoscalerFromMap(nil)),
		GC:         must(NewGCFromMap(nil)),
		Deployment: must(NewDeploymentFromMap(nil)),
		Network:    must(NewNetworkFromMap(nil)),
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("knap's built-in configuration defaults are invalid: %v", err))
	}
	return v
}

// ReasonInvalidConfig is the reason of the Warning Event a refused
// ConfigMap gets.
const ReasonInvalidConfig = "InvalidConfig"

// Store holds the current Config, fed by an informer on knap's namespace.
// A ConfigMap that parses replaces its part of the Config; one that does
// not is logged and gets a Warning Event, and its previous good value
// stays; a deleted one falls back to the defaults.
type Store struct {
	namespace string
	logger    klog.Logger
	recorder  record.EventRecorder
	current   atomic.Pointer[Config]
	synced    func() bool

	mu sync.Mutex // serializes changes of current and applied
	// applied is the data of each ConfigMap whose value is in current.
	applied map[string]map[string]string

	listenersMu sync.Mutex
	listeners   []func()
}

// NewStore returns a Store that follows the config-* ConfigMaps of
// c.Namespace through c.SystemInformers and reports refused ones with
// c.Recorder. Call it from a controller's constructor (before the manager
// starts the informers). Every call registers one more handler: controllers
// of one manager should share one Store (see SharedStore).
func NewStore(ctx context.Context, c *manager.Context) (*Store, error) {
	if c == nil || c.SystemInformers == nil || c.Recorder == nil {
		return nil, errors.New("config store: the manager context lacks SystemInformers or Recorder")
	}
	s := &Store{
		namespace: c.Namespace,
		logger:    klog.FromContext(ctx).WithValues("component", "config-store"),
		recorder:  c.Recorder,
		applied:   map[string]map[string]string{},
	}
	s.current.Store(DefaultConfig())
	reg, err := c.SystemInformers.Core().V1().ConfigMaps().Informer().AddEventHandler(cache.FilteringResourceEventHandler{
		FilterFunc: s.watched,
		Handler: cache.ResourceEventHandlerFuncs{
			AddFunc: func(obj any) { s.update(obj.(*corev1.ConfigMap)) },
			UpdateFunc: func(oldObj, newObj any) {
				o, n := oldObj.(*corev1.ConfigMap), newObj.(*corev1.ConfigMap)
				if n.ResourceVersion != "" && o.ResourceVersion == n.ResourceVersion {
					return // a resync: nothing changed
				}
				s.update(n)
			},
			DeleteFunc: s.delete,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("config store: registering the ConfigMap handler: %w", err)
	}
	s.synced = reg.HasSynced
	return s, nil
}

// Load returns the current Config. It never returns nil.
func (s *Store) Load() *Config { return s.current.Load() }

// HasSynced reports whether the ConfigMaps present when the informer
// started have been applied. The manager's cache sync does not wait for
// this: a controller that must not act on the defaults first waits for it
// (cache.WaitForCacheSync(ctx.Done(), store.HasSynced)).
func (s *Store) HasSynced() bool { return s.synced() }

// OnChange registers f, called after each change of the Config (a
// ConfigMap applied or deleted; not when one is refused). f runs on the
// informer's handler goroutine: keep it short, e.g. enqueue every object.
func (s *Store) OnChange(f func()) {
	s.listenersMu.Lock()
	defer s.listenersMu.Unlock()
	s.listeners = append(s.listeners, f)
}

func (s *Store) notify() {
	s.listenersMu.Lock()
	fs := slices.Clone(s.listeners)
	s.listenersMu.Unlock()
	for _, f := range fs {
		f()
	}
}

// watched filters the six ConfigMaps of knap's namespace.
func (s *Store) watched(obj any) bool {
	if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = t.Obj
	}
	cm, ok := obj.(*corev1.ConfigMap)
	if !ok || (s.namespace != "" && cm.Namespace != s.namespace) {
		return false
	}
	switch cm.Name {
	case DefaultsConfigName, DomainConfigName, AutoscalerConfigName, GCConfigName, DeploymentConfigName, NetworkConfigName:
		return true
	}
	return false
}

// parseConfigMap parses cm into a function that sets its part of a Config.
func parseConfigMap(cm *corev1.ConfigMap) (func(*Config), error) {
	switch cm.Name {
	case DefaultsConfigName:
		v, err := NewDefaultsFromConfigMap(cm)
		return func(c *Config) { c.Defaults = v }, err
	case DomainConfigName:
		v, err := NewDomainFromConfigMap(cm)
		return func(c *Config) { c.Domain = v }, err
	case AutoscalerConfigName:
		v, err := NewAutoscalerFromConfigMap(cm)
		return func(c *Config) { c.Autoscaler = v }, err
	case GCConfigName:
		v, err := NewGCFromConfigMap(cm)
		return func(c *Config) { c.GC = v }, err
	case DeploymentConfigName:
		v, err := NewDeploymentFromConfigMap(cm)
		return func(c *Config) { c.Deployment = v }, err
	case NetworkConfigName:
		v, err := NewNetworkFromConfigMap(cm)
		return func(c *Config) { c.Network = v }, err
	}
	return nil, fmt.Errorf("unknown ConfigMap %q", cm.Name)
}

func (s *Store) update(cm *corev1.ConfigMap) {
	s.mu.Lock()
	if prev, ok := s.applied[cm.Name]; ok && maps.Equal(prev, cm.Data) {
		s.mu.Unlock()
		return // e.g. only labels or annotations changed
	}
	set, err := parseConfigMap(cm)
	if err != nil {
		s.mu.Unlock()
		s.logger.Error(err, "Invalid ConfigMap; keeping the previous value",
			"configmap", klog.KObj(cm), "resourceVersion", cm.ResourceVersion)
		s.recorder.Eventf(cm, corev1.EventTypeWarning, ReasonInvalidConfig,
			"Invalid %s, the previous value stays in effect: %v", cm.Name, err)
		return
	}
	next := *s.current.Load()
	set(&next)
	s.current.Store(&next)
	s.applied[cm.Name] = maps.Clone(cm.Data)
	s.mu.Unlock()
	s.logger.Info("Applied ConfigMap", "configmap", klog.KObj(cm), "resourceVersion", cm.ResourceVersion)
	s.notify()
}

func (s *Store) delete(obj any) {
	if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = t.Obj
	}
	cm, ok := obj.(*corev1.ConfigMap)
	if !ok {
		return
	}
	set, _ := parseConfigMap(&corev1.ConfigMap{ObjectMeta: cm.ObjectMeta}) // no data: the defaults
	s.mu.Lock()
	next := *s.current.Load()
	set(&next)
	s.current.Store(&next)
	delete(s.applied, cm.Name)
	s.mu.Unlock()
	s.logger.Info("ConfigMap deleted; its defaults apply", "configmap", klog.KObj(cm))
	s.notify()
}

// SharedStore creates one Store for all the controllers of a manager. Its
// zero value is ready; keep one per manager.Run (e.g. a variable in main
// that the controllers' constructors close over), not in a package
// variable.
type SharedStore struct {
	mu    sync.Mutex
	ctx   *manager.Context
	store *Store
}

// Get returns the Store for c, creating it on the first call.
func (s *SharedStore) Get(ctx context.Context, c *manager.Context) (*Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.store != nil {
		if s.ctx != c {
			return nil, errors.New("config store: SharedStore used with a second manager context")
		}
		return s.store, nil
	}
	st, err := NewStore(ctx, c)
	if err != nil {
		return nil, err
	}
	s.ctx, s.store = c, st
	return st, nil
}
