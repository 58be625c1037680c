package server

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"time"

	"github.com/fsnotify/fsnotify"
	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/config"
)

// Loader re-reads the configuration the way start-up did (file, environment, flags).
type Loader func() (config.Config, error)

// Reload applies a new configuration's live settings (rollout rules, shadow
// settings) without dropping a request. A configuration that does not validate
// is refused and the old one stays, with the reason returned and logged.
// Settings that need a restart (listeners, upstream, timeouts …) are reported.
// Reloads are serialised: SIGHUP and the file watcher may call at once, and
// each must apply its rollout and shadow settings together.
func (s *Server) Reload(next config.Config) error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	return s.reloadLocked(next)
}

// reloadLocked applies next; the caller holds reloadMu.
func (s *Server) reloadLocked(next config.Config) error {
	if err := next.Validate(); err != nil {
		s.log.Error("reload refused; keeping the running configuration", zap.Error(err))
		return err
	}
	if err := s.Rollout.Update(next.Rollout); err != nil {
		s.log.Error("reload refused; keeping the running configuration", zap.Error(err))
		return err
	}
	s.Shadow.Update(next.Shadow)
	if restart := restartOnly(s.cfg, next); len(restart) > 0 {
		s.log.Warn("reloaded; these changes need a restart to take effect", zap.Strings("settings", restart))
	} else {
		s.log.Info("reloaded configuration")
	}
	s.cfg.Rollout, s.cfg.Shadow = next.Rollout, next.Shadow
	return nil
}

// restartOnly names the top-level settings that differ but are not live.
func restartOnly(old, next config.Config) []string {
	old.Rollout, old.Shadow = next.Rollout, next.Shadow
	var out []string
	ov, nv := reflect.ValueOf(old), reflect.ValueOf(next)
	for i := 0; i < ov.NumField(); i++ {
		if !reflect.DeepEqual(ov.Field(i).Interface(), nv.Field(i).Interface()) {
			out = append(out, ov.Type().Field(i).Tag.Get("yaml"))
		}
	}
	return out
}

// ReloadFrom loads with load and applies the result. The lock covers the
// load too, so reloads apply in the order their files were read and an older
// read never overwrites a newer one.
func (s *Server) ReloadFrom(load Loader) error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	cfg, err := load()
	if err != nil {
		s.log.Error("reload refused; keeping the running configuration", zap.Error(err))
		return err
	}
	return s.reloadLocked(cfg)
}

// WatchConfig reloads when path changes (editors often replace the file, so
// the directory is watched), debounced. It stops when ctx ends.
func (s *Server) WatchConfig(ctx context.Context, path string, load Loader) error {
	if path == "" {
		return errors.New("no configuration file to watch")
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(path)
	if err := w.Add(filepath.Dir(abs)); err != nil {
		w.Close()
		return err
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer w.Close()
		var debounce <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-w.Events:
				if filepath.Clean(ev.Name) == abs && ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename) != 0 {
					debounce = time.After(200 * time.Millisecond)
				}
			case err := <-w.Errors:
				s.log.Warn("config watcher", zap.Error(err))
			case <-debounce:
				_ = s.ReloadFrom(load)
			}
		}
	}()
	return nil
}
