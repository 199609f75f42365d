package client

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// Print writes v as JSON when --output json is set, else calls text with a
// tab-aligned writer. It is the one place that chooses the format.
func Print(cmd *cobra.Command, v any, text func(w io.Writer)) error {
	asJSON, err := OutputJSON(cmd)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if asJSON {
		bz, err := MarshalJSON(v)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(out, string(bz))
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	text(tw)
	return tw.Flush()
}

// MarshalJSON encodes protobuf messages in protobuf's canonical JSON (enum
// names, snake_case field names) and anything else with encoding/json.
func MarshalJSON(v any) ([]byte, error) {
	if m, ok := v.(proto.Message); ok {
		return protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: false}.Marshal(m)
	}
	return json.Marshal(v)
}

// RawJSON embeds a protobuf message in an encoding/json structure.
func RawJSON(m proto.Message) json.RawMessage {
	bz, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(m)
	if err != nil {
		return json.RawMessage(`null`)
	}
	return bz
}
