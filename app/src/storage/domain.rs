//! Rules for stored files that need no database: the display name kept for a client's file
//! name, the type a file is served with, and the `Content-Disposition` of a download.

use crate::auth::domain::is_deceptive;

/// Longest display name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// A client's file name made safe to show and to send back: the last path component only,
/// no control or direction-changing characters, trimmed, at most [`MAX_NAME_CHARS`]
/// characters. It is metadata: blobs are stored under generated ids.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !is_deceptive(*c))
        .take(MAX_NAME_CHARS)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        "file".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// The type a file is served with: the canonical type of a kind the knowledge base reads,
/// else the client's if it is a well-formed `type/subtype`, else `application/octet-stream`.
/// Downloads are attachments with `nosniff`, so a declared type cannot make a browser run it.
pub fn content_type(detected: Option<&'static str>, declared: Option<&str>) -> String {
    if let Some(detected) = detected {
        return detected.to_owned();
    }
    let declared = declared.map(|value| value.trim().to_ascii_lowercase());
    let well_formed = |value: &str| {
        let essence = value.split(';').next().unwrap_or("").trim();
        let mut parts = essence.split('/');
        let token = |part: Option<&str>| {
            part.is_some_and(|p| {
                !p.is_empty()
                    && p.len() <= 64
                    && p.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
            })
        };
        token(parts.next()) && token(parts.next()) && parts.next().is_none()
    };
    match declared {
        Some(value) if well_formed(&value) => {
            value.split(';').next().unwrap_or("").trim().to_owned()
        }
        _ => "application/octet-stream".to_owned(),
    }
}

/// `attachment` with the name twice (RFC 6266): an ASCII fallback, and the exact name
/// percent-encoded as UTF-8 for clients that read `filename*`.
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_paths_controls_and_leading_dots() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\a\\report.pdf"), "report.pdf");
        assert_eq!(clean_file_name("evil\u{202e}fdp.exe"), "evilfdp.exe");
        assert_eq!(clean_file_name("line\nbreak.txt"), "linebreak.txt");
        assert_eq!(clean_file_name(".htaccess"), "htaccess");
        assert_eq!(clean_file_name("  "), "file");
        assert_eq!(clean_file_name("dir/"), "file");
        assert_eq!(
            clean_file_name(&"x".repeat(500)).chars().count(),
            MAX_NAME_CHARS
        );
    }

    #[test]
    fn served_types_prefer_what_was_detected_and_refuse_junk() {
        assert_eq!(
            content_type(Some("application/pdf"), Some("text/html")),
            "application/pdf"
        );
        assert_eq!(content_type(None, Some("image/PNG")), "image/png");
        assert_eq!(
            content_type(None, Some("text/plain; charset=utf-8")),
            "text/plain"
        );
        assert_eq!(
            content_type(None, Some("nonsense")),
            "application/octet-stream"
        );
        assert_eq!(
            content_type(None, Some("a/b\r\nX: y")),
            "application/octet-stream"
        );
        assert_eq!(content_type(None, None), "application/octet-stream");
    }

    #[test]
    fn dispositions_quote_safely_and_keep_the_exact_name() {
        assert_eq!(
            content_disposition("na\"me ü.txt"),
            "attachment; filename=\"na_me _.txt\"; filename*=UTF-8''na%22me%20%C3%BC.txt"
        );
    }
}
