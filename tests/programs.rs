//! End-to-end tests: real CUDA programs, built with NVIDIA's nvcc, run against our driver.
//!
//! Each program in `tests/programs/*.cu` is a standalone CUDA application that checks its own
//! results and prints `PASS`/`FAIL` lines. For every program this harness
//!
//! 1. finds nvcc (`$CUEMU_CUDA_HOME/bin/nvcc`, then `PATH`, then the toolkit that
//!    `scripts/setup.sh` installs under `~/.cache/cuemu/cuda`); if there is none the test
//!    prints why and returns without failing;
//! 2. locates our `libcuda.so.1` next to the test executable's profile directory
//!    (`target/<profile>/deps/programs-*` -> `target/<profile>/`, or `$CUEMU_LIBCUDA_DIR`);
//!    if it is missing the test fails and says so;
//! 3. builds the program with nvcc's default flags (`nvcc -o NAME NAME.cu`: static cudart,
//!    sm_75 SASS + compute_75 PTX), or with `--cudart=shared` for the shared-runtime variants,
//!    into a cache under `target/tmp/cuemu-programs/` keyed by the source, flags and nvcc;
//!    programs whose source has a `// Build: nvcc -o NAME NAME.cu -lcuda` line link the driver
//!    API against a stub `libcuda.so` generated from the object's undefined `cu*` symbols
//!    (the PyPI toolkit ships no `lib/stubs`), so the binary needs `libcuda.so.1` at run time;
//! 4. runs it with `LD_LIBRARY_PATH=<our driver dir>:<toolkit lib dir>` under a timeout
//!    (`$CUEMU_PROGRAM_TIMEOUT` seconds, else the program's `// Timeout:` line, else 120), and
//!    with `CUEMU_COMPUTE_CAPABILITY=X.Y` when its Build line has `-arch=sm_XY` (clusters.cu: sm_90);
//! 5. requires exit status 0 and stdout byte-for-byte equal to `tests/golden/h100/NAME.txt`
//!    without its first line (a `#` header naming the GPU, driver and date it was recorded on;
//!    `scripts/run-programs-on-gpu.sh` records these on a real NVIDIA GPU).

use std::collections::BTreeSet;
use std::env;
use std::fs;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Every program in tests/programs/ (checked by `every_program_has_a_test_and_a_golden`).
const PROGRAMS: &[&str] = &[
    "vector_add",
    "grid2d_struct",
    "reduce_shared",
    "warp_shuffle",
    "atomics_histogram",
    "divergence",
    "sgemm_tiled",
    "driver_api",
    "graph_capture",
    "vmm_pool",
    "streams_overlap",
    "memcpy2d",
    "host_threads",
    "illegal_address",
    "textures",
    "textures_mip",
    "textures_grad",
    "textures_norm",
    "textures_aniso",
    "textures_cube",
    "textures_rot",
    "api_behaviour",
    "arrays",
    "math_lib",
    "half_bf16",
    "dp4a",
    "coop_groups",
    "wmma_gemm",
    "printf_types",
    "local_arrays",
    "tma",
    "clusters",
    "coop_grid",
    "intrinsics_misc",
    "graph_attrs",
    "shared_bounds",
    "cluster_bounds",
    "warp_spin",
    "thrust_cub",
    "driver_newer",
];

const DEFAULT_TIMEOUT_SECS: u64 = 120;

/// Which NVIDIA runtime the program is linked with. The CUDA 12 variants compile with the 13.x
/// nvcc (the PyPI toolkit for 12.x has no compiler) and link NVIDIA's 12.9 cudart instead of
/// the 13.x one (`-cudart=none` + cudart 12 from `$CUEMU_CUDART12`): the host code nvcc
/// generates calls the registration and launch entry points both runtimes have, so what runs is
/// a CUDA 12 runtime's handshake, module loading and launches against our driver.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cudart {
    Static,
    Shared,
    Cuda12Static,
    Cuda12Shared,
}

impl Cudart {
    fn tag(self) -> &'static str {
        match self {
            Cudart::Static => "static",
            Cudart::Shared => "shared",
            Cudart::Cuda12Static => "cuda12-static",
            Cudart::Cuda12Shared => "cuda12-shared",
        }
    }
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn programs_dir() -> PathBuf {
    repo_root().join("tests").join("programs")
}

fn golden_path(name: &str) -> PathBuf {
    repo_root().join("tests").join("golden").join("h100").join(format!("{name}.txt"))
}

fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cuemu-programs")
}

fn is_executable(p: &Path) -> bool {
    fs::metadata(p).map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
}

/// nvcc: `$CUEMU_CUDA_HOME/bin/nvcc`, then `PATH`, then setup.sh's default install.
fn find_nvcc() -> Result<PathBuf, String> {
    let mut tried = Vec::new();
    if let Some(home) = env::var_os("CUEMU_CUDA_HOME") {
        let p = Path::new(&home).join("bin").join("nvcc");
        if is_executable(&p) {
            return Ok(p);
        }
        tried.push(p.display().to_string());
    } else {
        tried.push("$CUEMU_CUDA_HOME (unset)".into());
    }
    if let Some(path) = env::var_os("PATH") {
        for dir in env::split_paths(&path) {
            let p = dir.join("nvcc");
            if is_executable(&p) {
                return Ok(p);
            }
        }
    }
    tried.push("nvcc on PATH".into());
    let cache = env::var_os("CUEMU_CACHE")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cache").join("cuemu")));
    if let Some(cache) = cache {
        let p = cache.join("cuda").join("bin").join("nvcc");
        if is_executable(&p) {
            return Ok(p);
        }
        tried.push(p.display().to_string());
    }
    Err(format!("nvcc not found (tried {}); run scripts/setup.sh and source ~/.cache/cuemu/env.sh", tried.join(", ")))
}

/// The directory holding our libcuda.so.1: `$CUEMU_LIBCUDA_DIR`, else the profile directory
/// of this test executable (target/<profile>/deps/programs-HASH -> target/<profile>/).
fn driver_dir() -> Result<PathBuf, String> {
    let dir = if let Some(d) = env::var_os("CUEMU_LIBCUDA_DIR") {
        PathBuf::from(d)
    } else {
        let exe = env::current_exe().map_err(|e| format!("cannot locate the test executable: {e}"))?;
        let deps = exe.parent().ok_or("test executable has no parent directory")?;
        let profile = if deps.file_name().map_or(false, |n| n == "deps") {
            deps.parent().ok_or("deps directory has no parent")?
        } else {
            deps
        };
        profile.to_path_buf()
    };
    let lib = dir.join("libcuda.so.1");
    if lib.exists() {
        return Ok(dir);
    }
    let mut msg = format!(
        "our driver is missing: {} does not exist.\n\
         Build the driver first (`cargo build` makes target/<profile>/libcuda.so and build.rs links \
         it as libcuda.so.1), or point $CUEMU_LIBCUDA_DIR at the directory that holds libcuda.so.1.",
        lib.display()
    );
    let so = dir.join("libcuda.so");
    if let Ok(target) = fs::read_link(&lib) {
        msg.push_str(&format!(
            "\n(note: it is a dangling symlink to {}: the cdylib has not been built, or its build failed)",
            target.display()
        ));
    } else if so.exists() {
        msg.push_str(&format!("\n(note: {} exists, but the libcuda.so.1 link to it does not)", so.display()));
    }
    Err(msg)
}

/// The toolkit's library directory (libcudart.so.13 for the shared-cudart variants).
fn cuda_lib_dir(nvcc: &Path) -> Option<PathBuf> {
    let root = fs::canonicalize(nvcc).ok()?.parent()?.parent()?.to_path_buf();
    ["lib64", "lib"].iter().map(|d| root.join(d)).find(|d| d.join("libcudart.so.13").exists())
}

/// FNV-1a, stable across Rust versions (the cache key must not change between toolchains).
fn fnv1a(chunks: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for c in chunks {
        for &b in *c {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Extra nvcc flags from a `// Build: nvcc -o NAME NAME.cu FLAGS...` line in the source.
fn extra_flags(source: &str) -> Vec<String> {
    for line in source.lines() {
        if let Some(rest) = line.strip_prefix("// Build: nvcc") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            if let Some(pos) = words.iter().position(|w| w.ends_with(".cu")) {
                return words[pos + 1..].iter().map(|s| s.to_string()).collect();
            }
        }
    }
    Vec::new()
}

/// How long NAME may run: its `// Timeout: SECONDS` line, else [`DEFAULT_TIMEOUT_SECS`]. A
/// program whose first run JIT-compiles many large kernels names a longer limit (thrust_cub.cu:
/// about 115 s of single-threaded kernel compilation with an empty kernel cache on a 2-core
/// machine, alone; the default was too close).
fn timeout_of(name: &str) -> u64 {
    let source = fs::read_to_string(programs_dir().join(format!("{name}.cu"))).unwrap_or_default();
    source
        .lines()
        .find_map(|l| l.strip_prefix("// Timeout:").and_then(|t| t.split_whitespace().next()?.parse().ok()))
        .unwrap_or(DEFAULT_TIMEOUT_SECS)
}

/// The compute capability a program built with `-arch=sm_XY` (its `// Build:` line) needs the
/// driver to claim, as `X.Y`.
fn compute_capability_of(name: &str) -> Option<String> {
    let source = fs::read_to_string(programs_dir().join(format!("{name}.cu"))).ok()?;
    let arch = extra_flags(&source).into_iter().find_map(|f| f.strip_prefix("-arch=sm_").map(str::to_string))?;
    let digits: String = arch.chars().take_while(|c| c.is_ascii_digit()).collect();
    let (major, minor) = digits.split_at(digits.len().checked_sub(1)?);
    Some(format!("{major}.{minor}"))
}

fn run_tool(cmd: &mut Command, what: &str) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{what}: cannot run {:?}: {e}", cmd.get_program()))?;
    let mut log = String::from_utf8_lossy(&out.stdout).into_owned();
    log.push_str(&String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        return Err(format!("{what} failed ({}): {:?}\n{log}", out.status, cmd));
    }
    Ok(log)
}

/// The names and contents of the headers in tests/programs (`*.h`), in name order: a program may
/// include any of them, so all are part of the build cache's key.
fn programs_headers() -> Vec<u8> {
    let mut paths: Vec<PathBuf> = fs::read_dir(programs_dir())
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "h")).collect())
        .unwrap_or_default();
    paths.sort();
    let mut all = Vec::new();
    for p in paths {
        all.extend_from_slice(p.file_name().unwrap_or_default().as_encoded_bytes());
        all.push(0);
        all.extend(fs::read(&p).unwrap_or_default());
        all.push(0);
    }
    all
}

/// Builds (or reuses from the cache) NAME for the given cudart variant; returns the binary.
fn build(nvcc: &Path, name: &str, cudart: Cudart) -> Result<PathBuf, String> {
    let src = programs_dir().join(format!("{name}.cu"));
    let source = fs::read_to_string(&src).map_err(|e| format!("cannot read {}: {e}", src.display()))?;
    let mut flags: Vec<String> = Vec::new();
    let mut extra = extra_flags(&source);
    match cudart {
        Cudart::Static => {}
        Cudart::Shared => flags.push("--cudart=shared".into()),
        Cudart::Cuda12Static | Cudart::Cuda12Shared => {
            let dir = cudart12_dir().ok_or("no CUDA 12 runtime (set $CUEMU_CUDART12)")?;
            flags.push("-cudart=none".into());
            if cudart == Cudart::Cuda12Static {
                extra.extend([dir.join("libcudart_static.a").display().to_string(), "-ldl".into(), "-lpthread".into(), "-lrt".into()]);
            } else {
                extra.extend([format!("-L{}", dir.display()), "-l:libcudart.so.12".into(), "-Xlinker".into(), format!("-rpath={}", dir.display())]);
            }
        }
    }
    let nvcc_meta = fs::metadata(nvcc).map(|m| format!("{}:{:?}", m.len(), m.modified().ok())).unwrap_or_default();
    // The programs' shared headers (check.h, tex_common.h) are part of every build.
    let header = programs_headers();
    let key = fnv1a(&[
        source.as_bytes(),
        &header,
        flags.join(" ").as_bytes(),
        extra.join(" ").as_bytes(),
        nvcc.to_string_lossy().as_bytes(),
        nvcc_meta.as_bytes(),
    ]);
    let dir = cache_dir();
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let bin = dir.join(format!("{name}.{}.{key:016x}", cudart.tag()));
    if is_executable(&bin) {
        return Ok(bin);
    }
    // Work in a private directory, then rename into place: concurrent tests never see a
    // half-written binary.
    let work = dir.join(format!("build-{name}-{}-{key:016x}-{}", cudart.tag(), std::process::id()));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let out = work.join(name);
    let result = (|| {
        if extra.iter().any(|f| f == "-lcuda") {
            // Driver API program: compile, collect the cu* symbols it needs, link against a
            // stub libcuda.so with SONAME libcuda.so.1 exporting exactly those.
            let obj = work.join(format!("{name}.o"));
            // Compile with the Build line's compiler flags (-arch=…), not its link flags.
            let compile_flags: Vec<String> =
                extra_flags(&source).into_iter().filter(|f| !f.starts_with("-l") && !f.starts_with("-L")).collect();
            run_tool(
                Command::new(nvcc).args(&flags).args(&compile_flags).arg("-c").arg("-o").arg(&obj).arg(&src).current_dir(&work),
                "nvcc -c",
            )?;
            let nm = run_tool(Command::new("nm").arg("-u").arg(&obj), "nm -u")?;
            let syms: BTreeSet<&str> = nm
                .lines()
                .filter_map(|l| l.split_whitespace().last())
                .filter(|s| s.starts_with("cu") && s[2..].starts_with(|c: char| c.is_ascii_uppercase()))
                .collect();
            if syms.is_empty() {
                return Err(format!("{name}: links -lcuda but its object references no cu* symbols"));
            }
            let mut stub = String::from("/* generated by tests/programs.rs: link-time stand-in for libcuda.so.1 */\n");
            for s in &syms {
                stub.push_str(&format!("void {s}(void) {{}}\n"));
            }
            let stub_dir = work.join("stub");
            fs::create_dir_all(&stub_dir).map_err(|e| e.to_string())?;
            fs::write(stub_dir.join("stub.c"), stub).map_err(|e| e.to_string())?;
            let cc = env::var("CC").unwrap_or_else(|_| "cc".into());
            run_tool(
                Command::new(&cc)
                    .args(["-shared", "-fPIC", "-Wl,-soname,libcuda.so.1", "-o"])
                    .arg(stub_dir.join("libcuda.so"))
                    .arg(stub_dir.join("stub.c")),
                "building the stub libcuda.so",
            )?;
            let mut link_flags: Vec<String> = extra.clone();
            link_flags.insert(0, format!("-L{}", stub_dir.display()));
            run_tool(
                Command::new(nvcc).args(&flags).arg("-o").arg(&out).arg(&obj).args(&link_flags).current_dir(&work),
                "nvcc (link)",
            )?;
        } else {
            run_tool(
                Command::new(nvcc).args(&flags).arg("-o").arg(&out).arg(&src).args(&extra).current_dir(&work),
                "nvcc",
            )?;
        }
        fs::rename(&out, &bin).map_err(|e| format!("cannot move {} to {}: {e}", out.display(), bin.display()))
    })();
    let _ = fs::remove_dir_all(&work);
    result.map(|_| bin)
}

struct RunResult {
    status: Option<ExitStatus>,
    timed_out: bool,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Result<RunResult, String> {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_t = thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_t = thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) => {}
            Err(e) => return Err(format!("waiting for the program: {e}")),
        }
        if start.elapsed() >= timeout {
            timed_out = true;
            let _ = child.kill();
            break child.wait().ok();
        }
        thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out_t.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_t.join().unwrap_or_default()).into_owned();
    Ok(RunResult { status: if timed_out { None } else { status }, timed_out, stdout, stderr, elapsed })
}

/// Golden stdout: the recorded file minus its `#` header line.
fn golden(name: &str) -> Result<(String, String), String> {
    let p = golden_path(name);
    let text = fs::read_to_string(&p).map_err(|e| format!("cannot read golden output {}: {e}", p.display()))?;
    let (header, body) = text.split_once('\n').unwrap_or((text.as_str(), ""));
    if !header.starts_with('#') {
        return Err(format!("{}: the first line must be a '#' header naming the GPU/driver/date", p.display()));
    }
    Ok((header.to_string(), body.to_string()))
}

fn tail(s: &str, lines: usize) -> String {
    let v: Vec<&str> = s.lines().collect();
    let from = v.len().saturating_sub(lines);
    let mut out = String::new();
    if from > 0 {
        out.push_str(&format!("    ... ({from} earlier lines)\n"));
    }
    for l in &v[from..] {
        out.push_str("    ");
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// A short description of how `got` differs from `want`, line by line.
fn describe_diff(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut s = format!("expected {} lines, got {} lines\n", w.len(), g.len());
    let common = w.len().min(g.len());
    let mut shown = 0;
    for i in 0..common {
        if w[i] != g[i] {
            if shown == 0 {
                s.push_str(&format!("first difference at line {}:\n", i + 1));
            }
            s.push_str(&format!("  line {:>3} want: {}\n", i + 1, w[i]));
            s.push_str(&format!("  line {:>3}  got: {}\n", i + 1, g[i]));
            shown += 1;
            if shown >= 8 {
                s.push_str("  ... (more differing lines)\n");
                break;
            }
        }
    }
    if g.len() < w.len() {
        s.push_str(&format!(
            "output stops after line {}; {} expected lines missing, the first: {}\n",
            g.len(),
            w.len() - g.len(),
            w[g.len()]
        ));
    } else if g.len() > w.len() {
        s.push_str(&format!("{} unexpected extra lines, the first: {}\n", g.len() - w.len(), g[w.len()]));
    }
    if shown == 0 && w.len() == g.len() && want != got {
        s.push_str("(lines equal; differences in trailing newline or line endings)\n");
    }
    let fails: Vec<&str> = g.iter().copied().filter(|l| l.starts_with("FAIL")).collect();
    if !fails.is_empty() {
        s.push_str(&format!("FAIL lines in the program's output ({}):\n", fails.len()));
        for f in fails.iter().take(20) {
            s.push_str(&format!("  {f}\n"));
        }
    }
    s
}

/// NVIDIA's CUDA 12 runtime (`libcudart.so.12`, `libcudart_static.a`): `$CUEMU_CUDART12`, or
/// where scripts/setup.sh installs the nvidia-cuda-runtime-cu12 wheel.
fn cudart12_dir() -> Option<PathBuf> {
    let dir = env::var_os("CUEMU_CUDART12").map(PathBuf::from).or_else(|| {
        let cache = env::var_os("CUEMU_CACHE").map(PathBuf::from).or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cache/cuemu")))?;
        Some(cache.join("cudart-12/nvidia/cuda_runtime/lib"))
    })?;
    dir.join("libcudart.so.12").is_file().then_some(dir)
}

fn run_program(name: &str, cudart: Cudart) {
    let label = format!("{name} ({} cudart)", cudart.tag());
    if matches!(cudart, Cudart::Cuda12Static | Cudart::Cuda12Shared) && cudart12_dir().is_none() {
        println!("SKIPPED {label}: no CUDA 12 runtime (scripts/setup.sh installs it; or set $CUEMU_CUDART12)");
        return;
    }
    let nvcc = match find_nvcc() {
        Ok(p) => p,
        Err(reason) => {
            println!("SKIPPED {label}: {reason}");
            return;
        }
    };
    let driver = driver_dir().unwrap_or_else(|e| panic!("{label}: {e}"));
    let (header, want) = golden(name).unwrap_or_else(|e| panic!("{label}: {e}"));
    let bin = build(&nvcc, name, cudart).unwrap_or_else(|e| panic!("{label}: build failed:\n{e}"));

    let mut ld = vec![driver.clone()];
    if let Some(lib) = cuda_lib_dir(&nvcc) {
        ld.push(lib);
    }
    if let Some(old) = env::var_os("LD_LIBRARY_PATH") {
        ld.extend(env::split_paths(&old));
    }
    let ld = env::join_paths(ld).expect("LD_LIBRARY_PATH");
    let timeout = env::var("CUEMU_PROGRAM_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| timeout_of(name));
    let mut cmd = Command::new(&bin);
    cmd.env("LD_LIBRARY_PATH", &ld).current_dir(cache_dir());
    if let Some(cc) = compute_capability_of(name) {
        // Built for a newer GPU than the default sm_86: only that PTX is in the binary.
        cmd.env("CUEMU_COMPUTE_CAPABILITY", cc);
    }
    let r = run_with_timeout(cmd, Duration::from_secs(timeout)).unwrap_or_else(|e| panic!("{label}: {e}"));

    let exit_ok = r.status.map_or(false, |s| s.success());
    let out_ok = r.stdout == want;
    if exit_ok && out_ok {
        println!("{label}: ok in {:.1}s ({} lines match {})", r.elapsed.as_secs_f64(), want.lines().count(), header);
        return;
    }
    let mut msg = format!("{label} failed\n  binary: {}\n  driver: {}\n", bin.display(), driver.join("libcuda.so.1").display());
    if r.timed_out {
        msg.push_str(&format!("  TIMED OUT after {timeout}s (set $CUEMU_PROGRAM_TIMEOUT to change) and was killed\n"));
    } else {
        match r.status {
            Some(s) if s.success() => msg.push_str("  exit status: 0\n"),
            Some(s) => msg.push_str(&format!("  {s} (expected exit status 0)\n")),
            None => msg.push_str("  exit status: unknown\n"),
        }
    }
    if !out_ok {
        msg.push_str(&format!("  stdout differs from {}:\n", golden_path(name).display()));
        for l in describe_diff(&want, &r.stdout).lines() {
            msg.push_str("    ");
            msg.push_str(l);
            msg.push('\n');
        }
    } else {
        msg.push_str("  stdout matches the golden output\n");
    }
    if !r.stderr.is_empty() {
        msg.push_str("  stderr (tail):\n");
        msg.push_str(&tail(&r.stderr, 30));
    }
    panic!("{msg}");
}

macro_rules! program_tests {
    ($($test:ident => ($name:literal, $cudart:ident)),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                run_program($name, Cudart::$cudart);
            }
        )*
    };
}

program_tests! {
    vector_add => ("vector_add", Static),
    grid2d_struct => ("grid2d_struct", Static),
    reduce_shared => ("reduce_shared", Static),
    warp_shuffle => ("warp_shuffle", Static),
    atomics_histogram => ("atomics_histogram", Static),
    divergence => ("divergence", Static),
    sgemm_tiled => ("sgemm_tiled", Static),
    driver_api => ("driver_api", Static),
    graph_capture => ("graph_capture", Static),
    vmm_pool => ("vmm_pool", Static),
    streams_overlap => ("streams_overlap", Static),
    memcpy2d => ("memcpy2d", Static),
    host_threads => ("host_threads", Static),
    illegal_address => ("illegal_address", Static),
    textures => ("textures", Static),
    textures_mip => ("textures_mip", Static),
    textures_mip_shared_cudart => ("textures_mip", Shared),
    textures_grad => ("textures_grad", Static),
    textures_grad_shared_cudart => ("textures_grad", Shared),
    textures_norm => ("textures_norm", Static),
    textures_norm_shared_cudart => ("textures_norm", Shared),
    textures_aniso => ("textures_aniso", Static),
    textures_aniso_shared_cudart => ("textures_aniso", Shared),
    textures_cube => ("textures_cube", Static),
    textures_cube_shared_cudart => ("textures_cube", Shared),
    textures_rot => ("textures_rot", Static),
    api_behaviour => ("api_behaviour", Static),
    arrays => ("arrays", Static),
    math_lib => ("math_lib", Static),
    half_bf16 => ("half_bf16", Static),
    dp4a => ("dp4a", Static),
    coop_groups => ("coop_groups", Static),
    wmma_gemm => ("wmma_gemm", Static),
    printf_types => ("printf_types", Static),
    local_arrays => ("local_arrays", Static),
    tma => ("tma", Static),
    clusters => ("clusters", Static),
    coop_grid => ("coop_grid", Static),
    intrinsics_misc => ("intrinsics_misc", Static),
    graph_attrs => ("graph_attrs", Static),
    shared_bounds => ("shared_bounds", Static),
    cluster_bounds => ("cluster_bounds", Static),
    warp_spin => ("warp_spin", Static),
    thrust_cub => ("thrust_cub", Static),
    driver_newer => ("driver_newer", Static),
    driver_newer_shared_cudart => ("driver_newer", Shared),
    warp_spin_shared_cudart => ("warp_spin", Shared),
    streams_overlap_shared_cudart => ("streams_overlap", Shared),
    host_threads_shared_cudart => ("host_threads", Shared),
    illegal_address_shared_cudart => ("illegal_address", Shared),
    graph_capture_shared_cudart => ("graph_capture", Shared),
    vmm_pool_shared_cudart => ("vmm_pool", Shared),
    vector_add_shared_cudart => ("vector_add", Shared),
    reduce_shared_shared_cudart => ("reduce_shared", Shared),
    atomics_histogram_shared_cudart => ("atomics_histogram", Shared),
    sgemm_tiled_shared_cudart => ("sgemm_tiled", Shared),
    tma_shared_cudart => ("tma", Shared),
    clusters_shared_cudart => ("clusters", Shared),
    coop_grid_shared_cudart => ("coop_grid", Shared),
    graph_attrs_shared_cudart => ("graph_attrs", Shared),
    coop_grid_cudart12 => ("coop_grid", Cuda12Static),
    vector_add_cudart12 => ("vector_add", Cuda12Static),
    vector_add_cudart12_shared => ("vector_add", Cuda12Shared),
    reduce_shared_cudart12 => ("reduce_shared", Cuda12Static),
    warp_shuffle_cudart12 => ("warp_shuffle", Cuda12Static),
    // Not graph_capture: CUDA 13's headers changed cudaStreamGetCaptureInfo's signature, so a
    // program compiled against them cannot call cudart 12's (a mix this harness makes, not a
    // real CUDA 12 build).
    streams_overlap_cudart12 => ("streams_overlap", Cuda12Static),
    memcpy2d_cudart12 => ("memcpy2d", Cuda12Static),
    illegal_address_cudart12 => ("illegal_address", Cuda12Static),
    textures_cudart12 => ("textures", Cuda12Static),
}

/// Needs neither nvcc nor the driver: the program list, the sources and the golden files
/// agree, and every golden file has its header and a final PASS.
#[test]
fn every_program_has_a_test_and_a_golden() {
    let mut on_disk: Vec<String> = fs::read_dir(programs_dir())
        .expect("tests/programs")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().map_or(false, |x| x == "cu"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = PROGRAMS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "tests/programs/*.cu and PROGRAMS in tests/programs.rs disagree");
    for name in PROGRAMS {
        let (header, body) = golden(name).unwrap_or_else(|e| panic!("{e}"));
        assert!(header.len() > 2, "{name}: empty golden header");
        assert_eq!(body.lines().last(), Some("PASS"), "{name}: golden output must end with PASS");
        assert!(!body.lines().any(|l| l.starts_with("FAIL")), "{name}: golden output contains FAIL lines");
    }
}

/// The on-disk kernel cache (src/exec/compile/objcode.rs): a program run twice with the same
/// cache directory compiles its kernels the first time and links the stored machine code the
/// second, with the same output; a damaged cache file is regenerated, not trusted; a bound on
/// its size (`CUEMU_KERNEL_CACHE_MAX`) holds, least recently used out.
#[test]
fn kernel_cache_round_trip() {
    let name = "warp_spin";
    let nvcc = match find_nvcc() {
        Ok(p) => p,
        Err(reason) => {
            println!("SKIPPED kernel_cache_round_trip: {reason}");
            return;
        }
    };
    let driver = driver_dir().unwrap_or_else(|e| panic!("{e}"));
    let (_, want) = golden(name).unwrap_or_else(|e| panic!("{e}"));
    let bin = build(&nvcc, name, Cudart::Static).unwrap_or_else(|e| panic!("build failed:\n{e}"));
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("kernel-cache-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let run_bounded = |max: &str| {
        let mut cmd = Command::new(&bin);
        cmd.env("LD_LIBRARY_PATH", &driver)
            .env("CUEMU_KERNEL_CACHE", &dir)
            .env("CUEMU_KERNEL_CACHE_MAX", max)
            .env("CUEMU_COMPILE_TIMES", "1")
            .env("CUEMU_COMPUTE_CAPABILITY", "9.0")
            .current_dir(cache_dir());
        let r = run_with_timeout(cmd, Duration::from_secs(DEFAULT_TIMEOUT_SECS)).unwrap();
        assert!(r.status.map_or(false, |s| s.success()), "{name} failed:\n{}", r.stderr);
        assert_eq!(r.stdout, want, "{name}: output differs from the golden");
        let compiled = r.stderr.lines().filter(|l| l.contains("LLVM instructions")).count();
        let cached = r.stderr.lines().filter(|l| l.contains("from the kernel cache")).count();
        (compiled, cached)
    };
    let run = || run_bounded("0");
    let (compiled, cached) = run();
    assert!(compiled >= 7 && cached == 0, "first run: {compiled} kernels compiled, {cached} from the cache");
    let files: Vec<PathBuf> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), compiled, "one object file per compiled kernel");
    assert_eq!(run(), (0, compiled), "second run: every kernel from the cache");
    // A damaged object: that kernel is compiled again, the others come from the cache.
    fs::write(&files[0], b"not an object file").unwrap();
    assert_eq!(run(), (1, compiled - 1), "third run, one cache file damaged");
    assert_eq!(run(), (0, compiled), "fourth run: the damaged file was replaced");
    // `cuemu cache` counts them; `--clear` removes them.
    let cache_cmd = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_cuemu")).arg("cache").args(args).env("CUEMU_KERNEL_CACHE", &dir).output().unwrap();
        assert!(out.status.success(), "cuemu cache {args:?} failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(cache_cmd(&[]).contains(&format!("({compiled} kernels,")), "cuemu cache: {}", cache_cmd(&[]));
    // `--trim` under half the cache's size leaves at most 90% of that bound.
    let bytes = || -> (usize, u64) {
        let sizes: Vec<u64> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().metadata().unwrap().len()).collect();
        (sizes.len(), sizes.iter().sum())
    };
    let (_, total) = bytes();
    let half = total / 2;
    let out = Command::new(env!("CARGO_BIN_EXE_cuemu"))
        .args(["cache", "--trim"])
        .env("CUEMU_KERNEL_CACHE", &dir)
        .env("CUEMU_KERNEL_CACHE_MAX", half.to_string())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("trimmed: "), "cuemu cache --trim: {text}");
    let (left, left_bytes) = bytes();
    assert!(left > 0 && left < compiled && left_bytes <= half / 10 * 9, "after --trim to {half}: {left} files, {left_bytes} bytes");
    // A bound of one byte: each store evicts every other object, the run's output is unchanged
    // and the cache ends with the last kernel stored.
    // (Kept ones a store evicts before their first launch are compiled again as well.)
    let (recompiled, _) = run_bounded("1");
    assert!(recompiled >= compiled - left && recompiled <= compiled, "{recompiled} kernels compiled again, {left} were kept");
    assert!(bytes().0 <= 1, "a one-byte bound keeps at most the object just stored: {} files", bytes().0);
    cache_cmd(&["--clear"]);
    assert!(cache_cmd(&[]).contains("(0 kernels,"));
    let _ = fs::remove_dir_all(&dir);
}
