//! Floating-point semantics as the H100 implements them: rounding modes, `.ftz`, `.sat`,
//! `.relu`, `.satfinite`, NaN rules — for f32 and f64 (PTX ISA 9.7.3 "Floating-point
//! instructions"), f16/f16x2/bf16/bf16x2 (9.7.4 "Half precision floating-point instructions")
//! and `cvt` between floating-point formats (9.7.9.21 "cvt").
//!
//! Everything that narrows a format is done on integer bit patterns (`round_bits`), so every
//! rounding mode is exact and LLVM never emits a half-precision libcall (`__truncsfhf2` …).
//!
//! Directed rounding of an operation is computed from its exact result: f16/bf16/f32 operands
//! widen exactly to f64, where a product is exact and a sum is exact as `s + err` (TwoSum); the
//! pair is rounded to odd in f64 (53 ≥ 24 + 2 bits, so a second rounding is innocuous) and then
//! to the destination format in the requested mode. f64 results, which have no wider format,
//! start from the round-to-nearest result and step one ulp when the exact error's sign says so.
//!
//! NaN results (measured on H100, tests/conformance): f32, f16 and bf16 arithmetic returns the
//! canonical NaN 0x7fffffff / 0x7fff; f64 arithmetic returns the quieted NaN operand (the
//! second if both are NaN) or the default NaN 0xfff8000000000000.

use super::func::{Gen, OrMsg, R, W};
use inkwell::types::VectorType;
use inkwell::values::VectorValue;
use inkwell::{FloatPredicate, IntPredicate};
use ptx::ir::{self, Type};

/// An IEEE-like binary format.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Fmt {
    pub bits: u32,
    pub eb: u32,
    pub mb: u32,
    /// false for e4m3 (no infinities; exponent 15 mantissa 7 is NaN).
    pub ieee: bool,
}
pub const F16: Fmt = Fmt { bits: 16, eb: 5, mb: 10, ieee: true };
pub const BF16: Fmt = Fmt { bits: 16, eb: 8, mb: 7, ieee: true };
pub const F32: Fmt = Fmt { bits: 32, eb: 8, mb: 23, ieee: true };
pub const F64: Fmt = Fmt { bits: 64, eb: 11, mb: 52, ieee: true };
pub const E4M3: Fmt = Fmt { bits: 8, eb: 4, mb: 3, ieee: false };
pub const E5M2: Fmt = Fmt { bits: 8, eb: 5, mb: 2, ieee: true };

impl Fmt {
    fn bias(self) -> i64 {
        (1i64 << (self.eb - 1)) - 1
    }
    fn abs_mask(self) -> u64 {
        if self.bits == 64 {
            u64::MAX >> 1
        } else {
            (1u64 << (self.bits - 1)) - 1
        }
    }
    fn inf(self) -> u64 {
        ((1u64 << self.eb) - 1) << self.mb
    }
    /// Largest finite magnitude.
    fn max(self) -> u64 {
        if self.ieee {
            self.inf() - 1
        } else {
            self.abs_mask() - 1
        }
    }
    /// The NaN an operation produces.
    pub fn canon_nan(self) -> u64 {
        match self.bits {
            64 => 0xfff8_0000_0000_0000,
            8 => 0x7f,
            _ => self.abs_mask(),
        }
    }
    pub fn of(t: Type) -> Option<Fmt> {
        Some(match t {
            Type::F16 | Type::F16x2 => F16,
            Type::BF16 | Type::BF16x2 => BF16,
            Type::F32 => F32,
            Type::F64 => F64,
            _ => return None,
        })
    }
}

/// Rounding modes of floating-point results.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rnd {
    N,
    Z,
    M,
    P,
}

pub fn rnd_of(i: &ir::Instruction) -> Option<Rnd> {
    for m in &i.modifiers {
        match m.as_str() {
            "rn" => return Some(Rnd::N),
            "rz" => return Some(Rnd::Z),
            "rm" => return Some(Rnd::M),
            "rp" => return Some(Rnd::P),
            _ => {}
        }
    }
    None
}

impl<'ctx, 'm> Gen<'ctx, 'm> {
    pub fn kc(&self, nb: u32, v: u64) -> VectorValue<'ctx> {
        self.splat_const(nb, v)
    }
    fn f64c(&self, v: f64) -> VectorValue<'ctx> {
        VectorType::const_vector(&vec![self.cx.f64_type().const_float(v); W as usize])
    }
    fn sel(&self, c: VectorValue<'ctx>, a: VectorValue<'ctx>, b: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        Ok(self.b.build_select(c, a, b, "").e()?.into_vector_value())
    }
    fn icmp(&self, p: IntPredicate, a: VectorValue<'ctx>, b: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        self.b.build_int_compare(p, a, b, "").e()
    }
    pub fn f64_of_bits(&self, v: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        Ok(self.b.build_bit_cast(v, self.cx.f64_type().vec_type(W), "").e()?.into_vector_value())
    }
    pub fn bits_of_f64(&self, v: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        Ok(self.b.build_bit_cast(v, self.ivec(64), "").e()?.into_vector_value())
    }
    fn f32_of_bits(&self, v: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        Ok(self.b.build_bit_cast(v, self.cx.f32_type().vec_type(W), "").e()?.into_vector_value())
    }
    fn bits_of_f32(&self, v: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        Ok(self.b.build_bit_cast(v, self.ivec(32), "").e()?.into_vector_value())
    }

    // ----- predicates on bit patterns -----

    pub fn bits_is_nan(&self, x: VectorValue<'ctx>, f: Fmt) -> R<VectorValue<'ctx>> {
        let a = self.b.build_and(x, self.kc(f.bits, f.abs_mask()), "").e()?;
        if f.ieee {
            self.icmp(IntPredicate::UGT, a, self.kc(f.bits, f.inf()))
        } else {
            self.icmp(IntPredicate::EQ, a, self.kc(f.bits, f.abs_mask()))
        }
    }
    fn bits_is_denorm(&self, x: VectorValue<'ctx>, f: Fmt) -> R<VectorValue<'ctx>> {
        let e = self.b.build_and(x, self.kc(f.bits, f.inf()), "").e()?;
        let m = self.b.build_and(x, self.kc(f.bits, (1u64 << f.mb) - 1), "").e()?;
        let ez = self.icmp(IntPredicate::EQ, e, self.kc(f.bits, 0))?;
        let mnz = self.icmp(IntPredicate::NE, m, self.kc(f.bits, 0))?;
        self.b.build_and(ez, mnz, "").e()
    }
    /// `.ftz`: subnormals become zeros of the same sign.
    pub fn bits_ftz(&self, x: VectorValue<'ctx>, f: Fmt) -> R<VectorValue<'ctx>> {
        let d = self.bits_is_denorm(x, f)?;
        let s = self.b.build_and(x, self.kc(f.bits, 1u64 << (f.bits - 1)), "").e()?;
        self.sel(d, s, x)
    }
    /// NaN → the canonical NaN of the format.
    pub fn bits_canon(&self, x: VectorValue<'ctx>, f: Fmt) -> R<VectorValue<'ctx>> {
        let n = self.bits_is_nan(x, f)?;
        self.sel(n, self.kc(f.bits, f.canon_nan()), x)
    }
    fn bits_neg(&self, x: VectorValue<'ctx>, f: Fmt) -> R<VectorValue<'ctx>> {
        let s = self.icmp(IntPredicate::NE, self.b.build_and(x, self.kc(f.bits, 1u64 << (f.bits - 1)), "").e()?, self.kc(f.bits, 0))?;
        Ok(s)
    }
    /// `.sat`: clamp to [0, 1]; NaN → +0.
    pub fn bits_sat(&self, x: VectorValue<'ctx>, f: Fmt) -> R<VectorValue<'ctx>> {
        let one = ((f.bias() as u64) << f.mb) as u64;
        let nan = self.bits_is_nan(x, f)?;
        let neg = self.bits_neg(x, f)?;
        let big = self.icmp(IntPredicate::UGT, x, self.kc(f.bits, one))?;
        let r = self.sel(big, self.kc(f.bits, one), x)?;
        let z = self.b.build_or(nan, neg, "").e()?;
        self.sel(z, self.kc(f.bits, 0), r)
    }
    /// `.relu`: negative → +0, NaN → canonical NaN.
    pub fn bits_relu(&self, x: VectorValue<'ctx>, f: Fmt) -> R<VectorValue<'ctx>> {
        let nan = self.bits_is_nan(x, f)?;
        let neg = self.bits_neg(x, f)?;
        let r = self.sel(neg, self.kc(f.bits, 0), x)?;
        self.sel(nan, self.kc(f.bits, f.canon_nan()), r)
    }

    /// One ulp towards +inf (`up`) or -inf, on bits (x not NaN).
    fn bits_step(&self, x: VectorValue<'ctx>, up: bool, f: Fmt) -> R<VectorValue<'ctx>> {
        let nb = f.bits;
        let neg = self.bits_neg(x, f)?;
        let mag = self.b.build_and(x, self.kc(nb, f.abs_mask()), "").e()?;
        let zero = self.icmp(IntPredicate::EQ, mag, self.kc(nb, 0))?;
        let inc = self.b.build_int_add(x, self.kc(nb, 1), "").e()?;
        let dec = self.b.build_int_sub(x, self.kc(nb, 1), "").e()?;
        // away from zero when the sign agrees with the direction
        let r = if up { self.sel(neg, dec, inc)? } else { self.sel(neg, inc, dec)? };
        let z = if up { self.kc(nb, 1) } else { self.kc(nb, (1u64 << (nb - 1)) | 1) };
        self.sel(zero, z, r)
    }

    /// Directed rounding from the round-to-nearest result `r0`, knowing whether it lies above
    /// (`gt`) or below (`lt`) the exact value.
    fn bits_directed(&self, r0: VectorValue<'ctx>, gt: VectorValue<'ctx>, lt: VectorValue<'ctx>, mode: Rnd, f: Fmt) -> R<VectorValue<'ctx>> {
        Ok(match mode {
            Rnd::N => r0,
            Rnd::Z => {
                let neg = self.bits_neg(r0, f)?;
                let pos = self.b.build_not(neg, "").e()?;
                let a = self.b.build_and(gt, pos, "").e()?;
                let c = self.b.build_and(lt, neg, "").e()?;
                let away = self.b.build_or(a, c, "").e()?;
                let dec = self.b.build_int_sub(r0, self.kc(f.bits, 1), "").e()?;
                self.sel(away, dec, r0)?
            }
            Rnd::M => self.sel(gt, self.bits_step(r0, false, f)?, r0)?,
            Rnd::P => self.sel(lt, self.bits_step(r0, true, f)?, r0)?,
        })
    }

    /// Rounds a value of format `inf` (bits, 32 or 64 wide) to format `out` in `mode`.
    /// `satfinite`: overflow and infinities give the largest finite value. NaN → `out`'s
    /// canonical NaN.
    pub fn round_bits(&self, x: VectorValue<'ctx>, inf: Fmt, out: Fmt, mode: Rnd, satfinite: bool) -> R<VectorValue<'ctx>> {
        let n = inf.bits;
        let b = &self.b;
        let k = |v: u64| self.kc(n, v);
        let sign = b.build_right_shift(x, k((n - 1) as u64), false, "").e()?;
        let neg = self.icmp(IntPredicate::NE, sign, k(0))?;
        let ax = b.build_and(x, k(inf.abs_mask()), "").e()?;
        let is_nan = self.icmp(IntPredicate::UGT, ax, k(inf.inf()))?;
        let is_inf = self.icmp(IntPredicate::EQ, ax, k(inf.inf()))?;
        let ef = b.build_right_shift(ax, k(inf.mb as u64), false, "").e()?;
        let mf = b.build_and(ax, k((1u64 << inf.mb) - 1), "").e()?;
        let ef_nz = self.icmp(IntPredicate::NE, ef, k(0))?;
        let m = self.sel(ef_nz, b.build_or(mf, k(1u64 << inf.mb), "").e()?, mf)?;
        // unbiased exponent (of the leading bit position inf.mb)
        let ef1 = self.call_intr("llvm.umax", &[self.ivec(n).into()], &[ef.into(), k(1).into()])?.into_vector_value();
        let e = b.build_int_sub(ef1, k(inf.bias() as u64), "").e()?;
        let emin = 1 - out.bias();
        let base = (inf.mb - out.mb) as u64;
        // shift = base + max(0, emin - e), at most inf.mb + 2
        let under = b.build_int_sub(k(emin as u64), e, "").e()?;
        let under = self.call_intr("llvm.smax", &[self.ivec(n).into()], &[under.into(), k(0).into()])?.into_vector_value();
        let sh = b.build_int_add(under, k(base), "").e()?;
        let sh = self.call_intr("llvm.umin", &[self.ivec(n).into()], &[sh.into(), k((inf.mb + 2) as u64).into()])?.into_vector_value();
        let q = b.build_right_shift(m, sh, false, "").e()?;
        let one = k(1);
        let lowmask = b.build_int_sub(b.build_left_shift(one, sh, "").e()?, one, "").e()?;
        let rem = b.build_and(m, lowmask, "").e()?;
        let half = b.build_left_shift(one, b.build_int_sub(sh, one, "").e()?, "").e()?;
        let rem_nz = self.icmp(IntPredicate::NE, rem, k(0))?;
        let inc = match mode {
            Rnd::N => {
                let gt = self.icmp(IntPredicate::UGT, rem, half)?;
                let eq = self.icmp(IntPredicate::EQ, rem, half)?;
                let odd = self.icmp(IntPredicate::NE, b.build_and(q, one, "").e()?, k(0))?;
                b.build_or(gt, b.build_and(eq, odd, "").e()?, "").e()?
            }
            Rnd::Z => self.ivec(1).const_zero(),
            Rnd::M => b.build_and(neg, rem_nz, "").e()?,
            Rnd::P => b.build_and(b.build_not(neg, "").e()?, rem_nz, "").e()?,
        };
        let q = b.build_int_add(q, self.resize(inc, n, false)?, "").e()?;
        let normal = self.icmp(IntPredicate::SGE, e, k(emin as u64))?;
        let ebits = b.build_left_shift(b.build_int_add(e, k((out.bias() - 1) as u64), "").e()?, k(out.mb as u64), "").e()?;
        let ebits = self.sel(normal, ebits, k(0))?;
        let mag = b.build_int_add(ebits, q, "").e()?;
        // overflow
        let limit = if out.ieee { out.inf() } else { out.abs_mask() };
        let ovf = self.icmp(IntPredicate::UGE, mag, k(limit))?;
        let to_inf = match mode {
            Rnd::N => self.splat_const(1, 1),
            Rnd::Z => self.ivec(1).const_zero(),
            Rnd::M => neg,
            Rnd::P => b.build_not(neg, "").e()?,
        };
        let big = if satfinite {
            k(out.max())
        } else if out.ieee {
            self.sel(to_inf, k(out.inf()), k(out.max()))?
        } else {
            self.sel(to_inf, k(out.abs_mask()), k(out.max()))?
        };
        let mag = self.sel(ovf, big, mag)?;
        let inf_mag = if satfinite { out.max() } else if out.ieee { out.inf() } else { out.abs_mask() };
        let mag = self.sel(is_inf, k(inf_mag), mag)?;
        let r = b.build_or(mag, b.build_left_shift(sign, k((out.bits - 1) as u64), "").e()?, "").e()?;
        let r = self.sel(is_nan, k(out.canon_nan()), r)?;
        self.resize(r, out.bits, false)
    }

    /// Exact widening of `f`-format bits to f64 (NaN payloads kept, quieted).
    pub fn widen_f64(&self, x: VectorValue<'ctx>, f: Fmt) -> R<VectorValue<'ctx>> {
        if f == F64 {
            return self.f64_of_bits(x);
        }
        if f == F32 {
            let v = self.f32_of_bits(x)?;
            return Ok(self.b.build_float_ext(v, self.cx.f64_type().vec_type(W), "").e()?);
        }
        let b = &self.b;
        let x64 = self.resize(x, 64, false)?;
        let k = |v: u64| self.kc(64, v);
        let sign = b.build_left_shift(b.build_right_shift(x64, k((f.bits - 1) as u64), false, "").e()?, k(63), "").e()?;
        let e = b.build_and(b.build_right_shift(x64, k(f.mb as u64), false, "").e()?, k((1u64 << f.eb) - 1), "").e()?;
        let m = b.build_and(x64, k((1u64 << f.mb) - 1), "").e()?;
        let mshift = b.build_left_shift(m, k((52 - f.mb) as u64), "").e()?;
        let normal_e = b.build_left_shift(b.build_int_add(e, k((1023 - f.bias()) as u64), "").e()?, k(52), "").e()?;
        let normal = b.build_or(normal_e, mshift, "").e()?;
        let emax = (1u64 << f.eb) - 1;
        let special = if f.ieee {
            let sp = b.build_or(k(0x7ff0_0000_0000_0000), mshift, "").e()?;
            let is_nan = self.icmp(IntPredicate::NE, m, k(0))?;
            let q = b.build_or(sp, k(1u64 << 51), "").e()?;
            self.sel(is_nan, q, sp)?
        } else {
            // e4m3: only S.1111.111 is NaN
            let is_nan = self.icmp(IntPredicate::EQ, m, k((1u64 << f.mb) - 1))?;
            self.sel(is_nan, k(0x7ff8_0000_0000_0000), normal)?
        };
        let is_special = self.icmp(IntPredicate::EQ, e, k(emax))?;
        // zero / subnormal: m * 2^(1 - bias - mb), exact
        let mf = b.build_unsigned_int_to_float(m, self.cx.f64_type().vec_type(W), "").e()?;
        let scale = self.f64c(2f64.powi((1 - f.bias() - f.mb as i64) as i32));
        let sub = self.bits_of_f64(b.build_float_mul(mf, scale, "").e()?)?;
        let ez = self.icmp(IntPredicate::EQ, e, k(0))?;
        let r = self.sel(is_special, special, normal)?;
        let r = self.sel(ez, sub, r)?;
        let r = b.build_or(r, sign, "").e()?;
        self.f64_of_bits(r)
    }

    /// TwoSum: s + err == a + b exactly (err is NaN when s is not finite).
    fn two_sum(&self, a: VectorValue<'ctx>, b2: VectorValue<'ctx>) -> R<(VectorValue<'ctx>, VectorValue<'ctx>)> {
        let b = &self.b;
        let s = b.build_float_add(a, b2, "").e()?;
        let bb = b.build_float_sub(s, a, "").e()?;
        let ab = b.build_float_sub(s, bb, "").e()?;
        let e1 = b.build_float_sub(a, ab, "").e()?;
        let e2 = b.build_float_sub(b2, bb, "").e()?;
        let err = b.build_float_add(e1, e2, "").e()?;
        Ok((s, err))
    }

    /// Rounds the exact value s + err (f64 pair) to `out` in `mode`.
    fn round_exact(&self, s: VectorValue<'ctx>, err: VectorValue<'ctx>, out: Fmt, mode: Rnd) -> R<VectorValue<'ctx>> {
        let b = &self.b;
        let sb = self.bits_of_f64(s)?;
        let zero = self.f64c(0.0);
        let err_pos = b.build_float_compare(FloatPredicate::OGT, err, zero, "").e()?;
        let err_neg = b.build_float_compare(FloatPredicate::OLT, err, zero, "").e()?;
        if out == F64 {
            // s is the nearest; s > exact iff err < 0
            return self.bits_directed(sb, err_neg, err_pos, mode, F64);
        }
        // round to odd in f64, then to the destination
        let inexact = b.build_or(err_pos, err_neg, "").e()?;
        let even = self.icmp(IntPredicate::EQ, b.build_and(sb, self.kc(64, 1), "").e()?, self.kc(64, 0))?;
        let fix = b.build_and(inexact, even, "").e()?;
        let s_neg = b.build_float_compare(FloatPredicate::OLT, s, zero, "").e()?;
        // towards the exact value: larger magnitude iff err has the sign of s
        let same = b.build_xor(s_neg, err_neg, "").e()?;
        let same = b.build_not(same, "").e()?;
        let up = b.build_int_add(sb, self.kc(64, 1), "").e()?;
        let down = b.build_int_sub(sb, self.kc(64, 1), "").e()?;
        let adj = self.sel(same, up, down)?;
        let ro = self.sel(fix, adj, sb)?;
        self.round_bits(ro, F64, out, mode, false)
    }

    /// The f64 NaN rule: a NaN result is the quieted second NaN operand, else the first, else
    /// the default NaN.
    fn f64_nan_rule(&self, r: VectorValue<'ctx>, ops: &[VectorValue<'ctx>]) -> R<VectorValue<'ctx>> {
        let rb = self.bits_of_f64(r)?;
        let mut nanv = self.kc(64, F64.canon_nan());
        for &o in ops {
            let ob = self.bits_of_f64(o)?;
            let q = self.b.build_or(ob, self.kc(64, 1u64 << 51), "").e()?;
            let isn = self.bits_is_nan(ob, F64)?;
            nanv = self.sel(isn, q, nanv)?;
        }
        let rn = self.bits_is_nan(rb, F64)?;
        self.sel(rn, nanv, rb)
    }

    /// add/sub/mul/fma of `f`-format bit vectors (f16, bf16, f32, f64) with a rounding mode.
    /// Returns result bits (NaN per the format's rule; no ftz/sat).
    pub fn fp_arith(&self, op: &str, s: &[VectorValue<'ctx>], f: Fmt, mode: Rnd) -> R<VectorValue<'ctx>> {
        let b = &self.b;
        let w: Vec<VectorValue<'ctx>> = s.iter().map(|&x| self.widen_f64(x, f)).collect::<R<_>>()?;
        let zero = self.f64c(0.0);
        // exact value as (s, err), plus the two addends (for the sign of an exact zero)
        let (sum, err, x, y) = match op {
            "add" => {
                let (a, c) = self.two_sum(w[0], w[1])?;
                (a, c, w[0], w[1])
            }
            "sub" => {
                let nb = b.build_float_neg(w[1], "").e()?;
                let (a, c) = self.two_sum(w[0], nb)?;
                (a, c, w[0], nb)
            }
            "mul" => {
                let p = b.build_float_mul(w[0], w[1], "").e()?;
                let e = if f == F64 {
                    let np = b.build_float_neg(p, "").e()?;
                    self.call_intr("llvm.fma", &[p.get_type().into()], &[w[0].into(), w[1].into(), np.into()])?.into_vector_value()
                } else {
                    zero
                };
                (p, e, p, zero)
            }
            _ => {
                // fma / mad
                if f == F64 {
                    let r = self.call_intr("llvm.fma", &[w[0].get_type().into()], &[w[0].into(), w[1].into(), w[2].into()])?.into_vector_value();
                    if mode == Rnd::N {
                        return self.f64_nan_rule(r, &w);
                    }
                    // sign of r - (a*b + c): a*b = p + e1 exactly
                    let p = b.build_float_mul(w[0], w[1], "").e()?;
                    let np = b.build_float_neg(p, "").e()?;
                    let e1 = self.call_intr("llvm.fma", &[p.get_type().into()], &[w[0].into(), w[1].into(), np.into()])?.into_vector_value();
                    let (s1, t1) = self.two_sum(r, np)?;
                    let nc = b.build_float_neg(w[2], "").e()?;
                    let (s2, t2) = self.two_sum(s1, nc)?;
                    let tail = b.build_float_sub(b.build_float_add(t1, t2, "").e()?, e1, "").e()?;
                    let resid = b.build_float_add(s2, tail, "").e()?;
                    // r - exact = resid: err (exact - r) = -resid
                    let err = b.build_float_neg(resid, "").e()?;
                    // overflow to infinity from finite operands: the exact value is below it
                    let mut fin_ops = self.splat_const(1, 1);
                    for &o in &w {
                        let ao = self.call_intr("llvm.fabs", &[o.get_type().into()], &[o.into()])?.into_vector_value();
                        let fo = b.build_float_compare(FloatPredicate::ONE, ao, self.f64c(f64::INFINITY), "").e()?;
                        fin_ops = b.build_and(fin_ops, fo, "").e()?;
                    }
                    let ar = self.call_intr("llvm.fabs", &[r.get_type().into()], &[r.into()])?.into_vector_value();
                    let r_inf = b.build_float_compare(FloatPredicate::OEQ, ar, self.f64c(f64::INFINITY), "").e()?;
                    let ovf = b.build_and(r_inf, fin_ops, "").e()?;
                    let r_neg = b.build_float_compare(FloatPredicate::OLT, r, zero, "").e()?;
                    let ovf_err = self.sel(r_neg, self.f64c(1.0), self.f64c(-1.0))?;
                    let err = self.sel(ovf, ovf_err, err)?;
                    let rr = self.f64_nan_rule(r, &w)?;
                    let isn = self.bits_is_nan(rr, F64)?;
                    let inf = self.call_intr("llvm.fabs", &[r.get_type().into()], &[r.into()])?.into_vector_value();
                    let fin = b.build_float_compare(FloatPredicate::ONE, inf, self.f64c(f64::INFINITY), "").e()?;
                    let d = self.round_exact(self.f64_of_bits(rr)?, err, F64, mode)?;
                    let fin = b.build_or(fin, ovf, "").e()?;
                    let d = self.sel(fin, d, rr)?;
                    // subnormal results: the same residual computation scaled by 2^128
                    let (a2, b2s) = self.scale_smaller(w[0], w[1])?;
                    let c2 = b.build_float_mul(w[2], self.f64c(2f64.powi(128)), "").e()?;
                    let r2 = self.call_intr("llvm.fma", &[a2.get_type().into()], &[a2.into(), b2s.into(), c2.into()])?.into_vector_value();
                    let p2 = b.build_float_mul(a2, b2s, "").e()?;
                    let np2 = b.build_float_neg(p2, "").e()?;
                    let e2 = self.call_intr("llvm.fma", &[p2.get_type().into()], &[a2.into(), b2s.into(), np2.into()])?.into_vector_value();
                    let (s1, t1) = self.two_sum(r2, np2)?;
                    let nc2 = b.build_float_neg(c2, "").e()?;
                    let (s2, t2) = self.two_sum(s1, nc2)?;
                    let tail = b.build_float_sub(b.build_float_add(t1, t2, "").e()?, e2, "").e()?;
                    let resid2 = b.build_float_add(s2, tail, "").e()?;
                    // a product below even the scaled range: r - exact = (r - c) - a*b, where
                    // r - c is exact and dominates unless it is zero
                    let rmc = b.build_float_sub(r, w[2], "").e()?;
                    let rmc_z = b.build_float_compare(FloatPredicate::OEQ, rmc, zero, "").e()?;
                    let pneg = b.build_xor(
                        b.build_float_compare(FloatPredicate::OLT, w[0], zero, "").e()?,
                        b.build_float_compare(FloatPredicate::OLT, w[1], zero, "").e()?,
                        "",
                    ).e()?;
                    let deep = self.sel(rmc_z, self.sel(pneg, self.f64c(1.0), self.f64c(-1.0))?, rmc)?;
                    let p2z = b.build_float_compare(FloatPredicate::OEQ, p2, zero, "").e()?;
                    let anz = b.build_float_compare(FloatPredicate::ONE, w[0], zero, "").e()?;
                    let bnz = b.build_float_compare(FloatPredicate::ONE, w[1], zero, "").e()?;
                    let p2z = b.build_and(p2z, b.build_and(anz, bnz, "").e()?, "").e()?;
                    let resid2 = self.sel(p2z, deep, resid2)?;
                    let r2 = self.sel(p2z, b.build_float_mul(r, self.f64c(2f64.powi(128)), "").e()?, r2)?;
                    // a tiny product: its error term is inexact unscaled, whatever the result
                    let ap = self.call_intr("llvm.fabs", &[p.get_type().into()], &[p.into()])?.into_vector_value();
                    let ac = self.call_intr("llvm.fabs", &[w[2].get_type().into()], &[w[2].into()])?.into_vector_value();
                    let tp = b.build_float_compare(FloatPredicate::OLT, ap, self.f64c(2f64.powi(-969)), "").e()?;
                    let cs = b.build_float_compare(FloatPredicate::OLT, ac, self.f64c(2f64.powi(800)), "").e()?;
                    let force = b.build_and(tp, cs, "").e()?;
                    let d = self.f64_tiny(d, r2, resid2, mode, Some(force))?;
                    return self.sel(isn, rr, d);
                }
                let p = b.build_float_mul(w[0], w[1], "").e()?;
                let (a, c) = self.two_sum(p, w[2])?;
                (a, c, p, w[2])
            }
        };
        if f == F64 {
            let r = if mode == Rnd::N { sum } else { sum };
            let rr = self.f64_nan_rule(r, &w)?;
            if mode == Rnd::N {
                return Ok(rr);
            }
            // overflow to infinity from finite operands: the exact value is below it
            let abs = self.call_intr("llvm.fabs", &[r.get_type().into()], &[r.into()])?.into_vector_value();
            let is_inf = b.build_float_compare(FloatPredicate::OEQ, abs, self.f64c(f64::INFINITY), "").e()?;
            let mut fin_ops = self.splat_const(1, 1);
            for &o in &w {
                let ao = self.call_intr("llvm.fabs", &[o.get_type().into()], &[o.into()])?.into_vector_value();
                let fo = b.build_float_compare(FloatPredicate::ONE, ao, self.f64c(f64::INFINITY), "").e()?;
                fin_ops = b.build_and(fin_ops, fo, "").e()?;
            }
            let ovf = b.build_and(is_inf, fin_ops, "").e()?;
            let neg_r = b.build_float_compare(FloatPredicate::OLT, r, zero, "").e()?;
            let ovf_err = self.sel(neg_r, self.f64c(1.0), self.f64c(-1.0))?;
            let err = self.sel(ovf, ovf_err, err)?;
            let err = self.sel(is_inf, self.sel(ovf, err, zero)?, err)?;
            let d = self.round_exact(sum, err, F64, mode)?;
            let d = self.exact_zero_sign(d, sum, x, y, mode, 64)?;
            let d = if op == "mul" {
                // subnormal products: redo the exact product scaled by 2^128
                let (a2, b2s) = self.scale_smaller(w[0], w[1])?;
                let p2 = b.build_float_mul(a2, b2s, "").e()?;
                let np2 = b.build_float_neg(p2, "").e()?;
                let e2 = self.call_intr("llvm.fma", &[p2.get_type().into()], &[a2.into(), b2s.into(), np2.into()])?.into_vector_value();
                let resid = b.build_float_neg(e2, "").e()?;
                self.f64_tiny(d, p2, resid, mode, None)?
            } else {
                d
            };
            let isn = self.bits_is_nan(rr, F64)?;
            return self.sel(isn, rr, d);
        }
        let d = self.round_exact(sum, err, f, mode)?;
        self.exact_zero_sign(d, sum, x, y, mode, f.bits)
    }

    /// Directed rounding of an f64 result in (or near) the subnormal range, from a computation
    /// scaled by 2^128: `rs` is the scaled round-to-nearest result and `resid` has the sign
    /// of rs - exact (scaled). Returns `normal` where |normal| >= 2^-969 (error terms are exact
    /// there), the rescaled directed result elsewhere.
    /// `force`: use the scaled computation for normal results too (when an operand is so
    /// small that the unscaled error term is inexact).
    fn f64_tiny(&self, normal: VectorValue<'ctx>, rs: VectorValue<'ctx>, resid: VectorValue<'ctx>, mode: Rnd, force: Option<VectorValue<'ctx>>) -> R<VectorValue<'ctx>> {
        let b = &self.b;
        let nv = self.f64_of_bits(normal)?;
        let an = self.call_intr("llvm.fabs", &[nv.get_type().into()], &[nv.into()])?.into_vector_value();
        let tiny = b.build_float_compare(FloatPredicate::OLT, an, self.f64c(2f64.powi(-969)), "").e()?;
        let tiny = match force {
            Some(f) => b.build_or(tiny, f, "").e()?,
            None => tiny,
        };
        let r0 = b.build_float_mul(rs, self.f64c(2f64.powi(-128)), "").e()?;
        let back = b.build_float_mul(r0, self.f64c(2f64.powi(128)), "").e()?;
        let d1 = b.build_float_sub(back, rs, "").e()?;
        let zero = self.f64c(0.0);
        let d1z = b.build_float_compare(FloatPredicate::OEQ, d1, zero, "").e()?;
        let diff = self.sel(d1z, resid, d1)?;
        let gt = b.build_float_compare(FloatPredicate::OGT, diff, zero, "").e()?;
        let lt = b.build_float_compare(FloatPredicate::OLT, diff, zero, "").e()?;
        let t = self.bits_directed(self.bits_of_f64(r0)?, gt, lt, mode, F64)?;
        let fin = b.build_float_compare(FloatPredicate::ORD, rs, rs, "").e()?;
        let use_t = b.build_and(tiny, fin, "").e()?;
        self.sel(use_t, t, normal)
    }

    /// Scales the smaller-magnitude of two f64 factors by 2^128.
    fn scale_smaller(&self, x: VectorValue<'ctx>, y: VectorValue<'ctx>) -> R<(VectorValue<'ctx>, VectorValue<'ctx>)> {
        let b = &self.b;
        let ax = self.call_intr("llvm.fabs", &[x.get_type().into()], &[x.into()])?.into_vector_value();
        let ay = self.call_intr("llvm.fabs", &[y.get_type().into()], &[y.into()])?.into_vector_value();
        let xs = b.build_float_compare(FloatPredicate::OLE, ax, ay, "").e()?;
        let k = self.f64c(2f64.powi(128));
        let x2 = b.build_float_mul(x, k, "").e()?;
        let y2 = b.build_float_mul(y, k, "").e()?;
        Ok((self.sel(xs, x2, x)?, self.sel(xs, y, y2)?))
    }

    /// IEEE 754: an exact zero sum is -0 in round-down mode unless both addends are +0.
    fn exact_zero_sign(&self, d: VectorValue<'ctx>, s: VectorValue<'ctx>, x: VectorValue<'ctx>, y: VectorValue<'ctx>, mode: Rnd, nb: u32) -> R<VectorValue<'ctx>> {
        if mode != Rnd::M {
            return Ok(d);
        }
        let b = &self.b;
        let z = b.build_float_compare(FloatPredicate::OEQ, s, self.f64c(0.0), "").e()?;
        let xb = self.bits_of_f64(x)?;
        let yb = self.bits_of_f64(y)?;
        let both_pos = self.icmp(IntPredicate::EQ, b.build_or(xb, yb, "").e()?, self.kc(64, 0))?;
        let neg_zero = b.build_and(z, b.build_not(both_pos, "").e()?, "").e()?;
        self.sel(neg_zero, self.kc(nb, 1u64 << (nb - 1)), d)
    }

    /// min/max with PTX rules: -0 < +0; a NaN operand yields the other; two NaNs (or any NaN
    /// with `.NaN`) the canonical NaN; `.xorsign.abs` compares magnitudes and gives the result
    /// the xor of the operand signs.
    pub fn fp_minmax(&self, max: bool, s: &[VectorValue<'ctx>], f: Fmt, nan_mode: bool, xorsign: bool) -> R<VectorValue<'ctx>> {
        let b = &self.b;
        let sign_bit = self.kc(f.bits, 1u64 << (f.bits - 1));
        let (mut a0, mut b0) = (s[0], s[1]);
        let xs = b.build_and(b.build_xor(a0, b0, "").e()?, sign_bit, "").e()?;
        if xorsign {
            a0 = b.build_and(a0, self.kc(f.bits, f.abs_mask()), "").e()?;
            b0 = b.build_and(b0, self.kc(f.bits, f.abs_mask()), "").e()?;
        }
        let fa = self.widen_f64(a0, f)?;
        let fb = self.widen_f64(b0, f)?;
        let lt = b.build_float_compare(FloatPredicate::OLT, fa, fb, "").e()?;
        let gt = b.build_float_compare(FloatPredicate::OGT, fa, fb, "").e()?;
        // equal values: pick by sign (-0 < +0)
        let a_neg = self.bits_neg(a0, f)?;
        let pick_a_eq = if max { b.build_not(a_neg, "").e()? } else { a_neg };
        let eq = b.build_float_compare(FloatPredicate::OEQ, fa, fb, "").e()?;
        let pick_a = if max { gt } else { lt };
        let pick_a = b.build_or(pick_a, b.build_and(eq, pick_a_eq, "").e()?, "").e()?;
        let r = self.sel(pick_a, a0, b0)?;
        let an = self.bits_is_nan(a0, f)?;
        let bn = self.bits_is_nan(b0, f)?;
        let canon = self.kc(f.bits, f.canon_nan());
        let r = if nan_mode {
            self.sel(b.build_or(an, bn, "").e()?, canon, r)?
        } else {
            let r = self.sel(an, b0, r)?;
            let r = self.sel(bn, a0, r)?;
            let both = if f == F64 { b.build_or(b0, self.kc(64, 1u64 << 51), "").e()? } else { canon };
            self.sel(b.build_and(an, bn, "").e()?, both, r)?
        };
        if xorsign {
            let isn = self.bits_is_nan(r, f)?;
            let rs = b.build_or(r, xs, "").e()?;
            return self.sel(isn, r, rs);
        }
        Ok(r)
    }

    /// Splits packed x2 values into (low, high) halves of 16 bits.
    pub fn halves(&self, v: VectorValue<'ctx>) -> R<(VectorValue<'ctx>, VectorValue<'ctx>)> {
        let lo = self.resize(v, 16, false)?;
        let hi = self.b.build_right_shift(v, self.kc(32, 16), false, "").e()?;
        Ok((lo, self.resize(hi, 16, false)?))
    }
    pub fn pack_halves(&self, lo: VectorValue<'ctx>, hi: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        let lo = self.resize(lo, 32, false)?;
        let hi = self.resize(hi, 32, false)?;
        let hi = self.b.build_left_shift(hi, self.kc(32, 16), "").e()?;
        self.b.build_or(lo, hi, "").e()
    }

    /// Float comparison of `f`-format bits (exact, through f64).
    pub fn fp_compare(&self, cmp: &str, a: VectorValue<'ctx>, b2: VectorValue<'ctx>, f: Fmt, ftz: bool) -> R<VectorValue<'ctx>> {
        let (a, b2) = if ftz { (self.bits_ftz(a, f)?, self.bits_ftz(b2, f)?) } else { (a, b2) };
        let x = self.widen_f64(a, f)?;
        let y = self.widen_f64(b2, f)?;
        let xb = self.bits_of_f64(x)?;
        let yb = self.bits_of_f64(y)?;
        self.compare(cmp, xb, yb, Type::F64)
    }

    /// Lowers the floating-point arithmetic instructions (add sub mul fma mad div rcp sqrt rsqrt
    /// min max neg abs) of every float type. Returns the result bits (width of `t`).
    pub fn lower_float_arith(&self, i: &ir::Instruction, op: &str, t: Type, s: &[VectorValue<'ctx>]) -> R<VectorValue<'ctx>> {
        let packed = matches!(t, Type::F16x2 | Type::BF16x2);
        let f = Fmt::of(t).ok_or_else(|| format!("{} is not a float type here", t.name()))?;
        if packed {
            let mut lo = Vec::new();
            let mut hi = Vec::new();
            for &x in s {
                let (l, h) = self.halves(x)?;
                lo.push(l);
                hi.push(h);
            }
            let st = if t == Type::F16x2 { Type::F16 } else { Type::BF16 };
            let l = self.lower_float_arith(i, op, st, &lo)?;
            let h = self.lower_float_arith(i, op, st, &hi)?;
            return self.pack_halves(l, h);
        }
        let ftz = i.has("ftz");
        let s: Vec<VectorValue<'ctx>> = if ftz { s.iter().map(|&x| self.bits_ftz(x, f)).collect::<R<_>>()? } else { s.to_vec() };
        let mode = rnd_of(i).unwrap_or(Rnd::N);
        let approx = i.has("approx") || i.has("full");
        let r = match op {
            "add" | "sub" | "mul" | "fma" | "mad" => {
                if f == F32 && mode == Rnd::N {
                    // native single rounding, canonical NaN
                    let x: Vec<VectorValue<'ctx>> = s.iter().map(|&v| self.f32_of_bits(v)).collect::<R<_>>()?;
                    let r = match op {
                        "add" => self.b.build_float_add(x[0], x[1], "").e()?,
                        "sub" => self.b.build_float_sub(x[0], x[1], "").e()?,
                        "mul" => self.b.build_float_mul(x[0], x[1], "").e()?,
                        _ => self.call_intr("llvm.fma", &[x[0].get_type().into()], &[x[0].into(), x[1].into(), x[2].into()])?.into_vector_value(),
                    };
                    self.bits_canon(self.bits_of_f32(r)?, F32)?
                } else {
                    let r = self.fp_arith(if op == "mad" { "fma" } else { op }, &s, f, mode)?;
                    if f == F64 {
                        r
                    } else {
                        self.bits_canon(r, f)?
                    }
                }
            }
            "rcp" if f == F64 && i.has("approx") => {
                // rcp.approx.ftz.f64 (PTX ISA 9.7.4.9): the H100's MUFU.RCP64H reads the high
                // word of the operand and writes the high word of the result (low word zero).
                let hi = self.b.build_right_shift(s[0], self.kc(64, 32), false, "").e()?;
                let hi = self.resize(hi, 32, false)?;
                let r = self.sfu_call(crate::exec::sfu::op::RCP64H_FTZ, hi)?;
                let r = self.resize(r, 64, false)?;
                self.b.build_left_shift(r, self.kc(64, 32), "").e()?
            }
            "rsqrt" if f == F64 && i.has("approx") => {
                if i.has("ftz") {
                    // rsqrt.approx.ftz.f64: MUFU.RSQ64H alone, high word to high word
                    let hi = self.b.build_right_shift(s[0], self.kc(64, 32), false, "").e()?;
                    let hi = self.resize(hi, 32, false)?;
                    let r = self.sfu_call(crate::exec::sfu::op::RSQ64H_FTZ, hi)?;
                    let r = self.resize(r, 64, false)?;
                    self.b.build_left_shift(r, self.kc(64, 32), "").e()?
                } else {
                    // rsqrt.approx.f64: ptxas's sm_90 sequence around MUFU.RSQ64H (exec/sfu.rs)
                    self.sfu_call64(crate::exec::sfu::op::RSQRT_F64, s[0])?
                }
            }
            "div" | "rcp" | "sqrt" | "rsqrt" => {
                let (num, den) = match op {
                    "div" => (Some(s[0]), s[1]),
                    "rcp" => (None, s[0]),
                    _ => (None, s[0]),
                };
                self.div_sqrt(op, num, den, f, if approx { Rnd::N } else { mode }, i.has("approx"))?
            }
            "min" | "max" => self.fp_minmax(op == "max", &s, f, i.has("NaN"), i.has("xorsign"))?,
            "neg" | "abs" => {
                let x = s[0];
                let r = if op == "neg" {
                    self.b.build_xor(x, self.kc(f.bits, 1u64 << (f.bits - 1)), "").e()?
                } else {
                    self.b.build_and(x, self.kc(f.bits, f.abs_mask()), "").e()?
                };
                let isn = self.bits_is_nan(x, f)?;
                if f == F64 {
                    let q = self.b.build_or(x, self.kc(64, 1u64 << 51), "").e()?;
                    self.sel(isn, q, r)?
                } else {
                    self.sel(isn, self.kc(f.bits, f.canon_nan()), r)?
                }
            }
            _ => return Err(format!("unsupported float instruction {op}")),
        };
        let r = if ftz { self.bits_ftz(r, f)? } else { r };
        let r = if i.has("relu") { self.bits_relu(r, f)? } else { r };
        let r = if i.has("sat") { self.bits_sat(r, f)? } else { r };
        Ok(r)
    }

    /// div / rcp / sqrt / rsqrt: native round-to-nearest (approx forms too, within their bound),
    /// directed modes by the sign of the exact remainder.
    fn div_sqrt(&self, op: &str, num: Option<VectorValue<'ctx>>, den: VectorValue<'ctx>, f: Fmt, mode: Rnd, approx: bool) -> R<VectorValue<'ctx>> {
        let b = &self.b;
        if f == F16 || f == BF16 {
            // computed in f64 (exact enough: 53 >= 2*11+2), rounded once
            let d = self.widen_f64(den, f)?;
            let one = self.f64c(1.0);
            let r = match op {
                "div" => b.build_float_div(self.widen_f64(num.unwrap(), f)?, d, "").e()?,
                "rcp" => b.build_float_div(one, d, "").e()?,
                "sqrt" => self.call_intr("llvm.sqrt", &[d.get_type().into()], &[d.into()])?.into_vector_value(),
                _ => {
                    let q = self.call_intr("llvm.sqrt", &[d.get_type().into()], &[d.into()])?.into_vector_value();
                    b.build_float_div(one, q, "").e()?
                }
            };
            let rb = self.bits_of_f64(r)?;
            return self.bits_canon(self.round_bits(rb, F64, f, mode, false)?, f);
        }
        let (ft, to, from): (_, fn(&Self, VectorValue<'ctx>) -> R<VectorValue<'ctx>>, fn(&Self, VectorValue<'ctx>) -> R<VectorValue<'ctx>>) = if f == F32 {
            (self.cx.f32_type(), Self::f32_of_bits, Self::bits_of_f32)
        } else {
            (self.cx.f64_type(), Self::f64_of_bits, Self::bits_of_f64)
        };
        let one = VectorType::const_vector(&vec![ft.const_float(1.0); W as usize]);
        let d = to(self, den)?;
        let n = match num {
            Some(n) => to(self, n)?,
            None => one,
        };
        let r = match op {
            "div" if approx && f == F32 => {
                // div.approx.f32 = a * approx(1/b): reciprocals below 2^-126 flush to zero
                // (subnormal divisors are scaled by the hardware: plain division there)
                let q = b.build_float_div(one, d, "").e()?;
                let qb = self.bits_ftz(from(self, q)?, F32)?;
                let r = b.build_float_mul(n, to(self, qb)?, "").e()?;
                let tiny = self.bits_is_denorm(den, F32)?;
                self.sel(tiny, b.build_float_div(n, d, "").e()?, r)?
            }
            "div" | "rcp" => b.build_float_div(n, d, "").e()?,
            "sqrt" => self.call_intr("llvm.sqrt", &[d.get_type().into()], &[d.into()])?.into_vector_value(),
            _ => {
                let q = self.call_intr("llvm.sqrt", &[d.get_type().into()], &[d.into()])?.into_vector_value();
                b.build_float_div(one, q, "").e()?
            }
        };
        let rb = from(self, r)?;
        let fix_nan = |v: VectorValue<'ctx>| -> R<VectorValue<'ctx>> {
            if f == F64 {
                // division prefers the dividend's NaN
                let ops: Vec<VectorValue<'ctx>> = match num {
                    Some(_) => vec![d, n],
                    None => vec![d],
                };
                self.f64_nan_rule(self.f64_of_bits(v)?, &ops)
            } else {
                self.bits_canon(v, F32)
            }
        };
        if mode == Rnd::N || op == "rsqrt" {
            return fix_nan(rb);
        }
        // residual sign: for div, r*d - n (sign relative to d); for sqrt, r*r - x
        let wd = |v: VectorValue<'ctx>| -> R<VectorValue<'ctx>> {
            if f == F32 {
                Ok(b.build_float_ext(v, self.cx.f64_type().vec_type(W), "").e()?)
            } else {
                Ok(v)
            }
        };
        let (rw, dw, nw) = (wd(r)?, wd(d)?, wd(n)?);
        let zero = self.f64c(0.0);
        let (mul_a, mul_b, sub) = if op == "sqrt" { (rw, rw, dw) } else { (rw, dw, nw) };
        // residual = mul_a*mul_b - sub, its sign exactly
        let p = b.build_float_mul(mul_a, mul_b, "").e()?;
        let np = b.build_float_neg(p, "").e()?;
        let pe = self.call_intr("llvm.fma", &[p.get_type().into()], &[mul_a.into(), mul_b.into(), np.into()])?.into_vector_value();
        let nsub = b.build_float_neg(sub, "").e()?;
        let (s1, t1) = self.two_sum(p, nsub)?;
        let tail = b.build_float_add(t1, pe, "").e()?;
        let s1z = b.build_float_compare(FloatPredicate::OEQ, s1, zero, "").e()?;
        let resid = self.sel(s1z, tail, s1)?;
        let rpos = b.build_float_compare(FloatPredicate::OGT, resid, zero, "").e()?;
        let rneg = b.build_float_compare(FloatPredicate::OLT, resid, zero, "").e()?;
        let (gt, lt) = if op == "sqrt" {
            (rpos, rneg)
        } else {
            // r > n/d  <=>  r*d - n has the sign of d
            let dneg = b.build_float_compare(FloatPredicate::OLT, dw, zero, "").e()?;
            (self.sel(dneg, rneg, rpos)?, self.sel(dneg, rpos, rneg)?)
        };
        // overflow to infinity from finite operands: above the exact value in magnitude
        let fabs = |v: VectorValue<'ctx>| -> R<VectorValue<'ctx>> { Ok(self.call_intr("llvm.fabs", &[v.get_type().into()], &[v.into()])?.into_vector_value()) };
        let inf = self.f64c(f64::INFINITY);
        let r_inf = b.build_float_compare(FloatPredicate::OEQ, fabs(rw)?, inf, "").e()?;
        let n_fin = b.build_float_compare(FloatPredicate::ONE, fabs(nw)?, inf, "").e()?;
        let d_fin = b.build_float_compare(FloatPredicate::ONE, fabs(dw)?, inf, "").e()?;
        let d_nz = b.build_float_compare(FloatPredicate::ONE, dw, zero, "").e()?;
        let ovf = b.build_and(b.build_and(r_inf, n_fin, "").e()?, b.build_and(d_fin, d_nz, "").e()?, "").e()?;
        let ovf = if op == "sqrt" { self.ivec(1).const_zero() } else { ovf };
        let r_neg = b.build_float_compare(FloatPredicate::OLT, rw, zero, "").e()?;
        let gt = self.sel(ovf, b.build_not(r_neg, "").e()?, gt)?;
        let lt = self.sel(ovf, r_neg, lt)?;
        let fin = b.build_float_compare(FloatPredicate::ONE, fabs(rw)?, inf, "").e()?;
        let ok = b.build_or(fin, ovf, "").e()?;
        let gt = b.build_and(gt, ok, "").e()?;
        let lt = b.build_and(lt, ok, "").e()?;
        let d = self.bits_directed(rb, gt, lt, mode, f)?;
        let d = if f == F64 && op == "div" {
            // subnormal quotients: scale the dividend up (or the divisor down) by 2^128
            let an = fabs(nw)?;
            let small = b.build_float_compare(FloatPredicate::OLT, an, self.f64c(2f64.powi(-900)), "").e()?;
            let n2 = self.sel(small, b.build_float_mul(nw, self.f64c(2f64.powi(128)), "").e()?, nw)?;
            let d2 = self.sel(small, dw, b.build_float_mul(dw, self.f64c(2f64.powi(-128)), "").e()?)?;
            let q2 = b.build_float_div(n2, d2, "").e()?;
            // sign of q2 - n2/d2 = sign(q2*d2 - n2) * sign(d2)
            let nn2 = b.build_float_neg(n2, "").e()?;
            let rem = self.call_intr("llvm.fma", &[q2.get_type().into()], &[q2.into(), d2.into(), nn2.into()])?.into_vector_value();
            let dneg = b.build_float_compare(FloatPredicate::OLT, d2, zero, "").e()?;
            let nrem = b.build_float_neg(rem, "").e()?;
            let resid = self.sel(dneg, nrem, rem)?;
            self.f64_tiny(d, q2, resid, mode, Some(small))?
        } else {
            d
        };
        fix_nan(d)
    }

    /// cvt between floating-point formats (and f16/bf16 packing). `a` holds the source bits.
    pub fn cvt_float(&self, i: &ir::Instruction, dt: Type, st: Type, a: VectorValue<'ctx>, b2: Option<VectorValue<'ctx>>) -> R<VectorValue<'ctx>> {
        let mode = rnd_of(i).unwrap_or(Rnd::N);
        let satfinite = i.has("satfinite");
        let post = |g: &Self, r: VectorValue<'ctx>, f: Fmt| -> R<VectorValue<'ctx>> {
            // .ftz flushes f32 sources and f32 results; f16/bf16 results keep subnormals
            let r = if i.has("ftz") && f == F32 { g.bits_ftz(r, f)? } else { r };
            let r = if i.has("relu") { g.bits_relu(r, f)? } else { r };
            if i.has("sat") {
                g.bits_sat(r, f)
            } else {
                Ok(r)
            }
        };
        // packed destinations: d = {cvt(a) high, cvt(b) low}
        let packed = |g: &Self, out: Fmt| -> R<VectorValue<'ctx>> {
            let sf = Fmt::of(st).ok_or("cvt: bad source")?;
            // `cvt.f8x2type.f16x2 d, a` (sm_89): a's halves in place of two sources, the
            // upper half to the upper byte.
            let (a, b2) = match (st, b2) {
                (Type::F16x2, None) => {
                    let lo = g.resize(a, 16, false)?;
                    let hi = g.resize(g.b.build_right_shift(a, g.kc(32, 16), false, "").e()?, 16, false)?;
                    (hi, Some(lo))
                }
                other => (a, other.1),
            };
            let b2 = b2.ok_or("packed cvt needs two sources")?;
            let (x, y) = if i.has("ftz") { (g.bits_ftz(a, sf)?, g.bits_ftz(b2, sf)?) } else { (a, b2) };
            let hi = post(g, g.round_bits(x, sf, out, mode, satfinite)?, out)?;
            let lo = post(g, g.round_bits(y, sf, out, mode, satfinite)?, out)?;
            let w = out.bits * 2;
            let hi = g.resize(hi, w, false)?;
            let lo = g.resize(lo, w, false)?;
            let hi = g.b.build_left_shift(hi, g.kc(w, out.bits as u64), "").e()?;
            g.b.build_or(hi, lo, "").e()
        };
        match dt {
            Type::F16x2 if st != Type::E4m3x2 && st != Type::E5m2x2 => return packed(self, F16),
            Type::BF16x2 => return packed(self, BF16),
            Type::E4m3x2 => return packed(self, E4M3),
            Type::E5m2x2 => return packed(self, E5M2),
            Type::F16x2 => {
                let inf = if st == Type::E4m3x2 { E4M3 } else { E5M2 };
                let lo = self.resize(a, 8, false)?;
                let hi = self.resize(self.b.build_right_shift(a, self.kc(16, 8), false, "").e()?, 8, false)?;
                let cv = |v: VectorValue<'ctx>| -> R<VectorValue<'ctx>> {
                    let w = self.bits_of_f64(self.widen_f64(v, inf)?)?;
                    let r = self.round_bits(w, F64, F16, Rnd::N, false)?;
                    post(self, r, F16)
                };
                let l = cv(lo)?;
                let h = cv(hi)?;
                return self.pack_halves(l, h);
            }
            _ => {}
        }
        let sf = Fmt::of(st).ok_or_else(|| format!("cvt from {} is not supported", st.name()))?;
        let df = Fmt::of(dt).ok_or_else(|| format!("cvt to {} is not supported", dt.name()))?;
        let a = if i.has("ftz") && sf == F32 { self.bits_canon(self.bits_ftz(a, sf)?, sf)? } else { a };
        if sf == df {
            // rounding to an integral value
            let name = if i.has("rni") {
                "llvm.rint"
            } else if i.has("rzi") {
                "llvm.trunc"
            } else if i.has("rmi") {
                "llvm.floor"
            } else if i.has("rpi") {
                "llvm.ceil"
            } else {
                ""
            };
            let r = if name.is_empty() {
                a
            } else if sf == F64 {
                let v = self.f64_of_bits(a)?;
                let r = self.call_intr(name, &[v.get_type().into()], &[v.into()])?.into_vector_value();
                self.f64_nan_rule(r, &[v])?
            } else {
                let w = self.widen_f64(a, sf)?;
                let r = self.call_intr(name, &[w.get_type().into()], &[w.into()])?.into_vector_value();
                let rb = self.bits_of_f64(r)?;
                self.bits_canon(self.round_bits(rb, F64, sf, Rnd::N, false)?, sf)?
            };
            let r = if sf != F64 { self.bits_canon(r, sf)? } else { r };
            return post(self, r, df);
        }
        if df.bits > sf.bits || (df == F32 && sf == BF16) {
            // exact widening
            let w = self.widen_f64(a, sf)?;
            let r = if df == F64 {
                self.bits_of_f64(w)?
            } else {
                let n = self.b.build_float_trunc(w, self.cx.f32_type().vec_type(W), "").e()?;
                self.bits_of_f32(n)?
            };
            // f16 → f32 gives the canonical NaN; bf16 and f32 sources keep the payload
            let r = if sf == F16 && df == F32 {
                self.bits_canon(r, F32)?
            } else if sf == BF16 && df == F32 {
                self.b.build_left_shift(self.resize(a, 32, false)?, self.kc(32, 16), "").e()?
            } else {
                r
            };
            return post(self, r, df);
        }
        // narrowing
        let r = self.round_bits(a, sf, df, mode, satfinite)?;
        let r = if sf == F64 && df == F16 {
            let isn = self.bits_is_nan(a, F64)?;
            self.sel(isn, self.kc(16, 0x7e00), r)?
        } else if sf == F64 && df == F32 {
            // NaN payloads are truncated and quieted (as the hardware does)
            let v = self.f64_of_bits(a)?;
            let n = self.bits_of_f32(self.b.build_float_trunc(v, self.cx.f32_type().vec_type(W), "").e()?)?;
            let q = self.b.build_or(n, self.kc(32, 0x0040_0000), "").e()?;
            let isn = self.bits_is_nan(a, F64)?;
            self.sel(isn, q, r)?
        } else {
            r
        };
        post(self, r, df)
    }

    /// int → float in `mode` (exact for every mode).
    pub fn cvt_int_to_float(&self, a: VectorValue<'ctx>, st: Type, dt: Type, mode: Rnd) -> R<VectorValue<'ctx>> {
        let df = Fmt::of(dt).ok_or("cvt: bad destination")?;
        let signed = st.is_signed();
        let nb = a.get_type().get_element_type().into_int_type().get_bit_width();
        if df == F16 || df == BF16 || (nb <= 32 && df == F32) {
            // through f64 (exact for 32-bit integers), then one rounding
            let ft = self.cx.f64_type().vec_type(W);
            let v = if nb > 32 {
                // A 64-bit integer can have more than 53 significant bits: round its magnitude
                // to 53 bits by truncation with the dropped bits ORed into the last kept one
                // (round to odd), which then rounds to f16/bf16 (≤ 11 bits) in any mode exactly
                // as the integer would (no double rounding).
                let b = &self.b;
                let neg = if signed { self.icmp(IntPredicate::SLT, a, self.kc(64, 0))? } else { self.ivec(1).const_zero() };
                let na = b.build_int_neg(a, "").e()?;
                let m = self.sel(neg, na, a)?;
                let lz = self.call_intr("llvm.ctlz", &[self.ivec(64).into()], &[m.into(), self.cx.bool_type().const_zero().into()])?.into_vector_value();
                let over = b.build_int_sub(self.kc(64, 11), lz, "").e()?;
                let pos = self.icmp(IntPredicate::SGT, over, self.kc(64, 0))?;
                let sh = self.sel(pos, over, self.kc(64, 0))?;
                let low = b.build_int_sub(b.build_left_shift(self.kc(64, 1), sh, "").e()?, self.kc(64, 1), "").e()?;
                let dropped = b.build_and(m, low, "").e()?;
                let sticky = self.icmp(IntPredicate::NE, dropped, self.kc(64, 0))?;
                let kept = b.build_and(m, b.build_not(low, "").e()?, "").e()?;
                let odd = b.build_left_shift(b.build_int_z_extend(sticky, self.ivec(64), "").e()?, sh, "").e()?;
                let m2 = b.build_or(kept, odd, "").e()?;
                let f = b.build_unsigned_int_to_float(m2, ft, "").e()?;
                let nf = b.build_float_neg(f, "").e()?;
                self.sel(neg, nf, f)?
            } else if signed {
                self.b.build_signed_int_to_float(a, ft, "").e()?
            } else {
                self.b.build_unsigned_int_to_float(a, ft, "").e()?
            };
            let bits = self.bits_of_f64(v)?;
            return self.round_bits(bits, F64, df, mode, false);
        }
        let ft = if df == F32 { self.cx.f32_type().vec_type(W) } else { self.cx.f64_type().vec_type(W) };
        let r = if signed { self.b.build_signed_int_to_float(a, ft, "").e()? } else { self.b.build_unsigned_int_to_float(a, ft, "").e()? };
        let rb = self.b.build_bit_cast(r, self.ivec(df.bits), "").e()?.into_vector_value();
        if mode == Rnd::N {
            return Ok(rb);
        }
        // compare the nearest result with the integer, exactly, in 128 bits
        let back = self.call_intr(
            if signed { "llvm.fptosi.sat" } else { "llvm.fptoui.sat" },
            &[self.ivec(128).into(), ft.into()],
            &[r.into()],
        )?
        .into_vector_value();
        let x = self.resize(a, 128, signed)?;
        let (pg, pl) = if signed { (IntPredicate::SGT, IntPredicate::SLT) } else { (IntPredicate::UGT, IntPredicate::ULT) };
        let gt = self.icmp(pg, back, x)?;
        let lt = self.icmp(pl, back, x)?;
        self.bits_directed(rb, gt, lt, mode, df)
    }
}
