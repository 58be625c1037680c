package webhook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// ErrStoreUnavailable is returned when an event cannot be stored; the
// inbound handler answers 503 so the vendor retries.
var ErrStoreUnavailable = errors.New("webhook store unavailable")

// queue is the part of a River client the relay uses, independent of the
// driver's transaction type (SQLite's *sql.Tx, pgx's pgx.Tx).
type queue interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (skipped bool, err error)
	Retry(ctx context.Context, id int64) error
	Get(ctx context.Context, id int64) (*rivertype.JobRow, error)
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// riverQueue adapts a *river.Client of any driver to queue.
type riverQueue[TTx any] struct{ c *river.Client[TTx] }

func (q riverQueue[TTx]) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (bool, error) {
	res, err := q.c.Insert(ctx, args, opts)
	if err != nil {
		return false, err
	}
	return res.UniqueSkippedAsDuplicate, nil
}

func (q riverQueue[TTx]) Retry(ctx context.Context, id int64) error {
	_, err := q.c.JobRetry(ctx, id)
	return err
}

func (q riverQueue[TTx]) Get(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return q.c.JobGet(ctx, id)
}

func (q riverQueue[TTx]) Start(ctx context.Context) error { return q.c.Start(ctx) }
func (q riverQueue[TTx]) Stop(ctx context.Context) error  { return q.c.Stop(ctx) }

// store is an opened River database: the client, a database/sql handle for
// the read-only queries of the admin page, and the SQL dialect those use.
type store struct {
	q       queue
	db      *sql.DB
	dialect dialect
	close   func()
}

// dialect holds the few statements that differ between SQLite and Postgres.
type dialect struct {
	age        string              // seconds since the timestamp column %s
	args       string              // the text of args field %s
	errorsText string              // the errors column as a JSON array text
	hasErrors  string              // condition: at least one attempt error
	since      string              // condition: created_at >= $2
	timeArg    func(time.Time) any // the $2 of since
	q          func(string) string // placeholders: $n as the driver wants them
}

var (
	sqliteDialect = dialect{
		age:        "(julianday('now') - julianday(%s)) * 86400",
		args:       "json_extract(args, '$.%s')",
		errorsText: "json(errors)",
		hasErrors:  "errors IS NOT NULL AND json_array_length(errors) > 0",
		since:      "julianday(created_at) >= julianday($2)",
		timeArg:    func(t time.Time) any { return t.UTC().Format("2006-01-02 15:04:05.000") },
		q:          func(s string) string { return s },
	}
	postgresDialect = dialect{
		age:        "extract(epoch from now() - %s)::float8",
		args:       "args->>'%s'",
		errorsText: "array_to_json(errors)::text",
		hasErrors:  "errors IS NOT NULL AND cardinality(errors) > 0",
		since:      "created_at >= $2",
		timeArg:    func(t time.Time) any { return t.UTC() },
		q:          func(s string) string { return s },
	}
)

// openStore opens (and migrates) the store named by setting and builds a River
// client with the given configuration.
func openStore(ctx context.Context, setting string, rc *river.Config) (*store, error) {
	kind, target, err := ParseStore(setting)
	if err != nil {
		return nil, err
	}
	if kind == "sqlite" {
		return openSQLite(ctx, target, rc)
	}
	return openPostgres(ctx, target, rc)
}

func openSQLite(ctx context.Context, file string, rc *river.Config) (*store, error) {
	// WAL with synchronous=FULL: a 200 is sent only after the row is on disk.
	dsn := "file:" + file + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("webhook store: %w", err)
	}
	// SQLite has one writer; riversqlite recommends a single connection.
	db.SetMaxOpenConns(1)
	drv := riversqlite.New(db)
	if err := migrate(ctx, drv); err != nil {
		db.Close()
		return nil, err
	}
	c, err := river.NewClient(drv, rc)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("webhook store: %w", err)
	}
	return &store{q: riverQueue[*sql.Tx]{c}, db: db, dialect: sqliteDialect, close: func() { db.Close() }}, nil
}

func openPostgres(ctx context.Context, dsn string, rc *river.Config) (*store, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		// pgx errors can quote the DSN, which may carry a password.
		return nil, fmt.Errorf("webhook store: cannot open the postgres pool")
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("webhook store: cannot reach postgres: %w", ErrStoreUnavailable)
	}
	drv := riverpgxv5.New(pool)
	if err := migrate(ctx, drv); err != nil {
		pool.Close()
		return nil, err
	}
	c, err := river.NewClient(drv, rc)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("webhook store: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	return &store{q: riverQueue[pgx.Tx]{c}, db: db, dialect: postgresDialect,
		close: func() { db.Close(); pool.Close() }}, nil
}

// migrate brings the River schema up to date; running it again is a no-op.
func migrate[TTx any](ctx context.Context, drv riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: quietLogger()})
	if err != nil {
		return fmt.Errorf("webhook store migrate: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("webhook store migrate: %w", err)
	}
	return nil
}

// quietLogger keeps River's own logging to warnings and errors.
func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
