//! `tsr chat`: the assistant's answer printed as it streams. With a question as an argument
//! it answers once; without, it reads questions from stdin, one conversation.

use std::io::{BufRead, IsTerminal, Write};

use tessera_sdk::wire::assistant::{ChatEvent, ChatRequest, Citation};
use tessera_sdk::StreamExt;

use super::Context;
use crate::failure::{Failure, Outcome};
use crate::output;

#[derive(Debug, clap::Args)]
pub struct ChatArgs {
    /// The question (several words are joined with spaces); none to chat on stdin.
    message: Vec<String>,
    /// Continue a conversation.
    #[arg(long)]
    conversation: Option<String>,
}

pub async fn run(context: &Context, args: ChatArgs) -> Outcome {
    let client = context.client()?;
    let mut conversation = args.conversation;
    if !args.message.is_empty() {
        let events = ask(context, &client, args.message.join(" "), &mut conversation).await?;
        if context.json() {
            return output::json(&events);
        }
        return Ok(());
    }
    // Interactive: one line per question, until end of input.
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    if interactive {
        output::note("Ask a question (Ctrl-D to leave).");
    }
    let mut all = Vec::new();
    loop {
        if interactive {
            eprint!("> ");
            std::io::stderr().flush()?;
        }
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            break;
        }
        let question = line.trim();
        if question.is_empty() {
            continue;
        }
        all.extend(ask(context, &client, question.to_owned(), &mut conversation).await?);
    }
    if context.json() {
        return output::json(&all);
    }
    Ok(())
}

/// Asks one question and prints the answer as it arrives (or, with `--json`, collects the
/// events as `{"event": name, "data": …}`).
async fn ask(
    context: &Context,
    client: &tessera_sdk::Client,
    message: String,
    conversation: &mut Option<String>,
) -> Outcome<Vec<serde_json::Value>> {
    let mut stream = client
        .assistant()
        .chat(&ChatRequest {
            message,
            conversation_id: conversation.clone(),
        })
        .await?;
    let mut events = Vec::new();
    let mut citations: Vec<Citation> = Vec::new();
    let mut failure = None;
    let mut stdout = std::io::stdout();
    while let Some(event) = stream.next().await {
        let event = event?;
        if context.json() {
            let data: serde_json::Value = serde_json::from_str(&event.data())?;
            events.push(serde_json::json!({ "event": event.name(), "data": data }));
        }
        match event {
            ChatEvent::Created(created) => *conversation = Some(created.conversation_id),
            ChatEvent::Citation(citation) => citations.push(citation),
            ChatEvent::Delta(text) if !context.json() => {
                write!(stdout, "{}", text.delta)?;
                stdout.flush()?;
            }
            ChatEvent::Delta(_) => {}
            ChatEvent::Error(problem) => {
                failure = Some(format!(
                    "{} ({}): {}",
                    problem.title, problem.status, problem.detail
                ))
            }
            ChatEvent::Completed(done) if !context.json() => {
                println!();
                for citation in citations.iter().filter(|c| done.citations.contains(&c.n)) {
                    println!("[{}] {}", citation.n, citation.place());
                }
            }
            ChatEvent::Completed(_) => {}
        }
    }
    match failure {
        Some(detail) if !context.json() => {
            Err(Failure::other(format!("the answer failed: {detail}")))
        }
        _ => Ok(events),
    }
}
