//! Driver yardsticks, measured through the real C entry points of `libcuda.so.1` (loaded with
//! `dlopen`, as a CUDA program loads it):
//! - the cost of one `cuLaunchKernel` of an empty kernel (<<<1, 32>>>), launches back to back;
//! - STREAM triad `a[i] = b[i] + s*c[i]` as a CUDA kernel (nvcc's PTX, grid-stride loop) next to
//!   the same loop compiled natively by rustc and run on the same threads, same arrays;
//! - a block-wide shared-memory tree reduction (nine `bar.sync` per block) next to the same
//!   per-block sums computed natively: the cost of barriers;
//! - a prefix sum whose blocks wait for earlier blocks (a decoupled look-back, as CUB's scans)
//!   next to the same sum by one native thread: the cost of blocks spinning on each other;
//! - the driver's own memory: resident set after `cuInit` + context, after loading a module,
//!   after the first launch (JIT) of each kernel.
//!
//! Run: `cargo bench --bench driver` (after `cargo build --release`). Options by environment:
//! `CUEMU_BENCH_N` (triad elements, default 2^25), `CUEMU_BENCH_LAUNCHES` (default 20000).

use libloading::{Library, Symbol};
use rayon::prelude::*;
use std::ffi::{c_void, CString};
use std::time::Instant;

type CUresult = i32;
type Ptr = *mut c_void;

const KERNELS: &str = include_str!("kernels.ptx");

fn rss_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = s.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4
}

fn check(r: CUresult, what: &str) {
    assert_eq!(r, 0, "{what} failed with CUresult {r}");
}

struct Driver {
    lib: Library,
}

impl Driver {
    fn sym<T>(&self, name: &str) -> Symbol<'_, T> {
        unsafe { self.lib.get(name.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}")) }
    }
}

fn main() {
    let exe = std::env::current_exe().unwrap();
    // target/release/deps/driver-<hash> → target/release/libcuda.so.1
    let lib_path = exe.parent().unwrap().parent().unwrap().join("libcuda.so.1");
    if !lib_path.exists() {
        eprintln!("{} not found: run `cargo build --release` first", lib_path.display());
        std::process::exit(1);
    }
    // First launches measure the JIT compile: no machine code from the on-disk kernel cache.
    std::env::set_var("CUEMU_KERNEL_CACHE", "off");
    let rss0 = rss_kib();
    let d = Driver { lib: unsafe { Library::new(&lib_path).expect("dlopen libcuda.so.1") } };
    let n: usize = std::env::var("CUEMU_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(1 << 25);
    let launches: usize = std::env::var("CUEMU_BENCH_LAUNCHES").ok().and_then(|v| v.parse().ok()).unwrap_or(20000);

    unsafe {
        let cu_init: Symbol<unsafe extern "C" fn(u32) -> CUresult> = d.sym("cuInit");
        let dev_get: Symbol<unsafe extern "C" fn(*mut i32, i32) -> CUresult> = d.sym("cuDeviceGet");
        let retain: Symbol<unsafe extern "C" fn(*mut Ptr, i32) -> CUresult> = d.sym("cuDevicePrimaryCtxRetain");
        let set_cur: Symbol<unsafe extern "C" fn(Ptr) -> CUresult> = d.sym("cuCtxSetCurrent");
        let load: Symbol<unsafe extern "C" fn(*mut Ptr, *const c_void) -> CUresult> = d.sym("cuModuleLoadData");
        let get_fn: Symbol<unsafe extern "C" fn(*mut Ptr, Ptr, *const i8) -> CUresult> = d.sym("cuModuleGetFunction");
        type Launch = unsafe extern "C" fn(Ptr, u32, u32, u32, u32, u32, u32, u32, Ptr, *mut *mut c_void, *mut *mut c_void) -> CUresult;
        let launch: Symbol<Launch> = d.sym("cuLaunchKernel");
        let sync: Symbol<unsafe extern "C" fn() -> CUresult> = d.sym("cuCtxSynchronize");

        check(cu_init(0), "cuInit");
        let mut dev = 0;
        check(dev_get(&mut dev, 0), "cuDeviceGet");
        let mut ctx: Ptr = std::ptr::null_mut();
        check(retain(&mut ctx, dev), "cuDevicePrimaryCtxRetain");
        check(set_cur(ctx), "cuCtxSetCurrent");
        let rss_init = rss_kib();

        let ptx = CString::new(KERNELS).unwrap();
        let mut module: Ptr = std::ptr::null_mut();
        check(load(&mut module, ptx.as_ptr() as *const c_void), "cuModuleLoadData");
        let rss_module = rss_kib();
        let mut empty: Ptr = std::ptr::null_mut();
        let mut triad: Ptr = std::ptr::null_mut();
        let mut triad_1d: Ptr = std::ptr::null_mut();
        check(get_fn(&mut empty, module, c"empty".as_ptr()), "cuModuleGetFunction(empty)");
        check(get_fn(&mut triad_1d, module, c"triad_1d".as_ptr()), "cuModuleGetFunction(triad_1d)");
        check(get_fn(&mut triad, module, c"triad".as_ptr()), "cuModuleGetFunction(triad)");
        let mut triad_v4: Ptr = std::ptr::null_mut();
        check(get_fn(&mut triad_v4, module, c"triad_v4".as_ptr()), "cuModuleGetFunction(triad_v4)");
        let mut block_sum: Ptr = std::ptr::null_mut();
        check(get_fn(&mut block_sum, module, c"block_sum".as_ptr()), "cuModuleGetFunction(block_sum)");
        let mem_alloc: Symbol<unsafe extern "C" fn(*mut u64, usize) -> CUresult> = d.sym("cuMemAlloc_v2");
        // Device memory is host memory: the arrays come from cuMemAlloc as a CUDA program's do,
        // and the native loop reads and writes the very same bytes through slices.
        let dev_slice = |len: usize| -> &mut [f32] {
            let mut p = 0u64;
            check(mem_alloc(&mut p, len * 4), "cuMemAlloc");
            std::slice::from_raw_parts_mut(p as *mut f32, len)
        };

        // --- launch overhead ---
        let t0 = Instant::now();
        check(launch(empty, 1, 1, 1, 32, 1, 1, 0, std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut()), "first launch");
        let first_launch_ms = t0.elapsed().as_secs_f64() * 1e3;
        let rss_jit_empty = rss_kib();
        let mut best_launch = f64::INFINITY;
        for _ in 0..5 {
            let t = Instant::now();
            for _ in 0..launches {
                launch(empty, 1, 1, 1, 32, 1, 1, 0, std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
            }
            check(sync(), "cuCtxSynchronize");
            best_launch = best_launch.min(t.elapsed().as_secs_f64() / launches as f64);
        }

        // --- STREAM triad ---
        let a = dev_slice(n);
        a.fill(0.0);
        let b = dev_slice(n);
        b.iter_mut().enumerate().for_each(|(i, x)| *x = (i % 1000) as f32);
        let c = dev_slice(n);
        c.iter_mut().enumerate().for_each(|(i, x)| *x = (i % 7) as f32);
        let (b, c) = (&*b, &*c);
        let s = 3.0f32;
        let threads = rayon::current_num_threads();
        let bytes = 3.0 * n as f64 * 4.0;
        let mut pa = a.as_mut_ptr() as u64;
        let mut pb = b.as_ptr() as u64;
        let mut pc = c.as_ptr() as u64;
        let mut ps = s;
        let mut pn = n as i64;
        let mut args: [*mut c_void; 5] = [
            &mut pa as *mut u64 as *mut c_void,
            &mut pb as *mut u64 as *mut c_void,
            &mut pc as *mut u64 as *mut c_void,
            &mut ps as *mut f32 as *mut c_void,
            &mut pn as *mut i64 as *mut c_void,
        ];
        // A grid shaped like a CUDA program's: enough blocks for every core, grid-stride inside.
        let block = 256u32;
        let grid = (threads as u32 * 64).max(1);
        let run_kernel = |args: &mut [*mut c_void; 5]| {
            check(launch(triad, grid, 1, 1, block, 1, 1, 0, std::ptr::null_mut(), args.as_mut_ptr(), std::ptr::null_mut()), "triad launch");
            check(sync(), "sync");
        };
        let t0 = Instant::now();
        run_kernel(&mut args);
        let first_triad_ms = t0.elapsed().as_secs_f64() * 1e3;
        let rss_jit_triad = rss_kib();
        for i in (0..n).step_by(n / 97 + 1) {
            assert_eq!(a[i], b[i] + s * c[i], "triad result at {i}");
        }
        // BabelStream's form: one element per thread (n must be a multiple of the block).
        assert_eq!(n % block as usize, 0, "CUEMU_BENCH_N must be a multiple of {block}");
        let run_1d = |args: &mut [*mut c_void; 5]| {
            check(launch(triad_1d, (n / block as usize) as u32, 1, 1, block, 1, 1, 0, std::ptr::null_mut(), args.as_mut_ptr(), std::ptr::null_mut()), "triad_1d launch");
            check(sync(), "sync");
        };
        a.iter_mut().for_each(|x| *x = 0.0);
        run_1d(&mut args);
        for i in (0..n).step_by(n / 97 + 1) {
            assert_eq!(a[i], b[i] + s * c[i], "triad_1d result at {i}");
        }
        // float4: n / 4 vectors, one per thread (n must be a multiple of 4 blocks).
        assert_eq!(n % (4 * block as usize), 0, "CUEMU_BENCH_N must be a multiple of {}", 4 * block);
        let run_v4 = |args: &mut [*mut c_void; 5]| {
            check(launch(triad_v4, (n / 4 / block as usize) as u32, 1, 1, block, 1, 1, 0, std::ptr::null_mut(), args.as_mut_ptr(), std::ptr::null_mut()), "triad_v4 launch");
            check(sync(), "sync");
        };
        a.iter_mut().for_each(|x| *x = 0.0);
        run_v4(&mut args);
        for i in (0..n).step_by(n / 97 + 1) {
            assert_eq!(a[i], b[i] + s * c[i], "triad_v4 result at {i}");
        }
        let mut best_v4 = f64::INFINITY;
        let mut best_kernel = f64::INFINITY;
        let mut best_1d = f64::INFINITY;
        let mut best_native = f64::INFINITY;
        for _ in 0..10 {
            let t = Instant::now();
            run_kernel(&mut args);
            best_kernel = best_kernel.min(t.elapsed().as_secs_f64());
            let t = Instant::now();
            run_1d(&mut args);
            best_1d = best_1d.min(t.elapsed().as_secs_f64());
            let t = Instant::now();
            run_v4(&mut args);
            best_v4 = best_v4.min(t.elapsed().as_secs_f64());
            let t = Instant::now();
            let chunk = n.div_ceil(threads * 64).max(1);
            a.par_chunks_mut(chunk).zip(b.par_chunks(chunk)).zip(c.par_chunks(chunk)).for_each(|((a, b), c)| {
                for i in 0..a.len() {
                    a[i] = b[i] + s * c[i];
                }
            });
            best_native = best_native.min(t.elapsed().as_secs_f64());
        }
        let gbs = |t: f64| bytes / t / 1e9;

        // --- block reduction: one partial sum per block of 256 ---
        let nblk = n / 256;
        let sums = dev_slice(nblk);
        let mut px = b.as_ptr() as u64;
        let mut pout = sums.as_mut_ptr() as u64;
        let mut rargs: [*mut c_void; 2] = [&mut px as *mut u64 as *mut c_void, &mut pout as *mut u64 as *mut c_void];
        let run_sum = |args: &mut [*mut c_void; 2]| {
            check(launch(block_sum, nblk as u32, 1, 1, 256, 1, 1, 0, std::ptr::null_mut(), args.as_mut_ptr(), std::ptr::null_mut()), "block_sum launch");
            check(sync(), "sync");
        };
        let t0 = Instant::now();
        run_sum(&mut rargs);
        let first_sum_ms = t0.elapsed().as_secs_f64() * 1e3;
        for i in (0..nblk).step_by(nblk / 97 + 1) {
            let want: f32 = b[i * 256..(i + 1) * 256].iter().sum();
            assert!((sums[i] - want).abs() <= want.abs() * 1e-5, "block_sum result at {i}: {} vs {want}", sums[i]);
        }
        let mut native_sums = vec![0f32; nblk];
        let (mut best_sum, mut best_native_sum) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..10 {
            let t = Instant::now();
            run_sum(&mut rargs);
            best_sum = best_sum.min(t.elapsed().as_secs_f64());
            let t = Instant::now();
            native_sums.par_chunks_mut(64).enumerate().for_each(|(ci, out)| {
                for (j, o) in out.iter_mut().enumerate() {
                    let blk = ci * 64 + j;
                    *o = b[blk * 256..(blk + 1) * 256].iter().sum();
                }
            });
            best_native_sum = best_native_sum.min(t.elapsed().as_secs_f64());
        }
        let sum_gbs = |t: f64| (n * 4) as f64 / t / 1e9;

        // --- elementwise maxima through an atomicCAS loop (polls in a loop: warps as coroutines) ---
        let mut cas_max: Ptr = std::ptr::null_mut();
        check(get_fn(&mut cas_max, module, c"cas_max".as_ptr()), "cuModuleGetFunction(cas_max)");
        let maxes = dev_slice(n);
        let mut pmax = maxes.as_mut_ptr() as u64;
        let mut margs: [*mut c_void; 2] = [&mut px as *mut u64 as *mut c_void, &mut pmax as *mut u64 as *mut c_void];
        let run_max = |args: &mut [*mut c_void; 2]| {
            check(launch(cas_max, nblk as u32, 1, 1, 256, 1, 1, 0, std::ptr::null_mut(), args.as_mut_ptr(), std::ptr::null_mut()), "cas_max launch");
            check(sync(), "sync");
        };
        let mut native_maxes = vec![0f32; n];
        let (mut best_max, mut best_native_max) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..10 {
            maxes.fill(0.0);
            let t = Instant::now();
            run_max(&mut margs);
            best_max = best_max.min(t.elapsed().as_secs_f64());
            let t = Instant::now();
            native_maxes.par_chunks_mut(1 << 16).zip(b.par_chunks(1 << 16)).for_each(|(o, x)| {
                for (o, &x) in o.iter_mut().zip(x) {
                    *o = o.max(x);
                }
            });
            best_native_max = best_native_max.min(t.elapsed().as_secs_f64());
        }
        assert_eq!(&maxes[..], &native_maxes[..], "cas_max results");

        // --- a prefix sum with a decoupled look-back (blocks wait for earlier blocks) ---
        let mut lookback: Ptr = std::ptr::null_mut();
        check(get_fn(&mut lookback, module, c"lookback_scan".as_ptr()), "cuModuleGetFunction(lookback_scan)");
        let scanned = dev_slice(n);
        let status = dev_slice(nblk * 2); // nblk u64 words
        let (mut pscan, mut pstatus) = (scanned.as_mut_ptr() as u64, status.as_mut_ptr() as u64);
        let mut largs: [*mut c_void; 3] = [
            &mut px as *mut u64 as *mut c_void,
            &mut pscan as *mut u64 as *mut c_void,
            &mut pstatus as *mut u64 as *mut c_void,
        ];
        let input: &[u32] = std::slice::from_raw_parts(b.as_ptr() as *const u32, n);
        let mut native_scan = vec![0u32; n];
        let (mut best_scan, mut best_native_scan) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..10 {
            status.fill(0.0);
            let t = Instant::now();
            check(launch(lookback, nblk as u32, 1, 1, 256, 1, 1, 0, std::ptr::null_mut(), largs.as_mut_ptr(), std::ptr::null_mut()), "lookback_scan launch");
            check(sync(), "sync");
            best_scan = best_scan.min(t.elapsed().as_secs_f64());
            let t = Instant::now();
            let mut acc = 0u32;
            for (o, &v) in native_scan.iter_mut().zip(input) {
                acc = acc.wrapping_add(v);
                *o = acc;
            }
            best_native_scan = best_native_scan.min(t.elapsed().as_secs_f64());
        }
        let got: &[u32] = std::slice::from_raw_parts(scanned.as_ptr() as *const u32, n);
        assert_eq!(got, &native_scan[..], "lookback_scan results");

        println!("cuemu driver benchmarks ({} threads, {})", threads, lib_path.display());
        println!("| measurement | value |");
        println!("|---|---|");
        println!("| cuLaunchKernel, empty kernel <<<1,32>>>, best of 5 × {launches} | {:.2} µs/launch |", best_launch * 1e6);
        println!("| first launch of `empty` (includes JIT compile) | {first_launch_ms:.1} ms |");
        println!("| first launch of `triad` (includes JIT compile) | {first_triad_ms:.1} ms |");
        println!("| STREAM triad, native Rust loop, same arrays and threads | {:.1} GB/s ({:.2} ms) |", gbs(best_native), best_native * 1e3);
        println!("| STREAM triad, cuemu, one element per thread (BabelStream), grid {}×{block} | {:.1} GB/s ({:.2} ms), {:.2}× native |", n / block as usize, gbs(best_1d), best_1d * 1e3, best_native / best_1d);
        println!("| STREAM triad, cuemu, float4 loads and stores, one vector per thread, grid {}×{block} | {:.1} GB/s ({:.2} ms), {:.2}× native |", n / 4 / block as usize, gbs(best_v4), best_v4 * 1e3, best_native / best_v4);
        println!("| STREAM triad, cuemu, grid-stride loop, grid {grid}×{block} | {:.1} GB/s ({:.2} ms), {:.2}× native |", gbs(best_kernel), best_kernel * 1e3, best_native / best_kernel);
        println!("| first launch of `block_sum` (includes JIT compile) | {first_sum_ms:.1} ms |");
        println!("| block sums of 256 (native Rust loop) | {:.1} GB/s ({:.2} ms) |", sum_gbs(best_native_sum), best_native_sum * 1e3);
        println!("| block sums of 256, cuemu, shared-memory tree, 9 barriers per block, grid {nblk}×256 | {:.1} GB/s ({:.2} ms), {:.2}× native, {:.0} ns per block |", sum_gbs(best_sum), best_sum * 1e3, best_native_sum / best_sum, best_sum * 1e9 * threads as f64 / nblk as f64);
        println!("| out[i] = max(out[i], x[i]) (native Rust loop) | {:.1} GB/s ({:.2} ms) |", sum_gbs(best_native_max), best_native_max * 1e3);
        println!("| out[i] = max(out[i], x[i]), cuemu, atomicCAS loop (warps as coroutines), grid {nblk}×256 | {:.1} GB/s ({:.2} ms), {:.2}× native, {:.0} ns per block |", sum_gbs(best_max), best_max * 1e3, best_native_max / best_max, best_max * 1e9 * threads as f64 / nblk as f64);
        println!("| inclusive prefix sum of u32 (native Rust loop, one thread) | {:.1} GB/s ({:.2} ms) |", sum_gbs(best_native_scan), best_native_scan * 1e3);
        println!("| inclusive prefix sum of u32, cuemu, tiles of 256 with a decoupled look-back (blocks wait for earlier blocks), grid {nblk}×256 | {:.1} GB/s ({:.2} ms), {:.2}× native, {:.0} ns per block |", sum_gbs(best_scan), best_scan * 1e3, best_native_scan / best_scan, best_scan * 1e9 * threads as f64 / nblk as f64);
        println!("| resident memory: process before dlopen | {} KiB |", rss0);
        println!("| + libcuda.so.1 loaded, cuInit, primary context | +{} KiB |", rss_init as i64 - rss0 as i64);
        println!("| + module loaded (7 kernels, parsed, not compiled) | +{} KiB |", rss_module as i64 - rss_init as i64);
        println!("| + `empty` compiled | +{} KiB |", rss_jit_empty as i64 - rss_module as i64);
        println!("| + `triad` compiled (arrays excluded) | +{} KiB |", rss_jit_triad as i64 - rss_jit_empty as i64 - (3 * n * 4 / 1024) as i64);
    }
}
