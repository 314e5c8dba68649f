//! A small RFC 4180 CSV writer and reader for the escrow deposit.
//!
//! Written by hand rather than with the `csv` crate because the deposit is one text file of
//! `#`-headed sections (see [`crate::escrow`]): the reader must tell a section line (a `#` at
//! the start of a record, outside quotes) from data, and the `csv` crate's reader drops that
//! distinction (a quoted `"#x"` and a bare `#x` read back the same). The writer appends to a
//! `String` chunk, which is what the streaming escrow writer hands to the worker, with no
//! `std::io` in between. The whole format is ~100 lines, so this is the smaller dependency.
//!
//! Rules (RFC 4180 §2, strict): records end with CRLF (the reader also accepts a bare LF);
//! a field is quoted when it contains `,` `"` CR or LF, starts with `#`, or is the only field
//! of a record and empty; inside quotes `"` is doubled. The reader refuses a quote inside an
//! unquoted field, text after a closing quote, a bare CR, an unterminated quote and blank
//! lines, each with its line number. Nothing here panics on any input.

use crate::error::{ErrorCode, Problem};

/// The record terminator written.
pub const CRLF: &str = "\r\n";

/// Appends one record (fields and CRLF) to `out`.
pub fn write_record(out: &mut String, fields: &[&str]) {
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        let needs_quotes = field.contains([',', '"', '\r', '\n'])
            || field.starts_with('#')
            || (field.is_empty() && fields.len() == 1);
        if needs_quotes {
            out.push('"');
            for character in field.chars() {
                if character == '"' {
                    out.push('"');
                }
                out.push(character);
            }
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str(CRLF);
}

/// One record of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Row {
    /// A line that starts with an unquoted `#`: the text after the `#`.
    Section { line: usize, name: String },
    /// A data record.
    Fields { line: usize, fields: Vec<String> },
}

/// Reads records one by one from a text.
pub struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    position: usize,
    /// 1-based line number of `position`.
    line: usize,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader::starting_at(text, 1)
    }

    /// A reader of a piece of a longer input whose first line is line `line` of the whole.
    pub fn starting_at(text: &'a str, line: usize) -> Reader<'a> {
        Reader {
            bytes: text.as_bytes(),
            text,
            position: 0,
            line,
        }
    }

    /// The line the next record starts on.
    pub fn line(&self) -> usize {
        self.line
    }

    fn malformed(line: usize, message: impl Into<String>) -> Problem {
        Problem::new(ErrorCode::MalformedInput, format!("line {line}"), message)
    }

    /// Consumes a record terminator at `position`; true at a terminator or at the end.
    fn take_terminator(&mut self) -> Result<bool, Problem> {
        match self.bytes.get(self.position) {
            None => Ok(true),
            Some(b'\n') => {
                self.position += 1;
                self.line += 1;
                Ok(true)
            }
            Some(b'\r') => {
                if self.bytes.get(self.position + 1) == Some(&b'\n') {
                    self.position += 2;
                    self.line += 1;
                    Ok(true)
                } else {
                    Err(Self::malformed(
                        self.line,
                        "a carriage return outside quotes must be followed by a line feed",
                    ))
                }
            }
            Some(_) => Ok(false),
        }
    }

    /// Slices the text between two byte offsets that sit on ASCII delimiters.
    fn slice(&self, start: usize, end: usize) -> Result<&'a str, Problem> {
        self.text
            .get(start..end)
            .ok_or_else(|| Self::malformed(self.line, "a field is not valid UTF-8 text"))
    }

    fn quoted_field(&mut self) -> Result<String, Problem> {
        let opened_on = self.line;
        self.position += 1; // the opening quote
        let mut value = String::new();
        let mut start = self.position;
        loop {
            match self.bytes.get(self.position) {
                None => {
                    return Err(Self::malformed(
                        opened_on,
                        "a quoted field is not closed before the end of the input",
                    ))
                }
                Some(b'"') => {
                    value.push_str(self.slice(start, self.position)?);
                    if self.bytes.get(self.position + 1) == Some(&b'"') {
                        value.push('"');
                        self.position += 2;
                        start = self.position;
                    } else {
                        self.position += 1;
                        return Ok(value);
                    }
                }
                Some(b'\n') => {
                    self.line += 1;
                    self.position += 1;
                }
                Some(_) => self.position += 1,
            }
        }
    }

    fn plain_field(&mut self) -> Result<String, Problem> {
        let start = self.position;
        while let Some(&byte) = self.bytes.get(self.position) {
            match byte {
                b',' | b'\n' | b'\r' => break,
                b'"' => return Err(Self::malformed(
                    self.line,
                    "a quote inside an unquoted field; quote the whole field and double the quote",
                )),
                _ => self.position += 1,
            }
        }
        Ok(self.slice(start, self.position)?.to_string())
    }

    fn record(&mut self) -> Result<Row, Problem> {
        let line = self.line;
        if self.bytes.get(self.position) == Some(&b'#') {
            let start = self.position + 1;
            let mut end = start;
            while let Some(&byte) = self.bytes.get(end) {
                if byte == b'\n' || byte == b'\r' {
                    break;
                }
                end += 1;
            }
            let name = self.slice(start, end)?.to_string();
            self.position = end;
            if !self.take_terminator()? {
                return Err(Self::malformed(
                    line,
                    "a section line must end with a newline",
                ));
            }
            return Ok(Row::Section { line, name });
        }
        if matches!(self.bytes.get(self.position), Some(b'\n' | b'\r')) {
            return Err(Self::malformed(
                line,
                "an empty line; every record has fields",
            ));
        }
        let mut fields = Vec::new();
        loop {
            let field = if self.bytes.get(self.position) == Some(&b'"') {
                self.quoted_field()?
            } else {
                self.plain_field()?
            };
            fields.push(field);
            if self.bytes.get(self.position) == Some(&b',') {
                self.position += 1;
                continue;
            }
            if self.take_terminator()? {
                return Ok(Row::Fields { line, fields });
            }
            return Err(Self::malformed(
                self.line,
                "text after a closing quote; a quoted field must be followed by a comma or the end of the record",
            ));
        }
    }
}

impl Iterator for Reader<'_> {
    type Item = Result<Row, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.position >= self.bytes.len() {
            return None;
        }
        let row = self.record();
        if row.is_err() {
            // Stop after the first error: the rest cannot be framed reliably.
            self.position = self.bytes.len();
        }
        Some(row)
    }
}

/// The longest record [`RecordLines`] buffers; the longest real row is well under 4 KiB, so a
/// longer one is a malformed input (an unclosed quote) and is refused instead of buffered.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

/// Assembles records from lines fed one at a time, for reading a file as a stream: a quoted
/// field may hold line breaks, so a record may span several lines. Holds one record at most.
#[derive(Debug, Default)]
pub struct RecordLines {
    /// The lines of the record being assembled.
    pending: String,
    /// Whether `pending` ends inside a quoted field (an odd number of quotes so far).
    in_quotes: bool,
    /// Lines consumed before `pending` starts.
    lines_before: usize,
}

impl RecordLines {
    pub fn new() -> RecordLines {
        RecordLines::default()
    }

    fn malformed(line: usize, message: impl Into<String>) -> Problem {
        Problem::new(ErrorCode::MalformedInput, format!("line {line}"), message)
    }

    /// Reads the buffered record, which must be exactly one record.
    fn take(&mut self) -> Result<Option<Row>, Problem> {
        let text = std::mem::take(&mut self.pending);
        let first_line = self.lines_before + 1;
        self.lines_before += text.matches('\n').count();
        self.in_quotes = false;
        let mut reader = Reader::starting_at(&text, first_line);
        let row = reader.next().transpose()?;
        if reader.next().is_some() {
            return Err(Self::malformed(
                first_line,
                "more than one record in one line; feed lines one at a time",
            ));
        }
        Ok(row)
    }

    /// Adds one line, ending with its `\n` (CRLF or LF) unless it is the last of the input.
    /// Returns the record it completes, if any.
    pub fn push_line(&mut self, line: &str) -> Result<Option<Row>, Problem> {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if body.contains('\n') {
            return Err(Self::malformed(
                self.lines_before + 1,
                "a line holds a line feed before its end; feed lines one at a time",
            ));
        }
        let section_line = self.pending.is_empty() && line.starts_with('#');
        self.pending.push_str(line);
        if !section_line {
            let quotes = line.bytes().filter(|&byte| byte == b'"').count();
            self.in_quotes ^= quotes % 2 == 1;
        }
        let complete = line.ends_with('\n') && (section_line || !self.in_quotes);
        if complete {
            return self.take();
        }
        if self.pending.len() > MAX_RECORD_BYTES {
            // Most likely an unbalanced quote: the reader names it; else the length is the fault.
            let first_line = self.lines_before + 1;
            self.take()?;
            return Err(Self::malformed(
                first_line,
                format!("a record longer than {MAX_RECORD_BYTES} bytes"),
            ));
        }
        Ok(None)
    }

    /// The end of the input: the last record, which may lack its terminator.
    pub fn finish(&mut self) -> Result<Option<Row>, Problem> {
        if self.pending.is_empty() {
            return Ok(None);
        }
        self.take()
    }

    /// Lines consumed so far (for messages at the end of the input).
    pub fn lines(&self) -> usize {
        self.lines_before
    }
}

/// Splits a byte stream that arrives in chunks into lines (each with its `\n`), carrying a
/// partial line over to the next chunk; for reading a stored object without holding it.
#[derive(Debug, Default)]
pub struct LineSplitter {
    buffer: Vec<u8>,
    /// Bytes of `buffer` already handed out as lines.
    consumed: usize,
}

impl LineSplitter {
    pub fn new() -> LineSplitter {
        LineSplitter::default()
    }

    /// Appends a chunk of the stream.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.consumed > 0 {
            self.buffer.drain(..self.consumed);
            self.consumed = 0;
        }
        self.buffer.extend_from_slice(chunk);
    }

    fn text(line: &[u8]) -> Result<String, Problem> {
        String::from_utf8(line.to_vec()).map_err(|_| {
            Problem::new(
                ErrorCode::MalformedInput,
                "text",
                "the input is not valid UTF-8 text",
            )
        })
    }

    /// The next complete line, if the chunks so far hold one.
    pub fn next_line(&mut self) -> Option<Result<String, Problem>> {
        let rest = self.buffer.get(self.consumed..)?;
        let end = rest.iter().position(|&byte| byte == b'\n')? + 1;
        let line = rest.get(..end)?;
        let text = Self::text(line);
        self.consumed += end;
        Some(text)
    }

    /// At the end of the stream: the last line if it has no `\n`.
    pub fn finish(&mut self) -> Option<Result<String, Problem>> {
        let rest = self.buffer.get(self.consumed..)?;
        if rest.is_empty() {
            return None;
        }
        let text = Self::text(rest);
        self.consumed = self.buffer.len();
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Result<Vec<Row>, Problem> {
        Reader::new(text).collect()
    }

    #[test]
    fn awkward_values_round_trip() {
        let values: [&[&str]; 7] = [
            &["plain", "with, comma", "with \"quotes\""],
            &["line\nbreak", "crlf\r\ninside", "trailing\r"],
            &["#not a section", "", "Ünïcödé – кооператив"],
            &[""],
            &["", ""],
            &["\"", ",", "\"\""],
            &[" spaced ", "tab\there", "end"],
        ];
        let mut text = String::new();
        for record in values {
            write_record(&mut text, record);
        }
        let read = rows(&text).unwrap();
        let fields: Vec<Vec<String>> = read
            .into_iter()
            .map(|row| match row {
                Row::Fields { fields, .. } => fields,
                Row::Section { name, .. } => panic!("unexpected section {name}"),
            })
            .collect();
        let expected: Vec<Vec<String>> = values
            .iter()
            .map(|record| record.iter().map(|s| s.to_string()).collect())
            .collect();
        assert_eq!(fields, expected);
    }

    #[test]
    fn sections_and_line_numbers() {
        let text = "#one\r\na,\"multi\nline\"\r\n#two\nb,c\n";
        assert_eq!(
            rows(text).unwrap(),
            vec![
                Row::Section {
                    line: 1,
                    name: "one".into()
                },
                Row::Fields {
                    line: 2,
                    fields: vec!["a".into(), "multi\nline".into()]
                },
                Row::Section {
                    line: 4,
                    name: "two".into()
                },
                Row::Fields {
                    line: 5,
                    fields: vec!["b".into(), "c".into()]
                },
            ]
        );
    }

    #[test]
    fn malformed_inputs_are_refused_with_their_line() {
        let cases = [
            (
                "a,b\r\nc\"d,e\r\n",
                "line 2",
                "quote inside an unquoted field",
            ),
            ("a,\"open\r\nstill open", "line 1", "not closed"),
            ("\"x\"y,z\r\n", "line 1", "text after a closing quote"),
            ("a\rb\r\n", "line 1", "carriage return"),
            ("a\r\n\r\nb\r\n", "line 2", "empty line"),
            ("a\r\n#section\r", "line 2", "carriage return"),
        ];
        for (text, field, needle) in cases {
            let problem = rows(text).unwrap_err();
            assert_eq!(problem.code, ErrorCode::MalformedInput, "{text:?}");
            assert_eq!(problem.field, field, "{text:?}");
            assert!(
                problem.message.contains(needle),
                "{text:?}: {}",
                problem.message
            );
        }
    }

    #[test]
    fn last_record_may_lack_a_terminator() {
        assert_eq!(
            rows("a,b").unwrap(),
            vec![Row::Fields {
                line: 1,
                fields: vec!["a".into(), "b".into()]
            }]
        );
    }

    fn pushed(lines: &[&str]) -> Vec<Result<Option<Row>, Problem>> {
        let mut record_lines = RecordLines::new();
        let mut results: Vec<_> = lines
            .iter()
            .map(|line| record_lines.push_line(line))
            .collect();
        results.push(record_lines.finish());
        results
    }

    #[test]
    fn record_lines_join_quoted_line_breaks_and_keep_line_numbers() {
        let results = pushed(&[
            "#one\r\n",
            "a,\"multi\r\n",
            "line\"\r\n",
            "#two\"x\n",
            "b,c",
        ]);
        assert_eq!(
            results,
            vec![
                Ok(Some(Row::Section {
                    line: 1,
                    name: "one".into()
                })),
                Ok(None),
                Ok(Some(Row::Fields {
                    line: 2,
                    fields: vec!["a".into(), "multi\r\nline".into()]
                })),
                Ok(Some(Row::Section {
                    line: 4,
                    name: "two\"x".into()
                })),
                Ok(None),
                Ok(Some(Row::Fields {
                    line: 5,
                    fields: vec!["b".into(), "c".into()]
                })),
            ]
        );
    }

    #[test]
    fn record_lines_refuse_what_the_reader_refuses_and_runaway_quotes() {
        let quote_inside = pushed(&["a,b\r\n", "c\"d,e\r\n", "f\"\r\n"]);
        let problem = quote_inside[2].clone().unwrap_err();
        assert_eq!(problem.field, "line 2");
        assert!(problem.message.contains("quote inside an unquoted field"));

        let unclosed = pushed(&["a,\"open\r\n", "still open"]);
        let problem = unclosed[2].clone().unwrap_err();
        assert!(problem.message.contains("not closed"), "{problem:?}");

        // An unclosed quote is not buffered beyond MAX_RECORD_BYTES.
        let mut record_lines = RecordLines::new();
        record_lines.push_line("a,\"open\r\n").unwrap();
        let long = "x".repeat(1024) + "\n";
        let refused = (0..MAX_RECORD_BYTES / 1024 + 2)
            .map(|_| record_lines.push_line(&long))
            .find_map(Result::err)
            .expect("refused before the end");
        assert_eq!(refused.field, "line 1");

        let two = RecordLines::new().push_line("a\nb\n").unwrap_err();
        assert!(two.message.contains("one at a time"), "{two:?}");
    }
}
