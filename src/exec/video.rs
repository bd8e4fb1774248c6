//! Video instructions (PTX ISA 9.7.10): the scalar `vadd`, `vsub`, `vabsdiff`, `vmin`, `vmax`,
//! `vshl`, `vshr`, `vmad`, `vset` with sub-word operand selectors, saturation, a secondary
//! operation or a merge into a sub-word of `c`; and the SIMD `vadd2/4`, `vsub2/4`, `vavrg2/4`,
//! `vabsdiff2/4`, `vmin2/4`, `vmax2/4`, `vset2/4` with element selectors from the eight bytes
//! (four half-words) of `{b, a}`, a result mask and a merge or accumulate.
//!
//! nvcc emits `vabsdiff2`/`vabsdiff4` for the `__vabsdiff*`/`__vsad*` intrinsics; the rest is
//! there for hand-written PTX. On sm_50 and later these are not hardware instructions: ptxas
//! expands them into integer code, and the H100's results for every form we test
//! (tests/conformance, `video_*`) are what this module reproduces. The compiler packs the
//! instruction's modifiers into a [`Desc`] word and calls [`cuemu_video`] once per warp; the
//! per-lane work is ordinary integer code here, which keeps the exact semantics in one place
//! (these are rare in real kernels, so a call per warp instruction costs nothing that matters).

/// The operation, bits 0–3 of a descriptor.
pub mod op {
    pub const ADD: u64 = 0;
    pub const SUB: u64 = 1;
    pub const ABSDIFF: u64 = 2;
    pub const MIN: u64 = 3;
    pub const MAX: u64 = 4;
    pub const AVRG: u64 = 5;
    pub const SHL: u64 = 6;
    pub const SHR: u64 = 7;
    pub const MAD: u64 = 8;
    pub const SET: u64 = 9;
}

/// An instruction's modifiers, packed into one `u64` constant by the compiler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Desc {
    pub op: u64,
    /// 0 scalar, 2 or 4 (SIMD lanes)
    pub simd: u64,
    pub d_signed: bool,
    pub a_signed: bool,
    pub b_signed: bool,
    pub sat: bool,
    /// scalar: 0 none, 1 `.add`, 2 `.min`, 3 `.max`; SIMD: 1 = `.add` (accumulate)
    pub op2: u64,
    /// scalar: 0 none, 1–4 `.b0`–`.b3`, 5–6 `.h0`/`.h1` (merge into `c`); SIMD: the mask bits
    pub dsel: u64,
    /// scalar: as `dsel`; SIMD: element i's source sub-word in bits 3i..3i+2
    pub asel: u64,
    pub bsel: u64,
    /// `vset`: 0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge
    pub cmp: u64,
    /// `vshl`/`vshr`: `.wrap` (else `.clamp`)
    pub wrap: bool,
    /// `vmad`: `.po`, `.shr7` (1) / `.shr15` (2), negated product, negated `c`
    pub po: bool,
    pub scale: u64,
    pub neg_ab: bool,
    pub neg_c: bool,
}

impl Desc {
    pub fn pack(&self) -> u64 {
        self.op
            | (self.simd & 7) << 4
            | (self.d_signed as u64) << 7
            | (self.a_signed as u64) << 8
            | (self.b_signed as u64) << 9
            | (self.sat as u64) << 10
            | (self.op2 & 3) << 11
            | (self.dsel & 15) << 13
            | (self.asel & 0xfff) << 17
            | (self.bsel & 0xfff) << 29
            | (self.cmp & 7) << 41
            | (self.wrap as u64) << 44
            | (self.po as u64) << 45
            | (self.scale & 3) << 46
            | (self.neg_ab as u64) << 48
            | (self.neg_c as u64) << 49
    }
    pub fn unpack(w: u64) -> Desc {
        Desc {
            op: w & 15,
            simd: w >> 4 & 7,
            d_signed: w >> 7 & 1 != 0,
            a_signed: w >> 8 & 1 != 0,
            b_signed: w >> 9 & 1 != 0,
            sat: w >> 10 & 1 != 0,
            op2: w >> 11 & 3,
            dsel: w >> 13 & 15,
            asel: w >> 17 & 0xfff,
            bsel: w >> 29 & 0xfff,
            cmp: w >> 41 & 7,
            wrap: w >> 44 & 1 != 0,
            po: w >> 45 & 1 != 0,
            scale: w >> 46 & 3,
            neg_ab: w >> 48 & 1 != 0,
            neg_c: w >> 49 & 1 != 0,
        }
    }
}

/// The sub-word `sel` of `x` (0: the whole word; 1–4 byte 0–3; 5–6 half 0–1), sign- or
/// zero-extended.
fn part(x: u32, signed: bool, sel: u64) -> i64 {
    match sel {
        1..=4 => {
            let v = (x >> (8 * (sel - 1))) as u8;
            if signed {
                v as i8 as i64
            } else {
                v as i64
            }
        }
        5 | 6 => {
            let v = (x >> (16 * (sel - 5))) as u16;
            if signed {
                v as i16 as i64
            } else {
                v as i64
            }
        }
        _ => {
            if signed {
                x as i32 as i64
            } else {
                x as i64
            }
        }
    }
}

fn clamp(v: i128, signed: bool, bits: u32) -> i128 {
    let (lo, hi) = if signed { (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1) } else { (0, (1i128 << bits) - 1) };
    v.clamp(lo, hi)
}

fn compare(a: i64, b: i64, cmp: u64) -> bool {
    match cmp {
        0 => a == b,
        1 => a != b,
        2 => a < b,
        3 => a <= b,
        4 => a > b,
        _ => a >= b,
    }
}

/// One lane of a scalar video instruction.
///
/// PTX ISA 9.7.10.1 describes these with unbounded intermediates; an H100 (ptxas's expansion,
/// these are not hardware instructions since sm_50) differs where an intermediate leaves 32
/// bits, and we follow the H100 (every rule below was fitted to its results for the
/// `video_*` conformance forms, all bit for bit):
/// - `.sat` with a merge into a sub-word clamps the intermediate taken as an unsigned 33-bit
///   number (so a negative result saturates to the field's maximum);
/// - `.sat` of an unsigned result wraps above 2^32 instead of clamping (negative still gives
///   0); shifts saturate their intermediate wrapped to 34 bits;
/// - `.min`/`.max` with `c` compare `vadd`/`vsub` results wrapped to 32 bits (sign-extended,
///   then as unsigned 33-bit numbers for an unsigned destination), other results unwrapped;
///   `c` is signed when the destination is (for `vset`: when an operand is);
/// - a shift merged into a sub-word keeps the result's own bits at that position.
pub fn scalar(d: &Desc, a: u32, b: u32, c: u32) -> u32 {
    let ta = part(a, d.a_signed, d.asel);
    let shift = matches!(d.op, op::SHL | op::SHR);
    let tb = part(b, d.b_signed && !shift, d.bsel);
    let wrapped = matches!(d.op, op::ADD | op::SUB);
    let (tmp, signed): (i128, bool) = match d.op {
        op::MAD => return mad(d, ta, tb, c),
        op::ADD => (ta as i128 + tb as i128, d.d_signed),
        op::SUB => (ta as i128 - tb as i128, d.d_signed),
        op::ABSDIFF => ((ta as i128 - tb as i128).abs(), d.d_signed),
        op::MIN => (ta.min(tb) as i128, d.d_signed),
        op::MAX => (ta.max(tb) as i128, d.d_signed),
        op::SHL | op::SHR => {
            let n = if d.wrap { (tb & 31) as u32 } else { (tb as u64).min(32) as u32 };
            let v = if d.op == op::SHL { (ta as i128) << n } else { (ta as i128) >> n };
            (v, d.d_signed)
        }
        _ => (compare(ta, tb, d.cmp) as i128, d.a_signed || d.b_signed),
    };
    let field = match d.dsel {
        1..=4 => 8,
        5 | 6 => 16,
        _ => 32,
    };
    let tmp = if !d.sat {
        tmp
    } else if field < 32 {
        clamp(tmp & ((1 << 33) - 1), signed, field)
    } else if shift {
        clamp(sext(tmp, 34), signed, 32)
    } else if signed {
        clamp(tmp, true, 32)
    } else if tmp < 0 {
        0
    } else {
        tmp & 0xffff_ffff
    };
    let r = match d.op2 {
        1 => (tmp + c as i128) as u32,
        2 | 3 => {
            let min = d.op2 == 2;
            let (t, cv) = if signed {
                (if wrapped { sext(tmp, 32) } else { tmp }, c as i32 as i128)
            } else if shift {
                (tmp, c as i128)
            } else {
                let low = tmp & 0xffff_ffff;
                (if wrapped && low >> 31 != 0 { low | 1 << 32 } else { low }, c as i128)
            };
            if (t <= cv) == min {
                tmp as u32
            } else {
                c
            }
        }
        _ => tmp as u32,
    };
    if field == 32 {
        return r;
    }
    let shift_by = if field == 8 { 8 * (d.dsel - 1) } else { 16 * (d.dsel - 5) } as u32;
    let mask = (if field == 8 { 0xffu32 } else { 0xffff }) << shift_by;
    let v = if shift { r } else { r << shift_by };
    v & mask | c & !mask
}

/// `x` wrapped to `bits` bits, sign-extended.
fn sext(x: i128, bits: u32) -> i128 {
    (x << (128 - bits)) >> (128 - bits)
}

/// `vmad` as the H100 computes it (ptxas's expansion), which differs from PTX ISA 9.7.10.3's
/// description where the product or `c` leaves 32 bits; fitted to all 9216 golden cases of
/// the conformance suite (36 forms):
/// - a whole 32-bit operand (no byte/half selector) is sign-extended whatever its type; a
///   selected byte or half is extended by its type; `c` is always sign-extended;
/// - the product or `c` is negated as the ISA says (one's complement plus one), `.po` adds 1;
/// - the sum is kept in 64 bits; `.shr7`/`.shr15` shift it arithmetically when the result is
///   signed (an operand is signed or negated), logically (as an unsigned 64-bit pattern)
///   otherwise — so a negative unsigned sum saturates to 0 without a shift and to U32_MAX
///   with one;
/// - `.sat` clamps to the signed or unsigned 32-bit range by that same signedness.
fn mad(d: &Desc, ta: i64, tb: i64, c: u32) -> u32 {
    let signed = d.a_signed || d.b_signed || d.neg_ab || d.neg_c;
    let whole = |v: i64, sel: u64| if matches!(sel, 1..=6) { v } else { v as i32 as i64 };
    let (ta, tb) = (whole(ta, d.asel), whole(tb, d.bsel));
    let mut tmp = ta as i128 * tb as i128;
    let mut c = c as i32 as i128;
    let mut lsb = 0;
    if d.po {
        lsb = 1;
    } else if d.neg_ab {
        tmp = !tmp;
        lsb = 1;
    } else if d.neg_c {
        c = !c;
        lsb = 1;
    }
    let sum = (tmp + c + lsb) as i64;
    let shift = match d.scale {
        1 => 7,
        2 => 15,
        _ => 0,
    };
    let r = if signed { (sum >> shift) as i128 } else { ((sum as u64) >> shift) as i64 as i128 };
    let r = if d.sat { clamp(r, signed, 32) } else { r };
    r as u32
}

/// One lane of a SIMD video instruction (`d.simd` = 2 or 4 elements).
pub fn simd(d: &Desc, a: u32, b: u32, c: u32) -> u32 {
    let n = d.simd as u32;
    let bits = 32 / n;
    let field = (1u64 << bits) - 1;
    let pool = (b as u64) << 32 | a as u64;
    let elem = |sel: u64, i: u32, signed: bool| -> i64 {
        let k = (sel >> (3 * i)) & 7;
        let v = (pool >> (bits as u64 * k)) & field;
        if signed {
            ((v << (64 - bits)) as i64) >> (64 - bits)
        } else {
            v as i64
        }
    };
    let mut acc: i64 = c as i64;
    let mut merged: u32 = 0;
    for i in 0..n {
        let va = elem(d.asel, i, d.a_signed);
        let vb = elem(d.bsel, i, d.b_signed);
        let mut t: i64 = match d.op {
            op::ADD => va + vb,
            op::SUB => va - vb,
            op::AVRG => {
                let s = va + vb;
                if s >= 0 {
                    (s + 1) >> 1
                } else {
                    s >> 1
                }
            }
            op::ABSDIFF => (va - vb).abs(),
            op::MIN => va.min(vb),
            op::MAX => va.max(vb),
            _ => compare(va, vb, d.cmp) as i64,
        };
        if d.sat && d.op != op::SET {
            t = clamp(t as i128, d.d_signed, bits) as i64;
        }
        let on = d.dsel >> i & 1 != 0;
        if d.op2 == 1 {
            if on {
                acc += t;
            }
        } else {
            let v = if on { t as u64 & field } else { (c as u64 >> (bits * i)) & field };
            merged |= (v << (bits * i)) as u32;
        }
    }
    if d.op2 == 1 {
        acc as u32
    } else {
        merged
    }
}

/// `d[lane] = video(desc, a[lane], b[lane], c[lane])` for all 32 lanes (inactive lanes compute
/// garbage that the caller's masked write discards).
///
/// # Safety
/// `a`, `b`, `c` and `d` point to 32 `u32`s each.
pub unsafe extern "C" fn cuemu_video(desc: u64, a: *const u32, b: *const u32, c: *const u32, d: *mut u32) {
    crate::exec::fault::guard("cuemu_video", || {
        let k = Desc::unpack(desc);
        for l in 0..32 {
            let (x, y, z) = (*a.add(l), *b.add(l), *c.add(l));
            *d.add(l) = if k.simd == 0 { scalar(&k, x, y, z) } else { simd(&k, x, y, z) };
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_round_trip() {
        let d = Desc {
            op: op::MAD,
            simd: 4,
            d_signed: true,
            b_signed: true,
            sat: true,
            op2: 3,
            dsel: 0b1011,
            asel: 0o3210,
            bsel: 0o7654,
            cmp: 5,
            wrap: true,
            scale: 2,
            neg_c: true,
            ..Desc::default()
        };
        assert_eq!(Desc::unpack(d.pack()), d);
    }

    /// Hand-checked cases from PTX ISA 9.7.10; the H100's results for many more are in the
    /// conformance golden.
    #[test]
    fn sad_and_saturation() {
        // __vsadu4: sum of absolute byte differences plus c
        let sad4 = Desc { op: op::ABSDIFF, simd: 4, op2: 1, dsel: 0b1111, asel: 0o3210, bsel: 0o7654, ..Desc::default() };
        assert_eq!(simd(&sad4, 0x01_02_03_04, 0x04_03_02_01, 10), 10 + 3 + 1 + 1 + 3);
        // vadd2.s32.s32.s32.sat: 0x7fff + 1 saturates per half-word
        let add2 = Desc { op: op::ADD, simd: 2, d_signed: true, a_signed: true, b_signed: true, sat: true, dsel: 0b11, asel: 0o10, bsel: 0o32, ..Desc::default() };
        assert_eq!(simd(&add2, 0x8000_7fff, 0xffff_0001, 0), 0x8000_7fff);
        // vmax.s32.s32.s32 d.b1, a.b0, b.h1, c: merge into byte 1 of c, saturated to s8
        let m = Desc { op: op::MAX, d_signed: true, a_signed: true, b_signed: true, sat: true, dsel: 2, asel: 1, bsel: 6, ..Desc::default() };
        assert_eq!(scalar(&m, 0x05, 0x0123_0000, 0xaabb_ccdd), 0xaabb_7fdd);
    }
}
