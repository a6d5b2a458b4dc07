//! Fuzzing the parsers that read what clients send, on the stable toolchain: the token
//! parser, the `Authorization` header reader, the name rule, the `X-Forwarded-For` reader,
//! the knowledge-base search syntax (with its snippets) and the upload file-name rule.
//! Each target gets random and mutated inputs for a set time (or count); a panic or a broken
//! property is a failure, reported with the input that caused it.
//!
//! ```text
//! cargo run --release -p tessera --example fuzz -- [--seconds N | --inputs N] [--seed S] [TARGET…]
//! ```
//! `scripts/fuzz.sh` runs it; the test command runs a short pass. Figures: docs/fuzzing.md.

use std::net::IpAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use app::auth::domain::{check_name, is_deceptive, name_key, MAX_NAME_CHARS};
use app::client_addr::TrustedProxies;
use app::knowledge::search_text::{fts5_expression, parse, snippet, tiers};
use app::storage::domain::{
    clean_file_name, content_disposition, MAX_NAME_CHARS as MAX_FILE_NAME_CHARS,
};
use app::tokens::domain::{assemble_token, generate_token, parse_token};
use axum::http::{header, HeaderMap, HeaderValue};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tessera::api::auth::{credentials, Credentials};

thread_local! {
    /// The input being tried, so a panic can be reported with it.
    static TRYING: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn trying(input: &impl std::fmt::Debug) {
    TRYING.with(|cell| *cell.borrow_mut() = format!("{input:?}"));
}

/// One parser under test: makes an input, runs it, and says what property broke, if any.
struct Target {
    name: &'static str,
    run: fn(&mut StdRng) -> Result<(), String>,
}

const TARGETS: [Target; 6] = [
    Target {
        name: "token",
        run: fuzz_token,
    },
    Target {
        name: "authorization",
        run: fuzz_authorization,
    },
    Target {
        name: "name",
        run: fuzz_name,
    },
    Target {
        name: "forwarded_for",
        run: fuzz_forwarded_for,
    },
    Target {
        name: "search",
        run: fuzz_search,
    },
    Target {
        name: "file_name",
        run: fuzz_file_name,
    },
];

/// Characters that make interesting text: ASCII, the base62 alphabet, separators, Latin-1,
/// invisible format characters, joiners, CJK, emoji and the odd surrogate-adjacent code point.
const PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    "9",
    " ",
    "\t",
    "\n",
    "\r",
    ",",
    ":",
    ";",
    "[",
    "]",
    "=",
    "_",
    "-",
    "%",
    "\"",
    "\\",
    "tsr_",
    "Bearer",
    "bearer",
    "é",
    "ß",
    "İ",
    "\u{200B}",
    "\u{200D}",
    "\u{202E}",
    "\u{2028}",
    "\u{FEFF}",
    "\u{AD}",
    "ＣＩ",
    "日本",
    "👩",
    "💻",
    "\u{E0041}",
    "\u{FFFD}",
    "\0",
    "\u{7f}",
    "\u{85}",
    "::",
    "1",
    "127.0.0.1",
    "::1",
    "unknown",
    "\u{10FFFF}",
    "NOT",
    "AND",
    "*",
    "(",
    ")",
    "/",
    "..",
];

fn random_text(rng: &mut StdRng, max_pieces: usize) -> String {
    let pieces = rng.gen_range(0..=max_pieces);
    (0..pieces)
        .map(|_| {
            if rng.gen_bool(0.1) {
                // Any scalar value at all.
                char::from_u32(rng.gen_range(0..=0x10FFFF))
                    .unwrap_or('\u{FFFD}')
                    .to_string()
            } else {
                PIECES[rng.gen_range(0..PIECES.len())].to_owned()
            }
        })
        .collect()
}

/// A valid token, then a few random edits to it.
fn mutated_token(rng: &mut StdRng) -> String {
    let generated = generate_token();
    let mut text: Vec<char> = generated.plaintext.expose().chars().collect();
    for _ in 0..rng.gen_range(0..4) {
        let at = rng.gen_range(0..=text.len());
        match rng.gen_range(0..4) {
            0 if at < text.len() => {
                text[at] = random_text(rng, 1).chars().next().unwrap_or('x');
            }
            1 if at < text.len() => {
                text.remove(at);
            }
            2 => text.insert(at, random_text(rng, 1).chars().next().unwrap_or('x')),
            _ => text.truncate(at),
        }
    }
    text.into_iter().collect()
}

fn fuzz_token(rng: &mut StdRng) -> Result<(), String> {
    let input = if rng.gen_bool(0.7) {
        mutated_token(rng)
    } else {
        random_text(rng, 60)
    };
    trying(&input);
    match parse_token(&input) {
        Ok(parsed) => {
            let again = assemble_token(&parsed.key_id, &parsed.secret);
            if again.expose() != input {
                return Err(format!("accepted {input:?} but it reassembles differently"));
            }
        }
        Err(error) => {
            let message = error.to_string();
            if input.len() >= 8 && message.contains(&input) {
                return Err(format!("the refusal of {input:?} quotes it"));
            }
        }
    }
    Ok(())
}

fn fuzz_authorization(rng: &mut StdRng) -> Result<(), String> {
    let mut headers = HeaderMap::new();
    let mut values = Vec::new();
    for _ in 0..rng.gen_range(0..=3) {
        let text = if rng.gen_bool(0.5) {
            format!("{}{}", random_text(rng, 2), mutated_token(rng))
        } else {
            random_text(rng, 12)
        };
        if let Ok(value) = HeaderValue::from_str(&text) {
            headers.append(header::AUTHORIZATION, value);
            values.push(text);
        }
    }
    trying(&values);
    match credentials(&headers) {
        Credentials::Bearer(token) => {
            if values.len() != 1 {
                return Err(format!(
                    "a token read from {} headers: {values:?}",
                    values.len()
                ));
            }
            if token.is_empty() || token.starts_with(' ') || !values[0].contains(token) {
                return Err(format!("token {token:?} read from {values:?}"));
            }
        }
        Credentials::Absent if !values.is_empty() => {
            return Err(format!("no credentials seen in {values:?}"));
        }
        _ => {}
    }
    Ok(())
}

fn fuzz_name(rng: &mut StdRng) -> Result<(), String> {
    let input = random_text(rng, 80);
    trying(&input);
    if let Ok(name) = check_name(&input) {
        let chars = name.chars().count();
        if name != name.trim() || chars == 0 || chars > MAX_NAME_CHARS {
            return Err(format!("accepted {input:?} as {name:?}"));
        }
        let hidden = name
            .chars()
            .filter(|c| is_deceptive(*c) && *c != '\u{200D}')
            .count();
        if hidden > 0 {
            return Err(format!(
                "accepted {input:?} with {hidden} hidden characters"
            ));
        }
        if name_key(name).is_empty() {
            return Err(format!("{name:?} has an empty key"));
        }
    }
    Ok(())
}

fn fuzz_forwarded_for(rng: &mut StdRng) -> Result<(), String> {
    let proxies: TrustedProxies = "127.0.0.0/8, 10.0.0.0/8, ::1"
        .parse()
        .map_err(|error| format!("proxy list: {error}"))?;
    let peers: [IpAddr; 3] = [
        [127, 0, 0, 1].into(),
        [10, 1, 2, 3].into(),
        [203, 0, 113, 7].into(),
    ];
    let peer = peers[rng.gen_range(0..peers.len())];
    let values: Vec<String> = (0..rng.gen_range(0..=3))
        .map(|_| random_text(rng, 10))
        .collect();
    trying(&(peer, &values));
    let client = proxies.client_addr(peer, values.iter().map(String::as_str));
    if peer == IpAddr::from([203, 0, 113, 7]) && client != peer {
        return Err(format!(
            "an untrusted peer was replaced by {client} from {values:?}"
        ));
    }
    Ok(())
}

/// Any text is a search: the FTS5 expression quotes every term (so none is FTS5 syntax), and
/// a snippet's highlights are ordered ranges inside it.
fn fuzz_search(rng: &mut StdRng) -> Result<(), String> {
    let query = random_text(rng, 30);
    let body = random_text(rng, 200);
    trying(&(&query, &body));
    let terms = parse(&query);
    for at_least in tiers(&terms) {
        if let Some(expression) = fts5_expression(&terms, at_least) {
            let outside_quotes: String = expression
                .split('"')
                .step_by(2)
                .collect::<Vec<_>>()
                .concat();
            let allowed = outside_quotes
                .split_whitespace()
                .all(|word| matches!(word.trim_matches(['(', ')']), "" | "AND" | "OR" | "NOT"));
            if expression.matches('"').count() % 2 != 0 || !allowed {
                return Err(format!("{query:?} gave the expression {expression:?}"));
            }
        }
    }
    let snippet = snippet(&body, &terms);
    let length = snippet.text.chars().count();
    let mut previous_end = 0;
    for [start, end] in &snippet.highlights {
        if start >= end || *start < previous_end || *end > length {
            return Err(format!(
                "highlights {:?} in {:?}",
                snippet.highlights, snippet.text
            ));
        }
        previous_end = *end;
    }
    Ok(())
}

/// A client's file name becomes one safe path-free name, and its download header is valid.
fn fuzz_file_name(rng: &mut StdRng) -> Result<(), String> {
    let input = random_text(rng, 40);
    trying(&input);
    let name = clean_file_name(&input);
    if name.is_empty()
        || name.contains(['/', '\\'])
        || name.chars().any(is_deceptive)
        || name.chars().count() > MAX_FILE_NAME_CHARS
    {
        return Err(format!("{input:?} became {name:?}"));
    }
    if HeaderValue::from_str(&content_disposition(&name)).is_err() {
        return Err(format!("{name:?} has no valid Content-Disposition"));
    }
    Ok(())
}

struct Options {
    budget: Budget,
    seed: u64,
    targets: Vec<String>,
}

enum Budget {
    Seconds(f64),
    Inputs(u64),
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        budget: Budget::Seconds(5.0),
        seed: rand::random(),
        targets: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--seconds" => {
                let seconds = value("--seconds")?;
                options.budget =
                    Budget::Seconds(seconds.parse().map_err(|_| "--seconds: a number")?);
            }
            "--inputs" => {
                let inputs = value("--inputs")?;
                options.budget = Budget::Inputs(inputs.parse().map_err(|_| "--inputs: a count")?);
            }
            "--seed" => {
                options.seed = value("--seed")?.parse().map_err(|_| "--seed: a number")?;
            }
            target if TARGETS.iter().any(|t| t.name == target) => {
                options.targets.push(target.to_owned());
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(error) => {
            eprintln!("fuzz: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Panics are counted and reported below, with their input; not printed as they happen.
    std::panic::set_hook(Box::new(|_| {}));
    println!("seed {}", options.seed);
    println!(
        "{:<15} {:>14} {:>8} {:>14} {:>12}",
        "target", "inputs", "failed", "inputs/s", "seconds"
    );
    let mut all_passed = true;
    for target in TARGETS
        .iter()
        .filter(|t| options.targets.is_empty() || options.targets.iter().any(|n| n == t.name))
    {
        let mut rng = StdRng::seed_from_u64(options.seed);
        let started = Instant::now();
        let (mut inputs, mut failures) = (0u64, Vec::new());
        loop {
            let done = match options.budget {
                Budget::Seconds(seconds) => {
                    inputs % 1024 == 0 && started.elapsed() >= Duration::from_secs_f64(seconds)
                }
                Budget::Inputs(count) => inputs >= count,
            };
            if done {
                break;
            }
            inputs += 1;
            match catch_unwind(AssertUnwindSafe(|| (target.run)(&mut rng))) {
                Ok(Ok(())) => {}
                Ok(Err(broken)) => failures.push(broken),
                Err(_) => failures.push(format!(
                    "panicked on {}",
                    TRYING.with(|cell| cell.borrow().clone())
                )),
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{:<15} {:>14} {:>8} {:>14.0} {:>12.1}",
            target.name,
            inputs,
            failures.len(),
            inputs as f64 / seconds.max(1e-9),
            seconds
        );
        for failure in failures.iter().take(5) {
            println!("  {failure}");
        }
        all_passed &= failures.is_empty();
    }
    if all_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
