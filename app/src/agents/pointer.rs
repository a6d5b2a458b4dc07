//! Where a JSON pointer (RFC 6901) lands in JSON text as someone typed it: the byte range of
//! the value it names, so the config editor can say which line a problem is on and select
//! it. Pure, for both sides. `serde_json` keeps no positions, so this walks the text itself;
//! text that is not JSON, or a pointer into nothing, finds nothing.

use std::ops::Range;

/// The range of the value at `pointer`, or, when that value is missing (a required field
/// left out), of the nearest enclosing value that exists. `None` when the text is not JSON
/// up to there.
pub fn locate(text: &str, pointer: &str) -> Option<Range<usize>> {
    let segments = segments(pointer);
    (0..=segments.len())
        .rev()
        .find_map(|depth| Walker { text, at: 0 }.find(&segments[..depth]))
}

/// The 1-based line `offset` is on.
pub fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|byte| **byte == b'\n')
        .count()
        + 1
}

/// The pointer's reference tokens, unescaped (`~1` is `/`, `~0` is `~`).
fn segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect()
}

struct Walker<'a> {
    text: &'a str,
    at: usize,
}

impl Walker<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|byte| byte.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_space();
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// The value at `path` below the value that starts here.
    fn find(&mut self, path: &[String]) -> Option<Range<usize>> {
        self.skip_space();
        let Some((first, rest)) = path.split_first() else {
            let start = self.at;
            self.skip_value()?;
            return Some(start..self.at);
        };
        match self.peek()? {
            b'{' => {
                self.at += 1;
                loop {
                    self.skip_space();
                    if self.peek()? == b'}' {
                        return None;
                    }
                    let key = self.string()?;
                    self.expect(b':')?;
                    if key == *first {
                        return self.find(rest);
                    }
                    self.skip_value()?;
                    self.expect(b',')?;
                }
            }
            b'[' => {
                let wanted: usize = first.parse().ok()?;
                self.at += 1;
                for index in 0.. {
                    self.skip_space();
                    if self.peek()? == b']' {
                        return None;
                    }
                    if index == wanted {
                        return self.find(rest);
                    }
                    self.skip_value()?;
                    self.expect(b',')?;
                }
                None
            }
            _ => None,
        }
    }

    /// A string, decoded (the key it spells). Decoded here rather than by `serde_json`,
    /// which would bring a deserializer into the browser's bundle for this alone.
    fn string(&mut self) -> Option<String> {
        self.skip_space();
        let start = self.at;
        self.skip_string()?;
        unescape(&self.text[start + 1..self.at - 1])
    }

    fn skip_string(&mut self) -> Option<()> {
        (self.peek()? == b'"').then_some(())?;
        self.at += 1;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                _ => self.at += 1,
            }
        }
    }

    /// Past one value: brackets are counted rather than recursed into, so no nesting depth
    /// can overflow the stack.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_space();
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.skip_string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.at += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                let start = self.at;
                while self.peek().is_some_and(|byte| {
                    !matches!(byte, b',' | b'}' | b']') && !byte.is_ascii_whitespace()
                }) {
                    self.at += 1;
                }
                (self.at > start).then_some(())
            }
        }
    }
}

/// The text a JSON string's inside spells (its escapes resolved); `None` if one is invalid.
fn unescape(raw: &str) -> Option<String> {
    if !raw.contains('\\') {
        return Some(raw.to_owned());
    }
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    let mut pending_high: Option<u32> = None;
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        let escaped = match chars.next()? {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let code =
                    u32::from_str_radix(chars.by_ref().take(4).collect::<String>().as_str(), 16)
                        .ok()?;
                match (pending_high.take(), code) {
                    (None, 0xD800..=0xDBFF) => {
                        pending_high = Some(code);
                        continue;
                    }
                    (Some(high), 0xDC00..=0xDFFF) => {
                        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))?
                    }
                    (None, code) => char::from_u32(code)?,
                    (Some(_), _) => return None,
                }
            }
            _ => return None,
        };
        text.push(escaped);
    }
    pending_high.is_none().then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"{
  "steps": [
    {"id": "greet", "kind": "template", "template": "hi {{ input.who }}"},
    {
      "id": "call",
      "kind": "http_request",
      "path": "/a\"b",
      "headers": {"x/y": "1"}
    }
  ]
}"#;

    fn found(pointer: &str) -> &'static str {
        let range = locate(CONFIG, pointer).unwrap_or_else(|| panic!("{pointer} not found"));
        &CONFIG[range]
    }

    #[test]
    fn finds_the_value_a_pointer_names() {
        assert_eq!(found("/steps/0/id"), r#""greet""#);
        assert_eq!(found("/steps/1/path"), r#""/a\"b""#);
        assert_eq!(found("/steps/1/headers/x~1y"), r#""1""#);
        assert!(found("/steps/1").starts_with("{\n      \"id\": \"call\""));
        assert_eq!(found(""), CONFIG);
        assert_eq!(
            line_at(CONFIG, locate(CONFIG, "/steps/1/path").unwrap().start),
            7
        );
        assert_eq!(
            line_at(CONFIG, locate(CONFIG, "/steps/0/kind").unwrap().start),
            3
        );
    }

    #[test]
    fn keys_are_compared_as_the_text_they_spell() {
        let text = r#"{"a\"b": 1, "\u00e9t\u00e9": 2, "\ud83d\ude00": 3, "tab\there": 4}"#;
        assert_eq!(&text[locate(text, "/a\"b").unwrap()], "1");
        assert_eq!(&text[locate(text, "/été").unwrap()], "2");
        assert_eq!(&text[locate(text, "/😀").unwrap()], "3");
        assert_eq!(&text[locate(text, "/tab\there").unwrap()], "4");
        assert_eq!(unescape(r"\ud83d"), None, "half a surrogate pair");
        assert_eq!(unescape(r"\q"), None);
    }

    #[test]
    fn a_missing_value_points_at_what_encloses_it() {
        // Step 0 has no `query`: its object is the place to look.
        assert!(found("/steps/0/query").starts_with(r#"{"id": "greet""#));
        assert!(found("/steps/7/id").starts_with("[\n"));
    }

    #[test]
    fn text_that_is_not_json_finds_nothing_and_never_panics() {
        for text in [
            "",
            "{",
            "{\"steps\": [",
            "[1, 2",
            "\"open",
            "{\"a\" 1}",
            "}}}}",
            "{\"a\":\\",
        ] {
            for pointer in ["", "/a", "/steps/0/id", "/0"] {
                let _ = locate(text, pointer);
            }
        }
        assert_eq!(locate("{\"steps\": [", "/steps/0"), None);
        let deep = "[".repeat(100_000);
        assert_eq!(locate(&deep, "/0/0"), None);
    }
}
