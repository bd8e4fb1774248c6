//! Texture and surface objects through the exported `extern "C"` entry points, in-process:
//! creation over linear, pitched and array memory, the descriptor getters, and the errors for
//! malformed descriptors and wrong or stale handles. (What kernels read through the objects is
//! checked against an H100 by tests/programs/textures.cu.)

use cuda::api::entries::*;
use cuda::api::*;
use cuda::driver::array::{CUDA_ARRAY3D_DESCRIPTOR, CUDA_ARRAY_DESCRIPTOR};
use cuda::driver::texture::{CUDA_RESOURCE_DESC, CUDA_RESOURCE_VIEW_DESC, CUDA_TEXTURE_DESC};
use std::ptr::{null, null_mut};

const FLOAT: u32 = 0x20;
const U8: u32 = 0x01;

fn setup() {
    unsafe {
        assert_eq!(cuInit(0), CUDA_SUCCESS);
        let mut ctx = null_mut();
        assert_eq!(cuDevicePrimaryCtxRetain(&mut ctx, 0), CUDA_SUCCESS);
        assert_eq!(cuCtxSetCurrent(ctx), CUDA_SUCCESS);
    }
}

fn alloc(bytes: usize) -> CUdeviceptr {
    let mut p = 0;
    assert_eq!(unsafe { cuMemAlloc_v2(&mut p, bytes) }, CUDA_SUCCESS);
    p
}

fn linear(ptr: CUdeviceptr, format: u32, channels: u32, bytes: usize) -> CUDA_RESOURCE_DESC {
    let mut r = CUDA_RESOURCE_DESC { res_type: 2, res: [0; 16], flags: 0 };
    r.res[0] = ptr;
    r.res[1] = format as u64 | (channels as u64) << 32;
    r.res[2] = bytes as u64;
    r
}

fn pitch2d(ptr: CUdeviceptr, format: u32, channels: u32, w: usize, h: usize, pitch: usize) -> CUDA_RESOURCE_DESC {
    let mut r = CUDA_RESOURCE_DESC { res_type: 3, res: [0; 16], flags: 0 };
    r.res[0] = ptr;
    r.res[1] = format as u64 | (channels as u64) << 32;
    r.res[2] = w as u64;
    r.res[3] = h as u64;
    r.res[4] = pitch as u64;
    r
}

fn array_res(a: CUarray) -> CUDA_RESOURCE_DESC {
    let mut r = CUDA_RESOURCE_DESC { res_type: 0, res: [0; 16], flags: 0 };
    r.res[0] = a as u64;
    r
}

fn tdesc(addr: u32, filter: u32, flags: u32) -> CUDA_TEXTURE_DESC {
    CUDA_TEXTURE_DESC {
        address_mode: [addr; 3],
        filter_mode: filter,
        flags,
        max_anisotropy: 0,
        mipmap_filter_mode: 0,
        mipmap_level_bias: 0.0,
        min_mipmap_level_clamp: 0.0,
        max_mipmap_level_clamp: 0.0,
        border_color: [0.5, 0.25, 0.0, 1.0],
        reserved: [0; 12],
    }
}

fn create(r: &CUDA_RESOURCE_DESC, t: &CUDA_TEXTURE_DESC) -> Result<u64, CUresult> {
    let mut h = 0u64;
    match unsafe { cuTexObjectCreate(&mut h, r, t, null()) } {
        CUDA_SUCCESS => Ok(h),
        e => Err(e),
    }
}

#[test]
fn texture_objects_keep_their_descriptors_and_reject_stale_handles() {
    setup();
    let p = alloc(4096);
    let r = linear(p, FLOAT, 2, 800);
    let t = tdesc(3, 0, 0x02);
    let h = create(&r, &t).unwrap();
    assert_ne!(h, 0);
    unsafe {
        let mut r2 = CUDA_RESOURCE_DESC { res_type: 9, res: [0; 16], flags: 7 };
        assert_eq!(cuTexObjectGetResourceDesc(&mut r2, h), CUDA_SUCCESS);
        assert_eq!((r2.res_type, r2.res[0], r2.res[1], r2.res[2], r2.flags), (2, p, FLOAT as u64 | 2 << 32, 800, 0));
        let mut t2 = tdesc(0, 0, 0);
        assert_eq!(cuTexObjectGetTextureDesc(&mut t2, h), CUDA_SUCCESS);
        assert_eq!((t2.address_mode, t2.filter_mode, t2.flags, t2.border_color), ([3; 3], 0, 0x02, [0.5, 0.25, 0.0, 1.0]));
        // made without a view: none to return
        let mut v: CUDA_RESOURCE_VIEW_DESC = std::mem::zeroed();
        assert_eq!(cuTexObjectGetResourceViewDesc(&mut v, h), CUDA_ERROR_INVALID_VALUE);
        // a texture is not a surface
        assert_eq!(cuSurfObjectDestroy(h), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuSurfObjectGetResourceDesc(&mut r2, h), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuTexObjectDestroy(h), CUDA_SUCCESS);
        // stale and unknown handles
        assert_eq!(cuTexObjectDestroy(h), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuTexObjectGetResourceDesc(&mut r2, h), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuTexObjectGetTextureDesc(&mut t2, 0x1234_5678_9abc), CUDA_ERROR_INVALID_VALUE);
        // 0, what a failed create leaves, destroys quietly (as on NVIDIA's driver)
        assert_eq!(cuTexObjectDestroy(0), CUDA_SUCCESS);
        assert_eq!(cuMemFree_v2(p), CUDA_SUCCESS);
    }
}

#[test]
fn malformed_texture_descriptors_are_refused() {
    setup();
    let p = alloc(4096);
    let ok = tdesc(1, 0, 0);
    // null arguments
    let mut h = 0u64;
    unsafe {
        assert_eq!(cuTexObjectCreate(null_mut(), &linear(p, FLOAT, 1, 64), &ok, null()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuTexObjectCreate(&mut h, null(), &ok, null()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuTexObjectCreate(&mut h, &linear(p, FLOAT, 1, 64), null(), null()), CUDA_ERROR_INVALID_VALUE);
    }
    // linear memory: a null or untracked pointer, a size past the allocation, 3 channels,
    // an unknown format, flags
    assert_eq!(create(&linear(0, FLOAT, 1, 64), &ok), Err(CUDA_ERROR_INVALID_VALUE));
    assert_eq!(create(&linear(p, FLOAT, 1, 8192), &ok), Err(CUDA_ERROR_INVALID_VALUE));
    assert_eq!(create(&linear(p, FLOAT, 3, 64), &ok), Err(CUDA_ERROR_INVALID_VALUE));
    assert_eq!(create(&linear(p, 0x33, 1, 64), &ok), Err(CUDA_ERROR_INVALID_VALUE));
    let mut flagged = linear(p, FLOAT, 1, 64);
    flagged.flags = 1;
    assert_eq!(create(&flagged, &ok), Err(CUDA_ERROR_INVALID_VALUE));
    // pitched memory: pitch below the row, rows past the allocation
    assert_eq!(create(&pitch2d(p, FLOAT, 1, 16, 4, 32), &ok), Err(CUDA_ERROR_INVALID_VALUE));
    assert_eq!(create(&pitch2d(p, FLOAT, 1, 16, 65, 64), &ok), Err(CUDA_ERROR_INVALID_VALUE));
    let h1 = create(&pitch2d(p, FLOAT, 1, 16, 64, 64), &ok).unwrap();
    assert_eq!(unsafe { cuTexObjectDestroy(h1) }, CUDA_SUCCESS);
    let h2 = create(&pitch2d(p, FLOAT, 1, 16, 4, 256), &ok).unwrap();
    assert_eq!(unsafe { cuTexObjectDestroy(h2) }, CUDA_SUCCESS);
    // sampler state: an unknown address or filter mode; filtering integers read as integers
    assert_eq!(create(&linear(p, FLOAT, 1, 64), &tdesc(4, 0, 0)), Err(CUDA_ERROR_INVALID_VALUE));
    assert_eq!(create(&linear(p, FLOAT, 1, 64), &tdesc(1, 2, 0)), Err(CUDA_ERROR_INVALID_VALUE));
    assert_eq!(create(&linear(p, U8, 4, 64), &tdesc(1, 1, 0x01)), Err(CUDA_ERROR_INVALID_VALUE));
    // ... but u8 read as normalized floats may be filtered
    let h3 = create(&linear(p, U8, 4, 64), &tdesc(1, 1, 0)).unwrap();
    assert_eq!(unsafe { cuTexObjectDestroy(h3) }, CUDA_SUCCESS);
    // a resource type that does not exist, and a mipmapped array that does not
    let mut bad = linear(p, FLOAT, 1, 64);
    bad.res_type = 7;
    assert_eq!(create(&bad, &ok), Err(CUDA_ERROR_INVALID_VALUE));
    bad.res_type = 1;
    assert_eq!(create(&bad, &ok), Err(CUDA_ERROR_INVALID_HANDLE));
    assert_eq!(unsafe { cuMemFree_v2(p) }, CUDA_SUCCESS);
}

#[test]
fn surfaces_over_arrays_only_and_array_handles_are_checked() {
    setup();
    let mut a: CUarray = null_mut();
    let d = CUDA_ARRAY_DESCRIPTOR { width: 8, height: 4, format: FLOAT, num_channels: 1 };
    unsafe {
        assert_eq!(cuArrayCreate_v2(&mut a, &d), CUDA_SUCCESS);
        let mut s = 0u64;
        assert_eq!(cuSurfObjectCreate(&mut s, &array_res(a)), CUDA_SUCCESS);
        let mut r2 = CUDA_RESOURCE_DESC { res_type: 9, res: [0; 16], flags: 0 };
        assert_eq!(cuSurfObjectGetResourceDesc(&mut r2, s), CUDA_SUCCESS);
        assert_eq!((r2.res_type, r2.res[0]), (0, a as u64));
        // a surface is not a texture
        assert_eq!(cuTexObjectDestroy(s), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuSurfObjectDestroy(s), CUDA_SUCCESS);
        assert_eq!(cuSurfObjectDestroy(s), CUDA_ERROR_INVALID_VALUE);
        // surfaces need an array
        let p = alloc(256);
        assert_eq!(cuSurfObjectCreate(&mut s, &linear(p, FLOAT, 1, 64)), CUDA_ERROR_INVALID_VALUE);
        // a texture over the array, then over the destroyed array
        let t = create(&array_res(a), &tdesc(0, 1, 0x02)).unwrap();
        assert_eq!(cuTexObjectDestroy(t), CUDA_SUCCESS);
        assert_eq!(cuArrayDestroy(a), CUDA_SUCCESS);
        assert_eq!(create(&array_res(a), &tdesc(0, 1, 0x02)), Err(CUDA_ERROR_INVALID_HANDLE));
        assert_eq!(cuSurfObjectCreate(&mut s, &array_res(a)), CUDA_ERROR_INVALID_HANDLE);
        assert_eq!(cuMemFree_v2(p), CUDA_SUCCESS);
    }
}

#[test]
fn mipmapped_arrays_have_levels_and_back_textures() {
    setup();
    let d = CUDA_ARRAY3D_DESCRIPTOR { width: 32, height: 8, depth: 0, format: FLOAT, num_channels: 2, flags: 0 };
    let mut m: *mut std::ffi::c_void = null_mut();
    unsafe {
        assert_eq!(cuMipmappedArrayCreate(null_mut(), &d, 3), CUDA_ERROR_INVALID_VALUE);
        // ten levels asked, six made (32x8 … 1x1), as NVIDIA's driver does
        assert_eq!(cuMipmappedArrayCreate(&mut m, &d, 10), CUDA_SUCCESS);
        let mut sizes = vec![];
        for l in 0..6 {
            let mut a: CUarray = null_mut();
            assert_eq!(cuMipmappedArrayGetLevel(&mut a, m, l), CUDA_SUCCESS);
            let mut q = CUDA_ARRAY3D_DESCRIPTOR { width: 0, height: 0, depth: 9, format: 0, num_channels: 0, flags: 0 };
            assert_eq!(cuArray3DGetDescriptor_v2(&mut q, a), CUDA_SUCCESS);
            assert_eq!((q.format, q.num_channels, q.depth), (FLOAT, 2, 0));
            sizes.push((q.width, q.height));
        }
        assert_eq!(sizes, [(32, 8), (16, 4), (8, 2), (4, 1), (2, 1), (1, 1)]);
        let mut a: CUarray = null_mut();
        assert_eq!(cuMipmappedArrayGetLevel(&mut a, m, 6), CUDA_ERROR_INVALID_VALUE);
        // a texture over it; its resource descriptor names the mipmapped array
        let mut r = CUDA_RESOURCE_DESC { res_type: 1, res: [0; 16], flags: 0 };
        r.res[0] = m as u64;
        let t = create(&r, &tdesc(1, 1, 0x02)).unwrap();
        let mut back = CUDA_RESOURCE_DESC { res_type: 9, res: [0; 16], flags: 0 };
        assert_eq!(cuTexObjectGetResourceDesc(&mut back, t), CUDA_SUCCESS);
        assert_eq!((back.res_type, back.res[0]), (1, m as u64));
        assert_eq!(cuTexObjectDestroy(t), CUDA_SUCCESS);
        assert_eq!(cuMipmappedArrayDestroy(m), CUDA_SUCCESS);
        assert_eq!(cuMipmappedArrayDestroy(m), CUDA_ERROR_INVALID_HANDLE);
        assert_eq!(cuMipmappedArrayGetLevel(&mut a, m, 0), CUDA_ERROR_INVALID_HANDLE);
        assert_eq!(create(&r, &tdesc(1, 1, 0x02)), Err(CUDA_ERROR_INVALID_HANDLE));
    }
}

#[test]
fn normalized_formats_make_array_textures_and_surfaces_only() {
    // as the H100's driver answers (tests/golden/h100/textures_norm.txt)
    setup();
    const UNORM8X1: u32 = 0xc0;
    const SNORM16X4: u32 = 0xcb;
    unsafe {
        for (format, channels) in [(UNORM8X1, 1), (SNORM16X4, 4)] {
            let mut a: CUarray = null_mut();
            let d = CUDA_ARRAY_DESCRIPTOR { width: 8, height: 4, format, num_channels: channels };
            assert_eq!(cuArrayCreate_v2(&mut a, &d), CUDA_SUCCESS);
            // point and linear filtering, with or without CU_TRSF_READ_AS_INTEGER (ignored:
            // the formats read as normalized floats)
            for (filter, flags) in [(0, 0), (0, 0x01), (1, 0), (1, 0x01)] {
                let t = create(&array_res(a), &tdesc(1, filter, flags)).unwrap();
                assert_eq!(cuTexObjectDestroy(t), CUDA_SUCCESS);
            }
            let mut s = 0u64;
            assert_eq!(cuSurfObjectCreate(&mut s, &array_res(a)), CUDA_SUCCESS);
            assert_eq!(cuSurfObjectDestroy(s), CUDA_SUCCESS);
            assert_eq!(cuArrayDestroy(a), CUDA_SUCCESS);
            // linear and pitched textures in these formats are refused
            let p = alloc(4096);
            assert_eq!(create(&linear(p, format, channels, 4096), &tdesc(1, 0, 0)), Err(CUDA_ERROR_INVALID_VALUE));
            assert_eq!(create(&pitch2d(p, format, channels, 8, 4, 512), &tdesc(1, 0, 0)), Err(CUDA_ERROR_INVALID_VALUE));
            assert_eq!(cuMemFree_v2(p), CUDA_SUCCESS);
        }
    }
}
