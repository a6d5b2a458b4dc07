-- Claiming a job takes the first queued one in (run_after, created_at) order. With that whole
-- order in the index, a claim reads one index entry instead of sorting every queued job, so
-- its cost no longer grows with the backlog. The index also serves the lease sweep's
-- `state = 'running'` rows.
DROP INDEX jobs_claimable;
CREATE INDEX jobs_claim_order ON jobs (state, run_after, created_at);
