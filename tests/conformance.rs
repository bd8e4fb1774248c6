//! PTX instruction conformance: cuemu against outputs recorded on an NVIDIA H100 (issue 4).
//!
//! `tests/conformance/conformance.cu` wraps one PTX instruction form per kernel (inline
//! assembly, so cuemu sees exactly that instruction) and feeds it edge cases; its output on an
//! H100 is `tests/conformance/golden/h100.txt.gz` (recorded once by
//! `scripts/gen-conformance-goldens.sh`). This test builds the program with nvcc
//! (`-arch=sm_90`: the PTX is what cuemu runs), runs it through our libcuda.so.1 with
//! `CUEMU_COMPUTE_CAPABILITY=9.0`, and compares every output word:
//!
//! - bit for bit, except
//! - `.approx` instructions, compared within the bound given next to each in [`BOUNDS`] — the
//!   bound PTX ISA documents for the instruction — after the same NaN / infinity / zero
//!   classification as the hardware;
//! - tests in [`KNOWN_FAILURES`], which must fail (with the reason given) — a known failure
//!   that starts passing fails this test until it is taken off the list.
//!
//! Without nvcc the test says why and passes (like tests/programs.rs).

use std::collections::HashMap;
use std::env;
use std::fs;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Clone, Copy, Debug)]
enum Fmt {
    F32,
    #[allow(dead_code)] // no f64 .approx form is bounded now; kept for the next one
    F64,
    F16,
    /// two f16 in one 32-bit word (no such form is bounded at present)
    #[allow(dead_code)]
    F16x2,
}

/// `.approx` instructions: (test name, result format, max ulps, max absolute error).
/// A result passes when it is within `ulps` units in the last place OR within `abs` of the
/// H100's; NaN must be NaN, infinities and zeros must match in sign. Bounds are those of the
/// PTX ISA (9.7.3.x "Floating point instructions", 9.7.4.x "Half precision"):
///
/// Exact since they follow the H100's special-function unit (src/exec/sfu.rs, proven over all
/// 2^32 inputs): rcp/rsqrt/sqrt/ex2/lg2.approx(.ftz).f32, ex2.approx.f16/f16x2, tanh.approx.f16;
/// div.approx/div.full.f32 (MUFU.RCP and ptxas's multiplies, on these edge cases).
const BOUNDS: &[(&str, Fmt, u64, f64)] = &[
    // sin/cos.approx.f32: "maximum absolute error 2^-20.9 in the range -pi..pi"; outside it the
    // hardware's range reduction is coarser: 2^-20.5 over our inputs (|x| <= 1e38 are reduced
    // exactly by both).
    ("sin.approx.f32", Fmt::F32, 2, 6.0e-7),
    ("cos.approx.f32", Fmt::F32, 2, 6.0e-7),
    // tanh.approx.f32: "maximum relative error 2^-10.987" — 2^12 ulps
    ("tanh.approx.f32", Fmt::F32, 4096, 0.0),
];

/// Tests that do not match the H100 yet, and why. Each must fail; fix one, remove it here.
/// (Empty since vmad follows ptxas's expansion rather than PTX ISA's text: src/exec/video.rs.)
const KNOWN_FAILURES: &[(&str, &str)] = &[];

/// Cases where PTX promises nothing, so the H100's answer is no reference. Skipped:
/// - sin/cos.approx.f32 outside [-100π, 100π]: PTX ISA 9.7.3.18/19 bound the error only inside
///   that range; beyond it the H100's argument reduction (which cuemu reproduces for most
///   inputs, e.g. x = 2^23) is not specified.
fn undefined_case(test: &str, inputs: &str) -> bool {
    if test == "sin.approx.f32" || test == "cos.approx.f32" {
        let a = inputs.split_whitespace().next().and_then(|w| u32::from_str_radix(w, 16).ok()).unwrap_or(0);
        let x = f32::from_bits(a);
        return x.is_finite() && x.abs() > 100.0 * std::f32::consts::PI;
    }
    false
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn is_executable(p: &Path) -> bool {
    fs::metadata(p).map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
}

fn find_nvcc() -> Result<PathBuf, String> {
    if let Some(home) = env::var_os("CUEMU_CUDA_HOME") {
        let p = Path::new(&home).join("bin").join("nvcc");
        if is_executable(&p) {
            return Ok(p);
        }
    }
    if let Some(path) = env::var_os("PATH") {
        for dir in env::split_paths(&path) {
            let p = dir.join("nvcc");
            if is_executable(&p) {
                return Ok(p);
            }
        }
    }
    let cache = env::var_os("CUEMU_CACHE")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cache").join("cuemu")));
    if let Some(cache) = cache {
        let p = cache.join("cuda").join("bin").join("nvcc");
        if is_executable(&p) {
            return Ok(p);
        }
    }
    Err("nvcc not found ($CUEMU_CUDA_HOME, PATH, ~/.cache/cuemu/cuda); run scripts/setup.sh".into())
}

fn driver_dir() -> PathBuf {
    if let Some(d) = env::var_os("CUEMU_LIBCUDA_DIR") {
        return PathBuf::from(d);
    }
    let exe = env::current_exe().expect("test executable path");
    let deps = exe.parent().unwrap();
    if deps.file_name().map_or(false, |n| n == "deps") {
        deps.parent().unwrap().to_path_buf()
    } else {
        deps.to_path_buf()
    }
}

fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in data {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn build(nvcc: &Path) -> PathBuf {
    build_named(nvcc, "conformance")
}

fn build_named(nvcc: &Path, name: &str) -> PathBuf {
    let src = repo_root().join(format!("tests/conformance/{name}.cu"));
    let source = fs::read(&src).expect("conformance.cu");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cuemu-conformance");
    fs::create_dir_all(&dir).unwrap();
    let bin = dir.join(format!("{name}.{:016x}", fnv1a(&[source.as_slice(), nvcc.to_string_lossy().as_bytes()].concat())));
    if is_executable(&bin) {
        return bin;
    }
    // Private per process and per call: tests of this file build on parallel threads.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!("{name}.tmp.{}.{call}", std::process::id()));
    let out = Command::new(nvcc)
        .args(["-arch=sm_90", "-diag-suppress", "177", "-o"])
        .arg(&tmp)
        .arg(&src)
        .output()
        .expect("running nvcc");
    assert!(out.status.success(), "nvcc failed:\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    fs::rename(&tmp, &bin).unwrap();
    bin
}

/// One test's results: `Err(message)` when it did not run, else (inputs, outputs) per thread.
type Results = HashMap<String, Result<Vec<(String, Vec<u64>)>, String>>;

fn parse(text: &str) -> (Vec<String>, Results) {
    let mut order = Vec::new();
    let mut map: Results = HashMap::new();
    let mut cur: Option<String> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix('@') {
            // "@name outs" or "@name ERROR message"; names contain no spaces except "!p"-style tails
            let (name, tail) = match rest.find(" ERROR ") {
                Some(p) => (&rest[..p], Some(rest[p + 7..].to_string())),
                None => (rest.rsplit_once(' ').map(|(n, _)| n).unwrap_or(rest), None),
            };
            order.push(name.to_string());
            map.insert(name.to_string(), match tail {
                Some(msg) => Err(msg),
                None => Ok(Vec::new()),
            });
            cur = Some(name.to_string());
            continue;
        }
        let Some((inp, outs)) = line.split_once(" > ") else { continue };
        let vals: Vec<u64> = outs.split_whitespace().map(|w| u64::from_str_radix(w, 16).unwrap_or(u64::MAX)).collect();
        if let Some(Ok(v)) = cur.as_ref().and_then(|c| map.get_mut(c)) {
            v.push((inp.to_string(), vals));
        }
    }
    (order, map)
}

fn ordered(bits: u64, fmt: Fmt) -> i128 {
    let (sign, mag) = match fmt {
        Fmt::F32 => (bits >> 31 & 1, bits & 0x7fff_ffff),
        Fmt::F64 => (bits >> 63, bits & 0x7fff_ffff_ffff_ffff),
        Fmt::F16 | Fmt::F16x2 => (bits >> 15 & 1, bits & 0x7fff),
    };
    if sign == 1 {
        -(mag as i128)
    } else {
        mag as i128
    }
}

fn to_f64(bits: u64, fmt: Fmt) -> f64 {
    match fmt {
        Fmt::F32 => f32::from_bits(bits as u32) as f64,
        Fmt::F64 => f64::from_bits(bits),
        Fmt::F16 | Fmt::F16x2 => {
            let h = bits as u16;
            let s = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
            let e = (h >> 10 & 0x1f) as i32;
            let m = (h & 0x3ff) as f64;
            s * match e {
                0 => m * 2f64.powi(-24),
                31 => {
                    if m == 0.0 {
                        f64::INFINITY
                    } else {
                        f64::NAN
                    }
                }
                _ => (1.0 + m / 1024.0) * 2f64.powi(e - 15),
            }
        }
    }
}

fn within(want: u64, got: u64, fmt: Fmt, ulps: u64, abs: f64) -> bool {
    if let Fmt::F16x2 = fmt {
        return within(want & 0xffff, got & 0xffff, Fmt::F16, ulps, abs) && within(want >> 16 & 0xffff, got >> 16 & 0xffff, Fmt::F16, ulps, abs);
    }
    let (w, g) = (to_f64(want, fmt), to_f64(got, fmt));
    if w.is_nan() || g.is_nan() {
        return w.is_nan() && g.is_nan();
    }
    if w.is_infinite() || g.is_infinite() {
        return w == g;
    }
    if w == 0.0 && g == 0.0 {
        return w.is_sign_negative() == g.is_sign_negative();
    }
    (ordered(want, fmt) - ordered(got, fmt)).unsigned_abs() <= ulps as u128 || (w - g).abs() <= abs
}

#[test]
fn ptx_conformance_against_h100() {
    let nvcc = match find_nvcc() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("skipping the conformance suite: {e}");
            return;
        }
    };
    let lib = driver_dir();
    assert!(lib.join("libcuda.so.1").exists(), "{}/libcuda.so.1 missing: build the driver first", lib.display());
    let bin = build(&nvcc);

    // h100.txt.gz, then parts recorded later for a subset of the tests (h100-video.txt.gz:
    // the conformance program run with a name filter, see scripts/gen-conformance-goldens.sh).
    let mut golden = String::new();
    let dir = repo_root().join("tests/conformance/golden");
    let mut parts: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/conformance/golden")
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("h100") && n.ends_with(".txt.gz")))
        .collect();
    parts.sort_by_key(|p| (p.file_name().unwrap() != "h100.txt.gz", p.clone()));
    for gz in &parts {
        let mut child = Command::new("gzip").arg("-dc").arg(gz).stdout(Stdio::piped()).spawn().expect("gzip");
        child.stdout.take().unwrap().read_to_string(&mut golden).unwrap();
        assert!(child.wait().unwrap().success(), "cannot decompress {}", gz.display());
        golden.push('\n');
    }

    let out = Command::new(&bin)
        .env("LD_LIBRARY_PATH", &lib)
        .env("CUEMU_COMPUTE_CAPABILITY", "9.0")
        .env_remove("CUEMU_LOG")
        .output()
        .expect("running the conformance program");
    assert!(out.status.success(), "conformance program failed: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    let ours = String::from_utf8_lossy(&out.stdout).into_owned();
    let (mut order, want) = parse(&golden);
    // A test recorded in two parts counts once (the later part's results win).
    let mut seen = std::collections::HashSet::new();
    order.retain(|n| seen.insert(n.clone()));
    let (_, got) = parse(&ours);

    let bounds: HashMap<&str, (Fmt, u64, f64)> = BOUNDS.iter().map(|&(n, f, u, a)| (n, (f, u, a))).collect();
    let known: HashMap<&str, &str> = KNOWN_FAILURES.iter().copied().collect();
    let (mut exact, mut bounded, mut known_failed) = (0, 0, 0);
    let mut problems = Vec::new();
    for name in &order {
        let w = want[name].as_ref().expect("the golden has no errors");
        let verdict: Result<(), String> = match got.get(name) {
            None => Err("missing from cuemu's output".into()),
            Some(Err(e)) => Err(format!("did not run: {e}")),
            Some(Ok(g)) if g.len() != w.len() => Err(format!("{} results, expected {}", g.len(), w.len())),
            Some(Ok(g)) => {
                let mut bad = Vec::new();
                let mut n_bad = 0;
                for ((wi, wo), (gi, go)) in w.iter().zip(g) {
                    if wi != gi {
                        bad.push(format!("inputs differ: {wi} vs {gi}"));
                        n_bad += 1;
                        continue;
                    }
                    if undefined_case(name, wi) {
                        continue;
                    }
                    let ok = wo.len() == go.len()
                        && wo.iter().zip(go).all(|(&a, &b)| match bounds.get(name.as_str()) {
                            Some(&(f, u, ab)) => within(a, b, f, u, ab),
                            None => a == b,
                        });
                    if !ok {
                        n_bad += 1;
                        if bad.len() < 6 {
                            let hx = |v: &[u64]| v.iter().map(|x| format!("{x:x}")).collect::<Vec<_>>().join(" ");
                            bad.push(format!("  {wi} > h100: {} cuemu: {}", hx(wo), hx(go)));
                        }
                    }
                }
                if n_bad == 0 {
                    Ok(())
                } else {
                    Err(format!("{n_bad}/{} results differ\n{}", w.len(), bad.join("\n")))
                }
            }
        };
        match (verdict, known.get(name.as_str())) {
            (Ok(()), None) => {
                if bounds.contains_key(name.as_str()) {
                    bounded += 1
                } else {
                    exact += 1
                }
            }
            (Ok(()), Some(_)) => problems.push(format!("@{name}: listed as a known failure but passes: take it off KNOWN_FAILURES")),
            (Err(_), Some(_)) => known_failed += 1,
            (Err(e), None) => problems.push(format!("@{name}: {e}")),
        }
    }
    for k in known.keys() {
        if !want.contains_key(*k) {
            problems.push(format!("known failure {k} names no test"));
        }
    }
    eprintln!(
        "conformance: {} tests: {exact} bit-exact, {bounded} within their .approx bound, {known_failed} known failures, {} unexpected",
        order.len(),
        problems.len()
    );
    assert!(problems.is_empty(), "{} conformance problems:\n{}", problems.len(), problems.join("\n"));
}

/// wmma (PTX ISA 9.7.14.4) has an opaque fragment layout, so there is no per-element H100
/// golden: this program checks load / mma / store / fill / element-wise fragment code against a
/// host reference (exact small-integer inputs), built for sm_90 (it passes as compute_75 PTX too).
#[test]
fn wmma_self_check() {
    let nvcc = match find_nvcc() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("skipping the wmma self-check: {e}");
            return;
        }
    };
    let lib = driver_dir();
    assert!(lib.join("libcuda.so.1").exists(), "{}/libcuda.so.1 missing: build the driver first", lib.display());
    let bin = build_named(&nvcc, "wmma_selfcheck");
    let out = Command::new(&bin)
        .env("LD_LIBRARY_PATH", &lib)
        .env("CUEMU_COMPUTE_CAPABILITY", "9.0")
        .env_remove("CUEMU_LOG")
        .output()
        .expect("running the wmma self-check");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.starts_with("PASS"), "wmma self-check: {text}{}", String::from_utf8_lossy(&out.stderr));
}
