//! DOCX: `word/document.xml` out of the ZIP (decompressed through a byte budget, whatever
//! the archive declares), paragraphs from `w:p`, text from `w:t`, `w:tab` and `w:br`.
//! Paragraphs styled Title or Heading 1–6 (by style id, or by the style's name in
//! `word/styles.xml`, which is what localised Word keeps stable) start sections.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::ZipArchive;

use crate::sections::{collapse, SectionBuilder};
use crate::{ExtractError, Extracted, Format, Limits};

fn malformed(detail: impl Into<String>) -> ExtractError {
    ExtractError::Malformed {
        format: Format::Docx,
        detail: detail.into(),
    }
}

/// What a paragraph style makes of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Title,
    Heading(u8),
}

pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut archive =
        ZipArchive::new(Cursor::new(bytes)).map_err(|_| malformed("it is not a ZIP archive"))?;
    let mut budget = limits.max_unzipped_bytes;
    let document = read_entry(&mut archive, "word/document.xml", &mut budget, limits)?
        .ok_or_else(|| malformed("it has no word/document.xml"))?;
    // Style names and the core title are helpers: a document reads without them.
    let styles = read_entry(&mut archive, "word/styles.xml", &mut budget, limits)
        .ok()
        .flatten()
        .map(|xml| style_roles(&xml))
        .unwrap_or_default();
    let core_title = read_entry(&mut archive, "docProps/core.xml", &mut budget, limits)
        .ok()
        .flatten()
        .and_then(|xml| core_title(&xml));

    let (styled_title, sections) = body(&document, &styles, limits)?;
    Ok(Extracted {
        title: core_title.or(styled_title),
        sections,
    })
}

/// An entry's bytes, `None` when the archive has no such entry. Reads at most what is left
/// of `budget` (plus one byte, to tell "exactly the budget" from "more").
fn read_entry(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
    limits: &Limits,
) -> Result<Option<Vec<u8>>, ExtractError> {
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(what)) => {
            return Err(malformed(format!(
                "{name} is stored in a way not supported ({what})"
            )))
        }
        Err(_) => return Err(malformed(format!("{name} could not be unpacked"))),
    };
    if entry.encrypted() {
        return Err(ExtractError::Encrypted {
            format: Format::Docx,
        });
    }
    // Never more than 1 MiB up front: the declared size is the archive's word, not a fact.
    let mut data = Vec::with_capacity(usize::try_from(entry.size().min(1 << 20)).unwrap_or(0));
    entry
        .take(budget.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|_| malformed(format!("{name} could not be unpacked")))?;
    let read = data.len() as u64;
    if read > *budget {
        return Err(ExtractError::ZipTooLarge {
            limit: limits.max_unzipped_bytes,
        });
    }
    *budget -= read;
    Ok(Some(data))
}

fn local_name(e: &BytesStart<'_>) -> Vec<u8> {
    e.local_name().as_ref().to_vec()
}

fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn role_of(style_id: &str, styles: &HashMap<String, Role>) -> Option<Role> {
    styles
        .get(style_id)
        .copied()
        .or_else(|| role_from_name(style_id))
}

/// "Title", "Heading1", "heading 2", "Heading 3 Char" is not one (a character style).
fn role_from_name(name: &str) -> Option<Role> {
    let lower = name.to_ascii_lowercase();
    if lower == "title" {
        return Some(Role::Title);
    }
    let rest = lower.strip_prefix("heading")?.trim_start();
    match rest.parse::<u8>() {
        Ok(level @ 1..=6) => Some(Role::Heading(level)),
        _ => None,
    }
}

/// Paragraph style id → role, from the styles' names.
fn style_roles(xml: &[u8]) -> HashMap<String, Role> {
    let mut roles = HashMap::new();
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if local_name(&e) == b"style" => {
                current = (attr(&e, b"type").as_deref() == Some("paragraph"))
                    .then(|| attr(&e, b"styleId"))
                    .flatten();
            }
            Ok(Event::Empty(e)) if local_name(&e) == b"name" => {
                if let (Some(id), Some(name)) = (&current, attr(&e, b"val")) {
                    if let Some(role) = role_from_name(&name) {
                        roles.insert(id.clone(), role);
                    }
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == b"style" => current = None,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    roles
}

/// `dc:title` in `docProps/core.xml`.
fn core_title(xml: &[u8]) -> Option<String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut inside = false;
    let mut title = String::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if local_name(&e) == b"title" => inside = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == b"title" => break,
            Ok(Event::Text(t)) if inside => title.push_str(&t.decode().ok()?),
            Ok(Event::GeneralRef(r)) if inside => push_entity(&mut title, &r),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    let title = collapse(&title);
    (!title.is_empty()).then_some(title)
}

fn push_entity(out: &mut String, r: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
    } else if let Ok(name) = r.decode() {
        if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
            out.push_str(s);
        }
    }
}

/// The paragraphs of `word/document.xml` as sections, and the first Title-styled paragraph
/// (else the first Heading 1) as the title.
fn body(
    xml: &[u8],
    styles: &HashMap<String, Role>,
    limits: &Limits,
) -> Result<(Option<String>, Vec<crate::Section>), ExtractError> {
    let mut out = SectionBuilder::new(limits);
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut title: Option<String> = None;
    let mut first_heading1: Option<String> = None;
    // The paragraph being read: its role and text (kept aside until its style is known,
    // since `w:pPr` comes first but a heading's text must not join the body).
    let mut role: Option<Role> = None;
    let mut paragraph = String::new();
    let mut in_paragraph = 0usize;
    let mut in_text = false;
    let mut saw_root = false;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| malformed(format!("word/document.xml is not well-formed XML ({e})")))?;
        match event {
            Event::Start(e) => {
                saw_root = true;
                match e.local_name().as_ref() {
                    b"p" => {
                        in_paragraph += 1;
                        if in_paragraph == 1 {
                            role = None;
                            paragraph.clear();
                        }
                    }
                    b"t" => in_text = true,
                    _ => {}
                }
            }
            Event::Empty(e) => {
                saw_root = true;
                match e.local_name().as_ref() {
                    b"pStyle" if in_paragraph > 0 => {
                        role = attr(&e, b"val").and_then(|id| role_of(&id, styles));
                    }
                    b"tab" if in_paragraph > 0 => paragraph.push('\t'),
                    b"br" | b"cr" if in_paragraph > 0 => paragraph.push('\n'),
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                let text = t
                    .decode()
                    .map_err(|_| malformed("word/document.xml is not UTF-8"))?;
                paragraph.push_str(&text);
                if paragraph.len() > limits.max_text_bytes {
                    return Err(ExtractError::TooMuchText {
                        limit: limits.max_text_bytes,
                    });
                }
            }
            Event::CData(t) if in_text => paragraph.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) if in_text => push_entity(&mut paragraph, &r),
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" if in_paragraph > 0 => {
                    in_paragraph -= 1;
                    if in_paragraph == 0 {
                        end_paragraph(&mut out, role, &paragraph, &mut title, &mut first_heading1)?;
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_root {
        return Err(malformed("word/document.xml is empty"));
    }
    Ok((title.or(first_heading1), out.finish()?))
}

fn end_paragraph(
    out: &mut SectionBuilder,
    role: Option<Role>,
    text: &str,
    title: &mut Option<String>,
    first_heading1: &mut Option<String>,
) -> Result<(), ExtractError> {
    match role {
        Some(Role::Title) | Some(Role::Heading(_)) if text.trim().is_empty() => Ok(()),
        Some(Role::Title) => {
            title.get_or_insert_with(|| collapse(text));
            // Level 0: Heading 1 sections sit under the document's title.
            out.heading(0, text)
        }
        Some(Role::Heading(level)) => {
            if level == 1 {
                first_heading1.get_or_insert_with(|| collapse(text));
            }
            out.heading(level, text)
        }
        None => {
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    out.hard('\n');
                }
                for (j, cell) in line.split('\t').enumerate() {
                    if j > 0 {
                        out.hard('\t');
                    }
                    out.text(cell);
                }
            }
            out.end_paragraph()
        }
    }
}
