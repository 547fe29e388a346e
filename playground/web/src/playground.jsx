// The stancegraph playground: GraphiQL over /query, every asset served by
// the stancegraph binary itself (no CDN, no web fonts). The server writes
// the configuration (endpoint, example queries) into the page as JSON.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';
import './playground.css';

// Monaco runs its language services in workers; build.mjs bundles each
// into the same folder as this script.
const base = new URL('.', import.meta.url);
globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const file = label === 'json' ? 'json.worker.js' : label === 'graphql' ? 'graphql.worker.js' : 'editor.worker.js';
    return new Worker(new URL(file, base), { type: 'module' });
  },
};

const config = JSON.parse(document.getElementById('stancegraph-config').textContent);
const endpoint = new URL(config.endpoint, window.location.href);
const wsEndpoint = new URL(endpoint);
wsEndpoint.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

// An Authorization header whose bearer token is still empty (the hint the
// headers pane opens with) is not sent.
function cleanHeaders(headers) {
  const out = {};
  for (const [k, v] of Object.entries(headers || {})) {
    if (k.toLowerCase() === 'authorization' && /^\s*bearer\s*$/i.test(String(v))) continue;
    out[k] = v;
  }
  return out;
}

let headersForSocket = {};
const base_fetcher = createGraphiQLFetcher({
  url: endpoint.href,
  subscriptionUrl: wsEndpoint.href,
  wsConnectionParams: () => headersForSocket,
});

function fetcher(params, opts) {
  const headers = cleanHeaders(opts && opts.headers);
  headersForSocket = headers;
  return base_fetcher(params, { ...opts, headers });
}

const tabs = config.examples.map((e) => ({ query: e.query, headers: config.headers }));

function Playground() {
  return (
    <GraphiQL
      fetcher={fetcher}
      defaultTabs={tabs}
      defaultQuery={config.examples[0].query}
      defaultHeaders={config.headers}
      defaultEditorToolsVisibility="headers"
      isHeadersEditorEnabled={true}
      shouldPersistHeaders={false}
    >
      <GraphiQL.Logo>stancegraph</GraphiQL.Logo>
    </GraphiQL>
  );
}

createRoot(document.getElementById('graphiql')).render(<Playground />);
