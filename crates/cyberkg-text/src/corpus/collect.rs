//! Collecting a corpus from what a user names: directories, globs, corpus
//! manifests (`--corpus`), single files (`--source`) and entity tables
//! (`--entities`).
//!
//! Design: every path is first expanded into the files it stands for, each
//! with the root its id is taken relative to; then every file is read once
//! and given its metadata, in this order of authority: a `corpus.toml`
//! entry, the built-in manifest (when the bytes are a built-in text), the
//! file's own front matter (Markdown), and last its path relative to the
//! corpus root (`strategies/fr/2021.md` → `strategies/fr/2021`). Two files
//! that would get the same id are an error naming both, never a silent
//! merge; the one exception is pages of one document, which share their
//! edition ids on purpose:
//! - the files of one manifest entry (`files = […]`), in the order listed;
//! - under `--corpus`, parallel-layout files whose first line (the title
//!   line of the web article, less a page marker such as `(2)`) is the
//!   same. When that title line is the built-in parallel text's, the pages
//!   are pages of the built-in article and take its editions' ids and
//!   metadata, so they align with the UN edition. Pages are ordered by the
//!   first chapter they hold (Preface first, Conclusion last), else by path.
//!
//! Directories are read recursively in sorted order; hidden entries
//! (`.git`) are skipped, and only files with a source extension are read
//! ([`SOURCE_EXTENSIONS`]). A directory holding a `corpus.toml` is read
//! through it: only the files it lists.

use super::corpus_file::{CORPUS_FILE_NAME, CorpusFile, DocumentEntry};
use super::manifest::{EditionMeta, Layout, Manifest, SourceMeta};
use super::{BUILTIN_MANIFEST, Corpus, CorpusError, CuratedText, Source, decode, sha256_hex};
use crate::data_file::CuratedDataError;
use crate::document::Language;
use crate::document::markdown::{FrontMatter, read_front_matter};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Extensions of the files a corpus directory or glob contributes.
pub const SOURCE_EXTENSIONS: &[&str] = &["txt", "md", "markdown"];

/// What a user named on the command line.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `--corpus`: directories, globs, manifests or files.
    pub corpus: Vec<PathBuf>,
    /// `--source`: single files, ids from their file names.
    pub sources: Vec<PathBuf>,
    /// `--entities`: entity tables added to the built-in one.
    pub entities: Vec<PathBuf>,
}

impl Inputs {
    /// Whether only the built-in corpus is asked for.
    pub fn is_builtin(&self) -> bool {
        self.corpus.is_empty() && self.sources.is_empty()
    }
}

/// The manifest an entry comes from.
#[derive(Debug)]
struct ManifestRef {
    name: String,
    text: String,
}

/// One file to read, before it is read.
#[derive(Debug, Clone)]
struct Candidate {
    path: PathBuf,
    /// How messages name it.
    name: String,
    /// The id its path gives, relative to its root.
    path_id: String,
    /// The manifest entry it belongs to, with the page number (1-based).
    entry: Option<(Arc<ManifestRef>, Arc<DocumentEntry>, usize)>,
    /// Whether pages may be recognised by their title line (`--corpus`).
    recognise_pages: bool,
}

impl Corpus {
    /// The corpus the user's inputs name, or the built-in one when they
    /// name no source; entity tables are added in either case.
    pub fn collect(inputs: &Inputs) -> Result<Self, CorpusError> {
        let mut corpus = if inputs.is_builtin() {
            Corpus::builtin()?
        } else {
            let mut candidates = Vec::new();
            for path in &inputs.corpus {
                candidates.extend(expand(path)?);
            }
            for path in &inputs.sources {
                candidates.push(single(path, false));
            }
            refuse_repeated_files(&candidates)?;
            let sources = candidates
                .iter()
                .map(read_candidate)
                .collect::<Result<Vec<_>, _>>()?;
            Corpus::checked(group_pages(sources, &candidates)?)?
        };
        for path in &inputs.entities {
            let name = path.display().to_string();
            let text = read_data_file(path, &name)?;
            corpus.extra_entities.push(CuratedText { name, text });
        }
        Ok(corpus)
    }
}

/// A curated data file of the user's (a manifest, an entity table) as text.
fn read_data_file(path: &Path, name: &str) -> Result<String, CorpusError> {
    let bytes = std::fs::read(path).map_err(|error| CorpusError::Io {
        file: name.to_owned(),
        error,
    })?;
    Ok(decode(name, bytes)?.0)
}

/// Whether a path is a glob pattern rather than a file name.
fn is_pattern(path: &Path) -> bool {
    path.to_string_lossy().contains(['*', '?', '['])
}

/// The files one `--corpus` path stands for.
fn expand(path: &Path) -> Result<Vec<Candidate>, CorpusError> {
    let name = path.display().to_string();
    if path.is_dir() {
        let manifest = path.join(CORPUS_FILE_NAME);
        if manifest.is_file() {
            return from_manifest(&manifest);
        }
        let files = walk(path)?;
        if files.is_empty() {
            return Err(CorpusError::NoFiles {
                path: name,
                what: format!(
                    "holds no source file (.{}) and no {CORPUS_FILE_NAME}",
                    SOURCE_EXTENSIONS.join(", .")
                ),
            });
        }
        return Ok(files
            .iter()
            .map(|file| relative(file, path, true))
            .collect());
    }
    if path.is_file() {
        if path.extension().is_some_and(|e| e == "toml") {
            return from_manifest(path);
        }
        return Ok(vec![single(path, true)]);
    }
    if is_pattern(path) {
        return from_pattern(path);
    }
    Err(CorpusError::Io {
        file: name,
        error: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
    })
}

/// Source files under a directory, recursively, sorted by path, hidden
/// entries skipped.
fn walk(root: &Path) -> Result<Vec<PathBuf>, CorpusError> {
    let mut files = Vec::new();
    let hidden = |entry: &walkdir::DirEntry| {
        entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.')
    };
    for entry in walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| !hidden(entry))
    {
        let entry = entry.map_err(|error| CorpusError::Io {
            file: error.path().unwrap_or(root).display().to_string(),
            error: error.into(),
        })?;
        if entry.file_type().is_file() && has_source_extension(entry.path()) {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

fn has_source_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SOURCE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The files a glob matches, sorted; ids relative to the pattern's fixed
/// leading directories.
fn from_pattern(pattern: &Path) -> Result<Vec<Candidate>, CorpusError> {
    let text = pattern.to_string_lossy().into_owned();
    let paths = glob::glob(&text).map_err(|error| CorpusError::Pattern {
        pattern: text.clone(),
        column: error.pos + 1,
        problem: error.msg.to_owned(),
    })?;
    let root: PathBuf = pattern
        .components()
        .take_while(|c| !is_pattern(Path::new(c.as_os_str())))
        .collect();
    let mut files = Vec::new();
    for path in paths {
        let path = path.map_err(|error| CorpusError::Io {
            file: error.path().display().to_string(),
            error: std::io::Error::new(error.error().kind(), error.error().to_string()),
        })?;
        if path.is_file() {
            files.push(path);
        } else if path.is_dir() {
            files.extend(walk(&path)?);
        }
    }
    files.sort();
    files.dedup();
    if files.is_empty() {
        return Err(CorpusError::NoFiles {
            path: text,
            what: "matches no file".to_owned(),
        });
    }
    Ok(files
        .iter()
        .map(|file| relative(file, &root, true))
        .collect())
}

/// The files a `corpus.toml` lists, each checked to exist.
fn from_manifest(path: &Path) -> Result<Vec<Candidate>, CorpusError> {
    let name = path.display().to_string();
    let text = read_data_file(path, &name)?;
    let manifest = CorpusFile::parse(&name, &text)?;
    let root = path.parent().unwrap_or(Path::new("")).to_owned();
    let reference = Arc::new(ManifestRef { name, text });
    let mut candidates = Vec::new();
    for entry in manifest.documents {
        let entry = Arc::new(entry);
        for (index, file) in entry.files().into_iter().enumerate() {
            let listed = root.join(file.get_ref());
            if !listed.is_file() {
                return Err(CuratedDataError::at_offset(
                    &reference.name,
                    &reference.text,
                    file.span().start,
                    format!("lists the file {}, which does not exist", listed.display()),
                )
                .into());
            }
            let mut candidate = relative(&listed, &root, false);
            candidate.entry = Some((reference.clone(), entry.clone(), index + 1));
            candidates.push(candidate);
        }
    }
    Ok(candidates)
}

/// A file given by itself: its id is its file name's.
fn single(path: &Path, recognise_pages: bool) -> Candidate {
    let root = path.parent().unwrap_or(Path::new(""));
    relative(path, root, recognise_pages)
}

fn relative(path: &Path, root: &Path, recognise_pages: bool) -> Candidate {
    let relative = path.strip_prefix(root).unwrap_or(path);
    Candidate {
        path: path.to_owned(),
        name: path.display().to_string(),
        path_id: id_from_path(relative),
        entry: None,
        recognise_pages,
    }
}

/// An id from a relative path: each directory and the file's stem in
/// lower case, every run of characters other than letters and digits one
/// `-` (`Strategies/FR 2021.md` → `strategies/fr-2021`).
pub fn id_from_path(relative: &Path) -> String {
    let without_extension = relative.with_extension("");
    let segments: Vec<String> = without_extension
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(segment) => Some(slug(&segment.to_string_lossy())),
            _ => None,
        })
        .filter(|s| !s.is_empty())
        .collect();
    if segments.is_empty() {
        "source".to_owned()
    } else {
        segments.join("/")
    }
}

/// Lower case, letters and digits kept, every other run one `-`.
pub fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Refuses a file collected twice (by two flags, or a directory and a file in it).
fn refuse_repeated_files(candidates: &[Candidate]) -> Result<(), CorpusError> {
    let mut seen: BTreeMap<PathBuf, &str> = BTreeMap::new();
    for candidate in candidates {
        let identity =
            std::fs::canonicalize(&candidate.path).unwrap_or_else(|_| candidate.path.clone());
        if let Some(first) = seen.insert(identity, &candidate.name) {
            return Err(CorpusError::RepeatedFile {
                first: first.to_owned(),
                second: candidate.name.clone(),
            });
        }
    }
    Ok(())
}

/// Reads one file and gives it its metadata.
fn read_candidate(candidate: &Candidate) -> Result<Source, CorpusError> {
    let bytes = std::fs::read(&candidate.path).map_err(|error| CorpusError::Io {
        file: candidate.name.clone(),
        error,
    })?;
    let sha256 = sha256_hex(&bytes);
    let (text, byte_order_mark) = decode(&candidate.name, bytes)?;
    let builtin = builtin_manifest()?
        .sources
        .into_iter()
        .find(|m| m.sha256 == sha256);
    let layout = candidate
        .entry
        .as_ref()
        .and_then(|(_, entry, _)| entry.layout)
        .unwrap_or_else(|| Layout::sniff(&candidate.path, &text));
    let front_matter = if layout == Layout::Markdown {
        read_front_matter(&candidate.name, &text)?.map(|(front, _)| front)
    } else {
        None
    };
    let meta = match (&candidate.entry, builtin) {
        (Some((manifest, entry, page)), _) => entry_meta(
            manifest,
            entry,
            *page,
            candidate,
            &text,
            &sha256,
            front_matter.as_ref(),
        )?,
        (None, Some(known)) => known,
        (None, None) => {
            let id = front_matter
                .as_ref()
                .and_then(|f| f.id.clone())
                .unwrap_or_else(|| candidate.path_id.clone());
            let mut meta = SourceMeta::derived_with_id(&id, &candidate.path, &text);
            if let Some(front) = &front_matter {
                apply_front_matter(&mut meta, front);
            }
            meta
        }
    };
    Ok(Source {
        id: meta.id.clone(),
        name: candidate.name.clone(),
        layout: meta.layout,
        text,
        sha256,
        byte_order_mark,
        builtin: false,
        meta,
    })
}

fn builtin_manifest() -> Result<Manifest, CorpusError> {
    Manifest::parse("data/corpus/manifest.toml", BUILTIN_MANIFEST).map_err(CorpusError::Manifest)
}

/// What a Markdown file's front matter says, on metadata derived from its
/// path (a `corpus.toml` entry may then override it): the file's title,
/// language, date and publisher, and its document's.
fn apply_front_matter(meta: &mut SourceMeta, front: &FrontMatter) {
    if let Some(title) = &front.title {
        meta.title = title.clone();
    }
    if let Some(language) = &front.language {
        meta.languages = vec![language.tag().to_owned()];
    }
    if let Some(publisher) = &front.publisher {
        meta.publisher = publisher.clone();
    }
    meta.date = front.date.or(meta.date);
    meta.description = format!(
        "A source file in the {} layout, described by its own front matter.",
        Layout::Markdown.name()
    );
    for edition in meta.editions.values_mut() {
        edition.title = front.title.clone().or(edition.title.take());
        edition.publisher = front.publisher.clone().or(edition.publisher.take());
        edition.issued = front.date.or(edition.issued);
        edition.translation_of = front
            .translation_of
            .clone()
            .or(edition.translation_of.take());
        edition.country = front.country.clone().or(edition.country.take());
    }
}

/// The metadata a manifest entry gives one of its files; for a Markdown
/// file, over what its front matter says.
fn entry_meta(
    manifest: &ManifestRef,
    entry: &DocumentEntry,
    page: usize,
    candidate: &Candidate,
    text: &str,
    sha256: &str,
    front_matter: Option<&FrontMatter>,
) -> Result<SourceMeta, CorpusError> {
    let first_file = entry.files().first().map_or(0, |f| f.span().start);
    let at = |offset: usize, problem: String| -> CorpusError {
        CuratedDataError::at_offset(&manifest.name, &manifest.text, offset, problem).into()
    };
    if let Some(expected) = &entry.sha256
        && !expected.get_ref().eq_ignore_ascii_case(sha256)
    {
        return Err(at(
            expected.span().start,
            format!(
                "records the SHA-256 {} for {}, but its bytes hash to {sha256}",
                expected.get_ref(),
                candidate.name
            ),
        ));
    }
    let layout = entry
        .layout
        .unwrap_or_else(|| Layout::sniff(&candidate.path, text));
    let document_id = match &entry.id {
        Some(id) => {
            let checked = check_id(id.get_ref());
            checked.map_err(|problem| at(id.span().start, problem))?
        }
        None => front_matter
            .and_then(|f| f.id.clone())
            .unwrap_or_else(|| candidate.path_id.clone()),
    };
    let source_id = if entry.files().len() > 1 {
        format!("{document_id}/page-{page}")
    } else {
        document_id.clone()
    };
    let mut meta = SourceMeta::derived_with_id(&document_id, &candidate.path, text);
    meta.id = source_id;
    meta.layout = layout;
    meta.editions = derived_editions(layout, &document_id);
    if let Some(front) = front_matter {
        apply_front_matter(&mut meta, front);
    }
    if let Some(language) = &entry.language {
        if layout != Layout::Markdown {
            return Err(at(
                language.span().start,
                format!(
                    "`language` is for Markdown files; the {} layout's languages are fixed",
                    layout.name()
                ),
            ));
        }
        let checked = Language::parse(language.get_ref())
            .map_err(|error| at(language.span().start, error.to_string()))?;
        meta.languages = vec![checked.tag().to_owned()];
    }
    meta.editions = editions_for(layout, std::mem::take(&mut meta.editions), entry)
        .map_err(|problem| at(first_file, problem))?;
    if let Some(title) = &entry.title {
        meta.title = title.clone();
    }
    if let Some(publisher) = &entry.publisher {
        meta.publisher = publisher.clone();
    }
    meta.date = entry.date.or(meta.date);
    if let Some(description) = &entry.description {
        meta.description = description.clone();
    } else {
        meta.description = format!(
            "A source file listed in {}, read with the {} layout.",
            manifest.name,
            layout.name()
        );
    }
    Ok(meta)
}

/// An id is an IRI path under the base: letters, digits, `-`, `_`, `.`
/// and `/` between non-empty segments.
pub fn check_id(id: &str) -> Result<String, String> {
    let segments_ok = id
        .split('/')
        .all(|s| !s.is_empty() && s != "." && s != "..");
    let characters_ok = id
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if segments_ok && characters_ok {
        Ok(id.to_owned())
    } else {
        Err(format!(
            "the id '{id}' is not a path of letters, digits, '-', '_' and '.' between '/'"
        ))
    }
}

/// The editions one entry's files yield: `editions` (the layout's
/// defaults under the entry's id, with a Markdown file's front matter),
/// the entry's metadata on the main ones, then its
/// `[document.editions.KEY]` tables.
fn editions_for(
    layout: Layout,
    mut editions: BTreeMap<String, EditionMeta>,
    entry: &DocumentEntry,
) -> Result<BTreeMap<String, EditionMeta>, String> {
    if entry.translation_of.is_some() && layout == Layout::ParallelZhEn {
        return Err("`translation_of` does not apply to the parallel layout, whose English edition translates its Chinese one; use [document.editions.zh] for the Chinese".to_owned());
    }
    for (key, edition) in editions.iter_mut() {
        if key == "letter" {
            continue;
        }
        let main = key == "en" || key == "doc";
        if main && let Some(title) = &entry.title {
            edition.title = Some(title.clone());
        }
        edition.publisher = entry.publisher.clone().or(edition.publisher.take());
        edition.issued = entry.date.or(edition.issued);
        edition.country = entry.country.clone().or(edition.country.take());
        if main && entry.translation_of.is_some() {
            edition.translation_of = entry.translation_of.clone();
        }
    }
    for (key, given) in &entry.editions {
        let Some(edition) = editions.get_mut(key) else {
            return Err(format!(
                "the {} layout has no edition '{key}' (it has {})",
                layout.name(),
                layout.edition_keys().join(", ")
            ));
        };
        let id = check_id(&given.id)?;
        *edition = EditionMeta {
            id,
            title: given.title.clone().or(edition.title.take()),
            publisher: given.publisher.clone().or(edition.publisher.take()),
            issued: given.issued.or(edition.issued),
            translation_of: given
                .translation_of
                .clone()
                .or(edition.translation_of.take()),
            country: given.country.clone().or(edition.country.take()),
            evidence: given.evidence.clone().or(edition.evidence.take()),
        };
    }
    Ok(editions)
}

/// The editions a layout yields under an id, with no claims beyond the
/// layout's own (the parallel layout's English translates its Chinese).
pub(crate) fn derived_editions(layout: Layout, id: &str) -> BTreeMap<String, EditionMeta> {
    let edition = |suffix: &str, translation_of: Option<String>| EditionMeta {
        id: format!("{id}/{suffix}"),
        translation_of,
        ..EditionMeta::default()
    };
    match layout {
        Layout::UnEnglish => BTreeMap::from([
            ("en".to_owned(), edition("en-un", None)),
            ("letter".to_owned(), edition("letter", None)),
        ]),
        Layout::ParallelZhEn => BTreeMap::from([
            ("zh".to_owned(), edition("zh", None)),
            ("en".to_owned(), edition("en", Some(format!("{id}/zh")))),
        ]),
        // One document per file, under the file's own id.
        Layout::Markdown => BTreeMap::from([(
            "doc".to_owned(),
            EditionMeta {
                id: id.to_owned(),
                ..EditionMeta::default()
            },
        )]),
    }
}

/// The title line of a parallel-layout page, less a page marker: what
/// pages of one web article share.
pub fn page_title_key(text: &str) -> Option<String> {
    let first = text.lines().find(|l| !l.trim().is_empty())?.trim();
    let key = crate::document::pages::strip_page_markers(first)
        .trim()
        .to_owned();
    // A first line that is a heading or a paragraph is no title line.
    let looks_like_title =
        !key.is_empty() && !key.contains(['。', '.']) && !starts_with_heading(&key);
    looks_like_title.then_some(key)
}

fn starts_with_heading(line: &str) -> bool {
    first_heading_order(line).is_some()
}

/// Where a line's heading falls in the article: the Preface 0, Chapter N
/// N, the Conclusion after every chapter; `None` for any other line.
fn first_heading_order(line: &str) -> Option<u32> {
    use crate::document::{PartKind, line_starts_unnumbered};
    let line = line.trim();
    match line_starts_unnumbered(line) {
        Some(PartKind::Preface) => return Some(0),
        Some(_) => return Some(u32::MAX),
        None => {}
    }
    let rest = line.strip_prefix('第')?;
    let end = rest.find('章')?;
    crate::numerals::parse_chinese(&rest[..end])
}

/// The place of a page in its article: its first heading's.
fn page_order(text: &str) -> Option<u32> {
    text.lines().skip(1).find_map(first_heading_order)
}

/// Gives pages of one document the same editions and puts them next to
/// each other in page order, at the place of the first page.
fn group_pages(
    mut sources: Vec<Source>,
    candidates: &[Candidate],
) -> Result<Vec<Source>, CorpusError> {
    let builtin = builtin_manifest()?;
    let builtin_parallel = builtin
        .sources
        .iter()
        .find(|m| m.layout == Layout::ParallelZhEn);
    let builtin_key = builtin_parallel
        .and_then(|meta| super::builtin_text(&meta.file))
        .and_then(|text| page_title_key(&String::from_utf8_lossy(text)));
    // The group of each source: a manifest entry, or a shared title line.
    let mut groups: Vec<Option<String>> = Vec::with_capacity(sources.len());
    for (source, candidate) in sources.iter().zip(candidates) {
        let group = match &candidate.entry {
            Some((manifest, entry, _)) if entry.files().len() > 1 => Some(format!(
                "{}#{}",
                manifest.name,
                entry.files().first().map_or(0, |f| f.span().start)
            )),
            Some(_) => None,
            None if candidate.recognise_pages && source.layout == Layout::ParallelZhEn => {
                page_title_key(&source.text).map(|key| format!("title:{key}"))
            }
            None => None,
        };
        groups.push(group);
    }
    let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, group) in groups.iter().enumerate() {
        if let Some(group) = group {
            members.entry(group).or_default().push(index);
        }
    }
    let mut order: Vec<usize> = (0..sources.len()).collect();
    for (group, indices) in &members {
        let by_title = group.strip_prefix("title:");
        let is_builtin_article = by_title.is_some() && by_title == builtin_key.as_deref();
        if indices.len() < 2 && !is_builtin_article {
            continue;
        }
        // Shared editions: the built-in article's, or the first page's.
        let editions = match (is_builtin_article, builtin_parallel) {
            (true, Some(meta)) => pages_of_builtin(meta),
            _ => sources[indices[0]].meta.editions.clone(),
        };
        for &index in indices {
            // The built-in page itself keeps its own metadata.
            let meta = &mut sources[index].meta;
            let is_builtin_page = builtin_parallel.is_some_and(|b| b.sha256 == meta.sha256);
            if !is_builtin_page {
                meta.editions = editions.clone();
            }
        }
        if by_title.is_some() {
            let mut sorted = indices.clone();
            let keys: Vec<Option<u32>> = sorted
                .iter()
                .map(|&i| page_order(&sources[i].text))
                .collect();
            if keys.iter().all(Option::is_some) {
                sorted.sort_by_key(|&i| (page_order(&sources[i].text), i));
            }
            let first = indices[0];
            order.retain(|i| !indices.contains(i) || *i == first);
            if let Some(at) = order.iter().position(|&i| i == first) {
                order.splice(at..=at, sorted.iter().copied());
            }
        }
    }
    let mut slots: Vec<Option<Source>> = sources.into_iter().map(Some).collect();
    Ok(order
        .into_iter()
        .filter_map(|index| slots.get_mut(index).and_then(Option::take))
        .collect())
}

/// The editions of the built-in article, for another page of it.
fn pages_of_builtin(meta: &SourceMeta) -> BTreeMap<String, EditionMeta> {
    let mut editions = meta.editions.clone();
    for edition in editions.values_mut() {
        let evidence = edition.evidence.take().unwrap_or_default();
        edition.evidence = Some(format!(
            "{evidence} This file starts with the title line of the built-in page ({}, line 1), so it is read as another page of the same web article.",
            meta.file
        ).trim_start().to_owned());
    }
    editions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_relative_paths() {
        let table = [
            ("a.txt", "a"),
            ("Strategies/FR 2021.md", "strategies/fr-2021"),
            ("x/../y.txt", "x/y"),
            ("中国/战略.txt", "中国/战略"),
            ("__.txt", "source"),
        ];
        for (path, id) in table {
            assert_eq!(id_from_path(Path::new(path)), id, "{path}");
        }
    }

    #[test]
    fn ids_must_be_iri_paths() {
        assert_eq!(check_id("uk/ncs-2022"), Ok("uk/ncs-2022".to_owned()));
        assert_eq!(check_id("fr_v1.2"), Ok("fr_v1.2".to_owned()));
        for bad in ["", "a//b", "/a", "a/", "a b", "a?b", "../a", "a#b"] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn page_markers_leave_the_title_line() {
        let title = "【中英文對照】網絡空間國際合作戰略(全文)";
        for line in [
            title.to_owned(),
            format!("{title}(2)"),
            format!("{title}（3）"),
            format!("{title} [2]"),
            format!("{title}第2頁"),
            format!("{title} 第二页"),
            format!("{title} - 2"),
            format!("  {title}(Page 2)  "),
        ] {
            assert_eq!(
                page_title_key(&format!("\n{line}\n第二章 原則Chapter II. Principles\n"))
                    .as_deref(),
                Some(title),
                "{line}"
            );
        }
        // (全文) is no page number; a heading or a sentence is no title line.
        assert_eq!(
            page_title_key("第二章 基本原則Chapter II. Basic Principles\n"),
            None
        );
        assert_eq!(
            page_title_key("中國始終是世界和平的建設者。China has been a force.\n"),
            None
        );
    }

    #[test]
    fn pages_are_placed_by_their_first_chapter() {
        assert_eq!(page_order("T\n前言Preface\n"), Some(0));
        assert_eq!(
            page_order("T\n  第四章 行動計劃Chapter IV. Plan of Action\n"),
            Some(4)
        );
        assert_eq!(page_order("T\n結束語Conclusion\n"), Some(u32::MAX));
        assert_eq!(
            page_order("T\n一、和平原則1. The Principle of Peace\n"),
            None
        );
    }
}
