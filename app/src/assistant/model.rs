//! Assistant types and the Server-Sent Events framing both the server and the page use: they
//! live in `tessera_wire::assistant`, shared with the SDKs.

pub use tessera_wire::assistant::*;
