//! `cyberkg completions` and `cyberkg man`: shell completions and manual
//! pages generated from the clap definitions, so they never drift from `--help`.

use super::failure::{CommandResult, Failure};
use super::output::write_output;
use crate::cli::{Cli, CompletionsArgs, ManArgs};
use anyhow::Context as _;
use clap::CommandFactory;

/// Runs `cyberkg completions SHELL`.
pub fn completions(args: CompletionsArgs) -> CommandResult {
    let mut command = Cli::command();
    // clap_complete panics when its writer fails (a closed pipe): it
    // writes into memory, and the script is then written like any output.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "cyberkg", &mut script);
    write_output(None, |out| Ok(out.write_all(&script)?))
}

/// Renders one manual page.
fn render(command: clap::Command) -> Result<Vec<u8>, Failure> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .context("cannot render the manual page")?;
    Ok(page)
}

/// Runs `cyberkg man`.
pub fn man(args: ManArgs) -> CommandResult {
    let command = Cli::command();
    let Some(directory) = args.directory else {
        let page = render(command)?;
        return write_output(None, |out| Ok(out.write_all(&page)?));
    };
    if !directory.is_dir() {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "cannot write manual pages into {}: it is not a directory",
            directory.display()
        )));
    }
    let mut pages = vec![("cyberkg.1".to_owned(), render(command.clone())?)];
    for sub in command.get_subcommands() {
        let name = format!("cyberkg-{}", sub.get_name());
        pages.push((
            format!("{name}.1"),
            render(sub.clone().name(name).version(env!("CARGO_PKG_VERSION")))?,
        ));
    }
    for (file, page) in pages {
        write_output(Some(&directory.join(file)), |out| Ok(out.write_all(&page)?))?;
    }
    Ok(())
}
