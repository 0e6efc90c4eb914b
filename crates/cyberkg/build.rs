//! Build script: embeds the named queries of `queries/*.rq` into the binary,
//! so `cyberkg query --name NAME` works from any directory.

use std::error::Error;
use std::fmt::Write;
use std::path::Path;

fn main() -> Result<(), Box<dyn Error>> {
    // The named queries live at the root of the repository, beside data/
    // and ontology/, two levels above this crate.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR")?;
    let directory = Path::new(&manifest_dir).join("../../queries");
    println!("cargo:rerun-if-changed={}", directory.display());
    let mut queries = Vec::new();
    let entries = match std::fs::read_dir(&directory) {
        Ok(entries) => entries,
        Err(error) => {
            println!(
                "cargo:warning=no named queries: cannot read {}: {error}",
                directory.display()
            );
            return write_list(&[]);
        }
    };
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rq") {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .ok_or("query file name is not UTF-8")?
                .to_owned();
            println!("cargo:rerun-if-changed={}", path.display());
            queries.push((name, path));
        }
    }
    queries.sort();
    write_list(&queries)
}

/// Writes `NAMED_QUERIES` to `$OUT_DIR/named_queries.rs`.
fn write_list(queries: &[(String, std::path::PathBuf)]) -> Result<(), Box<dyn Error>> {
    let mut code = String::from(
        "/// The named queries of `queries/`, sorted by name: (name, text).\npub const NAMED_QUERIES: &[(&str, &str)] = &[\n",
    );
    for (name, path) in queries {
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )?;
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR")?).join("named_queries.rs");
    std::fs::write(out, code)?;
    Ok(())
}
