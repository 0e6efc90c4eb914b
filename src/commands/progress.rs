//! Progress on stderr for work that takes more than a moment: only when
//! stderr is a terminal and `-q` was not given, so pipes, files and tests
//! see nothing. A bar or spinner clears itself when dropped, so an early
//! return with an error leaves no stale line above the message.

use indicatif::{ProgressBar, ProgressFinish, ProgressStyle};
use std::time::Duration;

/// Whether progress is shown at all.
fn shown(quiet: bool) -> bool {
    !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr())
}

/// A spinner with a message, for work whose size is unknown.
pub fn spinner(quiet: bool, message: &str) -> Option<ProgressBar> {
    if !shown(quiet) {
        return None;
    }
    let spinner = ProgressBar::new_spinner().with_finish(ProgressFinish::AndClear);
    spinner.set_message(message.to_owned());
    spinner.enable_steady_tick(Duration::from_millis(100));
    Some(spinner)
}

/// A bar over `total` units (`triples`, `files`…), with a message that can change.
pub fn bar(quiet: bool, total: u64, unit: &str) -> Option<ProgressBar> {
    if !shown(quiet) {
        return None;
    }
    // The message last, cut to the terminal's width, so the line never wraps.
    let template = format!("[{{bar:30}}] {{human_pos}}/{{human_len}} {unit} {{wide_msg}}");
    let style = ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let bar = ProgressBar::new(total)
        .with_style(style)
        .with_finish(ProgressFinish::AndClear);
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(bar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_shown_off_a_terminal_or_when_quiet() {
        // Test harnesses capture stderr, so it is not a terminal here.
        assert!(spinner(false, "working").is_none());
        assert!(bar(false, 10, "triples").is_none());
        assert!(spinner(true, "working").is_none());
    }

    #[test]
    fn the_bar_template_is_valid() {
        let template = "[{bar:30}] {human_pos}/{human_len} triples {wide_msg}";
        assert!(ProgressStyle::with_template(template).is_ok());
    }
}
