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
//!
//! The same exit serves a panic in one of our run-time helpers (a bug in cuemu): it must not
//! unwind through JIT frames, which have no unwind tables, nor abort the user's process.
//! [`guard`] catches it, and raises SIGSEGV on the coroutine so the launcher sees the warp
//! stop with the panic's message: the launch fails with `CUDA_ERROR_LAUNCH_FAILED`.

use corosensei::trap::CoroutineTrapHandler;
use std::cell::Cell;
use std::sync::Once;

/// What a coroutine returns when a memory fault (or a panic in a helper) stopped it.
#[derive(Debug, Clone, Copy)]
pub struct Trapped {
    pub addr: usize,
    /// `Some(message)` when a run-time helper panicked ([`guard`]), not a memory fault (leaked:
    /// a panic is a bug, and the trap handler's type must be `Copy`).
    pub panic: Option<&'static str>,
}

thread_local! {
    /// The coroutine currently running kernel code on this thread, if any.
    static CURRENT: Cell<Option<CoroutineTrapHandler<Result<(), Trapped>>>> = const { Cell::new(None) };
    static ALT_STACK: Cell<bool> = const { Cell::new(false) };
    /// The message of a helper's panic, on its way from [`guard`] to the signal handler.
    static PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs the body of a run-time helper called from JIT code. A panic in it stops the calling
/// warp like a memory fault does (see the module doc); outside a coroutine, where no launcher
/// can take it, the process aborts as an `extern "C"` panic would.
pub fn guard<R>(helper: &'static str, f: impl FnOnce() -> R) -> R {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            PANIC.with(|p| *p.borrow_mut() = Some(format!("internal error in cuemu's run-time helper {helper}: {what}")));
            // Synchronous: delivered before raise returns, on this (the coroutine's) stack.
            unsafe { libc::raise(libc::SIGSEGV) };
            // Not on a kernel coroutine: nobody can take the fault.
            std::process::abort()
        }
    }
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
            // Synchronous signals only reach here, so the thread-local is not in use.
            let panic = PANIC.with(|p| p.borrow_mut().take()).map(|m| &*Box::leak(m.into_boxed_str()));
            let regs = h.setup_trap_handler(move || Err(Trapped { addr, panic }));
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

#[cfg(test)]
mod tests {
    use super::*;
    use corosensei::{Coroutine, CoroutineResult};

    /// A helper that panics inside a kernel coroutine stops that coroutine with the panic's
    /// message, as the launcher runs it; the thread (and process) carry on, and the next
    /// coroutine on the same thread runs normally.
    #[test]
    fn a_panicking_helper_stops_its_coroutine_not_the_process() {
        prepare_thread();
        let run = |boom: bool| {
            let mut co: Coroutine<(), (), Result<(), Trapped>> = Coroutine::new(move |_, ()| {
                let v = guard("test_helper", || {
                    if boom {
                        panic!("lane {} out of range", 33);
                    }
                    7
                });
                assert_eq!(v, 7);
                Ok(())
            });
            let h = co.trap_handler();
            match with_trap_handler(h, || co.resume(())) {
                CoroutineResult::Return(r) => r,
                CoroutineResult::Yield(()) => panic!("the coroutine does not yield"),
            }
        };
        let t = run(true).expect_err("the panic stops the coroutine");
        let msg = t.panic.expect("reported as a panic, not a memory fault");
        assert!(msg.contains("test_helper") && msg.contains("lane 33 out of range"), "{msg}");
        assert!(run(false).is_ok());
        // A real memory fault afterwards is still a memory fault (no stale panic message).
        let mut co: Coroutine<(), (), Result<(), Trapped>> = Coroutine::new(|_, ()| {
            unsafe { std::ptr::read_volatile(8 as *const u64) };
            Ok(())
        });
        let h = co.trap_handler();
        match with_trap_handler(h, || co.resume(())) {
            CoroutineResult::Return(Err(t)) => assert!(t.panic.is_none() && t.addr == 8, "{t:?}"),
            _ => panic!("the bad read traps"),
        }
    }
}
