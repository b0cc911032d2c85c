-- Local logins that survive a reload and a new tab. The browser keeps a random token in a cookie;
-- the database keeps only its SHA-256 hash. A row ends at logout, when an admin changes the user
-- or ends their sessions, and after TRIVSEL_IDLE_MINUTES without activity (expires_at).
CREATE TABLE login_sessions (
    token_hash   VARCHAR PRIMARY KEY,
    username     VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
