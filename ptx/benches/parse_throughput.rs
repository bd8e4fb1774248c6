//! Parser throughput in MB/s on realistic nvcc output (no external bench harness needed):
//! `cargo bench -p cuemu-ptx --bench parse_throughput`.
//!
//! Inputs:
//! - `fixtures`: the committed nvcc fixtures' module items repeated to ~20 MB behind one header
//!   (duplicate names are fine: the parser does not resolve symbols);
//! - `corpus`: every file of the generated corpus (`scripts/corpus.sh`: our sources at every
//!   virtual arch plus the GGML subset), one module per file, when it exists.
//!
//! Side by side in one run, over the same bytes: a baseline that only reads them (counting
//! newlines, a vectorised byte scan), the parse alone, and parse + drop of the IR (what a module
//! load pays).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn best(reps: usize, mut f: impl FnMut()) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
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

fn measure(label: &str, texts: &[String]) {
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mb = bytes as f64 / 1e6;
    let mut instrs = 0;
    for t in texts {
        let m = ptx::parse(t).expect("parse");
        instrs += m
            .items
            .iter()
            .filter_map(|i| match i {
                ptx::ModuleItem::Function(f) => f.body.as_ref().map(|b| b.len()),
                _ => None,
            })
            .sum::<usize>();
    }
    let scan = best(5, || {
        black_box(texts.iter().map(|t| t.as_bytes().iter().filter(|&&b| b == b'\n').count()).sum::<usize>());
    });
    // Parse alone: keep the modules alive until after the clock stops.
    let mut parse = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        let ms: Vec<_> = texts.iter().map(|t| ptx::parse(t).expect("parse")).collect();
        parse = parse.min(t.elapsed().as_secs_f64());
        drop(black_box(ms));
    }
    let parse_drop = best(5, || {
        for t in texts {
            drop(black_box(ptx::parse(t).expect("parse")));
        }
    });
    println!("{label}: {mb:.1} MB in {} modules, {instrs} top-level body statements", texts.len());
    println!("  baseline (newline count): {:8.1} MB/s  ({:.4} s)", mb / scan, scan);
    println!("  parse:                    {:8.1} MB/s  ({:.4} s)", mb / parse, parse);
    println!("  parse + drop:             {:8.1} MB/s  ({:.4} s)", mb / parse_drop, parse_drop);
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ptx");
    let mut bodies = String::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // Drop the header lines; keep everything after `.address_size`.
        if let Some(k) = text.find(".address_size") {
            let rest = &text[k..];
            bodies.push_str(&rest[rest.find('\n').unwrap_or(rest.len())..]);
        }
    }
    let mut src = String::from(".version 9.5\n.target sm_90\n.address_size 64\n");
    while src.len() < 20 << 20 {
        src.push_str(&bodies);
    }
    measure("fixtures", std::slice::from_ref(&src));

    let corpus = std::env::var_os("CUEMU_PTX_CORPUS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/cuemu/ptx-corpus")));
    let mut files = Vec::new();
    if let Some(c) = &corpus {
        ptx_files(c, &mut files);
    }
    files.sort();
    if files.is_empty() {
        println!("corpus: SKIPPED (no PTX corpus; run scripts/corpus.sh)");
    } else {
        let texts: Vec<String> = files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
        measure("corpus", &texts);
    }

    let m = ptx::parse(&src).unwrap();
    let t = Instant::now();
    let out = ptx::print(&m);
    let dt = t.elapsed().as_secs_f64();
    println!("print: {:.1} MB in {dt:.3} s = {:.0} MB/s", out.len() as f64 / 1e6, out.len() as f64 / 1e6 / dt);
}
