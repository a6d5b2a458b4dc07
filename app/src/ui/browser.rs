//! The few browser APIs the app calls directly. On the server they do nothing, so components
//! can call them from event handlers without `cfg` noise.

/// Reads a small choice the user made earlier (say, the token view). It lives in a cookie,
/// not in local storage, so the server renders the page the way the browser will hydrate it:
/// no flash of the default view and no layout shift.
pub fn load_preference(key: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let document = web_sys::window()?
            .document()?
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()?;
        cookie_value(&document.cookie().ok()?, key)
    }
    #[cfg(all(not(feature = "hydrate"), feature = "ssr"))]
    {
        crate::rpc::request_cookie(key)
    }
    #[cfg(all(not(feature = "hydrate"), not(feature = "ssr")))]
    {
        let _ = key;
        None
    }
}

/// Remembers a choice for a year; silently does nothing where cookies are unavailable. The
/// value must be cookie-safe (the app only stores short words such as `table`).
pub fn save_preference(key: &str, value: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(window) = web_sys::window() else {
            return;
        };
        let secure = window.location().protocol().is_ok_and(|p| p == "https:");
        if let Some(document) = window
            .document()
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = document.set_cookie(&preference_cookie(key, value, secure));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, value);
}

/// The `document.cookie` assignment that stores a preference.
#[cfg(any(feature = "hydrate", test))]
fn preference_cookie(key: &str, value: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{key}={value}; Path=/; Max-Age=31536000; SameSite=Lax{secure}")
}

/// The value of cookie `key` in `document.cookie` (the server reads the request's header with
/// `rpc::request_cookie`).
#[cfg(any(feature = "hydrate", test))]
fn cookie_value(cookies: &str, key: &str) -> Option<String> {
    cookies
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == key)
        .map(|(_, value)| value.to_owned())
}

/// Puts text on the clipboard; `false` when the browser refused.
pub async fn copy_to_clipboard(text: String) -> bool {
    #[cfg(feature = "hydrate")]
    {
        let Some(window) = web_sys::window() else {
            return false;
        };
        let promise = window.navigator().clipboard().write_text(&text);
        wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        false
    }
}

/// The current time in epoch milliseconds, as this side of the wire knows it.
pub fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(all(not(feature = "hydrate"), feature = "ssr"))]
    {
        crate::clock::now_ms()
    }
    #[cfg(all(not(feature = "hydrate"), not(feature = "ssr")))]
    {
        0
    }
}

/// An instant in the reader's own time zone and locale ("22/11/2026, 16:40:12"). The server
/// cannot know the zone, so it answers with UTC and the browser replaces it after hydration.
pub fn local_time(ms: i64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        super::calendar::utc_iso(ms)
    }
}

/// An instant as a person reads it before committing to it: weekday, date and time to the
/// minute in their own zone and locale ("Wed, Dec 31, 2030, 11:30 PM"). UTC on the server.
pub fn local_exact(ms: i64) -> String {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsValue;
        let options = js_sys::Object::new();
        for (key, value) in [
            ("weekday", "short"),
            ("year", "numeric"),
            ("month", "short"),
            ("day", "numeric"),
            ("hour", "numeric"),
            ("minute", "2-digit"),
        ] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
        String::from(date.to_locale_string("default", &options))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        super::calendar::utc_iso(ms)
    }
}

/// A moment soon to come, briefly: the local time of day ("4:40 PM", "16:40") when it is
/// within the next 18 hours, else as [`local_exact`]. UTC on the server.
pub fn local_soon(ms: i64) -> String {
    #[cfg(feature = "hydrate")]
    {
        if ms - now_ms() > 18 * crate::clock::HOUR_MS {
            return local_exact(ms);
        }
        let options = js_sys::Object::new();
        for (key, value) in [("hour", "numeric"), ("minute", "2-digit")] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        String::from(date.to_locale_time_string_with_options("default", &options))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        super::calendar::utc_iso(ms)
    }
}

/// The reader's IANA time zone ("America/Los_Angeles"); "UTC" where unknown.
pub fn time_zone() -> String {
    #[cfg(feature = "hydrate")]
    {
        let format =
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
        js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
            .ok()
            .and_then(|zone| zone.as_string())
            .unwrap_or_else(|| "UTC".into())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        "UTC".into()
    }
}

/// The instant an `<input type="datetime-local">` value (`2030-12-31T23:30`) names in the
/// reader's own zone; `None` if it names none.
pub fn parse_local_datetime(text: &str) -> Option<i64> {
    #[cfg(feature = "hydrate")]
    {
        // Only the input's own shape: `Date` would also guess at free text.
        let shaped = text.len() >= 16 && text.as_bytes().get(10) == Some(&b'T');
        let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(text)).get_time();
        (shaped && ms.is_finite()).then_some(ms as i64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        None
    }
}

/// The `<input type="datetime-local">` value (`2030-12-31T23:30`) of an instant in the reader's
/// zone; empty on the server.
pub fn local_datetime_value(ms: i64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date(),
            d.get_hours(),
            d.get_minutes()
        )
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ms;
        String::new()
    }
}

/// This page's origin (`https://tessera.example.com`); empty on the server, which cannot
/// know the address the browser used (a proxy may sit between).
pub fn origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// Moves keyboard focus to the element with this id, if it exists.
pub fn focus_by_id(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(element) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Focuses the `autofocus` element of the open modal dialog, on the next frame (once content
/// that arrived after `showModal()` is in the document: the browser only honours `autofocus`
/// for what the dialog held when it opened).
pub fn focus_dialog_autofocus() {
    #[cfg(feature = "hydrate")]
    leptos::prelude::request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        if let Some(element) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("dialog[open] [autofocus]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
}

/// Focuses the text input with this id and selects all its text, ready for Ctrl+C.
pub fn select_by_id(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(input) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            let _ = input.focus();
            input.select();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Focuses the text area with this id and selects `text[range]` in it (`range` in bytes of
/// `text`, its current value): where a problem is, for the person to fix.
pub fn select_text_range(id: &str, text: &str, range: std::ops::Range<usize>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        // The browser counts UTF-16 code units.
        let units = |end: usize| {
            u32::try_from(text.get(..end).unwrap_or(text).encode_utf16().count()).unwrap_or(0)
        };
        if let Some(area) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        {
            let _ = area.focus();
            let _ = area.set_selection_range(units(range.start), units(range.end));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, text, range);
}

/// Sends `file` as the body of a `POST` to `url` (same origin, with the session cookie) and
/// reports progress as a percentage while it goes, then the answer's status and text. An
/// `XMLHttpRequest`, because `fetch` cannot report upload progress. Status 0 means no answer
/// (the network failed). Does nothing on the server.
pub fn post_file(
    url: &str,
    file: &web_sys::File,
    on_progress: impl Fn(u32) + 'static,
    on_done: impl FnOnce(u16, String) + 'static,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Ok(request) = web_sys::XmlHttpRequest::new() else {
            on_done(0, String::new());
            return;
        };
        let progress =
            Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
                if event.length_computable() && event.total() > 0.0 {
                    on_progress((event.loaded() * 100.0 / event.total()) as u32);
                }
            });
        if let Ok(upload) = request.upload() {
            upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        // Whichever ends the upload first (its answer, or a refusal to send it) reports it.
        let on_done = std::rc::Rc::new(std::cell::Cell::new(Some(on_done)));
        let answered = request.clone();
        let report = on_done.clone();
        // Called once, then freed; it owns the progress closure, which goes with it.
        let done = Closure::once_into_js(move |_: web_sys::ProgressEvent| {
            drop(progress);
            let text = answered.response_text().ok().flatten().unwrap_or_default();
            if let Some(report) = report.take() {
                report(answered.status().unwrap_or(0), text);
            }
        });
        request.set_onloadend(Some(done.unchecked_ref()));
        let sent = request
            .open("POST", url)
            .and_then(|()| request.send_with_opt_blob(Some(file)));
        if sent.is_err() {
            if let Some(report) = on_done.take() {
                report(0, String::new());
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, file, on_progress, on_done);
}

/// How a streamed request ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEnd {
    /// The whole answer arrived.
    Finished,
    /// The server refused before streaming: its status and body.
    Refused { status: u16, body: String },
    /// The network failed (or the answer broke off).
    Failed,
    /// [`StreamHandle::stop`] was called.
    Stopped,
}

/// A streamed request in flight, to stop it. `Send` so that pages can keep it in ordinary
/// reactive storage: the browser runs on one thread, and on the server there is nothing in it.
#[derive(Clone)]
pub struct StreamHandle {
    #[cfg(feature = "hydrate")]
    controller: send_wrapper::SendWrapper<web_sys::AbortController>,
}

impl StreamHandle {
    pub fn stop(&self) {
        #[cfg(feature = "hydrate")]
        self.controller.abort();
    }
}

/// `POST`s `body` as JSON to `url` (same origin, with the session cookie) and hands the answer
/// to `on_text` piece by piece as it arrives, decoded as UTF-8, then reports how it ended.
/// A `fetch` whose body is read as a stream: `EventSource` cannot `POST`. Does nothing on the
/// server (and answers `None`).
pub fn post_streaming(
    url: &str,
    body: String,
    on_text: impl FnMut(String) + 'static,
    on_end: impl FnOnce(StreamEnd) + 'static,
) -> Option<StreamHandle> {
    #[cfg(feature = "hydrate")]
    {
        let controller = web_sys::AbortController::new().ok()?;
        let handle = StreamHandle {
            controller: send_wrapper::SendWrapper::new(controller.clone()),
        };
        let url = url.to_owned();
        wasm_bindgen_futures::spawn_local(async move {
            let signal = controller.signal();
            let end = read_stream(&url, &body, &signal, on_text).await;
            on_end(if signal.aborted() {
                StreamEnd::Stopped
            } else {
                end
            });
        });
        Some(handle)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (url, body, on_text, on_end);
        None
    }
}

#[cfg(feature = "hydrate")]
async fn read_stream(
    url: &str,
    body: &str,
    signal: &web_sys::AbortSignal,
    mut on_text: impl FnMut(String),
) -> StreamEnd {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let Some(window) = web_sys::window() else {
        return StreamEnd::Failed;
    };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&wasm_bindgen::JsValue::from_str(body));
    init.set_signal(Some(signal));
    let Ok(headers) = web_sys::Headers::new() else {
        return StreamEnd::Failed;
    };
    let _ = headers.set("content-type", "application/json");
    init.set_headers(&headers);
    let Ok(response) = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await else {
        return StreamEnd::Failed;
    };
    let Ok(response) = response.dyn_into::<web_sys::Response>() else {
        return StreamEnd::Failed;
    };
    if !response.ok() {
        let text = match response.text() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|t| t.as_string()),
            Err(_) => None,
        };
        return StreamEnd::Refused {
            status: response.status(),
            body: text.unwrap_or_default(),
        };
    }
    let Some(stream) = response.body() else {
        return StreamEnd::Failed;
    };
    let Ok(reader) = stream
        .get_reader()
        .dyn_into::<web_sys::ReadableStreamDefaultReader>()
    else {
        return StreamEnd::Failed;
    };
    let Ok(decoder) = web_sys::TextDecoder::new() else {
        return StreamEnd::Failed;
    };
    let streaming = web_sys::TextDecodeOptions::new();
    streaming.set_stream(true);
    loop {
        let Ok(chunk) = JsFuture::from(reader.read()).await else {
            return StreamEnd::Failed;
        };
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return StreamEnd::Finished;
        }
        let Ok(value) = js_sys::Reflect::get(&chunk, &"value".into()) else {
            return StreamEnd::Failed;
        };
        let Ok(bytes) = value.dyn_into::<js_sys::Uint8Array>() else {
            return StreamEnd::Failed;
        };
        if let Ok(text) = decoder.decode_with_js_u8_array_and_options(&bytes, &streaming) {
            on_text(text);
        }
    }
}

#[cfg(feature = "hydrate")]
const OPENER_ATTRIBUTE: &str = "data-dialog-opener";

/// Marks the focused element with a fresh key and returns the key ("" if nothing is focused),
/// so focus can go back to it later (see [`refocus_marked_element`]).
pub fn mark_focused_element() -> String {
    #[cfg(feature = "hydrate")]
    {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT_MARK: AtomicU64 = AtomicU64::new(1);
        let Some(element) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
        else {
            return String::new();
        };
        let key = format!("opener-{}", NEXT_MARK.fetch_add(1, Ordering::Relaxed));
        let _ = element.set_attribute(OPENER_ATTRIBUTE, &key);
        key
    }
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

/// Focuses the element marked with `key`, if it is still on the page, and clears the mark.
pub fn refocus_marked_element(key: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if key.is_empty() {
            return;
        }
        let selector = format!("[{OPENER_ATTRIBUTE}=\"{key}\"]");
        if let Some(element) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
        {
            let _ = element.remove_attribute(OPENER_ATTRIBUTE);
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

#[cfg(test)]
mod tests {
    use super::{cookie_value, preference_cookie};

    #[test]
    fn a_preference_is_found_among_other_cookies_by_its_exact_name() {
        let header = "tessera_session=abc; tessera_token_view=table;other=1";
        assert_eq!(
            cookie_value(header, "tessera_token_view").as_deref(),
            Some("table")
        );
        assert_eq!(cookie_value(header, "other").as_deref(), Some("1"));
        assert_eq!(cookie_value(header, "token_view"), None);
        assert_eq!(cookie_value("", "tessera_token_view"), None);
    }

    #[test]
    fn a_preference_cookie_is_site_wide_long_lived_and_secure_over_https() {
        let plain = preference_cookie("tessera_token_view", "table", false);
        assert_eq!(
            plain,
            "tessera_token_view=table; Path=/; Max-Age=31536000; SameSite=Lax"
        );
        let secure = preference_cookie("tessera_token_view", "cards", true);
        assert!(secure.ends_with("; Secure"), "{secure}");
        assert_eq!(
            cookie_value(&secure, "tessera_token_view").as_deref(),
            Some("cards")
        );
    }
}
