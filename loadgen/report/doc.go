// Package report turns the load generator's result lines into the
// benchmark's outputs: the ours-versus-kvstore comparisons, a table, the
// results JSON and an SVG bar chart.
package report
