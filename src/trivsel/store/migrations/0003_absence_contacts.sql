-- 1-5-14 follow-up: the leader or adviser records that a milestone conversation was held.
-- Only the date and who recorded it; never what was said and never a diagnosis.
CREATE TABLE absence_contacts (
    employee_id  VARCHAR NOT NULL,
    spell_start  DATE NOT NULL,
    milestone    INTEGER NOT NULL,      -- the day of the spell the conversation belongs to
    contact_date DATE NOT NULL,
    recorded_by  VARCHAR NOT NULL,
    recorded_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (employee_id, spell_start, milestone)
);
