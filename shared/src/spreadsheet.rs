//! A spreadsheet-safe copy of a CSV file (the escrow deposit), for staff who open it in a
//! spreadsheet program.
//!
//! Rules:
//! - the deposit itself stays byte-exact (it is the escrow agent's record); this is a second,
//!   derived download;
//! - every field that begins with `=` `+` `-` `@`, a tab or a carriage return — which a
//!   spreadsheet would run as a formula (`=HYPERLINK(…)`, `+44…`, `@SUM(…)`) — gets a leading
//!   apostrophe `'`, so it shows as text ([`safe_cell`]); other fields are unchanged;
//! - section lines (`#domains …`) and the record structure are kept, written again as
//!   RFC 4180 ([`crate::rfc4180`]).
//!
//! [`SafeCsv`] converts a stream chunk by chunk, holding one record at most. Errors:
//! `malformed_input` with the line, for a file that is not RFC 4180.

use std::borrow::Cow;

use crate::error::Problem;
use crate::rfc4180::{write_record, LineSplitter, RecordLines, Row, CRLF};

/// The characters that make a spreadsheet read a cell as a formula.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a spreadsheet shows it as text: prefixed with `'` when it could start a formula.
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Converts a CSV stream into its spreadsheet-safe form, chunk by chunk.
#[derive(Debug, Default)]
pub struct SafeCsv {
    lines: LineSplitter,
    records: RecordLines,
}

impl SafeCsv {
    pub fn new() -> SafeCsv {
        SafeCsv::default()
    }

    fn write_row(out: &mut String, row: Row) {
        match row {
            Row::Section { name, .. } => {
                out.push('#');
                out.push_str(&name);
                out.push_str(CRLF);
            }
            Row::Fields { fields, .. } => {
                let safe: Vec<Cow<'_, str>> = fields.iter().map(|field| safe_cell(field)).collect();
                let refs: Vec<&str> = safe.iter().map(|field| field.as_ref()).collect();
                write_record(out, &refs);
            }
        }
    }

    /// Feeds a chunk; returns the converted text of the records it completes.
    pub fn push(&mut self, chunk: &[u8]) -> Result<String, Problem> {
        self.lines.push(chunk);
        let mut out = String::new();
        while let Some(line) = self.lines.next_line() {
            if let Some(row) = self.records.push_line(&line?)? {
                Self::write_row(&mut out, row);
            }
        }
        Ok(out)
    }

    /// The end of the stream: the rest.
    pub fn finish(&mut self) -> Result<String, Problem> {
        let mut out = String::new();
        if let Some(line) = self.lines.finish() {
            if let Some(row) = self.records.push_line(&line?)? {
                Self::write_row(&mut out, row);
            }
        }
        if let Some(row) = self.records.finish()? {
            Self::write_row(&mut out, row);
        }
        Ok(out)
    }
}

/// The whole conversion of a text (tests, small files).
pub fn safe_csv(text: &str) -> Result<String, Problem> {
    let mut converter = SafeCsv::new();
    let mut out = converter.push(text.as_bytes())?;
    out.push_str(&converter.finish()?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        for (input, expected) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+44.1612345678", "'+44.1612345678"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Analytical Engines", "Analytical Engines"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(safe_cell(input), expected, "{input:?}");
        }
    }

    #[test]
    fn a_file_keeps_its_sections_and_records() {
        let text = "#contacts handle,org\r\nW-1,\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"\r\nW-2,\"multi\nline\"\r\n#end 2\r\n";
        let safe = safe_csv(text).unwrap();
        assert_eq!(
            safe,
            "#contacts handle,org\r\nW-1,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"\r\nW-2,\"multi\nline\"\r\n#end 2\r\n"
        );
        // Chunked anywhere, the same result.
        for size in [1, 3, 7, 64] {
            let mut converter = SafeCsv::new();
            let mut out = String::new();
            for chunk in text.as_bytes().chunks(size) {
                out.push_str(&converter.push(chunk).unwrap());
            }
            out.push_str(&converter.finish().unwrap());
            assert_eq!(out, safe, "chunks of {size}");
        }
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        assert!(safe_csv("a,\"b\r\n").is_err());
        assert!(safe_csv("a\"b\r\n").is_err());
    }
}
