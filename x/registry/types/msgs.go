package types

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/datarights/datarights/address"
	"github.com/datarights/datarights/validate"
)

// Field limits of the registry module.
const (
	MaxCatalogueCodeBytes = 64
	MaxStandardRefBytes   = 128
	MaxNameBytes          = 256
	MaxDescriptionBytes   = 4096
	MaxURIBytes           = 512
	MaxReasonBytes        = 512
	MaxNoteBytes          = 512
	// MaxInputs bounds the lineage edges one asset declares, and so the
	// work (and CheckDerive calls) of one registration.
	MaxInputs = 16
	// TotalWeightBps is what the inputs' weights of a product sum to.
	TotalWeightBps = 10_000
)

const assetIDPrefix = "a-"

// FormatAssetID is the id of the n-th registered asset: "a-<n>".
func FormatAssetID(n uint64) string { return assetIDPrefix + strconv.FormatUint(n, 10) }

// ParseAssetID returns n of "a-<n>": decimal, from 1, without leading
// zeros, so that one asset has one spelling.
func ParseAssetID(field, s string) (uint64, error) {
	digits, ok := strings.CutPrefix(s, assetIDPrefix)
	if !ok || digits == "" || digits[0] == '0' {
		return 0, ErrInvalidField.Wrapf("%s %q: want an asset id like a-42", field, s)
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return 0, ErrInvalidField.Wrapf("%s %q: want an asset id like a-42", field, s)
	}
	return n, nil
}

// ParseAddress normalises an address field to its canonical EIP-55 form.
func ParseAddress(field, s string) (string, error) {
	a, err := address.Normalize(s)
	if err != nil {
		return "", ErrInvalidField.Wrapf("%s: %v", field, err)
	}
	return a, nil
}

// fields returns the first failed plain field check as ErrInvalidField.
func fields(checks ...error) error {
	for _, err := range checks {
		if err != nil {
			return ErrInvalidField.Wrap(err.Error())
		}
	}
	return nil
}

func checkID(id string) error {
	_, err := ParseAssetID("asset_id", id)
	return err
}

func checkReason(reason string) error {
	return fields(validate.Text("reason", reason, MaxReasonBytes, true))
}

// Validate checks a registration without state: every field well-formed,
// the grading consistent (ValidateGrading) and the inputs well-formed for
// the kind (ValidateInputs). The CLI runs it before signing.
func (m *MsgRegisterAsset) Validate() error {
	if !ValidKind(m.Kind) {
		return ErrInvalidField.Wrapf("kind %d: want %s", m.Kind, enumChoices(AssetKind_name, kindPrefix))
	}
	err := fields(
		validate.Code("catalogue_code", m.CatalogueCode, MaxCatalogueCodeBytes),
		validate.Text("name", m.Name, MaxNameBytes, true),
		validate.Text("description", m.Description, MaxDescriptionBytes, false),
		validate.Hash("content_hash", m.ContentHash),
		validate.OptionalHash("schema_hash", m.SchemaHash),
		checkURI(m.Uri),
	)
	if err != nil {
		return err
	}
	if m.StandardRef != "" {
		if err := fields(validate.Code("standard_ref", m.StandardRef, MaxStandardRefBytes)); err != nil {
			return err
		}
	}
	if m.SourceDepartment != "" {
		if _, err := ParseAddress("source_department", m.SourceDepartment); err != nil {
			return err
		}
	}
	if err := ValidateGrading(m.Classification, m.Grade, m.OpenLevel); err != nil {
		return err
	}
	return ValidateInputs(m.Kind, m.Inputs)
}

// checkURI: the URI is optional, one line, without spaces (it is a
// locator, not prose).
func checkURI(uri string) error {
	if err := validate.Text("uri", uri, MaxURIBytes, false); err != nil {
		return err
	}
	if strings.ContainsAny(uri, " \t\n") {
		return fmt.Errorf("uri %q has white space", uri)
	}
	return nil
}

// ValidateGrading checks classification, grade and open level together.
// Every asset is classified and graded (the catalogue is one inventory).
// The open level (开放等级) is a property of public data only: required for
// it, and unset otherwise so that nobody reads enterprise or personal data
// as "unconditionally open".
func ValidateGrading(c Classification, g Grade, o OpenLevel) error {
	switch {
	case !ValidClassification(c):
		return ErrInvalidField.Wrapf("classification %d: want %s", c, enumChoices(Classification_name, classificationPrefix))
	case !ValidGrade(g):
		return ErrInvalidField.Wrapf("grade %d: want %s", g, enumChoices(Grade_name, gradePrefix))
	case c == Classification_CLASSIFICATION_PUBLIC && !ValidOpenLevel(o):
		return ErrInvalidField.Wrapf("public data needs an open level: %s", enumChoices(OpenLevel_name, openLevelPrefix))
	case c != Classification_CLASSIFICATION_PUBLIC && o != OpenLevel_OPEN_LEVEL_UNSPECIFIED:
		return ErrInvalidField.Wrapf("only public data has an open level; %s data has none", ClassificationName(c))
	}
	return nil
}

// Links reports whether an asset of the kind may name the assets it uses.
// A data product derives from its inputs; a scenario, model or project
// links the assets it uses. Datasets, software and hardware are sources.
func Links(k AssetKind) bool {
	switch k {
	case AssetKind_ASSET_KIND_DATA_PRODUCT, AssetKind_ASSET_KIND_SCENARIO, AssetKind_ASSET_KIND_MODEL, AssetKind_ASSET_KIND_PROJECT:
		return true
	}
	return false
}

// ValidateInputs checks the lineage edges an asset declares, without
// state. A data product names 1 to MaxInputs inputs, each with a weight
// above zero, the weights summing to TotalWeightBps: the declared value
// contributions that revenue follows upstream. A scenario, model or project
// may link assets either without weights (all zero) or with weights under
// the same rule. No input twice.
func ValidateInputs(kind AssetKind, inputs []*Input) error {
	product := kind == AssetKind_ASSET_KIND_DATA_PRODUCT
	switch {
	case product && len(inputs) == 0:
		return ErrInvalidInputs.Wrap("a data product names the assets it is derived from (--inputs ASSET:WEIGHT,...)")
	case len(inputs) > 0 && !Links(kind):
		return ErrInvalidInputs.Wrapf("a %s names no inputs; data products, scenarios, models and projects do", KindName(kind))
	case len(inputs) > MaxInputs:
		return ErrInvalidInputs.Wrapf("%d inputs, limit %d", len(inputs), MaxInputs)
	}
	seen := make(map[uint64]bool, len(inputs))
	var sum uint64
	zero := 0
	for i, in := range inputs {
		n, err := ParseAssetID(fmt.Sprintf("inputs[%d]", i), in.GetAssetId())
		if err != nil {
			return ErrInvalidInputs.Wrap(err.Error())
		}
		if seen[n] {
			return ErrInvalidInputs.Wrapf("%s appears twice", in.GetAssetId())
		}
		if in.GetRightId() != "" || in.GetAuthorizationId() != "" {
			return ErrInvalidInputs.Wrapf("inputs[%d]: right_id and authorization_id are recorded by the ledger, not declared", i)
		}
		seen[n] = true
		sum += uint64(in.GetWeightBps())
		if in.GetWeightBps() == 0 {
			zero++
		}
	}
	if !product && sum == 0 {
		return nil // plain links
	}
	if zero > 0 {
		return ErrInvalidInputs.Wrap("every weighted input needs a weight above 0 bps")
	}
	if sum != TotalWeightBps {
		return ErrInvalidInputs.Wrapf("weights sum to %d bps, want %d", sum, TotalWeightBps)
	}
	return nil
}

// ParseInputs parses the CLI form "a-1:6000,a-2:4000". A weight may be
// left out (a-1) for a plain link of a scenario, model or project.
func ParseInputs(s string) ([]*Input, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []*Input
	for _, part := range strings.Split(s, ",") {
		id, w, hasWeight := strings.Cut(strings.TrimSpace(part), ":")
		in := &Input{AssetId: id}
		if hasWeight {
			v, err := strconv.ParseUint(w, 10, 32)
			if err != nil || v > TotalWeightBps {
				return nil, ErrInvalidInputs.Wrapf("%q: want ASSET:WEIGHT with a weight of 0 to %d bps", part, TotalWeightBps)
			}
			in.WeightBps = uint32(v)
		}
		out = append(out, in)
	}
	return out, nil
}

// FormatInputs is the text form of inputs that ParseInputs reads:
// "a-1:6000,a-2:4000" (a plain link without weight: "a-1").
func FormatInputs(inputs []*Input) string {
	parts := make([]string, len(inputs))
	for i, in := range inputs {
		parts[i] = in.GetAssetId()
		if w := in.GetWeightBps(); w != 0 {
			parts[i] += ":" + strconv.FormatUint(uint64(w), 10)
		}
	}
	return strings.Join(parts, ",")
}

// Validate checks an objection: evidence hash and reason are required, so
// that the data admin has something to weigh.
func (m *MsgObjectAsset) Validate() error {
	if err := checkID(m.AssetId); err != nil {
		return err
	}
	if err := fields(validate.Hash("evidence_hash", m.EvidenceHash)); err != nil {
		return err
	}
	return checkReason(m.Reason)
}

// Validate checks a resolution: the data admin gives a reason either way.
func (m *MsgResolveObjection) Validate() error {
	if err := checkID(m.AssetId); err != nil {
		return err
	}
	return checkReason(m.Reason)
}

// Validate checks a new version: a content hash and an optional note.
func (m *MsgAddVersion) Validate() error {
	if err := checkID(m.AssetId); err != nil {
		return err
	}
	return fields(validate.Hash("content_hash", m.ContentHash), validate.Text("note", m.Note, MaxNoteBytes, false))
}

// Validate checks a valuation: a positive value in fen, a method and the
// hash of the assessment report.
func (m *MsgRecordValuation) Validate() error {
	if err := checkID(m.AssetId); err != nil {
		return err
	}
	if m.ValueFen == 0 {
		return ErrInvalidField.Wrap("value_fen must be above 0")
	}
	if !ValidMethod(m.Method) {
		return ErrInvalidField.Wrapf("method %d: want %s", m.Method, enumChoices(ValuationMethod_name, methodPrefix))
	}
	return fields(validate.Hash("report_hash", m.ReportHash))
}

// Validate checks a freeze: the data admin gives a reason.
func (m *MsgFreezeAsset) Validate() error {
	if err := checkID(m.AssetId); err != nil {
		return err
	}
	return checkReason(m.Reason)
}

// Validate checks an unfreeze: the data admin gives a reason.
func (m *MsgUnfreezeAsset) Validate() error {
	if err := checkID(m.AssetId); err != nil {
		return err
	}
	return checkReason(m.Reason)
}

// Validate checks a reclassification: a reason, and at least one of
// classification, grade and open level (zero means unchanged). Whether the
// result is consistent depends on the asset; the keeper checks that.
func (m *MsgReclassifyAsset) Validate() error {
	if err := checkID(m.AssetId); err != nil {
		return err
	}
	c, g, o := m.Classification, m.Grade, m.OpenLevel
	switch {
	case c == 0 && g == 0 && o == 0:
		return ErrInvalidField.Wrap("give a new classification, grade or open level")
	case c != 0 && !ValidClassification(c):
		return ErrInvalidField.Wrapf("classification %d: want %s", c, enumChoices(Classification_name, classificationPrefix))
	case g != 0 && !ValidGrade(g):
		return ErrInvalidField.Wrapf("grade %d: want %s", g, enumChoices(Grade_name, gradePrefix))
	case o != 0 && !ValidOpenLevel(o):
		return ErrInvalidField.Wrapf("open level %d: want %s", o, enumChoices(OpenLevel_name, openLevelPrefix))
	case o != 0 && c != 0 && c != Classification_CLASSIFICATION_PUBLIC:
		return ErrInvalidField.Wrap("only public data has an open level")
	}
	return checkReason(m.Reason)
}

// Enum prefixes in the generated names ("ASSET_KIND_DATASET").
const (
	kindPrefix           = "ASSET_KIND_"
	classificationPrefix = "CLASSIFICATION_"
	gradePrefix          = "GRADE_"
	openLevelPrefix      = "OPEN_LEVEL_"
	statusPrefix         = "ASSET_STATUS_"
	methodPrefix         = "VALUATION_METHOD_"
)

// shortName is the lower-case name of an enum value without its prefix
// ("data_product"): what the CLI takes and prints.
func shortName(full, prefix string) string { return strings.ToLower(strings.TrimPrefix(full, prefix)) }

// parseEnum is the inverse of shortName; the zero value is never valid.
func parseEnum(field, s, prefix string, names map[int32]string, values map[string]int32) (int32, error) {
	v, ok := values[prefix+strings.ToUpper(strings.TrimSpace(s))]
	if !ok || v == 0 {
		return 0, ErrInvalidField.Wrapf("%s %q: want %s", field, s, enumChoices(names, prefix))
	}
	return v, nil
}

// enumChoices lists the valid short names in number order.
func enumChoices(names map[int32]string, prefix string) string {
	var out []string
	for i := int32(1); i < int32(len(names)); i++ {
		if n, ok := names[i]; ok {
			out = append(out, shortName(n, prefix))
		}
	}
	return strings.Join(out, ", ")
}

func validEnum(names map[int32]string, v int32) bool {
	_, ok := names[v]
	return ok && v != 0
}

// ValidKind reports whether k is a defined, non-zero kind.
func ValidKind(k AssetKind) bool { return validEnum(AssetKind_name, int32(k)) }

// ValidClassification reports whether c is a defined, non-zero classification.
func ValidClassification(c Classification) bool { return validEnum(Classification_name, int32(c)) }

// ValidGrade reports whether g is a defined, non-zero grade.
func ValidGrade(g Grade) bool { return validEnum(Grade_name, int32(g)) }

// ValidOpenLevel reports whether o is a defined, non-zero open level.
func ValidOpenLevel(o OpenLevel) bool { return validEnum(OpenLevel_name, int32(o)) }

// ValidStatus reports whether s is a defined, non-zero status.
func ValidStatus(s AssetStatus) bool { return validEnum(AssetStatus_name, int32(s)) }

// ValidMethod reports whether m is a defined, non-zero valuation method.
func ValidMethod(m ValuationMethod) bool { return validEnum(ValuationMethod_name, int32(m)) }

// KindName is the short name of a kind ("data_product").
func KindName(k AssetKind) string { return shortName(k.String(), kindPrefix) }

// ClassificationName is the short name of a classification ("public").
func ClassificationName(c Classification) string {
	return shortName(c.String(), classificationPrefix)
}

// GradeName is the short name of a grade ("core").
func GradeName(g Grade) string { return shortName(g.String(), gradePrefix) }

// OpenLevelName is the short name of an open level ("conditional").
func OpenLevelName(o OpenLevel) string { return shortName(o.String(), openLevelPrefix) }

// StatusName is the short name of a status ("in_notice").
func StatusName(s AssetStatus) string { return shortName(s.String(), statusPrefix) }

// MethodName is the short name of a valuation method ("income").
func MethodName(m ValuationMethod) string { return shortName(m.String(), methodPrefix) }

// ParseKind is the inverse of KindName.
func ParseKind(s string) (AssetKind, error) {
	v, err := parseEnum("kind", s, kindPrefix, AssetKind_name, AssetKind_value)
	return AssetKind(v), err
}

// ParseClassification is the inverse of ClassificationName.
func ParseClassification(s string) (Classification, error) {
	v, err := parseEnum("classification", s, classificationPrefix, Classification_name, Classification_value)
	return Classification(v), err
}

// ParseGrade is the inverse of GradeName.
func ParseGrade(s string) (Grade, error) {
	v, err := parseEnum("grade", s, gradePrefix, Grade_name, Grade_value)
	return Grade(v), err
}

// ParseOpenLevel is the inverse of OpenLevelName.
func ParseOpenLevel(s string) (OpenLevel, error) {
	v, err := parseEnum("open level", s, openLevelPrefix, OpenLevel_name, OpenLevel_value)
	return OpenLevel(v), err
}

// ParseStatus is the inverse of StatusName.
func ParseStatus(s string) (AssetStatus, error) {
	v, err := parseEnum("status", s, statusPrefix, AssetStatus_name, AssetStatus_value)
	return AssetStatus(v), err
}

// ParseMethod is the inverse of MethodName.
func ParseMethod(s string) (ValuationMethod, error) {
	v, err := parseEnum("method", s, methodPrefix, ValuationMethod_name, ValuationMethod_value)
	return ValuationMethod(v), err
}

// IsCancelled reports whether the registration was cancelled (an upheld
// objection): nothing more happens to the asset.
func (a *Asset) IsCancelled() bool { return a.GetStatus() == AssetStatus_ASSET_STATUS_CANCELLED }

// IsCore reports whether the asset is core data (核心数据).
func (a *Asset) IsCore() bool { return a.GetGrade() == Grade_GRADE_CORE }
