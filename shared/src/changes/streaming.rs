//! Change detection over two deposit files read line by line, holding neither.
//!
//! Both files have their contacts sorted by handle and their domains by name, so the two are
//! merged in lockstep: [`StreamingDiff::wants`] says which file to read the next line of,
//! so neither runs ahead of the other by more than one object. Each line goes through
//! [`RecordLines`](crate::rfc4180::RecordLines) (a record may span lines inside quotes) and [`DepositReader`] (every rule
//! of the format, so a malformed deposit is refused as [`parse_deposit`] refuses it;
//! both are behind [`DepositLines`]), then to
//! the comparison that [`super::diff_deposits`] uses too.
//!
//! Errors: [`Problems`] with one problem, its field prefixed by `previous.` or `current.`
//! (e.g. `current.line 12`, `previous.domains.registrant`); feeding a side that was not asked
//! for, or a line after the end, is refused the same way. Never panics.
//!
//! [`parse_deposit`]: crate::escrow::parse_deposit

use std::cmp::Ordering;

use super::{ChangeReport, Comparison, DomainSide};
use crate::error::{ErrorCode, Problem, Problems};
use crate::escrow::{DepositItem, DepositLines, DepositReader};

/// One of the two deposits being compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Previous,
    Current,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Previous => "previous",
            Side::Current => "current",
        }
    }
}

/// One deposit being read: its reader and the object read but not yet compared.
#[derive(Debug, Default)]
struct Feed {
    deposit: DepositLines,
    head: Option<DepositItem>,
    /// The input has ended (and the reader has checked it is complete).
    exhausted: bool,
}

impl Feed {
    fn waiting(&self) -> bool {
        self.head.is_none() && !self.exhausted
    }

    /// The head if it is a contact; None once the contacts are over (or at the end).
    fn contact(&self) -> Option<&crate::escrow::EscrowContact> {
        match &self.head {
            Some(DepositItem::Contact(contact)) => Some(contact),
            _ => None,
        }
    }

    fn domain(&self) -> Option<&crate::escrow::EscrowDomain> {
        match &self.head {
            Some(DepositItem::Domain(domain)) => Some(domain),
            _ => None,
        }
    }

    /// Drops a head that comes before the section being merged (header, resellers) or
    /// after the domains (name servers), which the report does not use.
    fn skip_unused(&mut self, stage: Stage) {
        let unused = matches!(
            (&self.head, stage),
            (
                Some(
                    DepositItem::Header(_)
                        | DepositItem::Reseller(_)
                        | DepositItem::Nameserver { .. }
                ),
                _
            ) | (Some(DepositItem::Contact(_)), Stage::Domains | Stage::Rest)
                | (Some(DepositItem::Domain(_)), Stage::Rest)
        );
        if unused {
            self.head = None;
        }
    }
}

/// The section being merged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Contacts,
    Domains,
    /// Past the domains: the rest is read to check it.
    Rest,
}

fn view<'a>((name, owner): &'a (String, String), reader: &DepositReader) -> DomainSide<'a> {
    DomainSide {
        name,
        owner,
        owner_index: reader.contact_index(owner),
    }
}

/// Compares two deposits fed line by line; see the module documentation.
///
/// ```
/// use coopreg_shared::changes::{Side, StreamingDiff};
/// # fn lines(_: Side) -> std::vec::IntoIter<String> { Vec::new().into_iter() }
/// let mut previous = lines(Side::Previous);
/// let mut current = lines(Side::Current);
/// let mut diff = StreamingDiff::new();
/// while let Some(side) = diff.wants() {
///     let source = match side {
///         Side::Previous => &mut previous,
///         Side::Current => &mut current,
///     };
///     let fed = match source.next() {
///         Some(line) => diff.feed_line(side, &line),
///         None => diff.end_of_input(side),
///     };
///     if fed.is_err() {
///         break; // empty inputs are refused as truncated deposits
///     }
/// }
/// ```
#[derive(Debug)]
pub struct StreamingDiff {
    previous: Feed,
    current: Feed,
    stage: Stage,
    comparison: Comparison,
    failed: bool,
}

impl Default for StreamingDiff {
    fn default() -> Self {
        StreamingDiff::new()
    }
}

impl StreamingDiff {
    pub fn new() -> StreamingDiff {
        StreamingDiff {
            previous: Feed::default(),
            current: Feed::default(),
            stage: Stage::Contacts,
            comparison: Comparison::default(),
            failed: false,
        }
    }

    fn feed(&self, side: Side) -> &Feed {
        match side {
            Side::Previous => &self.previous,
            Side::Current => &self.current,
        }
    }

    fn feed_mut(&mut self, side: Side) -> &mut Feed {
        match side {
            Side::Previous => &mut self.previous,
            Side::Current => &mut self.current,
        }
    }

    /// The deposit to read the next line of, or None when both are read (call
    /// [`Self::finish`]) or an error was returned.
    pub fn wants(&self) -> Option<Side> {
        if self.failed {
            None
        } else if self.previous.waiting() {
            Some(Side::Previous)
        } else if self.current.waiting() {
            Some(Side::Current)
        } else {
            None
        }
    }

    fn refuse(&mut self, side: Side, problem: Problem) -> Problems {
        self.failed = true;
        Problems::one(Problem {
            field: format!("{}.{}", side.name(), problem.field),
            ..problem
        })
    }

    fn check_wanted(&mut self, side: Side) -> Result<(), Problems> {
        if self.failed || !self.feed(side).waiting() {
            let message = if self.failed {
                "the comparison already failed".to_string()
            } else {
                format!(
                    "input for the {} deposit was not asked for (see StreamingDiff::wants)",
                    side.name()
                )
            };
            return Err(self.refuse(
                side,
                Problem::new(ErrorCode::MalformedInput, "input", message),
            ));
        }
        Ok(())
    }

    /// The next line of `side`'s deposit, with its line feed (CRLF or LF) unless it is the
    /// last line of the file. `side` must need input: [`Self::wants`] names one that does
    /// (the other may too; feeding a side whose object still waits is refused).
    pub fn feed_line(&mut self, side: Side, line: &str) -> Result<(), Problems> {
        self.check_wanted(side)?;
        let feed = self.feed_mut(side);
        let read = feed.deposit.push_line(line);
        match read {
            Ok(item) => {
                feed.head = item;
                self.merge();
                Ok(())
            }
            Err(problem) => Err(self.refuse(side, problem)),
        }
    }

    /// The end of `side`'s deposit file: the deposit must be complete.
    pub fn end_of_input(&mut self, side: Side) -> Result<(), Problems> {
        self.check_wanted(side)?;
        let feed = self.feed_mut(side);
        let read = feed.deposit.finish();
        match read {
            Ok(item) => {
                feed.head = item;
                feed.exhausted = true;
                self.merge();
                Ok(())
            }
            Err(problem) => Err(self.refuse(side, problem)),
        }
    }

    /// Compares what both heads allow, leaving a head empty for [`Self::wants`].
    fn merge(&mut self) {
        loop {
            self.previous.skip_unused(self.stage);
            self.current.skip_unused(self.stage);
            if self.previous.waiting() || self.current.waiting() {
                return;
            }
            match self.stage {
                Stage::Contacts => self.merge_contacts(),
                Stage::Domains => self.merge_domains(),
                Stage::Rest => return,
            }
        }
    }

    fn merge_contacts(&mut self) {
        let order = match (self.previous.contact(), self.current.contact()) {
            (None, None) => {
                self.stage = Stage::Domains;
                return;
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(before), Some(now)) => {
                let order = before.handle.cmp(&now.handle);
                if order == Ordering::Equal {
                    self.comparison
                        .contact(&now.handle, &before.info, &now.info);
                }
                order
            }
        };
        if order != Ordering::Greater {
            self.previous.head = None;
        }
        if order != Ordering::Less {
            self.current.head = None;
        }
    }

    fn merge_domains(&mut self) {
        let reader = self.previous.deposit.reader();
        let side = |domain: &crate::escrow::EscrowDomain| -> (String, String) {
            (domain.name.ascii.clone(), domain.registrant.clone())
        };
        let before = self.previous.domain().map(side);
        let now = self.current.domain().map(side);
        let order = match (&before, &now) {
            (None, None) => {
                self.stage = Stage::Rest;
                return;
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(b), Some(n)) => b.0.cmp(&n.0),
        };
        let previous_view = before.as_ref().filter(|_| order != Ordering::Greater);
        let current_view = now.as_ref().filter(|_| order != Ordering::Less);
        self.comparison.domain(
            previous_view.map(|pair| view(pair, reader)),
            current_view.map(|pair| view(pair, reader)),
        );
        if order != Ordering::Greater {
            self.previous.head = None;
        }
        if order != Ordering::Less {
            self.current.head = None;
        }
    }

    /// The report, once [`Self::wants`] returns None after both ends were fed.
    pub fn finish(self) -> Result<ChangeReport, Problems> {
        for side in [Side::Previous, Side::Current] {
            if !self.feed(side).exhausted {
                return Err(Problems::one(Problem::new(
                    ErrorCode::MalformedInput,
                    format!("{}.input", side.name()),
                    "the comparison was finished before the end of this deposit",
                )));
            }
        }
        if self.failed {
            return Err(Problems::one(Problem::new(
                ErrorCode::MalformedInput,
                "input",
                "the comparison already failed",
            )));
        }
        Ok(self.comparison.finish())
    }
}

/// Compares two deposits given as lines (each with its line feed, as `str::split_inclusive`
/// gives them); the whole-file convenience over [`StreamingDiff`].
pub fn diff_deposit_lines<'a>(
    previous: impl IntoIterator<Item = &'a str>,
    current: impl IntoIterator<Item = &'a str>,
) -> Result<ChangeReport, Problems> {
    let mut previous = previous.into_iter();
    let mut current = current.into_iter();
    let mut diff = StreamingDiff::new();
    while let Some(side) = diff.wants() {
        let next = match side {
            Side::Previous => previous.next(),
            Side::Current => current.next(),
        };
        match next {
            Some(line) => diff.feed_line(side, line)?,
            None => diff.end_of_input(side)?,
        }
    }
    diff.finish()
}
