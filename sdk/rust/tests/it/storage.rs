//! Storage and the knowledge base: streamed uploads (raw and multipart), byte-identical
//! downloads, indexing, search.

use std::time::Duration;

use sha2::{Digest, Sha256};
use tessera_sdk::wire::knowledge::{DocumentQuery, DocumentStatus, SearchQuery};
use tessera_sdk::wire::storage::FileQuery;
use tessera_sdk::{StreamExt, TryStreamExt, UploadPart, UploadSource};
use tokio::io::AsyncWriteExt;

use crate::common::{client, unique};

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Bytes that do not repeat (so no layer can compress or deduplicate them away).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

#[tokio::test]
async fn a_multi_megabyte_file_streams_up_and_down_unchanged() {
    let storage = client().storage();
    let bytes = noise(6 * 1024 * 1024 + 123, rand::random());
    let dir = std::env::temp_dir().join(unique("upload"));
    tokio::fs::create_dir_all(&dir).await.unwrap();
    let path = dir.join("big.bin");
    tokio::fs::write(&path, &bytes).await.unwrap();

    let name = format!("{}.bin", unique("big"));
    let stored = storage
        .put(&name, UploadSource::file(&path).await.unwrap())
        .await
        .unwrap();
    assert_eq!(stored.size, bytes.len() as i64);
    assert_eq!(stored.sha256, hex_sha256(&bytes));
    assert_eq!(stored.name, name);
    assert_eq!(stored.document_id, None, "random bytes are no document");

    // Streamed back chunk by chunk, hashed as it arrives.
    let download = storage.download(&stored.id).await.unwrap();
    assert_eq!(download.file_name.as_deref(), Some(name.as_str()));
    assert_eq!(download.length, Some(bytes.len() as u64));
    let mut hasher = Sha256::new();
    let mut chunks = 0;
    let mut stream = download.into_stream();
    while let Some(chunk) = stream.next().await {
        hasher.update(chunk.unwrap());
        chunks += 1;
    }
    assert!(chunks > 1, "the download arrived in one piece");
    let digest: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(digest, stored.sha256);

    let copy = dir.join("copy.bin");
    let written = storage
        .download(&stored.id)
        .await
        .unwrap()
        .save(&copy)
        .await
        .unwrap();
    assert_eq!(written, bytes.len() as u64);
    assert!(
        tokio::fs::read(&copy).await.unwrap() == bytes,
        "the saved copy differs"
    );

    // The same bytes again answer the file the workspace holds.
    let again = storage
        .put("other-name.bin", UploadSource::bytes(bytes.clone()))
        .await
        .unwrap();
    assert_eq!(again.id, stored.id);

    storage.delete(&stored.id).await.unwrap();
    assert!(storage
        .download(&stored.id)
        .await
        .unwrap_err()
        .is_not_found());
    tokio::fs::remove_dir_all(&dir).await.unwrap();
}

#[tokio::test]
async fn a_reader_of_unknown_length_streams_too() {
    let storage = client().storage();
    let bytes = noise(300_000, rand::random());
    let (mut writer, reader) = tokio::io::duplex(8 * 1024);
    let feed = bytes.clone();
    let feeder = tokio::spawn(async move {
        for piece in feed.chunks(10_000) {
            writer.write_all(piece).await.unwrap();
        }
    });
    let stored = storage
        .put(
            &format!("{}.bin", unique("piped")),
            UploadSource::reader(reader, None),
        )
        .await
        .unwrap();
    feeder.await.unwrap();
    assert_eq!(stored.sha256, hex_sha256(&bytes));
    let back = storage
        .download(&stored.id)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(back == bytes);
    storage.delete(&stored.id).await.unwrap();
}

#[tokio::test]
async fn documents_are_indexed_and_searchable() {
    let client = client();
    let word = format!("Quillwort{}", unique("w").replace('-', ""));
    let markdown = format!(
        "# Greenhouse notes\n\n## Watering\n\nThe {word} ferns are watered every Tuesday with rain water.\n\n\
         ## Light\n\nKeep them out of the afternoon sun.\n"
    );
    let text = format!("Plain notes: {word} seedlings sprout after nine days.\n");
    let uploaded = client
        .storage()
        .upload(vec![
            UploadPart {
                file_name: format!("{}.md", unique("notes")),
                source: UploadSource::bytes(markdown.into_bytes()).content_type("text/markdown"),
            },
            UploadPart {
                file_name: format!("{}.txt", unique("plain")),
                source: UploadSource::bytes(text.into_bytes()).content_type("text/plain"),
            },
        ])
        .await
        .unwrap();
    assert_eq!(uploaded.items.len(), 2);
    let document_ids: Vec<String> = uploaded
        .items
        .iter()
        .map(|file| file.document_id.clone().expect("text becomes a document"))
        .collect();
    for id in &document_ids {
        let document = client
            .knowledge_base()
            .wait_until_indexed(id, Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(
            document.status,
            DocumentStatus::Ready,
            "{:?}",
            document.failure
        );
        assert!(document.chunk_count >= 1);
    }

    let ready: Vec<_> = client
        .knowledge_base()
        .list_all(DocumentQuery {
            status: Some(DocumentStatus::Ready),
            limit: Some(50),
            ..Default::default()
        })
        .try_collect()
        .await
        .unwrap();
    for id in &document_ids {
        assert!(
            ready.iter().any(|d| &d.id == id),
            "document {id} is not listed as ready"
        );
    }
    assert!(
        client
            .knowledge_base()
            .list(&DocumentQuery::default())
            .await
            .unwrap()
            .total
            >= 2
    );

    let results = client
        .knowledge_base()
        .search(&SearchQuery {
            q: format!("{word} watered"),
            limit: Some(5),
        })
        .await
        .unwrap();
    assert_eq!(results.items[0].document_id, document_ids[0], "{results:?}");
    assert!(
        results.items[0].heading.contains("Watering"),
        "{:?}",
        results.items[0]
    );
    let excluded = client
        .knowledge_base()
        .search(&SearchQuery {
            q: format!("{word} -watered"),
            limit: None,
        })
        .await
        .unwrap();
    assert!(excluded
        .items
        .iter()
        .all(|hit| hit.document_id != document_ids[0]));
    assert!(excluded
        .items
        .iter()
        .any(|hit| hit.document_id == document_ids[1]));

    let files: Vec<_> = client
        .storage()
        .list_all(FileQuery {
            documents: Some(true),
            ..Default::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert!(uploaded
        .items
        .iter()
        .all(|u| files.iter().any(|f| f.id == u.id)));
    assert!(
        client
            .storage()
            .list(&FileQuery::default())
            .await
            .unwrap()
            .total
            >= 2
    );

    // Deleting a file deletes its document.
    for file in &uploaded.items {
        client.storage().delete(&file.id).await.unwrap();
    }
    assert!(client
        .knowledge_base()
        .get(&document_ids[0])
        .await
        .unwrap_err()
        .is_not_found());
}
