//! What an agent does: its config's `steps`, run in order when it executes (SPEC §4.3 "Agents
//! and their runtime"; the schema is in docs/agent-config.md). `parse` is the one place a
//! config becomes steps; every problem is reported at once with the JSON pointer of the field
//! it is about (`/steps/2/path`), so the editor can point at it.
//!
//! Templates are minijinja, checked here for their syntax; they render with no I/O at all
//! (no loader, no filesystem), seeing only the execution's input and earlier steps' outputs.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

/// At most this many steps.
pub const MAX_STEPS: usize = 20;
/// A step id: 1 to 64 of `a-z`, `0-9`, `_` and `-`, starting with a letter.
pub const MAX_STEP_ID_CHARS: usize = 64;
/// Passages a `kb_search` step may ask for.
pub const MAX_SEARCH_LIMIT: i64 = 50;
const DEFAULT_SEARCH_LIMIT: i64 = 5;
/// Methods an `http_request` step may use.
pub const HTTP_METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// An agent's steps, in the order they run. A config without `steps` has none (an agent that
/// is installed but not yet told what to do).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgentConfig {
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Names the step's output for the steps after it (`steps.<id>`).
    pub id: String,
    pub action: StepAction,
}

/// What a step does. Text fields are templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepAction {
    /// Searches the knowledge base; its output is the hits.
    KbSearch { query: String, limit: i64 },
    /// Renders text.
    Template { template: String },
    /// Calls an integration of kind `http` (named by id or name); its secrets are added as
    /// headers at run time.
    HttpRequest {
        integration: String,
        method: String,
        path: String,
        headers: BTreeMap<String, String>,
        body: Option<String>,
    },
    /// Asks the assistant's default answerer over the knowledge base.
    AssistantAnswer { question: String },
    /// Asks the model of an integration of kind `llm`.
    Llm { integration: String, prompt: String },
}

impl StepAction {
    pub fn kind(&self) -> &'static str {
        match self {
            StepAction::KbSearch { .. } => "kb_search",
            StepAction::Template { .. } => "template",
            StepAction::HttpRequest { .. } => "http_request",
            StepAction::AssistantAnswer { .. } => "assistant_answer",
            StepAction::Llm { .. } => "llm",
        }
    }

    /// The integration the step uses, with the kind it must be, and the field naming it.
    pub fn integration(&self) -> Option<(&str, &'static str)> {
        match self {
            StepAction::HttpRequest { integration, .. } => Some((integration, "http")),
            StepAction::Llm { integration, .. } => Some((integration, "llm")),
            _ => None,
        }
    }
}

/// A problem with a config: where (a JSON pointer into it) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub pointer: String,
    pub message: String,
}

/// Reads a config (already valid JSON) into steps, or every problem with it.
pub fn parse(config: &Value) -> Result<AgentConfig, Vec<ConfigProblem>> {
    let mut problems = Problems::default();
    let Some(root) = config.as_object() else {
        problems.add("", "The config must be a JSON object.");
        return Err(problems.0);
    };
    problems.unknown_fields(root, "", &["steps"]);
    let steps = match root.get("steps") {
        None => Vec::new(),
        Some(Value::Array(items)) => {
            if items.len() > MAX_STEPS {
                problems.add("/steps", format!("At most {MAX_STEPS} steps."));
            }
            let mut ids = HashSet::new();
            items
                .iter()
                .enumerate()
                .filter_map(|(index, item)| {
                    let step = step(item, &format!("/steps/{index}"), &mut problems)?;
                    if !ids.insert(step.id.clone()) {
                        problems.add(
                            format!("/steps/{index}/id"),
                            format!("Another step is called \u{201c}{}\u{201d}.", step.id),
                        );
                    }
                    Some(step)
                })
                .collect()
        }
        Some(_) => {
            problems.add("/steps", "Give the steps as a list.");
            Vec::new()
        }
    };
    if problems.0.is_empty() {
        Ok(AgentConfig { steps })
    } else {
        Err(problems.0)
    }
}

#[derive(Default)]
struct Problems(Vec<ConfigProblem>);

impl Problems {
    fn add(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.0.push(ConfigProblem {
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    fn unknown_fields(&mut self, object: &Map<String, Value>, at: &str, known: &[&str]) {
        for key in object.keys().filter(|key| !known.contains(&key.as_str())) {
            self.add(
                format!("{at}/{}", escape(key)),
                format!("Unknown field; expected one of: {}.", known.join(", ")),
            );
        }
    }

    /// A required string field, or `None` (with a problem) when it is missing or not text.
    fn text(&mut self, step: &Map<String, Value>, at: &str, field: &str) -> Option<String> {
        match step.get(field) {
            Some(Value::String(text)) if !text.trim().is_empty() => Some(text.clone()),
            Some(Value::String(_)) | None => {
                self.add(format!("{at}/{field}"), "Required.");
                None
            }
            Some(_) => {
                self.add(format!("{at}/{field}"), "Must be text.");
                None
            }
        }
    }

    /// A required template field, checked for its syntax.
    fn template(&mut self, step: &Map<String, Value>, at: &str, field: &str) -> Option<String> {
        let text = self.text(step, at, field)?;
        self.check_template(&text, &format!("{at}/{field}"));
        Some(text)
    }

    fn check_template(&mut self, text: &str, pointer: &str) {
        if let Err(error) = check_template(text) {
            self.add(pointer, error);
        }
    }
}

/// `~` and `/` escaped as a JSON pointer segment (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Whether a template's syntax is valid; its error for people if not.
pub fn check_template(text: &str) -> Result<(), String> {
    let environment = minijinja::Environment::new();
    environment
        .template_from_str(text)
        .map(|_| ())
        .map_err(|error| {
            format!(
                "Not a valid template: {}.",
                error.detail().unwrap_or("syntax error")
            )
        })
}

/// Renders a template over `context` (the execution's `input` and earlier `steps`). The
/// environment has no loader, so `include` and `import` find nothing: a template does no I/O.
pub fn render(text: &str, context: &Value) -> Result<String, String> {
    let environment = minijinja::Environment::new();
    environment
        .render_str(text, context)
        .map_err(|error| format!("The template could not be rendered: {error}."))
}

fn step(item: &Value, at: &str, problems: &mut Problems) -> Option<Step> {
    let Some(step) = item.as_object() else {
        problems.add(at, "A step is an object with an id and a kind.");
        return None;
    };
    let id = problems.text(step, at, "id");
    if let Some(id) = &id {
        if !is_step_id(id) {
            problems.add(
                format!("{at}/id"),
                format!(
                    "Use 1 to {MAX_STEP_ID_CHARS} of a-z, 0-9, _ and -, starting with a letter."
                ),
            );
        }
    }
    let kind = problems.text(step, at, "kind")?;
    let action = match kind.as_str() {
        "kb_search" => {
            problems.unknown_fields(step, at, &["id", "kind", "query", "limit"]);
            let query = problems.template(step, at, "query");
            let limit = match step.get("limit") {
                None => Some(DEFAULT_SEARCH_LIMIT),
                Some(limit) => match limit.as_i64() {
                    Some(limit) if (1..=MAX_SEARCH_LIMIT).contains(&limit) => Some(limit),
                    _ => {
                        problems.add(
                            format!("{at}/limit"),
                            format!("A whole number from 1 to {MAX_SEARCH_LIMIT}."),
                        );
                        None
                    }
                },
            };
            StepAction::KbSearch {
                query: query?,
                limit: limit?,
            }
        }
        "template" => {
            problems.unknown_fields(step, at, &["id", "kind", "template"]);
            StepAction::Template {
                template: problems.template(step, at, "template")?,
            }
        }
        "http_request" => {
            problems.unknown_fields(
                step,
                at,
                &[
                    "id",
                    "kind",
                    "integration",
                    "method",
                    "path",
                    "headers",
                    "body",
                ],
            );
            let integration = problems.text(step, at, "integration");
            let method = match step.get("method") {
                None => Some("GET".to_owned()),
                Some(Value::String(method))
                    if HTTP_METHODS.contains(&method.to_ascii_uppercase().as_str()) =>
                {
                    Some(method.to_ascii_uppercase())
                }
                Some(_) => {
                    problems.add(
                        format!("{at}/method"),
                        format!("One of {}.", HTTP_METHODS.join(", ")),
                    );
                    None
                }
            };
            let path = problems.template(step, at, "path");
            if path.as_ref().is_some_and(|path| !path.starts_with('/')) {
                problems.add(format!("{at}/path"), "Give a path that starts with /.");
            }
            let headers = headers(step, &format!("{at}/headers"), problems);
            let body = match step.get("body") {
                None => None,
                Some(Value::String(body)) => {
                    problems.check_template(body, &format!("{at}/body"));
                    Some(body.clone())
                }
                Some(_) => {
                    problems.add(format!("{at}/body"), "Must be text (a template).");
                    None
                }
            };
            StepAction::HttpRequest {
                integration: integration?,
                method: method?,
                path: path?,
                headers: headers?,
                body,
            }
        }
        "assistant_answer" => {
            problems.unknown_fields(step, at, &["id", "kind", "question"]);
            StepAction::AssistantAnswer {
                question: problems.template(step, at, "question")?,
            }
        }
        "llm" => {
            problems.unknown_fields(step, at, &["id", "kind", "integration", "prompt"]);
            let integration = problems.text(step, at, "integration");
            let prompt = problems.template(step, at, "prompt");
            StepAction::Llm {
                integration: integration?,
                prompt: prompt?,
            }
        }
        _ => {
            problems.add(
                format!("{at}/kind"),
                "One of kb_search, template, http_request, assistant_answer, llm.",
            );
            return None;
        }
    };
    Some(Step { id: id?, action })
}

fn headers(
    step: &Map<String, Value>,
    at: &str,
    problems: &mut Problems,
) -> Option<BTreeMap<String, String>> {
    let Some(headers) = step.get("headers") else {
        return Some(BTreeMap::new());
    };
    let Some(headers) = headers.as_object() else {
        problems.add(at, "Give the headers as an object of name to template.");
        return None;
    };
    let mut found = BTreeMap::new();
    let before = problems.0.len();
    for (name, value) in headers {
        let pointer = format!("{at}/{}", escape(name));
        if axum::http::HeaderName::from_bytes(name.as_bytes()).is_err() {
            problems.add(&pointer, "Not a valid header name.");
        }
        match value.as_str() {
            Some(value) => {
                problems.check_template(value, &pointer);
                found.insert(name.clone(), value.to_owned());
            }
            None => problems.add(&pointer, "Must be text (a template)."),
        }
    }
    (problems.0.len() == before).then_some(found)
}

fn is_step_id(id: &str) -> bool {
    id.len() <= MAX_STEP_ID_CHARS
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointers(config: Value) -> Vec<String> {
        parse(&config)
            .expect_err("a problem")
            .into_iter()
            .map(|problem| problem.pointer)
            .collect()
    }

    #[test]
    fn the_smallest_useful_agent_is_one_template() {
        let config = json!({"steps": [{"id": "greet", "kind": "template", "template": "hello {{ input.who }}"}]});
        let parsed = parse(&config).expect("valid");
        assert_eq!(
            parsed.steps,
            vec![Step {
                id: "greet".into(),
                action: StepAction::Template {
                    template: "hello {{ input.who }}".into()
                }
            }]
        );
        assert_eq!(
            parse(&json!({})),
            Ok(AgentConfig::default()),
            "no steps yet"
        );
    }

    #[test]
    fn every_kind_reads_its_fields_with_defaults() {
        let config = json!({"steps": [
            {"id": "find", "kind": "kb_search", "query": "{{ input.q }}"},
            {"id": "call", "kind": "http_request", "integration": "CRM", "path": "/tickets/{{ input.id }}",
             "headers": {"X-Trace": "{{ input.trace }}"}, "body": "{{ steps.find }}", "method": "post"},
            {"id": "answer", "kind": "assistant_answer", "question": "{{ input.q }}"},
            {"id": "write", "kind": "llm", "integration": "Model", "prompt": "Summarise {{ steps.answer }}"},
        ]});
        let steps = parse(&config).expect("valid").steps;
        assert_eq!(
            steps[0].action,
            StepAction::KbSearch {
                query: "{{ input.q }}".into(),
                limit: DEFAULT_SEARCH_LIMIT
            }
        );
        let StepAction::HttpRequest {
            method, headers, ..
        } = &steps[1].action
        else {
            panic!("{:?}", steps[1])
        };
        assert_eq!(method, "POST");
        assert_eq!(headers["X-Trace"], "{{ input.trace }}");
        assert_eq!(steps[1].action.integration(), Some(("CRM", "http")));
        assert_eq!(steps[3].action.integration(), Some(("Model", "llm")));
    }

    #[test]
    fn each_problem_is_reported_at_its_field() {
        assert_eq!(pointers(json!([1, 2])), [""]);
        assert_eq!(pointers(json!({"model": "gpt-4o"})), ["/model"]);
        assert_eq!(pointers(json!({"steps": {}})), ["/steps"]);
        assert_eq!(
            pointers(json!({"steps": [
                {"id": "a", "kind": "template", "template": "{{ unclosed"},
                {"id": "Bad Id", "kind": "template", "template": "x"},
                {"id": "c", "kind": "teleport"},
                {"id": "d", "kind": "http_request", "integration": "CRM", "path": "no-slash", "method": "TRACE", "headers": {"bad header": "x"}},
                {"id": "e", "kind": "kb_search", "query": "q", "limit": 500, "extra": 1},
                {"id": "a", "kind": "llm", "integration": "M", "prompt": "p"},
                "not an object",
            ]})),
            [
                "/steps/0/template",
                "/steps/1/id",
                "/steps/2/kind",
                "/steps/3/method",
                "/steps/3/path",
                "/steps/3/headers/bad header",
                "/steps/4/extra",
                "/steps/4/limit",
                "/steps/5/id",
                "/steps/6",
            ]
        );
        let many: Vec<Value> = (0..=MAX_STEPS)
            .map(|n| json!({"id": format!("s{n}"), "kind": "template", "template": "x"}))
            .collect();
        assert_eq!(pointers(json!({ "steps": many })), ["/steps"]);
        assert_eq!(pointers(json!({"steps": [{"id": "x"}]})), ["/steps/0/kind"]);
        assert_eq!(
            pointers(json!({"steps": [{"id": "x", "kind": "template", "template": ""}]})),
            ["/steps/0/template"]
        );
    }

    #[test]
    fn pointer_segments_are_escaped() {
        assert_eq!(pointers(json!({"a/b~c": 1})), ["/a~1b~0c"]);
    }
}
