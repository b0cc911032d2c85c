-- Agreed follow-up on a round's results, per unit (what, who, by when, status), as MED
-- committees keep it. Written by the trivselskonsulent or the unit's leader.
CREATE TABLE action_notes (
    note_id    VARCHAR PRIMARY KEY,
    round_id   VARCHAR NOT NULL,
    unit_id    VARCHAR NOT NULL,
    what       VARCHAR NOT NULL,
    owner      VARCHAR NOT NULL,
    due_on     DATE,
    status     VARCHAR NOT NULL CHECK (status IN ('ikke_startet', 'i_gang', 'faerdig')),
    written_by VARCHAR NOT NULL,
    updated_on DATE NOT NULL
);
