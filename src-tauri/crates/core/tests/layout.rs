//! The house stays one house: the core's top-level modules form a kernel and
//! a set of features named for the officer's nouns, and no module uses a
//! sibling that uses it back. This test reads the core's source (every
//! `crate::<module>` path outside a file's `#[cfg(test)] mod tests`, in `use`
//! lines and inline), builds the graph between top-level modules, and fails
//! naming the files on a cycle, or on a kernel module that reaches up into a
//! feature. Unit tests may use anything: they are the officer's stories.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The kernel: the domain vocabulary, `Db` and events, files, encryption
/// streams, the clock, secrets and the purge contract. It never uses a feature.
const KERNEL: &[&str] =
    &["clock", "crash_point", "crypto", "domain", "error", "files", "html", "paths", "purge", "secrets", "store", "testutil"];

/// The features, named for the officer's nouns, from the bottom up: each
/// uses only the kernel and the features before it here (and in `lib.rs`).
const FEATURES: &[&str] = &[
    "settings",
    "deadlines",
    "datamap",
    "tasks",
    "requests",
    "evidence",
    "identity",
    "letters",
    "audit",
    "mailbox",
    "packages",
    "import",
    "register",
    "backups",
    "retention",
    "workspace",
];

type Graph = BTreeMap<String, BTreeMap<String, Vec<String>>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read the core's source folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The part of a file that is not its unit-test module.
fn without_tests(text: &str) -> &str {
    let mut from = 0;
    while let Some(i) = text[from..].find("#[cfg(test)]") {
        let at = from + i;
        let rest = text[at + "#[cfg(test)]".len()..].trim_start();
        if rest.starts_with("mod tests") {
            return &text[..at];
        }
        from = at + 1;
    }
    text
}

/// `crate::<name>` references of the code (comments left out), with their line.
fn references(text: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (n, line) in without_tests(text).lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let before = rest[..i].chars().last();
            let after = &rest[i + "crate::".len()..];
            let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') && !name.is_empty() {
                found.push((name, n + 1));
            }
            rest = after;
        }
    }
    found
}

/// The graph of one source tree: module -> module it uses -> where.
fn graph_of(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut graph = Graph::new();
    for file in files {
        let rel = file.strip_prefix(src).expect("inside src").to_string_lossy().replace('\\', "/");
        if rel == "lib.rs" {
            continue;
        }
        let top = rel.split('/').next().unwrap_or("").trim_end_matches(".rs").to_string();
        let text = std::fs::read_to_string(&file).expect("read a source file");
        for (used, line) in references(&text) {
            // `crate::Result`, `crate::Error`: the re-exports of `error` at the root.
            let used = if used == "Result" || used == "Error" { "error".to_string() } else { used };
            if used != top {
                graph.entry(top.clone()).or_default().entry(used).or_default().push(format!("{rel}:{line}"));
            }
        }
        graph.entry(top).or_default();
    }
    graph
}

/// A path from `from` back to `to`, if there is one.
fn path_between(graph: &Graph, from: &str, to: &str) -> Option<Vec<String>> {
    let mut stack = vec![(from.to_string(), vec![from.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        if at == to {
            return Some(path);
        }
        if !seen.insert(at.clone()) {
            continue;
        }
        for next in graph.get(&at).into_iter().flat_map(|m| m.keys()) {
            let mut p = path.clone();
            p.push(next.clone());
            stack.push((next.clone(), p));
        }
    }
    None
}

/// Every problem with the layout, in words.
fn problems(graph: &Graph) -> Vec<String> {
    let mut found = Vec::new();
    for (module, uses) in graph {
        if !KERNEL.contains(&module.as_str()) && !FEATURES.contains(&module.as_str()) {
            found.push(format!("`{module}` is neither a kernel module nor a feature named in tests/layout.rs"));
        }
        for (used, at) in uses {
            if KERNEL.contains(&module.as_str()) && FEATURES.contains(&used.as_str()) {
                found.push(format!("kernel module `{module}` uses the feature `{used}` ({})", at[0]));
            }
            let rank = |m: &str| FEATURES.iter().position(|f| *f == m);
            if let (Some(a), Some(b)) = (rank(module), rank(used)) {
                if b > a {
                    found.push(format!("feature `{module}` uses `{used}`, which comes after it in the layering ({})", at[0]));
                }
            }
            if let Some(back) = path_between(graph, used, module) {
                let first_back = &graph[&back[0]][&back[1]][0];
                found.push(format!("cycle: `{module}` uses `{used}` ({}), and `{}` leads back ({first_back})", at[0], back.join("` -> `")));
            }
        }
    }
    found
}

fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_module_of_the_core_uses_a_sibling_that_uses_it_back() {
    let graph = graph_of(&core_src());
    assert!(graph.len() > 20, "the core's modules were read ({} found)", graph.len());
    let problems = problems(&graph);
    assert!(problems.is_empty(), "the core's layout has {} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_feature_and_kernel_module_named_here_exists() {
    let graph = graph_of(&core_src());
    for name in KERNEL.iter().chain(FEATURES) {
        assert!(graph.contains_key(*name), "`{name}` is named in tests/layout.rs but is not a module of the core");
    }
}

/// The check itself catches what it is for: a copy of the core's source in
/// which `settings` is made to use `letters` (which uses `settings`) is
/// reported as a cycle, and `store` using `requests` as a kernel breach.
#[test]
fn a_cycle_or_a_kernel_reaching_up_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&core_src(), dir.path());
    let settings = dir.path().join("settings/mod.rs");
    let text = std::fs::read_to_string(&settings).expect("settings/mod.rs");
    std::fs::write(&settings, format!("use crate::letters::Letter;\n{text}")).expect("write");
    let store = dir.path().join("store/mod.rs");
    let text = std::fs::read_to_string(&store).expect("store/mod.rs");
    std::fs::write(&store, format!("use crate::requests::rows;\n{text}")).expect("write");

    let problems = problems(&graph_of(dir.path()));
    assert!(
        problems.iter().any(|p| p.starts_with("cycle: `settings` uses `letters` (settings/mod.rs:1)")),
        "the cycle is reported: {problems:#?}"
    );
    assert!(
        problems.iter().any(|p| p == "kernel module `store` uses the feature `requests` (store/mod.rs:1)"),
        "the kernel breach is reported: {problems:#?}"
    );
}

#[test]
fn a_unit_test_module_may_use_any_module() {
    let text = "use crate::store::Db;\n#[cfg(test)]\nfn helper() {}\n#[cfg(test)]\nmod tests {\n    use crate::letters::Letter;\n}\n";
    let found: Vec<String> = references(text).into_iter().map(|(n, _)| n).collect();
    assert_eq!(found, ["store"]);
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}
