//! `alloca`, `stacksave`, `stackrestore` (PTX ISA 9.7.17): dynamic stack allocation. The CUDA
//! source is dynamic_stack.cu (nvcc turns `alloca()` into PTX `alloca`); the expected values
//! are computed on the host.

use super::*;

const DYNAMIC_STACK: &str = include_str!("dynamic_stack.ptx");

#[test]
fn alloca_per_lane_sizes_callees_and_divergence() {
    let m = ModuleImage::load_ptx(DYNAMIC_STACK).unwrap();
    let (blocks, threads, base) = (3u32, 96u32, 5i32);
    let mut out = vec![0i32; (blocks * threads) as usize];
    let mut args = (out.as_mut_ptr() as u64).to_le_bytes().to_vec();
    args.extend_from_slice(&base.to_le_bytes());
    m.launch("dyn_stack", LaunchConfig { grid: [blocks, 1, 1], block: [threads, 1, 1], dynamic_shared_bytes: 0 }, &args).unwrap();
    let sum_alloca = |n: i32| (0..n).map(|i| i * 3 + n).sum::<i32>();
    for (g, &got) in out.iter().enumerate() {
        let t = (g as u32 % threads) as i32;
        let n = base + t % 7;
        let total: i32 = (0..3).map(|r| sum_alloca(n + r)).sum();
        let mut chk: i32 = (0..n).map(|i| (t + i) as u8 as i8 as i32).sum();
        if t & 1 != 0 {
            chk += 5;
        }
        assert_eq!(got, total * 1000 + chk, "thread {g}");
    }
}

/// stacksave/stackrestore: memory released by stackrestore is handed out again, and the
/// function's return releases what it allocated (two launches in a row see the same stack).
const SAVE_RESTORE: &str = r#"
.version 7.3
.target sm_52
.address_size 64
.visible .entry save_restore(.param .u64 out)
{
    .reg .b32 %r<4>;
    .reg .b64 %rd<10>;
    ld.param.u64 %rd1, [out];
    cvta.to.global.u64 %rd1, %rd1;
    mov.u32 %r1, %tid.x;
    mul.wide.u32 %rd2, %r1, 16;
    add.s64 %rd1, %rd1, %rd2;
    stacksave.u64 %rd3;
    alloca.u64 %rd4, 40, 8;
    st.local.u32 [%rd4], %r1;
    stackrestore.u64 %rd3;
    alloca.u64 %rd5, 40, 8;
    ld.local.u32 %r2, [%rd5];
    alloca.u64 %rd6, 8, 8;
    sub.s64 %rd7, %rd5, %rd4;
    sub.s64 %rd8, %rd6, %rd5;
    st.global.u32 [%rd1], %r2;
    st.global.u64 [%rd1+8], %rd7;
    cvt.u32.u64 %r3, %rd8;
    st.global.u32 [%rd1+4], %r3;
    ret;
}
"#;

#[test]
fn stackrestore_releases_and_return_restores() {
    let m = ModuleImage::load_ptx(SAVE_RESTORE).unwrap();
    for _ in 0..2 {
        let mut out = vec![0u32; 32 * 4];
        m.launch("save_restore", LaunchConfig { grid: [1, 1, 1], block: [32, 1, 1], dynamic_shared_bytes: 0 }, &(out.as_mut_ptr() as u64).to_le_bytes())
            .unwrap();
        for t in 0..32 {
            let w = &out[t * 4..t * 4 + 4];
            assert_eq!(w[0], t as u32, "lane {t} reads back what it stored in the released block");
            assert_eq!((w[2], w[3]), (0, 0), "lane {t}: the second alloca starts where the first did");
            assert!(w[1] >= 40, "lane {t}: a later alloca lies past the live block ({})", w[1]);
        }
    }
}
