//! Reading a setting's raw value: what counts as not set.

use super::Env;

/// An environment variable, with empty (or all-blank) values counting as unset.
pub(super) fn env_var(env: &dyn Env, name: &str) -> Option<String> {
    env.var(name).filter(|value| !value.trim().is_empty())
}

/// A trimmed string, `None` when blank: `api_key = ""` in a template means "not set".
pub(super) fn non_empty(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
}
