//! Who may do what to whom in a workspace, and the invite rules. Pure functions: the service
//! always enforces them (inside its transaction), the UI may consult them to hide an action.

use crate::auth::model::Role;
use crate::clock::DAY_MS;
use crate::members::model::MemberView;

/// An invite link works for a week after it is created.
pub const INVITE_TTL_MS: i64 = 7 * DAY_MS;
/// Random bytes in an invite code (256 bits, base64url): far beyond guessing, so SHA-256 is
/// enough to store it.
pub const INVITE_CODE_BYTES: usize = 32;

pub const LAST_OWNER_DEMOTE: &str =
    "The workspace needs at least one owner. Make someone else an owner first.";
pub const LAST_OWNER_REMOVE: &str =
    "The last owner cannot be removed. Make someone else an owner first.";
pub const ALREADY_MEMBER: &str = "This person is already a member of the workspace.";
pub const INVITE_OWNER_REFUSED: &str =
    "Invite people as admin or member; make them an owner once they have joined.";
/// Accepting an invite for an email that already has an account proves it with that
/// account's password instead of creating a second account.
pub const EXISTING_ACCOUNT_PASSWORD: &str =
    "An account with this email already exists. Enter its password to join.";
pub const ALREADY_JOINED: &str = "You are already a member of this workspace. Sign in instead.";

/// The path of the page an invitee opens. The code is the only secret in it.
pub fn invite_link_path(code: &str) -> String {
    format!("/invite/{code}")
}

/// The role an invite may grant: admin or member. Owners are made, not invited, so that a
/// leaked link can never hand out ownership.
pub fn parse_invite_role(role: Role) -> Result<Role, String> {
    match role {
        Role::Admin | Role::Member => Ok(role),
        Role::Owner => Err(INVITE_OWNER_REFUSED.to_owned()),
    }
}

/// Owners and admins invite people, see and revoke invites, and rename the workspace.
pub fn may_manage_invites(actor: Role) -> bool {
    actor.can_write()
}

/// Only owners change roles: otherwise an admin could make themselves an owner.
pub fn may_change_roles(actor: Role) -> bool {
    actor == Role::Owner
}

/// Owners remove anyone; admins remove plain members only (not each other, not owners).
pub fn may_remove(actor: Role, target: Role) -> bool {
    match actor {
        Role::Owner => true,
        Role::Admin => target == Role::Member,
        Role::Member => false,
    }
}

/// Whether giving the member whose role is `current` the role `new` (`None`: removing them)
/// would leave a workspace that has `owners` owners without any.
pub fn removes_last_owner(owners: i64, current: Role, new: Option<Role>) -> bool {
    current == Role::Owner && new != Some(Role::Owner) && owners <= 1
}

/// Owners first, then everyone else by name (case-insensitively), then by email so the order
/// is stable when names repeat.
pub fn sort_members(members: &mut [MemberView]) {
    members.sort_by_cached_key(|m| {
        (
            m.role != Role::Owner,
            m.name.to_lowercase(),
            m.email.clone(),
            m.user_id.clone(),
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: [Role; 3] = [Role::Owner, Role::Admin, Role::Member];

    #[test]
    fn invites_grant_admin_or_member_never_owner() {
        assert_eq!(parse_invite_role(Role::Admin), Ok(Role::Admin));
        assert_eq!(parse_invite_role(Role::Member), Ok(Role::Member));
        assert_eq!(
            parse_invite_role(Role::Owner),
            Err(INVITE_OWNER_REFUSED.to_owned())
        );
    }

    #[test]
    fn permissions_follow_the_role_table() {
        assert!(may_manage_invites(Role::Owner));
        assert!(may_manage_invites(Role::Admin));
        assert!(!may_manage_invites(Role::Member));

        assert!(may_change_roles(Role::Owner));
        assert!(!may_change_roles(Role::Admin));
        assert!(!may_change_roles(Role::Member));

        for target in ROLES {
            assert!(may_remove(Role::Owner, target));
            assert!(!may_remove(Role::Member, target));
        }
        assert!(may_remove(Role::Admin, Role::Member));
        assert!(!may_remove(Role::Admin, Role::Admin));
        assert!(!may_remove(Role::Admin, Role::Owner));
    }

    #[test]
    fn the_last_owner_is_kept() {
        // Demoting or removing the only owner is refused …
        assert!(removes_last_owner(1, Role::Owner, Some(Role::Admin)));
        assert!(removes_last_owner(1, Role::Owner, Some(Role::Member)));
        assert!(removes_last_owner(1, Role::Owner, None));
        // … but not with a second owner, not for non-owners, and not "owner → owner".
        assert!(!removes_last_owner(2, Role::Owner, Some(Role::Member)));
        assert!(!removes_last_owner(2, Role::Owner, None));
        assert!(!removes_last_owner(1, Role::Owner, Some(Role::Owner)));
        for role in [Role::Admin, Role::Member] {
            assert!(!removes_last_owner(1, role, None));
            assert!(!removes_last_owner(1, role, Some(Role::Owner)));
        }
    }

    fn member(name: &str, email: &str, role: Role) -> MemberView {
        MemberView {
            user_id: email.to_owned(),
            name: name.to_owned(),
            email: email.to_owned(),
            role,
            joined_at_ms: 0,
            is_you: false,
        }
    }

    #[test]
    fn members_sort_owners_first_then_by_name() {
        let mut members = vec![
            member("bob", "b@x.io", Role::Member),
            member("Zoe", "z@x.io", Role::Owner),
            member("Alice", "a2@x.io", Role::Admin),
            member("alice", "a1@x.io", Role::Member),
            member("Ann", "ann@x.io", Role::Owner),
        ];
        sort_members(&mut members);
        let emails: Vec<&str> = members.iter().map(|m| m.email.as_str()).collect();
        assert_eq!(
            emails,
            ["ann@x.io", "z@x.io", "a1@x.io", "a2@x.io", "b@x.io"]
        );
    }

    #[test]
    fn invite_links_are_paths_with_the_code() {
        assert_eq!(invite_link_path("abc_-1"), "/invite/abc_-1");
    }
}
