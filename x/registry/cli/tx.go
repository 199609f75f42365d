// Package cli holds the registry module's commands: `tx registry ...` and
// `query registry ...`. Input is checked here, with the same checks the
// state machine runs (the types package's Validate methods), before
// anything is signed.
package cli

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datarights/datarights/client"
	"github.com/datarights/datarights/tx"
	"github.com/datarights/datarights/x/registry/types"
)

// TxCmd is `tx registry`.
func TxCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "registry", Short: "catalogue assets (数据资源目录): register, object, resolve, version, value, freeze, reclassify"}
	cmd.AddCommand(registerCmd(), objectCmd(), resolveCmd(), addVersionCmd(), recordValuationCmd(),
		freezeCmd(true), freezeCmd(false), reclassifyCmd())
	for _, c := range cmd.Commands() {
		client.AddTxFlags(c)
	}
	return cmd
}

// registerFlags are register's flags, named as in the domain contract.
type registerFlags struct {
	kind, code, name, description, source, standard string
	classification, grade, openLevel                string
	contentHash, schemaHash, uri, inputs            string
	deidentified                                    bool
}

// msg builds and checks the registration the flags describe.
func (f *registerFlags) msg() (*types.MsgRegisterAsset, error) {
	m := &types.MsgRegisterAsset{CatalogueCode: f.code, Name: f.name, Description: f.description, StandardRef: f.standard,
		ContentHash: strings.ToLower(f.contentHash), SchemaHash: strings.ToLower(f.schemaHash), Uri: f.uri, Deidentified: f.deidentified}
	var err error
	if m.Kind, err = types.ParseKind(f.kind); err != nil {
		return nil, err
	}
	if m.Classification, err = types.ParseClassification(f.classification); err != nil {
		return nil, err
	}
	if m.Grade, err = types.ParseGrade(f.grade); err != nil {
		return nil, err
	}
	if f.openLevel != "" {
		if m.OpenLevel, err = types.ParseOpenLevel(f.openLevel); err != nil {
			return nil, err
		}
	}
	if f.source != "" {
		if m.SourceDepartment, err = types.ParseAddress("--source-department", f.source); err != nil {
			return nil, err
		}
	}
	if m.Inputs, err = types.ParseInputs(f.inputs); err != nil {
		return nil, err
	}
	return m, m.Validate()
}

func registerCmd() *cobra.Command {
	var f registerFlags
	cmd := &cobra.Command{
		Use:   "register --kind KIND --catalogue-code CODE --name NAME --classification C --grade G --content-hash H [flags]",
		Short: "register an asset in the catalogue (数据资源登记)",
		Long: `Register an asset. It is in its public notice period (公示期) until the
registry's notice_period has passed, then certified with a certificate number
unless someone objected. Core data is catalogued and never certified.

Public data and core data are registered by their source department, naming
itself with --source-department. A data product names its inputs with their
value contributions in basis points, summing to 10000:
  --inputs a-1:6000,a-2:4000
and the registrant needs a right to derive from each.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := f.msg()
			if err != nil {
				return err
			}
			return client.SendTx(cmd, &tx.Msg{Sum: &tx.Msg_RegisterAsset{RegisterAsset: m}})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.kind, "kind", "", "dataset, data_product, scenario, model, software, hardware or project")
	fl.StringVar(&f.code, "catalogue-code", "", "catalogue code (目录编码), unique across the ledger")
	fl.StringVar(&f.name, "name", "", "name of the asset")
	fl.StringVar(&f.description, "description", "", "what the asset is")
	fl.StringVar(&f.source, "source-department", "", "address of the department the data comes from (your own, for public or core data)")
	fl.StringVar(&f.standard, "standard", "", "reference of the standard the data follows, e.g. GB/T-35273-2020")
	fl.StringVar(&f.classification, "classification", "", "public, enterprise or personal (分类)")
	fl.StringVar(&f.grade, "grade", "", "general, important or core (分级)")
	fl.StringVar(&f.openLevel, "open-level", "", "public data only: not_open, conditional or unconditional (开放等级)")
	fl.StringVar(&f.contentHash, "content-hash", "", "hex sha-256 of the data (the data itself stays off chain)")
	fl.StringVar(&f.schemaHash, "schema-hash", "", "hex sha-256 of the data's schema")
	fl.StringVar(&f.uri, "uri", "", "where the data is kept, off chain")
	fl.BoolVar(&f.deidentified, "deidentified", false, "the data is de-identified (去标识化)")
	fl.StringVar(&f.inputs, "inputs", "", "ASSET:WEIGHT,... the assets a product derives from (weights in bps, sum 10000) or a scenario, model or project uses")
	return cmd
}

func objectCmd() *cobra.Command {
	var evidence, reason string
	cmd := &cobra.Command{
		Use:   "object ASSET --evidence-hash H --reason TEXT",
		Short: "object to a registration during its notice period (异议)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgObjectAsset{AssetId: args[0], EvidenceHash: strings.ToLower(evidence), Reason: reason}
			if err := m.Validate(); err != nil {
				return err
			}
			return client.SendTx(cmd, &tx.Msg{Sum: &tx.Msg_ObjectAsset{ObjectAsset: m}})
		},
	}
	cmd.Flags().StringVar(&evidence, "evidence-hash", "", "hex sha-256 of the evidence, kept off chain")
	cmd.Flags().StringVar(&reason, "reason", "", "why the registration is wrong")
	return cmd
}

func resolveCmd() *cobra.Command {
	var uphold, dismiss bool
	var reason string
	cmd := &cobra.Command{
		Use:   "resolve ASSET --uphold|--dismiss --reason TEXT",
		Short: "uphold (cancel the registration) or dismiss (certify) an objection, as the data admin (异议处理)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if uphold == dismiss {
				return errors.New("give exactly one of --uphold and --dismiss")
			}
			m := &types.MsgResolveObjection{AssetId: args[0], Uphold: uphold, Reason: reason}
			if err := m.Validate(); err != nil {
				return err
			}
			return client.SendTx(cmd, &tx.Msg{Sum: &tx.Msg_ResolveObjection{ResolveObjection: m}})
		},
	}
	cmd.Flags().BoolVar(&uphold, "uphold", false, "the objection stands: cancel the registration and end every right on it")
	cmd.Flags().BoolVar(&dismiss, "dismiss", false, "the objection fails: certify the asset now")
	cmd.Flags().StringVar(&reason, "reason", "", "the decision's grounds (recorded on the ledger)")
	return cmd
}

func addVersionCmd() *cobra.Command {
	var hash, note string
	cmd := &cobra.Command{
		Use:   "add-version ASSET --content-hash H [--note TEXT]",
		Short: "append a new content version, as the asset's holder (版本更新)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgAddVersion{AssetId: args[0], ContentHash: strings.ToLower(hash), Note: note}
			if err := m.Validate(); err != nil {
				return err
			}
			return client.SendTx(cmd, &tx.Msg{Sum: &tx.Msg_AddVersion{AddVersion: m}})
		},
	}
	cmd.Flags().StringVar(&hash, "content-hash", "", "hex sha-256 of the new content")
	cmd.Flags().StringVar(&note, "note", "", "what changed")
	return cmd
}

func recordValuationCmd() *cobra.Command {
	var valueFen uint64
	var method, report string
	cmd := &cobra.Command{
		Use:   "record-valuation ASSET --value-fen N --method cost|income|market --report-hash H",
		Short: "record a valuation of an asset, as an assessor (数据资产评估)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgRecordValuation{AssetId: args[0], ValueFen: valueFen, ReportHash: strings.ToLower(report)}
			var err error
			if m.Method, err = types.ParseMethod(method); err != nil {
				return err
			}
			if err := m.Validate(); err != nil {
				return err
			}
			return client.SendTx(cmd, &tx.Msg{Sum: &tx.Msg_RecordValuation{RecordValuation: m}})
		},
	}
	cmd.Flags().Uint64Var(&valueFen, "value-fen", 0, "the value in fen (1 yuan = 100 fen)")
	cmd.Flags().StringVar(&method, "method", "", "cost, income or market")
	cmd.Flags().StringVar(&report, "report-hash", "", "hex sha-256 of the assessment report")
	return cmd
}

func freezeCmd(freeze bool) *cobra.Command {
	var reason string
	use, short := "unfreeze ASSET --reason TEXT", "lift a freeze, as the data admin (解冻)"
	if freeze {
		use, short = "freeze ASSET --reason TEXT", "freeze an asset, blocking every right on it, as the data admin (冻结)"
	}
	cmd := &cobra.Command{
		Use: use, Short: short, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var m *tx.Msg
			if freeze {
				f := &types.MsgFreezeAsset{AssetId: args[0], Reason: reason}
				if err := f.Validate(); err != nil {
					return err
				}
				m = &tx.Msg{Sum: &tx.Msg_FreezeAsset{FreezeAsset: f}}
			} else {
				u := &types.MsgUnfreezeAsset{AssetId: args[0], Reason: reason}
				if err := u.Validate(); err != nil {
					return err
				}
				m = &tx.Msg{Sum: &tx.Msg_UnfreezeAsset{UnfreezeAsset: u}}
			}
			return client.SendTx(cmd, m)
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded on the ledger)")
	return cmd
}

func reclassifyCmd() *cobra.Command {
	var classification, grade, openLevel, reason string
	cmd := &cobra.Command{
		Use:   "reclassify ASSET [--classification C] [--grade G] [--open-level L] --reason TEXT",
		Short: "change an asset's classification, grade or open level, as the data admin (分类分级调整)",
		Long: `Change an asset's classification, grade or open level; flags left out keep
their value. Every live right on the asset is then re-checked against the red
lines of the new grading, and those that break one are suspended.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m := &types.MsgReclassifyAsset{AssetId: args[0], Reason: reason}
			var err error
			if classification != "" {
				if m.Classification, err = types.ParseClassification(classification); err != nil {
					return err
				}
			}
			if grade != "" {
				if m.Grade, err = types.ParseGrade(grade); err != nil {
					return err
				}
			}
			if openLevel != "" {
				if m.OpenLevel, err = types.ParseOpenLevel(openLevel); err != nil {
					return err
				}
			}
			if err := m.Validate(); err != nil {
				return err
			}
			return client.SendTx(cmd, &tx.Msg{Sum: &tx.Msg_ReclassifyAsset{ReclassifyAsset: m}})
		},
	}
	cmd.Flags().StringVar(&classification, "classification", "", "public, enterprise or personal")
	cmd.Flags().StringVar(&grade, "grade", "", "general, important or core")
	cmd.Flags().StringVar(&openLevel, "open-level", "", "not_open, conditional or unconditional (public data only)")
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded on the ledger)")
	return cmd
}
