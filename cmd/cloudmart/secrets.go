package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/cloudmart/cloudmart/secret"
)

// loadSecrets builds the box that seals bank details. The key comes from
// CLOUDMART_SECRET_KEY (base64 of 32 bytes), with older keys for rotation in
// CLOUDMART_SECRET_KEY_OLD (comma-separated). Without it, a key is kept in
// <data>/secret.key, made on first start: fine for one server, but several
// servers must share one configured key.
func loadSecrets(env *environment, dataDir string, log *slog.Logger) (*secret.Box, error) {
	var keys [][]byte
	if v := env.getenv("CLOUDMART_SECRET_KEY"); v != "" {
		k, err := secret.ParseKey(v)
		if err != nil {
			return nil, fmt.Errorf("CLOUDMART_SECRET_KEY: %w", err)
		}
		keys = append(keys, k)
		for _, old := range strings.Split(env.getenv("CLOUDMART_SECRET_KEY_OLD"), ",") {
			if strings.TrimSpace(old) == "" {
				continue
			}
			k, err := secret.ParseKey(old)
			if err != nil {
				return nil, fmt.Errorf("CLOUDMART_SECRET_KEY_OLD: %w", err)
			}
			keys = append(keys, k)
		}
	} else {
		k, err := fileKey(filepath.Join(dataDir, "secret.key"))
		if err != nil {
			return nil, err
		}
		log.Warn("using the secret key in the data folder; set CLOUDMART_SECRET_KEY when several servers share a database", "key_id", secret.KeyID(k))
		keys = append(keys, k)
	}
	return secret.NewBox(keys...)
}

// fileKey reads the key file, creating it (readable by its owner only) if missing.
func fileKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, err
		}
		k := secret.NewKey()
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("secret key: %w", err)
		}
		_, err = f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return k, err
	}
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	return secret.ParseKey(string(b))
}
