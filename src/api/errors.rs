//! Every `CUresult` of cuda.h (generated from `errors.tsv`), `cuGetErrorName`/`cuGetErrorString`.

use super::{CUresult, CuResult};
use std::ffi::c_char;

include!(concat!(env!("OUT_DIR"), "/errors.rs"));

/// NUL-terminated (name, description) of a code.
fn entry(code: u32) -> Option<&'static (u32, &'static str, &'static str)> {
    ERRORS.iter().find(|e| e.0 == code)
}

pub fn error_name(code: u32) -> Option<&'static str> {
    entry(code).map(|e| e.1.trim_end_matches('\0'))
}

pub fn error_string(code: u32) -> Option<&'static str> {
    entry(code).map(|e| e.2.trim_end_matches('\0'))
}

/// `cuGetErrorName`: unknown code → INVALID_VALUE and `*pStr = NULL` (as NVIDIA does).
pub unsafe fn get_error_name(error: CUresult, p_str: *mut *const c_char) -> CuResult {
    if p_str.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    match entry(error.0) {
        Some(e) => {
            *p_str = e.1.as_ptr().cast();
            Ok(())
        }
        None => {
            *p_str = std::ptr::null();
            Err(CUDA_ERROR_INVALID_VALUE)
        }
    }
}

pub unsafe fn get_error_string(error: CUresult, p_str: *mut *const c_char) -> CuResult {
    if p_str.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    match entry(error.0) {
        Some(e) => {
            *p_str = e.2.as_ptr().cast();
            Ok(())
        }
        None => {
            *p_str = std::ptr::null();
            Err(CUDA_ERROR_INVALID_VALUE)
        }
    }
}
