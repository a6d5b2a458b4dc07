//! Markdown (CommonMark with tables, footnotes, task lists and front matter) through
//! pulldown-cmark: headings build the path, code keeps its lines, links and images keep
//! their text.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::sections::{collapse, SectionBuilder};
use crate::{ExtractError, Extracted, Limits};

enum Capture {
    None,
    Heading(u8, String),
    Code(String),
    FrontMatter(String),
}

pub(crate) fn extract(source: &str, limits: &Limits) -> Result<Extracted, ExtractError> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut out = SectionBuilder::new(limits);
    let mut title: Option<String> = None;
    let mut front_matter_title: Option<String> = None;
    let mut capture = Capture::None;
    for event in Parser::new_ext(source, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                capture = Capture::Heading(heading_level(level), String::new());
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Capture::Heading(level, text) =
                    std::mem::replace(&mut capture, Capture::None)
                {
                    if level == 1 && title.is_none() {
                        let text = collapse(&text);
                        if !text.is_empty() {
                            title = Some(text);
                        }
                    }
                    out.heading(level, &text)?;
                }
            }
            Event::Start(Tag::CodeBlock(_)) => {
                out.end_paragraph()?;
                capture = Capture::Code(String::new());
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Capture::Code(code) = std::mem::replace(&mut capture, Capture::None) {
                    out.preformatted(&code)?;
                }
            }
            Event::Start(Tag::MetadataBlock(_)) => capture = Capture::FrontMatter(String::new()),
            Event::End(TagEnd::MetadataBlock(_)) => {
                if let Capture::FrontMatter(meta) = std::mem::replace(&mut capture, Capture::None) {
                    front_matter_title = front_matter_title.or_else(|| meta_title(&meta));
                }
            }
            Event::Text(text) | Event::Code(text) => match &mut capture {
                Capture::None => out.text(&text),
                Capture::Heading(_, buf) | Capture::Code(buf) | Capture::FrontMatter(buf) => {
                    buf.push_str(&text)
                }
            },
            Event::Html(html) | Event::InlineHtml(html) => {
                let text = strip_tags(&html);
                match &mut capture {
                    Capture::Heading(_, buf) => buf.push_str(&text),
                    _ => out.text(&text),
                }
            }
            Event::SoftBreak => match &mut capture {
                Capture::Heading(_, buf) => buf.push(' '),
                _ => out.space(),
            },
            Event::HardBreak => match &mut capture {
                Capture::Heading(_, buf) => buf.push(' '),
                _ => out.hard('\n'),
            },
            Event::Start(Tag::TableCell) | Event::End(TagEnd::TableCell) => out.space(),
            Event::Start(
                Tag::Paragraph
                | Tag::Item
                | Tag::BlockQuote(_)
                | Tag::TableHead
                | Tag::TableRow
                | Tag::FootnoteDefinition(_)
                | Tag::List(_)
                | Tag::Table(_)
                | Tag::HtmlBlock
                | Tag::DefinitionList
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition,
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::FootnoteDefinition
                | TagEnd::List(_)
                | TagEnd::Table
                | TagEnd::HtmlBlock
                | TagEnd::DefinitionList
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition,
            )
            | Event::Rule => out.end_paragraph()?,
            _ => {}
        }
    }
    Ok(Extracted {
        title: front_matter_title.or(title),
        sections: out.finish()?,
    })
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `title: …` in YAML or TOML front matter.
fn meta_title(meta: &str) -> Option<String> {
    meta.lines().find_map(|line| {
        let rest = line.strip_prefix("title")?.trim_start();
        let value = rest.strip_prefix(':').or_else(|| rest.strip_prefix('='))?;
        let value = value.trim().trim_matches(['"', '\'']);
        let value = collapse(value);
        (!value.is_empty()).then_some(value)
    })
}

/// Raw HTML in Markdown: the text between tags, comments dropped.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->").map_or("", |(_, r)| r);
        } else if rest.starts_with('<') {
            rest = rest.split_once('>').map_or("", |(_, r)| r);
            out.push(' ');
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_text_code_links_images() -> Result<(), ExtractError> {
        let md = "Preface *words*.\n\n# The Title\n\nSome [linked text](http://x.invalid) and \
                  ![alt words](i.png).\n\n## Install\n\n```sh\ncargo build\n  --release\n```\n\n\
                  - one\n- two `code`\n\n<div>raw <b>html</b></div>\n\n### Deeper\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\
                  # Second\n\ntext";
        let got = extract(md, &Limits::default())?;
        assert_eq!(got.title.as_deref(), Some("The Title"));
        let sections: Vec<(&str, &str)> = got
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(
            sections,
            [
                ("", "Preface words."),
                ("The Title", "Some linked text and alt words."),
                (
                    "The Title › Install",
                    "cargo build\n  --release\n\none\n\ntwo code\n\nraw html"
                ),
                ("The Title › Install › Deeper", "a b\n\n1 2"),
                ("Second", "text"),
            ]
        );
        Ok(())
    }

    #[test]
    fn front_matter_names_the_title() -> Result<(), ExtractError> {
        let got = extract(
            "---\ntitle: \"From YAML\"\n---\n\n# Heading\n\nbody",
            &Limits::default(),
        )?;
        assert_eq!(got.title.as_deref(), Some("From YAML"));
        assert_eq!(got.sections[0].heading, "Heading");
        Ok(())
    }
}
