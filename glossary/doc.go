// Package glossary maps the ledger's English domain terms to the official
// Chinese terms of the city's data-rights reform (SPEC.md's glossary and
// the reform plan): 数据资源持有权, 数据加工使用权, 数据产品经营权,
// 公共数据授权运营, 公示期, 异议, 分类分级 and the rest.
//
// The ledger itself speaks English: registered errors, event types and
// logs are stable strings that results hashes commit to. The command line
// adds the Chinese term beside the English one where a person reads it:
// the help of domain commands carries it in the text, and an error names
// the Chinese term of each domain object its stable English message names
// (Annotate).
package glossary
