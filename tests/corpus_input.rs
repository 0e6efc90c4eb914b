//! A corpus of one's own through the real binary: `--corpus` directories,
//! globs and manifests, ids from paths, pages recognised by their title
//! line, `--entities` tables, and every way such input can be wrong, each
//! with its one-line message and position. The files are written here,
//! from the built-in texts with words changed, so each test shows exactly
//! what it feeds in.

mod common;
use common::{built_in_pages, cyberkg, fails, select_corpus as select, write as put};

const UN: &str = include_str!("../data/corpus/strategy-un-english.txt");
const PARALLEL: &str = include_str!("../data/corpus/strategy-parallel-zh-en.txt");

/// The UN text with one word changed, so that each copy has bytes of its own.
fn un_variant(word: &str) -> String {
    let varied = UN.replacen("Preface", &format!("Preface {word}"), 1);
    assert_ne!(varied, UN);
    varied
}

const DOCUMENTS: &str = "SELECT ?id ?source WHERE { ?d a <https://w3id.org/cyberkg/vocab#Edition> ; <http://purl.org/dc/terms/identifier> ?id ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?s . ?s <http://purl.org/dc/terms/identifier> ?source }";

#[test]
fn a_directory_is_read_recursively_with_ids_from_relative_paths() {
    let directory = tempfile::tempdir().expect("temp dir");
    let root = directory.path();
    // The same file name in two folders: two documents, not a clash.
    put(root, "un/2017/strategy.txt", un_variant("one"));
    put(root, "un/2018/strategy.txt", un_variant("two"));
    put(root, "Other Folder/My Copy.txt", un_variant("three"));
    // Hidden folders and other extensions are not sources.
    put(root, ".git/strategy.txt", un_variant("hidden"));
    put(root, "notes.pdf", "not a source");
    let root_arg = root.to_str().expect("UTF-8 path");
    assert_eq!(
        select(&["--corpus", root_arg], DOCUMENTS),
        [
            "id,source",
            "other-folder/my-copy/en-un,other-folder/my-copy",
            "un/2017/strategy/en-un,un/2017/strategy",
            "un/2018/strategy/en-un,un/2018/strategy",
        ]
    );
}

#[test]
fn a_glob_names_files_relative_to_its_fixed_folders() {
    let directory = tempfile::tempdir().expect("temp dir");
    let root = directory.path();
    put(root, "a/x.txt", un_variant("one"));
    put(root, "b/y.txt", un_variant("two"));
    put(root, "b/z.text", un_variant("three"));
    let pattern = format!("{}/*/*.txt", root.display());
    assert_eq!(
        select(&["--corpus", &pattern], DOCUMENTS),
        ["id,source", "a/x/en-un,a/x", "b/y/en-un,b/y"]
    );
    let nothing = format!("{}/*.md", root.display());
    fails(
        &["build", "--corpus", &nothing],
        1,
        &format!("{nothing} matches no file"),
    );
    let broken = format!("{}/[a.txt", root.display());
    fails(
        &["build", "--corpus", &broken],
        1,
        &format!(
            "the pattern {broken} is malformed at column {}: invalid range pattern",
            broken.chars().count() - 5
        ),
    );
}

#[test]
fn a_manifest_gives_ids_metadata_and_translations() {
    let directory = tempfile::tempdir().expect("temp dir");
    let root = directory.path();
    put(root, "texts/un.txt", un_variant("one"));
    put(root, "texts/unlisted.txt", un_variant("two"));
    put(
        root,
        "corpus.toml",
        "[[document]]\nid = \"un/cd-1\"\nfile = \"texts/un.txt\"\ntitle = \"A retitled edition\"\ndate = 2017-03-07\npublisher = \"United Nations\"\ncountry = \"China\"\n",
    );
    let root_arg = root.to_str().expect("UTF-8 path");
    // Only what the manifest lists is read.
    assert_eq!(
        select(&["--corpus", root_arg], DOCUMENTS),
        ["id,source", "un/cd-1/en-un,un/cd-1"]
    );
    let metadata = "SELECT ?title ?issued ?publisher WHERE { <https://w3id.org/cyberkg/un/cd-1/en-un> <http://purl.org/dc/terms/title> ?title ; <http://purl.org/dc/terms/issued> ?issued ; <http://purl.org/dc/terms/publisher> ?publisher }";
    assert_eq!(
        select(&["--corpus", root_arg], metadata),
        [
            "title,issued,publisher",
            "A retitled edition,2017-03-07,United Nations"
        ]
    );
    // The manifest file itself may be named.
    let manifest = root.join("corpus.toml");
    assert_eq!(
        select(&["--corpus", manifest.to_str().expect("UTF-8")], DOCUMENTS).len(),
        2
    );
}

#[test]
fn a_bad_manifest_is_refused_at_its_position() {
    let directory = tempfile::tempdir().expect("temp dir");
    let root = directory.path();
    put(root, "a.txt", un_variant("one"));
    let manifest = root.join("corpus.toml");
    let name = manifest.display().to_string();
    let root_arg = root.to_str().expect("UTF-8 path");
    let cases = [
        (
            "[[document]]\nfile = \"a.txt\"\n\n[[document]]\nfile = \"missing.txt\"\n",
            format!(
                "{name}:5:8: lists the file {}, which does not exist",
                root.join("missing.txt").display()
            ),
        ),
        (
            "[[document]]\nfile = \"a.txt\"\nid = \"a b\"\n",
            format!(
                "{name}:3:6: the id 'a b' is not a path of letters, digits, '-', '_' and '.' between '/'"
            ),
        ),
        (
            "[[document]]\nfile = \"a.txt\"\nlanguge = \"en\"\n",
            format!(
                "{name}:3:1: unknown field `languge`, expected one of `id`, `file`, `files`, `layout`, `title`, `language`, `date`, `publisher`, `country`, `translation-of`, `translation_of`, `description`, `sha256`, `editions`"
            ),
        ),
        (
            "[[document]]\nfile = \"a.txt\"\nsha256 = \"00\"\n",
            format!(
                "{name}:3:10: records the SHA-256 00 for {}, but its bytes hash to {}",
                root.join("a.txt").display(),
                sha256(un_variant("one").as_bytes())
            ),
        ),
    ];
    for (text, message) in cases {
        std::fs::write(&manifest, text).expect("written");
        fails(&["build", "--corpus", root_arg], 1, &message);
    }
}

fn sha256(bytes: &[u8]) -> String {
    cyberkg::corpus::sha256_hex(bytes)
}

#[test]
fn clashing_ids_and_repeated_files_are_errors_naming_both() {
    let directory = tempfile::tempdir().expect("temp dir");
    let root = directory.path();
    let first = put(root, "a b.txt", un_variant("one"));
    let second = put(root, "a-b.txt", un_variant("two"));
    let root_arg = root.to_str().expect("UTF-8 path");
    fails(
        &["build", "--corpus", root_arg],
        1,
        &format!(
            "two sources would both get the id 'a-b' ({} and {}); rename one of the files",
            first.display(),
            second.display()
        ),
    );
    std::fs::remove_file(&first).expect("removed");
    let second_arg = second.to_str().expect("UTF-8");
    fails(
        &["build", "--corpus", root_arg, "--corpus", second_arg],
        1,
        &format!(
            "{second_arg} is {} again; name each file once",
            second.display()
        ),
    );
    let empty = root.join("empty");
    std::fs::create_dir(&empty).expect("folder");
    let empty_arg = empty.to_str().expect("UTF-8");
    fails(
        &["build", "--corpus", empty_arg],
        1,
        &format!("{empty_arg} holds no source file (.txt, .md, .markdown) and no corpus.toml"),
    );
}

#[test]
fn pages_sharing_the_built_in_title_line_are_editions_of_the_built_in_article() {
    let directory = tempfile::tempdir().expect("temp dir");
    let root = directory.path();
    let (first, second) = built_in_pages("(2)");
    // Named so that path order is the wrong order: the first chapter decides.
    put(root, "pages/b.txt", &first);
    put(root, "pages/a.txt", &second);
    put(root, "un.txt", UN);
    let root_arg = root.to_str().expect("UTF-8 path");
    let editions = "SELECT DISTINCT ?id WHERE { ?d a <https://w3id.org/cyberkg/vocab#Edition> ; <http://purl.org/dc/terms/identifier> ?id }";
    assert_eq!(
        select(&["--corpus", root_arg], editions),
        ["id", "iscc2017/en-gov", "iscc2017/en-un", "iscc2017/zh"]
    );
}

#[test]
fn entity_tables_of_ones_own_are_found_in_every_document_and_checked() {
    let directory = tempfile::tempdir().expect("temp dir");
    let root = directory.path();
    let table = put(
        root,
        "mine.toml",
        "[[entity]]\nkey = \"cyber-dialogue\"\nkind = \"concept\"\nlabel = { en = \"dialogue and consultation\" }\n",
    );
    let table_arg = table.to_str().expect("UTF-8");
    let query = "SELECT (COUNT(?m) AS ?n) WHERE { ?m <http://www.w3.org/ns/oa#hasBody> <https://w3id.org/cyberkg/entity/cyber-dialogue> }";
    let counted = select(&["--entities", table_arg], query);
    let expected = UN.matches("dialogue and consultation").count()
        + PARALLEL.matches("dialogue and consultation").count();
    assert!(expected > 0);
    assert_eq!(counted, ["n".to_owned(), expected.to_string()]);
    // Checked with the built-in table: a key it has is a clash at its line.
    std::fs::write(
        &table,
        "# mine\n[[entity]]\nkey = \"united-nations\"\nkind = \"forum\"\nlabel = { en = \"UN\" }\n",
    )
    .expect("written");
    fails(
        &["build", "--entities", table_arg],
        1,
        &format!("{table_arg}:3:7: the key 'united-nations' is used twice"),
    );
    std::fs::write(&table, "[[entity]]\nkey = \"x\"\nkind = \"planet\"\n").expect("written");
    let output = cyberkg()
        .args(["build", "--entities", table_arg])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.starts_with(&format!(
            "cyberkg: {table_arg}:3:8: unknown variant `planet`"
        )),
        "{stderr}"
    );
}
