package dataset_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stancegraph/stancegraph/dataset"
)

// The parsers never panic, and whatever they accept survives validation
// without panicking either. `go test -fuzz FuzzParseCSV ./dataset` runs one
// for longer.

func validate(t *testing.T, src dataset.Source) {
	s := emptyTarget{}
	_, _ = dataset.Import(context.Background(), src, s, dataset.Options{DryRun: true})
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(baseNodes))
	f.Add([]byte(positionsHeader + "acme,plan,SUPPORTS,1,\"a \"\"quoted\"\" quote\",doc,2025-12-13\n"))
	f.Add([]byte(relationsHeader + "AFFILIATED_WITH,ada,acme,staff,Director\n"))
	f.Add([]byte("\uFEFFid;kind;name\nx;company;X\n"))
	f.Add([]byte("id,kind,name\n\"x,COMPANY,X\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		validate(t, dataset.ParseCSV("f.csv", data))
	})
}

func FuzzReadNDJSON(f *testing.F) {
	f.Add([]byte(`{"type":"entity","id":"acme","kind":"COMPANY","name":"Acme"}` + "\n" +
		`{"type":"position","actor":"acme","target":"plan","stance":"SUPPORTS","quote":"q","source":"doc","statedAt":"2025-12-13"}`))
	f.Add([]byte(`{"type":"relation","relation":"MEMBER_OF","from":"a","to":"b"}` + "\n\n{}\n[1]\n"))
	f.Add([]byte(`{"type":"entity","kind":7}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := &collect{}
		if err := dataset.ReadNDJSON(context.Background(), "f.ndjson", bytes.NewReader(data), d.add); err != nil {
			t.Fatal(err)
		}
		validate(t, d)
	})
}

func FuzzParseSeed(f *testing.F) {
	f.Add("g.yaml", []byte("entities:\n  - id: acme\n    kind: COMPANY\n    name: Acme\n"))
	f.Add("g.json", []byte(`{"entities": [{"id": "acme", "kind": "COMPANY", "name": "Acme"}], "positions": null}`))
	f.Add("g.yaml", []byte("positions:\n  - ~\n  - actor: a\n"))
	f.Add("g.json", []byte(`{"relations": [{"type": "PART_OF", "from": "a", "to": "b"}]}`))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if name != "g.yaml" {
			name = "g.json"
		}
		validate(t, dataset.ParseSeed(name, data))
	})
}
