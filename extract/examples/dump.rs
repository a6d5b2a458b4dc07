//! Prints what the knowledge base would read from a file: `cargo run -p tessera-extract
//! --example dump -- FILE [--chunks]`. For checking a corpus by eye and timing it.

use std::time::Instant;

use tessera_extract::{chunk, extract, Format, Limits, DEFAULT_CHUNK_CHARS};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: dump FILE [--chunks]")?;
    let show_chunks = args.next().as_deref() == Some("--chunks");
    let bytes = std::fs::read(&path)?;
    let format = Format::detect(&path, None, &bytes).ok_or("not a document")?;
    let started = Instant::now();
    let extracted = extract(format, &bytes, &Limits::default())?;
    let took = started.elapsed();
    println!("format: {format:?}\ntitle: {:?}", extracted.title);
    if show_chunks {
        for c in chunk(&extracted, DEFAULT_CHUNK_CHARS) {
            println!(
                "--- [{}] ({} chars)\n{}",
                c.heading,
                c.text.chars().count(),
                c.text
            );
        }
    } else {
        for s in &extracted.sections {
            println!("=== [{}]\n{}", s.heading, s.text);
        }
    }
    eprintln!("{} sections in {took:?}", extracted.sections.len());
    Ok(())
}
