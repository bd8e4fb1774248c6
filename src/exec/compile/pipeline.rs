//! Which LLVM pass pipeline a kernel gets: O3, unless the kernel is so big that O3 would not
//! finish in reasonable time or would leave code that only the slow-running fast code generator
//! can take in time.
//!
//! # Why big kernels explode at O3
//! Every PTX register is an `alloca` of a 32-lane vector, and every block can be reached from
//! the divergence dispatcher (see `func.rs`), which can in turn be reached from every block. A
//! register that is live into any block is therefore live almost everywhere, and SROA/mem2reg
//! puts a phi of it at nearly every join. The cost is registers × blocks: CUB's
//! `DeviceSegmentedSortKernelLarge` (GGML's argsort; 200k LLVM instructions, 13,000 register
//! allocas, 23,000 blocks) becomes 1.5 million instructions, 1.4 million of them
//! `<32 x i32>`-sized phis, after SROA alone — and then every pass of the O3 pipeline runs on
//! that: InstCombine 44 s, CorrelatedValuePropagation 25 s, TailCallElim more than 10 minutes
//! (`opt-19 -passes='default<O3>' -debug-pass-manager`, measured on this 2-core machine while
//! shared); the kernel did not compile within 15 minutes.
//!
//! # The big-kernel pipeline
//! Kernels above [`O3_MAX`] get a short pipeline that keeps registers in memory (no SROA, no
//! mem2reg): EarlyCSE with MemorySSA forwards stored register values to later loads and removes
//! repeated loads, InstCombine and SimplifyCFG clean up the lowering, DSE drops dead register
//! stores. Then the full code generator up to [`FULL_CODEGEN_MAX`] instructions, the fast one
//! above. With registers in memory a read is a load and a write a store; promoted registers cost
//! a copy per phi on every edge once the fast register allocator spills them, which for a big
//! kernel is hundreds of 128-byte vector copies at each block entry. O3 stays for kernels up
//! to [`O3_MAX`] whose optimised code is small enough for the full code generator.
//! After it, [`widen_narrow_gathers`] keeps the code generator from scalarizing 8- and 16-bit
//! gathers (quadratic in LLVM 19) and [`split_long_blocks`] bounds SelectionDAG's blocks.
//!
//! `CUEMU_OPT` overrides the choice: `0`–`3` force `default<O0>`…`default<O3>` for every kernel,
//! `big` forces the big-kernel pipeline, anything else is taken as LLVM pass-pipeline text.

use inkwell::module::Module;

/// Kernels up to this many LLVM instructions (as lowered, before any optimisation) get
/// `default<O3>`; bigger ones [`BIG_PIPELINE`]. O3's time grows much faster than the kernel
/// (`opt-19 -passes='default<O3>'` on GGML's CUB kernels, lowered instructions → seconds, one
/// core of this shared machine): 6.8k → 0.2 s, 21k → 1.5 s, 34k → 13 s, 52k → 14 s,
/// 54k → 22 s, 129k → 195 s, 200k → over 15 min. But the bound is set lower than compile time
/// alone would ask: O3's result for such kernels is above `FAST_CODEGEN_ABOVE` (`mod.rs`), and
/// the fast code generator's code for O3's phis is slow — CUB's block merge sort (18k
/// instructions, `cargo bench --bench compile`): 15 s a launch at O3, 21 ms with registers in
/// memory.
pub const O3_MAX: usize = 8_000;

/// Kernels of [`BIG_PIPELINE`] up to this many lowered instructions get the full code generator
/// (`llc-19 -O3` after the big pipeline: 21k → 2.3 s, 34k → 3.1 s, 52k → 16 s, 200k → 194 s),
/// bigger ones the fast one (0.3 s, 0.3 s, 1.3 s, 10 s).
pub const FULL_CODEGEN_MAX: usize = 40_000;

/// The pipeline of kernels above [`O3_MAX`]. `no-verify-fixpoint`: InstCombine reaching no
/// fixpoint in one run is not an error here (it only costs a missed fold).
pub const BIG_PIPELINE: &str = "function(early-cse<memssa>,instcombine<no-verify-fixpoint>,simplifycfg,dse)";

/// A pipeline choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// LLVM pass-pipeline text.
    pub pipeline: String,
    /// Whether a result above `FAST_CODEGEN_ABOVE` instructions is thrown away and the kernel
    /// lowered again for [`BIG_PIPELINE`] (O3 chosen by size: a kernel just under [`O3_MAX`]
    /// may still grow past what the full code generator takes in time).
    pub fallback: bool,
}

impl Plan {
    pub fn big() -> Plan {
        Plan { pipeline: BIG_PIPELINE.into(), fallback: false }
    }
    fn fixed(p: &str) -> Plan {
        Plan { pipeline: p.into(), fallback: false }
    }
}

/// What the pipeline was chosen from, for logs and the census.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// LLVM instructions of all functions of the module.
    pub instrs: usize,
    /// Basic blocks of all functions.
    pub blocks: usize,
}

pub fn shape(module: &Module) -> Shape {
    let mut s = Shape::default();
    let mut f = module.get_first_function();
    while let Some(func) = f {
        for bb in func.get_basic_block_iter() {
            s.blocks += 1;
            let mut i = bb.get_first_instruction();
            while let Some(ins) = i {
                s.instrs += 1;
                i = ins.get_next_instruction();
            }
        }
        f = func.get_next_function();
    }
    s
}

/// The pass pipeline for a module of this shape, given `CUEMU_OPT` (`opt`, empty if unset).
pub fn choose(opt: &str, shape: Shape) -> Plan {
    match opt {
        "0" => Plan::fixed("default<O0>"),
        "1" => Plan::fixed("default<O1>"),
        "2" => Plan::fixed("default<O2>"),
        "3" => Plan::fixed("default<O3>"),
        "big" => Plan::big(),
        "" | "auto" => {
            if shape.instrs > O3_MAX {
                Plan::big()
            } else {
                Plan { pipeline: "default<O3>".into(), fallback: true }
            }
        }
        // Anything else is an LLVM pass pipeline, for experiments.
        other => Plan::fixed(other),
    }
}

/// Rewrites every 8- and 16-bit masked gather of `module` as a 32-bit gather of the aligned
/// words that hold the elements, shifted and truncated. x86 has no byte or word gathers, so the
/// code generator's ScalarizeMaskedMemIntrin would expand each into 32 branches — and restart its
/// scan of the function after each one, which is quadratic: 81 % of the 60 s compile of GGML's
/// 445k-instruction flash_attn_ext_f16 kernel (`perf`, in its `runImpl`). Reading the whole
/// aligned word is safe: it never crosses a page, and PTX accesses are naturally aligned, so a
/// 16-bit element never straddles two words. Scatters stay as they are (a wider store would
/// write the neighbours' bytes). Returns the number of gathers rewritten.
pub fn widen_narrow_gathers(module: &Module) -> usize {
    use inkwell::values::{BasicValueEnum, CallSiteValue, InstructionOpcode, Operand};
    let mut found = Vec::new();
    let mut f = module.get_first_function();
    while let Some(func) = f {
        for bb in func.get_basic_block_iter() {
            let mut i = bb.get_first_instruction();
            while let Some(ins) = i {
                i = ins.get_next_instruction();
                if ins.get_opcode() != InstructionOpcode::Call {
                    continue;
                }
                let Ok(call) = CallSiteValue::try_from(ins) else { continue };
                let Some(callee) = call.get_called_fn_value() else { continue };
                let name = callee.get_name().to_string_lossy();
                if name.starts_with("llvm.masked.gather.v32i8.") || name.starts_with("llvm.masked.gather.v32i16.") {
                    found.push((ins, call.try_as_basic_value().basic().unwrap().into_vector_value()));
                }
            }
        }
        f = func.get_next_function();
    }
    if found.is_empty() {
        return 0;
    }
    let cx = module.get_context();
    let b = cx.create_builder();
    let i32v = cx.i32_type().vec_type(32);
    let i64v = cx.i64_type().vec_type(32);
    let ptrv = cx.ptr_type(inkwell::AddressSpace::default()).vec_type(32);
    let gather = inkwell::intrinsics::Intrinsic::find("llvm.masked.gather").expect("llvm.masked.gather");
    let gather32 = gather.get_declaration(module, &[i32v.into(), ptrv.into()]).expect("gather declaration");
    fn operand<'c>(ins: inkwell::values::InstructionValue<'c>, k: u32) -> inkwell::values::VectorValue<'c> {
        match ins.get_operand(k) {
            Some(Operand::Value(BasicValueEnum::VectorValue(v))) => v,
            _ => unreachable!("masked.gather operand {k} is a vector"),
        }
    }
    let splat64 = |x: u64| inkwell::types::VectorType::const_vector(&[cx.i64_type().const_int(x, false); 32]);
    let three = splat64(3);
    let not_three = splat64(!3);
    let three32 = inkwell::types::VectorType::const_vector(&[cx.i32_type().const_int(3, false); 32]);
    for (ins, old) in &found {
        // llvm.masked.gather(<32 x ptr> ptrs, i32 align, <32 x i1> mask, <32 x iN> passthru)
        let (ptrs, mask, passthru) = (operand(*ins, 0), operand(*ins, 2), operand(*ins, 3));
        let elem = passthru.get_type();
        b.position_before(ins);
        let addr = b.build_cast(InstructionOpcode::PtrToInt, ptrs, i64v, "").unwrap().into_vector_value();
        let word = b.build_and(addr, not_three, "").unwrap();
        let word = b.build_cast(InstructionOpcode::IntToPtr, word, ptrv, "").unwrap();
        let byte = b.build_and(addr, three, "").unwrap();
        let byte = b.build_int_truncate(byte, i32v, "").unwrap();
        let shift = b.build_left_shift(byte, three32, "").unwrap();
        let w = b
            .build_call(gather32, &[word.into(), cx.i32_type().const_int(4, false).into(), mask.into(), i32v.get_poison().into()], "")
            .unwrap()
            .try_as_basic_value()
            .basic()
            .unwrap()
            .into_vector_value();
        let v = b.build_right_shift(w, shift, false, "").unwrap();
        let v = b.build_int_truncate(v, elem, "").unwrap();
        let r = b.build_select(mask, v, passthru, "").unwrap().into_vector_value();
        old.replace_all_uses_with(r);
        ins.erase_from_basic_block();
    }
    found.len()
}

/// Basic blocks longer than this many instructions are split by [`split_long_blocks`].
pub const MAX_BLOCK_INSTRS: usize = 2000;

/// Splits every basic block of more than [`MAX_BLOCK_INSTRS`] instructions into a chain of
/// blocks of at most that many, joined by unconditional branches. The code generator builds one
/// SelectionDAG per block and its combines and known-bits queries grow faster than the block:
/// GGML's flash_attn_tile kernels are unrolled straight-line code (1.9 million instructions),
/// and SelectionDAG was nearly all of their 140 s of code generation in `perf`; split at 2000
/// instructions, 80 s (at 500, the same). Each split
/// moves a block's first instructions (its phis included) into a new block placed before it
/// and points the block's predecessors' terminators at the new block; phis elsewhere that name
/// the block as a predecessor stay right, as it keeps its terminator. Returns the number of
/// blocks added.
pub fn split_long_blocks(module: &Module) -> usize {
    use inkwell::llvm_sys::core::*;
    let mut added = 0;
    let mut f = module.get_first_function();
    while let Some(func) = f {
        f = func.get_next_function();
        let blocks: Vec<_> = func.get_basic_block_iter().collect();
        for bb in blocks {
            let count = {
                let mut n = 0usize;
                let mut i = bb.get_first_instruction();
                while let Some(ins) = i {
                    n += 1;
                    i = ins.get_next_instruction();
                }
                n
            };
            if count <= MAX_BLOCK_INSTRS {
                continue;
            }
            let mut remaining = count;
            // SAFETY: plain LLVM-C calls on live values of this module; every instruction moved
            // is detached and inserted again before anything else looks at it.
            unsafe {
                let bb_ref = bb.as_mut_ptr();
                let bb_val = LLVMBasicBlockAsValue(bb_ref);
                let cx = LLVMGetModuleContext(module.as_mut_ptr());
                let b = LLVMCreateBuilderInContext(cx);
                while remaining > MAX_BLOCK_INSTRS {
                    // The terminators that jump to `bb` (not phis, whose incoming blocks are not
                    // operands anyway): they will jump to the new head instead.
                    let mut users = Vec::new();
                    let mut u = LLVMGetFirstUse(bb_val);
                    while !u.is_null() {
                        let user = LLVMGetUser(u);
                        if !LLVMIsATerminatorInst(user).is_null() {
                            users.push(user);
                        }
                        u = LLVMGetNextUse(u);
                    }
                    let head = LLVMInsertBasicBlockInContext(cx, bb_ref, c"split".as_ptr());
                    LLVMPositionBuilderAtEnd(b, head);
                    for _ in 0..MAX_BLOCK_INSTRS {
                        let ins = LLVMGetFirstInstruction(bb_ref);
                        LLVMInstructionRemoveFromParent(ins);
                        LLVMInsertIntoBuilder(b, ins);
                    }
                    LLVMBuildBr(b, bb_ref);
                    let head_val = LLVMBasicBlockAsValue(head);
                    for user in users {
                        for k in 0..LLVMGetNumOperands(user) as u32 {
                            if LLVMGetOperand(user, k) == bb_val {
                                LLVMSetOperand(user, k, head_val);
                            }
                        }
                    }
                    remaining -= MAX_BLOCK_INSTRS;
                    added += 1;
                }
                LLVMDisposeBuilder(b);
            }
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_picks_the_pipeline_and_cuemu_opt_overrides_it() {
        let small = Shape { instrs: 5_000, blocks: 300 };
        let big = Shape { instrs: O3_MAX + 1, blocks: 2_000 };
        let o3 = Plan { pipeline: "default<O3>".into(), fallback: true };
        assert_eq!(choose("", small), o3);
        assert_eq!(choose("auto", small), o3);
        assert_eq!(choose("", big), Plan::big());
        // An explicit level is used as is, whatever the size, with no fallback.
        assert_eq!(choose("3", big), Plan::fixed("default<O3>"));
        assert_eq!(choose("0", small), Plan::fixed("default<O0>"));
        assert_eq!(choose("big", small), Plan::big());
        assert_eq!(choose("function(instcombine)", big), Plan::fixed("function(instcombine)"));
    }

    /// The big-kernel pipeline is valid LLVM pipeline text and leaves a module that verifies.
    #[test]
    fn big_pipeline_parses_and_runs() {
        use inkwell::context::Context;
        use inkwell::passes::PassBuilderOptions;
        let cx = Context::create();
        let m = cx.create_module("t");
        let tm = super::super::host_machine().unwrap();
        m.set_triple(&tm.get_triple());
        m.set_data_layout(&tm.get_target_data().get_data_layout());
        let i32t = cx.i32_type();
        let v = i32t.vec_type(32);
        let f = m.add_function("f", v.fn_type(&[v.into()], false), None);
        let b = cx.create_builder();
        let bb = cx.append_basic_block(f, "entry");
        b.position_at_end(bb);
        // A register in memory: stored, then read back twice (EarlyCSE forwards the store).
        let p = b.build_alloca(v, "r").unwrap();
        b.build_store(p, f.get_nth_param(0).unwrap()).unwrap();
        let x = b.build_load(v, p, "").unwrap().into_vector_value();
        let y = b.build_load(v, p, "").unwrap().into_vector_value();
        let s = b.build_int_add(x, y, "").unwrap();
        b.build_return(Some(&s)).unwrap();
        m.run_passes(BIG_PIPELINE, &tm, PassBuilderOptions::create()).unwrap();
        m.verify().unwrap();
        let text = m.print_to_string().to_string();
        assert!(!text.contains("load"), "the stored value is forwarded to both loads:\n{text}");
    }

    /// A 16-bit and an 8-bit gather, rewritten, read the same elements as before: masked-off
    /// lanes keep the pass-through value, elements at every offset within their word.
    #[test]
    fn widened_gathers_read_the_same_elements() {
        use inkwell::context::Context;
        use inkwell::values::BasicValue;
        use inkwell::OptimizationLevel;
        for bits in [16u32, 8] {
            let cx = Context::create();
            let m = cx.create_module("g");
            let tm = super::super::host_machine().unwrap();
            m.set_triple(&tm.get_triple());
            m.set_data_layout(&tm.get_target_data().get_data_layout());
            let et = if bits == 16 { cx.i16_type() } else { cx.i8_type() };
            let vt = et.vec_type(32);
            let ptr = cx.ptr_type(inkwell::AddressSpace::default());
            let pv = ptr.vec_type(32);
            // void g(const u64 *addrs, iN *out): out = gather(addrs, mask = even lanes, passthru = 7)
            let f = m.add_function("g", cx.void_type().fn_type(&[ptr.into(), ptr.into()], false), None);
            let b = cx.create_builder();
            b.position_at_end(cx.append_basic_block(f, "entry"));
            let ptrs = b.build_load(pv, f.get_nth_param(0).unwrap().into_pointer_value(), "").unwrap();
            let mask = inkwell::types::VectorType::const_vector(
                &(0..32).map(|l| cx.bool_type().const_int((l % 2 == 0) as u64, false)).collect::<Vec<_>>(),
            );
            let pass = inkwell::types::VectorType::const_vector(&[et.const_int(7, false); 32]);
            let gather = inkwell::intrinsics::Intrinsic::find("llvm.masked.gather").unwrap();
            let decl = gather.get_declaration(&m, &[vt.into(), pv.into()]).unwrap();
            let align = cx.i32_type().const_int((bits / 8) as u64, false);
            let v = b.build_call(decl, &[ptrs.into(), align.into(), mask.into(), pass.into()], "").unwrap();
            let v = v.try_as_basic_value().basic().unwrap();
            b.build_store(f.get_nth_param(1).unwrap().into_pointer_value(), v.as_basic_value_enum()).unwrap();
            b.build_return(None).unwrap();
            assert_eq!(widen_narrow_gathers(&m), 1);
            m.verify().unwrap();
            assert!(!m.print_to_string().to_string().contains(&format!("call <32 x i{bits}> @llvm.masked.gather")));
            let engine = m.create_jit_execution_engine(OptimizationLevel::None).unwrap();
            let g = unsafe { engine.get_function::<unsafe extern "C" fn(*const u64, *mut u8)>("g").unwrap() };
            // 64 elements with distinct values; lane l reads element (5 * l) % 64.
            let data: Vec<u16> = (0..64).map(|k| 0x1234u16.wrapping_mul(k as u16 + 1)).collect();
            let bytes: Vec<u8> = (0..64).map(|k| (k as u8).wrapping_mul(37).wrapping_add(1)).collect();
            let addrs: Vec<u64> = (0..32)
                .map(|l| {
                    let k = (5 * l) % 64;
                    if bits == 16 { &data[k] as *const u16 as u64 } else { &bytes[k] as *const u8 as u64 }
                })
                .collect();
            let mut out = [0u8; 64];
            unsafe { g.call(addrs.as_ptr(), out.as_mut_ptr()) };
            for l in 0..32 {
                let k = (5 * l) % 64;
                let (got, want) = if bits == 16 {
                    (u16::from_le_bytes([out[2 * l], out[2 * l + 1]]) as u32, if l % 2 == 0 { data[k] as u32 } else { 7 })
                } else {
                    (out[l] as u32, if l % 2 == 0 { bytes[k] as u32 } else { 7 })
                };
                assert_eq!(got, want, "{bits}-bit gather, lane {l}");
            }
        }
    }

    /// A loop whose single block holds 10,005 instructions (phis first, a back edge to itself):
    /// split into blocks of at most MAX_BLOCK_INSTRS, it verifies and computes the same sum.
    #[test]
    fn split_long_blocks_keeps_loops_and_phis_right() {
        use inkwell::context::Context;
        use inkwell::IntPredicate;
        use inkwell::OptimizationLevel;
        let cx = Context::create();
        let m = cx.create_module("s");
        let i64t = cx.i64_type();
        let f = m.add_function("s", i64t.fn_type(&[i64t.into()], false), None);
        let b = cx.create_builder();
        let entry = cx.append_basic_block(f, "entry");
        let body = cx.append_basic_block(f, "body");
        let exit = cx.append_basic_block(f, "exit");
        b.position_at_end(entry);
        b.build_unconditional_branch(body).unwrap();
        b.position_at_end(body);
        let i = b.build_phi(i64t, "i").unwrap();
        let acc = b.build_phi(i64t, "acc").unwrap();
        let x = f.get_nth_param(0).unwrap().into_int_value();
        let mut a = acc.as_basic_value().into_int_value();
        for k in 0..5000u64 {
            // Depends on the loop counter and the argument, so nothing folds.
            let t = b.build_xor(i.as_basic_value().into_int_value(), i64t.const_int(k, false), "").unwrap();
            a = b.build_int_add(a, b.build_and(t, x, "").unwrap(), "").unwrap();
        }
        let i2 = b.build_int_add(i.as_basic_value().into_int_value(), i64t.const_int(1, false), "").unwrap();
        let more = b.build_int_compare(IntPredicate::ULT, i2, i64t.const_int(3, false), "").unwrap();
        b.build_conditional_branch(more, body, exit).unwrap();
        i.add_incoming(&[(&i64t.const_zero(), entry), (&i2, body)]);
        acc.add_incoming(&[(&i64t.const_zero(), entry), (&a, body)]);
        b.position_at_end(exit);
        b.build_return(Some(&a)).unwrap();
        m.verify().unwrap();
        let added = split_long_blocks(&m);
        assert!(added >= 5000 * 2 / MAX_BLOCK_INSTRS, "{added} blocks added");
        m.verify().unwrap();
        let want: u64 = (0..3u64).map(|i| (0..5000u64).map(|k| (i ^ k) & 0xff).sum::<u64>()).sum();
        let engine = m.create_jit_execution_engine(OptimizationLevel::None).unwrap();
        let s = unsafe { engine.get_function::<unsafe extern "C" fn(u64) -> u64>("s").unwrap() };
        assert_eq!(unsafe { s.call(0xff) }, want);
    }
}
