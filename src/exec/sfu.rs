//! The H100's special-function unit (MUFU) bit for bit, for the `.approx` instructions whose
//! result depends on a reduced input domain that could be measured whole (scripts/sfu/probe.cu,
//! over every f32 input on an H100; the probes and how to rerun them are in scripts/sfu/):
//!
//! - `ex2.approx.ftz.f32`: |x| is truncated to fixed point with 23 fraction bits; x ≥ 0 gives
//!   2^i · P[f], x < 0 gives 2^-i · N[f] (i the integer part, f the fraction; two tables of 2^23
//!   entries: the H100 does not derive 2^-f from 2^f); results below 2^-126 flush to zero.
//! - `rcp.approx.ftz.f32`: 2^-e · R[m] (m the 23 mantissa bits, 2^23 entries).
//! - `rsqrt.approx.ftz.f32`: 2^-(e>>1) · S[e&1][m] (2^24 entries); `sqrt.approx.ftz.f32`
//!   likewise 2^(e>>1) · Q[e&1][m].
//! - `lg2.approx.ftz.f32`: E + lg2(1.m) truncated toward zero, from the results for E = 0 and
//!   E = -1 (2^24 entries; see `lg2_ftz`).
//! - the forms without `.ftz` are what ptxas compiles them to around the same MUFU operation
//!   (sm_90 SASS): ex2: below -126, ex2(x/2)² (f32 multiply); rcp: subnormal |x| scaled by 2^24
//!   and |x| > 2^126 by 1/4 before and after; rsqrt: subnormals ×2^24 before, ×2^12 after;
//!   lg2: subnormals ×2^24 before, -24 after; sqrt: subnormals ×2^24 before, ×2^-12 after. div.approx/div.full are MUFU.RCP(b)·a with
//!   ptxas's scalings (checked on the conformance goldens' edge cases, not over all inputs).
//! - 16-bit forms (`ex2.approx.f16`, `ex2.approx.ftz.bf16`, `tanh.approx.f16/bf16`): the H100's
//!   result for each of the 2^16 inputs.
//! - f64: `rcp.approx.ftz.f64` and `rsqrt.approx.ftz.f64` are MUFU.RCP64H/RSQ64H, which read
//!   the operand's high word and write the result's (low word 0) from the f32 tables at 20
//!   mantissa bits; `rsqrt.approx.f64` is ptxas's Newton step around RSQ64H (`rsqrt_f64`).
//!   Checked over all 2^32 high words (scripts/sfu/probe_rcp64.cu; rsqrt.approx.f64 with a low
//!   word derived from the high word).
//!
//! The tables are the H100's results, not a fitted model: deltas of consecutive result bits
//! (one byte, or 0x80 and four bytes), zstd-compressed, decoded on first use. Every model here
//! reproduces the H100 over all 2^32 inputs (the block hashes in sfu/h100-hashes.txt; the full
//! sweep is the ignored test `full_sweep_matches_h100`).

use std::sync::OnceLock;

fn decode(z: &[u8], n: usize) -> Vec<u32> {
    let d = zstd::stream::decode_all(z).expect("embedded SFU table");
    let mut out = Vec::with_capacity(n);
    let (mut i, mut prev) = (0usize, 0u32);
    while i < d.len() {
        let v = if d[i] == 0x80 {
            let v = u32::from_le_bytes([d[i + 1], d[i + 2], d[i + 3], d[i + 4]]);
            i += 5;
            v
        } else {
            let v = prev.wrapping_add(d[i] as i8 as i32 as u32);
            i += 1;
            v
        };
        out.push(v);
        prev = v;
    }
    assert_eq!(out.len(), n, "embedded SFU table length");
    out
}

macro_rules! table {
    ($name:ident, $file:literal, $n:expr) => {
        fn $name() -> &'static [u32] {
            static T: OnceLock<Vec<u32>> = OnceLock::new();
            T.get_or_init(|| decode(include_bytes!(concat!("sfu/", $file)), $n))
        }
    };
}
table!(ex2_pos, "ex2-pos.d8.zst", 1 << 23);
table!(ex2_neg, "ex2-neg.d8.zst", 1 << 23);
table!(rcp_table, "rcp.d8.zst", 1 << 23);
table!(rsqrt_table, "rsqrt.d8.zst", 1 << 24);
table!(sqrt_table, "sqrt.d8.zst", 1 << 24);
table!(lg2_table, "lg2.d8.zst", 1 << 24);
table!(ex2_f16_table, "ex2f16.d8.zst", 1 << 16);
table!(ex2_bf16_table, "ex2bf16.d8.zst", 1 << 16);
table!(tanh_f16_table, "tanhf16.d8.zst", 1 << 16);
table!(tanh_bf16_table, "tanhbf16.d8.zst", 1 << 16);

const NAN: u32 = 0x7fff_ffff;
const INF: u32 = 0x7f80_0000;

/// v (a positive normal f32) times 2^i, flushed to zero below 2^-126, infinity above the range.
fn scale_ftz(v: u32, i: i64) -> u32 {
    let e = ((v >> 23) & 0xff) as i64 + i;
    if e >= 255 {
        INF
    } else if e <= 0 {
        0
    } else {
        (v as i64 + (i << 23)) as u32
    }
}

fn is_nan(u: u32) -> bool {
    u & 0x7fff_ffff > INF
}

/// `ex2.approx.ftz.f32` (MUFU.EX2).
pub fn ex2_ftz(u: u32) -> u32 {
    if is_nan(u) {
        return NAN;
    }
    if u & 0x7f80_0000 == 0 {
        return 0x3f80_0000;
    }
    let x = f32::from_bits(u) as f64;
    // |x| to fixed point 8.23, truncated; beyond ±256 the result is 0 or infinity anyway.
    let q = (x.abs().min(400.0) * (1u64 << 23) as f64) as i64;
    let (i, f) = (q >> 23, (q & ((1 << 23) - 1)) as usize);
    if x >= 0.0 {
        scale_ftz(ex2_pos()[f], i)
    } else {
        scale_ftz(ex2_neg()[f], -i)
    }
}

/// `ex2.approx.f32`: ptxas computes ex2(x/2)² below -126 (subnormal results).
pub fn ex2(u: u32) -> u32 {
    let x = f32::from_bits(u);
    if x < -126.0 {
        let y = f32::from_bits(ex2_ftz((x * 0.5).to_bits()));
        (y * y).to_bits()
    } else {
        ex2_ftz(u)
    }
}

/// `rcp.approx.ftz.f32` (MUFU.RCP).
pub fn rcp_ftz(u: u32) -> u32 {
    let (a, sign) = (u & 0x7fff_ffff, u & 0x8000_0000);
    if a > INF {
        return NAN;
    }
    if a < 0x0080_0000 {
        return sign | INF;
    }
    if a == INF {
        return sign;
    }
    let e = (a >> 23) as i64 - 127;
    sign | scale_ftz(rcp_table()[(a & 0x7f_ffff) as usize], -e)
}

/// `rcp.approx.ftz.f64` (MUFU.RCP64H) on the operand's high word, giving the result's high
/// word (the low word is zero): the f32 table at the high word's 20 mantissa bits, its result
/// cut to 20 bits, the exponent negated; a subnormal high word is zero (→ ±inf), an all-ones
/// exponent is infinity (→ ±0) whatever the low word, a NaN high word gives 0x7fffffff.
/// Checked against the H100's hashes over all 2^32 high words (scripts/sfu/probe_rcp64.cu,
/// which also found the low word always 0 and the operand's low word never used).
pub fn rcp64h_ftz(hi: u32) -> u32 {
    let (a, sign) = (hi & 0x7fff_ffff, hi & 0x8000_0000);
    if a > 0x7ff0_0000 {
        return NAN;
    }
    if a == 0x7ff0_0000 {
        return sign;
    }
    if a < 0x0010_0000 {
        return sign | 0x7ff0_0000;
    }
    let e = (a >> 20) as i64 - 1023;
    let r = rcp_table()[((a & 0xf_ffff) << 3) as usize]; // 1/m for m in [1, 2): (0.5, 1]
    let re = ((r >> 23) & 0xff) as i64 - 127 - e + 1023;
    if re <= 0 {
        return sign;
    }
    if re >= 0x7ff {
        return sign | 0x7ff0_0000;
    }
    sign | (re as u32) << 20 | (r & 0x7f_ffff) >> 3
}

/// `rsqrt.approx.ftz.f64` (MUFU.RSQ64H) on the operand's high word, giving the result's high
/// word: the f32 table at the exponent's parity and the high word's 20 mantissa bits, cut to
/// 20 bits; zero (a subnormal high word) → ±inf, negative → NaN, +inf → 0. Checked against
/// the H100's hashes over all 2^32 high words (scripts/sfu/probe_rcp64.cu).
pub fn rsq64h_ftz(hi: u32) -> u32 {
    let (a, sign) = (hi & 0x7fff_ffff, hi & 0x8000_0000);
    if a > 0x7ff0_0000 {
        return NAN;
    }
    if a < 0x0010_0000 {
        return sign | 0x7ff0_0000;
    }
    if sign != 0 {
        return NAN;
    }
    if a == 0x7ff0_0000 {
        return 0;
    }
    let e = (a >> 20) as i64 - 1023;
    let r = rsqrt_table()[(((e & 1) as usize) << 23) + ((a & 0xf_ffff) << 3) as usize];
    let re = ((r >> 23) & 0xff) as i64 - 127 - (e >> 1) + 1023;
    (re as u32) << 20 | (r & 0x7f_ffff) >> 3
}

/// `rsqrt.approx.f64` as ptxas compiles it for sm_90: y = MUFU.RSQ64H (low word 0), then
/// one Newton–Raphson step in f64 — t = y·y, e = fma(x, -t, 1), p = fma(e, 0.375, 0.5),
/// r = fma(p, y·e, y); zero → ±inf, NaN → x + x, negative → -NaN 0xfff8…, +inf → +0, and a
/// positive subnormal x scaled by 2^54 before and the result by 2^27 after (the SASS's slow
/// path).
pub fn rsqrt_f64(x: u64) -> u64 {
    let hi = (x >> 32) as u32;
    let step = |x: f64| -> f64 {
        let y = f64::from_bits((rsq64h_ftz((x.to_bits() >> 32) as u32) as u64) << 32);
        let t = y * y;
        let e = x.mul_add(-t, 1.0);
        let p = e.mul_add(0.375, 0.5);
        p.mul_add(y * e, y)
    };
    if hi.wrapping_sub(0x0010_0000) < 0x7fe0_0000 {
        return step(f64::from_bits(x)).to_bits();
    }
    let d = f64::from_bits(x);
    if d == 0.0 {
        return (x & (1 << 63)) | 0x7ff0_0000_0000_0000;
    }
    if d.is_nan() {
        return (d + d).to_bits();
    }
    if d < 0.0 {
        return 0xfff8_0000_0000_0000;
    }
    if d.is_infinite() {
        return 0;
    }
    (step(d * 18014398509481984.0) * 134217728.0).to_bits()
}

/// `rcp.approx.f32`: s·MUFU.RCP(x·s), s = 2^24 for subnormal |x|, 1/4 above 2^126 (sm_90 SASS).
pub fn rcp(u: u32) -> u32 {
    let x = f32::from_bits(u);
    let s = if x.abs() < f32::MIN_POSITIVE {
        16777216.0f32
    } else if x.abs() > 8.507059e37 {
        0.25
    } else {
        1.0
    };
    (s * f32::from_bits(rcp_ftz((x * s).to_bits()))).to_bits()
}

/// `rsqrt.approx.ftz.f32` (MUFU.RSQ).
pub fn rsqrt_ftz(u: u32) -> u32 {
    let (a, sign) = (u & 0x7fff_ffff, u & 0x8000_0000);
    if a > INF {
        return NAN;
    }
    if a < 0x0080_0000 {
        return sign | INF;
    }
    if sign != 0 {
        return NAN;
    }
    if a == INF {
        return 0;
    }
    let e = (a >> 23) as i64 - 127;
    let v = rsqrt_table()[(((e & 1) as usize) << 23) + (a & 0x7f_ffff) as usize];
    scale_ftz(v, -(e >> 1))
}

/// `rsqrt.approx.f32`: subnormal |x| → MUFU.RSQ(x·2^24)·2^12.
pub fn rsqrt(u: u32) -> u32 {
    let x = f32::from_bits(u);
    if x.abs() < f32::MIN_POSITIVE {
        (f32::from_bits(rsqrt_ftz((x * 16777216.0).to_bits())) * 4096.0).to_bits()
    } else {
        rsqrt_ftz(u)
    }
}

/// `sqrt.approx.ftz.f32` (MUFU.SQRT): 2^(e>>1) · Q[e&1][m], like MUFU.RSQ.
pub fn sqrt_ftz(u: u32) -> u32 {
    let (a, sign) = (u & 0x7fff_ffff, u & 0x8000_0000);
    if a > INF {
        return NAN;
    }
    if a < 0x0080_0000 {
        return sign;
    }
    if sign != 0 {
        return NAN;
    }
    if a == INF {
        return INF;
    }
    let e = (a >> 23) as i64 - 127;
    let v = sqrt_table()[(((e & 1) as usize) << 23) + (a & 0x7f_ffff) as usize];
    scale_ftz(v, e >> 1)
}

/// `sqrt.approx.f32`: subnormal |x| → MUFU.SQRT(x·2^24)·2^-12.
pub fn sqrt(u: u32) -> u32 {
    let x = f32::from_bits(u);
    if x.abs() < f32::MIN_POSITIVE {
        canon(f32::from_bits(sqrt_ftz((x * 16777216.0).to_bits())) * 0.000244140625)
    } else {
        sqrt_ftz(u)
    }
}

/// f64 → f32 rounded toward zero.
fn f32_rz(s: f64) -> f32 {
    let r = s as f32;
    if (r as f64).abs() > s.abs() {
        f32::from_bits(r.to_bits() - 1)
    } else {
        r
    }
}

/// `lg2.approx.ftz.f32` (MUFU.LG2): x = 1.m · 2^E. The unit computes E + lg2(1.m) with more
/// fraction bits than an f32 near 1 holds and truncates toward zero; E = 0 and E = -1 are
/// measured whole (L1[m], L0[m]), every other E follows from them.
pub fn lg2_ftz(u: u32) -> u32 {
    let (a, sign) = (u & 0x7fff_ffff, u & 0x8000_0000);
    if a > INF {
        return NAN;
    }
    if a < 0x0080_0000 {
        return 0xff80_0000;
    }
    if sign != 0 {
        return NAN;
    }
    if a == INF {
        return INF;
    }
    let e = (a >> 23) as i32 - 127;
    let m = (a & 0x7f_ffff) as usize;
    let t = lg2_table();
    match e {
        0 => t[m],
        -1 => t[(1 << 23) + m],
        // L1 is lg2(1.m) rounded down to its f32 grid, 1 + L0 rounded up: for E ≥ 1 the
        // result is floor(E + lg2(1.m)) on its (coarser) grid, for E ≤ -2 ceil.
        1.. => f32_rz(e as f64 + f32::from_bits(t[m]) as f64).to_bits(),
        _ => f32_rz(e as f64 + 1.0 + f32::from_bits(t[(1 << 23) + m]) as f64).to_bits(),
    }
}

/// `lg2.approx.f32`: subnormal |x| → MUFU.LG2(x·2^24) - 24.
pub fn lg2(u: u32) -> u32 {
    let x = f32::from_bits(u);
    if x.abs() < f32::MIN_POSITIVE {
        (f32::from_bits(lg2_ftz((x * 16777216.0).to_bits())) + -24.0).to_bits()
    } else {
        lg2_ftz(u)
    }
}

fn canon(r: f32) -> u32 {
    if r.is_nan() {
        NAN
    } else {
        r.to_bits()
    }
}
fn flush(x: f32) -> f32 {
    if x.is_subnormal() {
        0.0f32.copysign(x)
    } else {
        x
    }
}
/// FMUL.FTZ: subnormal operands and results are zeros.
fn mul_ftz(a: f32, b: f32) -> f32 {
    flush(flush(a) * flush(b))
}

/// `div.approx.ftz.f32`: FMUL.FTZ(a, MUFU.RCP(b)) (sm_90 SASS).
pub fn div_approx_ftz(a: u32, b: u32) -> u32 {
    canon(mul_ftz(f32::from_bits(a), f32::from_bits(rcp_ftz(b))))
}
/// `div.approx.f32`: a subnormal divisor scales both operands by 2^24; MUFU.RCP(b)·a.
pub fn div_approx(a: u32, b: u32) -> u32 {
    let (mut x, mut y) = (f32::from_bits(a), f32::from_bits(b));
    if y.abs() < f32::MIN_POSITIVE {
        x *= 16777216.0;
        y *= 16777216.0;
    }
    canon(f32::from_bits(rcp_ftz(y.to_bits())) * x)
}
/// `div.full.f32`: |b| > 2^126 scales both by 1/4, a subnormal b both by 2^24; MUFU.RCP(b)·a.
pub fn div_full(a: u32, b: u32) -> u32 {
    let (mut x, mut y) = (f32::from_bits(a), f32::from_bits(b));
    if y.abs() > 8.507059e37 {
        x *= 0.25;
        y *= 0.25;
    } else if y.abs() < f32::MIN_POSITIVE {
        x *= 16777216.0;
        y *= 16777216.0;
    }
    canon(f32::from_bits(rcp_ftz(y.to_bits())) * x)
}
/// `div.full.ftz.f32`: as div.full with FTZ multiplies and no subnormal scaling.
pub fn div_full_ftz(a: u32, b: u32) -> u32 {
    let (mut x, mut y) = (f32::from_bits(a), f32::from_bits(b));
    if flush(y).abs() > 8.507059e37 {
        x = mul_ftz(x, 0.25);
        y = mul_ftz(y, 0.25);
    }
    canon(mul_ftz(f32::from_bits(rcp_ftz(y.to_bits())), x))
}

/// The 16-bit forms: the H100's result for every input.
pub fn ex2_f16(h: u16) -> u16 {
    ex2_f16_table()[h as usize] as u16
}
pub fn ex2_bf16(h: u16) -> u16 {
    ex2_bf16_table()[h as usize] as u16
}
pub fn tanh_f16(h: u16) -> u16 {
    tanh_f16_table()[h as usize] as u16
}
pub fn tanh_bf16(h: u16) -> u16 {
    tanh_bf16_table()[h as usize] as u16
}

/// Operation codes of [`cuemu_sfu`] (the lowering passes one).
pub mod op {
    pub const EX2_FTZ: u32 = 0;
    pub const EX2: u32 = 1;
    pub const RCP_FTZ: u32 = 2;
    pub const RCP: u32 = 3;
    pub const RSQRT_FTZ: u32 = 4;
    pub const RSQRT: u32 = 5;
    pub const LG2_FTZ: u32 = 6;
    pub const LG2: u32 = 7;
    pub const SQRT_FTZ: u32 = 12;
    pub const SQRT: u32 = 13;
    pub const DIV_APPROX_FTZ: u32 = 8;
    pub const DIV_APPROX: u32 = 9;
    pub const DIV_FULL_FTZ: u32 = 10;
    pub const DIV_FULL: u32 = 11;
    pub const EX2_F16: u32 = 16;
    pub const EX2_BF16: u32 = 17;
    pub const TANH_F16: u32 = 18;
    pub const TANH_BF16: u32 = 19;
    /// high word of `rcp.approx.ftz.f64` from the operand's high word
    pub const RCP64H_FTZ: u32 = 20;
    /// high word of `rsqrt.approx.ftz.f64` from the operand's high word
    pub const RSQ64H_FTZ: u32 = 21;
    /// `rsqrt.approx.f64` (64-bit lanes, `cuemu_sfu64`)
    pub const RSQRT_F64: u32 = 22;
}

/// One MUFU operation on a warp's 32 lanes (32-bit words; the 16-bit forms use the low half).
///
/// # Safety
/// `x` and `out` point to 32 words.
pub unsafe extern "C" fn cuemu_sfu(code: u32, x: *const u32, out: *mut u32) {
    crate::exec::fault::guard("cuemu_sfu", || {
        let f: fn(u32) -> u32 = match code {
            op::EX2_FTZ => ex2_ftz,
            op::EX2 => ex2,
            op::RCP_FTZ => rcp_ftz,
            op::RCP => rcp,
            op::RSQRT_FTZ => rsqrt_ftz,
            op::RSQRT => rsqrt,
            op::LG2_FTZ => lg2_ftz,
            op::LG2 => lg2,
            op::SQRT_FTZ => sqrt_ftz,
            op::SQRT => sqrt,
            op::EX2_F16 => |h| ex2_f16(h as u16) as u32,
            op::EX2_BF16 => |h| ex2_bf16(h as u16) as u32,
            op::TANH_F16 => |h| tanh_f16(h as u16) as u32,
            op::TANH_BF16 => |h| tanh_bf16(h as u16) as u32,
            op::RCP64H_FTZ => rcp64h_ftz,
            op::RSQ64H_FTZ => rsq64h_ftz,
            _ => |_| NAN,
        };
        for i in 0..32 {
            *out.add(i) = f(*x.add(i));
        }
    })
}

/// 64-bit forms (`rsqrt.approx.f64`) on a warp's 32 lanes.
///
/// # Safety
/// `x` and `out` point to 32 64-bit words.
pub unsafe extern "C" fn cuemu_sfu64(code: u32, x: *const u64, out: *mut u64) {
    crate::exec::fault::guard("cuemu_sfu64", || {
        let f: fn(u64) -> u64 = match code {
            op::RSQRT_F64 => rsqrt_f64,
            _ => |_| 0x7ff8_0000_0000_0000,
        };
        for i in 0..32 {
            *out.add(i) = f(*x.add(i));
        }
    })
}

/// Two-operand forms (div) on a warp's 32 lanes.
///
/// # Safety
/// `a`, `b` and `out` point to 32 words.
pub unsafe extern "C" fn cuemu_sfu2(code: u32, a: *const u32, b: *const u32, out: *mut u32) {
    crate::exec::fault::guard("cuemu_sfu2", || {
        let f: fn(u32, u32) -> u32 = match code {
            op::DIV_APPROX_FTZ => div_approx_ftz,
            op::DIV_APPROX => div_approx,
            op::DIV_FULL_FTZ => div_full_ftz,
            op::DIV_FULL => div_full,
            _ => |_, _| NAN,
        };
        for i in 0..32 {
            *out.add(i) = f(*a.add(i), *b.add(i));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mix64(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }

    /// The H100's hash of each block of 2^24 inputs (top 8 bits = index), per instruction.
    fn h100_hashes(name: &str) -> Vec<u64> {
        let text = include_str!("sfu/h100-hashes.txt");
        let mut lines = text.lines().skip_while(|l| *l != name).skip(1);
        (0..256).map(|_| u64::from_str_radix(lines.next().unwrap(), 16).unwrap()).collect()
    }

    fn block_hash(f: fn(u32) -> u32, block: u32) -> u64 {
        use rayon::prelude::*;
        (0..1u32 << 24)
            .into_par_iter()
            .map(|j| {
                let u = (block << 24) | j;
                mix64(((u as u64) << 32) | f(u) as u64)
            })
            .reduce(|| 0, u64::wrapping_add)
    }

    const MODELLED: &[(&str, fn(u32) -> u32)] = &[
        ("ex2.approx.ftz.f32", ex2_ftz),
        ("ex2.approx.f32", ex2),
        ("rcp.approx.ftz.f32", rcp_ftz),
        ("rcp.approx.f32", rcp),
        ("rsqrt.approx.ftz.f32", rsqrt_ftz),
        ("rsqrt.approx.f32", rsqrt),
        ("lg2.approx.ftz.f32", lg2_ftz),
        ("lg2.approx.f32", lg2),
        ("sqrt.approx.ftz.f32", sqrt_ftz),
        ("rcp.approx.ftz.f64.hi", rcp64h_ftz),
        ("rsqrt.approx.ftz.f64.hi", rsq64h_ftz),
    ];

    /// rsqrt.approx.f64 over x = u << 32 | (u·0x9e3779b9 | 1), the probe's inputs: a block's sum
    /// of mix64(x ^ mix64(r)).
    fn mixed_block_hash(block: u32) -> u64 {
        use rayon::prelude::*;
        (0..1u32 << 24)
            .into_par_iter()
            .map(|j| {
                let u = (block << 24) | j;
                let x = (u as u64) << 32 | (u.wrapping_mul(0x9e37_79b9) | 1) as u64;
                mix64(x ^ mix64(rsqrt_f64(x)))
            })
            .reduce(|| 0, u64::wrapping_add)
    }

    fn check_blocks(blocks: &[u32]) {
        let mut bad = Vec::new();
        for &(name, f) in MODELLED {
            let want = h100_hashes(name);
            for &b in blocks {
                if block_hash(f, b) != want[b as usize] {
                    bad.push(format!("{name}: inputs {:08x}..{:08x}", b << 24, (b << 24) | 0xff_ffff));
                }
            }
        }
        let want = h100_hashes("rsqrt.approx.f64.mixed");
        for &b in blocks {
            if mixed_block_hash(b) != want[b as usize] {
                bad.push(format!("rsqrt.approx.f64: high words {:08x}..{:08x}", b << 24, (b << 24) | 0xff_ffff));
            }
        }
        assert!(bad.is_empty(), "differs from the H100 in:\n{}", bad.join("\n"));
    }

    /// A dense sample: every input whose top 8 bits are one of these (2^24 each): subnormals,
    /// numbers around 1, 2^±126, the ex2 range and its subnormal results, infinities and NaNs
    /// of both signs.
    #[test]
    fn dense_sample_matches_h100() {
        check_blocks(&[0x00, 0x3f, 0x40, 0x42, 0x7e, 0x7f, 0x80, 0xbf, 0xc2, 0xc3, 0xfe, 0xff]);
    }

    /// Every f32 input (a few minutes on two cores).
    #[test]
    #[ignore]
    fn full_sweep_matches_h100() {
        check_blocks(&(0..256).collect::<Vec<_>>());
    }

    #[test]
    fn half_tables_cover_edges() {
        // ex2(0) = 1, ex2(-inf) = 0, tanh(0) = 0 in f16 and bf16.
        assert_eq!(ex2_f16(0), 0x3c00);
        assert_eq!(ex2_f16(0xfc00), 0);
        assert_eq!(ex2_bf16(0), 0x3f80);
        assert_eq!(tanh_f16(0), 0);
        assert_eq!(tanh_bf16(0x3f80) >> 8, 0x3f);
    }
}
