//! Kernel launches and the occupancy calculator.
//!
//! A launch validates the shape against the device limits and the function's attributes,
//! packs the arguments into the parameter buffer the executor expects (offsets from
//! [`KernelInfo::params`](crate::exec::KernelInfo)), and runs the grid to completion
//! ([`ModuleImage::launch`](crate::exec::ModuleImage::launch)). A kernel trap or deadlock
//! makes the context's error sticky, as on NVIDIA hardware.

use super::device::{self, MAX_BLOCKS_PER_SM, MAX_BLOCK_DIM, MAX_GRID_DIM, MAX_THREADS_PER_SM, REGS_PER_SM};
use super::module::{resolve_function, Function};
use super::graph::{KernelNode, NodeKind};
use super::stream;
use crate::api::*;
use crate::exec::{ClusterShape, LaunchConfig, LaunchError, MAX_CLUSTER, MAX_PORTABLE_CLUSTER};
use std::ffi::{c_int, c_uint, c_void};

const CU_LAUNCH_PARAM_END: usize = 0;
const CU_LAUNCH_PARAM_BUFFER_POINTER: usize = 1;
const CU_LAUNCH_PARAM_BUFFER_SIZE: usize = 2;

/// Packs `kernelParams` (one pointer per parameter) or `extra` (a caller-packed buffer).
pub unsafe fn pack_params(f: &Function, params: *mut *mut c_void, extra: *mut *mut c_void) -> CuResult<Vec<u8>> {
    let info = &f.info;
    let mut buf = vec![0u8; info.param_bytes];
    match (params.is_null(), extra.is_null()) {
        (false, false) => Err(CUDA_ERROR_INVALID_VALUE),
        (false, true) => {
            for (i, p) in info.params.iter().enumerate() {
                let src = *params.add(i);
                if src.is_null() {
                    return Err(CUDA_ERROR_INVALID_VALUE);
                }
                if p.offset + p.size > buf.len() {
                    return Err(CUDA_ERROR_INVALID_VALUE);
                }
                std::ptr::copy_nonoverlapping(src as *const u8, buf.as_mut_ptr().add(p.offset), p.size);
            }
            Ok(buf)
        }
        (true, false) => {
            let (mut ptr, mut size): (*const u8, Option<usize>) = (std::ptr::null(), None);
            let mut i = 0;
            loop {
                match *extra.add(i) as usize {
                    CU_LAUNCH_PARAM_END => break,
                    CU_LAUNCH_PARAM_BUFFER_POINTER => ptr = *extra.add(i + 1) as *const u8,
                    CU_LAUNCH_PARAM_BUFFER_SIZE => {
                        let s = *extra.add(i + 1) as *const usize;
                        if s.is_null() {
                            return Err(CUDA_ERROR_INVALID_VALUE);
                        }
                        size = Some(*s);
                    }
                    _ => return Err(CUDA_ERROR_INVALID_VALUE),
                }
                i += 2;
            }
            let Some(size) = size else { return Err(CUDA_ERROR_INVALID_VALUE) };
            if ptr.is_null() && size > 0 || size < info.param_bytes {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            if info.param_bytes > 0 {
                std::ptr::copy_nonoverlapping(ptr, buf.as_mut_ptr(), info.param_bytes);
            }
            Ok(buf)
        }
        (true, true) => {
            if info.params.is_empty() {
                Ok(buf)
            } else {
                Err(CUDA_ERROR_INVALID_VALUE)
            }
        }
    }
}

/// Checks a launch shape against device limits and the function's attributes.
pub fn validate(f: &Function, grid: [u32; 3], block: [u32; 3], shared: u32) -> CuResult {
    if grid.contains(&0) || block.contains(&0) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    for i in 0..3 {
        if grid[i] > MAX_GRID_DIM[i] as u32 || block[i] > MAX_BLOCK_DIM[i] as u32 {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
    }
    let threads = block[0] as u64 * block[1] as u64 * block[2] as u64;
    if threads > device::MAX_THREADS_PER_BLOCK as u64 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if threads > f.info.max_threads_per_block.max(1) as u64 {
        // More threads than the function's own limit (.maxntid, from __launch_bounds__):
        // CUDA_ERROR_INVALID_VALUE on NVIDIA's driver 580 (measured,
        // tests/programs/api_behaviour.cu); .reqntid is treated alike.
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let max_dyn = f.attrs.lock().unwrap().max_dynamic_shared;
    if shared as i64 > max_dyn as i64
        || f.info.static_shared_bytes as u64 + shared as u64 > device::SHARED_PER_BLOCK_OPTIN as u64
    {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    Ok(())
}

/// The thread-block clusters of a launch of `f`: the launch attribute's shape (`attr`), else
/// the kernel's compiled one (`__cluster_dims__`), else one set with
/// cuFuncSetAttribute(REQUIRED_CLUSTER_*), else none. Checked as NVIDIA's driver 580 checks it
/// on an H100 (tests/programs/clusters.cu): a launch shape other than the compiled one, a zero
/// dimension, one that does not divide the grid, more than 8 CTAs without
/// NON_PORTABLE_CLUSTER_SIZE_ALLOWED or more than 16 → CUDA_ERROR_INVALID_CLUSTER_SIZE.
pub fn cluster_shape(f: &Function, grid: [u32; 3], attr: Option<[u32; 3]>) -> CuResult<ClusterShape> {
    let attrs = *f.attrs.lock().unwrap();
    let set = (attrs.cluster.iter().all(|&d| d > 0)).then(|| attrs.cluster.map(|d| d as u32));
    let dim = match (f.info.required_cluster, attr) {
        (Some(c), Some(a)) if a != c => return Err(CUDA_ERROR_INVALID_CLUSTER_SIZE),
        (Some(c), _) => Some(c),
        (None, Some(a)) => Some(a),
        (None, None) => set,
    };
    let Some(dim) = dim else {
        if f.info.explicit_cluster {
            return Err(CUDA_ERROR_INVALID_CLUSTER_SIZE);
        }
        return Ok(ClusterShape::NONE);
    };
    let size = dim.iter().map(|&d| d as u64).product::<u64>();
    let limit = if attrs.non_portable_cluster != 0 { MAX_CLUSTER } else { MAX_PORTABLE_CLUSTER };
    if size == 0 || size > limit as u64 || (0..3).any(|i| grid[i] % dim[i] != 0) {
        return Err(CUDA_ERROR_INVALID_CLUSTER_SIZE);
    }
    if size > 1 && !supports_clusters() {
        // Clusters need compute capability 9.0 (CU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH is 0 below).
        return Err(CUDA_ERROR_NOT_SUPPORTED);
    }
    Ok(ClusterShape { dim, explicit: true, cooperative: false })
}

/// Whether the current context's device runs thread-block clusters (compute capability ≥ 9.0).
pub fn supports_clusters() -> bool {
    let dev = super::context::current().map(|c| c.device).unwrap_or(0);
    device::get(dev).is_ok_and(|d| d.cc.0 >= 9)
}

pub fn run(f: &Function, ctx: &super::context::Context, cfg: LaunchConfig, cluster: ClusterShape, params: &[u8]) -> CuResult {
    let Some(image) = f.module.image.as_ref() else { return Err(CUDA_ERROR_INVALID_HANDLE) };
    let name = f.name.to_str().map_err(|_| CUDA_ERROR_INVALID_VALUE)?;
    match image.launch_in_clusters(name, cfg, cluster, params) {
        Ok(()) => Ok(()),
        Err(LaunchError::Compile(msg)) => {
            tracing::error!("{name}: kernel translation failed: {msg}");
            Err(CUDA_ERROR_INVALID_PTX)
        }
        Err(LaunchError::InvalidConfig(msg)) | Err(LaunchError::OutOfResources(msg)) => {
            tracing::warn!("{name}: launch rejected: {msg}");
            Err(CUDA_ERROR_INVALID_VALUE)
        }
        Err(e @ (LaunchError::Trap(_) | LaunchError::Assert(_) | LaunchError::IllegalAddress(_) | LaunchError::IllegalInstruction(_) | LaunchError::MisalignedAddress(_))) => {
            let (code, msg) = match e {
                LaunchError::Assert(m) => (CUDA_ERROR_ASSERT, m),
                LaunchError::IllegalAddress(m) => (CUDA_ERROR_ILLEGAL_ADDRESS, m),
                LaunchError::IllegalInstruction(m) => (CUDA_ERROR_ILLEGAL_INSTRUCTION, m),
                LaunchError::MisalignedAddress(m) => (CUDA_ERROR_MISALIGNED_ADDRESS, m),
                LaunchError::Trap(m) => (CUDA_ERROR_LAUNCH_FAILED, m),
                _ => unreachable!(),
            };
            tracing::error!("{name}: {msg} -> {code:?} (sticky)");
            ctx.set_sticky(code);
            Err(code)
        }
        Err(LaunchError::Deadlock(msg)) => {
            tracing::error!("{name}: {msg} -> CUDA_ERROR_LAUNCH_FAILED (sticky)");
            ctx.set_sticky(CUDA_ERROR_LAUNCH_FAILED);
            Err(CUDA_ERROR_LAUNCH_FAILED)
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub unsafe fn launch_kernel(
    f: CUfunction,
    gx: c_uint,
    gy: c_uint,
    gz: c_uint,
    bx: c_uint,
    by: c_uint,
    bz: c_uint,
    shared: c_uint,
    h: CUstream,
    params: *mut *mut c_void,
    extra: *mut *mut c_void,
) -> CuResult {
    launch_in_clusters(f, [gx, gy, gz], [bx, by, bz], shared, h, params, extra, None, false, Default::default())
}

/// `cuLaunchCooperativeKernel`: every block of the grid resident at once, so the kernel may
/// synchronise the whole grid (cooperative_groups' `this_grid().sync()`). The grid must fit:
/// at most cuOccupancyMaxActiveBlocksPerMultiprocessor × MULTIPROCESSOR_COUNT blocks, else
/// CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE, as on NVIDIA's driver.
#[allow(clippy::too_many_arguments)]
pub unsafe fn launch_cooperative_kernel(
    f: CUfunction,
    gx: c_uint,
    gy: c_uint,
    gz: c_uint,
    bx: c_uint,
    by: c_uint,
    bz: c_uint,
    shared: c_uint,
    h: CUstream,
    params: *mut *mut c_void,
) -> CuResult {
    launch_in_clusters(f, [gx, gy, gz], [bx, by, bz], shared, h, params, std::ptr::null_mut(), None, true, Default::default())
}

/// A launch, with the cluster shape of a CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION if there is one,
/// cooperative or not.
#[allow(clippy::too_many_arguments)]
unsafe fn launch_in_clusters(
    f: CUfunction,
    grid: [u32; 3],
    block: [u32; 3],
    shared: c_uint,
    h: CUstream,
    params: *mut *mut c_void,
    extra: *mut *mut c_void,
    cluster_attr: Option<[u32; 3]>,
    cooperative: bool,
    attrs: super::kernel_attrs::LaunchAttrs,
) -> CuResult {
    let func = resolve_function(f)?;
    validate(&func, grid, block, shared)?;
    let mut cluster = cluster_shape(&func, grid, cluster_attr)?;
    if cooperative {
        if cluster.dim != [1, 1, 1] {
            // Cooperative launches of clusters are not emulated.
            return Err(CUDA_ERROR_NOT_SUPPORTED);
        }
        let threads = (block[0] * block[1] * block[2]) as c_int;
        let fits = active_blocks(&func, threads, shared as usize) as u64 * device::all()[0].sm_count as u64;
        if grid.iter().map(|&d| d as u64).product::<u64>() > fits {
            return Err(CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE);
        }
        cluster.cooperative = true;
    }
    // The argument values are copied now: a captured or queued launch keeps them.
    let buf = pack_params(&func, params, extra)?;
    // Translate now (cached): a kernel that cannot compile fails its launch, not the stream.
    if let (Some(image), Ok(name)) = (func.module.image.as_ref(), func.name.to_str()) {
        if let Err(msg) = image.compile(name) {
            tracing::error!("{name}: kernel translation failed: {msg}");
            return Err(CUDA_ERROR_INVALID_PTX);
        }
    }
    let node = KernelNode { func, handle: f as usize, grid, block, shared, cluster, params: std::sync::Arc::new(buf), attrs };
    stream::enqueue(h, NodeKind::Kernel(node))
}

const CU_LAUNCH_ATTRIBUTE_COOPERATIVE: c_uint = 2;
const CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION: c_uint = 4;

pub unsafe fn launch_kernel_ex(config: *const CUlaunchConfig, f: CUfunction, params: *mut *mut c_void, extra: *mut *mut c_void) -> CuResult {
    if config.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = &*config;
    if c.num_attrs > 0 && c.attrs.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let (mut cluster, mut cooperative, mut kept) = (None, false, super::kernel_attrs::LaunchAttrs::default());
    for i in 0..c.num_attrs as usize {
        let a = &*c.attrs.add(i);
        let int = |k: usize| i32::from_ne_bytes(a.value[4 * k..4 * k + 4].try_into().unwrap());
        match a.id {
            CU_LAUNCH_ATTRIBUTE_COOPERATIVE => cooperative = int(0) != 0,
            CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION => cluster = Some([int(0) as u32, int(1) as u32, int(2) as u32]),
            // Programmatic serialization/events, priorities, policies, sync domains …: with
            // launches running to completion in order, they change nothing; a captured
            // launch's node keeps those a kernel node has, to be read back.
            // (A value the node would refuse is dropped, not an error of the launch: not measured.)
            id => {
                tracing::trace!("cuLaunchKernelEx: launch attribute {id} recorded, no effect");
                let _ = kept.set(id, &a.value);
            }
        }
    }
    launch_in_clusters(
        f,
        [c.grid_dim_x, c.grid_dim_y, c.grid_dim_z],
        [c.block_dim_x, c.block_dim_y, c.block_dim_z],
        c.shared_mem_bytes,
        c.h_stream,
        params,
        extra,
        cluster,
        cooperative,
        kept,
    )
}

/// The cluster dimension attribute of a launch configuration, if it has one.
unsafe fn cluster_attribute(c: &CUlaunchConfig) -> CuResult<Option<[u32; 3]>> {
    if c.num_attrs > 0 && c.attrs.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mut cluster = None;
    for i in 0..c.num_attrs as usize {
        let a = &*c.attrs.add(i);
        if a.id == CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION {
            let int = |k: usize| u32::from_ne_bytes(a.value[4 * k..4 * k + 4].try_into().unwrap());
            cluster = Some([int(0), int(1), int(2)]);
        }
    }
    Ok(cluster)
}

/// `cuOccupancyMaxPotentialClusterSize`: 8 CTAs, 16 with NON_PORTABLE_CLUSTER_SIZE_ALLOWED
/// (what an H100 reports for a small kernel, tests/programs/clusters.cu), the compiled shape's
/// size for a kernel with `__cluster_dims__`, and never more CTAs than fit on the device.
pub unsafe fn max_potential_cluster_size(size: *mut c_int, f: CUfunction, config: *const CUlaunchConfig) -> CuResult {
    if size.is_null() || config.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let func = resolve_function(f)?;
    let c = &*config;
    if !supports_clusters() {
        return Err(CUDA_ERROR_NOT_SUPPORTED);
    }
    let block = c.block_dim_x as c_int * c.block_dim_y as c_int * c.block_dim_z as c_int;
    let per_sm = active_blocks(&func, block, c.shared_mem_bytes as usize);
    let limit = if func.attrs.lock().unwrap().non_portable_cluster != 0 { MAX_CLUSTER } else { MAX_PORTABLE_CLUSTER } as c_int;
    let want = match func.info.required_cluster {
        Some(d) => d.iter().product::<u32>() as c_int,
        None => limit,
    };
    let fits = per_sm * device::all()[0].sm_count;
    *size = if per_sm == 0 { 0 } else { want.min(fits) };
    Ok(())
}

/// `cuOccupancyMaxActiveClusters`: how many clusters of the configuration's shape (its launch
/// attribute, else the kernel's) are resident at once, counting CTAs over all SMs. A shape the
/// launch would refuse gives 0 (an H100 answers CUDA_SUCCESS for a cluster of 32).
pub unsafe fn max_active_clusters(num: *mut c_int, f: CUfunction, config: *const CUlaunchConfig) -> CuResult {
    if num.is_null() || config.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let func = resolve_function(f)?;
    let c = &*config;
    if !supports_clusters() {
        return Err(CUDA_ERROR_NOT_SUPPORTED);
    }
    let attr = cluster_attribute(c)?;
    let block = c.block_dim_x as c_int * c.block_dim_y as c_int * c.block_dim_z as c_int;
    let per_sm = active_blocks(&func, block, c.shared_mem_bytes as usize);
    let size = match attr.or(func.info.required_cluster) {
        // Only the shape matters here (checked against a grid of one cluster).
        Some(d) => cluster_shape(&func, d, Some(d)).map_or(0, |s| s.size() as c_int),
        None => 1,
    };
    *num = if size == 0 { 0 } else { per_sm * device::all()[0].sm_count / size };
    Ok(())
}

// ---- occupancy ----

/// Resident blocks per "SM" for a block size and dynamic shared memory, with the limits the
/// device attributes report (threads, blocks, shared memory, registers per SM).
fn active_blocks(f: &Function, block_size: c_int, dyn_smem: usize) -> c_int {
    let max_threads = (f.info.max_threads_per_block as c_int).clamp(1, device::MAX_THREADS_PER_BLOCK);
    if block_size <= 0 || block_size > max_threads {
        return 0;
    }
    if dyn_smem > f.attrs.lock().unwrap().max_dynamic_shared.max(0) as usize {
        return 0;
    }
    let warps = (block_size + device::WARP_SIZE - 1) / device::WARP_SIZE;
    let by_threads = MAX_THREADS_PER_SM / (warps * device::WARP_SIZE);
    let smem = f.info.static_shared_bytes + dyn_smem + device::RESERVED_SHARED_PER_BLOCK as usize;
    let by_smem = (device::SHARED_PER_SM as usize / smem) as c_int;
    let regs = f.info.num_regs.max(1) as c_int * warps * device::WARP_SIZE;
    let by_regs = REGS_PER_SM / regs;
    by_threads.min(by_smem).min(by_regs).min(MAX_BLOCKS_PER_SM).max(0)
}

pub unsafe fn max_active_blocks_with_flags(num_blocks: *mut c_int, f: CUfunction, block_size: c_int, dyn_smem: usize, flags: c_uint) -> CuResult {
    if num_blocks.is_null() || flags > 1 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let func = resolve_function(f)?;
    *num_blocks = active_blocks(&func, block_size, dyn_smem);
    Ok(())
}

pub unsafe fn max_active_blocks(num_blocks: *mut c_int, f: CUfunction, block_size: c_int, dyn_smem: usize) -> CuResult {
    max_active_blocks_with_flags(num_blocks, f, block_size, dyn_smem, 0)
}

/// The block size with the highest occupancy (largest on ties, searched downwards in warp
/// steps), and the grid size that fills every SM with it.
#[allow(clippy::too_many_arguments)]
pub unsafe fn max_potential_block_size_with_flags(
    min_grid: *mut c_int,
    block_size: *mut c_int,
    f: CUfunction,
    b2d: CUoccupancyB2DSize,
    dyn_smem: usize,
    limit: c_int,
    flags: c_uint,
) -> CuResult {
    if min_grid.is_null() || block_size.is_null() || flags > 1 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let func = resolve_function(f)?;
    let mut max = (func.info.max_threads_per_block as c_int).clamp(1, device::MAX_THREADS_PER_BLOCK);
    if limit > 0 {
        max = max.min(limit);
    }
    let (mut best_bs, mut best_occ, mut best_blocks) = (0, 0, 0);
    let mut bs = max;
    while bs > 0 {
        let smem = match b2d {
            Some(cb) => cb(bs),
            None => dyn_smem,
        };
        let blocks = active_blocks(&func, bs, smem);
        if blocks * bs > best_occ {
            (best_bs, best_occ, best_blocks) = (bs, blocks * bs, blocks);
        }
        bs = if bs % device::WARP_SIZE != 0 { bs - bs % device::WARP_SIZE } else { bs - device::WARP_SIZE };
    }
    let sms = device::all()[0].sm_count;
    *block_size = best_bs;
    *min_grid = best_blocks * sms;
    Ok(())
}

pub unsafe fn max_potential_block_size(
    min_grid: *mut c_int,
    block_size: *mut c_int,
    f: CUfunction,
    b2d: CUoccupancyB2DSize,
    dyn_smem: usize,
    limit: c_int,
) -> CuResult {
    max_potential_block_size_with_flags(min_grid, block_size, f, b2d, dyn_smem, limit, 0)
}

pub unsafe fn available_dynamic_smem_per_block(out: *mut usize, f: CUfunction, num_blocks: c_int, block_size: c_int) -> CuResult {
    if out.is_null() || num_blocks <= 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let func = resolve_function(f)?;
    if active_blocks(&func, block_size, 0) < num_blocks {
        *out = 0;
        return Ok(());
    }
    let per_block = device::SHARED_PER_SM as usize / num_blocks as usize;
    let avail = per_block.saturating_sub(device::RESERVED_SHARED_PER_BLOCK as usize + func.info.static_shared_bytes);
    let cap = (device::SHARED_PER_BLOCK_OPTIN as usize).saturating_sub(func.info.static_shared_bytes);
    *out = avail.min(cap);
    Ok(())
}
