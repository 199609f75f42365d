// Package tx is the transaction envelope: how a body is encoded, signed,
// decoded and verified, and the limits every tx must respect.
//
// A Tx is {body_bytes, signature}. The signature is a 65-byte recoverable
// secp256k1 signature (r || s || v, v in {0, 1}) over
//
//	keccak256("datarights/tx/v1" || uint16be(len(chain_id)) || chain_id || body_bytes)
//
// The domain prefix keeps a datarights signature from ever being valid as a
// signature of anything else (an Ethereum tx, a personal_sign message); the
// length-prefixed chain id binds it to one network, and the body repeats the
// chain id so that a decoded body is self-describing.
//
// Only low-S signatures are accepted: for every valid (r, s) the twin
// (r, n-s) is valid too, and accepting both would give one signed tx two
// ids. The recovered address must equal the body's signer field.
//
// Decoding is strict: unknown fields anywhere in the tx are rejected, so a
// tx has one meaning for every node version that accepts it.
package tx
