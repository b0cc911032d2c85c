-- A round can be closed before its close date; its results are released from then on, and
-- no answer is accepted after it. (Results of a round are never shown while it is open.)
ALTER TABLE survey_rounds ADD COLUMN closed_early BOOLEAN DEFAULT false;

-- Bumped by every answer to a unit: two answers sent at once then conflict (a write that changes
-- nothing does not), the later is retried, and the cap of one answer per employee holds.
ALTER TABLE round_units ADD COLUMN answer_lock BIGINT DEFAULT 0;
