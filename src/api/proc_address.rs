//! `cuGetProcAddress` / `cuGetProcAddress_v2`.
//!
//! The caller asks for (base name, ABI version, flags); the ABI version is the `NNNN` of the
//! `PFN_<name>_v<NNNN>` typedef it was compiled against, not the runtime version
//! (notes/cudart-handshake.md §2). The generated [`PROC_TABLE`](super::exports::PROC_TABLE)
//! holds, per base name, the ABI versions of its symbols in ascending order (from
//! `api-list.tsv`); the answer is the symbol with the greatest ABI ≤ the request, the
//! per-thread (`_ptds`/`_ptsz`) list when flags = 2 and the entry point has per-thread variants.
//! This reproduces every answer of NVIDIA's driver recorded in `proc_address.tsv` (checked by
//! tests/driver_api.rs) and, since we report 13050, keeps answering the newest variant for
//! requests above 13000 where that 13.0 driver said "newer than me".

use super::exports::{lookup, PROC_TABLE};
use super::*;
use std::ffi::{c_char, c_int, c_void, CStr};

pub const CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM: u64 = 2;

/// CUdriverProcAddressQueryResult
pub const CU_GET_PROC_ADDRESS_SUCCESS: c_int = 0;
pub const CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND: c_int = 1;
pub const CU_GET_PROC_ADDRESS_VERSION_NOT_SUFFICIENT: c_int = 2;

/// Resolves (name, ABI version, flags) to an exported symbol, or the query status on a miss.
pub fn resolve(name: &str, version: i32, flags: u64) -> Result<(&'static str, Sym), c_int> {
    let Ok(i) = PROC_TABLE.binary_search_by(|e| e.base.cmp(name)) else {
        // Not a base name. A full exported name (e.g. "cuMemAlloc_v2") is not what cudart
        // asks for, and NVIDIA answers SYMBOL_NOT_FOUND for it as well.
        return Err(CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND);
    };
    let e = &PROC_TABLE[i];
    let list = if flags & CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM != 0 && !e.per_thread.is_empty() {
        e.per_thread
    } else {
        e.default
    };
    let version = version.max(0) as u32;
    match list.iter().rev().find(|(abi, _, _)| *abi <= version) {
        Some((_, sym, addr)) => Ok((sym, *addr)),
        None => Err(CU_GET_PROC_ADDRESS_VERSION_NOT_SUFFICIENT),
    }
}

/// `cuGetProcAddress_v2(symbol, pfn, cudaVersion, flags, symbolStatus)`.
pub unsafe fn get_proc_address_v2(
    symbol: *const c_char,
    pfn: *mut *mut c_void,
    cuda_version: c_int,
    flags: u64,
    symbol_status: *mut c_int,
) -> CuResult {
    if symbol.is_null() || pfn.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let set_status = |s: c_int| {
        if !symbol_status.is_null() {
            *symbol_status = s;
        }
    };
    *pfn = std::ptr::null_mut();
    let name = CStr::from_ptr(symbol).to_string_lossy();
    if flags > CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let answer = if name.is_empty() { Err(CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND) } else { resolve(&name, cuda_version, flags) };
    match answer {
        Ok((sym, addr)) => {
            tracing::trace!("cuGetProcAddress: {name}@{cuda_version} flags {flags} -> {sym}");
            debug_assert!(lookup(sym).is_some());
            *pfn = addr.0 as *mut c_void;
            set_status(CU_GET_PROC_ADDRESS_SUCCESS);
            Ok(())
        }
        Err(status) => {
            tracing::trace!("cuGetProcAddress: {name}@{cuda_version} flags {flags} -> not found (status {status})");
            set_status(status);
            Err(CUDA_ERROR_NOT_FOUND)
        }
    }
}

/// `cuGetProcAddress` (CUDA 11.3 ABI, no status argument).
pub unsafe fn get_proc_address(symbol: *const c_char, pfn: *mut *mut c_void, cuda_version: c_int, flags: u64) -> CuResult {
    get_proc_address_v2(symbol, pfn, cuda_version, flags, std::ptr::null_mut())
}
