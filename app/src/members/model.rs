//! Member, invite and workspace types that cross the wire. They compile for WASM: no
//! server-only crates here. No type here ever carries an invite code except `CreatedInvite`.

use serde::{Deserialize, Serialize};

use crate::auth::model::Role;

/// A member of the caller's workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// When the membership was created (epoch milliseconds, UTC).
    pub joined_at_ms: i64,
    /// This row is the caller.
    pub is_you: bool,
}

/// A pending invite, as owners and admins see it. Never includes the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteView {
    pub id: String,
    pub email: String,
    /// `admin` or `member`; an invite never makes an owner.
    pub role: Role,
    /// The name of the person who created the invite.
    pub invited_by: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
}

/// The answer to `create_invite`: the only time the link exists outside the invitee's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedInvite {
    pub invite: InviteView,
    /// `/invite/{code}`: the page the invitee opens. Shown once; the server keeps only a hash.
    pub link_path: String,
}

/// What an invite link shows before it is accepted (public: the code is the credential).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitePreview {
    pub workspace_name: String,
    pub email: String,
    pub role: Role,
    pub expires_at_ms: i64,
}

/// The workspace, for the General tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceView {
    pub id: String,
    pub name: String,
    pub created_at_ms: i64,
}
