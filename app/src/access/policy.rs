//! What a caller may do, decided in one place: people by role (owners and admins write,
//! members read), tokens by their permission per resource capped by their scope's ceiling
//! (SPEC §4.2). Services ask [`authorize`] before they touch anything, list queries turn
//! [`reach`] into a filter, and the browser asks the same functions to hide a control.
//! Pure: no I/O, compiled for WASM too.

use crate::access::permissions::{Level, Needed, Permissions, Resource};
use crate::access::principal::{Actor, Principal};
use crate::access::scope::TokenScope;
use crate::error::AppError;

/// What is done to a resource. Each needs a permission level ([`Op::needs`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// List, show, search, download.
    Read,
    /// Create, update, delete.
    Write,
    /// Cancel an execution.
    Cancel,
    /// Run a trigger.
    Execute,
    /// Send an event to a webhook trigger.
    Send,
    /// Ask the assistant (a question is a read of the knowledge base).
    Chat,
}

impl Op {
    pub const ALL: [Op; 6] = [
        Op::Read,
        Op::Write,
        Op::Cancel,
        Op::Execute,
        Op::Send,
        Op::Chat,
    ];

    /// The permission level the operation needs.
    pub const fn needs(self) -> Level {
        match self {
            Op::Read | Op::Chat => Level::Read,
            Op::Write | Op::Cancel | Op::Execute | Op::Send => Level::Write,
        }
    }
}

/// What an operation is about: one of the nine resources tokens have permissions for, or the
/// workspace's settings (environments, members, invites, its name, the audit log), which only
/// people manage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    Resource(Resource),
    Settings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Action {
    pub area: Area,
    pub op: Op,
}

impl Action {
    pub const fn new(resource: Resource, op: Op) -> Self {
        Action {
            area: Area::Resource(resource),
            op,
        }
    }

    pub const fn read(resource: Resource) -> Self {
        Action::new(resource, Op::Read)
    }

    pub const fn write(resource: Resource) -> Self {
        Action::new(resource, Op::Write)
    }

    pub const fn settings(op: Op) -> Self {
        Action {
            area: Area::Settings,
            op,
        }
    }
}

/// The thing acted on, as far as scopes care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// The resource as a whole: a list (which [`reach`] filters) or a create.
    Any,
    Agent(&'a str),
    /// Something that belongs to one agent in one environment: an execution, a trigger.
    Deployment {
        agent_id: &'a str,
        environment_id: &'a str,
    },
    /// An assistant conversation, with the token that started it (none if a person did).
    Conversation {
        started_by_token: Option<&'a str>,
    },
}

/// How far a caller's operation extends: what a list query must be filtered to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// The whole workspace.
    Workspace,
    /// What belongs to this environment.
    Environment(String),
    /// What belongs to this agent in this environment (and, for agents, the agent itself).
    Deployment {
        agent_id: String,
        environment_id: String,
    },
    /// Conversations this token started.
    OwnConversations(String),
}

impl Reach {
    pub fn contains(&self, target: &Target<'_>) -> bool {
        match (self, target) {
            (Reach::Workspace, _) | (_, Target::Any) => true,
            (Reach::Environment(environment), Target::Deployment { environment_id, .. }) => {
                environment == environment_id
            }
            (Reach::Deployment { agent_id, .. }, Target::Agent(agent)) => agent_id == agent,
            (
                Reach::Deployment {
                    agent_id,
                    environment_id,
                },
                Target::Deployment {
                    agent_id: agent,
                    environment_id: environment,
                },
            ) => agent_id == agent && environment_id == environment,
            (Reach::OwnConversations(token), Target::Conversation { started_by_token }) => {
                *started_by_token == Some(token.as_str())
            }
            _ => false,
        }
    }

    /// The one agent a list of agents is filtered to, if any.
    pub fn only_agent(&self) -> Option<&str> {
        match self {
            Reach::Deployment { agent_id, .. } => Some(agent_id),
            _ => None,
        }
    }
}

/// Whether the caller may do `action` to `target`. A refusal changes nothing and says why:
/// 403 for a role or permission the caller lacks (a token's names what it needed), 404 for a
/// thing outside a token's scope, exactly as if it did not exist.
pub fn authorize(
    principal: &Principal,
    action: Action,
    target: Target<'_>,
) -> Result<(), AppError> {
    if reach(principal, action)?.contains(&target) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// How far the caller's `action` extends, or why it is refused outright.
pub fn reach(principal: &Principal, action: Action) -> Result<Reach, AppError> {
    match &principal.actor {
        Actor::User { role, .. } => {
            if action.op.needs() == Level::Write && !role.can_write() {
                Err(AppError::Forbidden)
            } else {
                Ok(Reach::Workspace)
            }
        }
        Actor::Token {
            id,
            scope,
            permissions,
            ..
        } => {
            let Area::Resource(resource) = action.area else {
                // Settings are managed by people in the browser; no token reaches them.
                return Err(AppError::Forbidden);
            };
            let needed = Needed {
                resource,
                level: action.op.needs(),
            };
            if permissions.get(resource) < needed.level {
                return Err(insufficient(needed));
            }
            scope_reach(scope, resource, action.op, id).ok_or_else(|| insufficient(needed))
        }
    }
}

fn insufficient(needed: Needed) -> AppError {
    AppError::InsufficientScope {
        required: needed.to_string(),
    }
}

/// SPEC §4.2's scope-ceiling table: how far a scope lets `op` on `resource` extend, or `None`
/// where the scope does not allow it at all.
fn scope_reach(scope: &TokenScope, resource: Resource, op: Op, token_id: &str) -> Option<Reach> {
    use Op::*;
    use Resource::*;
    let own_conversations = || Reach::OwnConversations(token_id.to_owned());
    match scope {
        TokenScope::Account => Some(Reach::Workspace),
        TokenScope::Environment { environment_id } => {
            let environment = || Reach::Environment(environment_id.clone());
            match (resource, op) {
                (Agents | Triggers | Integrations | KnowledgeBase | Storage, Read) => {
                    Some(Reach::Workspace)
                }
                (Executions, Read | Cancel) | (Triggers, Execute) | (Webhooks, Send) => {
                    Some(environment())
                }
                (Assistant, Chat) => Some(Reach::Workspace),
                (Assistant, Read) => Some(own_conversations()),
                _ => None,
            }
        }
        TokenScope::Deployment {
            agent_id,
            environment_id,
        } => {
            let deployment = || Reach::Deployment {
                agent_id: agent_id.clone(),
                environment_id: environment_id.clone(),
            };
            match (resource, op) {
                (Agents | Executions, Read) | (Triggers, Read | Execute) | (Webhooks, Send) => {
                    Some(deployment())
                }
                (KnowledgeBase | Storage, Read) => Some(Reach::Workspace),
                (Assistant, Chat) => Some(Reach::Workspace),
                (Assistant, Read) => Some(own_conversations()),
                _ => None,
            }
        }
    }
}

/// The highest level a scope allows on each resource (for some operation, somewhere).
pub fn ceiling(scope: &TokenScope) -> Permissions {
    Permissions::from_fn(|resource| {
        Op::ALL
            .into_iter()
            .filter(|op| scope_reach(scope, resource, *op, "").is_some())
            .map(Op::needs)
            .max()
            .unwrap_or(Level::None)
    })
}

/// What a token may actually do: its permissions capped by its scope's ceiling.
pub fn effective(scope: &TokenScope, permissions: &Permissions) -> Permissions {
    permissions.min(&ceiling(scope))
}

/// Whether a token of scope `outer` may create one of scope `inner`: never one that reaches
/// further than itself.
pub fn scope_covers(outer: &TokenScope, inner: &TokenScope) -> bool {
    match (outer, inner) {
        (TokenScope::Account, _) => true,
        (
            TokenScope::Environment { environment_id },
            TokenScope::Environment {
                environment_id: inner,
            }
            | TokenScope::Deployment {
                environment_id: inner,
                ..
            },
        ) => environment_id == inner,
        (TokenScope::Deployment { .. }, _) => outer == inner,
        (TokenScope::Environment { .. }, TokenScope::Account) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::model::Role;

    const E: &str = "env-e";
    const OTHER_E: &str = "env-other";
    const A: &str = "agent-a";
    const OTHER_A: &str = "agent-other";
    const ME: &str = "token-me";

    fn account() -> TokenScope {
        TokenScope::Account
    }

    fn environment() -> TokenScope {
        TokenScope::Environment {
            environment_id: E.into(),
        }
    }

    fn deployment() -> TokenScope {
        TokenScope::Deployment {
            agent_id: A.into(),
            environment_id: E.into(),
        }
    }

    fn token(scope: TokenScope, permissions: Permissions) -> Principal {
        Principal::token("w".into(), ME.into(), "t".into(), scope, permissions, None)
    }

    fn user(role: Role) -> Principal {
        Principal::user("w".into(), "u".into(), role, ("U", "u@example.com"), None)
    }

    fn allowed(principal: &Principal, resource: Resource, op: Op, target: Target<'_>) -> bool {
        authorize(principal, Action::new(resource, op), target).is_ok()
    }

    /// Targets inside and outside environment E / deployment (A in E).
    const IN_E: Target<'static> = Target::Deployment {
        agent_id: OTHER_A,
        environment_id: E,
    };
    const OF_A_IN_E: Target<'static> = Target::Deployment {
        agent_id: A,
        environment_id: E,
    };
    const OF_A_ELSEWHERE: Target<'static> = Target::Deployment {
        agent_id: A,
        environment_id: OTHER_E,
    };
    const ELSEWHERE: Target<'static> = Target::Deployment {
        agent_id: OTHER_A,
        environment_id: OTHER_E,
    };
    const MINE: Target<'static> = Target::Conversation {
        started_by_token: Some(ME),
    };
    const THEIRS: Target<'static> = Target::Conversation {
        started_by_token: Some("token-other"),
    };
    const A_PERSONS: Target<'static> = Target::Conversation {
        started_by_token: None,
    };

    #[test]
    fn ceilings_are_the_table_of_spec_4_2() {
        use Level::{None as N, Read as R, Write as W};
        // agents, executions, triggers, webhooks, integrations, knowledge_base, storage,
        // assistant, tokens
        let rows = [
            (account(), [W, W, W, W, W, W, W, W, W]),
            (environment(), [R, W, W, W, R, R, R, R, N]),
            (deployment(), [R, R, W, W, N, R, R, R, N]),
        ];
        for (scope, levels) in rows {
            let ceiling = ceiling(&scope);
            for (resource, level) in Resource::ALL.into_iter().zip(levels) {
                assert_eq!(ceiling.get(resource), level, "{scope:?} {resource:?}");
            }
        }
    }

    #[test]
    fn account_tokens_do_everything_their_permissions_allow() {
        let full = token(account(), Permissions::full());
        for resource in Resource::ALL {
            for op in Op::ALL {
                for target in [Target::Any, Target::Agent(A), ELSEWHERE, THEIRS, A_PERSONS] {
                    assert!(allowed(&full, resource, op, target), "{resource:?} {op:?}");
                }
            }
        }
        let read_only = token(account(), Permissions::read_only());
        for resource in Resource::ALL {
            assert!(allowed(&read_only, resource, Op::Read, Target::Any));
            assert!(allowed(&read_only, resource, Op::Chat, Target::Any));
            for op in [Op::Write, Op::Cancel, Op::Execute, Op::Send] {
                let refusal = authorize(&read_only, Action::new(resource, op), Target::Any);
                assert_eq!(
                    refusal,
                    Err(AppError::InsufficientScope {
                        required: format!("{}:write", resource.as_str())
                    })
                );
            }
        }
        let nothing = token(account(), Permissions::default());
        for resource in Resource::ALL {
            assert!(!allowed(&nothing, resource, Op::Read, Target::Any));
        }
    }

    #[test]
    fn environment_tokens_follow_their_column() {
        use Resource::*;
        let t = token(environment(), Permissions::full());
        // agents: read
        assert!(allowed(&t, Agents, Op::Read, Target::Agent(OTHER_A)));
        assert!(!allowed(&t, Agents, Op::Write, Target::Any));
        // executions: read, cancel those in E
        for op in [Op::Read, Op::Cancel] {
            assert!(allowed(&t, Executions, op, IN_E));
            assert!(!allowed(&t, Executions, op, ELSEWHERE));
        }
        assert!(!allowed(&t, Executions, Op::Write, IN_E));
        // triggers: read all; execute those in E
        assert!(allowed(&t, Triggers, Op::Read, ELSEWHERE));
        assert!(allowed(&t, Triggers, Op::Execute, IN_E));
        assert!(!allowed(&t, Triggers, Op::Execute, ELSEWHERE));
        assert!(!allowed(&t, Triggers, Op::Write, Target::Any));
        // webhooks: webhook triggers in E
        assert!(allowed(&t, Webhooks, Op::Send, IN_E));
        assert!(!allowed(&t, Webhooks, Op::Send, ELSEWHERE));
        // integrations: read
        assert!(allowed(&t, Integrations, Op::Read, Target::Any));
        assert!(!allowed(&t, Integrations, Op::Write, Target::Any));
        // knowledge base and storage: read, search, download
        for resource in [KnowledgeBase, Storage] {
            assert!(allowed(&t, resource, Op::Read, Target::Any));
            assert!(!allowed(&t, resource, Op::Write, Target::Any));
        }
        // assistant: chat, own history
        assert!(allowed(&t, Assistant, Op::Chat, Target::Any));
        assert!(allowed(&t, Assistant, Op::Read, MINE));
        assert!(!allowed(&t, Assistant, Op::Read, THEIRS));
        assert!(!allowed(&t, Assistant, Op::Read, A_PERSONS));
        // tokens: itself only (`/self` needs no permission)
        assert!(!allowed(&t, Tokens, Op::Read, Target::Any));
        assert!(!allowed(&t, Tokens, Op::Write, Target::Any));
    }

    #[test]
    fn deployment_tokens_follow_their_column() {
        use Resource::*;
        let t = token(deployment(), Permissions::full());
        // agents: read A only
        assert!(allowed(&t, Agents, Op::Read, Target::Agent(A)));
        assert!(!allowed(&t, Agents, Op::Read, Target::Agent(OTHER_A)));
        assert_eq!(
            reach(&t, Action::read(Agents)).unwrap().only_agent(),
            Some(A)
        );
        assert!(!allowed(&t, Agents, Op::Write, Target::Agent(A)));
        // executions: read those of A in E
        assert!(allowed(&t, Executions, Op::Read, OF_A_IN_E));
        assert!(!allowed(&t, Executions, Op::Read, IN_E));
        assert!(!allowed(&t, Executions, Op::Read, OF_A_ELSEWHERE));
        assert!(!allowed(&t, Executions, Op::Cancel, OF_A_IN_E));
        // triggers: read and execute A's triggers in E
        for op in [Op::Read, Op::Execute] {
            assert!(allowed(&t, Triggers, op, OF_A_IN_E));
            assert!(!allowed(&t, Triggers, op, IN_E));
            assert!(!allowed(&t, Triggers, op, OF_A_ELSEWHERE));
        }
        assert!(!allowed(&t, Triggers, Op::Write, OF_A_IN_E));
        // webhooks: A's webhook triggers in E
        assert!(allowed(&t, Webhooks, Op::Send, OF_A_IN_E));
        assert!(!allowed(&t, Webhooks, Op::Send, IN_E));
        // integrations: none
        assert!(!allowed(&t, Integrations, Op::Read, Target::Any));
        // knowledge base and storage: read
        for resource in [KnowledgeBase, Storage] {
            assert!(allowed(&t, resource, Op::Read, Target::Any));
            assert!(!allowed(&t, resource, Op::Write, Target::Any));
        }
        // assistant: chat, own history
        assert!(allowed(&t, Assistant, Op::Chat, Target::Any));
        assert!(allowed(&t, Assistant, Op::Read, MINE));
        assert!(!allowed(&t, Assistant, Op::Read, THEIRS));
        // tokens: itself only
        assert!(!allowed(&t, Tokens, Op::Read, Target::Any));
    }

    #[test]
    fn a_scope_never_lifts_a_permission_and_refusals_name_what_was_needed() {
        let mut permissions = Permissions::full();
        permissions.set(Resource::Triggers, Level::Read);
        let t = token(environment(), permissions);
        assert!(allowed(&t, Resource::Triggers, Op::Read, IN_E));
        assert_eq!(
            authorize(&t, Action::new(Resource::Triggers, Op::Execute), IN_E),
            Err(AppError::InsufficientScope {
                required: "triggers:write".into()
            })
        );
        // Refused by the scope's ceiling rather than by the permission: same answer.
        assert_eq!(
            authorize(&t, Action::write(Resource::Agents), Target::Any),
            Err(AppError::InsufficientScope {
                required: "agents:write".into()
            })
        );
        // Triggers are read everywhere, executions only in E; outside it, as if absent.
        assert_eq!(
            authorize(&t, Action::new(Resource::Triggers, Op::Read), ELSEWHERE),
            Ok(())
        );
        assert_eq!(
            authorize(&t, Action::new(Resource::Executions, Op::Read), ELSEWHERE),
            Err(AppError::NotFound)
        );
    }

    #[test]
    fn effective_permissions_are_the_lower_of_permission_and_ceiling() {
        let mut permissions = Permissions::read_only();
        permissions.set(Resource::Triggers, Level::Write);
        permissions.set(Resource::Integrations, Level::Write);
        let effective = effective(&deployment(), &permissions);
        assert_eq!(effective.get(Resource::Triggers), Level::Write);
        assert_eq!(effective.get(Resource::Integrations), Level::None);
        assert_eq!(effective.get(Resource::Agents), Level::Read);
        assert_eq!(effective.get(Resource::Tokens), Level::None);
    }

    #[test]
    fn people_read_by_any_role_and_write_as_owner_or_admin() {
        for role in [Role::Owner, Role::Admin, Role::Member] {
            let person = user(role);
            for area in Resource::ALL
                .into_iter()
                .map(Area::Resource)
                .chain([Area::Settings])
            {
                for op in Op::ALL {
                    let outcome = authorize(&person, Action { area, op }, Target::Any);
                    if op.needs() == Level::Write && role == Role::Member {
                        assert_eq!(outcome, Err(AppError::Forbidden), "{role:?} {op:?}");
                    } else {
                        assert_eq!(outcome, Ok(()), "{role:?} {area:?} {op:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn no_token_reaches_the_settings() {
        for scope in [account(), environment(), deployment()] {
            let t = token(scope, Permissions::full());
            for op in Op::ALL {
                assert_eq!(
                    authorize(&t, Action::settings(op), Target::Any),
                    Err(AppError::Forbidden)
                );
            }
        }
    }

    #[test]
    fn a_token_creates_no_token_with_more_reach_than_its_own() {
        let other_environment = TokenScope::Environment {
            environment_id: OTHER_E.into(),
        };
        let other_deployment = TokenScope::Deployment {
            agent_id: OTHER_A.into(),
            environment_id: E.into(),
        };
        for inner in [
            account(),
            environment(),
            deployment(),
            other_environment.clone(),
        ] {
            assert!(scope_covers(&account(), &inner));
        }
        assert!(scope_covers(&environment(), &environment()));
        assert!(scope_covers(&environment(), &deployment()));
        assert!(scope_covers(&environment(), &other_deployment));
        assert!(!scope_covers(&environment(), &account()));
        assert!(!scope_covers(&environment(), &other_environment));
        assert!(scope_covers(&deployment(), &deployment()));
        assert!(!scope_covers(&deployment(), &other_deployment));
        assert!(!scope_covers(&deployment(), &environment()));
        assert!(!scope_covers(&deployment(), &account()));
    }
}
