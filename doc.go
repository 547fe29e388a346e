// Package stancegraph is the domain of a knowledge graph of policy debates:
// actors (companies, agencies, trade associations, people, governments)
// take SUPPORTS / OPPOSES positions on policy proposals and programs, and
// every position carries its evidence, a quote from a source document with
// its date.
//
// The package is the glossary of the domain: the types with their own
// validation, the read plan and its where language, the Store interface the
// backends implement (store/memstore, store/neo4jstore) and the coded
// errors every layer speaks. What works over them lives with its owner:
// the import checker in ingest, the research queries in analysis, search
// scoring in search.
package stancegraph
