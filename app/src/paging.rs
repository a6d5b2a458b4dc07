//! Paging rules every list shares (SPEC §4): `limit` 1–500, default 50; `offset` from 0;
//! a name search folded the way names are.

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// The page size actually used for a requested one.
pub fn effective_limit(requested: Option<i64>) -> i64 {
    requested.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
}

/// The number of items actually skipped for a requested offset.
pub fn effective_offset(requested: Option<i64>) -> i64 {
    requested.unwrap_or(0).max(0)
}

/// Longer search texts are cut: no name is longer than 64 characters anyway.
const MAX_SEARCH_CHARS: usize = 100;

/// The folded form of a name search (compared with the stored `name_key`), or `None` when
/// the search is absent or blank.
pub fn search_key(search: Option<&str>) -> Option<String> {
    let text = search.map(str::trim).filter(|text| !text.is_empty())?;
    let cut: String = text.chars().take(MAX_SEARCH_CHARS).collect();
    Some(crate::auth::domain::name_key(&cut))
}
