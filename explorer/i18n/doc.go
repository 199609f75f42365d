// Package i18n is the explorer's message catalogue: every word the
// auditor's web view shows, in Chinese (the default) and English, in one
// table. Domain words use the city's official terms (数据资源持有权,
// 数据加工使用权, 数据产品经营权, 授权运营, 公示期, 异议, 分类分级,
// 反哺公共服务 ...), the words of the Bazhong reform plan and SPEC.md's
// glossary.
//
// Keys are stable identifiers: page words are dotted ("nav.search"),
// protobuf field labels are "f.<field_name>", and enum values are their
// protobuf names ("RIGHT_KIND_USE"), so an enum prints through T without a
// per-page mapping. A key the catalogue lacks prints as itself, which the
// tests forbid for every key the explorer uses.
package i18n
