// Package env carries the execution environment of one message through a
// plain context.Context: the block (height, time), the transaction (hash,
// signer, acting party, message index) and the event sink.
//
// Handlers read it with the accessors below; they never read a clock or
// anything else outside the block. It is set by the app's tx runner only.
package env
