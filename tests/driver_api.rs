//! The driver API in-process, through the rlib's exported `extern "C"` functions: proc-address
//! answers (against NVIDIA's recorded table), export tables and the integrity check, handle
//! and pointer validation, the context stack, memory, modules from PTX, launches.

use cuda::api::entries::*;
use cuda::api::*;
use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};
use std::ptr::{null, null_mut};

mod common;
use common::{serial, primary};

fn init() {
    unsafe { assert_eq!(cuInit(0), CUDA_SUCCESS) };
}

fn proc(name: &str, version: c_int, flags: u64) -> (CUresult, *mut c_void, c_int) {
    let n = CString::new(name).unwrap();
    let mut p = null_mut();
    let mut status = -1;
    let r = unsafe { cuGetProcAddress_v2(n.as_ptr(), &mut p, version, flags, &mut status) };
    (r, p, status)
}

fn export(sym: &str) -> *mut c_void {
    exports::lookup(sym).unwrap_or_else(|| panic!("{sym} not exported")).0 as *mut c_void
}

#[test]
fn proc_address_examples() {
    let _g = serial();
    let ok = |name, v, f, sym| {
        let (r, p, st) = proc(name, v, f);
        assert_eq!((r, st), (CUDA_SUCCESS, 0), "{name}@{v}/{f}");
        assert_eq!(p, export(sym), "{name}@{v}/{f} should be {sym}");
    };
    ok("cuMemAlloc", 3020, 0, "cuMemAlloc_v2");
    assert_eq!(export("cuMemAlloc_v2"), cuMemAlloc_v2 as *mut c_void);
    ok("cuMemAlloc", 2000, 0, "cuMemAlloc");
    ok("cuMemcpy", 7000, 2, "cuMemcpy_ptds");
    ok("cuMemcpy", 7000, 0, "cuMemcpy");
    ok("cuLaunchKernel", 7000, 2, "cuLaunchKernel_ptsz");
    ok("cuLaunchKernel", 4000, 1, "cuLaunchKernel");
    ok("cuDeviceGetUuid", 9020, 0, "cuDeviceGetUuid");
    ok("cuDeviceGetUuid", 11040, 0, "cuDeviceGetUuid_v2");
    ok("cuCtxSynchronize", 2000, 0, "cuCtxSynchronize");
    ok("cuCtxSynchronize", 13000, 0, "cuCtxSynchronize_v2");
    ok("cuGetProcAddress", 12000, 0, "cuGetProcAddress_v2");
    ok("cuGetProcAddress", 11030, 0, "cuGetProcAddress");
    ok("cuStreamGetCaptureInfo", 12030, 2, "cuStreamGetCaptureInfo_v3_ptsz");
    // Above the recorded 13.0 driver: keep answering the newest ABI (we report 13050).
    ok("cuLaunchHostFunc", 13010, 0, "cuLaunchHostFunc_v2");
    ok("cuMemAlloc", 14000, 0, "cuMemAlloc_v2");
    ok("cuInit", 13050, 0, "cuInit");
    // Misses.
    assert_eq!(proc("", 0, 0).0, CUDA_ERROR_NOT_FOUND);
    assert_eq!(proc("", 0, 0).2, 1);
    let (r, p, st) = proc("cuDefinitelyNotAnEntryPoint", 13000, 0);
    assert_eq!((r, p, st), (CUDA_ERROR_NOT_FOUND, null_mut(), 1));
    let (r, _, st) = proc("cuMemAlloc", 1000, 0);
    assert_eq!((r, st), (CUDA_ERROR_NOT_FOUND, 2));
    let (r, _, st) = proc("cuLaunchKernel", 4000, 2);
    assert_eq!((r, st), (CUDA_ERROR_NOT_FOUND, 2), "per-thread variant only from 7000");
    // The 4-argument v1 and NULL arguments.
    let n = CString::new("cuInit").unwrap();
    let mut p = null_mut();
    unsafe {
        assert_eq!(cuGetProcAddress(n.as_ptr(), &mut p, 2000, 0), CUDA_SUCCESS);
        assert_eq!(p, cuInit as *mut c_void);
        assert_eq!(cuGetProcAddress_v2(n.as_ptr(), null_mut(), 2000, 0, null_mut()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuGetProcAddress_v2(null(), &mut p, 2000, 0, null_mut()), CUDA_ERROR_INVALID_VALUE);
    }
}

/// Every answer of NVIDIA's driver 580 (CUDA 13.0) recorded in proc_address.tsv, for every
/// name, flags value and version step up to 13000, is reproduced.
#[test]
fn proc_address_matches_recorded_driver() {
    let _g = serial();
    let table = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/api/proc_address.tsv")).unwrap();
    let rows: Vec<(String, u64, i32, String)> = table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_string(), f[1].parse().unwrap(), f[2].parse().unwrap(), f[3].to_string())
        })
        .collect();
    let (mut checked, mut mismatches) = (0, Vec::new());
    for (i, (name, flags, first, answer)) in rows.iter().enumerate() {
        // Names the 13.0 driver did not know (st=1) are 13.x entry points we do know;
        // r=1 rows ("newer than me") are where we keep answering the newest ABI.
        if answer.contains("st=1") || answer.contains("r=1") {
            continue;
        }
        // Check the first and last version of the row's range.
        let next = rows.get(i + 1).filter(|r| &r.0 == name && r.1 == *flags).map(|r| r.2).unwrap_or(13010);
        for v in [*first, (next - 10).min(13000)] {
            if v > 13000 {
                continue;
            }
            checked += 1;
            let (r, p, st) = proc(name, v, *flags);
            let good = if answer.starts_with('<') {
                r == CUDA_ERROR_NOT_FOUND && answer.contains(&format!("st={st}"))
            } else {
                r == CUDA_SUCCESS && exports::lookup(answer).map(|s| s.0 as *mut c_void) == Some(p)
            };
            if !good {
                mismatches.push(format!("{name}@{v}/{flags}: want {answer}, got {r:?} status {st}"));
            }
        }
    }
    assert!(mismatches.is_empty(), "{} of {checked} answers differ:\n{}", mismatches.len(), mismatches.join("\n"));
    assert!(checked > 3000, "only {checked} answers checked");
}

#[test]
fn every_export_is_in_the_api_list() {
    let _g = serial();
    let list = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/api/api-list.tsv")).unwrap();
    let mut symbols: Vec<&str> = list.lines().filter(|l| !l.starts_with('#')).map(|l| l.split('\t').next().unwrap()).collect();
    symbols.sort();
    let exported: Vec<&str> = exports::EXPORTS.iter().map(|e| e.0).collect();
    assert_eq!(exported, symbols);
    assert_eq!(exports::IMPLEMENTED_COUNT + exports::STUB_COUNT, symbols.len());
    for name in IMPLEMENTED {
        assert!(symbols.binary_search(name).is_ok(), "{name}");
    }
    // The shared object exports exactly these, nothing else (if nm is available).
    let exe = std::env::current_exe().unwrap();
    let so = exe.parent().unwrap().parent().unwrap().join("libcuda.so");
    match std::process::Command::new("nm").args(["-D", "--defined-only"]).arg(&so).output() {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            let mut dynsyms: Vec<&str> = text.lines().filter_map(|l| l.split_whitespace().nth(2)).collect();
            dynsyms.sort();
            let foreign: Vec<&&str> = dynsyms.iter().filter(|s| !s.starts_with("cu")).collect();
            assert!(foreign.is_empty(), "non-cu* exports: {foreign:?}");
            assert_eq!(dynsyms, symbols);
        }
        _ => eprintln!("SKIP nm check: nm or {} unavailable", so.display()),
    }
}

#[test]
fn stubs_answer_not_supported() {
    let _g = serial();
    init();
    let (r, p, _) = proc("cuGraphicsUnregisterResource", 10000, 0);
    assert_eq!(r, CUDA_SUCCESS);
    let f: unsafe extern "C" fn() -> CUresult = unsafe { std::mem::transmute(p) };
    assert_eq!(unsafe { f() }, CUDA_ERROR_NOT_SUPPORTED);
}

#[test]
fn errors_have_names_and_strings() {
    let _g = serial();
    let mut s: *const c_char = null();
    unsafe {
        assert_eq!(cuGetErrorName(CUDA_SUCCESS, &mut s), CUDA_SUCCESS);
        assert_eq!(CStr::from_ptr(s).to_str().unwrap(), "CUDA_SUCCESS");
        assert_eq!(cuGetErrorName(CUresult(999), &mut s), CUDA_SUCCESS);
        assert_eq!(CStr::from_ptr(s).to_str().unwrap(), "CUDA_ERROR_UNKNOWN");
        assert_eq!(cuGetErrorString(CUDA_ERROR_OUT_OF_MEMORY, &mut s), CUDA_SUCCESS);
        assert!(!CStr::from_ptr(s).to_bytes().is_empty());
        assert_eq!(cuGetErrorName(CUresult(12345), &mut s), CUDA_ERROR_INVALID_VALUE);
        assert!(s.is_null());
    }
    assert_eq!(errors::ERRORS.len(), 106);
}

#[test]
fn devices_and_null_out_pointers() {
    let _g = serial();
    init();
    unsafe {
        let mut n = 0;
        assert_eq!(cuDeviceGetCount(&mut n), CUDA_SUCCESS);
        assert_eq!(n, 1);
        assert_eq!(cuDeviceGetCount(null_mut()), CUDA_ERROR_INVALID_VALUE);
        let mut d = -1;
        assert_eq!(cuDeviceGet(&mut d, 1), CUDA_ERROR_INVALID_DEVICE);
        assert_eq!(cuDeviceGet(&mut d, 0), CUDA_SUCCESS);
        let mut v = 0;
        for a in 1..162 {
            assert_eq!(cuDeviceGetAttribute(&mut v, a, 0), CUDA_SUCCESS, "attribute {a}");
        }
        assert_eq!(cuDeviceGetAttribute(&mut v, 162, 0), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuDeviceGetAttribute(&mut v, 1, 7), CUDA_ERROR_INVALID_DEVICE);
        let mut name = [0 as c_char; 64];
        assert_eq!(cuDeviceGetName(name.as_mut_ptr(), 64, 0), CUDA_SUCCESS);
        assert!(CStr::from_ptr(name.as_ptr()).to_str().unwrap().starts_with("cuemu"));
        let mut bus = [0 as c_char; 16];
        assert_eq!(cuDeviceGetPCIBusId(bus.as_mut_ptr(), 16, 0), CUDA_SUCCESS);
        assert_eq!(cuDeviceGetByPCIBusId(&mut d, bus.as_ptr()), CUDA_SUCCESS);
        assert_eq!(d, 0);
        let (mut u1, mut u2) = (CUuuid::default(), CUuuid::default());
        assert_eq!(cuDeviceGetUuid(&mut u1, 0), CUDA_SUCCESS);
        assert_eq!(cuDeviceGetUuid_v2(&mut u2, 0), CUDA_SUCCESS);
        assert_eq!(u1, u2);
        let mut ver = 0;
        assert_eq!(cuDriverGetVersion(&mut ver), CUDA_SUCCESS);
        assert_eq!(ver, 13050);
    }
}

#[test]
fn bad_handles_give_errors() {
    let _g = serial();
    let _ = primary();
    let bogus = 0xdead_b000usize as *mut c_void;
    unsafe {
        assert_eq!(cuCtxPushCurrent_v2(bogus), CUDA_ERROR_INVALID_CONTEXT);
        assert_eq!(cuStreamQuery(bogus), CUDA_ERROR_INVALID_HANDLE);
        assert_eq!(cuStreamDestroy_v2(null_mut()), CUDA_ERROR_INVALID_HANDLE);
        assert_eq!(cuEventRecord(bogus, null_mut()), CUDA_ERROR_INVALID_HANDLE);
        let mut f = null_mut();
        let name = CString::new("k").unwrap();
        assert_eq!(cuModuleGetFunction(&mut f, bogus, name.as_ptr()), CUDA_ERROR_INVALID_HANDLE);
        assert_eq!(
            cuLaunchKernel(bogus, 1, 1, 1, 1, 1, 1, 0, null_mut(), null_mut(), null_mut()),
            CUDA_ERROR_INVALID_HANDLE
        );
        assert_eq!(cuModuleUnload(bogus), CUDA_ERROR_INVALID_HANDLE);
        assert_eq!(cuLibraryUnload(bogus), CUDA_ERROR_INVALID_HANDLE);
        // A stream handle is not an event handle.
        let mut s = null_mut();
        assert_eq!(cuStreamCreate(&mut s, 0), CUDA_SUCCESS);
        assert_eq!(cuEventQuery(s), CUDA_ERROR_INVALID_HANDLE);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_ERROR_INVALID_HANDLE);
        // Special stream handles are accepted everywhere.
        for h in [0usize, 1, 2] {
            assert_eq!(cuStreamSynchronize(h as CUstream), CUDA_SUCCESS);
            let mut id = 0;
            assert_eq!(cuStreamGetId(h as CUstream, &mut id), CUDA_SUCCESS);
        }
    }
}

#[test]
fn context_stack_is_per_thread() {
    let _g = serial();
    init();
    unsafe {
        let mut ctx = null_mut();
        assert_eq!(cuCtxCreate_v2(&mut ctx, 0, 0), CUDA_SUCCESS);
        let mut cur = null_mut();
        assert_eq!(cuCtxGetCurrent(&mut cur), CUDA_SUCCESS);
        assert_eq!(cur, ctx);
        let mut prim = null_mut();
        assert_eq!(cuDevicePrimaryCtxRetain(&mut prim, 0), CUDA_SUCCESS);
        assert_ne!(prim, ctx);
        assert_eq!(cuCtxPushCurrent_v2(prim), CUDA_SUCCESS);
        assert_eq!(cuCtxGetCurrent(&mut cur), CUDA_SUCCESS);
        assert_eq!(cur, prim);
        // Another thread has no current context.
        let other = std::thread::spawn(|| {
            let mut c = 1usize as CUcontext;
            assert_eq!(cuCtxGetCurrent(&mut c), CUDA_SUCCESS);
            let mut dptr = 0;
            (c as usize, cuMemAlloc_v2(&mut dptr, 16))
        })
        .join()
        .unwrap();
        assert_eq!(other, (0, CUDA_ERROR_INVALID_CONTEXT));
        let mut popped = null_mut();
        assert_eq!(cuCtxPopCurrent_v2(&mut popped), CUDA_SUCCESS);
        assert_eq!(popped, prim);
        assert_eq!(cuCtxGetCurrent(&mut cur), CUDA_SUCCESS);
        assert_eq!(cur, ctx);
        let mut dev = -1;
        assert_eq!(cuCtxGetDevice(&mut dev), CUDA_SUCCESS);
        assert_eq!(dev, 0);
        let mut id1 = 0;
        let mut id2 = 0;
        assert_eq!(cuCtxGetId(ctx, &mut id1), CUDA_SUCCESS);
        assert_eq!(cuCtxGetId(prim, &mut id2), CUDA_SUCCESS);
        assert_ne!(id1, id2);
        let mut limit = 0;
        assert_eq!(cuCtxSetLimit(2, 1 << 20), CUDA_SUCCESS);
        assert_eq!(cuCtxGetLimit(&mut limit, 2), CUDA_SUCCESS);
        assert_eq!(limit, 1 << 20);
        assert_eq!(cuCtxGetLimit(&mut limit, 99), CUDA_ERROR_UNSUPPORTED_LIMIT);
        assert_eq!(cuCtxDestroy_v2(prim), CUDA_ERROR_INVALID_CONTEXT, "primary contexts are not destroyed");
        assert_eq!(cuCtxDestroy_v2(null_mut()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuCtxDestroy_v2(ctx), CUDA_SUCCESS);
        assert_eq!(cuCtxGetCurrent(&mut cur), CUDA_SUCCESS);
        assert!(cur.is_null());
        assert_eq!(cuCtxPushCurrent_v2(ctx), CUDA_ERROR_INVALID_CONTEXT);
        assert_eq!(cuCtxPopCurrent_v2(&mut popped), CUDA_ERROR_INVALID_CONTEXT);
        assert_eq!(cuDevicePrimaryCtxRelease_v2(0), CUDA_SUCCESS);
    }
}

#[test]
fn memory_is_validated_against_the_table() {
    let _g = serial();
    let _ = primary();
    unsafe {
        let mut d: CUdeviceptr = 0;
        assert_eq!(cuMemAlloc_v2(&mut d, 1024), CUDA_SUCCESS);
        assert_eq!(d % 256, 0);
        assert_eq!(cuMemAlloc_v2(&mut d as *mut _, 0), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuMemAlloc_v2(null_mut(), 16), CUDA_ERROR_INVALID_VALUE);
        let host = [7u8; 1024];
        let mut back = [0u8; 1024];
        assert_eq!(cuMemcpyHtoD_v2(d, host.as_ptr().cast(), 1024), CUDA_SUCCESS);
        assert_eq!(cuMemcpyHtoD_v2(d + 1000, host.as_ptr().cast(), 100), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuMemcpyHtoD_v2(0x1234, host.as_ptr().cast(), 4), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuMemsetD32_v2(d + 2, 0, 4), CUDA_ERROR_INVALID_VALUE, "misaligned");
        assert_eq!(cuMemsetD32_v2(d + 4, 0x01020304, 2), CUDA_SUCCESS);
        assert_eq!(cuMemcpyDtoH_v2(back.as_mut_ptr().cast(), d, 1024), CUDA_SUCCESS);
        assert_eq!(&back[..4], &[7; 4]);
        assert_eq!(&back[4..8], &0x01020304u32.to_ne_bytes());
        let (mut base, mut size) = (0, 0);
        assert_eq!(cuMemGetAddressRange_v2(&mut base, &mut size, d + 100), CUDA_SUCCESS);
        assert_eq!((base, size), (d, 1024));
        assert_eq!(cuMemGetAddressRange_v2(&mut base, &mut size, 0x1234), CUDA_ERROR_NOT_FOUND);
        let mut mem_type: c_uint = 0;
        assert_eq!(cuPointerGetAttribute((&mut mem_type as *mut c_uint).cast(), 2, d + 8), CUDA_SUCCESS);
        assert_eq!(mem_type, CU_MEMORYTYPE_DEVICE);
        assert_eq!(cuPointerGetAttribute((&mut mem_type as *mut c_uint).cast(), 2, 0x1234), CUDA_ERROR_INVALID_VALUE);
        let (mut free, mut total) = (0, 0);
        assert_eq!(cuMemGetInfo_v2(&mut free, &mut total), CUDA_SUCCESS);
        assert!(free <= total && total > 0);
        assert_eq!(cuMemFree_v2(d + 8), CUDA_ERROR_INVALID_VALUE, "not a base");
        assert_eq!(cuMemFree_v2(d), CUDA_SUCCESS);
        assert_eq!(cuMemFree_v2(d), CUDA_ERROR_INVALID_VALUE, "double free");
        assert_eq!(cuMemcpyHtoD_v2(d, host.as_ptr().cast(), 4), CUDA_ERROR_INVALID_VALUE, "freed");
        // Host registration.
        let mut buf = vec![0u8; 8192];
        let p = buf.as_mut_ptr().cast::<c_void>();
        assert_eq!(cuMemHostRegister_v2(p, 8192, 0), CUDA_SUCCESS);
        assert_eq!(cuMemHostRegister_v2(p.add(4096), 16, 0), CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED);
        let mut dp = 0;
        assert_eq!(cuMemHostGetDevicePointer_v2(&mut dp, p, 0), CUDA_SUCCESS);
        assert_eq!(dp, p as CUdeviceptr);
        assert_eq!(cuMemcpyHtoD_v2(dp, host.as_ptr().cast(), 1024), CUDA_SUCCESS);
        assert_eq!(cuMemHostUnregister(p), CUDA_SUCCESS);
        assert_eq!(cuMemHostUnregister(p), CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED);
        // Pinned host memory.
        let mut ph = null_mut();
        assert_eq!(cuMemHostAlloc(&mut ph, 100, 0x8), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuMemHostAlloc(&mut ph, 100, 0x2), CUDA_SUCCESS);
        assert_eq!(cuMemFree_v2(ph as CUdeviceptr), CUDA_ERROR_INVALID_VALUE, "host memory via cuMemFree");
        assert_eq!(cuMemFreeHost(ph), CUDA_SUCCESS);
    }
}

#[test]
fn events_time_real_work() {
    let _g = serial();
    let _ = primary();
    unsafe {
        let (mut a, mut b) = (null_mut(), null_mut());
        assert_eq!(cuEventCreate(&mut a, 0), CUDA_SUCCESS);
        assert_eq!(cuEventCreate(&mut b, 0), CUDA_SUCCESS);
        let mut ms = 0f32;
        assert_eq!(cuEventElapsedTime(&mut ms, a, b), CUDA_ERROR_INVALID_HANDLE, "not recorded");
        assert_eq!(cuEventQuery(a), CUDA_SUCCESS);
        assert_eq!(cuEventRecord(a, null_mut()), CUDA_SUCCESS);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(cuEventRecord(b, 2usize as CUstream), CUDA_SUCCESS);
        assert_eq!(cuEventSynchronize(b), CUDA_SUCCESS);
        assert_eq!(cuEventElapsedTime(&mut ms, a, b), CUDA_SUCCESS);
        assert!((15.0..2000.0).contains(&ms), "{ms} ms");
        let mut nt = null_mut();
        assert_eq!(cuEventCreate(&mut nt, 2), CUDA_SUCCESS);
        assert_eq!(cuEventRecord(nt, null_mut()), CUDA_SUCCESS);
        assert_eq!(cuEventElapsedTime(&mut ms, a, nt), CUDA_ERROR_INVALID_HANDLE, "DISABLE_TIMING");
        assert_eq!(cuEventCreate(&mut nt, 4), CUDA_ERROR_INVALID_VALUE, "interprocess needs DISABLE_TIMING");
        for e in [a, b] {
            assert_eq!(cuEventDestroy_v2(e), CUDA_SUCCESS);
        }
        assert_eq!(cuEventDestroy_v2(a), CUDA_ERROR_INVALID_HANDLE);
    }
}

static CB_COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
unsafe extern "C" fn host_fn(user: *mut c_void) {
    *(user as *mut u32) += 1;
}
unsafe extern "C" fn stream_cb(_s: CUstream, status: CUresult, user: *mut c_void) {
    assert_eq!(status, CUDA_SUCCESS);
    *(user as *mut u32) += 10;
}

#[test]
fn stream_callbacks_run() {
    let _g = serial();
    let _ = primary();
    unsafe {
        let mut s = null_mut();
        assert_eq!(cuStreamCreateWithPriority(&mut s, 1, -100), CUDA_SUCCESS);
        let mut prio = 0;
        assert_eq!(cuStreamGetPriority(s, &mut prio), CUDA_SUCCESS);
        assert_eq!(prio, -5, "clamped to the greatest priority");
        let mut flags = 0;
        assert_eq!(cuStreamGetFlags(s, &mut flags), CUDA_SUCCESS);
        assert_eq!(flags, 1);
        let mut counter = 0u32;
        assert_eq!(cuLaunchHostFunc(s, Some(host_fn), (&mut counter as *mut u32).cast()), CUDA_SUCCESS);
        assert_eq!(cuStreamAddCallback(s, Some(stream_cb), (&mut counter as *mut u32).cast(), 0), CUDA_SUCCESS);
        // Streams are asynchronous: the host functions have run once the stream is synchronized.
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert_eq!(counter, 11);
        let mut status = 9;
        assert_eq!(cuStreamIsCapturing(s, &mut status), CUDA_SUCCESS);
        assert_eq!(status, 0);
        let mut ctx = null_mut();
        assert_eq!(cuStreamGetCtx(s, &mut ctx), CUDA_SUCCESS);
        assert!(!ctx.is_null());
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
    }
    CB_COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

const PTX: &str = r#"
.version 8.0
.target sm_75
.address_size 64

.visible .global .align 4 .u32 counter = 5;

.visible .entry add_one(
    .param .u64 p_out,
    .param .u32 p_n
)
{
    .reg .pred %p<2>;
    .reg .b32 %r<6>;
    .reg .b64 %rd<5>;
    ld.param.u64 %rd1, [p_out];
    ld.param.u32 %r1, [p_n];
    mov.u32 %r2, %ctaid.x;
    mov.u32 %r3, %ntid.x;
    mov.u32 %r4, %tid.x;
    mad.lo.s32 %r5, %r2, %r3, %r4;
    setp.ge.u32 %p1, %r5, %r1;
    @%p1 bra DONE;
    cvta.to.global.u64 %rd2, %rd1;
    mul.wide.u32 %rd3, %r5, 4;
    add.s64 %rd4, %rd2, %rd3;
    st.global.u32 [%rd4], %r5;
DONE:
    ret;
}
"#;

#[test]
fn modules_functions_and_launches() {
    let _g = serial();
    let _ = primary();
    let ptx = CString::new(PTX).unwrap();
    unsafe {
        let mut m = null_mut();
        let mut err_log = [0 as c_char; 512];
        let mut opts = [5 as c_uint, 6];
        let mut vals = [err_log.as_mut_ptr().cast::<c_void>(), 512usize as *mut c_void];
        assert_eq!(
            cuModuleLoadDataEx(&mut m, ptx.as_ptr().cast(), 2, opts.as_mut_ptr(), vals.as_mut_ptr()),
            CUDA_SUCCESS,
            "{}",
            CStr::from_ptr(err_log.as_ptr()).to_string_lossy()
        );
        let mut count = 0;
        assert_eq!(cuModuleGetFunctionCount(&mut count, m), CUDA_SUCCESS);
        assert_eq!(count, 1);
        let name = CString::new("add_one").unwrap();
        let (mut f, mut f2) = (null_mut(), null_mut());
        assert_eq!(cuModuleGetFunction(&mut f, m, name.as_ptr()), CUDA_SUCCESS);
        assert_eq!(cuModuleGetFunction(&mut f2, m, name.as_ptr()), CUDA_SUCCESS);
        assert_eq!(f, f2, "stable handles");
        let missing = CString::new("nope").unwrap();
        assert_eq!(cuModuleGetFunction(&mut f2, m, missing.as_ptr()), CUDA_ERROR_NOT_FOUND);
        let mut v = 0;
        assert_eq!(cuFuncGetAttribute(&mut v, 5, f), CUDA_SUCCESS);
        assert_eq!(v, 75, "PTX_VERSION is the module target");
        assert_eq!(cuFuncGetAttribute(&mut v, 0, f), CUDA_SUCCESS);
        assert_eq!(v, 1024);
        assert_eq!(cuFuncSetAttribute(f, 8, 100 * 1024), CUDA_SUCCESS);
        assert_eq!(cuFuncSetAttribute(f, 8, 1 << 20), CUDA_ERROR_INVALID_VALUE);
        let mut fname: *const c_char = null();
        assert_eq!(cuFuncGetName(&mut fname, f), CUDA_SUCCESS);
        assert_eq!(CStr::from_ptr(fname).to_str().unwrap(), "add_one");
        let (mut off, mut size) = (0, 0);
        assert_eq!(cuFuncGetParamInfo(f, 1, &mut off, &mut size), CUDA_SUCCESS);
        assert_eq!((off, size), (8, 4));
        let mut blocks = 0;
        assert_eq!(cuOccupancyMaxActiveBlocksPerMultiprocessor(&mut blocks, f, 256, 0), CUDA_SUCCESS);
        assert!(blocks > 0);
        let (mut grid, mut bs) = (0, 0);
        assert_eq!(cuOccupancyMaxPotentialBlockSize(&mut grid, &mut bs, f, None, 0, 0), CUDA_SUCCESS);
        assert!(bs > 0 && grid > 0);

        // A module variable is device memory.
        let (mut g, mut gsize) = (0, 0);
        let gname = CString::new("counter").unwrap();
        assert_eq!(cuModuleGetGlobal_v2(&mut g, &mut gsize, m, gname.as_ptr()), CUDA_SUCCESS);
        assert_eq!(gsize, 4);
        let mut val = 0u32;
        assert_eq!(cuMemcpyDtoH_v2((&mut val as *mut u32).cast(), g, 4), CUDA_SUCCESS);
        assert_eq!(val, 5);

        // Launch with kernelParams and with `extra`.
        let n: u32 = 1000;
        let mut out: CUdeviceptr = 0;
        assert_eq!(cuMemAlloc_v2(&mut out, 4 * n as usize), CUDA_SUCCESS);
        let mut params = [(&mut out as *mut CUdeviceptr).cast::<c_void>(), (&n as *const u32 as *mut u32).cast()];
        assert_eq!(cuLaunchKernel(f, 4, 1, 1, 256, 1, 1, 0, null_mut(), params.as_mut_ptr(), null_mut()), CUDA_SUCCESS);
        let mut host = vec![0u32; n as usize];
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr().cast(), out, 4 * n as usize), CUDA_SUCCESS);
        assert!(host.iter().enumerate().all(|(i, &x)| x == i as u32));
        assert_eq!(cuMemsetD32_v2(out, 0, n as usize), CUDA_SUCCESS);
        let mut packed = [0u8; 12];
        packed[..8].copy_from_slice(&out.to_ne_bytes());
        packed[8..].copy_from_slice(&n.to_ne_bytes());
        let mut psize = 12usize;
        let mut extra = [
            1usize as *mut c_void,
            packed.as_mut_ptr().cast(),
            2usize as *mut c_void,
            (&mut psize as *mut usize).cast(),
            null_mut(),
        ];
        assert_eq!(cuLaunchKernel(f, 4, 1, 1, 256, 1, 1, 0, 2usize as CUstream, null_mut(), extra.as_mut_ptr()), CUDA_SUCCESS);
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr().cast(), out, 4 * n as usize), CUDA_SUCCESS);
        assert_eq!(host[999], 999);
        // Shape validation.
        assert_eq!(cuLaunchKernel(f, 1, 1, 1, 2048, 1, 1, 0, null_mut(), params.as_mut_ptr(), null_mut()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuLaunchKernel(f, 0, 1, 1, 32, 1, 1, 0, null_mut(), params.as_mut_ptr(), null_mut()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuLaunchKernel(f, 1, 65536, 1, 32, 1, 1, 0, null_mut(), params.as_mut_ptr(), null_mut()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuLaunchKernel(f, 1, 1, 1, 32, 1, 1, 200 * 1024, null_mut(), params.as_mut_ptr(), null_mut()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuLaunchKernel(f, 1, 1, 1, 32, 1, 1, 0, null_mut(), null_mut(), null_mut()), CUDA_ERROR_INVALID_VALUE);
        // cuLaunchKernelEx with an ignored attribute.
        let mut attr = CUlaunchAttribute { id: 6, pad: [0; 4], value: [0; 64] };
        attr.value[0] = 1;
        let cfg = CUlaunchConfig {
            grid_dim_x: 4,
            grid_dim_y: 1,
            grid_dim_z: 1,
            block_dim_x: 256,
            block_dim_y: 1,
            block_dim_z: 1,
            shared_mem_bytes: 0,
            h_stream: null_mut(),
            attrs: &mut attr,
            num_attrs: 1,
        };
        assert_eq!(cuLaunchKernelEx(&cfg, f, params.as_mut_ptr(), null_mut()), CUDA_SUCCESS);
        assert_eq!(cuMemFree_v2(out), CUDA_SUCCESS);
        assert_eq!(cuModuleUnload(m), CUDA_SUCCESS);
        assert_eq!(cuFuncGetAttribute(&mut v, 5, f), CUDA_ERROR_INVALID_HANDLE, "function died with its module");
        assert_eq!(cuMemcpyDtoH_v2((&mut val as *mut u32).cast(), g, 4), CUDA_ERROR_INVALID_VALUE, "global gone");
    }
}

#[test]
fn bad_images_and_jit_error_log() {
    let _g = serial();
    let _ = primary();
    unsafe {
        let mut m = null_mut();
        let junk = CString::new("not an image at all").unwrap();
        assert_eq!(cuModuleLoadData(&mut m, junk.as_ptr().cast()), CUDA_ERROR_INVALID_IMAGE);
        assert_eq!(cuModuleLoadData(&mut m, null()), CUDA_ERROR_INVALID_VALUE);
        let bad = CString::new(".version 8.0\n.target sm_75\n.address_size 64\n.visible .entry k( { bogus; }").unwrap();
        let mut log = [0 as c_char; 256];
        let mut opts = [5 as c_uint, 6];
        let mut vals = [log.as_mut_ptr().cast::<c_void>(), 256usize as *mut c_void];
        let r = cuModuleLoadDataEx(&mut m, bad.as_ptr().cast(), 2, opts.as_mut_ptr(), vals.as_mut_ptr());
        assert_eq!(r, CUDA_ERROR_INVALID_PTX);
        assert!(!CStr::from_ptr(log.as_ptr()).to_bytes().is_empty(), "error log written");
        assert!(vals[1] as usize > 1 && vals[1] as usize <= 256, "log size slot updated");
        let newer = CString::new(".version 8.0\n.target sm_90\n.address_size 64\n").unwrap();
        assert_eq!(cuModuleLoadData(&mut m, newer.as_ptr().cast()), CUDA_ERROR_INVALID_PTX, "target above the device");
    }
}

static DTOR_CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
unsafe extern "C" fn cls_dtor(_ctx: CUcontext, _key: *mut c_void, value: *mut c_void) {
    assert_eq!(value as usize, 0xbeef);
    DTOR_CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

fn table(uuid: [u8; 16]) -> *const *const c_void {
    let mut t: *const c_void = null();
    let id = CUuuid { bytes: uuid };
    assert_eq!(unsafe { cuGetExportTable(&mut t, &id) }, CUDA_SUCCESS);
    t as *const *const c_void
}

#[test]
fn export_tables() {
    let _g = serial();
    init();
    use cuda::api::export_tables as et;
    unsafe {
        // Unknown tables (incl. cudart's F8CFF951 probe) are refused.
        let mut t: *const c_void = null();
        let probe = CUuuid { bytes: [0xF8, 0xCF, 0xF9, 0x51, 0x21, 0x46, 0x8B, 0x4E, 0xB9, 0xE2, 0xFB, 0x46, 0x9E, 0x7C, 0x0D, 0xD9] };
        assert_eq!(cuGetExportTable(&mut t, &probe), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuGetExportTable(null_mut(), &probe), CUDA_ERROR_INVALID_VALUE);

        // CUDART_INTERFACE: size slot, slot 2 = the primary context, slot 12 = 0.
        let ci = table(et::CUDART_INTERFACE_ID);
        assert_eq!(ci, et::CUDART_INTERFACE.as_ptr() as *const *const c_void, "stable address");
        assert_eq!(*ci as usize, 13 * 8);
        let slot2: unsafe extern "C" fn(*mut CUcontext, CUdevice) -> CUresult = std::mem::transmute(*ci.add(2));
        let (mut a, mut b) = (null_mut(), null_mut());
        assert_eq!(slot2(&mut a, 0), CUDA_SUCCESS);
        assert_eq!(cuDevicePrimaryCtxRetain(&mut b, 0), CUDA_SUCCESS);
        assert_eq!(a, b);
        assert_eq!(slot2(&mut a, 5), CUDA_ERROR_INVALID_DEVICE);
        let slot12: unsafe extern "C" fn() -> CUresult = std::mem::transmute(*ci.add(12));
        assert_eq!(slot12(), CUDA_SUCCESS);

        // Hooks hand out zeroed buffers.
        let hooks = table(et::TOOLS_RUNTIME_CALLBACK_HOOKS_ID);
        for slot in [2, 6] {
            let f: unsafe extern "C" fn(*mut *mut c_void, *mut usize) -> CUresult = std::mem::transmute(*hooks.add(slot));
            let (mut p, mut n) = (null_mut(), 0);
            assert_eq!(f(&mut p, &mut n), CUDA_SUCCESS);
            assert!(!p.is_null() && n > 0);
        }
        assert_eq!(*table(et::TOOLS_TLS_ID) as usize, 4 * 8);
        assert_eq!(*table(et::TABLE_21318C60_ID) as usize, 64 * 8);

        // Context-local storage: get fails for a missing key; destructors run on reset.
        let cls = table(et::CONTEXT_LOCAL_STORAGE_ID);
        let put: unsafe extern "C" fn(CUcontext, *mut c_void, *mut c_void, et::ClsDtor) -> CUresult = std::mem::transmute(*cls);
        let del: unsafe extern "C" fn(CUcontext, *mut c_void) -> CUresult = std::mem::transmute(*cls.add(1));
        let get: unsafe extern "C" fn(*mut *mut c_void, CUcontext, *mut c_void) -> CUresult = std::mem::transmute(*cls.add(2));
        let mut ctx = null_mut();
        assert_eq!(cuCtxCreate_v2(&mut ctx, 0, 0), CUDA_SUCCESS);
        let key = 0x1234usize as *mut c_void;
        let mut v = null_mut();
        assert_ne!(get(&mut v, ctx, key), CUDA_SUCCESS);
        assert_eq!(put(null_mut(), key, 0xbeef as *mut c_void, Some(cls_dtor)), CUDA_SUCCESS, "NULL = current");
        assert_eq!(get(&mut v, ctx, key), CUDA_SUCCESS);
        assert_eq!(v as usize, 0xbeef);
        assert_eq!(del(ctx, key), CUDA_SUCCESS);
        assert_ne!(get(&mut v, ctx, key), CUDA_SUCCESS);
        assert_eq!(put(ctx, key, 0xbeef as *mut c_void, Some(cls_dtor)), CUDA_SUCCESS);
        let before = DTOR_CALLS.load(std::sync::atomic::Ordering::SeqCst);
        assert_eq!(cuCtxDestroy_v2(ctx), CUDA_SUCCESS);
        assert_eq!(DTOR_CALLS.load(std::sync::atomic::Ordering::SeqCst), before + 1, "destructor ran on destroy");

        // CONTEXT_CHECKS slot 2 writes 0.
        let cc = table(et::CONTEXT_CHECKS_ID);
        let f2: unsafe extern "C" fn(CUcontext, *mut u32, *mut *mut c_void) -> CUresult = std::mem::transmute(*cc.add(2));
        let mut out = 7u32;
        assert_eq!(f2(null_mut(), &mut out, null_mut()), CUDA_SUCCESS);
        assert_eq!(out, 0);

        // Integrity check: fixed answers for x0/x1, HMAC-MD2 of the documented message else.
        let ic = table(et::INTEGRITY_CHECK_ID);
        let check: unsafe extern "C" fn(u32, u64, *mut [u64; 2]) -> CUresult = std::mem::transmute(*ic.add(1));
        let mut out = [0u64; 2];
        assert_eq!(check(13050, 1_700_000_000, &mut out), CUDA_SUCCESS);
        assert_eq!(out, [0x3341181C03CB675C, 0x8ED383AA1F4CD1E8]);
        assert_eq!(check(13051, 1_700_000_000, &mut out), CUDA_SUCCESS);
        assert_eq!(out, [0x1841181C03CB675C, 0x8ED383AA1F4CD1E8]);
        assert_eq!(check(13052, 1_700_000_000, &mut out), CUDA_SUCCESS);
        let want = et::integrity_answer(13052, 1_700_000_000, libc::getpid() as u32, libc::pthread_self() as u32);
        assert_eq!(out, want);
        assert_ne!(out, [0x3341181C03CB675C, 0x8ED383AA1F4CD1E8]);
    }
}

#[test]
fn primary_context_reset_runs_cls_destructors() {
    let _g = serial();
    init();
    use cuda::api::export_tables as et;
    unsafe {
        // A second device does not exist; use device 0's primary context on this thread only.
        let cls = table(et::CONTEXT_LOCAL_STORAGE_ID);
        let put: unsafe extern "C" fn(CUcontext, *mut c_void, *mut c_void, et::ClsDtor) -> CUresult = std::mem::transmute(*cls);
        let mut p = null_mut();
        assert_eq!(cuDevicePrimaryCtxRetain(&mut p, 0), CUDA_SUCCESS);
        let before = DTOR_CALLS.load(std::sync::atomic::Ordering::SeqCst);
        assert_eq!(put(p, 0x777 as *mut c_void, 0xbeef as *mut c_void, Some(cls_dtor)), CUDA_SUCCESS);
        let (mut flags, mut active) = (9, 0);
        assert_eq!(cuDevicePrimaryCtxGetState(0, &mut flags, &mut active), CUDA_SUCCESS);
        assert_eq!(active, 1);
        // Reset (other tests may hold the primary context; reset is what they would see on NVIDIA too).
        assert_eq!(cuDevicePrimaryCtxReset_v2(0), CUDA_SUCCESS);
        assert!(DTOR_CALLS.load(std::sync::atomic::Ordering::SeqCst) > before);
        let mut p2 = null_mut();
        assert_eq!(cuDevicePrimaryCtxRetain(&mut p2, 0), CUDA_SUCCESS);
        assert_eq!(p, p2, "the primary context handle is stable");
        assert_eq!(cuDevicePrimaryCtxRelease_v2(0), CUDA_SUCCESS);
    }
}

const TRAP_PTX: &str = r#"
.version 8.0
.target sm_75
.address_size 64
.visible .entry boom()
{
    trap;
}
"#;

/// A trapping kernel makes its context's error sticky (created context: the primary one is
/// shared with the other tests).
#[test]
fn kernel_trap_is_sticky() {
    let _g = serial();
    init();
    let ptx = CString::new(TRAP_PTX).unwrap();
    unsafe {
        let mut ctx = null_mut();
        assert_eq!(cuCtxCreate_v2(&mut ctx, 0, 0), CUDA_SUCCESS);
        let mut m = null_mut();
        assert_eq!(cuModuleLoadData(&mut m, ptx.as_ptr().cast()), CUDA_SUCCESS);
        let name = CString::new("boom").unwrap();
        let mut f = null_mut();
        assert_eq!(cuModuleGetFunction(&mut f, m, name.as_ptr()), CUDA_SUCCESS);
        // Launches are asynchronous (as on NVIDIA's driver): the fault surfaces at the next
        // synchronizing call, and stays.
        assert_eq!(cuLaunchKernel(f, 1, 1, 1, 32, 1, 1, 0, null_mut(), null_mut(), null_mut()), CUDA_SUCCESS);
        let r = cuCtxSynchronize();
        assert!(r == CUDA_ERROR_LAUNCH_FAILED || r == CUDA_ERROR_ASSERT, "{r:?}");
        assert_eq!(cuCtxSynchronize(), r, "sticky");
        let mut d = 0;
        assert_eq!(cuMemAlloc_v2(&mut d, 16), r, "sticky");
        assert_eq!(cuStreamSynchronize(null_mut()), r, "sticky");
        assert_eq!(cuCtxDestroy_v2(ctx), CUDA_SUCCESS);
    }
}
