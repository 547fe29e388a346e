package e2e_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stancegraph/stancegraph/server"
	"github.com/stancegraph/stancegraph/store/memstore"
)

// chromium returns the headless browser the browser test drives: the
// STANCEGRAPH_CHROMIUM binary, or chromium from PATH (Debian's package;
// scripts/test.sh installs it). Without one the test skips, and fails
// under CI=true.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("STANCEGRAPH_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but no chromium on PATH: the browser test must run in CI (scripts/test.sh installs the chromium package)")
	}
	t.Skip("no chromium on PATH (apt-get install chromium, or set STANCEGRAPH_CHROMIUM)")
	return ""
}

// artifacts is the directory the browser test writes its screenshots to:
// STANCEGRAPH_ARTIFACTS, or e2e/testdata/artifacts (git-ignored).
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("STANCEGRAPH_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// offHost records the requests of the page that leave 127.0.0.1; the
// browser is made to fail them.
type offHost struct {
	mu   sync.Mutex
	urls []string
}

func (o *offHost) add(u string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.urls = append(o.urls, u)
}

func (o *offHost) list() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.urls...)
}

// local reports whether a request stays on this machine's test server.
func local(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "blob", "about":
		return true
	case "http", "https", "ws", "wss":
		return u.Hostname() == "127.0.0.1"
	}
	return false
}

// TestBrowser_PlaygroundAndExplore opens the playground in headless
// Chromium, runs the README's first question and finds Anthropic in the
// response pane; then opens the explore page of trusted-partner-designation
// and finds both backers in its stance map. Any request of the page that
// would leave 127.0.0.1 fails the test (and is refused by the browser).
func TestBrowser_PlaygroundAndExplore(t *testing.T) {
	bin := chromium(t)
	dir := artifacts(t)

	s := memstore.OpenMemory()
	t.Cleanup(func() { s.Close() })
	mustSeed(t, s)
	srv := httptest.NewServer(server.New(s, server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Belt and braces: no host name resolves, so nothing can leak even
		// past the checks below.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()

	// Watch every request of the tab, and hold each at the Fetch stage:
	// local ones go on, others are failed and recorded. The page's CSP is
	// bypassed so that it cannot hide a request from these checks.
	var off offHost
	sent := chromedp.Events(ctx, network.RequestWillBeSent)
	sockets := chromedp.Events(ctx, network.WebSocketCreated)
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	thrown := chromedp.Events(ctx, runtime.ExceptionThrown)
	var exMu sync.Mutex
	var exceptions []string
	// The headers pane opens with an empty bearer token, which the page
	// must not send.
	var queries atomic.Int32
	var sentAuth atomic.Value
	go func() {
		for ev, err := range sent {
			if err != nil {
				return
			}
			if !local(ev.Request.URL) {
				off.add(ev.Request.URL)
			}
			if strings.HasSuffix(ev.Request.URL, "/query") && ev.Request.Method == "POST" {
				queries.Add(1)
				for k, v := range ev.Request.Headers {
					if strings.EqualFold(k, "Authorization") {
						sentAuth.Store(fmt.Sprint(v))
					}
				}
			}
		}
	}()
	go func() {
		for ev, err := range sockets {
			if err != nil {
				return
			}
			if !local(ev.URL) {
				off.add(ev.URL)
			}
		}
	}()
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			if local(ev.Request.URL) {
				_, _ = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
				continue
			}
			off.add(ev.Request.URL)
			_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
		}
	}()
	go func() {
		for ev, err := range thrown {
			if err != nil {
				return
			}
			exMu.Lock()
			exceptions = append(exceptions, ev.ExceptionDetails.Text+" "+exceptionDescription(ev.ExceptionDetails))
			exMu.Unlock()
		}
	}()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	// Each page gets its own deadline, so a blank playground fails in
	// time and does not take the explore page down with it.
	const pageTimeout = 45 * time.Second

	shot := func(name string) chromedp.Action[chromedp.Void] {
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			png, err := chromedp.FullScreenshot(100)(ctx, tg) // 100: PNG
			if err != nil {
				return chromedp.Void{}, err
			}
			path := filepath.Join(dir, name)
			t.Logf("screenshot: %s", path)
			return chromedp.Void{}, os.WriteFile(path, png, 0o644)
		}
	}

	t.Run("Playground", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(ctx, pageTimeout)
		defer cancel()
		err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/"),
			// GraphiQL has rendered when its query editor (Monaco) shows the
			// README's first question.
			chromedp.WaitVisible(chromedp.CSS(`.graphiql-container .graphiql-query-editor .monaco-editor .view-lines`)),
			pollText(`.graphiql-query-editor .view-lines`, "trusted-partner-designation"),
			shot("playground-open.png"),
			chromedp.Click(chromedp.CSS(`.graphiql-execute-button`)),
			pollText(`.graphiql-response .view-lines`, "Anthropic"),
			shot("playground-backers.png"),
		)
		editor, _ := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(`.graphiql-query-editor .view-lines`)))
		response, _ := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(`.graphiql-response .view-lines`)))
		// Monaco renders spaces as no-break spaces.
		editor, response = strings.ReplaceAll(editor, "\u00a0", " "), strings.ReplaceAll(response, "\u00a0", " ")
		if err != nil {
			// A fresh deadline, so that the failure is photographed.
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			_ = chromedp.Do(sctx, shot("playground-failure.png"))
			t.Fatalf("playground: %v (editor %q, response %q)", err, editor, response)
		}
		if !strings.Contains(editor, "backers") {
			t.Errorf("query editor = %q, want the README's backers question", editor)
		}
		for _, want := range []string{"Anthropic", "Amazon Web Services"} {
			if !strings.Contains(response, want) {
				t.Errorf("response pane = %q, want %q", response, want)
			}
		}
		if queries.Load() == 0 {
			t.Error("no POST to /query was seen")
		}
		if v := sentAuth.Load(); v != nil {
			t.Errorf("the playground sent Authorization: %q with an empty token", v)
		}
	})

	t.Run("Explore", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(ctx, pageTimeout)
		defer cancel()
		err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/explore/trusted-partner-designation"),
			chromedp.WaitVisible(chromedp.CSS(`#stance-map-svg svg`)),
			shot("explore-trusted-partner-designation.png"),
		)
		if err != nil {
			t.Fatalf("explore page: %v", err)
		}
		title, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(`h1`)))
		if err != nil {
			t.Fatal(err)
		}
		stanceMap, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(`#stance-map-svg svg`)))
		if err != nil {
			t.Fatal(err)
		}
		edges, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#stance-map-svg svg g.edge').length`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(title, "Trusted partner designation") {
			t.Errorf("h1 = %q", title)
		}
		for _, want := range []string{"Anthropic", "Amazon Web Services"} {
			if !strings.Contains(stanceMap, want) {
				t.Errorf("stance map SVG text = %q, want %q", stanceMap, want)
			}
		}
		if edges < 2 {
			t.Errorf("stance map has %d edges, want one per backer's position (2)", edges)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/explore/no-such-entity"), shot("explore-not-found.png")); err != nil {
			t.Fatal(err)
		}
		notFound, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(`#message`)))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(notFound, "no-such-entity") {
			t.Errorf("404 page message = %q", notFound)
		}
	})

	if urls := off.list(); len(urls) > 0 {
		t.Errorf("the pages requested %d URLs off 127.0.0.1, first %v", len(urls), urls[:min(len(urls), 5)])
	}
	exMu.Lock()
	defer exMu.Unlock()
	if len(exceptions) > 0 {
		t.Errorf("uncaught exceptions in the pages: %v", exceptions)
	}
}

// pollText waits until the text of the element sel contains want.
func pollText(sel, want string) chromedp.Action[chromedp.Void] {
	js := fmt.Sprintf(`((document.querySelector(%q) || {}).textContent || '').includes(%q)`, sel, want)
	return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(30*time.Second))
}

func exceptionDescription(d *runtime.ExceptionDetails) string {
	if d.Exception != nil {
		return d.Exception.Description
	}
	return ""
}
