//! Where the shared-memory windows of running CTAs live: a mapping whose accessible part ends
//! exactly where the windows end, followed by more than 4 GiB of inaccessible address space.
//!
//! An H100 faults (`CUDA_ERROR_ILLEGAL_ADDRESS`) on a shared access past the CTA's
//! allocation, which is the reserved 0x400 bytes plus the static and dynamic bytes rounded up
//! to 128 (measured with one-word loads and stores around the end: `tests/programs/
//! shared_bounds.cu`). A window here is exactly that long (`launch::Grid::shared_stride`), so
//! with the last window flush against the guard, an access past it is a SIGSEGV on the
//! kernel's coroutine, which `fault.rs` turns into that same error — instead of a write into
//! whatever the host heap holds next. A shared address is a 32-bit offset from the window's
//! start, so the guard covers everything a `ld/st.shared` can reach. (Between the CTAs of a
//! cluster the windows lie side by side without guards: one CTA overrunning its window
//! reaches the next one's, where an H100 would fault.)
//!
//! Mappings are pooled per thread: a launch takes one at least as large as its windows (or
//! maps a new one) and gives it back, so steady-state launches make no system calls. The
//! windows are zeroed for every launch, as the heap vectors they replace were: runs stay
//! deterministic whatever ran before.

use std::cell::RefCell;

const PAGE: usize = 4096;
/// Inaccessible bytes after the windows: a shared address (32 bits) plus the widest access.
const GUARD_AFTER: usize = (1 << 32) + 64 * 1024;
/// The smallest accessible part a mapping gets (most kernels' windows fit in it).
const MIN_ACCESSIBLE: usize = 256 * 1024;

/// One mapping: an inaccessible page, `accessible` bytes, then [`GUARD_AFTER`].
struct Mapping {
    base: *mut u8,
    accessible: usize,
}

impl Mapping {
    fn new(accessible: usize) -> Mapping {
        let accessible = accessible.max(MIN_ACCESSIBLE).div_ceil(PAGE) * PAGE;
        let len = PAGE + accessible + GUARD_AFTER;
        // SAFETY: a fresh anonymous mapping; nothing else refers to it.
        unsafe {
            let base = libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            );
            assert!(base != libc::MAP_FAILED, "cannot reserve {len} bytes for shared memory windows");
            let rw = (base as *mut u8).add(PAGE);
            assert!(libc::mprotect(rw as *mut libc::c_void, accessible, libc::PROT_READ | libc::PROT_WRITE) == 0, "mprotect of shared memory windows");
            Mapping { base: base as *mut u8, accessible }
        }
    }

    /// The first byte past the accessible part.
    fn end(&self) -> *mut u8 {
        unsafe { self.base.add(PAGE + self.accessible) }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        unsafe { libc::munmap(self.base as *mut libc::c_void, PAGE + self.accessible + GUARD_AFTER) };
    }
}

thread_local! {
    static POOL: RefCell<Vec<Mapping>> = const { RefCell::new(Vec::new()) };
}

/// The shared windows of one launch (or one worker's part of it): `len` zeroed bytes that end
/// where the guard begins. Returns its mapping to the thread's pool when dropped.
pub struct SharedWindows {
    mapping: Option<Mapping>,
    start: *mut u8,
}

impl SharedWindows {
    /// `len` bytes, a multiple of 128 (so every window, and the first, is 128-byte aligned).
    pub fn new(len: usize) -> SharedWindows {
        let mapping = POOL
            .with(|p| {
                let mut p = p.borrow_mut();
                let i = p.iter().position(|m| m.accessible >= len)?;
                Some(p.swap_remove(i))
            })
            .unwrap_or_else(|| Mapping::new(len));
        // SAFETY: `len` ≤ the accessible part, which is ours until we give it back.
        let start = unsafe { mapping.end().sub(len) };
        unsafe { std::ptr::write_bytes(start, 0, len) };
        SharedWindows { mapping: Some(mapping), start }
    }

    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.start
    }

    /// How far past the windows' end `addr` is, when it lies in the guard after them (a fault
    /// there is a shared access past the last window).
    pub fn past_end(&self, addr: u64) -> Option<u64> {
        let end = self.mapping.as_ref()?.end() as u64;
        addr.checked_sub(end).filter(|&d| d < GUARD_AFTER as u64)
    }
}

impl Drop for SharedWindows {
    fn drop(&mut self) {
        if let Some(m) = self.mapping.take() {
            // A few mappings per thread at most (one per concurrent launch part).
            POOL.with(|p| {
                let mut p = p.borrow_mut();
                if p.len() < 4 {
                    p.push(m);
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_end_at_the_guard_and_are_zeroed_and_reused() {
        let mut w = SharedWindows::new(1408);
        let p = w.as_mut_ptr();
        assert_eq!(p as usize % 128, 0);
        unsafe {
            assert!(std::slice::from_raw_parts(p, 1408).iter().all(|&b| b == 0));
            std::ptr::write_bytes(p, 0xab, 1408);
        }
        let end = p as usize + 1408;
        drop(w);
        // the pooled mapping comes back, zeroed again, flush against the same guard
        let mut w = SharedWindows::new(256);
        assert_eq!(w.as_mut_ptr() as usize + 256, end);
        assert!(unsafe { std::slice::from_raw_parts(w.as_mut_ptr(), 256) }.iter().all(|&b| b == 0));
        // the byte past the end is not accessible
        let mut probe = [0u8; 1];
        let past = end as *const u8;
        let readable = unsafe {
            let r = libc::process_vm_readv(
                libc::getpid(),
                &libc::iovec { iov_base: probe.as_mut_ptr() as *mut libc::c_void, iov_len: 1 } as *const libc::iovec,
                1,
                &libc::iovec { iov_base: past as *mut libc::c_void, iov_len: 1 } as *const libc::iovec,
                1,
                0,
            );
            r == 1
        };
        assert!(!readable, "the guard after the windows is readable");
    }
}
