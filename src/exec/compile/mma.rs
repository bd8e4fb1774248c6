//! Warp-level matrix instructions (PTX ISA 9.7.14): `ldmatrix` (9.7.14.5.15), `mma.sync`
//! (9.7.14.5.14, fragments of 9.7.14.5.8–.12) and `elect.sync` (9.7.12.10).
//!
//! `ldmatrix` is a permutation of row addresses the lanes supply: two or four gathers.
//! `mma.sync` marshals the warp's fragment registers to a runtime helper
//! (`runtime::cuemu_mma`), which decodes the fragment layouts, multiplies exactly and rounds
//! once (f16/bf16 products are exact in f64; integer products are exact).

use super::func::{Gen, OrMsg, R, W};
use crate::exec::runtime::mma_kind;
use inkwell::types::VectorType;
use inkwell::values::{BasicValue, PointerValue, VectorValue};
use inkwell::IntPredicate;
use ptx::ir::{self, Operand, Type};

impl<'ctx, 'm> Gen<'ctx, 'm> {
    /// `n` bytes of scratch memory in the entry block, 16-byte aligned.
    fn scratch_bytes(&self, n: u32) -> R<PointerValue<'ctx>> {
        let entry = self.func.unwrap().get_first_basic_block().unwrap();
        let tmp = self.cx.create_builder();
        match entry.get_first_instruction() {
            Some(i) => tmp.position_before(&i),
            None => tmp.position_at_end(entry),
        }
        let p = tmp.build_alloca(self.cx.i8_type().array_type(n), "mma_scratch").e()?;
        if let Some(i) = p.as_instruction() {
            let _ = i.set_alignment(16);
        }
        Ok(p)
    }

    fn regs_of(op: &Operand) -> Vec<Operand> {
        match op {
            Operand::Vector(v) => v.clone(),
            o => vec![o.clone()],
        }
    }

    /// elect.sync d|p, membermask: the lowest lane of membermask among the running lanes.
    pub fn lower_elect(&mut self, i: &ir::Instruction) -> R<()> {
        let mm = self.val(&i.operands[1], Type::B32)?;
        let run = self.mask_bits(self.mask()?)?;
        let first = self.call_intr("llvm.cttz", &[self.cx.i32_type().into()], &[run.into(), self.cx.bool_type().const_zero().into()])?.into_int_value();
        let first = self.b.build_and(first, self.i32c(31), "").e()?;
        let mm0 = self.b.build_extract_element(mm, first, "").e()?.into_int_value();
        let set = self.b.build_and(mm0, run, "").e()?;
        // an empty membermask elects among the running lanes on the H100
        let empty = self.b.build_int_compare(IntPredicate::EQ, set, self.i32c(0), "").e()?;
        let set = self.b.build_select(empty, run, set, "").e()?.into_int_value();
        let leader = self
            .call_intr("llvm.cttz", &[self.cx.i32_type().into()], &[set.into(), self.cx.bool_type().const_zero().into()])?
            .into_int_value();
        let leader = self.b.build_and(leader, self.i32c(31), "").e()?;
        let lv = self.splat(leader.into())?;
        let p = self.b.build_int_compare(IntPredicate::EQ, self.iota(32), lv, "").e()?;
        let (d, q) = match &i.operands[0] {
            Operand::Pair(d, q) => (Some((**d).clone()), Some((**q).clone())),
            o => (Some(o.clone()), None),
        };
        for (o, v) in [(d, lv), (q, p)] {
            if let Some(Operand::Reg(r) | Operand::Symbol(r)) = o {
                if self.reg(&r).is_some() {
                    self.write_reg(&r, v, false)?;
                }
            }
        }
        Ok(())
    }

    /// ldmatrix.sync.aligned.m8n8.x{1,2,4}{.trans}.shared.b16 d, [a]: lanes 8j..8j+7 give the
    /// row addresses of matrix j; lane l receives row l/4, columns 2(l%4), 2(l%4)+1 of each
    /// matrix (with .trans: column l/4, rows 2(l%4), 2(l%4)+1).
    pub fn lower_ldmatrix(&mut self, i: &ir::Instruction) -> R<()> {
        let n = if i.has("x4") {
            4
        } else if i.has("x2") {
            2
        } else {
            1
        };
        let trans = i.has("trans");
        let dst = Self::regs_of(&i.operands[0]);
        if dst.len() != n {
            return Err("ldmatrix: wrong number of destination registers".into());
        }
        let a = self.lanes_addr(&i.operands[1])?;
        for (j, d) in dst.iter().enumerate() {
            let b = &self.b;
            let idx = |f: &dyn Fn(u32) -> u32| -> VectorValue<'ctx> {
                VectorType::const_vector(&(0..W).map(|l| self.i32c(f(l) as u64)).collect::<Vec<_>>())
            };
            let off = |f: &dyn Fn(u32) -> u64| -> VectorValue<'ctx> {
                VectorType::const_vector(&(0..W).map(|l| self.i64c(f(l))).collect::<Vec<_>>())
            };
            let j = j as u32;
            let v = if !trans {
                let rows = b.build_shuffle_vector(a, a, idx(&|l| 8 * j + l / 4), "").e()?;
                let p = b.build_int_add(rows, off(&|l| 4 * (l % 4) as u64), "").e()?;
                self.gather(p, 32)?
            } else {
                let r0 = b.build_shuffle_vector(a, a, idx(&|l| 8 * j + 2 * (l % 4)), "").e()?;
                let r1 = b.build_shuffle_vector(a, a, idx(&|l| 8 * j + 2 * (l % 4) + 1), "").e()?;
                let o = off(&|l| 2 * (l / 4) as u64);
                let lo = self.gather(b.build_int_add(r0, o, "").e()?, 16)?;
                let hi = self.gather(b.build_int_add(r1, o, "").e()?, 16)?;
                self.pack_halves(lo, hi)?
            };
            if let Operand::Reg(r) = d {
                let r = r.clone();
                self.write_reg(&r, v, false)?;
            }
        }
        Ok(())
    }

    /// Host addresses of a memory operand, one per lane.
    fn lanes_addr(&mut self, op: &Operand) -> R<VectorValue<'ctx>> {
        let space = super::instr::Space::Shared;
        self.addr_lanes(op, space)
    }

    fn gather(&self, addrs: VectorValue<'ctx>, nb: u32) -> R<VectorValue<'ctx>> {
        let vt = self.ivec(nb);
        let ptrs = self.b.build_int_to_ptr(addrs, self.ptr_ty().vec_type(W), "").e()?;
        Ok(self
            .call_intr(
                "llvm.masked.gather",
                &[vt.into(), self.ptr_ty().vec_type(W).into()],
                &[ptrs.into(), self.i32c((nb / 8) as u64).into(), self.emask().into(), vt.get_poison().into()],
            )?
            .into_vector_value())
    }

    /// mma.sync.aligned.{shape}.row.col{.satfinite}.dtype.atype.btype.ctype d, a, b, c.
    pub fn lower_mma(&mut self, i: &ir::Instruction) -> R<()> {
        let has = |m: &str| i.has(m);
        if !(has("row") && has("col")) {
            return Err("mma.sync: only .row.col layouts are supported".into());
        }
        let tys: Vec<Type> = i.types();
        let u8a = i.modifiers.iter().filter(|m| *m == "u8").count();
        let kind = if has("m16n8k16") && tys.iter().all(|t| matches!(t, Type::F16)) {
            mma_kind::F16_F16_K16
        } else if has("m16n8k16") && tys.contains(&Type::BF16) {
            mma_kind::BF16_F32_K16
        } else if has("m16n8k16") && tys.contains(&Type::F16) {
            mma_kind::F16_F32_K16
        } else if has("m16n8k8") && tys.contains(&Type::BF16) {
            mma_kind::BF16_F32_K8
        } else if has("m16n8k8") && tys.contains(&Type::F16) {
            mma_kind::F16_F32_K8
        } else if has("m16n8k32") && (tys.contains(&Type::S8) || tys.contains(&Type::U8)) {
            // atype, btype are the 2nd and 3rd types: s32.{s8,u8}.{s8,u8}.s32
            let a_u = i.modifiers.iter().filter(|m| *m == "u8" || *m == "s8").next().map(|m| m == "u8").unwrap_or(false);
            let b_u = i.modifiers.iter().filter(|m| *m == "u8" || *m == "s8").nth(1).map(|m| m == "u8").unwrap_or(false);
            let _ = u8a;
            mma_kind::I8_K32 | if a_u { mma_kind::A_UNSIGNED } else { 0 } | if b_u { mma_kind::B_UNSIGNED } else { 0 }
        } else {
            return Err(format!("mma.sync shape/types {} are not supported yet", super::func::show(i)));
        };
        let kind = kind | if has("satfinite") { mma_kind::SATFINITE } else { 0 };
        let ops: Vec<Vec<Operand>> = i.operands.iter().map(Self::regs_of).collect();
        if ops.len() != 4 {
            return Err("mma.sync needs d, a, b, c".into());
        }
        let mut ptrs = Vec::new();
        for o in &ops[1..] {
            let p = self.scratch_bytes(4 * 32 * o.len() as u32)?;
            for (k, r) in o.iter().enumerate() {
                let v = self.val(r, Type::B32)?;
                let at = unsafe { self.b.build_gep(self.cx.i8_type(), p, &[self.i64c(128 * k as u64)], "") }.e()?;
                let st = self.b.build_store(at, v).e()?;
                let _ = st.set_alignment(4);
            }
            ptrs.push(p);
        }
        let out = self.scratch_bytes(4 * 32 * ops[0].len() as u32)?;
        let f = self.m.get_function("cuemu_mma").unwrap_or_else(|| {
            let p = self.ptr_ty().into();
            let ty = self.cx.void_type().fn_type(&[self.cx.i32_type().into(), p, p, p, p], false);
            self.m.add_function("cuemu_mma", ty, Some(inkwell::module::Linkage::External))
        });
        self.b
            .build_call(f, &[self.i32c(kind as u64).into(), ptrs[0].into(), ptrs[1].into(), ptrs[2].into(), out.into()], "")
            .e()?;
        for (k, r) in ops[0].iter().enumerate() {
            let at = unsafe { self.b.build_gep(self.cx.i8_type(), out, &[self.i64c(128 * k as u64)], "") }.e()?;
            let v = self.b.build_load(self.ivec(32), at, "").e()?;
            if let Some(li) = v.as_instruction_value() {
                let _ = li.set_alignment(4);
            }
            if let Operand::Reg(name) = r {
                self.write_reg(name, v.into_vector_value(), false)?;
            }
        }
        Ok(())
    }

    /// wmma.load / wmma.store / wmma.mma for m16n16k16 with f16 or bf16 inputs and f16 or f32
    /// accumulators (PTX ISA 9.7.14.4). Fragments are opaque in PTX; cuemu's layout: A/B
    /// fragment slot (lane l, register r, half h) holds element 16*(l%16) + 2r + h of the
    /// row-major matrix (lanes 16..31 repeat 0..15); f32 C/D slot (l, r) holds element 8l + r,
    /// f16 C/D slot (l, r, h) element 8l + 2r + h. Loads, stores and mma agree on it, and
    /// element-wise fragment code (fill, scale) is layout-independent.
    pub fn lower_wmma(&mut self, i: &ir::Instruction) -> R<()> {
        use crate::exec::runtime::wmma_kind as wk;
        if !i.has("m16n16k16") {
            return Err(format!("{}: only the m16n16k16 shape is supported", super::func::show(i)));
        }
        let decl = |g: &Self, name: &str, n: usize| {
            g.m.get_function(name).unwrap_or_else(|| {
                let p = g.ptr_ty().into();
                let i32t = g.cx.i32_type().into();
                let i64t = g.cx.i64_type().into();
                let args: Vec<inkwell::types::BasicMetadataTypeEnum> = match n {
                    0 => vec![i32t, p, i64t, i32t],
                    _ => vec![i32t, p, p, p, p],
                };
                let ty = g.cx.void_type().fn_type(&args, false);
                g.m.add_function(name, ty, Some(inkwell::module::Linkage::External))
            })
        };
        let col = i.has("col");
        if i.has("load") || i.has("store") {
            let store = i.has("store");
            let (regs_op, addr_op) = if store { (&i.operands[1], &i.operands[0]) } else { (&i.operands[0], &i.operands[1]) };
            let regs = Self::regs_of(regs_op);
            let frag = if i.has("a") {
                wk::FRAG_A
            } else if i.has("b") {
                wk::FRAG_B
            } else {
                wk::FRAG_C
            };
            let elem = if i.has("f32") { wk::F32 } else if i.has("bf16") { wk::BF16 } else { wk::F16 };
            let kind = frag | elem | if col { wk::COL } else { 0 } | if store { wk::STORE } else { 0 };
            let space = if i.modifiers.iter().any(|m| m.starts_with("shared")) { super::instr::Space::Shared } else { super::instr::Space::Generic };
            let av = self.addr_lanes(addr_op, space)?;
            let a0 = self.b.build_extract_element(av, self.i32c(0), "").e()?.into_int_value();
            let stride = match i.operands.get(2) {
                Some(o) => {
                    let v = self.val(o, Type::U32)?;
                    self.b.build_extract_element(v, self.i32c(0), "").e()?.into_int_value()
                }
                None => self.i32c(16),
            };
            let buf = self.scratch_bytes(4 * 32 * regs.len() as u32)?;
            if store {
                for (k, r) in regs.iter().enumerate() {
                    let v = self.val(r, Type::B32)?;
                    let at = unsafe { self.b.build_gep(self.cx.i8_type(), buf, &[self.i64c(128 * k as u64)], "") }.e()?;
                    self.b.build_store(at, v).e()?.set_alignment(4).map_err(|e| e.to_string())?;
                }
            }
            let f = decl(self, "cuemu_wmma_ldst", 0);
            let aptr = self.b.build_int_to_ptr(a0, self.ptr_ty(), "").e()?;
            let _ = aptr;
            self.b.build_call(f, &[self.i32c(kind as u64).into(), buf.into(), a0.into(), stride.into()], "").e()?;
            if !store {
                for (k, r) in regs.iter().enumerate() {
                    let at = unsafe { self.b.build_gep(self.cx.i8_type(), buf, &[self.i64c(128 * k as u64)], "") }.e()?;
                    let v = self.b.build_load(self.ivec(32), at, "").e()?;
                    if let Some(li) = v.as_instruction_value() {
                        let _ = li.set_alignment(4);
                    }
                    if let Operand::Reg(name) = r {
                        let name = name.clone();
                        self.write_reg(&name, v.into_vector_value(), false)?;
                    }
                }
            }
            return Ok(());
        }
        // wmma.mma.sync.aligned.alayout.blayout.m16n16k16{.atype.btype}.dtype.ctype d, a, b, c
        let tys = i.types();
        let dt = tys.first().copied().unwrap_or(Type::F32);
        let ct = tys.last().copied().unwrap_or(Type::F32);
        let kind = if tys.contains(&Type::BF16) { wk::BF16 } else { wk::F16 }
            | if dt == Type::F32 { wk::D_F32 } else { 0 }
            | if ct == Type::F32 { wk::C_F32 } else { 0 };
        let ops: Vec<Vec<Operand>> = i.operands.iter().map(Self::regs_of).collect();
        let mut ptrs = Vec::new();
        for o in &ops[1..] {
            let p = self.scratch_bytes(4 * 32 * o.len() as u32)?;
            for (k, r) in o.iter().enumerate() {
                let v = self.val(r, Type::B32)?;
                let at = unsafe { self.b.build_gep(self.cx.i8_type(), p, &[self.i64c(128 * k as u64)], "") }.e()?;
                self.b.build_store(at, v).e()?.set_alignment(4).map_err(|e| e.to_string())?;
            }
            ptrs.push(p);
        }
        let out = self.scratch_bytes(4 * 32 * ops[0].len() as u32)?;
        let f = decl(self, "cuemu_wmma_mma", 1);
        self.b
            .build_call(f, &[self.i32c(kind as u64).into(), ptrs[0].into(), ptrs[1].into(), ptrs[2].into(), out.into()], "")
            .e()?;
        for (k, r) in ops[0].iter().enumerate() {
            let at = unsafe { self.b.build_gep(self.cx.i8_type(), out, &[self.i64c(128 * k as u64)], "") }.e()?;
            let v = self.b.build_load(self.ivec(32), at, "").e()?;
            if let Some(li) = v.as_instruction_value() {
                let _ = li.set_alignment(4);
            }
            if let Operand::Reg(name) = r {
                let name = name.clone();
                self.write_reg(&name, v.into_vector_value(), false)?;
            }
        }
        Ok(())
    }
}
