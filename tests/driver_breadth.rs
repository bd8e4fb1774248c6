//! Driver breadth in-process, through the exported `extern "C"` entry points: the report of
//! what a program created (`CUEMU_REPORT`, `cuemu info -- PROGRAM`), graph memory nodes,
//! stream memory operations and attributes, JIT linking, CUDA arrays.

use cuda::api::entries::*;
use cuda::api::*;
use cuda::driver::pool::CUmemPoolProps;
use std::ffi::{c_uint, c_void};
use std::ptr::{null, null_mut};

/// Captures and graph-memory accounting are process-wide: these tests run one at a time.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn primary() -> CUcontext {
    unsafe {
        assert_eq!(cuInit(0), CUDA_SUCCESS);
        let mut ctx = null_mut();
        assert_eq!(cuDevicePrimaryCtxRetain(&mut ctx, 0), CUDA_SUCCESS);
        assert_eq!(cuCtxSetCurrent(ctx), CUDA_SUCCESS);
        ctx
    }
}

fn stream(flags: c_uint) -> CUstream {
    let mut s = null_mut();
    assert_eq!(unsafe { cuStreamCreate(&mut s, flags) }, CUDA_SUCCESS);
    s
}

fn line_with<'a>(report: &'a str, needle: &str) -> &'a str {
    report.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with {needle:?} in:\n{report}"))
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

#[test]
fn report_lists_streams_pools_and_vmm_reservations() {
    let _g = serial();
    primary();
    unsafe {
        let s = stream(1);
        let mut buf = 0;
        assert_eq!(cuMemAlloc_v2(&mut buf, 4096), CUDA_SUCCESS);
        for v in 0..3u8 {
            assert_eq!(cuMemsetD8Async(buf, v, 4096, s), CUDA_SUCCESS);
        }
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);

        // A created pool with two allocations, one freed.
        let mut props: CUmemPoolProps = std::mem::zeroed();
        props.alloc_type = 1;
        props.location = CUmemLocation { type_: 1, id: 0 };
        let mut pool = null_mut();
        assert_eq!(cuMemPoolCreate(&mut pool, &props), CUDA_SUCCESS);
        let (mut a, mut b) = (0, 0);
        assert_eq!(cuMemAllocFromPoolAsync(&mut a, 3 << 20, pool, s), CUDA_SUCCESS);
        assert_eq!(cuMemAllocFromPoolAsync(&mut b, 1 << 20, pool, s), CUDA_SUCCESS);
        assert_eq!(cuMemFreeAsync(a, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);

        // A VMM reservation of 64 MiB with one 2 MiB chunk mapped.
        let mut va = 0;
        assert_eq!(cuMemAddressReserve(&mut va, 64 << 20, 0, 0, 0), CUDA_SUCCESS);
        let mut prop: CUmemAllocationProp = std::mem::zeroed();
        prop.type_ = 1;
        prop.location = CUmemLocation { type_: 1, id: 0 };
        let mut h = 0;
        assert_eq!(cuMemCreate(&mut h, 2 << 20, &prop, 0), CUDA_SUCCESS);
        assert_eq!(cuMemMap(va, 2 << 20, 0, h, 0), CUDA_SUCCESS);

        let report = cuda::driver::report::render();
        let sl = line_with(&report, &format!("stream {:#x} ", s as usize));
        // Three memsets and the stream-ordered free.
        assert!(sl.contains("non-blocking") && sl.contains("4 work item(s)") && sl.contains("live"), "{sl}");
        let pl = line_with(&report, &format!("pool {:#x} ", pool as usize));
        assert!(pl.contains("2 allocation(s)") && pl.contains("used 1.0 MiB (high 4.0 MiB)"), "{pl}");
        let rl = line_with(&report, &format!("reservation {va:#x}"));
        assert!(rl.ends_with("64.0 MiB"), "{rl}");

        // Destroyed objects stay in the report, as they were.
        assert_eq!(cuMemUnmap(va, 2 << 20), CUDA_SUCCESS);
        assert_eq!(cuMemRelease(h), CUDA_SUCCESS);
        assert_eq!(cuMemAddressFree(va, 64 << 20), CUDA_SUCCESS);
        assert_eq!(cuMemFreeAsync(b, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert_eq!(cuMemPoolDestroy(pool), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
        let report = cuda::driver::report::render();
        let sl = line_with(&report, &format!("stream {:#x} ", s as usize));
        assert!(sl.contains("5 work item(s)") && sl.ends_with("destroyed"), "{sl}");
        let pl = line_with(&report, &format!("pool {:#x} ", pool as usize));
        assert!(pl.contains("used 0 B (high 4.0 MiB)") && pl.ends_with("destroyed"), "{pl}");
        assert!(!report.contains(&format!("reservation {va:#x}")), "freed reservation listed:\n{report}");
        assert_eq!(cuMemFree_v2(buf), CUDA_SUCCESS);
    }
}
