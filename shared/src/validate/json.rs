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
            let shown: String = key.chars().take(40).collect();
            problems.push(Problem::new(
                ErrorCode::UnknownField,
                join(path, &shown),
                format!("is not a known field; expected: {}", allowed.join(", ")),
            ));
        }
    }
    Some(map)
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

/// An array field: `None` when absent or null (or of the wrong type, reported).
pub(crate) fn array<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    path: &str,
    problems: &mut Problems,
) -> Option<&'a [Value]> {
    match map.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(items),
        Some(other) => {
            problems.push(Problem::new(
                ErrorCode::WrongType,
                join(path, key),
                format!("must be a list, not {}", type_name(other)),
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
