//! Streams and stream capture. Work runs at enqueue time (synchronously, on the calling
//! thread plus the executor's pool), unless the stream is capturing: then [`enqueue`] turns it
//! into a node of the capture's graph (`graph.rs`) instead. Every call validates its handle:
//! 0 (NULL stream), 0x1 (CU_STREAM_LEGACY) and 0x2 (CU_STREAM_PER_THREAD) are accepted
//! everywhere a stream is.
//!
//! Capture rules (measured on NVIDIA's driver 580 with tests/programs/graph_capture.cu): the
//! legacy stream cannot capture; work on the legacy stream while a blocking stream captures is
//! CUDA_ERROR_STREAM_CAPTURE_IMPLICIT and invalidates that capture; querying or synchronizing a
//! capturing stream, allocating/freeing device memory or querying an event during a non-relaxed
//! capture is CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED and invalidates it; synchronous copies to
//! or from a non-blocking capture are allowed; waiting on an event recorded outside the capture
//! is CUDA_ERROR_STREAM_CAPTURE_ISOLATION; an unjoined fork makes cuStreamEndCapture fail with
//! CUDA_ERROR_STREAM_CAPTURE_UNJOINED.

use super::context::{self, Context};
use super::graph::{self, ExecGraph, NodeKind};
use super::queue::{self, Queue};
use super::{event, Table};
use crate::api::*;
use std::cell::Cell;
use std::collections::HashMap;
use std::ffi::{c_int, c_uint, c_void};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::ThreadId;

pub const CU_STREAM_LEGACY: usize = 0x1;
pub const CU_STREAM_PER_THREAD: usize = 0x2;
pub const CU_STREAM_NON_BLOCKING: c_uint = 0x1;

pub struct Stream {
    pub ctx: usize,
    pub flags: c_uint,
    pub priority: c_int,
    pub id: u64,
    pub queue: Arc<Queue>,
    /// cuStreamSetAttribute's values (`memops.rs`); the priority there is the current one.
    pub attrs: Mutex<super::memops::StreamAttrs>,
}

/// Each context's legacy default stream.
fn legacy_queue(ctx: usize) -> Arc<Queue> {
    static L: OnceLock<Mutex<HashMap<usize, Arc<Queue>>>> = OnceLock::new();
    L.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner()).entry(ctx)
        .or_insert_with(|| {
            let q = Queue::new(ctx, true, true);
            super::report::default_stream_used(format!("legacy default stream of context {ctx:#x}"), &q);
            q
        })
        .clone()
}

thread_local! {
    /// This thread's per-thread default stream, per context.
    static PER_THREAD: std::cell::RefCell<HashMap<usize, Arc<Queue>>> = std::cell::RefCell::new(HashMap::new());
}

thread_local! {
    /// Set while a `_ptsz`/`_ptds` entry point runs: its NULL stream is this thread's
    /// per-thread default stream, not the legacy one (code built with
    /// `--default-stream per-thread` calls those variants with stream 0).
    static PER_THREAD_CALL: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with the NULL stream meaning the per-thread default stream when `per_thread`.
pub fn with_default_stream<R>(per_thread: bool, f: impl FnOnce() -> R) -> R {
    if !per_thread {
        return f();
    }
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = PER_THREAD_CALL.try_with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(PER_THREAD_CALL.try_with(|c| c.replace(true)).unwrap_or(false));
    f()
}

/// The stream a handle names in this call: NULL is CU_STREAM_PER_THREAD inside a per-thread
/// entry point.
fn canon(h: CUstream) -> CUstream {
    if h.is_null() && PER_THREAD_CALL.try_with(|c| c.get()).unwrap_or(false) {
        CU_STREAM_PER_THREAD as CUstream
    } else {
        h
    }
}

/// Whether `h` names the legacy default stream in this call (NULL outside a per-thread entry
/// point, or CU_STREAM_LEGACY).
pub fn is_legacy_handle(h: CUstream) -> bool {
    matches!(canon(h) as usize, 0 | CU_STREAM_LEGACY)
}

/// The queue work on `h` goes to, and its context (sticky error checked).
pub fn queue_of(h: CUstream) -> CuResult<(Arc<Context>, Arc<Queue>)> {
    let h = canon(h);
    match h as usize {
        0 | CU_STREAM_LEGACY => {
            let c = context::current()?;
            c.check()?;
            let q = legacy_queue(c.handle);
            Ok((c, q))
        }
        CU_STREAM_PER_THREAD => {
            let c = context::current()?;
            c.check()?;
            let q = PER_THREAD
                .try_with(|m| {
                    m.borrow_mut()
                        .entry(c.handle)
                        .or_insert_with(|| {
                            let q = Queue::new(c.handle, true, false);
                            let thread = std::thread::current();
                            let label = format!("per-thread default stream of thread {:?} ({}), context {:#x}", thread.id(), thread.name().unwrap_or("unnamed"), c.handle);
                            super::report::default_stream_used(label, &q);
                            q
                        })
                        .clone()
                })
                .map_err(|_| CUDA_ERROR_DEINITIALIZED)?;
            Ok((c, q))
        }
        _ => {
            let s = streams().get(h).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
            let c = context::lookup(s.ctx as CUcontext)?;
            c.check()?;
            Ok((c, s.queue.clone()))
        }
    }
}

/// What work pushed on `q` must wait for implicitly: the legacy stream waits for every
/// blocking stream of its context, a blocking stream waits for the legacy stream.
fn implicit_waits(q: &Arc<Queue>) -> Vec<(Arc<Queue>, u64)> {
    let mut w = legacy_waits(q);
    w.extend(super::event::context_waits(q.ctx));
    w
}

fn legacy_waits(q: &Arc<Queue>) -> Vec<(Arc<Queue>, u64)> {
    if q.legacy {
        queue::of_context(q.ctx).into_iter().filter(|o| o.blocking && !o.legacy && !o.idle()).map(|o| {
            let t = o.tail();
            (o, t)
        }).collect()
    } else if q.blocking {
        let l = legacy_queue(q.ctx);
        if l.idle() {
            Vec::new()
        } else {
            let t = l.tail();
            vec![(l, t)]
        }
    } else {
        Vec::new()
    }
}

/// Pushes `work` on stream `h` (after its implicit waits and `extra` waits).
pub fn submit(h: CUstream, extra: Vec<(Arc<Queue>, u64)>, work: impl FnOnce(&Arc<Context>) + Send + 'static) -> CuResult<(Arc<Queue>, u64)> {
    let (c, q) = queue_of(h)?;
    let mut waits = implicit_waits(&q);
    waits.extend(extra);
    let seq = q.push(waits, Box::new(move || work(&c)));
    Ok((q, seq))
}

/// Runs a node kind as stream work; errors of asynchronous work are logged (kernel faults
/// are already sticky in the context).
fn work_of(kind: NodeKind) -> impl FnOnce(&Arc<Context>) + Send + 'static {
    move |c: &Arc<Context>| {
        if let Err(e) = unsafe { graph::execute(&kind, c) } {
            tracing::error!("asynchronous {}: {e:?}", graph::describe(&kind));
            // A copy or memset that finds its memory gone when the stream reaches it is an
            // illegal address on a GPU: sticky, reported by the next synchronizing call
            // (kernel faults are made sticky by the launch itself).
            if matches!(kind, NodeKind::Memcpy(_) | NodeKind::Memset(_)) {
                c.set_sticky(CUDA_ERROR_ILLEGAL_ADDRESS);
            }
        }
    }
}

/// Before a synchronous operation on the legacy stream runs on the caller's thread: the
/// capture rules, then the legacy stream and the blocking streams it waits for are idle.
pub fn sync_point() -> CuResult {
    check_legacy(std::ptr::null_mut())?;
    let (_, q) = queue_of(std::ptr::null_mut())?;
    for (o, t) in implicit_waits(&q) {
        o.wait_for(t);
    }
    q.drain();
    Ok(())
}

/// A synchronous operation on the legacy stream (cuMemcpy, cuMemset without Async): run on the
/// caller's thread once the legacy stream and the blocking streams it waits for are idle.
pub fn run_sync(kind: NodeKind) -> CuResult {
    check_legacy(std::ptr::null_mut())?;
    let (c, q) = queue_of(std::ptr::null_mut())?;
    for (o, t) in implicit_waits(&q) {
        o.wait_for(t);
    }
    q.drain();
    unsafe { graph::execute(&kind, &c) }
}

fn streams() -> &'static Table<Stream> {
    static T: OnceLock<Table<Stream>> = OnceLock::new();
    T.get_or_init(Table::new)
}

/// Validates a stream handle and returns the context its work runs in (the current one for
/// the special handles), failing with that context's sticky error.
pub fn resolve(h: CUstream) -> CuResult<Arc<Context>> {
    let c = match h as usize {
        0 | CU_STREAM_LEGACY | CU_STREAM_PER_THREAD => context::current()?,
        _ => {
            let s = streams().get(h).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
            context::lookup(s.ctx as CUcontext)?
        }
    };
    c.check()?;
    Ok(c)
}

/// A created stream (None for the NULL, legacy and per-thread streams; those need a current
/// context); a wrong handle is CUDA_ERROR_INVALID_HANDLE.
pub fn lookup_stream(h: CUstream) -> CuResult<Option<Arc<Stream>>> {
    lookup(h)
}

fn lookup(h: CUstream) -> CuResult<Option<Arc<Stream>>> {
    match h as usize {
        0 | CU_STREAM_LEGACY | CU_STREAM_PER_THREAD => {
            context::current()?;
            Ok(None)
        }
        _ => streams().get(h).map(Some).ok_or(CUDA_ERROR_INVALID_HANDLE),
    }
}

pub fn release_context(ctx: usize) {
    for (h, s) in streams().snapshot() {
        if s.ctx == ctx {
            streams().remove(h as CUstream);
        }
    }
}

fn next_id() -> u64 {
    // Ids 1 and 2 are the legacy and per-thread default streams.
    static N: AtomicU64 = AtomicU64::new(3);
    N.fetch_add(1, Ordering::Relaxed)
}

pub unsafe fn create(ph: *mut CUstream, flags: c_uint) -> CuResult {
    create_with_priority(ph, flags, 0)
}

pub unsafe fn create_with_priority(ph: *mut CUstream, flags: c_uint, priority: c_int) -> CuResult {
    if ph.is_null() || flags & !CU_STREAM_NON_BLOCKING != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = context::current_checked()?;
    // Out-of-range priorities are clamped, as NVIDIA documents.
    let priority = priority.clamp(context::STREAM_PRIORITY_GREATEST, context::STREAM_PRIORITY_LEAST);
    let queue = Queue::new(c.handle, flags & CU_STREAM_NON_BLOCKING == 0, false);
    let (h, s) = streams().insert(Stream { ctx: c.handle, flags, priority, id: next_id(), queue, attrs: Mutex::new(super::memops::StreamAttrs::new(priority)) });
    super::report::stream_created(h, s.id, flags, priority, &s.queue);
    *ph = h as CUstream;
    Ok(())
}

pub unsafe fn destroy(h: CUstream) -> CuResult {
    // After a kernel fault the stream's context answers its sticky error (measured on
    // NVIDIA's driver, tests/programs/illegal_address.cu).
    if let Some(s) = streams().get(h) {
        if let Ok(c) = context::lookup(s.ctx as CUcontext) {
            c.check()?;
        }
    }
    let s = streams().remove(h).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    super::report::stream_destroyed(h as usize, &s.queue);
    // Queued work still runs; the worker exits after it.
    s.queue.stop();
    // A stream destroyed while capturing invalidates its capture.
    if ACTIVE.load(Ordering::Acquire) > 0 {
        let mut st = capture_state();
        if let Some(cid) = st.by_stream.remove(&(h as usize)) {
            if let Some(c) = st.captures.get_mut(&cid) {
                c.invalidated = true;
                c.streams.remove(&(h as usize));
            }
        }
    }
    Ok(())
}

/// A capturing stream may not be queried or synchronized: the capture is invalidated.
fn refuse_if_capturing(h: CUstream) -> CuResult {
    if ACTIVE.load(Ordering::Acquire) == 0 {
        return Ok(());
    }
    let mut st = capture_state();
    if let Some(cid) = st.by_stream.get(&key(h)).copied() {
        if let Some(c) = st.captures.get_mut(&cid) {
            c.invalidated = true;
        }
        return Err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
    }
    drop(st);
    if is_legacy(h) {
        // Synchronizing the legacy stream while a blocking stream captures is an implicit
        // dependency before it is an unsafe call (measured: CUDA_ERROR_STREAM_CAPTURE_IMPLICIT).
        check_legacy(h)?;
        check_unsafe_call()?;
    }
    Ok(())
}

/// Everything enqueued has completed: CUDA_SUCCESS, else CUDA_ERROR_NOT_READY.
pub unsafe fn query(h: CUstream) -> CuResult {
    let (c, q) = queue_of(h)?;
    refuse_if_capturing(h)?;
    if !q.idle() {
        return Err(CUDA_ERROR_NOT_READY);
    }
    c.check()
}

/// Waits for the stream's work; an asynchronous kernel fault surfaces here (sticky).
pub unsafe fn synchronize(h: CUstream) -> CuResult {
    let (c, q) = queue_of(h)?;
    refuse_if_capturing(h)?;
    if q.legacy {
        for o in queue::of_context(q.ctx).into_iter().filter(|o| o.blocking) {
            o.drain();
        }
    }
    q.drain();
    super::pool::trim_at_sync();
    c.check()
}

pub const CU_EVENT_WAIT_EXTERNAL: c_uint = 0x1;

pub unsafe fn wait_event(h: CUstream, ev: CUevent, flags: c_uint) -> CuResult {
    if flags & !CU_EVENT_WAIT_EXTERNAL != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = resolve(h)?;
    let e = event::lookup(ev)?;
    let captured = if ACTIVE.load(Ordering::Acquire) == 0 { None } else { e.capture_state() };
    let Some((cid, deps)) = captured else {
        if capture_of(h).is_some() {
            if flags & CU_EVENT_WAIT_EXTERNAL != 0 {
                // An external wait is captured as an event-wait node.
                return match try_capture(h, NodeKind::EventWait(ev as usize)) {
                    Ok(Some(r)) => r,
                    _ => Ok(()),
                };
            }
            if e.was_recorded() {
                // A dependency on work outside the capture (measured: ISOLATION, and the
                // capture is invalidated).
                invalidate(h);
                return Err(CUDA_ERROR_STREAM_CAPTURE_ISOLATION);
            }
            return Ok(());
        }
        check_legacy(h)?;
        if let Some((q, seq)) = e.pending() {
            if !q.is_done(seq) {
                submit(h, vec![(q, seq)], |_| {})?;
            }
        }
        return Ok(());
    };
    let mut guard = capture_state();
    let st = &mut *guard;
    let k = key(h);
    let current = st.by_stream.get(&k).copied();
    if let Some(other) = current.filter(|o| *o != cid) {
        if let Some(c) = st.captures.get_mut(&other) {
            c.invalidated = true;
        }
        return Err(CUDA_ERROR_STREAM_CAPTURE_ISOLATION);
    }
    let Some(cap) = st.captures.get_mut(&cid) else { return Ok(()) };
    if cap.invalidated {
        // A stream outside the capture waiting on an event of an invalidated capture:
        // CUDA_ERROR_INVALID_VALUE (measured, tests/programs/api_behaviour.cu).
        return Err(if current.is_some() { CUDA_ERROR_STREAM_CAPTURE_INVALIDATED } else { CUDA_ERROR_INVALID_VALUE });
    }
    if current.is_some() {
        let cur = cap.streams.entry(k).or_default();
        for d in deps {
            if !cur.contains(&d) {
                cur.push(d);
            }
        }
        return Ok(());
    }
    if is_legacy(h) {
        cap.invalidated = true;
        return Err(CUDA_ERROR_STREAM_CAPTURE_IMPLICIT);
    }
    // The stream joins the capture (a fork).
    if cap.ctx != c.handle {
        return Err(CUDA_ERROR_STREAM_CAPTURE_ISOLATION);
    }
    cap.streams.insert(k, deps);
    st.by_stream.insert(k, cid);
    Ok(())
}

/// Stream callbacks run immediately, on the calling thread (the stream is already idle);
/// they receive the context's sticky error as `status`, as NVIDIA's do. Not capturable.
pub unsafe fn add_callback(h: CUstream, cb: CUstreamCallback, user: *mut c_void, flags: c_uint) -> CuResult {
    if flags != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let Some(cb) = cb else { return Err(CUDA_ERROR_INVALID_VALUE) };
    let c = match h as usize {
        0 | CU_STREAM_LEGACY | CU_STREAM_PER_THREAD => context::current()?,
        _ => context::lookup(streams().get(h).ok_or(CUDA_ERROR_INVALID_HANDLE)?.ctx as CUcontext)?,
    };
    if capture_of(h).is_some() {
        invalidate(h);
        return Err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
    }
    check_legacy(h)?;
    let _ = c;
    let user = user as usize;
    let hs = h as usize;
    submit(h, Vec::new(), move |c| {
        let status = c.check().err().unwrap_or(CUDA_SUCCESS);
        unsafe { cb(hs as CUstream, status, user as *mut c_void) };
    })?;
    Ok(())
}

pub unsafe fn launch_host_func(h: CUstream, f: CUhostFn, user: *mut c_void) -> CuResult {
    let Some(f) = f else { return Err(CUDA_ERROR_INVALID_VALUE) };
    enqueue(h, NodeKind::Host(graph::Host { f, user: user as usize }))
}

/// `cuLaunchHostFunc_v2(stream, fn, userData, syncMode)` (13.1): the mode only matters to an
/// asynchronous stream.
pub unsafe fn launch_host_func_v2(h: CUstream, f: CUhostFn, user: *mut c_void, _sync_mode: c_uint) -> CuResult {
    launch_host_func(h, f, user)
}

pub unsafe fn get_flags(h: CUstream, flags: *mut c_uint) -> CuResult {
    if flags.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *flags = lookup(h)?.map(|s| s.flags).unwrap_or(0);
    Ok(())
}

pub unsafe fn get_priority(h: CUstream, priority: *mut c_int) -> CuResult {
    if priority.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *priority = match lookup(h)? {
        Some(s) => super::memops::priority_of(&s),
        None => 0,
    };
    Ok(())
}

pub unsafe fn get_ctx(h: CUstream, pctx: *mut CUcontext) -> CuResult {
    if pctx.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *pctx = match lookup(h)? {
        Some(s) => s.ctx as CUcontext,
        None => context::current()?.handle(),
    };
    Ok(())
}

/// `cuStreamGetCtx_v2(stream, pctx, pGreenCtx)`: no green contexts, so `*pGreenCtx = NULL`.
pub unsafe fn get_ctx_v2(h: CUstream, pctx: *mut CUcontext, pgreen: *mut CUgreenCtx) -> CuResult {
    if pctx.is_null() && pgreen.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if !pgreen.is_null() {
        *pgreen = std::ptr::null_mut();
    }
    if pctx.is_null() {
        lookup(h)?;
        return Ok(());
    }
    get_ctx(h, pctx)
}

pub unsafe fn get_id(h: CUstream, id: *mut u64) -> CuResult {
    if id.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *id = match (canon(h) as usize, lookup(h)?) {
        (_, Some(s)) => s.id,
        (CU_STREAM_PER_THREAD, None) => 2,
        (_, None) => 1,
    };
    Ok(())
}

pub unsafe fn get_device(h: CUstream, dev: *mut CUdevice) -> CuResult {
    if dev.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = resolve(h)?;
    *dev = c.device;
    Ok(())
}

// ---- stream capture ----
//
// A capture belongs to its origin stream; other streams join it by waiting on an event
// recorded in it (a fork) and must be joined back (the origin waits on an event recorded in
// them) before cuStreamEndCapture. Each stream in a capture has a set of "current" nodes: the
// next captured operation depends on them and becomes the stream's only current node.

pub const CU_STREAM_CAPTURE_STATUS_NONE: c_uint = 0;
pub const CU_STREAM_CAPTURE_STATUS_ACTIVE: c_uint = 1;
pub const CU_STREAM_CAPTURE_STATUS_INVALIDATED: c_uint = 2;
pub const CU_STREAM_CAPTURE_MODE_GLOBAL: c_uint = 0;
pub const CU_STREAM_CAPTURE_MODE_THREAD_LOCAL: c_uint = 1;
pub const CU_STREAM_CAPTURE_MODE_RELAXED: c_uint = 2;

struct Capture {
    graph: usize,
    /// The capture made its graph (not cuStreamBeginCaptureToGraph's).
    fresh: bool,
    mode: c_uint,
    origin: usize,
    thread: ThreadId,
    ctx: usize,
    invalidated: bool,
    /// Stream key → its current dependency set.
    streams: HashMap<usize, Vec<usize>>,
    /// Arrays handed out by cuStreamGetCaptureInfo (valid until the next call / the end).
    info_buf: HashMap<usize, Vec<usize>>,
}

#[derive(Default)]
struct CaptureState {
    captures: HashMap<u64, Capture>,
    by_stream: HashMap<usize, u64>,
}

/// Number of captures in progress: the fast path of every enqueue skips the lock when 0.
static ACTIVE: AtomicUsize = AtomicUsize::new(0);

fn capture_state() -> MutexGuard<'static, CaptureState> {
    static S: OnceLock<Mutex<CaptureState>> = OnceLock::new();
    S.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

fn next_capture_id() -> u64 {
    static N: AtomicU64 = AtomicU64::new(1);
    N.fetch_add(1, Ordering::Relaxed)
}

thread_local! {
    static PER_THREAD_KEY: u8 = const { 0 };
}

fn is_legacy(h: CUstream) -> bool {
    matches!(canon(h) as usize, 0 | CU_STREAM_LEGACY)
}

/// The identity of a stream for capture: the handle, or a per-thread value for
/// CU_STREAM_PER_THREAD.
fn key(h: CUstream) -> usize {
    match canon(h) as usize {
        CU_STREAM_PER_THREAD => PER_THREAD_KEY.try_with(|k| k as *const u8 as usize | 0x3).unwrap_or(CU_STREAM_PER_THREAD),
        x => x,
    }
}

fn is_blocking(k: usize) -> bool {
    streams().get(k as CUstream).map_or(true, |s| s.flags & CU_STREAM_NON_BLOCKING == 0)
}

/// Whether `h` is part of a capture in progress.
pub fn is_capturing_stream(h: CUstream) -> bool {
    capture_of(h).is_some()
}

fn capture_of(h: CUstream) -> Option<u64> {
    if ACTIVE.load(Ordering::Acquire) == 0 {
        return None;
    }
    capture_state().by_stream.get(&key(h)).copied()
}

/// Invalidates capture `cid` (an event recorded in it was queried or waited for).
pub fn invalidate_capture(cid: u64) {
    if let Some(c) = capture_state().captures.get_mut(&cid) {
        c.invalidated = true;
    }
}

fn invalidate(h: CUstream) {
    let mut st = capture_state();
    if let Some(cid) = st.by_stream.get(&key(h)).copied() {
        if let Some(c) = st.captures.get_mut(&cid) {
            c.invalidated = true;
        }
    }
}

/// cuCtxRecordEvent / cuCtxWaitEvent while a stream of context `ctx` captures: those captures
/// are invalidated (cuda.h: "the call will invalidate all the conflicting captures"); true if
/// there was one.
pub fn invalidate_captures_of_context(ctx: usize) -> bool {
    if ACTIVE.load(Ordering::Acquire) == 0 {
        return false;
    }
    let mut hit = false;
    for c in capture_state().captures.values_mut() {
        if c.ctx == ctx {
            c.invalidated = true;
            hit = true;
        }
    }
    hit
}

/// Work on the legacy stream waits for every blocking stream of its context: if one of them
/// is capturing, that is an implicit dependency on the capture, which invalidates it.
pub fn check_legacy(h: CUstream) -> CuResult {
    if !is_legacy(h) || ACTIVE.load(Ordering::Acquire) == 0 {
        return Ok(());
    }
    let ctx = context::current().map(|c| c.handle).unwrap_or(0);
    let mut st = capture_state();
    let mut hit = false;
    for c in st.captures.values_mut() {
        if c.ctx == ctx && c.streams.keys().any(|k| is_blocking(*k)) {
            c.invalidated = true;
            hit = true;
        }
    }
    if hit {
        Err(CUDA_ERROR_STREAM_CAPTURE_IMPLICIT)
    } else {
        Ok(())
    }
}

fn thread_mode() -> c_uint {
    CAPTURE_MODE.try_with(|m| m.get()).unwrap_or(CU_STREAM_CAPTURE_MODE_RELAXED)
}

/// "Potentially unsafe" calls (synchronous copies and memsets, synchronizations, allocation
/// frees) are refused while this thread has a non-relaxed capture, or (in the default global
/// interaction mode) while any thread has a global capture. This thread's offending captures
/// are invalidated, and so are other threads' global captures that refuse the call.
pub fn check_unsafe_call() -> CuResult {
    if ACTIVE.load(Ordering::Acquire) == 0 {
        return Ok(());
    }
    let mode = thread_mode();
    if mode == CU_STREAM_CAPTURE_MODE_RELAXED {
        return Ok(());
    }
    let me = std::thread::current().id();
    let mut st = capture_state();
    let mut refused = false;
    for c in st.captures.values_mut() {
        if c.mode == CU_STREAM_CAPTURE_MODE_RELAXED {
            continue;
        }
        if c.thread == me {
            c.invalidated = true;
            refused = true;
        } else if mode == CU_STREAM_CAPTURE_MODE_GLOBAL && c.mode == CU_STREAM_CAPTURE_MODE_GLOBAL {
            // Another thread's unsafe call invalidates a global capture too (measured,
            // tests/programs/api_behaviour.cu).
            c.invalidated = true;
            refused = true;
        }
    }
    if refused {
        Err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED)
    } else {
        Ok(())
    }
}

/// A synchronous operation (on the legacy stream, blocking the caller).
pub fn check_sync_call() -> CuResult {
    check_unsafe_call()?;
    check_legacy(std::ptr::null_mut())
}

/// Captures `kind` if `h` is capturing: Some(result), else None.
fn try_capture(h: CUstream, kind: NodeKind) -> Result<Option<CuResult>, NodeKind> {
    if ACTIVE.load(Ordering::Acquire) == 0 {
        return Err(kind);
    }
    let k = key(h);
    let mut st = capture_state();
    let Some(cid) = st.by_stream.get(&k).copied() else {
        drop(st);
        return match check_legacy(h) {
            Ok(()) => Err(kind),
            Err(e) => Ok(Some(Err(e))),
        };
    };
    let cap = st.captures.get_mut(&cid).expect("capture of a capturing stream");
    if cap.invalidated {
        return Ok(Some(Err(CUDA_ERROR_STREAM_CAPTURE_INVALIDATED)));
    }
    let deps = cap.streams.get(&k).cloned().unwrap_or_default();
    match graph::add_node(cap.graph, kind, &deps) {
        Ok(n) => {
            cap.streams.insert(k, vec![n]);
            Ok(Some(Ok(())))
        }
        Err(e) => {
            cap.invalidated = true;
            Ok(Some(Err(e)))
        }
    }
}

/// Enqueues work on stream `h`: captured into the stream's capture graph, or run now.
pub fn enqueue(h: CUstream, kind: NodeKind) -> CuResult {
    let ctx = resolve(h)?;
    match try_capture(h, kind) {
        Ok(Some(r)) => r,
        Ok(None) => Ok(()),
        Err(kind) => {
            drop(ctx);
            submit(h, Vec::new(), work_of(kind)).map(|_| ())
        }
    }
}

/// Enqueues and returns when the work has run (copies to pageable host memory are
/// synchronous in NVIDIA's driver too).
pub fn enqueue_and_wait(h: CUstream, kind: NodeKind) -> CuResult {
    resolve(h)?;
    match try_capture(h, kind) {
        Ok(Some(r)) => r,
        Ok(None) => Ok(()),
        Err(kind) => {
            let (q, seq) = submit(h, Vec::new(), work_of(kind))?;
            q.wait_for(seq);
            Ok(())
        }
    }
}

/// Enqueues `exec` (which reads a private copy of the caller's pageable data held by `keep`),
/// or captures `capture` (which references the caller's memory, as NVIDIA's graphs do).
pub fn enqueue_staged(h: CUstream, capture: NodeKind, exec: NodeKind, keep: Vec<u8>) -> CuResult {
    resolve(h)?;
    match try_capture(h, capture) {
        Ok(Some(r)) => r,
        Ok(None) => Ok(()),
        Err(_) => {
            let run = work_of(exec);
            submit(h, Vec::new(), move |c| {
                run(c);
                drop(keep);
            })
            .map(|_| ())
        }
    }
}

/// cuGraphLaunch: runs an executable graph on `h` (not capturable here).
pub fn enqueue_graph(h: CUstream, g: Arc<ExecGraph>) -> CuResult {
    let ctx = resolve(h)?;
    if capture_of(h).is_some() {
        // A launch into a capture becomes a child graph node.
        let child = graph::graph_from_exec(&g);
        return match try_capture(h, NodeKind::Child(child)) {
            Ok(Some(r)) => r,
            _ => Ok(()),
        };
    }
    check_legacy(h)?;
    drop(ctx);
    // Event nodes: waits are taken now (like cuStreamWaitEvent), records complete with the graph.
    let mut records = Vec::new();
    let mut waits = Vec::new();
    collect_events(&g, &mut records, &mut waits);
    let (q, seq) = submit(h, waits, move |c| {
        if let Err(e) = unsafe { graph::run_exec(&g, c) } {
            tracing::error!("asynchronous graph launch: {e:?}");
        }
    })?;
    for ev in records {
        event::set_pending(ev as CUevent, q.clone(), seq);
    }
    Ok(())
}

fn collect_events(g: &ExecGraph, records: &mut Vec<usize>, waits: &mut Vec<(Arc<Queue>, u64)>) {
    for n in &g.nodes {
        match n.kind {
            NodeKind::EventRecord(e) => records.push(e),
            NodeKind::EventWait(e) => {
                if let Some(p) = event::lookup(e as CUevent).ok().and_then(|ev| ev.pending()) {
                    waits.push(p);
                }
            }
            _ => {}
        }
        if let Some(c) = &n.child {
            collect_events(c, records, waits);
        }
    }
}

/// cuEventRecord on `h`: if `h` is capturing, the event takes the stream's current nodes
/// (returns true); otherwise the caller stamps it.
pub fn capture_record(h: CUstream) -> CuResult<Option<(u64, Vec<usize>)>> {
    if ACTIVE.load(Ordering::Acquire) == 0 {
        return Ok(None);
    }
    let k = key(h);
    let st = capture_state();
    let Some(cid) = st.by_stream.get(&k).copied() else {
        drop(st);
        check_legacy(h)?;
        return Ok(None);
    };
    let cap = &st.captures[&cid];
    if cap.invalidated {
        return Err(CUDA_ERROR_STREAM_CAPTURE_INVALIDATED);
    }
    Ok(Some((cid, cap.streams.get(&k).cloned().unwrap_or_default())))
}

/// Whether capture `cid` is still in progress.
pub fn capture_active(cid: u64) -> bool {
    ACTIVE.load(Ordering::Acquire) > 0 && capture_state().captures.contains_key(&cid)
}

unsafe fn begin(h: CUstream, mode: c_uint, graph_h: Option<usize>, deps: Vec<usize>) -> CuResult {
    if mode > CU_STREAM_CAPTURE_MODE_RELAXED {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if is_legacy(h) {
        return Err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
    }
    let c = resolve(h)?;
    let k = key(h);
    let mut st = capture_state();
    if st.by_stream.contains_key(&k) {
        return Err(CUDA_ERROR_ILLEGAL_STATE);
    }
    let g = graph_h.unwrap_or_else(graph::new_graph);
    let cid = next_capture_id();
    st.captures.insert(
        cid,
        Capture {
            graph: g,
            fresh: graph_h.is_none(),
            mode,
            origin: k,
            thread: std::thread::current().id(),
            ctx: c.handle,
            invalidated: false,
            streams: HashMap::from([(k, deps)]),
            info_buf: HashMap::new(),
        },
    );
    st.by_stream.insert(k, cid);
    ACTIVE.fetch_add(1, Ordering::AcqRel);
    drop(st);
    super::report::capture_begun();
    Ok(())
}

pub unsafe fn begin_capture_v2(h: CUstream, mode: c_uint) -> CuResult {
    begin(h, mode, None, Vec::new())
}

/// The CUDA 10.0 form without a mode: global.
pub unsafe fn begin_capture_v1(h: CUstream) -> CuResult {
    begin(h, CU_STREAM_CAPTURE_MODE_GLOBAL, None, Vec::new())
}

pub unsafe fn begin_capture_to_graph(
    h: CUstream,
    g: CUgraph,
    deps: *const CUgraphNode,
    _edge_data: *const c_void,
    n: usize,
    mode: c_uint,
) -> CuResult {
    if n > 0 && deps.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let deps: Vec<usize> = if n == 0 { Vec::new() } else { std::slice::from_raw_parts(deps, n).iter().map(|d| *d as usize).collect() };
    let mut gid: c_uint = 0;
    graph::get_id(g, &mut gid)?;
    begin(h, mode, Some(g as usize), deps)
}

pub unsafe fn end_capture(h: CUstream, ph: *mut CUgraph) -> CuResult {
    resolve(h)?;
    let k = key(h);
    let mut st = capture_state();
    let Some(cid) = st.by_stream.get(&k).copied() else {
        return Err(if ph.is_null() { CUDA_ERROR_INVALID_VALUE } else { CUDA_ERROR_ILLEGAL_STATE });
    };
    {
        let cap = st.captures.get_mut(&cid).unwrap();
        // Ending on a stream that joined the capture is UNMATCHED even with a NULL graph
        // pointer (measured, tests/programs/api_behaviour.cu).
        if cap.origin != k {
            cap.invalidated = true;
            return Err(CUDA_ERROR_STREAM_CAPTURE_UNMATCHED);
        }
        if ph.is_null() {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        if cap.mode != CU_STREAM_CAPTURE_MODE_RELAXED && cap.thread != std::thread::current().id() {
            return Err(CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD);
        }
    }
    let cap = st.captures.remove(&cid).unwrap();
    st.by_stream.retain(|_, c| *c != cid);
    ACTIVE.fetch_sub(1, Ordering::AcqRel);
    drop(st);
    *ph = std::ptr::null_mut();
    // A graph the capture created dies with a failed capture; a graph the caller handed to
    // cuStreamBeginCaptureToGraph stays the caller's.
    let discard = |g| {
        if cap.fresh {
            graph::discard(g);
        }
    };
    if cap.invalidated {
        discard(cap.graph);
        super::report::capture_failed();
        return Err(CUDA_ERROR_STREAM_CAPTURE_INVALIDATED);
    }
    // Every forked stream's work must be joined back into the origin stream.
    let origin = cap.streams.get(&k).cloned().unwrap_or_default();
    for (sk, deps) in &cap.streams {
        if *sk == k {
            continue;
        }
        for d in deps {
            if !origin.iter().any(|o| graph::reaches(cap.graph, *d, *o)) {
                discard(cap.graph);
                super::report::capture_failed();
                return Err(CUDA_ERROR_STREAM_CAPTURE_UNJOINED);
            }
        }
    }
    if cap.fresh {
        graph::announce(cap.graph, super::report::GraphOrigin::Captured);
    }
    *ph = cap.graph as CUgraph;
    Ok(())
}

pub unsafe fn is_capturing(h: CUstream, status: *mut c_uint) -> CuResult {
    if status.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    resolve_any(h)?;
    *status = CU_STREAM_CAPTURE_STATUS_NONE;
    if ACTIVE.load(Ordering::Acquire) == 0 {
        return Ok(());
    }
    let st = capture_state();
    if let Some(cid) = st.by_stream.get(&key(h)) {
        *status = if st.captures[cid].invalidated { CU_STREAM_CAPTURE_STATUS_INVALIDATED } else { CU_STREAM_CAPTURE_STATUS_ACTIVE };
    } else if is_legacy(h) {
        // The legacy stream reports a capture of any blocking stream as its own implicit one.
        let ctx = context::current().map(|c| c.handle).unwrap_or(0);
        drop(st);
        let st = capture_state();
        if st.captures.values().any(|c| c.ctx == ctx && c.streams.keys().any(|k| is_blocking(*k))) {
            return Err(CUDA_ERROR_STREAM_CAPTURE_IMPLICIT);
        }
    }
    Ok(())
}

/// Validates a stream handle without the sticky-error check.
fn resolve_any(h: CUstream) -> CuResult {
    lookup(h).map(|_| ())
}

pub unsafe fn get_capture_info(h: CUstream, status: *mut c_uint, id: *mut u64) -> CuResult {
    get_capture_info_v2(h, status, id, std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut())
}

pub unsafe fn get_capture_info_v2(
    h: CUstream,
    status: *mut c_uint,
    id: *mut u64,
    graph_out: *mut CUgraph,
    deps: *mut *const CUgraphNode,
    num_deps: *mut usize,
) -> CuResult {
    is_capturing(h, status)?;
    let k = key(h);
    let mut st = capture_state();
    let cid = st.by_stream.get(&k).copied();
    match cid.and_then(|c| st.captures.get_mut(&c).map(|cap| (c, cap))) {
        Some((cid, cap)) => {
            if !id.is_null() {
                *id = cid;
            }
            if !graph_out.is_null() {
                *graph_out = cap.graph as CUgraph;
            }
            let cur = cap.streams.get(&k).cloned().unwrap_or_default();
            let n = cur.len();
            let buf = cap.info_buf.entry(k).or_default();
            *buf = cur;
            if !deps.is_null() {
                *deps = if n == 0 { std::ptr::null() } else { buf.as_ptr() as *const CUgraphNode };
            }
            if !num_deps.is_null() {
                *num_deps = n;
            }
        }
        None => {
            if !id.is_null() {
                *id = 0;
            }
            if !graph_out.is_null() {
                *graph_out = std::ptr::null_mut();
            }
            if !deps.is_null() {
                *deps = std::ptr::null();
            }
            if !num_deps.is_null() {
                *num_deps = 0;
            }
        }
    }
    Ok(())
}

pub unsafe fn get_capture_info_v3(
    h: CUstream,
    status: *mut c_uint,
    id: *mut u64,
    graph_out: *mut CUgraph,
    deps: *mut *const CUgraphNode,
    edge_data: *mut *const c_void,
    num_deps: *mut usize,
) -> CuResult {
    get_capture_info_v2(h, status, id, graph_out, deps, num_deps)?;
    if !edge_data.is_null() {
        // All edges are default edges: NULL means "all zero".
        *edge_data = std::ptr::null();
    }
    Ok(())
}

pub const CU_STREAM_ADD_CAPTURE_DEPENDENCIES: c_uint = 0;
pub const CU_STREAM_SET_CAPTURE_DEPENDENCIES: c_uint = 1;

pub unsafe fn update_capture_dependencies(h: CUstream, deps: *mut CUgraphNode, n: usize, flags: c_uint) -> CuResult {
    if flags > CU_STREAM_SET_CAPTURE_DEPENDENCIES || (n > 0 && deps.is_null()) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    resolve(h)?;
    let k = key(h);
    let mut st = capture_state();
    let Some(cid) = st.by_stream.get(&k).copied() else { return Err(CUDA_ERROR_ILLEGAL_STATE) };
    let cap = st.captures.get_mut(&cid).unwrap();
    if cap.invalidated {
        return Err(CUDA_ERROR_STREAM_CAPTURE_INVALIDATED);
    }
    let new: Vec<usize> = if n == 0 { Vec::new() } else { std::slice::from_raw_parts(deps, n).iter().map(|d| *d as usize).collect() };
    let cur = cap.streams.entry(k).or_default();
    if flags == CU_STREAM_SET_CAPTURE_DEPENDENCIES {
        cur.clear();
    }
    for d in new {
        if !cur.contains(&d) {
            cur.push(d);
        }
    }
    Ok(())
}

pub unsafe fn update_capture_dependencies_v2(h: CUstream, deps: *mut CUgraphNode, _edge_data: *const c_void, n: usize, flags: c_uint) -> CuResult {
    update_capture_dependencies(h, deps, n, flags)
}

thread_local! {
    static CAPTURE_MODE: Cell<c_uint> = const { Cell::new(0) };
}

/// Swaps this thread's capture interaction mode.
pub unsafe fn thread_exchange_capture_mode(mode: *mut c_uint) -> CuResult {
    if mode.is_null() || *mode > 2 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let new = *mode;
    *mode = CAPTURE_MODE.try_with(|m| m.replace(new)).map_err(|_| CUDA_ERROR_DEINITIALIZED)?;
    Ok(())
}

/// Number of captures in progress (diagnostics).
pub fn captures_in_progress() -> usize {
    ACTIVE.load(Ordering::Acquire)
}

/// Managed memory is always accessible from the host and every stream.
pub unsafe fn attach_mem_async(h: CUstream, dptr: CUdeviceptr, length: usize, _flags: c_uint) -> CuResult {
    resolve(h)?;
    super::memory::check_range(dptr as usize, length.max(1))
}
