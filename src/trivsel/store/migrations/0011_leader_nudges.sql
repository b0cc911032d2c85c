-- Nudges to leaders by e-mail while a round is open (src/trivsel/nudges.py).

-- A local user's e-mail address, set by the admin under Brugere og adgang; optional. Leaders get their
-- nudges there (an SSO leader's address is the e-mail of their row in sso_role_mappings).
ALTER TABLE users ADD COLUMN email VARCHAR;

-- One row per nudge sent: written before the message goes out and removed again only when the mail
-- server refuses it, so a restart or a second run never sends the same nudge twice. `leader` is the local
-- username, or the e-mail of an SSO leader; `address` where the message went. No figures are kept.
CREATE TABLE nudges_sent (
    round_id VARCHAR NOT NULL,
    leader   VARCHAR NOT NULL,
    kind     VARCHAR NOT NULL CHECK (kind IN ('start', 'midway', 'before_close')),
    address  VARCHAR NOT NULL,
    sent_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (round_id, leader, kind)
);

-- job_runs learns the job 'nudges'. DuckDB cannot change a CHECK constraint, so the table is rebuilt
-- with its rows and its sequence.
CREATE TABLE job_runs_0011 (
    run_id BIGINT PRIMARY KEY DEFAULT nextval('job_run_id'),
    job VARCHAR NOT NULL CHECK (job IN ('retention', 'backup', 'inbox', 'nudges')),
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
    result VARCHAR NOT NULL DEFAULT ''
);
INSERT INTO job_runs_0011 SELECT run_id, job, started_at, finished_at, status, result FROM job_runs;
DROP TABLE job_runs;
ALTER TABLE job_runs_0011 RENAME TO job_runs;
