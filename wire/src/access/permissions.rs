//! What a token may do with each kind of resource (SPEC §4.2): a level per resource, the wire
//! map `{"agents": "write", …}`, the presets the create dialog offers, and the compact form
//! stored with the token. Pure and WASM-safe: the browser shows and edits the same type.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The nine kinds of resource a token's permissions cover, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Agents,
    Executions,
    Triggers,
    Webhooks,
    Integrations,
    KnowledgeBase,
    Storage,
    Assistant,
    Tokens,
}

impl Resource {
    pub const ALL: [Resource; 9] = [
        Resource::Agents,
        Resource::Executions,
        Resource::Triggers,
        Resource::Webhooks,
        Resource::Integrations,
        Resource::KnowledgeBase,
        Resource::Storage,
        Resource::Assistant,
        Resource::Tokens,
    ];

    /// The wire name, as in `"required": "agents:write"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Resource::Agents => "agents",
            Resource::Executions => "executions",
            Resource::Triggers => "triggers",
            Resource::Webhooks => "webhooks",
            Resource::Integrations => "integrations",
            Resource::KnowledgeBase => "knowledge_base",
            Resource::Storage => "storage",
            Resource::Assistant => "assistant",
            Resource::Tokens => "tokens",
        }
    }

    /// The name people read in the permission grid.
    pub const fn label(self) -> &'static str {
        match self {
            Resource::Agents => "Agents",
            Resource::Executions => "Executions",
            Resource::Triggers => "Triggers",
            Resource::Webhooks => "Webhooks",
            Resource::Integrations => "Integrations",
            Resource::KnowledgeBase => "Knowledge base",
            Resource::Storage => "Storage",
            Resource::Assistant => "Assistant",
            Resource::Tokens => "Tokens",
        }
    }
}

/// None, read, or write (which includes read). Ordered, so "at least read" is `>=`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Level {
    #[default]
    None,
    Read,
    Write,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::None, Level::Read, Level::Write];

    pub const fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Read => "read",
            Level::Write => "write",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Level::None => "No access",
            Level::Read => "Read",
            Level::Write => "Write",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.as_str() == text)
    }

    /// One letter per level in the stored form.
    const fn code(self) -> char {
        match self {
            Level::None => 'n',
            Level::Read => 'r',
            Level::Write => 'w',
        }
    }

    fn from_code(code: char) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.code() == code)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A permission that a request needed, or that a grant exceeded: `agents:write`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Needed {
    pub resource: Resource,
    pub level: Level,
}

impl fmt::Display for Needed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.resource.as_str(), self.level.as_str())
    }
}

/// A level for each of the nine resources. On the wire a map with every key; in a request a
/// resource left out is `none`. Unknown keys and levels are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Permissions {
    pub agents: Level,
    pub executions: Level,
    pub triggers: Level,
    pub webhooks: Level,
    pub integrations: Level,
    pub knowledge_base: Level,
    pub storage: Level,
    pub assistant: Level,
    pub tokens: Level,
}

/// The create dialog's three choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    FullAccess,
    ReadOnly,
    Custom,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::FullAccess, Preset::ReadOnly, Preset::Custom];

    pub const fn label(self) -> &'static str {
        match self {
            Preset::FullAccess => "Full access",
            Preset::ReadOnly => "Read only",
            Preset::Custom => "Custom",
        }
    }
}

impl Permissions {
    /// Every resource at `level`.
    pub fn all(level: Level) -> Self {
        Permissions::from_fn(|_| level)
    }

    /// Write on everything: what a token created without a choice gets (within its scope).
    pub fn full() -> Self {
        Permissions::all(Level::Write)
    }

    pub fn read_only() -> Self {
        Permissions::all(Level::Read)
    }

    pub fn from_fn(mut level_of: impl FnMut(Resource) -> Level) -> Self {
        let mut permissions = Permissions::default();
        for resource in Resource::ALL {
            permissions.set(resource, level_of(resource));
        }
        permissions
    }

    pub fn get(&self, resource: Resource) -> Level {
        *self.slot(resource)
    }

    pub fn set(&mut self, resource: Resource, level: Level) {
        *self.slot_mut(resource) = level;
    }

    fn slot(&self, resource: Resource) -> &Level {
        match resource {
            Resource::Agents => &self.agents,
            Resource::Executions => &self.executions,
            Resource::Triggers => &self.triggers,
            Resource::Webhooks => &self.webhooks,
            Resource::Integrations => &self.integrations,
            Resource::KnowledgeBase => &self.knowledge_base,
            Resource::Storage => &self.storage,
            Resource::Assistant => &self.assistant,
            Resource::Tokens => &self.tokens,
        }
    }

    fn slot_mut(&mut self, resource: Resource) -> &mut Level {
        match resource {
            Resource::Agents => &mut self.agents,
            Resource::Executions => &mut self.executions,
            Resource::Triggers => &mut self.triggers,
            Resource::Webhooks => &mut self.webhooks,
            Resource::Integrations => &mut self.integrations,
            Resource::KnowledgeBase => &mut self.knowledge_base,
            Resource::Storage => &mut self.storage,
            Resource::Assistant => &mut self.assistant,
            Resource::Tokens => &mut self.tokens,
        }
    }

    /// Each resource at the lower of the two levels.
    pub fn min(&self, other: &Permissions) -> Permissions {
        Permissions::from_fn(|resource| self.get(resource).min(other.get(resource)))
    }

    /// The first resource (in display order) where `self` grants more than `limit`, named
    /// with the level `self` asked for.
    pub fn first_excess(&self, limit: &Permissions) -> Option<Needed> {
        Resource::ALL
            .into_iter()
            .find(|resource| self.get(*resource) > limit.get(*resource))
            .map(|resource| Needed {
                resource,
                level: self.get(resource),
            })
    }

    /// Which preset these permissions match.
    pub fn preset(&self) -> Preset {
        if *self == Permissions::full() {
            Preset::FullAccess
        } else if *self == Permissions::read_only() {
            Preset::ReadOnly
        } else {
            Preset::Custom
        }
    }

    /// How many resources the token may touch at all.
    pub fn granted_count(&self) -> usize {
        Resource::ALL
            .into_iter()
            .filter(|resource| self.get(*resource) > Level::None)
            .count()
    }

    /// At a glance: "Full access", "Read only", "Custom: 4 resources", "No access".
    pub fn summary(&self) -> String {
        match self.preset() {
            Preset::FullAccess | Preset::ReadOnly => self.preset().label().to_owned(),
            Preset::Custom => match self.granted_count() {
                0 => "No access".to_owned(),
                1 => "Custom: 1 resource".to_owned(),
                count => format!("Custom: {count} resources"),
            },
        }
    }

    /// The stored form: one letter per resource in [`Resource::ALL`] order (`n`, `r`, `w`),
    /// compact because the hot path decodes it on every request.
    pub fn encode(&self) -> String {
        Resource::ALL
            .into_iter()
            .map(|resource| self.get(resource).code())
            .collect()
    }

    /// Reads the stored form back. A shorter text (written before a resource was added)
    /// leaves the missing resources at `none`; anything unreadable is `None`.
    pub fn decode(text: &str) -> Option<Permissions> {
        if text.chars().count() > Resource::ALL.len() {
            return None;
        }
        let mut permissions = Permissions::default();
        for (resource, code) in Resource::ALL.into_iter().zip(text.chars()) {
            permissions.set(resource, Level::from_code(code)?);
        }
        Some(permissions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_map_names_every_resource_and_defaults_missing_ones_to_none() {
        let json = serde_json::to_value(Permissions::read_only()).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected: Vec<&str> = Resource::ALL.iter().map(|r| r.as_str()).collect();
        expected.sort_unstable();
        let mut keys_sorted = keys.clone();
        keys_sorted.sort_unstable();
        assert_eq!(keys_sorted, expected);

        let partial: Permissions =
            serde_json::from_str(r#"{"agents": "write", "knowledge_base": "read"}"#).unwrap();
        assert_eq!(partial.get(Resource::Agents), Level::Write);
        assert_eq!(partial.get(Resource::KnowledgeBase), Level::Read);
        assert_eq!(partial.get(Resource::Tokens), Level::None);
        assert_eq!(partial.granted_count(), 2);
    }

    #[test]
    fn unknown_resources_and_levels_are_refused() {
        assert!(serde_json::from_str::<Permissions>(r#"{"agent": "read"}"#).is_err());
        assert!(serde_json::from_str::<Permissions>(r#"{"agents": "admin"}"#).is_err());
        assert!(serde_json::from_str::<Permissions>(r#"{"agents": null}"#).is_err());
    }

    #[test]
    fn resource_names_round_trip_with_serde() {
        for resource in Resource::ALL {
            let json = serde_json::to_value(resource).unwrap();
            assert_eq!(json, resource.as_str());
        }
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Some(level));
            assert_eq!(serde_json::to_value(level).unwrap(), level.as_str());
        }
    }

    #[test]
    fn the_stored_form_round_trips_and_refuses_garbage() {
        let mut custom = Permissions::read_only();
        custom.set(Resource::Agents, Level::Write);
        custom.set(Resource::Tokens, Level::None);
        assert_eq!(custom.encode(), "wrrrrrrrn");
        for permissions in [Permissions::full(), Permissions::default(), custom] {
            assert_eq!(
                Permissions::decode(&permissions.encode()),
                Some(permissions)
            );
        }
        assert_eq!(Permissions::decode("ww"), {
            let mut two = Permissions::default();
            two.set(Resource::Agents, Level::Write);
            two.set(Resource::Executions, Level::Write);
            Some(two)
        });
        assert_eq!(Permissions::decode("wwwwwwwwwr"), None);
        assert_eq!(Permissions::decode("wx"), None);
    }

    #[test]
    fn summaries_read_at_a_glance() {
        assert_eq!(Permissions::full().summary(), "Full access");
        assert_eq!(Permissions::read_only().summary(), "Read only");
        assert_eq!(Permissions::default().summary(), "No access");
        let mut four = Permissions::default();
        for resource in &Resource::ALL[..4] {
            four.set(*resource, Level::Read);
        }
        assert_eq!(four.summary(), "Custom: 4 resources");
        four = Permissions::default();
        four.set(Resource::Storage, Level::Write);
        assert_eq!(four.summary(), "Custom: 1 resource");
    }

    #[test]
    fn excess_names_the_first_resource_granted_above_the_limit() {
        let limit = Permissions::read_only();
        assert_eq!(Permissions::read_only().first_excess(&limit), None);
        let mut asked = Permissions::default();
        asked.set(Resource::Storage, Level::Write);
        asked.set(Resource::Tokens, Level::Write);
        let excess = asked.first_excess(&limit).unwrap();
        assert_eq!(excess.to_string(), "storage:write");
        assert_eq!(
            Permissions::full().min(&limit),
            Permissions::read_only(),
            "min takes the lower level of each resource"
        );
    }
}
