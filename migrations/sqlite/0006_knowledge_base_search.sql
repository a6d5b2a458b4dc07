-- SQLite's full-text index over knowledge-base chunks: FTS5 with the Porter stemmer over
-- unicode61 (diacritics folded), kept in step with kb_chunks by triggers. External content:
-- the text lives once, in kb_chunks; the index refers to its rowid.
CREATE VIRTUAL TABLE kb_chunks_fts USING fts5(
    title, heading, body,
    content = 'kb_chunks',
    content_rowid = 'rowid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER kb_chunks_fts_insert AFTER INSERT ON kb_chunks BEGIN
    INSERT INTO kb_chunks_fts (rowid, title, heading, body)
    VALUES (new.rowid, new.title, new.heading, new.body);
END;

CREATE TRIGGER kb_chunks_fts_delete AFTER DELETE ON kb_chunks BEGIN
    INSERT INTO kb_chunks_fts (kb_chunks_fts, rowid, title, heading, body)
    VALUES ('delete', old.rowid, old.title, old.heading, old.body);
END;
