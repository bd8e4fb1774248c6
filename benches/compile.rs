//! Compile time against run time of big kernels, per LLVM pipeline (`CUEMU_OPT`): CUB's block
//! merge sort and block radix sort (`benches/bigkernel.cu`), the building blocks of the
//! segmented-sort kernels of GGML's argsort, whose O3 compile exploded (see
//! `src/exec/compile/pipeline.rs`). For each pipeline the module is loaded afresh, so the first
//! launch of each kernel includes its JIT compile; then the kernel runs `CUEMU_BENCH_REPS`
//! (default 20) more times on the same data and the best run is reported. Results are checked
//! (every block's keys sorted).
//!
//! Run: `cargo bench --bench compile` (after `cargo build --release`).
//! `CUEMU_BENCH_PIPELINES`: comma-separated `CUEMU_OPT` values, each optionally followed by
//! `/fast` or `/full` (`CUEMU_CODEGEN`); default `3,big,auto`. `auto` is the default choice
//! (`CUEMU_OPT` unset). Repeated runs stop after 5 s of them.

use libloading::Library;
use std::ffi::{c_void, CString};
use std::time::Instant;

type CUresult = i32;
type Ptr = *mut c_void;
type Launch = unsafe extern "C" fn(Ptr, u32, u32, u32, u32, u32, u32, u32, Ptr, *mut *mut c_void, *mut *mut c_void) -> CUresult;

const PTX: &str = include_str!("bigkernel.ptx");
const BLOCK: u32 = 128;
const GRID: u32 = 512;

fn check(r: CUresult, what: &str) {
    assert_eq!(r, 0, "{what} failed with CUresult {r}");
}

fn main() {
    let exe = std::env::current_exe().unwrap();
    let lib_path = exe.parent().unwrap().parent().unwrap().join("libcuda.so.1");
    if !lib_path.exists() {
        eprintln!("{} not found: run `cargo build --release` first", lib_path.display());
        std::process::exit(1);
    }
    // Compile time is what is measured: no machine code from the on-disk kernel cache.
    std::env::set_var("CUEMU_KERNEL_CACHE", "off");
    let pipelines = std::env::var("CUEMU_BENCH_PIPELINES").unwrap_or_else(|_| "3,big,auto".into());
    let reps: usize = std::env::var("CUEMU_BENCH_REPS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let lib = unsafe { Library::new(&lib_path).expect("dlopen libcuda.so.1") };
    let sym = |name: &str| -> *const c_void {
        unsafe { *lib.get::<*const c_void>(name.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}")) }
    };
    unsafe {
        let cu_init: unsafe extern "C" fn(u32) -> CUresult = std::mem::transmute(sym("cuInit"));
        let dev_get: unsafe extern "C" fn(*mut i32, i32) -> CUresult = std::mem::transmute(sym("cuDeviceGet"));
        let retain: unsafe extern "C" fn(*mut Ptr, i32) -> CUresult = std::mem::transmute(sym("cuDevicePrimaryCtxRetain"));
        let set_cur: unsafe extern "C" fn(Ptr) -> CUresult = std::mem::transmute(sym("cuCtxSetCurrent"));
        let load: unsafe extern "C" fn(*mut Ptr, *const c_void) -> CUresult = std::mem::transmute(sym("cuModuleLoadData"));
        let unload: unsafe extern "C" fn(Ptr) -> CUresult = std::mem::transmute(sym("cuModuleUnload"));
        let get_fn: unsafe extern "C" fn(*mut Ptr, Ptr, *const i8) -> CUresult = std::mem::transmute(sym("cuModuleGetFunction"));
        let launch: Launch = std::mem::transmute(sym("cuLaunchKernel"));
        let sync: unsafe extern "C" fn() -> CUresult = std::mem::transmute(sym("cuCtxSynchronize"));
        let mem_alloc: unsafe extern "C" fn(*mut u64, usize) -> CUresult = std::mem::transmute(sym("cuMemAlloc_v2"));

        check(cu_init(0), "cuInit");
        let mut dev = 0;
        check(dev_get(&mut dev, 0), "cuDeviceGet");
        let mut ctx: Ptr = std::ptr::null_mut();
        check(retain(&mut ctx, dev), "cuDevicePrimaryCtxRetain");
        check(set_cur(ctx), "cuCtxSetCurrent");

        // (kernel, items per thread, with an index array)
        let kernels: [(&std::ffi::CStr, usize, bool); 2] = [(c"merge_sort", 24, false), (c"radix_sort", 16, true)];
        let max_items = GRID as usize * BLOCK as usize * 24;
        let alloc = |bytes: usize| -> u64 {
            let mut p = 0u64;
            check(mem_alloc(&mut p, bytes), "cuMemAlloc");
            p
        };
        let keys = alloc(max_items * 4);
        let vals = alloc(max_items * 4);
        let keys_s = std::slice::from_raw_parts_mut(keys as *mut f32, max_items);
        let fill = |k: &mut [f32]| {
            // A fixed pseudo-random sequence (xorshift), the same for every pipeline.
            let mut x = 0x9e37_79b9u32;
            for v in k.iter_mut() {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                *v = (x % 100_000) as f32 - 50_000.0;
            }
        };

        println!("| pipeline (CUEMU_OPT) | kernel | first launch (compile + run) ms | best run ms |");
        println!("|---|---|---|---|");
        let ptx = CString::new(PTX).unwrap();
        for p in pipelines.split(',') {
            let (opt, codegen) = p.split_once('/').unwrap_or((p, ""));
            if opt == "auto" {
                std::env::remove_var("CUEMU_OPT");
            } else {
                std::env::set_var("CUEMU_OPT", opt);
            }
            if codegen.is_empty() {
                std::env::remove_var("CUEMU_CODEGEN");
            } else {
                std::env::set_var("CUEMU_CODEGEN", codegen);
            }
            let mut module: Ptr = std::ptr::null_mut();
            check(load(&mut module, ptx.as_ptr() as *const c_void), "cuModuleLoadData");
            for (name, items, with_vals) in kernels {
                let mut f: Ptr = std::ptr::null_mut();
                check(get_fn(&mut f, module, name.as_ptr()), "cuModuleGetFunction");
                let tile = BLOCK as usize * items;
                let n = GRID as usize * tile;
                let (mut pk, mut pv) = (keys, vals);
                let mut args: Vec<*mut c_void> = vec![&mut pk as *mut u64 as *mut c_void];
                if with_vals {
                    args.push(&mut pv as *mut u64 as *mut c_void);
                }
                let mut run = || {
                    fill(&mut keys_s[..n]);
                    let t = Instant::now();
                    check(launch(f, GRID, 1, 1, BLOCK, 1, 1, 0, std::ptr::null_mut(), args.as_mut_ptr(), std::ptr::null_mut()), "cuLaunchKernel");
                    check(sync(), "cuCtxSynchronize");
                    t.elapsed().as_secs_f64() * 1e3
                };
                let first = run();
                let mut best = f64::INFINITY;
                let mut spent = 0.0;
                for _ in 0..reps {
                    let t = run();
                    best = best.min(t);
                    spent += t;
                    if spent > 5000.0 {
                        break;
                    }
                }
                for t in keys_s[..n].chunks(tile) {
                    assert!(t.windows(2).all(|w| w[0] <= w[1]), "{name:?} with CUEMU_OPT={p}: a block's keys are not sorted");
                }
                println!("| {p} | {} | {first:.0} | {best:.2} |", name.to_str().unwrap());
            }
            check(unload(module), "cuModuleUnload");
        }
    }
}
