//! The browser entry point: hydrates the server-rendered page with the `app` crate.

use leptos::prelude::document;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are lazy WASM chunks (see `app::app`): hydration waits until the chunks of the
    // page on screen have arrived, so it runs as a task rather than at once.
    wasm_bindgen_futures::spawn_local(async {
        let app = leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App).await;
        app.forget();
        mark_hydrated();
    });
}

/// Says that the whole page, its lazy chunks included, is now live: end-to-end tests and the
/// first-load benchmark wait for this marker before they interact or stop the clock.
fn mark_hydrated() {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

/// Room in the read-only data segment for the bundle splitter. `cargo leptos build --split`
/// hands every chunk the constants (strings, tables) its code uses, laid out afresh with
/// each chunk's alignment padding; when that layout comes out even a few bytes longer than
/// the segment the linker wrote, the splitter gives up and leaves all of them in the main
/// module (its "Overlong segment … putting it in main module" warning). That cost the main
/// module 32 KiB gzip and every first visit about 20, and flipped on unrelated edits
/// (docs/bundle.md). This array lengthens the segment; no code reads it, so no module
/// carries it.
#[used]
static SPLIT_DATA_SLACK: [u8; 16 * 1024] = [0xA5; 16 * 1024];
