package stancegraph

import (
	"context"
	"errors"
	"fmt"
)

// Error codes. Every error that leaves a Store or the domain carries one of
// these; the GraphQL error presenter maps them to extensions.code.
const (
	ECONFLICT     = "CONFLICT"
	EINTERNAL     = "INTERNAL"
	EINVALID      = "INVALID"
	ENOTFOUND     = "NOT_FOUND"
	EUNAUTHORIZED = "UNAUTHENTICATED"
	EFORBIDDEN    = "FORBIDDEN"
	EUNAVAILABLE  = "UNAVAILABLE"
	// ETIMEOUT: the request's deadline passed before the work was done.
	ETIMEOUT = "TIMEOUT"
)

// Error is the domain error: a code for programs, a message for people, and
// optionally the input field at fault.
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("stancegraph error: code=%s field=%s message=%s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("stancegraph error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an EINVALID error naming the offending input field.
func FieldErrorf(field string, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ContextError is the coded error for work stopped by its context: ETIMEOUT
// when the deadline passed, EUNAVAILABLE when the caller went away. The
// context's error stays the cause (errors.Is holds).
func ContextError(err error, what string) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", Errorf(ETIMEOUT, "%s did not finish before the deadline", what), err)
	}
	return fmt.Errorf("%w: %w", Errorf(EUNAVAILABLE, "%s was cancelled", what), err)
}

// ErrorCode returns the code of err. An error that is not an *Error (a driver
// failure, a bug) is EINTERNAL; nil has no code.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of err that is safe to show a user. The
// detail of internal errors is never shown.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the input field an error names, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
