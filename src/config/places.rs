//! Where a path setting points. `~` is expanded (values from the file, the environment and
//! `--flag=~/x` never went through a shell), and a relative path is taken from where it was
//! given: the current folder for a flag or an environment variable, as a shell user expects;
//! the config file's folder for the file, so a setting there means one place wherever the
//! program is started. Every path is absolute once merged: the files written below it are
//! checked against their folder, which a bare `rel.sqlite3` would not have.

use std::path::{Component, Path, PathBuf};

/// What relative paths are relative to, and what `~` is.
#[derive(Clone, Copy, Debug)]
pub(super) struct Places<'a> {
    pub home: Option<&'a Path>,
    /// The current folder (`None` if it cannot be read: the path is then left as given).
    pub cwd: Option<&'a Path>,
    /// The folder of the config file that was read.
    pub file_dir: Option<&'a Path>,
}

impl Places<'_> {
    /// A path from a flag or the environment.
    pub fn given(&self, path: &Path) -> PathBuf {
        anchored(&expand_tilde(path, self.home), self.cwd)
    }

    /// A path from the config file.
    pub fn in_file(&self, path: &Path) -> PathBuf {
        anchored(&expand_tilde(path, self.home), self.file_dir)
    }

    /// The path a setting names, by precedence: `flag` > `env` > `file`; empty values count as
    /// unset (the caller filters blank environment and file values).
    pub fn chosen(
        &self,
        flag: Option<&Path>,
        env: Option<String>,
        file: Option<String>,
    ) -> Option<PathBuf> {
        flag.filter(|path| !path.as_os_str().is_empty())
            .map(|path| self.given(path))
            .or_else(|| env.map(|value| self.given(Path::new(&value))))
            .or_else(|| file.map(|value| self.in_file(Path::new(&value))))
    }
}

/// `path` below `base` when relative, without `.` components (`./a` and `a` are one file).
/// `..` stays: resolving it would need the links on the way, and nothing here follows links.
fn anchored(path: &Path, base: Option<&Path>) -> PathBuf {
    match base {
        Some(base) if path.is_relative() => {
            let rest: PathBuf = path
                .components()
                .filter(|part| *part != Component::CurDir)
                .collect();
            base.join(rest)
        }
        _ => path.to_path_buf(),
    }
}

/// Expands a leading `~` component (not `~user`) the way a shell would.
pub(super) fn expand_tilde(path: &Path, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) if rest.as_os_str().is_empty() => home.to_path_buf(),
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}
