//! `.approx` forms computed bit for bit as the H100's special-function unit does
//! (`crate::exec::sfu`: measured tables, one helper call per warp): ex2/rcp/rsqrt.approx.f32
//! lg2.approx.f32 and sqrt.approx.f32 with and without `.ftz`, div.approx/div.full.f32 (MUFU.RCP and a multiply), ex2/tanh.approx on f16, bf16 and their x2 forms.

use crate::exec::compile::func::{Gen, OrMsg, R};
use crate::exec::sfu::op as code;
use inkwell::values::VectorValue;
use ptx::ir::{self, Type};

impl<'ctx, 'm> Gen<'ctx, 'm> {
    /// Lowers `i` if it is one of the SFU forms above; false if it is not.
    pub(super) fn lower_sfu(&mut self, i: &ir::Instruction, op: &str, t: Type, s: &[VectorValue<'ctx>]) -> R<bool> {
        let ftz = i.has("ftz");
        if op == "div" && t == Type::F32 && (i.has("approx") || i.has("full")) {
            let c = match (i.has("full"), ftz) {
                (false, true) => code::DIV_APPROX_FTZ,
                (false, false) => code::DIV_APPROX,
                (true, true) => code::DIV_FULL_FTZ,
                (true, false) => code::DIV_FULL,
            };
            let (pa, pb, pout) = (self.scratch()?, self.scratch()?, self.scratch()?);
            self.b.build_store(pa, s[0]).e()?;
            self.b.build_store(pb, s[1]).e()?;
            let k = self.cx.i32_type().const_int(c as u64, false);
            self.call_helper("cuemu_sfu2", &[k.into(), pa.into(), pb.into(), pout.into()])?;
            let r = self.b.build_load(self.ivec(32), pout, "").e()?.into_vector_value();
            self.write_dst(i, r, t)?;
            return Ok(true);
        }
        let c = match (op, t) {
            ("ex2", Type::F32) if i.has("approx") => if ftz { code::EX2_FTZ } else { code::EX2 },
            ("rcp", Type::F32) if i.has("approx") => if ftz { code::RCP_FTZ } else { code::RCP },
            ("rsqrt", Type::F32) if i.has("approx") => if ftz { code::RSQRT_FTZ } else { code::RSQRT },
            ("sqrt", Type::F32) if i.has("approx") => if ftz { code::SQRT_FTZ } else { code::SQRT },
            ("lg2", Type::F32) if i.has("approx") => if ftz { code::LG2_FTZ } else { code::LG2 },
            ("ex2", Type::F16 | Type::F16x2) => code::EX2_F16,
            ("ex2", Type::BF16 | Type::BF16x2) => code::EX2_BF16,
            ("tanh", Type::F16 | Type::F16x2) => code::TANH_F16,
            ("tanh", Type::BF16 | Type::BF16x2) => code::TANH_BF16,
            _ => return Ok(false),
        };
        let r = if matches!(t, Type::F16x2 | Type::BF16x2) {
            let (lo, hi) = self.halves(s[0])?;
            let (lo, hi) = (self.sfu_call(c, lo)?, self.sfu_call(c, hi)?);
            self.pack_halves(lo, hi)?
        } else {
            self.sfu_call(c, s[0])?
        };
        self.write_dst(i, r, t)?;
        Ok(true)
    }

    /// `cuemu_sfu64(code, x, out)` on 64-bit lanes.
    pub(in crate::exec::compile) fn sfu_call64(&self, c: u32, x: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        let (pin, pout) = (self.scratch()?, self.scratch()?);
        self.b.build_store(pin, x).e()?;
        let k = self.cx.i32_type().const_int(c as u64, false);
        self.call_helper("cuemu_sfu64", &[k.into(), pin.into(), pout.into()])?;
        Ok(self.b.build_load(self.ivec(64), pout, "").e()?.into_vector_value())
    }

    /// `cuemu_sfu(code, x, out)` on the lanes of `x` (16 or 32 bits), same width back.
    pub(in crate::exec::compile) fn sfu_call(&self, c: u32, x: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        let bits = x.get_type().get_element_type().into_int_type().get_bit_width();
        let x32 = self.resize(x, 32, false)?;
        let (pin, pout) = (self.scratch()?, self.scratch()?);
        self.b.build_store(pin, x32).e()?;
        let k = self.cx.i32_type().const_int(c as u64, false);
        self.call_helper("cuemu_sfu", &[k.into(), pin.into(), pout.into()])?;
        let r = self.b.build_load(self.ivec(32), pout, "").e()?.into_vector_value();
        self.resize(r, bits, false)
    }
}
