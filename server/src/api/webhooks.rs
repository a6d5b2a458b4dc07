//! `POST /api/webhook/{trigger_id}`: an event for a webhook trigger (SPEC §4.3), admitted by
//! a bearer token or a Standard Webhooks signature, through `triggers::webhooks`. The body is
//! any content up to 1 MiB (`bounds`).

use app::client_addr::ClientAddr;
use app::state::AppState;
use app::triggers::model::Delivered;
use app::triggers::webhooks::{self, Delivery, Refusal};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};

use super::auth::MaybeCaller;
use super::problem::Problem;

#[utoipa::path(post, path = "/api/webhook/{trigger_id}", tag = "webhooks",
    params(("trigger_id" = String, Path, description = "A webhook trigger's id"),
           ("webhook-id" = Option<String>, Header, description = "Standard Webhooks: the event's id; a repeated one answers the first delivery's ids"),
           ("webhook-timestamp" = Option<String>, Header, description = "Standard Webhooks: seconds since 1970, within 5 minutes of now"),
           ("webhook-signature" = Option<String>, Header, description = "Standard Webhooks: `v1,<base64 HMAC-SHA256 of id.timestamp.body>`, several separated by spaces"),
           ("Idempotency-Key" = Option<String>, Header, description = "The same key within 24 hours answers the first delivery's ids")),
    request_body(content = Vec<u8>, description = "Any content, up to 1 MiB; its content type is kept", content_type = "*/*"),
    responses((status = 202, description = "Recorded; its execution is queued", body = Delivered),
              (status = 200, description = "A repeated delivery: the first one's ids, nothing started", body = Delivered),
              (status = 409, description = "The trigger is disabled, or not a webhook trigger")))]
pub async fn deliver(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    client_addr: Option<Extension<ClientAddr>>,
    Path(trigger_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Delivered>), Problem> {
    let headers: Vec<(String, String)> = headers
        .iter()
        .filter_map(|(name, value)| {
            Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
        })
        .collect();
    let delivery = Delivery {
        headers: &headers,
        body: &body,
        source_addr: client_addr.map(|Extension(ClientAddr(addr))| addr),
    };
    match webhooks::deliver(&state, caller.as_ref(), &trigger_id, &delivery).await {
        Ok((delivered, true)) => Ok((StatusCode::ACCEPTED, Json(delivered))),
        Ok((delivered, false)) => Ok((StatusCode::OK, Json(delivered))),
        Err(Refusal::App(error)) => Err(error.into()),
        Err(Refusal::Unsigned(detail)) => Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            "invalid-signature",
            detail,
        )),
    }
}
