package postgres

import (
	"errors"
	"io"
	"net"
	"syscall"

	"openhall/internal/apperr"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// constraint names the constraint or unique index err violated, or "".
func constraint(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.ConstraintName
	}
	return ""
}

// isRefusedByTrigger reports a check violation that names no constraint:
// a trigger that keeps rows unchanged raised it (catalog_refuse_change).
func isRefusedByTrigger(err error) bool { return pgCode(err) == "23514" && constraint(err) == "" }

// isUnique reports a unique violation.
func isUnique(err error) bool { return pgCode(err) == "23505" }

// isForeignKey reports a foreign key violation.
func isForeignKey(err error) bool { return pgCode(err) == "23503" }

// mapError turns driver errors every caller handles alike into application
// errors; others pass through to be logged as internal.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	switch c := pgCode(err); {
	case c == "40001" || c == "40P01":
		return apperr.Wrap(err, apperr.Conflict, "数据正被他人同时修改，请重试")
	case c == "22021":
		return apperr.Wrap(err, apperr.Invalid, "提交的内容含有无法识别的字符（空字符或不完整的汉字编码），请删除后重试")
	case c == "53100":
		return apperr.Wrap(err, apperr.Unavailable, "数据库磁盘空间不足，数据未保存，请联系管理员")
	case len(c) == 2+3 && (c[:2] == "08" || c[:2] == "57" || c[:2] == "53"):
		return apperr.Wrap(err, apperr.Unavailable, "数据库暂时不可用，请稍后重试")
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) || connectionLost(err) {
		return apperr.Wrap(err, apperr.Unavailable, "数据库暂时不可用，请稍后重试")
	}
	return err
}

// connectionLost reports an error of the connection rather than of the
// statement: the server could not be reached (down, restarting) or the
// connection broke in the middle of a statement. The pool drops such a
// connection and dials afresh for the next request, so the client may
// retry; a write whose commit was cut off may or may not have been kept,
// which its Idempotency-Key settles.
func connectionLost(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// notFound converts pgx.ErrNoRows into a NotFound error with message.
func notFound(err error, message string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, message)
	}
	return mapError(err)
}
