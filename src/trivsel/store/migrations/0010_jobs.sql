-- The app's own jobs (nightly retention and backup, the payroll inbox): one row per run, shown under
-- Indstillinger. A run is 'running' until it ends as 'ok' or 'failed'; a run still 'running' when the
-- app starts again was cut off (the process died) and becomes 'interrupted'. Times are the app's local time.
CREATE SEQUENCE job_run_id;
CREATE TABLE job_runs (
    run_id BIGINT PRIMARY KEY DEFAULT nextval('job_run_id'),
    job VARCHAR NOT NULL CHECK (job IN ('retention', 'backup', 'inbox')),
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
    result VARCHAR NOT NULL DEFAULT ''
);
