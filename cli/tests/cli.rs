//! `tsr` as a person or a script runs it: the built binary against the real server that
//! `scripts/sdks.sh test` starts (TESSERA_API_URL, TESSERA_API_TOKEN,
//! TESSERA_TEST_ENVIRONMENT_ID), each test with its own HOME and XDG_CONFIG_HOME.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

const AUTH: i32 = 3;
const NOT_FOUND: i32 = 4;

fn required(name: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|value| !value.is_empty())
        .unwrap_or_else(|| panic!("{name} is not set: run the tests with scripts/sdks.sh test"))
}

fn unique(what: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "cli-{what}-{:x}{:x}",
        nanos % 0xffff_ffff,
        std::process::id()
    )
}

/// `tsr` in a home of its own, under the test environment's token and URL.
struct Tsr {
    home: PathBuf,
}

impl Tsr {
    fn new() -> Tsr {
        let home = std::env::temp_dir().join(unique("home"));
        std::fs::create_dir_all(&home).unwrap();
        Tsr { home }
    }

    fn config_file(&self) -> PathBuf {
        self.home.join("xdg").join("tessera").join("config.toml")
    }

    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tsr"));
        command
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join("xdg"))
            .env_remove("TESSERA_WEBHOOK_SECRET")
            .current_dir(&self.home);
        command
    }

    fn run_with(&self, args: &[&str], env: &[(&str, Option<&str>)], stdin: &[u8]) -> Output {
        let mut command = self.command();
        for (name, value) in env {
            match value {
                Some(value) => command.env(name, value),
                None => command.env_remove(name),
            };
        }
        let mut child = command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        child.wait_with_output().unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[], b"")
    }

    /// Runs with `--json`, expects success, parses stdout.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let output = self.run(&all);
        assert_success(&output, args);
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
            panic!(
                "tsr {args:?} --json printed no JSON ({error}): {}",
                text(&output.stdout)
            )
        })
    }
}

impl Drop for Tsr {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_success(output: &Output, args: &[&str]) {
    assert!(
        output.status.success(),
        "tsr {args:?} failed ({:?}): {}{}",
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr)
    );
}

fn assert_code(output: &Output, code: i32, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{what}: {}",
        text(&output.stderr)
    );
}

fn forged_token() -> String {
    // Right shape and checksum, never issued: the real token with its digits changed and
    // the checksum recomputed.
    let good = required("TESSERA_API_TOKEN");
    let first = if good.as_bytes()[4] == b'Q' { 'R' } else { 'Q' };
    let rest: String = good[5..48]
        .chars()
        .map(|c| if c.is_ascii_digit() { 'x' } else { c })
        .collect();
    let body = format!("tsr_{first}{rest}");
    format!("{body}{}", checksum(&body))
}

/// The token checksum: base62 of CRC-32 (SPEC §2), six digits.
fn checksum(body: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut crc: u32 = !0;
    for byte in body.bytes() {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    let mut value = !crc;
    let mut digits = [b'0'; 6];
    for digit in digits.iter_mut().rev() {
        *digit = ALPHABET[(value % 62) as usize];
        value /= 62;
    }
    String::from_utf8(digits.to_vec()).unwrap()
}

#[test]
fn every_operation_has_a_command() {
    let tsr = Tsr::new();
    let document = tsr.json(&["api", "openapi"]);
    let mut operations = BTreeSet::new();
    for item in document["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            if let Some(id) = operation["operationId"].as_str() {
                operations.insert(id.to_owned());
            }
        }
    }
    assert!(operations.len() >= 44);
    let table = tsr.json(&["commands"]);
    let mut covered = BTreeSet::new();
    for row in table.as_array().unwrap() {
        let id = row["operation_id"].as_str().unwrap().to_owned();
        let command = row["command"].as_str().unwrap();
        // The command exists: clap knows it (and its flags).
        let mut args: Vec<&str> = command.split_whitespace().skip(1).collect();
        args.push("--help");
        let help = tsr.run(&args);
        assert_success(&help, &args);
        covered.insert(id);
    }
    let missing: Vec<_> = operations.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "operations without a tsr command: {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&operations).collect();
    assert!(
        stale.is_empty(),
        "commands for operations the server lacks: {stale:?}"
    );
}

#[test]
fn login_stores_the_token_privately_and_never_prints_it() {
    let tsr = Tsr::new();
    let token = required("TESSERA_API_TOKEN");
    let no_env = [("TESSERA_API_TOKEN", None)];
    // Not logged in: an auth failure that says what to do.
    let before = tsr.run_with(&["auth", "status"], &no_env, b"");
    assert_code(&before, AUTH, "status without a token");
    assert!(text(&before.stderr).contains("tsr auth login"));

    let login = tsr.run_with(&["auth", "login"], &no_env, format!("{token}\n").as_bytes());
    assert_success(&login, &["auth", "login"]);
    for output in [&login.stdout, &login.stderr] {
        assert!(!text(output).contains(&token), "login printed the token");
        assert!(
            !text(output).contains(&token[12..40]),
            "login printed part of the token"
        );
    }
    let file = tsr.config_file();
    let metadata = std::fs::metadata(&file).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(metadata.permissions().mode() & 0o777, 0o600);
        let dir = std::fs::metadata(file.parent().unwrap()).unwrap();
        assert_eq!(
            dir.permissions().mode() & 0o077,
            0,
            "the folder is readable by others"
        );
    }
    assert!(std::fs::read_to_string(&file).unwrap().contains(&token));
    let leftovers: Vec<_> = std::fs::read_dir(file.parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "a temporary file was left behind");

    // The config file's token is used when nothing else gives one.
    let status = tsr.run_with(&["auth", "status", "--json"], &no_env, b"");
    assert_success(&status, &["auth", "status"]);
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["token"]["name"], "sdk tests");
    assert!(status["source"].as_str().unwrap().contains("config.toml"));
    assert!(!status.to_string().contains(&token));
    let human = tsr.run_with(&["auth", "status"], &no_env, b"");
    assert_success(&human, &["auth", "status"]);
    assert!(text(&human.stdout).contains("sdk tests"));
    assert!(!text(&human.stdout).contains(&token));

    // TESSERA_API_TOKEN wins over the file, --token over both.
    let forged = forged_token();
    let env_wins = tsr.run_with(
        &["auth", "status"],
        &[("TESSERA_API_TOKEN", Some(&forged))],
        b"",
    );
    assert_code(
        &env_wins,
        AUTH,
        "a forged TESSERA_API_TOKEN over a good file",
    );
    let flag_wins = tsr.run_with(
        &["auth", "status", "--token", &token],
        &[("TESSERA_API_TOKEN", Some(&forged))],
        b"",
    );
    assert_success(&flag_wins, &["auth", "status", "--token"]);

    let logout = tsr.run_with(&["auth", "logout"], &no_env, b"");
    assert_success(&logout, &["auth", "logout"]);
    assert!(!file.exists());
    assert_code(
        &tsr.run_with(&["auth", "status"], &no_env, b""),
        AUTH,
        "status after logout",
    );
}

/// On a terminal `auth login` prompts and reads the token with echo off. `script` (util-linux)
/// gives `tsr` a pseudo-terminal; whatever the terminal shows comes back on its stdout. The
/// token is typed only once the terminal's echo is off (read with `stty -F`): the prompt shows
/// a moment before, and text typed in that moment would be echoed by any program.
#[test]
fn login_on_a_terminal_prompts_and_does_not_echo_the_token() {
    use std::io::Read;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    let tsr = Tsr::new();
    let token = required("TESSERA_API_TOKEN");
    // The shell notes which terminal it got, then becomes tsr.
    let tty_file = tsr.home.join("tty");
    let login = format!(
        "tty > '{}'; exec '{}' auth login",
        tty_file.display(),
        env!("CARGO_BIN_EXE_tsr")
    );
    let mut terminal = Command::new("script");
    terminal.args(["--quiet", "--return", "--command", &login, "/dev/null"]);
    let tty = tsr.command();
    for (name, value) in tty.get_envs() {
        match value {
            Some(value) => terminal.env(name, value),
            None => terminal.env_remove(name),
        };
    }
    let mut child = terminal
        .current_dir(&tsr.home)
        .env_remove("TESSERA_API_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`script` (util-linux) runs tsr on a pseudo-terminal; install util-linux");

    // What the terminal shows, as it comes.
    let mut stdout = child.stdout.take().unwrap();
    let (sender, shown) = mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut chunk = [0u8; 1024];
        while let Ok(read @ 1..) = stdout.read(&mut chunk) {
            if sender.send(chunk[..read].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut screen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !text(&screen).contains("Tessera API token:") {
        let left = deadline.saturating_duration_since(Instant::now());
        match shown.recv_timeout(left) {
            Ok(bytes) => screen.extend(bytes),
            Err(_) => panic!(
                "no prompt within 20 s; the terminal showed: {}",
                text(&screen)
            ),
        }
    }
    let tty = std::fs::read_to_string(&tty_file).unwrap();
    let echo_is_off = || {
        let settings = Command::new("stty")
            .args(["-F", tty.trim(), "-a"])
            .output()
            .unwrap();
        text(&settings.stdout)
            .split_whitespace()
            .any(|setting| setting == "-echo")
    };
    while !echo_is_off() {
        assert!(
            Instant::now() < deadline,
            "the terminal's echo was still on 20 s after the prompt"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut keyboard = child.stdin.take().unwrap();
    keyboard.write_all(format!("{token}\n").as_bytes()).unwrap();
    drop(keyboard);
    let status = child.wait().unwrap();
    reader.join().unwrap();
    screen.extend(shown.try_iter().flatten());
    let screen = text(&screen);

    assert!(status.success(), "login on a terminal failed: {screen}");
    assert!(screen.contains("Logged in"), "{screen}");
    assert!(
        !screen.contains(&token[12..40]),
        "the terminal echoed the token"
    );
    let stored = std::fs::read_to_string(tsr.config_file()).unwrap();
    assert!(stored.contains(&token));
}

#[test]
fn login_refuses_a_malformed_or_unknown_token() {
    let tsr = Tsr::new();
    let token = required("TESSERA_API_TOKEN");
    let cut = &token[..40];
    let output = tsr.run_with(&["auth", "login"], &[], format!("{cut}\n").as_bytes());
    assert_code(&output, AUTH, "login with a cut token");
    assert!(text(&output.stderr).contains("40 characters"));
    assert!(!text(&output.stderr).contains(cut));
    let output = tsr.run_with(
        &["auth", "login"],
        &[],
        format!("{}\n", forged_token()).as_bytes(),
    );
    assert_code(&output, AUTH, "login with an unknown token");
    assert!(!tsr.config_file().exists());
}

#[test]
fn a_malformed_environment_token_fails_before_any_request() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let token = required("TESSERA_API_TOKEN");
    let malformed = format!("{}-{}", &token[..30], &token[31..]);
    let tsr = Tsr::new();
    for args in [
        &["auth", "status"][..],
        &["agents", "list"],
        &["kb", "search", "x"],
        &["ping"],
    ] {
        let output = tsr.run_with(
            args,
            &[
                ("TESSERA_API_TOKEN", Some(&malformed)),
                ("TESSERA_API_URL", Some(&url)),
            ],
            b"",
        );
        assert_code(&output, AUTH, "a malformed TESSERA_API_TOKEN");
        let stderr = text(&output.stderr);
        assert!(stderr.contains("TESSERA_API_TOKEN"), "{stderr}");
        assert!(
            !stderr.contains(&malformed) && !stderr.contains(&token[16..48]),
            "{stderr}"
        );
    }
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a request reached the server"
    );
}

#[test]
fn exit_codes_tell_failures_apart() {
    let tsr = Tsr::new();
    assert_code(
        &tsr.run(&["tokens", "show", "no-such-token"]),
        NOT_FOUND,
        "unknown token id",
    );
    assert_code(
        &tsr.run(&["agents", "show", "no-such-agent"]),
        NOT_FOUND,
        "unknown agent id",
    );
    assert_code(
        &tsr.run(&["storage", "download", "no-such-file"]),
        NOT_FOUND,
        "unknown file id",
    );
    let unknown = tsr.run_with(
        &["ping"],
        &[("TESSERA_API_TOKEN", Some(&forged_token()))],
        b"",
    );
    assert_code(&unknown, AUTH, "an unknown token");
    assert_code(
        &tsr.run(&["tokens", "frobnicate"]),
        2,
        "an unknown subcommand",
    );
    assert_code(&tsr.run(&["agents", "install"]), 2, "a missing flag");
    // A conflict is neither auth nor not-found.
    let name = unique("dup");
    let file = tsr.home.join("agent.json");
    std::fs::write(&file, r#"{"steps": []}"#).unwrap();
    let file = file.to_str().unwrap();
    let agent = tsr.json(&[
        "agents",
        "install",
        "--name",
        &name,
        "--version",
        "1",
        "--config",
        file,
    ]);
    let again = tsr.run(&["agents", "install", "--name", &name, "--version", "1"]);
    assert_code(&again, 1, "a duplicate name");
    assert!(tsr
        .run(&["agents", "delete", agent["id"].as_str().unwrap()])
        .status
        .success());
}

#[test]
fn tokens_are_managed_from_the_command_line() {
    let tsr = Tsr::new();
    let name = unique("token");
    let created = tsr.json(&[
        "tokens",
        "create",
        &name,
        "--permission",
        "agents=read",
        "--permission",
        "knowledge_base=read",
    ]);
    let id = created["token"]["id"].as_str().unwrap().to_owned();
    let plaintext = created["plaintext"].as_str().unwrap().to_owned();
    assert_eq!(created["token"]["permissions"]["agents"], "read");
    assert_eq!(created["token"]["permissions"]["storage"], "none");

    // The new token works for its owner; it may read agents but not write them.
    let as_new = [("TESSERA_API_TOKEN", Some(plaintext.as_str()))];
    assert!(tsr
        .run_with(&["agents", "list"], &as_new, b"")
        .status
        .success());
    let refused = tsr.run_with(
        &[
            "agents",
            "install",
            "--name",
            &unique("x"),
            "--version",
            "1",
        ],
        &as_new,
        b"",
    );
    assert_code(&refused, AUTH, "writing without agents:write");
    assert!(text(&refused.stderr).contains("agents:write"));

    let listed = tsr.json(&["tokens", "list", "--search", &name]);
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], id.as_str());
    let table = tsr.run(&["tokens", "list", "--search", &name]);
    assert!(text(&table.stdout).contains("PREFIX") && text(&table.stdout).contains(&name));
    assert_eq!(tsr.json(&["tokens", "show", &id])["name"], name.as_str());
    let narrowed = tsr.json(&["tokens", "update", &id, "--permission", "agents=read"]);
    assert_eq!(narrowed["permissions"]["knowledge_base"], "none");
    assert_eq!(tsr.json(&["tokens", "suspend", &id])["status"], "suspended");
    assert_code(
        &tsr.run_with(&["ping"], &as_new, b""),
        AUTH,
        "a suspended token",
    );
    assert_eq!(tsr.json(&["tokens", "activate", &id])["status"], "active");
    let regenerated = tsr.json(&["tokens", "regenerate", &id]);
    assert_ne!(regenerated["plaintext"], plaintext.as_str());
    // For people, the new token is printed once on stdout (and nowhere else).
    let human = tsr.run(&["tokens", "regenerate", &id]);
    assert_success(&human, &["tokens", "regenerate"]);
    let printed = text(&human.stdout);
    let last = printed.lines().last().unwrap();
    assert!(last.starts_with("tsr_") && last.len() == 54, "{printed}");
    assert!(!text(&human.stderr).contains(last));
    assert_eq!(tsr.json(&["tokens", "revoke", &id])["status"], "revoked");
    assert!(tsr.run(&["tokens", "delete", &id]).status.success());
    assert_code(
        &tsr.run(&["tokens", "show", &id]),
        NOT_FOUND,
        "a deleted token",
    );
}

/// Writes a file under the test's home and answers its path.
fn write(tsr: &Tsr, name: &str, bytes: &[u8]) -> String {
    let path = tsr.home.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn agents_triggers_and_executions() {
    let tsr = Tsr::new();
    let environment = required("TESSERA_TEST_ENVIRONMENT_ID");
    let config = write(&tsr, "greeter.json", br#"{"steps": [{"id": "greet", "kind": "template", "template": "Hello {{ input.name }}"}]}"#);
    let name = unique("agent");
    let agent = tsr.json(&[
        "agents",
        "install",
        "--name",
        &name,
        "--version",
        "1.0.0",
        "--config",
        &config,
    ]);
    let agent_id = agent["id"].as_str().unwrap().to_owned();
    assert_eq!(agent["config"]["steps"][0]["id"], "greet");
    let listed = tsr.json(&["agents", "list", "--search", &name, "--all"]);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let updated = tsr.json(&["agents", "update", &agent_id, "--version", "1.1.0"]);
    assert_eq!(
        (updated["version"].as_str(), updated["name"].as_str()),
        (Some("1.1.0"), Some(name.as_str()))
    );
    assert_eq!(
        updated["config"], agent["config"],
        "update keeps what it is not given"
    );
    assert_eq!(tsr.json(&["agents", "show", &agent_id])["version"], "1.1.0");

    let trigger = tsr.json(&[
        "triggers",
        "create",
        "--name",
        &unique("run"),
        "--agent",
        &agent_id,
        "--environment",
        &environment,
        "--kind",
        "manual",
    ]);
    let trigger_id = trigger["id"].as_str().unwrap().to_owned();
    let key = unique("key");
    let first = tsr.json(&[
        "triggers",
        "execute",
        &trigger_id,
        "--input",
        r#"{"name": "Ada"}"#,
        "--idempotency-key",
        &key,
    ]);
    let again = tsr.json(&[
        "triggers",
        "execute",
        &trigger_id,
        "--input",
        r#"{"name": "Ada"}"#,
        "--idempotency-key",
        &key,
    ]);
    let execution_id = first["execution_id"].as_str().unwrap().to_owned();
    assert_eq!(again["execution_id"], execution_id.as_str());

    let watched = tsr.json(&[
        "executions",
        "watch",
        &agent_id,
        &execution_id,
        "--timeout",
        "60",
    ]);
    assert_eq!(watched["status"], "succeeded");
    assert_eq!(watched["output"], "Hello Ada");
    let shown = tsr.run(&["executions", "show", &agent_id, &execution_id]);
    assert!(text(&shown.stdout).contains("greet") && text(&shown.stdout).contains("succeeded"));
    let listed = tsr.json(&["executions", "list", &agent_id, "--status", "succeeded"]);
    assert_eq!(listed["items"][0]["id"], execution_id.as_str());
    let over = tsr.run(&["executions", "cancel", &agent_id, &execution_id]);
    assert_code(&over, 1, "canceling a finished execution");

    let shown = tsr.json(&["triggers", "show", &trigger_id]);
    assert_eq!(shown["recent_executions"][0]["id"], execution_id.as_str());
    assert_eq!(
        tsr.json(&["triggers", "list", "--agent", &agent_id])["total"],
        1
    );
    let disabled = tsr.json(&["triggers", "update", &trigger_id, "--disable"]);
    assert_eq!(disabled["enabled"], false);
    assert_eq!(disabled["name"], trigger["name"]);
    assert_code(
        &tsr.run(&["triggers", "rotate-secret", &trigger_id]),
        1,
        "rotating a manual trigger",
    );
    assert!(tsr
        .run(&["triggers", "delete", &trigger_id])
        .status
        .success());
    assert!(tsr.run(&["agents", "delete", &agent_id]).status.success());
    assert_code(
        &tsr.run(&["agents", "show", &agent_id]),
        NOT_FOUND,
        "a deleted agent",
    );
}

#[test]
fn storage_knowledge_base_and_chat() {
    let tsr = Tsr::new();
    let word = format!("Marigold{}", unique("w").replace('-', ""));
    let doc = write(
        &tsr,
        &format!("{}.md", unique("guide")),
        format!("# Harbour guide\n\n## Ferries\n\nThe ferry named {word} leaves the harbour at noon every day.\n").as_bytes(),
    );
    let uploaded = tsr.json(&["storage", "upload", &doc]);
    let file = &uploaded["items"][0];
    let file_id = file["id"].as_str().unwrap().to_owned();
    let document_id = file["document_id"]
        .as_str()
        .expect("Markdown becomes a document")
        .to_owned();

    // Indexing is asynchronous: poll with a deadline.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let document = tsr.json(&["kb", "show", &document_id]);
        match document["status"].as_str().unwrap() {
            "ready" => break,
            "failed" => panic!("indexing failed: {document}"),
            _ => assert!(std::time::Instant::now() < deadline, "not indexed in 60 s"),
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let documents = tsr.json(&["kb", "list", "--status", "ready", "--all"]);
    assert!(documents["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == document_id.as_str()));
    let hits = tsr.json(&["kb", "search", &word, "ferry"]);
    assert_eq!(hits["items"][0]["document_id"], document_id.as_str());
    let human = tsr.run(&["kb", "search", &word]);
    assert!(
        text(&human.stdout).contains("Harbour guide"),
        "{}",
        text(&human.stdout)
    );

    // One-shot chat, as JSON events in order.
    let events = tsr.json(&["chat", &format!("When does the ferry named {word} leave?")]);
    let events = events.as_array().unwrap();
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(names.first(), Some(&"message.created"), "{names:?}");
    assert_eq!(names.last(), Some(&"message.completed"), "{names:?}");
    assert!(
        names.contains(&"citation") && names.contains(&"text.delta"),
        "{names:?}"
    );
    let conversation_id = events[0]["data"]["conversation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // For people: the answer streams to stdout, then its sources.
    let human = tsr.run(&[
        "chat",
        "--conversation",
        &conversation_id,
        &format!("Which ferry is {word}?"),
    ]);
    assert_success(&human, &["chat"]);
    assert!(
        text(&human.stdout).contains(&word) && text(&human.stdout).contains("[1]"),
        "{}",
        text(&human.stdout)
    );
    // Interactive: questions on stdin, one conversation.
    let interactive = tsr.run_with(
        &["chat", "--json"],
        &[],
        format!("Where does {word} leave from?\n\nAt what time does {word} leave?\n").as_bytes(),
    );
    assert_success(&interactive, &["chat"]);
    let events: Value = serde_json::from_slice(&interactive.stdout).unwrap();
    let created: Vec<&Value> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "message.created")
        .collect();
    assert_eq!(created.len(), 2);
    assert_eq!(
        created[0]["data"]["conversation_id"],
        created[1]["data"]["conversation_id"]
    );

    let history = tsr.json(&["conversations", "list", "--limit", "500"]);
    assert!(history["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == conversation_id.as_str()));
    let conversation = tsr.json(&["conversations", "show", &conversation_id]);
    assert_eq!(conversation["messages"].as_array().unwrap().len(), 2);

    assert!(tsr.run(&["storage", "delete", &file_id]).status.success());
    assert_code(
        &tsr.run(&["kb", "show", &document_id]),
        NOT_FOUND,
        "a deleted file's document",
    );
}

#[test]
fn files_upload_and_download_byte_identical() {
    let tsr = Tsr::new();
    let mut state: u32 = std::process::id() | 1;
    let bytes: Vec<u8> = (0..3 * 1024 * 1024 + 7)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    let source = write(&tsr, "blob.bin", &bytes);
    let name = format!("{}.bin", unique("blob"));
    let uploaded = tsr.json(&["storage", "upload", &source, "--name", &name]);
    let file_id = uploaded["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(uploaded["items"][0]["size"], bytes.len());
    let listed = tsr.json(&["storage", "list", "--limit", "500"]);
    assert!(listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["id"] == file_id.as_str()));

    let copy = tsr.home.join("copy.bin");
    let download = tsr.json(&[
        "storage",
        "download",
        &file_id,
        "--output",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(download["bytes"], bytes.len());
    assert!(
        std::fs::read(&copy).unwrap() == bytes,
        "the download differs"
    );
    // Without --output: the stored name, in the current folder.
    assert!(tsr.run(&["storage", "download", &file_id]).status.success());
    assert!(std::fs::read(tsr.home.join(&name)).unwrap() == bytes);
    let piped = tsr.run(&["storage", "download", &file_id, "--output", "-"]);
    assert!(piped.stdout == bytes);

    // Several files in one multipart request.
    let a = write(
        &tsr,
        &format!("{}-a.txt", unique("m")),
        b"first multipart file\n",
    );
    let b = write(
        &tsr,
        &format!("{}-b.txt", unique("m")),
        b"second multipart file\n",
    );
    let both = tsr.json(&["storage", "upload", "--multipart", &a, &b]);
    let ids: Vec<&str> = both["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    for id in ids.iter().copied().chain([file_id.as_str()]) {
        assert!(tsr.run(&["storage", "delete", id]).status.success());
    }
    assert_code(
        &tsr.run(&["storage", "download", &file_id]),
        NOT_FOUND,
        "a deleted file",
    );
}

#[test]
fn webhooks_integrations_and_the_api() {
    let tsr = Tsr::new();
    let environment = required("TESSERA_TEST_ENVIRONMENT_ID");
    let agent = tsr.json(&[
        "agents",
        "install",
        "--name",
        &unique("hooked"),
        "--version",
        "1",
    ]);
    let agent_id = agent["id"].as_str().unwrap().to_owned();
    let trigger = tsr.json(&[
        "triggers",
        "create",
        "--name",
        &unique("hook"),
        "--agent",
        &agent_id,
        "--environment",
        &environment,
        "--kind",
        "webhook",
    ]);
    let trigger_id = trigger["id"].as_str().unwrap().to_owned();
    let secret = trigger["signing_secret"].as_str().unwrap().to_owned();

    // Signed: no token needed at all.
    let signed = tsr.run_with(
        &[
            "webhook",
            "send",
            &trigger_id,
            "--data",
            r#"{"n": 1}"#,
            "--secret",
            &secret,
            "--json",
        ],
        &[("TESSERA_API_TOKEN", None)],
        b"",
    );
    assert_success(&signed, &["webhook", "send", "--secret"]);
    let signed: Value = serde_json::from_slice(&signed.stdout).unwrap();
    assert!(signed["execution_id"].is_string());
    let from_env = tsr.run_with(
        &["webhook", "send", &trigger_id, "--data", "{}"],
        &[
            ("TESSERA_API_TOKEN", None),
            ("TESSERA_WEBHOOK_SECRET", Some(&secret)),
        ],
        b"",
    );
    assert_success(&from_env, &["webhook", "send"]);
    let wrong = tsr.run(&[
        "webhook",
        "send",
        &trigger_id,
        "--data",
        "{}",
        "--secret",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    ]);
    assert_code(&wrong, AUTH, "a wrong signing secret");
    // By token, body on stdin, deduplicated by key.
    let key = unique("key");
    let first = tsr.run_with(
        &[
            "webhook",
            "send",
            &trigger_id,
            "--idempotency-key",
            &key,
            "--json",
        ],
        &[],
        br#"{"n": 2}"#,
    );
    let again = tsr.run_with(
        &[
            "webhook",
            "send",
            &trigger_id,
            "--idempotency-key",
            &key,
            "--json",
        ],
        &[],
        br#"{"n": 2}"#,
    );
    assert_success(&first, &["webhook", "send"]);
    assert_eq!(first.stdout, again.stdout);
    let rotated = tsr.json(&["triggers", "rotate-secret", &trigger_id]);
    assert_ne!(rotated["signing_secret"], secret.as_str());
    assert!(tsr
        .run(&["triggers", "delete", &trigger_id])
        .status
        .success());
    assert!(tsr.run(&["agents", "delete", &agent_id]).status.success());

    // Integrations: the secret from an environment variable, never shown.
    let secret_value = unique("sealed");
    let name = unique("crm");
    let with_secret = [("CRM_TOKEN", Some(secret_value.as_str()))];
    let created = tsr.run_with(
        &[
            "integrations",
            "create",
            "--name",
            &name,
            "--kind",
            "http",
            "--base-url",
            "https://crm.example.com",
            "--header",
            "accept=application/json",
            "--secret",
            "authorization=CRM_TOKEN",
            "--json",
        ],
        &with_secret,
        b"",
    );
    assert_success(&created, &["integrations", "create"]);
    assert!(!text(&created.stdout).contains(&secret_value));
    let created: Value = serde_json::from_slice(&created.stdout).unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["secrets"]["authorization"]["set"], true);
    assert_eq!(
        tsr.json(&["integrations", "show", &id])["name"],
        name.as_str()
    );
    assert!(tsr.json(&["integrations", "list", "--all"])["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == id.as_str()));
    let updated = tsr.json(&[
        "integrations",
        "update",
        &id,
        "--base-url",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(updated["settings"]["base_url"], "http://127.0.0.1:9");
    assert_eq!(
        updated["secrets"]["authorization"]["set"], true,
        "an update keeps the secret"
    );
    assert_eq!(tsr.json(&["integrations", "test", &id])["ok"], false);
    assert!(tsr.run(&["integrations", "delete", &id]).status.success());
    assert_code(
        &tsr.run(&["integrations", "show", &id]),
        NOT_FOUND,
        "a deleted integration",
    );

    assert_eq!(tsr.json(&["ping"])["status"], "ok");
    let docs = tsr.run(&["api", "docs"]);
    assert!(text(&docs.stdout).to_lowercase().contains("<html"));
    let completions = tsr.run(&["completions", "bash"]);
    assert_success(&completions, &["completions", "bash"]);
    assert!(text(&completions.stdout).contains("tsr"));
}
