//! SQL for workspaces, users, memberships and sessions. Nothing else lives here.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::auth::model::{CurrentUser, Role};

#[derive(FromRow)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
}

// Hand-written so that the password hash never reaches a log line.
impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, FromRow)]
pub struct SessionMemberRow {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub workspace_id: String,
    pub workspace_name: String,
    pub role: String,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

impl SessionMemberRow {
    pub fn into_current_user(self) -> Option<CurrentUser> {
        Some(CurrentUser {
            role: Role::parse(&self.role)?,
            user_id: self.user_id,
            name: self.name,
            email: self.email,
            workspace_id: self.workspace_id,
            workspace_name: self.workspace_name,
        })
    }
}

pub async fn installation_done(pool: &AnyPool) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM installation WHERE id = 1")
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}

pub async fn insert_installation(conn: &mut AnyConnection, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO installation (id, completed_at) VALUES (1, $1)")
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn insert_workspace(
    conn: &mut AnyConnection,
    id: &str,
    name: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(name)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn insert_user(
    conn: &mut AnyConnection,
    user: &UserRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&user.id)
    .bind(&user.email)
    .bind(&user.name)
    .bind(&user.password_hash)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn insert_membership(
    conn: &mut AnyConnection,
    workspace_id: &str,
    user_id: &str,
    role: Role,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(workspace_id)
    .bind(user_id)
    .bind(role.as_str())
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn find_user_by_email(
    pool: &AnyPool,
    email: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, email, name, password_hash FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(pool)
        .await
}

/// The workspace a user signs into (their oldest membership) and their role there, as stored.
pub async fn first_workspace_of(
    pool: &AnyPool,
    user_id: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT workspace_id, role FROM memberships WHERE user_id = $1 \
         ORDER BY created_at, workspace_id LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

pub async fn insert_session(
    conn: &mut AnyConnection,
    id_hash: &str,
    user_id: &str,
    workspace_id: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, workspace_id, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(workspace_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The session's user with their membership of the session's workspace; nothing if the
/// membership is gone (removed members are signed out on their next request).
pub async fn find_session_member(
    pool: &AnyPool,
    id_hash: &str,
) -> Result<Option<SessionMemberRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id AS user_id, u.name, u.email, w.id AS workspace_id, w.name AS workspace_name, \
                m.role, s.last_seen_at, s.expires_at \
         FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         JOIN workspaces w ON w.id = s.workspace_id \
         JOIN memberships m ON m.workspace_id = s.workspace_id AND m.user_id = s.user_id \
         WHERE s.id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(pool)
    .await
}

pub async fn touch_session(pool: &AnyPool, id_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(id_hash)
        .execute(pool)
        .await
        .map(|_| ())
}

pub async fn delete_session(pool: &AnyPool, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Deletes sessions that expired by `now` or were last seen at or before `idle_since`.
pub async fn delete_ended_sessions(
    pool: &AnyPool,
    now: i64,
    idle_since: i64,
) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(idle_since)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
}
