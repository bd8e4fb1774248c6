//! Kernel machine code as object files: generated once, kept on disk, linked into the process
//! by LLVM's ORC JIT (`LLJIT`, through llvm-sys's C API; inkwell wraps only MCJIT).
//!
//! Why: code generation is most of a kernel's first-launch cost — GGML's flash_attn_tile
//! spends 80 of its 90 s there, the optimiser 10 — and CUDA programs (test suites above all)
//! launch the same kernels run after run. A kernel's object file is stored under a key that
//! covers everything code generation depends on: the lowered LLVM IR (bitcode, which already
//! encodes the PTX, the shared layout and the run-time ABI), the LLVM pipeline and code
//! generator overrides (`CUEMU_OPT`, `CUEMU_CODEGEN`), the host CPU and its features, the
//! LLVM version, and the source of the passes that run after lowering (`mod.rs`,
//! `pipeline.rs`). A hit skips optimisation and code generation; a miss generates the object
//! and stores it. Either way the object is linked the same way, so the cached path is the
//! tested path.
//!
//! The cache lives in `$CUEMU_KERNEL_CACHE` (default `$XDG_CACHE_HOME/cuemu/kernels` or
//! `~/.cache/cuemu/kernels`); `CUEMU_KERNEL_CACHE=off` disables it. Files are written to a
//! temporary name and renamed, so concurrent processes never read half a file; a file that
//! fails to link is treated as a miss and replaced.

use llvm_sys::error::*;
use llvm_sys::orc2::lljit::*;
use llvm_sys::orc2::*;
use std::ffi::{CStr, CString};
use std::path::PathBuf;

/// One kernel's linked code; the code lives as long as this does.
pub struct LinkedCode {
    jit: LLVMOrcLLJITRef,
}

// The JIT is only used to keep the code alive and to look symbols up; the code is reentrant.
unsafe impl Send for LinkedCode {}
unsafe impl Sync for LinkedCode {}

impl Drop for LinkedCode {
    fn drop(&mut self) {
        unsafe {
            let e = LLVMOrcDisposeLLJIT(self.jit);
            if !e.is_null() {
                LLVMConsumeError(e);
            }
        }
    }
}

fn take_error(e: LLVMErrorRef) -> String {
    unsafe {
        let m = LLVMGetErrorMessage(e);
        let s = CStr::from_ptr(m).to_string_lossy().into_owned();
        LLVMDisposeErrorMessage(m);
        s
    }
}

fn check(e: LLVMErrorRef, what: &str) -> Result<(), String> {
    if e.is_null() {
        Ok(())
    } else {
        Err(format!("{what}: {}", take_error(e)))
    }
}

impl LinkedCode {
    /// Links `object` (an ELF relocatable file for the host) into a fresh JIT whose external
    /// symbols are `helpers` (the run-time functions compiled code calls) and then the
    /// process's own (libm, libc).
    pub fn link(object: &[u8], name: &str, helpers: &[(&str, usize)]) -> Result<LinkedCode, String> {
        unsafe {
            let mut jit: LLVMOrcLLJITRef = std::ptr::null_mut();
            check(LLVMOrcCreateLLJIT(&mut jit, LLVMOrcCreateLLJITBuilder()), "cannot create the JIT")?;
            let code = LinkedCode { jit };
            let jd = LLVMOrcLLJITGetMainJITDylib(jit);
            let mut pairs: Vec<LLVMOrcCSymbolMapPair> = helpers
                .iter()
                .map(|&(n, addr)| {
                    let n = CString::new(n).unwrap();
                    LLVMOrcCSymbolMapPair {
                        Name: LLVMOrcLLJITMangleAndIntern(jit, n.as_ptr()),
                        Sym: LLVMJITEvaluatedSymbol {
                            Address: addr as u64,
                            Flags: LLVMJITSymbolFlags {
                                GenericFlags: LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsExported as u8
                                    | LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsCallable as u8,
                                TargetFlags: 0,
                            },
                        },
                    }
                })
                .collect();
            let mu = LLVMOrcAbsoluteSymbols(pairs.as_mut_ptr(), pairs.len());
            let e = LLVMOrcJITDylibDefine(jd, mu);
            if !e.is_null() {
                LLVMOrcDisposeMaterializationUnit(mu);
                return Err(format!("cannot define the run-time helpers: {}", take_error(e)));
            }
            let mut gen: LLVMOrcDefinitionGeneratorRef = std::ptr::null_mut();
            check(
                LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&mut gen, LLVMOrcLLJITGetGlobalPrefix(jit), None, std::ptr::null_mut()),
                "cannot search the process's symbols",
            )?;
            LLVMOrcJITDylibAddGenerator(jd, gen);
            let cname = CString::new(name).unwrap();
            let buf = llvm_sys::core::LLVMCreateMemoryBufferWithMemoryRangeCopy(object.as_ptr() as *const _, object.len(), cname.as_ptr());
            check(LLVMOrcLLJITAddObjectFile(jit, jd, buf), "cannot add the object file")?;
            Ok(code)
        }
    }

    /// The address of function `name` (linking the object on the first lookup).
    pub fn lookup(&self, name: &str) -> Result<usize, String> {
        let cname = CString::new(name).map_err(|e| e.to_string())?;
        let mut addr = 0;
        check(unsafe { LLVMOrcLLJITLookup(self.jit, &mut addr, cname.as_ptr()) }, &format!("cannot link {name}"))?;
        Ok(addr as usize)
    }
}

/// The cache directory, or None when disabled.
pub fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("CUEMU_KERNEL_CACHE") {
        Some(v) if v == "off" || v == "0" || v.is_empty() => None,
        Some(v) => Some(PathBuf::from(v)),
        None => {
            let base = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
            Some(base.join("cuemu").join("kernels"))
        }
    }
}

/// Two FNV-1a hashes with different offsets: 128 bits, enough for a cache key.
fn hash128(parts: &[&[u8]]) -> u128 {
    let mut a: u64 = 0xcbf29ce484222325;
    let mut b: u64 = 0x84222325cbf29ce4;
    for p in parts {
        for &x in p.iter().chain((p.len() as u64).to_le_bytes().iter()) {
            a = (a ^ x as u64).wrapping_mul(0x100000001b3);
            b = (b ^ x as u64).wrapping_mul(0x100000001b3).rotate_left(5);
        }
    }
    (a as u128) << 64 | b as u128
}

/// The cache key of a kernel whose lowered IR is `bitcode`, compiled for `cpu`/`features`.
pub fn key(name: &str, bitcode: &[u8], cpu: &str, features: &str) -> String {
    // The code that turns lowered IR into machine code, besides LLVM itself.
    const PASSES: &[&[u8]] = &[include_bytes!("mod.rs"), include_bytes!("pipeline.rs"), include_bytes!("objcode.rs")];
    let env = |v: &str| std::env::var(v).unwrap_or_default();
    let overrides = format!("opt={} codegen={}", env("CUEMU_OPT"), env("CUEMU_CODEGEN"));
    let llvm = format!("{:?}", inkwell::support::get_llvm_version());
    let mut parts: Vec<&[u8]> = vec![bitcode, cpu.as_bytes(), features.as_bytes(), overrides.as_bytes(), llvm.as_bytes()];
    parts.extend_from_slice(PASSES);
    // A readable prefix (the kernel's name, cut) helps whoever looks into the directory.
    let short: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(40).collect();
    format!("{short}-{:032x}", hash128(&parts))
}

/// The cached object for `key`, if any.
pub fn load(key: &str) -> Option<Vec<u8>> {
    std::fs::read(cache_dir()?.join(format!("{key}.o"))).ok()
}

/// Stores `object` under `key` (best effort: a cache that cannot be written is no cache).
pub fn store(key: &str, object: &[u8]) {
    let Some(dir) = cache_dir() else { return };
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    // Unique per process and call: two threads may store the same kernel (same IR in two modules).
    static STORES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = STORES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!("{key}.o.{}.{n}.tmp", std::process::id()));
    if std::fs::write(&tmp, object).is_ok() && std::fs::rename(&tmp, dir.join(format!("{key}.o"))).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_change_with_every_input_and_name_the_kernel() {
        let k = key("_Z3fooPf", b"bitcode", "znver4", "+avx512f");
        assert!(k.starts_with("_Z3fooPf-"), "{k}");
        assert_eq!(k, key("_Z3fooPf", b"bitcode", "znver4", "+avx512f"));
        for other in [
            key("_Z3fooPf", b"bitcodf", "znver4", "+avx512f"),
            key("_Z3fooPf", b"bitcode", "znver3", "+avx512f"),
            key("_Z3fooPf", b"bitcode", "znver4", "-avx512f"),
        ] {
            assert_ne!(k[9..], other[9..]);
        }
    }
}
