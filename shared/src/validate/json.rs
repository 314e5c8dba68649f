//! Reading JSON values field by field, so that every problem is reported at once (serde
//! would stop at the first). Errors: `wrong_type`, `unknown_field`.

use crate::error::{ErrorCode, Problem, Problems};
use serde_json::{Map, Value};

/// `a.b` (or `b` at the top).
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `a[3]`.
pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// The value as an object whose keys are all in `allowed`; unknown keys are reported.
pub(crate) fn object<'a>(
    value: &'a Value,
    path: &str,
    allowed: &[&str],
    problems: &mut Problems,
) -> Option<&'a Map<String, Value>> {
    let Some(map) = value.as_object() else {
        problems.push(Problem::new(
            ErrorCode::WrongType,
            path,
            format!("must be a JSON object, not {}", type_name(value)),
        ));
        return None;
    };
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            problems.push(unknown_field(path, key, allowed));
        }
    }
    Some(map)
}

/// The problem for a key that is not in `allowed`.
pub(crate) fn unknown_field(path: &str, key: &str, allowed: &[&str]) -> Problem {
    let shown: String = key.chars().take(40).collect();
    Problem::new(
        ErrorCode::UnknownField,
        join(path, &shown),
        format!("is not a known field; expected: {}", allowed.join(", ")),
    )
}

/// A value that must be a string: `None` when null (or of the wrong type, reported on the
/// field `field()` builds).
pub(crate) fn string_value<'a>(
    value: &'a Value,
    field: impl FnOnce() -> String,
    problems: &mut Problems,
) -> Option<&'a str> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => {
            problems.push(Problem::new(
                ErrorCode::WrongType,
                field(),
                format!("must be a string, not {}", type_name(other)),
            ));
            None
        }
    }
}

/// A string field: `None` when absent or null; `Some("")` for an empty string.
pub(crate) fn string<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    path: &str,
    problems: &mut Problems,
) -> Option<&'a str> {
    match map.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            problems.push(Problem::new(
                ErrorCode::WrongType,
                join(path, key),
                format!("must be a string, not {}", type_name(other)),
            ));
            None
        }
    }
}

pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
