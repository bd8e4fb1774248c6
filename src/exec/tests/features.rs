//! Executor tests for calls through function pointers, device malloc/free, cp.async,
//! cp.async.bulk with mbarrier completion, brx.idx and special registers. The CUDA source is
//! features.cu (PTX for compute_90 in features.ptx); the expected values were also checked on
//! an H100 (driver 580.159.04) with the same kernels.

use super::*;

const FEATURES: &str = include_str!("features.ptx");

fn launch_args(m: &Arc<ModuleImage>, k: &str, grid: u32, block: u32, args: &[u64]) -> Result<(), LaunchError> {
    let mut buf = Vec::new();
    for a in args {
        buf.extend_from_slice(&a.to_le_bytes());
    }
    m.launch(k, LaunchConfig { grid: [grid, 1, 1], block: [block, 1, 1], dynamic_shared_bytes: 0 }, &buf)
}

#[test]
fn indirect_calls_through_tables_and_selected_pointers() {
    let m = ModuleImage::load_ptx(FEATURES).unwrap();
    let mut out = vec![0i32; 32];
    let mut table = [0u64; 3];
    launch_args(&m, "indirect_calls", 1, 32, &[out.as_mut_ptr() as u64, table.as_mut_ptr() as u64]).unwrap();
    for t in 0..32i32 {
        let r = match t % 3 {
            0 => t + 7,
            1 => t - 7,
            _ => t * 7,
        };
        let g = if t & 4 != 0 { t - 3 } else { t * 3 };
        assert_eq!(out[t as usize], r * 1000 + g, "thread {t}");
    }
    // The pointers the kernel read from the initialised global table are the table's contents,
    // distinct, and not addresses of anything (they trap if dereferenced).
    let (p, size) = m.global("op_table").unwrap();
    assert_eq!(size, 24);
    let stored = unsafe { std::slice::from_raw_parts(p as *const u64, 3) };
    assert_eq!(stored, &table);
    assert!(table[0] != table[1] && table[1] != table[2] && table[0] != table[2]);
    // A second kernel compiled separately sees the same pointers.
    let mut table2 = [0u64; 3];
    launch_args(&m, "indirect_calls", 1, 32, &[out.as_mut_ptr() as u64, table2.as_mut_ptr() as u64]).unwrap();
    assert_eq!(table, table2);
}

/// A call through a pointer that names no function is a trap, not a jump into the unknown.
const BAD_POINTER: &str = r#"
.version 7.0
.target sm_75
.address_size 64
.func (.param .b32 r) twice(.param .b32 a)
{
    .reg .b32 %r<3>;
    ld.param.b32 %r1, [a];
    add.s32 %r2, %r1, %r1;
    st.param.b32 [r], %r2;
    ret;
}
.visible .entry call_ptr(.param .u64 out, .param .u64 fp)
{
    .reg .b32 %r<4>;
    .reg .b64 %rd<4>;
    ld.param.u64 %rd1, [out];
    ld.param.u64 %rd2, [fp];
    mov.u64 %rd3, twice;
    mov.u32 %r1, %tid.x;
    add.u32 %r1, %r1, 21;
    {
    .param .b32 p0;
    st.param.b32 [p0], %r1;
    .param .b32 r0;
    proto : .callprototype (.param .b32 _) _ (.param .b32 _);
    call (r0), %rd2, (p0), proto;
    ld.param.b32 %r2, [r0];
    }
    st.global.u32 [%rd1], %r2;
    st.global.u64 [%rd1+8], %rd3;
    ret;
}
"#;

#[test]
fn indirect_call_through_a_bad_pointer_traps() {
    let m = ModuleImage::load_ptx(BAD_POINTER).unwrap();
    let mut out = [0u64; 2];
    // First learn the function's pointer from the kernel itself (mov.u64 %rd, twice).
    let bogus = 0x1234u64;
    let r = launch_args(&m, "call_ptr", 1, 1, &[out.as_mut_ptr() as u64, bogus]);
    assert!(matches!(r, Err(LaunchError::Trap(_))), "{r:?}");
    let fp = out[1];
    assert_ne!(fp, 0);
    launch_args(&m, "call_ptr", 1, 1, &[out.as_mut_ptr() as u64, fp]).unwrap();
    assert_eq!(out[0] as u32, 42);
    let mut outs = [0u64; 2];
    launch_args(&m, "call_ptr", 1, 1, &[outs.as_mut_ptr() as u64, fp]).unwrap();
    assert_eq!(outs[1], fp);
}

#[test]
fn device_malloc_and_free() {
    let m = ModuleImage::load_ptx(FEATURES).unwrap();
    let n = 100i64;
    let mut out = vec![0i64; 64];
    launch_args(&m, "device_malloc", 2, 32, &[out.as_mut_ptr() as u64, n as u64]).unwrap();
    for t in 0..64i64 {
        let len = n + t;
        assert_eq!(out[t as usize], t * (len - 1) * len / 2, "thread {t}");
    }
    // Larger than the heap (8 MiB by default): NULL, as on the GPU; 4 MiB fits once.
    let mut p = [1u64; 4];
    launch_args(&m, "malloc_too_big", 1, 4, &[p.as_mut_ptr() as u64, 1 << 40]).unwrap();
    assert_eq!(p, [0; 4]);
    launch_args(&m, "malloc_too_big", 1, 4, &[p.as_mut_ptr() as u64, 4 << 20]).unwrap();
    assert_ne!(p[0], 0);
    assert_eq!(&p[1..], &[0, 0, 0]);
}

#[test]
fn cp_async_with_zero_fill() {
    let m = ModuleImage::load_ptx(FEATURES).unwrap();
    let input: Vec<i32> = (0..300).map(|i: i32| i.wrapping_mul(0x0101_0101).wrapping_add(0x1234)).collect();
    let mut out = vec![-1i32; 160];
    launch_args(&m, "cp_async_copy", 1, 32, &[input.as_ptr() as u64, out.as_mut_ptr() as u64]).unwrap();
    assert_eq!(&out[..128], &input[..128]);
    for t in 0..32 {
        // src-size 2 of cp-size 4: two bytes copied, two zero-filled
        assert_eq!(out[128 + t], input[200 + t] & 0xffff, "lane {t}");
    }
}

#[test]
fn bulk_copy_completes_on_an_mbarrier() {
    let m = ModuleImage::load_ptx(FEATURES).unwrap();
    let n = 1000usize;
    let input: Vec<i32> = (0..n as i32).map(|i| i * 3 - 7).collect();
    let mut out = vec![0i32; n + 1];
    launch_args(&m, "bulk_copy", 1, 64, &[input.as_ptr() as u64, out.as_mut_ptr() as u64, n as u64]).unwrap();
    for i in 0..n {
        assert_eq!(out[i], input[i] + 1, "element {i}");
    }
    // The state an arrive returns is the barrier before it: 64 arrivals pending (the H100 agrees).
    assert_eq!(out[n], 64);
}

/// mbarrier between warps: warp 1 waits (try_wait.parity) for warp 0's arrival, which comes
/// after warp 0 wrote shared memory; a wait that never completes is a deadlock, not a hang.
const MBAR_WARPS: &str = r#"
.version 8.0
.target sm_90
.address_size 64
.visible .entry handoff(.param .u64 out, .param .u32 arrivals)
{
    .reg .b32 %r<8>;
    .reg .b64 %rd<4>;
    .reg .pred %p<4>;
    .shared .align 8 .b64 bar;
    .shared .align 4 .b32 box;
    ld.param.u64 %rd1, [out];
    ld.param.u32 %r5, [arrivals];
    mov.u32 %r1, %tid.x;
    shr.u32 %r2, %r1, 5;
    and.b32 %r3, %r1, 31;
    setp.ne.u32 %p1, %r1, 0;
    @%p1 bra INITED;
    mbarrier.init.shared.b64 [bar], %r5;
INITED:
    bar.sync 0;
    setp.ne.u32 %p2, %r2, 0;
    @%p2 bra CONSUMER;
    setp.ne.u32 %p3, %r3, 0;
    @%p3 bra DONE;
    mov.u32 %r4, 4242;
    st.shared.u32 [box], %r4;
    mbarrier.arrive.shared.b64 %rd2, [bar];
    bra DONE;
CONSUMER:
WAIT:
    mbarrier.try_wait.parity.shared.b64 %p3, [bar], 0;
    @!%p3 bra WAIT;
    ld.shared.u32 %r6, [box];
    mul.wide.u32 %rd3, %r1, 4;
    add.s64 %rd3, %rd1, %rd3;
    st.global.u32 [%rd3], %r6;
DONE:
    ret;
}
"#;

#[test]
fn mbarrier_hands_data_between_warps() {
    let m = ModuleImage::load_ptx(MBAR_WARPS).unwrap();
    let mut out = vec![0u32; 64];
    launch_args(&m, "handoff", 1, 64, &[out.as_mut_ptr() as u64, 1]).unwrap();
    assert!(out[32..].iter().all(|&v| v == 4242), "{out:?}");
    // Two arrivals expected, one comes: the consumers can never proceed.
    let r = launch_args(&m, "handoff", 1, 64, &[out.as_mut_ptr() as u64, 2]);
    assert!(matches!(r, Err(LaunchError::Deadlock(_))), "{r:?}");
}

/// brx.idx over a .branchtargets list, with a divergent index and a guard.
const BRX: &str = r#"
.version 7.0
.target sm_75
.address_size 64
.visible .entry jump(.param .u64 out)
{
    .reg .b32 %r<8>;
    .reg .b64 %rd<4>;
    .reg .pred %p<2>;
    ld.param.u64 %rd1, [out];
    mov.u32 %r1, %tid.x;
    rem.u32 %r2, %r1, 4;
    mov.u32 %r3, 1000;
    setp.eq.u32 %p1, %r1, 31;
    ts: .branchtargets L0, L1, L2, L3;
    @!%p1 brx.idx %r2, ts;
    mov.u32 %r3, 5000;
    bra END;
L0:
    mov.u32 %r3, 10;
    bra END;
L1:
    add.u32 %r3, %r1, 100;
    bra END;
L2:
    mul.lo.u32 %r3, %r1, %r1;
L3:
    add.u32 %r3, %r3, 7;
END:
    mul.wide.u32 %rd2, %r1, 4;
    add.s64 %rd3, %rd1, %rd2;
    st.global.u32 [%rd3], %r3;
    ret;
}
"#;

#[test]
fn brx_idx_jumps_per_lane() {
    let m = ModuleImage::load_ptx(BRX).unwrap();
    let mut out = vec![0u32; 64];
    launch_args(&m, "jump", 1, 64, &[out.as_mut_ptr() as u64]).unwrap();
    for t in 0..64u32 {
        let want = if t == 31 {
            5000
        } else {
            match t % 4 {
                0 => 10,
                1 => t + 100,
                2 => t * t + 7,
                _ => 1000 + 7,
            }
        };
        assert_eq!(out[t as usize], want, "thread {t}");
    }
}

#[test]
fn special_registers_and_timers() {
    let m = ModuleImage::load_ptx(FEATURES).unwrap();
    let mut out = vec![0u64; 8 * 128];
    launch_args(&m, "special_regs", 2, 64, &[out.as_mut_ptr() as u64]).unwrap();
    for t in 0..128usize {
        let o = &out[t * 8..t * 8 + 8];
        // %globaltimer and %clock64 never go backwards across the nanosleep
        assert!(o[0] < 1 << 40 && o[1] < 1 << 40, "thread {t}: {o:?}");
        assert!(o[7] > 0, "thread {t}: %globaltimer is a time");
        // %warpid < %nwarpid, %smid < %nsmid
        assert!(o[2] < o[3], "thread {t}: {o:?}");
        assert!(o[4] < o[5], "thread {t}: {o:?}");
    }
}

/// redux.sync and match.sync where the two half-warps name different member masks (what a
/// thread_block_tile<16> reduction emits for sm_80+): each half sees only itself.
const HALF_WARPS: &str = r#"
.version 7.0
.target sm_80
.address_size 64
.visible .entry halves(.param .u64 out)
{
    .reg .b32 %r<12>;
    .reg .b64 %rd<4>;
    .reg .pred %p<3>;
    ld.param.u64 %rd1, [out];
    mov.u32 %r1, %tid.x;
    and.b32 %r2, %r1, 16;
    setp.eq.u32 %p1, %r2, 0;
    selp.b32 %r3, 0x0000ffff, 0xffff0000, %p1;
    redux.sync.add.s32 %r4, %r1, %r3;
    sub.s32 %r9, 8, %r1;
    redux.sync.min.s32 %r5, %r9, %r3;
    and.b32 %r6, %r1, 3;
    match.any.sync.b32 %r7, %r6, %r3;
    match.all.sync.b32 %r8|%p2, %r2, %r3;
    selp.u32 %r10, 1, 0, %p2;
    mul.wide.u32 %rd2, %r1, 20;
    add.s64 %rd3, %rd1, %rd2;
    st.global.v4.u32 [%rd3], {%r4, %r5, %r7, %r8};
    st.global.u32 [%rd3+16], %r10;
    ret;
}
"#;

#[test]
fn redux_and_match_per_member_mask() {
    let m = ModuleImage::load_ptx(HALF_WARPS).unwrap();
    let mut out = vec![0u32; 32 * 5];
    launch_args(&m, "halves", 1, 32, &[out.as_mut_ptr() as u64]).unwrap();
    for t in 0..32u32 {
        let half = if t < 16 { 0..16u32 } else { 16..32 };
        let o = &out[t as usize * 5..t as usize * 5 + 5];
        let hmask: u32 = half.clone().fold(0, |b, k| b | 1 << k);
        assert_eq!(o[0], half.clone().sum::<u32>(), "redux.add, thread {t}");
        assert_eq!(o[1] as i32, half.clone().map(|k| 8 - k as i32).min().unwrap(), "redux.min, thread {t}");
        assert_eq!(o[2], half.clone().filter(|k| k & 3 == t & 3).fold(0, |b, k| b | 1 << k), "match.any, thread {t}");
        assert_eq!((o[3], o[4]), (hmask, 1), "match.all, thread {t}");
    }
}
