//! `tsr kb …`: the knowledge base's documents and search.

use clap::Subcommand;
use tessera_sdk::wire::knowledge::{Document, DocumentQuery, DocumentStatus, SearchQuery};

use super::{fetch_list, print_list, wire_name, Context, PageArgs};
use crate::failure::Outcome;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// List documents, newest first.
    List {
        /// pending, ready or failed.
        #[arg(long, value_parser = wire_name::<DocumentStatus>)]
        status: Option<DocumentStatus>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Show a document.
    Show { document_id: String },
    /// Search: plain words, "quoted phrases", -excluded words.
    Search {
        /// The query (several words are joined with spaces).
        #[arg(required = true)]
        query: Vec<String>,
        #[arg(long)]
        limit: Option<i64>,
    },
}

pub async fn run(context: &Context, command: KbCommand) -> Outcome {
    let knowledge = context.client()?.knowledge_base();
    match command {
        KbCommand::List { status, page } => {
            let query = DocumentQuery {
                status,
                limit: page.limit(),
                offset: page.offset,
            };
            let (items, total) = fetch_list(
                &page,
                || knowledge.list_all(query.clone()),
                || knowledge.list(&query),
            )
            .await?;
            print_list(
                context,
                &items,
                total,
                &["ID", "TITLE", "STATUS", "PASSAGES", "FILE"],
                |document| {
                    vec![
                        document.id.clone(),
                        output::clip(&document.title, 40),
                        output::name(&document.status),
                        document.chunk_count.to_string(),
                        document.file_name.clone(),
                    ]
                },
            )?;
            Ok(())
        }
        KbCommand::Show { document_id } => show(context, &knowledge.get(&document_id).await?),
        KbCommand::Search { query, limit } => {
            let results = knowledge
                .search(&SearchQuery {
                    q: query.join(" "),
                    limit,
                })
                .await?;
            if context.json() {
                return output::json(&results);
            }
            if results.items.is_empty() {
                println!("No passage matches.");
            }
            for (n, hit) in results.items.iter().enumerate() {
                let place = tessera_sdk::wire::assistant::place(&hit.title, &hit.heading);
                println!("{}. {place}  (document {})", n + 1, hit.document_id);
                println!("   {}", output::clip(&hit.snippet, 200));
            }
            Ok(())
        }
    }
}

fn show(context: &Context, document: &Document) -> Outcome {
    if context.json() {
        return output::json(document);
    }
    output::fields(&[
        ("Id", document.id.clone()),
        ("Title", document.title.clone()),
        ("Status", output::name(&document.status)),
        (
            "Failure",
            document.failure.clone().unwrap_or_else(|| "-".to_owned()),
        ),
        (
            "File",
            format!("{} ({})", document.file_name, document.file_id),
        ),
        ("Type", document.content_type.clone()),
        ("Size", format!("{} bytes", document.size)),
        ("Passages", document.chunk_count.to_string()),
        ("Uploaded", output::time(document.created_at_ms)),
    ]);
    Ok(())
}
