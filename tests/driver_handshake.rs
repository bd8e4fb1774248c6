//! NVIDIA's CUDA runtime against our libcuda.so.1, end to end: C programs from tests/c/ are
//! compiled with nvcc (static and shared cudart 13) or gcc (dlopen'ed cudart 12) into a temp
//! dir and run with LD_LIBRARY_PATH = target/<profile> (where build.rs links libcuda.so.1).
//! Tests print a reason and pass when the toolchain is missing (`source ~/.cache/cuemu/env.sh`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// target/<profile>/ (this test runs from target/<profile>/deps/).
fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap().to_path_buf();
    assert!(
        dir.join("libcuda.so.1").exists(),
        "{} has no libcuda.so.1 (build.rs links it to the cdylib)",
        dir.display()
    );
    dir
}

fn cuda_home() -> Option<PathBuf> {
    std::env::var_os("CUEMU_CUDA_HOME").map(PathBuf::from).or_else(|| {
        let home = std::env::var_os("HOME")?;
        let p = Path::new(&home).join(".cache/cuemu/cuda");
        p.exists().then_some(p)
    })
}

fn nvcc() -> Option<PathBuf> {
    let p = cuda_home()?.join("bin/nvcc");
    p.exists().then_some(p)
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cuemu-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn src(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c").join(name)
}

/// nvcc `source` → executable, or None (with the reason printed) when nvcc is missing.
fn build_nvcc(source: &str, out_name: &str, extra: &[&str]) -> Option<PathBuf> {
    let Some(nvcc) = nvcc() else {
        eprintln!("SKIP: nvcc not found (set CUEMU_CUDA_HOME or source ~/.cache/cuemu/env.sh)");
        return None;
    };
    let out = scratch(out_name).join(out_name);
    let home = cuda_home().unwrap();
    let mut cmd = Command::new(&nvcc);
    cmd.arg("-x").arg("cu").arg(src(source)).arg("-o").arg(&out).args(extra);
    // nvcc finds its own tools next to itself.
    let path = format!("{}:{}", home.join("bin").display(), std::env::var("PATH").unwrap_or_default());
    let o = cmd.env("PATH", path).output().expect("run nvcc");
    assert!(o.status.success(), "nvcc {source} failed:\n{}", String::from_utf8_lossy(&o.stderr));
    Some(out)
}

fn run(bin: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(bin);
    cmd.args(args).env("LD_LIBRARY_PATH", lib_dir()).env_remove("CUEMU_LOG");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("run test program")
}

fn assert_ok(o: &Output, marker: &str) {
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && stdout.contains(marker), "status {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}", o.status);
    print!("{stdout}");
}

#[test]
fn handshake_static_cudart13() {
    let Some(bin) = build_nvcc("handshake.c", "hs_static", &["--cudart=static"]) else { return };
    assert_ok(&run(&bin, &[], &[]), "handshake OK");
}

#[test]
fn handshake_shared_cudart13() {
    let rpath = format!("-Xlinker=-rpath={}", cuda_home().map(|h| h.join("lib").display().to_string()).unwrap_or_default());
    let Some(bin) = build_nvcc("handshake.c", "hs_shared", &["--cudart=shared", &rpath]) else { return };
    assert_ok(&run(&bin, &[], &[]), "handshake OK");
}

#[test]
fn kernel_launch_through_cudart13() {
    let Some(bin) = build_nvcc("launch.cu", "launch", &[]) else { return };
    assert_ok(&run(&bin, &[], &[]), "launch OK");
}

#[test]
fn handshake_cudart12_dlopen() {
    let Some(dir) = std::env::var_os("CUEMU_CUDART12").map(PathBuf::from) else {
        eprintln!("SKIP: CUEMU_CUDART12 (directory with libcudart.so.12) not set");
        return;
    };
    let rt = dir.join("libcudart.so.12");
    if !rt.exists() {
        eprintln!("SKIP: {} missing", rt.display());
        return;
    }
    let out = scratch("rt12").join("rt12");
    let o = Command::new("cc").arg(src("cudart12_dlopen.c")).arg("-o").arg(&out).arg("-ldl").output().expect("run cc");
    assert!(o.status.success(), "cc failed:\n{}", String::from_utf8_lossy(&o.stderr));
    assert_ok(&run(&out, &[rt.to_str().unwrap()], &[]), "cudart12 OK");
}

/// CUEMU_LOG=trace logs every driver call, export-table request and slot call, with results.
#[test]
fn trace_shows_every_call() {
    let Some(bin) = build_nvcc("handshake.c", "hs_trace", &["--cudart=static"]) else { return };
    let o = run(&bin, &[], &[("CUEMU_LOG", "trace")]);
    assert_ok(&o, "handshake OK");
    let log = String::from_utf8_lossy(&o.stderr);
    for needle in [
        "cuDriverGetVersion(",
        "cuGetProcAddress: cuMemAlloc@3020 flags 0 -> cuMemAlloc_v2",
        "cuInit(flags=0) -> CUDA_SUCCESS",
        "-> CUDART_INTERFACE at",
        "CUDART_INTERFACE[2](primary_context) -> CUDA_SUCCESS",
        "INTEGRITY_CHECK[1]",
        "CONTEXT_LOCAL_STORAGE[0](put) -> CUDA_SUCCESS",
        "cuDeviceGetAttribute(pi=",
        "cuMemAlloc_v2(dptr=",
        "cuEventElapsedTime",
        "cuMemFree_v2(dptr=4660) -> CUDA_ERROR_INVALID_VALUE",
    ] {
        assert!(log.contains(needle), "trace lacks {needle:?}; trace:\n{}", &log[..log.len().min(4000)]);
    }
    // Default filter: warnings only, so a clean run prints nothing.
    let quiet = run(&bin, &[], &[]);
    assert!(quiet.stderr.is_empty(), "unexpected stderr: {}", String::from_utf8_lossy(&quiet.stderr));
}

/// `cuemu run` passes the exit code through and puts our library first.
#[test]
fn cuemu_run_passes_exit_code() {
    let cuemu = lib_dir().join("cuemu");
    if !cuemu.exists() {
        eprintln!("SKIP: {} not built", cuemu.display());
        return;
    }
    let o = Command::new(&cuemu).args(["run", "--", "sh", "-c", "echo $LD_LIBRARY_PATH; exit 7"]).output().unwrap();
    assert_eq!(o.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with(lib_dir().to_str().unwrap()));
    let info = Command::new(&cuemu).arg("info").output().unwrap();
    assert!(info.status.success());
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(text.contains("Compute capability") && text.contains("13.5 (13050)"), "{text}");
}
