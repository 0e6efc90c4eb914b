//! The loading recipe each engine expects, written beside the split files.
//!
//! A recipe is text for the engine's own bulk loader, filled with the
//! files' directory and names from the [`Manifest`]; nothing here runs an
//! engine. Where the engine needs something only the user knows (a
//! password, an S3 bucket, an IAM role), the recipe holds an upper-case
//! placeholder in angle brackets (`<S3-URI>`) and says so in a comment.
//! The sources of each syntax are listed in the README ("Handing off to
//! other engines"). Invariant: recipes load every data file and nothing
//! else, and never ask an engine to infer (so its counts are the manifest's).

use super::{BulkError, Compression, Manifest, RecipeEntry, write_file};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

/// The engines cyberkg writes recipes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// OpenLink Virtuoso: an isql script for its RDF bulk loader.
    Virtuoso,
    /// QLever: a Qleverfile for `qlever index`.
    Qlever,
    /// Apache Jena: a `tdb2.xloader` command line.
    Jena,
    /// Ontotext GraphDB: an ImportRDF command and a repository configuration.
    Graphdb,
    /// Amazon Neptune: the bulk loader's request, with placeholders.
    Neptune,
    /// Oxigraph: an `oxigraph load` command line.
    Oxigraph,
}

/// Every engine, in the order of `--help`.
pub const ALL_ENGINES: [Engine; 6] = [
    Engine::Virtuoso,
    Engine::Qlever,
    Engine::Jena,
    Engine::Graphdb,
    Engine::Neptune,
    Engine::Oxigraph,
];

impl Engine {
    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Virtuoso => "virtuoso",
            Engine::Qlever => "qlever",
            Engine::Jena => "jena",
            Engine::Graphdb => "graphdb",
            Engine::Neptune => "neptune",
            Engine::Oxigraph => "oxigraph",
        }
    }
}

/// A name that is no engine's.
#[derive(Debug, thiserror::Error)]
#[error("unknown engine '{0}'; expected one of virtuoso, qlever, jena, graphdb, neptune, oxigraph")]
pub struct UnknownEngine(pub String);

impl std::str::FromStr for Engine {
    type Err = UnknownEngine;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        ALL_ENGINES
            .into_iter()
            .find(|engine| engine.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownEngine(name.to_owned()))
    }
}

/// The graph Virtuoso's loader gives triples that carry none; every quad
/// cyberkg writes carries its graph, so it is never used.
pub const VIRTUOSO_FALLBACK_GRAPH: &str = "urn:cyberkg:no-graph";

/// `'text'` as an SQL string literal.
fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `text` quoted for a POSIX shell.
fn shell_word(text: &str) -> String {
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+:=@%,".contains(&b))
    {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The data files as a glob the engines' loaders (and shells) expand.
fn file_pattern(compression: Compression) -> String {
    format!("cyberkg-*.{}", compression.extension())
}

/// Writes `engine`'s recipe into `directory`, naming `loading_directory`
/// as the files' place, and returns its manifest entry.
pub(crate) fn write(
    engine: Engine,
    manifest: &Manifest,
    directory: &Path,
    loading_directory: &Path,
) -> Result<RecipeEntry, BulkError> {
    let files: Vec<(&str, String)> = match engine {
        Engine::Virtuoso => vec![("virtuoso-load.sql", virtuoso(manifest, loading_directory))],
        Engine::Qlever => vec![("Qleverfile", qlever(manifest))],
        Engine::Jena => vec![("jena-load.sh", jena(manifest, loading_directory))],
        Engine::Graphdb => vec![
            ("graphdb-load.sh", graphdb(manifest, loading_directory)),
            ("graphdb-repository.ttl", GRAPHDB_REPOSITORY.to_owned()),
        ],
        Engine::Neptune => vec![("neptune-loader.json", neptune())],
        Engine::Oxigraph => vec![("oxigraph-load.sh", oxigraph(manifest, loading_directory))],
    };
    for (name, text) in &files {
        write_file(directory, name, |out| out.write_all(text.as_bytes()))?;
    }
    Ok(RecipeEntry {
        engine,
        files: files.into_iter().map(|(name, _)| name.to_owned()).collect(),
    })
}

/// Virtuoso's RDF bulk loader: register the files (`ld_dir`), load them
/// (`rdf_loader_run`), make the load durable (`checkpoint`), then list the
/// files that failed. N-Quads keep their own graphs; `.gz` is read as is.
fn virtuoso(manifest: &Manifest, loading_directory: &Path) -> String {
    let directory = loading_directory.display().to_string();
    format!(
        "-- Loads the cyberkg export ({quads} quads in {files} files) with Virtuoso's RDF bulk loader.\n\
         -- The directory must be listed in DirsAllowed of virtuoso.ini. Run as the dba user:\n\
         --   isql-vt 1111 dba <PASSWORD> {script}\n\
         -- N-Quads keep their own graphs; the third argument of ld_dir only names a graph for\n\
         -- triples without one, which this export has none of.\n\
         ld_dir({dir}, {pattern}, {fallback});\n\
         rdf_loader_run();\n\
         checkpoint;\n\
         -- Every file should be in state 2 (done) with no error:\n\
         SELECT ll_file, ll_state, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE {like};\n",
        quads = manifest.quads,
        files = manifest.files.len(),
        script = shell_word(&format!("{directory}/virtuoso-load.sql")),
        dir = sql_string(&directory),
        pattern = sql_string(&file_pattern(manifest.compression)),
        fallback = sql_string(VIRTUOSO_FALLBACK_GRAPH),
        like = sql_string(&format!("{directory}/%")),
    )
}

/// A Qleverfile for `qlever index` in the files' directory: N-Quads
/// (`FORMAT = nq`), one input stream of every file, decompressed by zcat.
fn qlever(manifest: &Manifest) -> String {
    let pattern = file_pattern(manifest.compression);
    let cat = match manifest.compression {
        Compression::Gzip => "zcat ${INPUT_FILES}",
        Compression::None => "cat ${INPUT_FILES}",
    };
    format!(
        "# Qleverfile for the cyberkg export ({quads} quads in {files} files); in this\n\
         # directory run `qlever index`, then `qlever start`.\n\
         [data]\n\
         NAME              = cyberkg\n\
         DESCRIPTION       = cyberkg knowledge graph ({quads} quads)\n\
         FORMAT            = nq\n\
         \n\
         [index]\n\
         INPUT_FILES       = {pattern}\n\
         CAT_INPUT_FILES   = {cat}\n\
         PARALLEL_PARSING  = true\n\
         SETTINGS_JSON     = {{ \"num-triples-per-batch\": 1000000 }}\n\
         \n\
         [server]\n\
         PORT              = 7001\n\
         \n\
         [runtime]\n\
         SYSTEM            = docker\n",
        quads = manifest.quads,
        files = manifest.files.len(),
    )
}

/// The files, each as an absolute shell word.
fn file_words(manifest: &Manifest, loading_directory: &Path) -> String {
    manifest
        .files
        .iter()
        .map(|file| {
            format!(
                " \\\n  {}",
                shell_word(&loading_directory.join(&file.name).display().to_string())
            )
        })
        .collect()
}

/// Jena's TDB2 bulk loader for a fresh database (`tdb2.xloader` reads
/// `.gz` by its extension and keeps N-Quads' graphs).
fn jena(manifest: &Manifest, loading_directory: &Path) -> String {
    format!(
        "#!/bin/sh\n\
         # Builds a fresh TDB2 database from the cyberkg export ({quads} quads) with\n\
         # Apache Jena's bulk loader; DB must not exist yet. Usage: sh jena-load.sh DB\n\
         set -eu\n\
         tdb2.xloader --loc \"${{1:?usage: sh jena-load.sh DB}}\"{files}\n",
        quads = manifest.quads,
        files = file_words(manifest, loading_directory),
    )
}

/// A GraphDB repository without inference (ruleset `empty`), so the loaded
/// statements are the exported quads and no more.
const GRAPHDB_REPOSITORY: &str = "\
# A GraphDB repository for the cyberkg export, without inference.
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rep: <http://www.openrdf.org/config/repository#> .
@prefix sr: <http://www.openrdf.org/config/repository/sail#> .
@prefix sail: <http://www.openrdf.org/config/sail#> .
@prefix graphdb: <http://www.ontotext.com/config/graphdb#> .

[] a rep:Repository ;
    rep:repositoryID \"cyberkg\" ;
    rdfs:label \"cyberkg\" ;
    rep:repositoryImpl [
        rep:repositoryType \"graphdb:SailRepository\" ;
        sr:sailImpl [
            sail:sailType \"graphdb:Sail\" ;
            graphdb:ruleset \"empty\"
        ]
    ] .
";

/// GraphDB's ImportRDF tool, `preload` mode (for a new repository; the
/// server must be stopped), with the repository configuration beside it.
fn graphdb(manifest: &Manifest, loading_directory: &Path) -> String {
    let config = loading_directory.join("graphdb-repository.ttl");
    format!(
        "#!/bin/sh\n\
         # Loads the cyberkg export ({quads} quads) into a new GraphDB repository \"cyberkg\"\n\
         # with the ImportRDF tool (GraphDB's bin/ folder on PATH, the server stopped).\n\
         set -eu\n\
         importrdf preload --force -c {config}{files}\n",
        quads = manifest.quads,
        config = shell_word(&config.display().to_string()),
        files = file_words(manifest, loading_directory),
    )
}

/// The body of a `POST https://<NEPTUNE-ENDPOINT>:8182/loader` request
/// (`curl -X POST -H 'Content-Type: application/json' -d @neptune-loader.json …`),
/// after the files are copied to S3 (gzip files are loaded as they are).
fn neptune() -> String {
    "{\n  \"source\": \"<S3-URI of the folder holding the cyberkg-*.nq.gz files>\",\n  \
     \"format\": \"nquads\",\n  \
     \"iamRoleArn\": \"<ARN of an IAM role the cluster may assume to read the bucket>\",\n  \
     \"region\": \"<AWS region of the cluster and the bucket>\",\n  \
     \"failOnError\": \"TRUE\",\n  \
     \"parallelism\": \"MEDIUM\",\n  \
     \"queueRequest\": \"TRUE\"\n}\n"
        .to_owned()
}

/// `oxigraph load` into an on-disk store (files loaded in parallel; a
/// `.gz` extension is decompressed).
fn oxigraph(manifest: &Manifest, loading_directory: &Path) -> String {
    format!(
        "#!/bin/sh\n\
         # Loads the cyberkg export ({quads} quads) into an Oxigraph store.\n\
         # Usage: sh oxigraph-load.sh STORE-DIRECTORY\n\
         set -eu\n\
         oxigraph load --location \"${{1:?usage: sh oxigraph-load.sh STORE-DIRECTORY}}\" --file{files}\n",
        quads = manifest.quads,
        files = file_words(manifest, loading_directory),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_names_round_trip_and_strings_are_quoted() {
        for engine in ALL_ENGINES {
            assert_eq!(engine.name().parse::<Engine>().ok(), Some(engine));
        }
        assert_eq!(
            "Oracle".parse::<Engine>().map_err(|e| e.to_string()).err(),
            Some("unknown engine 'Oracle'; expected one of virtuoso, qlever, jena, graphdb, neptune, oxigraph".to_owned())
        );
        assert_eq!(sql_string("/data/o'neil"), "'/data/o''neil'");
        assert_eq!(shell_word("/data/kg-1/a.nq.gz"), "/data/kg-1/a.nq.gz");
        assert_eq!(shell_word("/my data/it's"), "'/my data/it'\\''s'");
    }
}
