// Package keyring stores the account keys used by the datarightsd command
// line interface.
//
// Accounts of the DataRights ledger are secp256k1 keys, identified by
// 20-byte Ethereum-style addresses (go-ethereum's crypto.PubkeyToAddress),
// always shown in their EIP-55 checksummed form. A Keyring holds such keys
// under local names chosen by the operator (see ValidateName), and can look
// them up either by name or by 0x address.
//
// # Backends
//
// Two backends exist, selected by name in New; each keeps one JSON file
// per key, named <name>.json, in its own directory under the node's home:
//
//   - BackendFile ("file", directory <home>/keyring-file) is for real
//     departments holding real authority on the ledger. Every key is
//     encrypted with a passphrase in the Web3 Secret Storage format
//     (go-ethereum keystore v3, scrypt key derivation with the standard
//     go-ethereum parameters). This is a widely used, documented format,
//     so keys can be backed up, audited and moved to or from other tools
//     without ever being written in clear. The address is stored in clear
//     in the file, so listing and looking up keys needs no passphrase;
//     only operations that use the private key (signing, exporting) do.
//
//   - BackendTest ("test", directory <home>/keyring-test) is for local and
//     throw-away test networks, where typing passphrases gets in the way of
//     scripts. Keys are stored unencrypted, and every file carries the
//     warning "UNENCRYPTED TEST KEY - for local networks only" so that it
//     is never mistaken for a protected key. It never asks for a
//     passphrase, except to read or write an encrypted file (ImportFile of
//     a Web3 Secret Storage JSON, Export).
//
// Key files are created with mode 0600 inside directories of mode 0700, and
// are never overwritten: adding a key whose name or address is already
// present fails with ErrExists.
//
// # Passphrases
//
// The file backend obtains passphrases through a PassphraseFunc. The
// package provides sources reading a file (PassphraseFromFile), an
// environment variable (PassphraseFromEnv), or the terminal
// (PromptPassphrase); DefaultPassphrase chooses among them the way the
// command line does.
//
// # Command line
//
// Commands returns the "keys" command (add, list, show, import, export,
// delete) built on this package.
package keyring
