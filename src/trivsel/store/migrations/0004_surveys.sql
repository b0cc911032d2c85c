-- Survey rounds and anonymous answers.
-- Answers carry round, unit and survey version only: no time, no code, no user, no IP.
-- Participation (a one-time code was used) lives in round_codes as a bare flag, with no
-- time or order, so it cannot be lined up with the answers.
CREATE TABLE survey_rounds (
    round_id       VARCHAR PRIMARY KEY,
    survey_id      VARCHAR NOT NULL,
    survey_version INTEGER NOT NULL,
    label          VARCHAR NOT NULL,
    opens_on       DATE,              -- NULL for a historical round imported from an earlier system
    closes_on      DATE,
    access         VARCHAR NOT NULL CHECK (access IN ('link', 'code', 'historical')),
    is_baseline    BOOLEAN NOT NULL DEFAULT false,
    created_by     VARCHAR NOT NULL,
    UNIQUE (survey_id, label),
    CHECK (access = 'historical' OR (opens_on IS NOT NULL AND closes_on >= opens_on))
);

-- The units a round covers, with the persons employed there when it opened (for response rates).
CREATE TABLE round_units (
    round_id         VARCHAR NOT NULL,
    unit_id          VARCHAR NOT NULL,
    persons_at_start INTEGER NOT NULL,
    PRIMARY KEY (round_id, unit_id)
);

-- One-time codes, stored only as a hash; printed once when generated.
CREATE TABLE round_codes (
    code_hash VARCHAR PRIMARY KEY,
    round_id  VARCHAR NOT NULL,
    unit_id   VARCHAR NOT NULL,
    used      BOOLEAN NOT NULL DEFAULT false
);

-- A code holder's unfinished answers, so they can resume. Deleted on submission.
CREATE TABLE code_drafts (
    code_hash VARCHAR PRIMARY KEY,
    answers   VARCHAR NOT NULL       -- JSON: item id -> answer
);

CREATE TABLE survey_responses (
    response_id    VARCHAR PRIMARY KEY,  -- random, says nothing about order or time
    round_id       VARCHAR NOT NULL,
    unit_id        VARCHAR NOT NULL,
    survey_version INTEGER NOT NULL
);

CREATE TABLE survey_answers (
    response_id VARCHAR NOT NULL,
    item_id     VARCHAR NOT NULL,
    value       INTEGER,              -- likert, WHO-5, 0-10 and number items
    text        VARCHAR,              -- choice values (comma-separated for several) and free text
    PRIMARY KEY (response_id, item_id)
);
