// Package benchnet creates and runs the fresh loopback networks the
// benchmark measures: datarights departments with the load generator's
// signers in genesis, or CometBFT's kvstore example app with the same
// consensus settings. Each node is a child process (the datarightsd or
// cometbft binary), so its CPU and memory can be read from /proc.
package benchnet
