//! Memory faults in kernels: a bad address in device code must not kill the host process.
//!
//! On a GPU, a kernel that reads or writes outside any allocation stops with
//! `CUDA_ERROR_ILLEGAL_ADDRESS` and the process lives on. Here device code is host code, so a
//! bad access is a SIGSEGV/SIGBUS on an executor thread. Kernel code always runs on a coroutine
//! stack (see `launch`); the signal handler checks that the faulting stack pointer lies in the
//! coroutine registered for this thread, records the address, and redirects the coroutine
//! (corosensei's trap handler) to return to the launcher with [`Trapped`]. Faults anywhere else
//! go to the handler that was installed before ours, or to the default action.
//!
//! JIT code owns no resources, so abandoning its frames is safe; the launcher reports the fault
//! and skips the grid's remaining blocks.

use corosensei::trap::CoroutineTrapHandler;
use std::cell::Cell;
use std::sync::Once;

/// What a coroutine returns when a memory fault stopped it.
#[derive(Debug, Clone, Copy)]
pub struct Trapped {
    pub addr: usize,
}

thread_local! {
    /// The coroutine currently running kernel code on this thread, if any.
    static CURRENT: Cell<Option<CoroutineTrapHandler<Result<(), Trapped>>>> = const { Cell::new(None) };
    static ALT_STACK: Cell<bool> = const { Cell::new(false) };
}

static INSTALL: Once = Once::new();
static mut PREV_SEGV: std::mem::MaybeUninit<libc::sigaction> = std::mem::MaybeUninit::uninit();
static mut PREV_BUS: std::mem::MaybeUninit<libc::sigaction> = std::mem::MaybeUninit::uninit();

/// Installs the process-wide handler (once) and this thread's alternate signal stack.
pub fn prepare_thread() {
    INSTALL.call_once(|| unsafe {
        for (sig, prev) in [(libc::SIGSEGV, &raw mut PREV_SEGV), (libc::SIGBUS, &raw mut PREV_BUS)] {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = handler as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_NODEFER;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, (*prev).as_mut_ptr());
        }
    });
    ALT_STACK.with(|done| {
        if done.get() {
            return;
        }
        // A small stack of its own for the handler (leaked: one per executor thread).
        const SIZE: usize = 64 * 1024;
        let mem = Box::leak(vec![0u8; SIZE].into_boxed_slice());
        let ss = libc::stack_t { ss_sp: mem.as_mut_ptr() as *mut _, ss_flags: 0, ss_size: SIZE };
        unsafe { libc::sigaltstack(&ss, std::ptr::null_mut()) };
        done.set(true);
    });
}

/// Marks `h` as the coroutine whose faults are ours while `f` runs (a resume).
pub fn with_trap_handler<R>(h: CoroutineTrapHandler<Result<(), Trapped>>, f: impl FnOnce() -> R) -> R {
    let prev = CURRENT.with(|c| c.replace(Some(h)));
    let r = f();
    CURRENT.with(|c| c.set(prev));
    r
}

unsafe extern "C" fn handler(sig: libc::c_int, info: *mut libc::siginfo_t, uctx: *mut libc::c_void) {
    let uc = &mut *(uctx as *mut libc::ucontext_t);
    let sp = uc.uc_mcontext.gregs[libc::REG_RSP as usize] as usize;
    if let Some(h) = CURRENT.with(|c| c.get()) {
        if h.stack_ptr_in_bounds(sp) {
            let addr = (*info).si_addr() as usize;
            let regs = h.setup_trap_handler(move || Err(Trapped { addr }));
            let g = &mut uc.uc_mcontext.gregs;
            g[libc::REG_RIP as usize] = regs.rip as i64;
            g[libc::REG_RSP as usize] = regs.rsp as i64;
            g[libc::REG_RBP as usize] = regs.rbp as i64;
            g[libc::REG_RDI as usize] = regs.rdi as i64;
            g[libc::REG_RSI as usize] = regs.rsi as i64;
            return;
        }
    }
    // Not ours: behave as if we were never installed.
    let prev = if sig == libc::SIGSEGV { (*(&raw const PREV_SEGV)).assume_init_ref() } else { (*(&raw const PREV_BUS)).assume_init_ref() };
    if prev.sa_flags & libc::SA_SIGINFO != 0 && prev.sa_sigaction > libc::SIG_IGN {
        let f: unsafe extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) = std::mem::transmute(prev.sa_sigaction);
        f(sig, info, uctx);
    } else if prev.sa_sigaction > libc::SIG_IGN {
        let f: unsafe extern "C" fn(libc::c_int) = std::mem::transmute(prev.sa_sigaction);
        f(sig);
    } else {
        // Default action: restore it; returning re-executes the access and dies as usual.
        libc::signal(sig, libc::SIG_DFL);
    }
}
