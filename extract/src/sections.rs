//! The one place that turns a stream of headings, inline text and block breaks into
//! sections, so every format collapses whitespace, builds heading paths and counts the text
//! limit the same way.

use crate::{ExtractError, Limits, Section};

/// Joins the headings of a path.
pub(crate) const PATH_SEPARATOR: &str = " › ";

/// Control characters other than newline and tab: noise in text, and PostgreSQL refuses NUL.
pub(crate) fn is_dropped_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// Collapses every run of whitespace to one space and trims.
pub(crate) fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !is_dropped_control(*c)));
    }
    out
}

pub(crate) struct SectionBuilder {
    max_text_bytes: usize,
    text_bytes: usize,
    /// (level, text) of the open headings, outermost first.
    headings: Vec<(u8, String)>,
    sections: Vec<Section>,
    current: String,
    paragraph: String,
    pending_space: bool,
}

impl SectionBuilder {
    pub(crate) fn new(limits: &Limits) -> Self {
        SectionBuilder {
            max_text_bytes: limits.max_text_bytes,
            text_bytes: 0,
            headings: Vec::new(),
            sections: Vec::new(),
            current: String::new(),
            paragraph: String::new(),
            pending_space: false,
        }
    }

    /// Starts a section under a heading of `level` (lower is outer): headings at the same
    /// level or deeper are closed first.
    pub(crate) fn heading(&mut self, level: u8, text: &str) -> Result<(), ExtractError> {
        self.end_section()?;
        while self.headings.last().is_some_and(|(l, _)| *l >= level) {
            self.headings.pop();
        }
        let text = collapse(text);
        let text = text.trim_end_matches('¶').trim_end();
        self.headings.push((level, text.to_owned()));
        Ok(())
    }

    /// Inline text: whitespace runs become one space.
    pub(crate) fn text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.pending_space = true;
            } else if !is_dropped_control(c) {
                if self.pending_space
                    && !self.paragraph.is_empty()
                    && !self.paragraph.ends_with(['\n', '\t'])
                {
                    self.paragraph.push(' ');
                }
                self.pending_space = false;
                self.paragraph.push(c);
            }
        }
    }

    /// A separator that must survive collapsing (a line break, a tab between cells).
    pub(crate) fn hard(&mut self, c: char) {
        if !self.paragraph.is_empty() {
            let trimmed = self.paragraph.trim_end_matches(' ').len();
            self.paragraph.truncate(trimmed);
            self.paragraph.push(c);
        }
        self.pending_space = false;
    }

    /// A soft separator: a space unless one is already there (between table cells, say).
    pub(crate) fn space(&mut self) {
        self.pending_space = true;
    }

    /// Ends the paragraph being built, if any.
    pub(crate) fn end_paragraph(&mut self) -> Result<(), ExtractError> {
        let paragraph = std::mem::take(&mut self.paragraph);
        self.pending_space = false;
        let paragraph = paragraph.trim_matches(|c: char| c.is_whitespace());
        self.push_block(paragraph)
    }

    /// A block whose line breaks are kept (`pre`, a code block).
    pub(crate) fn preformatted(&mut self, text: &str) -> Result<(), ExtractError> {
        self.end_paragraph()?;
        let mut block = String::with_capacity(text.len());
        for line in text.lines() {
            block.extend(line.trim_end().chars().filter(|c| !is_dropped_control(*c)));
            block.push('\n');
        }
        let block = block.trim_start_matches('\n').trim_end();
        self.push_block(block)
    }

    fn push_block(&mut self, block: &str) -> Result<(), ExtractError> {
        if block.is_empty() {
            return Ok(());
        }
        self.text_bytes += block.len() + 2;
        if self.text_bytes > self.max_text_bytes + 2 {
            return Err(ExtractError::TooMuchText {
                limit: self.max_text_bytes,
            });
        }
        if !self.current.is_empty() {
            self.current.push_str("\n\n");
        }
        self.current.push_str(block);
        Ok(())
    }

    fn end_section(&mut self) -> Result<(), ExtractError> {
        self.end_paragraph()?;
        if self.current.is_empty() {
            return Ok(());
        }
        let heading = self
            .headings
            .iter()
            .map(|(_, h)| h.as_str())
            .filter(|h| !h.is_empty())
            .collect::<Vec<_>>()
            .join(PATH_SEPARATOR);
        // Two headings in a row with the same path (a repeated h2) share one section.
        match self.sections.last_mut() {
            Some(last) if last.heading == heading => {
                last.text.push_str("\n\n");
                last.text.push_str(&self.current);
                self.current.clear();
            }
            _ => self.sections.push(Section {
                heading,
                text: std::mem::take(&mut self.current),
            }),
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<Vec<Section>, ExtractError> {
        self.end_section()?;
        Ok(self.sections)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_paths_nest_and_unwind() -> Result<(), ExtractError> {
        let mut b = SectionBuilder::new(&Limits::default());
        b.text("  intro\n text ");
        b.heading(1, "A ¶")?;
        b.text("under a");
        b.heading(2, "B")?;
        b.text("under b");
        b.end_paragraph()?;
        b.text("second   paragraph");
        b.heading(3, "C")?;
        b.text("under c");
        b.heading(2, "D")?;
        b.text("under d");
        b.hard('\n');
        b.text("next line");
        b.heading(1, "E")?;
        b.preformatted("\n  code\n    indented  \n")?;
        let got: Vec<(String, String)> = b
            .finish()?
            .into_iter()
            .map(|s| (s.heading, s.text))
            .collect();
        let want = [
            ("", "intro text"),
            ("A", "under a"),
            ("A › B", "under b\n\nsecond paragraph"),
            ("A › B › C", "under c"),
            ("A › D", "under d\nnext line"),
            ("E", "  code\n    indented"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(h, t)| (h.to_string(), t.to_string()))
            .collect();
        assert_eq!(got, want);
        Ok(())
    }

    #[test]
    fn control_characters_are_dropped() -> Result<(), ExtractError> {
        let mut b = SectionBuilder::new(&Limits::default());
        b.text("a\0b\u{7}c");
        assert_eq!(b.finish()?[0].text, "abc");
        Ok(())
    }

    #[test]
    fn the_text_limit_counts_every_paragraph() {
        let mut b = SectionBuilder::new(&Limits {
            max_text_bytes: 12,
            ..Limits::default()
        });
        b.text("12345");
        assert!(b.end_paragraph().is_ok());
        b.text("12345");
        assert!(b.end_paragraph().is_ok());
        b.text("12345");
        assert_eq!(
            b.end_paragraph(),
            Err(ExtractError::TooMuchText { limit: 12 })
        );
    }
}
