//! Small building blocks every page uses: the modal dialog, form fields with their errors,
//! copy buttons, relative times, tabs and the browser-only helpers behind them. They know
//! nothing about tokens or agents.

pub mod alert;
pub mod browser;
pub mod calendar;
pub mod confirm;
pub mod copy;
pub mod dialog;
pub mod empty;
pub mod field;
pub mod menu;
pub mod resource;
pub mod time;

pub use alert::{ErrorAlert, LoadError};
pub use confirm::ConfirmDialog;
pub use copy::CopyButton;
pub use dialog::{use_dismiss_guard, Dialog, DismissGuard};
pub use empty::EmptyState;
pub use field::{FieldError, SelectField, TextAreaField, TextField};
pub use menu::{MenuButton, MenuItem};
pub use resource::{load, Loaded};
pub use time::{provide_now, RelativeTime};
