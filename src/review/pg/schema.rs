//! The team store's schema, in a PostgreSQL schema of its own ([`SCHEMA`]), one migration per
//! version, each recorded in `truora_review.migrations`. A store set up by a newer truora-tui (a
//! higher version there) is refused before anything is changed, as an SQLite store is.
//!
//! The tables mirror the SQLite store's (`review/schema.rs`): the event log with the same columns
//! and ids, the leases, and the access log's anchors. What SQLite leaves to the program, the
//! server enforces here:
//! - **who decided is the database's word**: `events.reviewer` defaults to `session_user`, and a
//!   trigger refuses a row naming anyone else (only the store's owner, who pushes other
//!   reviewers' local events in, may);
//! - **events are never rewritten**: reviewers are granted INSERT alone, and a trigger refuses
//!   UPDATE and DELETE to everyone, the owner included;
//! - **a lease is its holder's**: row-level security lets a reviewer insert, renew and release
//!   only leases naming themselves, and see everyone's.

/// The PostgreSQL schema holding every table of the team store.
pub const SCHEMA: &str = "truora_review";
/// The group role whose members decide.
pub const REVIEWER: &str = "truora_reviewer";
/// The group role whose members read (`reviews export | list | stats`).
pub const AUDITOR: &str = "truora_auditor";

/// `MIGRATIONS[n]` takes the store from version `n` to `n + 1`. Never edit one that has shipped:
/// add the next.
pub const MIGRATIONS: &[&str] = &[
    // v1: events (as SQLite's v1), leases (as SQLite's v3, keyed by session so every browser
    // holding a process shows), the access log's anchors (as SQLite's v4).
    r"
    CREATE TABLE truora_review.events (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text NOT NULL UNIQUE,
        process_id text NOT NULL,
        kind text NOT NULL,
        verdict text,
        reason text,
        note text,
        reviewer text NOT NULL DEFAULT session_user,
        at_ms bigint NOT NULL,
        truora_status text,
        supersedes text,
        resolves text
    );
    CREATE INDEX events_by_process ON truora_review.events (process_id, id);

    CREATE FUNCTION truora_review.is_owner() RETURNS boolean
        LANGUAGE sql STABLE AS $$
        SELECT session_user::text = (SELECT nspowner::regrole::text FROM pg_namespace
                                     WHERE nspname = 'truora_review')
            OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
    $$;

    CREATE FUNCTION truora_review.reviewer_is_session_user() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.reviewer IS DISTINCT FROM session_user::text
               AND NOT truora_review.is_owner() THEN
                RAISE EXCEPTION 'role % may not record an event as %', session_user, NEW.reviewer
                    USING ERRCODE = 'insufficient_privilege',
                          HINT = 'the reviewer of an event is the role that records it: '
                                 'leave reviewer out, or connect as that reviewer';
            END IF;
            RETURN NEW;
        END $$;
    CREATE TRIGGER events_reviewer_is_session_user BEFORE INSERT ON truora_review.events
        FOR EACH ROW EXECUTE FUNCTION truora_review.reviewer_is_session_user();

    CREATE FUNCTION truora_review.append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '%.% is append-only: its rows are never changed or removed',
                TG_TABLE_SCHEMA, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'a decision is withdrawn or replaced by recording a new event';
        END $$;
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON truora_review.events
        FOR EACH ROW EXECUTE FUNCTION truora_review.append_only();
    CREATE TRIGGER events_never_truncated BEFORE TRUNCATE ON truora_review.events
        FOR EACH STATEMENT EXECUTE FUNCTION truora_review.append_only();

    CREATE TABLE truora_review.leases (
        process_id text NOT NULL,
        reviewer text NOT NULL DEFAULT session_user,
        session text NOT NULL,
        expires_ms bigint NOT NULL,
        PRIMARY KEY (process_id, session)
    );
    ALTER TABLE truora_review.leases ENABLE ROW LEVEL SECURITY;
    CREATE POLICY leases_seen_by_all ON truora_review.leases FOR SELECT USING (true);
    CREATE POLICY leases_taken_for_oneself ON truora_review.leases FOR INSERT
        WITH CHECK (reviewer = session_user::text);
    CREATE POLICY leases_renewed_by_holder ON truora_review.leases FOR UPDATE
        USING (reviewer = session_user::text) WITH CHECK (reviewer = session_user::text);
    CREATE POLICY leases_released_by_holder ON truora_review.leases FOR DELETE
        USING (reviewer = session_user::text);

    CREATE TABLE truora_review.audit_logs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        dir text NOT NULL,
        first_hash bytea NOT NULL,
        at_ms bigint NOT NULL,
        UNIQUE (dir, first_hash)
    );
    CREATE INDEX audit_logs_by_first_hash ON truora_review.audit_logs (first_hash);
    CREATE TABLE truora_review.audit_heads (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        log bigint NOT NULL REFERENCES truora_review.audit_logs (id),
        first_seq bigint NOT NULL,
        seq bigint NOT NULL,
        hash bytea NOT NULL,
        session text NOT NULL,
        at_ms bigint NOT NULL
    );
    CREATE INDEX audit_heads_by_log ON truora_review.audit_heads (log, id);
    CREATE TABLE truora_review.audit_heads_written (
        head bigint PRIMARY KEY REFERENCES truora_review.audit_heads (id),
        at_ms bigint NOT NULL
    );
    CREATE TRIGGER audit_logs_append_only BEFORE UPDATE OR DELETE ON truora_review.audit_logs
        FOR EACH ROW EXECUTE FUNCTION truora_review.append_only();
    CREATE TRIGGER audit_heads_append_only BEFORE UPDATE OR DELETE ON truora_review.audit_heads
        FOR EACH ROW EXECUTE FUNCTION truora_review.append_only();
    CREATE TRIGGER audit_heads_written_append_only
        BEFORE UPDATE OR DELETE ON truora_review.audit_heads_written
        FOR EACH ROW EXECUTE FUNCTION truora_review.append_only();
    ",
];

/// The version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// What each group role may do, table by table: setup grants exactly this and takes back
/// anything more (`UPDATE` or `DELETE` on events granted by hand, say).
pub const PRIVILEGES: &[(&str, &str, &[&str])] = &[
    (REVIEWER, "events", &["SELECT", "INSERT"]),
    (
        REVIEWER,
        "leases",
        &["SELECT", "INSERT", "UPDATE", "DELETE"],
    ),
    (REVIEWER, "audit_logs", &["SELECT", "INSERT"]),
    (REVIEWER, "audit_heads", &["SELECT", "INSERT"]),
    (REVIEWER, "audit_heads_written", &["SELECT", "INSERT"]),
    (REVIEWER, "migrations", &["SELECT"]),
    (AUDITOR, "events", &["SELECT"]),
    (AUDITOR, "leases", &["SELECT"]),
    (AUDITOR, "audit_logs", &["SELECT"]),
    (AUDITOR, "audit_heads", &["SELECT"]),
    (AUDITOR, "audit_heads_written", &["SELECT"]),
    (AUDITOR, "migrations", &["SELECT"]),
];

/// Every table privilege PostgreSQL has: what is not in [`PRIVILEGES`] is taken back.
pub const ALL_TABLE_PRIVILEGES: &[&str] = &[
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "REFERENCES",
    "TRIGGER",
];
