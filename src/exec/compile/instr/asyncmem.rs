//! Asynchronous copies and their completion mechanisms (PTX ISA 9.7.9.25, 9.7.13.15): cp.async
//! with commit/wait groups, cp.async.bulk (global↔shared, shared→shared) with bulk groups or
//! mbarrier transaction counts, the mbarrier object, and brx.idx.
//!
//! Copies happen when the instruction executes: a copy that has already completed satisfies
//! every later wait, so commit_group/wait_group have nothing left to do, and a bulk copy
//! completes its bytes on the mbarrier at once. mbarrier waits that find their phase
//! incomplete suspend the warp (the kernel then runs its warps as coroutines, as for bar.sync)
//! so that the warps that will arrive can run.

use super::{Addr, Space};
use crate::exec::compile::func::{Gen, OrMsg, EXIT_PC, R};
use crate::exec::runtime::mbar;
use inkwell::values::{PointerValue, VectorValue};
use inkwell::IntPredicate;
use ptx::ir::{self, Operand, Type};

mod tensor;

impl<'ctx, 'm> Gen<'ctx, 'm> {
    /// Host addresses of a memory operand, one per lane.
    fn host_addrs(&mut self, op: &Operand, space: Space) -> R<VectorValue<'ctx>> {
        Ok(match self.addr(op, space)? {
            Addr::Uniform(u) => self.splat(u.into())?,
            Addr::Lanes(v) => v,
        })
    }

    fn space_named(i: &ir::Instruction, which: usize) -> Space {
        // The state spaces in modifier order: cp.async.bulk.<dst>.<src>, mbarrier.<op>.<space>.
        let spaces: Vec<Space> = i
            .modifiers
            .iter()
            .filter_map(|m| {
                let m: &str = m.as_ref();
                if m.starts_with("shared") {
                    Some(Self::shared_space(m))
                } else if m == "global" {
                    Some(Space::Global)
                } else {
                    None
                }
            })
            .collect();
        spaces.get(which).copied().unwrap_or(Space::Generic)
    }

    fn u64_of(&mut self, o: &Operand, t: Type) -> R<VectorValue<'ctx>> {
        let v = self.val(o, t)?;
        self.resize(v, 64, false)
    }

    fn spill(&self, v: VectorValue<'ctx>) -> R<PointerValue<'ctx>> {
        let p = self.scratch()?;
        let v = self.resize(v, 64, false)?;
        self.b.build_store(p, v).e()?;
        Ok(p)
    }

    /// `cp.async.*` and `cp.async.bulk.*`.
    pub(super) fn lower_cp(&mut self, i: &ir::Instruction) -> R<()> {
        if i.opcode.as_str() != "cp.async" && !i.has("async") {
            return Err(format!("unsupported instruction {}", crate::exec::compile::func::show(i)));
        }
        if i.has("commit_group") || i.has("wait_group") || i.has("wait_all") || i.has("prefetch") {
            return Ok(()); // every earlier copy has completed
        }
        if i.has("mbarrier") && i.has("arrive") {
            // cp.async.mbarrier.arrive: the arrive-on triggered by the completion of this
            // thread's earlier cp.async, which have completed. Without .noinc the pending count
            // is raised by one first, so the net effect is none.
            if i.has("noinc") {
                let a = self.host_addrs(&i.operands[0], Self::mbarrier_space(i))?;
                self.mbar_call(mbar::ARRIVE, a, self.splat_const(64, 1))?;
            }
            return Ok(());
        }
        if i.has("tensor") {
            return self.lower_bulk_tensor(i);
        }
        if i.has("reduce") {
            return self.lower_bulk_reduce(i);
        }
        if i.has("bulk") && i.has("multicast::cluster") {
            return self.lower_bulk_multicast(i);
        }
        let bulk = i.has("bulk");
        let (dst_space, src_space) = (Self::space_named(i, 0), Self::space_named(i, 1));
        let dst = self.host_addrs(&i.operands[0], dst_space)?;
        let src = self.host_addrs(&i.operands[1], src_space)?;
        let size = self.val(&i.operands[2], Type::U32)?;
        let size = self.resize(size, 64, false)?;
        let mut copy = size;
        if !bulk {
            // cp-size, then src-size (bytes read, the rest zero-filled) or an ignore-src
            // predicate; a cache policy comes last with .L2::cache_hint.
            let policy = i.modifiers.iter().any(|m| m.contains("cache_hint"));
            let extra = i.operands.len() - 3 - policy as usize;
            if extra >= 1 {
                let o = &i.operands[3];
                let is_pred = match o {
                    Operand::Reg(r) => self.reg(r.as_ref()).is_some_and(|r| r.bits == 1),
                    _ => false,
                };
                if is_pred {
                    let p = self.val(o, Type::Pred)?;
                    copy = self.b.build_select(p, self.ivec(64).const_zero(), size, "").e()?.into_vector_value();
                } else {
                    let s = self.val(o, Type::U32)?;
                    let s = self.resize(s, 64, false)?;
                    copy = self.call_intr("llvm.umin", &[self.ivec(64).into()], &[s.into(), size.into()])?.into_vector_value();
                }
            }
        }
        let m = self.mask_bits(self.emask())?;
        let (pd, ps, pc, pf) = (self.spill(dst)?, self.spill(src)?, self.spill(copy)?, self.spill(size)?);
        self.call_helper("cuemu_copy_lanes", &[pd.into(), ps.into(), pc.into(), pf.into(), m.into()])?;
        if bulk && i.has("mbarrier::complete_tx::bytes") {
            // The mbarrier is in the destination CTA's window (shared::cluster addressing,
            // of which the own CTA's shared::cta addresses are a part). `.ignore_oob` (PTX ISA
            // 9.2, sm_90) puts ignoreBytesLeft/Right before it; the H100 still copies those
            // edge bytes when they are in bounds (they lie in the 16-byte granules of the
            // copy, so reading them here cannot leave its pages) and counts all `size` bytes
            // (golden part h100-sweep). The bytes complete 16 at a time, as on the H100: a
            // transaction count that was set too low completes its phase when it reaches 0
            // exactly and the rest counts against the next phase.
            let at = if i.has("ignore_oob") { 5 } else { 3 };
            let bar = self.host_addrs(&i.operands[at], Space::SharedCluster)?;
            self.mbar_call(mbar::COMPLETE_TX_16, bar, size)?;
        }
        Ok(())
    }

    /// The state space of an mbarrier operand: `.shared::cluster` (a remote arrive), `.shared`
    /// / `.shared::cta`, or generic.
    fn mbarrier_space(i: &ir::Instruction) -> Space {
        i.modifiers.iter().find(|m| m.starts_with("shared")).map_or(Space::Generic, |m| Self::shared_space(m))
    }

    /// Calls the mbarrier helper for the active lanes; returns its per-lane results.
    fn mbar_call(&mut self, op: u32, addrs: VectorValue<'ctx>, arg: VectorValue<'ctx>) -> R<VectorValue<'ctx>> {
        let m = self.mask_bits(self.emask())?;
        let (pa, pb) = (self.spill(addrs)?, self.spill(arg)?);
        let out = self.scratch()?;
        self.call_helper("cuemu_mbarrier", &[self.ctx().into(), self.i32c(op as u64).into(), pa.into(), pb.into(), m.into(), out.into()])?;
        Ok(self.b.build_load(self.ivec(64), out, "").e()?.into_vector_value())
    }

    /// The completion of `st.async` / `red.async` (PTX ISA 9.7.9.12, 9.7.13.7): the store or
    /// reduction has happened when the instruction executes, so its bytes complete on the
    /// mbarrier (a shared::cluster address, the last operand) at once.
    pub(in crate::exec::compile) fn async_complete_tx(&mut self, i: &ir::Instruction, bytes: u64) -> R<()> {
        // The H100 stops st.async/red.async in a launch without an explicit cluster (no
        // __cluster_dims__ or cluster launch attribute) with an illegal instruction (golden
        // part h100-sweep's probe, tests/conformance/README.md).
        let explicit = self.ctx_load(crate::exec::runtime::CTX_EXPLICIT_CLUSTER, self.cx.i32_type().into())?.into_int_value();
        let alone = self.b.build_int_compare(IntPredicate::EQ, explicit, self.i32c(0), "").e()?;
        let m = self.mask_bits(self.emask())?;
        let runs = self.b.build_int_compare(IntPredicate::NE, m, self.i32c(0), "").e()?;
        let alone = self.b.build_and(alone, runs, "").e()?;
        let fv = self.func.unwrap();
        let (bad, ok) = (self.cx.append_basic_block(fv, "async_no_cluster"), self.cx.append_basic_block(fv, "async_ok"));
        self.b.build_conditional_branch(alone, bad, ok).e()?;
        self.b.position_at_end(bad);
        self.call_helper("cuemu_trap", &[self.ctx().into(), self.i32c(2).into()])?;
        self.b.build_unconditional_branch(ok).e()?;
        self.b.position_at_end(ok);
        if !i.has("mbarrier::complete_tx::bytes") {
            return Ok(());
        }
        let bar = self.host_addrs(i.operands.last().ok_or("no mbarrier operand")?, Space::SharedCluster)?;
        self.mbar_call(mbar::COMPLETE_TX, bar, self.splat_const(64, bytes))?;
        Ok(())
    }

    /// `mbarrier.*` (PTX ISA 9.7.13.15).
    pub(super) fn lower_mbarrier(&mut self, i: &ir::Instruction) -> R<()> {
        let space = Self::mbarrier_space(i);
        let one = self.splat_const(64, 1);
        if i.has("check_layout") {
            // PTX ISA 9.4 (sm_90): whether the barrier was initialized with that layout (a
            // plain init is v0).
            let a = self.host_addrs(&i.operands[1], space)?;
            let r = self.mbar_call(mbar::CHECK_LAYOUT, a, one)?;
            let pred = if i.has("layout::v1") { IntPredicate::NE } else { IntPredicate::EQ };
            let p = self.b.build_int_compare(pred, r, self.ivec(64).const_zero(), "").e()?;
            return self.write_dst(i, p, Type::Pred);
        }
        if i.has("pending_count") {
            let st = self.val(&i.operands[1], Type::U64)?;
            let c = self.b.build_and(st, self.splat_const(64, mbar::COUNT_MASK), "").e()?;
            return self.write_dst(i, c, Type::U32);
        }
        let arrives = i.has("arrive") || i.has("arrive_drop");
        if i.has("init") || i.has("inval") || i.has("expect_tx") && !arrives || i.has("complete_tx") {
            let a = self.host_addrs(&i.operands[0], space)?;
            let (op, arg) = if i.has("init") {
                (if i.has("layout::v1") { mbar::INIT_V1 } else { mbar::INIT }, self.u64_of(&i.operands[1], Type::U32)?)
            } else if i.has("inval") {
                (mbar::INVAL, one)
            } else if i.has("complete_tx") {
                (mbar::COMPLETE_TX, self.u64_of(&i.operands[1], Type::U32)?)
            } else {
                (mbar::EXPECT_TX, self.u64_of(&i.operands[1], Type::U32)?)
            };
            self.mbar_call(op, a, arg)?;
            return Ok(());
        }
        if arrives {
            let a = self.host_addrs(&i.operands[1], space)?;
            let drop = i.has("arrive_drop");
            let (op, arg) = if i.has("expect_tx") {
                let tx = self.u64_of(&i.operands[2], Type::U32)?;
                (if drop { mbar::ARRIVE_DROP_EXPECT_TX } else { mbar::ARRIVE_EXPECT_TX }, tx)
            } else {
                let count = match i.operands.get(2) {
                    Some(o) => self.u64_of(o, Type::U32)?,
                    None => one,
                };
                (if drop { mbar::ARRIVE_DROP } else if i.has("noComplete") { mbar::ARRIVE_NO_COMPLETE } else { mbar::ARRIVE }, count)
            };
            let st = self.mbar_call(op, a, arg)?;
            return self.write_dst(i, st, Type::B64);
        }
        if i.has("test_wait") || i.has("try_wait") {
            // `.phase_type::primary` (PTX ISA 9.4, sm_90) adds `|isReportSeen` to the
            // destination and may add a `reportValue` register before the address. Without
            // a reporting copy (sm_107's cp.async.bulk `.report_mechanism`) nothing is
            // reported: the H100 gives false and 0 (golden part h100-sweep), the wait itself
            // is the plain one.
            let at = if matches!(i.operands.get(1), Some(Operand::Address { .. })) { 1 } else { 2 };
            let a = self.host_addrs(&i.operands[at], space)?;
            let (op, arg) = if i.has("parity") {
                (mbar::WAIT_PARITY, self.u64_of(&i.operands[at + 1], Type::U32)?)
            } else {
                (mbar::WAIT_STATE, self.val(&i.operands[at + 1], Type::U64)?)
            };
            let r = self.mbar_call(op, a, arg)?;
            let p = self.b.build_int_compare(IntPredicate::NE, r, self.ivec(64).const_zero(), "").e()?;
            if at == 2 {
                if let Operand::Reg(rv) = &i.operands[1] {
                    let rv = rv.to_string();
                    self.write_reg(&rv, self.ivec(8).const_zero(), false)?;
                }
            }
            return match &i.operands[0] {
                Operand::Pair(d, q) => {
                    for (o, v) in [(d, p), (q, self.ivec(1).const_zero())] {
                        if let Operand::Reg(r) = &**o {
                            let r = r.to_string();
                            self.write_reg(&r, v, false)?;
                        }
                    }
                    Ok(())
                }
                _ => self.write_dst(i, p, Type::Pred),
            };
        }
        Err(format!("unsupported instruction {}", crate::exec::compile::func::show(i)))
    }

    /// `brx.idx{.uni} index, tlist;`: lane `l` continues at label `tlist[index[l]]`; lanes with
    /// an index past the list (undefined in PTX) trap.
    pub(super) fn lower_brx(&mut self, i: &ir::Instruction) -> R<()> {
        let Some(Operand::Symbol(list)) = i.operands.get(1) else {
            return Err("brx.idx needs a .branchtargets list".into());
        };
        let list: &str = list.as_ref();
        let fname = self.func.unwrap().get_name().to_string_lossy().trim_start_matches("ptx.").to_string();
        let f = *self.ptx_funcs.get(fname.as_str()).ok_or("brx.idx outside a known function")?;
        let mut labels: Option<Vec<String>> = None;
        fn find(body: &[ir::Statement], name: &str, out: &mut Option<Vec<String>>) {
            for s in body {
                match s {
                    ir::Statement::Targets { name: n, labels, .. } if AsRef::<str>::as_ref(n) == name => {
                        *out = Some(labels.iter().map(|l| l.to_string()).collect());
                    }
                    ir::Statement::Block(b) => find(b, name, out),
                    _ => {}
                }
            }
        }
        find(f.body.as_deref().unwrap_or(&[]), list, &mut labels);
        let labels = labels.ok_or_else(|| format!("no .branchtargets {list}"))?;
        let idx = self.val(&i.operands[0], Type::U32)?;
        let m = self.mask()?;
        let em = self.emask();
        let next = {
            let n = self.cur_block + 1;
            if n < self.blocks.len() { n as u32 } else { EXIT_PC }
        };
        // Lanes of the running mask not taking the branch (guard false) fall through.
        let pcv = self.b.build_load(self.ivec(32), self.pc_var.unwrap(), "").e()?.into_vector_value();
        let mut newpc = self.b.build_select(m, self.splat_const(32, next as u64), pcv, "").e()?.into_vector_value();
        let mut covered = self.ivec(1).const_zero();
        for (k, l) in labels.iter().enumerate() {
            let blk = self.label_block(l)?;
            let hit = self.b.build_int_compare(IntPredicate::EQ, idx, self.splat_const(32, k as u64), "").e()?;
            let lanes = self.b.build_and(hit, em, "").e()?;
            covered = self.b.build_or(covered, lanes, "").e()?;
            newpc = self.b.build_select(lanes, self.splat_const(32, blk as u64), newpc, "").e()?.into_vector_value();
        }
        let stray = self.b.build_xor(covered, em, "").e()?;
        let bad = self.b.build_int_compare(IntPredicate::NE, self.mask_bits(stray)?, self.i32c(0), "").e()?;
        let fv = self.func.unwrap();
        let trap_bb = self.cx.append_basic_block(fv, "brx_bad");
        let ok_bb = self.cx.append_basic_block(fv, "brx_ok");
        self.b.build_conditional_branch(bad, trap_bb, ok_bb).e()?;
        self.b.position_at_end(trap_bb);
        self.call_helper("cuemu_trap", &[self.ctx().into(), self.i32c(0).into()])?;
        let exitv = self.splat_const(32, EXIT_PC as u64);
        let parked = self.b.build_select(stray, exitv, newpc, "").e()?;
        self.b.build_store(self.pc_var.unwrap(), parked).e()?;
        self.b.build_unconditional_branch(self.dispatch_bb.unwrap()).e()?;
        self.b.position_at_end(ok_bb);
        self.b.build_store(self.pc_var.unwrap(), newpc).e()?;
        // The dispatcher runs the smallest waiting block with the lanes waiting there.
        self.b.build_unconditional_branch(self.dispatch_bb.unwrap()).e()?;
        Ok(())
    }
}
