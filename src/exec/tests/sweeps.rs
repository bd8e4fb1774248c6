//! The header sweeps (tests/sweeps/README.md): nvcc compiles each sweep source to PTX for
//! sm_75, sm_80, sm_86, sm_89 and sm_90 (libraries.cu: sm_75, sm_80, sm_90), and every kernel
//! must lower (PTX → LLVM IR, verified).
//! A sample of cuda_ptx.cu's kernels (every `CUEMU_SWEEP_COMPILE_EVERY`th, default 32nd; 1 =
//! every kernel of every source) is also compiled to machine code (the other two make kernels
//! of 50 000–100 000 LLVM instructions, seconds each to compile).
//!
//! nvcc comes from `$CUEMU_CUDA_HOME/bin`, then `PATH`, then `~/.cache/cuemu/cuda/bin` (as the
//! program tests find it); without it the test says SKIP and passes. The PTX is cached under
//! `target/tmp/cuemu-sweeps/`, keyed by the source, the target and nvcc.
//!
//! ```sh
//! cargo test --release --lib sweeps -- --nocapture
//! ```

use super::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The sources and their targets. libraries.cu's templates take nvcc ~15 s a target and
/// generate the same PTX for sm_86/sm_89 as for sm_80: three targets.
const SOURCES: &[(&str, &[u32])] =
    &[("cuda_ptx.cu", &[75, 80, 86, 89, 90]), ("intrinsics.cu", &[75, 80, 86, 89, 90]), ("libraries.cu", &[75, 80, 90])];

fn nvcc() -> Option<PathBuf> {
    let mut cands = Vec::new();
    if let Some(h) = std::env::var_os("CUEMU_CUDA_HOME") {
        cands.push(Path::new(&h).join("bin/nvcc"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        cands.extend(std::env::split_paths(&path).map(|d| d.join("nvcc")));
    }
    if let Some(home) = std::env::var_os("HOME") {
        cands.push(Path::new(&home).join(".cache/cuemu/cuda/bin/nvcc"));
    }
    cands.into_iter().find(|p| p.is_file())
}

/// PTX of `src` for `compute_<arch>`, from the cache when the source, target and nvcc match.
fn ptx_of(nvcc: &Path, src: &Path, arch: u32) -> String {
    use std::hash::{Hash, Hasher};
    let text = std::fs::read(src).unwrap();
    let meta = std::fs::metadata(nvcc).ok().map(|m| (m.len(), m.modified().ok()));
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&text, arch, nvcc, format!("{meta:?}")).hash(&mut h);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tmp/cuemu-sweeps");
    std::fs::create_dir_all(&dir).unwrap();
    let stem = src.file_stem().unwrap().to_string_lossy();
    let out = dir.join(format!("{stem}.sm{arch}.{:016x}.ptx", h.finish()));
    if let Ok(t) = std::fs::read_to_string(&out) {
        return t;
    }
    let tmp = out.with_extension(format!("tmp{}", std::process::id()));
    let r = Command::new(nvcc)
        .args([&format!("-arch=compute_{arch}"), "-ptx", "-std=c++17", "-diag-suppress", "20208,20054"])
        .arg(src)
        .arg("-o")
        .arg(&tmp)
        .output()
        .unwrap();
    assert!(r.status.success(), "nvcc {} for compute_{arch}:\n{}", src.display(), String::from_utf8_lossy(&r.stderr));
    std::fs::rename(&tmp, &out).unwrap();
    std::fs::read_to_string(&out).unwrap()
}

#[test]
fn header_sweeps_lower() {
    let Some(nvcc) = nvcc() else {
        eprintln!("SKIP: nvcc not found (set CUEMU_CUDA_HOME or source ~/.cache/cuemu/env.sh)");
        return;
    };
    let every: usize = std::env::var("CUEMU_SWEEP_COMPILE_EVERY").ok().and_then(|v| v.parse().ok()).unwrap_or(32).max(1);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sweeps");
    let t0 = std::time::Instant::now();
    // nvcc runs in parallel (two at a time) while nothing else is running.
    let jobs: Vec<(&str, u32)> = SOURCES.iter().flat_map(|&(s, archs)| archs.iter().map(move |&a| (s, a))).collect();
    let next = AtomicUsize::new(0);
    let texts = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|sc| {
        for _ in 0..2 {
            sc.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(src, arch)) = jobs.get(k) else { break };
                let t = ptx_of(&nvcc, &dir.join(src), arch);
                texts.lock().unwrap().push((format!("{src} sm_{arch}"), t));
            });
        }
    });
    let mut texts = texts.into_inner().unwrap();
    texts.sort();
    let t_nvcc = t0.elapsed().as_secs_f64();
    let mut failures = Vec::new();
    let (mut kernels, mut compiled) = (0usize, 0usize);
    for (label, text) in &texts {
        let m = ModuleImage::load_ptx(text).unwrap_or_else(|e| panic!("{label}: load: {}", e.message));
        let names = m.kernel_names();
        let next = AtomicUsize::new(0);
        let fails = std::sync::Mutex::new(Vec::new());
        let ncompiled = AtomicUsize::new(0);
        std::thread::scope(|sc| {
            for _ in 0..2 {
                sc.spawn(|| loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(name) = names.get(k) else { break };
                    let mut r = compile::lower_only(&m.ptx, &m.syms, name).map(|_| ());
                    if r.is_ok() && k % every == 0 && (every == 1 || label.starts_with("cuda_ptx")) {
                        r = m.compile(name);
                        ncompiled.fetch_add(1, Ordering::Relaxed);
                    }
                    if let Err(e) = r {
                        fails.lock().unwrap().push(format!("{label} {name}: {}", e.lines().next().unwrap_or("")));
                    }
                });
            }
        });
        kernels += names.len();
        compiled += ncompiled.into_inner();
        failures.extend(fails.into_inner().unwrap());
    }
    eprintln!(
        "sweeps: {} sources, {} PTX files, {kernels} kernels lowered, {compiled} compiled, {} failed ({t_nvcc:.1} s nvcc, {:.1} s in all)",
        SOURCES.len(),
        jobs.len(),
        failures.len(),
        t0.elapsed().as_secs_f64()
    );
    failures.sort();
    assert!(failures.is_empty(), "{} kernels failed:\n{}", failures.len(), failures.join("\n"));
}
