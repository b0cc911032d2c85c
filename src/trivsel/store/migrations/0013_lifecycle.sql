-- Lifecycle surveys: a survey handed over at a moment in a working life (3 months after a start,
-- before leaving, at the end of a placement, a new leader's onboarding and mentor programme).
-- The events come from employments, placements and mentor programmes; the codes and answers live in
-- ordinary code rounds, one per survey and half-year (a pool), with the area as the round's unit.
-- Nothing stored links an event to its code: see docs/anonymity.md, "Livsforløb".

-- Students and trainees on placement (praktik), from the placements import. person_id is pseudonymous.
CREATE TABLE placements (
    person_id  VARCHAR NOT NULL,
    unit_id    VARCHAR NOT NULL,
    education  VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    end_date   DATE NOT NULL,
    PRIMARY KEY (person_id, start_date),
    CHECK (end_date >= start_date)
);

-- A new leader's mentor programme, recorded by the konsulent: the unit led and the start.
CREATE TABLE mentor_programmes (
    unit_id    VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    PRIMARY KEY (unit_id, start_date)
);

-- The konsulent's schedule per survey: due from anchor + offset_days, for window_days.
CREATE TABLE lifecycle_schedule (
    survey_id   VARCHAR PRIMARY KEY,
    offset_days INTEGER NOT NULL,
    window_days INTEGER NOT NULL CHECK (window_days >= 1)
);

-- Per event only that its letter was made: no code, no time, no pool.
CREATE TABLE lifecycle_letters (
    survey_id   VARCHAR NOT NULL,
    subject_id  VARCHAR NOT NULL,  -- employee, student or (mentor programme) unit
    anchor_date DATE NOT NULL,     -- the start or end the event is about
    PRIMARY KEY (survey_id, subject_id, anchor_date)
);

-- The survey rounds that pool a survey's lifecycle answers for a half-year (hidden from Målinger).
CREATE TABLE lifecycle_pools (
    round_id     VARCHAR PRIMARY KEY,
    survey_id    VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    UNIQUE (survey_id, period_start)
);
