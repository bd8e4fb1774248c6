//! Contexts: primary contexts (one per device, stable handle), created contexts, the
//! per-thread current-context stack, limits, cache configuration, context-local storage (the
//! CLS export table) and sticky errors.

use super::{device, Table};
use crate::api::export_tables::ClsDtor;
use crate::api::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_int, c_uint, c_void};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub const CU_LIMIT_STACK_SIZE: c_uint = 0;
pub const CU_LIMIT_PRINTF_FIFO_SIZE: c_uint = 1;
pub const CU_LIMIT_MALLOC_HEAP_SIZE: c_uint = 2;
const LIMIT_COUNT: usize = 7;
/// Defaults of NVIDIA's driver (stack 1 KiB, printf FIFO 1 MiB, heap 8 MiB, sync depth 2,
/// pending launches 2048, L2 fetch granularity 64, persisting L2 0).
const LIMIT_DEFAULTS: [usize; LIMIT_COUNT] = [1024, 1 << 20, 8 << 20, 2, 2048, 64, 0];

/// CU_CTX_SCHED_* | CU_CTX_MAP_HOST | CU_CTX_LMEM_RESIZE_TO_MAX | CU_CTX_COREDUMP_ENABLE |
/// CU_CTX_USER_COREDUMP_ENABLE | CU_CTX_SYNC_MEMOPS: every flag cuda.h defines.
const CTX_FLAGS_VALID: c_uint = 0x07 | 0x08 | 0x10 | 0x20 | 0x40 | 0x80;

pub struct Context {
    pub handle: usize,
    pub device: CUdevice,
    pub primary: bool,
    pub id: u64,
    pub flags: AtomicU32,
    /// First error of a failed kernel (CUDA_ERROR_ASSERT / LAUNCH_FAILED …); once set, the
    /// context answers it to every call that uses it, as NVIDIA's driver does, until the
    /// primary context is reset or the context destroyed.
    pub sticky: AtomicU32,
    /// A primary context reset and not retained since: NVIDIA's driver answers
    /// CUDA_ERROR_CONTEXT_IS_DESTROYED to every call that uses it until a retain makes it anew
    /// (measured, tests/programs/api_behaviour.cu).
    destroyed: AtomicBool,
    state: Mutex<CtxState>,
}

struct CtxState {
    limits: [usize; LIMIT_COUNT],
    cache_config: c_uint,
    shmem_config: c_uint,
    /// CLS: key → (value, destructor).
    cls: HashMap<usize, (usize, ClsDtor)>,
}

impl CtxState {
    fn new() -> Self {
        CtxState { limits: LIMIT_DEFAULTS, cache_config: 0, shmem_config: 0, cls: HashMap::new() }
    }
}

impl Context {
    fn new(device: CUdevice, primary: bool, flags: c_uint) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Context {
            handle: 0,
            device,
            primary,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            flags: AtomicU32::new(flags),
            sticky: AtomicU32::new(0),
            destroyed: AtomicBool::new(false),
            state: Mutex::new(CtxState::new()),
        }
    }

    pub fn handle(&self) -> CUcontext {
        self.handle as CUcontext
    }

    /// The sticky error, if a kernel failed in this context.
    pub fn check(&self) -> CuResult {
        if self.destroyed.load(Ordering::Acquire) {
            return Err(CUDA_ERROR_CONTEXT_IS_DESTROYED);
        }
        match self.sticky.load(Ordering::Acquire) {
            0 => Ok(()),
            e => Err(CUresult(e)),
        }
    }

    pub fn set_sticky(&self, e: CUresult) {
        let _ = self.sticky.compare_exchange(0, e.0, Ordering::AcqRel, Ordering::Acquire);
    }

    pub fn limit(&self, l: c_uint) -> usize {
        self.state.lock().unwrap().limits.get(l as usize).copied().unwrap_or(0)
    }

    /// Runs and forgets the CLS destructors (context destroyed / primary reset).
    fn destroy_cls(&self) {
        let entries: Vec<(usize, (usize, ClsDtor))> = self.state.lock().unwrap().cls.drain().collect();
        for (key, (value, dtor)) in entries {
            if let Some(dtor) = dtor {
                tracing::trace!("CLS destructor for key {key:#x} of context {:#x}", self.handle);
                unsafe { dtor(self.handle(), key as *mut c_void, value as *mut c_void) };
            }
        }
    }
}

fn contexts() -> &'static Table<Context> {
    static T: OnceLock<Table<Context>> = OnceLock::new();
    T.get_or_init(Table::new)
}

/// Per device: the primary context object (created on first use, handle stable for the
/// process) and its retain count / flags.
struct Primary {
    ctx: Arc<Context>,
    refcount: u32,
    flags: c_uint,
    /// The error of a kernel fault whose context was then reset: NVIDIA's driver 580 lets no
    /// new primary context be made for the device in this process (cuDevicePrimaryCtxRetain
    /// answers that error; measured with tests/programs/api_behaviour.cu and, through the
    /// runtime, illegal_address.cu).
    poisoned: u32,
}

fn primaries() -> &'static Mutex<HashMap<CUdevice, Primary>> {
    static P: OnceLock<Mutex<HashMap<CUdevice, Primary>>> = OnceLock::new();
    P.get_or_init(|| Mutex::new(HashMap::new()))
}

fn register(mut ctx: Context) -> Arc<Context> {
    let h = super::new_handle();
    ctx.handle = h;
    let a = Arc::new(ctx);
    contexts().insert_arc(h, a.clone());
    a
}

fn primary(dev: CUdevice) -> CuResult<Arc<Context>> {
    device::get(dev)?;
    let mut p = primaries().lock().unwrap();
    Ok(p.entry(dev)
        .or_insert_with(|| Primary { ctx: register(Context::new(dev, true, 0)), refcount: 0, flags: 0, poisoned: 0 })
        .ctx
        .clone())
}

/// The primary context handle of `dev` (CUDART_INTERFACE slot 2; same as Retain returns).
pub fn primary_handle(dev: CUdevice) -> CuResult<CUcontext> {
    Ok(primary(dev)?.handle())
}

// ---- the per-thread stack ----

thread_local! {
    static STACK: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

fn with_stack<R>(f: impl FnOnce(&mut Vec<usize>) -> R) -> CuResult<R> {
    // try_with: during thread teardown the TLS may be gone; answer instead of panicking.
    STACK.try_with(|s| f(&mut s.borrow_mut())).map_err(|_| CUDA_ERROR_DEINITIALIZED)
}

/// Resolves a context handle.
pub fn lookup(ctx: CUcontext) -> CuResult<Arc<Context>> {
    if ctx.is_null() {
        return Err(CUDA_ERROR_INVALID_CONTEXT);
    }
    contexts().get(ctx).ok_or(CUDA_ERROR_INVALID_CONTEXT)
}

/// The current context (top of this thread's stack), or CUDA_ERROR_INVALID_CONTEXT.
pub fn current() -> CuResult<Arc<Context>> {
    let top = with_stack(|s| s.last().copied())?;
    match top {
        Some(h) => contexts().get(h as CUcontext).ok_or(CUDA_ERROR_INVALID_CONTEXT),
        None => Err(CUDA_ERROR_INVALID_CONTEXT),
    }
}

/// The current context, failing with its sticky error if a kernel failed in it.
pub fn current_checked() -> CuResult<Arc<Context>> {
    let c = current()?;
    c.check()?;
    Ok(c)
}

/// `ctx` or, when NULL, the current context.
pub fn explicit_or_current(ctx: CUcontext) -> CuResult<Arc<Context>> {
    if ctx.is_null() {
        current()
    } else {
        lookup(ctx)
    }
}

// ---- primary context entry points ----

pub unsafe fn primary_retain(pctx: *mut CUcontext, dev: CUdevice) -> CuResult {
    if pctx.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = primary(dev)?;
    let mut p = primaries().lock().unwrap();
    let e = p.get_mut(&dev).unwrap();
    if e.poisoned != 0 {
        *pctx = std::ptr::null_mut();
        return Err(CUresult(e.poisoned));
    }
    e.refcount += 1;
    // A reset context comes back (same handle) when retained.
    c.destroyed.store(false, Ordering::Release);
    *pctx = c.handle();
    Ok(())
}

/// Tears down what a context owns: CLS destructors, allocations, streams, events, sticky error.
fn reset_context(c: &Arc<Context>) {
    super::queue::drain_context(c.handle);
    c.destroy_cls();
    super::memory::release_context(c.handle);
    super::stream::release_context(c.handle);
    super::event::release_context(c.handle);
    c.sticky.store(0, Ordering::Release);
    let mut st = c.state.lock().unwrap();
    let cls = std::mem::take(&mut st.cls);
    *st = CtxState::new();
    st.cls = cls; // destructors may have re-registered values; keep them
}

pub unsafe fn primary_release(dev: CUdevice) -> CuResult {
    let c = primary(dev)?;
    let drop_it = {
        let mut p = primaries().lock().unwrap();
        let e = p.get_mut(&dev).unwrap();
        if e.refcount == 0 {
            return Err(CUDA_ERROR_INVALID_CONTEXT);
        }
        e.refcount -= 1;
        e.refcount == 0
    };
    if drop_it {
        // The real driver destroys the primary context here; the handle stays ours (a later
        // retain gives the same value), its state starts fresh.
        reset_context(&c);
    }
    Ok(())
}

pub unsafe fn primary_reset(dev: CUdevice) -> CuResult {
    let c = primary(dev)?;
    let fault = c.sticky.load(Ordering::Acquire);
    reset_context(&c);
    let mut p = primaries().lock().unwrap();
    let e = p.get_mut(&dev).unwrap();
    e.flags = 0;
    // The reset destroys the context: its handle answers CUDA_ERROR_CONTEXT_IS_DESTROYED until
    // the next retain, and the retain count survives (one cuDevicePrimaryCtxRelease per
    // earlier retain still succeeds). After a kernel fault no retain succeeds any more: it,
    // and cuCtxCreate, answer the fault's error. All measured on NVIDIA's driver 580.
    c.destroyed.store(true, Ordering::Release);
    if fault != 0 {
        e.poisoned = fault;
    }
    Ok(())
}

pub unsafe fn primary_get_state(dev: CUdevice, flags: *mut c_uint, active: *mut c_int) -> CuResult {
    if flags.is_null() || active.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    primary(dev)?;
    let p = primaries().lock().unwrap();
    let e = &p[&dev];
    *flags = e.flags;
    *active = (e.refcount > 0 && !e.ctx.destroyed.load(Ordering::Acquire)) as c_int;
    Ok(())
}

pub unsafe fn primary_set_flags(dev: CUdevice, flags: c_uint) -> CuResult {
    if flags & !CTX_FLAGS_VALID != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = primary(dev)?;
    primaries().lock().unwrap().get_mut(&dev).unwrap().flags = flags;
    c.flags.store(flags, Ordering::Relaxed);
    Ok(())
}

// ---- created contexts ----

pub unsafe fn create(pctx: *mut CUcontext, flags: c_uint, dev: CUdevice) -> CuResult {
    if pctx.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if flags & !CTX_FLAGS_VALID != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    device::get(dev)?;
    if let Some(e) = primaries().lock().unwrap().get(&dev).filter(|e| e.poisoned != 0) {
        return Err(CUresult(e.poisoned));
    }
    let c = register(Context::new(dev, false, flags));
    with_stack(|s| s.push(c.handle))?;
    *pctx = c.handle();
    Ok(())
}

/// `cuCtxCreate_v3(pctx, paramsArray, numParams, flags, dev)`: execution-affinity params
/// are accepted and ignored (every "SM" is a host thread).
pub unsafe fn create_v3(pctx: *mut CUcontext, _params: *mut c_void, num_params: c_int, flags: c_uint, dev: CUdevice) -> CuResult {
    if num_params < 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    create(pctx, flags, dev)
}

/// `cuCtxCreate_v4(pctx, CUctxCreateParams*, flags, dev)`: params (affinity, CIG) ignored.
pub unsafe fn create_v4(pctx: *mut CUcontext, _params: *mut c_void, flags: c_uint, dev: CUdevice) -> CuResult {
    create(pctx, flags, dev)
}

pub unsafe fn destroy(ctx: CUcontext) -> CuResult {
    if ctx.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE); // as NVIDIA answers
    }
    let c = lookup(ctx)?;
    if c.primary {
        return Err(CUDA_ERROR_INVALID_CONTEXT);
    }
    reset_context(&c);
    contexts().remove(ctx);
    // Other threads that still have it current find it gone (INVALID_CONTEXT).
    with_stack(|s| s.retain(|h| *h != ctx as usize))?;
    Ok(())
}

pub unsafe fn push_current(ctx: CUcontext) -> CuResult {
    let c = lookup(ctx)?;
    with_stack(|s| s.push(c.handle))
}

pub unsafe fn pop_current(pctx: *mut CUcontext) -> CuResult {
    let top = with_stack(|s| s.pop())?;
    match top {
        Some(h) => {
            if !pctx.is_null() {
                *pctx = h as CUcontext;
            }
            Ok(())
        }
        None => Err(CUDA_ERROR_INVALID_CONTEXT),
    }
}

/// Replaces the top of the stack (NULL: pops it).
pub unsafe fn set_current(ctx: CUcontext) -> CuResult {
    if ctx.is_null() {
        with_stack(|s| {
            s.pop();
        })?;
        return Ok(());
    }
    let c = lookup(ctx)?;
    with_stack(|s| {
        s.pop();
        s.push(c.handle);
    })
}

pub unsafe fn get_current(pctx: *mut CUcontext) -> CuResult {
    if pctx.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let top = with_stack(|s| s.last().copied())?;
    *pctx = match top {
        Some(h) if contexts().contains(h as CUcontext) => h as CUcontext,
        _ => std::ptr::null_mut(),
    };
    Ok(())
}

pub unsafe fn get_device(dev: *mut CUdevice) -> CuResult {
    if dev.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *dev = current()?.device;
    Ok(())
}

pub unsafe fn get_device_v2(dev: *mut CUdevice, ctx: CUcontext) -> CuResult {
    if dev.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *dev = explicit_or_current(ctx)?.device;
    Ok(())
}

pub unsafe fn get_flags(flags: *mut c_uint) -> CuResult {
    if flags.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *flags = current()?.flags.load(Ordering::Relaxed);
    Ok(())
}

pub unsafe fn set_flags(flags: c_uint) -> CuResult {
    if flags & !CTX_FLAGS_VALID != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    current()?.flags.store(flags, Ordering::Relaxed);
    Ok(())
}

pub unsafe fn get_id(ctx: CUcontext, id: *mut u64) -> CuResult {
    if id.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *id = explicit_or_current(ctx)?.id;
    Ok(())
}

/// All work runs at enqueue time: synchronizing only reports a failed kernel.
/// Waits for every stream of the context; an asynchronous kernel fault surfaces here.
pub unsafe fn synchronize() -> CuResult {
    let c = current()?;
    super::stream::check_sync_call()?;
    super::queue::drain_context(c.handle);
    super::pool::trim_at_sync();
    c.check()
}

pub unsafe fn synchronize_v2(ctx: CUcontext) -> CuResult {
    let c = explicit_or_current(ctx)?;
    super::stream::check_sync_call()?;
    super::queue::drain_context(c.handle);
    super::pool::trim_at_sync();
    c.check()
}

pub unsafe fn set_limit(limit: c_uint, value: usize) -> CuResult {
    let c = current()?;
    if limit as usize >= LIMIT_COUNT {
        return Err(CUDA_ERROR_UNSUPPORTED_LIMIT);
    }
    c.state.lock().unwrap().limits[limit as usize] = value;
    if limit == CU_LIMIT_MALLOC_HEAP_SIZE {
        crate::exec::runtime::set_device_heap_limit(value as u64);
    }
    Ok(())
}

pub unsafe fn get_limit(pvalue: *mut usize, limit: c_uint) -> CuResult {
    if pvalue.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = current()?;
    if limit as usize >= LIMIT_COUNT {
        return Err(CUDA_ERROR_UNSUPPORTED_LIMIT);
    }
    *pvalue = c.limit(limit);
    Ok(())
}

pub unsafe fn get_cache_config(config: *mut c_uint) -> CuResult {
    if config.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *config = current()?.state.lock().unwrap().cache_config;
    Ok(())
}

pub unsafe fn set_cache_config(config: c_uint) -> CuResult {
    if config > 3 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    current()?.state.lock().unwrap().cache_config = config;
    Ok(())
}

pub unsafe fn get_shared_mem_config(config: *mut c_uint) -> CuResult {
    if config.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *config = current()?.state.lock().unwrap().shmem_config;
    Ok(())
}

pub unsafe fn set_shared_mem_config(config: c_uint) -> CuResult {
    if config > 2 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    current()?.state.lock().unwrap().shmem_config = config;
    Ok(())
}

/// The API version contexts are created with since CUDA 3.2.
pub unsafe fn get_api_version(ctx: CUcontext, version: *mut c_uint) -> CuResult {
    if version.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    explicit_or_current(ctx)?;
    *version = 3020;
    Ok(())
}

/// Priorities are accepted (range of a real device: 0 lowest, -5 highest), not scheduled.
pub const STREAM_PRIORITY_LEAST: c_int = 0;
pub const STREAM_PRIORITY_GREATEST: c_int = -5;

pub unsafe fn get_stream_priority_range(least: *mut c_int, greatest: *mut c_int) -> CuResult {
    current()?;
    if !least.is_null() {
        *least = STREAM_PRIORITY_LEAST;
    }
    if !greatest.is_null() {
        *greatest = STREAM_PRIORITY_GREATEST;
    }
    Ok(())
}

pub unsafe fn reset_persisting_l2_cache() -> CuResult {
    current()?;
    Ok(())
}

// ---- CLS (export table CONTEXT_LOCAL_STORAGE_INTERFACE_V0301) ----

pub unsafe fn cls_put(ctx: CUcontext, key: *mut c_void, value: *mut c_void, dtor: ClsDtor) -> CuResult {
    let c = explicit_or_current(ctx)?;
    c.state.lock().unwrap().cls.insert(key as usize, (value as usize, dtor));
    Ok(())
}

pub unsafe fn cls_delete(ctx: CUcontext, key: *mut c_void) -> CuResult {
    let c = explicit_or_current(ctx)?;
    let removed = c.state.lock().unwrap().cls.remove(&(key as usize));
    removed.map(|_| ()).ok_or(CUDA_ERROR_INVALID_VALUE)
}

/// Must fail for an absent key: cudart then creates its per-context state and `put`s it.
pub unsafe fn cls_get(ctx: CUcontext, key: *mut c_void) -> CuResult<*mut c_void> {
    let c = explicit_or_current(ctx)?;
    let st = c.state.lock().unwrap();
    st.cls.get(&(key as usize)).map(|(v, _)| *v as *mut c_void).ok_or(CUDA_ERROR_INVALID_VALUE)
}
