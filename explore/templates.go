package explore

import (
	"html/template"
	"strings"
)

var funcs = template.FuncMap{
	"lower": strings.ToLower,
	"name": func(names map[string]string, id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		return id
	},
	"page":   PagePath,
	"isHTTP": safeURL,
}

const style = `<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f1f1f; background: #fff; }
header, main { padding: 0 1.5em; }
header { border-bottom: 1px solid #ddd; background: #f7f7f9; padding-top: 0.6em; padding-bottom: 0.6em; }
nav a, main a { color: #0b57d0; }
h1 { font-size: 1.5em; margin: 0.3em 0 0.1em; }
h2 { font-size: 1.15em; margin-top: 1.4em; }
.kind { display: inline-block; font-size: 0.8em; padding: 0.1em 0.5em; border-radius: 0.8em; background: #eee; }
.id { color: #555; font-family: ui-monospace, monospace; }
figure { margin: 0.5em 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
.supports { color: #2e7d32; font-weight: 600; }
.opposes { color: #c62828; font-weight: 600; }
li { margin: 0.3em 0; }
.quote { font-style: italic; }
.muted { color: #666; font-size: 0.9em; }
</style>`

var pageTemplate = template.Must(template.New("explore").Funcs(funcs).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Entity.Name}} · stancegraph</title>
` + style + `
</head>
<body>
<header>
<nav><a href="{{.Playground}}">← GraphQL playground</a></nav>
<h1>{{.Entity.Name}}</h1>
<div><span class="kind">{{.Kind}}</span> <span class="id">{{.Entity.ID}}</span>{{if isHTTP .Entity.URL}} · <a href="{{.Entity.URL}}" rel="noopener noreferrer">{{.Entity.URL}}</a>{{end}}</div>
{{with .Entity.Summary}}<p>{{.}}</p>{{end}}{{with .Entity.Description}}<p>{{.}}</p>{{end}}
</header>
<main>
{{if .StanceMap}}
<h2 id="stance-map">Stance map</h2>
<p class="muted">One edge per position: green supports, red opposes, wider for a strongly stated stance. Hover over an edge for its quote; click it for its source.</p>
<figure id="stance-map-svg">{{.StanceMap}}</figure>
{{if .Positions}}
<h2 id="positions">Positions</h2>
<ul>
{{range .Positions}}<li><a href="{{page .ActorID}}">{{name $.Names .ActorID}}</a> <span class="{{lower (print .Stance)}}">{{lower (print .Stance)}}</span> <a href="{{page .TargetID}}">{{name $.Names .TargetID}}</a>{{if ge .Strength 2}} (strongly){{end}}{{with .Quote}}: <span class="quote">“{{.}}”</span>{{end}}{{with .Condition}}; on condition: <span class="quote">“{{.}}”</span>{{end}} <span class="muted">(<a href="{{page .SourceID}}">{{name $.Names .SourceID}}</a>{{if .StatedAt}}, {{.Stated}}{{end}})</span></li>
{{end}}</ul>
{{with .MorePositions}}<p class="muted">and {{.}} more positions: ask the playground for all of them.</p>{{end}}
{{else}}<p class="muted">No positions recorded.</p>{{end}}
{{end}}
<h2 id="neighbourhood">Neighbourhood</h2>
<p class="muted">Depth: {{range .Depths}}{{if eq . $.Depth}}<strong>{{.}}</strong>{{else}}<a href="?depth={{.}}#neighbourhood">{{.}}</a>{{end}} {{end}}
· download <a href="/export/svg?center={{.Entity.ID}}&amp;depth={{.Depth}}">SVG</a> or <a href="/export/dot?center={{.Entity.ID}}&amp;depth={{.Depth}}">DOT</a>
{{if .StanceMap}}· stance map as <a href="/export/svg?center={{.Entity.ID}}&amp;drawing=stance">SVG</a>{{end}}</p>
<figure id="neighbourhood-svg">{{.Nearby}}</figure>
</main>
</body>
</html>
`))

var errorTemplate = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Status}} {{.Title}} · stancegraph</title>
` + style + `
</head>
<body>
<header><nav><a href="{{.Playground}}">← GraphQL playground</a></nav>
<h1>{{.Status}}: {{.Title}}</h1></header>
<main>
<p id="message">{{.Message}}</p>
{{if .NotFound}}<p>Ids are lower-case slugs such as <a href="/explore/anthropic">anthropic</a> or <a href="/explore/trusted-partner-designation">trusted-partner-designation</a>. Find one with the playground's <code>search(query: "…")</code>.</p>{{end}}
</main>
</body>
</html>
`))
