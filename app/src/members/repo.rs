//! SQL for memberships, invites and the workspace row, and nothing else. Every statement a
//! signed-in caller reaches is filtered by workspace, so another workspace's ids behave
//! exactly like ids that do not exist.

use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(Debug, FromRow)]
pub struct MemberRow {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub joined_at: i64,
}

#[derive(Debug, FromRow)]
pub struct InviteRow {
    pub id: String,
    pub email: String,
    pub role: String,
    pub invited_by: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A pending invite found by its code, with the workspace it leads to.
#[derive(Debug, FromRow)]
pub struct InviteByCodeRow {
    pub workspace_id: String,
    pub workspace_name: String,
    pub email: String,
    pub role: String,
    pub expires_at: i64,
}

/// An invite this transaction has just marked accepted.
#[derive(Debug, FromRow)]
pub struct ClaimedInviteRow {
    pub id: String,
    pub workspace_id: String,
    pub email: String,
    pub role: String,
}

#[derive(Debug, FromRow)]
pub struct WorkspaceRow {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

pub struct NewInviteRow<'a> {
    pub id: &'a str,
    pub workspace_id: &'a str,
    pub code_hash: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub created_by: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

const MEMBER_COLUMNS: &str = "u.id AS user_id, u.name, u.email, m.role, m.created_at AS joined_at";

/// Every member; the service sorts (case-insensitive order is not portable SQL).
pub async fn list_members(
    pool: &AnyPool,
    workspace_id: &str,
) -> Result<Vec<MemberRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.workspace_id = $1"
    ))
    .bind(workspace_id)
    .fetch_all(pool)
    .await
}

pub async fn find_member(
    conn: &mut AnyConnection,
    workspace_id: &str,
    user_id: &str,
) -> Result<Option<MemberRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.workspace_id = $1 AND m.user_id = $2"
    ))
    .bind(workspace_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// Serialises membership changes of one workspace: a no-op write to its row. PostgreSQL holds
/// the row lock until commit, so a concurrent change waits and then reads what this one
/// committed; SQLite takes its single write lock here, at the transaction's first statement.
/// That is what makes the last-owner checks that follow race-safe. False if there is no such
/// workspace.
pub async fn lock_workspace(
    conn: &mut AnyConnection,
    workspace_id: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("UPDATE workspaces SET name = name WHERE id = $1")
        .bind(workspace_id)
        .execute(conn)
        .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn count_owners(
    conn: &mut AnyConnection,
    workspace_id: &str,
) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM memberships WHERE workspace_id = $1 AND role = 'owner'",
    )
    .bind(workspace_id)
    .fetch_one(conn)
    .await?;
    Ok(count)
}

pub async fn set_role(
    conn: &mut AnyConnection,
    workspace_id: &str,
    user_id: &str,
    role: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE memberships SET role = $1 WHERE workspace_id = $2 AND user_id = $3")
        .bind(role)
        .bind(workspace_id)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn delete_membership(
    conn: &mut AnyConnection,
    workspace_id: &str,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2")
        .bind(workspace_id)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The user's sessions in this workspace. Session lookup joins the membership anyway; this
/// removes the rows instead of leaving them to expire.
pub async fn delete_sessions(
    conn: &mut AnyConnection,
    workspace_id: &str,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE workspace_id = $1 AND user_id = $2")
        .bind(workspace_id)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn email_is_member(
    pool: &AnyPool,
    workspace_id: &str,
    email: &str,
) -> Result<bool, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.workspace_id = $1 AND u.email = $2",
    )
    .bind(workspace_id)
    .bind(email)
    .fetch_optional(pool)
    .await?;
    Ok(row.is_some())
}

pub async fn insert_invite(
    conn: &mut AnyConnection,
    row: &NewInviteRow<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO invites (id, workspace_id, code_hash, email, role, created_by, created_at, \
                              expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(row.id)
    .bind(row.workspace_id)
    .bind(row.code_hash)
    .bind(row.email)
    .bind(row.role)
    .bind(row.created_by)
    .bind(row.now)
    .bind(row.expires_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Revokes every open (not accepted, not revoked) invite for `email` and returns their ids.
pub async fn revoke_open_invites_for(
    conn: &mut AnyConnection,
    workspace_id: &str,
    email: &str,
    now: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "UPDATE invites SET revoked_at = $1 \
         WHERE workspace_id = $2 AND email = $3 AND accepted_at IS NULL AND revoked_at IS NULL \
         RETURNING id",
    )
    .bind(now)
    .bind(workspace_id)
    .bind(email)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Pending invites (not accepted, not revoked, not expired), newest first.
pub async fn list_pending_invites(
    pool: &AnyPool,
    workspace_id: &str,
    now: i64,
) -> Result<Vec<InviteRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, i.email, i.role, u.name AS invited_by, i.created_at, i.expires_at \
         FROM invites i JOIN users u ON u.id = i.created_by \
         WHERE i.workspace_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL \
               AND i.expires_at > $2 \
         ORDER BY i.created_at DESC, i.id",
    )
    .bind(workspace_id)
    .bind(now)
    .fetch_all(pool)
    .await
}

/// Revokes an open invite and returns its email, or `None` if the workspace has no such
/// invite or it was already accepted or revoked.
pub async fn revoke_invite(
    conn: &mut AnyConnection,
    workspace_id: &str,
    id: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE invites SET revoked_at = $1 \
         WHERE workspace_id = $2 AND id = $3 AND accepted_at IS NULL AND revoked_at IS NULL \
         RETURNING email",
    )
    .bind(now)
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(email,)| email))
}

/// The pending invite with this code hash, if any.
pub async fn find_pending_invite(
    pool: &AnyPool,
    code_hash: &str,
    now: i64,
) -> Result<Option<InviteByCodeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT w.id AS workspace_id, w.name AS workspace_name, i.email, i.role, i.expires_at \
         FROM invites i JOIN workspaces w ON w.id = i.workspace_id \
         WHERE i.code_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL \
               AND i.expires_at > $2",
    )
    .bind(code_hash)
    .bind(now)
    .fetch_optional(pool)
    .await
}

/// Marks the invite accepted if it is still pending: one conditional statement, so of two
/// concurrent acceptances exactly one gets the row (PostgreSQL re-checks the condition after
/// the first commits; SQLite runs writers one at a time).
pub async fn claim_invite(
    conn: &mut AnyConnection,
    code_hash: &str,
    now: i64,
) -> Result<Option<ClaimedInviteRow>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE invites SET accepted_at = $1 \
         WHERE code_hash = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1 \
         RETURNING id, workspace_id, email, role",
    )
    .bind(now)
    .bind(code_hash)
    .fetch_optional(conn)
    .await
}

/// Records who accepted; a separate step because the user row may be created after the claim.
pub async fn set_accepted_by(
    conn: &mut AnyConnection,
    invite_id: &str,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invites SET accepted_by = $1 WHERE id = $2")
        .bind(user_id)
        .bind(invite_id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn find_workspace(
    pool: &AnyPool,
    workspace_id: &str,
) -> Result<Option<WorkspaceRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, created_at FROM workspaces WHERE id = $1")
        .bind(workspace_id)
        .fetch_optional(pool)
        .await
}

pub async fn rename_workspace(
    conn: &mut AnyConnection,
    workspace_id: &str,
    name: &str,
) -> Result<Option<WorkspaceRow>, sqlx::Error> {
    sqlx::query_as("UPDATE workspaces SET name = $1 WHERE id = $2 RETURNING id, name, created_at")
        .bind(name)
        .bind(workspace_id)
        .fetch_optional(conn)
        .await
}
