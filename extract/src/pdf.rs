//! PDF through lopdf (parsing) and pdf-extract (text layout): one section per page, headed
//! "Page N", lines joined into paragraphs at the blank lines pdf-extract leaves between them,
//! words hyphenated across lines joined again.
//!
//! pdf-extract panics on much that it does not expect, and recurses without a bound. So the
//! document is checked and mended before it gets there: pages count against the limit first,
//! a page tree whose parents loop and forms that draw themselves are refused (either would
//! overflow the stack, which no `catch_unwind` survives), image streams are emptied (it
//! parses every XObject as drawing operators and panics on pixels), and a page without a
//! usable MediaBox gets a Letter one. Each page then runs under its own `catch_unwind`, so
//! one bad page costs that page, not the document.

use std::collections::{BTreeMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

use crate::sections::{collapse, SectionBuilder};
use crate::{ExtractError, Extracted, Format, Limits};

/// How deeply forms may nest inside forms, and how many form visits the loop check may
/// make, before the drawing counts as hostile.
const MAX_FORM_DEPTH: usize = 32;
const MAX_FORM_VISITS: usize = 20_000;
/// Parent links followed from a page before the tree counts as looping.
const MAX_TREE_DEPTH: usize = 256;

fn malformed(detail: impl Into<String>) -> ExtractError {
    ExtractError::Malformed {
        format: Format::Pdf,
        detail: detail.into(),
    }
}

pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut doc = Document::load_mem(bytes).map_err(|e| {
        // lopdf's messages sometimes end in "; please open an issue …", which is for us.
        let message = e.to_string();
        let message = message.split(';').next().unwrap_or_default().to_owned();
        malformed(message)
    })?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ExtractError::Encrypted {
            format: Format::Pdf,
        });
    }
    let pages = doc.get_pages();
    if pages.len() > limits.max_pages {
        return Err(ExtractError::TooManyPages {
            pages: pages.len(),
            limit: limits.max_pages,
        });
    }
    if pages.is_empty() {
        return Err(malformed("it has no pages"));
    }
    check_page_tree(&doc, &pages)?;
    empty_images(&mut doc);
    give_pages_a_media_box(&mut doc, &pages);
    check_forms(&doc, &pages)?;

    let title = info_title(&doc);
    let mut out = SectionBuilder::new(limits);
    let mut failed = 0;
    let mut first_error = None;
    for &number in pages.keys() {
        let page = catch_unwind(AssertUnwindSafe(|| {
            let mut text = String::new();
            let mut output = pdf_extract::PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&doc, &mut output, number).map(|()| text)
        }));
        let text = match page {
            Ok(Ok(text)) => text,
            Ok(Err(e)) => {
                failed += 1;
                first_error.get_or_insert_with(|| e.to_string());
                continue;
            }
            Err(_) => {
                failed += 1;
                continue;
            }
        };
        out.heading(1, &format!("Page {number}"))?;
        let mut paragraph = String::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() {
                out.text(&paragraph);
                out.end_paragraph()?;
                paragraph.clear();
            } else if continues_hyphenated_word(&paragraph, line) {
                paragraph.pop();
                paragraph.push_str(line);
            } else {
                paragraph.push(' ');
                paragraph.push_str(line);
            }
        }
        out.text(&paragraph);
        out.end_paragraph()?;
    }
    if failed == pages.len() {
        return Err(match first_error {
            Some(detail) => malformed(detail),
            None => ExtractError::Panicked {
                format: Format::Pdf,
            },
        });
    }
    Ok(Extracted {
        title,
        sections: out.finish()?,
    })
}

/// "manip-" at the end of a line and "ulation" at the start of the next are one word (a
/// hyphenated compound split there loses its hyphen: the price of finding the rest).
fn continues_hyphenated_word(paragraph: &str, line: &str) -> bool {
    let mut end = paragraph.chars().rev();
    end.next() == Some('-')
        && end.next().is_some_and(char::is_lowercase)
        && line.chars().next().is_some_and(char::is_lowercase)
}

/// `get_inherited` in pdf-extract recurses up `/Parent` links without a bound.
fn check_page_tree(doc: &Document, pages: &BTreeMap<u32, ObjectId>) -> Result<(), ExtractError> {
    for &page_id in pages.values() {
        let mut seen = HashSet::from([page_id]);
        let mut node = doc.get_dictionary(page_id).ok();
        while let Some(dict) = node {
            let Ok(parent) = dict.get(b"Parent").and_then(Object::as_reference) else {
                break;
            };
            if !seen.insert(parent) || seen.len() > MAX_TREE_DEPTH {
                return Err(malformed("its page tree loops"));
            }
            node = doc.get_dictionary(parent).ok();
        }
    }
    Ok(())
}

fn is_name(dict: &Dictionary, key: &[u8], value: &[u8]) -> bool {
    dict.get(key)
        .and_then(Object::as_name)
        .is_ok_and(|name| name == value)
}

/// Pixels carry no text, and pdf-extract would parse them as drawing operators.
fn empty_images(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object {
            if is_name(&stream.dict, b"Subtype", b"Image") {
                stream.dict.remove(b"Filter");
                stream.dict.remove(b"DecodeParms");
                stream.set_content(Vec::new());
            }
        }
    }
}

fn inherited<'a>(doc: &'a Document, page_id: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = doc.get_dictionary(page_id).ok();
    for _ in 0..MAX_TREE_DEPTH {
        let dict = node?;
        if let Ok(value) = dict.get(key) {
            return doc.dereference(value).ok().map(|(_, v)| v);
        }
        node = dict
            .get(b"Parent")
            .and_then(Object::as_reference)
            .and_then(|id| doc.get_dictionary(id))
            .ok();
    }
    None
}

fn give_pages_a_media_box(doc: &mut Document, pages: &BTreeMap<u32, ObjectId>) {
    let missing: Vec<ObjectId> = pages
        .values()
        .copied()
        .filter(|&id| {
            let usable = inherited(doc, id, b"MediaBox")
                .and_then(|b| b.as_array().ok())
                .is_some_and(|b| b.len() == 4 && b.iter().all(|n| n.as_float().is_ok()));
            !usable
        })
        .collect();
    for id in missing {
        if let Ok(page) = doc.get_dictionary_mut(id) {
            let letter: Vec<Object> = [0, 0, 612, 792].into_iter().map(Object::Integer).collect();
            page.set("MediaBox", letter);
        }
    }
}

/// Refuses forms that (through their resources) draw themselves: pdf-extract would recurse
/// until the stack overflows.
fn check_forms(doc: &Document, pages: &BTreeMap<u32, ObjectId>) -> Result<(), ExtractError> {
    let any_forms = doc.objects.values().any(|o| {
        o.as_stream()
            .is_ok_and(|s| is_name(&s.dict, b"Subtype", b"Form"))
    });
    if !any_forms {
        return Ok(());
    }
    let empty = Dictionary::new();
    let mut visits = 0;
    for &page_id in pages.values() {
        let content = doc.get_page_content(page_id).unwrap_or_default();
        let resources = inherited(doc, page_id, b"Resources")
            .and_then(|r| r.as_dict().ok())
            .unwrap_or(&empty);
        let mut path = Vec::new();
        walk_forms(doc, &content, resources, &mut path, &mut visits)?;
    }
    Ok(())
}

fn walk_forms(
    doc: &Document,
    content: &[u8],
    resources: &Dictionary,
    path: &mut Vec<*const Stream>,
    visits: &mut usize,
) -> Result<(), ExtractError> {
    if !content.windows(2).any(|w| w == b"Do") {
        return Ok(());
    }
    let Ok(operations) = pdf_extract::content::Content::decode(content) else {
        return Ok(());
    };
    let xobjects = resources
        .get(b"XObject")
        .ok()
        .and_then(|x| doc.dereference(x).ok())
        .and_then(|(_, x)| x.as_dict().ok());
    let Some(xobjects) = xobjects else {
        return Ok(());
    };
    for operation in operations.operations.iter().filter(|o| o.operator == "Do") {
        let Some(name) = operation.operands.first().and_then(|n| n.as_name().ok()) else {
            continue;
        };
        let form = xobjects
            .get(name)
            .ok()
            .and_then(|f| doc.dereference(f).ok())
            .and_then(|(_, f)| f.as_stream().ok());
        let Some(form) = form else { continue };
        if !is_name(&form.dict, b"Subtype", b"Form") {
            continue;
        }
        let identity: *const Stream = form;
        if path.contains(&identity) {
            return Err(malformed("a drawing in it contains itself"));
        }
        *visits += 1;
        if path.len() >= MAX_FORM_DEPTH || *visits > MAX_FORM_VISITS {
            return Err(malformed("its drawings are nested too deeply"));
        }
        let inner = form
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| doc.dereference(r).ok())
            .and_then(|(_, r)| r.as_dict().ok())
            .unwrap_or(resources);
        let content = form
            .decompressed_content()
            .unwrap_or_else(|_| form.content.clone());
        path.push(identity);
        walk_forms(doc, &content, inner, path, visits)?;
        path.pop();
    }
    Ok(())
}

/// The Info dictionary's /Title: UTF-16BE with a BOM, UTF-8 with one, else PDFDocEncoding
/// (read as Latin-1, which it matches for letters).
fn info_title(doc: &Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let (_, info) = doc.dereference(info).ok()?;
    let title = info.as_dict().ok()?.get(b"Title").ok()?;
    let (_, title) = doc.dereference(title).ok()?;
    let bytes = title.as_str().ok()?;
    let text = if let Some(utf16) = bytes.strip_prefix(b"\xFE\xFF") {
        let units = utf16
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]));
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    } else if let Some(utf8) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8_lossy(utf8).into_owned()
    } else {
        bytes.iter().map(|&b| char::from(b)).collect()
    };
    let text = collapse(&text);
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_words_rejoin_only_between_lowercase_letters() {
        assert!(continues_hyphenated_word("data manip-", "ulation"));
        assert!(!continues_hyphenated_word("ASN-", "one"));
        assert!(!continues_hyphenated_word("pages 1 -", "and"));
        assert!(!continues_hyphenated_word("non-", "Euclidean"));
        assert!(!continues_hyphenated_word("", "word"));
    }
}
