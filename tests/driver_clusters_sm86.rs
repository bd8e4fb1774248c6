//! Thread-block clusters on the default emulated device (compute capability 8.6, like the GPUs
//! before Hopper): CU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH is 0 and a launch in clusters of more than
//! one CTA is refused with CUDA_ERROR_NOT_SUPPORTED (our choice; no pre-Hopper GPU was at hand
//! to measure), while a cluster of one CTA still runs. A file of its own: the compute
//! capability is read once per process (tests/driver_clusters.rs runs at 9.0).

mod common;

use common::{primary, serial};
use cuda::api::entries::*;
use cuda::api::*;
use std::ffi::c_void;
use std::ptr::null_mut;

const PTX: &str = "
.version 7.8
.target sm_80
.address_size 64
.visible .entry k(.param .u64 out)
{
	.reg .b32 %r<4>;
	.reg .b64 %rd<4>;
	ld.param.u64 %rd1, [out];
	mov.u32 %r1, %ctaid.x;
	mul.wide.u32 %rd2, %r1, 4;
	add.u64 %rd3, %rd1, %rd2;
	mov.u32 %r2, %cluster_nctarank;
	st.global.u32 [%rd3], %r2;
	ret;
}
\0";

#[test]
fn no_cluster_launches_below_compute_capability_9() {
    let _g = serial();
    unsafe { std::env::remove_var("CUEMU_COMPUTE_CAPABILITY") };
    primary();
    unsafe {
        let (mut major, mut v) = (0, -1);
        assert_eq!(cuDeviceGetAttribute(&mut major, 75, 0), CUDA_SUCCESS);
        assert!(major < 9, "default device is pre-Hopper: {major}");
        assert_eq!(cuDeviceGetAttribute(&mut v, 120, 0), CUDA_SUCCESS);
        assert_eq!(v, 0, "CLUSTER_LAUNCH");
        let mut m = null_mut();
        assert_eq!(cuModuleLoadData(&mut m, PTX.as_ptr().cast()), CUDA_SUCCESS);
        let mut f = null_mut();
        assert_eq!(cuModuleGetFunction(&mut f, m, c"k".as_ptr()), CUDA_SUCCESS);
        let mut out: CUdeviceptr = 0;
        assert_eq!(cuMemAlloc_v2(&mut out, 16), CUDA_SUCCESS);
        let mut p = out;
        let mut params = [(&mut p as *mut CUdeviceptr).cast::<c_void>()];
        for (x, want) in [(2u32, CUDA_ERROR_NOT_SUPPORTED), (1, CUDA_SUCCESS)] {
            let mut attr = CUlaunchAttribute { id: 4, pad: [0; 4], value: [0; 64] };
            attr.value[..12].copy_from_slice(&[x as u8, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
            let cfg = CUlaunchConfig {
                grid_dim_x: 4,
                grid_dim_y: 1,
                grid_dim_z: 1,
                block_dim_x: 32,
                block_dim_y: 1,
                block_dim_z: 1,
                shared_mem_bytes: 0,
                h_stream: null_mut(),
                attrs: &mut attr,
                num_attrs: 1,
            };
            assert_eq!(cuLaunchKernelEx(&cfg, f, params.as_mut_ptr(), null_mut()), want, "cluster of {x}");
        }
        assert_eq!(cuCtxSynchronize(), CUDA_SUCCESS);
        let mut host = [0u32; 4];
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr().cast(), out, 16), CUDA_SUCCESS);
        assert_eq!(host, [1; 4], "the cluster of one ran");
        assert_eq!(cuMemFree_v2(out), CUDA_SUCCESS);
        assert_eq!(cuModuleUnload(m), CUDA_SUCCESS);
    }
}
