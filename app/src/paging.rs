//! Paging rules every list shares (SPEC §4): `limit` 1–500, default 50; `offset` from 0;
//! a name search folded the way names are.

pub use tessera_wire::paging::{effective_limit, effective_offset, DEFAULT_LIMIT, MAX_LIMIT};

/// Longer search texts are cut: no name is longer than 64 characters anyway.
const MAX_SEARCH_CHARS: usize = 100;

/// The folded form of a name search (compared with the stored `name_key`), or `None` when
/// the search is absent or blank.
pub fn search_key(search: Option<&str>) -> Option<String> {
    let text = search.map(str::trim).filter(|text| !text.is_empty())?;
    let cut: String = text.chars().take(MAX_SEARCH_CHARS).collect();
    Some(crate::auth::domain::name_key(&cut))
}

/// What a list reads: `SELECT {columns} FROM {from} WHERE {conditions} ORDER BY {order}`, the
/// conditions' placeholders `$1…$n` bound, in order, to the text values given to [`page`].
#[cfg(feature = "ssr")]
pub struct ListQuery<'a> {
    pub columns: &'a str,
    pub from: &'a str,
    pub conditions: &'a str,
    pub order: &'a str,
}

/// One page of a list and how many rows match in all pages: the count and the page, two
/// statements over the same conditions and binds, `limit` and `offset` bound last.
#[cfg(feature = "ssr")]
pub async fn page<R>(
    pool: &sqlx::AnyPool,
    query: &ListQuery<'_>,
    binds: &[&str],
    limit: i64,
    offset: i64,
) -> Result<(Vec<R>, i64), sqlx::Error>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let ListQuery {
        columns,
        from,
        conditions,
        order,
    } = query;
    let count_sql = format!("SELECT COUNT(*) FROM {from} WHERE {conditions}");
    let mut count = sqlx::query_as::<_, (i64,)>(&count_sql);
    for bind in binds {
        count = count.bind(*bind);
    }
    let (total,) = count.fetch_one(pool).await?;
    let (limit_at, offset_at) = (binds.len() + 1, binds.len() + 2);
    let page_sql = format!(
        "SELECT {columns} FROM {from} WHERE {conditions} ORDER BY {order} \
         LIMIT ${limit_at} OFFSET ${offset_at}"
    );
    let mut rows = sqlx::query_as::<_, R>(&page_sql);
    for bind in binds {
        rows = rows.bind(*bind);
    }
    let rows = rows.bind(limit).bind(offset).fetch_all(pool).await?;
    Ok((rows, total))
}
