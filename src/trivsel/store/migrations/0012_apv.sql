-- The APV (arbejdspladsvurdering, arbejdsmiljøloven § 15 a) per unit and cycle (src/trivsel/apv.py), and the
-- role arbejdsmiljoerepraesentant, scoped to a unit like a leader.

-- users and sso_role_mappings learn the new role. DuckDB cannot change a CHECK constraint, so both tables
-- are rebuilt with their rows.
CREATE TABLE users_0012 (
    username      VARCHAR PRIMARY KEY,
    password_hash VARCHAR,
    role          VARCHAR NOT NULL CHECK (role IN ('admin', 'trivselskonsulent', 'sygefravaersraadgiver',
                  'supervisor', 'leder', 'arbejdsmiljoerepraesentant')),
    unit_id       VARCHAR,        -- the subtree a leder or arbejdsmiljoerepraesentant is scoped to
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TIMESTAMP,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    disabled_at   TIMESTAMP,
    email         VARCHAR,
    CHECK (role NOT IN ('leder', 'arbejdsmiljoerepraesentant') OR unit_id IS NOT NULL)
);
INSERT INTO users_0012
SELECT username, password_hash, role, unit_id, failed_logins, locked_until, created_at, disabled_at, email FROM users;
DROP TABLE users;
ALTER TABLE users_0012 RENAME TO users;

CREATE TABLE sso_role_mappings_0012 (
    email   VARCHAR PRIMARY KEY,  -- stored lower-case
    role    VARCHAR NOT NULL CHECK (role IN ('admin', 'trivselskonsulent', 'sygefravaersraadgiver',
            'supervisor', 'leder', 'arbejdsmiljoerepraesentant')),
    unit_id VARCHAR,
    CHECK (role NOT IN ('leder', 'arbejdsmiljoerepraesentant') OR unit_id IS NOT NULL)
);
INSERT INTO sso_role_mappings_0012 SELECT email, role, unit_id FROM sso_role_mappings;
DROP TABLE sso_role_mappings;
ALTER TABLE sso_role_mappings_0012 RENAME TO sso_role_mappings;

-- One APV per unit and cycle. Its mapping is a round of the APV survey that asked the unit (the figures
-- come from that round's protected summary, never stored here). Approved once both a leader and an
-- arbejdsmiljørepræsentant have approved it (apv_approvals); revise_by is then set, at most 3 years on.
CREATE TABLE apvs (
    apv_id             VARCHAR PRIMARY KEY,
    unit_id            VARCHAR NOT NULL,
    round_id           VARCHAR NOT NULL,
    absence_assessment VARCHAR NOT NULL DEFAULT '',  -- the written assessment of the sickness absence
    approved_on        DATE,
    revise_by          DATE,
    created_by         VARCHAR NOT NULL,
    created_on         DATE NOT NULL,
    UNIQUE (unit_id, round_id)
);

-- The problem list: areas the mapping suggested (measure = the area's id) and the unit's own (measure NULL,
-- e.g. from a walk-round), each with a priority (1 highest).
CREATE TABLE apv_problems (
    problem_id  VARCHAR PRIMARY KEY,
    apv_id      VARCHAR NOT NULL,
    title       VARCHAR NOT NULL,
    measure     VARCHAR,
    priority    INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),
    description VARCHAR NOT NULL DEFAULT '',
    written_by  VARCHAR NOT NULL,
    written_on  DATE NOT NULL
);

-- Who approved an APV and when: one row per person.
CREATE TABLE apv_approvals (
    apv_id      VARCHAR NOT NULL,
    username    VARCHAR NOT NULL,
    role        VARCHAR NOT NULL,
    approved_on DATE NOT NULL,
    PRIMARY KEY (apv_id, username)
);

-- The action plan is the round's action notes for the unit (action_notes): an APV action names the problem it
-- answers and when it is followed up.
ALTER TABLE action_notes ADD COLUMN problem_id VARCHAR;
ALTER TABLE action_notes ADD COLUMN follow_up_on DATE;

-- The annual arbejdsmiljødrøftelse per unit: date and a short note.
CREATE TABLE apv_discussions (
    discussion_id VARCHAR PRIMARY KEY,
    unit_id       VARCHAR NOT NULL,
    held_on       DATE NOT NULL,
    note          VARCHAR NOT NULL,
    written_by    VARCHAR NOT NULL
);
