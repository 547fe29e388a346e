package stancegraph

//go:generate go tool gqlgen generate
