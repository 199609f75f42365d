package glossary

import (
	"sort"
	"strings"
)

// Term is one English domain term and its official Chinese term.
type Term struct {
	English, Chinese string
}

// Terms lists the domain vocabulary. Longer English terms win over the
// shorter ones they contain ("holding right" over "right").
var Terms = []Term{
	{"party", "主体"},
	{"department", "部门"},
	{"data admin", "数据主管部门"},
	{"auditor", "审计/监管"},
	{"operator", "授权运营主体"},
	{"exchange", "数据交易中心"},
	{"assessor", "评估机构"},
	{"agent", "代理人"},
	{"asset", "数据资源"},
	{"dataset", "数据集"},
	{"data product", "数据产品"},
	{"catalogue code", "目录编码"},
	{"content hash", "内容哈希"},
	{"version", "版本"},
	{"valuation", "价值评估"},
	{"certificate", "登记证书"},
	{"right", "数据权利"},
	{"holding right", "数据资源持有权"},
	{"use right", "数据加工使用权"},
	{"operation right", "数据产品经营权"},
	{"product-use right", "数据产品使用权"},
	{"scope", "授权范围"},
	{"grant", "授权"},
	{"sublicense", "转授权"},
	{"request", "数据共享申请"},
	{"usage", "使用记录"},
	{"authorisation", "公共数据授权运营"},
	{"evaluation", "运营评估"},
	{"listing", "挂牌"},
	{"trade", "交易"},
	{"bid", "求购报价"},
	{"balance", "清算余额"},
	{"withdrawal", "出金"},
	{"deposit", "入金"},
	{"revenue policy", "收益分配方案"},
	{"policy", "收益分配方案"},
	{"distribution", "收益分配"},
	{"public service fund", "反哺公共服务基金"},
	{"levy", "公共服务提取"},
	{"notice period", "公示期"},
	{"objection", "异议"},
	{"classification", "分类分级"},
	{"grade", "分级"},
	{"core data", "核心数据"},
	{"important data", "重要数据"},
	{"personal data", "个人信息"},
	{"public data", "公共数据"},
	{"red line", "分类分级红线"},
	{"freeze", "冻结"},
	{"frozen", "冻结"},
	{"lineage", "数据血缘"},
	{"inputs", "数据来源"},
	{"proposal", "治理提案"},
	{"vote", "投票"},
	{"validator", "验证节点"},
	{"params", "参数"},
	{"nonce", "交易序号"},
	{"signature", "签名"},
	{"chain id", "链标识"},
}

// byLength is Terms, longest English term first, built once.
var byLength = func() []Term {
	ts := append([]Term(nil), Terms...)
	sort.SliceStable(ts, func(i, j int) bool { return len(ts[i].English) > len(ts[j].English) })
	return ts
}()

// Find returns the Chinese terms of the domain objects text names, in the
// order they first appear, each once. Matching is on whole words, case
// insensitive, longest term first, and allows a plural "s"; a word used by
// a longer term is not matched again by a shorter one.
func Find(text string) []string {
	lower := []byte(strings.ToLower(text))
	type hit struct {
		at      int
		chinese string
	}
	var hits []hit
	for _, t := range byLength {
		en := strings.ToLower(t.English)
		for from := 0; ; {
			i := strings.Index(string(lower[from:]), en)
			if i < 0 {
				break
			}
			at, end := from+i, from+i+len(en)
			if end < len(lower) && lower[end] == 's' {
				end++
			}
			from = at + 1
			if !wordEdge(lower, at-1) || !wordEdge(lower, end) {
				continue
			}
			hits = append(hits, hit{at, t.Chinese})
			for k := at; k < end; k++ {
				lower[k] = '#' // claimed: shorter terms inside cannot match
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	var out []string
	seen := map[string]bool{}
	for _, h := range hits {
		if !seen[h.chinese] {
			seen[h.chinese] = true
			out = append(out, h.chinese)
		}
	}
	return out
}

// wordEdge reports whether position i of s is outside a word: the start or
// end of the text, or a character that is not a letter, digit, '-' or '_'.
func wordEdge(s []byte, i int) bool {
	if i < 0 || i >= len(s) {
		return true
	}
	c := s[i]
	return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '#')
}

// Annotate returns text followed by the Chinese terms of the domain
// objects it names, as "text（数据资源、公示期）", or text unchanged if it
// names none.
func Annotate(text string) string {
	terms := Find(text)
	if len(terms) == 0 {
		return text
	}
	return text + "（" + strings.Join(terms, "、") + "）"
}
