//! Benchmarks of the pipeline on the built-in corpus: parsing, building the
//! quads, loading the in-memory store, exporting it, its RDFC-1.0 canonical
//! hash, and two named queries; and the UN parser on one paragraph broken
//! by thousands of page breaks (its join must stay linear in the input).
//!
//! Run with `cargo bench --bench pipeline`; numbers are reported in
//! docs/benchmarks.md.

use criterion::{Criterion, criterion_group, criterion_main};
use cyberkg::corpus::Corpus;
use cyberkg::document::parse_corpus;
use cyberkg::export::write_store;
use cyberkg::graph::{Base, build_quads};
use cyberkg::store::Location;
use std::hint::black_box;

fn pipeline(c: &mut Criterion) {
    let corpus = match Corpus::builtin() {
        Ok(corpus) => corpus,
        Err(error) => panic!("the built-in corpus does not load: {error}"),
    };
    let base = Base::default();
    c.bench_function("parse corpus", |b| {
        b.iter(|| parse_corpus(black_box(&corpus)))
    });
    let parsed = match parse_corpus(&corpus) {
        Ok(parsed) => parsed,
        Err(error) => panic!("the built-in corpus does not parse: {error}"),
    };
    c.bench_function("build quads", |b| {
        b.iter(|| build_quads(black_box(&corpus), black_box(&parsed), &base))
    });
    c.bench_function("build: parse + quads + load in memory", |b| {
        b.iter(|| {
            cyberkg::pipeline::build(&corpus, &base, &Location::Memory)
                .map(|built| built.store.len())
        })
    });
    let memory = match cyberkg::pipeline::build(&corpus, &base, &Location::Memory) {
        Ok(built) => built.store,
        Err(error) => panic!("the graph does not build: {error}"),
    };
    let mut group = c.benchmark_group("export");
    for format in cyberkg::export::ALL_FORMATS {
        group.bench_function(format.name(), |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(1 << 20);
                let _ = write_store(&memory, None, format, &mut out);
                out
            })
        });
    }
    group.finish();
    c.bench_function("hash: RDFC-1.0 canonical N-Quads + SHA-256", |b| {
        b.iter(|| {
            cyberkg::canonical::CanonicalNQuads::from_store(&memory, None)
                .map(|canonical| canonical.sha256_hex())
        })
    });
    let mut group = c.benchmark_group("named query");
    for name in ["who-is-named-where", "side-by-side-chapter-3"] {
        let Some(text) = cyberkg::queries::named(name) else {
            panic!("no named query {name}");
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let services = cyberkg::sparql::Services::none();
                let prepared = match cyberkg::sparql::prepare(text, name, &services) {
                    Ok(prepared) => prepared,
                    Err(error) => panic!("{error}"),
                };
                match prepared.on_store(&memory).execute() {
                    Ok(oxigraph::sparql::QueryResults::Solutions(rows)) => rows.count(),
                    _ => 0,
                }
            })
        });
    }
    group.finish();
}

/// The UN parser on a paragraph continued by `lines` lower-case lines, each
/// after a blank line (as a page break leaves it): twice the lines should
/// take about twice the time.
fn page_broken_paragraph(c: &mut Criterion) {
    use cyberkg::document::un::{UnIds, parse_un_text};
    use cyberkg::document::{Errata, SourceText};
    let ids = UnIds {
        source: "big".into(),
        edition: "big/en".into(),
        letter: "big/letter".into(),
    };
    let mut group = c.benchmark_group("page-broken paragraph");
    group.sample_size(10);
    for lines in [5_000, 20_000] {
        let mut text = String::from("Chapter I Start\n\nFirst");
        for line in 0..lines {
            text.push_str(&format!("\n\ncontinued line {line} of the paragraph"));
        }
        let source = SourceText::new("big.txt", text);
        group.bench_function(format!("{lines} lines"), |b| {
            b.iter(|| parse_un_text(black_box(&source), &ids, &Errata::default()))
        });
    }
    group.finish();
}

criterion_group!(benches, pipeline, page_broken_paragraph);
criterion_main!(benches);
