//! Census of the GGML PTX corpus (`scripts/corpus.sh ggml`): every kernel of every translation
//! unit is lowered (and by default compiled) through the executor; the table names each kernel
//! that fails with its reason, and the slowest compiles. Not part of the suite (the corpus is
//! not committed, and a full compile of its ~1000 kernels takes many CPU-minutes):
//!
//! ```sh
//! cargo test --release --lib ggml_census -- --ignored --nocapture
//! ```
//!
//! Environment: `CUEMU_CENSUS_DIR` (default `~/.cache/cuemu/ptx-corpus/ggml/compute_80`),
//! `CUEMU_CENSUS_MODE=lower|compile` (`lower` stops after LLVM IR verification: finds every
//! unsupported instruction in about a minute), `CUEMU_CENSUS_FILTER=<substring of file name>`,
//! `CUEMU_CENSUS_KERNEL=<substring of kernel name>`, `CUEMU_CENSUS_EVERY=N` (every Nth kernel of
//! each file: a sample), `CUEMU_CENSUS_JOBS` (threads, default 2), `CUEMU_CENSUS_TOP` (rows of the slowest and largest
//! tables, default 20), `CUEMU_CENSUS_MAX_FAILURES` (fail the test above it).

use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Row {
    file: String,
    kernel: String,
    ptx_lines: usize,
    ms: f64,
    llvm_instrs: usize,
    /// Host stack one warp needs (compile mode), from the compiled frames.
    stack_bytes: usize,
    error: Option<String>,
}

/// A failure reason without its line number, for grouping ("`mma.sync…`: message").
fn reason_key(e: &str) -> String {
    match e.find('`') {
        Some(k) => e[k..].lines().next().unwrap_or("").to_string(),
        None => e.lines().next().unwrap_or("").to_string(),
    }
}

/// PTX lines of a function's body (a size measure for the outlier table).
fn body_lines(text: &str, kernel: &str) -> usize {
    let Some(start) = text.find(&format!(".entry {kernel}(")) else { return 0 };
    let rest = &text[start + 1..];
    // The next top-level item (inline assembly puts `}` in column 0, so that is no end).
    let end = ["\n.visible ", "\n.entry ", "\n.func ", "\n.weak ", "\n\t// .globl"]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
        .unwrap_or(rest.len());
    rest[..end].lines().count()
}

#[test]
#[ignore]
fn ggml_census() {
    let home = std::env::var("HOME").unwrap_or_default();
    let cache = std::env::var("CUEMU_CACHE").unwrap_or_else(|_| format!("{home}/.cache/cuemu"));
    let dir = std::env::var("CUEMU_CENSUS_DIR").unwrap_or_else(|_| format!("{cache}/ptx-corpus/ggml/compute_80"));
    let lower_only = std::env::var("CUEMU_CENSUS_MODE").as_deref() == Ok("lower");
    let filter = std::env::var("CUEMU_CENSUS_FILTER").unwrap_or_default();
    let kfilter = std::env::var("CUEMU_CENSUS_KERNEL").unwrap_or_default();
    let every: usize = std::env::var("CUEMU_CENSUS_EVERY").ok().and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let jobs: usize = std::env::var("CUEMU_CENSUS_JOBS").ok().and_then(|v| v.parse().ok()).unwrap_or(2).max(1);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e} (run scripts/corpus.sh ggml)"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ptx") && p.to_string_lossy().contains(&filter))
        .collect();
    files.sort();
    let mut rows: Vec<Row> = Vec::new();
    let t_all = Instant::now();
    for p in &files {
        let fname = p.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(p).unwrap();
        let m = match ModuleImage::load_ptx(&text) {
            Ok(m) => m,
            Err(e) => {
                rows.push(Row { file: fname, kernel: "(module)".into(), ptx_lines: 0, ms: 0.0, llvm_instrs: 0, stack_bytes: 0, error: Some(format!("load: {}", e.message)) });
                continue;
            }
        };
        let kernels: Vec<String> =
            m.kernel_names().into_iter().filter(|k| k.contains(&kfilter)).enumerate().filter(|(n, _)| n % every == 0).map(|(_, k)| k).collect();
        let next = AtomicUsize::new(0);
        let results = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for _ in 0..jobs {
                s.spawn(|| loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(name) = kernels.get(k) else { break };
                    let t0 = Instant::now();
                    let r = if lower_only {
                        compile::lower_only(&m.ptx, &m.syms, name)
                    } else {
                        compile::lower_only(&m.ptx, &m.syms, name).and_then(|n| m.compile(name).map(|_| n))
                    };
                    let ms = t0.elapsed().as_secs_f64() * 1e3;
                    let stack_bytes = if lower_only { 0 } else { m.compiled_kernel(name).map(|k| k.stack_bytes).unwrap_or(0) };
                    let (llvm_instrs, error) = match r {
                        Ok(n) => (n, None),
                        Err(e) => (0, Some(e)),
                    };
                    results.lock().unwrap().push(Row {
                        file: fname.clone(),
                        kernel: name.clone(),
                        ptx_lines: body_lines(&text, name),
                        ms,
                        llvm_instrs,
                        stack_bytes,
                        error,
                    });
                });
            }
        });
        let mut r = results.into_inner().unwrap();
        let nfail = r.iter().filter(|x| x.error.is_some()).count();
        eprintln!("{fname}: {} kernels, {nfail} failed ({:.1} s so far)", r.len(), t_all.elapsed().as_secs_f64());
        r.sort_by(|a, b| a.kernel.cmp(&b.kernel));
        rows.extend(r);
    }

    let failures: Vec<&Row> = rows.iter().filter(|r| r.error.is_some()).collect();
    eprintln!("\n## Failures ({} of {} kernels)\n\n| file | kernel | reason |\n|---|---|---|", failures.len(), rows.len());
    for r in &failures {
        let e = r.error.as_deref().unwrap().lines().next().unwrap_or("");
        eprintln!("| {} | {} | {} |", r.file, r.kernel, e);
    }
    let mut by_reason: std::collections::BTreeMap<String, usize> = Default::default();
    for r in &failures {
        *by_reason.entry(reason_key(r.error.as_deref().unwrap())).or_default() += 1;
    }
    eprintln!("\n## Failures by reason\n\n| kernels | reason |\n|---|---|");
    for (k, n) in &by_reason {
        eprintln!("| {n} | {k} |");
    }
    let mut ok: Vec<&Row> = rows.iter().filter(|r| r.error.is_none()).collect();
    ok.sort_by(|a, b| b.ms.total_cmp(&a.ms));
    let total_ms: f64 = rows.iter().map(|r| r.ms).sum();
    eprintln!(
        "\n## Slowest {} (of {} kernels, {:.1} s in all, {:.1} s wall)\n\n| ms | PTX lines | LLVM instrs | warp stack MiB | file | kernel |\n|---|---|---|---|---|---|",
        if lower_only { "lowerings" } else { "compiles" },
        ok.len(),
        total_ms / 1e3,
        t_all.elapsed().as_secs_f64()
    );
    let top: usize = std::env::var("CUEMU_CENSUS_TOP").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    for r in ok.iter().take(top) {
        eprintln!("| {:.0} | {} | {} | {} | {} | {} |", r.ms, r.ptx_lines, r.llvm_instrs, r.stack_bytes >> 20, r.file, r.kernel);
    }
    // The largest kernels by LLVM instructions (before optimisation): what the pipeline choice
    // of `compile::pipeline` is keyed on.
    ok.sort_by(|a, b| b.llvm_instrs.cmp(&a.llvm_instrs));
    eprintln!("\n## Largest {top} by LLVM instructions\n\n| LLVM instrs | ms | PTX lines | file | kernel |\n|---|---|---|---|---|");
    for r in ok.iter().take(top) {
        eprintln!("| {} | {:.0} | {} | {} | {} |", r.llvm_instrs, r.ms, r.ptx_lines, r.file, r.kernel);
    }
    let allowed = std::env::var("CUEMU_CENSUS_MAX_FAILURES").ok().and_then(|v| v.parse().ok()).unwrap_or(usize::MAX);
    assert!(failures.len() <= allowed, "{} kernels failed, {allowed} allowed", failures.len());
}
