//! What a search text means, and where it matched. Pure functions, no SQL: `repo` turns a
//! [`Terms`] into each engine's own query, and [`snippet`] finds the passage to show.
//!
//! The syntax is the one people know from web search, and nothing in it is an error:
//! plain words must all appear (in any order, stemmed: "reading" finds "read"); a
//! `"quoted phrase"` must appear as written; `-word` or `-"phrase"` must not appear. A
//! token such as `os.path.join` or `thread-safe` stands for its words, ranked higher where
//! they appear together (only quotes make a phrase mandatory: the page may say "thread
//! safe" or "CTRL + C"). Common English words ("how", "the", "a") are dropped from plain
//! words, unless nothing else is left.

use rust_stemmers::{Algorithm, Stemmer};

/// Search texts are cut to this many characters, and to this many terms.
const MAX_QUERY_CHARS: usize = 500;
const MAX_TERMS: usize = 16;

/// The parts of a search text. Every word is lowercase alphanumeric text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    /// Words that must all appear (unless the search is relaxed to any of them).
    pub words: Vec<String>,
    /// Words typed joined (`thread-safe`, `os.path.join`): required as plain words, and a
    /// passage holding them side by side ranks higher.
    pub joined: Vec<Vec<String>>,
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
        match (excluded, quoted) {
            (_, _) if words.is_empty() => {}
            (true, _) => terms.excluded.push(words),
            (false, true) => terms.phrases.push(words),
            (false, false) => {
                if words.len() > 1 {
                    terms.joined.push(words.clone());
                }
                plain.extend(words);
            }
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
    terms.joined.truncate(MAX_TERMS);
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

/// English words too common to narrow a search: PostgreSQL's `english` stop words (its
/// `tsearch_data/english.stop`, which it drops from its index and from every tsquery) and
/// "using". Dropping them here, before either engine sees the query, makes both engines ask
/// for the same words.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Sorted, for the binary search.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "did",
    "do",
    "does",
    "doing",
    "don",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "s",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "using",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// The most clauses an "at least k of the words" condition may spell out (one conjunction
/// per choice of k words): more would cost the engine more than the tier is worth.
const MAX_CLAUSES: usize = 40;

/// How many plain words a passage must hold, tier by tier: all of them first, then fewer
/// ("passages holding most of the words"), down to any one. A tier whose condition would need
/// more than [`MAX_CLAUSES`] conjunctions is skipped. Quoted phrases are never relaxed.
pub fn tiers(terms: &Terms) -> Vec<usize> {
    let n = terms.words.len();
    if n == 0 {
        return vec![0];
    }
    (1..=n)
        .rev()
        .filter(|&k| k == n || k == 1 || combinations(n, k).len() <= MAX_CLAUSES)
        .collect()
}

/// Every choice of `k` of `n` indexes, in order; nothing when `k` is 0 or above `n`. Stops
/// once it passes [`MAX_CLAUSES`] (a caller only asks how many there are to skip the tier).
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut all = Vec::new();
    if k == 0 || k > n {
        return all;
    }
    let mut pick: Vec<usize> = (0..k).collect();
    loop {
        all.push(pick.clone());
        if all.len() > MAX_CLAUSES && k != n && k != 1 {
            return all;
        }
        // The rightmost index that can still move right, then the rest after it.
        let Some(i) = (0..k).rev().find(|&i| pick[i] < n - k + i) else {
            return all;
        };
        pick[i] += 1;
        for j in i + 1..k {
            pick[j] = pick[j - 1] + 1;
        }
    }
}

/// The condition "at least `at_least` of the words", as a disjunction of conjunctions over
/// the words' own spellings (`word` turns a word index into the engine's term), or `None`
/// when no word is asked for.
fn at_least(
    words: usize,
    at_least: usize,
    word: impl Fn(usize) -> String,
    and: &str,
    or: &str,
) -> Option<String> {
    let clauses: Vec<String> = combinations(words, at_least.clamp(1, words.max(1)))
        .iter()
        .map(|pick| {
            let parts: Vec<String> = pick.iter().map(|&i| word(i)).collect();
            if parts.len() == 1 {
                parts.concat()
            } else {
                format!("({})", parts.join(and))
            }
        })
        .collect();
    match clauses.len() {
        0 => None,
        1 => clauses.into_iter().next(),
        _ => Some(format!("({})", clauses.join(or))),
    }
}

/// A query's condition in some engine's syntax: every quoted phrase, at least `at_least` of
/// the plain words, none of the exclusions. `word`, `phrase` and `excluded` spell a term by
/// its index. `None` when nothing positive is asked for.
pub fn condition(
    terms: &Terms,
    at_least_words: usize,
    ops: Operators<'_>,
    word: impl Fn(usize) -> String,
    phrase: impl Fn(usize) -> String,
    excluded: impl Fn(usize) -> String,
) -> Option<String> {
    if terms.is_empty() {
        return None;
    }
    let mut positive: Vec<String> = (0..terms.phrases.len()).map(phrase).collect();
    positive.extend(at_least(
        terms.words.len(),
        at_least_words,
        word,
        ops.and,
        ops.or,
    ));
    let mut condition = format!("({})", positive.join(ops.and));
    for n in 0..terms.excluded.len() {
        condition = (ops.and_not)(&condition, &excluded(n));
    }
    Some(condition)
}

/// How an engine spells AND, OR and AND NOT.
#[derive(Clone, Copy)]
pub struct Operators<'a> {
    pub and: &'a str,
    pub or: &'a str,
    pub and_not: fn(&str, &str) -> String,
}

/// The SQLite FTS5 expression for `terms` with at least `at_least` of the plain words: every
/// term quoted (so no input is FTS5 syntax). `None` when there is nothing to find.
pub fn fts5_expression(terms: &Terms, at_least: usize) -> Option<String> {
    let quote = |words: &[String]| format!("\"{}\"", words.join(" "));
    condition(
        terms,
        at_least,
        Operators {
            and: " AND ",
            or: " OR ",
            and_not: |left, right| format!("{left} NOT {right}"),
        },
        |n| quote(std::slice::from_ref(&terms.words[n])),
        |n| quote(&terms.phrases[n]),
        |n| quote(&terms.excluded[n]),
    )
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

/// A word of a passage: its character range and, when it may be one of the wanted words,
/// its stem.
struct Token {
    start: usize,
    end: usize,
    stem: Option<String>,
}

/// The words of `text`, stemmed only where they may be one of `wanted` (stems). Stemming
/// every word of every candidate passage was most of a search's time; an English stem keeps
/// its word's first two letters but for a `y` that becomes `i` ("dying" → "die", "skies" →
/// "sky"), so a word that does not start like a wanted stem cannot stem to it.
fn tokens(text: &str, stemmer: &Stemmer, wanted: &[String]) -> Vec<Token> {
    let prefixes: Vec<[Option<char>; 2]> = wanted.iter().map(|stem| opening(stem)).collect();
    let mut tokens = Vec::new();
    let mut start = None;
    let mut word = String::new();
    for (index, c) in text.chars().chain(std::iter::once(' ')).enumerate() {
        if c.is_alphanumeric() {
            start.get_or_insert(index);
            word.extend(c.to_lowercase());
        } else if let Some(begin) = start.take() {
            let stem = prefixes
                .contains(&opening(&word))
                .then(|| stemmer.stem(&word).into_owned());
            tokens.push(Token {
                start: begin,
                end: index,
                stem,
            });
            word.clear();
        }
    }
    tokens
}

/// A word's first two letters as its stem keeps them (a second-letter `y` as `i`).
fn opening(word: &str) -> [Option<char>; 2] {
    let mut chars = word.chars();
    let first = chars.next();
    let second = chars.next().map(|c| if c == 'y' { 'i' } else { c });
    [first, second]
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
    let words = tokens(body, &stemmer, &wanted);
    let matched: Vec<(usize, usize)> = words
        .iter()
        .enumerate()
        .filter_map(|(i, token)| {
            let stem = token.stem.as_ref()?;
            wanted
                .iter()
                .position(|wanted| wanted == stem)
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

/// True when `haystack` holds the words of one of `phrases` next to each other, as written
/// (by stem). Used to rank passages with the query's words together above scattered ones.
pub fn holds_phrase<'a>(haystack: &str, phrases: impl IntoIterator<Item = &'a [String]>) -> bool {
    let stemmer = Stemmer::create(Algorithm::English);
    let wanted: Vec<Vec<String>> = phrases
        .into_iter()
        .filter(|phrase| phrase.len() > 1)
        .map(|phrase| {
            phrase
                .iter()
                .map(|word| stemmer.stem(word).into_owned())
                .collect()
        })
        .collect();
    if wanted.is_empty() {
        return false;
    }
    let all: Vec<String> = wanted.iter().flatten().cloned().collect();
    let stems: Vec<Option<String>> = tokens(haystack, &stemmer, &all)
        .into_iter()
        .map(|token| token.stem)
        .collect();
    wanted.iter().any(|phrase| {
        stems.windows(phrase.len()).any(|window| {
            window
                .iter()
                .zip(phrase)
                .all(|(stem, wanted)| stem.as_ref() == Some(wanted))
        })
    })
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
        assert_eq!(terms.words, w(&["read", "os", "path", "join"]));
        assert_eq!(terms.joined, vec![w(&["os", "path", "join"])]);
        assert_eq!(terms.phrases, vec![w(&["line", "by", "line"])]);
        assert_eq!(terms.excluded, vec![w(&["binary"]), w(&["write", "mode"])]);
    }

    #[test]
    fn joined_words_are_words_unless_quoted() {
        let terms = parse(r#"handle ctrl-c "thread-safe" -multi-processing"#);
        assert_eq!(terms.words, w(&["handle", "ctrl", "c"]));
        assert_eq!(terms.joined, vec![w(&["ctrl", "c"])]);
        assert_eq!(terms.phrases, vec![w(&["thread", "safe"])]);
        assert_eq!(terms.excluded, vec![w(&["multi", "processing"])]);
    }

    #[test]
    fn the_stop_words_are_sorted_and_include_postgresqls() {
        assert!(STOP_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
        for word in ["all", "between", "over", "not", "using", "the"] {
            assert!(is_stop_word(word), "{word}");
        }
        assert!(!is_stop_word("file"));
        assert_eq!(
            parse("all permutations of a list").words,
            w(&["permutations", "list"])
        );
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
            for at_least in tiers(&terms) {
                if let Some(expression) = fts5_expression(&terms, at_least) {
                    assert!(expression.starts_with('('), "{text:?} → {expression}");
                }
            }
        }
        assert_eq!(fts5_expression(&parse("-only"), 1), None);
        assert_eq!(
            fts5_expression(&parse("NOT near"), 1).as_deref(),
            Some(r#"("near")"#)
        );
        assert_eq!(
            fts5_expression(&parse("AND OR"), 2).as_deref(),
            Some(r#"(("and" AND "or"))"#)
        );
    }

    #[test]
    fn fts5_expression_quotes_every_term() {
        let terms = parse(r#"alpha "beta gamma" -delta"#);
        assert_eq!(
            fts5_expression(&terms, 1).as_deref(),
            Some(r#"("beta gamma" AND "alpha") NOT "delta""#)
        );
    }

    #[test]
    fn relaxed_tiers_ask_for_fewer_words_but_every_phrase() {
        let terms = parse(r#"one two three "a phrase" -gone"#);
        assert_eq!(tiers(&terms), [3, 2, 1]);
        assert_eq!(
            fts5_expression(&terms, 3).as_deref(),
            Some(r#"("a phrase" AND ("one" AND "two" AND "three")) NOT "gone""#)
        );
        assert_eq!(
            fts5_expression(&terms, 2).as_deref(),
            Some(
                r#"("a phrase" AND (("one" AND "two") OR ("one" AND "three") OR ("two" AND "three"))) NOT "gone""#
            )
        );
        assert_eq!(
            fts5_expression(&terms, 1).as_deref(),
            Some(r#"("a phrase" AND ("one" OR "two" OR "three")) NOT "gone""#)
        );
        // Sixteen words: all, all but one, all but two (120 clauses) is too many; any one.
        let many = parse(
            &(b'a'..=b'p')
                .map(|c| format!("x{} ", c as char))
                .collect::<String>(),
        );
        assert_eq!(tiers(&many), [16, 15, 1]);
        assert_eq!(tiers(&parse("-x")), [0]);
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
    fn a_stem_keeps_its_words_first_two_letters() {
        let stemmer = Stemmer::create(Algorithm::English);
        for word in [
            "dying",
            "lying",
            "skies",
            "news",
            "idly",
            "gently",
            "early",
            "only",
            "yes",
            "ys",
            "is",
            "generously",
            "reading",
            "ran",
            "a",
            "x",
            "été",
            "ΣΊΣΥΦΟΣ",
        ] {
            let word = word.to_lowercase();
            let stem = stemmer.stem(&word);
            assert_eq!(opening(&word), opening(&stem), "{word} → {stem}");
        }
    }

    #[test]
    fn phrases_are_found_by_stem() {
        let read_file = w(&["read", "file"]);
        assert!(holds_phrase(
            "He was reading files daily",
            [read_file.as_slice()]
        ));
        assert!(!holds_phrase("read the file", [read_file.as_slice()]));
        let ctrl_c = w(&["ctrl", "c"]);
        assert!(holds_phrase(
            "press Ctrl-C to stop",
            [read_file.as_slice(), ctrl_c.as_slice()]
        ));
        assert!(
            !holds_phrase("read", [&read_file[..1]]),
            "one word is no phrase"
        );
    }
}
