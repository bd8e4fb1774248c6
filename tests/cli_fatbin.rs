//! `cuemu fatbin list` / `cuemu fatbin extract` against NVIDIA's `cuobjdump` on binaries nvcc
//! builds in the layouts that shape fatbins differently: listings must be the same text, and the
//! extracted files the same names and bytes (with the same progress lines on stdout). Skipped,
//! with the reason printed, when nvcc or cuobjdump is not installed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Toolkit {
    nvcc: PathBuf,
    cuobjdump: PathBuf,
}

fn toolkit(test: &str) -> Option<Toolkit> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(home) = std::env::var_os("CUEMU_CUDA_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cache/cuemu/cuda/bin"));
    }
    for dir in dirs {
        let (nvcc, cuobjdump) = (dir.join("nvcc"), dir.join("cuobjdump"));
        if nvcc.is_file() && cuobjdump.is_file() {
            return Some(Toolkit { nvcc, cuobjdump });
        }
    }
    eprintln!("SKIPPED {test}: nvcc and cuobjdump not found (run scripts/setup.sh and source ~/.cache/cuemu/env.sh)");
    None
}

/// A test's scratch directory, removed when the test passes (kept for inspection when it fails).
struct WorkDir(PathBuf);

impl std::ops::Deref for WorkDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn work_dir(name: &str) -> WorkDir {
    // One directory per process: several test runs share the target directory (and its tmp)
    // at once, and one run's `remove_dir_all` must not pull the directory from under another's
    // nvcc.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-fatbin").join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    WorkDir(dir)
}

fn source(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fatbin/tests/data").join(name).to_str().unwrap().to_string()
}

fn ok(what: &str, out: Output) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

impl Toolkit {
    fn nvcc(&self, dir: &Path, args: &[&str]) {
        ok(&format!("nvcc {args:?}"), Command::new(&self.nvcc).args(args).current_dir(dir).output().unwrap());
    }
    fn cuobjdump(&self, args: &[&str], file: &Path, cwd: &Path) -> String {
        ok(&format!("cuobjdump {args:?}"), Command::new(&self.cuobjdump).args(args).arg(file).current_dir(cwd).output().unwrap())
    }
}

fn cuemu(args: &[&str], file: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_cuemu")).arg("fatbin").args(args).arg(file).output().unwrap();
    ok(&format!("cuemu fatbin {args:?} {}", file.display()), out)
}

fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().into_string().unwrap(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn fresh(dir: &Path) -> &Path {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    dir
}

fn with(a: &[&str], b: &[&str]) -> Vec<String> {
    a.iter().chain(b).map(|s| s.to_string()).collect()
}

fn v(x: &[String]) -> Vec<&str> {
    x.iter().map(|s| s.as_str()).collect()
}

/// Compares every listing and extraction of `file` with cuobjdump's; returns (PTX, ELF) files.
fn compare(tk: &Toolkit, file: &Path, all: bool) -> (usize, usize) {
    let scratch = file.with_extension("cmp");
    fresh(&scratch);
    let extra: &[&str] = if all { &["-all"] } else { &[] };
    let ours_extra: &[&str] = if all { &["--all"] } else { &[] };

    for (theirs, ours) in [(&["-lptx", "-lelf"][..], &[][..]), (&["-lptx"], &["--ptx"]), (&["-lelf"], &["--elf"])] {
        let t = with(extra, theirs);
        let o = with(&["list"], &v(&with(ours_extra, ours)));
        assert_eq!(cuemu(&v(&o), file), tk.cuobjdump(&v(&t), file, &scratch), "{}: list {ours:?} vs cuobjdump {theirs:?}", file.display());
    }

    let mut counts = (0, 0);
    let mut both_expected = BTreeMap::new();
    for (flag, ours) in [("-xptx", "--ptx"), ("-xelf", "--elf")] {
        let theirs_dir = fresh(&scratch.join(format!("theirs{flag}"))).to_path_buf();
        let theirs_out = tk.cuobjdump(&v(&with(extra, &[flag, "all"])), file, &theirs_dir);
        let ours_dir = scratch.join(format!("ours{flag}"));
        let o = with(&["extract", ours, "-o", ours_dir.to_str().unwrap()], ours_extra);
        let ours_out = cuemu(&v(&o), file);
        assert_eq!(ours_out, theirs_out, "{}: extract {ours} progress lines", file.display());
        let (t, o) = (files_in(&theirs_dir), files_in(&ours_dir));
        assert_eq!(o.keys().collect::<Vec<_>>(), t.keys().collect::<Vec<_>>(), "{}: extract {ours} file names", file.display());
        for (name, bytes) in &t {
            assert!(o[name] == *bytes, "{}: {name} differs from cuobjdump {flag}", file.display());
        }
        if flag == "-xptx" {
            counts.0 = t.len();
        } else {
            counts.1 = t.len();
        }
        both_expected.extend(t);
    }
    // Without --ptx/--elf: both kinds.
    let ours_dir = scratch.join("ours-both");
    cuemu(&v(&with(&["extract", "-o", ours_dir.to_str().unwrap()], ours_extra)), file);
    assert!(files_in(&ours_dir) == both_expected, "{}: extract (both kinds)", file.display());
    counts
}

macro_rules! need_toolkit {
    ($name:expr) => {
        match toolkit($name) {
            Some(tk) => tk,
            None => return,
        }
    };
}

#[test]
fn default_and_multi_arch_builds() {
    let tk = need_toolkit!("default_and_multi_arch_builds");
    let dir = work_dir("builds");
    tk.nvcc(&dir, &["-o", "vadd", &source("vadd.cu")]);
    assert_eq!(compare(&tk, &dir.join("vadd"), false), (1, 2));
    tk.nvcc(
        &dir,
        &[
            "-o",
            "two",
            "-gencode",
            "arch=compute_75,code=[sm_75,compute_75]",
            "-gencode",
            "arch=compute_80,code=sm_86",
            "-gencode",
            "arch=compute_90a,code=[sm_90a,compute_90a]",
            "-gencode",
            "arch=compute_120,code=compute_120",
            &source("two_kernels.cu"),
        ],
    );
    // The device-link fatbin adds one (empty) cubin per real arch.
    assert_eq!(compare(&tk, &dir.join("two"), false), (3, 6));
}

#[test]
fn compression_modes_and_options() {
    let tk = need_toolkit!("compression_modes_and_options");
    let dir = work_dir("compression");
    tk.nvcc(&dir, &["-o", "lz4", "--compress-mode=speed", &source("vadd.cu")]);
    compare(&tk, &dir.join("lz4"), false);
    tk.nvcc(&dir, &["-o", "plain", "--compress-mode=none", "-arch=compute_80", &source("vadd.cu")]);
    compare(&tk, &dir.join("plain"), false);
    tk.nvcc(&dir, &["-o", "opts", "-arch=compute_80", "-Xptxas", "-O2", "-Xptxas", "--maxrregcount=32", &source("vadd.cu")]);
    assert_eq!(compare(&tk, &dir.join("opts"), false), (1, 0));
}

#[test]
fn debug_rdc_shared_library_and_raw_fatbin() {
    let tk = need_toolkit!("debug_rdc_shared_library_and_raw_fatbin");
    let dir = work_dir("layouts");
    // -G: entries named after the source file, names repeat (the last one wins).
    tk.nvcc(&dir, &["-G", "-o", "dbg", &source("vadd.cu")]);
    compare(&tk, &dir.join("dbg"), false);
    // -rdc: objects carry __nv_relfatbin; the executable has both sections (-all).
    tk.nvcc(&dir, &["-rdc=true", "-c", "-o", "rdc.o", &source("vadd.cu")]);
    tk.nvcc(&dir, &["-rdc=true", "-o", "rdc", "rdc.o"]);
    assert_eq!(compare(&tk, &dir.join("rdc.o"), false), (1, 1));
    assert_eq!(compare(&tk, &dir.join("rdc"), false), (0, 1));
    assert_eq!(compare(&tk, &dir.join("rdc"), true), (1, 2));
    tk.nvcc(&dir, &["-shared", "-Xcompiler", "-fPIC", "-o", "libvadd.so.1", &source("two_kernels.cu")]);
    compare(&tk, &dir.join("libvadd.so.1"), false);
    tk.nvcc(&dir, &["-fatbin", "-gencode", "arch=compute_80,code=[sm_80,compute_80]", "-o", "k.fatbin", &source("two_kernels.cu")]);
    assert_eq!(compare(&tk, &dir.join("k.fatbin"), false), (1, 1));
    // Cubins on their own: arch from e_flags, `a` kept and `f` dropped in the name, as cuobjdump.
    for arch in ["sm_75", "sm_90a", "sm_100f", "sm_120"] {
        let name = format!("k.{arch}.cubin");
        tk.nvcc(&dir, &["-cubin", &format!("-arch={arch}"), "-o", &name, &source("vadd.cu")]);
        assert_eq!(compare(&tk, &dir.join(&name), false), (0, 1), "{name}");
    }
}

#[test]
fn errors_are_reported_not_panics() {
    let dir = work_dir("errors");
    let junk = dir.join("junk.bin");
    std::fs::write(&junk, b"not an object file at all").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cuemu")).args(["fatbin", "list"]).arg(&junk).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("junk.bin"), "{out:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_cuemu")).args(["fatbin", "list", "/nonexistent/file"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    // A host binary without device code: empty listing, success (as cuobjdump).
    let out = Command::new(env!("CARGO_BIN_EXE_cuemu")).args(["fatbin", "list", "/bin/sh"]).output().unwrap();
    assert!(out.status.success() && out.stdout.is_empty(), "{out:?}");
}
