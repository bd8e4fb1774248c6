//! Dynamic stack allocation (PTX ISA 9.7.17: `alloca`, `stacksave`, `stackrestore`), what
//! nvcc emits for `alloca()` in device code.
//!
//! Local memory is a per-warp stack carved lane-major (func.rs: a function's frame is
//! `frame * 32` bytes at the warp's stack pointer, lane i's part at `sp + i * frame`, and a
//! local address is an offset from the function's per-lane frame base `local_base`).
//! `alloca` takes the largest size among the active lanes, rounds it to the alignment and
//! carves that many bytes per lane the same way; each lane's local address is its block's host
//! address minus its `local_base`. `stacksave` gives the stack pointer as such a local address;
//! `stackrestore` moves the warp's pointer back (every active lane names the same point). The
//! function's return restores the pointer it found at entry.

use super::func::{Gen, OrMsg, R};
use crate::exec::runtime;
use inkwell::IntPredicate;
use ptx::ir::{self, Operand, Type};

impl<'ctx, 'm> Gen<'ctx, 'm> {
    pub(super) fn lower_dynamic_stack(&mut self, i: &ir::Instruction) -> R<()> {
        let t = if i.has("u32") { Type::U32 } else { Type::U64 };
        let i64t = self.cx.i64_type();
        let local_base = self.local_base.unwrap();
        let sp_ptr = self.ctx_field_ptr(runtime::CTX_LOCAL_SP)?;
        match i.opcode.as_str() {
            "stacksave" => {
                let sp = self.b.build_load(i64t, sp_ptr, "").e()?.into_int_value();
                let spv = self.splat(sp.into())?;
                let v = self.b.build_int_sub(spv, local_base, "").e()?;
                self.write_dst(i, v, t)
            }
            "stackrestore" => {
                let a = self.val(&i.operands[0], Type::U64)?;
                let host = self.b.build_int_add(a, local_base, "").e()?;
                let bits = self.mask_bits(self.mask()?)?;
                let first = self.call_intr("llvm.cttz", &[self.cx.i32_type().into()], &[bits.into(), self.cx.bool_type().const_zero().into()])?;
                let sp = self.b.build_extract_element(host, first.into_int_value(), "").e()?.into_int_value();
                self.b.build_store(sp_ptr, sp).e()?;
                Ok(())
            }
            _ => {
                // alloca.type ptr, size{, align}
                let align = match i.operands.get(2) {
                    Some(Operand::Imm(ir::Constant::Int(a))) if *a > 0 && (*a as u64).is_power_of_two() => *a as u64,
                    None => 8,
                    _ => return Err("alloca: the alignment must be a power-of-two immediate".into()),
                };
                let size = self.val(&i.operands[1], Type::U64)?;
                let zero = self.ivec(64).const_zero();
                let active = self.b.build_select(self.mask()?, size, zero, "").e()?.into_vector_value();
                let max = self.call_intr("llvm.vector.reduce.umax", &[self.ivec(64).into()], &[active.into()])?.into_int_value();
                let stride = self.b.build_and(self.b.build_int_add(max, self.i64c(align - 1), "").e()?, self.i64c(!(align - 1)), "").e()?;
                let sp = self.b.build_load(i64t, sp_ptr, "").e()?.into_int_value();
                let start = self.b.build_and(self.b.build_int_add(sp, self.i64c(align - 1), "").e()?, self.i64c(!(align - 1)), "").e()?;
                let end = self.b.build_int_add(start, self.b.build_int_mul(stride, self.i64c(32), "").e()?, "").e()?;
                let limit = self.ctx_load(std::mem::offset_of!(runtime::WarpCtx, local_end) as u64, i64t.into())?.into_int_value();
                let over = self.b.build_int_compare(IntPredicate::UGT, end, limit, "").e()?;
                let fv = self.func.unwrap();
                let (ovf_bb, ok_bb) = (self.cx.append_basic_block(fv, "alloca_overflow"), self.cx.append_basic_block(fv, "alloca_ok"));
                self.b.build_conditional_branch(over, ovf_bb, ok_bb).e()?;
                self.b.position_at_end(ovf_bb);
                self.call_helper("cuemu_stack_overflow", &[self.ctx().into()])?;
                self.b.build_return(None).e()?;
                self.b.position_at_end(ok_bb);
                self.b.build_store(sp_ptr, end).e()?;
                let startv = self.splat(start.into())?;
                let lane_off = self.b.build_int_mul(self.iota(64), self.splat(stride.into())?, "").e()?;
                let host = self.b.build_int_add(startv, lane_off, "").e()?;
                let v = self.b.build_int_sub(host, local_base, "").e()?;
                self.write_dst(i, v, t)
            }
        }
    }
}
