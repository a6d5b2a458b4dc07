//! Telling every instance that tokens changed. On PostgreSQL a change announces its key ids with
//! `pg_notify` inside its own transaction (delivered on commit, dropped on rollback), and each
//! instance listens on a connection of its own. Whenever that connection is down the row cache
//! is switched off and emptied, so an instance never serves from a cache it cannot keep fresh.

use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::AnyConnection;
use tokio::sync::watch;

use super::{stopped, BearerAuth};

pub const CHANNEL: &str = "tessera_token_changes";
/// The payload that empties every cache: for changes that touch many tokens at once.
pub const EVERY_TOKEN: &str = "*";
/// Pause before reconnecting after the listening connection failed.
const RECONNECT_PAUSE: Duration = Duration::from_millis(250);

/// Announces, inside the change's transaction, that these key ids changed (or [`EVERY_TOKEN`]).
/// Does nothing on SQLite, which only ever has one instance.
pub async fn announce(conn: &mut AnyConnection, key_ids: &[&str]) -> Result<(), sqlx::Error> {
    if conn.backend_name() != "PostgreSQL" || key_ids.is_empty() {
        return Ok(());
    }
    // pg_notify returns `void`, which the Any driver cannot decode: select a number instead.
    sqlx::query("SELECT CAST(1 AS BIGINT) FROM (SELECT pg_notify($1, $2)) AS notified")
        .bind(CHANNEL)
        .bind(key_ids.join(","))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Applies one notification's payload to this instance's cache.
fn apply(bearer: &BearerAuth, payload: &str) {
    if payload == EVERY_TOKEN {
        bearer.rows().clear();
    } else {
        bearer.rows().invalidate(payload.split(','));
    }
}

/// Listens until `stop` turns true. `url` is never logged: it may hold a password.
pub async fn listen(bearer: BearerAuth, url: String, mut stop: watch::Receiver<bool>) {
    loop {
        bearer.rows().set_enabled(false);
        let connected = async {
            let mut listener = PgListener::connect(&url).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        let mut listener = tokio::select! {
            () = stopped(&mut stop) => return,
            result = connected => match result {
                Ok(listener) => listener,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for token changes; the token cache is off");
                    tokio::time::sleep(RECONNECT_PAUSE).await;
                    continue;
                }
            },
        };
        bearer.rows().set_enabled(true);
        tracing::info!("listening for token changes");
        loop {
            tokio::select! {
                () = stopped(&mut stop) => return,
                received = listener.try_recv() => match received {
                    Ok(Some(notification)) => apply(&bearer, notification.payload()),
                    Ok(None) => {
                        tracing::warn!("lost the token-change connection; dropping the token cache");
                        break;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "token-change listener failed; dropping the token cache");
                        break;
                    }
                },
            }
        }
        bearer.rows().set_enabled(false);
        tokio::time::sleep(RECONNECT_PAUSE).await;
    }
}
