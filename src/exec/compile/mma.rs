//! Warp-level matrix instructions (PTX ISA 9.7.14): `ldmatrix` (9.7.14.5.15), `mma.sync`
//! (9.7.14.5.14, fragments of 9.7.14.5.8–.12) and `elect.sync` (9.7.12.10).
//!
//! `ldmatrix` is a permutation of row addresses the lanes supply: two or four gathers.
//! `stmatrix` is its inverse (scatters), `movmatrix` a shuffle. `mma.sync` and `wmma` marshal
//! the warp's fragment registers to run-time helpers (`exec::matrix`), which decode the
//! fragment layouts, multiply and encode the result.

use super::func::{Gen, OrMsg, R, W};
use crate::exec::matrix::Elem;
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

    /// Stores the fragment registers of `regs` (each `bits` wide) to a fresh `[register][lane]`
    /// scratch block.
    fn marshal(&mut self, regs: &[Operand], bits: u32) -> R<PointerValue<'ctx>> {
        let rb = bits / 8 * 32;
        let p = self.scratch_bytes(rb * regs.len().max(1) as u32)?;
        let t = if bits == 64 { Type::B64 } else { Type::B32 };
        for (k, r) in regs.iter().enumerate() {
            let v = self.val(r, t)?;
            let at = unsafe { self.b.build_gep(self.cx.i8_type(), p, &[self.i64c((rb as usize * k) as u64)], "") }.e()?;
            self.b.build_store(at, v).e()?.set_alignment(4).map_err(|e| e.to_string())?;
        }
        Ok(p)
    }

    /// Loads `[register][lane]` words from `p` into the registers `regs`.
    fn unmarshal(&mut self, p: PointerValue<'ctx>, regs: &[Operand], bits: u32) -> R<()> {
        let rb = bits / 8 * 32;
        for (k, r) in regs.iter().enumerate() {
            let at = unsafe { self.b.build_gep(self.cx.i8_type(), p, &[self.i64c((rb as usize * k) as u64)], "") }.e()?;
            let v = self.b.build_load(self.ivec(bits), at, "").e()?;
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

    fn helper5(&self, name: &str) -> inkwell::values::FunctionValue<'ctx> {
        self.m.get_function(name).unwrap_or_else(|| {
            let p = self.ptr_ty().into();
            let ty = self.cx.void_type().fn_type(&[self.cx.i32_type().into(), p, p, p, p], false);
            self.m.add_function(name, ty, Some(inkwell::module::Linkage::External))
        })
    }

    /// The matrix element types among the modifiers, in order (`.s32.u8.s8.s32` → d, a, b, c).
    fn matrix_types(i: &ir::Instruction) -> Vec<Elem> {
        i.modifiers.iter().filter_map(|m| Elem::from_name(m)).collect()
    }

    fn rounding(i: &ir::Instruction) -> u32 {
        ["rn", "rz", "rm", "rp"].iter().position(|m| i.has(m)).unwrap_or(0) as u32
    }

    /// The shape/type combinations of PTX ISA 9.7.14.5.14 for targets up to sm_90 (plus sm_89's
    /// fp8 forms), which `matrix::cuemu_mma` implements.
    fn mma_form_allowed(mn: &str, k: u32, a: Elem, b: Elem, c: Elem, d: Elem) -> bool {
        use Elem::*;
        let int8 = |x: Elem| matches!(x, S8 | U8);
        let int4 = |x: Elem| matches!(x, S4 | U4);
        let fp8 = |x: Elem| matches!(x, E4M3 | E5M2);
        let f16acc = matches!(c, F16 | F32) && matches!(d, F16 | F32);
        match (mn, k) {
            ("m8n8", 4) => (a == F16 && b == F16 && f16acc) || (a == F64 && b == F64 && c == F64 && d == F64),
            ("m16n8", 4) => (a == TF32 && b == TF32 && c == F32 && d == F32) || (a == F64 && b == F64 && c == F64 && d == F64),
            ("m16n8", 8 | 16) => {
                (a == F16 && b == F16 && c == d && f16acc)
                    || (a == BF16 && b == BF16 && c == F32 && d == F32)
                    || (k == 8 && a == TF32 && b == TF32 && c == F32 && d == F32)
                    || (a == F64 && b == F64 && c == F64 && d == F64)
                    || (k == 16 && int8(a) && int8(b) && c == S32 && d == S32)
                    || (k == 16 && fp8(a) && fp8(b) && c == d && f16acc)
            }
            ("m16n8", 32) => {
                (int8(a) && int8(b) || int4(a) && int4(b)) && c == S32 && d == S32 || (fp8(a) && fp8(b) && c == d && f16acc)
            }
            ("m8n8", 16) => int8(a) && int8(b) && c == S32 && d == S32,
            ("m8n8", 32) | ("m16n8", 64) => int4(a) && int4(b) && c == S32 && d == S32,
            ("m8n8", 128) | ("m16n8", 128 | 256) => a == B1 && b == B1 && c == S32 && d == S32,
            _ => false,
        }
    }

    /// The sparse shape/type combinations of PTX ISA 9.7.14.6 (`mma.sp`) up to sm_90, plus
    /// sm_89's fp8 form: A is m×k with half its elements stored.
    fn mma_sp_form_allowed(mn: &str, k: u32, a: Elem, b: Elem, c: Elem, d: Elem) -> bool {
        use Elem::*;
        let int8 = |x: Elem| matches!(x, S8 | U8);
        let int4 = |x: Elem| matches!(x, S4 | U4);
        let fp8 = |x: Elem| matches!(x, E4M3 | E5M2);
        mn == "m16n8"
            && match k {
                16 | 32 => (a == F16 && b == F16 && c == d && matches!(c, F16 | F32)) || (a == BF16 && b == BF16 && c == F32 && d == F32),
                8 => a == TF32 && b == TF32 && c == F32 && d == F32,
                _ => false,
            }
            || mn == "m16n8" && k == 16 && a == TF32 && b == TF32 && c == F32 && d == F32
            || mn == "m16n8" && matches!(k, 32 | 64) && int8(a) && int8(b) && c == S32 && d == S32
            || mn == "m16n8" && matches!(k, 64 | 128) && int4(a) && int4(b) && c == S32 && d == S32
            || mn == "m16n8" && k == 64 && fp8(a) && fp8(b) && c == F32 && d == F32
    }

    /// mma.sync.aligned.{shape}.{alayout}.{blayout}{.satfinite}.dtype.atype.btype.ctype{.op.popc}
    /// d, a, b, c (PTX ISA 9.7.14.5.14): every shape and type up to sm_90, plus the sm_89 fp8
    /// forms; and mma.sp{::ordered_metadata} … d, a, b, c, e, f (9.7.14.6), A sparse with
    /// metadata e and sparsity selector f (a constant). Fragments are decoded by
    /// `matrix::cuemu_mma`.
    pub fn lower_mma(&mut self, i: &ir::Instruction) -> R<()> {
        use crate::exec::matrix::mma_kind as mk;
        let bad = || format!("mma form {} is not supported", super::func::show(i));
        if i.modifiers.iter().any(|m| m.starts_with("kind") || m.starts_with("block_scale")) {
            return Err(bad());
        }
        // ::ordered_metadata only promises sorted indices, which mean the same on sm_90
        let sparse = i.modifiers.iter().any(|m| m == "sp" || m == "sp::ordered_metadata");
        let shape = i.modifiers.iter().find(|m| m.starts_with('m') && m.contains('n') && m.contains('k')).ok_or_else(bad)?;
        let (mn, k) = shape.split_once('k').ok_or_else(bad)?;
        let k: u32 = k.parse().map_err(|_| bad())?;
        let tys = Self::matrix_types(i);
        let [d, a, b, c] = tys[..] else { return Err(bad()) };
        let class = match mn {
            "m16n8" => mk::M16N8,
            "m8n8" if k == 4 && a == Elem::F16 => mk::QUADPAIR,
            "m8n8" => mk::M8N8,
            _ => return Err(bad()),
        };
        let allowed =
            if sparse { Self::mma_sp_form_allowed(mn, k, a, b, c, d) } else { Self::mma_form_allowed(mn, k, a, b, c, d) };
        if !allowed {
            return Err(bad());
        }
        let layouts: Vec<&str> = i.modifiers.iter().map(|m| m.as_str()).filter(|m| *m == "row" || *m == "col").collect();
        let (a_col, b_row) = match layouts[..] {
            [x, y] => (x == "col", y == "row"),
            _ => return Err(bad()),
        };
        if class != mk::QUADPAIR && (a_col || b_row) {
            return Err(bad());
        }
        let kind = (a as u32) << mk::A_SHIFT
            | (b as u32) << mk::B_SHIFT
            | (c as u32) << mk::C_SHIFT
            | (d as u32) << mk::D_SHIFT
            | class << mk::CLASS_SHIFT
            | (k.trailing_zeros() - 2) << mk::K_SHIFT
            | if i.has("satfinite") { mk::SATFINITE } else { 0 }
            | if a_col { mk::A_COL } else { 0 }
            | if b_row { mk::B_ROW } else { 0 }
            | if i.has("and") { mk::AND_POPC } else { 0 }
            | Self::rounding(i) << mk::RND_SHIFT;
        let mut ops: Vec<Vec<Operand>> = i.operands.iter().map(Self::regs_of).collect();
        let kind = if sparse {
            if ops.len() != 6 {
                return Err("mma.sp needs d, a, b, c, e, f".into());
            }
            let sel = match &i.operands[5] {
                Operand::Imm(ir::Constant::Int(v)) if (0..4).contains(v) => *v as u32,
                _ => return Err(format!("{}: the sparsity selector must be a constant 0..3", super::func::show(i))),
            };
            // the metadata rides after A's registers in A's fragment block
            let meta = ops.remove(4);
            ops.truncate(4);
            ops[1].extend(meta);
            kind | mk::SPARSE | sel << mk::SEL_SHIFT
        } else {
            kind
        };
        if ops.len() != 4 {
            return Err("mma.sync needs d, a, b, c".into());
        }
        let mut counts = crate::exec::matrix::mma_regs(kind);
        if sparse {
            counts[0] += 1;
        }
        for (w, o) in [3usize, 0, 1, 2].iter().zip(&ops) {
            if o.len() != counts[*w] {
                return Err(format!("{}: {} registers where {} are expected", super::func::show(i), o.len(), counts[*w]));
            }
        }
        let pa = self.marshal(&ops[1], a.reg_bits())?;
        let pb = self.marshal(&ops[2], b.reg_bits())?;
        let pc = self.marshal(&ops[3], c.reg_bits())?;
        let out = self.scratch_bytes(d.reg_bits() / 8 * 32 * ops[0].len() as u32)?;
        let f = self.helper5("cuemu_mma");
        self.b.build_call(f, &[self.i32c(kind as u64).into(), pa.into(), pb.into(), pc.into(), out.into()], "").e()?;
        self.unmarshal(out, &ops[0], d.reg_bits())
    }

    /// wmma.load / wmma.store / wmma.mma for every shape and type PTX allows on sm_90 (PTX ISA
    /// 9.7.14.4): m16n16k16 / m32n8k16 / m8n32k16 with f16, bf16, s8, u8; m16n16k8 tf32;
    /// m8n8k4 f64; m8n8k32 s4/u4; m8n8k128 b1. Fragments are opaque in PTX; cuemu's layout is
    /// `matrix::cuemu_wmma_ldst`'s (each lane holds consecutive row-major elements). Loads,
    /// stores and mma agree on it, and element-wise fragment code is layout-independent.
    pub fn lower_wmma(&mut self, i: &ir::Instruction) -> R<()> {
        use crate::exec::matrix::{wmma_kind as wk, wmma_regs, wmma_shape_code};
        let bad = || format!("wmma form {} is not supported", super::func::show(i));
        let shape = i.modifiers.iter().find_map(|m| wmma_shape_code(m)).ok_or_else(bad)?;
        let tys = Self::matrix_types(i);
        if i.has("load") || i.has("store") {
            let store = i.has("store");
            let (regs_op, addr_op) = if store { (&i.operands[1], &i.operands[0]) } else { (&i.operands[0], &i.operands[1]) };
            let regs = Self::regs_of(regs_op);
            let frag = if i.has("a") {
                0
            } else if i.has("b") {
                1
            } else {
                2
            };
            let e = *tys.last().ok_or_else(bad)?;
            if regs.len() != wmma_regs(shape, frag, e) {
                return Err(format!("{}: {} registers where {} are expected", super::func::show(i), regs.len(), wmma_regs(shape, frag, e)));
            }
            let kind = frag << wk::FRAG_SHIFT
                | (e as u32) << wk::ELEM_SHIFT
                | shape << wk::SHAPE_SHIFT
                | (regs.len() as u32) << wk::NREGS_SHIFT
                | if i.has("col") { wk::COL } else { 0 }
                | if store { wk::STORE } else { 0 };
            let space = if i.modifiers.iter().any(|m| m.starts_with("shared")) { super::instr::Space::Shared } else { super::instr::Space::Generic };
            let av = self.addr_lanes(addr_op, space)?;
            let a0 = self.b.build_extract_element(av, self.i32c(0), "").e()?.into_int_value();
            let (m, n, k) = crate::exec::matrix::WMMA_SHAPES[shape as usize];
            // without a stride operand: the matrix's own leading dimension
            let row_major = !i.has("col");
            let (rows, cols) = match frag {
                0 => (m, k),
                1 => (k, n),
                _ => (m, n),
            };
            let default_stride = if row_major { cols } else { rows };
            let stride = match i.operands.get(2) {
                Some(o) => {
                    let v = self.val(o, Type::U32)?;
                    self.b.build_extract_element(v, self.i32c(0), "").e()?.into_int_value()
                }
                None => self.i32c(default_stride as u64),
            };
            let rbits = e.reg_bits();
            let buf = if store { self.marshal(&regs, rbits)? } else { self.scratch_bytes(rbits / 8 * 32 * regs.len() as u32)? };
            let f = self.m.get_function("cuemu_wmma_ldst").unwrap_or_else(|| {
                let args: Vec<inkwell::types::BasicMetadataTypeEnum> =
                    vec![self.cx.i32_type().into(), self.ptr_ty().into(), self.cx.i64_type().into(), self.cx.i32_type().into()];
                let ty = self.cx.void_type().fn_type(&args, false);
                self.m.add_function("cuemu_wmma_ldst", ty, Some(inkwell::module::Linkage::External))
            });
            self.b.build_call(f, &[self.i32c(kind as u64).into(), buf.into(), a0.into(), stride.into()], "").e()?;
            if !store {
                self.unmarshal(buf, &regs, rbits)?;
            }
            return Ok(());
        }
        // wmma.mma.sync.aligned.alayout.blayout.shape.dtype.ctype (f16/f32 accumulators with
        // f16 inputs) or .shape{.rnd}.dtype.atype.btype.ctype
        let (d, ab, c) = match tys[..] {
            [d, c] => (d, Elem::F16, c),
            [d, a, _, c] => (d, a, c),
            _ => return Err(bad()),
        };
        let kind = (ab as u32) << wk::ELEM_SHIFT
            | (c as u32) << wk::C_SHIFT
            | (d as u32) << wk::D_SHIFT
            | shape << wk::SHAPE_SHIFT
            | if i.has("satfinite") { wk::SATFINITE } else { 0 }
            | if i.has("and") { wk::AND_POPC } else { 0 }
            | Self::rounding(i) << wk::RND_SHIFT;
        let ops: Vec<Vec<Operand>> = i.operands.iter().map(Self::regs_of).collect();
        if ops.len() != 4 {
            return Err("wmma.mma needs d, a, b, c".into());
        }
        let want = [wmma_regs(shape, 2, d), wmma_regs(shape, 0, ab), wmma_regs(shape, 1, ab), wmma_regs(shape, 2, c)];
        if ops.iter().map(|o| o.len()).ne(want) {
            return Err(format!("{}: fragment register counts differ from {want:?}", super::func::show(i)));
        }
        let pa = self.marshal(&ops[1], ab.reg_bits())?;
        let pb = self.marshal(&ops[2], ab.reg_bits())?;
        let pc = self.marshal(&ops[3], c.reg_bits())?;
        let out = self.scratch_bytes(d.reg_bits() / 8 * 32 * ops[0].len() as u32)?;
        let f = self.helper5("cuemu_wmma_mma");
        self.b.build_call(f, &[self.i32c(kind as u64).into(), pa.into(), pb.into(), pc.into(), out.into()], "").e()?;
        self.unmarshal(out, &ops[0], d.reg_bits())
    }

    /// stmatrix.sync.aligned.m8n8.x{1,2,4}{.trans}.shared{::cta}.b16 [a], r (PTX ISA
    /// 9.7.14.5.16): the inverse of ldmatrix — lanes 8j..8j+7 give the row addresses of matrix
    /// j, lane l's register j holds row l/4, columns 2(l%4), 2(l%4)+1 (with .trans: column
    /// l/4, rows 2(l%4), 2(l%4)+1).
    pub fn lower_stmatrix(&mut self, i: &ir::Instruction) -> R<()> {
        if !i.has("m8n8") || !i.has("b16") {
            return Err(format!("stmatrix form {} is not supported", super::func::show(i)));
        }
        let n = if i.has("x4") {
            4
        } else if i.has("x2") {
            2
        } else {
            1
        };
        let trans = i.has("trans");
        let src = Self::regs_of(&i.operands[1]);
        if src.len() != n {
            return Err("stmatrix: wrong number of source registers".into());
        }
        let a = self.lanes_addr(&i.operands[0])?;
        for (j, s) in src.iter().enumerate() {
            let v = self.val(s, Type::B32)?;
            let j = j as u32;
            let idx = |f: &dyn Fn(u32) -> u32| -> VectorValue<'ctx> {
                VectorType::const_vector(&(0..W).map(|l| self.i32c(f(l) as u64)).collect::<Vec<_>>())
            };
            let off = |f: &dyn Fn(u32) -> u64| -> VectorValue<'ctx> {
                VectorType::const_vector(&(0..W).map(|l| self.i64c(f(l))).collect::<Vec<_>>())
            };
            if !trans {
                let rows = self.b.build_shuffle_vector(a, a, idx(&|l| 8 * j + l / 4), "").e()?;
                let p = self.b.build_int_add(rows, off(&|l| 4 * (l % 4) as u64), "").e()?;
                self.scatter(p, v)?;
            } else {
                let (lo, hi) = self.halves(v)?;
                let o = off(&|l| 2 * (l / 4) as u64);
                let r0 = self.b.build_shuffle_vector(a, a, idx(&|l| 8 * j + 2 * (l % 4)), "").e()?;
                let r1 = self.b.build_shuffle_vector(a, a, idx(&|l| 8 * j + 2 * (l % 4) + 1), "").e()?;
                let p0 = self.b.build_int_add(r0, o, "").e()?;
                let p1 = self.b.build_int_add(r1, o, "").e()?;
                self.scatter(p0, lo)?;
                self.scatter(p1, hi)?;
            }
        }
        Ok(())
    }

    fn scatter(&self, addrs: VectorValue<'ctx>, v: VectorValue<'ctx>) -> R<()> {
        let nb = v.get_type().get_element_type().into_int_type().get_bit_width();
        let ptrs = self.b.build_int_to_ptr(addrs, self.ptr_ty().vec_type(W), "").e()?;
        self.call_intr_void(
            "llvm.masked.scatter",
            &[v.get_type().into(), self.ptr_ty().vec_type(W).into()],
            &[v.into(), ptrs.into(), self.i32c((nb / 8) as u64).into(), self.emask().into()],
        )
    }

    /// movmatrix.sync.aligned.m8n8.trans.b16 d, a (PTX ISA 9.7.14.5.17): transposes the 8x8
    /// matrix whose row l/4, columns 2(l%4), 2(l%4)+1 lane l holds.
    pub fn lower_movmatrix(&mut self, i: &ir::Instruction) -> R<()> {
        if !i.has("trans") || !i.has("m8n8") {
            return Err(format!("movmatrix form {} is not supported", super::func::show(i)));
        }
        let a = self.val(&i.operands[1], Type::B32)?;
        // d.lo of lane l = M[2(l%4)][l/4], held by lane 8(l%4) + l/8, half (l/4)%2;
        // d.hi = M[2(l%4)+1][l/4], lane 8(l%4) + 4 + l/8, same half
        let idx = |f: &dyn Fn(u32) -> u32| -> VectorValue<'ctx> {
            VectorType::const_vector(&(0..W).map(|l| self.i32c(f(l) as u64)).collect::<Vec<_>>())
        };
        let sh = idx(&|l| 16 * ((l / 4) % 2));
        let lo = self.b.build_shuffle_vector(a, a, idx(&|l| 8 * (l % 4) + l / 8), "").e()?;
        let hi = self.b.build_shuffle_vector(a, a, idx(&|l| 8 * (l % 4) + 4 + l / 8), "").e()?;
        let lo = self.b.build_right_shift(lo, sh, false, "").e()?;
        let hi = self.b.build_right_shift(hi, sh, false, "").e()?;
        let lo = self.b.build_and(lo, self.splat_const(32, 0xffff), "").e()?;
        let v = self.pack_halves(lo, hi)?;
        match &i.operands[0] {
            Operand::Reg(r) => {
                let r = r.clone();
                self.write_reg(&r, v, false)
            }
            _ => Err("movmatrix: destination must be a register".into()),
        }
    }
}
