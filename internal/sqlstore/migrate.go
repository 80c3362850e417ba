package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migration is one version's statements for the store's dialect.
type migration struct {
	version    int
	name       string
	statements []string
}

// loadMigrations reads NNNN_name[.dialect].sql files from fsys. Versions must run 1, 2, 3, …
// without gaps; a version may have one common file or one file per dialect.
func loadMigrations(fsys fs.FS, d Dialect) ([]migration, error) {
	if fsys == nil {
		return nil, errors.New("sqlstore: no migrations")
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: reading migrations: %w", err)
	}
	type pick struct{ common, own string }
	files := map[int]*pick{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		base := strings.TrimSuffix(name, ".sql")
		dialect := ""
		if i := strings.IndexByte(base, '.'); i >= 0 {
			base, dialect = base[:i], base[i+1:]
		}
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("sqlstore: migration %q is not named NNNN_name.sql", name)
		}
		p := files[v]
		if p == nil {
			p = &pick{}
			files[v] = p
		}
		switch dialect {
		case "":
			if p.common != "" {
				return nil, fmt.Errorf("sqlstore: two migrations for version %d", v)
			}
			p.common = name
		case d.String():
			p.own = name
		}
	}
	byVersion := map[int]migration{}
	for v, p := range files {
		name := p.own
		if name == "" {
			name = p.common
		}
		if name == "" {
			continue // only another dialect's file: reported as missing below
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: reading migration %q: %w", name, err)
		}
		byVersion[v] = migration{version: v, name: path.Base(name), statements: splitStatements(string(text))}
	}
	out := make([]migration, 0, len(byVersion))
	for v := 1; v <= len(files); v++ {
		m, ok := byVersion[v]
		if !ok {
			return nil, fmt.Errorf("sqlstore: migration version %d is missing", v)
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// splitStatements splits a migration at ";" line ends, dropping "--" comment lines.
func splitStatements(text string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// versionTable is shared by every store with the same prefix: one row per store.
const versionTable = "{{prefix}}schema_versions"

// lockKey is the PostgreSQL advisory lock that serializes migrations of one prefix.
func (s *Store) lockKey() int64 {
	h := fnv.New64a()
	h.Write([]byte("kshop-migrate:" + s.Prefix))
	return int64(h.Sum64())
}

// Migrate brings the store's tables to the code's version in one transaction, and is safe to
// run from several instances at once: on PostgreSQL a transaction-scoped advisory lock (per
// table prefix) lets one instance migrate while the others wait and then find nothing to do;
// on SQLite the transaction's write lock does the same. A schema newer than the code is
// refused with a *SchemaError (ErrSchemaTooNew) and left untouched.
func (s *Store) Migrate(ctx context.Context, op string) error {
	err := s.Tx(ctx, op, func(tx *sql.Tx) error {
		if s.Dialect == PostgreSQL {
			if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", s.lockKey()); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, s.Q(`CREATE TABLE IF NOT EXISTS `+versionTable+` (
			store TEXT PRIMARY KEY,
			version INTEGER NOT NULL,
			migrated_at BIGINT NOT NULL,
			migrated_by TEXT NOT NULL
		)`)); err != nil {
			return err
		}
		// A write first, so that on SQLite this transaction holds the write lock from here on
		// and two instances cannot both read version 0.
		now := Micros(s.Now())
		if _, err := tx.ExecContext(ctx, s.Q(`INSERT INTO `+versionTable+` (store, version, migrated_at, migrated_by)
			VALUES (?, 0, ?, ?) ON CONFLICT (store) DO NOTHING`), s.name, now, s.Instance); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRowContext(ctx, s.Q(`SELECT version FROM `+versionTable+` WHERE store = ?`), s.name).Scan(&have); err != nil {
			return err
		}
		if have > s.Version() {
			return Abort(&SchemaError{Op: op, Store: s.name, Have: have, Want: s.Version()})
		}
		for _, m := range s.migrations[have:] {
			for _, stmt := range m.statements {
				if _, err := tx.ExecContext(ctx, s.Q(stmt)); err != nil {
					return fmt.Errorf("migration %s: %w", m.name, err)
				}
			}
		}
		if have == s.Version() {
			return nil
		}
		_, err := tx.ExecContext(ctx, s.Q(`UPDATE `+versionTable+` SET version = ?, migrated_at = ?, migrated_by = ? WHERE store = ?`),
			s.Version(), now, s.Instance, s.name)
		return err
	})
	if err == nil {
		s.ready.Store(true)
	}
	return err
}

// SchemaVersion returns the version of the store's schema in the database (0 when its tables
// were never created).
func (s *Store) SchemaVersion(ctx context.Context, op string) (int, error) {
	exists, err := s.tableExists(ctx, s.T("schema_versions"))
	if err != nil || !exists {
		return 0, Wrap(op, err)
	}
	var have int
	err = s.DB.QueryRowContext(ctx, s.Q(`SELECT version FROM `+versionTable+` WHERE store = ?`), s.name).Scan(&have)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return have, Wrap(op, err)
}

func (s *Store) tableExists(ctx context.Context, table string) (bool, error) {
	var n int
	var err error
	if s.Dialect == PostgreSQL {
		err = s.DB.QueryRowContext(ctx, `SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1`, table).Scan(&n)
	} else {
		err = s.DB.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n)
	}
	return n > 0, err
}

// Ready checks, once per Store, that the schema is at the code's version: a *SchemaError
// (ErrSchemaOutdated: run Migrate; ErrSchemaTooNew: refused) otherwise. After a success it
// costs nothing.
func (s *Store) Ready(ctx context.Context, op string) error {
	if s.ready.Load() {
		return nil
	}
	have, err := s.SchemaVersion(ctx, op)
	if err != nil {
		return err
	}
	if have != s.Version() {
		return &SchemaError{Op: op, Store: s.name, Have: have, Want: s.Version()}
	}
	s.ready.Store(true)
	return nil
}
