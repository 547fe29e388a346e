// Package stancegraph is the domain of a knowledge graph of policy debates:
// actors (companies, agencies, trade associations, people, governments)
// take SUPPORTS / OPPOSES positions on policy proposals and programs, and
// every position carries its evidence, a quote from a source document with
// its date.
//
// The package holds the domain types and their validation, the Store
// interface the backends implement (store/memstore, store/neo4jstore), the
// coded errors every layer speaks, and the queries computed over any Store.
package stancegraph
