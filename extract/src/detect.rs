//! Which reader a file gets: its extension, then the client's Content-Type, then its first bytes.

use crate::Format;

impl Format {
    /// From the file name's extension first, then the client's Content-Type, then the first
    /// bytes (`%PDF-`, a ZIP header — read as DOCX; `extract` finds out if it is not —
    /// `<!doctype html` / `<html`). `None`: not a document (a PNG, say): stored, not indexed.
    pub fn detect(file_name: &str, content_type: Option<&str>, head: &[u8]) -> Option<Format> {
        Self::from_extension(file_name)
            .or_else(|| content_type.and_then(Self::from_content_type))
            .or_else(|| Self::from_head(head))
    }

    /// The canonical Content-Type to serve the file with.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Text => "text/plain; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    fn from_extension(file_name: &str) -> Option<Format> {
        let (_, ext) = file_name.rsplit_once('.')?;
        Some(match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" | "log" | "csv" | "tsv" | "json" | "jsonl" | "ndjson" | "yaml"
            | "yml" | "toml" | "ini" | "cfg" | "conf" | "rst" | "adoc" | "asciidoc" | "tex" => {
                Format::Text
            }
            "md" | "markdown" | "mdown" | "mkd" | "mkdn" => Format::Markdown,
            "html" | "htm" | "xhtml" => Format::Html,
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            _ => return None,
        })
    }

    fn from_content_type(content_type: &str) -> Option<Format> {
        let essence = content_type.split(';').next()?.trim().to_ascii_lowercase();
        Some(match essence.as_str() {
            "text/markdown" | "text/x-markdown" => Format::Markdown,
            "text/html" | "application/xhtml+xml" => Format::Html,
            "application/pdf" => Format::Pdf,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                Format::Docx
            }
            "text/plain"
            | "text/csv"
            | "text/tab-separated-values"
            | "application/json"
            | "application/x-ndjson"
            | "application/yaml"
            | "text/yaml" => Format::Text,
            _ => return None,
        })
    }

    fn from_head(head: &[u8]) -> Option<Format> {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        if head.starts_with(b"%PDF-") {
            return Some(Format::Pdf);
        }
        if head.starts_with(b"PK\x03\x04") {
            return Some(Format::Docx);
        }
        let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
        let lead = &head[start..head.len().min(start + 14)];
        let lower = lead.to_ascii_lowercase();
        if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
            return Some(Format::Html);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_comes_first() {
        assert_eq!(Format::detect("a.TXT", None, b""), Some(Format::Text));
        assert_eq!(Format::detect("data.csv", None, b""), Some(Format::Text));
        assert_eq!(
            Format::detect("data.json", Some("text/html"), b""),
            Some(Format::Text)
        );
        assert_eq!(
            Format::detect("notes.markdown", None, b""),
            Some(Format::Markdown)
        );
        assert_eq!(
            Format::detect("x.md", None, b"%PDF-1.4"),
            Some(Format::Markdown)
        );
        assert_eq!(Format::detect("page.htm", None, b""), Some(Format::Html));
        assert_eq!(Format::detect("page.xhtml", None, b""), Some(Format::Html));
        assert_eq!(Format::detect("r.pdf", None, b""), Some(Format::Pdf));
        assert_eq!(Format::detect("r.docx", None, b""), Some(Format::Docx));
        assert_eq!(Format::detect("server.log", None, b""), Some(Format::Text));
    }

    #[test]
    fn then_content_type() {
        let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        for (ct, want) in [
            ("text/plain; charset=utf-8", Format::Text),
            ("text/markdown", Format::Markdown),
            ("TEXT/HTML; charset=UTF-8", Format::Html),
            ("application/pdf", Format::Pdf),
            (docx, Format::Docx),
            ("text/csv", Format::Text),
            ("application/json", Format::Text),
        ] {
            assert_eq!(Format::detect("upload", Some(ct), b""), Some(want), "{ct}");
        }
        assert_eq!(
            Format::detect("photo.png", Some("image/png"), b"\x89PNG"),
            None
        );
        assert_eq!(
            Format::detect("blob.bin", Some("application/octet-stream"), b"\0\0"),
            None
        );
    }

    #[test]
    fn then_magic_bytes() {
        assert_eq!(
            Format::detect("upload", None, b"%PDF-1.7\n"),
            Some(Format::Pdf)
        );
        assert_eq!(
            Format::detect(
                "upload",
                Some("application/octet-stream"),
                b"PK\x03\x04\x14\0"
            ),
            Some(Format::Docx)
        );
        assert_eq!(
            Format::detect("upload", None, b"\n  <!DOCTYPE html><html>"),
            Some(Format::Html)
        );
        assert_eq!(
            Format::detect("upload", None, b"<html lang=en>"),
            Some(Format::Html)
        );
        assert_eq!(Format::detect("upload", None, b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(Format::detect("upload", None, b""), None);
        assert_eq!(Format::detect("noext.", None, b"hello"), None);
    }

    #[test]
    fn content_types_are_canonical() {
        assert_eq!(
            Format::Markdown.content_type(),
            "text/markdown; charset=utf-8"
        );
        assert_eq!(Format::Pdf.content_type(), "application/pdf");
    }
}
