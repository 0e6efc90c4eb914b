//! `cyberkg table`: the aligned paragraphs side by side, as CSV or XLSX
//! (the rows and both writers are the library's `cyberkg::table`).

use super::failure::{CommandResult, Failure};
use super::output::{refuse_binary_on_terminal, write_output};
use super::stores::reading_store;
use crate::cli::{TableArgs, TableFormat};
use cyberkg::table::AlignedTable;

/// Runs `cyberkg table`.
pub fn run(args: TableArgs) -> CommandResult {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => {
            match path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .as_deref()
            {
                Some("xlsx") => TableFormat::Xlsx,
                Some("csv") | None => TableFormat::Csv,
                Some(_) => {
                    return Err(Failure::Usage(format!(
                        "cannot tell the table format of '{}' from its extension; add --format csv or --format xlsx",
                        path.display()
                    )));
                }
            }
        }
        (None, None) => TableFormat::Csv,
    };
    if format == TableFormat::Xlsx {
        refuse_binary_on_terminal(args.output.as_deref(), "XLSX")?;
    }
    let store = reading_store(args.store.location.as_deref(), &args.corpus)?;
    let table = if args.sentences {
        AlignedTable::load_sentences(&store)
    } else {
        AlignedTable::load(&store)
    }
    .map_err(|e| Failure::Runtime(e.into()))?;
    tracing::info!(
        "{} aligned {}",
        table.rows.len(),
        if args.sentences {
            "groups of sentences"
        } else {
            "paragraphs"
        }
    );
    write_output(args.output.as_deref(), |out| {
        match format {
            TableFormat::Csv => table.write_csv(out)?,
            TableFormat::Xlsx => table.write_xlsx(out)?,
        }
        Ok(())
    })
}
