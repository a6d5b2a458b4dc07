//! Text extraction for the knowledge base: the bytes of an uploaded file in, its title and
//! sections (each under its heading) out, then chunks sized for search. Pure and
//! synchronous; the caller runs it off the async runtime and bounds its time.
//!
//! A crate of its own so the parsers (and their compile time) stay out of the app crate.
