//! The Knowledge base page: upload files (drop or pick, several at once, each with its own
//! progress and its own error), the documents read from them with their status, the stored
//! files that are no document, search with highlighted snippets, download and delete.
//! Read-only members see all but the writes.

use leptos::either::Either;
use leptos::prelude::*;
use serde::Deserialize;

use crate::error::AppError;
use crate::knowledge::model::{Document, DocumentStatus, SearchHit, SearchResults};
use crate::knowledge::server_fns::{list_documents, search_documents};
use crate::session::use_user;
use crate::storage::model::{human_bytes, FilePage, StoredFile};
use crate::storage::server_fns::{delete_file, list_other_files, upload_limit};
use crate::ui::field::form_message;
use crate::ui::{load, ConfirmDialog, EmptyState, LoadError, Loaded, RelativeTime};

/// How often the list is read again while a document is still being read (ms).
const POLL_MS: u64 = 1_500;
/// The browser door for uploads (`server/src/browser_files.rs`); `?name=` the file's name.
const UPLOAD_PATH: &str = "/rpc/storage/upload";

#[component]
pub fn KnowledgeBasePage() -> impl IntoView {
    let can_write = use_user().can_write();
    let documents = load(|| (), |_| list_documents());
    let other_files = load(|| (), |_| list_other_files());
    let reload = Callback::new(move |()| {
        documents.refetch();
        other_files.refetch();
    });
    keep_pending_current(documents);

    let search = Action::new(|q: &String| search_documents(q.clone()));
    let searched = RwSignal::new(String::new());
    // One dialog for the page, outside the list: the list is drawn again each time it is
    // read (every few seconds while a document is pending), and must not close it.
    let confirming = RwSignal::new(false);
    let delete_file_id = RwSignal::new(String::new());
    let delete_title = RwSignal::new(String::new());
    let deleting = Action::new(|id: &String| delete_file(id.clone()));
    let ask_delete = Callback::new(move |(file_id, title): (String, String)| {
        deleting.value().set(None);
        delete_file_id.set(file_id);
        delete_title.set(title);
        confirming.set(true);
    });
    // A deleted document leaves the list and the search results it was in.
    Effect::new(move |_| {
        if let Some(Ok(())) = deleting.value().get() {
            confirming.set(false);
            reload.run(());
            let last = searched.get_untracked();
            if !last.is_empty() {
                search.dispatch(last);
            }
        }
    });
    let delete_error = Signal::derive(move || deleting.value().with(form_message));

    view! {
        <header class="page-header">
            <div>
                <h1>"Knowledge base"</h1>
                <p class="muted">"Files the workspace's agents and assistant can search."</p>
            </div>
        </header>
        <div class="kb-page">
            <Show when=move || can_write>
                <UploadPanel on_uploaded=reload />
            </Show>
            <SearchPanel search searched />
            <section class="card" aria-labelledby="kb-documents-heading">
                <header class="section-header">
                    <h2 id="kb-documents-heading">"Documents"</h2>
                </header>
                <Transition fallback=|| view! { <p class="muted">"Loading documents…"</p> }>
                    {move || Suspend::new(async move {
                        match documents.await {
                            Ok(page) if page.items.is_empty() => view! {
                                <EmptyState
                                    title="No documents yet."
                                    hint=if can_write { "Upload files above: text, Markdown, HTML, PDF, DOCX, CSV or JSON." } else { "An owner or admin can upload files." }
                                />
                            }.into_any(),
                            Ok(page) => {
                                let shown = page.items.len() as i64;
                                let more = (page.total > shown).then(|| view! {
                                    <p class="muted small">{format!("The newest {shown} of {} documents.", page.total)}</p>
                                });
                                view! {
                                    <ul class="item-list" aria-label="Documents">
                                        {page.items.into_iter().map(|document| view! { <DocumentItem document can_write on_delete=ask_delete /> }).collect_view()}
                                    </ul>
                                    {more}
                                }.into_any()
                            }
                            Err(error) => view! { <LoadError error /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            // Shown only when there are some: most workspaces store documents only.
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match other_files.await {
                        Ok(page) if page.items.is_empty() => None,
                        Ok(page) => Some(view! { <OtherFiles page can_write on_delete=ask_delete /> }.into_any()),
                        Err(error) => Some(view! { <LoadError error /> }.into_any()),
                    }
                })}
            </Transition>
        </div>
        <ConfirmDialog
            open=confirming
            title=Signal::derive(move || format!("Delete {}?", delete_title.get()))
            confirm_label="Delete file"
            pending=deleting.pending()
            error=delete_error
            on_confirm=Callback::new(move |()| {
                deleting.dispatch(delete_file_id.get_untracked());
            })
        >
            <p>"The file is deleted for good, and its passages leave search at once."</p>
        </ConfirmDialog>
    }
}

/// Reads the list again every [`POLL_MS`] while any document is pending, so each turns ready
/// or failed on screen without a reload; stops once none is.
fn keep_pending_current(
    documents: Loaded<Result<crate::knowledge::model::DocumentPage, AppError>>,
) {
    let any_pending = Memo::new(move |_| {
        documents.with(|answer| {
            matches!(answer, Some(Ok(page)) if page.items.iter().any(|d| d.status == DocumentStatus::Pending))
        })
    });
    Effect::new(move |_| {
        if any_pending.get() {
            if let Ok(handle) = set_interval_with_handle(
                move || documents.refetch(),
                std::time::Duration::from_millis(POLL_MS),
            ) {
                on_cleanup(move || handle.clear());
            }
        }
    });
}

#[component]
fn DocumentItem(
    document: Document,
    can_write: bool,
    /// Asks to delete `(file_id, title)`.
    on_delete: Callback<(String, String)>,
) -> impl IntoView {
    let (status_class, status_label) = match document.status {
        DocumentStatus::Pending => ("status-pending", "Pending"),
        DocumentStatus::Ready => ("status-ready", "Ready"),
        DocumentStatus::Failed => ("status-failed", "Failed"),
    };
    let failure = document
        .failure
        .clone()
        .filter(|_| document.status == DocumentStatus::Failed);
    let chunks = match document.chunk_count {
        1 => "1 chunk".to_string(),
        n => format!("{n} chunks"),
    };
    let title = document.title.clone();
    view! {
        <li class="item kb-document" data-testid="document">
            <div class="item-main">
                <h3 class="item-title">{document.title.clone()}</h3>
                <p class="kb-file-name muted small">{document.file_name.clone()}</p>
                <span class=format!("badge kb-status {status_class}") data-testid="document-status">{status_label}</span>
                {failure.map(|reason| view! { <p class="kb-failure small" data-testid="document-failure">{reason}</p> })}
                <p class="kb-facts muted small">
                    <span>{human_bytes(u64::try_from(document.size).unwrap_or(0))}</span>
                    <span>{chunks}</span>
                    <span>{format!("by {}", document.uploaded_by)}</span>
                    <RelativeTime at_ms=document.created_at_ms />
                </p>
            </div>
            <FileActions file_id=document.file_id file_name=document.file_name delete_label=title can_write on_delete />
        </li>
    }
}

/// The stored files the knowledge base does not read, each with download and delete.
#[component]
fn OtherFiles(
    page: FilePage,
    can_write: bool,
    /// Asks to delete `(file_id, name)`.
    on_delete: Callback<(String, String)>,
) -> impl IntoView {
    let shown = page.items.len() as i64;
    let more = (page.total > shown).then(|| {
        view! { <p class="muted small">{format!("The newest {shown} of {} files.", page.total)}</p> }
    });
    view! {
        <section class="card" aria-labelledby="kb-other-files-heading">
            <header class="section-header">
                <h2 id="kb-other-files-heading">"Other files"</h2>
            </header>
            <p class="muted small">"Stored, but not a kind the knowledge base reads: search does not see them."</p>
            <ul class="item-list" aria-label="Other files">
                {page.items.into_iter().map(|file| view! { <OtherFileItem file can_write on_delete /> }).collect_view()}
            </ul>
            {more}
        </section>
    }
}

#[component]
fn OtherFileItem(
    file: StoredFile,
    can_write: bool,
    on_delete: Callback<(String, String)>,
) -> impl IntoView {
    view! {
        <li class="item" data-testid="other-file">
            <div class="item-main">
                <h3 class="item-title">{file.name.clone()}</h3>
                <p class="kb-facts muted small">
                    <span>{file.content_type.clone()}</span>
                    <span>{human_bytes(u64::try_from(file.size).unwrap_or(0))}</span>
                    <span>{format!("by {}", file.uploaded_by)}</span>
                    <RelativeTime at_ms=file.created_at_ms />
                </p>
            </div>
            <FileActions file_id=file.id file_name=file.name.clone() delete_label=file.name can_write on_delete />
        </li>
    }
}

/// Download, and for writers delete, of one stored file.
#[component]
fn FileActions(
    file_id: String,
    file_name: String,
    /// What the file is called on the page (a document's title, or the file's name).
    delete_label: String,
    can_write: bool,
    /// Asks to delete `(file_id, delete_label)`.
    on_delete: Callback<(String, String)>,
) -> impl IntoView {
    let href = format!("/rpc/storage/files/{file_id}");
    view! {
        <div class="item-actions">
            <a class="button-link" href=href download=file_name.clone() aria-label=format!("Download {file_name}")>
                "Download"
            </a>
            {can_write.then(|| view! {
                <button
                    type="button"
                    class="danger-outline"
                    aria-label=format!("Delete {delete_label}")
                    on:click=move |_| on_delete.run((file_id.clone(), delete_label.clone()))
                >
                    "Delete"
                </button>
            })}
        </div>
    }
}

#[component]
fn SearchPanel(
    search: Action<String, Result<SearchResults, AppError>>,
    searched: RwSignal<String>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let q = text.get_untracked().trim().to_string();
        searched.set(q.clone());
        if q.is_empty() {
            search.value().set(None);
        } else {
            search.dispatch(q);
        }
    };
    view! {
        <section class="card" aria-labelledby="kb-search-heading">
            <h2 id="kb-search-heading">"Search"</h2>
            <form class="kb-search" role="search" on:submit=on_submit>
                <label for="kb-search-input" class="sr-only">"Search the knowledge base"</label>
                <input
                    id="kb-search-input"
                    type="search"
                    placeholder="Words, \"a phrase\", -excluded"
                    prop:value=move || text.get()
                    on:input=move |event| text.set(event_target_value(&event))
                />
                <button type="submit" class="primary" disabled=move || search.pending().get()>"Search"</button>
            </form>
            {move || search.value().get().map(|answer| match answer {
                Ok(results) => Either::Left(view! { <SearchResultsView results query=searched.get_untracked() /> }),
                Err(error) => Either::Right(view! { <LoadError error /> }),
            })}
        </section>
    }
}

#[component]
fn SearchResultsView(results: SearchResults, query: String) -> impl IntoView {
    let summary = match results.total {
        0 => format!("No passage matches “{query}”."),
        1 => "1 passage matches.".to_string(),
        n if (n as usize) > results.items.len() => {
            format!(
                "{n} passages match; the best {} are shown.",
                results.items.len()
            )
        }
        n => format!("{n} passages match."),
    };
    view! {
        <p class="muted small" role="status" data-testid="search-total">{summary}</p>
        <ol class="item-list kb-hits" aria-label="Search results">
            {results.items.into_iter().map(|hit| view! { <HitItem hit /> }).collect_view()}
        </ol>
    }
}

#[component]
fn HitItem(hit: SearchHit) -> impl IntoView {
    let parts = marked_parts(&hit.snippet, &hit.highlights);
    view! {
        <li class="item kb-hit" data-testid="search-hit">
            <div class="item-main">
                <h3 class="item-title">{hit.title}</h3>
                {(!hit.heading.is_empty()).then(|| view! { <p class="kb-heading muted small">{hit.heading}</p> })}
                <p class="kb-snippet">
                    {parts.into_iter().map(|(text, matched)| if matched {
                        Either::Left(view! { <mark>{text}</mark> })
                    } else {
                        Either::Right(text)
                    }).collect_view()}
                </p>
            </div>
        </li>
    }
}

/// `snippet` cut at the highlight ranges (`[start, end)` in Unicode characters) into
/// `(text, matched)` pieces, in order. Ranges out of bounds are clipped; overlapping or
/// unordered ones never repeat or drop a character.
pub fn marked_parts(snippet: &str, highlights: &[[usize; 2]]) -> Vec<(String, bool)> {
    let chars: Vec<char> = snippet.chars().collect();
    let mut ranges = highlights.to_vec();
    ranges.sort_unstable();
    let mut parts = Vec::new();
    let mut at = 0;
    for [start, end] in ranges {
        let start = start.clamp(at, chars.len());
        let end = end.clamp(start, chars.len());
        if start > at {
            parts.push((chars[at..start].iter().collect(), false));
        }
        if end > start {
            parts.push((chars[start..end].iter().collect(), true));
        }
        at = end.max(at);
    }
    if at < chars.len() {
        parts.push((chars[at..].iter().collect(), false));
    }
    parts
}

/// One file on its way: its name and size, and how far it got.
#[derive(Clone)]
struct UploadItem {
    name: String,
    size: u64,
    state: RwSignal<UploadState>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum UploadState {
    /// Sent so far, in percent.
    Sending(u32),
    /// Stored; the document appears in the list.
    Done(String),
    /// Stored, or already there, but worth a word.
    Notice(String),
    /// Refused or failed; nothing was kept.
    Failed(String),
}

#[component]
fn UploadPanel(on_uploaded: Callback<()>) -> impl IntoView {
    let limit = load(|| (), |_| upload_limit());
    let uploads = RwSignal::new(Vec::<UploadItem>::new());
    let dragging = RwSignal::new(false);

    let start = move |files: web_sys::FileList| {
        let max = limit.get_untracked().and_then(Result::ok);
        for index in 0..files.length() {
            let Some(file) = files.get(index) else {
                continue;
            };
            let size = file.size().max(0.0) as u64;
            let state = RwSignal::new(UploadState::Sending(0));
            uploads.update(|list| {
                list.push(UploadItem {
                    name: file.name(),
                    size,
                    state,
                })
            });
            if let Some(max) = max.filter(|max| size > *max) {
                state.set(UploadState::Failed(too_large(size, max)));
                continue;
            }
            let url = format!(
                "{UPLOAD_PATH}?name={}",
                String::from(js_sys::encode_uri_component(&file.name()))
            );
            crate::ui::browser::post_file(
                &url,
                &file,
                move |percent| state.set(UploadState::Sending(percent.min(100))),
                move |status, body| {
                    let outcome = upload_outcome(status, &body);
                    if !matches!(outcome, UploadState::Failed(_)) {
                        on_uploaded.run(());
                    }
                    state.set(outcome);
                },
            );
        }
    };
    let on_drop = move |event: leptos::ev::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        if let Some(files) = event.data_transfer().and_then(|data| data.files()) {
            start(files);
        }
    };
    let on_pick = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        if let Some(files) = input.files() {
            start(files);
        }
        // The same file picked again is a new upload, not "no change".
        input.set_value("");
    };
    let finished = move || {
        uploads.with(|list| {
            list.iter()
                .any(|u| !matches!(u.state.get(), UploadState::Sending(_)))
        })
    };
    view! {
        <section class="card" aria-labelledby="kb-upload-heading">
            <h2 id="kb-upload-heading">"Upload"</h2>
            <div
                class="kb-drop-zone"
                class:dragging=move || dragging.get()
                data-testid="upload-zone"
                on:dragenter=move |event: leptos::ev::DragEvent| {
                    event.prevent_default();
                    dragging.set(true);
                }
                on:dragover=move |event: leptos::ev::DragEvent| event.prevent_default()
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <p>"Drop files here, or"</p>
                <input id="kb-file-input" class="sr-only" type="file" multiple on:change=on_pick />
                <label for="kb-file-input" class="button-link primary">"Choose files"</label>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        limit.await.ok().map(|max| view! {
                            <p class="muted small">
                                {format!("Up to {} per file. Text, Markdown, HTML, PDF, DOCX, CSV and JSON become searchable documents.", human_bytes(max))}
                            </p>
                        })
                    })}
                </Transition>
            </div>
            <Show when=move || uploads.with(|list| !list.is_empty())>
                <ul class="kb-uploads" aria-label="Uploads">
                    {move || uploads.get().into_iter().map(|upload| view! { <UploadRow upload /> }).collect_view()}
                </ul>
                <Show when=finished>
                    <button
                        type="button"
                        on:click=move |_| uploads.update(|list| list.retain(|u| matches!(u.state.get_untracked(), UploadState::Sending(_))))
                    >
                        "Clear finished uploads"
                    </button>
                </Show>
            </Show>
        </section>
    }
}

#[component]
fn UploadRow(upload: UploadItem) -> impl IntoView {
    let UploadItem { name, size, state } = upload;
    let label = format!("Uploading {name}");
    view! {
        <li class="kb-upload" data-testid="upload">
            <div class="kb-upload-head">
                <span class="kb-upload-name">{name}</span>
                <span class="muted small">{human_bytes(size)}</span>
            </div>
            {move || match state.get() {
                UploadState::Sending(percent) => view! {
                    <div class="kb-progress">
                        <progress max="100" value=percent aria-label=label.clone()></progress>
                        <span class="muted small">{format!("{percent} %")}</span>
                    </div>
                }.into_any(),
                UploadState::Done(message) => view! { <p class="kb-upload-message notice-line" role="status">{message}</p> }.into_any(),
                UploadState::Notice(message) => view! { <p class="kb-upload-message alert alert-warning" role="status">{message}</p> }.into_any(),
                UploadState::Failed(message) => view! { <p class="kb-upload-message alert alert-error" role="alert">{message}</p> }.into_any(),
            }}
        </li>
    }
}

/// The refusal shown when a file is over the limit, before anything is sent.
fn too_large(size: u64, max: u64) -> String {
    format!(
        "Too large: {} is over the limit of {} per file. It was not sent.",
        human_bytes(size),
        human_bytes(max)
    )
}

/// What the upload route answered (`browser_files.rs`): `{file, duplicate}` or an `AppError`.
#[derive(Deserialize)]
struct Uploaded {
    file: UploadedFile,
    duplicate: bool,
}

#[derive(Deserialize)]
struct UploadedFile {
    document_id: Option<String>,
}

/// The line shown under a file once the server has answered with `status` and `body`.
fn upload_outcome(status: u16, body: &str) -> UploadState {
    if (200..300).contains(&status) {
        return match serde_json::from_str::<Uploaded>(body) {
            Ok(Uploaded {
                duplicate: true, ..
            }) => UploadState::Notice(
                "Already uploaded: the workspace has a file with exactly these bytes.".into(),
            ),
            Ok(Uploaded {
                file: UploadedFile { document_id: None },
                ..
            }) => UploadState::Notice(
                "Stored, but not a document kind the knowledge base reads.".into(),
            ),
            Ok(_) => UploadState::Done("Uploaded. It is read into the list below.".into()),
            Err(_) => UploadState::Done("Uploaded.".into()),
        };
    }
    let error = match (status, serde_json::from_str::<AppError>(body)) {
        (0, _) => AppError::Transport,
        (_, Ok(error)) => error,
        (413, Err(_)) => AppError::TooLarge("The file is larger than the server accepts.".into()),
        (_, Err(_)) => AppError::Internal,
    };
    let message = match &error {
        AppError::Validation(fields) => fields
            .values()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    };
    UploadState::Failed(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(parts: &[(String, bool)]) -> String {
        parts
            .iter()
            .map(|(text, matched)| {
                if *matched {
                    format!("[{text}]")
                } else {
                    text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn highlights_cut_by_characters_not_bytes() {
        let parts = marked_parts("Zürich café opens", &[[7, 11], [0, 6]]);
        assert_eq!(plain(&parts), "[Zürich] [café] opens");
    }

    #[test]
    fn odd_highlights_never_repeat_or_drop_text() {
        assert_eq!(
            plain(&marked_parts("abcdef", &[[1, 3], [2, 5]])),
            "a[bc][de]f"
        );
        assert_eq!(plain(&marked_parts("abc", &[[2, 99], [5, 9]])), "ab[c]");
        assert_eq!(plain(&marked_parts("abc", &[[2, 1]])), "abc");
        assert_eq!(plain(&marked_parts("", &[[0, 3]])), "");
        assert_eq!(plain(&marked_parts("abc", &[])), "abc");
    }

    #[test]
    fn upload_answers_read_as_people_need_them() {
        let created = r#"{"file":{"id":"f","document_id":"d"},"duplicate":false}"#;
        assert!(matches!(upload_outcome(201, created), UploadState::Done(_)));
        let duplicate = r#"{"file":{"id":"f","document_id":"d"},"duplicate":true}"#;
        assert!(
            matches!(upload_outcome(200, duplicate), UploadState::Notice(m) if m.starts_with("Already uploaded"))
        );
        let unread = r#"{"file":{"id":"f","document_id":null},"duplicate":false}"#;
        assert!(
            matches!(upload_outcome(201, unread), UploadState::Notice(m) if m.contains("not a document kind"))
        );
        let quota = serde_json::to_string(&AppError::TooLarge(
            "The workspace's storage quota of 1 GiB would be exceeded.".into(),
        ))
        .unwrap();
        assert!(
            matches!(upload_outcome(413, &quota), UploadState::Failed(m) if m.contains("quota of 1 GiB"))
        );
        assert!(
            matches!(upload_outcome(413, "<html>"), UploadState::Failed(m) if m.contains("larger than"))
        );
        assert!(
            matches!(upload_outcome(0, ""), UploadState::Failed(m) if m.contains("Could not reach"))
        );
        let invalid =
            serde_json::to_string(&AppError::field("file", "The upload was interrupted.")).unwrap();
        assert_eq!(
            upload_outcome(422, &invalid),
            UploadState::Failed("The upload was interrupted.".into())
        );
    }

    #[test]
    fn too_large_names_both_sizes() {
        assert_eq!(
            too_large(6 * 1024 * 1024, 5 * 1024 * 1024),
            "Too large: 6 MiB is over the limit of 5 MiB per file. It was not sent."
        );
    }
}
