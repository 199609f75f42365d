package client

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

	"github.com/datarights/datarights/query"
)

// Ask runs one query against --node (with --height and --prove) and
// decodes the answer into resp. Every module's query commands go through
// it.
func Ask(cmd *cobra.Command, path string, req, resp proto.Message) (*QueryResult, error) {
	node, err := Connect(cmd)
	if err != nil {
		return nil, err
	}
	res, err := node.Query(cmd.Context(), cmd, path, req)
	if err != nil {
		if res != nil && res.Proven {
			fmt.Fprintln(cmd.ErrOrStderr(), res.ProofNote)
		}
		cmd.SilenceUsage = true
		return nil, err
	}
	if err := proto.Unmarshal(res.Value, resp); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return res, nil
}

// ShowEntity is a single-entity query command's whole body: ask, then print
// the entity as text (printText) or as JSON {field: entity, height, proven,
// proof}, with the proof verdict when --prove was given.
func ShowEntity(cmd *cobra.Command, path string, req proto.Message, field string, entity proto.Message, printText func(io.Writer)) error {
	res, err := Ask(cmd, path, req, entity)
	if err != nil {
		return err
	}
	out := map[string]any{field: json.RawMessage(RawJSON(entity)), "height": res.Height, "proven": res.Proven}
	if res.ProofNote != "" {
		out["proof"] = res.ProofNote
	}
	return Print(cmd, out, func(w io.Writer) {
		printText(w)
		fmt.Fprintf(w, "height:\t%d\n", res.Height)
		if res.Proven {
			fmt.Fprintf(w, "proof:\tVERIFIED: %s\n", res.ProofNote)
		}
	})
}

// PageFlags are the paging flags of a list command.
type PageFlags struct {
	limit uint32
	key   []byte
}

// Register adds --limit and --page-key to cmd.
func (p *PageFlags) Register(cmd *cobra.Command) {
	cmd.Flags().Uint32Var(&p.limit, "limit", 0, fmt.Sprintf("page size (default %d, at most %d)", query.DefaultLimit, query.MaxLimit))
	cmd.Flags().BytesHexVar(&p.key, "page-key", nil, "the next-page key a previous page printed")
}

// Request is the page request the flags describe.
func (p *PageFlags) Request() *query.PageRequest {
	return &query.PageRequest{Key: p.key, Limit: p.limit}
}

// PrintNextPage tells a person how to get the next page, if there is one.
func PrintNextPage(w io.Writer, page *query.PageResponse) {
	if k := page.GetNextKey(); len(k) > 0 {
		fmt.Fprintf(w, "\nnext page:\t--page-key %X\n", k)
	}
}
