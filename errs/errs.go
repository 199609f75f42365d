package errs

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

// Error is a registered rejection.
type Error struct {
	codespace string
	code      uint32
	desc      string
}

// Codespace is the module the error belongs to.
func (e *Error) Codespace() string { return e.codespace }

// Code is the error's number within its codespace; never 0 (success).
func (e *Error) Code() uint32 { return e.code }

func (e *Error) Error() string { return e.desc }

// Wrapf adds detail to a registered error; errors.Is(result, e) holds.
func (e *Error) Wrapf(format string, args ...any) error {
	return &wrapped{msg: fmt.Sprintf(format, args...), cause: e}
}

// Wrap adds detail to a registered error.
func (e *Error) Wrap(msg string) error { return &wrapped{msg: msg, cause: e} }

type wrapped struct {
	msg   string
	cause *Error
}

func (w *wrapped) Error() string { return w.cause.desc + ": " + w.msg }
func (w *wrapped) Unwrap() error { return w.cause }

// Wrapf is shorthand for e.Wrapf.
func Wrapf(e *Error, format string, args ...any) error { return e.Wrapf(format, args...) }

var (
	mu       sync.Mutex
	registry = map[string]*Error{}
)

// Register declares an error once at package initialisation. Registering the
// same (codespace, code) twice, or code 0 or 1 (reserved), panics: it is a
// programming error caught by any test that imports the package.
func Register(codespace string, code uint32, desc string) *Error {
	if code <= 1 {
		panic(fmt.Sprintf("errs: code %d is reserved (codespace %s)", code, codespace))
	}
	mu.Lock()
	defer mu.Unlock()
	k := fmt.Sprintf("%s/%d", codespace, code)
	if _, dup := registry[k]; dup {
		panic("errs: duplicate error registration " + k)
	}
	e := &Error{codespace: codespace, code: code, desc: desc}
	registry[k] = e
	return e
}

// All lists the registered errors ordered by codespace and code, for docs
// and tests.
func All() []*Error {
	mu.Lock()
	defer mu.Unlock()
	out := make([]*Error, 0, len(registry))
	for _, e := range registry { // lint:allow sorted right below; never reaches state
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].codespace != out[j].codespace {
			return out[i].codespace < out[j].codespace
		}
		return out[i].code < out[j].code
	})
	return out
}

// CodespaceInternal is where errors that are not the sender's fault land.
const CodespaceInternal = "app"

// CodeInternal is the code of an unregistered (internal) error.
const CodeInternal uint32 = 1

// ABCIInfo maps an error to what a tx result carries. Unregistered errors
// are internal: their text is replaced, since it may differ between nodes
// and must not reach consensus-critical results.
func ABCIInfo(err error) (codespace string, code uint32, log string) {
	var e *Error
	if errors.As(err, &e) {
		return e.codespace, e.code, err.Error()
	}
	return CodespaceInternal, CodeInternal, "internal error"
}

// Lookup returns the error registered as (codespace, code), as a node's
// result names it, if this binary knows it.
func Lookup(codespace string, code uint32) (*Error, bool) {
	mu.Lock()
	defer mu.Unlock()
	e, ok := registry[fmt.Sprintf("%s/%d", codespace, code)]
	return e, ok
}
