//! `cyberkg validate`: check the store against SHACL shapes and list every
//! violation readably (focus node, path, message, shape); exit 1 if any.

use super::failure::{CommandResult, Failure};
use super::output::write_output;
use super::stores::reading_store;
use crate::cli::ValidateArgs;
use anyhow::Context as _;
use cyberkg::validate::{BUILTIN_SHAPES, SHAPES_NAME, validate};

/// Runs `cyberkg validate`.
pub fn run(args: ValidateArgs) -> CommandResult {
    let (shapes, name) = match &args.shapes {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the shapes file {}", path.display()))?;
            (text, path.display().to_string())
        }
        None => (BUILTIN_SHAPES.to_owned(), SHAPES_NAME.to_owned()),
    };
    let store = reading_store(args.store.location.as_deref(), &args.corpus)?;
    let report = validate(&store, &shapes, &name).map_err(|e| Failure::Runtime(e.into()))?;
    write_output(None, |out| {
        Ok(std::io::Write::write_all(
            out,
            report.to_string().as_bytes(),
        )?)
    })?;
    if report.conforms {
        Ok(())
    } else {
        Err(Failure::Runtime(anyhow::anyhow!(
            "the graph does not conform to {name}: {} violations (listed on stdout)",
            report.violations.len()
        )))
    }
}
