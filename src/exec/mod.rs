//! The kernel executor: PTX modules loaded, indexed, JIT-compiled through LLVM and launched.
//!
//! Contract used by the driver (`crate::driver`):
//! - [`ModuleImage::load_ptx`] parses and indexes a PTX module and allocates its globals;
//!   kernels are compiled lazily at their first launch.
//! - [`ModuleImage::kernel`] describes a kernel (parameter layout, shared/local sizes).
//! - [`ModuleImage::launch`] runs a grid to completion on the calling thread plus the rayon pool.

use std::sync::Arc;

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
}

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
    /// The kernel trapped / asserted (→ CUDA_ERROR_ASSERT / LAUNCH_FAILED), sticky.
    Trap(String),
    /// Barrier deadlock (→ CUDA_ERROR_LAUNCH_FAILED).
    Deadlock(String),
}

pub struct ModuleImage {
    _private: (),
}

impl ModuleImage {
    pub fn load_ptx(_text: &str) -> Result<Arc<ModuleImage>, LoadError> {
        Err(LoadError { kind: LoadErrorKind::Unsupported, message: "executor not yet built".into() })
    }

    /// Names of the `.entry` kernels.
    pub fn kernel_names(&self) -> Vec<String> {
        Vec::new()
    }

    pub fn kernel(&self, _name: &str) -> Option<KernelInfo> {
        None
    }

    /// A module-scope variable (`.global`/`.const`): host address and size.
    pub fn global(&self, _name: &str) -> Option<(*mut u8, usize)> {
        None
    }

    /// Runs `kernel` over the grid; `params` is the packed parameter buffer (see [`KernelInfo::params`]).
    pub fn launch(self: &Arc<Self>, _kernel: &str, _cfg: LaunchConfig, _params: &[u8]) -> Result<(), LaunchError> {
        Err(LaunchError::Compile("executor not yet built".into()))
    }
}
