//! Where the shared-memory windows of running CTAs live: a mapping whose accessible part ends
//! exactly where the windows end, followed by more than 4 GiB of inaccessible address space.
//!
//! An H100 faults (`CUDA_ERROR_ILLEGAL_ADDRESS`) on a shared access past the CTA's
//! allocation, which is the reserved 0x400 bytes plus the static and dynamic bytes rounded up
//! to 128 (measured with one-word loads and stores around the end: `tests/programs/
//! shared_bounds.cu`). A window here is exactly that long (`launch::Grid::shared_window`), so
//! with the last window flush against the guard, an access past it is a SIGSEGV on the
//! kernel's coroutine, which `fault.rs` turns into that same error — instead of a write into
//! whatever the host heap holds next. A shared address is a 32-bit offset from the window's
//! start, so the guard covers everything a `ld/st.shared` can reach.
//!
//! The CTAs of a cluster (and of a cooperative launch) run together, each with its own
//! window, and reach each other's through distributed shared memory: their windows lie one
//! *slot* apart, each flush against a guard of its own, so one CTA overrunning its window
//! faults as on an H100 instead of writing into the next CTA's (`tests/programs/
//! cluster_bounds.cu`: past its own window an H100 reports an illegal address, past another
//! CTA's a launch failure; `launch::trapped_fault` tells them apart). The slots' stride is what
//! `WarpCtx::shared_stride` carries: a shared::cluster address is a rank and an offset
//! (`compile::instr::cluster`), never a host distance, so the stride may exceed 32 bits. The
//! guard between two windows is 4 GiB + 64 KiB as after the last, unless the launch has so
//! many windows (256 or more: cooperative grids) that their guards would pass 1 TiB; then it
//! is 1 TiB / windows (256 MiB for 4096 CTAs): an overrun farther than that lands in the next
//! CTA's window. Guards are address space only (`PROT_NONE`,
//! `MAP_NORESERVE`), not memory.
//!
//! Mappings are pooled per thread: a launch takes one whose slots and guards are large enough
//! (or maps a new one) and gives it back, so steady-state launches make no system calls. The
//! windows are zeroed for every launch, as the heap vectors they replace were: runs stay
//! deterministic whatever ran before.

use std::cell::RefCell;

const PAGE: usize = 4096;
/// Inaccessible bytes after the last window: a shared address (32 bits) plus the widest access.
const GUARD_AFTER: usize = (1 << 32) + 64 * 1024;
/// The address space the guards between the windows of one launch may take together.
const GUARDS_BETWEEN_TOTAL: usize = 1 << 40;
/// The smallest accessible part a single-window mapping gets (most kernels' windows fit in it).
const MIN_ACCESSIBLE: usize = 256 * 1024;

/// The guard between two of `count` windows.
fn guard_between(count: usize) -> usize {
    (GUARDS_BETWEEN_TOTAL / count.max(1)).min(GUARD_AFTER).div_ceil(PAGE) * PAGE
}

/// One mapping: an inaccessible page, then `count` slots of `slot` accessible bytes each
/// followed by a guard of `gap` bytes, the last by [`GUARD_AFTER`].
struct Mapping {
    base: *mut u8,
    slot: usize,
    gap: usize,
    count: usize,
}

impl Mapping {
    fn new(window: usize, count: usize) -> Mapping {
        let count = count.max(1);
        let slot = if count == 1 { window.max(MIN_ACCESSIBLE) } else { window }.max(1).div_ceil(PAGE) * PAGE;
        let gap = guard_between(count);
        let len = Self::len(slot, gap, count);
        // SAFETY: a fresh anonymous mapping; nothing else refers to it.
        unsafe {
            let base = libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            ) as *mut u8;
            assert!(base as *mut libc::c_void != libc::MAP_FAILED, "cannot reserve {len} bytes for shared memory windows");
            let m = Mapping { base, slot, gap, count };
            for k in 0..count {
                let rw = m.slot_end(k).sub(slot);
                let r = libc::mprotect(rw as *mut libc::c_void, slot, libc::PROT_READ | libc::PROT_WRITE);
                assert!(r == 0, "mprotect of shared memory windows");
            }
            m
        }
    }

    fn len(slot: usize, gap: usize, count: usize) -> usize {
        PAGE + count * slot + (count - 1) * gap + GUARD_AFTER
    }

    /// Bytes from one slot to the next.
    fn stride(&self) -> usize {
        self.slot + self.gap
    }

    /// The first byte past slot `k`'s accessible part (where its guard begins).
    fn slot_end(&self, k: usize) -> *mut u8 {
        unsafe { self.base.add(PAGE + k * self.stride() + self.slot) }
    }

    /// Whether `count` windows of `window` bytes fit, with guards at least as large as a new
    /// mapping for them would have.
    fn fits(&self, window: usize, count: usize) -> bool {
        self.count >= count && self.slot >= window && self.gap >= guard_between(count)
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        unsafe { libc::munmap(self.base as *mut libc::c_void, Self::len(self.slot, self.gap, self.count)) };
    }
}

thread_local! {
    static POOL: RefCell<Vec<Mapping>> = const { RefCell::new(Vec::new()) };
}

/// The shared windows of one task (a CTA, a cluster's CTAs, a cooperative grid): `count`
/// zeroed windows of `window` bytes, [`stride`](Self::stride) bytes apart, each ending where
/// a guard begins. Returns its mapping to the thread's pool when dropped.
pub struct SharedWindows {
    mapping: Option<Mapping>,
    window: usize,
    count: usize,
}

impl SharedWindows {
    /// `count` windows of `window` bytes, a multiple of 128 (so every window is 128-byte
    /// aligned).
    pub fn new(window: usize, count: usize) -> SharedWindows {
        let count = count.max(1);
        let mapping = POOL
            .with(|p| {
                let mut p = p.borrow_mut();
                let i = p.iter().position(|m| m.fits(window, count))?;
                Some(p.swap_remove(i))
            })
            .unwrap_or_else(|| Mapping::new(window, count));
        let w = SharedWindows { mapping: Some(mapping), window, count };
        for k in 0..count {
            // SAFETY: window k lies in slot k's accessible part, ours until we give it back.
            unsafe { std::ptr::write_bytes(w.window_ptr(k), 0, window) };
        }
        w
    }

    /// The start of window `k` (< the count asked for).
    pub fn window_ptr(&self, k: usize) -> *mut u8 {
        debug_assert!(k < self.count);
        let m = self.mapping.as_ref().unwrap();
        unsafe { m.slot_end(k).sub(self.window) }
    }

    /// Bytes from one window to the next.
    pub fn stride(&self) -> usize {
        self.mapping.as_ref().unwrap().stride()
    }

    /// When `addr` lies in the guard after one of the windows (a fault there is a shared
    /// access past that window's end): which window, and how far past its end.
    pub fn past_end(&self, addr: u64) -> Option<(usize, u64)> {
        let m = self.mapping.as_ref()?;
        let first = m.slot_end(0) as u64 - self.window as u64;
        let rel = addr.checked_sub(first)?;
        let k = ((rel / m.stride() as u64) as usize).min(self.count - 1);
        let past = rel - (k * m.stride() + self.window) as u64;
        let guard = if k + 1 == self.count { GUARD_AFTER } else { m.gap } as u64;
        (rel >= (k * m.stride() + self.window) as u64 && past < guard).then_some((k, past))
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

    fn readable(addr: usize) -> bool {
        let mut probe = [0u8; 1];
        unsafe {
            libc::process_vm_readv(
                libc::getpid(),
                &libc::iovec { iov_base: probe.as_mut_ptr() as *mut libc::c_void, iov_len: 1 } as *const libc::iovec,
                1,
                &libc::iovec { iov_base: addr as *mut libc::c_void, iov_len: 1 } as *const libc::iovec,
                1,
                0,
            ) == 1
        }
    }

    #[test]
    fn windows_end_at_the_guard_and_are_zeroed_and_reused() {
        let w = SharedWindows::new(1408, 1);
        let p = w.window_ptr(0);
        assert_eq!(p as usize % 128, 0);
        unsafe {
            assert!(std::slice::from_raw_parts(p, 1408).iter().all(|&b| b == 0));
            std::ptr::write_bytes(p, 0xab, 1408);
        }
        let end = p as usize + 1408;
        drop(w);
        // the pooled mapping comes back, zeroed again, flush against the same guard
        let w = SharedWindows::new(256, 1);
        assert_eq!(w.window_ptr(0) as usize + 256, end);
        assert!(unsafe { std::slice::from_raw_parts(w.window_ptr(0), 256) }.iter().all(|&b| b == 0));
        assert!(readable(end - 1));
        assert!(!readable(end), "the guard after the windows is readable");
        assert_eq!(w.past_end(end as u64 + 12), Some((0, 12)));
        assert_eq!(w.past_end(end as u64 - 4), None);
    }

    #[test]
    fn each_window_of_a_cluster_ends_at_its_own_guard() {
        let w = SharedWindows::new(1152, 4);
        let stride = w.stride();
        assert!(stride >= GUARD_AFTER, "stride {stride:#x}");
        for k in 0..4 {
            let p = w.window_ptr(k) as usize;
            assert_eq!(p % 128, 0);
            assert_eq!(p, w.window_ptr(0) as usize + k * stride, "windows lie one stride apart");
            assert!(readable(p) && readable(p + 1151));
            assert!(!readable(p + 1152), "window {k}'s guard is readable");
            assert_eq!(w.past_end((p + 1152 + 8) as u64), Some((k, 8)));
            assert_eq!(w.past_end((p + 100) as u64), None);
        }
        unsafe { std::ptr::write_bytes(w.window_ptr(2), 0x5a, 1152) };
        drop(w);
        // reused for a cluster of two smaller windows: zeroed, still flush against guards
        let w = SharedWindows::new(256, 2);
        for k in 0..2 {
            let p = w.window_ptr(k) as usize;
            assert!(unsafe { std::slice::from_raw_parts(p as *const u8, 256) }.iter().all(|&b| b == 0));
            assert!(!readable(p + 256));
        }
    }

    #[test]
    fn guards_between_many_windows_share_a_terabyte() {
        assert_eq!(guard_between(1), GUARD_AFTER.div_ceil(PAGE) * PAGE);
        assert_eq!(guard_between(255), GUARD_AFTER.div_ceil(PAGE) * PAGE);
        assert_eq!(guard_between(256), 1 << 32);
        assert_eq!(guard_between(4096), 256 << 20);
        let w = SharedWindows::new(128, 300);
        let last = w.window_ptr(299) as usize;
        assert!(readable(last + 127) && !readable(last + 128));
        assert_eq!(w.past_end((last + 128) as u64 + (1 << 32)), Some((299, 1 << 32)));
    }
}
