//! Run-time side of the warp matrix instructions (PTX ISA 9.7.14): `mma.sync` for every shape
//! and type up to sm_90 and `wmma.load/store/mma` for every wmma shape and type.
//!
//! The compiled code stores a warp's fragment registers as `[register][lane]` words (4 bytes
//! per lane, 8 for `.f64` registers) and calls [`cuemu_mma`], [`cuemu_wmma_ldst`] or
//! [`cuemu_wmma_mma`] with a `kind` word that names the shape and types. The helpers decode the
//! fragments into whole matrices, multiply, and encode the result fragment.
//!
//! Arithmetic:
//! - f16 / bf16 / tf32 / e4m3 / e5m2 products are exact in f64. f32 results: the H100's own
//!   sums (see [`F32Sum`]: aligned-and-truncated terms for the m16n8 shapes and wmma, a chain
//!   of f32 fused multiply-adds for m8n8k4, two half-k f16 operations and an add for fp8);
//!   f16 results: the exact sum rounded to nearest.
//! - `mma.sp` (sparse A, PTX ISA 9.7.14.6): A's stored half is decoded like the dense form
//!   with k/2 columns and placed by the metadata ([`MmaDesc::sparse_columns`]); the sums are
//!   those of the dense forms over the k/2 products.
//! - tf32 operands are `.b32` registers whose 13 low mantissa bits the tensor cores ignore.
//! - f64 (`mma.m8n8k4.f64`, `m16n8k{4,8,16}.f64`, `wmma.m8n8k4.f64`): a chain of fused
//!   multiply-adds in k order starting from c, each rounded in the instruction's rounding mode
//!   (`.rn` by default; directed modes computed exactly with [`ExactSum`]), NaNs as
//!   [`fma_rnd`] says — bit for bit what the H100 returns.
//! - integers: exact, the s32 result wraps, or saturates with `.satfinite`; `.b1`: the popcount
//!   of `a xor b` (or `a and b`) summed over k.

use super::runtime::WARP;

/// Element types of matrix fragments.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Elem {
    F16 = 0,
    BF16 = 1,
    TF32 = 2,
    F32 = 3,
    F64 = 4,
    S8 = 5,
    U8 = 6,
    S4 = 7,
    U4 = 8,
    B1 = 9,
    E4M3 = 10,
    E5M2 = 11,
    S32 = 12,
}

impl Elem {
    pub fn from_name(s: &str) -> Option<Elem> {
        Some(match s {
            "f16" => Elem::F16,
            "bf16" => Elem::BF16,
            "tf32" => Elem::TF32,
            "f32" => Elem::F32,
            "f64" => Elem::F64,
            "s8" => Elem::S8,
            "u8" => Elem::U8,
            "s4" => Elem::S4,
            "u4" => Elem::U4,
            "b1" => Elem::B1,
            "e4m3" => Elem::E4M3,
            "e5m2" => Elem::E5M2,
            "s32" => Elem::S32,
            _ => return None,
        })
    }
    fn from_code(c: u32) -> Elem {
        use Elem::*;
        [F16, BF16, TF32, F32, F64, S8, U8, S4, U4, B1, E4M3, E5M2, S32][(c as usize).min(12)]
    }
    /// Bits of one element.
    pub fn bits(self) -> u32 {
        match self {
            Elem::F16 | Elem::BF16 => 16,
            Elem::TF32 | Elem::F32 | Elem::S32 => 32,
            Elem::F64 => 64,
            Elem::S8 | Elem::U8 | Elem::E4M3 | Elem::E5M2 => 8,
            Elem::S4 | Elem::U4 => 4,
            Elem::B1 => 1,
        }
    }
    /// Bits of the registers holding this element type.
    pub fn reg_bits(self) -> u32 {
        if self == Elem::F64 {
            64
        } else {
            32
        }
    }
    fn per_reg(self) -> usize {
        (self.reg_bits() / self.bits()) as usize
    }
    fn is_int(self) -> bool {
        matches!(self, Elem::S8 | Elem::U8 | Elem::S4 | Elem::U4 | Elem::S32 | Elem::B1)
    }
    /// The value of an element's bits, as f64 (exact for every float format here).
    fn float(self, raw: u64) -> f64 {
        match self {
            Elem::F16 => f16_to_f64(raw as u16),
            Elem::BF16 => f32::from_bits((raw as u32) << 16) as f64,
            // the tensor cores read the 19 high bits of a .tf32 register
            Elem::TF32 => f32::from_bits(raw as u32 & 0xffff_e000) as f64,
            Elem::F32 => f32::from_bits(raw as u32) as f64,
            Elem::F64 => f64::from_bits(raw),
            Elem::E4M3 => {
                let (s, e, m) = ((raw >> 7) & 1, ((raw >> 3) & 15) as i32, (raw & 7) as f64);
                let v = if e == 15 && m == 7.0 {
                    f64::NAN
                } else if e == 0 {
                    m * 2f64.powi(-9)
                } else {
                    (1.0 + m / 8.0) * 2f64.powi(e - 7)
                };
                if s == 1 {
                    -v
                } else {
                    v
                }
            }
            Elem::E5M2 => f16_to_f64((raw as u16) << 8),
            _ => self.int(raw) as f64,
        }
    }
    /// The smallest normal exponent of a float format (f32's for the others).
    fn emin(self) -> i32 {
        match self {
            Elem::F16 | Elem::E5M2 => -14,
            Elem::E4M3 => -6,
            Elem::F64 => -1022,
            _ => -126,
        }
    }
    fn int(self, raw: u64) -> i64 {
        match self {
            Elem::S8 => raw as u8 as i8 as i64,
            Elem::U8 => raw as u8 as i64,
            Elem::S4 => ((raw as u8) << 4) as i8 as i64 >> 4,
            Elem::U4 => (raw & 15) as i64,
            Elem::S32 => raw as u32 as i32 as i64,
            _ => (raw & 1) as i64,
        }
    }
}

pub fn f16_to_f64(h: u16) -> f64 {
    let s = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let e = ((h >> 10) & 0x1f) as i32;
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

/// f32 → f16, round to nearest even (canonical NaN 0x7fff).
pub fn f32_to_f16(x: f32) -> u16 {
    let b = x.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let a = b & 0x7fff_ffff;
    if a > 0x7f80_0000 {
        return 0x7fff;
    }
    if a >= 0x4780_0000 {
        // ≥ 65536 (or inf): rounds to inf unless below 65520
        return if a < 0x477f_f000 { sign | 0x7bff } else { sign | 0x7c00 };
    }
    let e = (a >> 23) as i32 - 127;
    let m = (a & 0x7f_ffff) | if a >> 23 != 0 { 0x80_0000 } else { 0 };
    let sh = if e >= -14 { 13 } else { (13 + (-14 - e)).min(25) } as u32;
    let q = m >> sh;
    let rem = m & ((1 << sh) - 1);
    let half = 1 << (sh - 1);
    let q = q + ((rem > half || (rem == half && q & 1 == 1)) as u32);
    let mag = if e >= -14 { (((e + 14) as u32) << 10) + q } else { q };
    sign | mag.min(0x7c00) as u16
}

/// f64 sum → f32 truncated toward zero (the tensor cores' f32 accumulation); NaN → 0x7fffffff.
fn f32_trunc_bits(acc: f64) -> u32 {
    let mut v = acc as f32;
    // toward zero; a sum in [f32::MAX, 2^128) gives f32::MAX, one with a larger exponent an
    // infinity (as the H100's tensor cores)
    if acc.abs() < 2f64.powi(128) && (v as f64).abs() > acc.abs() {
        v = f32::from_bits(v.to_bits() - 1);
    }
    if v.is_nan() {
        0x7fff_ffff
    } else {
        v.to_bits()
    }
}

/// IEEE rounding modes (`.rn`, `.rz`, `.rm`, `.rp`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rnd {
    Rn = 0,
    Rz = 1,
    Rm = 2,
    Rp = 3,
}

impl Rnd {
    fn from_code(c: u32) -> Rnd {
        [Rnd::Rn, Rnd::Rz, Rnd::Rm, Rnd::Rp][(c & 3) as usize]
    }
}

/// Exact sum of f64 products: a fixed-point accumulator from 2^-2148 (the smallest product of
/// two subnormals) to 2^2048, positive and negative parts kept apart, rounded once to f64.
pub struct ExactSum {
    pos: [u64; LIMBS],
    neg: [u64; LIMBS],
    /// Every term so far was a zero of negative sign (and there was at least one).
    all_neg_zero: bool,
    special: Option<f64>,
}

const LIMBS: usize = 70;
const LSB_EXP: i32 = -2148;

fn decompose(x: f64) -> (u64, i32) {
    let b = x.to_bits();
    let e = ((b >> 52) & 0x7ff) as i32;
    let m = b & ((1u64 << 52) - 1);
    if e == 0 {
        (m, -1074)
    } else {
        (m | 1 << 52, e - 1075)
    }
}

impl ExactSum {
    pub fn new() -> Self {
        ExactSum { pos: [0; LIMBS], neg: [0; LIMBS], all_neg_zero: true, special: None }
    }
    /// Adds a·b exactly.
    pub fn add_product(&mut self, a: f64, b: f64) {
        if !a.is_finite() || !b.is_finite() {
            self.add_special(a * b);
            return;
        }
        let neg = a.is_sign_negative() != b.is_sign_negative();
        let ((ma, ea), (mb, eb)) = (decompose(a), decompose(b));
        let m = ma as u128 * mb as u128;
        if m == 0 {
            self.all_neg_zero &= neg;
            return;
        }
        self.all_neg_zero = false;
        self.add_mag(neg, m, ea + eb);
    }
    pub fn add(&mut self, c: f64) {
        if !c.is_finite() {
            self.add_special(c);
            return;
        }
        let (m, e) = decompose(c);
        if m == 0 {
            self.all_neg_zero &= c.is_sign_negative();
            return;
        }
        self.all_neg_zero = false;
        self.add_mag(c.is_sign_negative(), m as u128, e);
    }
    fn add_special(&mut self, v: f64) {
        self.all_neg_zero = false;
        self.special = Some(match self.special {
            None => v,
            Some(s) => s + v,
        });
    }
    fn add_mag(&mut self, neg: bool, m: u128, e: i32) {
        let acc = if neg { &mut self.neg } else { &mut self.pos };
        let p = (e - LSB_EXP) as usize;
        let (limb, sh) = (p / 64, p % 64);
        // m << sh spans up to three limbs
        let lo = (m << sh) as u64;
        let mid = ((m << sh) >> 64) as u64;
        let hi = if sh == 0 { 0 } else { (m >> (128 - sh)) as u64 };
        let mut carry = 0u64;
        for (k, part) in [lo, mid, hi].into_iter().enumerate() {
            if let Some(x) = acc.get_mut(limb + k) {
                let (s1, c1) = x.overflowing_add(part);
                let (s2, c2) = s1.overflowing_add(carry);
                *x = s2;
                carry = (c1 as u64) + (c2 as u64);
            }
        }
        let mut k = limb + 3;
        while carry != 0 && k < LIMBS {
            let (s, c) = acc[k].overflowing_add(carry);
            acc[k] = s;
            carry = c as u64;
            k += 1;
        }
    }
    /// The sum rounded once to f64 in mode `rnd`.
    pub fn round(&self, rnd: Rnd) -> f64 {
        if let Some(s) = self.special {
            return s;
        }
        let (neg, mag) = if self.pos.iter().rev().cmp(self.neg.iter().rev()) == std::cmp::Ordering::Less {
            (true, sub(&self.neg, &self.pos))
        } else {
            (false, sub(&self.pos, &self.neg))
        };
        let Some(top) = (0..LIMBS).rev().find(|&k| mag[k] != 0) else {
            // an exact zero: -0 only when every term was -0, or when rounding down
            return if self.all_neg_zero || rnd == Rnd::Rm { -0.0 } else { 0.0 };
        };
        let h = top * 64 + 63 - mag[top].leading_zeros() as usize;
        let bit = |i: usize| (mag[i / 64] >> (i % 64)) & 1;
        // keep 53 bits, or down to 2^-1074 for subnormal results
        let min_cut = (-1074 - LSB_EXP) as usize;
        let cut = if h >= 52 { (h - 52).max(min_cut) } else { min_cut };
        if cut > h + 1 {
            // below half the smallest subnormal
            let up = match rnd {
                Rnd::Rn | Rnd::Rz => false,
                Rnd::Rm => neg,
                Rnd::Rp => !neg,
            };
            let v = if up { f64::from_bits(1) } else { 0.0 };
            return if neg { -v } else { v };
        }
        let mut mant: u64 = 0;
        for i in (cut..=h).rev() {
            mant = mant << 1 | bit(i);
        }
        let round_bit = cut > 0 && bit(cut - 1) == 1;
        let sticky = cut > 1 && {
            let below = cut - 1;
            (0..below / 64).any(|k| mag[k] != 0) || (mag[below / 64] & ((1u64 << (below % 64)) - 1)) != 0
        };
        let up = match rnd {
            Rnd::Rn => round_bit && (sticky || mant & 1 == 1),
            Rnd::Rz => false,
            Rnd::Rm => neg && (round_bit || sticky),
            Rnd::Rp => !neg && (round_bit || sticky),
        };
        let mant = mant + up as u64;
        let exp = cut as i32 + LSB_EXP;
        let v = ldexp_exact(mant, exp);
        let v = if v.is_infinite() {
            // overflow: to infinity or to the largest finite value, by mode
            let to_inf = match rnd {
                Rnd::Rn => true,
                Rnd::Rz => false,
                Rnd::Rm => neg,
                Rnd::Rp => !neg,
            };
            if to_inf {
                f64::INFINITY
            } else {
                f64::MAX
            }
        } else {
            v
        };
        if neg {
            -v
        } else {
            v
        }
    }
}

fn sub(a: &[u64; LIMBS], b: &[u64; LIMBS]) -> [u64; LIMBS] {
    let mut r = [0u64; LIMBS];
    let mut borrow = 0u64;
    for k in 0..LIMBS {
        let (d1, b1) = a[k].overflowing_sub(b[k]);
        let (d2, b2) = d1.overflowing_sub(borrow);
        r[k] = d2;
        borrow = (b1 || b2) as u64;
    }
    r
}

/// mant · 2^exp for a value known to be representable (mant ≤ 2^53), or ±inf past the range.
fn ldexp_exact(mant: u64, exp: i32) -> f64 {
    let mut v = mant as f64;
    let mut e = exp;
    while e > 0 {
        let s = e.min(1000);
        v *= 2f64.powi(s);
        e -= s;
    }
    while e < 0 {
        let s = e.max(-1000);
        v *= 2f64.powi(s);
        e -= s;
    }
    v
}

/// One step of the f64 tensor-core chain: fma(a, b, c) rounded in mode `rnd`. A NaN operand
/// comes out quieted, b's before c's before a's; an invalid operation (∞·0, ∞ − ∞) gives the
/// default NaN 0xfff8000000000000 (measured on the H100, tests/conformance).
pub fn fma_rnd(a: f64, b: f64, c: f64, rnd: Rnd) -> f64 {
    const QUIET: u64 = 1 << 51;
    for x in [b, c, a] {
        if x.is_nan() {
            return f64::from_bits(x.to_bits() | QUIET);
        }
    }
    let r = if rnd == Rnd::Rn {
        a.mul_add(b, c)
    } else {
        let mut s = ExactSum::new();
        s.add_product(a, b);
        s.add(c);
        s.round(rnd)
    };
    if r.is_nan() {
        f64::from_bits(0xfff8_0000_0000_0000)
    } else {
        r
    }
}

// ----------------------------------------------------------------------------------------
// Fragment registers

/// Reads register `r` of `lane` from a `[register][lane]` block.
unsafe fn reg_word(p: *const u8, e: Elem, r: usize, lane: usize) -> u64 {
    if e.reg_bits() == 64 {
        (p as *const u64).add(r * WARP + lane).read_unaligned()
    } else {
        (p as *const u32).add(r * WARP + lane).read_unaligned() as u64
    }
}

unsafe fn set_reg_word(p: *mut u8, e: Elem, r: usize, lane: usize, v: u64) {
    if e.reg_bits() == 64 {
        (p as *mut u64).add(r * WARP + lane).write_unaligned(v)
    } else {
        (p as *mut u32).add(r * WARP + lane).write_unaligned(v as u32)
    }
}

fn sub_elem(word: u64, e: Elem, i: usize) -> u64 {
    let b = e.bits();
    if b == 64 {
        word
    } else {
        (word >> (i as u32 * b)) & ((1u64 << b) - 1)
    }
}

fn put_sub_elem(word: u64, e: Elem, i: usize, v: u64) -> u64 {
    let b = e.bits();
    if b == 64 {
        return v;
    }
    let m = ((1u64 << b) - 1) << (i as u32 * b);
    (word & !m) | ((v << (i as u32 * b)) & m)
}

/// `mma.sync` kinds: element types, shape and modifiers packed in one word (see [`mma_kind`]).
pub mod mma_kind {
    pub const A_SHIFT: u32 = 0;
    pub const B_SHIFT: u32 = 4;
    pub const C_SHIFT: u32 = 8;
    pub const D_SHIFT: u32 = 12;
    /// 0: m16n8kK, 1: m8n8kK, 2: m8n8k4 with .f16 (four quad-pair products)
    pub const CLASS_SHIFT: u32 = 16;
    pub const M16N8: u32 = 0;
    pub const M8N8: u32 = 1;
    pub const QUADPAIR: u32 = 2;
    /// log2(k) - 2
    pub const K_SHIFT: u32 = 18;
    pub const SATFINITE: u32 = 1 << 21;
    pub const A_COL: u32 = 1 << 22;
    pub const B_ROW: u32 = 1 << 23;
    pub const AND_POPC: u32 = 1 << 24;
    pub const RND_SHIFT: u32 = 25;
    /// mma.sp: A holds k/2 columns; its fragment block carries one more register, the
    /// metadata, after A's
    pub const SPARSE: u32 = 1 << 27;
    /// mma.sp's sparsity selector (0..3)
    pub const SEL_SHIFT: u32 = 28;
}

/// Fragment registers per lane of A, B, C and D for an `mma.sync` kind.
pub fn mma_regs(kind: u32) -> [usize; 4] {
    let s = MmaDesc::new(kind);
    [s.regs(0), s.regs(1), s.regs(2), s.regs(3)]
}

/// Decoded `mma.sync` kind.
#[derive(Clone, Copy, Debug)]
struct MmaDesc {
    a: Elem,
    b: Elem,
    c: Elem,
    d: Elem,
    class: u32,
    m: usize,
    n: usize,
    k: usize,
    satfinite: bool,
    a_col: bool,
    b_row: bool,
    and_popc: bool,
    rnd: Rnd,
    sparse: bool,
    sel: usize,
}

impl MmaDesc {
    fn new(kind: u32) -> MmaDesc {
        use mma_kind::*;
        let class = (kind >> CLASS_SHIFT) & 3;
        let k = 4usize << ((kind >> K_SHIFT) & 7);
        let (m, n) = if class == M16N8 { (16, 8) } else { (8, 8) };
        MmaDesc {
            a: Elem::from_code(kind >> A_SHIFT & 15),
            b: Elem::from_code(kind >> B_SHIFT & 15),
            c: Elem::from_code(kind >> C_SHIFT & 15),
            d: Elem::from_code(kind >> D_SHIFT & 15),
            class,
            m,
            n,
            k: k.min(256),
            satfinite: kind & SATFINITE != 0,
            a_col: kind & A_COL != 0,
            b_row: kind & B_ROW != 0,
            and_popc: kind & AND_POPC != 0,
            rnd: Rnd::from_code(kind >> RND_SHIFT),
            sparse: kind & SPARSE != 0 && class == M16N8,
            sel: (kind >> SEL_SHIFT & 3) as usize,
        }
    }
    /// Columns of A's fragments: k, or k/2 for mma.sp (only the nonzero half is stored).
    fn a_cols(&self) -> usize {
        if self.sparse {
            self.k / 2
        } else {
            self.k
        }
    }
    fn groups(&self) -> usize {
        if self.class == mma_kind::QUADPAIR {
            4
        } else {
            1
        }
    }
    /// Fragment registers of each operand (A, B, C, D) per lane.
    pub fn regs(&self, which: usize) -> usize {
        let (e, elems) = match which {
            0 => (self.a, self.m * self.a_cols()),
            1 => (self.b, self.k * self.n),
            2 => (self.c, self.m * self.n),
            _ => (self.d, self.m * self.n),
        };
        (self.groups() * elems * e.bits() as usize) / (WARP * e.reg_bits() as usize)
    }
    /// Where fragment element `i` of register `r` in `lane` sits: (group, row, column), PTX ISA
    /// 9.7.14.5.1–.12 ("Matrix fragments for mma.m*").
    fn pos(&self, which: usize, e: Elem, lane: usize, r: usize, i: usize) -> (usize, usize, usize) {
        if self.class == mma_kind::QUADPAIR {
            let (grp, hi, q) = ((lane >> 2) & 3, 4 * (lane >= 16) as usize, lane % 4);
            let j = r * e.per_reg() + i;
            return match which {
                0 if self.a_col => (grp, j + hi, q),
                0 => (grp, q + hi, j),
                1 if self.b_row => (grp, q, j + hi),
                1 => (grp, j, q + hi),
                _ if e == Elem::F16 => (grp, q + hi, j),
                _ => (grp, (lane & 1) + (j & 2) + hi, (j & 4) + (lane & 2) + (j & 1)),
            };
        }
        let (g, t) = (lane / 4, lane % 4);
        let epr = e.per_reg();
        match which {
            0 if self.m == 16 => (0, g + 8 * (r & 1), t * epr + i + (r >> 1) * 4 * epr),
            0 => (0, g, t * epr + i + r * 4 * epr),
            1 => (0, t * epr + i + r * 4 * epr, g),
            _ if e == Elem::F16 => (0, g + 8 * r, 2 * t + i),
            _ if self.m == 16 => (0, g + 8 * (r >> 1), 2 * t + (r & 1)),
            _ => (0, g, 2 * t + r),
        }
    }
    /// Decodes operand `which` into `groups × rows × cols` raw element bits.
    unsafe fn read(&self, which: usize, p: *const u8) -> Vec<u64> {
        let (e, cols) = match which {
            0 => (self.a, self.a_cols()),
            1 => (self.b, self.n),
            _ => (self.c, self.n),
        };
        let rows = match which {
            1 => self.k,
            _ => self.m,
        };
        let mut out = vec![0u64; self.groups() * rows * cols];
        for r in 0..self.regs(which) {
            for lane in 0..WARP {
                let w = reg_word(p, e, r, lane);
                for i in 0..e.per_reg() {
                    let (g, row, col) = self.pos(which, e, lane, r, i);
                    if let Some(x) = out.get_mut((g * rows + row) * cols + col) {
                        *x = sub_elem(w, e, i);
                    }
                }
            }
        }
        out
    }
    /// mma.sp (PTX ISA 9.7.14.6.1): for each row of A and each of its k/2 stored elements, the
    /// column of the full A (= row of B) it stands for, from the metadata register that
    /// follows A's fragment registers in `a`. A row of A is cut in chunks — 4 elements holding 2
    /// (16- and 8-bit types), 2 holding 1 (tf32: 0b0100 is the first, 0b1110 the second), 8
    /// holding 2 pairs (4-bit types) — each described by 4 bits: two 2-bit indices, the lower
    /// for the first stored element. The chunks of rows g and g+8 sit in the metadata of the
    /// threads of quad g that the sparsity selector names (one thread of four when a row has 4
    /// chunks, two when 8, all four when 16). 16- and 32-bit types: thread j of them has
    /// chunks 4j..4j+3, row g's in bits 0..15 and row g+8's in bits 16..31; 8- and 4-bit
    /// types: thread j has chunks 8(j/2)..8(j/2)+7 of one row, g when j is even, g+8 when odd
    /// (as the H100 reads them: fitted to its results).
    unsafe fn sparse_columns(&self, a: *const u8) -> Vec<usize> {
        let meta_reg = self.regs(0);
        let kc = self.a_cols();
        let (chunk_len, stored) = match self.a.bits() {
            32 => (2, 1),
            4 => (8, 4),
            _ => (4, 2),
        };
        let chunks = self.k / chunk_len;
        let threads = (chunks / 4).max(1);
        let mut out = vec![0usize; self.m * kc];
        for row in 0..self.m {
            let (g, hi) = (row % 8, row / 8);
            for j in 0..kc {
                let c = j / stored;
                let (t, bit) = if self.a.bits() <= 8 { (2 * (c / 8) + hi, 4 * (c % 8)) } else { (c / 4, 16 * hi + 4 * (c % 4)) };
                let lane = 4 * g
                    + match threads {
                        1 => self.sel,
                        2 => 2 * self.sel + t,
                        _ => t,
                    };
                let word = reg_word(a, Elem::S32, meta_reg, lane % WARP);
                let nib = (word >> bit) & 15;
                let w = j % stored;
                out[row * kc + j] = c * chunk_len
                    + match stored {
                        1 => (nib & 3) as usize / 2,
                        2 => (nib >> (2 * w) & 3) as usize,
                        _ => 2 * (nib >> (2 * (w / 2)) & 3) as usize + w % 2,
                    };
            }
        }
        out
    }
}

/// floor(log2 |x|) of a finite nonzero f64.
fn exponent(x: f64) -> i32 {
    let e = ((x.to_bits() >> 52) & 0x7ff) as i32;
    if e == 0 {
        // subnormal: m · 2^-1074
        let m = x.to_bits() & ((1u64 << 52) - 1);
        63 - m.leading_zeros() as i32 - 1074
    } else {
        e - 1023
    }
}

/// The H100 tensor cores' f32 accumulation of k products and c (f16, bf16 and tf32 inputs):
/// every term is truncated toward zero to a multiple of 2^(R - 26), where R is the largest of
/// ea + eb + 1 over the nonzero products a·b (ea = floor(log2 |a|): the top bit a product of
/// two significands can reach) and floor(log2 |c|) + 1; the truncated terms are summed exactly
/// and the sum truncated to f32. A subnormal operand counts with its format's smallest normal
/// exponent `emin` (-14 for f16, -126 for bf16 and tf32; c: -126), as its exponent field
/// reads. Fitted to the H100's results (tests/conformance: every f16, bf16 and tf32
/// m16n8k4/k8/k16 and mma.sp result bit for bit); None when a term is not finite or all are
/// zero.
fn aligned_sum(terms: &[(f64, f64)], c: f64, emin: i32) -> Option<f64> {
    if !c.is_finite() || terms.iter().any(|(a, b)| !a.is_finite() || !b.is_finite()) {
        return None;
    }
    let mut r = if c != 0.0 { exponent(c).max(-126) + 1 } else { i32::MIN };
    for &(a, b) in terms {
        if a != 0.0 && b != 0.0 {
            r = r.max(exponent(a).max(emin) + exponent(b).max(emin) + 1);
        }
    }
    if r == i32::MIN {
        // only zeros: their signs decide, as in the exact sum
        return None;
    }
    // the products are exact in f64 (at most 22 significant bits), and so is the sum of the
    // truncated terms: each is a multiple of 2^(R-26) below 2^(R+1), 17 of them at most
    let unit = 2f64.powi(r - 26);
    let trunc = |x: f64| (x / unit).trunc() * unit;
    let mut acc = trunc(c);
    for &(a, b) in terms {
        acc += trunc(a * b);
    }
    Some(acc)
}

/// How an f32 result of f16/bf16/tf32/fp8 products is summed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum F32Sum {
    /// [`aligned_sum`]: the H100's HMMA forms (m16n8k4/k8/k16, wmma).
    Aligned,
    /// mma.m8n8k4 on sm_90: p0, then + p1, + p2, + p3, + c, each rounded to nearest f32 — as
    /// the H100 computes it (a chain of f32 fused multiply-adds), bit for bit.
    Chain,
    /// exact, truncated once (integer-valued only: no float form uses it on sm_90).
    Exact,
    /// e4m3/e5m2: sm_90 has no fp8 mma; ptxas (13.5) converts the operands to f16 and runs
    /// two f16 tensor-core operations of half the k — the terms whose index has bit 1 clear,
    /// then those with it set (for mma.sp: the even, then the odd chunks), the first from
    /// zero, the second accumulating — and adds c last with an f32 (f16) add rounding to
    /// nearest. Each operation sums as [`F32Sum::Aligned`] (f32 results) or rounds its exact
    /// sum to f16 (f16 results). Matches the H100's results bit for bit.
    Split,
}

/// D = A·B + C on whole matrices of raw element bits (row-major, `groups` of them).
fn multiply(
    (a_t, b_t, c_t, d_t): (Elem, Elem, Elem, Elem),
    (m, n, k, groups): (usize, usize, usize, usize),
    (satfinite, and_popc, rnd, f32sum): (bool, bool, Rnd, F32Sum),
    a: &[u64],
    b: &[u64],
    c: &[u64],
    sparse: Option<&[usize]>,
) -> Vec<u64> {
    let mut d = vec![0u64; groups * m * n];
    // A's stored columns: k, or k/2 for mma.sp, whose `sparse` maps them to rows of B
    let ka = if sparse.is_some() { k / 2 } else { k };
    let is_float = !a_t.is_int();
    // float operands decoded once (k ≤ 32 for every float form but f64's 16)
    let (mut af, mut bf) = (Vec::new(), Vec::new());
    let mut pairs = [(0f64, 0f64); 32];
    for g in 0..groups {
        let (a, b, c) = (&a[g * m * ka..], &b[g * k * n..], &c[g * m * n..]);
        if is_float {
            af.clear();
            af.extend(a[..m * ka].iter().map(|&x| a_t.float(x)));
            bf.clear();
            bf.extend(b[..k * n].iter().map(|&x| b_t.float(x)));
        }
        for row in 0..m {
            for col in 0..n {
                let brow = |kk: usize| sparse.map_or(kk, |s| s[row * ka + kk]);
                let av = |kk: usize| a[row * ka + kk];
                let bv = |kk: usize| b[brow(kk) * n + col];
                let out = if a_t == Elem::B1 {
                    let mut acc = c_t.int(c[row * n + col]);
                    for kk in 0..ka {
                        let (x, y) = (av(kk) & 1, bv(kk) & 1);
                        acc += if and_popc { x & y } else { x ^ y } as i64;
                    }
                    acc as i32 as u32 as u64
                } else if a_t.is_int() {
                    let mut acc = c_t.int(c[row * n + col]);
                    for kk in 0..ka {
                        acc += a_t.int(av(kk)) * b_t.int(bv(kk));
                    }
                    let v = if satfinite { acc.clamp(i32::MIN as i64, i32::MAX as i64) as i32 } else { acc as i32 };
                    v as u32 as u64
                } else if a_t == Elem::F64 {
                    let mut acc = c_t.float(c[row * n + col]);
                    for kk in 0..k {
                        acc = fma_rnd(af[row * k + kk], bf[kk * n + col], acc, rnd);
                    }
                    acc.to_bits()
                } else {
                    let cv = c_t.float(c[row * n + col]);
                    let kn = ka.min(pairs.len());
                    for (kk, p) in pairs[..kn].iter_mut().enumerate() {
                        *p = (af[row * ka + kk], bf[brow(kk) * n + col]);
                    }
                    let terms = &pairs[..kn];
                    let exact = || terms.iter().fold(cv, |acc, &(x, y)| acc + x * y);
                    if d_t == Elem::F32 && f32sum == F32Sum::Chain {
                        let mut acc = 0f32;
                        for (kk, &(x, y)) in terms.iter().enumerate() {
                            let (x, y) = (x as f32, y as f32);
                            acc = if kk == 0 { x * y } else { x.mul_add(y, acc) };
                        }
                        let v = acc + cv as f32;
                        d[(g * m + row) * n + col] = if v.is_nan() { 0x7fff_ffff } else { v.to_bits() as u64 };
                        continue;
                    }
                    if f32sum == F32Sum::Split {
                        d[(g * m + row) * n + col] = split_sum(terms, cv, d_t);
                        continue;
                    }
                    let acc = if f32sum == F32Sum::Aligned && d_t == Elem::F32 {
                        aligned_sum(terms, cv, a_t.emin()).unwrap_or_else(exact)
                    } else {
                        exact()
                    };
                    match d_t {
                        // f64 → f32 → f16 rounds twice; the f32 step is exact for these magnitudes
                        Elem::F16 => f32_to_f16(acc as f32) as u64,
                        _ => f32_trunc_bits(acc) as u64,
                    }
                };
                d[(g * m + row) * n + col] = out;
            }
        }
    }
    d
}

/// [`F32Sum::Split`]: the fp8 forms as ptxas lowers them for sm_90 (f16 tensor-core operations
/// on halves of the terms, then c added); `d_t` is F32 or F16, the result's bits.
fn split_sum(terms: &[(f64, f64)], c: f64, d_t: Elem) -> u64 {
    let half = |h: usize| terms.iter().enumerate().filter(move |(kk, _)| (kk >> 1) & 1 == h).map(|(_, &t)| t);
    let exact = |acc: f64, h: usize| half(h).fold(acc, |acc, (x, y)| acc + x * y);
    if d_t == Elem::F16 {
        let rn16 = |x: f64| f16_to_f64(f32_to_f16(x as f32));
        let p = rn16(exact(0.0, 0));
        let p = rn16(exact(p, 1));
        return f32_to_f16((p + c) as f32) as u64;
    }
    let hmma = |acc: f32, h: usize| -> f32 {
        let t: Vec<(f64, f64)> = half(h).collect();
        // the operands are f16 there
        let sum = aligned_sum(&t, acc as f64, Elem::F16.emin()).unwrap_or_else(|| exact(acc as f64, h));
        f32::from_bits(f32_trunc_bits(sum))
    };
    let p = hmma(hmma(0.0, 0), 1);
    let v = c as f32 + p;
    if v.is_nan() {
        0x7fff_ffff
    } else {
        v.to_bits() as u64
    }
}

/// `mma.sync` for one warp (PTX ISA 9.7.14.5.14). `a`, `b`, `c` hold the fragment registers
/// as `[register][lane]` (4 or 8 bytes each); `d` receives D's the same way.
pub unsafe extern "C" fn cuemu_mma(kind: u32, a: *const u8, b: *const u8, c: *const u8, d: *mut u8) {
    crate::exec::fault::guard("cuemu_mma", || {
        let s = MmaDesc::new(kind);
        let (am, bm, cm) = (s.read(0, a), s.read(1, b), s.read(2, c));
        let f32sum = if s.class == mma_kind::QUADPAIR {
            F32Sum::Chain
        } else if matches!(s.a, Elem::F16 | Elem::BF16 | Elem::TF32) {
            F32Sum::Aligned
        } else if matches!(s.a, Elem::E4M3 | Elem::E5M2) {
            F32Sum::Split
        } else {
            F32Sum::Exact
        };
        let cols = if s.sparse { Some(s.sparse_columns(a)) } else { None };
        let dm = multiply((s.a, s.b, s.c, s.d), (s.m, s.n, s.k, s.groups()), (s.satfinite, s.and_popc, s.rnd, f32sum), &am, &bm, &cm, cols.as_deref());
        let rows = s.m;
        let cols = s.n;
        for r in 0..s.regs(3) {
            for lane in 0..WARP {
                let mut w = 0u64;
                for i in 0..s.d.per_reg() {
                    let (g, row, col) = s.pos(3, s.d, lane, r, i);
                    w = put_sub_elem(w, s.d, i, dm.get((g * rows + row) * cols + col).copied().unwrap_or(0));
                }
                set_reg_word(d, s.d, r, lane, w);
            }
        }
    })
}

// ----------------------------------------------------------------------------------------
// wmma

/// `wmma` kinds for [`cuemu_wmma_ldst`] and [`cuemu_wmma_mma`].
pub mod wmma_kind {
    /// load/store: fragment (0 a, 1 b, 2 c/d)
    pub const FRAG_SHIFT: u32 = 0;
    /// load/store: element type; mma: A/B element type
    pub const ELEM_SHIFT: u32 = 4;
    /// mma: C and D element types
    pub const C_SHIFT: u32 = 8;
    pub const D_SHIFT: u32 = 12;
    /// shape: index into [`super::WMMA_SHAPES`]
    pub const SHAPE_SHIFT: u32 = 16;
    /// load/store: registers per lane
    pub const NREGS_SHIFT: u32 = 20;
    pub const COL: u32 = 1 << 26;
    pub const STORE: u32 = 1 << 27;
    pub const SATFINITE: u32 = 1 << 26;
    pub const AND_POPC: u32 = 1 << 27;
    pub const RND_SHIFT: u32 = 28;
}

/// The wmma shapes (m, n, k) PTX allows for sm_90 targets.
pub const WMMA_SHAPES: [(usize, usize, usize); 7] =
    [(16, 16, 16), (32, 8, 16), (8, 32, 16), (16, 16, 8), (8, 8, 4), (8, 8, 32), (8, 8, 128)];

pub fn wmma_shape_code(name: &str) -> Option<u32> {
    ["m16n16k16", "m32n8k16", "m8n32k16", "m16n16k8", "m8n8k4", "m8n8k32", "m8n8k128"]
        .iter()
        .position(|s| *s == name)
        .map(|p| p as u32)
}

/// Registers per lane of a wmma fragment (PTX ISA 9.7.14.4.1's fragment table): the matrix's
/// bits spread over the warp's registers, except f16 A/B fragments (always 8 registers, the
/// matrix repeated where it is smaller) and f16 accumulators (4 registers).
pub fn wmma_regs(shape: u32, frag: u32, e: Elem) -> usize {
    let (m, n, k) = WMMA_SHAPES[(shape as usize).min(6)];
    let elems = match frag {
        0 => m * k,
        1 => k * n,
        _ => m * n,
    };
    match (frag, e) {
        // f16 A and B fragments hold 16 elements per lane whatever the shape (bf16 ones do not)
        (0 | 1, Elem::F16) => 8,
        // f16 accumulators: 4 registers (8 halves per lane)
        (2, Elem::F16) => 4,
        _ => (elems * e.bits() as usize).div_ceil(WARP * e.reg_bits() as usize),
    }
}

/// cuemu's wmma fragment layout (PTX leaves it opaque): slot j = r·per_reg + i of `lane`
/// holds element (lane·slots + j) mod (rows·cols) of the row-major matrix — each lane holds
/// consecutive elements, and fragments with more slots than elements repeat the matrix.
fn wmma_elem(lane: usize, r: usize, i: usize, per_reg: usize, nregs: usize, total: usize) -> usize {
    (lane * nregs * per_reg + r * per_reg + i) % total
}

fn wmma_dims(shape: u32, frag: u32) -> (usize, usize) {
    let (m, n, k) = WMMA_SHAPES[(shape as usize).min(6)];
    match frag {
        0 => (m, k),
        1 => (k, n),
        _ => (m, n),
    }
}

/// wmma.load / wmma.store of one fragment at `base` with leading dimension `stride` (in
/// elements). `regs` is `[register][lane]`.
pub unsafe extern "C" fn cuemu_wmma_ldst(kind: u32, regs: *mut u8, base: u64, stride: u32) {
    crate::exec::fault::guard("cuemu_wmma_ldst", || {
        use wmma_kind::*;
        let frag = (kind >> FRAG_SHIFT) & 3;
        let e = Elem::from_code(kind >> ELEM_SHIFT & 15);
        let shape = (kind >> SHAPE_SHIFT) & 15;
        let nregs = ((kind >> NREGS_SHIFT) & 63) as usize;
        let col = kind & COL != 0;
        let store = kind & STORE != 0;
        let (rows, cols) = wmma_dims(shape, frag);
        let bits = e.bits() as usize;
        for r in 0..nregs {
            for lane in 0..WARP {
                let w = if store { reg_word(regs, e, r, lane) } else { 0 };
                let mut out = w;
                for i in 0..e.per_reg() {
                    let el = wmma_elem(lane, r, i, e.per_reg(), nregs, rows * cols);
                    let (row, c) = (el / cols, el % cols);
                    let idx = if col { c * stride as usize + row } else { row * stride as usize + c };
                    let bit = idx * bits;
                    let p = (base as *mut u8).add(bit / 8);
                    if bits >= 8 {
                        let nb = bits / 8;
                        if store {
                            let v = sub_elem(w, e, i);
                            for k in 0..nb {
                                p.add(k).write((v >> (8 * k)) as u8);
                            }
                        } else {
                            let mut v = 0u64;
                            for k in 0..nb {
                                v |= (p.add(k).read() as u64) << (8 * k);
                            }
                            out = put_sub_elem(out, e, i, v);
                        }
                    } else {
                        let sh = (bit % 8) as u32;
                        let m = ((1u32 << bits) - 1) as u8;
                        if store {
                            let v = sub_elem(w, e, i) as u8;
                            p.write((p.read() & !(m << sh)) | ((v & m) << sh));
                        } else {
                            out = put_sub_elem(out, e, i, ((p.read() >> sh) & m) as u64);
                        }
                    }
                }
                if !store {
                    set_reg_word(regs, e, r, lane, out);
                }
            }
        }
    })
}

unsafe fn wmma_read(p: *const u8, e: Elem, shape: u32, frag: u32) -> Vec<u64> {
    let (rows, cols) = wmma_dims(shape, frag);
    let nregs = wmma_regs(shape, frag, e);
    let mut m = vec![0u64; rows * cols];
    for r in 0..nregs {
        for lane in 0..WARP {
            let w = reg_word(p, e, r, lane);
            for i in 0..e.per_reg() {
                m[wmma_elem(lane, r, i, e.per_reg(), nregs, rows * cols)] = sub_elem(w, e, i);
            }
        }
    }
    m
}

/// wmma.mma: D = A·B + C on the fragment layout of [`cuemu_wmma_ldst`], with the arithmetic
/// of `mma.sync` for the same types.
pub unsafe extern "C" fn cuemu_wmma_mma(kind: u32, a: *const u8, b: *const u8, c: *const u8, d: *mut u8) {
    crate::exec::fault::guard("cuemu_wmma_mma", || {
        use wmma_kind::*;
        let ab = Elem::from_code(kind >> ELEM_SHIFT & 15);
        let ct = Elem::from_code(kind >> C_SHIFT & 15);
        let dt = Elem::from_code(kind >> D_SHIFT & 15);
        let shape = (kind >> SHAPE_SHIFT) & 15;
        let (m, n, k) = WMMA_SHAPES[(shape as usize).min(6)];
        let am = wmma_read(a, ab, shape, 0);
        let bm = wmma_read(b, ab, shape, 1);
        let cm = wmma_read(c, ct, shape, 2);
        let f32sum = if matches!(ab, Elem::F16 | Elem::BF16 | Elem::TF32) { F32Sum::Aligned } else { F32Sum::Exact };
        let flags = (kind & SATFINITE != 0, kind & AND_POPC != 0, Rnd::from_code(kind >> RND_SHIFT), f32sum);
        let dm = multiply((ab, ab, ct, dt), (m, n, k, 1), flags, &am, &bm, &cm, None);
        let nregs = wmma_regs(shape, 2, dt);
        for r in 0..nregs {
            for lane in 0..WARP {
                let mut w = 0u64;
                for i in 0..dt.per_reg() {
                    w = put_sub_elem(w, dt, i, dm[wmma_elem(lane, r, i, dt.per_reg(), nregs, m * n)]);
                }
                set_reg_word(d, dt, r, lane, w);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_sum_rounds_once_in_every_mode() {
        // 1 + 2^-60 is not an f64: rn/rz/rm give 1, rp the next double
        let mut s = ExactSum::new();
        s.add(1.0);
        s.add_product(2f64.powi(-30), 2f64.powi(-30));
        assert_eq!(s.round(Rnd::Rn), 1.0);
        assert_eq!(s.round(Rnd::Rz), 1.0);
        assert_eq!(s.round(Rnd::Rm), 1.0);
        assert_eq!(s.round(Rnd::Rp), f64::from_bits(1.0f64.to_bits() + 1));
        // cancellation to an exact zero: +0, or -0 when rounding down
        let mut z = ExactSum::new();
        z.add_product(3.0, 0.1);
        z.add_product(-3.0, 0.1);
        assert!(z.round(Rnd::Rn) == 0.0 && z.round(Rnd::Rn).is_sign_positive());
        assert!(z.round(Rnd::Rm).is_sign_negative());
        // products of subnormals and ties to even
        let tiny = f64::from_bits(1);
        let mut t = ExactSum::new();
        t.add_product(tiny, 0.5);
        assert_eq!(t.round(Rnd::Rn), 0.0);
        assert_eq!(t.round(Rnd::Rp), tiny);
        let mut u = ExactSum::new();
        u.add_product(tiny, 1.5);
        assert_eq!(u.round(Rnd::Rn), 2.0 * tiny);
    }

    #[test]
    fn fma_rnd_matches_mul_add_and_brackets_it() {
        let mut x = 0x1234_5678_9abc_def1u64;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let a = f64::from_bits(0x3ff0_0000_0000_0000 | (x & 0xf_ffff_ffff_ffff)) * if x >> 63 == 1 { -1.0 } else { 1.0 };
            let b = f64::from_bits(0x3fe0_0000_0000_0000 | (x >> 12 & 0xf_ffff_ffff_ffff));
            let c = f64::from_bits(0x3fd0_0000_0000_0000 | (x.rotate_left(7) & 0xf_ffff_ffff_ffff));
            let rn = a.mul_add(b, c);
            let mut s = ExactSum::new();
            s.add_product(a, b);
            s.add(c);
            assert_eq!(s.round(Rnd::Rn), rn);
            let (lo, hi) = (fma_rnd(a, b, c, Rnd::Rm), fma_rnd(a, b, c, Rnd::Rp));
            assert!(lo <= rn && rn <= hi && (lo == hi || f64::from_bits(lo.to_bits().wrapping_add(1)) == hi || f64::from_bits(lo.to_bits().wrapping_sub(1)) == hi));
        }
    }

    /// A PTX kernel running one mma.sync form on per-lane registers loaded from `a` (words
    /// `[lane][reg]`), storing D's words `[lane][reg]` to `d`.
    fn mma_ptx(form: &str, na: usize, nb: usize, nc: usize, nd: usize) -> String {
        let regs = |p: &str, n: usize, o: usize| (0..n).map(|i| format!("%{p}{}", i + o)).collect::<Vec<_>>().join(",");
        let nin = na + nb + nc;
        let mut body = String::new();
        for i in 0..nin {
            body += &format!("ld.global.u32 %r{i}, [%rd3+{}];\n", 4 * i);
        }
        body += &format!(
            "mma.sync.aligned.{form} {{{}}}, {{{}}}, {{{}}}, {{{}}};\n",
            regs("q", nd, 0),
            regs("r", na, 0),
            regs("r", nb, na),
            regs("r", nc, na + nb)
        );
        for i in 0..nd {
            body += &format!("st.global.u32 [%rd4+{}], %q{i};\n", 4 * i);
        }
        format!(
            ".version 8.0\n.target sm_90\n.address_size 64\n.visible .entry k(.param .u64 pa, .param .u64 pd)\n{{\n\
             .reg .b32 %r<{nin}>;\n.reg .b32 %q<{nd}>;\n.reg .b32 %t;\n.reg .b64 %rd<6>;\n\
             ld.param.u64 %rd1, [pa];\nld.param.u64 %rd2, [pd];\nmov.u32 %t, %laneid;\n\
             mul.wide.u32 %rd5, %t, {};\nadd.s64 %rd3, %rd1, %rd5;\nmul.wide.u32 %rd5, %t, {};\nadd.s64 %rd4, %rd2, %rd5;\n\
             {body}ret;\n}}\n",
            4 * nin,
            4 * nd
        )
    }

    fn run_mma(ptx: &str, input: &[u32], out_words: usize) -> Result<Vec<u32>, String> {
        use crate::exec::{LaunchConfig, ModuleImage};
        let m = ModuleImage::load_ptx(ptx).map_err(|e| e.message)?;
        let mut d = vec![0u32; 32 * out_words];
        let params = [input.as_ptr() as u64, d.as_mut_ptr() as u64];
        let bytes: Vec<u8> = params.iter().flat_map(|p| p.to_le_bytes()).collect();
        m.launch("k", LaunchConfig { grid: [1, 1, 1], block: [32, 1, 1], dynamic_shared_bytes: 0 }, &bytes)
            .map_err(|e| format!("{e:?}"))?;
        Ok(d)
    }

    #[test]
    fn mma_b1_popc_and_s4_in_a_kernel() {
        // m8n8k128 b1 xor.popc: A all ones, B alternating bits → each of the 128 products is 1
        // where B's bit is 0: popc = 64, plus C = lane
        let mut input = Vec::new();
        for lane in 0..32u32 {
            input.extend_from_slice(&[0xffff_ffff, 0xaaaa_aaaa, lane, lane + 100]);
        }
        let d = run_mma(&mma_ptx("m8n8k128.row.col.s32.b1.b1.s32.xor.popc", 1, 1, 2, 2), &input, 2).unwrap();
        for lane in 0..32 {
            assert_eq!((d[2 * lane], d[2 * lane + 1]), (64 + lane as u32, 164 + lane as u32), "lane {lane}");
        }
        // m8n8k32 s4 with satfinite: A all -8, B all -8 → 32·64 = 2048 added to C = i32::MAX - 1000
        let mut input = Vec::new();
        for _ in 0..32 {
            input.extend_from_slice(&[0x8888_8888, 0x8888_8888, 0x7fff_fc17, 5]);
        }
        let d = run_mma(&mma_ptx("m8n8k32.row.col.satfinite.s32.s4.s4.s32", 1, 1, 2, 2), &input, 2).unwrap();
        assert!(d.chunks(2).all(|w| w == [0x7fff_ffff, 2053]), "{:x?}", &d[..4]);
    }

    #[test]
    fn mma_forms_ptx_does_not_have_are_rejected() {
        let input = vec![0u32; 32 * 16];
        // k = 64 with f16 inputs, tf32 at k16, f16 → s32 accumulators
        for (form, na, nb, nc, nd) in [
            ("m16n8k64.row.col.f32.f16.f16.f32", 16, 8, 4, 4),
            ("m16n8k16.row.col.f32.tf32.tf32.f32", 8, 4, 4, 4),
            ("m16n8k16.row.col.s32.f16.f16.s32", 4, 2, 4, 4),
        ] {
            let r = run_mma(&mma_ptx(form, na, nb, nc, nd), &input, nd);
            assert!(r.is_err(), "{form} ran");
        }
        // wrong register count for a valid form
        assert!(run_mma(&mma_ptx("m16n8k16.row.col.f32.f16.f16.f32", 3, 2, 4, 4), &input, 4).is_err());
        // the valid form runs: A = B = 0, C = lane words → D = C
        let mut input = Vec::new();
        for lane in 0..32u32 {
            input.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
            input.extend((0..4).map(|r| (lane as f32 + r as f32 * 0.25).to_bits()));
        }
        let d = run_mma(&mma_ptx("m16n8k16.row.col.f32.f16.f16.f32", 4, 2, 4, 4), &input, 4).unwrap();
        for lane in 0..32 {
            for r in 0..4 {
                assert_eq!(f32::from_bits(d[4 * lane + r]), lane as f32 + r as f32 * 0.25);
            }
        }
    }

    /// mma.sp form `form` with selector `sel`: A, B, C then the metadata word per lane.
    fn mma_sp_ptx(form: &str, (na, nb, nc, nd): (usize, usize, usize, usize), sel: &str) -> String {
        let dense = mma_ptx("X", na, nb, nc + 1, nd);
        let regs = |p: &str, n: usize, o: usize| (0..n).map(|i| format!("%{p}{}", i + o)).collect::<Vec<_>>().join(",");
        let line = format!(
            "mma.sp::ordered_metadata.sync.aligned.{form} {{{}}}, {{{}}}, {{{}}}, {{{}}}, %r{}, {sel};",
            regs("q", nd, 0),
            regs("r", na, 0),
            regs("r", nb, na),
            regs("r", nc, na + nb),
            na + nb + nc
        );
        dense.lines().map(|l| if l.starts_with("mma.sync.aligned.X") { line.clone() } else { l.to_string() }).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn mma_sp_reads_the_metadata_the_selector_names() {
        // m16n8k16 f16 → f32: every stored A element 1, B's row k all k, C 0: D[row][·] is the
        // sum of the columns the metadata of row `row` names. Lanes the selector does not name
        // hold 0xffffffff (indices 3, 3: invalid), which must not be read.
        const VALID: [u32; 6] = [0x4, 0x8, 0xc, 0x9, 0xd, 0xe];
        let nib = |row: usize, c: usize| VALID[(row + 2 * c) % 6];
        for sel in 0..4usize {
            let mut input = Vec::new();
            for lane in 0..32usize {
                let (g, t) = (lane / 4, lane % 4);
                let brow = |r: usize, i: usize| f32_to_f16((2 * t + i + 8 * r) as f32) as u32;
                input.extend_from_slice(&[0x3c00_3c00, 0x3c00_3c00]);
                input.extend((0..2).map(|r| brow(r, 0) | brow(r, 1) << 16));
                input.extend_from_slice(&[0, 0, 0, 0]);
                let meta = (0..4).fold(0u32, |m, c| m | nib(g, c) << (4 * c) | nib(g + 8, c) << (16 + 4 * c));
                input.push(if t == sel { meta } else { 0xffff_ffff });
            }
            let ptx = mma_sp_ptx("m16n8k16.row.col.f32.f16.f16.f32", (2, 2, 4, 4), &sel.to_string());
            let d = run_mma(&ptx, &input, 4).unwrap();
            for lane in 0..32 {
                for r in 0..4 {
                    let row = lane / 4 + 8 * (r >> 1);
                    let want: u32 = (0..4).map(|c| 8 * c as u32 + (nib(row, c) & 3) + (nib(row, c) >> 2)).sum();
                    assert_eq!(f32::from_bits(d[4 * lane + r]), want as f32, "sel {sel} lane {lane} d{r}");
                }
            }
        }
        // the selector must be a constant in range; forms PTX lacks are refused
        let input = vec![0u32; 32 * 16];
        assert!(run_mma(&mma_sp_ptx("m16n8k16.row.col.f32.f16.f16.f32", (2, 2, 4, 4), "4"), &input, 4).is_err());
        assert!(run_mma(&mma_sp_ptx("m16n8k16.row.col.f32.f16.f16.f32", (2, 2, 4, 4), "%r0"), &input, 4).is_err());
        assert!(run_mma(&mma_sp_ptx("m16n8k16.row.col.s32.s8.s8.s32", (1, 1, 4, 4), "0"), &input, 4).is_err());
        assert!(run_mma(&mma_sp_ptx("m16n8k64.row.col.f16.e4m3.e4m3.f16", (4, 4, 2, 2), "0"), &input, 2).is_err());
    }

    #[test]
    fn mma_fragments_cover_every_element_once() {
        // every (group, row, col) of A, B and C is held by exactly one (lane, register, element)
        let kinds = [
            (mma_kind::M16N8, 16u32, Elem::F16, Elem::F32),
            (mma_kind::M16N8, 8, Elem::TF32, Elem::F32),
            (mma_kind::M16N8, 4, Elem::TF32, Elem::F32),
            (mma_kind::M16N8, 32, Elem::S8, Elem::S32),
            (mma_kind::M16N8, 64, Elem::S4, Elem::S32),
            (mma_kind::M16N8, 256, Elem::B1, Elem::S32),
            (mma_kind::M16N8, 16, Elem::F64, Elem::F64),
            (mma_kind::M8N8, 16, Elem::S8, Elem::S32),
            (mma_kind::M8N8, 128, Elem::B1, Elem::S32),
            (mma_kind::M8N8, 4, Elem::F64, Elem::F64),
            (mma_kind::QUADPAIR, 4, Elem::F16, Elem::F32),
            (mma_kind::QUADPAIR, 4, Elem::F16, Elem::F16),
        ];
        for (class, k, ab, cd) in kinds {
            let kind = (ab as u32) | (ab as u32) << 4 | (cd as u32) << 8 | (cd as u32) << 12 | class << 16 | (k.trailing_zeros() - 2) << 18;
            let s = MmaDesc::new(kind);
            for which in 0..3 {
                let e = [s.a, s.b, s.c][which];
                let (rows, cols) = [(s.m, s.k), (s.k, s.n), (s.m, s.n)][which];
                let mut seen = vec![0; s.groups() * rows * cols];
                for r in 0..s.regs(which) {
                    for lane in 0..WARP {
                        for i in 0..e.per_reg() {
                            let (g, row, col) = s.pos(which, e, lane, r, i);
                            assert!(row < rows && col < cols, "{kind:x} {which}");
                            seen[(g * rows + row) * cols + col] += 1;
                        }
                    }
                }
                assert!(seen.iter().all(|&x| x == 1), "kind {kind:x} operand {which}: {seen:?}");
            }
        }
    }
}
