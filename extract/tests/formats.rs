//! Each format from a committed fixture (tests/fixtures, the PDF and DOCX written by
//! make_fixtures.py), hostile files, and chunking over real output.

use std::io::Write;
use std::time::{Duration, Instant};

use tessera_extract::{chunk, extract, Chunk, ExtractError, Extracted, Format, Limits};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

fn read(name: &str) -> Result<Extracted, ExtractError> {
    let bytes = fixture(name);
    let format = Format::detect(name, None, &bytes).expect("fixtures have known extensions");
    extract(format, &bytes, &Limits::default())
}

fn sections(got: &Extracted) -> Vec<(&str, &str)> {
    got.sections
        .iter()
        .map(|s| (s.heading.as_str(), s.text.as_str()))
        .collect()
}

#[test]
fn text_csv_and_json_are_one_untitled_section() -> TestResult {
    let got = read("sample.txt")?;
    assert_eq!(got.title, None);
    assert_eq!(
        sections(&got),
        [(
            "",
            "Tessera plain text fixture.\nSecond line, kept as is.\n\nA paragraph about bearer tokens and scopes."
        )]
    );
    let got = read("sample.csv")?;
    assert_eq!(
        sections(&got),
        [(
            "",
            "name,scope,uses\nbuild-bot,workspace,42\ndeploy,\"agent, read\",7"
        )]
    );
    let got = read("sample.json")?;
    assert_eq!(got.sections.len(), 1);
    assert!(got.sections[0]
        .text
        .starts_with("{\"tokens\": [{\"name\": \"build-bot\""));
    Ok(())
}

#[test]
fn markdown_headings_code_links_and_images() -> TestResult {
    let got = read("sample.md")?;
    assert_eq!(got.title.as_deref(), Some("Tessera Guide"));
    assert_eq!(
        sections(&got),
        [
            ("", "Lead text before the title."),
            (
                "Tessera Guide",
                "Tokens authenticate API clients. See the docs and a diagram of scopes."
            ),
            (
                "Tessera Guide › Creating tokens",
                "tsr token create --name build-bot\n  --scope workspace\n\nOpen the API Tokens tab.\n\nPress Create."
            ),
            (
                "Tessera Guide › Creating tokens › Presets",
                "Quoted advice about presets."
            ),
            (
                "Tessera Guide › Revoking tokens",
                "Revoked tokens stop working at once."
            ),
        ]
    );
    Ok(())
}

#[test]
fn html_main_content_without_chrome() -> TestResult {
    let got = read("sample.html")?;
    assert_eq!(got.title.as_deref(), Some("Tessera — Knowledge Base"));
    assert_eq!(
        sections(&got),
        [
            (
                "Knowledge Base",
                "Upload files and search them by words & phrases."
            ),
            (
                "Knowledge Base › Uploading files",
                "Files up to 25 MiB are accepted.\n\ncurl -X PUT \\\n  --data-binary @report.pdf\n\nText\n\nPDF"
            ),
            (
                "Knowledge Base › Searching",
                "Phrases\n\nUse \"quoted phrases\"."
            ),
        ]
    );
    let all: String = got.sections.iter().map(|s| s.text.as_str()).collect();
    for chrome in [
        "previous",
        "Table of Contents",
        "Home",
        "not content",
        "©",
        "¶",
        "font-family",
    ] {
        assert!(!all.contains(chrome), "{chrome:?} leaked into the text");
    }
    Ok(())
}

#[test]
fn pdf_pages_title_and_paragraphs() -> TestResult {
    let got = read("sample.pdf")?;
    assert_eq!(got.title.as_deref(), Some("The PDF Title"));
    assert_eq!(
        sections(&got),
        [
            (
                "Page 1",
                "Tessera PDF Fixture\n\nThe first page talks about tokens. It has a second line in the same paragraph.\n\nA new paragraph after a gap."
            ),
            ("Page 2", "Second page text about the knowledge base."),
        ]
    );
    Ok(())
}

/// A PDF from its objects (numbered from 1) with a correct xref table.
fn pdf_from(objects: &[&[u8]]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(*object);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(dict: &str, content: &str) -> Vec<u8> {
    format!(
        "<< {dict} /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    )
    .into_bytes()
}

const FONT: &[u8] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

#[test]
fn pdf_with_an_image_keeps_its_text() -> TestResult {
    let content = stream(
        "",
        "q 10 0 0 10 0 0 cm /Im1 Do Q BT /F1 12 Tf 72 700 Td (Caption text) Tj ET",
    );
    let image = stream(
        "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8",
        "\u{1}(\u{ff}[",
    );
    let pdf = pdf_from(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 6 0 R >> /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        &content,
        &image,
        FONT,
    ]);
    let got = extract(Format::Pdf, &pdf, &Limits::default())?;
    assert_eq!(sections(&got), [("Page 1", "Caption text")]);
    Ok(())
}

#[test]
fn pdf_without_a_media_box_is_read_as_letter() -> TestResult {
    let content = stream("", "BT /F1 12 Tf 72 700 Td (No box) Tj ET");
    let pdf = pdf_from(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        &content,
        FONT,
    ]);
    let got = extract(Format::Pdf, &pdf, &Limits::default())?;
    assert_eq!(sections(&got), [("Page 1", "No box")]);
    Ok(())
}

/// Both would recurse in pdf-extract until the stack overflowed: an abort, not a panic.
#[test]
fn pdf_loops_are_refused_before_they_overflow_the_stack() {
    let content = stream("", "/X1 Do");
    let form = stream("/Type /XObject /Subtype /Form /BBox [0 0 10 10]", "/X1 Do");
    let drawing_itself = pdf_from(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /X1 5 0 R >> >> /Contents 4 0 R >>",
        &content,
        &form,
    ]);
    assert_eq!(
        extract(Format::Pdf, &drawing_itself, &Limits::default()),
        Err(ExtractError::Malformed {
            format: Format::Pdf,
            detail: "a drawing in it contains itself".into()
        })
    );

    let content = stream("", "BT ET");
    let own_parent = pdf_from(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 3 0 R /Contents 4 0 R >>",
        &content,
    ]);
    assert!(matches!(
        extract(Format::Pdf, &own_parent, &Limits::default()),
        Err(ExtractError::Malformed { .. })
    ));
}

#[test]
fn pdf_page_limit_is_checked_first() {
    let limits = Limits {
        max_pages: 1,
        ..Limits::default()
    };
    assert_eq!(
        extract(Format::Pdf, &fixture("sample.pdf"), &limits),
        Err(ExtractError::TooManyPages { pages: 2, limit: 1 })
    );
}

#[test]
fn docx_styles_title_and_runs() -> TestResult {
    let got = read("sample.docx")?;
    assert_eq!(got.title.as_deref(), Some("Core & Title"));
    assert_eq!(
        sections(&got),
        [
            ("", "Before any heading."),
            (
                "The Document Title › Introduction",
                "Tokens & scopes are explained here.\n\nCell one\tcell two\nnext line"
            ),
            (
                "The Document Title › Introduction › Details",
                "Split across runs"
            ),
            ("The Document Title › Appendix", "In a table"),
        ]
    );
    Ok(())
}

/// A DOCX built in memory from a document.xml (and nothing else).
fn docx_with(document_xml: &[u8], method: zip::CompressionMethod) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        .large_file(document_xml.len() > u32::MAX as usize);
    zip.start_file("word/document.xml", options)
        .expect("starting an entry in memory");
    zip.write_all(document_xml).expect("writing to memory");
    zip.finish().expect("finishing a zip in memory");
    out.into_inner()
}

#[test]
fn docx_title_falls_back_to_the_title_paragraph() -> TestResult {
    let xml = br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
        <w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Styled Title</w:t></w:r></w:p>
        <w:p><w:r><w:t>Body.</w:t></w:r></w:p></w:body></w:document>"#;
    let got = extract(
        Format::Docx,
        &docx_with(xml, zip::CompressionMethod::Stored),
        &Limits::default(),
    )?;
    assert_eq!(got.title.as_deref(), Some("Styled Title"));
    assert_eq!(sections(&got), [("Styled Title", "Body.")]);
    Ok(())
}

#[test]
fn docx_zip_bomb_stops_at_the_unzipped_limit() {
    // 200 MB of document.xml that deflates to a few hundred KB.
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    zip.start_file("word/document.xml", options)
        .expect("starting an entry in memory");
    zip.write_all(b"<w:document><w:body><w:p><w:r><w:t>")
        .expect("writing to memory");
    let block = vec![b'a'; 1 << 20];
    for _ in 0..200 {
        zip.write_all(&block).expect("writing to memory");
    }
    zip.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .expect("writing to memory");
    zip.finish().expect("finishing a zip in memory");
    let bomb = out.into_inner();
    assert!(bomb.len() < 2 << 20, "the bomb is {} bytes", bomb.len());

    let started = Instant::now();
    let limits = Limits::default();
    assert_eq!(
        extract(Format::Docx, &bomb, &limits),
        Err(ExtractError::ZipTooLarge {
            limit: limits.max_unzipped_bytes
        })
    );
    let small = Limits {
        max_unzipped_bytes: 1 << 20,
        ..Limits::default()
    };
    assert_eq!(
        extract(Format::Docx, &bomb, &small),
        Err(ExtractError::ZipTooLarge { limit: 1 << 20 })
    );
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn malformed_files_are_errors() {
    let limits = Limits::default();
    let pdf = fixture("sample.pdf");
    let is_pdf_error = |r: Result<Extracted, ExtractError>| {
        matches!(
            r,
            Err(ExtractError::Malformed {
                format: Format::Pdf,
                ..
            } | ExtractError::Panicked {
                format: Format::Pdf
            } | ExtractError::NoText)
        )
    };
    assert!(is_pdf_error(extract(
        Format::Pdf,
        &pdf[..pdf.len() / 2],
        &limits
    )));
    assert!(is_pdf_error(extract(Format::Pdf, &pdf[..40], &limits)));
    assert!(is_pdf_error(extract(Format::Pdf, b"", &limits)));
    let mut noise = vec![0u8; 4096];
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for b in &mut noise {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    assert!(is_pdf_error(extract(Format::Pdf, &noise, &limits)));

    assert_eq!(
        extract(Format::Docx, b"this is not a zip", &limits),
        Err(ExtractError::Malformed {
            format: Format::Docx,
            detail: "it is not a ZIP archive".into()
        })
    );
    let docx = fixture("sample.docx");
    assert!(extract(Format::Docx, &docx[..docx.len() - 30], &limits).is_err());
    assert!(matches!(
        extract(
            Format::Docx,
            &docx_with(b"<w:document><w:body><w:p>", zip::CompressionMethod::Stored),
            &limits
        ),
        Err(ExtractError::Malformed { .. } | ExtractError::NoText)
    ));
    assert!(matches!(
        extract(
            Format::Docx,
            &docx_with(b"<w:document><w:p></w:q>", zip::CompressionMethod::Stored),
            &limits
        ),
        Err(ExtractError::Malformed { .. })
    ));

    assert_eq!(
        extract(Format::Text, b"ok\xC3\x28", &limits),
        Err(ExtractError::NotUtf8)
    );
    assert_eq!(
        extract(Format::Markdown, b"# Title\n\xFF", &limits),
        Err(ExtractError::NotUtf8)
    );
}

#[test]
fn text_limit_applies_to_every_format() {
    let limits = Limits {
        max_text_bytes: 20,
        ..Limits::default()
    };
    for name in [
        "sample.txt",
        "sample.md",
        "sample.html",
        "sample.pdf",
        "sample.docx",
    ] {
        let bytes = fixture(name);
        let format = Format::detect(name, None, &bytes).expect("known extension");
        assert_eq!(
            extract(format, &bytes, &limits),
            Err(ExtractError::TooMuchText { limit: 20 }),
            "{name}"
        );
    }
}

#[test]
fn detect_reads_fixture_heads() {
    assert_eq!(
        Format::detect("upload", None, &fixture("sample.pdf")),
        Some(Format::Pdf)
    );
    assert_eq!(
        Format::detect("upload", None, &fixture("sample.docx")),
        Some(Format::Docx)
    );
    assert_eq!(
        Format::detect("upload", None, &fixture("sample.html")),
        Some(Format::Html)
    );
    assert_eq!(Format::detect("upload", None, &fixture("sample.md")), None);
}

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

#[test]
fn chunks_respect_the_size_keep_headings_and_order_and_drop_nothing() -> TestResult {
    for name in ["sample.md", "sample.html", "sample.docx", "sample.pdf"] {
        let got = read(name)?;
        for max in [12, 40, 1_200] {
            let chunks = chunk(&got, max);
            assert!(
                chunks.iter().all(|c| c.text.chars().count() <= max),
                "{name} at {max}"
            );
            assert!(chunks.iter().all(|c| !c.text.trim().is_empty()));
            // Same headings in the same order, each section's words all there, in order.
            for section in &got.sections {
                let mine: Vec<&Chunk> = chunks
                    .iter()
                    .filter(|c| c.heading == section.heading)
                    .collect();
                let joined: String = mine
                    .iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let want = words(&section.text).concat();
                assert_eq!(
                    words(&joined).concat(),
                    want,
                    "{name} at {max} under {:?}",
                    section.heading
                );
            }
            let mut headings: Vec<&str> = chunks.iter().map(|c| c.heading.as_str()).collect();
            headings.dedup();
            let expected: Vec<&str> = got.sections.iter().map(|s| s.heading.as_str()).collect();
            assert_eq!(headings, expected, "{name} at {max}");
        }
    }
    Ok(())
}

#[test]
fn a_long_section_splits_on_paragraphs_first() -> TestResult {
    let paragraph = "Tokens are scoped to a workspace. Each has permissions. ".repeat(10);
    let text = format!("# Long\n\n{paragraph}\n\n{paragraph}\n\n{paragraph}\n");
    let got = extract(Format::Markdown, text.as_bytes(), &Limits::default())?;
    // Two paragraphs would fit in 1,200 characters; one fits in 700.
    assert_eq!(chunk(&got, 1_200).len(), 2);
    let chunks = chunk(&got, 700);
    assert_eq!(chunks.len(), 3);
    assert!(chunks
        .iter()
        .all(|c| c.heading == "Long" && c.text == paragraph.trim()));
    Ok(())
}
