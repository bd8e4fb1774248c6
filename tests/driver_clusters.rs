//! Thread-block clusters through the driver API on an emulated sm_90 device
//! (CUEMU_COMPUTE_CAPABILITY=9.0): cuLaunchKernelEx with CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION,
//! compiled cluster shapes, the function attributes, the occupancy queries, and the launch
//! errors as NVIDIA's driver 580 gives them on an H100 (tests/programs/clusters.cu, golden
//! tests/golden/h100/clusters.txt).

mod common;

use common::{primary, serial};
use cuda::api::entries::*;
use cuda::api::*;
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;

const PTX: &str = concat!(include_str!("../src/exec/tests/clusters.ptx"), "\0");
const CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION: u32 = 4;
const CU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH: c_int = 120;
const CU_FUNC_ATTRIBUTE_CLUSTER_SIZE_MUST_BE_SET: c_int = 10;
const CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_WIDTH: c_int = 11;
const CU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED: c_int = 14;

fn sm90() -> std::sync::MutexGuard<'static, ()> {
    let guard = serial();
    // Read once, when the driver first lists its devices: every test of this file sets it.
    unsafe { std::env::set_var("CUEMU_COMPUTE_CAPABILITY", "9.0") };
    primary();
    guard
}

unsafe fn load() -> (CUmodule, CUfunction, CUfunction) {
    let mut m = null_mut();
    assert_eq!(cuModuleLoadData(&mut m, PTX.as_ptr().cast()), CUDA_SUCCESS);
    let (mut regs, mut fixed) = (null_mut(), null_mut());
    assert_eq!(cuModuleGetFunction(&mut regs, m, c"regs".as_ptr()), CUDA_SUCCESS);
    assert_eq!(cuModuleGetFunction(&mut fixed, m, c"regs_fixed".as_ptr()), CUDA_SUCCESS);
    (m, regs, fixed)
}

/// cuLaunchKernelEx of `f` over `grid` CTAs of 32 threads, with a cluster attribute if given.
unsafe fn launch(f: CUfunction, grid: [u32; 2], cluster: Option<[u32; 3]>, out: CUdeviceptr) -> CUresult {
    let mut attr = CUlaunchAttribute { id: CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION, pad: [0; 4], value: [0; 64] };
    for (k, d) in cluster.unwrap_or([0; 3]).iter().enumerate() {
        attr.value[4 * k..4 * k + 4].copy_from_slice(&d.to_ne_bytes());
    }
    let cfg = CUlaunchConfig {
        grid_dim_x: grid[0],
        grid_dim_y: grid[1],
        grid_dim_z: 1,
        block_dim_x: 32,
        block_dim_y: 1,
        block_dim_z: 1,
        shared_mem_bytes: 0,
        h_stream: null_mut(),
        attrs: &mut attr,
        num_attrs: cluster.is_some() as u32,
    };
    let mut p = out;
    let mut params = [(&mut p as *mut CUdeviceptr).cast::<c_void>()];
    let r = cuLaunchKernelEx(&cfg, f, params.as_mut_ptr(), null_mut());
    assert_eq!(cuCtxSynchronize(), CUDA_SUCCESS);
    r
}

#[test]
fn cluster_launches_and_their_errors() {
    let _g = sm90();
    unsafe {
        let mut v = -1;
        assert_eq!(cuDeviceGetAttribute(&mut v, CU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH, 0), CUDA_SUCCESS);
        assert_eq!(v, 1, "an sm_90 device launches clusters");
        let (m, regs, fixed) = load();
        let mut out: CUdeviceptr = 0;
        assert_eq!(cuMemAlloc_v2(&mut out, 64 * 32), CUDA_SUCCESS);

        // A 2-D grid in clusters of (2, 2): ranks and cluster ids as the geometry gives them.
        assert_eq!(launch(regs, [4, 4], Some([2, 2, 1]), out), CUDA_SUCCESS);
        let mut host = vec![0u32; 16 * 8];
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr().cast(), out, 16 * 32), CUDA_SUCCESS);
        for y in 0..4u32 {
            for x in 0..4u32 {
                let o = &host[((y * 4 + x) * 8) as usize..][..8];
                assert_eq!(o, &[x / 2, x % 2, x % 2 + 2 * (y % 2), 4, 2, 2, 1, (y / 2) * 256 + y % 2], "block ({x}, {y})");
            }
        }

        // What an H100 refuses with CUDA_ERROR_INVALID_CLUSTER_SIZE (and what it runs).
        assert_eq!(launch(regs, [6, 1], Some([4, 1, 1]), out), CUDA_ERROR_INVALID_CLUSTER_SIZE, "grid not a multiple");
        assert_eq!(launch(regs, [8, 1], Some([0, 1, 1]), out), CUDA_ERROR_INVALID_CLUSTER_SIZE, "zero dimension");
        assert_eq!(launch(regs, [32, 1], Some([32, 1, 1]), out), CUDA_ERROR_INVALID_CLUSTER_SIZE, "more than 16");
        assert_eq!(launch(regs, [16, 1], Some([16, 1, 1]), out), CUDA_ERROR_INVALID_CLUSTER_SIZE, "16 is not portable");
        assert_eq!(launch(regs, [6, 1], Some([3, 1, 1]), out), CUDA_SUCCESS, "3 is a cluster size");
        assert_eq!(cuFuncSetAttribute(regs, CU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED, 1), CUDA_SUCCESS);
        assert_eq!(launch(regs, [16, 1], Some([16, 1, 1]), out), CUDA_SUCCESS, "16 once non-portable sizes are allowed");
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr().cast(), out, 16 * 32), CUDA_SUCCESS);
        assert_eq!(host[15 * 8 + 2], 15, "rank of the last CTA of a cluster of 16");

        // The compiled shape: launch attributes must agree with it; a plain launch uses it.
        assert_eq!(launch(fixed, [8, 1], Some([4, 1, 1]), out), CUDA_ERROR_INVALID_CLUSTER_SIZE);
        assert_eq!(launch(fixed, [8, 1], Some([1, 1, 1]), out), CUDA_ERROR_INVALID_CLUSTER_SIZE);
        assert_eq!(launch(fixed, [8, 1], Some([2, 1, 1]), out), CUDA_SUCCESS);
        assert_eq!(launch(fixed, [5, 1], None, out), CUDA_ERROR_INVALID_CLUSTER_SIZE, "5 CTAs in clusters of 2");
        let mut p = out;
        let mut params = [(&mut p as *mut CUdeviceptr).cast::<c_void>()];
        assert_eq!(cuLaunchKernel(fixed, 6, 1, 1, 32, 1, 1, 0, null_mut(), params.as_mut_ptr(), null_mut()), CUDA_SUCCESS);
        assert_eq!(cuCtxSynchronize(), CUDA_SUCCESS);
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr().cast(), out, 6 * 32), CUDA_SUCCESS);
        assert_eq!(&host[5 * 8..5 * 8 + 4], &[2, 1, 1, 2], "block 5 of <<<6>>> in clusters of 2");

        // Function attributes.
        let attr = |f, a| {
            let mut v = -1;
            assert_eq!(cuFuncGetAttribute(&mut v, a, f), CUDA_SUCCESS);
            v
        };
        assert_eq!(attr(fixed, CU_FUNC_ATTRIBUTE_CLUSTER_SIZE_MUST_BE_SET), 1);
        assert_eq!(attr(regs, CU_FUNC_ATTRIBUTE_CLUSTER_SIZE_MUST_BE_SET), 0);
        assert_eq!(attr(fixed, CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_WIDTH), 2);
        assert_eq!(attr(regs, CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_WIDTH), 0);
        assert_eq!(cuFuncSetAttribute(fixed, CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_WIDTH, 4), CUDA_ERROR_INVALID_VALUE);

        // Occupancy.
        let mut cfg = CUlaunchConfig {
            grid_dim_x: 64,
            grid_dim_y: 1,
            grid_dim_z: 1,
            block_dim_x: 128,
            block_dim_y: 1,
            block_dim_z: 1,
            shared_mem_bytes: 0,
            h_stream: null_mut(),
            attrs: null_mut(),
            num_attrs: 0,
        };
        let mut size = -1;
        assert_eq!(cuOccupancyMaxPotentialClusterSize(&mut size, regs, &cfg), CUDA_SUCCESS);
        assert_eq!(size, 16, "non-portable sizes allowed");
        assert_eq!(cuOccupancyMaxPotentialClusterSize(&mut size, fixed, &cfg), CUDA_SUCCESS);
        assert_eq!(size, 2, "the compiled shape");
        let mut a = CUlaunchAttribute { id: CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION, pad: [0; 4], value: [0; 64] };
        a.value[..12].copy_from_slice(&[2u8, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
        cfg.attrs = &mut a;
        cfg.num_attrs = 1;
        let mut n = -1;
        assert_eq!(cuOccupancyMaxActiveClusters(&mut n, regs, &cfg), CUDA_SUCCESS);
        assert!(n > 0, "clusters of 2 fit: {n}");
        (*cfg.attrs).value[0] = 32;
        assert_eq!(cuOccupancyMaxActiveClusters(&mut n, regs, &cfg), CUDA_SUCCESS);
        assert_eq!(n, 0, "clusters of 32 never fit");

        assert_eq!(cuMemFree_v2(out), CUDA_SUCCESS);
        assert_eq!(cuModuleUnload(m), CUDA_SUCCESS);
    }
}
