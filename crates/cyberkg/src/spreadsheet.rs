//! Tables as XLSX workbooks, for people who open results in a spreadsheet:
//! the aligned paragraphs (`cyberkg table`) and the SELECT results of
//! `cyberkg query -r xlsx` and of the server's `/query`.
//!
//! One sheet: a bold header row (frozen, with a filter), then the rows.
//! An IRI is a cell with the IRI as text (no angle brackets); a literal is
//! its lexical form, except that an `xsd:integer`, `xsd:decimal`,
//! `xsd:double` or `xsd:float` a spreadsheet can hold exactly is a number
//! cell, so that it sorts and sums as one; an unbound variable is an empty
//! cell. Control characters XML cannot carry are written as OOXML's
//! `_xHHHH_` escapes (rust_xlsxwriter's doing), which Excel shows as the
//! character; nothing is refused for them, unlike SPARQL XML results.
//!
//! Invariant: the same table gives the same bytes. rust_xlsxwriter stamps
//! the workbook's creation time into `docProps/core.xml`; it is fixed here
//! to [`CREATED`], and the zip entries already carry the zip format's
//! fixed 1980 date.

use oxigraph::model::{Term, Variable};
use oxigraph::sparql::QuerySolution;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};
use std::io::Write;

/// The creation date every workbook states, fixed so that the bytes do not
/// depend on the clock: 1 March 2017, the day the strategy was issued.
pub const CREATED: (u16, u8, u8) = (2017, 3, 1);

/// The media type of an XLSX workbook.
pub const MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The rows a sheet holds below its header (Excel's limit, 2^20 rows in all).
pub const MAX_ROWS: usize = 1_048_575;

/// The columns a sheet holds (Excel's limit, 2^14).
pub const MAX_COLUMNS: usize = 16_384;

/// The characters a cell holds (Excel's limit).
pub const MAX_CELL_CHARS: usize = 32_767;

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing (an unbound variable, a missing version).
    Empty,
    /// Text.
    Text(String),
    /// A number a spreadsheet holds exactly.
    Number(f64),
}

/// Why a table cannot be written as XLSX.
#[derive(Debug, thiserror::Error)]
pub enum SpreadsheetError {
    /// More rows than a sheet holds.
    #[error("{rows} rows do not fit in one XLSX sheet (at most {MAX_ROWS} below the header)")]
    TooManyRows {
        /// The rows of the table.
        rows: usize,
    },
    /// More columns than a sheet holds.
    #[error("{columns} columns do not fit in one XLSX sheet (at most {MAX_COLUMNS})")]
    TooManyColumns {
        /// The columns of the table.
        columns: usize,
    },
    /// A value longer than a cell holds.
    #[error(
        "the value in row {row}, column '{column}' has {chars} characters; an XLSX cell holds at most {MAX_CELL_CHARS}"
    )]
    CellTooLong {
        /// The 1-based row, counting the header as row 1 (as a spreadsheet shows it).
        row: usize,
        /// The column's header.
        column: String,
        /// The value's length in characters.
        chars: usize,
    },
    /// rust_xlsxwriter refused something else.
    #[error("cannot write the XLSX workbook: {0}")]
    Xlsx(#[from] XlsxError),
    /// Writing the bytes failed.
    #[error("cannot write the XLSX workbook: {0}")]
    Io(#[from] std::io::Error),
}

/// One sheet: its name, header, rows, and the width of each column (in
/// characters; `None` leaves the spreadsheet's default).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's tab name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    /// The header row.
    pub header: Vec<String>,
    /// The rows, each as long as the header (shorter rows end in empty cells).
    pub rows: Vec<Vec<Cell>>,
    /// Column widths; wide columns wrap their text.
    pub widths: Vec<Option<f64>>,
}

/// A query variable's binding as a cell: see the module's rules.
pub fn cell_of_term(term: Option<&Term>) -> Cell {
    match term {
        None => Cell::Empty,
        Some(Term::NamedNode(node)) => Cell::Text(node.as_str().to_owned()),
        Some(Term::BlankNode(node)) => Cell::Text(node.to_string()),
        Some(Term::Literal(literal)) => number_of(literal.value(), literal.datatype().as_str())
            .map_or_else(|| Cell::Text(literal.value().to_owned()), Cell::Number),
        // Triple terms (oxigraph's rdf-12 feature, which the shacl crate
        // turns on): their N-Triples form.
        Some(other) => Cell::Text(other.to_string()),
    }
}

/// The number a numeric literal is, when a spreadsheet's double holds it
/// exactly enough: integers up to 2^53, decimals of at most 15 significant
/// digits (what a spreadsheet shows), any finite double or float.
fn number_of(lexical: &str, datatype: &str) -> Option<f64> {
    const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
    let local = datatype.strip_prefix(XSD)?;
    let lexical = lexical.trim();
    let value = match local {
        "integer" => {
            let integer: i64 = lexical.parse().ok()?;
            // 2^53: beyond it a double skips integers.
            if integer.unsigned_abs() > 1 << 53 {
                return None;
            }
            integer as f64
        }
        "decimal" => {
            let digits = lexical.chars().filter(char::is_ascii_digit).count();
            let leading_zeros = lexical
                .trim_start_matches(['-', '+'])
                .chars()
                .take_while(|c| *c == '0' || *c == '.')
                .filter(|c| *c == '0')
                .count();
            if digits.saturating_sub(leading_zeros) > 15 {
                return None;
            }
            lexical.parse().ok()?
        }
        "double" | "float" => lexical.parse().ok()?,
        _ => return None,
    };
    value.is_finite().then_some(value)
}

/// SELECT results as one sheet named "results": the variables' names as
/// the header, one row per solution.
pub fn solutions_sheet(variables: &[Variable], rows: &[QuerySolution]) -> Sheet {
    Sheet {
        name: "results".to_owned(),
        header: variables.iter().map(|v| v.as_str().to_owned()).collect(),
        rows: rows
            .iter()
            .map(|row| variables.iter().map(|v| cell_of_term(row.get(v))).collect())
            .collect(),
        widths: Vec::new(),
    }
}

/// Writes `sheet` as an XLSX workbook to `out`, the same bytes for the same sheet.
pub fn write_xlsx(sheet: &Sheet, out: &mut dyn Write) -> Result<(), SpreadsheetError> {
    check_limits(sheet)?;
    let mut workbook = Workbook::new();
    let (year, month, day) = CREATED;
    workbook.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(year, month, day)?),
    );
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet.name.as_str())?;
    for (column, name) in sheet.header.iter().enumerate() {
        worksheet.write_string_with_format(0, column_number(column), name, &bold)?;
    }
    for (column, width) in sheet.widths.iter().enumerate() {
        if let Some(width) = width {
            worksheet.set_column_width(column_number(column), *width)?;
        }
    }
    for (index, row) in sheet.rows.iter().enumerate() {
        let row_number = u32::try_from(index + 1).map_err(|_| SpreadsheetError::TooManyRows {
            rows: sheet.rows.len(),
        })?;
        for (column, cell) in row.iter().enumerate().take(sheet.header.len()) {
            let wraps = sheet.widths.get(column).copied().flatten().is_some();
            match cell {
                Cell::Empty => {}
                Cell::Text(text) if wraps => {
                    worksheet.write_string_with_format(
                        row_number,
                        column_number(column),
                        text,
                        &wrap,
                    )?;
                }
                Cell::Text(text) => {
                    worksheet.write_string(row_number, column_number(column), text)?;
                }
                Cell::Number(number) => {
                    worksheet.write_number(row_number, column_number(column), *number)?;
                }
            }
        }
    }
    if !sheet.header.is_empty() {
        let last_row = u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX);
        worksheet.set_freeze_panes(1, 0)?;
        worksheet.autofilter(0, 0, last_row, column_number(sheet.header.len() - 1))?;
    }
    out.write_all(&workbook.save_to_buffer()?)?;
    Ok(())
}

/// A column index within [`MAX_COLUMNS`] (checked first) as rust_xlsxwriter's type.
fn column_number(column: usize) -> u16 {
    u16::try_from(column).unwrap_or(u16::MAX)
}

/// Refuses, with the sheet's own words, what rust_xlsxwriter would refuse
/// with a bare "row or column exceeds limit".
fn check_limits(sheet: &Sheet) -> Result<(), SpreadsheetError> {
    if sheet.rows.len() > MAX_ROWS {
        return Err(SpreadsheetError::TooManyRows {
            rows: sheet.rows.len(),
        });
    }
    if sheet.header.len() > MAX_COLUMNS {
        return Err(SpreadsheetError::TooManyColumns {
            columns: sheet.header.len(),
        });
    }
    let too_long = |row: usize, column: usize, text: &str| {
        let chars = text.chars().count();
        (chars > MAX_CELL_CHARS).then(|| SpreadsheetError::CellTooLong {
            row,
            column: sheet.header.get(column).cloned().unwrap_or_default(),
            chars,
        })
    };
    let header = sheet
        .header
        .iter()
        .enumerate()
        .map(|(column, name)| (1, column, name.as_str()));
    let body = sheet.rows.iter().enumerate().flat_map(|(index, row)| {
        row.iter()
            .enumerate()
            .filter_map(move |(column, cell)| match cell {
                Cell::Text(text) => Some((index + 2, column, text.as_str())),
                Cell::Empty | Cell::Number(_) => None,
            })
    });
    for (row, column, text) in header.chain(body) {
        if let Some(error) = too_long(row, column, text) {
            return Err(error);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    #[test]
    fn numeric_literals_become_numbers_only_when_exact() {
        let cases = [
            (Literal::from(42), Cell::Number(42.0)),
            (
                Literal::new_typed_literal(
                    "9007199254740993",
                    NamedNode::new_unchecked("http://www.w3.org/2001/XMLSchema#integer"),
                ),
                Cell::Text("9007199254740993".to_owned()),
            ),
            (
                Literal::new_typed_literal(
                    "2.5",
                    NamedNode::new_unchecked("http://www.w3.org/2001/XMLSchema#decimal"),
                ),
                Cell::Number(2.5),
            ),
            (
                Literal::new_typed_literal(
                    "0.1234567890123456789",
                    NamedNode::new_unchecked("http://www.w3.org/2001/XMLSchema#decimal"),
                ),
                Cell::Text("0.1234567890123456789".to_owned()),
            ),
            (Literal::from(1.5e3_f64), Cell::Number(1500.0)),
            (
                Literal::new_typed_literal(
                    "INF",
                    NamedNode::new_unchecked("http://www.w3.org/2001/XMLSchema#double"),
                ),
                Cell::Text("INF".to_owned()),
            ),
            (
                Literal::new_typed_literal(
                    "2017-03-01",
                    NamedNode::new_unchecked("http://www.w3.org/2001/XMLSchema#date"),
                ),
                Cell::Text("2017-03-01".to_owned()),
            ),
            (
                Literal::new_language_tagged_literal_unchecked("42", "en"),
                Cell::Text("42".to_owned()),
            ),
        ];
        for (literal, expected) in cases {
            assert_eq!(
                cell_of_term(Some(&Term::Literal(literal.clone()))),
                expected,
                "{literal}"
            );
        }
        let iri = Term::NamedNode(NamedNode::new_unchecked("https://w3id.org/cyberkg/x"));
        assert_eq!(
            cell_of_term(Some(&iri)),
            Cell::Text("https://w3id.org/cyberkg/x".to_owned())
        );
        assert_eq!(cell_of_term(None), Cell::Empty);
    }

    fn sheet(rows: Vec<Vec<Cell>>) -> Sheet {
        Sheet {
            name: "t".to_owned(),
            header: vec!["a".to_owned(), "b".to_owned()],
            rows,
            widths: vec![None, Some(40.0)],
        }
    }

    #[test]
    fn the_same_sheet_gives_the_same_bytes() {
        let rows = vec![vec![Cell::Number(1.0), Cell::Text("网络主权".to_owned())]];
        let mut first = Vec::new();
        let mut second = Vec::new();
        let written = write_xlsx(&sheet(rows.clone()), &mut first)
            .and_then(|()| write_xlsx(&sheet(rows), &mut second));
        assert!(written.is_ok(), "{written:?}");
        assert!(first.starts_with(b"PK"));
        assert_eq!(first, second);
    }

    #[test]
    fn a_cell_too_long_is_refused_with_its_place() {
        let rows = vec![vec![
            Cell::Empty,
            Cell::Text("x".repeat(MAX_CELL_CHARS + 1)),
        ]];
        let message = match write_xlsx(&sheet(rows), &mut Vec::new()) {
            Err(error) => error.to_string(),
            Ok(()) => "written".to_owned(),
        };
        assert_eq!(
            message,
            "the value in row 2, column 'b' has 32768 characters; an XLSX cell holds at most 32767"
        );
    }
}
