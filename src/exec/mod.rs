//! The kernel executor: PTX modules loaded, indexed, JIT-compiled through LLVM and launched.
//!
//! Contract used by the driver (`crate::driver`):
//! - [`ModuleImage::load_ptx`] parses and indexes a PTX module and allocates its globals;
//!   kernels are compiled lazily at their first launch.
//! - [`ModuleImage::kernel`] describes a kernel (parameter layout, shared/local sizes).
//! - [`ModuleImage::launch`] runs a grid to completion on the calling thread plus the rayon pool.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub mod compile;
pub mod fault;
pub mod launch;
pub mod matrix;
pub mod printf;
pub mod runtime;
pub mod shared_arena;
pub mod sfu;
pub mod tensor;
pub mod texture;
pub mod validate;
pub mod video;

/// Why a module could not be loaded; `message` goes to the JIT error log.
#[derive(Debug, Clone)]
pub struct LoadError {
    pub kind: LoadErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// Malformed PTX (→ CUDA_ERROR_INVALID_PTX).
    InvalidPtx,
    /// A PTX ISA version newer than this driver knows (→ CUDA_ERROR_UNSUPPORTED_PTX_VERSION).
    UnsupportedVersion,
    /// Valid PTX using something the executor cannot run yet (→ CUDA_ERROR_INVALID_PTX as well,
    /// with the instruction named in the log).
    Unsupported,
    /// Valid PTX that NVIDIA's driver itself refuses to load (→ CUDA_ERROR_NOT_SUPPORTED).
    NotSupported,
}

/// Whether `stmts` hold a `txq`/`suq` (`opcode`) other than the width/height/depth queries.
/// Measured on an H100 (tests/programs/textures_mip.cu): a module with such a `suq` fails to
/// load with CUDA_ERROR_NOT_SUPPORTED; with such a `txq` it loads, but cuModuleGetFunction
/// does not find the kernel (CUDA_ERROR_NOT_FOUND).
fn uses_refused_query(stmts: &[ptx::ir::Statement], opcode: &str) -> bool {
    stmts.iter().any(|st| match st {
        ptx::ir::Statement::Instr(i) => {
            i.opcode == opcode && !i.modifiers.iter().any(|m| matches!(m.as_str(), "width" | "height" | "depth"))
        }
        ptx::ir::Statement::Block(b) => uses_refused_query(b, opcode),
        _ => false,
    })
}

/// Layout of one kernel parameter in the packed parameter buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamInfo {
    pub offset: usize,
    pub size: usize,
    pub align: usize,
}

#[derive(Debug, Clone)]
pub struct KernelInfo {
    pub name: String,
    pub params: Vec<ParamInfo>,
    /// Size of the packed parameter buffer (last offset + size, rounded to 8? no: exact end).
    pub param_bytes: usize,
    pub static_shared_bytes: usize,
    pub local_bytes_per_thread: usize,
    /// `.reqntid`/`.maxntid` product, or 1024.
    pub max_threads_per_block: u32,
    /// The module's PTX target as a number (sm_75 → 75), for CU_FUNC_ATTRIBUTE_PTX_VERSION.
    pub ptx_target: u32,
    /// Registers per thread, as reported to the runtime (an estimate: we have no register allocation).
    pub num_regs: u32,
    /// The cluster shape compiled into the kernel (`.reqnctapercluster`, from `__cluster_dims__`).
    pub required_cluster: Option<[u32; 3]>,
    /// `.explicitcluster`: the kernel must be launched with a cluster shape.
    pub explicit_cluster: bool,
}

/// The thread-block clusters of a launch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClusterShape {
    /// CTAs per cluster in x, y, z.
    pub dim: [u32; 3],
    /// The launch or the kernel named the shape (`%is_explicit_cluster`).
    pub explicit: bool,
    /// A cooperative launch (cuLaunchCooperativeKernel): every CTA of the grid is resident at
    /// once, so that `grid.sync()` can wait for all of them (see `launch::run_grid`).
    pub cooperative: bool,
}

impl ClusterShape {
    /// A launch without clusters: every CTA is a cluster of one (PTX ISA 5.2.3: implicit).
    pub const NONE: ClusterShape = ClusterShape { dim: [1, 1, 1], explicit: false, cooperative: false };

    pub fn size(&self) -> u32 {
        self.dim.iter().product()
    }
}

/// Most CTAs a cluster may have: 8 portably, 16 with CU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED
/// (what an H100 accepts, tests/programs/clusters.cu).
pub const MAX_PORTABLE_CLUSTER: u32 = 8;
pub const MAX_CLUSTER: u32 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaunchConfig {
    pub grid: [u32; 3],
    pub block: [u32; 3],
    pub dynamic_shared_bytes: u32,
}

#[derive(Debug, Clone)]
pub enum LaunchError {
    /// The kernel could not be compiled (message for the log).
    Compile(String),
    /// Bad launch shape (→ CUDA_ERROR_INVALID_VALUE).
    InvalidConfig(String),
    /// Too much shared memory (→ CUDA_ERROR_INVALID_VALUE).
    OutOfResources(String),
    /// The kernel executed `trap` or overflowed its stack (→ CUDA_ERROR_LAUNCH_FAILED), sticky.
    Trap(String),
    /// A device-side `assert` failed (→ CUDA_ERROR_ASSERT), sticky.
    Assert(String),
    /// The kernel accessed unmapped memory (→ CUDA_ERROR_ILLEGAL_ADDRESS), sticky.
    IllegalAddress(String),
    /// The kernel executed an instruction the hardware refuses with its operands
    /// (→ CUDA_ERROR_ILLEGAL_INSTRUCTION), sticky.
    IllegalInstruction(String),
    /// An access misaligned for the hardware (→ CUDA_ERROR_MISALIGNED_ADDRESS), sticky.
    MisalignedAddress(String),
    /// Barrier deadlock (→ CUDA_ERROR_LAUNCH_FAILED).
    Deadlock(String),
}


/// A loaded PTX module: parsed, its globals allocated and initialised, its kernels compiled
/// lazily (at first launch) and cached.
pub struct ModuleImage {
    ptx: ptx::Module,
    syms: compile::Symbols,
    globals: HashMap<String, (usize, usize)>,
    allocations: Vec<(*mut u8, std::alloc::Layout)>,
    compiled: Mutex<HashMap<String, Arc<compile::CompiledKernel>>>,
    target: u32,
}

// Raw pointers here are owned allocations of this module; access to compiled code is locked.
unsafe impl Send for ModuleImage {}
unsafe impl Sync for ModuleImage {}

impl Drop for ModuleImage {
    fn drop(&mut self) {
        for (p, l) in self.allocations.drain(..) {
            unsafe { std::alloc::dealloc(p, l) };
        }
    }
}

/// Largest PTX ISA version this executor accepts.
pub const MAX_PTX_VERSION: (u32, u32) = (9, 9);

impl ModuleImage {
    pub fn load_ptx(text: &str) -> Result<Arc<ModuleImage>, LoadError> {
        let text = text.trim_end_matches('\0');
        let module = ptx::parse(text).map_err(|e| LoadError { kind: LoadErrorKind::InvalidPtx, message: format!("ptx parse error: {e}") })?;
        validate::validate(&module).map_err(|m| LoadError { kind: LoadErrorKind::InvalidPtx, message: m })?;
        for item in &module.items {
            if let ptx::ModuleItem::Function(f) = item {
                if f.body.as_deref().is_some_and(|b| uses_refused_query(b, "suq")) {
                    return Err(LoadError {
                        kind: LoadErrorKind::NotSupported,
                        message: format!("{}: suq queries other than width/height/depth are refused by NVIDIA's driver", f.name),
                    });
                }
            }
        }
        if module.version > MAX_PTX_VERSION {
            return Err(LoadError {
                kind: LoadErrorKind::UnsupportedVersion,
                message: format!("PTX ISA {}.{} is newer than this driver supports ({}.{})", module.version.0, module.version.1, MAX_PTX_VERSION.0, MAX_PTX_VERSION.1),
            });
        }
        let target = module
            .target
            .iter()
            .find_map(|t| t.strip_prefix("sm_").or_else(|| t.strip_prefix("compute_")))
            .map(|t| t.trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse().unwrap_or(0))
            .unwrap_or(0);
        let mut img = ModuleImage {
            syms: compile::Symbols {
                globals: HashMap::new(),
                shared_decls: HashMap::new(),
                func_tokens: compile::function_tokens(&module),
                const_ranges: Vec::new(),
            },
            globals: HashMap::new(),
            allocations: Vec::new(),
            compiled: Mutex::new(HashMap::new()),
            target,
            ptx: module,
        };
        img.allocate_globals().map_err(|m| LoadError { kind: LoadErrorKind::InvalidPtx, message: m })?;
        Ok(Arc::new(img))
    }

    fn allocate_globals(&mut self) -> Result<(), String> {
        let decls: Vec<ptx::VarDecl> = self
            .ptx
            .items
            .iter()
            .filter_map(|i| match i {
                ptx::ModuleItem::Var(v) => Some(v.clone()),
                _ => None,
            })
            .collect();
        for d in &decls {
            match d.space {
                ptx::StateSpace::Global | ptx::StateSpace::Const => {
                    if d.linkage == ptx::Linkage::Extern {
                        continue;
                    }
                    let size = d.size_bytes().max(1) as usize;
                    let align = d.align.unwrap_or(16).max(16) as usize;
                    let layout = std::alloc::Layout::from_size_align(size, align).map_err(|e| e.to_string())?;
                    let p = unsafe { std::alloc::alloc_zeroed(layout) };
                    if p.is_null() {
                        return Err(format!("out of memory allocating {} ({size} bytes)", d.name));
                    }
                    self.allocations.push((p, layout));
                    self.globals.insert(d.name.clone(), (p as usize, size));
                    self.syms.globals.insert(d.name.clone(), p as u64);
                    if d.space == ptx::StateSpace::Const {
                        self.syms.const_ranges.push((p as u64, size as u64));
                    }
                }
                ptx::StateSpace::Shared => {
                    self.syms.shared_decls.insert(d.name.clone(), d.clone());
                }
                _ => {}
            }
        }
        // Initialisers, once every address is known (they may hold addresses of globals).
        for d in &decls {
            let (Some(init), Some(&(p, size))) = (&d.init, self.globals.get(&d.name)) else { continue };
            let mut flat = Vec::new();
            flatten_init(init, &mut flat);
            let esz = d.ty.size() as usize;
            for (k, c) in flat.iter().enumerate() {
                let bytes: u64 = match c {
                    ptx::Constant::Int(v) => match d.ty {
                        ptx::Type::F32 => (*v as f32).to_bits() as u64,
                        ptx::Type::F64 => (*v as f64).to_bits(),
                        _ => *v as u64,
                    },
                    ptx::Constant::F32Bits(b) => *b as u64,
                    ptx::Constant::F64Bits(b) => *b,
                    ptx::Constant::Float(f) => match d.ty {
                        ptx::Type::F32 => (*f as f32).to_bits() as u64,
                        _ => f.to_bits(),
                    },
                    ptx::Constant::Symbol { name, offset, .. } => {
                        let base = self
                            .globals
                            .get(name)
                            .map(|g| g.0 as u64)
                            .or_else(|| self.syms.func_tokens.get(name).copied())
                            .ok_or_else(|| format!("initialiser of {} names unknown symbol {name}", d.name))?;
                        base.wrapping_add(*offset as u64)
                    }
                };
                let at = k * esz;
                if at + esz > size {
                    return Err(format!("initialiser of {} is larger than the variable", d.name));
                }
                let le = bytes.to_le_bytes();
                unsafe { std::ptr::copy_nonoverlapping(le.as_ptr(), (p as *mut u8).add(at), esz.min(8)) };
            }
        }
        Ok(())
    }

    fn function(&self, name: &str) -> Option<&ptx::Function> {
        self.ptx.items.iter().find_map(|i| match i {
            ptx::ModuleItem::Function(f) if f.name == name && f.body.is_some() => Some(f),
            _ => None,
        })
    }

    /// Names of the `.entry` kernels.
    pub fn kernel_names(&self) -> Vec<String> {
        self.ptx
            .items
            .iter()
            .filter_map(|i| match i {
                ptx::ModuleItem::Function(f) if f.kind == ptx::FunctionKind::Entry && f.body.is_some() => Some(f.name.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn kernel(&self, name: &str) -> Option<KernelInfo> {
        let f = self.function(name).filter(|f| f.kind == ptx::FunctionKind::Entry)?;
        if f.body.as_deref().is_some_and(|b| uses_refused_query(b, "txq")) {
            return None;
        }
        let (layout, param_bytes) = compile::param_layout(f);
        let params = layout.iter().map(|&(o, s, a)| ParamInfo { offset: o as usize, size: s as usize, align: a as usize }).collect();
        let dims = |n: &str| f.directives.iter().find(|d| d.name == n).map(|d| d.args.iter().product::<u64>() as u32);
        let required_cluster = f.directives.iter().find(|d| d.name == "reqnctapercluster").map(|d| {
            let at = |k: usize| d.args.get(k).copied().unwrap_or(1).clamp(1, u32::MAX as u64) as u32;
            [at(0), at(1), at(2)]
        });
        let max_threads = dims("reqntid").or_else(|| dims("maxntid")).unwrap_or(1024).clamp(1, 1024);
        let shared = compile::static_shared_size(&self.ptx, &self.syms, name);
        Some(KernelInfo {
            name: name.to_string(),
            params,
            param_bytes: param_bytes as usize,
            static_shared_bytes: shared,
            local_bytes_per_thread: compile::local_frame_size(f) as usize,
            max_threads_per_block: max_threads,
            ptx_target: self.target,
            num_regs: 32,
            required_cluster,
            explicit_cluster: required_cluster.is_some() || f.directives.iter().any(|d| d.name == "explicitcluster"),
        })
    }

    /// A module-scope variable (`.global`/`.const`): host address and size.
    /// Bytes of the module's own `.const` variables: NVIDIA's CU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES
    /// reports this for every function of the module (measured with a 64-byte `.const` array,
    /// tests/programs/api_behaviour.cu).
    pub fn const_bytes(&self) -> usize {
        self.ptx
            .items
            .iter()
            .filter_map(|i| match i {
                ptx::ModuleItem::Var(v) if v.space == ptx::StateSpace::Const && v.linkage != ptx::Linkage::Extern => {
                    Some(v.size_bytes() as usize)
                }
                _ => None,
            })
            .sum()
    }

    pub fn global(&self, name: &str) -> Option<(*mut u8, usize)> {
        self.globals.get(name).map(|&(p, s)| (p as *mut u8, s))
    }

    /// Compiles `kernel` now (it is otherwise compiled at its first launch).
    pub fn compile(&self, kernel: &str) -> Result<(), String> {
        self.compiled_kernel(kernel).map(|_| ())
    }

    fn compiled_kernel(&self, kernel: &str) -> Result<Arc<compile::CompiledKernel>, String> {
        let mut cache = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(k) = cache.get(kernel) {
            return Ok(k.clone());
        }
        if self.kernel(kernel).is_none() {
            return Err(format!("no kernel named {kernel}"));
        }
        let t0 = std::time::Instant::now();
        let param_bytes = self.kernel(kernel).map(|i| i.param_bytes).unwrap_or(0);
        let k = Arc::new(compile::compile_kernel(&self.ptx, &self.syms, kernel, param_bytes)?);
        tracing::debug!(kernel, ms = t0.elapsed().as_secs_f64() * 1e3, "compiled kernel");
        cache.insert(kernel.to_string(), k.clone());
        Ok(k)
    }

    /// Runs `kernel` over the grid; `params` is the packed parameter buffer (see [`KernelInfo::params`]).
    /// A kernel compiled with a cluster shape runs in clusters of that shape.
    pub fn launch(self: &Arc<Self>, kernel: &str, cfg: LaunchConfig, params: &[u8]) -> Result<(), LaunchError> {
        let cluster = self.kernel(kernel).and_then(|k| k.required_cluster);
        let shape = cluster.map_or(ClusterShape::NONE, |dim| ClusterShape { dim, explicit: true, cooperative: false });
        self.launch_in_clusters(kernel, cfg, shape, params)
    }

    /// [`launch`](Self::launch) in clusters of `cluster` (the caller has checked the shape against the
    /// kernel's own; it must divide the grid).
    pub fn launch_in_clusters(self: &Arc<Self>, kernel: &str, cfg: LaunchConfig, cluster: ClusterShape, params: &[u8]) -> Result<(), LaunchError> {
        let threads = cfg.block.iter().map(|&d| d as u64).product::<u64>();
        if threads == 0 || threads > 1024 || cfg.grid.contains(&0) {
            return Err(LaunchError::InvalidConfig(format!("grid {:?} block {:?}", cfg.grid, cfg.block)));
        }
        if cluster.dim.contains(&0) || cluster.size() > MAX_CLUSTER || (0..3).any(|i| cfg.grid[i] % cluster.dim[i] != 0) {
            return Err(LaunchError::InvalidConfig(format!("clusters {:?} for grid {:?}", cluster.dim, cfg.grid)));
        }
        let k = self.compiled_kernel(kernel).map_err(LaunchError::Compile)?;
        if k.static_shared + cfg.dynamic_shared_bytes as usize > MAX_SHARED_PER_BLOCK {
            return Err(LaunchError::OutOfResources(format!(
                "{} bytes of shared memory requested, {} available",
                k.static_shared + cfg.dynamic_shared_bytes as usize,
                MAX_SHARED_PER_BLOCK
            )));
        }
        // The kernel may read the whole declared parameter space: pad the buffer.
        let need = k.param_bytes;
        let mut buf: Vec<u64> = vec![0; need.max(params.len()).div_ceil(8).max(1)];
        unsafe { std::ptr::copy_nonoverlapping(params.as_ptr(), buf.as_mut_ptr() as *mut u8, params.len()) };
        let bytes = unsafe { std::slice::from_raw_parts(buf.as_ptr() as *const u8, buf.len() * 8) };
        let plan = launch::LaunchPlan {
            entry: k.entry,
            uses_barriers: k.uses_barriers,
            spin_loops: k.spin_loops,
            static_shared: k.static_shared,
            local_per_warp: k.local_per_warp,
            stack_bytes: k.stack_bytes,
        };
        launch::run_grid(&plan, &cfg, cluster, bytes).map_err(|(kind, m)| match kind {
            runtime::FaultKind::Deadlock => LaunchError::Deadlock(m),
            runtime::FaultKind::Assert => LaunchError::Assert(m),
            runtime::FaultKind::IllegalAddress => LaunchError::IllegalAddress(m),
            runtime::FaultKind::IllegalInstruction => LaunchError::IllegalInstruction(m),
            runtime::FaultKind::MisalignedAddress => LaunchError::MisalignedAddress(m),
            runtime::FaultKind::Trap | runtime::FaultKind::StackOverflow => LaunchError::Trap(m),
        })
    }
}

/// Shared memory a block may use (static + dynamic), as advertised by the device attributes.
pub const MAX_SHARED_PER_BLOCK: usize = 227 * 1024;

fn flatten_init(i: &ptx::Init, out: &mut Vec<ptx::Constant>) {
    match i {
        ptx::Init::Scalar(c) => out.push(c.clone()),
        ptx::Init::List(v) => v.iter().for_each(|x| flatten_init(x, out)),
    }
}

#[cfg(test)]
mod tests;
