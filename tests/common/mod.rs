//! Helpers the in-process driver tests share (`mod common;` in each test file).

#![allow(dead_code)]

use cuda::api::entries::*;
use cuda::api::*;
use std::ffi::c_uint;
use std::ptr::null_mut;

/// Driver state is process-wide (captures, graph memory, the primary context a reset test
/// destroys): the tests of one file run one at a time under this lock.
pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Initializes the driver and makes the primary context current on this thread.
pub fn primary() -> CUcontext {
    unsafe {
        assert_eq!(cuInit(0), CUDA_SUCCESS);
        let mut ctx = null_mut();
        assert_eq!(cuDevicePrimaryCtxRetain(&mut ctx, 0), CUDA_SUCCESS);
        assert_eq!(cuCtxSetCurrent(ctx), CUDA_SUCCESS);
        ctx
    }
}

/// A new stream with `flags` (asserting that creation succeeds).
pub fn stream(flags: c_uint) -> CUstream {
    let mut s = null_mut();
    assert_eq!(unsafe { cuStreamCreate(&mut s, flags) }, CUDA_SUCCESS);
    s
}
