//! One argon2 bound for the whole process (issue 13 item 1, issue 19): sign-in, invite
//! acceptance, token creation and bearer verification share it; every password attempt spends
//! its failure before argon2 starts; a request abandoned while it waits for its turn leaves
//! nothing behind (issue 13 item 4).

use std::net::IpAddr;
use std::time::Duration;

use crate::common::{
    create_token, other_workspace_owner, set_up_owner, sign_in_from, Api, Browser, TestServer,
    OWNER_EMAIL, OWNER_PASSWORD,
};
use app::bearer::AuthFailure;
use app::bearer::{BearerError, BearerSettings};
use app::clock::now_ms;
use app::tokens::domain::{assemble_token, generate_token, parse_token};
use reqwest::StatusCode;
use serde_json::json;

const BOUND: usize = 2;

/// A server allowing `BOUND` argon2 at once, believing `X-Forwarded-For` from the test client
/// (so one test can speak from many addresses).
async fn bounded_server() -> TestServer {
    TestServer::start_with(|config| {
        config.argon2_concurrency = BOUND;
        config.trusted_proxies = "127.0.0.1, ::1".parse().unwrap();
        config.bearer = BearerSettings {
            limited_refusal_delay: Duration::ZERO,
            ..BearerSettings::default()
        };
    })
    .await
}

/// Runs `count` futures made by `make` at once and counts their answers by status.
async fn all_at_once<F>(count: usize, make: impl Fn(usize) -> F) -> Vec<(StatusCode, usize)>
where
    F: std::future::Future<Output = StatusCode> + Send + 'static,
{
    let tasks: Vec<_> = (0..count).map(|n| tokio::spawn(make(n))).collect();
    let mut tally: Vec<(StatusCode, usize)> = Vec::new();
    for task in tasks {
        let status = task.await.unwrap();
        match tally.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => tally.push((status, 1)),
        }
    }
    tally
}

fn count(tally: &[(StatusCode, usize)], status: StatusCode) -> usize {
    tally
        .iter()
        .find(|(s, _)| *s == status)
        .map_or(0, |(_, n)| *n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_wrong_sign_ins_run_at_most_the_bound_and_guess_at_most_the_limit() {
    let server = std::sync::Arc::new(bounded_server().await);
    set_up_owner(&server).await;
    let hasher = server.state.hasher.clone();
    hasher.reset_peak();
    let before = hasher.stats().completed;

    // 300 wrong passwords for one account from one address: the (address, account) limit
    // allows 5 failures, and each is spent before its argon2 starts.
    let tally = all_at_once(300, |_| {
        let server = server.clone();
        async move {
            sign_in_from(&server, "198.51.100.7", OWNER_EMAIL, "wrong password 123").await
        }
    })
    .await;
    let guesses = hasher.stats().completed - before;
    assert!(
        (5..=6).contains(&guesses),
        "{guesses} guesses at one account: {tally:?}"
    );
    assert_eq!(
        count(&tally, StatusCode::CONFLICT) as u64,
        guesses,
        "each guess that ran was answered as a wrong password: {tally:?}"
    );
    assert_eq!(
        count(&tally, StatusCode::TOO_MANY_REQUESTS) as u64,
        300 - guesses,
        "{tally:?}"
    );

    // 300 wrong sign-ins for 300 different accounts from another address: the address's
    // limit (20 failures) stands between them and argon2.
    let before = hasher.stats().completed;
    let tally = all_at_once(300, |n| {
        let server = server.clone();
        async move {
            let email = format!("nobody{n}@example.com");
            sign_in_from(&server, "198.51.100.8", &email, "wrong password 123").await
        }
    })
    .await;
    let guesses = hasher.stats().completed - before;
    assert!(
        (20..=22).contains(&guesses),
        "{guesses} guesses from one address: {tally:?}"
    );
    assert_eq!(count(&tally, StatusCode::CONFLICT) as u64, guesses);

    // 100 from 100 networks, which no failure limit stops: they queue for the bound.
    let before = hasher.stats().completed;
    let tally = all_at_once(100, |n| {
        let server = server.clone();
        async move {
            let addr = format!("2001:db8:{n:x}::1");
            sign_in_from(&server, &addr, OWNER_EMAIL, "wrong password 123").await
        }
    })
    .await;
    assert_eq!(tally, vec![(StatusCode::CONFLICT, 100)]);
    assert_eq!(hasher.stats().completed - before, 100);

    let stats = hasher.stats();
    assert!(
        stats.peak == BOUND,
        "peak concurrent argon2 {} with a bound of {BOUND}",
        stats.peak
    );
    assert!(stats.buffers <= BOUND, "{stats:?}");
    assert_eq!((stats.running, stats.waiting), (0, 0), "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_door_to_argon2_shares_the_one_bound() {
    let server = std::sync::Arc::new(bounded_server().await);
    let mut owner = set_up_owner(&server).await;
    let (_, admin) = create_token(&mut owner, &[("name", "admin")]).await;
    let hasher = server.state.hasher.clone();
    hasher.reset_peak();
    let before = hasher.stats().completed;

    // Token creations (hashing) and sign-ins at once, then the first use of every new token
    // (verification) at once.
    let created = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let creations = all_at_once(12, |n| {
        let server = server.clone();
        let admin = admin.clone();
        let created = created.clone();
        async move {
            let answer = Api::new(&server, &admin)
                .post("/api/tokens", json!({ "name": format!("t{n}") }))
                .await;
            if let Some(plaintext) = answer.body["plaintext"].as_str() {
                created.lock().unwrap().push(plaintext.to_owned());
            }
            answer.status
        }
    });
    let sign_ins = all_at_once(4, |n| {
        let server = server.clone();
        async move {
            let addr = format!("192.0.2.{n}");
            sign_in_from(&server, &addr, OWNER_EMAIL, OWNER_PASSWORD).await
        }
    });
    let (creations, sign_ins) = tokio::join!(creations, sign_ins);
    assert_eq!(creations, vec![(StatusCode::CREATED, 12)]);
    assert_eq!(sign_ins, vec![(StatusCode::OK, 4)]);
    let tokens = created.lock().unwrap().clone();
    let first_uses = all_at_once(tokens.len(), |n| {
        let server = server.clone();
        let token = tokens[n].clone();
        async move {
            Api::new(&server, &token)
                .get("/api/tokens/self")
                .await
                .status
        }
    })
    .await;
    assert_eq!(first_uses, vec![(StatusCode::OK, 12)]);

    let stats = hasher.stats();
    // Every hash and every verification went through the pool (the admin token's own first
    // use adds to these).
    assert!(stats.completed - before > 12 + 4 + 12, "{stats:?}");
    assert!(stats.peak <= BOUND, "{stats:?}");
    assert!(stats.buffers <= BOUND, "the buffers are reused: {stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bearer_requests_abandoned_while_waiting_for_argon2_leave_nothing_behind() {
    let server = TestServer::start_with(|config| {
        config.argon2_concurrency = 1;
        config.bearer = BearerSettings {
            failures_per_addr: (20, Duration::from_secs(3600)),
            failures_per_key: (20, Duration::from_secs(3600)),
            limited_refusal_delay: Duration::ZERO,
            ..BearerSettings::default()
        };
    })
    .await;
    let mut owner = set_up_owner(&server).await;
    let (_, good) = create_token(&mut owner, &[("name", "good")]).await;
    let key_id = parse_token(&good).unwrap().key_id;
    let wrong = || assemble_token(&key_id, &generate_token().secret).into_string();
    let addr: IpAddr = "192.0.2.1".parse().unwrap();
    let state = server.state.clone();

    // Every argon2 turn is taken: 20 requests (the whole failure budget of the address and
    // of the key id) queue for one, and their clients go away.
    let held = state.hasher.turn().await.unwrap();
    let waiting: Vec<_> = (0..20)
        .map(|_| {
            let state = state.clone();
            let token = wrong();
            tokio::spawn(async move {
                state
                    .bearer
                    .authenticate(state.db.pool(), &state.hasher, &token, Some(addr), now_ms())
                    .await
            })
        })
        .collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while state.hasher.stats().waiting < 20 {
        assert!(tokio::time::Instant::now() < deadline, "requests queue");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(state.bearer.gates_in_use(), 20);
    for task in &waiting {
        task.abort();
    }
    for task in waiting {
        assert!(task.await.unwrap_err().is_cancelled());
    }
    assert_eq!(state.bearer.gates_in_use(), 0, "no gate is left in the map");
    assert_eq!(state.hasher.stats().waiting, 0);
    drop(held);

    // Nothing was tried, so nothing was spent: the address and the key id still have their
    // whole budget, and the next wrong secret is judged, not refused unheard.
    let next = state
        .bearer
        .authenticate(
            state.db.pool(),
            &state.hasher,
            &wrong(),
            Some(addr),
            now_ms(),
        )
        .await;
    assert_eq!(next, Err(BearerError::Refused(AuthFailure::WrongSecret)));
    let real = state
        .bearer
        .authenticate(state.db.pool(), &state.hasher, &good, Some(addr), now_ms())
        .await;
    assert!(real.is_ok(), "{real:?}");
    assert_eq!(state.bearer.gates_in_use(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_ins_abandoned_while_waiting_for_argon2_spend_nothing() {
    let server = bounded_server().await;
    set_up_owner(&server).await;
    let state = server.state.clone();
    let held: Vec<_> = {
        let mut turns = Vec::new();
        for _ in 0..BOUND {
            turns.push(state.hasher.turn().await.unwrap());
        }
        turns
    };
    // More attempts than the account's failure budget (5) queue, and are abandoned.
    let waiting: Vec<_> = (0..8)
        .map(|_| {
            let state = state.clone();
            tokio::spawn(async move {
                app::auth::service::sign_in(
                    &state,
                    OWNER_EMAIL,
                    "wrong password 123",
                    Some("192.0.2.9".into()),
                )
                .await
                .map(|_| ())
            })
        })
        .collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while state.hasher.stats().waiting < 5 {
        assert!(tokio::time::Instant::now() < deadline, "attempts queue");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for task in &waiting {
        task.abort();
    }
    for task in waiting {
        let _ = task.await;
    }
    drop(held);
    assert_eq!(state.hasher.stats().waiting, 0);
    // The abandoned attempts tried nothing: the owner's own password still gets in.
    let mut browser = Browser::new(&server);
    let answer = browser
        .call(
            "sign_in",
            &[("email", OWNER_EMAIL), ("password", OWNER_PASSWORD)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_wrong_invite_passwords_guess_at_most_the_limit() {
    let server = std::sync::Arc::new(bounded_server().await);
    let mut owner = set_up_owner(&server).await;
    // An account that exists elsewhere: accepting its invite asks for its password.
    other_workspace_owner(&server, "elsewhere@example.com").await;
    let answer = owner
        .call(
            "create_invite",
            &[("email", "elsewhere@example.com"), ("role", "member")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let code = answer.body["link_path"]
        .as_str()
        .and_then(|path| path.strip_prefix("/invite/"))
        .unwrap()
        .to_owned();
    let hasher = server.state.hasher.clone();
    hasher.reset_peak();
    let before = hasher.stats().completed;

    let tally = all_at_once(200, |_| {
        let server = server.clone();
        let code = code.clone();
        async move {
            server
                .client
                .post(server.url("/rpc/accept_invite"))
                .header("sec-fetch-site", "same-origin")
                .header("x-forwarded-for", "198.51.100.20")
                .form(&[
                    ("code", code.as_str()),
                    ("name", ""),
                    ("password", "not the password"),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }
    })
    .await;
    let guesses = hasher.stats().completed - before;
    // Sign-in's budget for one (address, email): a password checked here is a password guessed.
    assert_eq!(
        guesses, 5,
        "{guesses} guesses from one address at one account: {tally:?}"
    );
    assert_eq!(
        count(&tally, StatusCode::TOO_MANY_REQUESTS) as u64,
        200 - guesses,
        "{tally:?}"
    );
    assert!(hasher.stats().peak <= BOUND);
}
