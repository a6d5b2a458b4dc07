//! What a search text means, and where it matched. Pure functions, no SQL: `repo` turns a
//! [`Terms`] into each engine's own query, and [`snippet`] finds the passage to show.
//!
//! The syntax is the one people know from web search, and nothing in it is an error:
//! plain words must all appear (in any order, stemmed: "reading" finds "read"); a
//! `"quoted phrase"` must appear as written; `-word` or `-"phrase"` must not appear. A
//! token such as `os.path.join` is a phrase of its words. Common English words ("how",
//! "the", "a") are dropped from plain words, unless nothing else is left.

use rust_stemmers::{Algorithm, Stemmer};

/// Search texts are cut to this many characters, and to this many terms.
const MAX_QUERY_CHARS: usize = 500;
const MAX_TERMS: usize = 16;

/// The parts of a search text. Every word is lowercase alphanumeric text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    /// Words that must all appear (unless the search is relaxed to any of them).
    pub words: Vec<String>,
    /// Word sequences that must appear as written.
    pub phrases: Vec<Vec<String>>,
    /// Words or phrases that must not appear.
    pub excluded: Vec<Vec<String>>,
}

impl Terms {
    /// True when nothing positive is asked for: such a search finds nothing.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }

    /// Every word a hit may show highlighted (plain words and phrase words).
    pub fn positive_words(&self) -> impl Iterator<Item = &str> {
        self.words
            .iter()
            .chain(self.phrases.iter().flatten())
            .map(String::as_str)
    }
}

/// Reads a search text.
pub fn parse(text: &str) -> Terms {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let mut terms = Terms::default();
    let mut plain = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        let excluded = rest.starts_with('-') && rest.len() > 1;
        if excluded {
            rest = &rest[1..];
        }
        let (piece, quoted, after) = if let Some(inner) = rest.strip_prefix('"') {
            // An unclosed quote runs to the end of the text.
            let end = inner.find('"').unwrap_or(inner.len());
            let after = inner.get(end + 1..).unwrap_or("");
            (&inner[..end], true, after)
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (&rest[..end], false, &rest[end..])
        };
        rest = after;
        let words = words_of(piece);
        match (excluded, quoted || words.len() > 1) {
            (_, _) if words.is_empty() => {}
            (true, _) => terms.excluded.push(words),
            (false, true) => terms.phrases.push(words),
            (false, false) => plain.extend(words),
        }
    }
    let kept: Vec<String> = plain
        .iter()
        .filter(|word| !is_stop_word(word))
        .cloned()
        .collect();
    terms.words = if kept.is_empty() && terms.phrases.is_empty() {
        plain
    } else {
        kept
    };
    dedup(&mut terms.words);
    terms.words.truncate(MAX_TERMS);
    terms.phrases.truncate(MAX_TERMS);
    terms.excluded.truncate(MAX_TERMS);
    terms
}

/// The lowercase alphanumeric runs of `text` (what both engines' tokenizers call words).
pub fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn dedup(words: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    words.retain(|word| seen.insert(word.clone()));
}

/// English words too common to narrow a search (PostgreSQL's `english` configuration drops
/// them from its index too, so both engines agree).
fn is_stop_word(word: &str) -> bool {
    const STOP_WORDS: &[&str] = &[
        "a", "about", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for",
        "from", "how", "i", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or",
        "should", "so", "that", "the", "their", "there", "these", "this", "to", "using", "was",
        "what", "when", "where", "which", "while", "who", "why", "will", "with", "you", "your",
    ];
    STOP_WORDS.contains(&word)
}

/// The SQLite FTS5 expression for `terms`: every term quoted (so no input is FTS5 syntax),
/// joined with AND — or OR when `relaxed` — then each exclusion with NOT. `None` when there is
/// nothing to find.
pub fn fts5_expression(terms: &Terms, relaxed: bool) -> Option<String> {
    if terms.is_empty() {
        return None;
    }
    let quote = |words: &[String]| format!("\"{}\"", words.join(" "));
    let positive: Vec<String> = terms
        .words
        .iter()
        .map(|word| quote(std::slice::from_ref(word)))
        .chain(terms.phrases.iter().map(|phrase| quote(phrase)))
        .collect();
    let joiner = if relaxed { " OR " } else { " AND " };
    let mut expression = format!("({})", positive.join(joiner));
    for excluded in &terms.excluded {
        expression.push_str(" NOT ");
        expression.push_str(&quote(excluded));
    }
    Some(expression)
}

/// Where a passage matched: the text to show and the matched ranges in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// `[start, end)` in characters of `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// About this many characters of context are shown around the best match.
pub const SNIPPET_CHARS: usize = 240;

/// A word of a passage: its character range and stem.
struct Token {
    start: usize,
    end: usize,
    stem: String,
}

fn tokens(text: &str, stemmer: &Stemmer) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start = None;
    let mut word = String::new();
    for (index, c) in text.chars().chain(std::iter::once(' ')).enumerate() {
        if c.is_alphanumeric() {
            start.get_or_insert(index);
            word.extend(c.to_lowercase());
        } else if let Some(begin) = start.take() {
            tokens.push(Token {
                start: begin,
                end: index,
                stem: stemmer.stem(&word).into_owned(),
            });
            word.clear();
        }
    }
    tokens
}

/// The window of about [`SNIPPET_CHARS`] characters of `body` holding the most different
/// query words (then the most matches), with every query word in it highlighted. Words
/// match by stem, as the index does. A body with no match gives its beginning.
pub fn snippet(body: &str, terms: &Terms) -> Snippet {
    let stemmer = Stemmer::create(Algorithm::English);
    let wanted: Vec<String> = terms
        .positive_words()
        .map(|word| stemmer.stem(word).into_owned())
        .collect();
    let words = tokens(body, &stemmer);
    let matched: Vec<(usize, usize)> = words
        .iter()
        .enumerate()
        .filter_map(|(i, token)| {
            wanted
                .iter()
                .position(|stem| *stem == token.stem)
                .map(|term| (i, term))
        })
        .collect();
    let chars: Vec<char> = body.chars().collect();
    // The best window starts at a match and spans SNIPPET_CHARS characters.
    let mut best: Option<(usize, usize, usize)> = None; // (distinct, count, first char)
    for (n, &(i, _)) in matched.iter().enumerate() {
        let from = words[i].start;
        let mut seen = std::collections::HashSet::new();
        let mut count = 0;
        for &(j, term) in &matched[n..] {
            if words[j].end > from + SNIPPET_CHARS {
                break;
            }
            seen.insert(term);
            count += 1;
        }
        let candidate = (seen.len(), count, from);
        if best.is_none_or(|(d, c, _)| (candidate.0, candidate.1) > (d, c)) {
            best = Some(candidate);
        }
    }
    // Start a little before the first match, at a word boundary, so it reads in context.
    let anchor = best.map_or(0, |(_, _, from)| from);
    let lead = SNIPPET_CHARS / 6;
    let mut start = anchor.saturating_sub(lead);
    if start > 0 {
        start = words
            .iter()
            .map(|token| token.start)
            .find(|&s| s >= start)
            .unwrap_or(anchor)
            .min(anchor);
    }
    let mut end = (start + SNIPPET_CHARS).min(chars.len());
    if end < chars.len() {
        // End after the last whole word that fits.
        end = words
            .iter()
            .rev()
            .filter(|token| token.end <= end && token.start >= start)
            .map(|token| token.end)
            .next()
            .unwrap_or(end);
    }
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < chars.len() { "…" } else { "" };
    let shift = prefix.chars().count();
    let raw: String = chars[start..end].iter().collect();
    // Collapse runs of whitespace (a passage keeps its line breaks; a snippet is one line),
    // keeping the highlight offsets in step.
    let mut text = String::from(prefix);
    let mut map = Vec::with_capacity(raw.len() + 1); // raw char index → text char index
    let mut out_len = shift;
    let mut last_space = start == 0;
    for c in raw.chars() {
        map.push(out_len);
        if c.is_whitespace() {
            if !last_space {
                text.push(' ');
                out_len += 1;
            }
            last_space = true;
        } else {
            text.push(c);
            out_len += 1;
            last_space = false;
        }
    }
    map.push(out_len);
    let highlights = matched
        .iter()
        .map(|&(i, _)| &words[i])
        .filter(|token| token.start >= start && token.end <= end)
        .map(|token| [map[token.start - start], map[token.end - start]])
        .collect();
    let trimmed = text.trim_end().to_owned();
    Snippet {
        text: trimmed + suffix,
        highlights,
    }
}

/// True when `haystack` holds the words of `phrase` next to each other, as written (by
/// stem). Used to rank passages with the query's words together above scattered ones.
pub fn holds_phrase(haystack: &str, phrase: &[String]) -> bool {
    if phrase.len() < 2 {
        return false;
    }
    let stemmer = Stemmer::create(Algorithm::English);
    let wanted: Vec<String> = phrase
        .iter()
        .map(|word| stemmer.stem(word).into_owned())
        .collect();
    let stems: Vec<String> = tokens(haystack, &stemmer)
        .into_iter()
        .map(|token| token.stem)
        .collect();
    stems.windows(wanted.len()).any(|window| window == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| (*word).to_owned()).collect()
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let terms = parse(r#"read "line by line" -binary -"write mode" os.path.join"#);
        assert_eq!(terms.words, w(&["read"]));
        assert_eq!(
            terms.phrases,
            vec![w(&["line", "by", "line"]), w(&["os", "path", "join"])]
        );
        assert_eq!(terms.excluded, vec![w(&["binary"]), w(&["write", "mode"])]);
    }

    #[test]
    fn stop_words_go_unless_nothing_else_is_left() {
        assert_eq!(parse("how to read a file").words, w(&["read", "file"]));
        assert_eq!(parse("the who").words, w(&["the", "who"]));
    }

    #[test]
    fn odd_input_is_never_an_error() {
        for text in [
            "",
            "\"",
            "-",
            "--",
            "\"\"",
            "-\"",
            "*",
            "NOT",
            "a AND b OR",
            "((",
            "é\u{0}",
        ] {
            let terms = parse(text);
            if let Some(expression) = fts5_expression(&terms, false) {
                assert!(expression.starts_with('('), "{text:?} → {expression}");
            }
        }
        assert_eq!(fts5_expression(&parse("-only"), false), None);
        assert_eq!(
            fts5_expression(&parse("NOT near"), false).as_deref(),
            Some(r#"("not" AND "near")"#)
        );
    }

    #[test]
    fn fts5_expression_quotes_every_term() {
        let terms = parse(r#"alpha "beta gamma" -delta"#);
        assert_eq!(
            fts5_expression(&terms, false).as_deref(),
            Some(r#"("alpha" AND "beta gamma") NOT "delta""#)
        );
        assert_eq!(
            fts5_expression(&terms, true).as_deref(),
            Some(r#"("alpha" OR "beta gamma") NOT "delta""#)
        );
    }

    #[test]
    fn snippets_center_on_the_densest_match_and_offsets_point_at_it() {
        let body = format!(
            "{} To read a file line by line, loop over the file object. {}",
            "Filler words here. ".repeat(20),
            "More filler. ".repeat(20)
        );
        let terms = parse("reading lines");
        let snippet = snippet(&body, &terms);
        assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'));
        let chars: Vec<char> = snippet.text.chars().collect();
        let marked: Vec<String> = snippet
            .highlights
            .iter()
            .map(|[s, e]| chars[*s..*e].iter().collect())
            .collect();
        assert_eq!(marked, w(&["read", "line", "line"]));
        assert!(snippet.text.chars().count() <= SNIPPET_CHARS + 2);
    }

    #[test]
    fn snippet_of_a_body_without_match_is_its_beginning() {
        let snippet = snippet("Short text.\n\nSecond   line.", &parse("absent"));
        assert_eq!(snippet.text, "Short text. Second line.");
        assert!(snippet.highlights.is_empty());
    }

    #[test]
    fn phrases_are_found_by_stem() {
        assert!(holds_phrase(
            "He was reading files daily",
            &w(&["read", "file"])
        ));
        assert!(!holds_phrase("read the file", &w(&["read", "file"])));
    }
}
