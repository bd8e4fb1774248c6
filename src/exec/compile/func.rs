//! Lowering of one PTX function: registers, basic blocks, the divergence dispatcher, frames
//! and calls. Instruction semantics live in `instr.rs`.

use super::{local_frame_size, SharedLayout, Symbols};
use crate::exec::runtime;
use inkwell::basic_block::BasicBlock;
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::module::{Linkage, Module};
use inkwell::types::{BasicMetadataTypeEnum, BasicTypeEnum, VectorType};
use inkwell::values::{BasicMetadataValueEnum, BasicValue, BasicValueEnum, FunctionValue, IntValue, PointerValue, VectorValue};
use inkwell::{AddressSpace, IntPredicate};
use ptx::ir::{self, Operand, Type};
use std::collections::HashMap;

pub const W: u32 = 32;
/// The pc of a lane that has exited.
pub const EXIT_PC: u32 = u32::MAX;

pub type R<T> = Result<T, String>;

pub(crate) trait OrMsg<T> {
    fn e(self) -> R<T>;
}
impl<T> OrMsg<T> for Result<T, inkwell::builder::BuilderError> {
    fn e(self) -> R<T> {
        self.map_err(|e| format!("internal codegen error: {e}"))
    }
}

pub fn llvm_name(ptx_name: &str) -> String {
    format!("ptx.{ptx_name}")
}

#[derive(Clone, Copy)]
pub struct Reg<'ctx> {
    pub ptr: PointerValue<'ctx>,
    /// 1 for predicates.
    pub bits: u32,
}

/// A lane-private `.param` buffer (call arguments, `.func` parameters and return values):
/// lane `l` owns bytes `[l*size, (l+1)*size)`.
#[derive(Clone, Copy)]
pub struct LaneBuf<'ctx> {
    pub ptr: PointerValue<'ctx>,
    pub size: u64,
}

/// A flattened body item, registers and scoped names already made unique.
pub enum Item {
    Label(String),
    Instr(ir::Instruction),
}

pub struct Gen<'ctx, 'm> {
    pub cx: &'ctx Context,
    pub m: &'m Module<'ctx>,
    pub b: Builder<'ctx>,
    pub syms: &'m Symbols,
    pub shared: &'m SharedLayout,
    cpu: String,
    features: String,
    pub funcs: HashMap<String, FunctionValue<'ctx>>,
    pub ptx_funcs: HashMap<String, &'m ir::Function>,

    // --- per-function state ---
    pub func: Option<FunctionValue<'ctx>>,
    pub ctx_ptr: Option<PointerValue<'ctx>>,
    pub regs: HashMap<String, Reg<'ctx>>,
    pub mask_var: Option<PointerValue<'ctx>>,
    pub pc_var: Option<PointerValue<'ctx>>,
    pub om_var: Option<PointerValue<'ctx>>,
    pub cc_var: Option<PointerValue<'ctx>>,
    pub blocks: Vec<BasicBlock<'ctx>>,
    pub labels: HashMap<String, usize>,
    pub dispatch_bb: Option<BasicBlock<'ctx>>,
    /// The dispatcher's other entry (`spin_point`): run the lanes waiting at the smallest pc
    /// above `rotate_var`'s, so lanes spinning at a lower pc let the others advance. Made by
    /// the function's first spin point; None in functions without one.
    pub rotate_bb: Option<BasicBlock<'ctx>>,
    pub rotate_var: Option<PointerValue<'ctx>>,
    pub ret_bb: Option<BasicBlock<'ctx>>,
    pub is_kernel: bool,
    pub kparams: HashMap<String, u64>,
    pub lane_bufs: HashMap<String, LaneBuf<'ctx>>,
    pub local_offsets: HashMap<String, u64>,
    pub local_base: Option<VectorValue<'ctx>>,
    /// Effective mask of the instruction being lowered (running mask ∧ guard).
    pub emask: Option<VectorValue<'ctx>>,
    pub cur_block: usize,
    /// Blocks of the current function inside a loop: between a branch and an earlier block
    /// it jumps back to (polls there may spin, see `spin_point`).
    pub loop_blocks: Vec<bool>,
    /// Whether any function of the module polls memory inside a loop.
    pub spin_sites: bool,
    /// Registers never live across blocks (see `liveness`): written without a mask.
    pub block_local: std::collections::HashSet<String>,
    /// Whether the instruction being lowered has a guard predicate.
    pub cur_guarded: bool,
}

impl<'ctx, 'm> Gen<'ctx, 'm> {
    pub fn new(
        cx: &'ctx Context,
        m: &'m Module<'ctx>,
        syms: &'m Symbols,
        shared: &'m SharedLayout,
        cpu: String,
        features: String,
    ) -> Self {
        Gen {
            cx,
            m,
            b: cx.create_builder(),
            syms,
            shared,
            cpu,
            features,
            funcs: HashMap::new(),
            ptx_funcs: HashMap::new(),
            func: None,
            ctx_ptr: None,
            regs: HashMap::new(),
            mask_var: None,
            pc_var: None,
            om_var: None,
            cc_var: None,
            blocks: Vec::new(),
            labels: HashMap::new(),
            dispatch_bb: None,
            rotate_bb: None,
            rotate_var: None,
            ret_bb: None,
            is_kernel: false,
            kparams: HashMap::new(),
            lane_bufs: HashMap::new(),
            local_offsets: HashMap::new(),
            local_base: None,
            emask: None,
            cur_block: 0,
            loop_blocks: Vec::new(),
            spin_sites: false,
            block_local: Default::default(),
            cur_guarded: false,
        }
    }

    // ----- types and constants -----

    pub fn int_ty(&self, bits: u32) -> inkwell::types::IntType<'ctx> {
        match bits {
            1 => self.cx.bool_type(),
            8 => self.cx.i8_type(),
            16 => self.cx.i16_type(),
            32 => self.cx.i32_type(),
            64 => self.cx.i64_type(),
            128 => self.cx.i128_type(),
            n => self.cx.custom_width_int_type(std::num::NonZeroU32::new(n.max(1)).unwrap()).expect("integer width"),
        }
    }
    pub fn ivec(&self, bits: u32) -> VectorType<'ctx> {
        self.int_ty(bits).vec_type(W)
    }
    pub fn ptr_ty(&self) -> inkwell::types::PointerType<'ctx> {
        self.cx.ptr_type(AddressSpace::default())
    }
    pub fn i32c(&self, v: u64) -> IntValue<'ctx> {
        self.cx.i32_type().const_int(v, false)
    }
    pub fn i64c(&self, v: u64) -> IntValue<'ctx> {
        self.cx.i64_type().const_int(v, false)
    }
    pub fn splat_const(&self, bits: u32, v: u64) -> VectorValue<'ctx> {
        let t = self.int_ty(bits);
        let c = t.const_int(v, false);
        VectorType::const_vector(&vec![c; W as usize])
    }
    pub fn iota(&self, bits: u32) -> VectorValue<'ctx> {
        let t = self.int_ty(bits);
        let v: Vec<IntValue> = (0..W as u64).map(|i| t.const_int(i, false)).collect();
        VectorType::const_vector(&v)
    }
    /// Broadcasts a scalar to all lanes.
    pub fn splat(&self, s: BasicValueEnum<'ctx>) -> R<VectorValue<'ctx>> {
        let vt = s.get_type().vec_type_of(W);
        let undef = vt.get_poison();
        let one = self.b.build_insert_element(undef, s, self.i32c(0), "").e()?;
        let zero_mask = VectorType::const_vector(&vec![self.i32c(0); W as usize]);
        self.b.build_shuffle_vector(one, undef, zero_mask, "splat").e()
    }

    pub fn ctx(&self) -> PointerValue<'ctx> {
        self.ctx_ptr.unwrap()
    }

    /// Loads a scalar field of the warp context.
    pub fn ctx_load(&self, off: u64, ty: BasicTypeEnum<'ctx>) -> R<BasicValueEnum<'ctx>> {
        let p = unsafe { self.b.build_gep(self.cx.i8_type(), self.ctx(), &[self.i64c(off)], "") }.e()?;
        self.b.build_load(ty, p, "").e()
    }
    pub fn ctx_field_ptr(&self, off: u64) -> R<PointerValue<'ctx>> {
        unsafe { self.b.build_gep(self.cx.i8_type(), self.ctx(), &[self.i64c(off)], "") }.e()
    }

    pub fn call_intr(&self, name: &str, tys: &[BasicTypeEnum<'ctx>], args: &[BasicValueEnum<'ctx>]) -> R<BasicValueEnum<'ctx>> {
        let intr = inkwell::intrinsics::Intrinsic::find(name).ok_or_else(|| format!("no intrinsic {name}"))?;
        let decl = intr.get_declaration(self.m, tys).ok_or_else(|| format!("cannot declare {name}"))?;
        let args: Vec<BasicMetadataValueEnum> = args.iter().map(|a| (*a).into()).collect();
        let cs = self.b.build_call(decl, &args, "").e()?;
        cs.try_as_basic_value().basic().ok_or_else(|| format!("{name} returns nothing"))
    }
    pub fn call_intr_void(&self, name: &str, tys: &[BasicTypeEnum<'ctx>], args: &[BasicValueEnum<'ctx>]) -> R<()> {
        let intr = inkwell::intrinsics::Intrinsic::find(name).ok_or_else(|| format!("no intrinsic {name}"))?;
        let decl = intr.get_declaration(self.m, tys).ok_or_else(|| format!("cannot declare {name}"))?;
        let args: Vec<BasicMetadataValueEnum> = args.iter().map(|a| (*a).into()).collect();
        self.b.build_call(decl, &args, "").e()?;
        Ok(())
    }

    pub fn helper(&self, name: &str) -> FunctionValue<'ctx> {
        self.m.get_function(name).unwrap_or_else(|| panic!("helper {name} not declared"))
    }
    pub fn call_helper(&self, name: &str, args: &[BasicValueEnum<'ctx>]) -> R<Option<BasicValueEnum<'ctx>>> {
        let args: Vec<BasicMetadataValueEnum> = args.iter().map(|a| (*a).into()).collect();
        let cs = self.b.build_call(self.helper(name), &args, "").e()?;
        Ok(cs.try_as_basic_value().basic())
    }

    pub fn declare_helpers(&mut self) {
        let void = self.cx.void_type();
        let p = self.ptr_ty().into();
        let i32t: BasicMetadataTypeEnum = self.cx.i32_type().into();
        let i64t = self.cx.i64_type();
        let decl = |name: &str, ty: inkwell::types::FunctionType<'ctx>| {
            self.m.add_function(name, ty, Some(Linkage::External));
        };
        decl("cuemu_bar_sync", void.fn_type(&[p, i32t, i32t], false));
        decl("cuemu_bar_arrive", void.fn_type(&[p, i32t, i32t], false));
        decl("cuemu_cluster_arrive", void.fn_type(&[p], false));
        decl("cuemu_cluster_wait", void.fn_type(&[p], false));
        decl("cuemu_trap", void.fn_type(&[p, i32t], false));
        decl("cuemu_assertfail", void.fn_type(&[p, p, p, p, p, i32t], false));
        decl("cuemu_stack_overflow", void.fn_type(&[p], false));
        decl("cuemu_atomic_at", void.fn_type(&[p, i32t, i32t, i32t, p, p, p, i32t, p], false));
        decl("cuemu_atomic128", void.fn_type(&[i32t, p, p, p, i32t, p], false));
        decl("cuemu_clock64", i64t.fn_type(&[], false));
        decl("cuemu_sfu", void.fn_type(&[i32t, p, p], false));
        decl("cuemu_sfu2", void.fn_type(&[i32t, p, p, p], false));
        decl("cuemu_sfu64", void.fn_type(&[i32t, p, p], false));
        for n in ["sin", "cos", "ex2", "lg2", "tanh"] {
            decl(&format!("cuemu_{n}_f32"), void.fn_type(&[p, p], false));
        }
        for n in ["sin", "cos", "ex2", "lg2"] {
            decl(&format!("cuemu_{n}_f64"), void.fn_type(&[p, p], false));
        }
        decl("cuemu_vprintf", void.fn_type(&[p, p, i32t], false));
        decl("cuemu_malloc", void.fn_type(&[p, i32t, p], false));
        decl("cuemu_aligned_malloc", void.fn_type(&[p, p, i32t, p], false));
        decl("cuemu_free", void.fn_type(&[p, i32t], false));
        decl("cuemu_copy_lanes", void.fn_type(&[p, p, p, p, i32t], false));
        decl("cuemu_mbarrier", void.fn_type(&[p, i32t, p, p, i32t, p], false));
        decl("cuemu_warp_members", void.fn_type(&[i32t, p, p, i32t, p, p], false));
        decl("cuemu_video", void.fn_type(&[i64t.into(), p, p, p, p], false));
        decl("cuemu_spin_hint", void.fn_type(&[p], false));
        decl("cuemu_rotate_pick", self.cx.i32_type().fn_type(&[p, i32t, p, i32t], false));
    }

    fn set_attrs(&self, f: FunctionValue<'ctx>) {
        use inkwell::attributes::AttributeLoc;
        f.add_attribute(AttributeLoc::Function, self.cx.create_string_attribute("target-cpu", &self.cpu));
        f.add_attribute(AttributeLoc::Function, self.cx.create_string_attribute("target-features", &self.features));
        // Vectors of 32 lanes are wider than one register: let the backend use 512-bit ops.
        f.add_attribute(AttributeLoc::Function, self.cx.create_string_attribute("min-legal-vector-width", "512"));
        f.add_attribute(AttributeLoc::Function, self.cx.create_string_attribute("prefer-vector-width", "512"));
    }

    pub fn declare_function(&mut self, f: &'m ir::Function) -> R<()> {
        let p: BasicMetadataTypeEnum = self.ptr_ty().into();
        let ty = match f.kind {
            ir::FunctionKind::Entry => self.cx.void_type().fn_type(&[p], false),
            ir::FunctionKind::Func => {
                let mut args = vec![p, self.cx.bool_type().vec_type(W).into()];
                for _ in f.returns.iter().chain(f.params.iter()) {
                    args.push(p);
                }
                self.cx.void_type().fn_type(&args, false)
            }
        };
        let fv = self.m.add_function(&llvm_name(&f.name), ty, Some(Linkage::External));
        self.set_attrs(fv);
        self.funcs.insert(f.name.clone(), fv);
        self.ptx_funcs.insert(f.name.clone(), f);
        Ok(())
    }

    // ----- registers -----

    pub fn reg(&self, name: &str) -> Option<Reg<'ctx>> {
        self.regs.get(name).copied()
    }

    /// Current running mask.
    pub fn mask(&self) -> R<VectorValue<'ctx>> {
        Ok(self.b.build_load(self.ivec(1), self.mask_var.unwrap(), "mask").e()?.into_vector_value())
    }
    pub fn emask(&self) -> VectorValue<'ctx> {
        self.emask.unwrap()
    }
    pub fn mask_bits(&self, m: VectorValue<'ctx>) -> R<IntValue<'ctx>> {
        Ok(self.b.build_bit_cast(m, self.cx.i32_type(), "bits").e()?.into_int_value())
    }

    /// Writes `v` (an integer vector of any width; converted to the register's width, sign- or
    /// zero-extended by `signed`) to register `name` for the lanes of the effective mask.
    pub fn write_reg(&mut self, name: &str, v: VectorValue<'ctx>, signed: bool) -> R<()> {
        let r = self.reg(name).ok_or_else(|| format!("write to undeclared register {name}"))?;
        let v = self.resize(v, r.bits, signed)?;
        if !self.cur_guarded && self.block_local.contains(name) {
            self.b.build_store(r.ptr, v).e()?;
            return Ok(());
        }
        let vt = self.ivec(r.bits);
        let old = self.b.build_load(vt, r.ptr, "").e()?.into_vector_value();
        let new = self.b.build_select(self.emask(), v, old, "").e()?;
        self.b.build_store(r.ptr, new).e()?;
        Ok(())
    }

    /// Integer-vector width conversion.
    pub fn resize(&self, v: VectorValue<'ctx>, bits: u32, signed: bool) -> R<VectorValue<'ctx>> {
        let from = v.get_type().get_element_type().into_int_type().get_bit_width();
        let to = self.ivec(bits);
        Ok(if from == bits {
            v
        } else if from > bits {
            self.b.build_int_truncate(v, to, "").e()?
        } else if signed && from > 1 {
            self.b.build_int_s_extend(v, to, "").e()?
        } else {
            self.b.build_int_z_extend(v, to, "").e()?
        })
    }

    // ----- function bodies -----

    /// Flattens nested blocks, giving registers and `.param`/`.local` names declared in inner
    /// scopes unique names, and collects declarations.
    fn flatten(
        &self,
        body: &[ir::Statement],
        scopes: &mut Vec<HashMap<String, String>>,
        uid: &mut u32,
        out: &mut Vec<Item>,
        decls: &mut Vec<ir::VarDecl>,
    ) {
        for s in body {
            match s {
                ir::Statement::Label(l) => out.push(Item::Label(l.to_string())),
                ir::Statement::Decl(d) => {
                    let mut d = d.clone();
                    if scopes.len() > 1 {
                        *uid += 1;
                        let top = scopes.last_mut().unwrap();
                        if let Some(n) = d.range {
                            for i in 0..n {
                                let orig = format!("{}{}", d.name, i);
                                top.insert(orig.clone(), format!("{orig}${uid}"));
                            }
                            d.name = format!("{}${}", d.name, uid);
                            // Ranged names are expanded from the renamed prefix below.
                        } else {
                            let new = format!("{}${}", d.name, uid);
                            top.insert(d.name.clone(), new.clone());
                            d.name = new;
                        }
                    }
                    decls.push(d);
                }
                ir::Statement::Instr(i) => {
                    let mut i = i.clone();
                    if scopes.len() > 1 {
                        if let Some(g) = &mut i.guard {
                            g.reg = resolve(scopes, &g.reg).into();
                        }
                        for op in &mut i.operands {
                            rename_operand(op, scopes);
                        }
                    }
                    out.push(Item::Instr(i));
                }
                ir::Statement::Block(b) => {
                    scopes.push(HashMap::new());
                    self.flatten(b, scopes, uid, out, decls);
                    scopes.pop();
                }
                _ => {}
            }
        }
    }

    pub fn define_function(&mut self, f: &'m ir::Function) -> R<()> {
        let fv = self.funcs[&f.name];
        self.func = Some(fv);
        self.is_kernel = f.kind == ir::FunctionKind::Entry;
        self.regs.clear();
        self.lane_bufs.clear();
        self.kparams.clear();
        self.local_offsets.clear();
        self.labels.clear();
        self.blocks.clear();

        let mut items = Vec::new();
        let mut decls = Vec::new();
        let mut scopes = vec![HashMap::new()];
        let mut uid = 0;
        self.flatten(f.body.as_ref().unwrap(), &mut scopes, &mut uid, &mut items, &mut decls);

        let entry = self.cx.append_basic_block(fv, "entry");
        self.b.position_at_end(entry);
        self.ctx_ptr = Some(fv.get_nth_param(0).unwrap().into_pointer_value());

        // Registers: zero-initialised vectors (mem2reg turns them into SSA values).
        for d in decls.iter().filter(|d| d.space == ir::StateSpace::Reg) {
            let bits = if d.ty == Type::Pred { 1 } else { d.ty.size() * 8 * d.vector.unwrap_or(1) as u32 };
            let names: Vec<String> = match d.range {
                Some(n) => {
                    // For renamed ranged declarations `%r$3`, the members are `%r0$3` …
                    match d.name.rsplit_once('$') {
                        Some((base, id)) => (0..n).map(|i| format!("{base}{i}${id}")).collect(),
                        None => (0..n).map(|i| format!("{}{}", d.name, i)).collect(),
                    }
                }
                None => vec![d.name.clone()],
            };
            for n in names {
                let vt = self.ivec(bits);
                let p = self.b.build_alloca(vt, &n).e()?;
                self.b.build_store(p, vt.const_zero()).e()?;
                self.regs.insert(n, Reg { ptr: p, bits });
            }
        }
        // Inline assembly names registers without `%` (`low`, `P1`); the parser cannot tell
        // them from symbols, the declarations can.
        for it in items.iter_mut() {
            if let Item::Instr(i) = it {
                for op in i.operands.iter_mut() {
                    symbols_to_registers(op, &self.regs);
                }
            }
        }
        // Lane-private .param buffers declared in the body (call arguments).
        for d in decls.iter().filter(|d| d.space == ir::StateSpace::Param) {
            let size = d.size_bytes().max(1);
            let at = self.cx.i8_type().array_type((size * W as u64) as u32);
            let p = self.b.build_alloca(at, &d.name).e()?;
            if let Some(i) = p.as_instruction() {
                let _ = i.set_alignment(16);
            }
            self.lane_bufs.insert(d.name.clone(), LaneBuf { ptr: p, size });
        }
        // Local frame layout.
        let mut off = 0u64;
        for d in decls.iter().filter(|d| d.space == ir::StateSpace::Local) {
            let align = d.align.unwrap_or(d.ty.size()).max(1) as u64;
            off = off.div_ceil(align) * align;
            self.local_offsets.insert(d.name.clone(), off);
            off += d.size_bytes();
        }
        let frame = local_frame_size(f);
        debug_assert!(off <= frame);

        self.mask_var = Some(self.b.build_alloca(self.ivec(1), "maskv").e()?);
        self.pc_var = Some(self.b.build_alloca(self.ivec(32), "pcv").e()?);
        self.om_var = Some(self.b.build_alloca(self.cx.i32_type(), "omv").e()?);
        self.rotate_var = Some(self.b.build_alloca(self.cx.i32_type(), "rotv").e()?);
        let cc = self.b.build_alloca(self.ivec(1), "cc").e()?;
        self.b.build_store(cc, self.ivec(1).const_zero()).e()?;
        self.cc_var = Some(cc);

        // Parameters.
        let init_mask = if self.is_kernel {
            for (p, &(off, _, _)) in f.params.iter().zip(&super::param_layout(f).0) {
                self.kparams.insert(p.name.clone(), off);
            }
            let bits = self.ctx_load(runtime::CTX_INIT_MASK, self.cx.i32_type().into())?;
            self.b.build_bit_cast(bits, self.ivec(1), "").e()?.into_vector_value()
        } else {
            for (i, p) in f.returns.iter().chain(f.params.iter()).enumerate() {
                let ptr = fv.get_nth_param(2 + i as u32).unwrap().into_pointer_value();
                self.lane_bufs.insert(p.name.clone(), LaneBuf { ptr, size: p.size_bytes().max(1) });
            }
            fv.get_nth_param(1).unwrap().into_vector_value()
        };
        self.b.build_store(self.mask_var.unwrap(), init_mask).e()?;
        let exitv = self.splat_const(32, EXIT_PC as u64);
        let pc0 = self.b.build_select(init_mask, self.ivec(32).const_zero(), exitv, "").e()?;
        self.b.build_store(self.pc_var.unwrap(), pc0).e()?;
        self.b.build_store(self.om_var.unwrap(), self.i32c(EXIT_PC as u64)).e()?;

        // Local frame: carved from the warp's local stack, lane-major.
        let ret_bb = self.cx.append_basic_block(fv, "ret");
        self.ret_bb = Some(ret_bb);
        let mut saved_sp = None;
        if frame > 0 {
            let i64t = self.cx.i64_type();
            let sp = self.ctx_load(runtime::CTX_LOCAL_SP, i64t.into())?.into_int_value();
            let new_sp = self.b.build_int_add(sp, self.i64c(frame * W as u64), "").e()?;
            let end = self.ctx_load(std::mem::offset_of!(runtime::WarpCtx, local_end) as u64, i64t.into())?.into_int_value();
            let ovf = self.b.build_int_compare(IntPredicate::UGT, new_sp, end, "").e()?;
            let ok_bb = self.cx.append_basic_block(fv, "frame_ok");
            let ovf_bb = self.cx.append_basic_block(fv, "frame_overflow");
            self.b.build_conditional_branch(ovf, ovf_bb, ok_bb).e()?;
            self.b.position_at_end(ovf_bb);
            self.call_helper("cuemu_stack_overflow", &[self.ctx().into()])?;
            self.b.build_return(None).e()?;
            self.b.position_at_end(ok_bb);
            self.b.build_store(self.ctx_field_ptr(runtime::CTX_LOCAL_SP)?, new_sp).e()?;
            let base = self.splat(sp.into())?;
            let lane_off = self.b.build_int_mul(self.iota(64), self.splat_const(64, frame), "").e()?;
            self.local_base = Some(self.b.build_int_add(base, lane_off, "local_base").e()?);
            saved_sp = Some(sp);
        } else {
            self.local_base = Some(self.ivec(64).const_zero());
            // `alloca` moves the warp's stack pointer: put it back when the function returns.
            let mut dynamic = false;
            super::visit_instrs(f.body.as_ref().unwrap(), &mut |i| dynamic |= matches!(i.opcode.as_str(), "alloca" | "stackrestore"));
            if dynamic {
                saved_sp = Some(self.ctx_load(runtime::CTX_LOCAL_SP, self.cx.i64_type().into())?.into_int_value());
            }
        }

        // Basic blocks: split at labels and after control transfers.
        let mut bodies: Vec<Vec<&ir::Instruction>> = vec![Vec::new()];
        for it in &items {
            match it {
                Item::Label(l) => {
                    if !bodies.last().unwrap().is_empty() || self.labels.values().any(|&b| b == bodies.len() - 1) {
                        bodies.push(Vec::new());
                    }
                    self.labels.insert(l.clone(), bodies.len() - 1);
                }
                Item::Instr(i) => {
                    bodies.last_mut().unwrap().push(i);
                    // A poll ends its block: in a loop, the block's end is a spin point.
                    if matches!(i.opcode.as_str(), "bra" | "ret" | "exit" | "brx") || super::instr::is_poll(i) {
                        bodies.push(Vec::new());
                    }
                }
            }
        }
        // Successors of each block, for the liveness pass.
        let succs: Vec<Vec<usize>> = bodies
            .iter()
            .enumerate()
            .map(|(bi, body)| {
                let next = if bi + 1 < bodies.len() { vec![bi + 1] } else { vec![] };
                match body.last() {
                    Some(i) if i.opcode == "bra" => {
                        let t = match i.operands.first() {
                            Some(ir::Operand::Symbol(l)) => self.labels.get(l.as_str()).copied(),
                            _ => None,
                        };
                        let mut v: Vec<usize> = t.into_iter().collect();
                        if i.guard.is_some() {
                            v.extend(next);
                        }
                        v
                    }
                    Some(i) if matches!(i.opcode.as_str(), "ret" | "exit") => {
                        if i.guard.is_some() {
                            next
                        } else {
                            vec![]
                        }
                    }
                    // brx.idx may go anywhere: every block is a successor.
                    Some(i) if i.opcode == "brx" => (0..bodies.len()).collect(),
                    _ => next,
                }
            })
            .collect();
        self.block_local = super::liveness::block_local_registers(&bodies, &succs);
        // Every back edge t ← bi covers blocks t..=bi (a difference array: linear time).
        let mut cover = vec![0i64; bodies.len() + 1];
        for (bi, ss) in succs.iter().enumerate() {
            if let Some(t) = ss.iter().copied().filter(|&t| t <= bi).min() {
                cover[t] += 1;
                cover[bi + 1] -= 1;
            }
        }
        let mut depth = 0;
        self.loop_blocks = cover[..bodies.len()]
            .iter()
            .map(|c| {
                depth += c;
                depth > 0
            })
            .collect();
        for i in 0..bodies.len() {
            self.blocks.push(self.cx.append_basic_block(fv, &format!("b{i}")));
        }
        let dispatch = self.cx.append_basic_block(fv, "dispatch");
        self.dispatch_bb = Some(dispatch);
        self.rotate_bb = None;
        self.b.build_unconditional_branch(self.blocks[0]).e()?;

        for (bi, body) in bodies.iter().enumerate() {
            self.cur_block = bi;
            self.b.position_at_end(self.blocks[bi]);
            let mut terminated = false;
            for ins in body {
                self.lower_instr(ins).map_err(|e| format!("line {}: `{}`: {e}", ins.loc.line, show(ins)))?;
                if matches!(ins.opcode.as_str(), "bra" | "ret" | "exit" | "brx") {
                    terminated = true;
                }
            }
            if !terminated {
                let next = if bi + 1 < bodies.len() { (bi + 1) as u32 } else { EXIT_PC };
                if self.loop_blocks[bi] && body.last().is_some_and(|i| super::instr::is_poll(i)) && next != EXIT_PC {
                    self.spin_point(next)?;
                } else {
                    self.goto(next)?;
                }
            }
        }

        // The dispatcher: the smallest waiting pc runs next, with the lanes waiting there.
        self.b.position_at_end(dispatch);
        let pcv = self.b.build_load(self.ivec(32), self.pc_var.unwrap(), "pc").e()?.into_vector_value();
        let minpc = self.call_intr("llvm.vector.reduce.umin", &[self.ivec(32).into()], &[pcv.into()])?.into_int_value();
        let done = self.b.build_int_compare(IntPredicate::EQ, minpc, self.i32c(EXIT_PC as u64), "").e()?;
        let sel_bb = self.cx.append_basic_block(fv, "select");
        self.b.build_conditional_branch(done, ret_bb, sel_bb).e()?;
        // The rotation (only where a spin point needs it): the smallest pc above the spin
        // point's, if any lane waits there; else the smallest (the spinning lanes themselves).
        // Blocks a rotated group must not run: they hold warp- or CTA-synchronous instructions
        // (or calls, which may), whose other lanes are elsewhere (`runtime::cuemu_rotate_pick`).
        let (pcv, minpc) = match self.rotate_bb {
            None => {
                self.b.position_at_end(sel_bb);
                (pcv, minpc)
            }
            Some(rotate) => {
                self.b.position_at_end(rotate);
                let sync: Vec<_> = bodies.iter().map(|b| self.cx.i8_type().const_int(b.iter().any(|i| is_warp_synchronous(i)) as u64, false)).collect();
                let table = self.m.add_global(self.cx.i8_type().array_type(sync.len() as u32), None, &format!("{}.sync_blocks", fv.get_name().to_string_lossy()));
                table.set_initializer(&self.cx.i8_type().const_array(&sync));
                table.set_constant(true);
                table.set_linkage(Linkage::Private);
                let rpcv = self.b.build_load(self.ivec(32), self.pc_var.unwrap(), "pc").e()?.into_vector_value();
                let from = self.b.build_load(self.cx.i32_type(), self.rotate_var.unwrap(), "from").e()?.into_int_value();
                let rpc = self
                    .call_helper(
                        "cuemu_rotate_pick",
                        &[self.pc_var.unwrap().into(), from.into(), table.as_pointer_value().into(), self.i32c(sync.len() as u64).into()],
                    )?
                    .unwrap()
                    .into_int_value();
                self.b.build_unconditional_branch(sel_bb).e()?;
                self.b.position_at_end(sel_bb);
                let pc_phi = self.b.build_phi(self.ivec(32), "pcv").e()?;
                pc_phi.add_incoming(&[(&pcv, dispatch), (&rpcv, rotate)]);
                let min_phi = self.b.build_phi(self.cx.i32_type(), "run_pc").e()?;
                min_phi.add_incoming(&[(&minpc, dispatch), (&rpc, rotate)]);
                (pc_phi.as_basic_value().into_vector_value(), min_phi.as_basic_value().into_int_value())
            }
        };
        let minv = self.splat(minpc.into())?;
        let newmask = self.b.build_int_compare(IntPredicate::EQ, pcv, minv, "").e()?;
        self.b.build_store(self.mask_var.unwrap(), newmask).e()?;
        let others = self.b.build_select(newmask, exitv, pcv, "").e()?.into_vector_value();
        let om = self.call_intr("llvm.vector.reduce.umin", &[self.ivec(32).into()], &[others.into()])?;
        self.b.build_store(self.om_var.unwrap(), om).e()?;
        let cases: Vec<(IntValue, BasicBlock)> = self.blocks.iter().enumerate().map(|(i, bb)| (self.i32c(i as u64), *bb)).collect();
        self.b.build_switch(minpc, ret_bb, &cases).e()?;

        self.b.position_at_end(ret_bb);
        if let Some(sp) = saved_sp {
            self.b.build_store(self.ctx_field_ptr(runtime::CTX_LOCAL_SP)?, sp).e()?;
        }
        self.b.build_return(None).e()?;
        Ok(())
    }

    /// All active lanes continue at block `target`.
    pub fn goto(&mut self, target: u32) -> R<()> {
        let fv = self.func.unwrap();
        if target == EXIT_PC {
            // No lane waits elsewhere: the function is done, skip the dispatcher.
            let om = self.b.build_load(self.cx.i32_type(), self.om_var.unwrap(), "om").e()?.into_int_value();
            let alone = self.b.build_int_compare(IntPredicate::EQ, om, self.i32c(EXIT_PC as u64), "").e()?;
            let park = self.cx.append_basic_block(fv, "exit_park");
            self.b.build_conditional_branch(alone, self.ret_bb.unwrap(), park).e()?;
            self.b.position_at_end(park);
            let pcv = self.b.build_load(self.ivec(32), self.pc_var.unwrap(), "").e()?.into_vector_value();
            let m = self.mask()?;
            let new = self.b.build_select(m, self.splat_const(32, EXIT_PC as u64), pcv, "").e()?;
            self.b.build_store(self.pc_var.unwrap(), new).e()?;
            self.b.build_unconditional_branch(self.dispatch_bb.unwrap()).e()?;
            return Ok(());
        }
        let om = self.b.build_load(self.cx.i32_type(), self.om_var.unwrap(), "om").e()?.into_int_value();
        let direct = self.b.build_int_compare(IntPredicate::ULT, self.i32c(target as u64), om, "").e()?;
        let park = self.cx.append_basic_block(fv, "park");
        self.b.build_conditional_branch(direct, self.blocks[target as usize], park).e()?;
        self.b.position_at_end(park);
        let pcv = self.b.build_load(self.ivec(32), self.pc_var.unwrap(), "").e()?.into_vector_value();
        let m = self.mask()?;
        let new = self.b.build_select(m, self.splat_const(32, target as u64), pcv, "").e()?;
        self.b.build_store(self.pc_var.unwrap(), new).e()?;
        self.b.build_unconditional_branch(self.dispatch_bb.unwrap()).e()?;
        Ok(())
    }

    /// The end of a block in a loop whose last instruction polls memory (see
    /// `runtime::WarpCtx::spin_yield`): count the poll down and, when the warp's polls run
    /// out, let the other warps of the group run (`cuemu_spin_hint`) and then rotate inside the
    /// warp: park the active lanes at `next` and run the lanes waiting at the next higher pc.
    /// The dispatcher otherwise always runs the lowest pc first, so lanes spinning on a lock
    /// another lane of their warp holds (that lane waiting further down) would spin forever;
    /// with the rotation the holder advances a block per round, as Volta's independent thread
    /// scheduling lets it.
    fn spin_point(&mut self, next: u32) -> R<()> {
        let fv = self.func.unwrap();
        self.spin_sites = true;
        let rotate = *self.rotate_bb.get_or_insert_with(|| self.cx.append_basic_block(fv, "rotate"));
        let i32t = self.cx.i32_type();
        let flag = self.ctx_load(runtime::CTX_SPIN_YIELD, i32t.into())?.into_int_value();
        let on = self.b.build_int_compare(IntPredicate::NE, flag, self.i32c(0), "").e()?;
        let (count_bb, spin_bb, plain) = (
            self.cx.append_basic_block(fv, "spin_count"),
            self.cx.append_basic_block(fv, "spin_out"),
            self.cx.append_basic_block(fv, "spin_plain"),
        );
        self.b.build_conditional_branch(on, count_bb, plain).e()?;
        self.b.position_at_end(count_bb);
        let budget = self.ctx_load(runtime::CTX_SPIN_BUDGET, i32t.into())?.into_int_value();
        let left = self.b.build_int_sub(budget, self.i32c(1), "").e()?;
        self.b.build_store(self.ctx_field_ptr(runtime::CTX_SPIN_BUDGET)?, left).e()?;
        let out = self.b.build_int_compare(IntPredicate::EQ, left, self.i32c(0), "").e()?;
        self.b.build_conditional_branch(out, spin_bb, plain).e()?;
        self.b.position_at_end(spin_bb);
        self.call_helper("cuemu_spin_hint", &[self.ctx().into()])?;
        let pcv = self.b.build_load(self.ivec(32), self.pc_var.unwrap(), "").e()?.into_vector_value();
        let m = self.mask()?;
        let parked = self.b.build_select(m, self.splat_const(32, next as u64), pcv, "").e()?;
        self.b.build_store(self.pc_var.unwrap(), parked).e()?;
        self.b.build_store(self.rotate_var.unwrap(), self.i32c(next as u64)).e()?;
        self.b.build_unconditional_branch(rotate).e()?;
        self.b.position_at_end(plain);
        self.goto(next)
    }

    /// Lanes of the running mask where `p` holds go to `t`, the others to `f`.
    pub fn cond_goto(&mut self, p: VectorValue<'ctx>, t: u32, f: u32) -> R<()> {
        let fv = self.func.unwrap();
        let m = self.mask()?;
        let taken = self.b.build_and(m, p, "").e()?;
        let notp = self.b.build_not(p, "").e()?;
        let not_taken = self.b.build_and(m, notp, "").e()?;
        let tb = self.mask_bits(taken)?;
        let nb = self.mask_bits(not_taken)?;
        let all_t = self.cx.append_basic_block(fv, "all_taken");
        let some_t = self.cx.append_basic_block(fv, "some_taken");
        let none_t = self.cx.append_basic_block(fv, "none_taken");
        let diverge = self.cx.append_basic_block(fv, "diverge");
        let n_zero = self.b.build_int_compare(IntPredicate::EQ, nb, self.i32c(0), "").e()?;
        self.b.build_conditional_branch(n_zero, all_t, some_t).e()?;
        self.b.position_at_end(all_t);
        self.goto(t)?;
        self.b.position_at_end(some_t);
        let t_zero = self.b.build_int_compare(IntPredicate::EQ, tb, self.i32c(0), "").e()?;
        self.b.build_conditional_branch(t_zero, none_t, diverge).e()?;
        self.b.position_at_end(none_t);
        self.goto(f)?;
        self.b.position_at_end(diverge);
        let pcv = self.b.build_load(self.ivec(32), self.pc_var.unwrap(), "").e()?.into_vector_value();
        let a = self.b.build_select(not_taken, self.splat_const(32, f as u64), pcv, "").e()?.into_vector_value();
        let bsel = self.b.build_select(taken, self.splat_const(32, t as u64), a, "").e()?;
        self.b.build_store(self.pc_var.unwrap(), bsel).e()?;
        self.b.build_unconditional_branch(self.dispatch_bb.unwrap()).e()?;
        Ok(())
    }

    pub fn label_block(&self, l: &str) -> R<u32> {
        self.labels.get(l).map(|&b| b as u32).ok_or_else(|| format!("unknown label {l}"))
    }
}

fn resolve(scopes: &[HashMap<String, String>], name: &str) -> String {
    for s in scopes.iter().rev() {
        if let Some(n) = s.get(name) {
            return n.clone();
        }
    }
    name.to_string()
}

fn rename_operand(op: &mut Operand, scopes: &[HashMap<String, String>]) {
    match op {
        Operand::Reg(r) | Operand::NotReg(r) | Operand::NegReg(r) if ptx::ir::video_selector(r).is_some() => {
            let (base, sel) = ptx::ir::video_selector(r).unwrap();
            *r = format!("{}.{sel}", resolve(scopes, base)).as_str().into();
        }
        Operand::Reg(r) | Operand::NotReg(r) | Operand::NegReg(r) | Operand::Symbol(r) | Operand::SymbolOffset(r, _) => {
            *r = resolve(scopes, r).into()
        }
        Operand::Address { base, .. } => match base {
            ir::AddrBase::Reg(r) | ir::AddrBase::Symbol(r) => *r = resolve(scopes, r).into(),
            _ => {}
        },
        Operand::Vector(v) | Operand::List(v) => v.iter_mut().for_each(|o| rename_operand(o, scopes)),
        Operand::Pair(a, b) => {
            rename_operand(a, scopes);
            rename_operand(b, scopes);
        }
        _ => {}
    }
}

fn symbols_to_registers(op: &mut Operand, regs: &HashMap<String, Reg<'_>>) {
    match op {
        Operand::Symbol(s) if regs.contains_key(s.as_str()) => *op = Operand::Reg(std::mem::take(s)),
        Operand::Address { base: ir::AddrBase::Symbol(s), .. } if regs.contains_key(s.as_str()) => {
            let name = std::mem::take(s);
            if let Operand::Address { base, .. } = op {
                *base = ir::AddrBase::Reg(name);
            }
        }
        Operand::Vector(v) | Operand::List(v) => v.iter_mut().for_each(|o| symbols_to_registers(o, regs)),
        Operand::Pair(a, b) => {
            symbols_to_registers(a, regs);
            symbols_to_registers(b, regs);
        }
        _ => {}
    }
}

pub fn show(i: &ir::Instruction) -> String {
    let mut s = i.opcode.to_string();
    for m in &i.modifiers {
        s.push('.');
        s.push_str(m);
    }
    s
}

trait VecTypeOf<'ctx> {
    fn vec_type_of(self, n: u32) -> VectorType<'ctx>;
}
impl<'ctx> VecTypeOf<'ctx> for BasicTypeEnum<'ctx> {
    fn vec_type_of(self, n: u32) -> VectorType<'ctx> {
        match self {
            BasicTypeEnum::IntType(t) => t.vec_type(n),
            BasicTypeEnum::FloatType(t) => t.vec_type(n),
            BasicTypeEnum::PointerType(t) => t.vec_type(n),
            other => panic!("cannot splat {other:?}"),
        }
    }
}

#[allow(dead_code)]
fn _assert_basic(_: &dyn BasicValue) {}

/// Whether `i` needs the other lanes of its warp (or the other warps of its CTA) to be at the
/// same instruction: barriers, warp-synchronous instructions, warp matrix operations, and
/// calls (whose callee may hold any of these). A rotated group of lanes (`spin_point`) never
/// runs a block with one.
fn is_warp_synchronous(i: &ir::Instruction) -> bool {
    matches!(
        i.opcode.as_str(),
        "bar" | "barrier" | "shfl" | "vote" | "match" | "redux" | "activemask" | "elect" | "wmma" | "mma" | "ldmatrix"
            | "stmatrix" | "movmatrix" | "call" | "wgmma" | "setmaxnreg"
    ) || i.has("sync") && i.opcode != "mbarrier" && i.opcode != "cp"
}
