//! Thread-block clusters (PTX ISA 5.2.3, 9.7.9.23 mapa, 9.7.9.24 getctarank, 9.7.13.2
//! barrier.cluster, 9.7.9.20 isspacep): the cluster special registers and distributed shared
//! memory addressing.
//!
//! **shared::cluster addresses.** A 32-bit shared::cluster address is either a shared::cta
//! offset of the own CTA (bits 24..31 zero: PTX makes the CTA's window part of the cluster's,
//! so every shared::cta address stays valid), or `(rank + 1) << 24 | offset`, the window of CTA
//! `rank` (what `mapa.shared::cluster` and `cvta.to.shared::cluster` return). A CTA window is
//! below 16 MiB, and 16 ranks fit in the top byte. The launcher lays the windows of a cluster
//! out `shared_stride` bytes apart from `cluster_shared` (see `exec::launch`), so the host
//! address is `cluster_shared + rank * shared_stride + offset`, and a generic address into
//! another CTA's window is simply that host address.

use super::Space;
use crate::exec::compile::func::{Gen, OrMsg, R};
use crate::exec::runtime;
use inkwell::values::VectorValue;
use inkwell::IntPredicate;
use ptx::ir::{self, Type};

/// Bit position of the rank tag of a shared::cluster address.
pub const SHARED_CLUSTER_RANK_SHIFT: u32 = 24;
/// Offset bits of a shared::cluster address.
pub const SHARED_CLUSTER_OFFSET_MASK: u64 = (1 << SHARED_CLUSTER_RANK_SHIFT) - 1;

impl<'ctx, 'm> Gen<'ctx, 'm> {
    fn ctx_u64(&self, off: u64) -> R<VectorValue<'ctx>> {
        let v = self.ctx_load(off, self.cx.i64_type().into())?;
        self.splat(v)
    }

    fn ctx_u32(&self, off: u64) -> R<VectorValue<'ctx>> {
        let v = self.ctx_load(off, self.cx.i32_type().into())?;
        self.splat(v)
    }

    /// The cluster special registers, `<32 x i32>`; None for other names.
    pub(super) fn cluster_special_reg(&mut self, base: &str, comp: u64) -> R<Option<VectorValue<'ctx>>> {
        let dim = |g: &Self| g.ctx_u32(runtime::CTX_CLUSTER_DIM + comp * 4);
        Ok(Some(match base {
            "%cluster_nctaid" => dim(self)?,
            "%cluster_ctaid" | "%clusterid" => {
                let id = self.ctx_u32(runtime::CTX_CTAID + comp * 4)?;
                let d = dim(self)?;
                if base == "%clusterid" {
                    self.b.build_int_unsigned_div(id, d, "").e()?
                } else {
                    self.b.build_int_unsigned_rem(id, d, "").e()?
                }
            }
            "%nclusterid" => {
                let n = self.ctx_u32(runtime::CTX_NCTAID + comp * 4)?;
                let d = dim(self)?;
                self.b.build_int_unsigned_div(n, d, "").e()?
            }
            "%cluster_ctarank" => self.ctx_u32(runtime::CTX_CLUSTER_RANK)?,
            "%cluster_nctarank" => self.ctx_u32(runtime::CTX_CLUSTER_SIZE)?,
            "%is_explicit_cluster" => self.ctx_u32(runtime::CTX_EXPLICIT_CLUSTER)?,
            _ => return Ok(None),
        }))
    }

    /// shared::cluster address (`<32 x i64>`, low 32 bits used) → host address.
    pub(super) fn shared_cluster_to_host(&mut self, a: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        let a32 = self.resize(a, 32, false)?;
        let a = self.resize(a32, 64, false)?;
        let own = self.ctx_u64(runtime::CTX_SHARED)?;
        let own = self.b.build_int_add(own, a, "").e()?;
        let tag = self.b.build_right_shift(a, self.splat_const(64, SHARED_CLUSTER_RANK_SHIFT as u64), false, "").e()?;
        let rank = self.b.build_int_sub(tag, self.splat_const(64, 1), "").e()?;
        let stride = self.ctx_u64(runtime::CTX_SHARED_STRIDE)?;
        let base = self.ctx_u64(runtime::CTX_CLUSTER_SHARED)?;
        let off = self.b.build_and(a, self.splat_const(64, SHARED_CLUSTER_OFFSET_MASK), "").e()?;
        let r = self.b.build_int_mul(rank, stride, "").e()?;
        let remote = self.b.build_int_add(base, r, "").e()?;
        let remote = self.b.build_int_add(remote, off, "").e()?;
        let is_own = self.b.build_int_compare(IntPredicate::EQ, tag, self.ivec(64).const_zero(), "").e()?;
        Ok(self.b.build_select(is_own, own, remote, "").e()?.into_vector_value())
    }

    /// (rank, offset in its window) of host addresses inside the cluster's windows.
    fn cluster_rank_offset(&mut self, host: VectorValue<'ctx>) -> R<(VectorValue<'ctx>, VectorValue<'ctx>)> {
        let base = self.ctx_u64(runtime::CTX_CLUSTER_SHARED)?;
        let stride = self.ctx_u64(runtime::CTX_SHARED_STRIDE)?;
        let rel = self.b.build_int_sub(host, base, "").e()?;
        let rank = self.b.build_int_unsigned_div(rel, stride, "").e()?;
        let off = self.b.build_int_unsigned_rem(rel, stride, "").e()?;
        Ok((rank, off))
    }

    /// Host address → shared::cluster address (`cvta.to.shared::cluster`), as `<32 x i64>`.
    pub(super) fn host_to_shared_cluster(&mut self, host: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        let (rank, off) = self.cluster_rank_offset(host)?;
        self.tagged(rank, off)
    }

    fn tagged(&mut self, rank: VectorValue<'ctx>, off: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        let r1 = self.b.build_int_add(rank, self.splat_const(64, 1), "").e()?;
        let tag = self.b.build_left_shift(r1, self.splat_const(64, SHARED_CLUSTER_RANK_SHIFT as u64), "").e()?;
        let off = self.b.build_and(off, self.splat_const(64, SHARED_CLUSTER_OFFSET_MASK), "").e()?;
        Ok(self.b.build_or(tag, off, "").e()?)
    }

    /// Offset within its CTA window of a shared::cluster address.
    fn shared_cluster_offset(&mut self, a: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        let a32 = self.resize(a, 32, false)?;
        let a = self.resize(a32, 64, false)?;
        Ok(self.b.build_and(a, self.splat_const(64, SHARED_CLUSTER_OFFSET_MASK), "").e()?)
    }

    /// `mapa{.shared::cluster}.{u32,u64} d, a, rank` (PTX ISA 9.7.9.23): the same variable in
    /// the window of CTA `rank`, as a shared::cluster address or (without a space) a generic one.
    pub(super) fn lower_mapa(&mut self, i: &ir::Instruction) -> R<()> {
        let t = self.last_type(i)?;
        let a = self.val(&i.operands[1], t)?;
        let a = self.resize(a, 64, false)?;
        let rank = self.val(&i.operands[2], Type::U32)?;
        let rank = self.resize(rank, 64, false)?;
        let d = if i.has("shared::cluster") {
            let off = self.shared_cluster_offset(a)?;
            self.tagged(rank, off)?
        } else {
            let (_, off) = self.cluster_rank_offset(a)?;
            let base = self.ctx_u64(runtime::CTX_CLUSTER_SHARED)?;
            let stride = self.ctx_u64(runtime::CTX_SHARED_STRIDE)?;
            let r = self.b.build_int_mul(rank, stride, "").e()?;
            let w = self.b.build_int_add(base, r, "").e()?;
            self.b.build_int_add(w, off, "").e()?
        };
        let d = self.resize(d, t.size() * 8, false)?;
        self.write_dst(i, d, t)
    }

    /// `getctarank{.shared::cluster}.{u32,u64} d, a` (PTX ISA 9.7.9.24): the rank of the CTA
    /// whose window holds address `a`.
    pub(super) fn lower_getctarank(&mut self, i: &ir::Instruction) -> R<()> {
        let t = self.last_type(i)?;
        let a = self.val(&i.operands[1], t)?;
        let a = self.resize(a, 64, false)?;
        let rank = if i.has("shared::cluster") {
            let a32 = self.resize(a, 32, false)?;
            let a = self.resize(a32, 64, false)?;
            let tag = self.b.build_right_shift(a, self.splat_const(64, SHARED_CLUSTER_RANK_SHIFT as u64), false, "").e()?;
            let r = self.b.build_int_sub(tag, self.splat_const(64, 1), "").e()?;
            let own = self.ctx_u32(runtime::CTX_CLUSTER_RANK)?;
            let own = self.resize(own, 64, false)?;
            let is_own = self.b.build_int_compare(IntPredicate::EQ, tag, self.ivec(64).const_zero(), "").e()?;
            self.b.build_select(is_own, own, r, "").e()?.into_vector_value()
        } else {
            self.cluster_rank_offset(a)?.0
        };
        let r = self.resize(rank, 32, false)?;
        self.write_dst(i, r, Type::U32)
    }

    /// `isspacep.space p, a` (PTX ISA 9.7.9.20) for a generic address: global, shared{::cta}
    /// (the own CTA's window), shared::cluster (any window of the cluster), local, const (the
    /// module's `.const` variables) and param (the kernel's parameter buffer, whose generic
    /// addresses `cvta.param` gives for `__grid_constant__` parameters). Global is neither
    /// shared, local nor const.
    pub(super) fn lower_isspacep(&mut self, i: &ir::Instruction) -> R<()> {
        let a = self.val(&i.operands[1], Type::U64)?;
        let within = |g: &mut Self, lo: VectorValue<'ctx>, len: VectorValue<'ctx>| -> R<VectorValue<'ctx>> {
            let rel = g.b.build_int_sub(a, lo, "").e()?;
            Ok(g.b.build_int_compare(IntPredicate::ULT, rel, len, "").e()?)
        };
        let cluster = |g: &mut Self| -> R<VectorValue<'ctx>> {
            let base = g.ctx_u64(runtime::CTX_CLUSTER_SHARED)?;
            let stride = g.ctx_u64(runtime::CTX_SHARED_STRIDE)?;
            let n = g.ctx_u32(runtime::CTX_CLUSTER_SIZE)?;
            let n = g.resize(n, 64, false)?;
            let len = g.b.build_int_mul(stride, n, "").e()?;
            within(g, base, len)
        };
        let local = |g: &mut Self| -> R<VectorValue<'ctx>> {
            let lo = g.ctx_u64(runtime::CTX_LOCAL)?;
            let hi = g.ctx_u64(runtime::CTX_LOCAL_END)?;
            let len = g.b.build_int_sub(hi, lo, "").e()?;
            within(g, lo, len)
        };
        let constant = |g: &mut Self| -> R<VectorValue<'ctx>> {
            let mut any = g.cx.bool_type().vec_type(32).const_zero();
            for &(lo, len) in &g.syms.const_ranges {
                let r = within(g, g.splat_const(64, lo), g.splat_const(64, len))?;
                any = g.b.build_or(any, r, "").e()?;
            }
            Ok(any)
        };
        let param = |g: &mut Self| -> R<VectorValue<'ctx>> {
            // The kernel's parameter buffer: its entry's parameters, laid out as the launcher packs them.
            let entry = g.ptx_funcs.values().find(|f| f.kind == ir::FunctionKind::Entry);
            let end = entry.map_or(0, |f| crate::exec::compile::param_layout(f).1);
            let lo = g.ctx_u64(runtime::CTX_PARAMS)?;
            within(g, lo, g.splat_const(64, end))
        };
        let p = if i.has("shared::cluster") {
            cluster(self)?
        } else if i.has("shared") || i.has("shared::cta") {
            let own = self.ctx_u64(runtime::CTX_SHARED)?;
            let dynb = self.ctx_u32(runtime::CTX_DYN_SHARED)?;
            let dynb = self.resize(dynb, 64, false)?;
            let window = crate::exec::compile::SHARED_RESERVED + self.shared.static_size;
            let len = self.b.build_int_add(dynb, self.splat_const(64, window), "").e()?;
            within(self, own, len)?
        } else if i.has("local") {
            local(self)?
        } else if i.has("const") {
            constant(self)?
        } else if i.has("param") {
            param(self)?
        } else if i.has("global") {
            let mut other = cluster(self)?;
            // A kernel parameter's generic address is global too (an H100 says so for a
            // __grid_constant__ parameter, tests/programs/intrinsics_misc.cu).
            for r in [local(self)?, constant(self)?] {
                other = self.b.build_or(other, r, "").e()?;
            }
            self.b.build_not(other, "").e()?
        } else {
            return Err(format!("unsupported instruction {}", crate::exec::compile::func::show(i)));
        };
        self.write_dst(i, p, Type::Pred)
    }

    /// `barrier.cluster.arrive{.release|.relaxed}{.aligned}` / `barrier.cluster.wait{.acquire}{.aligned}`.
    pub(super) fn lower_barrier_cluster(&mut self, i: &ir::Instruction) -> R<()> {
        let helper = if i.has("arrive") {
            "cuemu_cluster_arrive"
        } else if i.has("wait") {
            "cuemu_cluster_wait"
        } else {
            return Err(format!("unsupported instruction {}", crate::exec::compile::func::show(i)));
        };
        self.call_helper(helper, &[self.ctx().into()])?;
        Ok(())
    }

    /// The state space a `shared…` modifier names.
    pub(super) fn shared_space(m: &str) -> Space {
        if m == "shared::cluster" {
            Space::SharedCluster
        } else {
            Space::Shared
        }
    }
}
