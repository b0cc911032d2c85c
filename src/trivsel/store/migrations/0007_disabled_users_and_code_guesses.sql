-- An admin can disable a user: their open sessions end at the next page run, and they cannot log in.
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMP;

-- Wrong one-time survey codes and supervision reference codes, counted per day and kind.
-- A wrong code names no round or request, and nothing about who typed it (no IP, session or code) is kept.
CREATE TABLE wrong_code_counts (
    day   DATE NOT NULL,
    kind  VARCHAR NOT NULL CHECK (kind IN ('survey_code', 'reference_code')),
    wrong INTEGER NOT NULL,
    PRIMARY KEY (day, kind)
);
