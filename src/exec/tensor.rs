//! Tensor maps and the bulk tensor copies of sm_90 (the Tensor Memory Accelerator): the
//! 128-byte `CUtensorMap` as cuemu encodes it, and what `cp.async.bulk.tensor` (load, store),
//! `cp.reduce.async.bulk.tensor` and `cp.reduce.async.bulk` do with it (PTX ISA 5.5 "Tensors",
//! 9.7.9.25 "Data movement: bulk and tensor copy").
//!
//! The layout below is cuemu's own: NVIDIA's encoding is undocumented, and a tensor map is
//! opaque to programs (they only pass it to the driver and to these instructions). The driver
//! writes it (`driver::tensormap`), kernels receive it by value as a 64-byte-aligned
//! `.param` (a `__grid_constant__`) or in global/constant memory, and the instructions read it
//! through its generic address.
//!
//! Semantics, each checked against an H100 (tests/programs/tma.cu and its golden output):
//! - a box of `boxDim[i]` elements is traversed with `elementStrides[i]` (dimension 0 is always
//!   dense): `ceil(boxDim[i] / elementStrides[i])` elements along dimension i;
//! - in shared memory the box is dense and row-major; with a swizzle mode, each row (the box's
//!   dimension 0) takes the whole swizzle span (32/64/128 B) even when it is narrower, and the
//!   16-byte chunk index (address bits 4..) is XORed with the address bits 7.. (the pattern
//!   repeats every 256/512/1024 bytes of the shared address: it is a function of the address);
//! - elements outside the tensor read as zero, or as the 16-bit pattern 0x7ff7 repeated (a NaN
//!   in every float format) when the map asks for the NaN fill;
//! - the mbarrier's transaction count completes by the box's size in bytes (without padding;
//!   an interleaved box counts 16/32-byte chunks);
//! - stores and reductions skip elements outside the tensor;
//! - a box whose start along dimension 0 is not 16-byte aligned, and a store or reduction at
//!   a negative coordinate, stop the kernel (the H100: illegal instruction);
//! - im2col: `pixelsPerColumn` pixels of `channelsPerPixel` channels; the pixel position starts
//!   at the instruction's coordinates and walks the bounding box (from `lowerCorner` to
//!   `dim - 1 + upperCorner` per spatial dimension, W fastest, stepping by the element
//!   strides, wrapping to the lower corner and on to the next H/D, then to the next image N);
//!   the pixel loaded is that position plus the instruction's im2col offsets; a start outside
//!   the bounding box along W/H/D stops the kernel (the H100: illegal instruction);
//! - interleaved maps (NC/xHWx): see [`for_each_element`]; a store or reduction at a negative
//!   coordinate stops the kernel there too;
//! - a shared-memory box that is not 128-byte aligned stops the kernel (the H100: misaligned
//!   address).

use super::runtime::{self, atom, mbar, FaultKind, WarpCtx, WARP};

/// "TMAP" and a layout version.
pub const MAGIC: u32 = 0x5041_4d54 ^ 1;

pub const KIND_TILED: u8 = 0;
pub const KIND_IM2COL: u8 = 1;
pub const KIND_IM2COL_WIDE: u8 = 2;

/// `CUtensorMapDataType`.
pub mod dtype {
    pub const U8: u8 = 0;
    pub const U16: u8 = 1;
    pub const U32: u8 = 2;
    pub const S32: u8 = 3;
    pub const U64: u8 = 4;
    pub const S64: u8 = 5;
    pub const F16: u8 = 6;
    pub const F32: u8 = 7;
    pub const F64: u8 = 8;
    pub const BF16: u8 = 9;
    pub const F32_FTZ: u8 = 10;
    pub const TF32: u8 = 11;
    pub const TF32_FTZ: u8 = 12;
    pub const U4_ALIGN8B: u8 = 13;
    pub const U4_ALIGN16B: u8 = 14;
    pub const U6_ALIGN16B: u8 = 15;

    /// Bytes per element (the packed sub-byte types are not handled: sm_100+).
    pub fn size(t: u8) -> Option<u64> {
        Some(match t {
            U8 => 1,
            U16 | F16 | BF16 => 2,
            U32 | S32 | F32 | F32_FTZ | TF32 | TF32_FTZ => 4,
            U64 | S64 | F64 => 8,
            _ => return None,
        })
    }

    pub fn is_float(t: u8) -> bool {
        matches!(t, F16 | F32 | F64 | BF16 | F32_FTZ | TF32 | TF32_FTZ)
    }
}

/// The 128 bytes of a `CUtensorMap` as cuemu writes them.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct TensorMap {
    pub address: u64,
    pub dims: [u64; 5],
    /// Byte strides of dimensions 1..rank (dimension 0 is dense).
    pub strides: [u64; 4],
    pub magic: u32,
    pub box_dim: [u16; 5],
    /// im2col bounding box corners, W first (then H, D).
    pub lower: [i16; 3],
    pub upper: [i16; 3],
    pub channels_per_pixel: u16,
    pub pixels_per_column: u16,
    pub kind: u8,
    pub dtype: u8,
    pub rank: u8,
    pub interleave: u8,
    pub swizzle: u8,
    pub l2_promotion: u8,
    pub oob_nan: u8,
    pub wide_mode: u8,
    pub elem_strides: [u8; 5],
    pub _reserved: [u8; 5],
}

const _: () = assert!(std::mem::size_of::<TensorMap>() == 128);

impl TensorMap {
    pub fn zeroed() -> TensorMap {
        // SAFETY: every field is an integer or an array of them.
        unsafe { std::mem::zeroed() }
    }

    /// The swizzle span in bytes (0: none). Modes 4..6 (128B with 32/64-byte atoms) are
    /// sm_100 modes; the driver refuses them on a 9.0 device.
    pub fn swizzle_span(&self) -> u64 {
        match self.swizzle {
            1 => 32,
            2 => 64,
            3..=6 => 128,
            _ => 0,
        }
    }

    fn elem(&self) -> u64 {
        dtype::size(self.dtype).unwrap_or(1)
    }

    /// The bytes one element of the traversal moves: the data type's size, or with an
    /// interleaved map the interleave chunk (16 or 32 bytes: the H100 counts dimension 0 in
    /// chunks, whatever the data type).
    pub fn unit(&self) -> u64 {
        match self.interleave {
            1 => 16,
            2 => 32,
            _ => self.elem(),
        }
    }
}

/// What a copy touches: one element's place in shared memory (bytes from the box's start,
/// before swizzling) and, when it lies inside the tensor, its byte offset from the tensor's
/// global address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Element {
    pub smem: u64,
    pub global: Option<u64>,
}

/// Why a copy cannot run; `illegal`: the H100 stops the kernel with an illegal instruction
/// there (measured), otherwise cuemu does not model the case and fails the launch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub why: String,
    pub illegal: bool,
}

fn refused(why: impl Into<String>) -> Refused {
    Refused { why: why.into(), illegal: false }
}

/// The elements of the box at `coords` (`offsets`: im2col offsets), in shared-memory order,
/// for the map's mode; calls `f` per element (one [`TensorMap::unit`] of bytes). Returns the
/// box's size in bytes (what the copy completes on the mbarrier).
///
/// With an interleaved map the unit is the interleave chunk (16 or 32 bytes, whatever the data
/// type), and the dimensions take the NC/xHWx roles the H100 gives them (measured,
/// scripts/tma/probe_interleave.cu): dimension 0 counts chunks (its size, box, element stride
/// and coordinate are in chunks; a chunk is all in or all out), dimension rank-2 (the channel
/// slice C/x) contributes one chunk at its coordinate whatever its box and element stride say,
/// and rows are dense in shared memory (not padded to the swizzle span). im2col walks
/// dimensions 0..=rank-3 as W, H, D (corners, offsets and element strides index them from 0),
/// loads one chunk per pixel (`channelsPerPixel` is not used), at the slice `coords[rank-2]`.
pub fn for_each_element(m: &TensorMap, coords: &[i32; 5], offsets: &[i16; 3], mut f: impl FnMut(Element)) -> Result<u64, Refused> {
    let rank = m.rank as usize;
    if m.magic != MAGIC || !(1..=5).contains(&rank) {
        return Err(refused("the operand is not a tensor map made by cuTensorMapEncode*"));
    }
    let Some(e) = dtype::size(m.dtype) else {
        return Err(refused(format!("tensor data type {} is not supported (sm_100 packed types)", m.dtype)));
    };
    let il = m.interleave != 0;
    if il && rank < 3 {
        return Err(refused("an interleaved tensor map of rank below 3"));
    }
    let unit = m.unit();
    if !il && (coords[0] as i64 * e as i64) % 16 != 0 {
        return Err(Refused { why: format!("box start {} along dimension 0 is not 16-byte aligned", coords[0]), illegal: true });
    }
    let inside = |dim: usize, x: i64| x >= 0 && (x as u64) < m.dims[dim];
    let offset = |dim: usize, x: i64| if dim == 0 { x as u64 * unit } else { x as u64 * m.strides[dim - 1] };
    let es = |dim: usize| m.elem_strides[dim].max(1) as u64;
    let span = m.swizzle_span();
    match m.kind {
        KIND_TILED => {
            // elements per dimension: dimension 0 is dense unless interleaved
            let n: Vec<u64> = (0..rank)
                .map(|i| match i {
                    0 if !il => m.box_dim[0] as u64,
                    _ if il && i == rank - 2 => 1,
                    _ => (m.box_dim[i] as u64).div_ceil(es(i)),
                })
                .collect();
            let step0 = if il { es(0) as i64 } else { 1 };
            let row = n[0] * unit;
            let pitch = if span != 0 && !il { row.max(span) } else { row };
            let rows: u64 = n[1..].iter().product();
            for r in 0..rows {
                // row r → (j1, j2, …), dimension 1 fastest
                let (mut rest, mut base, mut ok) = (r, 0u64, true);
                for d in 1..rank {
                    let j = rest % n[d];
                    rest /= n[d];
                    let x = coords[d] as i64 + j as i64 * es(d) as i64;
                    if inside(d, x) {
                        base += offset(d, x);
                    } else {
                        ok = false;
                    }
                }
                for j0 in 0..n[0] {
                    let x = coords[0] as i64 + j0 as i64 * step0;
                    let global = (ok && inside(0, x)).then(|| base + offset(0, x));
                    f(Element { smem: r * pitch + j0 * unit, global });
                }
            }
            Ok(n.iter().product::<u64>() * unit)
        }
        KIND_IM2COL if rank >= 3 => {
            let spatial = rank - 2;
            // the spatial dimension k (W, H, D) and its corner/offset index k; the pixel's
            // channels: dimension 0 (cpp elements) or, interleaved, one chunk of the slice
            // at coords[rank - 2]
            let sdim = |k: usize| if il { k } else { k + 1 };
            let (cpp, ppc) = (if il { 1 } else { m.channels_per_pixel as u64 }, m.pixels_per_column as u64);
            let row = cpp * unit;
            let pitch = if span != 0 && !il { row.max(span) } else { row };
            // traversal position: W, H, D (spatial), then N
            let mut pos: Vec<i64> = (0..spatial).map(|k| coords[sdim(k)] as i64).chain([coords[rank - 1] as i64]).collect();
            // (measured, interleaved or not: a start outside the bounding box along W/H/D stops
            // the H100 with an illegal instruction; N is not checked)
            for k in 0..spatial {
                let last = m.dims[sdim(k)] as i64 - 1 + m.upper[k] as i64;
                if pos[k] < m.lower[k] as i64 || pos[k] > last {
                    return Err(Refused {
                        why: format!("im2col start {} is outside the bounding box {}..={last} along dimension {}", pos[k], m.lower[k], sdim(k)),
                        illegal: true,
                    });
                }
            }
            for p in 0..ppc {
                let (mut base, mut ok) = (0u64, true);
                let mut at = |dim: usize, x: i64| {
                    if inside(dim, x) {
                        base += offset(dim, x);
                    } else {
                        ok = false;
                    }
                };
                for (k, &q) in pos.iter().enumerate() {
                    if k < spatial {
                        at(sdim(k), q + offsets[k] as i64);
                    } else {
                        at(rank - 1, q);
                    }
                }
                if il {
                    at(rank - 2, coords[rank - 2] as i64);
                }
                for c in 0..cpp {
                    let x = coords[0] as i64 + c as i64;
                    let global = if il { ok.then_some(base) } else { (ok && inside(0, x)).then(|| base + offset(0, x)) };
                    f(Element { smem: p * pitch + c * unit, global });
                }
                let mut k = 0;
                loop {
                    if k == spatial {
                        pos[k] += 1;
                        break;
                    }
                    pos[k] += es(sdim(k)) as i64;
                    let last = m.dims[sdim(k)] as i64 - 1 + m.upper[k] as i64;
                    if pos[k] > last {
                        pos[k] = m.lower[k] as i64;
                        k += 1;
                    } else {
                        break;
                    }
                }
            }
            Ok(cpp * ppc * unit)
        }
        KIND_IM2COL_WIDE => Err(refused("im2col::w (wide im2col) tensor copies are sm_100 instructions")),
        _ => Err(refused("the operand is not a tensor map made by cuTensorMapEncode*")),
    }
}

/// The shared-memory address of byte `off` of a box whose first byte is at shared address
/// `base`, after the map's swizzle: the 16-byte chunk bits 4.. XOR the address bits 7...
pub fn swizzled(span: u64, base: u64, off: u64) -> u64 {
    let a = base + off;
    if span == 0 {
        return a;
    }
    a ^ ((a >> 3) & ((span / 16 - 1) << 4))
}

/// Operation codes of [`cuemu_tensor`]: kind | rank << 4 | im2col << 8 | reduction << 12.
pub mod op {
    pub const LOAD: u32 = 0;
    pub const STORE: u32 = 1;
    pub const REDUCE: u32 = 2;
    /// A non-tensor `cp.async.bulk` (only its `.multicast::cluster` form comes here).
    pub const COPY: u32 = 4;
    pub const IM2COL: u32 = 1 << 8;
    /// `.multicast::cluster`: the same bytes into every CTA of the slot `CTA_MASK`.
    pub const MULTICAST: u32 = 1 << 9;
    /// Reduction operators, in `runtime::atom` order shifted by 12.
    pub const RED_SHIFT: u32 = 12;
}

/// Argument slots of [`cuemu_tensor`], 32 lanes of u64 each.
pub mod slot {
    /// Generic (host) address of the tensor map.
    pub const MAP: usize = 0;
    /// Host address of the shared-memory box.
    pub const SMEM_HOST: usize = 1;
    /// The shared address operand itself (the swizzle is a function of it).
    pub const SMEM_ADDR: usize = 2;
    /// Host address of the mbarrier (loads), or 0.
    pub const BAR: usize = 3;
    /// Coordinates; for [`op::COPY`], slot `COORD` is the size in bytes.
    pub const COORD: usize = 4;
    pub const OFFSET: usize = 9;
    /// The mbarrier's shared address operand (multicast: its offset in every destination CTA).
    pub const BAR_ADDR: usize = 12;
    /// `ctaMask` of `.multicast::cluster`.
    pub const CTA_MASK: usize = 13;
    /// For [`op::COPY`]: host address of the source.
    pub const SRC: usize = 14;
    pub const COUNT: usize = 15;
}

unsafe fn refuse(ctx: *mut WarpCtx, what: &str, why: &str, illegal: bool) {
    fault(ctx, if illegal { FaultKind::IllegalInstruction } else { FaultKind::Trap }, what, why);
}

unsafe fn fault(ctx: *mut WarpCtx, kind: FaultKind, what: &str, why: &str) {
    let c = &*ctx;
    if !c.block.is_null() {
        (*(*c.block).fault).raise(kind, format!("{what}: {why} (block ({}, {}, {}), warp {})", c.ctaid[0], c.ctaid[1], c.ctaid[2], c.warp_id));
    }
}

/// The reduction of one element of `ty` (dtype) at `p` with `v`, as `red` does (atomically:
/// other CTAs may reduce into the same tensor).
unsafe fn reduce_one(red: u32, t: u8, p: u64, v: u64) -> Result<(), String> {
    let ty = match t {
        dtype::U32 => atom::T_U32,
        dtype::S32 => atom::T_S32,
        dtype::U64 => atom::T_U64,
        dtype::S64 => atom::T_S64,
        dtype::F32 | dtype::F32_FTZ | dtype::TF32 | dtype::TF32_FTZ => atom::T_F32,
        dtype::F64 => atom::T_F64,
        dtype::F16 => atom::T_F16,
        dtype::BF16 => atom::T_BF16,
        _ => return Err(format!("reductions of tensor data type {t} are not defined")),
    };
    let (a, b) = ([v; 1], [0u64; 1]);
    let mut old = [0u64; 1];
    runtime::cuemu_atomic(red, ty, [p].as_ptr(), a.as_ptr(), b.as_ptr(), 1, old.as_mut_ptr());
    Ok(())
}

unsafe fn read_elem(p: *const u8, e: u64) -> u64 {
    match e {
        1 => *p as u64,
        2 => (p as *const u16).read_unaligned() as u64,
        4 => (p as *const u32).read_unaligned() as u64,
        _ => (p as *const u64).read_unaligned(),
    }
}

/// Completes `bytes` transaction bytes on the mbarrier at host address `bar`.
unsafe fn complete_tx(ctx: *mut WarpCtx, bar: *mut u64, bytes: u64) {
    if bar.is_null() {
        return;
    }
    let w = *bar;
    *bar = mbar::settle(mbar::pack(mbar::pending(w), mbar::expected(w), mbar::tx(w) - bytes as i64, w));
    let c = &*ctx;
    if !c.block.is_null() {
        // (all CTAs of a cluster run as one group: any block's progress wakes its waiters)
        (*c.block).progress.set(true);
    }
}

/// One bulk tensor operation per lane in `mask` (each active lane issues its own copy, as on
/// the GPU), or a multicast non-tensor bulk copy ([`op::COPY`]). `args`: [`slot`] × 32 lanes.
/// Copies complete at once: a load completes its bytes on the mbarrier(s), a store or
/// reduction is done before any later wait_group.
pub unsafe extern "C" fn cuemu_tensor(ctx: *mut WarpCtx, code: u32, args: *const u64, mask: u32) {
    crate::exec::fault::guard("cuemu_tensor", || {
        let arg = |s: usize, lane: usize| *args.add(s * WARP + lane);
        let kind = code & 15;
        let what = match kind {
            op::LOAD => "cp.async.bulk.tensor (load)",
            op::STORE => "cp.async.bulk.tensor (store)",
            op::REDUCE => "cp.reduce.async.bulk.tensor",
            op::COPY => "cp.async.bulk (multicast)",
            _ => "bulk copy",
        };
        for lane in 0..WARP {
            if mask & (1 << lane) == 0 {
                continue;
            }
            // (box or copy destination, mbarrier) host addresses: one pair, or with
            // .multicast::cluster the same offsets in each CTA of ctaMask
            let dests: Vec<(u64, u64)> = if code & op::MULTICAST != 0 {
                let ranks = arg(slot::CTA_MASK, lane) as u16;
                let mut v = Vec::new();
                for r in 0..16u32 {
                    if ranks & (1 << r) == 0 {
                        continue;
                    }
                    let Some(w) = runtime::cluster_window(&*ctx, r) else {
                        refuse(ctx, what, &format!("ctaMask {ranks:#x} names CTA {r}, outside the cluster"), false);
                        return;
                    };
                    v.push((w as u64 + arg(slot::SMEM_ADDR, lane), w as u64 + arg(slot::BAR_ADDR, lane)));
                }
                v
            } else {
                vec![(arg(slot::SMEM_HOST, lane), arg(slot::BAR, lane))]
            };
            if kind == op::COPY {
                let (src, n) = (arg(slot::SRC, lane) as *const u8, arg(slot::COORD, lane));
                for &(d, bar) in &dests {
                    std::ptr::copy(src, d as *mut u8, n as usize);
                    complete_tx(ctx, bar as *mut u64, n);
                }
                continue;
            }
            let mp = arg(slot::MAP, lane) as *const TensorMap;
            if mp.is_null() || (mp as usize) % 8 != 0 {
                refuse(ctx, what, "the tensor map operand is not an aligned address", false);
                return;
            }
            let m = mp.read();
            let rank = ((code >> 4) & 15) as usize;
            if m.magic == MAGIC && rank != m.rank as usize {
                refuse(ctx, what, &format!("a {rank}d copy through a rank-{} tensor map", m.rank), false);
                return;
            }
            if (code & op::IM2COL != 0) != (m.kind == KIND_IM2COL) && m.magic == MAGIC {
                refuse(ctx, what, "the copy's mode (.tile/.im2col) differs from the tensor map's", false);
                return;
            }
            let mut coords = [0i32; 5];
            for (d, c) in coords.iter_mut().enumerate().take(rank) {
                *c = arg(slot::COORD + d, lane) as i32;
            }
            let mut offsets = [0i16; 3];
            for (k, o) in offsets.iter_mut().enumerate() {
                *o = arg(slot::OFFSET + k, lane) as i16;
            }
            if (kind == op::STORE || kind == op::REDUCE) && coords[..rank].iter().any(|&c| c < 0) {
                refuse(ctx, what, "a negative box coordinate", true);
                return;
            }
            let saddr = arg(slot::SMEM_ADDR, lane);
            if saddr % 128 != 0 {
                // (measured: the H100 stops with a misaligned address, interleaved or not)
                fault(ctx, FaultKind::MisalignedAddress, what, &format!("the shared-memory box at {saddr:#x} is not 128-byte aligned"));
                return;
            }
            let span = m.swizzle_span();
            let e = m.elem();
            // bytes an element moves, in pieces that never straddle a 16-byte swizzle chunk (a
            // 32-byte interleave chunk is two pieces, each placed by its own address)
            let unit = m.unit();
            let piece = unit.min(16);
            let nan = m.oob_nan != 0 && dtype::is_float(m.dtype);
            let red = (code >> op::RED_SHIFT) & 15;
            for &(host, bar) in &dests {
                let mut failure: Option<String> = None;
                let walked = for_each_element(&m, &coords, &offsets, |el| {
                    for k in (0..unit).step_by(piece as usize) {
                        if failure.is_some() {
                            return;
                        }
                        let at = el.smem + k;
                        let s = host.wrapping_add(swizzled(span, saddr, at).wrapping_sub(saddr)) as *mut u8;
                        match (kind, el.global.map(|g| m.address + g + k)) {
                            (op::LOAD, Some(g)) => std::ptr::copy_nonoverlapping(g as *const u8, s, piece as usize),
                            // 0x7ff7 in every 16-bit unit (little-endian): a NaN in f16, bf16, f32
                            // and f64 alike.
                            (op::LOAD, None) => {
                                for b in 0..piece {
                                    *s.add(b as usize) = if nan { [0xf7, 0x7f][((at + b) & 1) as usize] } else { 0 };
                                }
                            }
                            (op::STORE, Some(g)) => std::ptr::copy_nonoverlapping(s as *const u8, g as *mut u8, piece as usize),
                            (op::REDUCE, Some(g)) => {
                                for b in (0..piece).step_by(e as usize) {
                                    if let Err(why) = reduce_one(red, m.dtype, g + b, read_elem(s.add(b as usize), e)) {
                                        failure = Some(why);
                                        return;
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                });
                match (walked, failure) {
                    (Err(Refused { why, illegal }), _) => {
                        refuse(ctx, what, &why, illegal);
                        return;
                    }
                    (Ok(_), Some(why)) => {
                        refuse(ctx, what, &why, false);
                        return;
                    }
                    (Ok(bytes), None) if kind == op::LOAD => complete_tx(ctx, bar as *mut u64, bytes),
                    _ => {}
                }
            }
        }
    })
}

/// `cp.reduce.async.bulk` (non-tensor) for the lanes in `mask`: `size[lane]` bytes at
/// `src[lane]` reduced element by element into `dst[lane]` with `red` (`runtime::atom`) on
/// `ty` (`runtime::atom::T_*`).
pub unsafe extern "C" fn cuemu_bulk_reduce(red: u32, ty: u32, dst: *const u64, src: *const u64, size: *const u64, mask: u32) {
    crate::exec::fault::guard("cuemu_bulk_reduce", || {
        let e: u64 = match ty {
            atom::T_F16 | atom::T_BF16 | atom::T_B16 => 2,
            atom::T_U32 | atom::T_S32 | atom::T_F32 => 4,
            _ => 8,
        };
        for lane in 0..WARP {
            if mask & (1 << lane) == 0 {
                continue;
            }
            let (d, s, n) = (*dst.add(lane), *src.add(lane), *size.add(lane));
            let mut k = 0;
            while k + e <= n {
                let v = read_elem((s + k) as *const u8, e);
                let mut old = [0u64; 1];
                runtime::cuemu_atomic(red, ty, [d + k].as_ptr(), [v].as_ptr(), [0u64].as_ptr(), 1, old.as_mut_ptr());
                k += e;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map2d(dt: u8, dims: [u64; 2], stride: u64, boxd: [u16; 2], es: [u8; 2], swizzle: u8) -> TensorMap {
        let mut m = TensorMap::zeroed();
        m.magic = MAGIC;
        m.kind = KIND_TILED;
        m.dtype = dt;
        m.rank = 2;
        m.dims[..2].copy_from_slice(&dims);
        m.strides[0] = stride;
        m.box_dim[..2].copy_from_slice(&boxd);
        m.elem_strides = [es[0], es[1], 1, 1, 1];
        m.swizzle = swizzle;
        m
    }

    fn elements(m: &TensorMap, c: [i32; 5]) -> (Vec<Element>, u64) {
        let mut v = Vec::new();
        let n = for_each_element(m, &c, &[0; 3], |e| v.push(e)).unwrap();
        (v, n)
    }

    #[test]
    fn tile_box_addresses_and_bounds() {
        // f32 40x24, row pitch 176 B, box 8x8 at (36, 20): 4 columns and 4 rows inside
        let m = map2d(dtype::F32, [40, 24], 176, [8, 8], [1, 1], 0);
        let (v, bytes) = elements(&m, [36, 20, 0, 0, 0]);
        assert_eq!(bytes, 256);
        assert_eq!(v.len(), 64);
        assert_eq!(v[0], Element { smem: 0, global: Some(36 * 4 + 20 * 176) });
        assert_eq!(v[3].global, Some(39 * 4 + 20 * 176));
        assert_eq!(v[4].global, None, "x = 40 is past dimension 0");
        assert_eq!(v[8 * 3].global, Some(36 * 4 + 23 * 176));
        assert_eq!(v[8 * 4].global, None, "y = 24 is past dimension 1");
        assert_eq!(v.iter().filter(|e| e.global.is_some()).count(), 16);
        assert_eq!(v[63].smem, 63 * 4);
        // far outside: nothing inside, the box still has its size
        let (v, bytes) = elements(&m, [-70000, 5, 0, 0, 0]);
        assert_eq!(bytes, 256);
        assert!(v.iter().all(|e| e.global.is_none()));
    }

    #[test]
    fn element_strides_skip_rows_and_shrink_the_box() {
        // es {1, 3}: ceil(8 / 3) = 3 rows, y = -3, 0, 3
        let m = map2d(dtype::F32, [40, 24], 176, [8, 8], [1, 3], 0);
        let (v, bytes) = elements(&m, [8, -3, 0, 0, 0]);
        assert_eq!(bytes, 8 * 3 * 4);
        assert_eq!(v[0].global, None);
        assert_eq!(v[8].global, Some(8 * 4));
        assert_eq!(v[16].global, Some(8 * 4 + 3 * 176));
        assert_eq!(v[16].smem, 2 * 32);
    }

    #[test]
    fn swizzle_rows_take_the_whole_span() {
        // 64-byte rows under the 128-byte swizzle sit 128 bytes apart
        let m = map2d(dtype::U16, [256, 64], 512, [32, 16], [1, 1], 3);
        let (v, bytes) = elements(&m, [8, 1, 0, 0, 0]);
        assert_eq!(bytes, 32 * 16 * 2);
        assert_eq!(v[32].smem, 128);
        assert_eq!(v[32 * 15 + 31].smem, 15 * 128 + 62);
    }

    #[test]
    fn swizzle_permutes_16_byte_chunks_by_address() {
        // 128B: chunk c of row r (128-byte rows from a 1024-aligned base) lands at chunk c ^ (r % 8)
        for r in 0..16u64 {
            for c in 0..8u64 {
                assert_eq!(swizzled(128, 0x400, r * 128 + c * 16 + 5), 0x400 + r * 128 + ((c ^ (r % 8)) * 16) + 5);
            }
        }
        // 64B: chunk bits 4-5 XOR address bits 7-8; 32B: bit 4 XOR bit 7
        assert_eq!(swizzled(64, 0, 128 + 16), 128 + 0);
        assert_eq!(swizzled(64, 0, 3 * 128), 3 * 128 + 48);
        assert_eq!(swizzled(32, 0, 128 + 16), 128);
        assert_eq!(swizzled(32, 0, 256 + 16), 256 + 16);
        // the pattern follows the address, not the box: a box at 0x480 starts mid-pattern
        assert_eq!(swizzled(128, 0x480, 0), 0x480 + 16);
        assert_eq!(swizzled(0, 0x480, 7), 0x487);
    }

    #[test]
    fn misaligned_start_and_foreign_maps_are_refused() {
        let m = map2d(dtype::F32, [40, 24], 176, [8, 8], [1, 1], 0);
        assert!(for_each_element(&m, &[5, 0, 0, 0, 0], &[0; 3], |_| {}).is_err_and(|r| r.illegal));
        assert!(for_each_element(&m, &[-4, 0, 0, 0, 0], &[0; 3], |_| {}).is_ok());
        let mut bad = m;
        bad.magic = 0;
        assert!(for_each_element(&bad, &[0; 5], &[0; 3], |_| {}).is_err_and(|r| !r.illegal));
    }

    #[test]
    fn im2col_walks_the_bounding_box() {
        // NWC: C = 16 (u16), W = 20, N = 2; corners -1/-1: positions w = -1..=18, then n + 1
        let mut m = TensorMap::zeroed();
        m.magic = MAGIC;
        m.kind = KIND_IM2COL;
        m.dtype = dtype::U16;
        m.rank = 3;
        m.dims[..3].copy_from_slice(&[16, 20, 2]);
        m.strides[..2].copy_from_slice(&[32, 640]);
        m.lower[0] = -1;
        m.upper[0] = -1;
        m.channels_per_pixel = 16;
        m.pixels_per_column = 32;
        m.elem_strides = [1; 5];
        let mut v = Vec::new();
        let bytes = for_each_element(&m, &[0, 5, 0, 0, 0], &[2, 0, 0], |e| v.push(e)).unwrap();
        assert_eq!(bytes, 16 * 32 * 2);
        // pixel 0: position w = 5, loaded pixel w = 5 + 2
        assert_eq!(v[0].global, Some(7 * 32));
        // pixel 11: w = 16 → 18 (inside); pixel 12: w = 17 → 19; pixel 13: w = 18 → 20 (outside)
        assert_eq!(v[16 * 12].global, Some(19 * 32));
        assert_eq!(v[16 * 13].global, None);
        // pixel 14 wraps to w = -1 of image 1 → loads w = 1 of image 1
        assert_eq!(v[16 * 14].global, Some(640 + 32));
    }

    /// An f32 map with interleave `il` (1: 16B, 2: 32B) over dims/strides, tiled.
    fn interleaved(il: u8, dims: &[u64], strides: &[u64], boxd: &[u16], es: &[u8]) -> TensorMap {
        let mut m = TensorMap::zeroed();
        m.magic = MAGIC;
        m.kind = KIND_TILED;
        m.dtype = dtype::F32;
        m.rank = dims.len() as u8;
        m.interleave = il;
        m.dims[..dims.len()].copy_from_slice(dims);
        m.strides[..strides.len()].copy_from_slice(strides);
        m.box_dim[..boxd.len()].copy_from_slice(boxd);
        m.elem_strides = [1; 5];
        m.elem_strides[..es.len()].copy_from_slice(es);
        m
    }

    #[test]
    fn interleaved_tiles_count_chunks_and_take_one_slice() {
        // (tma.cu's golden: "il16 box 8x8x2 (60,0,0)") f32 64 x 24 x 4, pitches 256/6144: dimension 0
        // counts 16-byte chunks (60..63 inside, 64..67 outside), dimension 1 (rank - 2) gives
        // one chunk row whatever its box, dimension 2 its 2 slices; 8 * 16 * 2 bytes
        let m = interleaved(1, &[64, 24, 4], &[256, 6144], &[8, 8, 2], &[1, 1, 1]);
        let (v, bytes) = elements(&m, [60, 0, 0, 0, 0]);
        assert_eq!(bytes, 256);
        assert_eq!(v.len(), 16);
        assert_eq!(v[0], Element { smem: 0, global: Some(960) });
        assert_eq!(v[3].global, Some(1008));
        assert_eq!(v[4].global, None);
        assert_eq!(v[8], Element { smem: 128, global: Some(6144 + 960) });
        // element stride 3 along dimension 0 ("il16 box 12x8x2 es 3,1,1 (4,0,0)"): chunks 4, 7, 10, 13
        let m = interleaved(1, &[64, 24, 4], &[256, 6144], &[12, 8, 2], &[3, 1, 1]);
        let (v, bytes) = elements(&m, [4, 0, 0, 0, 0]);
        assert_eq!(bytes, 128);
        assert_eq!(v.iter().take(4).map(|e| e.global.unwrap()).collect::<Vec<_>>(), [64, 112, 160, 208]);
        // 32-byte chunks; 4d: dimension 2 (rank - 2) is the one that collapses
        let m = interleaved(2, &[64, 12, 4, 3], &[256, 3072, 12288], &[4, 2, 8, 2], &[1, 1, 1, 1]);
        let (v, bytes) = elements(&m, [1, 1, 1, 0, 0]);
        assert_eq!(bytes, 4 * 32 * 2 * 2);
        assert_eq!(v[0].global, Some(32 + 256 + 3072));
        assert_eq!(v[4], Element { smem: 128, global: Some(32 + 512 + 3072) });
        assert_eq!(v[8].global, Some(32 + 256 + 3072 + 12288));
    }

    #[test]
    fn interleaved_im2col_walks_from_dimension_0() {
        // ("im2col il16 ppc 24 (5,1,0) off 0") NC/4WC4 f32: W 10 (chunks), 3 slices (pitch 160),
        // N 2 (pitch 480); corners -1/-1: W positions 5..=8, then image 1 from -1
        let mut m = interleaved(1, &[10, 3, 2], &[160, 480], &[], &[]);
        m.kind = KIND_IM2COL;
        m.lower[0] = -1;
        m.upper[0] = -1;
        m.channels_per_pixel = 4;
        m.pixels_per_column = 24;
        let mut v = Vec::new();
        let bytes = for_each_element(&m, &[5, 1, 0, 0, 0], &[0; 3], |e| v.push(e)).unwrap();
        assert_eq!(bytes, 24 * 16);
        assert_eq!(v.len(), 24);
        assert_eq!(v[0], Element { smem: 0, global: Some(160 + 5 * 16) });
        assert_eq!(v[3].global, Some(160 + 8 * 16));
        assert_eq!(v[4].global, None, "w = -1 of image 1");
        assert_eq!(v[5], Element { smem: 80, global: Some(480 + 160) });
        assert_eq!(v[14].global, None, "image 2");
        // a start outside the bounding box stops the H100 (interleaved or not)
        let f = |m: &TensorMap, c: [i32; 5]| for_each_element(m, &c, &[0; 3], |_| {});
        assert!(f(&m, [-2, 0, 0, 0, 0]).is_err_and(|r| r.illegal));
        assert!(f(&m, [9, 0, 0, 0, 0]).is_err_and(|r| r.illegal));
        assert!(f(&m, [8, 0, 2, 0, 0]).is_ok(), "N is not checked");
        let mut plain = m;
        plain.interleave = 0;
        plain.dims[..3].copy_from_slice(&[4, 10, 2]);
        plain.strides[..2].copy_from_slice(&[16, 160]);
        assert!(f(&plain, [0, -3, 0, 0, 0]).is_err_and(|r| r.illegal));
        assert!(f(&plain, [0, -1, 0, 0, 0]).is_ok());
    }
}
