//! Parser throughput in MB/s on realistic nvcc output (no external bench harness needed):
//! `cargo bench -p cuemu-ptx --bench parse_throughput`.
//!
//! The input is the committed nvcc fixtures' module items repeated to ~20 MB behind one header
//! (duplicate names are fine: the parser does not resolve symbols).

use std::time::Instant;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ptx");
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
    let mb = src.len() as f64 / 1e6;
    let mut best = f64::INFINITY;
    let mut instrs = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let m = ptx::parse(&src).expect("parse");
        let dt = t.elapsed().as_secs_f64();
        best = best.min(dt);
        instrs = m.items.len();
        drop(m);
    }
    println!("parse: {mb:.1} MB, {instrs} module items, best of 5: {:.3} s = {:.0} MB/s", best, mb / best);
    let m = ptx::parse(&src).unwrap();
    let t = Instant::now();
    let out = ptx::print(&m);
    let dt = t.elapsed().as_secs_f64();
    println!("print: {:.1} MB in {dt:.3} s = {:.0} MB/s", out.len() as f64 / 1e6, out.len() as f64 / 1e6 / dt);
}
