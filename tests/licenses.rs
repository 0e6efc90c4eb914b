//! cyberkg is MIT OR Apache-2.0; no dependency may change that. Every crate
//! in Cargo.lock must offer a permissive licence, with two named exceptions.

use std::collections::BTreeSet;

/// Licences that never constrain how cyberkg itself is licensed.
const PERMISSIVE: &[&str] = &[
    "MIT",
    "Apache-2.0",
    "Apache-2.0 WITH LLVM-exception",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Zlib",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "Unlicense",
    "BSL-1.0",
    "CC0-1.0",
    "0BSD",
    "CDLA-Permissive-2.0",
];

/// Crates with another licence, each reviewed: (crate, licence, why it is acceptable).
const REVIEWED: &[(&str, &str, &str)] = &[
    (
        "mownstr",
        "CECILL-B",
        "a BSD-style permissive licence (sophia's own alternative licence); attribution only",
    ),
    (
        "resiter",
        "MPL-2.0",
        "file-level copyleft: only changes to resiter's own files would have to be shared; linking does not affect cyberkg's licence",
    ),
    (
        "colored",
        "MPL-2.0",
        "file-level copyleft (through the shacl crate): only changes to its own files would have to be shared",
    ),
    (
        "option-ext",
        "MPL-2.0",
        "file-level copyleft (through the shacl crate's dependencies): only changes to its own files would have to be shared",
    ),
];

/// Splits `expression` at `operator` where it is outside parentheses.
fn split_top_level<'a>(expression: &'a str, operator: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0_i32, 0);
    let bytes = expression.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            _ if depth == 0 && expression[index..].starts_with(operator) => {
                parts.push(&expression[start..index]);
                index += operator.len();
                start = index;
                continue;
            }
            _ => {}
        }
        index += 1;
    }
    parts.push(&expression[start..]);
    parts
}

/// Whether an SPDX expression (with the old `/` for OR) can be satisfied with permissive licences only.
fn allows_permissive(expression: &str) -> bool {
    let expression = expression.replace('/', " OR ");
    let expression = expression.trim();
    if let Some(inner) = expression
        .strip_prefix('(')
        .and_then(|e| e.strip_suffix(')'))
        && split_top_level(expression, " OR ").len() == 1
        && split_top_level(expression, " AND ").len() == 1
    {
        return allows_permissive(inner);
    }
    let alternatives = split_top_level(expression, " OR ");
    if alternatives.len() > 1 {
        return alternatives.iter().any(|a| allows_permissive(a));
    }
    let conjuncts = split_top_level(expression, " AND ");
    if conjuncts.len() > 1 {
        return conjuncts.iter().all(|c| allows_permissive(c));
    }
    PERMISSIVE.contains(&expression)
}

#[test]
fn every_dependency_has_a_permissive_licence() {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--manifest-path",
        ])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let mut offenders = BTreeSet::new();
    let packages = metadata["packages"].as_array().expect("packages");
    assert!(packages.len() > 100, "the whole dependency tree is listed");
    for package in packages {
        let name = package["name"].as_str().unwrap_or_default();
        let license = package["license"].as_str().unwrap_or("(none)");
        if name == "cyberkg" || name.starts_with("cyberkg-") {
            assert_eq!(license, "MIT OR Apache-2.0");
            continue;
        }
        let reviewed = REVIEWED.iter().any(|(crate_name, reviewed_license, _)| {
            *crate_name == name && *reviewed_license == license
        });
        if !allows_permissive(license) && !reviewed {
            offenders.insert(format!(
                "{name} {}: {license}",
                package["version"].as_str().unwrap_or_default()
            ));
        }
    }
    assert!(
        offenders.is_empty(),
        "dependencies whose licence needs a review (add to REVIEWED with a reason, or drop them):\n{offenders:#?}"
    );
}

#[test]
fn licence_expressions() {
    let table = [
        ("MIT OR Apache-2.0", true),
        ("MIT/Apache-2.0", true),
        ("Apache-2.0 / CECILL-B", true),
        ("(MIT OR Apache-2.0) AND Unicode-3.0", true),
        ("MIT OR Apache-2.0 OR LGPL-2.1-or-later", true),
        ("GPL-2.0-or-later", false),
        ("MPL-2.0", false),
        ("LGPL-3.0 AND MIT", false),
        ("(MIT OR GPL-3.0) AND LGPL-3.0", false),
        ("(GPL-3.0 OR MIT) AND (ISC OR LGPL-3.0)", true),
    ];
    for (expression, expected) in table {
        assert_eq!(allows_permissive(expression), expected, "{expression}");
    }
}
