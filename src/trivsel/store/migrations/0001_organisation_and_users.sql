-- Organisation: a unit tree (Velfærdsområdet -> area -> agreement unit -> department),
-- pseudonymous employees and their employments.
CREATE TABLE units (
    unit_id   VARCHAR PRIMARY KEY,
    unit_name VARCHAR NOT NULL,
    parent_id VARCHAR,            -- NULL only for the root
    area      VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE employees (
    employee_id VARCHAR PRIMARY KEY
);

CREATE TABLE employments (
    employee_id VARCHAR NOT NULL,
    unit_id     VARCHAR NOT NULL,
    start_date  DATE NOT NULL,
    end_date    DATE,             -- NULL while the employment is ongoing
    fte         DOUBLE NOT NULL CHECK (fte > 0 AND fte <= 1),
    job_group   VARCHAR NOT NULL,
    PRIMARY KEY (employee_id, unit_id, start_date),
    CHECK (end_date IS NULL OR end_date >= start_date)
);

-- Sickness absence spells as payroll exports them. No diagnosis is ever stored.
CREATE TABLE absence_spells (
    employee_id  VARCHAR NOT NULL,
    start_date   DATE NOT NULL,
    end_date     DATE,            -- NULL while the spell is ongoing
    absence_type VARCHAR NOT NULL CHECK (absence_type IN ('sygdom', 'arbejdsskade', 'barns_sygdom')),
    degree       DOUBLE NOT NULL DEFAULT 1 CHECK (degree > 0 AND degree <= 1),
    PRIMARY KEY (employee_id, start_date),
    CHECK (end_date IS NULL OR end_date >= start_date)
);

-- Per-unit access links for staff forms: the token in the query string is the only key.
CREATE TABLE unit_access_links (
    token      VARCHAR PRIMARY KEY,
    unit_id    VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    revoked_at TIMESTAMP
);

-- Users of the platform. SSO users have no password hash.
CREATE TABLE users (
    username      VARCHAR PRIMARY KEY,
    password_hash VARCHAR,
    role          VARCHAR NOT NULL CHECK (role IN
                  ('admin', 'trivselskonsulent', 'sygefravaersraadgiver', 'supervisor', 'leder')),
    unit_id       VARCHAR,        -- the subtree a leder is scoped to
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TIMESTAMP,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    CHECK (role <> 'leder' OR unit_id IS NOT NULL)
);

-- Single sign-on: the admin maps an e-mail address to a role.
CREATE TABLE sso_role_mappings (
    email   VARCHAR PRIMARY KEY,  -- stored lower-case
    role    VARCHAR NOT NULL CHECK (role IN
            ('admin', 'trivselskonsulent', 'sygefravaersraadgiver', 'supervisor', 'leder')),
    unit_id VARCHAR,
    CHECK (role <> 'leder' OR unit_id IS NOT NULL)
);

-- Who did what and when: role changes, imports, exports.
CREATE SEQUENCE audit_log_id;
CREATE TABLE audit_log (
    id        BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id'),
    logged_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor     VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,
    details   VARCHAR NOT NULL DEFAULT ''
);
