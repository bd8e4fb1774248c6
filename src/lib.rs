//! cuemu: a CUDA driver (`libcuda.so.1`) that runs unmodified CUDA programs on the CPU.
//!
//! - [`api`]: the one declarative list of driver entry points → C exports, the versioned
//!   `cuGetProcAddress` table, per-call tracing; private export tables ("dark API").
//! - [`driver`]: driver state: devices, contexts, memory, streams, events, modules, launches.
//! - [`exec`]: the kernel executor: PTX → LLVM (a warp is one 32-lane vector) → host code.

pub mod api;
pub mod driver;
pub mod exec;
