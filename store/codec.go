package store

import "google.golang.org/protobuf/proto"

// Encode marshals a value for storage, deterministically (our messages have
// no maps, but a future one must not make app hashes differ); a failure is
// a programming error.
func Encode(m proto.Message) []byte {
	bz, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		panic(err)
	}
	return bz
}

// Decode unmarshals a value the app itself stored. The app wrote it, so a
// failure means corruption: it is raised as a Fault, which stops the node
// instead of turning into a tx result.
func Decode(bz []byte, m proto.Message) {
	if err := proto.Unmarshal(bz, m); err != nil {
		panic(&Fault{Err: err})
	}
}
