//! The documents of a corpus directory: every `.yaml`, `.yml` and `.json`
//! file below it. Shared by the corpus test and the benchmark.

#![allow(dead_code)] // each user takes what it needs

use std::path::{Path, PathBuf};

/// Every document under `dir`, sorted.
pub fn documents(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The largest document under `dir`.
pub fn largest(dir: &Path) -> Option<PathBuf> {
    documents(dir)
        .into_iter()
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
}
