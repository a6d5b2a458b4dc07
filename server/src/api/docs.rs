//! `/api/docs`: the OpenAPI document (`/api/openapi.json`) as a page people can read, rendered
//! here from the same document: every route with its parameters, body, answers and
//! permissions, then the schemas. Plain HTML with its own small style sheet: nothing is
//! fetched from anywhere, so it works offline and behind any firewall.

use std::fmt::Write;
use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use serde_json::Value;

use super::openapi::ApiDocument;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

const STYLE: &str = "
:root { color-scheme: light dark; --bg: #f7f7f9; --surface: #fff; --text: #16181d; --muted: #5c6370;
  --border: #dfe1e6; --accent: #4338ca; font-family: system-ui, sans-serif; line-height: 1.5; }
@media (prefers-color-scheme: dark) { :root { --bg: #101216; --surface: #181b21; --text: #e8eaef;
  --muted: #9aa2b1; --border: #2c313a; --accent: #a5b4fc; } }
body { margin: 0; background: var(--bg); color: var(--text); }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
pre { background: var(--surface); border: 1px solid var(--border); border-radius: 8px; padding: 0.75rem; overflow-x: auto; }
section.operation { background: var(--surface); border: 1px solid var(--border); border-radius: 10px; padding: 0.5rem 1.25rem 1rem; margin: 1rem 0; }
.method { display: inline-block; min-width: 4.5rem; font-weight: 700; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--border); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
.muted { color: var(--muted); }
nav ul { columns: 2; padding-left: 1.2rem; }
@media (max-width: 40rem) { nav ul { columns: 1; } }
";

/// The page, rendered once at start-up with the document (`ApiDocument`).
#[utoipa::path(get, path = "/api/docs", tag = "system",
    responses((status = 200, description = "This document as a page people can read", content_type = "text/html")))]
pub async fn page(Extension(document): Extension<Arc<ApiDocument>>) -> Response {
    let mut response = Html(document.html.clone()).into_response();
    // Only its own inline style; no script at all. (Long `<pre>` blocks scroll sideways, so they
    // take keyboard focus.)
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ),
    );
    response
}

/// `<`, `>`, `&`, `"` and `'` as entities.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Markdown's inline code (`like this`) as `<code>`, the rest escaped.
fn prose(text: &str) -> String {
    escape(text)
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_owned()
            }
        })
        .collect()
}

/// A schema as a short name: a link to it for `$ref`, else its type.
fn schema_name(schema: Option<&Value>) -> String {
    let Some(schema) = schema else {
        return String::new();
    };
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return format!("<a href=\"#schema-{0}\"><code>{0}</code></a>", escape(name));
    }
    if let Some(items) = schema.get("items") {
        return format!("array of {}", schema_name(Some(items)));
    }
    match schema.get("type") {
        Some(Value::String(kind)) => format!("<code>{}</code>", escape(kind)),
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .map(|k| format!("<code>{}</code>", escape(k)))
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "<code>object</code>".into(),
    }
}

/// The schemas of a `content` map (`{"application/json": {"schema": …}}`), with media types.
fn content(value: Option<&Value>) -> String {
    value
        .and_then(Value::as_object)
        .map(|media| {
            media
                .iter()
                .map(|(kind, body)| {
                    format!(
                        "{} <span class=\"muted\">({})</span>",
                        schema_name(body.get("schema")),
                        escape(kind)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

pub fn render(document: &Value) -> String {
    let info = document.get("info").cloned().unwrap_or(Value::Null);
    let title = escape(text(&info, "title"));
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} reference</title><style>{STYLE}</style></head><body><main>\
         <p><a href=\"/settings/tokens\">← API Tokens</a></p>\
         <h1>{title} <span class=\"muted\">{}</span></h1><p>{}</p>\
         <p>The same document as JSON, for code generators and tools: \
         <a href=\"/api/openapi.json\"><code>/api/openapi.json</code></a>.</p>\
         <h2>Authentication</h2>\
         <p>Every call but the public ones sends an API token: \
         <code>Authorization: Bearer tsr_…</code>. Keep the token in the \
         <code>TESSERA_API_TOKEN</code> environment variable, for example:</p>\
         <pre tabindex=\"0\">curl -H \"Authorization: Bearer $TESSERA_API_TOKEN\" &lt;this server&gt;/api/tokens/self</pre>",
        escape(text(&info, "version")),
        prose(text(&info, "description")),
    );

    let paths = document.get("paths").and_then(Value::as_object);
    let operations: Vec<(&str, &String, &Value)> = paths
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter_map(move |method| item.get(*method).map(|op| (*method, path, op)))
        })
        .collect();

    html.push_str("<nav aria-label=\"Routes\"><h2>Routes</h2><ul>");
    for (method, path, op) in &operations {
        let _ = write!(
            html,
            "<li><a href=\"#{}\"><code>{} {}</code></a></li>",
            escape(text(op, "operationId")),
            method.to_uppercase(),
            escape(path)
        );
    }
    html.push_str("</ul></nav>");

    for (method, path, op) in &operations {
        render_operation(&mut html, method, path, op);
    }

    html.push_str("<h2>Schemas</h2>");
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        let pretty = serde_json::to_string_pretty(schema).unwrap_or_default();
        let _ = write!(
            html,
            "<h3 id=\"schema-{0}\"><code>{0}</code></h3><p>{1}</p>\
             <pre tabindex=\"0\" aria-label=\"{0} schema\">{2}</pre>",
            escape(name),
            prose(text(schema, "description")),
            escape(&pretty)
        );
    }
    html.push_str("</main></body></html>");
    html
}

fn render_operation(html: &mut String, method: &str, path: &str, op: &Value) {
    let public = op
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|rules| {
            rules
                .iter()
                .any(|rule| rule.as_object().is_some_and(|r| r.is_empty()))
        });
    let _ = write!(
        html,
        "<section class=\"operation\" id=\"{}\" aria-labelledby=\"{0}-title\">\
         <h3 id=\"{0}-title\"><span class=\"method\">{}</span> <code>{}</code></h3>\
         <p><strong>{}</strong></p><p>{}</p><p class=\"muted\">{}</p>",
        escape(text(op, "operationId")),
        method.to_uppercase(),
        escape(path),
        prose(text(op, "summary")),
        prose(text(op, "description")),
        if public {
            "No token needed."
        } else {
            "Needs a token."
        },
    );
    if let Some(parameters) = op.get("parameters").and_then(Value::as_array) {
        html.push_str("<table><caption class=\"muted\">Parameters</caption><thead><tr><th scope=\"col\">name</th><th scope=\"col\">in</th><th scope=\"col\">type</th><th scope=\"col\">meaning</th></tr></thead><tbody>");
        for parameter in parameters {
            let required = parameter.get("required").and_then(Value::as_bool) == Some(true);
            let _ = write!(
                html,
                "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(text(parameter, "name")),
                if required { " (required)" } else { "" },
                escape(text(parameter, "in")),
                schema_name(parameter.get("schema")),
                prose(text(parameter, "description")),
            );
        }
        html.push_str("</tbody></table>");
    }
    if let Some(body) = op.get("requestBody") {
        let _ = write!(html, "<p>Body: {}</p>", content(body.get("content")));
    }
    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
        html.push_str("<table><caption class=\"muted\">Answers</caption><thead><tr><th scope=\"col\">status</th><th scope=\"col\">meaning</th><th scope=\"col\">body</th></tr></thead><tbody>");
        for (status, response) in responses {
            let _ = write!(
                html,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                escape(status),
                prose(text(response, "description")),
                content(response.get("content")),
            );
        }
        html.push_str("</tbody></table>");
    }
    html.push_str("</section>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(prose("send `a<b` now"), "send <code>a&lt;b</code> now");
    }
}
