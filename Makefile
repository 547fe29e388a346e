# stancegraph: the two commands a newcomer needs are `make run` and `make test`.
GO ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run test test-go generate check-generate lint bench neo4j-up neo4j-down

## run: serve the seeded embedded store with the playground at http://localhost:8080
## (another address: make run ADDR=:9090, or STANCEGRAPH_ADDR; more flags: ARGS='--memory')
ADDR ?=
ARGS ?=
run:
	$(GO) run ./cmd/stancegraph serve $(if $(ADDR),--addr $(ADDR)) $(ARGS)

## test: lint, then every test with -race; starts a real Neo4j when Java and Maven exist
test:
	bash scripts/test.sh

## generate: regenerate the GraphQL executor and models from schema/
generate:
	$(GO) generate ./...

## check-generate: fail if `go generate ./...` changes a file
check-generate:
	bash scripts/check-generate.sh

## lint: gofmt, go vet, staticcheck
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

## bench: the harness of BENCHMARKS.md ("Harness (make bench)"): both backends through HTTP
## at 10k, 100k and 1M positions with their floors, about 30 minutes; not part of `make test`.
## A quick run: make bench SIZES=10k BENCHFLAGS='--duration 2s --out -'
SIZES ?= 10k,100k,1M
BENCHFLAGS ?=
bench:
	$(GO) run ./bench --sizes $(SIZES) $(BENCHFLAGS)

## neo4j-up / neo4j-down: a real Neo4j 5.26 on bolt://127.0.0.1:7687 (no Docker)
neo4j-up:
	bash scripts/neo4j.sh up

neo4j-down:
	bash scripts/neo4j.sh down
