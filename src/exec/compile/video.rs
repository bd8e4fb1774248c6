//! Video instructions (PTX ISA 9.7.10): decode the modifiers and operand selectors into an
//! `exec::video::Desc` and call `cuemu_video` for the warp (semantics in `exec/video.rs`).

use super::func::{Gen, OrMsg, R};
use crate::exec::video::{op, Desc};
use inkwell::values::VectorValue;
use ptx::ir::{self, Operand, Type};

/// The scalar selector code of `.b0`–`.b3` (1–4) and `.h0`/`.h1` (5, 6).
fn scalar_sel(sel: &str) -> R<u64> {
    Ok(match sel {
        "b0" => 1,
        "b1" => 2,
        "b2" => 3,
        "b3" => 4,
        "h0" => 5,
        "h1" => 6,
        _ => return Err(format!("`.{sel}` is not a scalar video selector (.b0-.b3, .h0, .h1)")),
    })
}

/// A SIMD element selector `.hxy` / `.bxyzw`: element i's source in bits 3i..3i+2 (the last
/// digit names element 0).
fn simd_sel(sel: &str, n: usize) -> R<u64> {
    let digits = &sel[1..];
    if digits.len() != n || !sel.starts_with(if n == 2 { 'h' } else { 'b' }) {
        return Err(format!("`.{sel}` is not a {n}-element selector"));
    }
    Ok(digits.bytes().rev().enumerate().map(|(i, c)| ((c - b'0') as u64) << (3 * i)).sum())
}

/// A SIMD destination mask `.h10` / `.b310`: a bit per element written.
fn simd_mask(sel: &str) -> u64 {
    sel[1..].bytes().map(|c| 1u64 << (c - b'0')).sum()
}

impl<'ctx, 'm> Gen<'ctx, 'm> {
    /// A source operand: its 32 lanes, its selector and whether it is negated.
    fn video_src(&mut self, o: Option<&Operand>) -> R<(VectorValue<'ctx>, Option<String>, bool)> {
        let (name, neg) = match o {
            None => return Ok((self.ivec(32).const_zero(), None, false)),
            Some(Operand::Reg(r)) => (r.to_string(), false),
            Some(Operand::NegReg(r)) => (r.to_string(), true),
            Some(other) => return Ok((self.val(other, Type::U32)?, None, false)),
        };
        let (base, sel) = match ir::video_selector(&name) {
            Some((b, s)) if self.reg(b).is_some() => (b.to_string(), Some(s.to_string())),
            _ => (name, None),
        };
        Ok((self.val(&Operand::Reg(base.as_str().into()), Type::U32)?, sel, neg))
    }

    pub(super) fn lower_video(&mut self, i: &ir::Instruction) -> R<()> {
        let name = i.opcode.as_str();
        let (base, simd) = match name.strip_suffix('2').or_else(|| name.strip_suffix('4')) {
            Some(b) => (b, name[b.len()..].parse::<u64>().unwrap()),
            None => (name, 0),
        };
        let mut d = Desc {
            op: match base {
                "vadd" => op::ADD,
                "vsub" => op::SUB,
                "vabsdiff" => op::ABSDIFF,
                "vmin" => op::MIN,
                "vmax" => op::MAX,
                "vavrg" if simd != 0 => op::AVRG,
                "vshl" if simd == 0 => op::SHL,
                "vshr" if simd == 0 => op::SHR,
                "vmad" if simd == 0 => op::MAD,
                "vset" => op::SET,
                _ => return Err(format!("unsupported instruction {name}")),
            },
            simd,
            ..Desc::default()
        };
        let types = i.types();
        // vset has no destination type: atype, btype
        let t = if d.op == op::SET { [Type::U32].iter().chain(types.iter()).copied().collect::<Vec<_>>() } else { types };
        if t.len() != 3 || t.iter().any(|t| !matches!(t, Type::U32 | Type::S32)) {
            return Err(format!("{name}: expected .u32/.s32 operand types"));
        }
        (d.d_signed, d.a_signed, d.b_signed) = (t[0] == Type::S32, t[1] == Type::S32, t[2] == Type::S32);
        d.sat = i.has("sat");
        d.op2 = if i.has("add") {
            1
        } else if i.has("min") {
            2
        } else if i.has("max") {
            3
        } else {
            0
        };
        d.cmp = ["eq", "ne", "lt", "le", "gt", "ge"].iter().position(|c| i.has(c)).unwrap_or(0) as u64;
        d.wrap = i.has("wrap");
        d.po = i.has("po");
        d.scale = if i.has("shr7") {
            1
        } else if i.has("shr15") {
            2
        } else {
            0
        };

        let dst = match i.operands.first() {
            Some(Operand::Reg(r)) => r.to_string(),
            _ => return Err(format!("{name}: the destination must be a register")),
        };
        let (dreg, dsel) = match ir::video_selector(&dst) {
            Some((b, s)) if self.reg(b).is_some() => (b.to_string(), Some(s.to_string())),
            _ => (dst, None),
        };
        let (a, asel, nega) = self.video_src(i.operands.get(1))?;
        let (b, bsel, negb) = self.video_src(i.operands.get(2))?;
        let (c, csel, negc) = self.video_src(i.operands.get(3))?;
        if csel.is_some() {
            return Err(format!("{name}: operand c takes no selector"));
        }
        if (nega || negb || negc) && d.op != op::MAD {
            return Err(format!("{name}: only vmad negates operands"));
        }
        (d.neg_ab, d.neg_c) = (nega != negb, negc);
        if simd == 0 {
            d.dsel = dsel.as_deref().map(scalar_sel).transpose()?.unwrap_or(0);
            d.asel = asel.as_deref().map(scalar_sel).transpose()?.unwrap_or(0);
            d.bsel = bsel.as_deref().map(scalar_sel).transpose()?.unwrap_or(0);
        } else {
            let n = simd as usize;
            d.dsel = dsel.as_deref().map(simd_mask).unwrap_or((1 << n) - 1);
            d.asel = asel.as_deref().map(|s| simd_sel(s, n)).transpose()?.unwrap_or(if n == 2 { 0o10 } else { 0o3210 });
            d.bsel = bsel.as_deref().map(|s| simd_sel(s, n)).transpose()?.unwrap_or(if n == 2 { 0o32 } else { 0o7654 });
        }

        let (pa, pb, pc, pd) = (self.scratch()?, self.scratch()?, self.scratch()?, self.scratch()?);
        for (p, v) in [(pa, a), (pb, b), (pc, c)] {
            self.b.build_store(p, v).e()?;
        }
        self.call_helper("cuemu_video", &[self.i64c(d.pack()).into(), pa.into(), pb.into(), pc.into(), pd.into()])?;
        let r = self.b.build_load(self.ivec(32), pd, "").e()?.into_vector_value();
        self.write_reg(&dreg, r, false)
    }
}
