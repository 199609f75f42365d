package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/x/registry/keeper"
	"github.com/datarights/datarights/x/registry/types"
)

// QueryCmd is `query registry`.
func QueryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "registry", Short: "the asset catalogue (数据资源目录): assets, versions, valuations, certificates"}
	cmd.AddCommand(assetCmd(), assetsCmd(), versionsCmd(), valuationsCmd(), certificateCmd(), paramsCmd())
	for _, c := range cmd.Commands() {
		client.AddQueryFlags(c)
	}
	return cmd
}

func assetCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "asset ID",
		Short: "show one asset (数据资源); with --prove, verify it against the app hash",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := types.ParseAssetID("asset id", args[0]); err != nil {
				return err
			}
			a := &types.Asset{}
			return client.ShowEntity(cmd, keeper.PathAsset, &types.QueryAssetRequest{Id: args[0]}, "asset", a, func(w io.Writer) { printAsset(w, a) })
		},
	}
}

// printAsset writes an asset as key/value lines, leaving out unset fields.
func printAsset(w io.Writer, a *types.Asset) {
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%s:\t%s\n", k, v)
		}
	}
	line("id", a.Id)
	line("kind", types.KindName(a.Kind))
	line("catalogue code", a.CatalogueCode)
	line("name", a.Name)
	line("description", a.Description)
	line("status", types.StatusName(a.Status))
	if a.Status == types.AssetStatus_ASSET_STATUS_IN_NOTICE {
		line("notice ends", ts(a.NoticeEnds))
	}
	line("certificate", a.CertificateNo)
	if a.Frozen {
		line("frozen", "yes: "+a.FrozenReason)
	}
	line("status reason", a.StatusReason)
	line("classification", types.ClassificationName(a.Classification))
	line("grade", types.GradeName(a.Grade))
	if a.OpenLevel != 0 {
		line("open level", types.OpenLevelName(a.OpenLevel))
	}
	line("source department", a.SourceDepartment)
	line("registrant", fmt.Sprintf("%s at height %d (%s)", a.Registrant, a.RegisteredHeight, ts(a.RegisteredTime)))
	line("root right", a.HoldingRightId)
	line("version", fmt.Sprintf("%d", a.Version))
	line("content hash", a.ContentHash)
	line("schema hash", a.SchemaHash)
	line("standard", a.StandardRef)
	line("uri", a.Uri)
	if a.Deidentified {
		line("de-identified", "yes")
	}
	line("inputs", types.FormatInputs(a.Inputs))
	if o := a.Objection; o != nil {
		line("objection", fmt.Sprintf("by %s at height %d: %s (evidence %s)", o.Objector, o.Height, o.Reason, o.EvidenceHash))
	}
}

func ts(t *timestamppb.Timestamp) string {
	if t == nil {
		return ""
	}
	return t.AsTime().UTC().Format(time.RFC3339)
}

// assetFilters are the list filters of `assets`; at most one applies.
type assetFilters struct{ kind, classification, grade, source, status string }

func (f *assetFilters) req() (*types.QueryAssetsRequest, error) {
	req := &types.QueryAssetsRequest{}
	var err error
	if f.kind != "" {
		if req.Kind, err = types.ParseKind(f.kind); err != nil {
			return nil, err
		}
	}
	if f.classification != "" {
		if req.Classification, err = types.ParseClassification(f.classification); err != nil {
			return nil, err
		}
	}
	if f.grade != "" {
		if req.Grade, err = types.ParseGrade(f.grade); err != nil {
			return nil, err
		}
	}
	if f.status != "" {
		if req.Status, err = types.ParseStatus(f.status); err != nil {
			return nil, err
		}
	}
	if f.source != "" {
		if req.SourceDepartment, err = types.ParseAddress("--source-department", f.source); err != nil {
			return nil, err
		}
	}
	return req, nil
}

func assetsCmd() *cobra.Command {
	var f assetFilters
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "assets [--kind K | --classification C | --grade G | --source-department ADDR | --status S]",
		Short: "list assets (数据资源目录) in registration order, or those matching one filter, one page at a time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := f.req()
			if err != nil {
				return err
			}
			req.Page = page.Request()
			resp := &types.QueryAssetsResponse{}
			if _, err := client.Ask(cmd, keeper.PathAssets, req, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "ID\tKIND\tCLASSIFICATION\tGRADE\tSTATUS\tCATALOGUE CODE\tNAME")
				for _, a := range resp.Assets {
					st := types.StatusName(a.Status)
					if a.Frozen {
						st += ",frozen"
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Id, types.KindName(a.Kind), types.ClassificationName(a.Classification),
						types.GradeName(a.Grade), st, a.CatalogueCode, a.Name)
				}
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.kind, "kind", "", "only this kind: dataset, data_product, scenario, model, software, hardware, project")
	fl.StringVar(&f.classification, "classification", "", "only this classification: public, enterprise, personal")
	fl.StringVar(&f.grade, "grade", "", "only this grade: general, important, core")
	fl.StringVar(&f.source, "source-department", "", "only the assets of this source department")
	fl.StringVar(&f.status, "status", "", "only this status: in_notice, disputed, certified, cancelled, catalogued")
	page.Register(cmd)
	return cmd
}

func versionsCmd() *cobra.Command {
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "versions ID",
		Short: "list an asset's content versions (版本), oldest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := types.ParseAssetID("asset id", args[0]); err != nil {
				return err
			}
			resp := &types.QueryVersionsResponse{}
			if _, err := client.Ask(cmd, keeper.PathVersions, &types.QueryVersionsRequest{AssetId: args[0], Page: page.Request()}, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "VERSION\tCONTENT HASH\tHEIGHT\tTIME\tADDED BY\tNOTE")
				for _, v := range resp.Versions {
					fmt.Fprintf(w, "%d\t%s\t%d\t%s\t%s\t%s\n", v.Number, v.ContentHash, v.Height, ts(v.Time), v.AddedBy, v.Note)
				}
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	page.Register(cmd)
	return cmd
}

func valuationsCmd() *cobra.Command {
	var page client.PageFlags
	cmd := &cobra.Command{
		Use:   "valuations ID",
		Short: "list an asset's valuations, oldest first (数据资产评估)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := types.ParseAssetID("asset id", args[0]); err != nil {
				return err
			}
			resp := &types.QueryValuationsResponse{}
			if _, err := client.Ask(cmd, keeper.PathValuations, &types.QueryValuationsRequest{AssetId: args[0], Page: page.Request()}, resp); err != nil {
				return err
			}
			return client.Print(cmd, resp, func(w io.Writer) {
				fmt.Fprintln(w, "NUMBER\tVALUE (YUAN)\tMETHOD\tASSESSOR\tHEIGHT\tREPORT HASH")
				for _, v := range resp.Valuations {
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%s\n", v.Number, yuan(v.ValueFen), types.MethodName(v.Method), v.Assessor, v.Height, v.ReportHash)
				}
				client.PrintNextPage(w, resp.Page)
			})
		},
	}
	page.Register(cmd)
	return cmd
}

// yuan formats fen as yuan with two decimals, in integers.
func yuan(fen uint64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }

func certificateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "certificate ID",
		Short: "show the registration certificate (登记凭证) of a certified asset",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := types.ParseAssetID("asset id", args[0]); err != nil {
				return err
			}
			c := &types.Certificate{}
			if _, err := client.Ask(cmd, keeper.PathCertificate, &types.QueryCertificateRequest{AssetId: args[0]}, c); err != nil {
				return err
			}
			return client.Print(cmd, c, func(w io.Writer) {
				fmt.Fprintf(w, "certificate:\t%s\n", c.CertificateNo)
				fmt.Fprintf(w, "asset:\t%s\n", c.AssetId)
				fmt.Fprintf(w, "name:\t%s\n", c.Name)
				fmt.Fprintf(w, "catalogue code:\t%s\n", c.CatalogueCode)
				fmt.Fprintf(w, "holder:\t%s\n", c.Holder)
				fmt.Fprintf(w, "content hash:\t%s\n", c.ContentHash)
				fmt.Fprintf(w, "classification:\t%s\n", types.ClassificationName(c.Classification))
				fmt.Fprintf(w, "grade:\t%s\n", types.GradeName(c.Grade))
				fmt.Fprintf(w, "certified at height:\t%d\n", c.CertifiedHeight)
			})
		},
	}
}

func paramsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "params",
		Short: "show the registry params (登记参数: notice period 公示期, certifications per block)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := &types.Params{}
			if _, err := client.Ask(cmd, keeper.PathParams, &types.QueryParamsRequest{}, p); err != nil {
				return err
			}
			return client.Print(cmd, p, func(w io.Writer) {
				fmt.Fprintf(w, "notice period:\t%s (%d seconds)\n", p.NoticePeriod(), p.NoticePeriodSeconds)
				fmt.Fprintf(w, "max certifications per block:\t%d\n", p.MaxCertificationsPerBlock)
			})
		},
	}
}
