//! Module loading of the full GGML CUDA library through the real C entry points of
//! `libcuda.so.1` (loaded with `dlopen`, as a CUDA program loads it): loading must index and
//! parse, never compile — kernels are compiled at their first launch.
//!
//! Input: `$CUEMU_PTX_CORPUS/fatbin/ggml-full.fatbin` (`scripts/corpus.sh ggml-full`: one fatbin
//! per CUDA translation unit of a default GGML build for `80-virtual`, 144 of them, PTX
//! zstd-compressed). Without it the bench says so and exits. Measured, best of three:
//! - the biggest translation unit by kernels (and the biggest by bytes): `cuModuleLoadData` of
//!   its fatbin, next to the same work done directly in this process — decompressing its PTX,
//!   and parsing it with the `ptx` crate (the baseline: what a load cannot avoid);
//! - `cuModuleGetFunction` of every kernel of that module, first (creates the handle) and
//!   again (cached);
//! - the whole library: `cuModuleLoadData` of all 144 fatbins, the resident-memory cost of
//!   holding them all, and `cuModuleGetFunction` of all their kernels.
//!
//! Run: `cargo bench --bench module_load` (after `cargo build --release`).

use libloading::{Library, Symbol};
use std::ffi::{c_void, CString};
use std::hint::black_box;
use std::time::Instant;

type CUresult = i32;
type Ptr = *mut c_void;

fn rss_mib() -> f64 {
    let s = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = s.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages as f64 * 4096.0 / (1 << 20) as f64
}

fn check(r: CUresult, what: &str) {
    assert_eq!(r, 0, "{what} failed with CUresult {r}");
}

fn best<T>(reps: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let t = Instant::now();
        black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

/// The `.entry` names of a PTX text (a line scan: nvcc writes `.visible .entry NAME(` or
/// `.entry NAME(` at the start of a line).
fn entry_names(ptx: &str) -> Vec<CString> {
    ptx.lines()
        .filter_map(|l| l.strip_prefix(".visible .entry ").or_else(|| l.strip_prefix(".entry ")).or_else(|| l.strip_prefix(".weak .entry ")))
        .map(|rest| CString::new(rest.split(|c: char| c == '(' || c.is_whitespace()).next().unwrap()).unwrap())
        .collect()
}

/// One translation unit: its fatbin (copied to an 8-byte-aligned buffer, as in a
/// `.nv_fatbin` section), decompressed PTX and kernel names.
struct Unit {
    image: Vec<u64>,
    bytes: usize,
    ptx: String,
    kernels: Vec<CString>,
}

fn main() {
    let exe = std::env::current_exe().unwrap();
    let lib_path = exe.parent().unwrap().parent().unwrap().join("libcuda.so.1");
    if !lib_path.exists() {
        eprintln!("{} not found: run `cargo build --release` first", lib_path.display());
        std::process::exit(1);
    }
    let dir = std::env::var_os("CUEMU_PTX_CORPUS")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache/cuemu/ptx-corpus")))
        .unwrap();
    let path = dir.join("fatbin/ggml-full.fatbin");
    let Ok(file) = std::fs::read(&path) else {
        println!("SKIPPED: {} not found (run scripts/corpus.sh ggml-full)", path.display());
        return;
    };
    let fatbins = fatbin::fatbins_in_file(&file).expect("ggml-full.fatbin");
    let units: Vec<Unit> = fatbins
        .iter()
        .map(|f| {
            let mut image = vec![0u64; f.bytes.len().div_ceil(8)];
            // SAFETY: `image` has at least `f.bytes.len()` bytes.
            unsafe { std::ptr::copy_nonoverlapping(f.bytes.as_ptr(), image.as_mut_ptr().cast::<u8>(), f.bytes.len()) };
            let ptx = f.entries.iter().find(|e| e.kind == fatbin::EntryKind::Ptx).expect("a PTX entry").ptx_text().expect("decompress");
            let kernels = entry_names(&ptx);
            Unit { image, bytes: f.bytes.len(), ptx, kernels }
        })
        .collect();
    let total_kernels: usize = units.iter().map(|u| u.kernels.len()).sum();
    let total_ptx: usize = units.iter().map(|u| u.ptx.len()).sum();
    println!(
        "ggml full library: {} fatbins, {:.1} MB, {:.1} MB of PTX, {total_kernels} kernels",
        units.len(),
        file.len() as f64 / 1e6,
        total_ptx as f64 / 1e6
    );

    let d = unsafe { Library::new(&lib_path).expect("dlopen libcuda.so.1") };
    unsafe {
        let cu_init: Symbol<unsafe extern "C" fn(u32) -> CUresult> = d.get(b"cuInit").unwrap();
        let dev_get: Symbol<unsafe extern "C" fn(*mut i32, i32) -> CUresult> = d.get(b"cuDeviceGet").unwrap();
        let retain: Symbol<unsafe extern "C" fn(*mut Ptr, i32) -> CUresult> = d.get(b"cuDevicePrimaryCtxRetain").unwrap();
        let set_current: Symbol<unsafe extern "C" fn(Ptr) -> CUresult> = d.get(b"cuCtxSetCurrent").unwrap();
        let load: Symbol<unsafe extern "C" fn(*mut Ptr, *const c_void) -> CUresult> = d.get(b"cuModuleLoadData").unwrap();
        let unload: Symbol<unsafe extern "C" fn(Ptr) -> CUresult> = d.get(b"cuModuleUnload").unwrap();
        let get_fn: Symbol<unsafe extern "C" fn(*mut Ptr, Ptr, *const i8) -> CUresult> = d.get(b"cuModuleGetFunction").unwrap();
        check(cu_init(0), "cuInit");
        let mut dev = 0;
        check(dev_get(&mut dev, 0), "cuDeviceGet");
        let mut ctx: Ptr = std::ptr::null_mut();
        check(retain(&mut ctx, dev), "cuDevicePrimaryCtxRetain");
        check(set_current(ctx), "cuCtxSetCurrent");

        let load_unit = |u: &Unit| {
            let mut m: Ptr = std::ptr::null_mut();
            check(load(&mut m, u.image.as_ptr().cast()), "cuModuleLoadData");
            m
        };
        let most_kernels = units.iter().max_by_key(|u| u.kernels.len()).unwrap();
        let most_bytes = units.iter().max_by_key(|u| u.ptx.len()).unwrap();
        for (what, u) in [("most kernels", most_kernels), ("biggest PTX", most_bytes)] {
            let mb = u.ptx.len() as f64 / 1e6;
            println!("{what}: {} kernels, fatbin {:.1} MB, PTX {mb:.1} MB", u.kernels.len(), u.bytes as f64 / 1e6);
            let f = fatbin::Fatbin::parse(std::slice::from_raw_parts(u.image.as_ptr().cast::<u8>(), u.bytes)).unwrap().0;
            let decompress = best(3, || f.entries[0].ptx_text().unwrap().len());
            let parse = best(3, || ptx::parse(&u.ptx).unwrap());
            let rss0 = rss_mib();
            let mut m = load_unit(u);
            let rss1 = rss_mib();
            check(unload(m), "cuModuleUnload");
            let load_t = best(3, || {
                m = load_unit(u);
                check(unload(m), "cuModuleUnload");
            });
            m = load_unit(u);
            let mut h: Ptr = std::ptr::null_mut();
            let t = Instant::now();
            for k in &u.kernels {
                check(get_fn(&mut h, m, k.as_ptr()), "cuModuleGetFunction");
            }
            let first = t.elapsed().as_secs_f64();
            let again = best(3, || {
                for k in &u.kernels {
                    check(get_fn(&mut h, m, k.as_ptr()), "cuModuleGetFunction");
                }
            });
            check(unload(m), "cuModuleUnload");
            let n = u.kernels.len() as f64;
            println!("  baseline: decompress PTX          {:9.2} ms", decompress * 1e3);
            println!("  baseline: ptx::parse              {:9.2} ms  ({:.0} MB/s)", parse * 1e3, mb / parse);
            println!("  cuModuleLoadData (fatbin)         {:9.2} ms  ({:.0} MB/s of PTX; +{:.0} MiB resident while loaded)", load_t * 1e3, mb / load_t, rss1 - rss0);
            println!("  cuModuleGetFunction, all, first   {:9.2} ms  ({:.1} µs each)", first * 1e3, first * 1e6 / n);
            println!("  cuModuleGetFunction, all, again   {:9.2} ms  ({:.2} µs each)", again * 1e3, again * 1e6 / n);
        }

        // The whole library, every module held at once (what a program that loads all of
        // ggml-cuda's fatbins eagerly holds).
        let rss0 = rss_mib();
        let t = Instant::now();
        let modules: Vec<Ptr> = units.iter().map(load_unit).collect();
        let load_all = t.elapsed().as_secs_f64();
        let rss1 = rss_mib();
        let mut h: Ptr = std::ptr::null_mut();
        let t = Instant::now();
        for (u, &m) in units.iter().zip(&modules) {
            for k in &u.kernels {
                check(get_fn(&mut h, m, k.as_ptr()), "cuModuleGetFunction");
            }
        }
        let get_all = t.elapsed().as_secs_f64();
        for m in modules {
            check(unload(m), "cuModuleUnload");
        }
        println!("whole library ({} modules, {total_kernels} kernels, {:.1} MB of PTX):", units.len(), total_ptx as f64 / 1e6);
        println!("  cuModuleLoadData, all             {:9.1} ms  ({:.0} MB/s of PTX; +{:.0} MiB resident)", load_all * 1e3, total_ptx as f64 / 1e6 / load_all, rss1 - rss0);
        println!("  cuModuleGetFunction, all          {:9.1} ms  ({:.1} µs each)", get_all * 1e3, get_all * 1e6 / total_kernels as f64);
    }
}
