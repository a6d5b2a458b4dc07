//! HTML through html5ever (scraper): the main content only, without the page's chrome
//! (navigation, sidebars, Sphinx permalinks), h1–h6 as the heading path.
//!
//! The tree is walked with `traverse()` (open/close edges, no recursion), so deeply nested
//! markup cannot exhaust the stack.

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node};

use crate::sections::{collapse, SectionBuilder};
use crate::{ExtractError, Extracted, Format, Limits};

/// Never content: scripts, forms, and the page's frame.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "nav", "aside", "footer", "form", "svg",
    "button", "select", "textarea", "iframe", "object", "canvas", "dialog",
];
/// Chrome that themes mark by class: Sphinx's "¶" permalinks, sidebar and prev/next bar,
/// and its section numbers ("7.2. "), which headings read better without.
const SKIPPED_CLASSES: &[&str] = &["headerlink", "sphinxsidebar", "related", "section-number"];
const SKIPPED_ROLES: &[&str] = &["navigation", "search", "banner", "contentinfo"];
/// Elements that separate paragraphs.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "ul",
    "body",
    "html",
];

/// What the tree builder may spend on nesting, in open elements scanned (see
/// [`nesting_cost`]): about a second, and a hundred times what a large real page costs.
const MAX_NESTING_COST: u64 = 20_000_000;

pub(crate) fn extract(source: &str, limits: &Limits) -> Result<Extracted, ExtractError> {
    if nesting_cost(source.as_bytes()) > MAX_NESTING_COST {
        return Err(ExtractError::Malformed {
            format: Format::Html,
            detail: "its elements are nested too deeply".into(),
        });
    }
    let document = Html::parse_document(source);
    let html = document.root_element();
    let root = main_content(html);
    let title = page_title(element_text(html, "title"), element_text(root, "h1"))
        .or_else(|| element_text(html, "h1"));

    let mut out = SectionBuilder::new(limits);
    let mut skipping: Option<ego_tree::NodeId> = None;
    let mut heading: Option<(u8, String)> = None;
    let mut pre: Option<(ego_tree::NodeId, String)> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) => {
                        if let Some((_, buf)) = &mut heading {
                            buf.push_str(text);
                        } else if let Some((_, buf)) = &mut pre {
                            buf.push_str(text);
                        } else {
                            out.text(text);
                        }
                    }
                    Node::Element(element) => {
                        if is_skipped(node) {
                            skipping = Some(node.id());
                            continue;
                        }
                        let name = element.name();
                        if heading.is_some() || pre.is_some() {
                            if name == "br" {
                                if let Some((_, buf)) = &mut pre {
                                    buf.push('\n');
                                }
                            }
                            continue;
                        }
                        if let Some(level) = heading_level(name) {
                            heading = Some((level, String::new()));
                        } else if name == "pre" || name == "listing" || name == "xmp" {
                            out.end_paragraph()?;
                            pre = Some((node.id(), String::new()));
                        } else if name == "br" {
                            out.hard('\n');
                        } else if name == "td" || name == "th" {
                            out.space();
                        } else if BLOCKS.contains(&name) {
                            out.end_paragraph()?;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                let Node::Element(element) = node.value() else {
                    continue;
                };
                let name = element.name();
                if pre.as_ref().is_some_and(|(id, _)| *id == node.id()) {
                    if let Some((_, text)) = pre.take() {
                        out.preformatted(&text)?;
                    }
                } else if pre.is_some() {
                    continue;
                } else if heading_level(name).is_some() {
                    if let Some((level, text)) = heading.take() {
                        out.heading(level, &text)?;
                    }
                } else if heading.is_some() {
                    continue;
                } else if name == "td" || name == "th" {
                    out.space();
                } else if BLOCKS.contains(&name) {
                    out.end_paragraph()?;
                }
            }
        }
    }
    Ok(Extracted {
        title,
        sections: out.finish()?,
    })
}

/// The page's own title: its `<title>`, unless that is the content's first `<h1>` dressed
/// with a section number or the site's name ("7. Input and Output — Python 3.11.2
/// documentation"): then the `<h1>`. A site name that every page's title repeats would make
/// every passage match it.
fn page_title(title: Option<String>, h1: Option<String>) -> Option<String> {
    match (title, h1) {
        (Some(title), Some(h1)) => {
            let numberless = title
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c.is_whitespace());
            let dressed = title.len() > h1.len()
                && (title.starts_with(h1.as_str()) || numberless.starts_with(h1.as_str()));
            Some(if dressed { h1 } else { title })
        }
        (title, h1) => title.or(h1),
    }
}

/// Elements the tree builder closes by itself, or that never open: they do not deepen it.
const FLAT: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
    "tfoot", "rb", "rt", "rp", "html", "head", "body",
];

/// An estimate of the work html5ever's tree builder does for `source`: each start tag scans
/// the open elements, so a document of 25 MiB of `<div>` costs it hours (quadratic in the
/// depth). A linear pass over the tags sums the depth at every start tag.
fn nesting_cost(source: &[u8]) -> u64 {
    fn find(haystack: &[u8], from: usize, needle: &[u8]) -> usize {
        haystack[from.min(haystack.len())..]
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map_or(haystack.len(), |p| from + p + needle.len())
    }
    let (mut depth, mut cost, mut i) = (0u64, 0u64, 0usize);
    while let Some(offset) = source[i..].iter().position(|&b| b == b'<') {
        i += offset + 1;
        let rest = &source[i..];
        if rest.starts_with(b"!--") {
            i = find(source, i, b"-->");
        } else if rest.first().is_some_and(|b| *b == b'!' || *b == b'?') {
            i = find(source, i, b">");
        } else if rest.first() == Some(&b'/') {
            let name_len = rest[1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let name = String::from_utf8_lossy(&rest[1..1 + name_len]).to_ascii_lowercase();
            if name_len > 0 && !FLAT.contains(&name.as_str()) {
                depth = depth.saturating_sub(1);
            }
            i = find(source, i, b">");
        } else {
            let name_len = rest
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if name_len == 0 {
                continue;
            }
            let name = String::from_utf8_lossy(&rest[..name_len]).to_ascii_lowercase();
            let end = find(source, i, b">");
            cost += depth;
            let self_closing = end >= 2 && source[..end].ends_with(b"/>");
            if !self_closing && !FLAT.contains(&name.as_str()) {
                depth += 1;
            }
            i = end;
            if ["script", "style", "textarea", "title", "xmp", "plaintext"].contains(&name.as_str())
            {
                i = find(source, i, format!("</{name}").as_bytes());
                depth = depth.saturating_sub(1);
            }
        }
        if i >= source.len() {
            break;
        }
    }
    cost
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

fn is_skipped(node: NodeRef<'_, Node>) -> bool {
    let Some(element) = node.value().as_element() else {
        return false;
    };
    let name = element.name();
    if name == "header" {
        // A page banner is chrome, but an article's header often holds its h1.
        return !ElementRef::wrap(node).is_some_and(|e| {
            e.descendent_elements()
                .any(|d| heading_level(d.value().name()).is_some())
        });
    }
    SKIPPED.contains(&name)
        || element.attr("hidden").is_some()
        || element
            .attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        || element
            .attr("role")
            .is_some_and(|role| SKIPPED_ROLES.iter().any(|r| role.eq_ignore_ascii_case(r)))
        || element.classes().any(|c| SKIPPED_CLASSES.contains(&c))
}

/// The first `main`, `[role=main]`, `article`, else `body`, else the whole document.
fn main_content(html: ElementRef<'_>) -> ElementRef<'_> {
    let elements = || html.descendent_elements();
    elements()
        .find(|e| e.value().name() == "main")
        .or_else(|| {
            elements().find(|e| {
                e.value()
                    .attr("role")
                    .is_some_and(|r| r.eq_ignore_ascii_case("main"))
            })
        })
        .or_else(|| elements().find(|e| e.value().name() == "article"))
        .or_else(|| elements().find(|e| e.value().name() == "body"))
        .unwrap_or(html)
}

/// The visible text of the first element called `name`, without chrome such as "¶".
fn element_text(html: ElementRef<'_>, name: &str) -> Option<String> {
    let element = html
        .descendent_elements()
        .find(|e| e.value().name() == name)?;
    let mut text = String::new();
    let mut skipping = None;
    for edge in element.traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() => {
                if let Node::Text(t) = node.value() {
                    text.push_str(t);
                } else if node != *element && is_skipped(node) {
                    skipping = Some(node.id());
                }
            }
            Edge::Close(node) if skipping == Some(node.id()) => skipping = None,
            _ => {}
        }
    }
    let text = collapse(&text);
    let text = text.trim_end_matches('¶').trim_end();
    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(got: &Extracted) -> Vec<(&str, &str)> {
        got.sections
            .iter()
            .map(|s| (s.heading.as_str(), s.text.as_str()))
            .collect()
    }

    #[test]
    fn main_content_with_headings_and_no_chrome() -> Result<(), ExtractError> {
        let html = r##"<!doctype html><html><head><title> The  Page &amp; Co </title>
            <style>p { color: red }</style><script>var x = "<p>no</p>";</script></head>
            <body><header><a href="/">Home</a></header>
            <nav><ul><li>Nav item</li></ul></nav>
            <div class="related" role="navigation">previous | next</div>
            <div class="sphinxsidebar">Table of contents</div>
            <div class="body" role="main">
              <h1><span class="section-number">7. </span>Input and Output<a class="headerlink" href="#a">¶</a></h1>
              <p>First   paragraph,
                 with <em>inline</em> markup &lt;kept&gt; as text.</p>
              <h2>Reading and Writing Files¶</h2>
              <div>Block one</div><div>Block two<br>line two</div>
              <pre>def f():
    return 1
</pre>
              <ul><li>item one</li><li>item <code>two</code></li></ul>
              <table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table>
              <form><input value="search"><button>Go</button></form>
              <h2>Second</h2><dl><dt>term</dt><dd>definition</dd></dl>
            </div>
            <footer>Copyright</footer></body></html>"##;
        let got = extract(html, &Limits::default())?;
        assert_eq!(got.title.as_deref(), Some("The Page & Co"));
        assert_eq!(
            sections(&got),
            [
                (
                    "Input and Output",
                    "First paragraph, with inline markup <kept> as text."
                ),
                (
                    "Input and Output › Reading and Writing Files",
                    "Block one\n\nBlock two\nline two\n\ndef f():\n    return 1\n\nitem one\n\nitem two\n\nk v\n\na 1"
                ),
                ("Input and Output › Second", "term\n\ndefinition"),
            ]
        );
        Ok(())
    }

    #[test]
    fn a_title_that_dresses_the_h1_gives_way_to_it() -> Result<(), ExtractError> {
        let page = |title: &str, body: &str| {
            format!("<html><head><title>{title}</title></head><body>{body}</body></html>")
        };
        let sphinx = page(
            "7. Input and Output &#8212; Python 3.11.2 documentation",
            r#"<div role="main"><h1><span class="section-number">7. </span>Input and Output<a class="headerlink">¶</a></h1><p>x</p></div>"#,
        );
        let got = extract(&sphinx, &Limits::default())?;
        assert_eq!(got.title.as_deref(), Some("Input and Output"));
        // A banner's h1 (the site's name) outside the content is no page title.
        let banner = page(
            "Pricing — Acme",
            r#"<header><h1>Acme</h1></header><main><h2>Plans</h2><p>x</p></main>"#,
        );
        let got = extract(&banner, &Limits::default())?;
        assert_eq!(got.title.as_deref(), Some("Pricing — Acme"));
        let unrelated = page("Home", "<h1>Welcome</h1><p>x</p>");
        let got = extract(&unrelated, &Limits::default())?;
        assert_eq!(got.title.as_deref(), Some("Home"));
        Ok(())
    }

    #[test]
    fn title_falls_back_to_h1_and_body_is_read_without_main() -> Result<(), ExtractError> {
        let got = extract(
            "<p>lead</p><article><header><h1>Story <a class=headerlink>¶</a></h1></header><p>text</p></article>",
            &Limits::default(),
        )?;
        assert_eq!(got.title.as_deref(), Some("Story"));
        assert_eq!(sections(&got), [("Story", "text")]);
        let got = extract(
            "<html><body>just <b>text</b></body></html>",
            &Limits::default(),
        )?;
        assert_eq!(got.title, None);
        assert_eq!(sections(&got), [("", "just text")]);
        Ok(())
    }

    #[test]
    fn nesting_is_read_without_recursion_up_to_a_cost() -> Result<(), ExtractError> {
        let html = format!(
            "{}deep{}",
            "<div><span>".repeat(1_000),
            "</span></div>".repeat(1_000)
        );
        let got = extract(&html, &Limits::default())?;
        assert_eq!(sections(&got), [("", "deep")]);

        // Quadratic for html5ever: refused in milliseconds instead of read in hours.
        let hostile = "<div>".repeat(1_000_000);
        let started = std::time::Instant::now();
        assert!(matches!(
            extract(&hostile, &Limits::default()),
            Err(ExtractError::Malformed {
                format: Format::Html,
                ..
            })
        ));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        Ok(())
    }

    #[test]
    fn nesting_cost_ignores_closed_and_self_closing_tags() {
        let flat = "<div>a</div><p>b<p>c<br/><img src=x><!-- <div> --><script>'<div>'</script>"
            .repeat(1000);
        assert!(
            nesting_cost(flat.as_bytes()) < 5_000,
            "{}",
            nesting_cost(flat.as_bytes())
        );
        assert!(nesting_cost("<div>".repeat(10_000).as_bytes()) > 40_000_000);
    }
}
