//! Asynchronous streams in-process: work runs off the calling thread, in order per stream;
//! cross-stream event waits; the legacy default stream's implicit synchronization with
//! blocking streams (not with non-blocking ones); per-thread default streams; events that
//! complete in stream order with real timing; pageable copies staged at enqueue; process exit
//! with work still queued.

use cuda::api::entries::*;
use cuda::api::*;
use std::ffi::c_void;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

mod common;
use common::{serial, primary, stream};

/// A gate a host function blocks on until the test opens it.
struct Gate(AtomicBool);
impl Gate {
    const fn new() -> Self {
        Gate(AtomicBool::new(false))
    }
    fn open(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

unsafe extern "C" fn wait_gate(p: *mut c_void) {
    let g = &*(p as *const Gate);
    let t0 = Instant::now();
    while !g.0.load(Ordering::SeqCst) && t0.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(1));
    }
}

unsafe extern "C" fn set_flag(p: *mut c_void) {
    (*(p as *const AtomicBool)).store(true, Ordering::SeqCst);
}

static ORDER: Mutex<Vec<usize>> = Mutex::new(Vec::new());
unsafe extern "C" fn push_order(p: *mut c_void) {
    ORDER.lock().unwrap().push(p as usize);
}

static WORKER_THREAD: AtomicU64 = AtomicU64::new(0);
fn thread_tag() -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::thread::current().id().hash(&mut h);
    h.finish() | 1
}
unsafe extern "C" fn note_thread(_: *mut c_void) {
    WORKER_THREAD.store(thread_tag(), Ordering::SeqCst);
}

unsafe fn gate_ptr(g: &'static Gate) -> *mut c_void {
    g as *const Gate as *mut c_void
}

fn flag_ptr(f: &AtomicBool) -> *mut c_void {
    f as *const AtomicBool as *mut c_void
}

#[test]
fn work_runs_off_the_calling_thread_in_order() {
    let _g = serial();
    primary();
    static GATE: Gate = Gate::new();
    unsafe {
        let s = stream(1);
        assert_eq!(cuLaunchHostFunc(s, Some(wait_gate), gate_ptr(&GATE)), CUDA_SUCCESS);
        ORDER.lock().unwrap().clear();
        for i in 0..100 {
            assert_eq!(cuLaunchHostFunc(s, Some(push_order), i as *mut c_void), CUDA_SUCCESS);
        }
        assert_eq!(cuLaunchHostFunc(s, Some(note_thread), null_mut()), CUDA_SUCCESS);
        assert_eq!(cuStreamQuery(s), CUDA_ERROR_NOT_READY, "blocked behind the gate");
        assert!(ORDER.lock().unwrap().is_empty());
        GATE.open();
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert_eq!(cuStreamQuery(s), CUDA_SUCCESS);
        assert_eq!(*ORDER.lock().unwrap(), (0..100).collect::<Vec<_>>());
        let w = WORKER_THREAD.load(Ordering::SeqCst);
        assert!(w != 0 && w != thread_tag(), "host functions run on the stream's worker");
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
    }
}

#[test]
fn cross_stream_event_wait_and_timing() {
    let _g = serial();
    primary();
    static GATE: Gate = Gate::new();
    unsafe {
        let (a, b) = (stream(1), stream(1));
        let (mut ev, mut t0, mut t1) = (null_mut(), null_mut(), null_mut());
        assert_eq!(cuEventCreate(&mut ev, 2), CUDA_SUCCESS);
        assert_eq!(cuEventCreate(&mut t0, 0), CUDA_SUCCESS);
        assert_eq!(cuEventCreate(&mut t1, 0), CUDA_SUCCESS);
        assert_eq!(cuEventRecord(t0, a), CUDA_SUCCESS);
        assert_eq!(cuLaunchHostFunc(a, Some(wait_gate), gate_ptr(&GATE)), CUDA_SUCCESS);
        assert_eq!(cuEventRecord(ev, a), CUDA_SUCCESS);
        assert_eq!(cuEventRecord(t1, a), CUDA_SUCCESS);
        let done = Box::leak(Box::new(AtomicBool::new(false)));
        assert_eq!(cuStreamWaitEvent(b, ev, 0), CUDA_SUCCESS);
        assert_eq!(cuLaunchHostFunc(b, Some(set_flag), flag_ptr(done)), CUDA_SUCCESS);
        std::thread::sleep(Duration::from_millis(30));
        assert!(!done.load(Ordering::SeqCst), "b waits for the event recorded in a");
        assert_eq!(cuEventQuery(ev), CUDA_ERROR_NOT_READY);
        let mut ms = 0f32;
        assert_eq!(cuEventElapsedTime(&mut ms, t0, t1), CUDA_ERROR_NOT_READY);
        GATE.open();
        assert_eq!(cuStreamSynchronize(b), CUDA_SUCCESS);
        assert!(done.load(Ordering::SeqCst));
        assert_eq!(cuEventSynchronize(t1), CUDA_SUCCESS);
        assert_eq!(cuEventQuery(ev), CUDA_SUCCESS);
        assert_eq!(cuEventElapsedTime(&mut ms, t0, t1), CUDA_SUCCESS);
        assert!(ms >= 25.0, "the events time the work between them: {ms} ms");
        for e in [ev, t0, t1] {
            assert_eq!(cuEventDestroy_v2(e), CUDA_SUCCESS);
        }
        assert_eq!(cuStreamDestroy_v2(a), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(b), CUDA_SUCCESS);
    }
}

#[test]
fn legacy_stream_waits_for_blocking_streams_only() {
    let _g = serial();
    primary();
    static GATE_B: Gate = Gate::new();
    static GATE_NB: Gate = Gate::new();
    unsafe {
        let nb = stream(1);
        assert_eq!(cuLaunchHostFunc(nb, Some(wait_gate), gate_ptr(&GATE_NB)), CUDA_SUCCESS);
        let f1 = Box::leak(Box::new(AtomicBool::new(false)));
        assert_eq!(cuLaunchHostFunc(null_mut(), Some(set_flag), flag_ptr(f1)), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(null_mut()), CUDA_SUCCESS, "does not wait for the non-blocking stream");
        assert!(f1.load(Ordering::SeqCst));

        let blocking = stream(0);
        assert_eq!(cuLaunchHostFunc(blocking, Some(wait_gate), gate_ptr(&GATE_B)), CUDA_SUCCESS);
        let f2 = Box::leak(Box::new(AtomicBool::new(false)));
        assert_eq!(cuLaunchHostFunc(null_mut(), Some(set_flag), flag_ptr(f2)), CUDA_SUCCESS);
        std::thread::sleep(Duration::from_millis(30));
        assert!(!f2.load(Ordering::SeqCst), "legacy work waits for the blocking stream");
        // ... and later blocking-stream work waits for that legacy work.
        let f3 = Box::leak(Box::new(AtomicBool::new(false)));
        let other = stream(0);
        assert_eq!(cuLaunchHostFunc(other, Some(set_flag), flag_ptr(f3)), CUDA_SUCCESS);
        std::thread::sleep(Duration::from_millis(20));
        assert!(!f3.load(Ordering::SeqCst));
        GATE_B.open();
        GATE_NB.open();
        assert_eq!(cuCtxSynchronize(), CUDA_SUCCESS);
        assert!(f2.load(Ordering::SeqCst) && f3.load(Ordering::SeqCst));
        for s in [nb, blocking, other] {
            assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
        }
    }
}

#[test]
fn pageable_async_copy_is_staged_and_per_thread_stream_works() {
    let _g = serial();
    primary();
    static GATE: Gate = Gate::new();
    unsafe {
        let s = stream(1);
        let mut d = 0;
        assert_eq!(cuMemAlloc_v2(&mut d, 4096), CUDA_SUCCESS);
        assert_eq!(cuLaunchHostFunc(s, Some(wait_gate), gate_ptr(&GATE)), CUDA_SUCCESS);
        let mut host = vec![7u8; 4096];
        assert_eq!(cuMemcpyHtoDAsync_v2(d, host.as_ptr().cast(), 4096, s), CUDA_SUCCESS);
        host.fill(9); // allowed for pageable memory: the driver took a copy
        GATE.open();
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        let mut back = vec![0u8; 4096];
        assert_eq!(cuMemcpyDtoHAsync_v2(back.as_mut_ptr().cast(), d, 4096, s), CUDA_SUCCESS);
        assert!(back.iter().all(|&x| x == 7), "a copy to pageable memory is complete on return");

        // The per-thread default stream: its own queue, usable from several threads.
        let ctx = {
            let mut c = null_mut();
            assert_eq!(cuCtxGetCurrent(&mut c), CUDA_SUCCESS);
            c as usize
        };
        let n = std::sync::Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let n = n.clone();
                std::thread::spawn(move || {
                    assert_eq!(cuCtxSetCurrent(ctx as CUcontext), CUDA_SUCCESS);
                    let per_thread = 2usize as CUstream;
                    unsafe extern "C" fn inc(p: *mut c_void) {
                        (*(p as *const AtomicUsize)).fetch_add(1, Ordering::SeqCst);
                    }
                    for _ in 0..25 {
                        assert_eq!(cuLaunchHostFunc(per_thread, Some(inc), std::sync::Arc::as_ptr(&n) as *mut c_void), CUDA_SUCCESS);
                    }
                    assert_eq!(cuStreamSynchronize(per_thread), CUDA_SUCCESS);
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(n.load(Ordering::SeqCst), 100);
        assert_eq!(cuMemFree_v2(d), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
    }
}

/// The process may exit with work still queued: no crash, no hang.
#[test]
fn exit_with_queued_work() {
    if std::env::var_os("CUEMU_EXIT_CHILD").is_some() {
        primary();
        static GATE: Gate = Gate::new();
        unsafe {
            let s = stream(1);
            for _ in 0..3 {
                assert_eq!(cuLaunchHostFunc(s, Some(wait_gate), gate_ptr(&GATE)), CUDA_SUCCESS);
            }
        }
        std::process::exit(0);
    }
    let t0 = Instant::now();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "exit_with_queued_work", "--nocapture"])
        .env("CUEMU_EXIT_CHILD", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "child: {:?} {}", out.status, String::from_utf8_lossy(&out.stderr));
    assert!(t0.elapsed() < Duration::from_secs(8), "exit does not wait for queued work");
}

#[test]
fn stream_ordered_allocation_and_pools() {
    let _g = serial();
    primary();
    static GATE: Gate = Gate::new();
    unsafe {
        let mut v = 0;
        assert_eq!(cuDeviceGetAttribute(&mut v, 115, 0), CUDA_SUCCESS);
        assert_eq!(v, 1, "MEMORY_POOLS_SUPPORTED");
        let (mut def, mut cur) = (null_mut(), null_mut());
        assert_eq!(cuDeviceGetDefaultMemPool(&mut def, 0), CUDA_SUCCESS);
        assert_eq!(cuDeviceGetMemPool(&mut cur, 0), CUDA_SUCCESS);
        assert_eq!(def, cur);
        let used = |p: *mut c_void, attr: u32| {
            let mut x = 0u64;
            assert_eq!(cuMemPoolGetAttribute(p, attr, (&mut x as *mut u64).cast()), CUDA_SUCCESS);
            x
        };
        let base_used = used(def, 7);
        let s = stream(1);
        let mut d = 0;
        assert_eq!(cuMemAllocAsync(&mut d, 1 << 20, s), CUDA_SUCCESS);
        assert_eq!(cuMemsetD8Async(d, 5, 1 << 20, s), CUDA_SUCCESS);
        assert_eq!(used(def, 7), base_used + (1 << 20));
        assert!(used(def, 8) >= base_used + (1 << 20));
        // The free is stream-ordered: the memory stays valid until the stream reaches it.
        assert_eq!(cuLaunchHostFunc(s, Some(wait_gate), gate_ptr(&GATE)), CUDA_SUCCESS);
        assert_eq!(cuMemFreeAsync(d, s), CUDA_SUCCESS);
        let mut pool_of: *mut c_void = null_mut();
        assert_eq!(cuPointerGetAttribute((&mut pool_of as *mut *mut c_void).cast(), 17, d), CUDA_SUCCESS);
        assert_eq!(pool_of, def, "CU_POINTER_ATTRIBUTE_MEMPOOL_HANDLE");
        GATE.open();
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert_eq!(used(def, 7), base_used);
        let zero = 0u64;
        assert_eq!(cuMemPoolSetAttribute(def, 8, (&zero as *const u64).cast_mut().cast()), CUDA_SUCCESS);
        assert_eq!(used(def, 8), base_used, "high watermark reset");

        // A created pool, made the device's current pool.
        let props = cuda::driver::pool::CUmemPoolProps {
            alloc_type: 1,
            handle_types: 0,
            location: CUmemLocation { type_: 1, id: 0 },
            win32_security_attributes: null_mut(),
            max_size: 0,
            usage: 0,
            reserved: [0; 54],
        };
        let mut pool = null_mut();
        assert_eq!(cuMemPoolCreate(&mut pool, &props), CUDA_SUCCESS);
        let thr = u64::MAX;
        assert_eq!(cuMemPoolSetAttribute(pool, 4, (&thr as *const u64).cast_mut().cast()), CUDA_SUCCESS);
        assert_eq!(used(pool, 4), u64::MAX);
        assert_eq!(cuDeviceSetMemPool(0, pool), CUDA_SUCCESS);
        let mut d2 = 0;
        assert_eq!(cuMemAllocAsync(&mut d2, 4096, s), CUDA_SUCCESS);
        assert_eq!(used(pool, 7), 4096);
        let mut d3 = 0;
        assert_eq!(cuMemAllocFromPoolAsync(&mut d3, 8192, def, s), CUDA_SUCCESS);
        assert_eq!(used(def, 7), base_used + 8192);
        assert_eq!(cuMemFreeAsync(d2, s), CUDA_SUCCESS);
        assert_eq!(cuMemFree_v2(d3), CUDA_SUCCESS, "cuMemFree takes pool memory too");
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert_eq!((used(pool, 7), used(def, 7)), (0, base_used));
        assert_eq!(cuDeviceSetMemPool(0, def), CUDA_SUCCESS);
        assert_eq!(cuMemPoolDestroy(pool), CUDA_SUCCESS);
        assert_eq!(cuMemPoolDestroy(def), CUDA_ERROR_INVALID_VALUE, "the default pool stays");
        assert_eq!(cuMemFreeAsync(d2, s), CUDA_ERROR_INVALID_VALUE, "already freed");
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
    }
}

/// Eight host threads, each with its own stream, launching host work and copying concurrently.
#[test]
fn eight_threads_eight_streams() {
    let _g = serial();
    primary();
    let ctx = unsafe {
        let mut c = null_mut();
        assert_eq!(cuCtxGetCurrent(&mut c), CUDA_SUCCESS);
        c as usize
    };
    let threads: Vec<_> = (0..8u8)
        .map(|t| {
            std::thread::spawn(move || unsafe {
                assert_eq!(cuCtxSetCurrent(ctx as CUcontext), CUDA_SUCCESS);
                let s = stream(1);
                let mut d = 0;
                assert_eq!(cuMemAlloc_v2(&mut d, 1 << 16), CUDA_SUCCESS);
                let mut pinned: *mut c_void = null_mut();
                assert_eq!(cuMemAllocHost_v2(&mut pinned, 1 << 16), CUDA_SUCCESS);
                for round in 0..20u8 {
                    let v = t.wrapping_mul(31).wrapping_add(round);
                    assert_eq!(cuMemsetD8Async(d, v, 1 << 16, s), CUDA_SUCCESS);
                    assert_eq!(cuMemcpyDtoHAsync_v2(pinned, d, 1 << 16, s), CUDA_SUCCESS);
                    assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
                    let h = std::slice::from_raw_parts(pinned as *const u8, 1 << 16);
                    assert!(h.iter().all(|&x| x == v), "thread {t} round {round}");
                }
                assert_eq!(cuMemFreeHost(pinned), CUDA_SUCCESS);
                assert_eq!(cuMemFree_v2(d), CUDA_SUCCESS);
                assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

const PTX: &str = r#"
.version 8.0
.target sm_75
.address_size 64
.visible .entry add_k(.param .u64 p_ptr, .param .u32 p_k, .param .u32 p_n)
{
    .reg .pred %p<2>;
    .reg .b32 %r<10>;
    .reg .b64 %rd<5>;
    ld.param.u64 %rd1, [p_ptr];
    ld.param.u32 %r6, [p_k];
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
    ld.global.u32 %r8, [%rd4];
    add.s32 %r9, %r8, %r6;
    st.global.u32 [%rd4], %r9;
DONE:
    ret;
}
"#;

/// Kernels queued on several non-blocking streams run concurrently and in order per stream;
/// an event orders a consumer stream after a producer.
#[test]
fn concurrent_kernels_on_streams() {
    let _g = serial();
    primary();
    unsafe {
        let ptx = std::ffi::CString::new(PTX).unwrap();
        let (mut m, mut f) = (null_mut(), null_mut());
        assert_eq!(cuModuleLoadData(&mut m, ptx.as_ptr().cast()), CUDA_SUCCESS);
        assert_eq!(cuModuleGetFunction(&mut f, m, c"add_k".as_ptr()), CUDA_SUCCESS);
        const N: u32 = 64 * 1024;
        let streams: Vec<CUstream> = (0..4).map(|_| stream(1)).collect();
        let mut bufs = Vec::new();
        for (i, s) in streams.iter().enumerate() {
            let mut d = 0;
            assert_eq!(cuMemAlloc_v2(&mut d, N as usize * 4), CUDA_SUCCESS);
            assert_eq!(cuMemsetD32Async(d, 0, N as usize, *s), CUDA_SUCCESS);
            for _ in 0..50 {
                let (mut p, mut k, mut n) = (d, i as u32 + 1, N);
                let mut args: [*mut c_void; 3] =
                    [(&mut p as *mut u64).cast(), (&mut k as *mut u32).cast(), (&mut n as *mut u32).cast()];
                assert_eq!(cuLaunchKernel(f, N / 256, 1, 1, 256, 1, 1, 0, *s, args.as_mut_ptr(), null_mut()), CUDA_SUCCESS);
            }
            bufs.push(d);
        }
        // Stream 0 consumes stream 3's buffer after an event.
        let mut ev = null_mut();
        assert_eq!(cuEventCreate(&mut ev, 2), CUDA_SUCCESS);
        assert_eq!(cuEventRecord(ev, streams[3]), CUDA_SUCCESS);
        assert_eq!(cuStreamWaitEvent(streams[0], ev, 0), CUDA_SUCCESS);
        let mut host = vec![0u32; N as usize];
        let mut pinned: *mut c_void = null_mut();
        assert_eq!(cuMemAllocHost_v2(&mut pinned, N as usize * 4), CUDA_SUCCESS);
        assert_eq!(cuMemcpyDtoHAsync_v2(pinned, bufs[3], N as usize * 4, streams[0]), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(streams[0]), CUDA_SUCCESS);
        std::ptr::copy_nonoverlapping(pinned as *const u32, host.as_mut_ptr(), N as usize);
        assert!(host.iter().all(|&x| x == 200), "stream 3's 50 launches of +4, seen after the event");
        assert_eq!(cuCtxSynchronize(), CUDA_SUCCESS);
        for (i, d) in bufs.iter().enumerate() {
            assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr().cast(), *d, N as usize * 4), CUDA_SUCCESS);
            assert!(host.iter().all(|&x| x == 50 * (i as u32 + 1)), "stream {i}");
            assert_eq!(cuMemFree_v2(*d), CUDA_SUCCESS);
        }
        assert_eq!(cuMemFreeHost(pinned), CUDA_SUCCESS);
        assert_eq!(cuEventDestroy_v2(ev), CUDA_SUCCESS);
        for s in streams {
            assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
        }
        assert_eq!(cuModuleUnload(m), CUDA_SUCCESS);
    }
}

/// An asynchronous memset that finds its memory freed (by a stream-ordered free on another
/// stream) makes the context's error sticky; it surfaces at the next synchronizing call.
#[test]
fn async_error_is_sticky() {
    let _g = serial();
    static GATE: Gate = Gate::new();
    unsafe {
        assert_eq!(cuInit(0), CUDA_SUCCESS);
        let mut ctx = null_mut();
        assert_eq!(cuCtxCreate_v2(&mut ctx, 0, 0), CUDA_SUCCESS);
        let (s1, s2) = (stream(1), stream(1));
        let mut d = 0;
        assert_eq!(cuMemAlloc_v2(&mut d, 4096), CUDA_SUCCESS);
        assert_eq!(cuLaunchHostFunc(s1, Some(wait_gate), gate_ptr(&GATE)), CUDA_SUCCESS);
        assert_eq!(cuMemsetD8Async(d, 1, 4096, s1), CUDA_SUCCESS);
        assert_eq!(cuMemFreeAsync(d, s2), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s2), CUDA_SUCCESS);
        GATE.open();
        assert_eq!(cuStreamSynchronize(s1), CUDA_ERROR_ILLEGAL_ADDRESS);
        assert_eq!(cuCtxSynchronize(), CUDA_ERROR_ILLEGAL_ADDRESS, "sticky");
        assert_eq!(cuCtxDestroy_v2(ctx), CUDA_SUCCESS);
        primary();
    }
}
