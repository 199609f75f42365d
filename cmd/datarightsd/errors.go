package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/errs"
	"github.com/datarights/datarights/glossary"
)

// describe is the line a failed command prints: the stable English error
// with its code, and the Chinese terms of the domain objects its
// registered message names (glossary.Annotate). A rejected tx's result,
// with its full reason, is already printed; the line then names the code.
func describe(err error) string {
	var txErr *client.TxError
	var qErr *client.QueryError
	var reg *errs.Error
	switch {
	case errors.As(err, &txErr):
		return fmt.Sprintf("Error: tx rejected (%s code %d%s)", txErr.Result.Codespace, txErr.Result.Code,
			terms(txErr.Result.Codespace, txErr.Result.Code))
	case errors.As(err, &qErr):
		return fmt.Sprintf("Error: %v%s", err, chinese(qErr.Codespace, qErr.Code))
	case errors.As(err, &reg):
		return fmt.Sprintf("Error: %v%s", err, chinese(reg.Codespace(), reg.Code()))
	}
	return fmt.Sprintf("Error: %v", err)
}

// chinese is "（<Chinese terms>）" of the domain objects a registered
// error's message names, or "".
func chinese(codespace string, code uint32) string {
	e, ok := errs.Lookup(codespace, code)
	if !ok {
		return ""
	}
	found := glossary.Find(e.Error())
	if len(found) == 0 {
		return ""
	}
	return "（" + strings.Join(found, "、") + "）"
}

// terms is ": <registered message>（<Chinese terms>）" for a registered
// error that names domain objects, or "".
func terms(codespace string, code uint32) string {
	zh := chinese(codespace, code)
	if zh == "" {
		return ""
	}
	e, _ := errs.Lookup(codespace, code)
	return ": " + e.Error() + zh
}
