package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"openhall/internal/apperr"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// code returns the extended SQLite result code of err, or 0.
func code(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// isUnique reports a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	c := code(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// isRefusedByTrigger reports a RAISE(ABORT, …) of a trigger that keeps
// rows unchanged.
func isRefusedByTrigger(err error) bool { return code(err) == sqlite3.SQLITE_CONSTRAINT_TRIGGER }

// taken reports whether query finds a row. SQLite's result code does not
// name the unique index a violation was about; asking which value is
// already there does, without reading the driver's message text. On a
// violation only the statement is undone, so this runs in the same
// transaction and sees what the failed statement collided with.
func (db *DB) taken(ctx context.Context, query string, args ...any) (bool, error) {
	var one int
	err := db.q(ctx).QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, mapError(err)
}

// isForeignKey reports a FOREIGN KEY violation.
func isForeignKey(err error) bool { return code(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY }

// mapError turns driver errors that every caller handles the same way into
// application errors; other errors pass through to be logged as internal.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	switch code(err) & 0xff {
	case sqlite3.SQLITE_BUSY:
		return apperr.Wrap(err, apperr.Unavailable, "数据库繁忙，请稍后重试")
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return apperr.Wrap(err, apperr.Unavailable, "数据库文件已损坏，请联系管理员从备份恢复")
	case sqlite3.SQLITE_FULL:
		return apperr.Wrap(err, apperr.Unavailable, "服务器存储空间不足，数据未保存，请稍后重试；如持续出现请联系管理员")
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
		return apperr.Wrap(err, apperr.Unavailable, "数据库暂时无法写入，数据未保存，请稍后重试；如持续出现请联系管理员")
	}
	return err
}

// mapOpenError explains a failure to reach the file at start-up.
func mapOpenError(path string, err error) error {
	switch code(err) & 0xff {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return apperr.Wrap(err, apperr.Unavailable, fmt.Sprintf("数据库文件 %s 已损坏或不是 SQLite 数据库；请从备份恢复，或移走该文件后重新初始化", path))
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR:
		return apperr.Wrap(err, apperr.Unavailable, fmt.Sprintf("无法打开数据库文件 %s：请检查路径与读写权限", path))
	}
	return apperr.Wrap(err, apperr.Unavailable, fmt.Sprintf("无法打开数据库文件 %s", path))
}

// notFound converts sql.ErrNoRows into a NotFound error with message.
func notFound(err error, message string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, message)
	}
	return mapError(err)
}
