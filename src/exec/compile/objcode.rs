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
//!
//! The cache is bounded, least recently used first out: `$CUEMU_KERNEL_CACHE_MAX` (bytes, with
//! an optional K/M/G suffix; default 2G, `0` for no bound). A hit refreshes the file's
//! modification time (at most once a minute, so hot kernels are not rewritten per launch), and
//! every store — a miss, which has just spent milliseconds to minutes in code generation —
//! scans the directory and, when it holds more than the bound, removes the objects used
//! longest ago until it holds 90% of it (never the one just stored), together with temporary
//! files that crashed processes left more than an hour ago. Another process may lose a file
//! it was about to read to an eviction; that is a miss, not an error.

use llvm_sys::error::*;
use llvm_sys::orc2::lljit::*;
use llvm_sys::orc2::*;
use std::ffi::{CStr, CString};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

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

/// The cached object for `key`, if any; a hit marks the file as recently used.
pub fn load(key: &str) -> Option<Vec<u8>> {
    let path = cache_dir()?.join(format!("{key}.o"));
    let object = std::fs::read(&path).ok()?;
    touch(&path);
    Some(object)
}

/// Refreshes `path`'s modification time, the cache's "last used", unless it is under a minute
/// old (best effort: a read-only cache still serves hits).
fn touch(path: &Path) {
    let now = SystemTime::now();
    let fresh = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| now.duration_since(t).unwrap_or_default() < Duration::from_secs(60));
    if !fresh {
        if let Ok(f) = std::fs::File::options().append(true).open(path) {
            let _ = f.set_modified(now);
        }
    }
}

/// The cache's bound in bytes from `$CUEMU_KERNEL_CACHE_MAX`, None for no bound.
pub fn max_bytes() -> Option<u64> {
    const DEFAULT: u64 = 2 << 30;
    match std::env::var("CUEMU_KERNEL_CACHE_MAX") {
        Ok(v) => match parse_size(&v) {
            Some(0) => None,
            Some(n) => Some(n),
            None => Some(DEFAULT),
        },
        Err(_) => Some(DEFAULT),
    }
}

/// `123`, `64K`, `512M`, `2G` (powers of 1024; a trailing `B` or `iB` allowed) in bytes.
fn parse_size(v: &str) -> Option<u64> {
    let v = v.trim();
    let v = v.strip_suffix("iB").or_else(|| v.strip_suffix('B')).unwrap_or(v);
    let (digits, shift) = match v.chars().last()?.to_ascii_uppercase() {
        'K' => (&v[..v.len() - 1], 10),
        'M' => (&v[..v.len() - 1], 20),
        'G' => (&v[..v.len() - 1], 30),
        'T' => (&v[..v.len() - 1], 40),
        _ => (v, 0),
    };
    digits.trim().parse::<u64>().ok()?.checked_mul(1 << shift)
}

/// What one eviction pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Evicted {
    /// Objects removed to get under the bound.
    pub objects: usize,
    /// Their bytes.
    pub bytes: u64,
    /// Temporary files of stores that never finished, removed.
    pub stale_temps: usize,
}

/// Brings `dir` within `max` bytes of objects: when it holds more, removes the least recently
/// used (oldest modification time) until it holds 90% of `max`, never `keep`. Temporary files
/// older than an hour (a store that crashed between write and rename) go too.
pub fn evict(dir: &Path, max: u64, keep: Option<&Path>) -> Evicted {
    let mut done = Evicted::default();
    let Ok(entries) = std::fs::read_dir(dir) else { return done };
    let now = SystemTime::now();
    let mut objects: Vec<(SystemTime, u64, PathBuf)> = Vec::new();
    for e in entries.flatten() {
        let path = e.path();
        let Ok(meta) = e.metadata() else { continue };
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        match path.extension().and_then(|x| x.to_str()) {
            Some("o") => objects.push((modified, meta.len(), path)),
            Some("tmp") if now.duration_since(modified).unwrap_or_default() > Duration::from_secs(3600) => {
                if std::fs::remove_file(&path).is_ok() {
                    done.stale_temps += 1;
                }
            }
            _ => {}
        }
    }
    let mut total: u64 = objects.iter().map(|o| o.1).sum();
    if total <= max {
        return done;
    }
    let target = max / 10 * 9;
    objects.sort();
    for (_, len, path) in objects {
        if total <= target {
            break;
        }
        if Some(path.as_path()) == keep {
            continue;
        }
        // Gone already (another process evicting) counts as gone.
        if std::fs::remove_file(&path).is_ok() || !path.exists() {
            total -= len;
            done.objects += 1;
            done.bytes += len;
        }
    }
    done
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
    let path = dir.join(format!("{key}.o"));
    if std::fs::write(&tmp, object).is_ok() && std::fs::rename(&tmp, &path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    if let Some(max) = max_bytes() {
        evict(&dir, max, Some(&path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_suffixes() {
        assert_eq!(parse_size("123"), Some(123));
        assert_eq!(parse_size("64K"), Some(64 << 10));
        assert_eq!(parse_size("512m"), Some(512 << 20));
        assert_eq!(parse_size("2G"), Some(2 << 30));
        assert_eq!(parse_size("2GiB"), Some(2 << 30));
        assert_eq!(parse_size("3 MB"), Some(3 << 20));
        assert_eq!(parse_size("0"), Some(0));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size(""), None);
        assert_eq!(parse_size("99999999999T"), None);
    }

    #[test]
    fn eviction_removes_least_recently_used_objects_down_to_nine_tenths() {
        let dir = std::env::temp_dir().join(format!("cuemu-evict-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let t0 = SystemTime::now() - Duration::from_secs(10_000);
        // Ten objects of 100 bytes, k0 used longest ago, k9 most recently; k1 is the one just
        // stored (kept even though it is among the oldest).
        for i in 0..10u64 {
            let p = dir.join(format!("k{i}.o"));
            std::fs::write(&p, [0u8; 100]).unwrap();
            std::fs::File::options().append(true).open(&p).unwrap().set_modified(t0 + Duration::from_secs(i * 60)).unwrap();
        }
        let stale = dir.join("k10.o.1.0.tmp");
        std::fs::write(&stale, [0u8; 7]).unwrap();
        std::fs::File::options().append(true).open(&stale).unwrap().set_modified(t0).unwrap();
        let live = dir.join("k11.o.2.0.tmp");
        std::fs::write(&live, [0u8; 7]).unwrap();
        let other = dir.join("notes.txt");
        std::fs::write(&other, [0u8; 5000]).unwrap();

        // Within the bound: nothing but the stale temporary goes.
        assert_eq!(evict(&dir, 1000, None), Evicted { objects: 0, bytes: 0, stale_temps: 1 });
        assert!(!stale.exists() && live.exists() && other.exists());

        // 1000 bytes over a bound of 700: down to 630, so four go — k0, k2, k3, k4 (k1 kept).
        let keep = dir.join("k1.o");
        assert_eq!(evict(&dir, 700, Some(&keep)), Evicted { objects: 4, bytes: 400, stale_temps: 0 });
        let left: Vec<bool> = (0..10).map(|i| dir.join(format!("k{i}.o")).exists()).collect();
        assert_eq!(left, [false, true, false, false, false, true, true, true, true, true]);
        assert!(live.exists() && other.exists());

        // A hit makes k5 the most recently used: the next eviction takes k1, k6 before it.
        touch(&dir.join("k5.o"));
        assert_eq!(evict(&dir, 450, None), Evicted { objects: 2, bytes: 200, stale_temps: 0 });
        let left: Vec<bool> = (0..10).map(|i| dir.join(format!("k{i}.o")).exists()).collect();
        assert_eq!(left, [false, false, false, false, false, true, false, true, true, true]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

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
