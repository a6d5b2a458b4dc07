-- PostgreSQL's full-text index over knowledge-base chunks: a stored tsvector (English
-- stemming; title weighted A, heading B, body C) under a GIN index, ranked with ts_rank_cd.
ALTER TABLE kb_chunks ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', heading), 'B') ||
    setweight(to_tsvector('english', body), 'C')
) STORED;
CREATE INDEX kb_chunks_search ON kb_chunks USING GIN (search);
