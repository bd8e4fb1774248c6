//! Instruction semantics: one arm per PTX instruction family (PTX ISA chapter 9).

use super::func::{show, Gen, OrMsg, EXIT_PC, R, W};
use crate::exec::runtime::{self, atom};
use inkwell::types::{BasicTypeEnum, VectorType};
use inkwell::values::{BasicValue, BasicValueEnum, IntValue, VectorValue};
use inkwell::{FloatPredicate, IntPredicate};
use ptx::ir::{self, AddrBase, Constant, Operand, Type};

mod asyncmem;
mod sfu;
pub mod cluster;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Space {
    Generic,
    Global,
    Shared,
    /// shared::cluster: an address in the window of any CTA of the cluster (see `cluster`).
    SharedCluster,
    Local,
    Param,
}

/// Addresses of one memory access: the same host address for all lanes, or one per lane.
enum Addr<'ctx> {
    Uniform(IntValue<'ctx>),
    Lanes(VectorValue<'ctx>),
}

fn space_of(i: &ir::Instruction) -> Space {
    for m in &i.modifiers {
        let m = m.as_str();
        if m == "shared" || m.starts_with("shared::") {
            return Gen::shared_space(m);
        }
        match m {
            "local" => return Space::Local,
            "param" => return Space::Param,
            "global" | "const" => return Space::Global,
            _ => {}
        }
    }
    Space::Generic
}

fn vec_count(i: &ir::Instruction) -> u32 {
    for m in &i.modifiers {
        match m.as_str() {
            "v2" => return 2,
            "v4" => return 4,
            "v8" => return 8,
            _ => {}
        }
    }
    1
}

/// A vector `ld`/`st` that must reach memory whole, as one access per lane: a `.relaxed`,
/// `.acquire`, `.release`, `.volatile` or `.mmio` access of 8 or 16 bytes in global or generic
/// memory. Returns the access's width in bits. CUB's decoupled look-back (thrust's scans,
/// `reduce_by_key`, selects) publishes a 16-byte {status, value} word with one
/// `st.relaxed.gpu.v2.u64` and polls it with `ld.relaxed.gpu.v2.u64`; the H100 never lets a
/// reader see half of it. Element by element (the ordinary lowering: one gather or scatter per
/// element) a block on another host thread read a new status with a stale value, and
/// `thrust::reduce_by_key` lost keys (tests/programs/thrust_cub.cu).
fn whole_access(i: &ir::Instruction, n: u32, nb: u32) -> Option<u32> {
    let total = n * nb;
    let ordered = ["relaxed", "acquire", "release", "volatile", "mmio"].iter().any(|m| i.has(m));
    let other_threads_see = matches!(space_of(i), Space::Global | Space::Generic);
    (n > 1 && (total == 64 || total == 128) && ordered && other_threads_see).then_some(total)
}

fn bits(t: Type) -> u32 {
    if t == Type::Pred {
        1
    } else {
        t.size() * 8
    }
}

impl<'ctx, 'm> Gen<'ctx, 'm> {
    fn last_type(&self, i: &ir::Instruction) -> R<Type> {
        i.types().last().copied().ok_or_else(|| "instruction has no type".to_string())
    }

    fn fvec(&self, t: Type) -> R<VectorType<'ctx>> {
        Ok(match t {
            Type::F32 => self.cx.f32_type().vec_type(W),
            Type::F64 => self.cx.f64_type().vec_type(W),
            Type::F16 => self.cx.f16_type().vec_type(W),
            _ => return Err(format!("{} is not a float type here", t.name())),
        })
    }
    /// Integer bits → float vector of type `t`.
    fn to_f(&self, v: VectorValue<'ctx>, t: Type) -> R<VectorValue<'ctx>> {
        Ok(self.b.build_bit_cast(v, self.fvec(t)?, "").e()?.into_vector_value())
    }
    /// Float vector → its integer bits.
    fn from_f(&self, v: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        let w = v.get_type().get_element_type().into_float_type();
        let bits = if w == self.cx.f32_type() {
            32
        } else if w == self.cx.f64_type() {
            64
        } else {
            16
        };
        Ok(self.b.build_bit_cast(v, self.ivec(bits), "").e()?.into_vector_value())
    }

    // ----- operands -----

    /// The value of a source operand as an integer vector of `t`'s width (`<32 x i1>` for
    /// predicates).
    pub fn val(&mut self, op: &Operand, t: Type) -> R<VectorValue<'ctx>> {
        let nb = bits(t);
        match op {
            Operand::Reg(name) => {
                if let Some(r) = self.reg(name) {
                    let v = self.b.build_load(self.ivec(r.bits), r.ptr, "").e()?.into_vector_value();
                    if r.bits == 1 && nb != 1 {
                        return self.resize(v, nb, false);
                    }
                    return self.resize(v, nb, t.is_signed());
                }
                let v = self.special_reg(name)?;
                self.resize(v, nb, false)
            }
            Operand::NotReg(name) => {
                let v = self.val(&Operand::Reg(name.clone()), Type::Pred)?;
                Ok(self.b.build_not(v, "").e()?)
            }
            Operand::NegReg(name) => Err(format!("a negated register (-{name}) is only an operand of vmad")),
            Operand::Imm(c) => Ok(self.const_vec(c, t)?),
            Operand::Symbol(s) if self.reg(s).is_some() => self.val(&Operand::Reg(s.clone()), t),
            Operand::Symbol(s) => {
                let a = self.sym_addr(s)?;
                self.resize(a, nb, false)
            }
            Operand::SymbolOffset(s, off) => {
                let a = self.sym_addr(s)?;
                let a = self.b.build_int_add(a, self.splat_const(64, *off as u64), "").e()?;
                self.resize(a, nb, false)
            }
            Operand::Vector(elems) => {
                // `{a, b}` as one wide value (mov.b64 %rd, {%r1, %r2}).
                let n = elems.len() as u32;
                let eb = nb / n.max(1);
                let et = Type::from_name(&format!("b{eb}")).ok_or("bad vector operand width")?;
                let mut acc = self.ivec(nb).const_zero();
                for (k, e) in elems.iter().enumerate() {
                    let v = self.val(e, et)?;
                    let v = self.resize(v, nb, false)?;
                    let sh = self.b.build_left_shift(v, self.splat_const(nb, (k as u32 * eb) as u64), "").e()?;
                    acc = self.b.build_or(acc, sh, "").e()?;
                }
                Ok(acc)
            }
            other => Err(format!("unsupported source operand {other:?}")),
        }
    }

    fn const_vec(&self, c: &Constant, t: Type) -> R<VectorValue<'ctx>> {
        let nb = bits(t);
        let raw: u64 = match (c, t) {
            (Constant::Int(v), Type::F32) => (*v as f32).to_bits() as u64,
            (Constant::Int(v), Type::F64) => (*v as f64).to_bits(),
            (Constant::Int(v), _) => *v as u64,
            (Constant::F32Bits(b), Type::F64) => (f32::from_bits(*b) as f64).to_bits(),
            (Constant::F32Bits(b), _) => *b as u64,
            (Constant::F64Bits(b), Type::F32) => (f64::from_bits(*b) as f32).to_bits() as u64,
            (Constant::F64Bits(b), _) => *b,
            (Constant::Float(f), Type::F32) => (*f as f32).to_bits() as u64,
            (Constant::Float(f), Type::F64) => f.to_bits(),
            (Constant::Float(f), _) => *f as i64 as u64,
            (Constant::Symbol { .. }, _) => return Err("symbol constant in an instruction".into()),
        };
        let masked = if nb >= 64 { raw } else { raw & ((1u64 << nb) - 1) };
        Ok(self.splat_const(nb, masked))
    }

    fn special_reg(&mut self, name: &str) -> R<VectorValue<'ctx>> {
        let i32t = self.cx.i32_type();
        let comp = |s: &str| match s.rsplit('.').next() {
            Some("x") => 0u64,
            Some("y") => 1,
            Some("z") => 2,
            _ => 0,
        };
        let base = name.split('.').next().unwrap_or(name);
        let lane_consts = |f: &dyn Fn(u32) -> u32| -> VectorValue<'ctx> {
            let v: Vec<IntValue> = (0..W).map(|l| i32t.const_int(f(l) as u64, false)).collect();
            VectorType::const_vector(&v)
        };
        Ok(match base {
            "%tid" => {
                let table = self.ctx_load(runtime::CTX_TID, self.ptr_ty().into())?.into_pointer_value();
                let p = unsafe { self.b.build_gep(self.cx.i8_type(), table, &[self.i64c(comp(name) * 4 * W as u64)], "") }.e()?;
                let v = self.b.build_load(self.ivec(32), p, "tid").e()?;
                // The context is only 8-byte aligned: no aligned vector load.
                if let Some(i) = v.as_instruction_value() {
                    let _ = i.set_alignment(4);
                }
                v.into_vector_value()
            }
            "%ntid" | "%ctaid" | "%nctaid" => {
                let off = match base {
                    "%ntid" => runtime::CTX_NTID,
                    "%ctaid" => runtime::CTX_CTAID,
                    _ => runtime::CTX_NCTAID,
                } + comp(name) * 4;
                let v = self.ctx_load(off, i32t.into())?;
                self.splat(v)?
            }
            "%laneid" => self.iota(32),
            "%warpid" => {
                let v = self.ctx_load(runtime::CTX_WARP_ID, i32t.into())?;
                self.splat(v)?
            }
            "%nwarpid" => {
                let v = self.ctx_load(runtime::CTX_NWARPS, i32t.into())?;
                self.splat(v)?
            }
            "%lanemask_eq" => lane_consts(&|l| 1 << l),
            "%lanemask_lt" => lane_consts(&|l| (1u32 << l) - 1),
            "%lanemask_le" => lane_consts(&|l| ((1u64 << (l + 1)) - 1) as u32),
            "%lanemask_gt" => lane_consts(&|l| !(((1u64 << (l + 1)) - 1) as u32)),
            "%lanemask_ge" => lane_consts(&|l| !((1u32 << l) - 1)),
            "%clock" | "%clock64" | "%clock_hi" | "%globaltimer" | "%globaltimer_lo" | "%globaltimer_hi" => {
                let v = self.call_helper("cuemu_clock64", &[])?.unwrap().into_int_value();
                // %clock_hi is the upper half of %clock64 (PTX ISA 10.13), %globaltimer_hi of
                // %globaltimer.
                let v = if base == "%globaltimer_hi" || base == "%clock_hi" {
                    self.b.build_right_shift(v, self.i64c(32), false, "").e()?
                } else {
                    v
                };
                self.splat(v.into())?
            }
            "%dynamic_smem_size" => {
                let v = self.ctx_load(runtime::CTX_DYN_SHARED, i32t.into())?;
                self.splat(v)?
            }
            // Measured on the H100 with 1200 and 1100 bytes of static shared memory (golden
            // part h100-sweep): %total_smem_size 1280 and 1152 (the CTA's allocation, in
            // 128-byte units), %aggr_smem_size 2224 and 2124 (the bytes plus the 1 KiB the
            // driver reserves per CTA; dynamic shared memory is added to both, unmeasured),
            // the reserved region's offsets 0, 0x120 (end) and 0x400 (capacity): the window's
            // first 0x400 bytes, before the variables (`compile::SHARED_RESERVED`).
            "%total_smem_size" | "%aggr_smem_size" => {
                // The static variables' end without the layout's rounding to 16 (the H100's
                // aggregate with 1100 bytes of variables is 1100 + 1024).
                let mut decls: Vec<ir::VarDecl> = self.syms.shared_decls.values().cloned().collect();
                for f in self.ptx_funcs.values() {
                    super::collect_decls(f.body.as_deref().unwrap_or(&[]), ir::StateSpace::Shared, &mut decls);
                }
                let raw = decls
                    .iter()
                    .filter(|d| d.linkage != ir::Linkage::Extern && !d.dims.contains(&None))
                    .filter_map(|d| self.shared.offsets.get(d.name.as_str()).map(|off| off + d.size_bytes() - super::SHARED_RESERVED))
                    .max()
                    .unwrap_or(self.shared.static_size);
                let st = if base == "%total_smem_size" { self.shared.static_size } else { raw };
                let v = self.ctx_load(runtime::CTX_DYN_SHARED, i32t.into())?.into_int_value();
                let v = self.b.build_int_add(v, self.i32c(st), "").e()?;
                let v = if base == "%total_smem_size" {
                    let up = self.b.build_int_add(v, self.i32c(127), "").e()?;
                    self.b.build_and(up, self.i32c(!127u32 as u64), "").e()?
                } else {
                    self.b.build_int_add(v, self.i32c(1024), "").e()?
                };
                self.splat(v.into())?
            }
            "%reserved_smem_offset_end" => self.splat_const(32, 0x120),
            "%reserved_smem_offset_cap" => self.splat_const(32, 0x400),
            "%reserved_smem_offset_begin" | "%reserved_smem_offset_0" | "%reserved_smem_offset_1" => self.ivec(32).const_zero(),
            // Not a device graph launch (PTX ISA 10.36: 0 outside one); cuemu has no device-side
            // graph launches.
            "%current_graph_exec" => self.ivec(64).const_zero(),
            "%smid" | "%gridid" | "%pm0" | "%pm1" | "%pm2" | "%pm3" => self.ivec(32).const_zero(),
            "%nsmid" => self.splat_const(32, 1),
            "%is_explicit_cluster" | "%cluster_nctarank" | "%cluster_ctarank" | "%clusterid" | "%cluster_ctaid" | "%nclusterid"
            | "%cluster_nctaid" => self.cluster_special_reg(base, comp(name))?.ok_or("cluster register")?,
            // %envreg1:%envreg2 = the cooperative launch's grid workspace (high:low), read by
            // cooperative_groups::this_grid(); the others are 0 as on NVIDIA's driver.
            "%envreg1" | "%envreg2" => {
                let ws = self.ctx_load(runtime::CTX_GRID_WORKSPACE, self.cx.i64_type().into())?.into_int_value();
                let part = if base == "%envreg1" { self.b.build_right_shift(ws, self.i64c(32), false, "").e()? } else { ws };
                let v = self.b.build_int_truncate(part, i32t, "").e()?;
                self.splat(v.into())?
            }
            b if b.starts_with("%envreg") => self.ivec(32).const_zero(),
            _ => return Err(format!("unknown register {name}")),
        })
    }

    /// The address of a symbol in its own state space (host address for global/const/kernel
    /// params and functions; window offset for shared/local), as `<32 x i64>`.
    fn sym_addr(&mut self, s: &str) -> R<VectorValue<'ctx>> {
        if let Some(&off) = self.kparams.get(s) {
            let params = self.ctx_load(runtime::CTX_PARAMS, self.cx.i64_type().into())?.into_int_value();
            let a = self.b.build_int_add(params, self.i64c(off), "").e()?;
            return self.splat(a.into());
        }
        if let Some(&off) = self.local_offsets.get(s) {
            return Ok(self.splat_const(64, off));
        }
        if let Some(buf) = self.lane_bufs.get(s).copied() {
            // The address of a `.func` parameter (nvcc takes it for structs passed by value) is
            // a local-space address (PTX ISA 5.1.6.4): each lane's copy, relative to its local
            // window, so `cvta.local` and `ld.local` reach that lane's bytes.
            let p = self.b.build_ptr_to_int(buf.ptr, self.cx.i64_type(), "").e()?;
            let pv = self.splat(p.into())?;
            let lane = self.b.build_int_mul(self.iota(64), self.splat_const(64, buf.size), "").e()?;
            let host = self.b.build_int_add(pv, lane, "").e()?;
            return self.b.build_int_sub(host, self.local_base.unwrap(), "").e();
        }
        if let Some(&off) = self.shared.offsets.get(s) {
            return Ok(self.splat_const(64, off));
        }
        if let Some(&a) = self.syms.globals.get(s) {
            return Ok(self.splat_const(64, a));
        }
        if s == "WARP_SZ" {
            return Ok(self.splat_const(64, 32));
        }
        if let Some(&tok) = self.syms.func_tokens.get(s) {
            // A function pointer (see compile::FUNC_TOKEN_BASE).
            return Ok(self.splat_const(64, tok));
        }
        Err(format!("unknown symbol {s}"))
    }

    fn is_shared_sym(&self, s: &str) -> bool {
        self.shared.offsets.contains_key(s)
    }

    // ----- memory -----

    fn addr(&mut self, op: &Operand, space: Space) -> R<Addr<'ctx>> {
        let Operand::Address { base, offset } = op else {
            return Err(format!("expected a memory operand, found {op:?}"));
        };
        let off = *offset as u64;
        if let AddrBase::Symbol(s) = base {
            if let Some(buf) = self.lane_bufs.get(s.as_str()).copied() {
                let b = self.b.build_ptr_to_int(buf.ptr, self.cx.i64_type(), "").e()?;
                let b = self.b.build_int_add(b, self.i64c(off), "").e()?;
                let lane = self.b.build_int_mul(self.iota(64), self.splat_const(64, buf.size), "").e()?;
                let bv = self.splat(b.into())?;
                return Ok(Addr::Lanes(self.b.build_int_add(bv, lane, "").e()?));
            }
            if let Some(&koff) = self.kparams.get(s.as_str()) {
                let params = self.ctx_load(runtime::CTX_PARAMS, self.cx.i64_type().into())?.into_int_value();
                return Ok(Addr::Uniform(self.b.build_int_add(params, self.i64c(koff + off), "").e()?));
            }
            if let Some(&a) = self.syms.globals.get(s.as_str()) {
                return Ok(Addr::Uniform(self.i64c(a.wrapping_add(off))));
            }
        }
        let basev = match base {
            AddrBase::Reg(r) => self.val(&Operand::Reg(r.clone()), Type::U64)?,
            AddrBase::Symbol(s) => self.sym_addr(s)?,
            AddrBase::Imm(v) => self.splat_const(64, *v as u64),
        };
        let a = self.b.build_int_add(basev, self.splat_const(64, off), "").e()?;
        // Window spaces: a symbol of the window names its own space even in a generic access.
        let space = match (space, base) {
            (Space::Generic, AddrBase::Symbol(s)) if self.is_shared_sym(s) => Space::Shared,
            (Space::Generic, AddrBase::Symbol(s)) if self.local_offsets.contains_key(s.as_str()) => Space::Local,
            _ => space,
        };
        Ok(Addr::Lanes(self.window(a, space, true)?))
    }

    /// Window offset → host address (`to_host`) or back.
    fn window(&mut self, a: VectorValue<'ctx>, space: Space, to_host: bool) -> R<VectorValue<'ctx>> {
        if space == Space::SharedCluster {
            return if to_host { self.shared_cluster_to_host(a) } else { self.host_to_shared_cluster(a) };
        }
        let base = match space {
            Space::Shared => {
                // Shared addresses are 32-bit offsets.
                let s = self.ctx_load(runtime::CTX_SHARED, self.cx.i64_type().into())?;
                Some(self.splat(s)?)
            }
            Space::Local => Some(self.local_base.unwrap()),
            _ => None,
        };
        Ok(match base {
            None => a,
            Some(b) if to_host => {
                let a = if space == Space::Shared {
                    let t = self.resize(a, 32, false)?;
                    self.resize(t, 64, false)?
                } else {
                    a
                };
                self.b.build_int_add(b, a, "").e()?
            }
            Some(b) => self.b.build_int_sub(a, b, "").e()?,
        })
    }

    fn ptr_vec(&self, a: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        Ok(self.b.build_int_to_ptr(a, self.ptr_ty().vec_type(W), "").e()?)
    }

    fn offset_addr(&self, a: &Addr<'ctx>, by: u64) -> R<Addr<'ctx>> {
        if by == 0 {
            return Ok(match a {
                Addr::Uniform(u) => Addr::Uniform(*u),
                Addr::Lanes(v) => Addr::Lanes(*v),
            });
        }
        Ok(match a {
            Addr::Uniform(u) => Addr::Uniform(self.b.build_int_add(*u, self.i64c(by), "").e()?),
            Addr::Lanes(v) => Addr::Lanes(self.b.build_int_add(*v, self.splat_const(64, by), "").e()?),
        })
    }

    /// Each active lane's `bits`-wide access (64 or 128) as one single-copy atomic load, in lane
    /// order (see [`whole_access`]); inactive lanes read 0.
    fn load_lanes_whole(&mut self, a: &Addr<'ctx>, bits: u32) -> R<VectorValue<'ctx>> {
        let buf = self.scratch_of(bits)?;
        self.b.build_store(buf, self.ivec(bits).const_zero()).e()?;
        self.each_active_lane(a, |fx, lane, p| {
            let it = fx.int_ty(bits);
            let v = fx.b.build_load(it, p, "").e()?;
            if let Some(ins) = v.as_instruction_value() {
                let _ = ins.set_alignment(bits / 8);
                let _ = ins.set_atomic_ordering(inkwell::AtomicOrdering::Monotonic);
            }
            let slot = unsafe { fx.b.build_in_bounds_gep(it, buf, &[lane], "").e()? };
            fx.b.build_store(slot, v).e()?;
            Ok(())
        })?;
        Ok(self.b.build_load(self.ivec(bits), buf, "").e()?.into_vector_value())
    }

    /// The store twin of [`Self::load_lanes_whole`]: `v` holds each lane's whole access.
    fn store_lanes_whole(&mut self, a: &Addr<'ctx>, v: VectorValue<'ctx>) -> R<()> {
        let bits = v.get_type().get_element_type().into_int_type().get_bit_width();
        let buf = self.scratch_of(bits)?;
        self.b.build_store(buf, v).e()?;
        self.each_active_lane(a, |fx, lane, p| {
            let it = fx.int_ty(bits);
            let slot = unsafe { fx.b.build_in_bounds_gep(it, buf, &[lane], "").e()? };
            let x = fx.b.build_load(it, slot, "").e()?;
            let st = fx.b.build_store(p, x).e()?;
            let _ = st.set_alignment(bits / 8);
            let _ = st.set_atomic_ordering(inkwell::AtomicOrdering::Monotonic);
            Ok(())
        })
    }

    /// A loop over the lanes of the effective mask, lowest first: `body(lane index, lane's
    /// address as a pointer)`.
    fn each_active_lane(
        &mut self,
        a: &Addr<'ctx>,
        body: impl FnOnce(&mut Self, IntValue<'ctx>, inkwell::values::PointerValue<'ctx>) -> R<()>,
    ) -> R<()> {
        let av = match a {
            Addr::Lanes(v) => *v,
            Addr::Uniform(u) => self.splat((*u).into())?,
        };
        let m = self.mask_bits(self.emask())?;
        let fv = self.func.unwrap();
        let pre = self.b.get_insert_block().unwrap();
        let head = self.cx.append_basic_block(fv, "lane_head");
        let run = self.cx.append_basic_block(fv, "lane_access");
        let next = self.cx.append_basic_block(fv, "lane_next");
        let done = self.cx.append_basic_block(fv, "lane_done");
        self.b.build_unconditional_branch(head).e()?;
        self.b.position_at_end(head);
        let i32t = self.cx.i32_type();
        let lane = self.b.build_phi(i32t, "lane").e()?;
        let li = lane.as_basic_value().into_int_value();
        let bit = self.b.build_right_shift(m, li, false, "").e()?;
        let bit = self.b.build_and(bit, self.i32c(1), "").e()?;
        let on = self.b.build_int_compare(IntPredicate::NE, bit, self.i32c(0), "").e()?;
        self.b.build_conditional_branch(on, run, next).e()?;
        self.b.position_at_end(run);
        let p = self.b.build_extract_element(av, li, "").e()?.into_int_value();
        let p = self.b.build_int_to_ptr(p, self.ptr_ty(), "").e()?;
        body(self, li, p)?;
        self.b.build_unconditional_branch(next).e()?;
        self.b.position_at_end(next);
        let l1 = self.b.build_int_add(li, self.i32c(1), "").e()?;
        let more = self.b.build_int_compare(IntPredicate::ULT, l1, self.i32c(W as u64), "").e()?;
        self.b.build_conditional_branch(more, head, done).e()?;
        lane.add_incoming(&[(&self.i32c(0), pre), (&l1, next)]);
        self.b.position_at_end(done);
        Ok(())
    }

    /// A vector load (`.v2`/`.v4`/`.v8`) of `n` elements of `nb` bits per lane. When the lanes'
    /// vectors lie back to back (lane l at a[0] + l × the vector's size: a float4 load of
    /// consecutive elements) one wide load of the warp's 32 × n elements, split into the
    /// element registers by shuffles; otherwise a gather per element. (Element by element,
    /// float2 and float4 loads were gathers and ran a triad about 8 times slower than floats.)
    fn load_vector_lanes(&mut self, av: VectorValue<'ctx>, n: u32, nb: u32) -> R<Vec<VectorValue<'ctx>>> {
        let (vt, wide) = (self.ivec(nb), self.int_ty(nb).vec_type(W as u32 * n));
        let align = nb / 8;
        let fv = self.func.unwrap();
        let fast = self.cx.append_basic_block(fv, "ldv_coalesced");
        let full = self.cx.append_basic_block(fv, "ldv_full");
        let partial = self.cx.append_basic_block(fv, "ldv_partial");
        let split = self.cx.append_basic_block(fv, "ldv_split");
        let slow = self.cx.append_basic_block(fv, "ldv_gather");
        let join = self.cx.append_basic_block(fv, "ldv_join");
        let p0 = self.branch_coalesced(av, (n * nb / 8) as u64, fast, slow)?;
        self.branch_full_warp(full, partial)?;
        self.b.position_at_end(full);
        let w0 = self.b.build_load(wide, p0, "").e()?;
        if let Some(ins) = w0.as_instruction_value() {
            let _ = ins.set_alignment(align);
        }
        self.b.build_unconditional_branch(split).e()?;
        self.b.position_at_end(partial);
        let wmask = self.lane_pattern(self.emask(), n, |j| j / n)?;
        let w1 = self.call_intr(
            "llvm.masked.load",
            &[wide.into(), self.ptr_ty().into()],
            &[p0.into(), self.i32c(align as u64).into(), wmask.into(), wide.get_poison().into()],
        )?;
        self.b.build_unconditional_branch(split).e()?;
        self.b.position_at_end(split);
        let w = self.b.build_phi(wide, "").e()?;
        w.add_incoming(&[(&w0, full), (&w1, partial)]);
        let w = w.as_basic_value().into_vector_value();
        let mut fast_elems = Vec::with_capacity(n as usize);
        for k in 0..n {
            fast_elems.push(self.b.build_shuffle_vector(w, w, self.index_vector(W as u32, |l| l * n + k), "").e()?);
        }
        self.b.build_unconditional_branch(join).e()?;
        self.b.position_at_end(slow);
        let mut slow_elems = Vec::with_capacity(n as usize);
        for k in 0..n {
            let ak = self.b.build_int_add(av, self.splat_const(64, (k * nb / 8) as u64), "").e()?;
            let pk = self.ptr_vec(ak)?;
            slow_elems.push(
                self.call_intr(
                    "llvm.masked.gather",
                    &[vt.into(), self.ptr_ty().vec_type(W).into()],
                    &[pk.into(), self.i32c(align as u64).into(), self.emask().into(), vt.get_poison().into()],
                )?
                .into_vector_value(),
            );
        }
        let slow_end = self.b.get_insert_block().unwrap();
        self.b.build_unconditional_branch(join).e()?;
        self.b.position_at_end(join);
        let mut out = Vec::with_capacity(n as usize);
        for (f, g) in fast_elems.iter().zip(&slow_elems) {
            let phi = self.b.build_phi(vt, "").e()?;
            phi.add_incoming(&[(f, split), (g, slow_end)]);
            out.push(phi.as_basic_value().into_vector_value());
        }
        Ok(out)
    }

    /// The store twin of [`Self::load_vector_lanes`]: `elems` are the vector's element
    /// registers; back-to-back vectors are interleaved by shuffles and stored with one wide
    /// (masked) store, others scattered element by element.
    fn store_vector_lanes(&mut self, av: VectorValue<'ctx>, elems: &[VectorValue<'ctx>]) -> R<()> {
        let n = elems.len() as u32;
        let nb = elems[0].get_type().get_element_type().into_int_type().get_bit_width();
        let (vt, align) = (self.ivec(nb), nb / 8);
        let fv = self.func.unwrap();
        let fast = self.cx.append_basic_block(fv, "stv_coalesced");
        let full = self.cx.append_basic_block(fv, "stv_full");
        let partial = self.cx.append_basic_block(fv, "stv_partial");
        let slow = self.cx.append_basic_block(fv, "stv_scatter");
        let join = self.cx.append_basic_block(fv, "stv_join");
        let p0 = self.branch_coalesced(av, (n * nb / 8) as u64, fast, slow)?;
        // concatenate the elements (e0 ++ e1 ++ …), then interleave: slot l × n + k is lane l's
        // element k, found at k × 32 + l of the concatenation
        let mut cat: Vec<VectorValue<'ctx>> = elems.to_vec();
        while cat.len() > 1 {
            let len = cat[0].get_type().get_size();
            let mut next = Vec::with_capacity(cat.len() / 2);
            for pair in cat.chunks(2) {
                next.push(self.b.build_shuffle_vector(pair[0], pair[1], self.index_vector(2 * len, |j| j), "").e()?);
            }
            cat = next;
        }
        let wide = self.b.build_shuffle_vector(cat[0], cat[0], self.index_vector(W as u32 * n, |j| (j % n) * W as u32 + j / n), "").e()?;
        self.branch_full_warp(full, partial)?;
        self.b.position_at_end(full);
        let st = self.b.build_store(p0, wide).e()?;
        let _ = st.set_alignment(align);
        self.b.build_unconditional_branch(join).e()?;
        self.b.position_at_end(partial);
        let wmask = self.lane_pattern(self.emask(), n, |j| j / n)?;
        self.call_intr_void(
            "llvm.masked.store",
            &[wide.get_type().into(), self.ptr_ty().into()],
            &[wide.into(), p0.into(), self.i32c(align as u64).into(), wmask.into()],
        )?;
        self.b.build_unconditional_branch(join).e()?;
        self.b.position_at_end(slow);
        for (k, e) in elems.iter().enumerate() {
            let ak = self.b.build_int_add(av, self.splat_const(64, (k as u32 * nb / 8) as u64), "").e()?;
            let pk = self.ptr_vec(ak)?;
            self.call_intr_void(
                "llvm.masked.scatter",
                &[vt.into(), self.ptr_ty().vec_type(W).into()],
                &[(*e).into(), pk.into(), self.i32c(align as u64).into(), self.emask().into()],
            )?;
        }
        self.b.build_unconditional_branch(join).e()?;
        self.b.position_at_end(join);
        Ok(())
    }

    /// Branches to `fast` when the lanes' addresses are back to back at `size` bytes, else to
    /// `slow`, and continues in `fast`, where it returns lane 0's address.
    fn branch_coalesced(
        &mut self,
        av: VectorValue<'ctx>,
        size: u64,
        fast: inkwell::basic_block::BasicBlock<'ctx>,
        slow: inkwell::basic_block::BasicBlock<'ctx>,
    ) -> R<inkwell::values::PointerValue<'ctx>> {
        let c = self.consecutive(av, size)?;
        self.b.build_conditional_branch(c, fast, slow).e()?;
        self.b.position_at_end(fast);
        let p0 = self.b.build_extract_element(av, self.i32c(0), "").e()?.into_int_value();
        Ok(self.b.build_int_to_ptr(p0, self.ptr_ty(), "").e()?)
    }

    /// Branches to `full` when every lane of the warp is active, else to `partial`: a full warp
    /// takes a plain access, since masked stores are much slower on some cores (AMD Zen 4
    /// microcodes them) and full warps are the common case.
    fn branch_full_warp(&mut self, full: inkwell::basic_block::BasicBlock<'ctx>, partial: inkwell::basic_block::BasicBlock<'ctx>) -> R<()> {
        let mb = self.mask_bits(self.emask())?;
        let is_full = self.b.build_int_compare(IntPredicate::EQ, mb, self.i32c(u32::MAX as u64), "").e()?;
        self.b.build_conditional_branch(is_full, full, partial).e()?;
        Ok(())
    }

    /// A constant shuffle mask of `len` lanes: `f(j)` for each j.
    fn index_vector(&self, len: u32, f: impl Fn(u32) -> u32) -> VectorValue<'ctx> {
        let i32t = self.cx.i32_type();
        let v: Vec<IntValue> = (0..len).map(|j| i32t.const_int(f(j) as u64, false)).collect();
        VectorType::const_vector(&v)
    }

    /// The 32-lane mask `m` widened to 32 × n lanes, slot j taking lane `f(j)`'s bit.
    fn lane_pattern(&self, m: VectorValue<'ctx>, n: u32, f: impl Fn(u32) -> u32) -> R<VectorValue<'ctx>> {
        Ok(self.b.build_shuffle_vector(m, m, self.index_vector(W as u32 * n, f), "").e()?)
    }

    /// `true` when the lanes' addresses are `a[0] + lane * size` (a coalesced access).
    fn consecutive(&self, a: VectorValue<'ctx>, size: u64) -> R<IntValue<'ctx>> {
        let p0 = self.b.build_extract_element(a, self.i32c(0), "").e()?;
        let base = self.splat(p0)?;
        let lane = self.b.build_int_mul(self.iota(64), self.splat_const(64, size), "").e()?;
        let expect = self.b.build_int_add(base, lane, "").e()?;
        let eq = self.b.build_int_compare(IntPredicate::EQ, a, expect, "").e()?;
        Ok(self.call_intr("llvm.vector.reduce.and", &[self.ivec(1).into()], &[eq.into()])?.into_int_value())
    }

    fn load_elem(&mut self, a: &Addr<'ctx>, nb: u32) -> R<VectorValue<'ctx>> {
        let it = self.int_ty(nb);
        let vt = self.ivec(nb);
        let align = (nb / 8).max(1);
        match a {
            Addr::Uniform(u) => {
                let p = self.b.build_int_to_ptr(*u, self.ptr_ty(), "").e()?;
                let v = self.b.build_load(it, p, "").e()?;
                if let Some(i) = v.as_instruction_value() {
                    let _ = i.set_alignment(1);
                }
                self.splat(v)
            }
            Addr::Lanes(av) => {
                let fv = self.func.unwrap();
                let fast = self.cx.append_basic_block(fv, "ld_coalesced");
                let slow = self.cx.append_basic_block(fv, "ld_gather");
                let join = self.cx.append_basic_block(fv, "ld_join");
                let full = self.cx.append_basic_block(fv, "ld_full");
                let partial = self.cx.append_basic_block(fv, "ld_partial");
                let p0 = self.branch_coalesced(*av, (nb / 8) as u64, fast, slow)?;
                self.branch_full_warp(full, partial)?;
                self.b.position_at_end(full);
                let v0 = self.b.build_load(vt, p0, "").e()?;
                if let Some(i) = v0.as_instruction_value() {
                    let _ = i.set_alignment(align);
                }
                self.b.build_unconditional_branch(join).e()?;
                self.b.position_at_end(partial);
                let v1 = self.call_intr(
                    "llvm.masked.load",
                    &[vt.into(), self.ptr_ty().into()],
                    &[p0.into(), self.i32c(align as u64).into(), self.emask().into(), vt.get_poison().into()],
                )?;
                let fast_end = self.b.get_insert_block().unwrap();
                self.b.build_unconditional_branch(join).e()?;
                self.b.position_at_end(slow);
                let ptrs = self.ptr_vec(*av)?;
                let v2 = self.call_intr(
                    "llvm.masked.gather",
                    &[vt.into(), self.ptr_ty().vec_type(W).into()],
                    &[ptrs.into(), self.i32c(align as u64).into(), self.emask().into(), vt.get_poison().into()],
                )?;
                let slow_end = self.b.get_insert_block().unwrap();
                self.b.build_unconditional_branch(join).e()?;
                self.b.position_at_end(join);
                let phi = self.b.build_phi(vt, "").e()?;
                phi.add_incoming(&[(&v0, full), (&v1, fast_end), (&v2, slow_end)]);
                Ok(phi.as_basic_value().into_vector_value())
            }
        }
    }

    fn store_elem(&mut self, a: &Addr<'ctx>, v: VectorValue<'ctx>) -> R<()> {
        let nb = v.get_type().get_element_type().into_int_type().get_bit_width();
        let vt = self.ivec(nb);
        let align = (nb / 8).max(1);
        let av = match a {
            Addr::Lanes(av) => *av,
            Addr::Uniform(u) => self.splat((*u).into())?,
        };
        let fv = self.func.unwrap();
        let fast = self.cx.append_basic_block(fv, "st_coalesced");
        let slow = self.cx.append_basic_block(fv, "st_scatter");
        let join = self.cx.append_basic_block(fv, "st_join");
        let full = self.cx.append_basic_block(fv, "st_full");
        let partial = self.cx.append_basic_block(fv, "st_partial");
        let p0 = self.branch_coalesced(av, (nb / 8) as u64, fast, slow)?;
        self.branch_full_warp(full, partial)?;
        self.b.position_at_end(full);
        let st = self.b.build_store(p0, v).e()?;
        let _ = st.set_alignment(align);
        self.b.build_unconditional_branch(join).e()?;
        self.b.position_at_end(partial);
        self.call_intr_void(
            "llvm.masked.store",
            &[vt.into(), self.ptr_ty().into()],
            &[v.into(), p0.into(), self.i32c(align as u64).into(), self.emask().into()],
        )?;
        self.b.build_unconditional_branch(join).e()?;
        self.b.position_at_end(slow);
        let ptrs = self.ptr_vec(av)?;
        self.call_intr_void(
            "llvm.masked.scatter",
            &[vt.into(), self.ptr_ty().vec_type(W).into()],
            &[v.into(), ptrs.into(), self.i32c(align as u64).into(), self.emask().into()],
        )?;
        self.b.build_unconditional_branch(join).e()?;
        self.b.position_at_end(join);
        Ok(())
    }

    fn dest_elems(op: &Operand) -> Vec<Option<&str>> {
        match op {
            Operand::Reg(r) => vec![Some(r.as_str())],
            Operand::Vector(v) => v
                .iter()
                .map(|o| match o {
                    Operand::Reg(r) => Some(r.as_str()),
                    _ => None,
                })
                .collect(),
            _ => vec![None],
        }
    }

    fn lower_ld(&mut self, i: &ir::Instruction) -> R<()> {
        let t = self.last_type(i)?;
        let n = vec_count(i);
        let a = self.addr(&i.operands[1], space_of(i))?;
        let dests = Self::dest_elems(&i.operands[0]);
        if dests.len() as u32 != n {
            return Err("vector operand count does not match".into());
        }
        let nb = bits(t).max(8);
        if let Some(total) = whole_access(i, n, nb) {
            let v = self.load_lanes_whole(&a, total)?;
            for (k, d) in dests.iter().enumerate() {
                if let Some(d) = d {
                    let e = self.b.build_right_shift(v, self.splat_const(total, k as u64 * nb as u64), false, "").e()?;
                    let e = self.b.build_int_truncate(e, self.ivec(nb), "").e()?;
                    self.write_reg(d, e, t.is_signed())?;
                }
            }
            return Ok(());
        }
        if let (true, Addr::Lanes(av)) = (n > 1, &a) {
            let elems = self.load_vector_lanes(*av, n, nb)?;
            for (d, v) in dests.iter().zip(elems) {
                if let Some(d) = d {
                    self.write_reg(d, v, t.is_signed())?;
                }
            }
            return Ok(());
        }
        for (k, d) in dests.iter().enumerate() {
            let ak = self.offset_addr(&a, k as u64 * (nb / 8) as u64)?;
            let v = self.load_elem(&ak, nb)?;
            if let Some(d) = d {
                self.write_reg(d, v, t.is_signed())?;
            }
        }
        Ok(())
    }

    fn lower_st(&mut self, i: &ir::Instruction) -> R<()> {
        let t = self.last_type(i)?;
        let n = vec_count(i);
        let a = self.addr(&i.operands[0], space_of(i))?;
        let srcs: Vec<Operand> = match &i.operands[1] {
            Operand::Vector(v) => v.clone(),
            o => vec![o.clone()],
        };
        if srcs.len() as u32 != n {
            return Err("vector operand count does not match".into());
        }
        let nb = bits(t).max(8);
        let st = Type::from_name(&format!("b{nb}")).unwrap();
        if let Some(total) = whole_access(i, n, nb) {
            let mut whole = self.ivec(total).const_zero();
            for (k, s) in srcs.iter().enumerate() {
                let v = self.val(s, st)?;
                let v = self.resize(v, total, false)?;
                let v = self.b.build_left_shift(v, self.splat_const(total, k as u64 * nb as u64), "").e()?;
                whole = self.b.build_or(whole, v, "").e()?;
            }
            return self.store_lanes_whole(&a, whole);
        }
        if let (true, Addr::Lanes(av)) = (n > 1 && !i.has("async"), &a) {
            let mut elems = Vec::with_capacity(n as usize);
            for s in &srcs {
                elems.push(self.val(s, st)?);
            }
            return self.store_vector_lanes(*av, &elems);
        }
        for (k, s) in srcs.iter().enumerate() {
            let v = self.val(s, st)?;
            let ak = self.offset_addr(&a, k as u64 * (nb / 8) as u64)?;
            self.store_elem(&ak, v)?;
        }
        if i.has("async") {
            self.async_complete_tx(i, n as u64 * (nb / 8) as u64)?;
        }
        Ok(())
    }

    /// Host addresses of a memory operand, one per lane.
    pub(super) fn addr_lanes(&mut self, op: &Operand, space: Space) -> R<VectorValue<'ctx>> {
        match self.addr(op, space)? {
            Addr::Lanes(v) => Ok(v),
            Addr::Uniform(u) => self.splat(u.into()),
        }
    }

    /// A scratch array of 32 × i64 in the entry block (helper-call marshalling).
    pub(super) fn scratch(&self) -> R<inkwell::values::PointerValue<'ctx>> {
        self.scratch_of(64)
    }

    /// A scratch slot for one `bits`-wide lane vector (`scratch` is the 64-bit one).
    fn scratch_of(&self, bits: u32) -> R<inkwell::values::PointerValue<'ctx>> {
        let entry = self.func.unwrap().get_first_basic_block().unwrap();
        let tmp = self.cx.create_builder();
        match entry.get_first_instruction() {
            Some(i) => tmp.position_before(&i),
            None => tmp.position_at_end(entry),
        }
        tmp.build_alloca(self.ivec(bits), "scratch").e()
    }

    fn lower_atom(&mut self, i: &ir::Instruction, has_dest: bool) -> R<()> {
        let t = self.last_type(i)?;
        let op = ["add", "min", "max", "inc", "dec", "and", "or", "xor", "exch", "cas"]
            .iter()
            .position(|o| i.has(o))
            .ok_or("unknown atomic operation")? as u32;
        if t == Type::B128 {
            return self.lower_atom128(i, op, has_dest);
        }
        let ty = match t {
            Type::U32 | Type::B32 => atom::T_U32,
            Type::S32 => atom::T_S32,
            Type::U64 | Type::B64 => atom::T_U64,
            Type::S64 => atom::T_S64,
            Type::F32 => atom::T_F32,
            Type::F64 => atom::T_F64,
            // PTX ISA 9.7.13.5: 16-bit cas/exch, f16/bf16 (x2) add/min/max
            Type::B16 | Type::U16 if op == atom::CAS || op == atom::EXCH => atom::T_B16,
            Type::F16 => atom::T_F16,
            Type::F16x2 => atom::T_F16X2,
            Type::BF16 => atom::T_BF16,
            Type::BF16x2 => atom::T_BF16X2,
            other => return Err(format!("atomic on {} not supported yet", other.name())),
        };
        let space = match space_of(i) {
            Space::Global => atom::SPACE_GLOBAL,
            Space::Shared | Space::SharedCluster => atom::SPACE_SHARED,
            _ => atom::SPACE_GENERIC,
        };
        // red.async (sm_90): the mbarrier that completes its bytes comes last.
        let ops = &i.operands[if has_dest { 1 } else { 0 }..i.operands.len() - i.has("async") as usize];
        let a = self.addr(&ops[0], space_of(i))?;
        let av = match a {
            Addr::Lanes(v) => v,
            Addr::Uniform(u) => self.splat(u.into())?,
        };
        // `.v2`/`.v4`/`.v8` (sm_90: f32, f16/bf16 and their pairs in global memory): one atomic
        // per element at consecutive addresses — atomic per element, not as a whole (PTX ISA
        // 9.7.13.5).
        let single = |o: &Operand| match o {
            Operand::Vector(v) => v.clone(),
            o => vec![o.clone()],
        };
        let (xs, ds) = (single(&ops[1]), if has_dest { single(&i.operands[0]) } else { Vec::new() });
        let m = self.mask_bits(self.emask())?;
        let y = if ops.len() > 2 {
            let y = self.val(&ops[2], t)?;
            self.resize(y, 64, false)?
        } else {
            self.ivec(64).const_zero()
        };
        let (pa, px, py, pout) = (self.scratch()?, self.scratch()?, self.scratch()?, self.scratch()?);
        self.b.build_store(py, y).e()?;
        for (k, xk) in xs.iter().enumerate() {
            let ak = self.b.build_int_add(av, self.splat_const(64, k as u64 * t.size() as u64), "").e()?;
            let x = self.val(xk, t)?;
            let x = self.resize(x, 64, false)?;
            self.b.build_store(pa, ak).e()?;
            self.b.build_store(px, x).e()?;
            let args = [self.ctx().into(), self.i32c(op as u64).into(), self.i32c(ty as u64).into(), self.i32c(space as u64).into()];
            self.call_helper("cuemu_atomic_at", &[&args[..], &[pa.into(), px.into(), py.into(), m.into(), pout.into()]].concat())?;
            if let Some(Operand::Reg(d)) = ds.get(k) {
                let out = self.b.build_load(self.ivec(64), pout, "").e()?.into_vector_value();
                let d = d.clone();
                self.write_reg(&d, out, false)?;
            }
        }
        if i.has("async") {
            self.async_complete_tx(i, t.size() as u64)?;
        }
        Ok(())
    }

    /// `atom.cas.b128` / `atom.exch.b128` (sm_90): 128-bit registers go to the run time whole.
    fn lower_atom128(&mut self, i: &ir::Instruction, op: u32, has_dest: bool) -> R<()> {
        if op != atom::CAS && op != atom::EXCH {
            return Err("atom on b128 is cas or exch only".into());
        }
        let ops = &i.operands[if has_dest { 1 } else { 0 }..];
        let av = match self.addr(&ops[0], space_of(i))? {
            Addr::Lanes(v) => v,
            Addr::Uniform(u) => self.splat(u.into())?,
        };
        let pa = self.scratch()?;
        self.b.build_store(pa, av).e()?;
        let (px, py, pout) = (self.scratch_of(128)?, self.scratch_of(128)?, self.scratch_of(128)?);
        let x = self.val(&ops[1], Type::B128)?;
        self.b.build_store(px, x).e()?;
        let y = if ops.len() > 2 { self.val(&ops[2], Type::B128)? } else { self.ivec(128).const_zero() };
        self.b.build_store(py, y).e()?;
        let m = self.mask_bits(self.emask())?;
        self.call_helper("cuemu_atomic128", &[self.i32c(op as u64).into(), pa.into(), px.into(), py.into(), m.into(), pout.into()])?;
        if has_dest {
            if let Operand::Reg(d) = &i.operands[0] {
                let out = self.b.build_load(self.ivec(128), pout, "").e()?.into_vector_value();
                let d = d.clone();
                self.write_reg(&d, out, false)?;
            }
        }
        Ok(())
    }

    // ----- the dispatcher of instructions -----

    pub fn lower_instr(&mut self, i: &ir::Instruction) -> R<()> {
        // Effective mask: running mask ∧ guard predicate.
        let m = self.mask()?;
        self.cur_guarded = i.guard.is_some();
        self.emask = Some(match &i.guard {
            None => m,
            Some(g) => {
                let p = self.val(&Operand::Reg(g.reg.clone()), Type::Pred)?;
                let p = if g.negated { self.b.build_not(p, "").e()? } else { p };
                self.b.build_and(m, p, "emask").e()?
            }
        });
        let op = i.opcode.as_str();
        match op {
            "bra" => {
                let Some(Operand::Symbol(l)) = i.operands.first() else {
                    return Err("bra needs a label".into());
                };
                let t = self.label_block(l)?;
                let next = self.next_block();
                match &i.guard {
                    None => self.goto(t),
                    Some(g) => {
                        let p = self.val(&Operand::Reg(g.reg.clone()), Type::Pred)?;
                        let p = if g.negated { self.b.build_not(p, "").e()? } else { p };
                        self.cond_goto(p, t, next)
                    }
                }
            }
            "ret" | "exit" => {
                let next = self.next_block();
                match &i.guard {
                    None => self.goto(EXIT_PC),
                    Some(g) => {
                        let p = self.val(&Operand::Reg(g.reg.clone()), Type::Pred)?;
                        let p = if g.negated { self.b.build_not(p, "").e()? } else { p };
                        self.cond_goto(p, EXIT_PC, next)
                    }
                }
            }
            "mov" => self.lower_mov(i),
            // Polls end their block; the block's end counts them (func.rs `spin_point`).
            "ld" | "ldu" => self.lower_ld(i),
            "st" => self.lower_st(i),
            "atom" => self.lower_atom(i, true),
            "red" => self.lower_atom(i, false),
            "multimem" => self.lower_multimem(i),
            "cvta" => self.lower_cvta(i),
            "cvt" => self.lower_cvt(i),
            "setp" => self.lower_setp(i),
            "set" => self.lower_set(i),
            "selp" => {
                let t = self.last_type(i)?;
                let a = self.val(&i.operands[1], t)?;
                let b = self.val(&i.operands[2], t)?;
                let p = self.val(&i.operands[3], Type::Pred)?;
                let r = self.b.build_select(p, a, b, "").e()?.into_vector_value();
                self.write_dst(i, r, t)
            }
            "bar" | "barrier" => self.lower_bar(i),
            "membar" | "fence" => {
                self.b.build_fence(inkwell::AtomicOrdering::SequentiallyConsistent, false, "").e()?;
                Ok(())
            }
            "shfl" => self.lower_shfl(i),
            "vote" => self.lower_vote(i),
            "activemask" => {
                let bitsv = self.mask_bits(self.mask()?)?;
                let v = self.splat(bitsv.into())?;
                self.write_dst(i, v, Type::B32)
            }
            "redux" => self.lower_redux(i),
            "match" => self.lower_match(i),
            "elect" => self.lower_elect(i),
            "mapa" => self.lower_mapa(i),
            "getctarank" => self.lower_getctarank(i),
            "isspacep" => self.lower_isspacep(i),
            "ldmatrix" => self.lower_ldmatrix(i),
            "stmatrix" => self.lower_stmatrix(i),
            "movmatrix" => self.lower_movmatrix(i),
            "mma" => self.lower_mma(i),
            "tex" | "tld4" => self.lower_tex(i),
            "txq" | "suq" => self.lower_txq(i),
            "suld" | "sust" => self.lower_surface(i),
            "sured" => self.lower_sured(i),
            "wmma" => self.lower_wmma(i),
            "call" => self.lower_call(i),
            "cp" | "cp.async" => self.lower_cp(i),
            "tensormap" => self.lower_tensormap(i),
            "mbarrier" => self.lower_mbarrier(i),
            "brx" => self.lower_brx(i),
            "alloca" | "stacksave" | "stackrestore" => self.lower_dynamic_stack(i),
            "vadd" | "vsub" | "vabsdiff" | "vmin" | "vmax" | "vshl" | "vshr" | "vmad" | "vset" | "vadd2" | "vsub2" | "vavrg2"
            | "vabsdiff2" | "vmin2" | "vmax2" | "vset2" | "vadd4" | "vsub4" | "vavrg4" | "vabsdiff4" | "vmin4" | "vmax4" | "vset4" => {
                self.lower_video(i)
            }
            "trap" => {
                self.call_helper("cuemu_trap", &[self.ctx().into(), self.i32c(0).into()])?;
                Ok(())
            }
            "nanosleep" => Ok(()),
            // Programmatic dependent launch (PTX ISA 9.7.13.x): launches of a stream run to
            // completion in order here, so the primary grid is always complete (`.wait`) and
            // nothing can start early (`.launch_dependents`).
            "griddepcontrol" => Ok(()),
            "brkpt" | "prefetch" | "prefetchu" | "pmevent" | "discard" | "applypriority" | "createpolicy" => {
                Ok(())
            }
            _ => self.lower_arith(i),
        }
    }

    fn next_block(&self) -> u32 {
        let n = self.cur_block + 1;
        if n < self.blocks.len() {
            n as u32
        } else {
            EXIT_PC
        }
    }

    /// Writes the destination operand (a register, or `%p|%q` pairs handled by callers).
    pub(super) fn write_dst(&mut self, i: &ir::Instruction, v: VectorValue<'ctx>, t: Type) -> R<()> {
        match &i.operands[0] {
            Operand::Reg(d) | Operand::Symbol(d) if self.reg(d).is_some() => {
                let d = d.clone();
                self.write_reg(&d, v, t.is_signed())
            }
            Operand::Sink => Ok(()),
            o => Err(format!("unsupported destination {o:?}")),
        }
    }

    fn lower_mov(&mut self, i: &ir::Instruction) -> R<()> {
        let t = self.last_type(i)?;
        match (&i.operands[0], &i.operands[1]) {
            (Operand::Vector(dsts), src) => {
                // Unpack: mov.b64 {%r1, %r2}, %rd1
                let v = self.val(src, t)?;
                let n = dsts.len() as u32;
                let eb = bits(t) / n;
                for (k, d) in dsts.iter().enumerate() {
                    if let Operand::Reg(d) = d {
                        let sh = self.b.build_right_shift(v, self.splat_const(bits(t), (k as u32 * eb) as u64), false, "").e()?;
                        let e = self.resize(sh, eb, false)?;
                        let d = d.clone();
                        self.write_reg(&d, e, false)?;
                    }
                }
                Ok(())
            }
            (_, src) => {
                let v = self.val(src, t)?;
                self.write_dst(i, v, t)
            }
        }
    }

    /// `multimem.ld_reduce` / `multimem.st` / `multimem.red` (PTX ISA 9.7.9.16, sm_90) on
    /// ordinary memory: a multicast object of one device, whose only copy is the address
    /// itself. A reduction over one copy is that copy's value (`ld`), a store to every copy is
    /// `st`, a reduction into every copy is `red`. (The H100 faults on multimem to memory
    /// that is not multicast-mapped, so there is no golden for these; cuemu has no
    /// multicast objects of several devices.)
    fn lower_multimem(&mut self, i: &ir::Instruction) -> R<()> {
        let kind = i.modifiers.first().map(|m| m.as_str()).unwrap_or("");
        let (opcode, drop): (&str, &[&str]) = match kind {
            "ld_reduce" => ("ld", &["ld_reduce", "add", "min", "max", "and", "or", "xor", "acc::f32", "weak"]),
            "st" => ("st", &["st", "weak"]),
            "red" => ("red", &["red"]),
            _ => return Err(format!("unsupported instruction {}", super::func::show(i))),
        };
        let mut j = i.clone();
        j.opcode = opcode.into();
        j.modifiers.retain(|m| !drop.contains(&m.as_str()));
        match opcode {
            "ld" => self.lower_ld(&j),
            "st" => self.lower_st(&j),
            _ => self.lower_atom(&j, false),
        }
    }

    fn lower_cvta(&mut self, i: &ir::Instruction) -> R<()> {
        let t = self.last_type(i)?;
        let to = i.has("to");
        let space = if let Some(m) = i.modifiers.iter().find(|m| *m == "shared" || m.starts_with("shared::")) {
            Self::shared_space(m)
        } else if i.has("local") {
            Space::Local
        } else {
            Space::Global
        };
        let a = self.val(&i.operands[1], Type::U64)?;
        let r = self.window(a, space, !to)?;
        self.write_dst(i, r, t)
    }

    fn lower_bar(&mut self, i: &ir::Instruction) -> R<()> {
        if i.has("warp") {
            return Ok(()); // bar.warp.sync: the warp runs in lockstep already.
        }
        if i.has("cluster") {
            return self.lower_barrier_cluster(i);
        }
        if i.has("red") {
            return self.lower_bar_red(i);
        }
        let id = match i.operands.first() {
            Some(o) => self.val(o, Type::U32)?,
            None => self.ivec(32).const_zero(),
        };
        let count = match i.operands.get(1) {
            Some(o) => self.val(o, Type::U32)?,
            None => self.ivec(32).const_zero(),
        };
        let id0 = self.b.build_extract_element(id, self.i32c(0), "").e()?;
        let c0 = self.b.build_extract_element(count, self.i32c(0), "").e()?;
        let helper = if i.has("arrive") { "cuemu_bar_arrive" } else { "cuemu_bar_sync" };
        self.call_helper(helper, &[self.ctx().into(), id0, c0])?;
        Ok(())
    }

    /// Comparison results of setp/set: one predicate, or (low, high) for f16x2/bf16x2.
    fn setp_compare(&mut self, i: &ir::Instruction) -> R<(VectorValue<'ctx>, Option<VectorValue<'ctx>>)> {
        let t = self.last_type(i)?;
        let cmp = i.modifiers.first().map(|s| s.as_str()).unwrap_or("");
        let a = self.val(&i.operands[1], t)?;
        let b = self.val(&i.operands[2], t)?;
        let ftz = i.has("ftz");
        match t {
            Type::F16x2 | Type::BF16x2 => {
                let f = super::float::Fmt::of(t).unwrap();
                let (al, ah) = self.halves(a)?;
                let (bl, bh) = self.halves(b)?;
                Ok((self.fp_compare(cmp, al, bl, f, ftz)?, Some(self.fp_compare(cmp, ah, bh, f, ftz)?)))
            }
            Type::F16 | Type::BF16 | Type::F32 => Ok((self.fp_compare(cmp, a, b, super::float::Fmt::of(t).unwrap(), ftz)?, None)),
            _ => Ok((self.compare(cmp, a, b, t)?, None)),
        }
    }

    /// set.CmpOp{.BoolOp}.dtype.stype (PTX ISA 9.7.7.1): all ones (integer) or 1.0 (f32).
    fn lower_set(&mut self, i: &ir::Instruction) -> R<()> {
        let tys = i.types();
        let dt = tys[0];
        let (r, hi) = self.setp_compare(i)?;
        let bop = ["and", "or", "xor"].iter().find(|o| i.has(o)).copied();
        let apply = |g: &mut Self, r: VectorValue<'ctx>| -> R<VectorValue<'ctx>> {
            let Some(bop) = bop else { return Ok(r) };
            let c = g.val(&i.operands[3], Type::Pred)?;
            Ok(match bop {
                "and" => g.b.build_and(r, c, "").e()?,
                "or" => g.b.build_or(r, c, "").e()?,
                _ => g.b.build_xor(r, c, "").e()?,
            })
        };
        let r = apply(self, r)?;
        let val = |g: &Self, p: VectorValue<'ctx>, nb: u32| -> R<VectorValue<'ctx>> {
            let one = match (dt, nb) {
                (Type::F32, _) => 0x3f80_0000,
                (Type::F16x2, _) => 0x3c00,
                (Type::BF16x2, _) => 0x3f80,
                (_, 16) => 0xffff,
                _ => 0xffff_ffff,
            };
            Ok(g.b.build_select(p, g.splat_const(nb, one), g.ivec(nb).const_zero(), "").e()?.into_vector_value())
        };
        let out = match hi {
            Some(h) => {
                let h = apply(self, h)?;
                let l = val(self, r, 16)?;
                let h = val(self, h, 16)?;
                self.pack_halves(l, h)?
            }
            None => val(self, r, 32)?,
        };
        self.write_dst(i, out, Type::B32)
    }

    /// bar.red.popc.u32 d, a{, b}, {!}c / bar.red.{and,or}.pred p, a{, b}, {!}c
    /// (PTX ISA 9.7.13.1): a block-wide reduction of c at barrier a.
    fn lower_bar_red(&mut self, i: &ir::Instruction) -> R<()> {
        let n = i.operands.len();
        let id = self.val(&i.operands[1], Type::U32)?;
        let count = if n == 4 { self.val(&i.operands[2], Type::U32)? } else { self.ivec(32).const_zero() };
        let p = self.val(&i.operands[n - 1], Type::Pred)?;
        let m = self.emask();
        let pm = self.b.build_and(p, m, "").e()?;
        let pb = self.mask_bits(pm)?;
        let mb = self.mask_bits(m)?;
        let (op, v) = if i.has("popc") {
            (0u64, self.call_intr("llvm.ctpop", &[self.cx.i32_type().into()], &[pb.into()])?.into_int_value())
        } else if i.has("and") {
            let all = self.b.build_int_compare(IntPredicate::EQ, pb, mb, "").e()?;
            (1, self.b.build_int_z_extend(all, self.cx.i32_type(), "").e()?)
        } else {
            let any = self.b.build_int_compare(IntPredicate::NE, pb, self.i32c(0), "").e()?;
            (2, self.b.build_int_z_extend(any, self.cx.i32_type(), "").e()?)
        };
        let id0 = self.b.build_extract_element(id, self.i32c(0), "").e()?;
        let c0 = self.b.build_extract_element(count, self.i32c(0), "").e()?;
        let f = self.m.get_function("cuemu_bar_red").unwrap_or_else(|| {
            let i32t = self.cx.i32_type();
            let ty = i32t.fn_type(&[self.ptr_ty().into(), i32t.into(), i32t.into(), i32t.into(), i32t.into()], false);
            self.m.add_function("cuemu_bar_red", ty, Some(inkwell::module::Linkage::External))
        });
        let r = self
            .b
            .build_call(f, &[self.ctx().into(), id0.into(), c0.into(), self.i32c(op).into(), v.into()], "")
            .e()?
            .try_as_basic_value()
            .basic()
            .ok_or("bar.red helper returns nothing")?;
        let rv = self.splat(r)?;
        if i.has("pred") {
            let t = self.b.build_int_compare(IntPredicate::NE, rv, self.ivec(32).const_zero(), "").e()?;
            self.write_dst(i, t, Type::Pred)
        } else {
            self.write_dst(i, rv, Type::U32)
        }
    }

    fn lower_setp(&mut self, i: &ir::Instruction) -> R<()> {
        let (r, hi) = self.setp_compare(i)?;
        let boolop = ["and", "or", "xor"].iter().find(|o| i.has(o)).copied();
        let (r, rn) = if let Some(bop) = boolop {
            let c = self.val(&i.operands[3], Type::Pred)?;
            let nr = self.b.build_not(r, "").e()?;
            let f = |g: &Self, x, y| -> R<VectorValue<'ctx>> {
                Ok(match bop {
                    "and" => g.b.build_and(x, y, "").e()?,
                    "or" => g.b.build_or(x, y, "").e()?,
                    _ => g.b.build_xor(x, y, "").e()?,
                })
            };
            match hi {
                Some(h) => (f(self, r, c)?, f(self, h, c)?),
                None => (f(self, r, c)?, f(self, nr, c)?),
            }
        } else {
            match hi {
                Some(h) => (r, h),
                None => (r, self.b.build_not(r, "").e()?),
            }
        };
        match &i.operands[0] {
            Operand::Pair(p, q) => {
                if let Some(p) = reg_of(p) {
                    let p = p.to_string();
                    self.write_reg(&p, r, false)?;
                }
                if let Some(q) = reg_of(q) {
                    let q = q.to_string();
                    self.write_reg(&q, rn, false)?;
                }
                Ok(())
            }
            _ => self.write_dst(i, r, Type::Pred),
        }
    }

    pub fn compare(&self, cmp: &str, a: VectorValue<'ctx>, b: VectorValue<'ctx>, t: Type) -> R<VectorValue<'ctx>> {
        if t.is_float() {
            let (a, b) = (self.to_f(a, t)?, self.to_f(b, t)?);
            let p = match cmp {
                "eq" => FloatPredicate::OEQ,
                "ne" => FloatPredicate::ONE,
                "lt" => FloatPredicate::OLT,
                "le" => FloatPredicate::OLE,
                "gt" => FloatPredicate::OGT,
                "ge" => FloatPredicate::OGE,
                "equ" => FloatPredicate::UEQ,
                "neu" => FloatPredicate::UNE,
                "ltu" => FloatPredicate::ULT,
                "leu" => FloatPredicate::ULE,
                "gtu" => FloatPredicate::UGT,
                "geu" => FloatPredicate::UGE,
                "num" => FloatPredicate::ORD,
                "nan" => FloatPredicate::UNO,
                c => return Err(format!("unknown float comparison {c}")),
            };
            return self.b.build_float_compare(p, a, b, "").e();
        }
        let s = t.is_signed();
        let p = match cmp {
            "eq" => IntPredicate::EQ,
            "ne" => IntPredicate::NE,
            "lt" if s => IntPredicate::SLT,
            "le" if s => IntPredicate::SLE,
            "gt" if s => IntPredicate::SGT,
            "ge" if s => IntPredicate::SGE,
            "lt" | "lo" => IntPredicate::ULT,
            "le" | "ls" => IntPredicate::ULE,
            "gt" | "hi" => IntPredicate::UGT,
            "ge" | "hs" => IntPredicate::UGE,
            c => return Err(format!("unknown integer comparison {c}")),
        };
        self.b.build_int_compare(p, a, b, "").e()
    }

    // ----- conversions -----

    /// `cvt.rna{.satfinite}.tf32.f32`, `cvt.{rn,rz}{.relu}.tf32.f32`: an f32 rounded to tf32's
    /// 10 mantissa bits, kept as an f32 pattern with the low 13 bits clear. As an H100 does it
    /// (tests/conformance/golden/h100-tf32.txt.gz): `.rna` is integer arithmetic on the pattern,
    /// NaNs and infinities included (a signalling NaN can become an infinity), and `.satfinite`
    /// then takes 0x2000 off a result whose exponent is all ones (infinities → the largest
    /// finite value, NaNs → NaNs); `.rn`/`.rz` give the canonical NaN 0x7fffe000 for any NaN,
    /// round to nearest even or toward zero, and `.relu` turns negative values into +0.
    fn lower_cvt_tf32(&mut self, i: &ir::Instruction) -> R<()> {
        let a = self.val(&i.operands[1], Type::B32)?;
        let b = &self.b;
        let k = |v: u64| self.splat_const(32, v);
        let keep = k(!0x1fffu32 as u64);
        let r = if i.has("rna") {
            let r = b.build_and(b.build_int_add(a, k(0x1000), "").e()?, keep, "").e()?;
            if i.has("satfinite") {
                let top = b.build_and(r, k(0x7f80_0000), "").e()?;
                let full = b.build_int_compare(IntPredicate::EQ, top, k(0x7f80_0000), "").e()?;
                let less = b.build_int_sub(r, k(0x2000), "").e()?;
                b.build_select(full, less, r, "").e()?.into_vector_value()
            } else {
                r
            }
        } else {
            let r = if i.has("rz") {
                b.build_and(a, keep, "").e()?
            } else {
                let odd = b.build_and(b.build_right_shift(a, k(13), false, "").e()?, k(1), "").e()?;
                let bias = b.build_int_add(k(0xfff), odd, "").e()?;
                b.build_and(b.build_int_add(a, bias, "").e()?, keep, "").e()?
            };
            let r = if i.has("relu") {
                let neg = b.build_int_compare(IntPredicate::SLT, a, k(0), "").e()?;
                b.build_select(neg, k(0), r, "").e()?.into_vector_value()
            } else {
                r
            };
            let abs = b.build_and(a, k(0x7fff_ffff), "").e()?;
            let nan = b.build_int_compare(IntPredicate::UGT, abs, k(0x7f80_0000), "").e()?;
            b.build_select(nan, k(0x7fff_e000), r, "").e()?.into_vector_value()
        };
        self.write_dst(i, r, Type::B32)
    }

    fn lower_cvt(&mut self, i: &ir::Instruction) -> R<()> {
        let tys = i.types();
        if tys.len() < 2 {
            if i.has("pack") {
                return Err("cvt.pack is not supported yet".into());
            }
            return Err("cvt needs two types".into());
        }
        let (dt, st) = (tys[0], tys[1]);
        if i.has("pack") {
            return self.lower_cvt_pack(i, dt, st);
        }
        if dt == Type::TF32 && st == Type::F32 {
            return self.lower_cvt_tf32(i);
        }
        let is_fp = |t: Type| t.is_float() || matches!(t, Type::E4m3x2 | Type::E5m2x2);
        if is_fp(dt) && is_fp(st) {
            // PTX ISA 9.7.9.21: float ↔ float, every rounding mode (float.rs)
            let a = self.val(&i.operands[1], st)?;
            let b2 = if i.operands.len() > 2 { Some(self.val(&i.operands[2], st)?) } else { None };
            let r = self.cvt_float(i, dt, st, a, b2)?;
            return self.write_dst(i, r, dt);
        }
        let a = self.val(&i.operands[1], st)?;
        if is_fp(dt) && !is_fp(st) {
            let mode = super::float::rnd_of(i).unwrap_or(super::float::Rnd::N);
            let r = self.cvt_int_to_float(a, st, dt, mode)?;
            return self.write_dst(i, r, dt);
        }
        if matches!(st, Type::F16 | Type::BF16) {
            // half → integer: exactly through f64
            let w = self.widen_f64(a, super::float::Fmt::of(st).unwrap())?;
            let wb = self.bits_of_f64(w)?;
            let v = self.cvt_float_to_int(i, wb, Type::F64, dt, false)?;
            return self.write_dst(i, v, dt);
        }
        if matches!(st, Type::F32 | Type::F64) {
            let a = if i.has("ftz") && st == Type::F32 { self.bits_ftz(a, super::float::F32)? } else { a };
            let v = self.cvt_float_to_int(i, a, st, dt, st == Type::F64)?;
            return self.write_dst(i, v, dt);
        }
        let rnd = |g: &Self, v: VectorValue<'ctx>, ft: Type| -> R<VectorValue<'ctx>> {
            let name = if i.has("rni") {
                "llvm.rint"
            } else if i.has("rzi") {
                "llvm.trunc"
            } else if i.has("rmi") {
                "llvm.floor"
            } else if i.has("rpi") {
                "llvm.ceil"
            } else {
                return Ok(v);
            };
            let fv = g.to_f(v, ft)?;
            let r = g.call_intr(name, &[fv.get_type().into()], &[fv.into()])?.into_vector_value();
            g.from_f(r)
        };
        let is_f = |t: Type| matches!(t, Type::F32 | Type::F64 | Type::F16);
        let r = if is_f(dt) && is_f(st) {
            let v = rnd(self, a, st)?;
            let fv = self.to_f(v, st)?;
            let out = match bits(dt).cmp(&bits(st)) {
                std::cmp::Ordering::Greater => self.b.build_float_ext(fv, self.fvec(dt)?, "").e()?,
                std::cmp::Ordering::Less => self.b.build_float_trunc(fv, self.fvec(dt)?, "").e()?,
                std::cmp::Ordering::Equal => fv,
            };
            let out = if i.has("sat") { self.saturate(out)? } else { out };
            self.from_f(out)?
        } else if is_f(st) {
            // float → int: round as asked, then convert with saturation (NaN → 0), as PTX does.
            let v = rnd(self, a, st)?;
            let fv = self.to_f(v, st)?;
            let name = if dt.is_signed() { "llvm.fptosi.sat" } else { "llvm.fptoui.sat" };
            self.call_intr(name, &[self.ivec(bits(dt)).into(), fv.get_type().into()], &[fv.into()])?.into_vector_value()
        } else if is_f(dt) {
            let ft = self.fvec(dt)?;
            let fv = if st.is_signed() {
                self.b.build_signed_int_to_float(a, ft, "").e()?
            } else {
                self.b.build_unsigned_int_to_float(a, ft, "").e()?
            };
            self.from_f(fv)?
        } else if matches!(dt, Type::BF16 | Type::BF16x2 | Type::F16x2) || matches!(st, Type::BF16 | Type::BF16x2 | Type::F16x2) {
            return Err(format!("cvt between {} and {} is not supported yet", dt.name(), st.name()));
        } else {
            // int → int
            let mut v = a;
            if i.has("sat") {
                v = self.int_saturate(v, st, dt)?;
            }
            self.resize(v, bits(dt), st.is_signed())?
        };
        self.write_dst(i, r, dt)
    }

    /// float → integer: round as asked, then convert with saturation (NaN → 0), as PTX does.
    fn cvt_float_to_int(&self, i: &ir::Instruction, a: VectorValue<'ctx>, st: Type, dt: Type, f64_src: bool) -> R<VectorValue<'ctx>> {
        let fv = self.to_f(a, st)?;
        let name = if i.has("rni") {
            Some("llvm.rint")
        } else if i.has("rzi") {
            Some("llvm.trunc")
        } else if i.has("rmi") {
            Some("llvm.floor")
        } else if i.has("rpi") {
            Some("llvm.ceil")
        } else {
            None
        };
        let fv = match name {
            Some(n) => self.call_intr(n, &[fv.get_type().into()], &[fv.into()])?.into_vector_value(),
            None => fv,
        };
        let name = if dt.is_signed() { "llvm.fptosi.sat" } else { "llvm.fptoui.sat" };
        let r = self.call_intr(name, &[self.ivec(bits(dt)).into(), fv.get_type().into()], &[fv.into()])?.into_vector_value();
        if f64_src || bits(dt) == 64 {
            // NaN → the most negative integer pattern for 64-bit results and f64 sources (H100)
            let nan = self.b.build_float_compare(FloatPredicate::UNO, fv, fv, "").e()?;
            let nb = bits(dt);
            return Ok(self.b.build_select(nan, self.splat_const(nb, 1u64 << (nb - 1)), r, "").e()?.into_vector_value());
        }
        Ok(r)
    }

    /// cvt.pack.sat.{s8,u8,s16,u16}.s32{.b32} (PTX ISA 9.7.9.22): d = {c[15:0], sat(a), sat(b)}
    /// for 8-bit results, {sat(a), sat(b)} for 16-bit ones.
    fn lower_cvt_pack(&mut self, i: &ir::Instruction, dt: Type, st: Type) -> R<()> {
        let a = self.val(&i.operands[1], st)?;
        let b = self.val(&i.operands[2], st)?;
        let w = bits(dt);
        let sa = self.int_saturate(a, st, dt)?;
        let sb = self.int_saturate(b, st, dt)?;
        let mask = self.splat_const(32, (1u64 << w) - 1);
        let sa = self.b.build_and(sa, mask, "").e()?;
        let sb = self.b.build_and(sb, mask, "").e()?;
        let hi = self.b.build_left_shift(sa, self.splat_const(32, w as u64), "").e()?;
        let mut r = self.b.build_or(hi, sb, "").e()?;
        if w == 8 {
            let c = self.val(&i.operands[3], Type::B32)?;
            let c = self.b.build_left_shift(c, self.splat_const(32, 16), "").e()?;
            r = self.b.build_or(r, c, "").e()?;
        }
        self.write_dst(i, r, Type::B32)
    }

    /// Clamps integer `v` of type `from` to the range of `to`.
    fn int_saturate(&self, v: VectorValue<'ctx>, from: Type, to: Type) -> R<VectorValue<'ctx>> {
        let nb = bits(from);
        let tb = bits(to);
        let (lo, hi): (i128, i128) = if to.is_signed() {
            (-(1i128 << (tb - 1)), (1i128 << (tb - 1)) - 1)
        } else {
            (0, (1i128 << tb) - 1)
        };
        let (flo, fhi): (i128, i128) = if from.is_signed() {
            (-(1i128 << (nb - 1)), (1i128 << (nb - 1)) - 1)
        } else {
            (0, (1i128 << nb) - 1)
        };
        let mut v = v;
        let s = from.is_signed();
        if hi < fhi {
            let c = self.splat_const(nb, hi as u64);
            let p = if s { IntPredicate::SGT } else { IntPredicate::UGT };
            let gt = self.b.build_int_compare(p, v, c, "").e()?;
            v = self.b.build_select(gt, c, v, "").e()?.into_vector_value();
        }
        if lo > flo {
            let c = self.splat_const(nb, lo as u64);
            let p = if s { IntPredicate::SLT } else { IntPredicate::ULT };
            let lt = self.b.build_int_compare(p, v, c, "").e()?;
            v = self.b.build_select(lt, c, v, "").e()?.into_vector_value();
        }
        Ok(v)
    }

    /// `.sat` for floats: clamp to [0, 1], NaN → 0.
    fn saturate(&self, fv: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        let ty = fv.get_type();
        let et = ty.get_element_type().into_float_type();
        let zero = VectorType::const_vector(&vec![et.const_float(0.0); W as usize]);
        let one = VectorType::const_vector(&vec![et.const_float(1.0); W as usize]);
        let a = self.call_intr("llvm.maxnum", &[ty.into()], &[fv.into(), zero.into()])?;
        Ok(self.call_intr("llvm.minnum", &[ty.into()], &[a, one.into()])?.into_vector_value())
    }

    // ----- warp-level operations -----

    fn lower_shfl(&mut self, i: &ir::Instruction) -> R<()> {
        let mode = ["up", "down", "bfly", "idx"].iter().find(|m| i.has(m)).copied().ok_or("shfl mode")?;
        let a = self.val(&i.operands[1], Type::B32)?;
        let lane = self.iota(32);
        let bval_c = match &i.operands[2] {
            Operand::Imm(Constant::Int(v)) => Some((*v as u32) & 31),
            _ => None,
        };
        let cval_c = match &i.operands[3] {
            Operand::Imm(Constant::Int(v)) => Some(*v as u32),
            _ => None,
        };
        // Source lane and validity, per PTX ISA "shfl.sync".
        let (src, valid): (VectorValue<'ctx>, VectorValue<'ctx>);
        if let (Some(bv), Some(cv)) = (bval_c, cval_c) {
            // Constant operands: the permutation is known now — an in-register shuffle.
            let mut idx = Vec::new();
            let mut ok = Vec::new();
            for l in 0..32u32 {
                let (j, p) = shfl_lane(mode, l, bv, cv);
                idx.push(if p { j } else { l });
                ok.push(p);
            }
            let mask = VectorType::const_vector(&idx.iter().map(|&j| self.i32c(j as u64)).collect::<Vec<_>>());
            let r = self.b.build_shuffle_vector(a, a, mask, "shfl").e()?;
            let okv = VectorType::const_vector(&ok.iter().map(|&p| self.cx.bool_type().const_int(p as u64, false)).collect::<Vec<_>>());
            self.write_shfl_dst(i, r, okv)?;
            return Ok(());
        }
        let b = self.val(&i.operands[2], Type::B32)?;
        let c = self.val(&i.operands[3], Type::B32)?;
        let b = self.b.build_and(b, self.splat_const(32, 31), "").e()?;
        let seg = self.b.build_and(self.b.build_right_shift(c, self.splat_const(32, 8), false, "").e()?, self.splat_const(32, 31), "").e()?;
        let clamp = self.b.build_and(c, self.splat_const(32, 31), "").e()?;
        let nseg = self.b.build_not(seg, "").e()?;
        let min_lane = self.b.build_and(lane, seg, "").e()?;
        let max_lane = self.b.build_or(min_lane, self.b.build_and(clamp, nseg, "").e()?, "").e()?;
        match mode {
            "up" => {
                src = self.b.build_int_sub(lane, b, "").e()?;
                valid = self.b.build_int_compare(IntPredicate::SGE, src, max_lane, "").e()?;
            }
            "down" => {
                src = self.b.build_int_add(lane, b, "").e()?;
                valid = self.b.build_int_compare(IntPredicate::SLE, src, max_lane, "").e()?;
            }
            "bfly" => {
                src = self.b.build_xor(lane, b, "").e()?;
                valid = self.b.build_int_compare(IntPredicate::SLE, src, max_lane, "").e()?;
            }
            _ => {
                src = self.b.build_or(min_lane, self.b.build_and(b, nseg, "").e()?, "").e()?;
                valid = self.b.build_int_compare(IntPredicate::SLE, src, max_lane, "").e()?;
            }
        }
        let j = self.b.build_select(valid, src, lane, "").e()?.into_vector_value();
        let j = self.b.build_and(j, self.splat_const(32, 31), "").e()?;
        // Dynamic permute: spill the source register once, gather the lanes back.
        let tmp = self.scratch()?;
        self.b.build_store(tmp, a).e()?;
        let base = self.b.build_ptr_to_int(tmp, self.cx.i64_type(), "").e()?;
        let basev = self.splat(base.into())?;
        let j64 = self.resize(j, 64, false)?;
        let offs = self.b.build_int_mul(j64, self.splat_const(64, 4), "").e()?;
        let addrs = self.b.build_int_add(basev, offs, "").e()?;
        let ptrs = self.ptr_vec(addrs)?;
        let all = self.splat_const(1, 1);
        let vt = self.ivec(32);
        let r = self
            .call_intr(
                "llvm.masked.gather",
                &[vt.into(), self.ptr_ty().vec_type(W).into()],
                &[ptrs.into(), self.i32c(4).into(), all.into(), vt.get_poison().into()],
            )?
            .into_vector_value();
        self.write_shfl_dst(i, r, valid)
    }

    fn write_shfl_dst(&mut self, i: &ir::Instruction, r: VectorValue<'ctx>, valid: VectorValue<'ctx>) -> R<()> {
        match &i.operands[0] {
            Operand::Pair(d, p) => {
                if let Some(d) = reg_of(d) {
                    let d = d.to_string();
                    self.write_reg(&d, r, false)?;
                }
                if let Some(p) = reg_of(p) {
                    let p = p.to_string();
                    self.write_reg(&p, valid, false)?;
                }
                Ok(())
            }
            _ => self.write_dst(i, r, Type::B32),
        }
    }

    fn lower_vote(&mut self, i: &ir::Instruction) -> R<()> {
        let p = self.val(&i.operands[1], Type::Pred)?;
        let m = self.mask()?;
        let pm = self.b.build_and(p, m, "").e()?;
        // Each lane sees only the lanes of its own member mask (PTX ISA 9.7.12.9): the two
        // halves of a warp voting with masks 0x0000ffff and 0xffff0000 get separate answers.
        let member = match i.operands.get(2) {
            Some(o) => self.val(o, Type::U32)?,
            None => self.splat_const(32, 0xffff_ffff),
        };
        let pb = self.splat(self.mask_bits(pm)?.into())?;
        let mb = self.splat(self.mask_bits(m)?.into())?;
        let pbm = self.b.build_and(pb, member, "").e()?;
        if i.has("ballot") {
            return self.write_dst(i, pbm, Type::B32);
        }
        let mbm = self.b.build_and(mb, member, "").e()?;
        let zero = self.ivec(32).const_zero();
        let r = if i.has("any") {
            self.b.build_int_compare(IntPredicate::NE, pbm, zero, "").e()?
        } else if i.has("all") {
            self.b.build_int_compare(IntPredicate::EQ, pbm, mbm, "").e()?
        } else if i.has("uni") {
            let none = self.b.build_int_compare(IntPredicate::EQ, pbm, zero, "").e()?;
            let all = self.b.build_int_compare(IntPredicate::EQ, pbm, mbm, "").e()?;
            self.b.build_or(none, all, "").e()?
        } else {
            return Err("unknown vote mode".into());
        };
        self.write_dst(i, r, Type::Pred)
    }

    /// Whether a warp instruction's member-mask operand is the full warp (the common case,
    /// reduced with vector operations); other masks take the per-lane helper.
    fn full_member_mask(i: &ir::Instruction, k: usize) -> bool {
        match i.operands.get(k) {
            None => true,
            Some(Operand::Imm(Constant::Int(v))) => *v as u32 == u32::MAX,
            _ => false,
        }
    }

    /// redux.sync / match.sync where lanes may name different member masks (thread_block_tile
    /// reductions): each lane combines only the active lanes of its own mask.
    fn lower_warp_by_members(&mut self, i: &ir::Instruction, op: u32, t: Type) -> R<()> {
        let a = self.val(&i.operands[1], t)?;
        let a = self.resize(a, 64, t.is_signed())?;
        let member = self.val(&i.operands[2], Type::U32)?;
        let member = self.resize(member, 64, false)?;
        let (pa, pm, out, outp) = (self.scratch()?, self.scratch()?, self.scratch()?, self.scratch()?);
        self.b.build_store(pa, a).e()?;
        self.b.build_store(pm, member).e()?;
        let m = self.mask_bits(self.emask())?;
        self.call_helper("cuemu_warp_members", &[self.i32c(op as u64).into(), pa.into(), pm.into(), m.into(), out.into(), outp.into()])?;
        let r = self.b.build_load(self.ivec(64), out, "").e()?.into_vector_value();
        let p = self.b.build_load(self.ivec(64), outp, "").e()?.into_vector_value();
        let p = self.b.build_int_compare(IntPredicate::NE, p, self.ivec(64).const_zero(), "").e()?;
        match &i.operands[0] {
            Operand::Pair(d, q) => {
                if let Some(d) = reg_of(d) {
                    let d = d.to_string();
                    self.write_reg(&d, r, false)?;
                }
                if let Some(q) = reg_of(q) {
                    let q = q.to_string();
                    self.write_reg(&q, p, false)?;
                }
                Ok(())
            }
            _ => self.write_dst(i, r, if op >= runtime::warp::MATCH_ANY { Type::B32 } else { t }),
        }
    }

    fn lower_redux(&mut self, i: &ir::Instruction) -> R<()> {
        let t = self.last_type(i)?;
        if !Self::full_member_mask(i, 2) {
            use runtime::warp as w;
            let op = if i.has("add") {
                w::ADD
            } else if i.has("and") {
                w::AND
            } else if i.has("or") {
                w::OR
            } else if i.has("xor") {
                w::XOR
            } else if i.has("min") {
                if t.is_signed() { w::SMIN } else { w::UMIN }
            } else if i.has("max") {
                if t.is_signed() { w::SMAX } else { w::UMAX }
            } else {
                return Err("unsupported redux operation".into());
            };
            return self.lower_warp_by_members(i, op, t);
        }
        let a = self.val(&i.operands[1], t)?;
        let m = self.mask()?;
        let (name, ident): (&str, u64) = if i.has("add") {
            ("llvm.vector.reduce.add", 0)
        } else if i.has("and") {
            ("llvm.vector.reduce.and", u32::MAX as u64)
        } else if i.has("or") {
            ("llvm.vector.reduce.or", 0)
        } else if i.has("xor") {
            ("llvm.vector.reduce.xor", 0)
        } else if i.has("min") {
            if t.is_signed() {
                ("llvm.vector.reduce.smin", i32::MAX as u64)
            } else {
                ("llvm.vector.reduce.umin", u32::MAX as u64)
            }
        } else if i.has("max") {
            if t.is_signed() {
                ("llvm.vector.reduce.smax", i32::MIN as u32 as u64)
            } else {
                ("llvm.vector.reduce.umax", 0)
            }
        } else {
            return Err("unsupported redux operation".into());
        };
        let a = self.b.build_select(m, a, self.splat_const(32, ident), "").e()?.into_vector_value();
        let r = self.call_intr(name, &[self.ivec(32).into()], &[a.into()])?;
        let v = self.splat(r)?;
        self.write_dst(i, v, t)
    }

    /// match.any / match.all: lanes of the running mask holding equal values.
    fn lower_match(&mut self, i: &ir::Instruction) -> R<()> {
        let t = self.last_type(i)?;
        if !Self::full_member_mask(i, 2) {
            let op = if i.has("any") { runtime::warp::MATCH_ANY } else { runtime::warp::MATCH_ALL };
            return self.lower_warp_by_members(i, op, t);
        }
        let a = self.val(&i.operands[1], t)?;
        let m = self.mask()?;
        let mb = self.mask_bits(m)?;
        let nb = bits(t);
        let same_as = |g: &Self, lane: IntValue<'ctx>| -> R<IntValue<'ctx>> {
            let x = g.b.build_extract_element(a, lane, "").e()?;
            let xv = g.splat(x)?;
            let eq = g.b.build_int_compare(IntPredicate::EQ, a, xv, "").e()?;
            let eqb = g.mask_bits(eq)?;
            g.b.build_and(eqb, mb, "").e()
        };
        let _ = nb;
        if i.has("any") {
            let mut out = self.ivec(32).get_poison();
            for l in 0..W {
                let v = same_as(self, self.i32c(l as u64))?;
                out = self.b.build_insert_element(out, v, self.i32c(l as u64), "").e()?;
            }
            return self.write_dst(i, out, Type::B32);
        }
        // .all: every active lane equals the first active lane.
        let first = self.call_intr("llvm.cttz", &[self.cx.i32_type().into()], &[mb.into(), self.cx.bool_type().const_int(0, false).into()])?.into_int_value();
        let first = self.b.build_and(first, self.i32c(31), "").e()?;
        let same = same_as(self, first)?;
        let all = self.b.build_int_compare(IntPredicate::EQ, same, mb, "").e()?;
        let d = self.b.build_select(all, mb, self.i32c(0), "").e()?;
        let dv = self.splat(d)?;
        let pv = self.splat(all.into())?;
        match &i.operands[0] {
            Operand::Pair(d, p) => {
                if let Some(d) = reg_of(d) {
                    let d = d.to_string();
                    self.write_reg(&d, dv, false)?;
                }
                if let Some(p) = reg_of(p) {
                    let p = p.to_string();
                    self.write_reg(&p, pv, false)?;
                }
                Ok(())
            }
            _ => self.write_dst(i, dv, Type::B32),
        }
    }

    // ----- calls -----

    fn lower_call(&mut self, i: &ir::Instruction) -> R<()> {
        let mut rets: Vec<Operand> = Vec::new();
        let mut args: Vec<Operand> = Vec::new();
        let mut callee: Option<String> = None;
        let mut fptr: Option<Operand> = None;
        for op in &i.operands {
            match op {
                Operand::List(l) if callee.is_none() && fptr.is_none() => rets = l.clone(),
                Operand::List(l) => args = l.clone(),
                Operand::Symbol(s) if callee.is_none() && fptr.is_none() => callee = Some(s.to_string()),
                Operand::Reg(_) if callee.is_none() && fptr.is_none() => fptr = Some(op.clone()),
                _ => {}
            }
        }
        if let Some(fp) = fptr {
            return self.lower_indirect_call(&fp, &rets, &args);
        }
        let callee = callee.ok_or("call without a callee")?;
        let buf_of = |g: &Self, o: &Operand| -> R<super::func::LaneBuf<'ctx>> {
            match o {
                Operand::Symbol(s) | Operand::Reg(s) => g.lane_bufs.get(s.as_str()).copied().ok_or_else(|| format!("call argument {s} is not a .param variable")),
                other => Err(format!("unsupported call argument {other:?}")),
            }
        };
        match callee.as_str() {
            "vprintf" => {
                let fmt = buf_of(self, &args[0])?;
                let argb = buf_of(self, &args[1])?;
                let f = self.load_lane_u64(fmt)?;
                let a = self.load_lane_u64(argb)?;
                let (pf, pa) = (self.scratch()?, self.scratch()?);
                self.b.build_store(pf, f).e()?;
                self.b.build_store(pa, a).e()?;
                let m = self.mask_bits(self.emask())?;
                self.call_helper("cuemu_vprintf", &[pf.into(), pa.into(), m.into()])?;
                if let Some(r) = rets.first() {
                    let rb = buf_of(self, r)?;
                    self.store_lane(rb, self.ivec(32).const_zero())?;
                }
                return Ok(());
            }
            "__cuda_syscall_aligned_malloc" => {
                // __nv_aligned_device_malloc(size, align) (runtime::cuemu_aligned_malloc).
                let (sb, ab) = (buf_of(self, &args[0])?, buf_of(self, &args[1])?);
                let (s, a) = (self.load_lane_u64(sb)?, self.load_lane_u64(ab)?);
                let (ps, pa, pr) = (self.scratch()?, self.scratch()?, self.scratch()?);
                self.b.build_store(ps, s).e()?;
                self.b.build_store(pa, a).e()?;
                let m = self.mask_bits(self.emask())?;
                self.call_helper("cuemu_aligned_malloc", &[ps.into(), pa.into(), m.into(), pr.into()])?;
                if let Some(r) = rets.first() {
                    let rb = buf_of(self, r)?;
                    let v = self.b.build_load(self.ivec(64), pr, "").e()?.into_vector_value();
                    self.store_lane(rb, v)?;
                }
                return Ok(());
            }
            "malloc" | "free" => {
                // Device heap (runtime::cuemu_malloc): one allocation per active lane.
                let ab = buf_of(self, &args[0])?;
                let a = self.load_lane_u64(ab)?;
                let (pa, pr) = (self.scratch()?, self.scratch()?);
                self.b.build_store(pa, a).e()?;
                let m = self.mask_bits(self.emask())?;
                if callee == "malloc" {
                    self.call_helper("cuemu_malloc", &[pa.into(), m.into(), pr.into()])?;
                    if let Some(r) = rets.first() {
                        let rb = buf_of(self, r)?;
                        let v = self.b.build_load(self.ivec(64), pr, "").e()?.into_vector_value();
                        self.store_lane(rb, v)?;
                    }
                } else {
                    self.call_helper("cuemu_free", &[pa.into(), m.into()])?;
                }
                return Ok(());
            }
            "__assertfail" => {
                let mut ptrs = Vec::new();
                for k in [0usize, 1, 3] {
                    let b = buf_of(self, &args[k])?;
                    let v = self.load_lane_u64(b)?;
                    let p = self.scratch()?;
                    self.b.build_store(p, v).e()?;
                    ptrs.push(p);
                }
                let lb = buf_of(self, &args[2])?;
                let lines = self.load_lane_bits(lb, 32)?;
                let pl = self.scratch()?;
                self.b.build_store(pl, lines).e()?;
                let m = self.mask_bits(self.emask())?;
                self.call_helper(
                    "cuemu_assertfail",
                    &[self.ctx().into(), ptrs[0].into(), ptrs[1].into(), pl.into(), ptrs[2].into(), m.into()],
                )?;
                return Ok(());
            }
            _ => {}
        }
        let f = *self.funcs.get(&callee).ok_or_else(|| format!("call to unknown or external function {callee}"))?;
        let mut call_args: Vec<inkwell::values::BasicMetadataValueEnum> = vec![self.ctx().into(), self.emask().into()];
        for o in rets.iter().chain(args.iter()) {
            call_args.push(buf_of(self, o)?.ptr.into());
        }
        self.b.build_call(f, &call_args, "").e()?;
        Ok(())
    }

    /// `call (rets), %fptr, (args), proto;`: the lanes holding the token of each candidate
    /// function (every function whose address the module takes, with as many parameters and
    /// return values) call it under their mask; a lane whose pointer names no candidate traps.
    fn lower_indirect_call(&mut self, fp: &Operand, rets: &[Operand], args: &[Operand]) -> R<()> {
        let fv = self.func.unwrap();
        let ptrs = self.val(fp, Type::U64)?;
        let em = self.emask();
        let mut bufs: Vec<inkwell::values::BasicMetadataValueEnum> = Vec::new();
        for o in rets.iter().chain(args.iter()) {
            let name = match o {
                Operand::Symbol(s) | Operand::Reg(s) => s.to_string(),
                other => return Err(format!("unsupported call argument {other:?}")),
            };
            let b = self.lane_bufs.get(name.as_str()).copied().ok_or_else(|| format!("call argument {name} is not a .param variable"))?;
            bufs.push(b.ptr.into());
        }
        let mut candidates: Vec<(u64, inkwell::values::FunctionValue<'ctx>)> = Vec::new();
        for (name, f) in &self.ptx_funcs {
            if f.kind != ir::FunctionKind::Func || f.returns.len() != rets.len() || f.params.len() != args.len() {
                continue;
            }
            if let (Some(&tok), Some(&callee)) = (self.syms.func_tokens.get(name.as_str()), self.funcs.get(name.as_str())) {
                candidates.push((tok, callee));
            }
        }
        candidates.sort_by_key(|c| c.0);
        let mut matched = self.ivec(1).const_zero();
        for (tok, callee) in candidates {
            let hit = self.b.build_int_compare(IntPredicate::EQ, ptrs, self.splat_const(64, tok), "").e()?;
            let lanes = self.b.build_and(hit, em, "").e()?;
            matched = self.b.build_or(matched, lanes, "").e()?;
            let any = self.b.build_int_compare(IntPredicate::NE, self.mask_bits(lanes)?, self.i32c(0), "").e()?;
            let call_bb = self.cx.append_basic_block(fv, "icall");
            let next_bb = self.cx.append_basic_block(fv, "icall_next");
            self.b.build_conditional_branch(any, call_bb, next_bb).e()?;
            self.b.position_at_end(call_bb);
            let mut call_args: Vec<inkwell::values::BasicMetadataValueEnum> = vec![self.ctx().into(), lanes.into()];
            call_args.extend(bufs.iter().copied());
            self.b.build_call(callee, &call_args, "").e()?;
            self.b.build_unconditional_branch(next_bb).e()?;
            self.b.position_at_end(next_bb);
        }
        let stray = self.b.build_xor(matched, em, "").e()?;
        let bad = self.b.build_int_compare(IntPredicate::NE, self.mask_bits(stray)?, self.i32c(0), "").e()?;
        let trap_bb = self.cx.append_basic_block(fv, "icall_bad");
        let ok_bb = self.cx.append_basic_block(fv, "icall_done");
        self.b.build_conditional_branch(bad, trap_bb, ok_bb).e()?;
        self.b.position_at_end(trap_bb);
        self.call_helper("cuemu_trap", &[self.ctx().into(), self.i32c(0).into()])?;
        self.b.build_unconditional_branch(ok_bb).e()?;
        self.b.position_at_end(ok_bb);
        Ok(())
    }

    fn lane_addrs(&self, buf: super::func::LaneBuf<'ctx>) -> R<VectorValue<'ctx>> {
        let b = self.b.build_ptr_to_int(buf.ptr, self.cx.i64_type(), "").e()?;
        let bv = self.splat(b.into())?;
        let lane = self.b.build_int_mul(self.iota(64), self.splat_const(64, buf.size), "").e()?;
        self.b.build_int_add(bv, lane, "").e()
    }
    fn load_lane_bits(&mut self, buf: super::func::LaneBuf<'ctx>, nb: u32) -> R<VectorValue<'ctx>> {
        let a = self.lane_addrs(buf)?;
        self.load_elem(&Addr::Lanes(a), nb)
    }
    fn load_lane_u64(&mut self, buf: super::func::LaneBuf<'ctx>) -> R<VectorValue<'ctx>> {
        self.load_lane_bits(buf, 64)
    }
    fn store_lane(&mut self, buf: super::func::LaneBuf<'ctx>, v: VectorValue<'ctx>) -> R<()> {
        let a = self.lane_addrs(buf)?;
        self.store_elem(&Addr::Lanes(a), v)
    }

    // ----- arithmetic and logic -----

    fn lower_arith(&mut self, i: &ir::Instruction) -> R<()> {
        let op = i.opcode.as_str();
        let t = if i.has("s16x2") || i.has("u16x2") { Type::B32 } else { self.last_type(i)? };
        let nb = bits(t);
        // Operand types differ from the result type for a few instructions.
        let src_t = if (op == "mul" || op == "mad") && i.has("wide") {
            t
        } else if matches!(op, "shl" | "shr") {
            t
        } else {
            t
        };
        let n_src = i.operands.len().saturating_sub(1);
        let mut s: Vec<VectorValue<'ctx>> = Vec::new();
        let shift_amount = |k: usize| matches!(op, "shl" | "shr") && k == 1;
        for k in 0..n_src {
            let ty = if shift_amount(k) || (matches!(op, "bfe") && k > 0) || (matches!(op, "bfi") && k > 1) {
                Type::U32
            } else if op == "prmt" && k == 2 {
                Type::B32
            } else if matches!(op, "shf") && k == 2 {
                Type::U32
            } else {
                src_t
            };
            s.push(self.val(&i.operands[k + 1], ty)?);
        }
        if self.lower_sfu(i, op, t, &s)? {
            return Ok(());
        }
        // Floating-point arithmetic of every float type: float.rs (PTX ISA 9.7.3, 9.7.4).
        if t.is_float()
            && t != Type::TF32
            && matches!(op, "add" | "sub" | "mul" | "fma" | "mad" | "div" | "rcp" | "sqrt" | "rsqrt" | "min" | "max" | "neg" | "abs")
        {
            let r = self.lower_float_arith(i, op, t, &s)?;
            return self.write_dst(i, r, t);
        }
        let b = &self.b;
        let fl = t.is_float();
        let r: VectorValue<'ctx> = match op {
            "add" | "sub" if fl => {
                let (x, y) = (self.to_f(s[0], t)?, self.to_f(s[1], t)?);
                let r = if op == "add" { b.build_float_add(x, y, "").e()? } else { b.build_float_sub(x, y, "").e()? };
                let r = if i.has("sat") { self.saturate(r)? } else { r };
                self.from_f(r)?
            }
            "add" | "sub" if i.has("s16x2") || i.has("u16x2") => {
                // PTX ISA 9.7.1.1/2 (sm_90): two independent 16-bit halves, no carry between them
                let (al, ah) = self.halves(s[0])?;
                let (bl, bh) = self.halves(s[1])?;
                let mut out = Vec::new();
                for (x, y) in [(al, bl), (ah, bh)] {
                    out.push(if op == "add" { self.b.build_int_add(x, y, "").e()? } else { self.b.build_int_sub(x, y, "").e()? });
                }
                self.pack_halves(out[0], out[1])?
            }
            "add" | "sub" => {
                if i.has("cc") {
                    return self.lower_carry(i, op == "sub", false, &s);
                }
                if i.has("sat") && t == Type::S32 {
                    let name = if op == "add" { "llvm.sadd.sat" } else { "llvm.ssub.sat" };
                    self.call_intr(name, &[self.ivec(32).into()], &[s[0].into(), s[1].into()])?.into_vector_value()
                } else if op == "add" {
                    b.build_int_add(s[0], s[1], "").e()?
                } else {
                    b.build_int_sub(s[0], s[1], "").e()?
                }
            }
            "addc" | "subc" => return self.lower_carry(i, op == "subc", true, &s),
            "mul" if fl => {
                let (x, y) = (self.to_f(s[0], t)?, self.to_f(s[1], t)?);
                let r = b.build_float_mul(x, y, "").e()?;
                let r = if i.has("sat") { self.saturate(r)? } else { r };
                self.from_f(r)?
            }
            "mul" | "mul24" => self.int_mul(i, s[0], s[1], t)?,
            "mad" | "mad24" | "fma" if fl => {
                let (x, y, z) = (self.to_f(s[0], t)?, self.to_f(s[1], t)?, self.to_f(s[2], t)?);
                let r = self.call_intr("llvm.fma", &[x.get_type().into()], &[x.into(), y.into(), z.into()])?.into_vector_value();
                let r = if i.has("sat") { self.saturate(r)? } else { r };
                self.from_f(r)?
            }
            "mad" | "mad24" | "madc" => {
                let p = self.int_mul(i, s[0], s[1], t)?;
                if i.has("cc") || op == "madc" {
                    // PTX ISA 9.7.2.3/4: mad{c}.{hi,lo}.cc — the product half plus c (+ carry-in)
                    return self.lower_carry(i, false, op == "madc", &[p, s[2]]);
                }
                let c = if i.has("wide") { self.val(&i.operands[3], wide(t))? } else { s[2] };
                let c = self.resize(c, p.get_type().get_element_type().into_int_type().get_bit_width(), t.is_signed())?;
                if i.has("sat") && t == Type::S32 {
                    // mad.hi.sat.s32: the sum saturates (PTX ISA 9.7.1.4)
                    self.call_intr("llvm.sadd.sat", &[self.ivec(32).into()], &[p.into(), c.into()])?.into_vector_value()
                } else {
                    self.b.build_int_add(p, c, "").e()?
                }
            }
            "div" if fl => {
                let (x, y) = (self.to_f(s[0], t)?, self.to_f(s[1], t)?);
                let r = b.build_float_div(x, y, "").e()?;
                self.from_f(r)?
            }
            "div" | "rem" => {
                // Division by zero (and INT_MIN / -1) must not trap the host: hardware
                // returns all ones for x / 0; here the remainder of x % 0 is x.
                let zero = self.ivec(nb).const_zero();
                let one = self.splat_const(nb, 1);
                let isz = b.build_int_compare(IntPredicate::EQ, s[1], zero, "").e()?;
                let mut den = b.build_select(isz, one, s[1], "").e()?.into_vector_value();
                if t.is_signed() {
                    let minv = self.splat_const(nb, 1u64 << (nb - 1));
                    let m1 = self.splat_const(nb, u64::MAX);
                    let a_min = b.build_int_compare(IntPredicate::EQ, s[0], minv, "").e()?;
                    let b_m1 = b.build_int_compare(IntPredicate::EQ, den, m1, "").e()?;
                    let ovf = b.build_and(a_min, b_m1, "").e()?;
                    den = b.build_select(ovf, one, den, "").e()?.into_vector_value();
                }
                let q = match (op, t.is_signed()) {
                    ("div", true) => b.build_int_signed_div(s[0], den, "").e()?,
                    ("div", false) => b.build_int_unsigned_div(s[0], den, "").e()?,
                    (_, true) => b.build_int_signed_rem(s[0], den, "").e()?,
                    _ => b.build_int_unsigned_rem(s[0], den, "").e()?,
                };
                // Division and remainder by zero give all ones on the H100 (tests/conformance).
                let z = self.splat_const(nb, u64::MAX);
                b.build_select(isz, z, q, "").e()?.into_vector_value()
            }
            "neg" if fl => {
                let x = self.to_f(s[0], t)?;
                let r = b.build_float_neg(x, "").e()?;
                self.from_f(r)?
            }
            "neg" => b.build_int_neg(s[0], "").e()?,
            "abs" if fl => {
                let x = self.to_f(s[0], t)?;
                let r = self.call_intr("llvm.fabs", &[x.get_type().into()], &[x.into()])?.into_vector_value();
                self.from_f(r)?
            }
            "abs" => self.call_intr("llvm.abs", &[self.ivec(nb).into()], &[s[0].into(), self.cx.bool_type().const_zero().into()])?.into_vector_value(),
            "min" | "max" if fl => {
                let (x, y) = (self.to_f(s[0], t)?, self.to_f(s[1], t)?);
                let name = match (op, i.has("NaN")) {
                    ("min", false) => "llvm.minnum",
                    ("max", false) => "llvm.maxnum",
                    ("min", true) => "llvm.minimum",
                    _ => "llvm.maximum",
                };
                let r = self.call_intr(name, &[x.get_type().into()], &[x.into(), y.into()])?.into_vector_value();
                self.from_f(r)?
            }
            "min" | "max" if i.has("s16x2") || i.has("u16x2") => {
                // PTX ISA 9.7.1.10/11: per 16-bit half, optional .relu
                let signed = i.has("s16x2");
                let name = match (op, signed) {
                    ("min", true) => "llvm.smin",
                    ("min", false) => "llvm.umin",
                    ("max", true) => "llvm.smax",
                    _ => "llvm.umax",
                };
                let (al, ah) = self.halves(s[0])?;
                let (bl, bh) = self.halves(s[1])?;
                let mut out = Vec::new();
                for (x, y) in [(al, bl), (ah, bh)] {
                    let mut r = self.call_intr(name, &[self.ivec(16).into()], &[x.into(), y.into()])?.into_vector_value();
                    if i.has("relu") {
                        r = self.call_intr("llvm.smax", &[self.ivec(16).into()], &[r.into(), self.ivec(16).const_zero().into()])?.into_vector_value();
                    }
                    out.push(r);
                }
                self.pack_halves(out[0], out[1])?
            }
            "min" | "max" => {
                let name = match (op, t.is_signed()) {
                    ("min", true) => "llvm.smin",
                    ("min", false) => "llvm.umin",
                    ("max", true) => "llvm.smax",
                    _ => "llvm.umax",
                };
                let mut r = self.call_intr(name, &[self.ivec(nb).into()], &[s[0].into(), s[1].into()])?.into_vector_value();
                if s.len() > 2 {
                    r = self.call_intr(name, &[self.ivec(nb).into()], &[r.into(), s[2].into()])?.into_vector_value();
                }
                if i.has("relu") {
                    r = self.call_intr("llvm.smax", &[self.ivec(nb).into()], &[r.into(), self.ivec(nb).const_zero().into()])?.into_vector_value();
                }
                r
            }
            "and" => b.build_and(s[0], s[1], "").e()?,
            "or" => b.build_or(s[0], s[1], "").e()?,
            "xor" => b.build_xor(s[0], s[1], "").e()?,
            "not" => b.build_not(s[0], "").e()?,
            "cnot" => {
                let z = b.build_int_compare(IntPredicate::EQ, s[0], self.ivec(nb).const_zero(), "").e()?;
                self.resize(z, nb, false)?
            }
            "shl" | "shr" => {
                // PTX clamps shift amounts ≥ width; LLVM would make them poison. The amount is
                // an unsigned 32-bit value whatever the operand width.
                let big = b.build_int_compare(IntPredicate::UGT, s[1], self.splat_const(32, (nb - 1) as u64), "").e()?;
                let amt = self.resize(s[1], nb, false)?;
                let wmax = self.splat_const(nb, (nb - 1) as u64);
                let clamped = b.build_select(big, wmax, amt, "").e()?.into_vector_value();
                if op == "shl" {
                    let r = b.build_left_shift(s[0], clamped, "").e()?;
                    b.build_select(big, self.ivec(nb).const_zero(), r, "").e()?.into_vector_value()
                } else if t.is_signed() {
                    b.build_right_shift(s[0], clamped, true, "").e()?
                } else {
                    let r = b.build_right_shift(s[0], clamped, false, "").e()?;
                    b.build_select(big, self.ivec(nb).const_zero(), r, "").e()?.into_vector_value()
                }
            }
            "popc" | "clz" => {
                let name = if op == "popc" { "llvm.ctpop" } else { "llvm.ctlz" };
                let args: Vec<BasicValueEnum> = if op == "popc" {
                    vec![s[0].into()]
                } else {
                    vec![s[0].into(), self.cx.bool_type().const_zero().into()]
                };
                let r = self.call_intr(name, &[self.ivec(nb).into()], &args)?.into_vector_value();
                self.resize(r, 32, false)?
            }
            "brev" => self.call_intr("llvm.bitreverse", &[self.ivec(nb).into()], &[s[0].into()])?.into_vector_value(),
            "bfind" => {
                // Position of the most significant non-sign bit; 0xffffffff when none.
                let x = if t.is_signed() {
                    let neg = b.build_int_compare(IntPredicate::SLT, s[0], self.ivec(nb).const_zero(), "").e()?;
                    let inv = b.build_not(s[0], "").e()?;
                    b.build_select(neg, inv, s[0], "").e()?.into_vector_value()
                } else {
                    s[0]
                };
                let lz = self.call_intr("llvm.ctlz", &[self.ivec(nb).into()], &[x.into(), self.cx.bool_type().const_zero().into()])?.into_vector_value();
                let lz = self.resize(lz, 32, false)?;
                let pos = b.build_int_sub(self.splat_const(32, (nb - 1) as u64), lz, "").e()?;
                let r = if i.has("shiftamt") { b.build_int_sub(self.splat_const(32, (nb - 1) as u64), pos, "").e()? } else { pos };
                let none = b.build_int_compare(IntPredicate::EQ, lz, self.splat_const(32, nb as u64), "").e()?;
                b.build_select(none, self.splat_const(32, u32::MAX as u64), r, "").e()?.into_vector_value()
            }
            "bfe" => self.bfe(s[0], s[1], s[2], t)?,
            "bfi" => self.bfi(s[0], s[1], s[2], s[3], t)?,
            "prmt" => self.prmt(i, s[0], s[1], s[2])?,
            "lop3" => {
                let lut = match &i.operands[4] {
                    Operand::Imm(Constant::Int(v)) => *v as u8,
                    _ => return Err("lop3 needs an immediate LUT".into()),
                };
                let (a, bb, c) = (s[0], s[1], s[2]);
                let mut acc = self.ivec(nb).const_zero();
                for k in 0..8u8 {
                    if lut & (1 << k) == 0 {
                        continue;
                    }
                    // Minterm k: bit 2 selects a, bit 1 b, bit 0 c.
                    let pick = |g: &Self, v: VectorValue<'ctx>, on: bool| -> R<VectorValue<'ctx>> {
                        if on {
                            Ok(v)
                        } else {
                            g.b.build_not(v, "").e()
                        }
                    };
                    let ta = pick(self, a, k & 4 != 0)?;
                    let tb = pick(self, bb, k & 2 != 0)?;
                    let tc = pick(self, c, k & 1 != 0)?;
                    let term = self.b.build_and(self.b.build_and(ta, tb, "").e()?, tc, "").e()?;
                    acc = self.b.build_or(acc, term, "").e()?;
                }
                acc
            }
            "shf" => {
                let name = if i.has("l") { "llvm.fshl" } else { "llvm.fshr" };
                let amt = if i.has("clamp") {
                    self.call_intr("llvm.umin", &[self.ivec(32).into()], &[s[2].into(), self.splat_const(32, 32).into()])?.into_vector_value()
                } else {
                    self.b.build_and(s[2], self.splat_const(32, 31), "").e()?
                };
                // shf.l: hi word = b, lo = a; result is the high word of (b:a) << n.
                let is_32 = self.b.build_int_compare(IntPredicate::EQ, amt, self.splat_const(32, 32), "").e()?;
                let f = self.call_intr(name, &[self.ivec(32).into()], &[s[1].into(), s[0].into(), amt.into()])?.into_vector_value();
                let full = if i.has("l") { s[0] } else { s[1] };
                self.b.build_select(is_32, full, f, "").e()?.into_vector_value()
            }
            "sad" => {
                let d = self.abs_diff(s[0], s[1], t)?;
                self.b.build_int_add(d, s[2], "").e()?
            }
            "rcp" => {
                let x = self.to_f(s[0], t)?;
                let one = VectorType::const_vector(&vec![x.get_type().get_element_type().into_float_type().const_float(1.0); W as usize]);
                let r = self.b.build_float_div(one, x, "").e()?;
                self.from_f(r)?
            }
            "sqrt" | "rsqrt" => {
                let x = self.to_f(s[0], t)?;
                let r = self.call_intr("llvm.sqrt", &[x.get_type().into()], &[x.into()])?.into_vector_value();
                let r = if op == "rsqrt" {
                    let one = VectorType::const_vector(&vec![x.get_type().get_element_type().into_float_type().const_float(1.0); W as usize]);
                    self.b.build_float_div(one, r, "").e()?
                } else {
                    r
                };
                self.from_f(r)?
            }
            "sin" | "cos" | "ex2" | "lg2" | "tanh" => {
                let suffix = if t == Type::F64 { "f64" } else { "f32" };
                let helper = format!("cuemu_{op}_{suffix}");
                // PTX ISA 9.7.3.18-22 (.approx, within the bound stated in tests/conformance.rs):
                // host libm, canonical NaN, .ftz on input and output.
                let fmt = if t == Type::F64 { super::float::F64 } else { super::float::F32 };
                let x = if i.has("ftz") { self.bits_ftz(s[0], fmt)? } else { s[0] };
                let (pin, pout) = (self.scratch()?, self.scratch()?);
                self.b.build_store(pin, x).e()?;
                self.call_helper(&helper, &[pin.into(), pout.into()])?;
                let r = self.b.build_load(self.ivec(nb), pout, "").e()?.into_vector_value();
                let r = if i.has("ftz") { self.bits_ftz(r, fmt)? } else { r };
                if t == Type::F64 {
                    r
                } else {
                    self.bits_canon(r, fmt)?
                }
            }
            "copysign" => {
                let (x, y) = (self.to_f(s[0], t)?, self.to_f(s[1], t)?);
                // PTX: copysign.f32 d, a, b copies the sign of a onto b.
                let r = self.call_intr("llvm.copysign", &[x.get_type().into()], &[y.into(), x.into()])?.into_vector_value();
                self.from_f(r)?
            }
            "testp" => {
                let x = self.to_f(s[0], t)?;
                let abs = self.call_intr("llvm.fabs", &[x.get_type().into()], &[x.into()])?.into_vector_value();
                let et = x.get_type().get_element_type().into_float_type();
                let inf = VectorType::const_vector(&vec![et.const_float(f64::INFINITY); W as usize]);
                let min_normal = if t == Type::F64 { f64::MIN_POSITIVE } else { f32::MIN_POSITIVE as f64 };
                let minn = VectorType::const_vector(&vec![et.const_float(min_normal); W as usize]);
                let zero = VectorType::const_vector(&vec![et.const_float(0.0); W as usize]);
                let p = if i.has("finite") {
                    self.b.build_float_compare(FloatPredicate::OLT, abs, inf, "").e()?
                } else if i.has("infinite") {
                    self.b.build_float_compare(FloatPredicate::OEQ, abs, inf, "").e()?
                } else if i.has("number") {
                    self.b.build_float_compare(FloatPredicate::ORD, x, x, "").e()?
                } else if i.has("notanumber") {
                    self.b.build_float_compare(FloatPredicate::UNO, x, x, "").e()?
                } else if i.has("normal") {
                    // zero counts as normal on the H100 (tests/conformance)
                    let a = self.b.build_float_compare(FloatPredicate::OGE, abs, minn, "").e()?;
                    let z = self.b.build_float_compare(FloatPredicate::OEQ, abs, zero, "").e()?;
                    let a = self.b.build_or(a, z, "").e()?;
                    let c = self.b.build_float_compare(FloatPredicate::OLT, abs, inf, "").e()?;
                    self.b.build_and(a, c, "").e()?
                } else {
                    let a = self.b.build_float_compare(FloatPredicate::OLT, abs, minn, "").e()?;
                    let c = self.b.build_float_compare(FloatPredicate::OGT, abs, zero, "").e()?;
                    self.b.build_and(a, c, "").e()?
                };
                return self.write_dst(i, p, Type::Pred);
            }
            "slct" => {
                // slct.dtype.s32/f32 d, a, b, c: d = c >= 0 ? a : b
                let tys = i.types();
                let ct = *tys.last().unwrap();
                let dt = tys[0];
                let a = self.val(&i.operands[1], dt)?;
                let bb = self.val(&i.operands[2], dt)?;
                let c = self.val(&i.operands[3], ct)?;
                let ge = if ct == Type::F32 {
                    let cf = self.to_f(c, ct)?;
                    let z = VectorType::const_vector(&vec![self.cx.f32_type().const_float(0.0); W as usize]);
                    self.b.build_float_compare(FloatPredicate::OGE, cf, z, "").e()?
                } else {
                    self.b.build_int_compare(IntPredicate::SGE, c, self.ivec(32).const_zero(), "").e()?
                };
                let r = self.b.build_select(ge, a, bb, "").e()?.into_vector_value();
                return self.write_dst(i, r, dt);
            }
            "dp4a" | "dp2a" => self.dot_accumulate(i, op, &s)?,
            "fns" => self.fns(s[0], s[1], s[2])?,
            "bmsk" => self.bmsk(i, s[0], s[1])?,
            "szext" => self.szext(i, s[0], s[1], t)?,
            _ => return Err(format!("unsupported instruction {}", show(i))),
        };
        let dt = if (op == "mul" || op == "mad") && i.has("wide") { wide(t) } else { t };
        let dt = if matches!(op, "popc" | "clz" | "bfind") { Type::U32 } else { dt };
        self.write_dst(i, r, dt)
    }

    fn int_mul(&self, i: &ir::Instruction, a: VectorValue<'ctx>, b: VectorValue<'ctx>, t: Type) -> R<VectorValue<'ctx>> {
        let nb = bits(t);
        let s = t.is_signed();
        let (a, b) = if i.opcode.ends_with("24") {
            // 24-bit multiply: operands are the low 24 bits (sign-extended for .s32).
            let sh = self.splat_const(nb, 8);
            let fix = |v: VectorValue<'ctx>| -> R<VectorValue<'ctx>> {
                let l = self.b.build_left_shift(v, sh, "").e()?;
                self.b.build_right_shift(l, sh, s, "").e()
            };
            (fix(a)?, fix(b)?)
        } else {
            (a, b)
        };
        if i.has("wide") {
            let a2 = self.resize(a, nb * 2, s)?;
            let b2 = self.resize(b, nb * 2, s)?;
            return self.b.build_int_mul(a2, b2, "").e();
        }
        if i.has("hi") && i.opcode.ends_with("24") {
            // mul24.hi: bits 47..16 of the 48-bit product (PTX ISA 9.7.1.7)
            let a2 = self.resize(a, 64, s)?;
            let b2 = self.resize(b, 64, s)?;
            let p = self.b.build_int_mul(a2, b2, "").e()?;
            let sh = self.b.build_right_shift(p, self.splat_const(64, 16), false, "").e()?;
            return self.resize(sh, nb, false);
        }
        if i.has("hi") {
            let a2 = self.resize(a, nb * 2, s)?;
            let b2 = self.resize(b, nb * 2, s)?;
            let p = self.b.build_int_mul(a2, b2, "").e()?;
            let sh = self.b.build_right_shift(p, self.splat_const(nb * 2, nb as u64), false, "").e()?;
            return self.resize(sh, nb, false);
        }
        self.b.build_int_mul(a, b, "").e()
    }

    /// add.cc / addc / sub.cc / subc: the carry flag is a per-lane predicate register.
    fn lower_carry(&mut self, i: &ir::Instruction, sub: bool, use_carry: bool, s: &[VectorValue<'ctx>]) -> R<()> {
        let t = self.last_type(i)?;
        let nb = bits(t);
        let wt = self.ivec(nb + 1);
        let a = self.b.build_int_z_extend(s[0], wt, "").e()?;
        let b = self.b.build_int_z_extend(s[1], wt, "").e()?;
        let mut r = if sub { self.b.build_int_sub(a, b, "").e()? } else { self.b.build_int_add(a, b, "").e()? };
        if use_carry {
            let cc = self.b.build_load(self.ivec(1), self.cc_var.unwrap(), "").e()?.into_vector_value();
            let c = self.b.build_int_z_extend(cc, wt, "").e()?;
            r = if sub { self.b.build_int_sub(r, c, "").e()? } else { self.b.build_int_add(r, c, "").e()? };
        }
        let out = self.b.build_int_truncate(r, self.ivec(nb), "").e()?;
        if i.has("cc") {
            let top = self.b.build_right_shift(r, self.splat_const(nb + 1, nb as u64), false, "").e()?;
            let carry = self.b.build_int_truncate(top, self.ivec(1), "").e()?;
            let old = self.b.build_load(self.ivec(1), self.cc_var.unwrap(), "").e()?.into_vector_value();
            let new = self.b.build_select(self.emask(), carry, old, "").e()?;
            self.b.build_store(self.cc_var.unwrap(), new).e()?;
        }
        self.write_dst(i, out, t)
    }

    fn abs_diff(&self, a: VectorValue<'ctx>, b: VectorValue<'ctx>, t: Type) -> R<VectorValue<'ctx>> {
        let p = if t.is_signed() { IntPredicate::SGT } else { IntPredicate::UGT };
        let gt = self.b.build_int_compare(p, a, b, "").e()?;
        let d1 = self.b.build_int_sub(a, b, "").e()?;
        let d2 = self.b.build_int_sub(b, a, "").e()?;
        Ok(self.b.build_select(gt, d1, d2, "").e()?.into_vector_value())
    }

    /// bfe: extract `len` bits at `pos` (both clamped to 0..255), sign-extending for signed types.
    fn bfe(&self, a: VectorValue<'ctx>, pos: VectorValue<'ctx>, len: VectorValue<'ctx>, t: Type) -> R<VectorValue<'ctx>> {
        let nb = bits(t);
        let b = &self.b;
        // 32-bit forms use bits 7..0 of pos and len; 64-bit forms the whole values (H100).
        let m = if nb == 64 { u32::MAX as u64 } else { 0xff };
        let pos = b.build_and(pos, self.splat_const(32, m), "").e()?;
        let len = b.build_and(len, self.splat_const(32, m), "").e()?;
        let pos_w = self.resize(pos, nb, false)?;
        let len_w = self.resize(len, nb, false)?;
        let wv = self.splat_const(nb, nb as u64);
        let pos_c = self.call_intr("llvm.umin", &[self.ivec(nb).into()], &[pos_w.into(), self.splat_const(nb, (nb - 1) as u64).into()])?.into_vector_value();
        let shifted = if t.is_signed() { b.build_right_shift(a, pos_c, true, "").e()? } else { b.build_right_shift(a, pos_c, false, "").e()? };
        // When pos >= width the source is all sign (or zero) bits.
        let pos_big = b.build_int_compare(IntPredicate::UGE, pos_w, wv, "").e()?;
        let sign_fill = if t.is_signed() { b.build_right_shift(a, self.splat_const(nb, (nb - 1) as u64), true, "").e()? } else { self.ivec(nb).const_zero() };
        let shifted = b.build_select(pos_big, sign_fill, shifted, "").e()?.into_vector_value();
        // Keep `len` bits: shift left then right by (width - len).
        let len_c = self.call_intr("llvm.umin", &[self.ivec(nb).into()], &[len_w.into(), wv.into()])?.into_vector_value();
        let k = b.build_int_sub(wv, len_c, "").e()?;
        let k_c = self.call_intr("llvm.umin", &[self.ivec(nb).into()], &[k.into(), self.splat_const(nb, (nb - 1) as u64).into()])?.into_vector_value();
        let l = b.build_left_shift(shifted, k_c, "").e()?;
        let r = b.build_right_shift(l, k_c, t.is_signed(), "").e()?;
        let len_zero = b.build_int_compare(IntPredicate::EQ, len_c, self.ivec(nb).const_zero(), "").e()?;
        Ok(b.build_select(len_zero, self.ivec(nb).const_zero(), r, "").e()?.into_vector_value())
    }

    fn bfi(&self, a: VectorValue<'ctx>, bv: VectorValue<'ctx>, pos: VectorValue<'ctx>, len: VectorValue<'ctx>, t: Type) -> R<VectorValue<'ctx>> {
        let nb = bits(t);
        let b = &self.b;
        let m = if nb == 64 { u32::MAX as u64 } else { 0xff };
        let pos = self.resize(b.build_and(pos, self.splat_const(32, m), "").e()?, nb, false)?;
        let len = self.resize(b.build_and(len, self.splat_const(32, m), "").e()?, nb, false)?;
        let wv = self.splat_const(nb, nb as u64);
        let len_c = self.call_intr("llvm.umin", &[self.ivec(nb).into()], &[len.into(), wv.into()])?.into_vector_value();
        // mask = ((1 << len) - 1) << pos, computed without poison shifts.
        let ones = self.splat_const(nb, u64::MAX);
        let full = b.build_int_compare(IntPredicate::UGE, len_c, wv, "").e()?;
        let lc = self.call_intr("llvm.umin", &[self.ivec(nb).into()], &[len_c.into(), self.splat_const(nb, (nb - 1) as u64).into()])?.into_vector_value();
        let m0 = b.build_int_sub(b.build_left_shift(self.splat_const(nb, 1), lc, "").e()?, self.splat_const(nb, 1), "").e()?;
        let m0 = b.build_select(full, ones, m0, "").e()?.into_vector_value();
        let pos_big = b.build_int_compare(IntPredicate::UGE, pos, wv, "").e()?;
        let pc = self.call_intr("llvm.umin", &[self.ivec(nb).into()], &[pos.into(), self.splat_const(nb, (nb - 1) as u64).into()])?.into_vector_value();
        let m = b.build_left_shift(m0, pc, "").e()?;
        let m = b.build_select(pos_big, self.ivec(nb).const_zero(), m, "").e()?.into_vector_value();
        let ins = b.build_and(b.build_left_shift(a, pc, "").e()?, m, "").e()?;
        let keep = b.build_and(bv, b.build_not(m, "").e()?, "").e()?;
        Ok(b.build_or(ins, keep, "").e()?)
    }

    /// prmt.b32{.mode} d, a, b, c — byte permute (PTX ISA "prmt").
    fn prmt(&self, i: &ir::Instruction, a: VectorValue<'ctx>, bv: VectorValue<'ctx>, c: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        let mode = ["f4e", "b4e", "rc8", "ecl", "ecr", "rc16"].iter().find(|m| i.has(m)).copied();
        let b = &self.b;
        if let Some(mode) = mode {
            // PTX ISA 9.7.7.7 prmt modes: byte k of d is byte idx(sel, k) of {b, a}.
            let a64 = self.resize(a, 64, false)?;
            let b64 = self.resize(bv, 64, false)?;
            let src = b.build_or(a64, b.build_left_shift(b64, self.splat_const(64, 32), "").e()?, "").e()?;
            let sel = b.build_and(c, self.splat_const(32, if mode == "rc16" { 1 } else { 3 }), "").e()?;
            let mut out = self.ivec(32).const_zero();
            for k in 0..4u64 {
                let kc = self.splat_const(32, k);
                let idx = match mode {
                    "f4e" => b.build_and(b.build_int_add(sel, kc, "").e()?, self.splat_const(32, 7), "").e()?,
                    "b4e" => b.build_and(b.build_int_sub(sel, kc, "").e()?, self.splat_const(32, 7), "").e()?,
                    "rc8" => sel,
                    "ecl" => self.call_intr("llvm.umax", &[self.ivec(32).into()], &[sel.into(), kc.into()])?.into_vector_value(),
                    "ecr" => self.call_intr("llvm.umin", &[self.ivec(32).into()], &[sel.into(), kc.into()])?.into_vector_value(),
                    _ => b.build_int_add(b.build_int_mul(sel, self.splat_const(32, 2), "").e()?, self.splat_const(32, k & 1), "").e()?,
                };
                let sh = self.resize(b.build_int_mul(idx, self.splat_const(32, 8), "").e()?, 64, false)?;
                let byte = b.build_and(b.build_right_shift(src, sh, false, "").e()?, self.splat_const(64, 0xff), "").e()?;
                let byte = self.resize(byte, 32, false)?;
                out = b.build_or(out, b.build_left_shift(byte, self.splat_const(32, 8 * k), "").e()?, "").e()?;
            }
            return Ok(out);
        }
        // 64-bit source: b:a, byte k = (src >> 8k) & 0xff.
        let a64 = self.resize(a, 64, false)?;
        let b64 = self.resize(bv, 64, false)?;
        let src = b.build_or(a64, b.build_left_shift(b64, self.splat_const(64, 32), "").e()?, "").e()?;
        let mut out = self.ivec(32).const_zero();
        for k in 0..4u64 {
            let sel = b.build_and(b.build_right_shift(c, self.splat_const(32, 4 * k), false, "").e()?, self.splat_const(32, 0xf), "").e()?;
            let idx = b.build_and(sel, self.splat_const(32, 7), "").e()?;
            let sign = b.build_and(sel, self.splat_const(32, 8), "").e()?;
            let sh = self.resize(b.build_int_mul(idx, self.splat_const(32, 8), "").e()?, 64, false)?;
            let byte = b.build_and(b.build_right_shift(src, sh, false, "").e()?, self.splat_const(64, 0xff), "").e()?;
            let byte = self.resize(byte, 32, false)?;
            // Sign mode: replicate the byte's top bit.
            let msb = b.build_and(byte, self.splat_const(32, 0x80), "").e()?;
            let has_sign = b.build_int_compare(IntPredicate::NE, sign, self.ivec(32).const_zero(), "").e()?;
            let msb_set = b.build_int_compare(IntPredicate::NE, msb, self.ivec(32).const_zero(), "").e()?;
            let fill = b.build_and(has_sign, msb_set, "").e()?;
            let byte = b.build_select(has_sign, b.build_select(fill, self.splat_const(32, 0xff), self.ivec(32).const_zero(), "").e()?.into_vector_value(), byte, "").e()?.into_vector_value();
            out = b.build_or(out, b.build_left_shift(byte, self.splat_const(32, 8 * k), "").e()?, "").e()?;
        }
        Ok(out)
    }

    /// dp4a / dp2a (PTX ISA 9.7.1.23/24): c + the dot product of byte (and half) lanes.
    fn dot_accumulate(&self, i: &ir::Instruction, op: &str, s: &[VectorValue<'ctx>]) -> R<VectorValue<'ctx>> {
        let tys = i.types();
        let (at, bt) = (tys[0], tys[1]);
        let b = &self.b;
        let lane = |v: VectorValue<'ctx>, k: u64, w: u32, signed: bool| -> R<VectorValue<'ctx>> {
            let sh = b.build_right_shift(v, self.splat_const(32, k * w as u64), false, "").e()?;
            let t = self.resize(sh, w, false)?;
            self.resize(t, 32, signed)
        };
        let mut acc = s[2];
        if op == "dp4a" {
            for k in 0..4 {
                let x = lane(s[0], k, 8, at.is_signed())?;
                let y = lane(s[1], k, 8, bt.is_signed())?;
                acc = b.build_int_add(acc, b.build_int_mul(x, y, "").e()?, "").e()?;
            }
        } else {
            let base = if i.has("hi") { 2 } else { 0 };
            for k in 0..2 {
                let x = lane(s[0], k, 16, at.is_signed())?;
                let y = lane(s[1], base + k, 8, bt.is_signed())?;
                acc = b.build_int_add(acc, b.build_int_mul(x, y, "").e()?, "").e()?;
            }
        }
        Ok(acc)
    }

    /// fns.b32 d, mask, base, offset (PTX ISA 9.7.1.25): position of the offset-th set bit of
    /// mask counting from base (upwards for offset > 0, downwards for offset < 0); 0xffffffff
    /// when there is none.
    fn fns(&self, mask: VectorValue<'ctx>, base: VectorValue<'ctx>, off: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        let b = &self.b;
        let k32 = |v: u64| self.splat_const(32, v);
        let base_big = b.build_int_compare(IntPredicate::UGT, base, k32(31), "").e()?;
        let base = b.build_and(base, k32(31), "").e()?;
        let neg = b.build_int_compare(IntPredicate::SLT, off, k32(0), "").e()?;
        let n = self.call_intr("llvm.abs", &[self.ivec(32).into()], &[off.into(), self.cx.bool_type().const_zero().into()])?.into_vector_value();
        // bits at or above base (up) / at or below base (down)
        let one = k32(1);
        let below = b.build_int_sub(b.build_left_shift(one, base, "").e()?, one, "").e()?;
        let up_bits = b.build_and(mask, b.build_not(below, "").e()?, "").e()?;
        let upto = b.build_or(below, b.build_left_shift(one, base, "").e()?, "").e()?;
        let down_bits = b.build_and(mask, upto, "").e()?;
        let bits = b.build_select(neg, down_bits, up_bits, "").e()?.into_vector_value();
        let mut d = k32(u32::MAX as u64);
        for j in 0..32u64 {
            let range = if true {
                // set bits of `bits` in [base, j] (up) or [j, base] (down)
                let le_j = k32(if j == 31 { u32::MAX as u64 } else { (2u64 << j) - 1 });
                let ge_j = k32((!((1u64 << j) - 1)) & 0xffff_ffff);
                b.build_select(neg, b.build_and(bits, ge_j, "").e()?, b.build_and(bits, le_j, "").e()?, "").e()?.into_vector_value()
            } else {
                bits
            };
            let cnt = self.call_intr("llvm.ctpop", &[self.ivec(32).into()], &[range.into()])?.into_vector_value();
            let bit = b.build_and(b.build_right_shift(bits, k32(j), false, "").e()?, one, "").e()?;
            let hit = b.build_and(
                b.build_int_compare(IntPredicate::EQ, cnt, n, "").e()?,
                b.build_int_compare(IntPredicate::NE, bit, k32(0), "").e()?,
                "",
            ).e()?;
            d = b.build_select(hit, k32(j), d, "").e()?.into_vector_value();
        }
        // offset 0: base itself if set
        let zero = b.build_int_compare(IntPredicate::EQ, off, k32(0), "").e()?;
        let bset = b.build_and(b.build_right_shift(mask, base, false, "").e()?, one, "").e()?;
        let bset = b.build_int_compare(IntPredicate::NE, bset, k32(0), "").e()?;
        let z = b.build_select(bset, base, k32(u32::MAX as u64), "").e()?.into_vector_value();
        let r = b.build_select(zero, z, d, "").e()?.into_vector_value();
        // a base outside 0..31 finds nothing (H100)
        Ok(b.build_select(base_big, k32(u32::MAX as u64), r, "").e()?.into_vector_value())
    }

    /// bmsk.{clamp,wrap}.b32 d, pos, len (PTX ISA 9.7.7.2): len ones starting at bit pos.
    fn bmsk(&self, i: &ir::Instruction, pos: VectorValue<'ctx>, len: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        let b = &self.b;
        let (pos, len) = if i.has("wrap") {
            (b.build_and(pos, self.splat_const(32, 31), "").e()?, b.build_and(len, self.splat_const(32, 31), "").e()?)
        } else {
            let p = self.call_intr("llvm.umin", &[self.ivec(32).into()], &[pos.into(), self.splat_const(32, 32).into()])?.into_vector_value();
            let l = self.call_intr("llvm.umin", &[self.ivec(32).into()], &[len.into(), self.splat_const(32, 32).into()])?.into_vector_value();
            (p, l)
        };
        let p = self.resize(pos, 64, false)?;
        let l = self.resize(len, 64, false)?;
        let end = self.call_intr("llvm.umin", &[self.ivec(64).into()], &[b.build_int_add(p, l, "").e()?.into(), self.splat_const(64, 32).into()])?.into_vector_value();
        let one = self.splat_const(64, 1);
        let hi = b.build_int_sub(b.build_left_shift(one, end, "").e()?, one, "").e()?;
        let lo = b.build_int_sub(b.build_left_shift(one, p, "").e()?, one, "").e()?;
        let m = b.build_and(hi, b.build_not(lo, "").e()?, "").e()?;
        self.resize(m, 32, false)
    }

    /// szext.{clamp,wrap}.{s32,u32} d, a, width (PTX ISA 9.7.7.3): sign- or zero-extend the
    /// low `width` bits of a.
    fn szext(&self, i: &ir::Instruction, a: VectorValue<'ctx>, w: VectorValue<'ctx>, t: Type) -> R<VectorValue<'ctx>> {
        let b = &self.b;
        let w = if i.has("wrap") {
            b.build_and(w, self.splat_const(32, 31), "").e()?
        } else {
            self.call_intr("llvm.umin", &[self.ivec(32).into()], &[w.into(), self.splat_const(32, 32).into()])?.into_vector_value()
        };
        let a64 = self.resize(a, 64, false)?;
        let k = b.build_int_sub(self.splat_const(64, 64), self.resize(w, 64, false)?, "").e()?;
        let k = self.call_intr("llvm.umin", &[self.ivec(64).into()], &[k.into(), self.splat_const(64, 63).into()])?.into_vector_value();
        let l = b.build_left_shift(a64, k, "").e()?;
        let r = b.build_right_shift(l, k, t.is_signed(), "").e()?;
        let r = self.resize(r, 32, false)?;
        let wz = b.build_int_compare(IntPredicate::EQ, w, self.ivec(32).const_zero(), "").e()?;
        Ok(b.build_select(wz, self.ivec(32).const_zero(), r, "").e()?.into_vector_value())
    }

    #[allow(dead_code)]
    fn float_ty(&self, t: Type) -> R<BasicTypeEnum<'ctx>> {
        Ok(self.fvec(t)?.get_element_type())
    }
}

fn wide(t: Type) -> Type {
    match t {
        Type::S16 => Type::S32,
        Type::U16 => Type::U32,
        Type::S32 => Type::S64,
        Type::U32 | Type::B32 => Type::U64,
        other => other,
    }
}

/// Source lane and validity of `shfl` for constant operands (PTX ISA "shfl.sync").
pub fn shfl_lane(mode: &str, lane: u32, b: u32, c: u32) -> (u32, bool) {
    let seg = (c >> 8) & 31;
    let clamp = c & 31;
    let min_lane = lane & seg;
    let max_lane = min_lane | (clamp & !seg);
    let (j, p) = match mode {
        "up" => {
            let j = lane as i32 - b as i32;
            (j, j >= max_lane as i32)
        }
        "down" => {
            let j = lane as i32 + b as i32;
            (j, j <= max_lane as i32)
        }
        "bfly" => {
            let j = (lane ^ b) as i32;
            (j, j <= max_lane as i32)
        }
        _ => {
            let j = (min_lane | (b & !seg)) as i32;
            (j, j <= max_lane as i32)
        }
    };
    if p {
        ((j as u32) & 31, true)
    } else {
        (lane, false)
    }
}

/// The register named by a destination operand (`%r`, or a bare name declared in an
/// inline-asm scope such as `p` in `{ .reg .pred p; ... }`).
fn reg_of(o: &Operand) -> Option<&str> {
    match o {
        Operand::Reg(r) | Operand::Symbol(r) => Some(r.as_str()),
        _ => None,
    }
}

/// Whether `i` may be a poll of memory another warp writes: an `.acquire`/`.relaxed`/
/// `.volatile` load outside local/param/const memory, an atomic with a result, `nanosleep`. It
/// ends its basic block; inside a loop that end is a spin point (func.rs `spin_point`).
pub(crate) fn is_poll(i: &ir::Instruction) -> bool {
    let private = ["local", "param", "const"].iter().any(|s| i.has(s));
    match i.opcode.as_str() {
        "ld" => !private && (i.has("acquire") || i.has("relaxed") || i.has("volatile")),
        "atom" => !private,
        "nanosleep" => true,
        _ => false,
    }
}
