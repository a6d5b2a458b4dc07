-- What each token may do per resource (SPEC §4.2), capped at run time by its scope's ceiling.
-- One letter per resource in the order of app::access::Resource::ALL (agents, executions,
-- triggers, webhooks, integrations, knowledge_base, storage, assistant, tokens): n = none,
-- r = read, w = write. NULL (tokens created before permissions existed) means full access.
ALTER TABLE tokens ADD COLUMN permissions TEXT;
