package dataset

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/seed"
)

// NDJSON is one JSON object per line, each with a "type": "entity" (the
// fields of an entity of the seed format), "relation" (the relation type in
// "relation", then from, to, role, title) or "position" (the fields of a
// position). Blank lines are skipped.
//
//	{"type":"entity","id":"openai","kind":"COMPANY","name":"OpenAI"}
//	{"type":"relation","relation":"MEMBER_OF","from":"openai","to":"bsa"}
//	{"type":"position","actor":"openai","target":"x","stance":"SUPPORTS","quote":"…","source":"s","statedAt":"2025-12-13"}

// MaxNDJSONLine bounds one line of NDJSON.
const MaxNDJSONLine = 1 << 20

type ndEntity struct {
	Type string `json:"type"`
	stancegraph.Entity
}

type ndRelation struct {
	Type     string              `json:"type"`
	Relation stancegraph.RelType `json:"relation"`
	From     string              `json:"from"`
	To       string              `json:"to"`
	Role     string              `json:"role,omitempty"`
	Title    string              `json:"title,omitempty"`

	Source            string                    `json:"source,omitempty"`
	Quote             string                    `json:"quote,omitempty"`
	StatedAt          stancegraph.Date          `json:"statedAt,omitempty"`
	StatedAtQualifier stancegraph.DateQualifier `json:"statedAtQualifier,omitempty"`
}

func (v *ndRelation) relation() *stancegraph.Relation {
	return &stancegraph.Relation{Type: v.Relation, From: v.From, To: v.To, Role: v.Role, Title: v.Title,
		SourceID: v.Source, Quote: v.Quote, StatedAt: v.StatedAt, StatedAtQualifier: v.StatedAtQualifier}
}

func ndRelationOf(r *stancegraph.Relation) ndRelation {
	return ndRelation{Type: "relation", Relation: r.Type, From: r.From, To: r.To, Role: r.Role, Title: r.Title,
		Source: r.SourceID, Quote: r.Quote, StatedAt: r.StatedAt, StatedAtQualifier: r.StatedAtQualifier}
}

type ndPosition struct {
	Type string `json:"type"`
	stancegraph.Position
}

var ndTypes = []string{"entity", "relation", "position"}

// NDJSONFile is an NDJSON input read from disk on every pass, so that it
// may be larger than memory.
type NDJSONFile struct {
	Path string
}

// Name implements Source.
func (f *NDJSONFile) Name() string { return f.Path }

// Len implements Source: it counts the lines that are not blank.
func (f *NDJSONFile) Len(ctx context.Context) (int, error) {
	file, err := os.Open(f.Path)
	if err != nil {
		return 0, stancegraph.Errorf(stancegraph.EINVALID, "%s: %v", f.Path, err)
	}
	defer file.Close()
	n := 0
	err = eachLine(ctx, file, func(_ int, line []byte, tooLong bool) error {
		n++
		return nil
	})
	return n, err
}

// Records implements Source.
func (f *NDJSONFile) Records(ctx context.Context, fn func(*Record) error) error {
	file, err := os.Open(f.Path)
	if err != nil {
		return stancegraph.Errorf(stancegraph.EINVALID, "%s: %v", f.Path, err)
	}
	defer file.Close()
	return ReadNDJSON(ctx, f.Path, file, fn)
}

// ReadNDJSON decodes the NDJSON stream r, named name, calling fn with each
// record.
func ReadNDJSON(ctx context.Context, name string, r io.Reader, fn func(*Record) error) error {
	return eachLine(ctx, r, func(n int, line []byte, tooLong bool) error {
		o := Origin{File: name, Line: n}
		if tooLong {
			return fn(problemRecord(o, "", fmt.Sprintf("line longer than %d bytes", MaxNDJSONLine)))
		}
		return fn(decodeNDJSON(o, line))
	})
}

// eachLine calls fn with each line of r that is not blank, and its number.
func eachLine(ctx context.Context, r io.Reader, fn func(n int, line []byte, tooLong bool) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte
	tooLong := false
	for n := 1; ; {
		chunk, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if !tooLong {
				long = append(long, chunk...)
				if len(long) > MaxNDJSONLine {
					tooLong, long = true, long[:0]
				}
			}
			continue
		}
		if err != nil && err != io.EOF {
			return err
		}
		line := chunk
		if len(long) > 0 || tooLong {
			line = append(long, chunk...)
			tooLong = tooLong || len(line) > MaxNDJSONLine
		}
		if len(bytes.TrimSpace(line)) > 0 || tooLong {
			if n%4096 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			if ferr := fn(n, line, tooLong); ferr != nil {
				return ferr
			}
		}
		long, tooLong = long[:0], false
		if err == io.EOF {
			return nil
		}
		n++
	}
}

func problemRecord(o Origin, field, msg string) *Record {
	return &Record{Origin: o, Problem: &Problem{Origin: o, Field: field, Code: stancegraph.EINVALID, Msg: msg}}
}

// decodeNDJSON decodes one line strictly.
func decodeNDJSON(o Origin, line []byte) *Record {
	var probe struct {
		Type *string `json:"type"`
	}
	// Lines as WriteNDJSON writes them say their type first: skip the
	// probe. Any other line is probed; the strict decoding below checks
	// every line in full either way.
	for _, t := range ndTypes {
		if bytes.HasPrefix(line, []byte(`{"type":"`+t+`",`)) {
			probe.Type = &t
			break
		}
	}
	if probe.Type == nil {
		if err := json.Unmarshal(line, &probe); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return problemRecord(o, "", "a line holds one JSON object with a \"type\"")
			}
			return problemRecord(o, "", "not JSON: "+jsonMessage(err))
		}
	}
	if probe.Type == nil {
		return problemRecord(o, "type", `no "type" (entity, relation or position)`)
	}
	var v any
	switch *probe.Type {
	case "entity":
		v = new(ndEntity)
	case "relation":
		v = new(ndRelation)
	case "position":
		v = new(ndPosition)
	default:
		return problemRecord(o, "type", fmt.Sprintf("type %q is not entity, relation or position", *probe.Type))
	}
	if err := strictJSON(line, v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) {
			return problemRecord(o, "", "not JSON: "+jsonMessage(err))
		}
		field := failingField(line, v, err)
		var fields map[string]json.RawMessage
		_ = json.Unmarshal(line, &fields)
		return problemRecord(o, field, seed.JSONFieldMessage(err, fields[field]))
	}
	switch v := v.(type) {
	case *ndEntity:
		return &Record{Origin: o, Entity: &v.Entity}
	case *ndRelation:
		return &Record{Origin: o, Relation: v.relation()}
	default:
		return &Record{Origin: o, Position: &v.(*ndPosition).Position}
	}
}

func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON object")
	}
	return nil
}

// failingField names the field a decoding error is about: decoding each
// field on its own finds it when the error does not say.
func failingField(line []byte, v any, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return jsonField(te.Field)
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return strings.Trim(f, `"`)
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(line, &fields) != nil {
		return ""
	}
	for k, raw := range fields {
		key, _ := json.Marshal(k)
		one := append(append(append(append([]byte("{"), key...), ':'), raw...), '}')
		if json.Unmarshal(one, newLike(v)) != nil {
			return k
		}
	}
	return ""
}

func newLike(v any) any {
	switch v.(type) {
	case *ndEntity:
		return new(ndEntity)
	case *ndRelation:
		return new(ndRelation)
	}
	return new(ndPosition)
}

// jsonMessage is a decoding error in the words of the domain where it has
// them (an enum value that does not exist), else the decoder's.
func jsonMessage(err error) string {
	if stancegraph.ErrorCode(err) != stancegraph.EINTERNAL {
		return stancegraph.ErrorMessage(err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		want := te.Type.String()
		switch te.Type.Kind() {
		case reflect.Int, reflect.Int64:
			want = "a number"
		case reflect.String:
			want = "a string"
		case reflect.Slice:
			want = "a list"
		case reflect.Struct, reflect.Map:
			want = "an object"
		}
		return fmt.Sprintf("%s must be %s, not a JSON %s", jsonField(te.Field), want, te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// jsonField drops the path of embedded structs from a field name, e.g.
// "Position.strength".
func jsonField(f string) string {
	if i := strings.LastIndexByte(f, '.'); i >= 0 {
		return f[i+1:]
	}
	return f
}

// WriteNDJSON writes g as NDJSON: entities, then relations, then
// positions, so that every reference points at a line before it.
func WriteNDJSON(w io.Writer, g *stancegraph.Graph) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, e := range g.Entities {
		if err := enc.Encode(ndEntity{Type: "entity", Entity: *e}); err != nil {
			return err
		}
	}
	for _, r := range g.Relations {
		if err := enc.Encode(ndRelationOf(r)); err != nil {
			return err
		}
	}
	for _, p := range g.Positions {
		if err := enc.Encode(ndPosition{Type: "position", Position: *p}); err != nil {
			return err
		}
	}
	return bw.Flush()
}
