-- Settings an admin may change in the app: disclosure thresholds and retention periods.
-- Absent keys mean the documented default (see src/trivsel/settings.py).
CREATE TABLE settings (
    key        VARCHAR PRIMARY KEY,
    value      INTEGER NOT NULL,
    changed_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    changed_by VARCHAR NOT NULL
);
