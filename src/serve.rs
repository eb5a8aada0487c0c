//! The preview server behind `briefing serve`: serves the output folder over HTTP on
//! loopback, and pushes "reload" and "build failed" events to open pages over
//! server-sent events.
//!
//! It serves only files inside the output folder: request paths are percent-decoded,
//! then any `.`/`..` segment, backslash or NUL is refused before the path is joined. A
//! small script is injected into served HTML pages only (never into `build` output):
//! it reloads the page after a rebuild and shows build errors as an overlay.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

/// The path of the event stream.
pub const EVENTS_PATH: &str = "/__briefing/events";

/// What open pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The site was rebuilt: reload.
    Reload,
    /// The last rebuild failed: show this text (file, line, message) over the page.
    Failed(String),
}

/// Shared state of the server.
pub struct Preview {
    output: PathBuf,
    notices: broadcast::Sender<Notice>,
    failure: Mutex<Option<String>>,
}

impl Preview {
    /// A server for `output`.
    pub fn new(output: &Path) -> Arc<Preview> {
        let (notices, _) = broadcast::channel(16);
        Arc::new(Preview {
            output: output.to_path_buf(),
            notices,
            failure: Mutex::new(None),
        })
    }

    /// Tells open pages about a rebuild that succeeded.
    pub fn rebuilt(&self) {
        *self.failure.lock().expect("no panics while locked") = None;
        let _ = self.notices.send(Notice::Reload);
    }

    /// Tells open pages (and pages opened later) that a rebuild failed.
    pub fn failed(&self, report: String) {
        *self.failure.lock().expect("no panics while locked") = Some(report.clone());
        let _ = self.notices.send(Notice::Failed(report));
    }
}

/// The HTTP routes: the event stream, and every other path as a file of the output.
pub fn router(preview: Arc<Preview>) -> Router {
    Router::new()
        .route(EVENTS_PATH, axum::routing::get(events))
        .fallback(file)
        .with_state(preview)
}

async fn events(State(preview): State<Arc<Preview>>) -> impl IntoResponse {
    let receiver = preview.notices.subscribe();
    let current = preview
        .failure
        .lock()
        .expect("no panics while locked")
        .clone();
    let first = current.map(Notice::Failed);
    let stream =
        futures_util::stream::unfold((first, receiver), |(first, mut receiver)| async move {
            let notice = match first {
                Some(n) => n,
                None => loop {
                    match receiver.recv().await {
                        Ok(n) => break n,
                        Err(broadcast::error::RecvError::Lagged(_)) => continue,
                        Err(broadcast::error::RecvError::Closed) => return None,
                    }
                },
            };
            let event = match notice {
                Notice::Reload => Event::default().event("reload").data("reload"),
                Notice::Failed(text) => Event::default().event("build-error").data(text),
            };
            Some((Ok::<_, std::convert::Infallible>(event), (None, receiver)))
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn file(State(preview): State<Arc<Preview>>, uri: Uri) -> Response {
    let Some(rel) = safe_request_path(uri.path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad request path\n");
    };
    let mut path = preview.output.join(&rel);
    if path.is_dir() {
        if !rel.is_empty() && !uri.path().ends_with('/') {
            // Relative links inside the page need the trailing slash.
            let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
            if let Ok(location) = HeaderValue::from_str(&format!("{}/", uri.path())) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            return response;
        }
        path = path.join("index.html");
    }
    let Ok(bytes) = tokio::fs::read(&path).await else {
        if rel == "favicon.ico" {
            // Browsers ask for one on pages that are not HTML (the Markdown timelines);
            // the site has none, and saying so without a 404 keeps consoles clean.
            return StatusCode::NO_CONTENT.into_response();
        }
        let page = inject(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><main><h1>Not found</h1><p>No such page in the output folder. <a href=\"/index.html\">Home</a></p></main></body></html>",
        );
        let mut response = (StatusCode::NOT_FOUND, page).into_response();
        set_type(&mut response, "text/html; charset=utf-8");
        return response;
    };
    let kind = content_type(&path);
    let body = if kind.starts_with("text/html") {
        Body::from(inject(&String::from_utf8_lossy(&bytes)))
    } else {
        Body::from(bytes)
    };
    let mut response = Response::new(body);
    set_type(&mut response, kind);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    set_type(&mut response, "text/plain; charset=utf-8");
    response
}

fn set_type(response: &mut Response, kind: &'static str) {
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
}

/// The file path a request path names, relative to the output folder, or `None` when it
/// could leave the folder: percent-decoded, then refused if any segment is `.` or `..`,
/// or it holds a backslash or NUL. `/` and `/dir/` name `index.html` files.
pub fn safe_request_path(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return None,
            s => parts.push(s),
        }
    }
    let mut rel = parts.join("/");
    if decoded.ends_with('/') && !rel.is_empty() {
        rel.push_str("/index.html");
    }
    Some(rel)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type of a file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/atom+xml",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The live-reload script, injected before `</body>` of served HTML pages.
const RELOAD_SCRIPT: &str = r#"<script>
(function () {
  var source = new EventSource("/__briefing/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("build-error", function (e) {
    var box = document.getElementById("briefing-build-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "briefing-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;" +
        "background:#fff;color:#8a1111;border:3px solid #8a1111;padding:1rem;z-index:2147483647;" +
        "font:14px/1.4 ui-monospace,monospace;white-space:pre-wrap;box-shadow:0 4px 24px rgba(0,0,0,.3)";
      document.body.appendChild(box);
    }
    box.textContent = "briefing: the last rebuild failed; this page is the last good build.\n\n" + e.data;
  });
})();
</script>"#;

fn inject(html: &str) -> String {
    match html.rfind("</body>") {
        Some(i) => format!("{}{RELOAD_SCRIPT}\n{}", &html[..i], &html[i..]),
        None => format!("{html}{RELOAD_SCRIPT}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("/", Some(""))]
    #[test_case("/index.html", Some("index.html"))]
    #[test_case("/topics/isis/", Some("topics/isis/index.html"))]
    #[test_case("/a%20b.html", Some("a b.html"))]
    #[test_case("/../Cargo.toml", None)]
    #[test_case("/%2e%2e/briefing.yaml", None)]
    #[test_case("/%2E%2E%2Fbriefing.yaml", None)]
    #[test_case("/topics/..%2f..%2fsecret", None)]
    #[test_case("/a/./b", None)]
    #[test_case("/..%5c..%5csecret", None)]
    #[test_case("/%00", None)]
    #[test_case("/%zz", None)]
    #[test_case("//etc/passwd", Some("etc/passwd"))]
    fn request_paths(path: &str, expected: Option<&str>) {
        assert_eq!(safe_request_path(path).as_deref(), expected, "{path}");
    }

    #[test]
    fn injects_before_body_end() {
        let html = inject("<html><body><p>x</p></body></html>");
        assert!(html.contains("EventSource"));
        assert!(html.ends_with("</script>\n</body></html>"));
    }
}
