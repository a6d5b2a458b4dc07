//! The default answerer: no model, only the knowledge base. It picks the sentences of the
//! retrieved passages that best answer the question and gives them verbatim, each cited; when
//! no passage holds enough of the question, it says there is no answer instead of guessing.
//! Pure and deterministic: the same passages and question give the same answer.

use std::collections::{HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

use crate::knowledge::search_text::words_of;

/// A question word to look for (by stem) and how much finding it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Wanted {
    pub stem: String,
    pub weight: f64,
}

/// How much a word counts, from the share of passages holding it: a word in most passages
/// says little about which one answers ("python" in Python's documentation), a word in none
/// of them (said nowhere in the knowledge base) counts most.
pub fn weight_of(share: f64) -> f64 {
    (1.0 + 1.0 / share.max(MIN_SHARE)).ln()
}
const MIN_SHARE: f64 = 0.0005;

/// The question's words with their weights; `earlier` (the conversation's previous
/// question, for a follow-up) counts at half weight, so "and its default?" still finds
/// what the conversation is about.
pub fn wanted(words: &[(String, f64)], earlier: &[(String, f64)]) -> Vec<Wanted> {
    let stemmer = Stemmer::create(Algorithm::English);
    let mut wanted: Vec<Wanted> = Vec::new();
    let scaled = words
        .iter()
        .map(|(word, weight)| (word, *weight))
        .chain(earlier.iter().map(|(word, weight)| (word, weight / 2.0)));
    for (word, weight) in scaled {
        let stem = stemmer.stem(word).into_owned();
        if !wanted.iter().any(|known| known.stem == stem) {
            wanted.push(Wanted { stem, weight });
        }
    }
    wanted
}

/// A passage to answer from, in rank order.
pub struct Source<'a> {
    /// Title and heading path: words found there count for every sentence of the passage,
    /// at half weight.
    pub context: &'a str,
    pub body: &'a str,
}

/// A sentence of the answer and the index of the source it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Picked {
    pub text: String,
    pub source: usize,
}

/// The best passage must hold this share of the question's weight (title and heading
/// included) for there to be an answer at all.
const ANSWERABLE: f64 = 0.6;
/// At most this many sentences, and a sentence must hold at least this share of the weight.
const MAX_SENTENCES: usize = 3;
const SENTENCE_FLOOR: f64 = 0.25;
/// Sentences sharing more than this share of their words say the same thing: keep one.
const DUPLICATE: f64 = 0.7;
/// Shorter or longer "sentences" are fragments, code or tables, not answers.
const MIN_WORDS: usize = 4;
const MAX_WORDS: usize = 80;
/// How lines of interactive sessions, shells and code comments begin.
const CODE_PROMPTS: &[&str] = &[">>>", "...", "$ ", "# ", "% "];
/// Each rank down the retrieved list counts this much less.
const RANK_DECAY: f64 = 0.15;

/// The sentences that answer the question, best first, or `None` when the sources do not
/// hold enough of it.
pub fn answer(wanted: &[Wanted], sources: &[Source<'_>]) -> Option<Vec<Picked>> {
    let total: f64 = wanted.iter().map(|word| word.weight).sum();
    if total <= 0.0 || sources.is_empty() {
        return None;
    }
    let stemmer = Stemmer::create(Algorithm::English);
    let stems = |text: &str| -> HashSet<String> {
        words_of(text)
            .iter()
            .map(|word| stemmer.stem(word).into_owned())
            .collect()
    };
    let share = |found: &HashSet<String>, context: &HashSet<String>| -> f64 {
        wanted
            .iter()
            .map(|word| {
                if found.contains(&word.stem) {
                    word.weight
                } else if context.contains(&word.stem) {
                    word.weight / 2.0
                } else {
                    0.0
                }
            })
            .sum::<f64>()
            / total
    };
    let nothing = HashSet::new();
    let mut best_passage: f64 = 0.0;
    let mut candidates: Vec<(f64, Picked, HashSet<String>)> = Vec::new();
    for (rank, source) in sources.iter().enumerate() {
        let context = stems(source.context);
        let mut whole = stems(source.body);
        whole.extend(context.iter().cloned());
        best_passage = best_passage.max(share(&whole, &nothing));
        let decay = 1.0 / (1.0 + RANK_DECAY * rank as f64);
        for sentence in sentences(source.body) {
            let words = stems(&sentence);
            let score = share(&words, &context);
            if score >= SENTENCE_FLOOR {
                let picked = Picked {
                    text: sentence,
                    source: rank,
                };
                candidates.push((score * decay, picked, words));
            }
        }
    }
    if best_passage < ANSWERABLE {
        return None;
    }
    // Best first; ties keep the sources' order, so the answer is the same every time.
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut picked: Vec<(Picked, HashSet<String>)> = Vec::new();
    for (_, sentence, words) in candidates {
        if picked.len() == MAX_SENTENCES {
            break;
        }
        if picked
            .iter()
            .all(|(_, other)| overlap(&words, other) <= DUPLICATE)
        {
            picked.push((sentence, words));
        }
    }
    (!picked.is_empty()).then(|| picked.into_iter().map(|(sentence, _)| sentence).collect())
}

/// The sentences of a passage, one line of text at a time (passages keep code and lists on
/// lines of their own), whitespace folded, fragments and runs of code left out.
fn sentences(body: &str) -> Vec<String> {
    body.lines()
        .flat_map(|line| line.split_sentence_bounds())
        .map(|sentence| sentence.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|sentence| {
            let words = sentence.split_whitespace().count();
            (MIN_WORDS..=MAX_WORDS).contains(&words) && reads_as_prose(sentence)
        })
        .collect()
}

/// Mostly letters and spaces, and not a line of an interactive session or a shell: prose
/// rather than code or a table row.
fn reads_as_prose(sentence: &str) -> bool {
    if CODE_PROMPTS
        .iter()
        .any(|prompt| sentence.starts_with(prompt))
    {
        return false;
    }
    let letters = sentence
        .chars()
        .filter(|c| c.is_alphabetic() || c.is_whitespace())
        .count();
    letters * 10 >= sentence.chars().count() * 8
}

/// The share of the smaller set's words the other also has.
fn overlap(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let smaller = a.len().min(b.len()).max(1);
    a.intersection(b).count() as f64 / smaller as f64
}

/// Numbers the sources the picked sentences use, in order of first use: `(source index, n)`.
pub fn numbering(picked: &[Picked]) -> HashMap<usize, u32> {
    let mut numbers = HashMap::new();
    for sentence in picked {
        let next = u32::try_from(numbers.len() + 1).unwrap_or(u32::MAX);
        numbers.entry(sentence.source).or_insert(next);
    }
    numbers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[(&str, f64)]) -> Vec<(String, f64)> {
        list.iter().map(|(w, s)| ((*w).to_owned(), *s)).collect()
    }

    const FILES: &str = "Reading and Writing Files › Methods of File Objects";
    const BODY: &str = "To read a file's contents, call f.read(size). \
        For reading lines from a file, you can loop over the file object. \
        This is memory efficient, fast, and leads to simple code.\n\
        >>> for line in f: read lines from the file\n\
        for line in f:\n    print(line, end='')";

    #[test]
    fn the_sentences_holding_the_question_are_picked_verbatim() {
        let wanted = wanted(&words(&[("read", 1.0), ("file", 1.0), ("lines", 2.0)]), &[]);
        let sources = [
            Source {
                context: "Glossary",
                body: "A file object exposes a file-oriented API to an underlying resource.",
            },
            Source {
                context: FILES,
                body: BODY,
            },
        ];
        let picked = answer(&wanted, &sources).expect("an answer");
        assert_eq!(
            picked[0],
            Picked {
                text: "For reading lines from a file, you can loop over the file object.".into(),
                source: 1
            }
        );
        assert!(
            picked
                .iter()
                .all(|p| !p.text.contains("print(") && !p.text.starts_with(">>>")),
            "no code: {picked:?}"
        );
        assert_eq!(answer(&wanted, &sources), Some(picked), "deterministic");
    }

    #[test]
    fn a_question_the_passages_do_not_hold_has_no_answer() {
        // "lasagna" is in no passage: the rarest word weighs most, and it is missing.
        let wanted = wanted(
            &words(&[("recipe", weight_of(0.01)), ("lasagna", weight_of(0.0))]),
            &[],
        );
        let sources = [Source {
            context: "itertools › Itertools Recipes",
            body: "This section shows recipes for creating an extended toolset using the \
                   existing itertools as building blocks.",
        }];
        assert_eq!(answer(&wanted, &sources), None);
        assert_eq!(answer(&wanted, &[]), None);
        assert_eq!(answer(&[], &sources), None);
    }

    #[test]
    fn a_follow_up_borrows_the_earlier_question_at_half_weight() {
        let wanted = wanted(
            &words(&[("default", 1.0)]),
            &words(&[("file", 1.0), ("default", 1.0)]),
        );
        assert_eq!(
            wanted,
            vec![
                Wanted {
                    stem: "default".into(),
                    weight: 1.0
                },
                Wanted {
                    stem: "file".into(),
                    weight: 0.5
                },
            ]
        );
    }

    #[test]
    fn near_duplicate_sentences_are_given_once() {
        let wanted = wanted(&words(&[("loop", 1.0), ("file", 1.0)]), &[]);
        let body = "You can loop over the file object to read it. \
                    You can loop over the file object to read it quickly.";
        let sources = [Source { context: "", body }];
        let picked = answer(&wanted, &sources).expect("an answer");
        assert_eq!(picked.len(), 1);
    }

    #[test]
    fn sources_are_numbered_in_order_of_first_use() {
        let picked = [
            Picked {
                text: "a".into(),
                source: 3,
            },
            Picked {
                text: "b".into(),
                source: 0,
            },
            Picked {
                text: "c".into(),
                source: 3,
            },
        ];
        let numbers = numbering(&picked);
        assert_eq!((numbers[&3], numbers[&0]), (1, 2));
    }

    #[test]
    fn shares_become_weights_rarest_heaviest() {
        assert!(weight_of(0.0) > weight_of(0.01));
        assert!(weight_of(0.01) > weight_of(0.5));
        assert!(weight_of(1.0) > 0.0);
    }
}
