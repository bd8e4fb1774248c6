//! Bulk tensor copies and bulk reductions (PTX ISA 9.7.9.25.5): `cp.async.bulk.tensor` (load
//! into shared memory completing on an mbarrier, store from shared memory in a bulk group),
//! `cp.reduce.async.bulk.tensor` and `cp.reduce.async.bulk`. The work is done by the run-time
//! helpers of `exec::tensor`, called once per warp with every active lane's operands; like
//! every bulk copy here, it completes when the instruction executes.

use super::super::Space;
use crate::exec::compile::func::{Gen, OrMsg, R};
use crate::exec::runtime::{self, atom, mbar, WARP};
use crate::exec::tensor::{op, slot};
use inkwell::values::{PointerValue, VectorValue};
use ptx::ir::{self, AddrBase, Operand, Type};

impl<'ctx, 'm> Gen<'ctx, 'm> {
    /// An entry-block buffer of `slots` × 32 lanes of u64.
    fn slot_buffer(&self, slots: usize) -> R<PointerValue<'ctx>> {
        let entry = self.func.unwrap().get_first_basic_block().unwrap();
        let tmp = self.cx.create_builder();
        match entry.get_first_instruction() {
            Some(i) => tmp.position_before(&i),
            None => tmp.position_at_end(entry),
        }
        let p = tmp.build_alloca(self.cx.i64_type().array_type((slots * WARP) as u32), "tensor_args").e()?;
        if let Some(i) = p.as_instruction() {
            let _ = i.set_alignment(16);
        }
        Ok(p)
    }

    fn store_lanes(&self, buf: PointerValue<'ctx>, s: usize, v: VectorValue<'ctx>) -> R<()> {
        let v = self.resize(v, 64, false)?;
        // SAFETY (LLVM): the slot lies inside the buffer of `slot::COUNT` × 32 lanes.
        let p = unsafe { self.b.build_gep(self.cx.i8_type(), buf, &[self.i64c((s * WARP * 8) as u64)], "").e()? };
        self.b.build_store(p, v).e()?.set_alignment(8).map_err(|e| e.to_string())?;
        Ok(())
    }

    /// The value of a shared-memory address operand itself (the swizzle patterns are a
    /// function of the shared address, not of where the window lies in host memory).
    fn shared_bits(&mut self, o: &Operand) -> R<VectorValue<'ctx>> {
        if let Operand::Address { base: AddrBase::Reg(r), offset } = o {
            let bits = self.reg(r.as_ref()).map_or(32, |x| x.bits);
            let v = self.val(&Operand::Reg(r.clone()), if bits == 64 { Type::U64 } else { Type::U32 })?;
            let v = self.resize(v, 64, false)?;
            return Ok(self.b.build_int_add(v, self.splat_const(64, *offset as u64), "").e()?);
        }
        let h = self.host_addrs(o, Space::Shared)?;
        let base = self.ctx_load(runtime::CTX_SHARED, self.cx.i64_type().into())?;
        let base = self.splat(base)?;
        Ok(self.b.build_int_sub(h, base, "").e()?)
    }

    /// `[tensorMap, {c0, …}]`: the map's generic address and the coordinates.
    fn tensor_operand(&mut self, o: &Operand, rank: usize) -> R<(VectorValue<'ctx>, Vec<VectorValue<'ctx>>)> {
        let Operand::BracketList(items) = o else {
            return Err(format!("expected [tensorMap, {{coordinates}}], found {o:?}"));
        };
        let map = match items.first() {
            Some(Operand::Reg(r)) => self.val(&Operand::Reg(r.clone()), Type::U64)?,
            Some(Operand::Symbol(s)) if self.reg(s).is_some() => self.val(&Operand::Reg(s.clone()), Type::U64)?,
            Some(Operand::Symbol(s)) => self.host_addrs(&Operand::Address { base: AddrBase::Symbol(s.clone()), offset: 0 }, Space::Generic)?,
            other => return Err(format!("unsupported tensor-map operand {other:?}")),
        };
        let coords = match items.get(1) {
            Some(Operand::Vector(v)) => v.clone(),
            Some(c) => vec![c.clone()],
            None => vec![],
        };
        if coords.len() != rank {
            return Err(format!("{rank}d tensor copy with {} coordinates", coords.len()));
        }
        let mut out = Vec::new();
        for c in &coords {
            let v = self.val(c, Type::S32)?;
            out.push(self.resize(v, 64, true)?);
        }
        Ok((map, out))
    }

    fn tensor_rank(i: &ir::Instruction) -> R<usize> {
        for (m, r) in [("1d", 1), ("2d", 2), ("3d", 3), ("4d", 4), ("5d", 5)] {
            if i.has(m) {
                return Ok(r);
            }
        }
        Err(format!("{}: no dimension (.1d … .5d)", crate::exec::compile::func::show(i)))
    }

    fn red_op(i: &ir::Instruction) -> R<u32> {
        for (m, c) in [
            ("add", atom::ADD),
            ("min", atom::MIN),
            ("max", atom::MAX),
            ("inc", atom::INC),
            ("dec", atom::DEC),
            ("and", atom::AND),
            ("or", atom::OR),
            ("xor", atom::XOR),
        ] {
            if i.has(m) {
                return Ok(c);
            }
        }
        Err(format!("{}: no reduction operator", crate::exec::compile::func::show(i)))
    }

    fn call_tensor(&mut self, code: u32, buf: PointerValue<'ctx>) -> R<()> {
        let mask = self.mask_bits(self.emask())?;
        let f = self.m.get_function("cuemu_tensor").unwrap_or_else(|| {
            let p = self.ptr_ty().into();
            let i32t = self.cx.i32_type().into();
            let ty = self.cx.void_type().fn_type(&[p, i32t, p, i32t], false);
            self.m.add_function("cuemu_tensor", ty, Some(inkwell::module::Linkage::External))
        });
        self.b.build_call(f, &[self.ctx().into(), self.i32c(code as u64).into(), buf.into(), mask.into()], "").e()?;
        Ok(())
    }

    /// `cp.async.bulk.tensor.*` and `cp.reduce.async.bulk.tensor.*`.
    pub(super) fn lower_bulk_tensor(&mut self, i: &ir::Instruction) -> R<()> {
        let show = || crate::exec::compile::func::show(i);
        if i.modifiers.iter().any(|m| m.starts_with("im2col::") || m.starts_with("cta_group") || m.starts_with("tile::")) {
            return Err(format!("{}: an sm_100 form of the bulk tensor copy", show()));
        }
        let rank = Self::tensor_rank(i)?;
        let im2col = i.has("im2col") || i.has("im2col_no_offs");
        let reduce = i.has("reduce");
        let load = !reduce && Self::space_named(i, 1) == Space::Global;
        let buf = self.slot_buffer(slot::COUNT)?;
        let zero = self.ivec(64).const_zero();
        for s in 0..slot::COUNT {
            self.store_lanes(buf, s, zero)?;
        }
        let multicast = i.has("multicast::cluster");
        let mut code = (rank as u32) << 4 | if im2col { op::IM2COL } else { 0 } | if multicast { op::MULTICAST } else { 0 };
        let (map, coords, smem) = if load {
            // [dstMem], [tensorMap, coords], [mbar]{, {im2colOffsets}}{, cache-policy}
            let (map, coords) = self.tensor_operand(&i.operands[1], rank)?;
            let dst_space = Self::space_named(i, 0);
            let bar = self.host_addrs(&i.operands[2], dst_space)?;
            self.store_lanes(buf, slot::BAR, bar)?;
            if multicast {
                // {im2colOffsets} come first, then ctaMask
                self.multicast_operands(i, buf, &i.operands[2], 3 + im2col as usize)?;
            }
            if im2col {
                let offs = match i.operands.get(3) {
                    Some(Operand::Vector(v)) => v.clone(),
                    Some(o) => vec![o.clone()],
                    None => vec![],
                };
                if offs.len() != rank - 2 {
                    return Err(format!("{}: a {rank}d im2col copy takes {} offsets", show(), rank - 2));
                }
                for (k, o) in offs.iter().enumerate() {
                    let v = self.val(o, Type::U16)?;
                    self.store_lanes(buf, slot::OFFSET + k, v)?;
                }
            }
            code |= op::LOAD;
            (map, coords, &i.operands[0])
        } else {
            // [tensorMap, coords], [srcMem]{, cache-policy}
            let (map, coords) = self.tensor_operand(&i.operands[0], rank)?;
            code |= if reduce { op::REDUCE | Self::red_op(i)? << op::RED_SHIFT } else { op::STORE };
            (map, coords, &i.operands[1])
        };
        self.store_lanes(buf, slot::MAP, map)?;
        let space = if load { Self::space_named(i, 0) } else { Space::Shared };
        let host = self.host_addrs(smem, space)?;
        self.store_lanes(buf, slot::SMEM_HOST, host)?;
        if !multicast {
            let bits = self.shared_bits(smem)?;
            self.store_lanes(buf, slot::SMEM_ADDR, bits)?;
        }
        for (d, c) in coords.into_iter().enumerate() {
            self.store_lanes(buf, slot::COORD + d, c)?;
        }
        self.call_tensor(code, buf)
    }

    /// With `.multicast::cluster`: the 16-bit ctaMask (operand `mask_at`) and the shared::cta
    /// offsets of the destination (operand 0) and of the mbarrier `bar`, which name the same
    /// places in every destination CTA.
    fn multicast_operands(&mut self, i: &ir::Instruction, buf: PointerValue<'ctx>, bar: &Operand, mask_at: usize) -> R<()> {
        let Some(mask) = i.operands.get(mask_at) else {
            return Err(format!("{}: no ctaMask operand", crate::exec::compile::func::show(i)));
        };
        let mask = self.val(mask, Type::U16)?;
        self.store_lanes(buf, slot::CTA_MASK, mask)?;
        let offset_mask = self.splat_const(64, super::super::cluster::SHARED_CLUSTER_OFFSET_MASK);
        for (o, s) in [(&i.operands[0], slot::SMEM_ADDR), (bar, slot::BAR_ADDR)] {
            let bits = self.shared_bits(o)?;
            let off = self.b.build_and(bits, offset_mask, "").e()?;
            self.store_lanes(buf, s, off)?;
        }
        Ok(())
    }

    /// `cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes.multicast::cluster
    /// [dstMem], [srcMem], size, [mbar], ctaMask`: the bytes into every CTA of ctaMask.
    pub(super) fn lower_bulk_multicast(&mut self, i: &ir::Instruction) -> R<()> {
        let buf = self.slot_buffer(slot::COUNT)?;
        let src = self.host_addrs(&i.operands[1], Space::Global)?;
        self.store_lanes(buf, slot::SRC, src)?;
        let size = self.val(&i.operands[2], Type::U32)?;
        self.store_lanes(buf, slot::COORD, size)?;
        self.multicast_operands(i, buf, &i.operands[3], 4)?;
        self.call_tensor(op::COPY | op::MULTICAST, buf)
    }

    /// `tensormap.cp_fenceproxy.global.shared::cta.tensormap::generic.release.gpu.sync.aligned
    /// [dst], [src], 128` (sm_90): a tensor map built in shared memory copied to global memory,
    /// fenced for the tensor-map proxy (every copy here is visible at once). `tensormap.replace`
    /// is sm_90a.
    pub(in crate::exec::compile::instr) fn lower_tensormap(&mut self, i: &ir::Instruction) -> R<()> {
        if !i.has("cp_fenceproxy") {
            return Err(format!("{}: an sm_90a instruction (arch-specific, not emulated)", crate::exec::compile::func::show(i)));
        }
        let (dst_space, src_space) = (Self::space_named(i, 0), Self::space_named(i, 1));
        let dst = self.host_addrs(&i.operands[0], dst_space)?;
        let src = self.host_addrs(&i.operands[1], src_space)?;
        let size = self.val(&i.operands[2], Type::U32)?;
        let size = self.resize(size, 64, false)?;
        let m = self.mask_bits(self.emask())?;
        let (pd, ps, pn) = (self.spill(dst)?, self.spill(src)?, self.spill(size)?);
        self.call_helper("cuemu_copy_lanes", &[pd.into(), ps.into(), pn.into(), pn.into(), m.into()])?;
        Ok(())
    }

    /// `cp.reduce.async.bulk.dst.src.completion.redOp.type [dstMem], [srcMem], size{, [mbar]}`
    /// (non-tensor): `.global` destinations complete in a bulk group, `.shared::cluster` ones
    /// on the mbarrier.
    pub(super) fn lower_bulk_reduce(&mut self, i: &ir::Instruction) -> R<()> {
        let red = Self::red_op(i)?;
        let t = i.types().last().copied().ok_or_else(|| format!("{}: no type", crate::exec::compile::func::show(i)))?;
        let ty = match t {
            Type::U32 | Type::B32 => atom::T_U32,
            Type::S32 => atom::T_S32,
            Type::U64 | Type::B64 => atom::T_U64,
            Type::S64 => atom::T_S64,
            Type::F32 => atom::T_F32,
            Type::F64 => atom::T_F64,
            Type::F16 => atom::T_F16,
            Type::BF16 => atom::T_BF16,
            other => return Err(format!("{}: type {other:?}", crate::exec::compile::func::show(i))),
        };
        let (dst_space, src_space) = (Self::space_named(i, 0), Self::space_named(i, 1));
        let dst = self.host_addrs(&i.operands[0], dst_space)?;
        let src = self.host_addrs(&i.operands[1], src_space)?;
        let size = self.val(&i.operands[2], Type::U32)?;
        let size = self.resize(size, 64, false)?;
        let m = self.mask_bits(self.emask())?;
        let (pd, ps, pn) = (self.spill(dst)?, self.spill(src)?, self.spill(size)?);
        let f = self.m.get_function("cuemu_bulk_reduce").unwrap_or_else(|| {
            let p = self.ptr_ty().into();
            let i32t = self.cx.i32_type().into();
            let fty = self.cx.void_type().fn_type(&[i32t, i32t, p, p, p, i32t], false);
            self.m.add_function("cuemu_bulk_reduce", fty, Some(inkwell::module::Linkage::External))
        });
        self.b
            .build_call(f, &[self.i32c(red as u64).into(), self.i32c(ty as u64).into(), pd.into(), ps.into(), pn.into(), m.into()], "")
            .e()?;
        if i.has("mbarrier::complete_tx::bytes") {
            let bar = self.host_addrs(&i.operands[3], dst_space)?;
            self.mbar_call(mbar::COMPLETE_TX, bar, size)?;
        }
        Ok(())
    }
}
