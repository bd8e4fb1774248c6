//! Events. Streams run at enqueue time, so recording an event stamps it with the real clock
//! at that moment: elapsed times measure the work enqueued between two records.

use super::queue::Queue;
use super::{context, stream, Table};
use crate::api::*;
use std::ffi::c_uint;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

pub const CU_EVENT_BLOCKING_SYNC: c_uint = 0x1;
pub const CU_EVENT_DISABLE_TIMING: c_uint = 0x2;
pub const CU_EVENT_INTERPROCESS: c_uint = 0x4;
pub const CU_EVENT_RECORD_EXTERNAL: c_uint = 0x1;

pub struct Event {
    pub ctx: usize,
    pub flags: c_uint,
    recorded: Mutex<Option<Instant>>,
    /// Last recorded inside a stream capture: (capture id, the capturing stream's nodes).
    captured: Mutex<Option<(u64, Vec<usize>)>>,
    /// The stream position of the last record: complete once that queue reaches it.
    pending: Mutex<Option<(Arc<Queue>, u64)>>,
}

impl Event {
    /// Recorded (outside any capture) at least once.
    pub fn was_recorded(&self) -> bool {
        self.recorded.lock().unwrap().is_some() || self.pending.lock().unwrap().is_some()
    }

    pub fn pending(&self) -> Option<(Arc<Queue>, u64)> {
        self.pending.lock().unwrap().clone()
    }

    fn complete(&self) -> bool {
        self.pending().is_none_or(|(q, s)| q.is_done(s))
    }
}

/// A graph launch that records this event completes at `seq` of `q`.
pub fn set_pending(ev: CUevent, q: Arc<Queue>, seq: u64) {
    if let Some(e) = events().get(ev) {
        *e.pending.lock().unwrap() = Some((q, seq));
        *e.captured.lock().unwrap() = None;
    }
}

impl Event {

    /// The capture this event was last recorded in, if that capture is still in progress.
    pub fn capture_state(&self) -> Option<(u64, Vec<usize>)> {
        let c = self.captured.lock().unwrap().clone()?;
        stream::capture_active(c.0).then_some(c)
    }
}

/// Stamps an event with the current time (an executed record: stream work or a graph node).
pub fn stamp(ev: CUevent) {
    if let Some(e) = events().get(ev) {
        *e.recorded.lock().unwrap() = Some(Instant::now());
        *e.captured.lock().unwrap() = None;
    }
}

fn events() -> &'static Table<Event> {
    static T: OnceLock<Table<Event>> = OnceLock::new();
    T.get_or_init(Table::new)
}

pub fn lookup(ev: CUevent) -> CuResult<Arc<Event>> {
    events().get(ev).ok_or(CUDA_ERROR_INVALID_HANDLE)
}

pub fn release_context(ctx: usize) {
    forget_context(ctx);
    for (h, e) in events().snapshot() {
        if e.ctx == ctx {
            events().remove(h as CUevent);
        }
    }
}

pub unsafe fn create(ph: *mut CUevent, flags: c_uint) -> CuResult {
    let all = CU_EVENT_BLOCKING_SYNC | CU_EVENT_DISABLE_TIMING | CU_EVENT_INTERPROCESS;
    if ph.is_null() || flags & !all != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    // Interprocess events must be created without timing.
    if flags & CU_EVENT_INTERPROCESS != 0 && flags & CU_EVENT_DISABLE_TIMING == 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = context::current_checked()?;
    let (h, _) = events().insert(Event { ctx: c.handle, flags, recorded: Mutex::new(None), captured: Mutex::new(None), pending: Mutex::new(None) });
    *ph = h as CUevent;
    Ok(())
}

pub unsafe fn record(ev: CUevent, h: CUstream) -> CuResult {
    let e = lookup(ev)?;
    stream::resolve(h)?;
    if let Some(c) = stream::capture_record(h)? {
        *e.captured.lock().unwrap() = Some(c);
        return Ok(());
    }
    *e.captured.lock().unwrap() = None;
    // Stamped when the stream reaches the record: elapsed times measure the work between.
    let ev_h = ev as usize;
    let (q, seq) = stream::submit(h, Vec::new(), move |_| stamp(ev_h as CUevent))?;
    *e.pending.lock().unwrap() = Some((q, seq));
    Ok(())
}

pub unsafe fn record_with_flags(ev: CUevent, h: CUstream, flags: c_uint) -> CuResult {
    if flags & !CU_EVENT_RECORD_EXTERNAL != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    // An external record only means something inside a capture (measured: outside one,
    // CUDA_ERROR_ILLEGAL_STATE).
    if flags & CU_EVENT_RECORD_EXTERNAL != 0 && !stream::is_capturing_stream(h) {
        lookup(ev)?;
        stream::resolve(h)?;
        return Err(CUDA_ERROR_ILLEGAL_STATE);
    }
    record(ev, h)
}

/// Recorded work is complete when `cuEventRecord` returns; a never-recorded event is
/// complete too (NVIDIA answers CUDA_SUCCESS).
pub unsafe fn query(ev: CUevent) -> CuResult {
    let e = lookup(ev)?;
    // Querying/synchronizing an event is a "potentially unsafe" call during a non-relaxed
    // capture (CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, measured), but an event last recorded
    // inside a capture answers CUDA_ERROR_CAPTURED_EVENT first and invalidates that capture,
    // in relaxed mode too (measured, tests/programs/api_behaviour.cu).
    if let Some((cid, _)) = e.capture_state() {
        stream::invalidate_capture(cid);
        return Err(CUDA_ERROR_CAPTURED_EVENT);
    }
    stream::check_unsafe_call()?;
    if !e.complete() {
        return Err(CUDA_ERROR_NOT_READY);
    }
    context::lookup(e.ctx as CUcontext).map_or(Ok(()), |c| c.check())
}

pub unsafe fn synchronize(ev: CUevent) -> CuResult {
    let e = lookup(ev)?;
    // Synchronizing an event recorded inside a capture: CUDA_ERROR_INVALID_VALUE, the capture
    // invalidated (measured).
    if let Some((cid, _)) = e.capture_state() {
        stream::invalidate_capture(cid);
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    stream::check_unsafe_call()?;
    if let Some((q, s)) = e.pending() {
        q.wait_for(s);
    }
    super::pool::trim_at_sync();
    context::lookup(e.ctx as CUcontext).map_or(Ok(()), |c| c.check())
}

pub unsafe fn elapsed_time(ms: *mut f32, start: CUevent, end: CUevent) -> CuResult {
    let (s, e) = (lookup(start)?, lookup(end)?);
    // A NULL result pointer is CUDA_ERROR_INVALID_HANDLE on NVIDIA's driver (measured,
    // tests/programs/api_behaviour.cu).
    if ms.is_null() {
        return Err(CUDA_ERROR_INVALID_HANDLE);
    }
    if (s.flags | e.flags) & CU_EVENT_DISABLE_TIMING != 0 {
        return Err(CUDA_ERROR_INVALID_HANDLE);
    }
    if !s.complete() || !e.complete() {
        return Err(CUDA_ERROR_NOT_READY);
    }
    // One lock at a time: start and end may be the same event.
    let t0 = *s.recorded.lock().unwrap_or_else(|p| p.into_inner());
    let t1 = *e.recorded.lock().unwrap_or_else(|p| p.into_inner());
    let (Some(t0), Some(t1)) = (t0, t1) else {
        return Err(CUDA_ERROR_INVALID_HANDLE);
    };
    *ms = if t1 >= t0 { (t1 - t0).as_secs_f64() * 1e3 } else { -((t0 - t1).as_secs_f64() * 1e3) } as f32;
    Ok(())
}

pub unsafe fn destroy(ev: CUevent) -> CuResult {
    events().remove(ev).map(|_| ()).ok_or(CUDA_ERROR_INVALID_HANDLE)
}

// ---- cuCtxRecordEvent / cuCtxWaitEvent (CUDA 12.5) ----

/// Per context: the queue context-wide records are stamped on (each record waits for every
/// other queue of the context to reach its tail at the time of the call), and the positions
/// later work of the context must wait for (cuCtxWaitEvent).
#[derive(Default)]
struct CtxEvents {
    record_queue: std::collections::HashMap<usize, Arc<Queue>>,
    waits: std::collections::HashMap<usize, Vec<(Arc<Queue>, u64)>>,
}

fn ctx_events() -> std::sync::MutexGuard<'static, CtxEvents> {
    static S: OnceLock<Mutex<CtxEvents>> = OnceLock::new();
    S.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

/// Contexts with cuCtxWaitEvent positions outstanding: every enqueue asks, so the lock is
/// skipped while there are none.
static CTX_WAITING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Positions every new work item of context `ctx` waits for (those not reached yet).
pub fn context_waits(ctx: usize) -> Vec<(Arc<Queue>, u64)> {
    if CTX_WAITING.load(std::sync::atomic::Ordering::Acquire) == 0 {
        return Vec::new();
    }
    let mut s = ctx_events();
    let Some(w) = s.waits.get_mut(&ctx) else { return Vec::new() };
    w.retain(|(q, seq)| !q.is_done(*seq));
    if w.is_empty() {
        s.waits.remove(&ctx);
        CTX_WAITING.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
        return Vec::new();
    }
    w.clone()
}

/// A context is destroyed: its context-wide waits and record queue go.
pub fn forget_context(ctx: usize) {
    let mut s = ctx_events();
    if s.waits.remove(&ctx).is_some() {
        CTX_WAITING.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
    if let Some(q) = s.record_queue.remove(&ctx) {
        q.stop();
    }
}

fn ctx_and_event(ctx: CUcontext, ev: CUevent) -> CuResult<(Arc<context::Context>, Arc<Event>)> {
    let c = context::lookup(ctx)?;
    let e = lookup(ev)?;
    Ok((c, e))
}

/// cuCtxRecordEvent: the event completes once all work submitted to the context so far has
/// run (every stream's queue, the legacy and per-thread default streams included).
pub unsafe fn ctx_record(ctx: CUcontext, ev: CUevent) -> CuResult {
    let (c, e) = ctx_and_event(ctx, ev)?;
    if e.ctx != c.handle {
        return Err(CUDA_ERROR_INVALID_HANDLE);
    }
    if stream::invalidate_captures_of_context(c.handle) {
        return Err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
    }
    let q = {
        let mut s = ctx_events();
        s.record_queue.entry(c.handle).or_insert_with(|| Queue::new(c.handle, false, false)).clone()
    };
    let waits: Vec<(Arc<Queue>, u64)> = super::queue::of_context(c.handle)
        .into_iter()
        .filter(|o| !Arc::ptr_eq(o, &q) && !o.idle())
        .map(|o| {
            let t = o.tail();
            (o, t)
        })
        .collect();
    *e.captured.lock().unwrap() = None;
    if waits.is_empty() && q.idle() {
        // Nothing outstanding: complete at once (measured: an idle context's event queries
        // CUDA_SUCCESS right after the record).
        *e.pending.lock().unwrap() = None;
        stamp(ev);
        return Ok(());
    }
    let ev_h = ev as usize;
    let seq = q.push(waits, Box::new(move || stamp(ev_h as CUevent)));
    *e.pending.lock().unwrap() = Some((q, seq));
    Ok(())
}

/// cuCtxWaitEvent: all work submitted to the context from now on waits for the event's work
/// (on the device: the calling thread does not block). The event may be of another context.
pub unsafe fn ctx_wait(ctx: CUcontext, ev: CUevent) -> CuResult {
    let (c, e) = ctx_and_event(ctx, ev)?;
    if let Some((cid, _)) = e.capture_state() {
        stream::invalidate_capture(cid);
        return Err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
    }
    if stream::invalidate_captures_of_context(c.handle) {
        return Err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
    }
    if let Some((q, seq)) = e.pending() {
        if !q.is_done(seq) {
            let mut s = ctx_events();
            let w = s.waits.entry(c.handle).or_default();
            if w.is_empty() {
                CTX_WAITING.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
            }
            w.push((q, seq));
        }
    }
    Ok(())
}
