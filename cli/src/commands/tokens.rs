//! `tsr tokens …`: list, create, show, narrow, regenerate, suspend, activate, revoke and
//! delete tokens (needs `tokens:write`). A created or regenerated token is printed once, as
//! the web app shows it once; nothing else ever prints a token.

use clap::Subcommand;
use tessera_sdk::wire::access::{Level, Permissions, Resource, TokenScope};
use tessera_sdk::wire::tokens::{
    CreateTokenRequest, CreatedToken, EffectiveStatus, GracePeriod, RegenerateRequest, TokenQuery,
    TokenScopeKind, TokenSort, TokenView, UpdateTokenRequest,
};

use super::{fetch_list, print_list, wire_name, Context, PageArgs};
use crate::failure::{Failure, Outcome};
use crate::output;

#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// List the workspace's tokens.
    List {
        /// active, suspended, expired or revoked.
        #[arg(long, value_parser = wire_name::<EffectiveStatus>)]
        status: Option<EffectiveStatus>,
        /// account, environment or deployment.
        #[arg(long, value_parser = wire_name::<TokenScopeKind>)]
        scope_kind: Option<TokenScopeKind>,
        #[arg(long)]
        environment: Option<String>,
        #[arg(long)]
        agent: Option<String>,
        /// Part of the name or prefix.
        #[arg(long)]
        search: Option<String>,
        /// created_desc, created_asc, last_used_desc, last_used_asc, name_asc, name_desc.
        #[arg(long, value_parser = wire_name::<TokenSort>)]
        sort: Option<TokenSort>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Create a token; it is printed this once.
    Create {
        name: String,
        /// Limit it to one environment.
        #[arg(long)]
        environment: Option<String>,
        /// Limit it to one agent's deployment (with --environment).
        #[arg(long, requires = "environment")]
        agent: Option<String>,
        /// Expires after this many days (default: never).
        #[arg(long)]
        expires_in_days: Option<u32>,
        /// Read access to everything.
        #[arg(long, conflicts_with = "permission")]
        read_only: bool,
        /// RESOURCE=LEVEL (none, read, write); repeat it. Resources left out get none.
        #[arg(long, value_name = "RESOURCE=LEVEL")]
        permission: Vec<String>,
    },
    /// Show a token.
    Show { id: String },
    /// Narrow a token's permissions (they can never be widened).
    Update {
        id: String,
        #[arg(long, conflicts_with = "permission")]
        read_only: bool,
        /// RESOURCE=LEVEL; repeat it. Resources left out get none.
        #[arg(
            long,
            value_name = "RESOURCE=LEVEL",
            required_unless_present = "read_only"
        )]
        permission: Vec<String>,
    },
    /// Replace a token's secret; the new token is printed this once.
    Regenerate {
        id: String,
        /// How long the old value keeps working: none, one_hour, one_day, seven_days.
        #[arg(long, value_parser = wire_name::<GracePeriod>, default_value = "none")]
        grace: GracePeriod,
    },
    /// Refuse the token's calls until it is activated again.
    Suspend { id: String },
    /// Accept a suspended token's calls again.
    Activate { id: String },
    /// Revoke a token for good.
    Revoke { id: String },
    /// Delete a revoked token.
    Delete { id: String },
}

pub async fn run(context: &Context, command: TokensCommand) -> Outcome {
    let tokens = context.client()?.tokens();
    match command {
        TokensCommand::List {
            status,
            scope_kind,
            environment,
            agent,
            search,
            sort,
            page,
        } => {
            let query = TokenQuery {
                status,
                scope_kind,
                environment_id: environment,
                agent_id: agent,
                search,
                sort: sort.unwrap_or_default(),
                limit: page.limit(),
                offset: page.offset,
            };
            let (items, total) = fetch_list(
                &page,
                || tokens.list_all(query.clone()),
                || tokens.list(&query),
            )
            .await?;
            let headers = [
                "ID",
                "NAME",
                "PREFIX",
                "STATUS",
                "SCOPE",
                "PERMISSIONS",
                "LAST USED",
            ];
            print_list(context, &items, total, &headers, row)
        }
        TokensCommand::Create {
            name,
            environment,
            agent,
            expires_in_days,
            read_only,
            permission,
        } => {
            let scope = match (environment, agent) {
                (Some(environment_id), Some(agent_id)) => Some(TokenScope::Deployment {
                    agent_id,
                    environment_id,
                }),
                (Some(environment_id), None) => Some(TokenScope::Environment { environment_id }),
                _ => None,
            };
            let expires_at_ms = expires_in_days.map(|days| now_ms() + i64::from(days) * 86_400_000);
            let permissions = permissions(read_only, &permission)?;
            let created = tokens
                .create(&CreateTokenRequest {
                    name,
                    scope,
                    expires_at_ms,
                    permissions,
                })
                .await?;
            show_created(context, &created)
        }
        TokensCommand::Show { id } => show(context, &tokens.get(&id).await?),
        TokensCommand::Update {
            id,
            read_only,
            permission,
        } => {
            let permissions = permissions(read_only, &permission)?.unwrap_or_default();
            let token = tokens
                .update(&id, &UpdateTokenRequest { permissions })
                .await?;
            show(context, &token)
        }
        TokensCommand::Regenerate { id, grace } => {
            let created = tokens.regenerate(&id, &RegenerateRequest { grace }).await?;
            show_created(context, &created)
        }
        TokensCommand::Suspend { id } => show(context, &tokens.suspend(&id).await?),
        TokensCommand::Activate { id } => show(context, &tokens.activate(&id).await?),
        TokensCommand::Revoke { id } => show(context, &tokens.revoke(&id).await?),
        TokensCommand::Delete { id } => {
            tokens.delete(&id).await?;
            if context.json() {
                return output::json(&serde_json::json!({ "deleted": id }));
            }
            output::note(format!("Deleted token {id}."));
            Ok(())
        }
    }
}

fn row(token: &TokenView) -> Vec<String> {
    vec![
        token.id.clone(),
        token.name.clone(),
        token.prefix.clone(),
        output::name(&token.status),
        token.scope_label.clone(),
        token.permissions.summary(),
        output::maybe_time(token.last_used_at_ms),
    ]
}

fn show(context: &Context, token: &TokenView) -> Outcome {
    if context.json() {
        return output::json(token);
    }
    output::fields(&[
        ("Id", token.id.clone()),
        ("Name", token.name.clone()),
        ("Prefix", token.prefix.clone()),
        ("Status", output::name(&token.status)),
        ("Scope", token.scope_label.clone()),
        ("Permissions", token.permissions.summary()),
        ("Created", output::time(token.created_at_ms)),
        ("Expires", output::maybe_time(token.expires_at_ms)),
        ("Last used", output::maybe_time(token.last_used_at_ms)),
        ("Uses", token.usage_count.to_string()),
        ("Created by", token.created_by.clone()),
    ]);
    Ok(())
}

fn show_created(context: &Context, created: &CreatedToken) -> Outcome {
    if context.json() {
        return output::json(created);
    }
    show(context, &created.token)?;
    output::note("The token follows on stdout; it is shown this once, so store it now.");
    println!("{}", created.plaintext);
    Ok(())
}

/// `--read-only` or `--permission RESOURCE=LEVEL…`; neither means full access in the scope.
fn permissions(read_only: bool, pairs: &[String]) -> Outcome<Option<Permissions>> {
    if read_only {
        return Ok(Some(Permissions::read_only()));
    }
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut permissions = Permissions::default();
    for pair in pairs {
        let (resource, level) = pair.split_once('=').ok_or_else(|| {
            Failure::usage(format!("--permission {pair:?} is not RESOURCE=LEVEL"))
        })?;
        let resource = Resource::ALL
            .into_iter()
            .find(|known| known.as_str() == resource.trim())
            .ok_or_else(|| {
                let known: Vec<&str> = Resource::ALL.iter().map(|r| r.as_str()).collect();
                Failure::usage(format!(
                    "unknown resource {resource:?}; one of {}",
                    known.join(", ")
                ))
            })?;
        let level = Level::parse(level.trim()).ok_or_else(|| {
            Failure::usage(format!("unknown level {level:?}; none, read or write"))
        })?;
        permissions.set(resource, level);
    }
    Ok(Some(permissions))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as i64)
}
