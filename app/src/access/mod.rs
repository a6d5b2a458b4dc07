//! Who is calling and what they may do: the [`principal::Principal`] both doors produce, the
//! [`permissions`] a token carries, and the [`policy`] every service asks. Pure, compiled for
//! the browser too, so a control can be hidden by the same rule the server enforces.

pub mod policy;
pub mod principal;

// The wire half (what a token carries) lives in the crate the SDK shares.
pub use tessera_wire::access::{permissions, scope};

pub use permissions::{Level, Permissions, Resource};
pub use policy::{authorize, reach, Action, Op, Reach, Target};
pub use principal::{Actor, Principal};
pub use scope::TokenScope;
