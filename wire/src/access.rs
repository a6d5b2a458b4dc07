//! What a token may do ([`permissions`]) and how far it reaches ([`scope`]): the parts of
//! access control that travel on the wire. The policy that decides by them stays in the app.

pub mod permissions;
pub mod scope;

pub use permissions::{Level, Needed, Permissions, Preset, Resource};
pub use scope::TokenScope;
