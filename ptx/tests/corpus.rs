//! The generated PTX corpus (`scripts/corpus.sh`: our CUDA sources at every virtual arch nvcc
//! offers, a GGML subset, with `corpus.sh ggml-full` every ggml-cuda translation unit —
//! 144 files, 327 MB — and with `corpus.sh cu12` the PTX CUDA 12.9's nvcc wrote into
//! libcurand): every file must parse and round-trip (parse → print → parse gives
//! the same IR; printing is a fixed point). The corpus is never committed; it lives in
//! `$CUEMU_PTX_CORPUS` (default `~/.cache/cuemu/ptx-corpus`). Without it the test is skipped
//! with the reason printed.

mod common;

use std::path::{Path, PathBuf};

fn corpus_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("CUEMU_PTX_CORPUS") {
        return Some(PathBuf::from(d));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/cuemu/ptx-corpus"))
}

fn ptx_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            ptx_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "ptx") {
            out.push(p);
        }
    }
}

#[test]
fn corpus_parses_and_roundtrips() {
    let Some(dir) = corpus_dir().filter(|d| d.is_dir()) else {
        eprintln!("SKIPPED corpus_parses_and_roundtrips: no corpus (run scripts/corpus.sh, or set CUEMU_PTX_CORPUS)");
        return;
    };
    let mut files = Vec::new();
    ptx_files(&dir, &mut files);
    files.sort();
    if files.is_empty() {
        eprintln!("SKIPPED corpus_parses_and_roundtrips: {} holds no .ptx files", dir.display());
        return;
    }
    // Parallel over files: the GGML part is tens of MB.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Vec<(String, usize, usize, usize)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(f) = files.get(i) else { break };
                        let rel = f.strip_prefix(&dir).unwrap().display().to_string();
                        let src = std::fs::read_to_string(f).unwrap();
                        let m = common::roundtrip(&rel, &src);
                        let funcs = m.items.iter().filter(|i| matches!(i, ptx::ModuleItem::Function(_))).count();
                        out.push((rel, src.len(), funcs, common::instructions(&m).len()));
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a corpus file failed (see above)")).collect()
    });
    // Per top-level group (ours/, ggml/, ggml-full/): files, bytes, functions, instructions.
    let mut groups: std::collections::BTreeMap<String, (usize, usize, usize, usize)> = Default::default();
    for (rel, bytes, funcs, instrs) in results.into_iter().flatten() {
        let g = groups.entry(rel.split('/').next().unwrap_or("").to_string()).or_default();
        *g = (g.0 + 1, g.1 + bytes, g.2 + funcs, g.3 + instrs);
    }
    for (g, (n, bytes, funcs, instrs)) in &groups {
        eprintln!("corpus {g}: {n} files, {bytes} bytes, {funcs} functions, {instrs} instructions: all parse and round-trip");
    }
    assert_eq!(groups.values().map(|g| g.0).sum::<usize>(), files.len());
}
