//! Sections into search-sized chunks (text-splitter: paragraph, then sentence, then word
//! boundaries), each under its section's heading.

use text_splitter::{ChunkConfig, TextSplitter};

use crate::Extracted;

/// The chunk size the knowledge base uses unless told otherwise.
pub const DEFAULT_CHUNK_CHARS: usize = 1_200;

/// A piece of a section small enough to index and to quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub heading: String,
    pub text: String,
}

/// Splits each section's text into chunks of at most `max_chars` characters (at least 1),
/// preferring paragraph, then sentence, then word boundaries; each chunk keeps its
/// section's heading. Empty sections produce no chunk. Order is preserved. Chunks are
/// trimmed, so only whitespace between them is lost.
pub fn chunk(extracted: &Extracted, max_chars: usize) -> Vec<Chunk> {
    let splitter = TextSplitter::new(ChunkConfig::new(max_chars.max(1)));
    extracted
        .sections
        .iter()
        .flat_map(|section| {
            splitter
                .chunks(&section.text)
                .filter(|text| !text.trim().is_empty())
                .map(|text| Chunk {
                    heading: section.heading.clone(),
                    text: text.to_owned(),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Section;

    fn doc(sections: &[(&str, &str)]) -> Extracted {
        Extracted {
            title: None,
            sections: sections
                .iter()
                .map(|(h, t)| Section {
                    heading: h.to_string(),
                    text: t.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn small_sections_are_one_chunk_each_and_empty_ones_none() {
        let chunks = chunk(
            &doc(&[("A", "short"), ("B", "  \n "), ("C", "also short")]),
            1200,
        );
        assert_eq!(
            chunks,
            [
                Chunk {
                    heading: "A".into(),
                    text: "short".into()
                },
                Chunk {
                    heading: "C".into(),
                    text: "also short".into()
                }
            ]
        );
    }

    #[test]
    fn paragraphs_are_preferred_over_sentences() {
        let para = "One sentence here. Another sentence there.";
        let text = format!("{para}\n\n{para}\n\n{para}");
        let chunks = chunk(&doc(&[("H", &text)]), para.len() + 5);
        assert_eq!(chunks.len(), 3);
        assert!(chunks.iter().all(|c| c.text == para && c.heading == "H"));
    }

    #[test]
    fn long_words_are_cut_at_the_limit() {
        let chunks = chunk(&doc(&[("", &"x".repeat(25))]), 10);
        assert!(chunks.iter().all(|c| c.text.chars().count() <= 10));
        assert_eq!(chunks.iter().map(|c| c.text.len()).sum::<usize>(), 25);
        assert!(!chunk(&doc(&[("", "abc")]), 0).is_empty());
    }
}
