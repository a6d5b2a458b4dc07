//! `tsr conversations …`: the assistant's history.

use clap::Subcommand;
use tessera_sdk::wire::assistant::ConversationQuery;

use super::{fetch_list, print_list, Context, PageArgs};
use crate::failure::Outcome;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum ConversationsCommand {
    /// List conversations, latest activity first.
    List {
        #[command(flatten)]
        page: PageArgs,
    },
    /// Show a conversation's questions and answers.
    Show { conversation_id: String },
}

pub async fn run(context: &Context, command: ConversationsCommand) -> Outcome {
    let assistant = context.client()?.assistant();
    match command {
        ConversationsCommand::List { page } => {
            let query = ConversationQuery {
                limit: page.limit(),
                offset: page.offset,
            };
            let (items, total) = fetch_list(
                &page,
                || assistant.history_all(query.clone()),
                || assistant.history(&query),
            )
            .await?;
            print_list(
                context,
                &items,
                total,
                &["ID", "TITLE", "MESSAGES", "UPDATED"],
                |conversation| {
                    vec![
                        conversation.id.clone(),
                        output::clip(&conversation.title, 50),
                        conversation.message_count.to_string(),
                        output::time(conversation.updated_at_ms),
                    ]
                },
            )?;
            Ok(())
        }
        ConversationsCommand::Show { conversation_id } => {
            let conversation = assistant.conversation(&conversation_id).await?;
            if context.json() {
                return output::json(&conversation);
            }
            println!("{}", conversation.title);
            for message in &conversation.messages {
                println!("\n> {}\n{}", message.question, message.answer);
                for citation in &message.citations {
                    println!("[{}] {}", citation.n, citation.place());
                }
            }
            Ok(())
        }
    }
}
