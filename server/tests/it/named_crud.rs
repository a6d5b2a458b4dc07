//! The suite every named workspace resource managed in the browser passes (agents and
//! environments today), written once: owners and admins write, members read, strangers and
//! anonymous callers change nothing, missing ids are "not found", names are unique per
//! workspace ignoring case, and a race for one name leaves exactly one row. What differs per
//! resource is a [`Kind`]; what is particular to one stays in its own module.

use app::auth::model::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{
    add_user, other_workspace_owner, set_up_owner, workspace_of, Browser, RpcAnswer, TestServer,
};

/// What differs between named resources: their server functions, table, and the other
/// fields a valid form needs.
pub struct Kind {
    /// As in audit actions (`agent.installed`) and messages.
    pub noun: &'static str,
    pub table: &'static str,
    pub list: &'static str,
    /// Shows one item, where the resource has such a function.
    pub get: Option<&'static str>,
    pub create: &'static str,
    pub update: &'static str,
    pub delete: &'static str,
    /// The fields besides `name` (and `id`) that make a create or update valid.
    pub other_fields: &'static [(&'static str, &'static str)],
}

pub const AGENTS: Kind = Kind {
    noun: "agent",
    table: "agents",
    list: "list_agents",
    get: Some("get_agent"),
    create: "install_agent",
    update: "update_agent",
    delete: "delete_agent",
    other_fields: &[("description", ""), ("version", "1.0.0"), ("config", "{}")],
};

pub const ENVIRONMENTS: Kind = Kind {
    noun: "environment",
    table: "environments",
    list: "list_environments",
    get: None,
    create: "create_environment",
    update: "update_environment",
    delete: "delete_environment",
    other_fields: &[("purpose", "staging"), ("description", "")],
};

const KINDS: [&Kind; 2] = [&AGENTS, &ENVIRONMENTS];
const MISSING_ID: &str = "0123456789abcdef0123456789abcdef";

impl Kind {
    pub async fn create(&self, browser: &mut Browser<'_>, name: &str) -> RpcAnswer {
        let mut form = vec![("name", name)];
        form.extend_from_slice(self.other_fields);
        browser.call(self.create, &form).await
    }

    /// Creates an item that must succeed and returns its view.
    pub async fn created(&self, browser: &mut Browser<'_>, name: &str) -> Value {
        let answer = self.create(browser, name).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{}: {}",
            self.noun,
            answer.body
        );
        answer.body
    }

    pub async fn update(&self, browser: &mut Browser<'_>, id: &str, name: &str) -> RpcAnswer {
        let mut form = vec![("id", id), ("name", name)];
        form.extend_from_slice(self.other_fields);
        browser.call(self.update, &form).await
    }

    pub async fn delete(&self, browser: &mut Browser<'_>, id: &str) -> RpcAnswer {
        browser.call(self.delete, &[("id", id)]).await
    }

    pub async fn list(&self, browser: &mut Browser<'_>) -> Vec<Value> {
        let answer = browser.call(self.list, &[]).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{}: {}",
            self.noun,
            answer.body
        );
        answer.body.as_array().expect("a list").clone()
    }

    pub async fn names(&self, browser: &mut Browser<'_>) -> Vec<String> {
        self.list(browser)
            .await
            .iter()
            .map(|item| item["name"].as_str().expect("a name").to_owned())
            .collect()
    }

    pub async fn count(&self, server: &TestServer) -> i64 {
        let (count,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {}", self.table))
            .fetch_one(server.state.db.pool())
            .await
            .expect("a row count");
        count
    }

    /// `(action, target_kind, target_id, target_label)` of every audit event about this kind
    /// of resource, sorted.
    pub async fn event_details(
        &self,
        server: &TestServer,
    ) -> Vec<(String, String, String, String)> {
        let mut events: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT action, target_kind, target_id, target_label FROM audit_events \
             WHERE action LIKE $1",
        )
        .bind(format!("{}.%", self.noun))
        .fetch_all(server.state.db.pool())
        .await
        .expect("the audit events");
        events.sort();
        events
    }

    /// How many audit events are about this kind of resource.
    pub async fn events(&self, server: &TestServer) -> usize {
        self.event_details(server).await.len()
    }

    /// Every write function with a valid form for `id`.
    fn writes<'a>(&self, id: &'a str) -> Vec<(&'static str, Vec<(&'a str, &'a str)>)> {
        let mut create = vec![("name", "X")];
        create.extend_from_slice(self.other_fields);
        let mut update = vec![("id", id), ("name", "X")];
        update.extend_from_slice(self.other_fields);
        vec![
            (self.create, create),
            (self.update, update),
            (self.delete, vec![("id", id)]),
        ]
    }
}

pub fn id_of(view: &Value) -> String {
    view["id"].as_str().expect("an id").to_owned()
}

pub fn field_errors<'a>(answer: &'a RpcAnswer, field: &str) -> &'a Vec<Value> {
    answer.body["Validation"][field]
        .as_array()
        .unwrap_or_else(|| panic!("a validation error on {field}: {}", answer.body))
}

#[tokio::test]
async fn admins_manage_them_too() {
    for kind in KINDS {
        let server = TestServer::start().await;
        let mut owner = set_up_owner(&server).await;
        let workspace_id = workspace_of(&mut owner).await;
        let mut admin = add_user(&server, &workspace_id, "a@example.com", Role::Admin).await;
        let id = id_of(&kind.created(&mut admin, "Staging").await);
        let answer = kind.update(&mut admin, &id, "QA").await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{}: {}",
            kind.noun,
            answer.body
        );
        assert_eq!(kind.delete(&mut admin, &id).await.status, StatusCode::OK);
        assert_eq!(kind.count(&server).await, 0, "{}", kind.noun);
    }
}

#[tokio::test]
async fn unauthenticated_calls_get_401_and_change_nothing() {
    for kind in KINDS {
        let server = TestServer::start().await;
        let mut owner = set_up_owner(&server).await;
        let item = kind.created(&mut owner, "Prod").await;
        let id = id_of(&item);
        let mut calls = kind.writes(&id);
        calls.push((kind.list, vec![]));
        if let Some(get) = kind.get {
            calls.push((get, vec![("id", &id)]));
        }
        let mut anonymous = Browser::new(&server);
        for cookie in [None, Some("tessera_session=forged".to_owned())] {
            anonymous.cookie = cookie;
            for (function, form) in &calls {
                let answer = anonymous.call(function, form).await;
                assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{function}");
                assert_eq!(answer.body, json!("Unauthorized"), "{function}");
            }
        }
        assert_eq!(kind.list(&mut owner).await, [item]);
        assert_eq!(kind.events(&server).await, 1, "{}", kind.noun);
    }
}

#[tokio::test]
async fn members_read_them_but_cannot_change_them() {
    for kind in KINDS {
        let server = TestServer::start().await;
        let mut owner = set_up_owner(&server).await;
        let workspace_id = workspace_of(&mut owner).await;
        let item = kind.created(&mut owner, "Prod").await;
        let id = id_of(&item);
        let mut member = add_user(&server, &workspace_id, "m@example.com", Role::Member).await;

        assert_eq!(kind.list(&mut member).await, std::slice::from_ref(&item));
        if let Some(get) = kind.get {
            assert_eq!(member.call(get, &[("id", &id)]).await.body, item);
        }
        for (function, form) in kind.writes(&id) {
            let answer = member.call(function, &form).await;
            assert_eq!(
                answer.status,
                StatusCode::FORBIDDEN,
                "{function}: {}",
                answer.body
            );
            assert_eq!(answer.body, json!("Forbidden"));
        }
        assert_eq!(kind.list(&mut owner).await, [item]);
        assert_eq!(kind.count(&server).await, 1);
        assert_eq!(kind.events(&server).await, 1, "only the owner's create");
    }
}

#[tokio::test]
async fn another_workspaces_item_is_not_found_and_untouched() {
    for kind in KINDS {
        let server = TestServer::start().await;
        let mut owner = set_up_owner(&server).await;
        let item = kind.created(&mut owner, "Prod").await;
        let id = id_of(&item);
        let mut stranger = other_workspace_owner(&server, "s@example.com").await;

        assert_eq!(kind.list(&mut stranger).await, Vec::<Value>::new());
        let missing = kind.delete(&mut stranger, MISSING_ID).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let mut answers = vec![
            kind.update(&mut stranger, &id, "Mine now").await,
            kind.delete(&mut stranger, &id).await,
        ];
        if let Some(get) = kind.get {
            answers.push(stranger.call(get, &[("id", &id)]).await);
        }
        for answer in answers {
            // Exactly the answer for an id that never existed.
            assert_eq!(answer.status, missing.status, "{}", answer.body);
            assert_eq!(answer.body, missing.body);
        }
        assert_eq!(kind.list(&mut owner).await, [item]);
        assert_eq!(kind.events(&server).await, 1);

        // Names are unique per workspace, not globally.
        kind.created(&mut stranger, "PROD").await;
        assert_eq!(kind.names(&mut stranger).await, ["PROD"]);
    }
}

#[tokio::test]
async fn a_missing_item_is_not_found() {
    for kind in KINDS {
        let server = TestServer::start().await;
        let mut owner = set_up_owner(&server).await;
        let item = kind.created(&mut owner, "Prod").await;
        for id in ["", "nope", MISSING_ID, "' OR 1=1 --"] {
            let mut answers = vec![
                kind.update(&mut owner, id, "Other").await,
                kind.delete(&mut owner, id).await,
            ];
            if let Some(get) = kind.get {
                answers.push(owner.call(get, &[("id", id)]).await);
            }
            for answer in answers {
                assert_eq!(
                    answer.status,
                    StatusCode::NOT_FOUND,
                    "{id:?}: {}",
                    answer.body
                );
                assert_eq!(answer.body, json!("NotFound"));
            }
        }
        assert_eq!(kind.list(&mut owner).await, [item]);
        assert_eq!(kind.events(&server).await, 1);
    }
}

#[tokio::test]
async fn names_are_unique_per_workspace_ignoring_case() {
    for kind in KINDS {
        let server = TestServer::start().await;
        let mut owner = set_up_owner(&server).await;
        let first = kind.created(&mut owner, "Production").await;
        let second = kind.created(&mut owner, "Staging").await;
        let taken = app::AppError::name_taken(kind.noun);
        let taken = &taken.field_messages("name").unwrap()[0];

        let duplicate = kind.create(&mut owner, " PRODUCTION ").await;
        assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&duplicate, "name")[0], taken.as_str());
        kind.created(&mut owner, "ÉTÉ").await;
        // Look-alikes are the same name: case, full-width forms (NFKC)…
        for look_alike in ["été", "ＰＲＯＤＵＣＴＩＯＮ"] {
            let duplicate = kind.create(&mut owner, look_alike).await;
            assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(field_errors(&duplicate, "name")[0], taken.as_str());
        }
        // … and invisible characters cannot make a second "Production" at all.
        for hidden in [
            "Produc\u{200B}tion",
            "\u{202E}Production",
            "Produc\u{2028}tion",
        ] {
            let refused = kind.create(&mut owner, hidden).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{hidden:?}"
            );
            let message = field_errors(&refused, "name")[0].as_str().unwrap();
            assert!(message.contains("invisible"), "{message}");
        }

        // Renaming onto another's name is refused too; changing one's own case is fine.
        let answer = kind.update(&mut owner, &id_of(&second), "production").await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        field_errors(&answer, "name");
        let answer = kind.update(&mut owner, &id_of(&first), "PRODUCTION").await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(answer.body["name"], "PRODUCTION");

        assert_eq!(
            kind.names(&mut owner).await,
            ["PRODUCTION", "Staging", "ÉTÉ"]
        );
        assert_eq!(kind.count(&server).await, 3);
    }
}

#[tokio::test]
async fn concurrent_creates_with_one_name_leave_exactly_one() {
    for kind in KINDS {
        let server = TestServer::start().await;
        let owner = set_up_owner(&server).await;
        let same_session = || Browser {
            server: &server,
            cookie: owner.cookie.clone(),
        };
        let (mut a, mut b, mut c, mut d) = (
            same_session(),
            same_session(),
            same_session(),
            same_session(),
        );
        let answers = tokio::join!(
            kind.create(&mut a, "Race"),
            kind.create(&mut b, "RACE"),
            kind.create(&mut c, "race"),
            kind.create(&mut d, "Race"),
        );
        let answers = [answers.0, answers.1, answers.2, answers.3];
        let won = answers
            .iter()
            .filter(|a| a.status == StatusCode::OK)
            .count();
        assert_eq!(won, 1, "exactly one wins");
        for answer in answers.iter().filter(|a| a.status != StatusCode::OK) {
            assert_eq!(
                answer.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                answer.body
            );
            field_errors(answer, "name");
        }
        assert_eq!(kind.count(&server).await, 1);
        assert_eq!(kind.events(&server).await, 1);
    }
}
