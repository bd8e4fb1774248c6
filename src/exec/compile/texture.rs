//! Texture and surface instructions (PTX ISA 9.7.9): `tex` (incl. `.level`/`.grad` and
//! `.v2.f16x2` results), `tld4`, `txq` (incl. `.level`), `suld.b`, `sust.b`/`sust.p`,
//! `sured.b`/`sured.p`, `suq`, in unified mode (the object handle is a 64-bit register,
//! as nvcc emits for `cudaTextureObject_t`/`cudaSurfaceObject_t`). Each instruction stores
//! the warp's handles and coordinates to scratch memory and calls `exec::texture::cuemu_tex`,
//! which samples per lane; results come back through the same scratch block.

use super::func::{Gen, OrMsg, R, W};
use crate::exec::texture::{op, ARGS, DATA};
use inkwell::values::{BasicValue, PointerValue, VectorValue};
use ptx::ir::{self, Operand, Type};

impl<'ctx, 'm> Gen<'ctx, 'm> {
    /// `n` bytes of 16-byte aligned scratch in the entry block.
    fn tex_scratch(&self, n: u32) -> R<PointerValue<'ctx>> {
        let entry = self.func.unwrap().get_first_basic_block().unwrap();
        let tmp = self.cx.create_builder();
        match entry.get_first_instruction() {
            Some(i) => tmp.position_before(&i),
            None => tmp.position_at_end(entry),
        }
        let p = tmp.build_alloca(self.cx.i8_type().array_type(n), "tex_scratch").e()?;
        if let Some(i) = p.as_instruction() {
            let _ = i.set_alignment(16);
        }
        Ok(p)
    }

    fn slot_ptr(&self, base: PointerValue<'ctx>, slot: usize, lane_bytes: u32) -> R<PointerValue<'ctx>> {
        unsafe { self.b.build_gep(self.cx.i8_type(), base, &[self.i64c((slot as u32 * lane_bytes * W) as u64)], "") }.e()
    }

    fn store_slot(&self, base: PointerValue<'ctx>, slot: usize, v: VectorValue<'ctx>) -> R<()> {
        let p = self.slot_ptr(base, slot, 4)?;
        self.b.build_store(p, v).e()?.set_alignment(4).map_err(|e| e.to_string())?;
        Ok(())
    }

    fn load_slot(&self, base: PointerValue<'ctx>, slot: usize) -> R<VectorValue<'ctx>> {
        let p = self.slot_ptr(base, slot, 4)?;
        let v = self.b.build_load(self.ivec(32), p, "").e()?;
        if let Some(li) = v.as_instruction_value() {
            let _ = li.set_alignment(4);
        }
        Ok(v.into_vector_value())
    }

    /// The handle register of `[h, {…}]` or `[h]`.
    fn tex_handle(&mut self, op: &Operand, what: &str) -> R<VectorValue<'ctx>> {
        let h = match op {
            Operand::BracketList(items) if items.len() == 2 => &items[0],
            Operand::BracketList(_) => {
                return Err(format!("{what}: independent texture mode (separate sampler) is not supported; nvcc emits unified mode"))
            }
            Operand::Address { base: ir::AddrBase::Reg(r), offset: 0 } => return self.val(&Operand::Reg(r.clone()), Type::B64),
            o => return Err(format!("{what}: unsupported object operand {o:?}")),
        };
        match h {
            Operand::Reg(_) => self.val(h, Type::B64),
            Operand::Symbol(s) if self.reg(s).is_some() => self.val(h, Type::B64),
            o => Err(format!("{what}: texture/surface references ({o:?}) are not supported; use texture objects")),
        }
    }

    fn coord_list(op: &Operand) -> Vec<Operand> {
        match op {
            Operand::BracketList(items) => match items.get(1) {
                Some(Operand::Vector(v)) => v.clone(),
                Some(o) => vec![o.clone()],
                None => vec![],
            },
            _ => vec![],
        }
    }

    fn regs_list(op: &Operand) -> Vec<Operand> {
        match op {
            Operand::Vector(v) => v.clone(),
            o => vec![o.clone()],
        }
    }

    /// Calls the helper; returns the data block.
    fn call_tex(&mut self, code: u32, handle: VectorValue<'ctx>, coords: &[VectorValue<'ctx>], data_in: &[VectorValue<'ctx>]) -> R<PointerValue<'ctx>> {
        let ph = self.tex_scratch(8 * W)?;
        self.b.build_store(ph, handle).e()?.set_alignment(8).map_err(|e| e.to_string())?;
        let pa = self.tex_scratch(4 * W * ARGS as u32)?;
        for (s, c) in coords.iter().enumerate().take(ARGS) {
            self.store_slot(pa, s, *c)?;
        }
        let pd = self.tex_scratch(4 * W * DATA as u32)?;
        for (s, v) in data_in.iter().enumerate().take(DATA) {
            self.store_slot(pd, s, *v)?;
        }
        let mask = self.mask_bits(self.emask())?;
        let f = self.m.get_function("cuemu_tex").unwrap_or_else(|| {
            let p = self.ptr_ty().into();
            let i32t = self.cx.i32_type().into();
            let ty = self.cx.void_type().fn_type(&[p, i32t, p, p, p, i32t], false);
            self.m.add_function("cuemu_tex", ty, Some(inkwell::module::Linkage::External))
        });
        self.b
            .build_call(f, &[self.ctx().into(), self.i32c(code as u64).into(), ph.into(), pa.into(), pd.into(), mask.into()], "")
            .e()?;
        Ok(pd)
    }

    fn geometry(i: &ir::Instruction) -> R<u32> {
        for m in &i.modifiers {
            return Ok(match m.as_str() {
                "1d" => op::G1D,
                "2d" => op::G2D,
                "3d" => op::G3D,
                "a1d" => op::GA1D,
                "a2d" => op::GA2D,
                "cube" => op::GCUBE,
                "acube" => op::GACUBE,
                "2dms" | "a2dms" => return Err(format!("{}: multisample textures are not supported", super::func::show(i))),
                _ => continue,
            });
        }
        Err(format!("{}: no geometry", super::func::show(i)))
    }

    /// tex{.level|.grad}.geom.{v4.dtype|v2.f16x2}.ctype d, [h, c]{, lod | , dPdx, dPdy} and
    /// tld4.comp.2d.v4.dtype.f32 d, [h, c]. Without mipmaps, level and gradients select
    /// level 0 (as on the H100).
    pub fn lower_tex(&mut self, i: &ir::Instruction) -> R<()> {
        let show = super::func::show(i);
        let geom = Self::geometry(i)?;
        let tys = i.types();
        let (dt, ct) = match tys[..] {
            [d, c] => (d, c),
            _ => return Err(format!("{show}: expected .dtype.ctype")),
        };
        let half = dt == Type::F16x2 && i.has("v2") && i.opcode == "tex";
        if !half && (!matches!(dt, Type::F32 | Type::S32 | Type::U32) || !i.has("v4")) {
            return Err(format!("{show}: only .v4 with .f32/.s32/.u32 results and tex's .v2.f16x2 are supported"));
        }
        let mut code = geom << op::GEOM_SHIFT;
        if half {
            code |= op::HALF_PAIRS;
        }
        if i.opcode == "tld4" {
            let comp = ["r", "g", "b", "a"].iter().position(|c| i.has(c)).ok_or_else(|| format!("{show}: no component"))?;
            code |= op::TLD4 | (comp as u32) << op::COMP_SHIFT;
        } else {
            code |= op::TEX;
        }
        if matches!(ct, Type::S32 | Type::U32 | Type::B32) {
            code |= op::INT_COORDS;
        }
        let (dst, p_out) = match &i.operands[0] {
            Operand::Pair(d, p) => ((**d).clone(), Some((**p).clone())),
            o => (o.clone(), None),
        };
        let handle = self.tex_handle(&i.operands[1], &show)?;
        let cs = Self::coord_list(&i.operands[1]);
        let mut coords = Vec::new();
        for c in &cs {
            coords.push(self.val(c, Type::B32)?);
        }
        // tex.level's lod, tex.grad's dPdx and dPdy after the coordinates
        let level = i.has("level");
        let grad = i.has("grad");
        // texel offsets and depth-compare operands after the coordinates (and lod/gradients)
        // are not emulated: refuse them rather than ignore them
        if i.operands.len() > 2 + level as usize + 2 * grad as usize {
            return Err(format!("{show}: texel offset and depth-compare operands are not supported"));
        }
        if level || grad {
            let zero = self.splat_const(32, 0);
            coords.resize(op::LOD_SLOT, zero);
            if level {
                code |= op::LEVEL;
                let l = i.operands.get(2).ok_or_else(|| format!("{show}: no level of detail"))?;
                coords.push(self.val(l, Type::B32)?);
            } else {
                code |= op::GRAD;
                for (k, slot) in [(2usize, op::DPDX_SLOT), (3, op::DPDY_SLOT)] {
                    let g = i.operands.get(k).ok_or_else(|| format!("{show}: no gradient"))?;
                    coords.resize(slot, zero);
                    for c in Self::regs_list(g).iter().take(3) {
                        coords.push(self.val(c, Type::B32)?);
                    }
                }
            }
        }
        let pd = self.call_tex(code, handle, &coords, &[])?;
        for (k, d) in Self::regs_list(&dst).iter().enumerate().take(if half { 2 } else { 4 }) {
            if let Operand::Reg(r) = d {
                let v = self.load_slot(pd, k)?;
                let r = r.clone();
                self.write_reg(&r, v, false)?;
            }
        }
        if let Some(Operand::Reg(p)) = p_out {
            // the resident-texel predicate: every texel is resident
            let t = self.splat_const(1, 1);
            self.write_reg(&p, t, false)?;
        }
        Ok(())
    }

    /// txq{.level}.{width,height,depth}.b32 d, [h]{, level} and suq.{width,height,depth}. NVIDIA's
    /// driver refuses the other queries (measured: a kernel with another txq query is not
    /// found by cuModuleGetFunction, a module with another suq query fails to load with
    /// CUDA_ERROR_NOT_SUPPORTED); `ModuleImage` refuses them the same way before this runs.
    pub fn lower_txq(&mut self, i: &ir::Instruction) -> R<()> {
        let show = super::func::show(i);
        let cls = if i.opcode == "suq" { op::SUQ } else { op::TXQ };
        let q = if i.has("width") {
            op::Q_WIDTH
        } else if i.has("height") {
            op::Q_HEIGHT
        } else if i.has("depth") {
            op::Q_DEPTH
        } else {
            return Err(format!("{show}: only the width/height/depth queries are supported (an H100 does not load modules using the others)"));
        };
        let handle = self.tex_handle(&i.operands[1], &show)?;
        let (code, args) = if i.has("level") {
            let l = i.operands.get(2).ok_or_else(|| format!("{show}: no level"))?;
            (cls | q << op::QUERY_SHIFT | op::Q_LEVEL, vec![self.val(l, Type::B32)?])
        } else {
            (cls | q << op::QUERY_SHIFT, vec![])
        };
        let pd = self.call_tex(code, handle, &args, &[])?;
        let v = self.load_slot(pd, 0)?;
        match &i.operands[0] {
            Operand::Reg(r) => {
                let r = r.clone();
                self.write_reg(&r, v, false)
            }
            o => Err(format!("{show}: unsupported destination {o:?}")),
        }
    }

    /// suld.b.geom{.cop}.vec.dtype.clamp d, [h, c] and sust.b.geom{.cop}.vec.ctype.clamp
    /// [h, c], a (block mode: x in bytes).
    pub fn lower_surface(&mut self, i: &ir::Instruction) -> R<()> {
        let show = super::func::show(i);
        let store = i.opcode == "sust";
        // sust.p: formatted (x counts elements, each value converted to the channel format)
        let formatted = store && i.has("p");
        if !i.has("b") && !formatted {
            return Err(format!("{show}: only block-mode (.b) loads and .b/.p stores are supported"));
        }
        let geom = Self::geometry(i)?;
        let size = if i.has("b8") {
            0
        } else if i.has("b16") {
            1
        } else if i.has("b32") {
            2
        } else if i.has("b64") {
            3
        } else {
            return Err(format!("{show}: no element size"));
        };
        let nvec = if i.has("v4") {
            2
        } else if i.has("v2") {
            1
        } else {
            0
        };
        let oob = if i.has("clamp") {
            op::OOB_CLAMP
        } else if i.has("zero") {
            op::OOB_ZERO
        } else {
            op::OOB_TRAP
        };
        let code = if store { op::SUST } else { op::SULD }
            | geom << op::GEOM_SHIFT
            | size << op::SIZE_SHIFT
            | nvec << op::VEC_SHIFT
            | oob << op::OOB_SHIFT
            | if formatted { op::SAMPLES } else { 0 };
        let (obj, regs) = if store { (&i.operands[0], &i.operands[1]) } else { (&i.operands[1], &i.operands[0]) };
        let handle = self.tex_handle(obj, &show)?;
        let mut coords = Vec::new();
        for c in Self::coord_list(obj) {
            coords.push(self.val(&c, Type::B32)?);
        }
        let regs = Self::regs_list(regs);
        let mut data = Vec::new();
        if store {
            for r in &regs {
                if size == 3 {
                    let v = self.val(r, Type::B64)?;
                    data.push(self.resize(v, 32, false)?);
                    let hi = self.b.build_right_shift(v, self.splat_const(64, 32), false, "").e()?;
                    data.push(self.resize(hi, 32, false)?);
                } else {
                    let t = [Type::B8, Type::B16, Type::B32][size as usize];
                    let v = self.val(r, t)?;
                    data.push(self.resize(v, 32, false)?);
                }
            }
        }
        let pd = self.call_tex(code, handle, &coords, &data)?;
        if !store {
            for (k, r) in regs.iter().enumerate() {
                let Operand::Reg(name) = r else { continue };
                let v = if size == 3 {
                    let lo = self.load_slot(pd, 2 * k)?;
                    let hi = self.load_slot(pd, 2 * k + 1)?;
                    let lo = self.resize(lo, 64, false)?;
                    let hi = self.resize(hi, 64, false)?;
                    let hi = self.b.build_left_shift(hi, self.splat_const(64, 32), "").e()?;
                    self.b.build_or(lo, hi, "").e()?
                } else {
                    self.load_slot(pd, k)?
                };
                let name = name.clone();
                self.write_reg(&name, v, false)?;
            }
        }
        Ok(())
    }

    /// sured.b.op.geom.ctype.mode [h, c], v (x in bytes) and sured.p.op.geom.{b32,b64}.mode
    /// [h, c], v (x in elements; signedness from the surface's format).
    pub fn lower_sured(&mut self, i: &ir::Instruction) -> R<()> {
        let show = super::func::show(i);
        let geom = Self::geometry(i)?;
        let red = ["add", "min", "max", "and", "or"].iter().position(|o| i.has(o)).ok_or_else(|| format!("{show}: no operation"))? as u32;
        let ty = *i.types().first().ok_or_else(|| format!("{show}: no type"))?;
        let wide = matches!(ty, Type::U64 | Type::S64 | Type::B64);
        let oob = if i.has("clamp") {
            op::OOB_CLAMP
        } else if i.has("zero") {
            op::OOB_ZERO
        } else {
            op::OOB_TRAP
        };
        let mut code = op::SURED
            | geom << op::GEOM_SHIFT
            | (if wide { 3 } else { 2 }) << op::SIZE_SHIFT
            | oob << op::OOB_SHIFT
            | red << op::RED_SHIFT;
        if matches!(ty, Type::S32 | Type::S64) {
            code |= op::RED_SIGNED;
        }
        if i.has("p") {
            code |= op::SAMPLES;
        }
        let handle = self.tex_handle(&i.operands[0], &show)?;
        let mut coords = Vec::new();
        for c in Self::coord_list(&i.operands[0]) {
            coords.push(self.val(&c, Type::B32)?);
        }
        let src = i.operands.get(1).ok_or_else(|| format!("{show}: no source"))?;
        let data = if wide {
            let v = self.val(src, Type::B64)?;
            let hi = self.b.build_right_shift(v, self.splat_const(64, 32), false, "").e()?;
            vec![self.resize(v, 32, false)?, self.resize(hi, 32, false)?]
        } else {
            vec![self.val(src, Type::B32)?]
        };
        self.call_tex(code, handle, &coords, &data)?;
        Ok(())
    }
}
