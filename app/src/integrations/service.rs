//! List, read, create, update and delete integrations for both doors, and use their secrets.
//! Secret values are sealed the moment they arrive and opened only by [`open_secrets`], for a
//! request that needs them (Test connection now, agent steps and the assistant later); no
//! answer carries one.

use std::collections::BTreeMap;
use std::time::Instant;

use super::domain::{IntegrationInput, API_KEY};
use super::model::{
    ConnectionCheck, ConnectionCheckRequest, Integration, IntegrationKind, IntegrationPage,
    IntegrationQuery, IntegrationRequest, IntegrationSettings, SecretState,
};
use super::repo::{self, IntegrationFields, IntegrationRow, SecretRow};
use crate::access::{authorize, Action, Principal, Resource, Target};
use crate::audit::model::Target as AuditTarget;
use crate::audit::record;
use crate::clock::{new_id, now_ms};
use crate::crypto::sealing::{Binding, Plaintext};
use crate::error::AppError;
use crate::paging;
use crate::state::AppState;

const READ: Action = Action::read(Resource::Integrations);
const WRITE: Action = Action::write(Resource::Integrations);
const TARGET_KIND: &str = "integration";

#[tracing::instrument(name = "integrations.list", skip_all)]
pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: &IntegrationQuery,
) -> Result<IntegrationPage, AppError> {
    authorize(principal, READ, Target::Any)?;
    let limit = paging::effective_limit(query.limit);
    let offset = paging::effective_offset(query.offset);
    let pool = state.db.pool();
    let (rows, total) = repo::list(pool, &principal.workspace_id, limit, offset).await?;
    let ids: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
    let secrets = repo::secrets(pool, &principal.workspace_id, &ids).await?;
    Ok(IntegrationPage {
        items: rows
            .into_iter()
            .map(|row| view(row, &secrets))
            .collect::<Result<_, _>>()?,
        total,
        limit,
        offset,
    })
}

#[tracing::instrument(name = "integrations.get", skip_all, fields(integration_id = %id))]
pub async fn get(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Integration, AppError> {
    authorize(principal, READ, Target::Any)?;
    let row = find(state, principal, id).await?;
    let secrets = repo::secrets(state.db.pool(), &principal.workspace_id, &[id]).await?;
    view(row, &secrets)
}

#[tracing::instrument(name = "integrations.create", skip_all)]
pub async fn create(
    state: &AppState,
    principal: &Principal,
    request: IntegrationRequest,
) -> Result<Integration, AppError> {
    authorize(principal, WRITE, Target::Any)?;
    let (input, settings) = parse_with_free_name(state, principal, request, None).await?;
    let workspace_id = &principal.workspace_id;
    let id = new_id();
    let now = now_ms();
    let fields = written_fields(&input, &settings, principal, now);
    let mut tx = state.db.begin_write().await?;
    repo::insert(&mut tx, &id, workspace_id, input.kind.as_str(), &fields)
        .await
        .map_err(|error| crate::db::name_taken_or_internal(error, "integrations", TARGET_KIND))?;
    write_secrets(state, &mut tx, workspace_id, &id, &input.secrets, now).await?;
    let target = AuditTarget {
        kind: TARGET_KIND,
        id: &id,
        label: &input.name,
    };
    record(&mut tx, principal, "integration.created", Some(target)).await?;
    tx.commit().await?;
    get(state, principal, &id).await
}

/// What create and update start with: the request parsed and checked, its name free in the
/// workspace (`except`: the integration being renamed), its settings as stored JSON.
async fn parse_with_free_name(
    state: &AppState,
    principal: &Principal,
    request: IntegrationRequest,
    except: Option<&str>,
) -> Result<(IntegrationInput, String), AppError> {
    let input = IntegrationInput::parse(request).map_err(AppError::Validation)?;
    if repo::name_key_taken(
        state.db.pool(),
        &principal.workspace_id,
        &input.name_key,
        except,
    )
    .await?
    {
        return Err(AppError::name_taken(TARGET_KIND));
    }
    let settings = settings_json(&input.settings)?;
    Ok((input, settings))
}

/// The columns create and update both write.
fn written_fields<'a>(
    input: &'a IntegrationInput,
    settings: &'a str,
    principal: &'a Principal,
    now: i64,
) -> IntegrationFields<'a> {
    IntegrationFields {
        name: &input.name,
        name_key: &input.name_key,
        settings,
        by: &principal.label,
        now,
    }
}

/// Replaces the name and settings; secrets named in the request are set (or cleared by
/// `null`), the others keep their values. The kind never changes.
#[tracing::instrument(name = "integrations.update", skip_all, fields(integration_id = %id))]
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: &str,
    request: IntegrationRequest,
) -> Result<Integration, AppError> {
    authorize(principal, WRITE, Target::Any)?;
    let existing = find(state, principal, id).await?;
    let (input, settings) = parse_with_free_name(state, principal, request, Some(id)).await?;
    if input.kind.as_str() != existing.kind {
        return Err(AppError::field(
            "kind",
            "An integration's kind cannot change; create another integration instead.",
        ));
    }
    let workspace_id = &principal.workspace_id;
    let now = now_ms();
    let fields = written_fields(&input, &settings, principal, now);
    let mut tx = state.db.begin_write().await?;
    let updated = repo::update(&mut tx, workspace_id, id, &fields)
        .await
        .map_err(|error| crate::db::name_taken_or_internal(error, "integrations", TARGET_KIND))?;
    if !updated {
        return Err(AppError::NotFound);
    }
    write_secrets(state, &mut tx, workspace_id, id, &input.secrets, now).await?;
    let target = AuditTarget {
        kind: TARGET_KIND,
        id,
        label: &input.name,
    };
    record(&mut tx, principal, "integration.updated", Some(target)).await?;
    tx.commit().await?;
    get(state, principal, id).await
}

#[tracing::instrument(name = "integrations.delete", skip_all, fields(integration_id = %id))]
pub async fn delete(state: &AppState, principal: &Principal, id: &str) -> Result<(), AppError> {
    authorize(principal, WRITE, Target::Any)?;
    let workspace_id = &principal.workspace_id;
    let mut tx = state.db.begin_write().await?;
    let row = repo::find(&mut tx, workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    repo::delete(&mut tx, workspace_id, id).await?;
    let target = AuditTarget {
        kind: TARGET_KIND,
        id,
        label: &row.name,
    };
    record(&mut tx, principal, "integration.deleted", Some(target)).await?;
    tx.commit().await?;
    Ok(())
}

/// Sends one request through the integration from the server, with its secrets: an `llm`
/// integration lists its models, an `http` one `GET`s `path` under its base URL. The egress
/// guard applies.
#[tracing::instrument(name = "integrations.check", skip_all, fields(integration_id = %id))]
pub async fn check_connection(
    state: &AppState,
    principal: &Principal,
    id: &str,
    request: &ConnectionCheckRequest,
) -> Result<ConnectionCheck, AppError> {
    authorize(principal, WRITE, Target::Any)?;
    let row = find(state, principal, id).await?;
    let kind = IntegrationKind::parse(&row.kind).ok_or(AppError::Internal)?;
    let settings: IntegrationSettings = parse_settings(&row)?;
    let path = match kind {
        IntegrationKind::Llm => "/models",
        IntegrationKind::Http => request.path.trim(),
    };
    let url =
        join_url(&settings.base_url, path).map_err(|message| AppError::field("path", message))?;
    let started = Instant::now();
    let failed = |message: String| ConnectionCheck {
        ok: false,
        status: None,
        latency_ms: elapsed_ms(started),
        message,
    };
    let secrets = match open_secrets(state, &principal.workspace_id, id).await {
        Ok(secrets) => secrets,
        Err(unreadable) => return Ok(failed(unreadable)),
    };
    let builder = state.egress.request(reqwest::Method::GET, url);
    let request = with_credentials(builder, kind, &settings, &secrets)
        .build()
        .map_err(|_| AppError::field("path", "The request could not be built."))?;
    Ok(match state.egress.send(request).await {
        Ok(answer) => ConnectionCheck {
            ok: (200..300).contains(&answer.status),
            status: Some(answer.status),
            latency_ms: elapsed_ms(started),
            message: format!("The service answered {}.", answer.status),
        },
        Err(error) => failed(format!("No answer: {error}.")),
    })
}

/// A request with the integration's headers and secrets added: the one place secrets are put
/// on the wire. An `llm` integration's key is a bearer token; an `http` one's secrets are
/// headers named after their fields.
fn with_credentials(
    mut builder: reqwest::RequestBuilder,
    kind: IntegrationKind,
    settings: &IntegrationSettings,
    secrets: &BTreeMap<String, Plaintext>,
) -> reqwest::RequestBuilder {
    for (name, value) in &settings.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    match kind {
        IntegrationKind::Llm => {
            if let Some(key) = secrets.get(API_KEY) {
                builder = builder.bearer_auth(key.expose());
            }
        }
        IntegrationKind::Http => {
            for (name, value) in secrets {
                builder = builder.header(name.as_str(), value.expose());
            }
        }
    }
    builder
}

/// A request an agent's `http_request` step sends through an `http` integration.
pub struct OutboundCall<'a> {
    /// The integration's id or name.
    pub integration: &'a str,
    pub method: reqwest::Method,
    /// Under the integration's base URL; starts with `/`.
    pub path: &'a str,
    /// Added after the integration's own headers and secrets.
    pub headers: &'a BTreeMap<String, String>,
    pub body: Option<String>,
}

/// Sends `call` through the workspace's integration, with its secrets, under the egress
/// guard. The error is for an execution's log: it never holds a secret (they travel in
/// headers, and no header is quoted).
pub async fn call(
    state: &AppState,
    workspace_id: &str,
    call: OutboundCall<'_>,
) -> Result<crate::egress::Answer, String> {
    let pool = state.db.pool();
    let reference_key = crate::auth::domain::name_key(call.integration);
    let (id, _) = repo::find_reference(pool, workspace_id, call.integration, &reference_key)
        .await
        .map_err(|_| "The integration could not be read.".to_owned())?
        .ok_or_else(|| {
            format!(
                "No integration is called \u{201c}{}\u{201d}.",
                call.integration
            )
        })?;
    let mut conn = pool
        .acquire()
        .await
        .map_err(|_| "The integration could not be read.".to_owned())?;
    let row = repo::find(&mut conn, workspace_id, &id)
        .await
        .map_err(|_| "The integration could not be read.".to_owned())?
        .ok_or("The integration is gone.")?;
    drop(conn);
    if IntegrationKind::parse(&row.kind) != Some(IntegrationKind::Http) {
        return Err("The integration is not of kind http.".into());
    }
    let settings = parse_settings(&row).map_err(|error| error.to_string())?;
    let url = join_url(&settings.base_url, call.path)?;
    let secrets = open_secrets(state, workspace_id, &id).await?;
    let mut builder = with_credentials(
        state.egress.request(call.method, url),
        IntegrationKind::Http,
        &settings,
        &secrets,
    );
    for (name, value) in call.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(body) = call.body {
        builder = builder.body(body);
    }
    let request = builder
        .build()
        .map_err(|_| "The request could not be built (check its headers).".to_owned())?;
    let mut answer = state
        .egress
        .send(request)
        .await
        .map_err(|error| format!("No answer: {error}."))?;
    answer.body = redacted(answer.body, &secrets);
    Ok(answer)
}

/// An answer's body with any secret it echoes (a service that repeats its request headers)
/// blotted out, since the answer goes to an execution's log.
fn redacted(body: Vec<u8>, secrets: &BTreeMap<String, Plaintext>) -> Vec<u8> {
    const SHORTEST_REDACTED: usize = 4;
    let Ok(mut text) = String::from_utf8(body.clone()) else {
        return body;
    };
    for secret in secrets.values() {
        let value = secret.expose();
        if value.len() >= SHORTEST_REDACTED && text.contains(value) {
            text = text.replace(value, "[secret]");
        }
    }
    text.into_bytes()
}

/// The integration's secrets in the clear, for a request that uses them. A value that does
/// not open (moved from another row, sealed under a key this server lacks) is reported, not
/// fatal; one sealed under the previous key is resealed under the current one.
pub async fn open_secrets(
    state: &AppState,
    workspace_id: &str,
    integration_id: &str,
) -> Result<BTreeMap<String, Plaintext>, String> {
    let rows = repo::secrets(state.db.pool(), workspace_id, &[integration_id])
        .await
        .map_err(|_| "The secrets could not be read.".to_owned())?;
    let mut opened = BTreeMap::new();
    for row in rows {
        let binding = Binding {
            workspace_id,
            owner_id: integration_id,
            field: &row.field,
        };
        match state.sealer.open(&row.sealed, binding) {
            Ok(value) => {
                if value.stale_key {
                    reseal(state, binding, &row, &value.value).await;
                }
                opened.insert(row.field, value.value);
            }
            Err(error) => {
                tracing::warn!(integration_id, field = %row.field, %error, "a secret does not open");
                return Err(format!(
                    "The secret {} cannot be read here ({error}); set it again.",
                    row.field
                ));
            }
        }
    }
    Ok(opened)
}

/// Where an `llm` integration's model answers, and how to authenticate there.
pub struct ModelEndpoint {
    /// Its OpenAI-compatible `/chat/completions`.
    pub chat_url: reqwest::Url,
    pub model: String,
    pub api_key: Option<Plaintext>,
}

/// The model behind the workspace's `llm` integration `id`, for a service that calls it on
/// the workspace's behalf (the caller has been authorized for that service). Not found, not
/// a model or with a secret that does not open: an error saying which, for the log.
pub async fn model_endpoint(
    state: &AppState,
    workspace_id: &str,
    id: &str,
) -> Result<ModelEndpoint, String> {
    let mut conn = state
        .db
        .pool()
        .acquire()
        .await
        .map_err(|error| error.to_string())?;
    let row = repo::find(&mut conn, workspace_id, id)
        .await
        .map_err(|error| error.to_string())?
        .ok_or("the integration is gone")?;
    drop(conn);
    if IntegrationKind::parse(&row.kind) != Some(IntegrationKind::Llm) {
        return Err("the integration is not a model".into());
    }
    let settings = parse_settings(&row).map_err(|error| error.to_string())?;
    let chat_url = join_url(&settings.base_url, "/chat/completions")?;
    let mut secrets = open_secrets(state, workspace_id, id).await?;
    Ok(ModelEndpoint {
        chat_url,
        model: settings.model.unwrap_or_default(),
        api_key: secrets.remove(API_KEY),
    })
}

/// Reseals every secret written under the previous server key (after a rotation). Values
/// that do not open are left for people to set again.
pub async fn reseal_all(state: &AppState) -> Result<usize, AppError> {
    let mut resealed = 0;
    for (workspace_id, row) in repo::all_secrets(state.db.pool()).await? {
        let binding = Binding {
            workspace_id: &workspace_id,
            owner_id: &row.integration_id,
            field: &row.field,
        };
        if let Ok(opened) = state.sealer.open(&row.sealed, binding) {
            if opened.stale_key {
                reseal(state, binding, &row, &opened.value).await;
                resealed += 1;
            }
        }
    }
    Ok(resealed)
}

async fn reseal(state: &AppState, binding: Binding<'_>, row: &SecretRow, value: &Plaintext) {
    let sealed = state.sealer.seal(value, binding);
    if let Err(error) = repo::reseal(
        state.db.pool(),
        binding.owner_id,
        &row.field,
        &row.sealed,
        &sealed,
    )
    .await
    {
        tracing::warn!(%error, "could not reseal a secret under the current key");
    }
}

async fn write_secrets(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    workspace_id: &str,
    integration_id: &str,
    secrets: &BTreeMap<String, Option<Plaintext>>,
    now: i64,
) -> Result<(), AppError> {
    for (field, value) in secrets {
        match value {
            Some(value) => {
                let binding = Binding {
                    workspace_id,
                    owner_id: integration_id,
                    field,
                };
                let sealed = state.sealer.seal(value, binding);
                repo::put_secret(conn, workspace_id, integration_id, field, &sealed, now).await?;
            }
            None => repo::delete_secret(conn, workspace_id, integration_id, field).await?,
        }
    }
    Ok(())
}

async fn find(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<IntegrationRow, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    repo::find(&mut conn, &principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn settings_json(settings: &IntegrationSettings) -> Result<String, AppError> {
    serde_json::to_string(settings).map_err(|_| AppError::Internal)
}

fn parse_settings(row: &IntegrationRow) -> Result<IntegrationSettings, AppError> {
    serde_json::from_str(&row.settings).map_err(|error| {
        tracing::error!(integration_id = %row.id, %error, "stored integration settings are not valid");
        AppError::Internal
    })
}

/// `path` under `base`, on the same host: the path must start with `/` (or be empty).
fn join_url(base: &str, path: &str) -> Result<reqwest::Url, String> {
    if !(path.is_empty() || path.starts_with('/')) || path.len() > 1_000 {
        return Err("Give a path that starts with /.".into());
    }
    let base_url =
        reqwest::Url::parse(base).map_err(|_| "The base URL is not valid.".to_owned())?;
    let joined = format!("{}{path}", base.trim_end_matches('/'));
    let url = reqwest::Url::parse(&joined).map_err(|_| "The path is not valid.".to_owned())?;
    if url.host_str() != base_url.host_str()
        || url.port_or_known_default() != base_url.port_or_known_default()
    {
        return Err("The path must stay on the integration's host.".into());
    }
    Ok(url)
}

fn elapsed_ms(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}

fn view(row: IntegrationRow, secrets: &[SecretRow]) -> Result<Integration, AppError> {
    let settings = parse_settings(&row)?;
    let kind = IntegrationKind::parse(&row.kind).ok_or(AppError::Internal)?;
    Ok(Integration {
        secrets: secrets
            .iter()
            .filter(|secret| secret.integration_id == row.id)
            .map(|secret| {
                (
                    secret.field.clone(),
                    SecretState {
                        set: true,
                        updated_at_ms: secret.updated_at,
                    },
                )
            })
            .collect(),
        id: row.id,
        name: row.name,
        kind,
        settings,
        created_by: row.created_by,
        updated_by: row.updated_by,
        created_at_ms: row.created_at,
        updated_at_ms: row.updated_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_on_the_integrations_host() {
        let url = join_url("https://api.example/v1/", "/models").expect("joins");
        assert_eq!(url.as_str(), "https://api.example/v1/models");
        assert!(join_url("https://api.example", "@evil.example/").is_err());
        let doubled = join_url("https://api.example", "//evil.example/").expect("a path");
        assert_eq!(doubled.host_str(), Some("api.example"));
        assert_eq!(
            join_url("https://api.example", "").expect("base").as_str(),
            "https://api.example/"
        );
    }
}
