//! `cyberkg export --format text`: the texts as a directory of plain UTF-8
//! files, one per paragraph or one per section, with a `metadata.csv`, the
//! shape text-analysis tools read: R's readtext (`readtext("dir/*.txt")`,
//! whose `doc_id` is the file name, joined to the docvars of
//! `metadata.csv` by its `file` column; quanteda and stm from there) and
//! Voyant (the `.txt` files, or a zip of the directory).
//!
//! Each file holds one text in its edition's language ([`crate::paragraphs`]),
//! ending with a newline; a section's file opens with its heading, then its
//! paragraphs, separated by blank lines. A section file is made for every
//! part that holds paragraphs directly: a section, and a chapter (or a
//! preface, a conclusion) for the paragraphs outside any section. File
//! names are the edition's identifier and the part's path below the
//! edition's IRI (`iscc2017_en-un_chapter-2_section-1_paragraph-2.txt`),
//! with every character but letters, digits, `-` and `.` as `_`.
//!
//! Invariants: the same store gives the same files; no two parts share a
//! file name (a clash gets `_2`, `_3`…); `metadata.csv` names every file
//! the export writes, and only those: [`owned_file_names`] reads it back,
//! so that a later text export may replace this one and nothing else.

use crate::paragraphs::{self, Paragraph, ParagraphsError, Place};
use oxigraph::store::Store;
use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file of a text export that lists the others.
pub const METADATA_NAME: &str = "metadata.csv";

/// The columns of `metadata.csv`, in order.
pub const METADATA_HEADER: [&str; 7] = [
    "document",
    "language",
    "chapter",
    "section",
    "paragraph",
    "iri",
    "file",
];

/// The longest file name written, in bytes, below the 255 most file systems allow.
const MAX_NAME_BYTES: usize = 200;

/// What one text file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextUnit {
    /// One paragraph a file.
    Paragraph,
    /// One section (or chapter, preface, conclusion: the part holding the paragraphs) a file.
    Section,
}

/// Why a text export failed.
#[derive(Debug, thiserror::Error)]
pub enum TextExportError {
    /// Reading the store failed.
    #[error(transparent)]
    Paragraphs(#[from] ParagraphsError),
    /// Writing a file failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Writing `metadata.csv` failed.
    #[error("cannot write {METADATA_NAME}: {0}")]
    Csv(#[from] csv::Error),
}

/// One file of the export and its row of `metadata.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    /// Its name in the directory.
    pub name: String,
    /// What it holds, ending with a newline.
    pub text: String,
    /// The edition's identifier.
    pub document: String,
    /// The edition's language.
    pub language: String,
    /// The chapter and section numbers.
    pub place: Place,
    /// The paragraph's number (`None` for a section file).
    pub paragraph: Option<i64>,
    /// The paragraph's or the section's IRI.
    pub iri: String,
}

/// The files of an export by `unit`, from the paragraphs [`paragraphs::load`] reads, in their order.
pub fn text_files(all: &[Paragraph], unit: TextUnit) -> Vec<TextFile> {
    let mut files: Vec<TextFile> = Vec::new();
    match unit {
        TextUnit::Paragraph => {
            for paragraph in all {
                files.push(TextFile {
                    name: file_stem(&paragraph.edition, &paragraph.edition_iri, &paragraph.iri),
                    text: format!("{}\n", paragraph.text),
                    document: paragraph.edition.clone(),
                    language: paragraph.language.clone(),
                    place: paragraph.place.clone(),
                    paragraph: Some(paragraph.position),
                    iri: paragraph.iri.clone(),
                });
            }
        }
        TextUnit::Section => {
            // Parts in the order of their first paragraph; paragraphs in theirs.
            let mut index_of_part: HashMap<&str, usize> = HashMap::new();
            for paragraph in all {
                let key = paragraph.parent.iri.as_str();
                let index = *index_of_part.entry(key).or_insert_with(|| {
                    files.push(TextFile {
                        name: file_stem(&paragraph.edition, &paragraph.edition_iri, key),
                        text: paragraph
                            .parent
                            .title
                            .as_ref()
                            .map(|title| format!("{title}\n"))
                            .unwrap_or_default(),
                        document: paragraph.edition.clone(),
                        language: paragraph.language.clone(),
                        place: paragraph.place.clone(),
                        paragraph: None,
                        iri: key.to_owned(),
                    });
                    files.len() - 1
                });
                if let Some(file) = files.get_mut(index) {
                    if !file.text.is_empty() {
                        file.text.push('\n');
                    }
                    file.text.push_str(&paragraph.text);
                    file.text.push('\n');
                }
            }
        }
    }
    name_uniquely(&mut files);
    files
}

/// Gives each file a name no other file has, with the `.txt` extension.
fn name_uniquely(files: &mut [TextFile]) {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for file in files {
        let stem = std::mem::take(&mut file.name);
        let mut name = format!("{stem}.txt");
        let mut counter = 1;
        while taken.contains(&name) {
            counter += 1;
            name = format!("{stem}_{counter}.txt");
        }
        taken.insert(name.clone());
        file.name = name;
    }
}

/// `EDITION_PATH` for a part: the edition's identifier and the part's IRI
/// below the edition's IRI, in safe characters; the edition alone (and
/// the clash counter) when the part's IRI is not below the edition's.
fn file_stem(edition: &str, edition_iri: &str, part_iri: &str) -> String {
    let below = part_iri
        .strip_prefix(edition_iri)
        .and_then(|rest| rest.strip_prefix(['/', '#']))
        .unwrap_or_default();
    let joined = if below.is_empty() {
        edition.to_owned()
    } else {
        format!("{edition}/{below}")
    };
    let mut stem: String = joined
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    // No hidden files, no `.` or `..`.
    if stem.starts_with('.') || stem.is_empty() {
        stem.insert(0, '_');
    }
    while stem.len() > MAX_NAME_BYTES {
        stem.pop();
    }
    stem
}

/// Writes the export of `store` into `directory` (which must exist):
/// the text files and `metadata.csv`. Returns the files written, without `metadata.csv`.
pub fn write(store: &Store, unit: TextUnit, directory: &Path) -> Result<usize, TextExportError> {
    let files = text_files(&paragraphs::load(store)?, unit);
    for file in &files {
        let path = directory.join(&file.name);
        std::fs::write(&path, &file.text).map_err(|source| TextExportError::Io { path, source })?;
    }
    let path = directory.join(METADATA_NAME);
    let created = std::fs::File::create(&path).map_err(|source| TextExportError::Io {
        path: path.clone(),
        source,
    })?;
    write_metadata(&files, &mut std::io::BufWriter::new(created))?;
    Ok(files.len())
}

/// Writes `metadata.csv` for `files`: [`METADATA_HEADER`], one row a file.
pub fn write_metadata(files: &[TextFile], out: &mut dyn Write) -> Result<(), TextExportError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    writer.write_record(METADATA_HEADER)?;
    let number = |value: Option<i64>| value.map(|n| n.to_string()).unwrap_or_default();
    for file in files {
        writer.write_record([
            file.document.clone(),
            file.language.clone(),
            number(file.place.chapter),
            number(file.place.section),
            number(file.paragraph),
            file.iri.clone(),
            file.name.clone(),
        ])?;
    }
    writer.flush().map_err(csv::Error::from)?;
    Ok(())
}

/// The files an earlier text export wrote, read from its `metadata.csv`
/// (`metadata.csv` itself included); `None` unless the text is a
/// metadata file of this exact header whose every file name is a plain
/// `.txt` name in the directory (no path, no hidden file).
pub fn owned_file_names(metadata: &str) -> Option<BTreeSet<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(metadata.as_bytes());
    let header = reader.headers().ok()?;
    if header.iter().ne(METADATA_HEADER) {
        return None;
    }
    let column = METADATA_HEADER.len() - 1;
    let mut names = BTreeSet::from([METADATA_NAME.to_owned()]);
    for record in reader.records() {
        let name = record.ok()?.get(column)?.to_owned();
        let plain =
            name.ends_with(".txt") && !name.starts_with('.') && !name.contains(['/', '\\', '\0']);
        if !plain {
            return None;
        }
        names.insert(name);
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paragraphs::Parent;

    fn paragraph(iri: &str, parent: &str, position: i64, text: &str) -> Paragraph {
        Paragraph {
            iri: iri.to_owned(),
            edition_iri: "https://x/doc/en".to_owned(),
            edition: "doc/en".to_owned(),
            language: "en".to_owned(),
            order: position,
            position,
            place: Place {
                chapter: Some(1),
                section: Some(2),
            },
            text: text.to_owned(),
            parent: Parent {
                iri: parent.to_owned(),
                title: Some("Heading".to_owned()),
                order: None,
            },
            translations: Vec::new(),
        }
    }

    #[test]
    fn sections_gather_their_paragraphs_under_the_heading() {
        let all = [
            paragraph(
                "https://x/doc/en/c-1/s-2/p-1",
                "https://x/doc/en/c-1/s-2",
                1,
                "One.",
            ),
            paragraph(
                "https://x/doc/en/c-1/s-2/p-2",
                "https://x/doc/en/c-1/s-2",
                2,
                "Two.",
            ),
        ];
        let sections = text_files(&all, TextUnit::Section);
        assert_eq!(sections.len(), 1);
        assert_eq!(sections[0].name, "doc_en_c-1_s-2.txt");
        assert_eq!(sections[0].text, "Heading\n\nOne.\n\nTwo.\n");
        assert_eq!(sections[0].paragraph, None);
        let paragraphs = text_files(&all, TextUnit::Paragraph);
        let names: Vec<&str> = paragraphs.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["doc_en_c-1_s-2_p-1.txt", "doc_en_c-1_s-2_p-2.txt"]);
        assert_eq!(paragraphs[1].text, "Two.\n");
    }

    #[test]
    fn names_are_safe_and_unique() {
        assert_eq!(
            file_stem("a/b", "https://x/a/b", "https://x/a/b/p?q=1"),
            "a_b_p_q_1"
        );
        assert_eq!(file_stem(".hidden", "e", "elsewhere"), "_.hidden");
        assert_eq!(
            file_stem("战略/zh", "https://x/z", "https://x/z/段-1"),
            "战略_zh_段-1"
        );
        let all = [
            paragraph("https://y/1", "p", 1, "a"),
            paragraph("https://y/2", "p", 2, "b"),
        ];
        let names: Vec<String> = text_files(&all, TextUnit::Paragraph)
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, ["doc_en.txt", "doc_en_2.txt"]);
    }

    #[test]
    fn only_a_metadata_file_of_ours_names_files_to_replace() {
        let files = text_files(
            &[paragraph(
                "https://x/doc/en/p-1",
                "https://x/doc/en",
                1,
                "One, \"quoted\".",
            )],
            TextUnit::Paragraph,
        );
        let mut written = Vec::new();
        assert!(write_metadata(&files, &mut written).is_ok());
        let text = String::from_utf8_lossy(&written).into_owned();
        assert_eq!(
            text,
            "document,language,chapter,section,paragraph,iri,file\n\
             doc/en,en,1,2,1,https://x/doc/en/p-1,doc_en_p-1.txt\n"
        );
        assert_eq!(
            owned_file_names(&text),
            Some(BTreeSet::from([
                "doc_en_p-1.txt".to_owned(),
                METADATA_NAME.to_owned()
            ]))
        );
        for foreign in [
            "name,file\nx,a.txt\n",
            "document,language,chapter,section,paragraph,iri,file\nd,en,,,,i,../escape.txt\n",
            "document,language,chapter,section,paragraph,iri,file\nd,en,,,,i,notes.md\n",
            "document,language,chapter,section,paragraph,iri,file\nd,en,,,,i,.hidden.txt\n",
        ] {
            assert_eq!(owned_file_names(foreign), None, "{foreign}");
        }
    }
}
