//! PTX → LLVM IR → host machine code.
//!
//! # The execution model
//! One compiled function runs one **warp**. Every PTX register becomes an LLVM vector of 32
//! lanes (`<32 x i32>`, `<32 x i1>` for predicates …), so arithmetic is SIMD across the warp
//! and warp-level operations (shuffles, votes, ballots) are permutes and reductions of
//! registers, not round trips through scratch memory.
//!
//! Divergence is handled with an execution mask and a per-lane program counter (the
//! "min-PC" scheme of stack-less SIMT reconvergence, Collange 2011): the function's basic
//! blocks are numbered in layout order; every lane has a `pc` (the block it waits for, or
//! `EXIT`). The running mask is the set of lanes at the block being executed. A branch whose
//! active lanes all agree jumps straight to its target when no waiting lane has a smaller pc
//! (so uniform loops stay ordinary loops for LLVM); otherwise the lanes record their targets
//! and control returns to a dispatcher that picks the smallest pc and the lanes waiting there.
//! Taking the smallest pc first makes lanes that left a loop wait until the others finish it,
//! and reconverges if/else at the join block — for any control-flow graph, structured or not.
//!
//! Instructions write registers under the mask (`select(mask, new, old)`); loads, stores and
//! atomics only touch memory for active lanes (masked gathers/scatters, with a fast path for
//! lanes that access consecutive addresses).
//!
//! # Address spaces
//! Global, constant and generic addresses are host addresses (device memory is host memory).
//! Shared and local addresses are offsets in per-block / per-lane windows, exactly as in PTX,
//! because nvcc uses 32-bit shared addresses; `cvta` adds or removes the window base.
//! Kernel parameters live in the packed buffer the driver hands over; `.param` variables of
//! calls (`.func` arguments) are per-lane buffers.

mod float;
mod func;
mod instr;
mod liveness;
mod mma;
mod objcode;
mod pipeline;
mod stack;
mod texture;
mod video;

use crate::exec::runtime;
use inkwell::context::Context;
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{CodeModel, InitializationConfig, RelocMode, Target, TargetMachine};
use inkwell::OptimizationLevel;
use ptx::ir;
use std::collections::{HashMap, HashSet};

pub use func::EXIT_PC;

/// Module-level symbol facts the compiler needs (computed once per loaded module).
pub struct Symbols {
    /// `.global`/`.const` variables: host address.
    pub globals: HashMap<String, u64>,
    /// Module-scope `.shared` declarations (not yet laid out: layout is per kernel).
    pub shared_decls: HashMap<String, ir::VarDecl>,
    /// The "address" of each function (see [`function_tokens`]).
    pub func_tokens: HashMap<String, u64>,
    /// `.const` variables: (host address, size), for `isspacep.const`.
    pub const_ranges: Vec<(u64, u64)>,
}

/// Function pointers are tokens, not code addresses: every kernel is compiled into a module of
/// its own, so one `.func` has a different address in each, while a pointer stored by one
/// kernel (or in an initialised global table) must call the same function in another. An
/// indirect call compares the token with those of the candidate functions. The tokens are
/// non-canonical addresses: dereferencing one is an illegal address, as on the GPU.
pub const FUNC_TOKEN_BASE: u64 = 0xfff0_0000_0000_0000;

pub fn function_tokens(m: &ir::Module) -> HashMap<String, u64> {
    m.items
        .iter()
        .filter_map(|i| match i {
            ir::ModuleItem::Function(f) if f.kind == ir::FunctionKind::Func => Some(f.name.to_string()),
            _ => None,
        })
        .enumerate()
        .map(|(k, n)| (n, FUNC_TOKEN_BASE + 16 * k as u64))
        .collect()
}

/// Functions whose address the module takes (named by an instruction operand other than a
/// direct call's callee, or in a global initialiser): the candidates of indirect calls.
fn address_taken(m: &ir::Module) -> HashSet<String> {
    let funcs: HashSet<String> = m
        .items
        .iter()
        .filter_map(|i| match i {
            ir::ModuleItem::Function(f) if f.kind == ir::FunctionKind::Func && f.body.is_some() => Some(f.name.to_string()),
            _ => None,
        })
        .collect();
    let mut out = HashSet::new();
    for item in &m.items {
        match item {
            ir::ModuleItem::Function(f) => {
                let Some(body) = &f.body else { continue };
                visit_instrs(body, &mut |ins| {
                    if ins.opcode == "call" {
                        return;
                    }
                    let mut names = HashSet::new();
                    ins.operands.iter().for_each(|o| symbol_names(o, &mut names));
                    out.extend(names.into_iter().filter(|n| funcs.contains(n)));
                });
            }
            ir::ModuleItem::Var(v) => {
                fn walk(i: &ir::Init, funcs: &HashSet<String>, out: &mut HashSet<String>) {
                    match i {
                        ir::Init::Scalar(ir::Constant::Symbol { name, .. }) if funcs.contains(&name.to_string()) => {
                            out.insert(name.to_string());
                        }
                        ir::Init::List(v) => v.iter().for_each(|x| walk(x, funcs, out)),
                        _ => {}
                    }
                }
                if let Some(init) = &v.init {
                    walk(init, &funcs, &mut out);
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether `ins` is a call through a function pointer (`call (r), %rd, (args), proto;`).
pub(crate) fn is_indirect_call(ins: &ir::Instruction) -> bool {
    ins.opcode == "call" && ins.operands.iter().find(|o| !matches!(o, ir::Operand::List(_))).is_some_and(|o| matches!(o, ir::Operand::Reg(_)))
}

/// A kernel compiled to host code, with what the launcher needs to run it.
pub struct CompiledKernel {
    // Kept alive for the code it owns; the launcher calls through `entry`.
    _engine: objcode::LinkedCode,
    pub entry: crate::exec::launch::KernelFn,
    pub uses_barriers: bool,
    /// It polls memory inside a loop (see `runtime::WarpCtx::spin_yield`).
    pub spin_loops: bool,
    pub static_shared: usize,
    pub local_per_warp: usize,
    /// Host stack the compiled code needs (see [`native_stack_bytes`]).
    pub stack_bytes: usize,
    /// Size of the kernel's declared parameter space.
    pub param_bytes: usize,
}

// The engine is only used to keep code alive; the code itself is reentrant.
unsafe impl Send for CompiledKernel {}
unsafe impl Sync for CompiledKernel {}

/// The on-disk kernel cache's directory (`objcode.rs`), or None when `CUEMU_KERNEL_CACHE=off`.
pub fn kernel_cache_dir() -> Option<std::path::PathBuf> {
    objcode::cache_dir()
}

/// The kernel cache's bound in bytes (`$CUEMU_KERNEL_CACHE_MAX`, default 2 GiB), None for none.
pub fn kernel_cache_max() -> Option<u64> {
    objcode::max_bytes()
}

/// Brings the kernel cache within `max` bytes now, least recently used out (what every store
/// does); returns the objects and bytes removed.
pub fn kernel_cache_trim(max: u64) -> (usize, u64) {
    match objcode::cache_dir() {
        Some(dir) => {
            let e = objcode::evict(&dir, max, None);
            (e.objects, e.bytes)
        }
        None => (0, 0),
    }
}

/// The target machine of the optimiser (and of `CUEMU_DUMP_LLVM`'s assembly).
fn host_machine() -> Result<TargetMachine, String> {
    Target::initialize_native(&InitializationConfig::default()).map_err(|e| e.to_string())?;
    machine(OptimizationLevel::Aggressive, RelocMode::Default, CodeModel::JITDefault)
}

/// The target machine that generates a kernel's object file: position-independent (the JIT
/// links it wherever it allocates), small code model (its sections stay together; calls to
/// the run-time and libm go through the linker's stubs).
fn object_machine(level: OptimizationLevel) -> Result<TargetMachine, String> {
    machine(level, RelocMode::PIC, CodeModel::Small)
}

fn machine(level: OptimizationLevel, reloc: RelocMode, model: CodeModel) -> Result<TargetMachine, String> {
    let triple = TargetMachine::get_default_triple();
    let target = Target::from_triple(&triple).map_err(|e| e.to_string())?;
    target
        .create_target_machine(
            &triple,
            TargetMachine::get_host_cpu_name().to_str().unwrap_or("generic"),
            TargetMachine::get_host_cpu_features().to_str().unwrap_or(""),
            level,
            reloc,
            model,
        )
        .ok_or_else(|| "cannot create a target machine for the host".to_string())
}

/// All functions reachable from `root` through direct calls (including `root`).
fn reachable<'a>(m: &'a ir::Module, root: &str) -> Vec<&'a ir::Function> {
    let by_name: HashMap<&str, &ir::Function> = m
        .items
        .iter()
        .filter_map(|i| match i {
            ir::ModuleItem::Function(f) if f.body.is_some() => Some((f.name.as_str(), f)),
            _ => None,
        })
        .collect();
    let mut seen = HashSet::new();
    let mut order = Vec::new();
    let mut stack: Vec<String> = vec![root.to_string()];
    let mut indirect = false;
    let mut taken: Option<HashSet<String>> = None;
    while let Some(n) = stack.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        let Some(f) = by_name.get(n.as_str()) else { continue };
        order.push(*f);
        visit_instrs(f.body.as_ref().unwrap(), &mut |ins| {
            if ins.opcode == "call" {
                if is_indirect_call(ins) {
                    indirect = true;
                    return;
                }
                for op in &ins.operands {
                    if let ir::Operand::Symbol(s) = op {
                        stack.push(s.to_string());
                    }
                }
            }
        });
        // An indirect call may reach any function whose address is taken.
        if indirect && taken.is_none() {
            let t = address_taken(m);
            stack.extend(t.iter().cloned());
            taken = Some(t);
        }
    }
    order
}

pub(crate) fn visit_instrs<'a>(body: &'a [ir::Statement], f: &mut dyn FnMut(&'a ir::Instruction)) {
    for s in body {
        match s {
            ir::Statement::Instr(i) => f(i),
            ir::Statement::Block(b) => visit_instrs(b, f),
            _ => {}
        }
    }
}

fn symbol_names(op: &ir::Operand, out: &mut HashSet<String>) {
    match op {
        ir::Operand::Symbol(s) | ir::Operand::SymbolOffset(s, _) => {
            out.insert(s.to_string());
        }
        ir::Operand::Address { base: ir::AddrBase::Symbol(s), .. } => {
            out.insert(s.to_string());
        }
        ir::Operand::Vector(v) | ir::Operand::List(v) => v.iter().for_each(|o| symbol_names(o, out)),
        _ => {}
    }
}

/// Bytes at the start of every CTA's shared window that precede its variables: an H100 keeps
/// its reserved shared memory there (`%reserved_smem_offset_cap` = 0x400, the 1 KiB of
/// `CU_DEVICE_ATTRIBUTE_RESERVED_SHARED_MEMORY_PER_BLOCK`), so its first variable's shared
/// address is 0x400 (tests/programs/intrinsics_misc.cu prints them). cuemu keeps nothing there
/// (it reads as zeros) but places variables at the same addresses, so a kernel that prints or
/// hashes shared addresses sees the H100's numbers.
pub const SHARED_RESERVED: u64 = 0x400;

/// Static shared-memory layout of one kernel: the shared variables its code (and its callees')
/// names, at aligned offsets from [`SHARED_RESERVED`] on; `extern` (dynamic) arrays after them.
pub struct SharedLayout {
    /// Each variable's shared address (its offset in the CTA's window).
    pub offsets: HashMap<String, u64>,
    /// Bytes of the static variables, rounded up to 16 (where dynamic shared memory starts,
    /// less [`SHARED_RESERVED`]): what `CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES` reports.
    pub static_size: u64,
}

fn shared_layout(syms: &Symbols, funcs: &[&ir::Function]) -> SharedLayout {
    let mut used = HashSet::new();
    let mut local_decls: Vec<ir::VarDecl> = Vec::new();
    for f in funcs {
        visit_instrs(f.body.as_ref().unwrap(), &mut |i| i.operands.iter().for_each(|o| symbol_names(o, &mut used)));
        collect_decls(f.body.as_ref().unwrap(), ir::StateSpace::Shared, &mut local_decls);
    }
    let mut decls: Vec<&ir::VarDecl> = syms.shared_decls.values().filter(|d| used.contains(&d.name)).collect();
    decls.sort_by(|a, b| a.name.cmp(&b.name));
    decls.extend(local_decls.iter());
    let mut offsets = HashMap::new();
    let mut off = SHARED_RESERVED;
    let mut dynamic = Vec::new();
    for d in decls {
        if d.linkage == ir::Linkage::Extern || d.dims.first() == Some(&None) {
            dynamic.push(d.name.clone());
            continue;
        }
        let align = d.align.unwrap_or(d.ty.size()).max(1) as u64;
        off = off.div_ceil(align) * align;
        offsets.insert(d.name.clone(), off);
        off += d.size_bytes();
    }
    // Dynamic shared memory starts after the static variables, 16-byte aligned (as on NVIDIA).
    let dyn_off = off.div_ceil(16) * 16;
    for n in dynamic {
        offsets.insert(n, dyn_off);
    }
    SharedLayout { offsets, static_size: dyn_off - SHARED_RESERVED }
}

pub(crate) fn collect_decls(body: &[ir::Statement], space: ir::StateSpace, out: &mut Vec<ir::VarDecl>) {
    for s in body {
        match s {
            ir::Statement::Decl(d) if d.space == space => out.push(d.clone()),
            ir::Statement::Block(b) => collect_decls(b, space, out),
            _ => {}
        }
    }
}

/// Bytes of `.local` one lane needs for one activation of `f`.
/// A kernel's parameters in its parameter buffer, as the launcher packs them and the compiled
/// code reads them: (offset, size, alignment) of each — at its declared `.align`, else its
/// type's size — and the buffer's size.
pub(crate) fn param_layout(f: &ir::Function) -> (Vec<(u64, u64, u64)>, u64) {
    let mut off = 0u64;
    let mut out = Vec::with_capacity(f.params.len());
    for p in &f.params {
        let size = p.size_bytes().max(1);
        let align = p.align.unwrap_or(p.ty.size()).max(1) as u64;
        off = off.div_ceil(align) * align;
        out.push((off, size, align));
        off += size;
    }
    (out, off)
}

pub(crate) fn local_frame_size(f: &ir::Function) -> u64 {
    let mut decls = Vec::new();
    collect_decls(f.body.as_ref().unwrap(), ir::StateSpace::Local, &mut decls);
    let mut off = 0u64;
    for d in decls {
        let align = d.align.unwrap_or(d.ty.size()).max(1) as u64;
        off = off.div_ceil(align) * align + d.size_bytes();
    }
    off.div_ceil(16) * 16
}

/// Kernels larger than this (LLVM instructions after optimisation) get the fast code
/// generator. The optimised IR of a big kernel is dominated by vector phis (every register live
/// across blocks merges at the divergence dispatcher), and the full register allocator and
/// coalescer take seconds on it — a GGML soft-max kernel of 740 PTX lines: 5 s at full
/// optimisation, 0.9 s with the fast allocator, for code about half as fast. With the default
/// pipeline choice, only kernels of the big-kernel pipeline get there (see pipeline.rs).
const FAST_CODEGEN_ABOVE: usize = 4000;

/// The code generator: `CUEMU_CODEGEN=fast|full` if set; for the big-kernel pipeline, the full
/// one up to [`pipeline::FULL_CODEGEN_MAX`] lowered instructions (registers in memory leave it
/// few values live across blocks); otherwise by the optimised size, as above.
fn codegen_level(plan: &pipeline::Plan, lowered: usize, optimised: usize) -> OptimizationLevel {
    match std::env::var("CUEMU_CODEGEN").as_deref() {
        Ok("fast") => return OptimizationLevel::None,
        Ok("full") => return OptimizationLevel::Aggressive,
        _ => {}
    }
    let full = if plan.pipeline == pipeline::BIG_PIPELINE { lowered <= pipeline::FULL_CODEGEN_MAX } else { optimised <= FAST_CODEGEN_ABOVE };
    if full {
        OptimizationLevel::Aggressive
    } else {
        OptimizationLevel::None
    }
}

/// Static shared memory of kernel `name` (what `CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES` reports).
pub fn static_shared_size(m: &ir::Module, syms: &Symbols, name: &str) -> usize {
    let funcs = reachable(m, name);
    shared_layout(syms, &funcs).static_size as usize
}

/// Lowers `funcs` (a kernel and its callees) into `module` and verifies the IR.
fn lower<'ctx, 'm>(
    cx: &'ctx Context,
    module: &'m inkwell::module::Module<'ctx>,
    syms: &'m Symbols,
    shared: &'m SharedLayout,
    funcs: &[&'m ir::Function],
    name: &str,
) -> Result<func::Gen<'ctx, 'm>, String> {
    let cpu = TargetMachine::get_host_cpu_name().to_string();
    let features = TargetMachine::get_host_cpu_features().to_string();
    let mut gen = func::Gen::new(cx, module, syms, shared, cpu, features);
    gen.declare_helpers();
    for f in funcs {
        gen.declare_function(f)?;
    }
    for f in funcs {
        gen.define_function(f)?;
    }
    module.verify().map_err(|e| format!("internal error: invalid LLVM IR for {name}: {}", e.to_string()))?;
    Ok(gen)
}

/// Lowers kernel `name` to LLVM IR and verifies it, without optimising or generating code:
/// what a corpus census needs to find unsupported instructions quickly. Returns the number of
/// LLVM instructions before optimisation.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn lower_only(m: &ir::Module, syms: &Symbols, name: &str) -> Result<usize, String> {
    let funcs = reachable(m, name);
    if funcs.is_empty() {
        return Err(format!("no kernel named {name}"));
    }
    let shared = shared_layout(syms, &funcs);
    let cx = Context::create();
    let module = cx.create_module(name);
    let gen = lower(&cx, &module, syms, &shared, &funcs, name)?;
    drop(gen);
    Ok(count_instructions(&module))
}

fn count_instructions(module: &inkwell::module::Module) -> usize {
    let mut n = 0usize;
    let mut f = module.get_first_function();
    while let Some(func) = f {
        for bb in func.get_basic_block_iter() {
            let mut i = bb.get_first_instruction();
            while let Some(ins) = i {
                n += 1;
                i = ins.get_next_instruction();
            }
        }
        f = func.get_next_function();
    }
    n
}

/// Bytes a compiled function's prologue reserves on the stack: the immediate of its first
/// `sub rsp, imm32` (`48 81 EC`), 0 if there is none in the first bytes (small frames use an
/// 8-bit immediate). A warp is one SIMD vector per register, and the fast code generator gives
/// every spilled value its own slot, so a big kernel's frame reaches megabytes (a 200-line
/// cuda_fp16.h kernel: 1.7 MB) and must be known before the warp's coroutine stack is chosen.
///
/// # Safety
/// `code` must point to at least 64 readable bytes of x86-64 machine code.
unsafe fn prologue_frame_bytes(code: *const u8) -> usize {
    if !cfg!(target_arch = "x86_64") || code.is_null() {
        return 0;
    }
    let b = std::slice::from_raw_parts(code, 64);
    for k in 0..b.len() - 7 {
        if b[k] == 0x48 && b[k + 1] == 0x81 && b[k + 2] == 0xec {
            return u32::from_le_bytes([b[k + 3], b[k + 4], b[k + 5], b[k + 6]]) as usize;
        }
    }
    0
}

/// The host stack a warp of this kernel needs: the kernel's frame, its callees' frames
/// (room for 64 nested activations of them, for recursion) and 1 MiB for the runtime helpers.
/// Coroutine stacks are mapped lazily, so only what the code touches costs memory.
fn native_stack_bytes(entry_frame: usize, callee_frames: usize) -> usize {
    let need = (1usize << 20) + entry_frame + callee_frames.saturating_mul(64);
    need.min(1 << 32).next_multiple_of(1 << 20)
}

/// Stack for `alloca` per thread. NVIDIA's default stack limit (cudaLimitStackSize) is 1 KiB
/// for frames and `alloca` together; we give more, and an overflow is a fault, not corruption.
pub const ALLOCA_RESERVE: usize = 16 * 1024;

/// Compiles kernel `name` of `m` (with the functions it calls) to host code.
pub fn compile_kernel(m: &ir::Module, syms: &Symbols, name: &str, param_bytes: usize) -> Result<CompiledKernel, String> {
    let funcs = reachable(m, name);
    let kernel = *funcs.first().ok_or_else(|| format!("no kernel named {name}"))?;
    let shared = shared_layout(syms, &funcs);
    let mut uses_barriers = false;
    for f in &funcs {
        visit_instrs(f.body.as_ref().unwrap(), &mut |i| {
            if (i.opcode == "bar" || i.opcode == "barrier") && !i.has("warp") {
                uses_barriers = true;
            }
            // An mbarrier wait may have to let the block's other warps run (a coroutine switch).
            if i.opcode == "mbarrier" && (i.has("test_wait") || i.has("try_wait")) {
                uses_barriers = true;
            }
        });
    }
    // Local memory: every frame of the call tree once, times 32 lanes, plus room for some
    // recursion; overflow is checked at run time.
    let frames: u64 = funcs.iter().map(|f| local_frame_size(f)).sum();
    let mut local_per_warp = if frames == 0 { 0 } else { ((frames * 4).max(frames + 4096) * 32) as usize };
    // `alloca` (dynamic stack allocation) gets ALLOCA_RESERVE bytes per thread on top.
    let mut dynamic = false;
    for f in &funcs {
        visit_instrs(f.body.as_ref().unwrap(), &mut |i| dynamic |= i.opcode == "alloca");
    }
    if dynamic {
        local_per_warp += ALLOCA_RESERVE * 32;
    }

    // The context outlives the engine that owns the module; leaking it (a few KiB per compiled
    // kernel) avoids a self-referential struct.
    let cx: &'static Context = Box::leak(Box::new(Context::create()));
    let tm = host_machine()?;
    let spin_sites = std::cell::Cell::new(false);
    let lower_module = || -> Result<inkwell::module::Module<'static>, String> {
        let module = cx.create_module(name);
        module.set_triple(&tm.get_triple());
        module.set_data_layout(&tm.get_target_data().get_data_layout());
        spin_sites.set(lower(cx, &module, syms, &shared, &funcs, name)?.spin_sites);
        Ok(module)
    };
    let module = lower_module()?;
    if std::env::var_os("CUEMU_DUMP_LLVM").is_some() {
        let _ = module.print_to_file(format!("/tmp/cuemu-{name}.ll"));
    }
    // Machine code from the on-disk cache, or generated and stored there (objcode.rs).
    let cpu = TargetMachine::get_host_cpu_name().to_string();
    let features = TargetMachine::get_host_cpu_features().to_string();
    let key = objcode::key(name, module.write_bitcode_to_memory().as_slice(), &cpu, &features);
    let t_ir = std::time::Instant::now();
    let generate = |module: inkwell::module::Module<'static>| -> Result<Vec<u8>, String> {
        // O3, or for kernels too big for it a pipeline that keeps registers in memory (pipeline.rs).
        let mut module = module;
        let shape = pipeline::shape(&module);
        let mut plan = pipeline::choose(&std::env::var("CUEMU_OPT").unwrap_or_default(), shape);
        let optimise = |module: &inkwell::module::Module, pipeline: &str| {
            module
                .run_passes(pipeline, &tm, PassBuilderOptions::create())
                .map_err(|e| format!("LLVM optimisation failed: {}", e.to_string()))
        };
        optimise(&module, &plan.pipeline)?;
        let mut optimised = count_instructions(&module);
        if plan.fallback && optimised > FAST_CODEGEN_ABOVE {
            // O3's code is too big for the full code generator, and the fast one is slow on O3's
            // phis (pipeline.rs): lower again and keep the registers in memory instead.
            module = lower_module()?;
            plan = pipeline::Plan::big();
            optimise(&module, &plan.pipeline)?;
            optimised = count_instructions(&module);
        }
        if plan.pipeline == pipeline::BIG_PIPELINE {
            pipeline::widen_narrow_gathers(&module);
            pipeline::split_long_blocks(&module);
        }
        if std::env::var_os("CUEMU_DUMP_LLVM").is_some() {
            let _ = module.print_to_file(format!("/tmp/cuemu-{name}.opt.ll"));
            let _ = tm.write_to_file(&module, inkwell::targets::FileType::Assembly, std::path::Path::new(&format!("/tmp/cuemu-{name}.s")));
        }
        let t_opt = t_ir.elapsed();
        let codegen = codegen_level(&plan, shape.instrs, optimised);
        let object = object_machine(codegen)?
            .write_to_memory_buffer(&module, inkwell::targets::FileType::Object)
            .map_err(|e| format!("LLVM code generation failed: {}", e.to_string()))?
            .as_slice()
            .to_vec();
        tracing::debug!(kernel = name, opt_ms = t_opt.as_secs_f64() * 1e3, total_ms = t_ir.elapsed().as_secs_f64() * 1e3, "LLVM optimisation and code generation");
        if std::env::var_os("CUEMU_COMPILE_TIMES").is_some() {
            eprintln!(
                "cuemu: {name}: {} LLVM instructions, {} after {}, {:?} code generator: optimise {:.1} ms, codegen {:.1} ms",
                shape.instrs,
                optimised,
                plan.pipeline,
                codegen,
                t_opt.as_secs_f64() * 1e3,
                (t_ir.elapsed() - t_opt).as_secs_f64() * 1e3
            );
        }
        objcode::store(&key, &object);
        Ok(object)
    };
    let helpers = runtime::helper_symbols();
    let entry_name = func::llvm_name(&kernel.name);
    let link = |object: &[u8]| -> Result<(objcode::LinkedCode, usize), String> {
        let code = objcode::LinkedCode::link(object, name, &helpers)?;
        let addr = code.lookup(&entry_name)?;
        Ok((code, addr))
    };
    let (engine, addr) = match objcode::load(&key).map(|o| link(&o)) {
        Some(Ok(linked)) => {
            if std::env::var_os("CUEMU_COMPILE_TIMES").is_some() {
                eprintln!("cuemu: {name}: machine code from the kernel cache ({:.1} ms)", t_ir.elapsed().as_secs_f64() * 1e3);
            }
            linked
        }
        // No cached object, or one that does not link (then it is replaced).
        _ => link(&generate(module)?)?,
    };
    let entry: crate::exec::launch::KernelFn = unsafe { std::mem::transmute(addr) };
    let mut entry_frame = 0usize;
    let mut callee_frames = 0usize;
    for f in &funcs {
        let Ok(a) = engine.lookup(&func::llvm_name(&f.name)) else { continue };
        let frame = unsafe { prologue_frame_bytes(a as *const u8) };
        if f.name == kernel.name {
            entry_frame = frame;
        } else {
            callee_frames += frame;
        }
    }
    let stack_bytes = native_stack_bytes(entry_frame, callee_frames);
    tracing::debug!(kernel = name, entry_frame, callee_frames, stack_bytes, "native stack");
    Ok(CompiledKernel {
        _engine: engine,
        entry,
        uses_barriers,
        spin_loops: spin_sites.get(),
        static_shared: shared.static_size as usize,
        local_per_warp,
        stack_bytes,
        param_bytes,
    })
}
