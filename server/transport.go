package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/graph"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Media types of GraphQL over HTTP.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// CodeBadRequest is the extensions.code of an HTTP request that is not a
// GraphQL-over-HTTP request: unreadable JSON, parameters of the wrong type,
// a missing query, an unsupported media type.
const CodeBadRequest = "BAD_REQUEST"

// httpTransport serves GraphQL over HTTP (GET and POST with JSON) as the
// GraphQL-over-HTTP specification says:
//
//   - the response is application/graphql-response+json when the client
//     accepts it, else application/json (also when Accept is missing);
//   - malformed requests get 400, a body over the limit 413, a body that is
//     not JSON 415, a mutation over GET 405;
//   - a request error (parse, validation, variables, limits, auth) has no
//     data entry and, for application/graphql-response+json, a 4xx status;
//     with application/json every well-formed request gets 200.
//
// SSE and WebSocket requests go to gqlgen's transports, which come first.
type httpTransport struct{}

var _ graphql.Transport = httpTransport{}

func (httpTransport) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == "" && (r.Method == http.MethodGet || r.Method == http.MethodPost)
}

// requestError is a refusal before GraphQL sees the request.
type requestError struct {
	status int
	code   string // CodeBadRequest when empty
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func badRequest(format string, args ...any) *requestError {
	return &requestError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func (httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		writeResponse(w, mediaJSON, http.StatusNotAcceptable, requestFailure(CodeBadRequest,
			"the server answers with application/graphql-response+json or application/json only"))
		return
	}
	start := graphql.Now()
	params, rerr := decodeRequest(r)
	if rerr != nil {
		code := CodeBadRequest
		switch {
		case rerr.code != "":
			code = rerr.code
		case rerr.status == http.StatusRequestEntityTooLarge:
			code = CodeBodyTooLarge
		}
		writeResponse(w, media, rerr.status, requestFailure(code, rerr.msg))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	ctx, mark := graph.WithPlainMark(r.Context())
	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		recodeLimitErrors(errs)
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs)
		writeResponse(w, media, requestErrorStatus(media, resp.Errors), resp)
		return
	}
	if r.Method == http.MethodGet && opCtx.Operation.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		writeResponse(w, media, http.StatusMethodNotAllowed, requestFailure(CodeBadRequest,
			"GET requests can only run queries; send a "+string(opCtx.Operation.Operation)+" with POST"))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	resp := responses(ctx)
	status := http.StatusOK
	if resp.Data == nil && len(resp.Errors) > 0 {
		// Refused before execution, e.g. a mutation without a write token.
		status = requestErrorStatus(media, resp.Errors)
	}
	if len(resp.Errors) == 0 && len(resp.Extensions) == 0 && mark.Plain(resp.Data) {
		// A direct answer that json.Marshal would copy as it is: written
		// without checking so, byte by byte.
		writeData(w, media, status, resp.Data)
		return
	}
	writeResponse(w, media, status, resp)
}

// requestErrorStatus is the status of a response to a request that failed
// before execution.
func requestErrorStatus(media string, errs gqlerror.List) int {
	if media == mediaJSON {
		return http.StatusOK
	}
	for _, e := range errs {
		switch e.Extensions["code"] {
		case stancegraph.EUNAUTHORIZED:
			return http.StatusUnauthorized
		case stancegraph.EFORBIDDEN:
			return http.StatusForbidden
		}
	}
	return http.StatusBadRequest
}

func requestFailure(code, msg string) *graphql.Response {
	err := &gqlerror.Error{Message: msg}
	errcode.Set(err, code)
	return &graphql.Response{Errors: gqlerror.List{err}}
}

// wireResponse is graphql.Response without a data entry when there is no
// data: a request error must not carry one.
type wireResponse struct {
	Errors     gqlerror.List   `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

func writeResponse(w http.ResponseWriter, media string, status int, resp *graphql.Response) {
	if plainData(resp) {
		writeData(w, media, status, resp.Data)
		return
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	b, err := wireBytes(resp)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeData writes a response of data alone that json.Marshal would copy
// as it is, in place rather than copied into one buffer first: a page of
// positions is tens of kilobytes.
func writeData(w http.ResponseWriter, media string, status int, data []byte) {
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)+len(`{"data":}`)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `{"data":`)
	_, _ = w.Write(data)
	_, _ = io.WriteString(w, `}`)
}

// wireBytes encodes a response as json.Marshal encodes its wireResponse.
// A response of data alone that json.Marshal would copy unchanged (the
// answer of almost every query) is not copied through it: for a page of
// positions that validating copy cost more than writing the page.
func wireBytes(resp *graphql.Response) ([]byte, error) {
	if plainData(resp) {
		b := make([]byte, 0, len(resp.Data)+len(`{"data":}`))
		b = append(b, `{"data":`...)
		b = append(b, resp.Data...)
		return append(b, '}'), nil
	}
	return json.Marshal(wireResponse{Errors: resp.Errors, Data: resp.Data, Extensions: resp.Extensions})
}

// plainData reports whether resp is data alone that json.Marshal would
// write as it is.
func plainData(resp *graphql.Response) bool {
	return len(resp.Errors) == 0 && len(resp.Extensions) == 0 && len(resp.Data) > 0 && unchangedByMarshal(resp.Data)
}

// unchangedByMarshal reports whether json.Marshal would write the raw
// JSON data as it is: compact (no space outside strings) and without the
// characters it escapes (<, > and & for HTML, U+2028 and U+2029 for
// JavaScript). The data is gqlgen's or the direct writer's, both of which
// write JSON by construction; anything unusual takes json.Marshal's path,
// which also validates. Bytes no rule is about are skipped by a table
// look-up: a page of positions is tens of kilobytes of them.
func unchangedByMarshal(data []byte) bool {
	inString, escaped := false, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if !escaped && !wireSpecial[c] {
			continue
		}
		switch {
		case c == '<' || c == '>' || c == '&':
			return false
		case c == 0xE2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xA8 || data[i+2] == 0xA9):
			return false
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			case c < 0x20:
				return false
			}
		case c == '"':
			inString = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			return false
		}
	}
	return !inString
}

// wireSpecial marks the bytes some rule of unchangedByMarshal is about.
var wireSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	for _, c := range []byte{'<', '>', '&', 0xE2, '"', '\\', ' '} {
		t[c] = true
	}
	return t
}()

// negotiate picks the response media type from an Accept header: the
// acceptable one with the highest q, application/graphql-response+json on
// a tie; application/json for a missing header and for wildcards, which
// legacy clients send. It is false when the client accepts neither.
func negotiate(accept string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(v, 64); err != nil || q < 0 || q > 1 {
				continue
			}
		}
		var media string
		switch mt {
		case mediaGraphQLResponse:
			media = mediaGraphQLResponse
		case mediaJSON, "application/*", "*/*":
			media = mediaJSON
		default:
			continue
		}
		if q > bestQ || (q == bestQ && q > 0 && media == mediaGraphQLResponse) {
			best, bestQ = media, q
		}
	}
	return best, bestQ > 0
}

// decodeRequest reads the GraphQL parameters of a GET or POST request.
// POST bodies are bounded by the middleware in front (http.MaxBytesReader).
func decodeRequest(r *http.Request) (*graphql.RawParams, *requestError) {
	if r.Method == http.MethodGet {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, badRequest("the query string is not URL-encoded: %v", err)
		}
		return decodeQueryString(q)
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != mediaJSON {
		return nil, &requestError{status: http.StatusUnsupportedMediaType,
			msg: "POST requests must have Content-Type: application/json"}
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, &requestError{status: http.StatusUnsupportedMediaType, msg: "the request body must be UTF-8"}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, &requestError{status: http.StatusRequestEntityTooLarge,
				msg: fmt.Sprintf("the request body is larger than %d bytes", tooLarge.Limit)}
		}
		return nil, badRequest("the request body could not be read")
	}
	return decodeBody(body)
}

// bodyParams are the parameters of a POST body, raw so that their types
// can be checked.
type bodyParams struct {
	Query         json.RawMessage `json:"query"`
	OperationName json.RawMessage `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

// decodeBody decodes a JSON POST body: an object with a string query (or
// an automatic persisted query in extensions), an optional string
// operationName and optional variables and extensions objects.
func decodeBody(body []byte) (*graphql.RawParams, *requestError) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, badRequest("the request body is empty; send a JSON object with a query")
	}
	var bp bodyParams
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&bp); err != nil {
		return nil, badRequest("the request body is not a JSON object of GraphQL parameters: %v", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("the request body has data after its JSON object")
	}
	p := &graphql.RawParams{}
	var rerr *requestError
	if p.Query, rerr = stringParam("query", bp.Query); rerr != nil {
		return nil, rerr
	}
	if p.OperationName, rerr = stringParam("operationName", bp.OperationName); rerr != nil {
		return nil, rerr
	}
	if p.Variables, rerr = objectParam("variables", bp.Variables); rerr != nil {
		return nil, rerr
	}
	if p.Extensions, rerr = objectParam("extensions", bp.Extensions); rerr != nil {
		return nil, rerr
	}
	return p, checkQueryPresent(p)
}

// decodeQueryString decodes the parameters of a GET request; variables and
// extensions are JSON-encoded.
func decodeQueryString(q url.Values) (*graphql.RawParams, *requestError) {
	for _, vs := range q {
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return nil, &requestError{status: http.StatusBadRequest, code: stancegraph.EINVALID, msg: "the query string is not valid UTF-8"}
			}
		}
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	var rerr *requestError
	if v := q.Get("variables"); v != "" {
		if p.Variables, rerr = objectParam("variables", json.RawMessage(v)); rerr != nil {
			return nil, rerr
		}
	}
	if v := q.Get("extensions"); v != "" {
		if p.Extensions, rerr = objectParam("extensions", json.RawMessage(v)); rerr != nil {
			return nil, rerr
		}
	}
	return p, checkQueryPresent(p)
}

// checkQueryPresent requires a query unless the request names a persisted
// one, which the APQ extension resolves.
func checkQueryPresent(p *graphql.RawParams) *requestError {
	if p.Query != "" {
		return nil
	}
	if _, ok := p.Extensions["persistedQuery"]; ok {
		return nil
	}
	return badRequest("the query parameter is required")
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

func stringParam(name string, raw json.RawMessage) (string, *requestError) {
	if isNull(raw) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", badRequest("the %s parameter must be a string", name)
	}
	return s, nil
}

func objectParam(name string, raw json.RawMessage) (map[string]any, *requestError) {
	if isNull(raw) {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep large integers exact
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, badRequest("the %s parameter must be a JSON object", name)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("the %s parameter must be a JSON object", name)
	}
	return m, nil
}

// jsonProblem describes a JSON error without echoing the body back.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("syntax error at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return "it is a JSON " + typ.Value
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "it ends too early"
	}
	return "it is not valid JSON"
}

// methodNotAllowed answers the requests no other transport serves, such
// as PUT and DELETE: 405 with the methods that are.
type methodNotAllowed struct{}

var _ graphql.Transport = methodNotAllowed{}

func (methodNotAllowed) Supports(*http.Request) bool { return true }

func (methodNotAllowed) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		media = mediaJSON
	}
	w.Header().Set("Allow", "GET, POST, OPTIONS")
	writeResponse(w, media, http.StatusMethodNotAllowed, requestFailure(CodeBadRequest,
		r.Method+" is not allowed here: send GraphQL requests with GET or POST"))
}
