//! Text extraction for the knowledge base: the bytes of an uploaded file in, its title and
//! sections (each under its heading) out, then chunks sized for search. Pure and
//! synchronous; the caller runs it off the async runtime and bounds its time.
//!
//! A crate of its own so the parsers (and their compile time) stay out of the app crate.
//!
//! For callers: [`Format::detect`] decides whether an upload is a document at all;
//! [`extract`] reads it (never panics, but a caught parser panic still goes through the
//! process's panic hook, so it shows in the log); [`chunk`] cuts the sections for the index.
//! Costs are bounded by [`Limits`] and by checks for the inputs known to make the parsers
//! recurse or go quadratic (PDF forms drawing themselves, looping page trees, HTML nested
//! thousands deep); `extract` is still CPU work of up to seconds for a large PDF, so run it
//! on a blocking thread.

mod chunk;
mod detect;
mod docx;
mod html;
mod markdown;
mod pdf;
mod sections;

use std::panic::{catch_unwind, AssertUnwindSafe};

pub use chunk::{chunk, Chunk, DEFAULT_CHUNK_CHARS};

/// A file kind the knowledge base can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text, and the text formats read as such (CSV, JSON, logs).
    Text,
    Markdown,
    Html,
    Pdf,
    Docx,
}

impl Format {
    /// The name users see in error messages ("the PDF could not be read").
    pub fn label(self) -> &'static str {
        match self {
            Format::Text => "text file",
            Format::Markdown => "Markdown file",
            Format::Html => "HTML file",
            Format::Pdf => "PDF",
            Format::Docx => "DOCX document",
        }
    }
}

/// Caps that keep a hostile file from costing more than a normal one.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Extracted text over this many bytes is [`ExtractError::TooMuchText`].
    pub max_text_bytes: usize,
    /// DOCX: the total number of bytes decompressed from the archive (zip bombs).
    pub max_unzipped_bytes: u64,
    /// PDF: a document with more pages is [`ExtractError::TooManyPages`].
    pub max_pages: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_text_bytes: 8 * 1024 * 1024,
            max_unzipped_bytes: 64 * 1024 * 1024,
            max_pages: 2_000,
        }
    }
}

/// What a document says, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    /// HTML `<title>` (or first h1), Markdown's first level-1 heading, DOCX `dc:title` (or the
    /// first paragraph styled Title, else Heading 1), PDF Info `/Title`; `None` when the file
    /// names none (the caller then uses the file name).
    pub title: Option<String>,
    /// Never empty, and no section has empty text (a heading with nothing under it still
    /// shows up in the heading path of the sections below it).
    pub sections: Vec<Section>,
}

/// A run of text under one heading path.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The heading path the text sits under, joined with " › " (e.g. "Input and Output ›
    /// Reading and Writing Files"); empty before the first heading. PDF sections are pages:
    /// "Page 1", "Page 2", …
    pub heading: String,
    /// Plain text: paragraphs separated by blank lines, whitespace collapsed inside
    /// paragraphs (preformatted blocks keep their lines), no markup, no control characters
    /// other than newline and tab (PostgreSQL refuses NUL in text).
    pub text: String,
}

/// Why a file yielded no document. `Display` is shown to users as the reason a document
/// failed, so each is a plain sentence about the file.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ExtractError {
    #[error("the file is not UTF-8 text")]
    NotUtf8,
    #[error("the file is not valid UTF-16 text")]
    NotUtf16,
    #[error("the {} could not be read: {detail}", format.label())]
    Malformed { format: Format, detail: String },
    #[error("the {} is encrypted", format.label())]
    Encrypted { format: Format },
    #[error("the file holds more than {} of text", human_bytes(*limit as u64))]
    TooMuchText { limit: usize },
    #[error("the PDF has {pages} pages; at most {limit} can be indexed")]
    TooManyPages { pages: usize, limit: usize },
    #[error("the DOCX document unpacks to more than {}", human_bytes(*limit))]
    ZipTooLarge { limit: u64 },
    #[error("no text was found in the file")]
    NoText,
    #[error("the {} parser failed on this file", format.label())]
    Panicked { format: Format },
}

fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    const KIB: u64 = 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= KIB && n.is_multiple_of(KIB) {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}

/// Reads `bytes` as a document of `format`.
///
/// Never panics: a parser panic is caught and becomes [`ExtractError::Panicked`] (the
/// process's panic hook still runs, so the panic message reaches stderr or the log). A UTF-8
/// BOM is skipped; UTF-16 text with a BOM is decoded; other invalid UTF-8 text is an error.
pub fn extract(format: Format, bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let extracted = catch_unwind(AssertUnwindSafe(|| match format {
        Format::Text => text(bytes, limits),
        Format::Markdown => markdown::extract(&decode_text(bytes)?, limits),
        Format::Html => html::extract(&decode_text(bytes)?, limits),
        Format::Pdf => pdf::extract(bytes, limits),
        Format::Docx => docx::extract(bytes, limits),
    }))
    .map_err(|_| ExtractError::Panicked { format })??;
    if extracted.sections.is_empty() {
        return Err(ExtractError::NoText);
    }
    Ok(extracted)
}

fn text(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let decoded = decode_text(bytes)?;
    let mut text = String::with_capacity(decoded.len().min(limits.max_text_bytes));
    let mut chars = decoded.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                text.push('\n');
            }
            c if sections::is_dropped_control(c) => {}
            c => text.push(c),
        }
    }
    let text = text.trim_end();
    let text = text.trim_start_matches(['\n', '\r']);
    if text.len() > limits.max_text_bytes {
        return Err(ExtractError::TooMuchText {
            limit: limits.max_text_bytes,
        });
    }
    let sections = if text.trim().is_empty() {
        Vec::new()
    } else {
        vec![Section {
            heading: String::new(),
            text: text.to_owned(),
        }]
    };
    Ok(Extracted {
        title: None,
        sections,
    })
}

/// UTF-8 (a BOM skipped), or UTF-16 when a BOM says so.
fn decode_text(bytes: &[u8]) -> Result<String, ExtractError> {
    fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, ExtractError> {
        if !bytes.len().is_multiple_of(2) {
            return Err(ExtractError::NotUtf16);
        }
        let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| ExtractError::NotUtf16)
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8(rest.to_vec()).map_err(|_| ExtractError::NotUtf8)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes)
    } else {
        String::from_utf8(bytes.to_vec()).map_err(|_| ExtractError::NotUtf8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_normalises_line_ends_and_keeps_layout() -> Result<(), ExtractError> {
        let got = extract(
            Format::Text,
            b"\xEF\xBB\xBFa,b\r\n1,  2\r3\n\n",
            &Limits::default(),
        )?;
        assert_eq!(got.title, None);
        assert_eq!(
            got.sections,
            vec![Section {
                heading: String::new(),
                text: "a,b\n1,  2\n3".into()
            }]
        );
        Ok(())
    }

    #[test]
    fn utf16_with_bom_is_decoded() -> Result<(), ExtractError> {
        let mut le = vec![0xFF, 0xFE];
        le.extend("héllo ☃".encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend("héllo ☃".encode_utf16().flat_map(u16::to_be_bytes));
        for bytes in [le, be] {
            let got = extract(Format::Text, &bytes, &Limits::default())?;
            assert_eq!(got.sections[0].text, "héllo ☃");
        }
        assert_eq!(
            extract(Format::Text, b"\xFF\xFEa", &Limits::default()),
            Err(ExtractError::NotUtf16)
        );
        Ok(())
    }

    #[test]
    fn invalid_utf8_and_empty_text_are_errors() {
        let limits = Limits::default();
        for format in [Format::Text, Format::Markdown, Format::Html] {
            assert_eq!(
                extract(format, b"caf\xE9 au lait", &limits),
                Err(ExtractError::NotUtf8)
            );
            assert_eq!(
                extract(format, b"  \n\n ", &limits),
                Err(ExtractError::NoText)
            );
        }
    }

    #[test]
    fn text_over_the_limit_is_refused() {
        let limits = Limits {
            max_text_bytes: 10,
            ..Limits::default()
        };
        assert_eq!(
            extract(Format::Text, b"0123456789abc", &limits),
            Err(ExtractError::TooMuchText { limit: 10 })
        );
        assert!(extract(Format::Text, b"0123456789", &limits).is_ok());
    }

    #[test]
    fn errors_read_as_sentences() {
        assert_eq!(
            ExtractError::Malformed {
                format: Format::Pdf,
                detail: "no trailer".into()
            }
            .to_string(),
            "the PDF could not be read: no trailer"
        );
        assert_eq!(
            ExtractError::ZipTooLarge {
                limit: 64 * 1024 * 1024
            }
            .to_string(),
            "the DOCX document unpacks to more than 64 MiB"
        );
        assert_eq!(
            ExtractError::TooManyPages {
                pages: 3000,
                limit: 2000
            }
            .to_string(),
            "the PDF has 3000 pages; at most 2000 can be indexed"
        );
    }
}
