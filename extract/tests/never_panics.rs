//! extract() on random and mutated bytes, every format: it may refuse, it must not panic.
//! A test binary of its own because it installs a panic hook (to count the parser panics
//! that `extract` catches, and keep them out of the output).

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tessera_extract::{chunk, extract, ExtractError, Format, Limits};

/// xorshift64*: deterministic, so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// Flips, deletes, duplicates, inserts and truncates, a few times over.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len());
        match rng.below(6) {
            0 if !out.is_empty() => out[at] ^= 1 << rng.below(8),
            1 if !out.is_empty() => out[at] = rng.next() as u8,
            2 => {
                let len = rng.below(64).min(out.len() - at);
                out.drain(at..at + len);
            }
            3 => {
                let len = rng.below(256).min(out.len() - at);
                let copy = out[at..at + len].to_vec();
                let to = rng.below(out.len());
                out.splice(to..to, copy);
            }
            4 => {
                let n = 1 + rng.below(16);
                let noise = rng.bytes(n);
                out.splice(at..at, noise);
            }
            _ => out.truncate(at),
        }
    }
    out
}

/// Mutates the XML inside the DOCX and zips it again, so the XML reader is what gets tested
/// (mutating the deflated bytes mostly tests the CRC).
fn mutated_docx(rng: &mut Rng, document_xml: &[u8]) -> Vec<u8> {
    let xml = mutate(rng, document_xml);
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("word/document.xml", options)
        .expect("starting an entry in memory");
    zip.write_all(&xml).expect("writing to memory");
    zip.finish().expect("finishing a zip in memory");
    out.into_inner()
}

fn document_xml(docx: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("the fixture is a zip");
    let mut xml = Vec::new();
    archive
        .by_name("word/document.xml")
        .expect("the fixture has a document")
        .read_to_end(&mut xml)
        .expect("the fixture unpacks");
    xml
}

#[test]
fn extract_never_panics_on_random_or_mutated_bytes() {
    static PANICS: AtomicUsize = AtomicUsize::new(0);
    static WHERE: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    std::panic::set_hook(Box::new(|info| {
        PANICS.fetch_add(1, Ordering::Relaxed);
        if let (Some(at), Ok(mut places)) = (info.location(), WHERE.lock()) {
            places.insert(format!(
                "{}:{}",
                at.file().rsplit("/src/").next().unwrap_or_default(),
                at.line()
            ));
        }
    }));

    let limits = Limits::default();
    let samples = [
        (Format::Text, fixture("sample.txt")),
        (Format::Text, fixture("sample.json")),
        (Format::Markdown, fixture("sample.md")),
        (Format::Html, fixture("sample.html")),
        (Format::Pdf, fixture("sample.pdf")),
        (Format::Docx, fixture("sample.docx")),
    ];
    let docx_xml = document_xml(&fixture("sample.docx"));
    let formats = [
        Format::Text,
        Format::Markdown,
        Format::Html,
        Format::Pdf,
        Format::Docx,
    ];
    let mut rng = Rng(0x7e55_e7a0_5eed_0001);
    let mut runs = 0;
    let mut caught = 0;
    let mut slowest = (Duration::ZERO, Format::Text);
    let mut check = |format: Format, bytes: &[u8]| {
        let started = Instant::now();
        // A panic escaping extract() fails this test right here.
        let result = extract(format, bytes, &limits);
        let took = started.elapsed();
        if took > slowest.0 {
            slowest = (took, format);
        }
        runs += 1;
        match result {
            Ok(extracted) => {
                let _ = chunk(&extracted, 50);
            }
            Err(ExtractError::Panicked { .. }) => caught += 1,
            Err(_) => {}
        }
    };
    for _ in 0..300 {
        for (format, sample) in &samples {
            check(*format, &mutate(&mut rng, sample));
        }
        check(Format::Docx, &mutated_docx(&mut rng, &docx_xml));
        let len = rng.below(2048);
        let noise = rng.bytes(len);
        for format in formats {
            check(format, &noise);
        }
        // Random bytes behind a real header get further into the parsers.
        let mut pdf = b"%PDF-1.4\n".to_vec();
        pdf.extend(rng.bytes(len));
        check(Format::Pdf, &pdf);
    }
    let _ = std::panic::take_hook();
    eprintln!(
        "{runs} inputs; {} parser panics caught ({caught} documents refused for one), at {:?}; slowest {:?} ({:?})",
        PANICS.load(Ordering::Relaxed),
        WHERE.lock().map(|w| w.clone()).unwrap_or_default(),
        slowest.0,
        slowest.1
    );
}
