//! `tsr storage …`: stored files. Uploads and downloads stream (never whole in memory), with
//! a progress bar when stderr is a terminal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use tessera_sdk::wire::storage::{FileQuery, StoredFile};
use tessera_sdk::{UploadPart, UploadSource};

use super::{fetch_list, print_list, Context, PageArgs};
use crate::failure::{Failure, Outcome};
use crate::output;

#[derive(Debug, Subcommand)]
pub enum StorageCommand {
    /// List files, newest first.
    List {
        /// Only files that are knowledge-base documents.
        #[arg(long)]
        documents: bool,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Upload files (text, Markdown, HTML, PDF and DOCX become knowledge-base documents).
    Upload {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The stored name (one file only; default: the file's name).
        #[arg(long)]
        name: Option<String>,
        /// The content type (default: guessed from the extension).
        #[arg(long)]
        content_type: Option<String>,
        /// Send all files in one multipart request (all are kept or none).
        #[arg(long)]
        multipart: bool,
    },
    /// Download a file.
    Download {
        file_id: String,
        /// Where to write it (`-` for stdout; default: its name in this folder).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Delete a file with its knowledge-base document.
    Delete { file_id: String },
}

pub async fn run(context: &Context, command: StorageCommand) -> Outcome {
    let storage = context.client()?.storage();
    match command {
        StorageCommand::List { documents, page } => {
            let query = FileQuery {
                limit: page.limit(),
                offset: page.offset,
                documents: documents.then_some(true),
            };
            let (items, total) = fetch_list(
                &page,
                || storage.list_all(query.clone()),
                || storage.list(&query),
            )
            .await?;
            print_list(
                context,
                &items,
                total,
                &["ID", "NAME", "SIZE", "TYPE", "DOCUMENT", "UPLOADED"],
                row,
            )
        }
        StorageCommand::Upload {
            files,
            name,
            content_type,
            multipart,
        } => {
            if name.is_some() && files.len() > 1 {
                return Err(Failure::usage(
                    "--name names one file; upload the others separately",
                ));
            }
            let mut stored = Vec::new();
            if multipart {
                let mut parts = Vec::new();
                for path in &files {
                    let (file_name, source, _) =
                        open(path, name.as_deref(), content_type.as_deref()).await?;
                    parts.push(UploadPart { file_name, source });
                }
                stored = storage.upload(parts).await?.items;
            } else {
                for path in &files {
                    let (file_name, source, bar) =
                        open(path, name.as_deref(), content_type.as_deref()).await?;
                    let file = storage.put(&file_name, source).await;
                    if let Some(bar) = bar {
                        bar.finish_and_clear();
                    }
                    stored.push(file?);
                }
            }
            if context.json() {
                return output::json(&serde_json::json!({ "items": stored }));
            }
            let rows: Vec<Vec<String>> = stored.iter().map(row).collect();
            output::table(
                &["ID", "NAME", "SIZE", "TYPE", "DOCUMENT", "UPLOADED"],
                &rows,
            );
            Ok(())
        }
        StorageCommand::Download { file_id, output } => {
            let download = storage.download(&file_id).await?;
            if output.as_deref() == Some(Path::new("-")) {
                let mut stdout = tokio::io::stdout();
                download.write_to(&mut stdout).await?;
                return Ok(());
            }
            let path = match output {
                Some(path) => path,
                None => PathBuf::from(safe_name(download.file_name.as_deref().unwrap_or(&file_id))),
            };
            let bar = progress(download.length);
            let file = tokio::fs::File::create(&path).await.map_err(|error| {
                Failure::other(format!("cannot create {}: {error}", path.display()))
            })?;
            let written = match &bar {
                Some(bar) => {
                    let mut writer = bar.wrap_async_write(file);
                    download.write_to(&mut writer).await?
                }
                None => {
                    let mut file = file;
                    download.write_to(&mut file).await?
                }
            };
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            if context.json() {
                return output::json(
                    &serde_json::json!({ "id": file_id, "path": path, "bytes": written }),
                );
            }
            output::note(format!("Wrote {written} bytes to {}.", path.display()));
            Ok(())
        }
        StorageCommand::Delete { file_id } => {
            storage.delete(&file_id).await?;
            if context.json() {
                return output::json(&serde_json::json!({ "deleted": file_id }));
            }
            output::note(format!("Deleted file {file_id}."));
            Ok(())
        }
    }
}

/// Opens a file to upload, streamed through a progress bar on a terminal.
async fn open(
    path: &Path,
    name: Option<&str>,
    content_type: Option<&str>,
) -> Outcome<(String, UploadSource, Option<ProgressBar>)> {
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|error| Failure::other(format!("cannot read {}: {error}", path.display())))?;
    let length = file.metadata().await?.len();
    let file_name = match name {
        Some(name) => name.to_owned(),
        None => path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .ok_or_else(|| Failure::usage(format!("{} names no file", path.display())))?,
    };
    let bar = progress(Some(length));
    let source = match &bar {
        Some(bar) => UploadSource::reader(bar.wrap_async_read(file), Some(length)),
        None => UploadSource::reader(file, Some(length)),
    };
    let content_type = content_type.or_else(|| tessera_sdk::guess_content_type(&file_name));
    let source = match content_type {
        Some(content_type) => source.content_type(content_type),
        None => source,
    };
    Ok((file_name, source, bar))
}

/// A progress bar on stderr, only when a person is watching it.
fn progress(length: Option<u64>) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = match length {
        Some(length) => ProgressBar::new(length),
        None => ProgressBar::no_length(),
    };
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// A downloaded file's name as a plain name in this folder (no `..`, no separators).
fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base {
        "" | "." | ".." => "download".to_owned(),
        other => other.to_owned(),
    }
}

fn row(file: &StoredFile) -> Vec<String> {
    vec![
        file.id.clone(),
        file.name.clone(),
        tessera_sdk::wire::storage::human_bytes(file.size.max(0) as u64),
        file.content_type.clone(),
        file.document_id.clone().unwrap_or_else(|| "-".to_owned()),
        output::time(file.created_at_ms),
    ]
}
