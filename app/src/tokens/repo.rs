//! SQL for tokens and their daily usage. Nothing else lives here: the rules are in `domain`,
//! the transactions and audit events in `service`.

use sqlx::{Any, AnyConnection, AnyPool, Executor, FromRow};

use crate::tokens::model::{EffectiveStatus, TokenQuery, TokenSort, TokenStatus};

/// Columns a token is shown with, joined with its environment's and agent's names. No hashes.
const VIEW_COLUMNS: &str = "t.id, t.workspace_id, t.name, t.key_id, t.scope_kind, \
     t.environment_id, t.agent_id, t.status, t.expires_at, t.created_at, t.created_by, \
     t.usage_count, t.last_used_at, t.previous_valid_until, t.permissions, \
     e.name AS environment_name, a.name AS agent_name";
const VIEW_FROM: &str = "tokens t \
     LEFT JOIN environments e ON e.id = t.environment_id \
     LEFT JOIN agents a ON a.id = t.agent_id";

/// A token as it is shown: everything but the hashes.
#[derive(Debug, Clone, FromRow)]
pub struct TokenViewRow {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub key_id: String,
    pub scope_kind: String,
    pub environment_id: Option<String>,
    pub agent_id: Option<String>,
    pub status: String,
    pub expires_at: Option<i64>,
    pub created_at: i64,
    pub created_by: String,
    pub usage_count: i64,
    pub last_used_at: Option<i64>,
    /// Until when the value replaced by the last regeneration keeps working.
    pub previous_valid_until: Option<i64>,
    /// The stored form of `access::Permissions`; `None` means full access.
    pub permissions: Option<String>,
    pub environment_name: Option<String>,
    pub agent_name: Option<String>,
}

/// What authentication needs: the hashes (current and, during a grace period, previous),
/// status, expiry and scope.
#[derive(FromRow)]
pub struct TokenAuthRow {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub key_id: String,
    pub secret_hash: String,
    pub previous_key_id: Option<String>,
    pub previous_secret_hash: Option<String>,
    pub previous_valid_until: Option<i64>,
    pub status: String,
    pub expires_at: Option<i64>,
    pub scope_kind: String,
    pub environment_id: Option<String>,
    pub agent_id: Option<String>,
    /// The stored form of `access::Permissions`; `None` means full access.
    pub permissions: Option<String>,
}

// Hand-written so that the hashes never reach a log line.
impl std::fmt::Debug for TokenAuthRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenAuthRow")
            .field("id", &self.id)
            .field("key_id", &self.key_id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A new row for `tokens`.
pub struct NewTokenRow<'a> {
    pub id: &'a str,
    pub workspace_id: &'a str,
    pub key_id: &'a str,
    pub secret_hash: &'a str,
    pub name: &'a str,
    pub name_key: &'a str,
    pub scope_kind: &'a str,
    pub environment_id: Option<&'a str>,
    pub agent_id: Option<&'a str>,
    pub expires_at: Option<i64>,
    /// The stored form of `access::Permissions`.
    pub permissions: &'a str,
    pub created_by: &'a str,
    pub created_by_id: Option<&'a str>,
    pub now: i64,
}

pub async fn insert(conn: &mut AnyConnection, row: &NewTokenRow<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO tokens (id, workspace_id, key_id, secret_hash, name, name_key, scope_kind, \
                             environment_id, agent_id, status, expires_at, created_at, created_by, \
                             created_by_id, permissions, usage_count, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 0, $12)",
    )
    .bind(row.id)
    .bind(row.workspace_id)
    .bind(row.key_id)
    .bind(row.secret_hash)
    .bind(row.name)
    .bind(row.name_key)
    .bind(row.scope_kind)
    .bind(row.environment_id)
    .bind(row.agent_id)
    .bind(TokenStatus::Active.as_str())
    .bind(row.expires_at)
    .bind(row.now)
    .bind(row.created_by)
    .bind(row.created_by_id)
    .bind(row.permissions)
    .execute(conn)
    .await
    .map(|_| ())
}

/// One token of one workspace, as shown.
pub async fn find_view<'e, E>(
    executor: E,
    workspace_id: &str,
    id: &str,
) -> Result<Option<TokenViewRow>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query_as(&format!(
        "SELECT {VIEW_COLUMNS} FROM {VIEW_FROM} WHERE t.id = $1 AND t.workspace_id = $2"
    ))
    .bind(id)
    .bind(workspace_id)
    .fetch_optional(executor)
    .await
}

/// A value bound to a dynamically built query.
enum Arg {
    Text(String),
    Int(i64),
}

/// A `WHERE` clause built piece by piece, numbering its placeholders as it goes.
struct Filter {
    conditions: Vec<String>,
    args: Vec<Arg>,
}

impl Filter {
    fn placeholder(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    fn sql(&self) -> String {
        self.conditions.join(" AND ")
    }
}

/// The conditions of a list query. `search_key` is the case-folded search text (compared with
/// `name_key`, which is folded the same way, so case-insensitivity works beyond ASCII).
fn list_filter(
    workspace_id: &str,
    query: &TokenQuery,
    search_key: Option<&str>,
    now: i64,
) -> Filter {
    let mut filter = Filter {
        conditions: Vec::new(),
        args: Vec::new(),
    };
    let p = filter.placeholder(Arg::Text(workspace_id.to_owned()));
    filter.conditions.push(format!("t.workspace_id = {p}"));
    if let Some(status) = query.status {
        // The SQL form of `domain::effective_status`: expired = active or suspended with an
        // expiry at or before now; revoked stays revoked.
        let condition = match status {
            EffectiveStatus::Revoked => "t.status = 'revoked'".to_owned(),
            EffectiveStatus::Expired => {
                let p = filter.placeholder(Arg::Int(now));
                format!(
                    "t.status IN ('active', 'suspended') AND t.expires_at IS NOT NULL \
                     AND t.expires_at <= {p}"
                )
            }
            EffectiveStatus::Active | EffectiveStatus::Suspended => {
                let stored = if status == EffectiveStatus::Active {
                    TokenStatus::Active
                } else {
                    TokenStatus::Suspended
                };
                let s = filter.placeholder(Arg::Text(stored.as_str().to_owned()));
                let p = filter.placeholder(Arg::Int(now));
                format!("t.status = {s} AND (t.expires_at IS NULL OR t.expires_at > {p})")
            }
        };
        filter.conditions.push(condition);
    }
    if let Some(kind) = query.scope_kind {
        let p = filter.placeholder(Arg::Text(kind.as_str().to_owned()));
        filter.conditions.push(format!("t.scope_kind = {p}"));
    }
    if let Some(environment_id) = &query.environment_id {
        let p = filter.placeholder(Arg::Text(environment_id.clone()));
        filter.conditions.push(format!("t.environment_id = {p}"));
    }
    if let Some(agent_id) = &query.agent_id {
        let p = filter.placeholder(Arg::Text(agent_id.clone()));
        filter.conditions.push(format!("t.agent_id = {p}"));
    }
    if let Some(search_key) = search_key {
        let p = filter.placeholder(Arg::Text(crate::db::like_contains(search_key)));
        filter
            .conditions
            .push(format!("t.name_key LIKE {p} ESCAPE '\\'"));
    }
    filter
}

fn order_by(sort: TokenSort) -> &'static str {
    match sort {
        TokenSort::CreatedDesc => "t.created_at DESC, t.id DESC",
        TokenSort::CreatedAsc => "t.created_at ASC, t.id ASC",
        TokenSort::LastUsedDesc => {
            "CASE WHEN t.last_used_at IS NULL THEN 1 ELSE 0 END, t.last_used_at DESC, \
             t.created_at DESC, t.id DESC"
        }
        TokenSort::LastUsedAsc => {
            "CASE WHEN t.last_used_at IS NULL THEN 1 ELSE 0 END, t.last_used_at ASC, \
             t.created_at DESC, t.id DESC"
        }
        TokenSort::NameAsc => "t.name_key ASC, t.id ASC",
        TokenSort::NameDesc => "t.name_key DESC, t.id DESC",
    }
}

/// One page of a workspace's tokens and the number matching the filters in all pages.
pub async fn list(
    pool: &AnyPool,
    workspace_id: &str,
    query: &TokenQuery,
    search_key: Option<&str>,
    now: i64,
) -> Result<(Vec<TokenViewRow>, i64), sqlx::Error> {
    let mut filter = list_filter(workspace_id, query, search_key, now);
    let conditions = filter.sql();

    let count_sql = format!("SELECT COUNT(*) FROM tokens t WHERE {conditions}");
    let mut count = sqlx::query_as::<_, (i64,)>(&count_sql);
    for arg in &filter.args {
        count = match arg {
            Arg::Text(text) => count.bind(text.as_str()),
            Arg::Int(value) => count.bind(*value),
        };
    }
    let (total,) = count.fetch_one(pool).await?;

    let limit = filter.placeholder(Arg::Int(query.effective_limit()));
    let offset = filter.placeholder(Arg::Int(query.effective_offset()));
    let list_sql = format!(
        "SELECT {VIEW_COLUMNS} FROM {VIEW_FROM} WHERE {conditions} ORDER BY {} \
         LIMIT {limit} OFFSET {offset}",
        order_by(query.sort)
    );
    let mut rows = sqlx::query_as::<_, TokenViewRow>(&list_sql);
    for arg in &filter.args {
        rows = match arg {
            Arg::Text(text) => rows.bind(text.as_str()),
            Arg::Int(value) => rows.bind(*value),
        };
    }
    Ok((rows.fetch_all(pool).await?, total))
}

/// Sets the status, but only if the row still has `from`: of two racing changes one wins.
/// Returns whether the row changed.
pub async fn change_status(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
    from: TokenStatus,
    to: TokenStatus,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE tokens SET status = $1, updated_at = $2 \
         WHERE id = $3 AND workspace_id = $4 AND status = $5",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(id)
    .bind(workspace_id)
    .bind(from.as_str())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Replaces the permissions, but only if they are still `from` (the stored form, `None` for
/// full access): of two racing changes one wins. Returns whether the row changed.
pub async fn set_permissions(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
    from: Option<&str>,
    to: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE tokens SET permissions = $1, updated_at = $2 \
         WHERE id = $3 AND workspace_id = $4 \
           AND COALESCE(permissions, '') = $5",
    )
    .bind(to)
    .bind(now)
    .bind(id)
    .bind(workspace_id)
    .bind(from.unwrap_or(""))
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The new and, for a grace period, the previous credentials of a regenerated token.
pub struct Regeneration<'a> {
    pub new_key_id: &'a str,
    pub new_secret_hash: &'a str,
    /// The key id the row must still have: two racing regenerations cannot both win.
    pub old_key_id: &'a str,
    /// The status the row must still have.
    pub status: TokenStatus,
    /// `(key id, hash, valid until)` of the value being replaced, if it keeps working a while.
    pub previous: Option<(&'a str, &'a str, i64)>,
    pub now: i64,
}

pub async fn regenerate(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
    change: &Regeneration<'_>,
) -> Result<bool, sqlx::Error> {
    let (previous_key_id, previous_hash, previous_until) = match change.previous {
        Some((key_id, hash, until)) => (Some(key_id), Some(hash), Some(until)),
        None => (None, None, None),
    };
    let result = sqlx::query(
        "UPDATE tokens SET key_id = $1, secret_hash = $2, previous_key_id = $3, \
                           previous_secret_hash = $4, previous_valid_until = $5, updated_at = $6 \
         WHERE id = $7 AND workspace_id = $8 AND status = $9 AND key_id = $10",
    )
    .bind(change.new_key_id)
    .bind(change.new_secret_hash)
    .bind(previous_key_id)
    .bind(previous_hash)
    .bind(previous_until)
    .bind(change.now)
    .bind(id)
    .bind(workspace_id)
    .bind(change.status.as_str())
    .bind(change.old_key_id)
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Ends a grace period now: the value replaced by the last regeneration stops working.
/// `false` when there was none left to end (`previous_key_id` must still be `previous`).
pub async fn end_grace(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
    previous: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE tokens SET previous_key_id = NULL, previous_secret_hash = NULL, \
                           previous_valid_until = NULL, updated_at = $1 \
         WHERE id = $2 AND workspace_id = $3 AND previous_key_id = $4 \
           AND previous_valid_until > $5",
    )
    .bind(now)
    .bind(id)
    .bind(workspace_id)
    .bind(previous)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The stored secret hash and key id of a token, for regeneration's grace period.
pub async fn find_current_credentials(
    pool: &AnyPool,
    workspace_id: &str,
    id: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT key_id, secret_hash FROM tokens WHERE id = $1 AND workspace_id = $2")
        .bind(id)
        .bind(workspace_id)
        .fetch_optional(pool)
        .await
}

/// Removes a revoked token (and, by cascade, its usage rows). Returns whether it was removed.
pub async fn delete_revoked(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let result =
        sqlx::query("DELETE FROM tokens WHERE id = $1 AND workspace_id = $2 AND status = $3")
            .bind(id)
            .bind(workspace_id)
            .bind(TokenStatus::Revoked.as_str())
            .execute(conn)
            .await?;
    Ok(result.rows_affected() == 1)
}

/// Revokes every not-yet-revoked token of the workspace scoped to the environment and/or agent
/// given, in one statement, and returns the `(id, name)` of each token it revoked.
pub async fn revoke_scoped_to(
    conn: &mut AnyConnection,
    workspace_id: &str,
    environment_id: Option<&str>,
    agent_id: Option<&str>,
    now: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    // A NULL argument matches every row, so one statement serves all three cases; the
    // caller makes sure at least one is given.
    sqlx::query_as(
        "UPDATE tokens SET status = $1, updated_at = $2 \
         WHERE workspace_id = $3 AND status <> $1 \
           AND (CAST($4 AS TEXT) IS NULL OR environment_id = $4) \
           AND (CAST($5 AS TEXT) IS NULL OR agent_id = $5) \
         RETURNING id, name",
    )
    .bind(TokenStatus::Revoked.as_str())
    .bind(now)
    .bind(workspace_id)
    .bind(environment_id)
    .bind(agent_id)
    .fetch_all(conn)
    .await
}

/// Every token whose current or previous key id is `key_id` (at most two rows: both columns
/// are unique). No time filter: the caller checks the grace period against its own clock, so
/// the result can be cached without caching a time decision.
pub async fn find_by_key(pool: &AnyPool, key_id: &str) -> Result<Vec<TokenAuthRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, workspace_id, name, key_id, secret_hash, previous_key_id, \
                previous_secret_hash, previous_valid_until, status, expires_at, scope_kind, \
                environment_id, agent_id, permissions \
         FROM tokens \
         WHERE key_id = $1 OR previous_key_id = $1",
    )
    .bind(key_id)
    .fetch_all(pool)
    .await
}

/// The current and previous key ids of a token: what a change must invalidate in caches.
pub async fn key_ids<'e, E>(
    executor: E,
    workspace_id: &str,
    id: &str,
) -> Result<Option<(String, Option<String>)>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query_as("SELECT key_id, previous_key_id FROM tokens WHERE id = $1 AND workspace_id = $2")
        .bind(id)
        .bind(workspace_id)
        .fetch_optional(executor)
        .await
}

/// Adds a batch of calls to a token's total and moves its last use forward (never back).
pub async fn add_usage(
    conn: &mut AnyConnection,
    token_id: &str,
    calls: i64,
    last_used_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE tokens SET usage_count = usage_count + $1, \
             last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < $2 \
                                 THEN $2 ELSE last_used_at END \
         WHERE id = $3",
    )
    .bind(calls)
    .bind(last_used_at)
    .bind(token_id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Adds calls to a token's tally for one UTC day; skipped if the token has been deleted.
pub async fn add_daily_usage(
    conn: &mut AnyConnection,
    token_id: &str,
    day: i64,
    calls: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO token_usage_daily (token_id, day, calls) \
         SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM tokens WHERE id = $1) \
         ON CONFLICT (token_id, day) DO UPDATE SET calls = token_usage_daily.calls + excluded.calls",
    )
    .bind(token_id)
    .bind(day)
    .bind(calls)
    .execute(conn)
    .await
    .map(|_| ())
}

/// `(day, calls)` of one token for the days `first..=last`, only days with a row.
pub async fn usage_days(
    pool: &AnyPool,
    token_id: &str,
    first_day: i64,
    last_day: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT day, calls FROM token_usage_daily \
         WHERE token_id = $1 AND day >= $2 AND day <= $3 ORDER BY day",
    )
    .bind(token_id)
    .bind(first_day)
    .bind(last_day)
    .fetch_all(pool)
    .await
}

/// Whether the environment exists in this workspace.
pub async fn environment_in_workspace(
    pool: &AnyPool,
    workspace_id: &str,
    environment_id: &str,
) -> Result<bool, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM environments WHERE id = $1 AND workspace_id = $2")
            .bind(environment_id)
            .bind(workspace_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.is_some())
}

/// Whether the agent exists in this workspace.
pub async fn agent_in_workspace(
    pool: &AnyPool,
    workspace_id: &str,
    agent_id: &str,
) -> Result<bool, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM agents WHERE id = $1 AND workspace_id = $2")
            .bind(agent_id)
            .bind(workspace_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.is_some())
}

/// What a token's scope can name. Deleting one is token business too: its tokens go first.
#[derive(Debug, Clone, Copy)]
pub enum ScopeOwner<'a> {
    Environment(&'a str),
    Agent(&'a str),
}

impl ScopeOwner<'_> {
    /// The table the row lives in (a fixed name, never input).
    pub const fn table(self) -> &'static str {
        match self {
            ScopeOwner::Environment(_) => "environments",
            ScopeOwner::Agent(_) => "agents",
        }
    }

    pub const fn id(&self) -> &str {
        match self {
            ScopeOwner::Environment(id) | ScopeOwner::Agent(id) => id,
        }
    }
}

/// Deletes the environment or agent and returns its name (for the audit log), or `None` if
/// the workspace has no such row.
pub async fn delete_scope_owner(
    conn: &mut AnyConnection,
    workspace_id: &str,
    owner: ScopeOwner<'_>,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(&format!(
        "DELETE FROM {} WHERE workspace_id = $1 AND id = $2 RETURNING name",
        owner.table()
    ))
    .bind(workspace_id)
    .bind(owner.id())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(name,)| name))
}
