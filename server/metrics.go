package server

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/stancegraph/stancegraph"
	"github.com/stancegraph/stancegraph/graph"
)

// maxOperationNames bounds the operation label: operation names come from
// clients, and every name is a new time series. Past this many distinct
// names, further ones are counted as "other".
const maxOperationNames = 200

// metrics are the server's Prometheus metrics, in a registry of their own.
type metrics struct {
	registry *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	operations   *prometheus.CounterVec
	opDuration   *prometheus.HistogramVec
	errors       *prometheus.CounterVec
	storeCalls   *prometheus.HistogramVec
	storeActive  prometheus.Gauge
	storeUp      prometheus.Gauge

	mu    sync.Mutex
	names map[string]bool
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stancegraph_http_requests_total",
			Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "stancegraph_http_request_duration_seconds",
			Help:    "HTTP request latency by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stancegraph_graphql_operations_total",
			Help: "GraphQL operations by type and name (anonymous, or other past the name limit); type is none when the request failed before an operation was chosen.",
		}, []string{"type", "operation"}),
		opDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "stancegraph_graphql_operation_duration_seconds",
			Help:    "GraphQL operation latency by type and name.",
			Buckets: prometheus.DefBuckets,
		}, []string{"type", "operation"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stancegraph_graphql_errors_total",
			Help: "GraphQL errors by extensions.code.",
		}, []string{"code"}),
		storeCalls: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "stancegraph_store_call_duration_seconds",
			Help:    "Store call latency by method and outcome (ok or the error code).",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "outcome"}),
		storeActive: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "stancegraph_store_calls_in_flight",
			Help: "Store calls running now; with Neo4j each holds a pooled connection, so this is the pool in use.",
		}),
		storeUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "stancegraph_store_up",
			Help: "1 when the last readiness check reached the store, else 0.",
		}),
		names: map[string]bool{},
	}
	m.registry.MustRegister(m.httpRequests, m.httpDuration, m.operations, m.opDuration, m.errors,
		m.storeCalls, m.storeActive, m.storeUp,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, by := range []string{"direct", "resolvers"} {
		m.registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "stancegraph_graphql_query_answers_total",
			Help:        "Query operations by who wrote the answer: direct (straight from the read plan's result) or resolvers (gqlgen's field walk).",
			ConstLabels: prometheus.Labels{"by": by},
		}, func() float64 {
			direct, resolvers := graph.AnswerCounts()
			if by == "direct" {
				return float64(direct)
			}
			return float64(resolvers)
		}))
	}
	return m
}

// statementCounter is a store that counts the statements it sends (Neo4j).
type statementCounter interface{ RoundTrips() int64 }

// countStatements exports how many statements s has sent, so that
// statements per request can be watched from outside: with the one-plan
// read path, a read request is one statement.
func (m *metrics) countStatements(s stancegraph.Store) {
	c, ok := s.(statementCounter)
	if !ok {
		return
	}
	m.registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "stancegraph_store_statements_total",
		Help: "Cypher statements sent to Neo4j, retries included.",
	}, func() float64 { return float64(c.RoundTrips()) }))
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

var operationName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)

// operationLabel bounds the label values that operation names become.
func (m *metrics) operationLabel(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !operationName.MatchString(name) {
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.names[name] {
		if len(m.names) >= maxOperationNames {
			return "other"
		}
		m.names[name] = true
	}
	return name
}

// observe records a finished GraphQL operation.
func (m *metrics) observe(_ context.Context, o Observation) {
	typ := o.Type
	if typ == "" {
		typ = "none"
	}
	name := m.operationLabel(o.Name)
	m.operations.WithLabelValues(typ, name).Inc()
	m.opDuration.WithLabelValues(typ, name).Observe(o.Duration.Seconds())
	for _, c := range o.Codes {
		m.errors.WithLabelValues(c).Inc()
	}
}

// instrument records every request's route, status and latency.
func (m *metrics) instrument(routeOf func(*http.Request) string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec, ok := w.(*statusRecorder)
		if !ok {
			rec = &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		}
		next.ServeHTTP(rec, r)
		// The pattern the mux routes by; unknown paths have none.
		route := routeOf(r)
		if route == "" {
			route = "unmatched"
		}
		m.httpRequests.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Inc()
		m.httpDuration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// instrumentedStore times every call of a store and counts those running.
type instrumentedStore struct {
	stancegraph.Store
	m *metrics
}

var _ stancegraph.Store = instrumentedStore{}

// call starts timing one store call; the function it returns records the
// call with the error *errp holds by then. Use: defer s.call("M", &err)().
func (s instrumentedStore) call(method string, errp *error) func() {
	s.m.storeActive.Inc()
	start := time.Now()
	return func() {
		s.m.storeActive.Dec()
		outcome := "ok"
		if *errp != nil {
			outcome = stancegraph.ErrorCode(*errp)
		}
		s.m.storeCalls.WithLabelValues(method, outcome).Observe(time.Since(start).Seconds())
	}
}

func (s instrumentedStore) UpsertEntity(ctx context.Context, e *stancegraph.Entity) (_ stancegraph.Change, err error) {
	defer s.call("UpsertEntity", &err)()
	return s.Store.UpsertEntity(ctx, e)
}

func (s instrumentedStore) Entities(ctx context.Context, ids []string) (_ []*stancegraph.Entity, err error) {
	defer s.call("Entities", &err)()
	return s.Store.Entities(ctx, ids)
}

func (s instrumentedStore) FindEntities(ctx context.Context, f stancegraph.EntityFilter) (_ []*stancegraph.Entity, _ int, err error) {
	defer s.call("FindEntities", &err)()
	return s.Store.FindEntities(ctx, f)
}

func (s instrumentedStore) DeleteEntity(ctx context.Context, id string) (err error) {
	defer s.call("DeleteEntity", &err)()
	return s.Store.DeleteEntity(ctx, id)
}

func (s instrumentedStore) Search(ctx context.Context, query string, f stancegraph.SearchFilter) (_ []stancegraph.SearchHit, err error) {
	defer s.call("Search", &err)()
	return s.Store.Search(ctx, query, f)
}

func (s instrumentedStore) RecordPosition(ctx context.Context, p *stancegraph.Position) (_ stancegraph.Change, err error) {
	defer s.call("RecordPosition", &err)()
	return s.Store.RecordPosition(ctx, p)
}

func (s instrumentedStore) RetractPosition(ctx context.Context, id string) (err error) {
	defer s.call("RetractPosition", &err)()
	return s.Store.RetractPosition(ctx, id)
}

func (s instrumentedStore) PositionsByID(ctx context.Context, ids []string) (_ []*stancegraph.Position, err error) {
	defer s.call("PositionsByID", &err)()
	return s.Store.PositionsByID(ctx, ids)
}

func (s instrumentedStore) Positions(ctx context.Context, f stancegraph.PositionFilter) (_ []*stancegraph.Position, err error) {
	defer s.call("Positions", &err)()
	return s.Store.Positions(ctx, f)
}

func (s instrumentedStore) Relate(ctx context.Context, r *stancegraph.Relation) (_ stancegraph.Change, err error) {
	defer s.call("Relate", &err)()
	return s.Store.Relate(ctx, r)
}

func (s instrumentedStore) Unrelate(ctx context.Context, typ stancegraph.RelType, from, to string) (err error) {
	defer s.call("Unrelate", &err)()
	return s.Store.Unrelate(ctx, typ, from, to)
}

func (s instrumentedStore) Relations(ctx context.Context, f stancegraph.RelationFilter) (_ []*stancegraph.Relation, err error) {
	defer s.call("Relations", &err)()
	return s.Store.Relations(ctx, f)
}

func (s instrumentedStore) Import(ctx context.Context, g *stancegraph.Graph) (_ stancegraph.ImportResult, err error) {
	defer s.call("Import", &err)()
	return s.Store.Import(ctx, g)
}

func (s instrumentedStore) Read(ctx context.Context, p *stancegraph.Plan) (_ *stancegraph.Result, err error) {
	defer s.call("Read", &err)()
	return s.Store.Read(ctx, p)
}

func (s instrumentedStore) Ping(ctx context.Context) (err error) {
	defer s.call("Ping", &err)()
	return s.Store.Ping(ctx)
}
