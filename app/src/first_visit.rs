//! The preload of a page group's pack: on a first visit the browser fetches the group's WASM
//! chunks as one file (`scripts/pack_first_visits.mjs`, docs/bundle.md), and the page's
//! `<head>` names that file so it downloads alongside the main module instead of after it.
//!
//! The release build lists the packs in `<site>/<pkg>/first_visit_packs.json` (group → file);
//! a build without one (a debug build is not split) preloads nothing.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use leptos::config::LeptosOptions;
use leptos::prelude::*;
use leptos_meta::Link;

/// Each page group's pack, as a path the browser can fetch.
#[derive(Clone, Debug, Default)]
pub struct FirstVisitPacks(Arc<HashMap<String, String>>);

/// The groups whose pack this page already preloads: a lazy route's view may be rendered
/// more than once for one page (each time the session gate's suspense resolves).
#[derive(Clone, Debug, Default)]
struct PreloadedGroups(Arc<Mutex<HashSet<String>>>);

/// The packs of the build this server serves, for the page being rendered (the list is read
/// once: a new build means a new server).
pub fn provide_first_visit_packs(options: &LeptosOptions) {
    static PACKS: OnceLock<FirstVisitPacks> = OnceLock::new();
    let packs = PACKS.get_or_init(|| {
        let pkg = options.site_pkg_dir.trim_matches('/');
        let index = Path::new(options.site_root.as_ref())
            .join(pkg)
            .join("first_visit_packs.json");
        let files: HashMap<String, String> = std::fs::read(&index)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        FirstVisitPacks(Arc::new(
            files
                .into_iter()
                .map(|(group, file)| (group, format!("/{pkg}/{file}")))
                .collect(),
        ))
    });
    provide_context(packs.clone());
    provide_context(PreloadedGroups::default());
}

/// Adds to the page's `<head>` a preload of `group`'s pack, if the build made one.
pub fn preload_pack(group: &str) {
    let Some(href) = use_context::<FirstVisitPacks>().and_then(|packs| packs.0.get(group).cloned())
    else {
        return;
    };
    let first_time = use_context::<PreloadedGroups>().is_some_and(|preloaded| {
        preloaded
            .0
            .lock()
            .map(|mut groups| groups.insert(group.to_owned()))
            .unwrap_or(false)
    });
    if !first_time {
        return;
    }
    // As the split loader fetches it (same URL, CORS mode, same-origin credentials), so the
    // browser hands it the preloaded answer.
    let _ = view! {
        <Link rel="preload" href as_="fetch" type_="application/wasm" crossorigin="anonymous" />
    }
    .to_html();
}
