//! Parser throughput in MB/s on realistic nvcc output (no external bench harness needed):
//! `cargo bench -p cuemu-ptx --bench parse_throughput`.
//!
//! Inputs:
//! - `fixtures`: the committed nvcc fixtures' module items repeated to ~20 MB behind one header
//!   (duplicate names are fine: the parser does not resolve symbols);
//! - the generated corpus (`scripts/corpus.sh`), when it exists, one module per file, by group:
//!   `ours` (our sources at every virtual arch), `ggml` (the GGML subset), `ggml-full` (every
//!   ggml-cuda translation unit), and all of them together.
//!
//! Side by side in one run, over the same bytes: a baseline that only reads them (counting
//! newlines, a vectorised byte scan), the parse alone (the modules are dropped after the clock
//! stops; the IR of all of `ggml-full` takes ~3.6 GB), and parse + drop of the IR (what a
//! module load and unload pay). Each is the best of three passes, as wall-clock time and as
//! this thread's CPU time: the machine is shared, and CPU time is what other load perturbs
//! least.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn thread_cpu() -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid out-pointer to a timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

/// (wall, cpu) seconds of `f`.
#[derive(Clone, Copy)]
struct Time(f64, f64);

impl Time {
    const INF: Time = Time(f64::INFINITY, f64::INFINITY);
    fn min(self, o: Time) -> Time {
        Time(self.0.min(o.0), self.1.min(o.1))
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Time) {
    let (w, c) = (Instant::now(), thread_cpu());
    let r = f();
    let t = Time(w.elapsed().as_secs_f64(), thread_cpu() - c);
    (r, t)
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

fn row(what: &str, mb: f64, t: Time) {
    println!("  {what:<26} {:8.1} MB/s wall {:8.1} MB/s cpu  ({:.3} s)", mb / t.0, mb / t.1, t.0);
}

fn measure(label: &str, texts: &[&str]) {
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
    let (mut scan, mut parse, mut parse_drop) = (Time::INF, Time::INF, Time::INF);
    for _ in 0..3 {
        scan = scan.min(timed(|| black_box(texts.iter().map(|t| t.as_bytes().iter().filter(|&&b| b == b'\n').count()).sum::<usize>())).1);
        // Parse alone: the modules stay alive until after the clock stopped (as a loaded
        // module's IR does).
        let (ms, p) = timed(|| texts.iter().map(|t| ptx::parse(t).expect("parse")).collect::<Vec<_>>());
        parse = parse.min(p);
        drop(black_box(ms));
        parse_drop = parse_drop.min(
            timed(|| {
                for t in texts {
                    drop(black_box(ptx::parse(t).expect("parse")));
                }
            })
            .1,
        );
    }
    println!("{label}: {mb:.1} MB in {} modules, {instrs} top-level body statements", texts.len());
    row("baseline (newline count):", mb, scan);
    row("parse:", mb, parse);
    row("parse + drop:", mb, parse_drop);
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
    measure("fixtures", &[src.as_str()]);

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
        let root = corpus.unwrap();
        let texts: Vec<(String, String)> = files
            .iter()
            .map(|f| {
                let group = f.strip_prefix(&root).ok().and_then(|r| r.iter().next()).map(|g| g.to_string_lossy().into_owned());
                (group.unwrap_or_default(), std::fs::read_to_string(f).unwrap())
            })
            .collect();
        let mut groups: Vec<&str> = texts.iter().map(|(g, _)| g.as_str()).collect();
        groups.dedup();
        for g in groups {
            let of_group: Vec<&str> = texts.iter().filter(|(h, _)| h == g).map(|(_, t)| t.as_str()).collect();
            measure(&format!("corpus {g}"), &of_group);
        }
        let all: Vec<&str> = texts.iter().map(|(_, t)| t.as_str()).collect();
        measure("corpus (all)", &all);
    }

    let m = ptx::parse(&src).unwrap();
    let t = Instant::now();
    let out = ptx::print(&m);
    let dt = t.elapsed().as_secs_f64();
    println!("print: {:.1} MB in {dt:.3} s = {:.0} MB/s", out.len() as f64 / 1e6, out.len() as f64 / 1e6 / dt);
}
