-- Group supervision (issue 6): requests, planned sessions and an append-only event log.
-- A request is identified, not anonymous: the supervisor has to reply. It is kept apart from
-- the anonymous survey data: no column here refers to a survey round, response or answer,
-- and no view or query joins these tables to survey_responses or survey_answers.
CREATE SEQUENCE supervision_request_no;
CREATE TABLE supervision_requests (
    request_id        VARCHAR PRIMARY KEY,       -- random
    request_no        INTEGER NOT NULL UNIQUE DEFAULT nextval('supervision_request_no'),  -- "nr. 17"
    status_code_hash  VARCHAR NOT NULL UNIQUE,   -- sha256 of the requester's reference code
    unit_id           VARCHAR NOT NULL,          -- from the staff link
    survey_version    INTEGER NOT NULL,          -- version of surveys/supervision_request.yaml
    contact_name      VARCHAR NOT NULL,
    contact           VARCHAR NOT NULL,          -- e-mail address or phone number
    requester_role    VARCHAR NOT NULL,          -- medarbejder or leder
    group_size        INTEGER NOT NULL CHECK (group_size > 0),
    topic             VARCHAR NOT NULL,
    description       VARCHAR NOT NULL,
    urgency           VARCHAR NOT NULL,
    weekdays          VARCHAR NOT NULL DEFAULT '',   -- comma-separated option values
    times             VARCHAR NOT NULL DEFAULT '',
    leader_knows      VARCHAR NOT NULL,
    status            VARCHAR NOT NULL DEFAULT 'new'
                      CHECK (status IN ('new', 'planned', 'in_progress', 'closed', 'declined')),
    created_on        DATE NOT NULL,
    first_response_on DATE,                      -- first answer to the requester (plan, contact, close, decline)
    sessions_planned  INTEGER CHECK (sessions_planned IS NULL OR sessions_planned > 0),
    outcome           VARCHAR,                   -- closed: an outcome category
    outcome_text      VARCHAR,                   -- closed: the supervisor's words (optional)
    decline_reason    VARCHAR,                   -- declined: why
    closed_on         DATE,                      -- closed or declined on; retention counts from here
    version           INTEGER NOT NULL DEFAULT 1,  -- optimistic locking: every update checks and raises it
    CHECK ((status IN ('closed', 'declined')) = (closed_on IS NOT NULL))
);

-- Planned session dates; replaced as a whole when the supervisor plans again.
CREATE TABLE supervision_sessions (
    request_id   VARCHAR NOT NULL,
    session_date DATE NOT NULL
);

-- Who did what and when. Rows are only ever added (and removed with their request by retention).
CREATE SEQUENCE supervision_event_id;
CREATE TABLE supervision_events (
    event_id   BIGINT PRIMARY KEY DEFAULT nextval('supervision_event_id'),
    request_id VARCHAR NOT NULL,
    logged_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor      VARCHAR NOT NULL,               -- username, or 'anmoder' for the requester
    kind       VARCHAR NOT NULL,               -- created, contacted, planned, started, note, closed, declined
    detail     VARCHAR NOT NULL DEFAULT ''     -- free text: the supervisor's note, plan, outcome or reason
);
