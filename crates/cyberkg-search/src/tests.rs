//! The index on small records: script folding, stemming, phrase ranking,
//! filters, snippets and the on-disk index's fingerprint.

use super::*;

fn record(iri: &str, edition: &str, language: Language, text: &str) -> Record {
    Record {
        iri: iri.to_owned(),
        edition: edition.to_owned(),
        language,
        kind: TextKind::Body,
        place: Place {
            chapter: Some(1),
            section: None,
            paragraph: Some(2),
        },
        text: text.to_owned(),
    }
}

fn records() -> Vec<Record> {
    vec![
        record(
            "http://e.org/zh/1",
            "x/zh",
            Language::Chinese,
            "各国应尊重网络主权，维护和平。",
        ),
        record(
            "http://e.org/zh/2",
            "x/zh",
            Language::Chinese,
            "主权平等是国际关系的基本准则。",
        ),
        record(
            "http://e.org/zh/3",
            "x/zh",
            Language::Chinese,
            "促进数字经济合作。",
        ),
        record(
            "http://e.org/en/1",
            "x/en-gov",
            Language::English,
            "Countries should respect cyber sovereignty and the sovereign equality of states.",
        ),
        record(
            "http://e.org/en/2",
            "x/en-gov",
            Language::English,
            "Sovereignty in cyberspace; states cooperating for cyber security.",
        ),
        record(
            "http://e.org/en/3",
            "x/en-un",
            Language::English,
            "International cooperation on cyberspace.",
        ),
    ]
}

fn request(text: &str) -> SearchRequest {
    SearchRequest {
        text: text.to_owned(),
        language: None,
        edition: None,
        limit: 10,
    }
}

fn iris(index: &SearchIndex, request: &SearchRequest) -> Vec<String> {
    index
        .search(request)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|hit| hit.iri)
        .collect()
}

fn index() -> SearchIndex {
    SearchIndex::in_memory(&records()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn simplified_and_traditional_queries_find_the_same_parts() {
    let index = index();
    let simplified = iris(&index, &request("主权"));
    let mut sorted = simplified.clone();
    sorted.sort();
    assert_eq!(sorted, ["http://e.org/zh/1", "http://e.org/zh/2"]);
    assert_eq!(iris(&index, &request("主權")), simplified);
    assert_eq!(
        iris(&index, &request("網絡主權")),
        iris(&index, &request("网络主权"))
    );
    assert_eq!(iris(&index, &request("网络主权")), ["http://e.org/zh/1"]);
}

#[test]
fn english_inflections_meet_in_their_stem_and_the_phrase_ranks_first() {
    let index = index();
    // cooperating / cooperation: one Snowball stem.
    let mut cooperate = iris(&index, &request("cooperate"));
    cooperate.sort();
    assert_eq!(cooperate, ["http://e.org/en/2", "http://e.org/en/3"]);
    // Both words in both English texts; only the first has them as a phrase.
    let hits = iris(&index, &request("cyber sovereignty"));
    assert_eq!(hits, ["http://e.org/en/1", "http://e.org/en/2"]);
}

#[test]
fn filters_and_snippets() {
    let index = index();
    let mut only_un = request("cooperation");
    only_un.edition = Some("en-un".to_owned());
    assert_eq!(iris(&index, &only_un), ["http://e.org/en/3"]);
    only_un.edition = Some("x/en-un".to_owned());
    assert_eq!(iris(&index, &only_un), ["http://e.org/en/3"]);
    only_un.edition = Some("fr".to_owned());
    assert_eq!(
        index
            .search(&only_un)
            .err()
            .map(|e| e.to_string())
            .as_deref(),
        Some("unknown edition 'fr'; the editions are x/en-gov, x/en-un, x/zh")
    );
    let mut chinese = request("sovereignty 主权");
    chinese.language = Some(Language::Chinese);
    assert!(iris(&index, &chinese).is_empty());
    chinese.text = "主权".to_owned();
    let hits = index.search(&chinese).unwrap_or_else(|e| panic!("{e}"));
    assert!(hits.iter().all(|hit| hit.language == Language::Chinese));
    let first = hits.iter().find(|hit| hit.iri == "http://e.org/zh/2");
    assert_eq!(
        first.map(|hit| hit.snippet.marked("«", "»")).as_deref(),
        Some("«主权»平等是国际关系的基本准则")
    );
    assert_eq!(first.map(|hit| hit.place.paragraph), Some(Some(2)));
    for empty in ["", "  ，。 "] {
        assert!(matches!(
            index.search(&request(empty)),
            Err(SearchError::EmptyQuery { .. })
        ));
    }
}

#[test]
fn an_on_disk_index_is_reused_only_for_the_same_records() {
    let directory = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = directory.path().join("store.search");
    let mut records = records();
    let first = SearchIndex::on_disk(&path, &records).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.origin(), Origin::Built);
    drop(first);
    let again = SearchIndex::on_disk(&path, &records).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.origin(), Origin::Reused);
    assert_eq!(iris(&again, &request("主權")).len(), 2);
    drop(again);
    records[2].text = "主权与发展。".to_owned();
    let changed = SearchIndex::on_disk(&path, &records).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(changed.origin(), Origin::Built);
    assert_eq!(iris(&changed, &request("主權")).len(), 3);
}

#[test]
fn an_index_read_from_disk_answers_as_the_one_built_in_memory() {
    let directory = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = directory.path().join("index");
    let records = records();
    drop(SearchIndex::on_disk(&path, &records).unwrap_or_else(|e| panic!("{e}")));
    let on_disk = SearchIndex::on_disk(&path, &records).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(on_disk.origin(), Origin::Reused);
    let in_memory = index();
    for words in ["主權", "sovereignty", "cyber sovereignty", "合作"] {
        let request = request(words);
        let answer = |index: &SearchIndex| index.search(&request).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer(&on_disk), answer(&in_memory), "{words}");
    }
}

#[test]
fn an_on_disk_index_never_replaces_what_is_not_one() {
    let directory = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = directory.path().join("store.search");
    std::fs::create_dir(&path).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(path.join("notes.txt"), "mine").unwrap_or_else(|e| panic!("{e}"));
    let refused = SearchIndex::on_disk(&path, &records())
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        refused,
        Some(format!(
            "{} holds something other than a cyberkg search index (no cyberkg-fingerprint file); move it away, and cyberkg will build the index there",
            path.display()
        ))
    );
    assert!(path.join("notes.txt").is_file());
}
