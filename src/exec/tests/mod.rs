//! Executor tests on PTX written by nvcc (regenerate with `nvcc -ptx -arch=compute_75`; the
//! CUDA source is at the top of each test). Results are checked against host computations.

use super::*;

mod census;
mod sweeps;
mod dynamic_stack;
mod clusters;
mod cooperative;
mod features;
mod tensor;

const BASIC: &str = include_str!("basic.ptx");

fn launch<T: Copy>(m: &Arc<ModuleImage>, k: &str, grid: u32, block: u32, dyn_shared: u32, args: &[T]) {
    let mut buf = Vec::new();
    for a in args {
        let bytes = unsafe { std::slice::from_raw_parts(a as *const T as *const u8, std::mem::size_of::<T>()) };
        buf.extend_from_slice(bytes);
    }
    m.launch(k, LaunchConfig { grid: [grid, 1, 1], block: [block, 1, 1], dynamic_shared_bytes: dyn_shared }, &buf)
        .unwrap_or_else(|e| panic!("{k}: {e:?}"));
}

#[test]
fn vector_add_grid_stride() {
    let m = ModuleImage::load_ptx(BASIC).unwrap();
    let n = 1000usize;
    let a: Vec<f32> = (0..n).map(|i| i as f32).collect();
    let b: Vec<f32> = (0..n).map(|i| (2 * i) as f32).collect();
    let mut c = vec![0f32; n];
    let args = [a.as_ptr() as u64, b.as_ptr() as u64, c.as_mut_ptr() as u64, n as u64];
    launch(&m, "vadd", 3, 128, 0, &args);
    for i in 0..n {
        assert_eq!(c[i], (3 * i) as f32, "at {i}");
    }
}

#[test]
fn shared_reduction_with_barriers() {
    let m = ModuleImage::load_ptx(BASIC).unwrap();
    for block in [32u32, 64, 256, 1024] {
        let n = 5000usize;
        let input: Vec<i32> = (0..n as i32).collect();
        let mut out = 0i32;
        let grid = (n as u32).div_ceil(block);
        let args = [input.as_ptr() as u64, &mut out as *mut i32 as u64, n as u64];
        launch(&m, "reduce", grid, block, block * 4, &args);
        assert_eq!(out as i64, (n as i64 - 1) * n as i64 / 2, "block {block}");
    }
}

#[test]
fn shuffle_down_and_ballot() {
    let m = ModuleImage::load_ptx(BASIC).unwrap();
    let mut out = vec![0u32; 8];
    launch(&m, "shfl", 1, 128, 0, &[out.as_mut_ptr() as u64]);
    for w in 0..4u32 {
        let sum: u32 = (w * 32..w * 32 + 32).sum();
        assert_eq!(out[w as usize * 2], sum);
        assert_eq!(out[w as usize * 2 + 1], 0xAAAA_AAAA);
    }
}

#[test]
fn divergent_loops_and_branches() {
    let m = ModuleImage::load_ptx(BASIC).unwrap();
    let mut out = vec![0i32; 96];
    launch(&m, "diverge", 1, 96, 0, &[out.as_mut_ptr() as u64]);
    for t in 0..96i32 {
        let mut acc = 0;
        for k in 0..t {
            if k % 3 == 0 {
                continue;
            }
            if k > 20 {
                break;
            }
            acc += k;
        }
        if t % 2 == 1 {
            acc = -acc;
        } else if t % 4 == 0 {
            acc *= 2;
        }
        assert_eq!(out[t as usize], acc, "thread {t}");
    }
}

/// Every kernel of the PTX corpus the front end is tested on must compile (a census of what
/// the executor cannot run yet, with the instruction named).
#[test]
fn corpus_kernels_compile() {
    let root = std::env::var("CUEMU_REPO").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    let dir = format!("{root}/ptx/tests/data/ptx");
    let mut failures = Vec::new();
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let m = match ModuleImage::load_ptx(&text) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{}: load: {}", p.display(), e.message));
                continue;
            }
        };
        for k in m.kernel_names() {
            n += 1;
            if let Err(e) = m.compile(&k) {
                failures.push(format!("{} {k}: {e}", p.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    eprintln!("{} of {n} kernels compiled", n - failures.len());
    let allowed = std::env::var("CUEMU_CORPUS_ALLOWED_FAILURES").ok().and_then(|v| v.parse().ok()).unwrap_or(usize::MAX);
    assert!(failures.len() <= allowed);
}

/// A kernel storing through a bad pointer (param 0) once per thread; `bar.sync` variant too.
const BAD_STORE: &str = r#"
.version 7.0
.target sm_75
.address_size 64
.visible .entry bad_store(.param .u64 p)
{
    .reg .b32 %r<2>;
    .reg .b64 %rd<3>;
    ld.param.u64 %rd1, [p];
    mov.u32 %r1, %tid.x;
    st.global.u32 [%rd1], %r1;
    ret;
}
.visible .entry bad_store_sync(.param .u64 p)
{
    .reg .b32 %r<2>;
    .reg .b64 %rd<3>;
    ld.param.u64 %rd1, [p];
    mov.u32 %r1, %tid.x;
    bar.sync 0;
    st.global.u32 [%rd1], %r1;
    bar.sync 0;
    ret;
}
"#;

#[test]
fn memory_faults_are_launch_errors_not_crashes() {
    let m = ModuleImage::load_ptx(BAD_STORE).unwrap();
    let cfg = LaunchConfig { grid: [4, 1, 1], block: [64, 1, 1], dynamic_shared_bytes: 0 };
    for kernel in ["bad_store", "bad_store_sync"] {
        for bad in [16u64, 0xdead_0000_0000] {
            match m.launch(kernel, cfg, &bad.to_le_bytes()) {
                Err(LaunchError::IllegalAddress(msg)) => assert!(msg.contains("illegal memory access"), "{msg}"),
                other => panic!("{kernel} at {bad:#x}: expected IllegalAddress, got {other:?}"),
            }
        }
        // The executor is still usable afterwards, on the same threads.
        let mut x = 0u32;
        m.launch(kernel, cfg, &(&mut x as *mut u32 as u64).to_le_bytes()).unwrap();
        assert!(x < 64);
    }
}

/// Inline assembly (cuda_fp16.h and friends) names registers without `%`, in nested scopes.
const BARE_NAMES: &str = r#"
.version 7.0
.target sm_75
.address_size 64
.visible .entry split(.param .u64 out)
{
    .reg .b32 %r<3>;
    .reg .b64 %rd<3>;
    ld.param.u64 %rd1, [out];
    mov.u32 %r1, 0x00020001;
    { .reg .b16 low, high;
      mov.b32 {low, high}, %r1;
      cvt.u32.u16 %r2, high; }
    st.global.u32 [%rd1], %r2;
    ret;
}
"#;

#[test]
fn bare_register_names_in_inline_asm_scopes() {
    let m = ModuleImage::load_ptx(BARE_NAMES).unwrap();
    let mut out = 0u32;
    launch(&m, "split", 1, 32, 0, &[&mut out as *mut u32 as u64]);
    assert_eq!(out, 2);
}

// ---- one test per control-flow shape (CUDA source in cfg_shapes.cu) ----

const CFG: &str = include_str!("cfg_shapes.ptx");

fn run_shape(kernel: &str, threads: u32, extra: &[u64]) -> Vec<i32> {
    let m = ModuleImage::load_ptx(CFG).unwrap();
    let mut out = vec![0i32; threads as usize];
    let mut args = vec![out.as_mut_ptr() as u64];
    args.extend_from_slice(extra);
    launch(&m, kernel, 1, threads, 0, &args);
    out
}

#[test]
fn shape_barrier_then_return() {
    let out = run_shape("barrier_then_return", 256, &[]);
    for t in 0..128 {
        assert_eq!(out[t], (255 - t as i32) * 3, "thread {t}");
    }
    assert!(out[128..].iter().all(|&v| v == 0));
}

#[test]
fn shape_barrier_in_loop() {
    let (n, rounds) = (96usize, 5);
    let out = run_shape("barrier_in_loop", n as u32, &[rounds as u64]);
    let mut v: Vec<i32> = (0..n as i32).collect();
    for r in 0..rounds {
        let s = v.clone();
        for t in 0..n {
            v[t] = s[(t + r + 1) % n] + 1;
        }
    }
    assert_eq!(out, v);
}

#[test]
fn shape_nested_lane_loops() {
    let out = run_shape("nested_lane_loops", 128, &[]);
    for t in 0..128i32 {
        let mut acc = 0;
        for i in 0..t % 7 {
            for j in 0..(t % 5) + i {
                if (i * j + t) % 11 == 10 {
                    break;
                }
                acc += i + j;
            }
        }
        assert_eq!(out[t as usize], acc, "thread {t}");
    }
}

#[test]
fn shape_multi_exit_loop() {
    let out = run_shape("multi_exit_loop", 64, &[]);
    for t in 0..64i32 {
        let mut k = 0;
        let expect = loop {
            k += 1;
            if k * t % 13 == 12 {
                break 1000 + k;
            }
            if k > t % 9 {
                break k;
            }
        };
        assert_eq!(out[t as usize], expect, "thread {t}");
    }
}

#[test]
fn shape_lane_switch() {
    let out = run_shape("lane_switch", 64, &[]);
    for t in 0..64i32 {
        let r = match t % 9 {
            0 => 10,
            1 => t * 2,
            2 => -t,
            3 | 4 => t ^ 5,
            5 => t << 2,
            6 | 7 => t + 100,
            _ => 0,
        };
        assert_eq!(out[t as usize], r, "thread {t}");
    }
}

#[test]
fn shape_reconverge_then_vote() {
    let out = run_shape("reconverge_then_vote", 64, &[]);
    let v: Vec<i32> = (0..64i32).map(|t| if t & 1 == 1 { t * 5 - if t & 2 != 0 { 3 } else { 0 } } else { t / 2 }).collect();
    for t in 0..64usize {
        let warp = t / 32 * 32;
        let mut b = 0u32;
        for l in 0..32 {
            if v[warp + l] > 40 {
                b |= 1 << l;
            }
        }
        assert_eq!(out[t], (b & 0x7fff_ffff) as i32 + v[t ^ 1], "thread {t}");
    }
}

#[test]
fn shape_recursion() {
    let out = run_shape("recursion", 64, &[]);
    for t in 0..64i32 {
        let n = t % 12;
        assert_eq!(out[t as usize], n * (n + 1) / 2, "thread {t}");
    }
}

/// An irreducible loop (two entries), which nvcc does not emit but PTX allows: the
/// smallest-pc scheme needs no structured control flow.
const IRREDUCIBLE: &str = r#"
.version 7.0
.target sm_75
.address_size 64
.visible .entry irreducible(.param .u64 out)
{
    .reg .b32 %r<6>;
    .reg .pred %p<4>;
    .reg .b64 %rd<4>;
    ld.param.u64 %rd1, [out];
    mov.u32 %r1, %tid.x;
    mov.u32 %r2, 0;
    and.b32 %r3, %r1, 1;
    setp.eq.u32 %p1, %r3, 0;
    @%p1 bra B;
A:
    add.u32 %r2, %r2, 1;
B:
    add.u32 %r2, %r2, 10;
    setp.lt.u32 %p2, %r2, %r1;
    @%p2 bra A;
    mul.wide.u32 %rd2, %r1, 4;
    add.u64 %rd3, %rd1, %rd2;
    st.global.u32 [%rd3], %r2;
    ret;
}
"#;

#[test]
fn shape_irreducible_loop() {
    let m = ModuleImage::load_ptx(IRREDUCIBLE).unwrap();
    let mut out = vec![0u32; 64];
    launch(&m, "irreducible", 1, 64, 0, &[out.as_mut_ptr() as u64]);
    for t in 0..64u32 {
        let mut r = 0u32;
        let mut at_b = t & 1 == 0;
        loop {
            if !at_b {
                r += 1;
            }
            at_b = false;
            r += 10;
            if r >= t {
                break;
            }
        }
        assert_eq!(out[t as usize], r, "thread {t}");
    }
}
