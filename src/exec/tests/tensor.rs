//! Executor tests for the bulk tensor copies through compiled PTX: a tensor map (cuemu's
//! layout, as the driver writes it) passed by value as a 64-byte-aligned `.param`, read through
//! its generic address (`cvta.param`), a 2D load with the 128-byte swizzle completing on an
//! mbarrier, a store and a reduction clipped at the tensor's edge, a non-tensor bulk
//! reduction, tensor and non-tensor `.multicast::cluster` copies into a cluster of two, and a
//! map copied from shared memory by `tensormap.cp_fenceproxy`. The expected values are computed here from the tensor's contents; the layout
//! rules themselves were measured on an H100 (tests/programs/tma.cu).

use super::*;
use crate::exec::tensor::{dtype, TensorMap, KIND_TILED, MAGIC};

const TMA: &str = r#"
.version 8.3
.target sm_90
.address_size 64
.visible .entry load2d(.param .align 64 .b8 tmap[128], .param .u64 out, .param .u32 x, .param .u32 y, .param .u32 bytes)
{
    .reg .b32 %r<16>;
    .reg .b64 %rd<8>;
    .reg .pred %p<4>;
    .shared .align 1024 .b8 buf[4096];
    .shared .align 8 .b64 bar;
    mov.u32 %r1, %tid.x;
    mov.u32 %r2, bar;
    mov.u32 %r5, buf;
    mov.b64 %rd1, tmap;
    cvta.param.u64 %rd2, %rd1;
    ld.param.u32 %r3, [x];
    ld.param.u32 %r4, [y];
    ld.param.u32 %r6, [bytes];
    setp.ne.u32 %p1, %r1, 0;
    @%p1 bra WAIT;
    mbarrier.init.shared::cta.b64 [%r2], 1;
    mbarrier.arrive.expect_tx.shared::cta.b64 _, [%r2], %r6;
    cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%r5], [%rd2, {%r3, %r4}], [%r2];
WAIT:
    bar.sync 0;
LOOP:
    mbarrier.try_wait.parity.shared::cta.b64 %p2, [%r2], 0;
    @!%p2 bra LOOP;
    ld.param.u64 %rd3, [out];
    mov.u32 %r7, %r1;
COPY:
    shl.b32 %r8, %r7, 2;
    add.u32 %r9, %r5, %r8;
    ld.shared.u32 %r10, [%r9];
    cvt.u64.u32 %rd4, %r8;
    add.u64 %rd5, %rd3, %rd4;
    st.global.u32 [%rd5], %r10;
    add.u32 %r7, %r7, 32;
    setp.lt.u32 %p3, %r7, 1024;
    @%p3 bra COPY;
    ret;
}

// src (4096 bytes) → shared, then lane 0: op 0 store, 1 reduce add, 2 bulk add.u32 of 256 bytes to raw
.visible .entry store2d(.param .align 64 .b8 tmap[128], .param .u64 src, .param .u32 x, .param .u32 y, .param .u32 op, .param .u64 raw)
{
    .reg .b32 %r<16>;
    .reg .b64 %rd<8>;
    .reg .pred %p<4>;
    .shared .align 128 .b8 buf[4096];
    mov.u32 %r1, %tid.x;
    mov.u32 %r5, buf;
    ld.param.u64 %rd3, [src];
    mov.u32 %r7, %r1;
FILL:
    shl.b32 %r8, %r7, 2;
    cvt.u64.u32 %rd4, %r8;
    add.u64 %rd5, %rd3, %rd4;
    ld.global.u32 %r10, [%rd5];
    add.u32 %r9, %r5, %r8;
    st.shared.u32 [%r9], %r10;
    add.u32 %r7, %r7, 32;
    setp.lt.u32 %p3, %r7, 1024;
    @%p3 bra FILL;
    fence.proxy.async.shared::cta;
    bar.sync 0;
    setp.ne.u32 %p1, %r1, 0;
    @%p1 bra DONE;
    mov.b64 %rd1, tmap;
    cvta.param.u64 %rd2, %rd1;
    ld.param.u32 %r3, [x];
    ld.param.u32 %r4, [y];
    ld.param.u32 %r6, [op];
    setp.eq.u32 %p2, %r6, 1;
    @%p2 bra RED;
    setp.eq.u32 %p2, %r6, 2;
    @%p2 bra BULK;
    cp.async.bulk.tensor.2d.global.shared::cta.tile.bulk_group [%rd2, {%r3, %r4}], [%r5];
    bra.uni COMMIT;
RED:
    cp.reduce.async.bulk.tensor.2d.global.shared::cta.add.tile.bulk_group [%rd2, {%r3, %r4}], [%r5];
    bra.uni COMMIT;
BULK:
    ld.param.u64 %rd6, [raw];
    cp.reduce.async.bulk.global.shared::cta.bulk_group.add.u32 [%rd6], [%r5], 256;
COMMIT:
    cp.async.bulk.commit_group;
    cp.async.bulk.wait_group.read 0;
DONE:
    ret;
}

// a cluster of 2: rank 0 multicasts a 2D box and 256 raw bytes into both CTAs; every CTA
// copies its box (1024 bytes) and raw bytes (256) to out + rank * 1280
.visible .entry mcast(.param .align 64 .b8 tmap[128], .param .u64 out, .param .u64 src)
{
    .reg .b16 %rs<2>;
    .reg .b32 %r<20>;
    .reg .b64 %rd<10>;
    .reg .pred %p<4>;
    .shared .align 128 .b8 buf[1024];
    .shared .align 16 .b8 raw[256];
    .shared .align 8 .b64 bar;
    .shared .align 8 .b64 bar2;
    mov.u32 %r1, %tid.x;
    mov.u32 %r2, bar;
    mov.u32 %r3, bar2;
    mov.u32 %r5, buf;
    mov.u32 %r6, raw;
    setp.ne.u32 %p1, %r1, 0;
    @%p1 bra SYNC;
    mbarrier.init.shared::cta.b64 [%r2], 1;
    mbarrier.init.shared::cta.b64 [%r3], 1;
    mbarrier.arrive.expect_tx.shared::cta.b64 _, [%r2], 1024;
    mbarrier.arrive.expect_tx.shared::cta.b64 _, [%r3], 256;
SYNC:
    barrier.cluster.arrive;
    barrier.cluster.wait;
    mov.u32 %r11, %cluster_ctarank;
    or.b32 %r12, %r11, %r1;
    setp.ne.u32 %p1, %r12, 0;
    @%p1 bra WAIT;
    mov.b64 %rd1, tmap;
    cvta.param.u64 %rd2, %rd1;
    mov.u32 %r7, 0;
    mov.u32 %r8, 2;
    mov.u16 %rs1, 3;
    cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes.multicast::cluster [%r5], [%rd2, {%r7, %r8}], [%r2], %rs1;
    ld.param.u64 %rd3, [src];
    cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes.multicast::cluster [%r6], [%rd3], 256, [%r3], %rs1;
WAIT:
    mbarrier.try_wait.parity.shared::cta.b64 %p2, [%r2], 0;
    @!%p2 bra WAIT;
WAIT2:
    mbarrier.try_wait.parity.shared::cta.b64 %p2, [%r3], 0;
    @!%p2 bra WAIT2;
    ld.param.u64 %rd4, [out];
    mul.lo.u32 %r13, %r11, 1280;
    cvt.u64.u32 %rd5, %r13;
    add.u64 %rd4, %rd4, %rd5;
    mov.u32 %r7, %r1;
COPY:
    shl.b32 %r8, %r7, 2;
    add.u32 %r9, %r5, %r8;
    ld.shared.u32 %r10, [%r9];
    cvt.u64.u32 %rd6, %r8;
    add.u64 %rd7, %rd4, %rd6;
    st.global.u32 [%rd7], %r10;
    add.u32 %r7, %r7, 32;
    setp.lt.u32 %p3, %r7, 320;
    @%p3 bra COPY;
    ret;
}

// maps: a tensor map in global memory (128 B) and room for a copy (the next 128 B). The CTA
// copies the map into shared memory, then `tensormap.cp_fenceproxy` to the second slot, which
// the load then uses: a 16 x 4 u32 box at (0, 1) into out.
.visible .entry cpmap(.param .u64 maps, .param .u64 out)
{
    .reg .b32 %r<16>;
    .reg .b64 %rd<12>;
    .reg .pred %p<4>;
    .shared .align 128 .b8 smap[128];
    .shared .align 128 .b8 buf[256];
    .shared .align 8 .b64 bar;
    mov.u32 %r1, %tid.x;
    ld.param.u64 %rd1, [maps];
    mov.u32 %r3, smap;
    setp.lt.u32 %p1, %r1, 16;
    @!%p1 bra SKIP;
    shl.b32 %r2, %r1, 3;
    cvt.u64.u32 %rd2, %r2;
    add.u64 %rd3, %rd1, %rd2;
    ld.global.u64 %rd4, [%rd3];
    add.u32 %r4, %r3, %r2;
    st.shared.u64 [%r4], %rd4;
SKIP:
    bar.sync 0;
    add.u64 %rd5, %rd1, 128;
    tensormap.cp_fenceproxy.global.shared::cta.tensormap::generic.release.gpu.sync.aligned [%rd5], [%r3], 128;
    fence.proxy.tensormap::generic.acquire.gpu [%rd5], 128;
    mov.u32 %r5, buf;
    mov.u32 %r6, bar;
    setp.ne.u32 %p1, %r1, 0;
    @%p1 bra WAIT;
    mbarrier.init.shared::cta.b64 [%r6], 1;
    mbarrier.arrive.expect_tx.shared::cta.b64 _, [%r6], 256;
    mov.u32 %r7, 0;
    mov.u32 %r8, 1;
    cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%r5], [%rd5, {%r7, %r8}], [%r6];
WAIT:
    bar.sync 0;
LOOP:
    mbarrier.try_wait.parity.shared::cta.b64 %p2, [%r6], 0;
    @!%p2 bra LOOP;
    ld.param.u64 %rd6, [out];
    shl.b32 %r9, %r1, 3;
    add.u32 %r10, %r5, %r9;
    ld.shared.u64 %rd7, [%r10];
    cvt.u64.u32 %rd8, %r9;
    add.u64 %rd9, %rd6, %rd8;
    st.global.u64 [%rd9], %rd7;
    ret;
}
"#;

/// A 2D tiled map of `dt` over `dims` with row pitch `pitch`, box `boxd`, swizzle mode `sw`.
fn map(dt: u8, base: u64, dims: [u64; 2], pitch: u64, boxd: [u16; 2], sw: u8) -> TensorMap {
    let mut m = TensorMap::zeroed();
    m.magic = MAGIC;
    m.kind = KIND_TILED;
    m.dtype = dt;
    m.rank = 2;
    m.address = base;
    m.dims[..2].copy_from_slice(&dims);
    m.strides[0] = pitch;
    m.box_dim[..2].copy_from_slice(&boxd);
    m.elem_strides = [1; 5];
    m.swizzle = sw;
    m
}

/// The parameter buffer: the map (offset 0, 128 bytes), then the u64/u32 parameters at their
/// natural alignment.
fn params(m: &TensorMap, rest: &[(u64, usize)]) -> Vec<u8> {
    let mut buf = unsafe { std::slice::from_raw_parts(m as *const TensorMap as *const u8, 128) }.to_vec();
    for &(v, size) in rest {
        while buf.len() % size != 0 {
            buf.push(0);
        }
        buf.extend_from_slice(&v.to_le_bytes()[..size]);
    }
    buf
}

fn run(m: &Arc<ModuleImage>, k: &str, args: &[u8]) -> Result<(), LaunchError> {
    m.launch(k, LaunchConfig { grid: [1, 1, 1], block: [32, 1, 1], dynamic_shared_bytes: 0 }, args)
}

#[test]
fn swizzled_load_with_out_of_bounds_rows() {
    let m = ModuleImage::load_ptx(TMA).unwrap();
    // u16 tensor 256 x 40, row pitch 512; box 64 x 16 (128-byte rows) at (192, 32): rows 32..39
    // inside, 40..47 outside (zero)
    let g: Vec<u8> = (0..512 * 40).map(|i: u32| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let tm = map(dtype::U16, g.as_ptr() as u64, [256, 40], 512, [64, 16], 3);
    let mut out = vec![0u8; 4096];
    let args = params(&tm, &[(out.as_mut_ptr() as u64, 8), (192, 4), (32, 4), (2048, 4)]);
    run(&m, "load2d", &args).unwrap();
    for row in 0..16usize {
        for chunk in 0..8usize {
            // the 128-byte swizzle of a 1024-aligned box: chunk c of row r lands at c ^ (r % 8)
            let at = row * 128 + ((chunk ^ (row % 8)) * 16);
            let want: Vec<u8> = if row + 32 < 40 {
                let src = (32 + row) * 512 + 192 * 2 + chunk * 16;
                g[src..src + 16].to_vec()
            } else {
                vec![0; 16]
            };
            assert_eq!(&out[at..at + 16], &want[..], "row {row} chunk {chunk}");
        }
    }
    assert!(out[2048..].iter().all(|&b| b == 0), "nothing past the box");
}

#[test]
fn store_and_reductions_clip_at_the_edge() {
    let m = ModuleImage::load_ptx(TMA).unwrap();
    // u32 tensor 40 x 24 (row pitch 176 B), box 8 x 8 at (36, 20): a 4 x 4 corner inside
    let src: Vec<u32> = (0..1024u32).map(|i| i * 3 + 1).collect();
    let init: Vec<u32> = (0..44 * 24u32).map(|i| i ^ 0x5555).collect();
    for op in 0..2u64 {
        let mut t = init.clone();
        let tm = map(dtype::U32, t.as_mut_ptr() as u64, [40, 24], 176, [8, 8], 0);
        let args = params(&tm, &[(src.as_ptr() as u64, 8), (36, 4), (20, 4), (op, 4), (0, 8)]);
        run(&m, "store2d", &args).unwrap();
        for y in 0..24usize {
            for x in 0..44usize {
                let (i, old) = (y * 44 + x, init[y * 44 + x]);
                let inside = (36..40).contains(&x) && y >= 20;
                let s = src[(y.saturating_sub(20)) * 8 + x.saturating_sub(36)];
                let want = match (inside, op) {
                    (false, _) => old,
                    (true, 0) => s,
                    _ => old.wrapping_add(s),
                };
                assert_eq!(t[i], want, "op {op} at ({x}, {y})");
            }
        }
    }
    // a store at a negative coordinate stops the kernel (the H100: illegal instruction)
    let mut t = init.clone();
    let tm = map(dtype::U32, t.as_mut_ptr() as u64, [40, 24], 176, [8, 8], 0);
    let args = params(&tm, &[(src.as_ptr() as u64, 8), ((-4i32) as u32 as u64, 4), (0, 4), (0, 4), (0, 8)]);
    assert!(matches!(run(&m, "store2d", &args), Err(LaunchError::IllegalInstruction(_))));
    assert_eq!(t, init);
}

#[test]
fn bulk_reduction_adds_element_by_element() {
    let m = ModuleImage::load_ptx(TMA).unwrap();
    let src: Vec<u32> = (0..1024u32).map(|i| i.wrapping_mul(0x9E37_79B9)).collect();
    let mut raw: Vec<u32> = (0..80u32).map(|i| i * 1000).collect();
    let tm = map(dtype::U32, 0, [40, 24], 176, [8, 8], 0);
    let args = params(&tm, &[(src.as_ptr() as u64, 8), (0, 4), (0, 4), (2, 4), (raw.as_mut_ptr() as u64, 8)]);
    run(&m, "store2d", &args).unwrap();
    for i in 0..80usize {
        let want = if i < 64 { (i as u32 * 1000).wrapping_add(src[i]) } else { i as u32 * 1000 };
        assert_eq!(raw[i], want, "element {i}");
    }
}

#[test]
fn multicast_reaches_every_cta_of_the_mask() {
    let m = ModuleImage::load_ptx(TMA).unwrap();
    // u32 tensor 16 x 20 (row pitch 64 B), box 16 x 16 at (0, 2): rows 2..17, all inside
    let g: Vec<u32> = (0..16 * 20u32).map(|i| i * 7 + 3).collect();
    let raw: Vec<u8> = (0..256u32).map(|i| (i * 13) as u8).collect();
    let tm = map(dtype::U32, g.as_ptr() as u64, [16, 20], 64, [16, 16], 0);
    let mut out = vec![0u32; 2 * 320];
    let args = params(&tm, &[(out.as_mut_ptr() as u64, 8), (raw.as_ptr() as u64, 8)]);
    let cfg = LaunchConfig { grid: [2, 1, 1], block: [32, 1, 1], dynamic_shared_bytes: 0 };
    m.launch_in_clusters("mcast", cfg, ClusterShape { dim: [2, 1, 1], explicit: true, ..ClusterShape::NONE }, &args).unwrap();
    for rank in 0..2 {
        let o = &out[rank * 320..rank * 320 + 320];
        assert_eq!(&o[..256], &g[32..32 + 256], "CTA {rank}: the box");
        let bytes: Vec<u8> = o[256..].iter().flat_map(|w| w.to_le_bytes()).collect();
        assert_eq!(bytes, raw, "CTA {rank}: the raw bytes");
    }
}

#[test]
fn a_map_copied_by_tensormap_cp_fenceproxy_drives_a_load() {
    let m = ModuleImage::load_ptx(TMA).unwrap();
    let g: Vec<u32> = (0..16 * 16u32).map(|i| i * 5 + 1).collect();
    let tm = map(dtype::U32, g.as_ptr() as u64, [16, 16], 64, [16, 4], 0);
    // the map, then 128 bytes of garbage the kernel overwrites with its copy
    let mut maps = vec![0xA5u8; 256];
    maps[..128].copy_from_slice(unsafe { std::slice::from_raw_parts(&tm as *const TensorMap as *const u8, 128) });
    let mut out = vec![0u32; 64];
    let mut args = Vec::new();
    args.extend_from_slice(&(maps.as_mut_ptr() as u64).to_le_bytes());
    args.extend_from_slice(&(out.as_mut_ptr() as u64).to_le_bytes());
    run(&m, "cpmap", &args).unwrap();
    assert_eq!(&maps[128..], &maps[..128], "the copy");
    assert_eq!(&out[..], &g[16..80], "rows 1..4 through the copied map");
}
