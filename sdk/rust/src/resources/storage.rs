//! `/api/knowledge-base/storage`: files (SPEC §4.3). Uploads stream from a file or any
//! `AsyncRead` without being held in memory; downloads arrive as a byte stream.

use std::path::Path;

use bytes::Bytes;
use futures_util::stream::{Stream, StreamExt, TryStreamExt};
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::multipart::{Form, Part};
use reqwest::{Body, Method, Response};
use tessera_wire::storage::{FilePage, FileQuery, StoredFile, UploadedFiles};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio_util::io::ReaderStream;

use super::handle;
use crate::error::Result;
use crate::paging::{all_pages, ItemStream};

handle! {
    /// Stored files: `client.storage()`.
    ///
    /// ```no_run
    /// use tessera_sdk::{StreamExt, UploadSource};
    /// # async fn run(tessera: tessera_sdk::Client) -> tessera_sdk::Result<()> {
    /// // Streams from disk: the file is never read into memory whole.
    /// let stored = tessera.storage().put("report.pdf", UploadSource::file("report.pdf").await?).await?;
    /// println!("{} bytes, sha256 {}", stored.size, stored.sha256);
    ///
    /// let download = tessera.storage().download(&stored.id).await?;
    /// let written = download.save("copy.pdf").await?;
    /// assert_eq!(written, stored.size as u64);
    ///
    /// // Or read it chunk by chunk:
    /// let mut chunks = tessera.storage().download(&stored.id).await?.into_stream();
    /// while let Some(chunk) = chunks.next().await {
    ///     let _bytes = chunk?;
    /// }
    /// tessera.storage().delete(&stored.id).await?;
    /// # Ok(()) }
    /// ```
    Storage
}

/// The bytes of one upload: a file, any reader, or bytes in memory, with their type.
pub struct UploadSource {
    body: Body,
    length: Option<u64>,
    content_type: Option<String>,
}

impl std::fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadSource")
            .field("length", &self.length)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl UploadSource {
    /// Bytes already in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        UploadSource {
            length: Some(bytes.len() as u64),
            body: Body::from(bytes),
            content_type: None,
        }
    }

    /// A reader, streamed as it is read; `length` (when known) is sent as `Content-Length`.
    pub fn reader(reader: impl AsyncRead + Send + Sync + 'static, length: Option<u64>) -> Self {
        UploadSource {
            body: Body::wrap_stream(ReaderStream::with_capacity(reader, 64 * 1024)),
            length,
            content_type: None,
        }
    }

    /// A file, streamed from disk; its type is guessed from its extension.
    pub async fn file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let file = tokio::fs::File::open(path).await?;
        let length = file.metadata().await?.len();
        let source = UploadSource::reader(file, Some(length));
        Ok(match guess_content_type(&path.to_string_lossy()) {
            Some(content_type) => source.content_type(content_type),
            None => source,
        })
    }

    /// What the bytes are (`text/markdown` …); without one, `application/octet-stream`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The length, when known.
    pub fn length(&self) -> Option<u64> {
        self.length
    }

    fn content_type_or_default(&self) -> &str {
        self.content_type
            .as_deref()
            .unwrap_or("application/octet-stream")
    }
}

/// One file of a multipart upload.
#[derive(Debug)]
pub struct UploadPart {
    /// The name shown in lists and used for downloads.
    pub file_name: String,
    pub source: UploadSource,
}

/// The content type for common document extensions; the server also looks at the bytes.
pub fn guess_content_type(name: &str) -> Option<&'static str> {
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "md" | "markdown" => "text/markdown",
        "txt" | "text" | "log" => "text/plain",
        "html" | "htm" => "text/html",
        "csv" => "text/csv",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => return None,
    })
}

/// A file being downloaded: its headers now, its bytes as they are read.
#[derive(Debug)]
pub struct Download {
    /// The file's name, from `Content-Disposition`.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    /// The size, when the server says it.
    pub length: Option<u64>,
    response: Response,
}

impl Download {
    fn new(response: Response) -> Self {
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|value: &reqwest::header::HeaderValue| value.to_str().ok())
                .map(str::to_owned)
        };
        Download {
            file_name: header(CONTENT_DISPOSITION).and_then(|value| disposition_file_name(&value)),
            content_type: header(CONTENT_TYPE),
            length: response.content_length(),
            response,
        }
    }

    /// The bytes as they arrive.
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes>> + Send + Unpin {
        self.response.bytes_stream().map_err(Into::into)
    }

    /// Copies the bytes into `writer` as they arrive; answers how many were written.
    pub async fn write_to<W: AsyncWrite + Unpin>(self, writer: &mut W) -> Result<u64> {
        let mut written = 0;
        let mut chunks = self.into_stream();
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        writer.flush().await?;
        Ok(written)
    }

    /// Writes the bytes to a new file at `path` (replacing one that is there).
    pub async fn save(self, path: impl AsRef<Path>) -> Result<u64> {
        let mut file = tokio::fs::File::create(path).await?;
        let written = self.write_to(&mut file).await?;
        file.sync_all().await?;
        Ok(written)
    }

    /// All the bytes in memory; for small files.
    pub async fn bytes(self) -> Result<Bytes> {
        Ok(self.response.bytes().await?)
    }
}

/// `filename*=UTF-8''…` (RFC 6266, preferred) or `filename="…"`.
fn disposition_file_name(value: &str) -> Option<String> {
    let parameters: Vec<&str> = value.split(';').map(str::trim).collect();
    let extended = parameters.iter().find_map(|parameter| {
        let encoded = parameter.strip_prefix("filename*=")?;
        let encoded = encoded
            .strip_prefix("UTF-8''")
            .or_else(|| encoded.strip_prefix("utf-8''"))?;
        percent_decode(encoded)
    });
    extended.or_else(|| {
        parameters.iter().find_map(|parameter| {
            let quoted = parameter.strip_prefix("filename=")?;
            Some(quoted.trim_matches('"').to_owned())
        })
    })
}

fn percent_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

impl Storage {
    /// `GET /api/knowledge-base/storage`: one page, newest first.
    pub async fn list(&self, query: &FileQuery) -> Result<FilePage> {
        let request = self
            .client
            .request(Method::GET, &["api", "knowledge-base", "storage"])
            .query(query);
        self.client.json(request).await
    }

    /// Every file matching `query`, page by page.
    pub fn list_all(&self, query: FileQuery) -> ItemStream<StoredFile> {
        let storage = self.clone();
        all_pages(query, move |query| {
            let storage = storage.clone();
            async move { storage.list(&query).await }
        })
    }

    /// `PUT /api/knowledge-base/storage/{file}`: one file as the raw body, named `name`.
    /// Bytes the workspace already holds answer the existing file.
    pub async fn put(&self, name: &str, source: UploadSource) -> Result<StoredFile> {
        let mut request = self
            .client
            .request(Method::PUT, &["api", "knowledge-base", "storage", name])
            .header(CONTENT_TYPE, source.content_type_or_default());
        if let Some(length) = source.length {
            request = request.header(CONTENT_LENGTH, length);
        }
        self.client.json(request.body(source.body)).await
    }

    /// `POST /api/knowledge-base/storage`: several files as `multipart/form-data`, stored in
    /// the order sent; over the limit or quota nothing from the request is kept (413).
    pub async fn upload(&self, parts: Vec<UploadPart>) -> Result<UploadedFiles> {
        let mut form = Form::new();
        for UploadPart { file_name, source } in parts {
            let content_type = source.content_type_or_default().to_owned();
            let part = match source.length {
                Some(length) => Part::stream_with_length(source.body, length),
                None => Part::stream(source.body),
            };
            form = form.part("file", part.file_name(file_name).mime_str(&content_type)?);
        }
        let request = self
            .client
            .request(Method::POST, &["api", "knowledge-base", "storage"])
            .multipart(form);
        self.client.json(request).await
    }

    /// `GET /api/knowledge-base/storage/{file}`: the file's bytes, streamed.
    pub async fn download(&self, file_id: &str) -> Result<Download> {
        let request = self
            .client
            .request(Method::GET, &["api", "knowledge-base", "storage", file_id]);
        let response = self.client.transport().send(request).await?;
        Ok(Download::new(response))
    }

    /// `DELETE /api/knowledge-base/storage/{file}`: with its document and search passages.
    pub async fn delete(&self, file_id: &str) -> Result<()> {
        let request = self.client.request(
            Method::DELETE,
            &["api", "knowledge-base", "storage", file_id],
        );
        self.client.empty(request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_comes_from_content_disposition() {
        assert_eq!(
            disposition_file_name(
                "attachment; filename=\"r_sum_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt"
            ),
            Some("résumé.txt".to_owned())
        );
        assert_eq!(
            disposition_file_name("attachment; filename=\"plain.txt\""),
            Some("plain.txt".to_owned())
        );
        assert_eq!(disposition_file_name("inline"), None);
    }
}
