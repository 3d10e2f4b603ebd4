//! `truora-tui reviews setup`: an administrator makes a database into a team store, and running
//! it again changes nothing. It says what it did: each role, schema step and privilege it
//! created, granted or took back, or that there was nothing to do.
//!
//! Order matters for "refused untouched": the schema's version is read before anything is
//! created, so a store set up by a newer truora-tui is left exactly as it was (roles included).

use postgres::Client;

use super::PgError;
use super::schema::{
    ALL_TABLE_PRIVILEGES, AUDITOR, CURRENT_VERSION, MIGRATIONS, PRIVILEGES, REVIEWER, SCHEMA,
};

/// What one run of setup did, one line per change; empty when there was nothing to do.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<String>,
    /// The schema version the store is at afterwards.
    pub version: i64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.changes.is_empty() {
            return writeln!(
                f,
                "the team store is set up (schema {SCHEMA} version {}): nothing to do",
                self.version
            );
        }
        for line in &self.changes {
            writeln!(f, "{line}")?;
        }
        writeln!(
            f,
            "the team store is set up (schema {SCHEMA} version {}). Make a person a reviewer with \
             GRANT {REVIEWER} TO name; an auditor with GRANT {AUDITOR} TO name;",
            self.version
        )
    }
}

/// The version of the store's schema: `None` when there is no store (no schema or no migrations
/// table), never changing anything.
pub fn version(client: &mut Client, at: &str) -> Result<Option<i64>, PgError> {
    let row = client
        .query_one(
            // The catalog, not `to_regclass`: anyone may read it, with or without the schema's
            // USAGE.
            "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE n.nspname = 'truora_review' AND c.relname = 'migrations')",
            &[],
        )
        .map_err(|e| PgError::refused(at, &e))?;
    if !row.get::<_, bool>(0) {
        return Ok(None);
    }
    let row = client
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM truora_review.migrations",
            &[],
        )
        .map_err(|e| PgError::refused(at, &e))?;
    Ok(Some(row.get(0)))
}

/// Sets the store up, or brings it up to date; see the module's notes.
pub fn setup(client: &mut Client, at: &str) -> Result<Report, PgError> {
    let err = |e: postgres::Error| PgError::refused(at, &e);
    if let Some(found) = version(client, at)?
        && found > CURRENT_VERSION
    {
        return Err(PgError::Newer {
            at: at.to_owned(),
            found,
            supported: CURRENT_VERSION,
        });
    }
    let mut report = Report::default();
    for role in [REVIEWER, AUDITOR] {
        let exists: bool = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
                &[&role],
            )
            .map_err(err)?
            .get(0);
        if !exists {
            client
                .batch_execute(&format!("CREATE ROLE {role} NOLOGIN"))
                .map_err(err)?;
            report.changes.push(format!("created group role {role}"));
        }
    }
    report.version = migrate(client, at, &mut report.changes)?;
    grant(client, at, &mut report.changes)?;
    Ok(report)
}

/// Creates the schema and applies the migrations it lacks, in one transaction; two setups at
/// once migrate once (the second waits on the migrations table's lock, then finds it done).
fn migrate(client: &mut Client, at: &str, changes: &mut Vec<String>) -> Result<i64, PgError> {
    let err = |e: postgres::Error| PgError::refused(at, &e);
    let mut tx = client.transaction().map_err(err)?;
    let had_schema: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
            &[&SCHEMA],
        )
        .map_err(err)?
        .get(0);
    if !had_schema {
        tx.batch_execute(&format!("CREATE SCHEMA {SCHEMA}"))
            .map_err(err)?;
        changes.push(format!("created schema {SCHEMA}"));
    }
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS truora_review.migrations (
             version bigint PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now(),
             applied_by text NOT NULL DEFAULT session_user
         );
         LOCK TABLE truora_review.migrations IN EXCLUSIVE MODE;",
    )
    .map_err(err)?;
    let from: i64 = tx
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM truora_review.migrations",
            &[],
        )
        .map_err(err)?
        .get(0);
    if from > CURRENT_VERSION {
        // A newer setup got in between the first look and the lock.
        return Err(PgError::Newer {
            at: at.to_owned(),
            found: from,
            supported: CURRENT_VERSION,
        });
    }
    for (done, step) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(from).unwrap_or(usize::MAX))
    {
        let version = i64::try_from(done + 1).unwrap_or(i64::MAX);
        tx.batch_execute(step).map_err(err)?;
        tx.execute(
            "INSERT INTO truora_review.migrations (version) VALUES ($1)",
            &[&version],
        )
        .map_err(err)?;
        changes.push(format!("applied schema migration {version}"));
    }
    tx.commit().map_err(err)?;
    Ok(CURRENT_VERSION.max(from))
}

/// Grants each group role what [`PRIVILEGES`] lists and takes back anything more.
fn grant(client: &mut Client, at: &str, changes: &mut Vec<String>) -> Result<(), PgError> {
    let err = |e: postgres::Error| PgError::refused(at, &e);
    for role in [REVIEWER, AUDITOR] {
        let has: bool = client
            .query_one(
                "SELECT has_schema_privilege($1, $2, 'USAGE')",
                &[&role, &SCHEMA],
            )
            .map_err(err)?
            .get(0);
        if !has {
            client
                .batch_execute(&format!("GRANT USAGE ON SCHEMA {SCHEMA} TO {role}"))
                .map_err(err)?;
            changes.push(format!("granted {role} USAGE on schema {SCHEMA}"));
        }
    }
    for (role, table, wanted) in PRIVILEGES {
        let qualified = format!("{SCHEMA}.{table}");
        for privilege in ALL_TABLE_PRIVILEGES {
            let has: bool = client
                .query_one(
                    "SELECT has_table_privilege($1, $2, $3)",
                    &[role, &qualified, privilege],
                )
                .map_err(err)?
                .get(0);
            let want = wanted.contains(privilege);
            if want && !has {
                client
                    .batch_execute(&format!("GRANT {privilege} ON {qualified} TO {role}"))
                    .map_err(err)?;
                changes.push(format!("granted {role} {privilege} on {qualified}"));
            } else if !want && has {
                client
                    .batch_execute(&format!("REVOKE {privilege} ON {qualified} FROM {role}"))
                    .map_err(err)?;
                changes.push(format!("took back {privilege} on {qualified} from {role}"));
            }
        }
    }
    Ok(())
}

/// What a login may do with the team store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// A member of `truora_reviewer`: decides (and reads).
    Reviewer,
    /// A member of `truora_auditor` only: reads, exports.
    Auditor,
}

/// Checks that the store is set up, at a version this build knows, and that the connected role
/// is a reviewer or an auditor; says what to ask for when it is neither. Changes nothing.
pub fn access(client: &mut Client, at: &str) -> Result<Access, PgError> {
    let err = |e: postgres::Error| PgError::refused(at, &e);
    // Membership first: a login in neither role may not even look inside the schema, and must
    // be told what to ask for, not "permission denied".
    let roles_exist: bool = client
        .query_one(
            "SELECT count(*) = 2 FROM pg_roles WHERE rolname IN ('truora_reviewer', 'truora_auditor')",
            &[],
        )
        .map_err(err)?
        .get(0);
    if !roles_exist {
        return Err(PgError::NotSetUp { at: at.to_owned() });
    }
    let row = client
        .query_one(
            "SELECT session_user::text,
                    pg_has_role(session_user, 'truora_reviewer', 'USAGE'),
                    pg_has_role(session_user, 'truora_auditor', 'USAGE')",
            &[],
        )
        .map_err(err)?;
    let access = match (row.get::<_, bool>(1), row.get::<_, bool>(2)) {
        (true, _) => Access::Reviewer,
        (false, true) => Access::Auditor,
        (false, false) => {
            return Err(PgError::NoRole {
                at: at.to_owned(),
                user: crate::sanitize::terminal_text(&row.get::<_, String>(0)).into_owned(),
            });
        }
    };
    match version(client, at)? {
        None => Err(PgError::NotSetUp { at: at.to_owned() }),
        Some(found) if found > CURRENT_VERSION => Err(PgError::Newer {
            at: at.to_owned(),
            found,
            supported: CURRENT_VERSION,
        }),
        Some(_) => Ok(access),
    }
}
