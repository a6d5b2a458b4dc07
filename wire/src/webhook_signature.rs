//! Standard Webhooks signatures (<https://www.standardwebhooks.com>): HMAC-SHA256 under the
//! key inside a trigger's `whsec_<base64>` secret, over `<webhook-id>.<webhook-timestamp>.<body>`,
//! sent as `webhook-signature: v1,<base64 of the MAC>`. The one definition the server
//! verifies with and the SDK signs with.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What every signing secret starts with.
pub const SECRET_PREFIX: &str = "whsec_";

/// The key inside `whsec_<base64>`, or `None` when the text is not one.
pub fn decode_secret(secret: &str) -> Option<Vec<u8>> {
    STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok()
}

/// The MAC of one delivery under `key`, to finalize (signing) or to compare (verifying).
pub fn mac(key: &[u8], webhook_id: &str, timestamp: i64, body: &[u8]) -> Option<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    mac.update(webhook_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(mac)
}

/// The `webhook-signature` value (`v1,<base64>`) of one delivery under `key`.
pub fn signature(key: &[u8], webhook_id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let mac = mac(key, webhook_id, timestamp, body)?;
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}
