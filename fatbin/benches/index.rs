//! Fatbin indexing time: `cargo bench -p cuemu-fatbin --bench index`.
//!
//! Inputs, from `scripts/corpus.sh` under `$CUEMU_PTX_CORPUS/fatbin/`, each skipped when absent:
//! `ggml-subset.fatbin` (19 GGML translation units as back-to-back fatbins, zstd PTX, as in a
//! `.nv_fatbin` section) and `ggml-full.fatbin` (`corpus.sh ggml-full`: all 144 CUDA
//! translation units of a default GGML build for `80-virtual`, one fatbin each,
//! `-compress-mode=size`: the whole library's device code). Side by side, in one run:
//! - baseline: one pass over the same bytes looking for the fatbin magic (a byte scan);
//! - index: find every fatbin and entry and name it as cuobjdump does (no decompression);
//! - select: index, then pick and decompress the PTX for one device (what module load does);
//! - extract all: decompress every PTX entry (what `cuemu fatbin extract --ptx` does).

use std::hint::black_box;
use std::time::Instant;

fn best<T>(reps: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let t = Instant::now();
        black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

fn main() {
    let dir = std::env::var_os("CUEMU_PTX_CORPUS")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache/cuemu/ptx-corpus")))
        .unwrap();
    for (label, file) in [("ggml subset", "ggml-subset.fatbin"), ("ggml full library", "ggml-full.fatbin")] {
        let path = dir.join("fatbin").join(file);
        let Ok(bytes) = std::fs::read(&path) else {
            println!("{label}: SKIPPED: {} not found (run scripts/corpus.sh)", path.display());
            continue;
        };
        let mb = bytes.len() as f64 / 1e6;
        let fatbins = fatbin::fatbins_in_file(&bytes).unwrap();
        let n_entries: usize = fatbins.iter().map(|f| f.entries.len()).sum();
        let ptx_bytes: usize = fatbins.iter().flat_map(|f| &f.entries).map(|e| e.uncompressed_size as usize).sum();
        println!("{label}: {mb:.1} MB, {} fatbins, {n_entries} entries, {:.1} MB of PTX when decompressed", fatbins.len(), ptx_bytes as f64 / 1e6);
        let magic = fatbin::FATBIN_MAGIC.to_le_bytes();
        let scan = best(20, || bytes.windows(4).filter(|w| *w == magic).count());
        let index = best(20, || {
            let f = fatbin::fatbins_in_file(&bytes).unwrap();
            fatbin::cuobjdump_files("lib.fatbin", &f).len()
        });
        let select = best(5, || {
            let f = fatbin::fatbins_in_file(&bytes).unwrap();
            let e = fatbin::select_ptx(f.iter().flat_map(|f| &f.entries), 86).unwrap();
            e.ptx_text().unwrap().len()
        });
        let all = best(3, || {
            let f = fatbin::fatbins_in_file(&bytes).unwrap();
            f.iter().flat_map(|f| &f.entries).map(|e| e.ptx_text().unwrap().len()).sum::<usize>()
        });
        println!("  baseline (scan for the magic): {:8.3} ms", scan * 1e3);
        println!("  index (entries + names):       {:8.3} ms", index * 1e3);
        println!("  index + select + decompress 1: {:8.3} ms", select * 1e3);
        println!("  decompress all PTX:            {:8.3} ms  ({:.0} MB/s of PTX)", all * 1e3, ptx_bytes as f64 / 1e6 / all);
    }
}
